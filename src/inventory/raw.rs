//! The inventory file as written: serde types, unvalidated (`Raw*`).
//!
//! These types are the single source of the inventory's shape: the loader
//! deserializes them (one entity at a time, see [`super::yaml`]) and
//! `residency schema` derives the JSON Schema from them. Strings that need
//! checking (ids, countries, hosts, CIDRs) are kept as text with a position
//! ([`Sp`]) and checked in [`super::validate`], so that every problem in a
//! run is reported, not just the first.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};

use super::yaml::{Pos, SPANNED, SPANNED_FIELDS};

/// A value with the line and column it was written at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sp<T> {
    pub value: T,
    pub pos: Pos,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Sp<T> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Sp<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Sp<T>, A::Error> {
                let mut line = None;
                let mut column = None;
                let mut value = None;
                while let Some(key) = map.next_key::<&str>()? {
                    match key {
                        "$line" => line = Some(map.next_value()?),
                        "$column" => column = Some(map.next_value()?),
                        _ => value = Some(map.next_value()?),
                    }
                }
                let value =
                    value.ok_or_else(|| de::Error::custom("internal: spanned value missing"))?;
                Ok(Sp {
                    value,
                    pos: Pos {
                        line: line.unwrap_or(0),
                        column: column.unwrap_or(0),
                    },
                })
            }
        }
        d.deserialize_struct(SPANNED, SPANNED_FIELDS, V(PhantomData))
    }
}

impl<T: JsonSchema> JsonSchema for Sp<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(g)
    }
}

/// A residency inventory file (format version 1). Every `*.yaml`/`*.yml`
/// file under the inventory directory is read and merged.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "residency inventory")]
pub struct RawFile {
    /// Inventory format version; must be 1.
    #[schemars(range(min = 1, max = 1))]
    pub version: u32,
    /// The operator (at most one file may have it).
    pub organization: Option<RawOrganization>,
    /// What the operator has told Roskomnadzor (152-FZ art. 22 and art. 12
    /// notifications) and its users (privacy policy). At most one file.
    pub declarations: Option<RawDeclarations>,
    /// Address space that GeoIP cannot place (RFC 1918, CGNAT, own data
    /// centres). Matched before GeoIP; the most specific CIDR wins.
    #[serde(default)]
    pub networks: Vec<RawNetwork>,
    /// Databases and other stores.
    #[serde(default)]
    pub databases: Vec<RawDatabase>,
    /// Processors: process data on the operator's instruction (152-FZ art. 6 p. 3).
    #[serde(default)]
    #[schemars(with = "Vec<ProcessorSchema>")]
    pub processors: Vec<RawThirdParty>,
    /// Partners: third parties receiving data for their own purposes.
    #[serde(default)]
    #[schemars(with = "Vec<PartnerSchema>")]
    pub partners: Vec<RawThirdParty>,
    /// Data flows between entities.
    #[serde(default)]
    pub transfers: Vec<RawTransfer>,
    /// The notifications filed with Roskomnadzor (art. 12 cross-border,
    /// art. 22 processing and change): what they covered. The rule
    /// filing-outdated compares the audit against them.
    #[serde(default)]
    pub filings: Vec<super::filings::RawFiling>,
    /// Accepted risks: findings that are reported as waived, not failing,
    /// until the waiver expires (typically in a file of their own,
    /// inventory/waivers.yaml).
    #[serde(default)]
    pub waivers: Vec<RawWaiver>,
}

/// The top-level keys of [`RawFile`], in schema order (as serde's derive
/// names them: the struct is the one list).
pub fn file_keys() -> &'static [&'static str] {
    struct_fields::<RawFile>()
}

/// The field names serde's derive gives a struct: asked for by a
/// deserializer that only listens (serde hands them to
/// `deserialize_struct`).
fn struct_fields<T: for<'de> Deserialize<'de>>() -> &'static [&'static str] {
    struct Listen(&'static [&'static str]);
    impl<'de> de::Deserializer<'de> for &mut Listen {
        type Error = de::value::Error;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
            Err(de::Error::custom("only listening"))
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Self::Error> {
            self.0 = fields;
            Err(de::Error::custom("only listening"))
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf option unit unit_struct newtype_struct seq tuple
            tuple_struct map enum identifier ignored_any
        }
    }
    let mut listen = Listen(&[]);
    let _ = T::deserialize(&mut listen);
    listen.0
}

/// An ISO 3166-1 alpha-2 country code, such as `RU`.
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub struct CountryCode(pub String);

impl JsonSchema for CountryCode {
    fn schema_name() -> Cow<'static, str> {
        "CountryCode".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "ISO 3166-1 alpha-2 country code, e.g. RU",
            "type": "string",
            "pattern": "^[A-Z]{2}$"
        })
    }
}

/// An entity id: unique across the whole inventory.
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub struct EntityId(pub String);

impl JsonSchema for EntityId {
    fn schema_name() -> Cow<'static, str> {
        "EntityId".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "entity id, unique across the whole inventory",
            "type": "string",
            "pattern": "^[a-z0-9][a-z0-9._-]*$"
        })
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawOrganization {
    /// Legal name of the operator.
    pub name: String,
    /// The operator's jurisdiction.
    pub country: Sp<CountryCode>,
    // The keys below are optional: `residency notify` puts them in the
    // drafts and lists the missing ones as "to fill before filing".
    /// INN (taxpayer number): 10 digits (12 for an individual).
    pub inn: Option<Sp<String>>,
    /// OGRN (state registration number): 13 digits (OGRNIP: 15).
    pub ogrn: Option<Sp<String>>,
    /// The operator's address (legal address).
    pub address: Option<String>,
    /// The person responsible for organising the processing of personal
    /// data (152-FZ art. 22.1), with contacts.
    pub responsible: Option<super::filings::RawResponsible>,
    /// Purposes of processing and of the cross-border transfer.
    #[serde(default)]
    pub purposes: Vec<String>,
    /// Legal basis of the processing and transfer, as the notification
    /// states it (e.g. "п. 5 ч. 1 ст. 6 152-ФЗ").
    pub legal_basis: Option<String>,
    /// Categories of personal data, as the notification names them
    /// (e.g. "иные категории персональных данных").
    #[serde(default)]
    pub data_categories: Vec<String>,
    /// Categories of data subjects (e.g. "клиенты", "пользователи сайта").
    #[serde(default)]
    pub data_subjects: Vec<String>,
    /// The day the operator assessed each foreign recipient's
    /// confidentiality and security of processing (art. 12 p. 4, 5).
    #[serde(default)]
    pub recipient_assessments: Vec<super::filings::RawAssessment>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDeclarations {
    /// Ids of the processors and partners the operator has named to the
    /// regulator and in its privacy policy.
    #[serde(default)]
    pub third_parties: Vec<Sp<EntityId>>,
    /// Countries named in the art. 12 cross-border notification.
    #[serde(default)]
    pub cross_border_countries: Vec<Sp<CountryCode>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawNetwork {
    /// An IPv4 or IPv6 network, e.g. 10.10.0.0/16.
    pub cidr: Sp<String>,
    /// Where addresses in this network are.
    pub country: Sp<CountryCode>,
    /// Free text shown in evidence, e.g. "Selectel SPb-1".
    pub site: Option<String>,
}

/// What a database is for; anything but `primary` is a copy.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema, serde::Serialize, PartialOrd, Ord,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Primary,
    Replica,
    Backup,
    Cache,
    Analytics,
    Archive,
    Log,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Primary => "primary",
            Self::Replica => "replica",
            Self::Backup => "backup",
            Self::Cache => "cache",
            Self::Analytics => "analytics",
            Self::Archive => "archive",
            Self::Log => "log",
        }
    }
}

/// Why a partner may receive the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalBasis {
    Consent,
    Contract,
    Law,
    LegitimateInterest,
}

/// The declared location: a country, or a cloud provider and region from
/// the built-in table.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawLocation {
    /// ISO country code.
    pub country: Option<Sp<CountryCode>>,
    /// Cloud provider: aws, gcp, azure, yandex, vk, selectel, cloudru,
    /// timeweb, hetzner, ovh, digitalocean.
    pub cloud: Option<Sp<String>>,
    /// The provider's region id, e.g. ru-central1, eu-central-1.
    pub region: Option<Sp<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPersonalData {
    /// Whether it holds data of citizens of the Russian Federation
    /// (default true: fail closed).
    pub ru_citizens: Option<bool>,
    /// Free-text category tokens, e.g. full_name, phone, email, ip_address.
    #[serde(default)]
    pub categories: Vec<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDatabase {
    pub id: Sp<EntityId>,
    /// Display name.
    pub name: Option<String>,
    /// primary (default: fail closed) | replica | backup | cache | analytics | archive | log
    pub role: Option<Role>,
    /// Free text, e.g. postgresql.
    pub engine: Option<String>,
    /// Endpoints: hostname, IP literal, host:port, [v6]:port or a URL/DSN
    /// (credentials are never printed).
    #[serde(default)]
    pub hosts: Vec<Sp<String>>,
    pub location: Option<Sp<RawLocation>>,
    /// Id of the processor that hosts or operates it.
    pub operated_by: Option<Sp<EntityId>>,
    /// Absent = holds no personal data.
    pub personal_data: Option<RawPersonalData>,
    #[serde(default)]
    pub terraform: TerraformRefs,
}

/// A processor or a partner, as written: which one is decided by the list
/// it is in (`processors:` or `partners:`). Each list has its own schema
/// ([`ProcessorSchema`], [`PartnerSchema`]); a key of the other kind is
/// refused with its position when the model is made.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawThirdParty {
    pub id: Sp<EntityId>,
    /// Legal name.
    pub name: Option<String>,
    /// Jurisdiction of the legal entity.
    pub country: Sp<CountryCode>,
    #[serde(default)]
    pub hosts: Vec<Sp<String>>,
    pub location: Option<Sp<RawLocation>>,
    /// Reference to the operator's instruction (поручение оператора, 152-FZ art. 6 p. 3), given by contract.
    /// (Processors only.)
    pub instruction: Option<Sp<String>>,
    /// consent | contract | law | legitimate_interest
    /// (Partners only.)
    pub legal_basis: Option<Sp<LegalBasis>>,
    /// Data subjects send data to it directly (analytics SDK or counter,
    /// embedded form, widget): it is a first recording. Default false.
    pub collects_from_subjects: Option<bool>,
    #[serde(default)]
    pub terraform: TerraformRefs,
}

/// The key only the other kind of third party has.
const PROCESSOR_ONLY: &str = "instruction";
const PARTNER_ONLY: &str = "legal_basis";

/// [`RawThirdParty`] in the `processors:` list: the schema without the
/// partner's key.
pub struct ProcessorSchema;
/// [`RawThirdParty`] in the `partners:` list: the schema without the
/// processor's key.
pub struct PartnerSchema;

/// The schema of [`RawThirdParty`] in one list: without the other kind's
/// key and the note on it, with the list's own description.
fn third_party_schema(
    g: &mut schemars::SchemaGenerator,
    without: &str,
    description: &str,
) -> schemars::Schema {
    let mut s = RawThirdParty::json_schema(g);
    s.insert("description".into(), description.into());
    if let Some(props) = s.get_mut("properties").and_then(|p| p.as_object_mut()) {
        props.remove(without);
        for p in props.values_mut() {
            if let Some(d) = p.get_mut("description")
                && let Some(text) = d.as_str()
                && let Some((keep, _)) = text
                    .split_once("\n(Processors only.)")
                    .or_else(|| text.split_once("\n(Partners only.)"))
            {
                *d = keep.into();
            }
        }
    }
    s
}

impl JsonSchema for ProcessorSchema {
    fn schema_name() -> Cow<'static, str> {
        "RawProcessor".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        third_party_schema(
            g,
            PARTNER_ONLY,
            "A processor: processes personal data on the operator's instruction (152-FZ art. 6 p. 3).",
        )
    }
}

impl JsonSchema for PartnerSchema {
    fn schema_name() -> Cow<'static, str> {
        "RawPartner".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        third_party_schema(
            g,
            PROCESSOR_ONLY,
            "A partner: a third party that receives personal data for its own purposes.",
        )
    }
}

/// Terraform resource addresses of an entity (databases and third parties
/// alike), each with its position.
#[derive(Debug, Default, Deserialize)]
#[serde(transparent)]
pub struct TerraformRefs(pub Vec<Sp<String>>);

impl JsonSchema for TerraformRefs {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "TerraformRefs".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Terraform resource addresses of this entity, as in `terraform show\n-json` (aws_db_instance.accounts, module.logs.aws_s3_bucket.main), or\na module path (module.logs: every storage resource in it). With\n`check --terraform PLAN.json`, their planned regions join the\nobserved countries.",
            "type": "array",
            "items": { "type": "string" }
        })
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTransfer {
    /// Id of the entity the data comes from.
    pub from: Sp<EntityId>,
    /// Id of the entity the data goes to.
    pub to: Sp<EntityId>,
    #[serde(default)]
    pub categories: Vec<String>,
    pub purpose: Option<String>,
}

/// A calendar date, `YYYY-MM-DD`.
#[derive(Debug, Deserialize)]
#[serde(transparent)]
pub struct Date(pub String);

impl JsonSchema for Date {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "calendar date, YYYY-MM-DD",
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
        })
    }
}

/// The legal exceptions of 152-FZ art. 18 p. 5: the cases of art. 6 p. 1
/// points 2, 3, 4 and 8, in which Russian citizens' data may be recorded in
/// databases outside Russia.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema, serde::Serialize)]
pub enum ReasonCode {
    /// Art. 6 p. 1 point 2: purposes set by an international treaty or a
    /// law; functions, powers and duties the law assigns to the operator.
    #[serde(rename = "art6-1-2")]
    Art6P1Point2,
    /// Art. 6 p. 1 point 3: participation in constitutional, civil,
    /// administrative or criminal proceedings, or in arbitrazh courts.
    #[serde(rename = "art6-1-3")]
    Art6P1Point3,
    /// Art. 6 p. 1 point 4: powers of state and municipal bodies; state and
    /// municipal services.
    #[serde(rename = "art6-1-4")]
    Art6P1Point4,
    /// Art. 6 p. 1 point 8: journalism and mass media; scientific,
    /// literary or other creative activity.
    #[serde(rename = "art6-1-8")]
    Art6P1Point8,
}

impl ReasonCode {
    pub const ALL: [Self; 4] = [
        Self::Art6P1Point2,
        Self::Art6P1Point3,
        Self::Art6P1Point4,
        Self::Art6P1Point8,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Art6P1Point2 => "art6-1-2",
            Self::Art6P1Point3 => "art6-1-3",
            Self::Art6P1Point4 => "art6-1-4",
            Self::Art6P1Point8 => "art6-1-8",
        }
    }

    /// The citation: 152-FZ art. 6 p. 1 point 2.
    pub fn citation(self) -> &'static str {
        match self {
            Self::Art6P1Point2 => "152-FZ art. 6 p. 1 point 2",
            Self::Art6P1Point3 => "152-FZ art. 6 p. 1 point 3",
            Self::Art6P1Point4 => "152-FZ art. 6 p. 1 point 4",
            Self::Art6P1Point8 => "152-FZ art. 6 p. 1 point 8",
        }
    }

    /// The citation in Russian: п. 2 ч. 1 ст. 6 152-ФЗ.
    pub fn citation_ru(self) -> &'static str {
        match self {
            Self::Art6P1Point2 => "п. 2 ч. 1 ст. 6 152-ФЗ",
            Self::Art6P1Point3 => "п. 3 ч. 1 ст. 6 152-ФЗ",
            Self::Art6P1Point4 => "п. 4 ч. 1 ст. 6 152-ФЗ",
            Self::Art6P1Point8 => "п. 8 ч. 1 ст. 6 152-ФЗ",
        }
    }
}

/// An accepted risk: findings of `rule` on `entity` are reported as waived
/// (listed, counted, not failing the gate) until `expires`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawWaiver {
    /// The rule waived, e.g. copy-abroad (`residency rules` lists them).
    pub rule: Sp<String>,
    /// The entity id the waiver covers, or `*` for every entity. For
    /// unlisted-storage: a Terraform resource address.
    pub entity: Sp<String>,
    /// Optional: waive only findings all of whose countries are listed here.
    #[serde(default)]
    pub countries: Vec<Sp<CountryCode>>,
    /// Why the risk is accepted.
    pub reason: Sp<String>,
    /// The legal exception relied on: art6-1-2, art6-1-3, art6-1-4 or
    /// art6-1-8 (152-FZ art. 6 p. 1 points 2, 3, 4, 8). Required for
    /// primary-outside-ru, whose only exceptions these are (art. 18 p. 5).
    pub reason_code: Option<Sp<ReasonCode>>,
    /// Who accepted the risk: name and role.
    pub approved_by: Sp<String>,
    /// The last day the waiver applies (YYYY-MM-DD), at most one year after
    /// the report date. After it, the finding fails again and
    /// `waiver-expired` reports the waiver.
    pub expires: Sp<Date>,
}

/// The JSON Schema of an inventory file, as `residency schema` prints it.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(RawFile);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn file_keys_are_the_schemas_properties_in_struct_order() {
        let schema: serde_json::Value = serde_json::from_str(&super::schema_json()).unwrap();
        let mut props: Vec<&str> = schema["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let keys = super::file_keys();
        assert_eq!(keys.first(), Some(&"version"), "struct order, not sorted");
        let mut sorted = keys.to_vec();
        sorted.sort_unstable();
        props.sort_unstable();
        assert_eq!(sorted, props);
    }

    #[test]
    fn each_list_has_its_own_third_party_schema() {
        let schema: serde_json::Value = serde_json::from_str(&super::schema_json()).unwrap();
        let defs = &schema["$defs"];
        let processor = defs["RawProcessor"]["properties"].as_object().unwrap();
        let partner = defs["RawPartner"]["properties"].as_object().unwrap();
        assert!(processor.contains_key("instruction") && !processor.contains_key("legal_basis"));
        assert!(partner.contains_key("legal_basis") && !partner.contains_key("instruction"));
        for p in [processor, partner] {
            for (k, v) in p {
                let d = v["description"].as_str().unwrap_or("");
                assert!(
                    !d.contains("only.)"),
                    "{k}: the note on the other kind stays out"
                );
            }
        }
    }
}
