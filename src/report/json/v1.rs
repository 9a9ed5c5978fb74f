//! The JSON report, schema version 1 (contract §5): the one home of its
//! wire types, written by `--format json` and `residency report`, read back
//! by `--baseline`, `report --compare` and the run index.
//!
//! The types are frozen: they are converted from the internal types (in
//! `json/mod.rs`), never derived from them, so that refactoring cannot
//! change what CI scripts read. Additions are allowed; renames are not.
//! The writer's types borrow and stream their long lists ([`Seq`]); the
//! reader's types ([`ReportIn`]) own the subset a comparison needs and
//! ignore the rest.

use std::cell::RefCell;

use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
/// Written as its ISO 3166-1 alpha-2 code.
use crate::reference::Country;

/// The schema version this module writes and reads.
pub const SCHEMA_VERSION: u32 = 1;

/// A list serialized as its items are produced, never collected: a
/// 100,000-entity report is not held in memory twice.
pub struct Seq<I>(RefCell<Option<I>>);

impl<I> Seq<I> {
    pub fn new(items: I) -> Self {
        Self(RefCell::new(Some(items)))
    }
}

impl<I> Serialize for Seq<I>
where
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0.borrow_mut().take() {
            Some(items) => s.collect_seq(items),
            None => Err(serde::ser::Error::custom("a streamed list is written once")),
        }
    }
}

/// A value written as its text (`Display`): a host, a piece of evidence.
pub struct Text<T>(pub T);

impl<T: std::fmt::Display> Serialize for Text<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// Country codes (ISO 3166-1 alpha-2), as strings: a slice or a set.
pub struct Codes<I>(pub I);

impl<'a, I> Serialize for Codes<I>
where
    I: IntoIterator<Item = &'a crate::reference::Country> + Copy,
{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.into_iter().map(|c| c.as_str()))
    }
}

/// The codes of a finding or waiver.
pub type CodeSlice<'a> = Codes<&'a [crate::reference::Country]>;

// ---------------------------------------------------------------- writer

#[derive(Serialize)]
#[serde(bound(serialize = "Seq<E>: Serialize, Seq<F>: Serialize, Seq<W>: Serialize"))]
pub struct Report<'a, E, F, W> {
    pub schema_version: u32,
    pub tool: Tool,
    pub generated_at: &'a str,
    pub geoip: GeoIp<'a>,
    pub entities: Seq<E>,
    pub findings: Seq<F>,
    pub summary: Summary,
    // Additions to the contract.
    pub fail_on: &'static str,
    pub adequacy: Adequacy<'a>,
    pub resolution: Resolution,
    pub inventory: InventoryFiles,
    /// What changed since an earlier run (`residency report` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<Changes<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<crate::report::site::SiteOut<'a>>,
    /// The privacy policies (`--policy`): statements with their verdicts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub policy: Vec<crate::report::policy::PolicyOut<'a>>,
    pub waived: Seq<W>,
    pub waivers: Waivers,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Baseline<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terraform: Option<Terraform<'a>>,
}

#[derive(Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Serialize)]
pub struct GeoIp<'a> {
    pub source: &'a str,
    pub build_date: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribution: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(bound(serialize = "Seq<H>: Serialize"))]
pub struct Entity<'a, H> {
    pub id: &'a str,
    pub kind: &'static str,
    pub countries: Codes<&'a std::collections::BTreeSet<crate::reference::Country>>,
    pub hosts: Seq<H>,
    // Additions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<&'static str>,
    pub declared: Option<Country>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legal_country: Option<Country>,
    /// holds | receives | collects, or null: the entity has no Russian citizens' PD.
    pub personal_data: Option<&'static str>,
    pub unknown: &'a [crate::resolve::Unknown],
    /// Planned Terraform resources linked to it (with `--terraform`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub terraform: Vec<&'a str>,
    /// Not in the inventory: where the site was first seen using it
    /// (with `--site`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seen_on_site: Option<SeenOnSite<'a>>,
}

/// A page of the operator's site and the line of the element.
#[derive(Serialize)]
pub struct SeenOnSite<'a> {
    pub page: &'a str,
    pub line: Option<u32>,
}

#[derive(Serialize)]
#[serde(bound(serialize = "Seq<A>: Serialize"))]
pub struct Host<'a, A> {
    pub host: Text<&'a crate::inventory::Host>,
    pub chain: &'a [String],
    pub addresses: Seq<A>,
    pub error: Option<&'a crate::resolve::HostError>,
    // Additions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<&'a str>,
    /// literal | dns | offline.
    pub via: &'static str,
}

#[derive(Serialize)]
pub struct Address<'a> {
    pub ip: std::net::IpAddr,
    pub country: Option<Country>,
    /// `network:<site>` or `geoip`; `unplaced` when neither knows it.
    pub source: &'a crate::resolve::Source,
}

#[derive(Serialize)]
#[serde(bound(serialize = "Seq<V>: Serialize"))]
pub struct Finding<'a, V> {
    pub rule: &'static str,
    pub severity: &'static str,
    pub entity: &'a str,
    pub countries: CodeSlice<'a>,
    pub message: String,
    /// Each piece of evidence in words.
    pub evidence: Seq<V>,
    pub location: Location<'a>,
    // Addition.
    pub message_ru: String,
    /// Addition: the recipient's jurisdiction (its legal country), kept
    /// apart from `countries` (territory).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recipient_country: Option<Country>,
}

#[derive(Serialize)]
pub struct Location<'a> {
    pub file: &'a str,
    pub line: u32,
    pub column: u32,
}

#[derive(Serialize)]
pub struct Summary {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub info: usize,
    pub failed: bool,
    /// Findings set aside by waivers (not counted above, never failing).
    pub waived: usize,
    /// Findings left out because `--baseline` has them (not counted above).
    pub baseline_known: usize,
}

#[derive(Serialize)]
pub struct Adequacy<'a> {
    pub list: &'a str,
    pub date: &'a str,
    /// Addition: the day the list was last confirmed as operative.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub confirmed: &'a str,
    pub countries: usize,
}

#[derive(Serialize)]
pub struct Resolution {
    pub offline: bool,
    pub names: usize,
    pub failed: usize,
    pub queries: u64,
    /// Set when most lookups failed: the findings reflect DNS, not the estate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

#[derive(Serialize)]
pub struct InventoryFiles {
    pub files: Vec<String>,
}

#[derive(Serialize)]
#[serde(bound(serialize = "Seq<V>: Serialize"))]
pub struct Waived<'a, V> {
    #[serde(flatten)]
    pub finding: Finding<'a, V>,
    pub waiver: Waiver<'a>,
}

#[derive(Serialize)]
pub struct Waiver<'a> {
    pub rule: &'a str,
    pub entity: &'a str,
    #[serde(skip_serializing_if = "codes_empty")]
    pub countries: CodeSlice<'a>,
    pub reason: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<&'static str>,
    pub approved_by: &'a str,
    pub expires: String,
    pub location: Location<'a>,
}

fn codes_empty(c: &CodeSlice<'_>) -> bool {
    c.0.is_empty()
}

#[derive(Serialize)]
pub struct Waivers {
    /// False with `--no-waivers`.
    pub applied: bool,
    /// Waivers in the inventory.
    pub defined: usize,
}

#[derive(Serialize)]
pub struct Baseline<'a> {
    pub file: &'a str,
    pub generated_at: Option<&'a str>,
    /// Current findings left out because the baseline has them.
    pub known: usize,
    /// Baseline findings that no longer occur.
    pub fixed: usize,
}

#[derive(Serialize)]
pub struct Terraform<'a> {
    pub plans: Vec<Plan<'a>>,
    /// Storage resources, and resources linked to an entity.
    pub resources: Vec<Resource<'a>>,
    pub warnings: Vec<String>,
}

#[derive(Serialize)]
pub struct Plan<'a> {
    pub file: &'a str,
    pub terraform_version: Option<&'a str>,
    pub resources: usize,
}

#[derive(Serialize)]
pub struct Resource<'a> {
    pub address: &'a str,
    #[serde(rename = "type")]
    pub rtype: &'a str,
    pub action: &'static str,
    pub storage: Option<&'static str>,
    pub countries: Vec<Country>,
    pub regions: Vec<String>,
    pub unknown: &'a [String],
    pub entities: &'a [String],
    pub location: Location<'a>,
}

/// What changed since an earlier run (`residency report`).
#[derive(Serialize)]
pub struct Changes<'a> {
    /// What the run was compared with: a run directory name or a file.
    pub against: &'a str,
    /// The earlier run's `generated_at`.
    pub against_generated_at: &'a str,
    pub new: Vec<ChangedFinding<'a>>,
    pub resolved: Vec<ChangedFinding<'a>>,
    pub entities_changed: Vec<Moved<'a>>,
    pub no_change: bool,
}

/// A finding that appeared or went away.
#[derive(Serialize)]
pub struct ChangedFinding<'a> {
    pub rule: &'a str,
    pub entity: &'a str,
    pub countries: &'a [String],
    pub severity: &'a str,
    pub message: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub message_ru: &'a str,
}

/// An entity whose countries differ; null where it is absent from a run.
#[derive(Serialize)]
pub struct Moved<'a> {
    pub id: &'a str,
    pub before: Option<&'a [String]>,
    pub after: Option<&'a [String]>,
}

// ---------------------------------------------------------------- reader

/// What the readers take from an earlier report. Every text in it is input:
/// [`read`] redacts and escapes it before anything shows it.
///
/// The entities and findings are read in the shape each reader keeps:
/// [`EntityIn`]/[`FindingIn`] keep their texts, [`FindingKeyIn`] only the
/// identity, [`EntityShape`]/[`FindingShape`] nothing. Each checks the same
/// shape (the same fields, of the same types): every reader accepts and
/// refuses the same reports.
#[derive(Deserialize)]
#[serde(bound(deserialize = "E: Deserialize<'de>, F: Deserialize<'de>"))]
pub struct ReportIn<E = EntityIn, F = FindingIn> {
    pub schema_version: u32,
    #[serde(default)]
    pub generated_at: Option<String>,
    pub entities: Vec<E>,
    pub findings: Vec<F>,
    #[serde(default)]
    pub summary: SummaryIn,
    #[serde(default)]
    pub fail_on: String,
    #[serde(default)]
    pub changes: Option<ChangesIn>,
}

/// A string checked as one and not kept.
#[derive(Default, Clone, Copy)]
pub struct Skip;

impl<'de> Deserialize<'de> for Skip {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Skip;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Skip, E> {
                Ok(Skip)
            }
        }
        d.deserialize_str(V)
    }
}

/// An earlier report's text: redacted and escaped when read (a [`Skip`]
/// has nothing to clean).
pub trait Clean {
    fn clean(&mut self);
}

impl Clean for Skip {
    fn clean(&mut self) {}
}

impl Clean for String {
    fn clean(&mut self) {
        let c = crate::escape::controls(&crate::inventory::redact::redact(self)).into_owned();
        if c != *self {
            *self = c;
        }
    }
}

impl<T: Clean> Clean for Vec<T> {
    fn clean(&mut self) {
        self.iter_mut().for_each(Clean::clean);
    }
}

/// An entity: its id and countries as `S` (`String` kept, [`Skip`] not).
#[derive(Deserialize)]
pub struct EntityOf<S> {
    pub id: S,
    #[serde(default)]
    pub countries: Vec<S>,
}

/// An entity with its id and countries.
pub type EntityIn = EntityOf<String>;
/// An entity counted, nothing kept.
pub type EntityShape = EntityOf<Skip>;

impl<S: Clean> Clean for EntityOf<S> {
    fn clean(&mut self) {
        self.id.clean();
        self.countries.clean();
    }
}

/// A finding: its identity as `K`, its words as `W`.
#[derive(Deserialize)]
pub struct FindingOf<K, W> {
    pub rule: K,
    pub entity: K,
    #[serde(default)]
    pub countries: Vec<K>,
    #[serde(default)]
    pub severity: W,
    #[serde(default)]
    pub message: W,
    #[serde(default)]
    pub message_ru: W,
}

/// A finding with its identity and words.
pub type FindingIn = FindingOf<String, String>;
/// A finding's identity only (`--baseline`).
pub type FindingKeyIn = FindingOf<String, Skip>;
/// A finding counted, nothing kept (the run index).
pub type FindingShape = FindingOf<Skip, Skip>;

/// A finding's identity as its digest (`--baseline`): read as a
/// [`FindingKeyIn`], cleaned, and only the 16 bytes kept.
pub struct KeyDigest(pub u128);

impl<'de> Deserialize<'de> for KeyDigest {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut f = FindingKeyIn::deserialize(d)?;
        f.clean();
        Ok(Self(f.into_key().digest()))
    }
}

impl Clean for KeyDigest {
    /// Cleaned as it was read.
    fn clean(&mut self) {}
}

impl<K: Clean, W: Clean> Clean for FindingOf<K, W> {
    fn clean(&mut self) {
        self.rule.clean();
        self.entity.clean();
        self.countries.clean();
        self.severity.clean();
        self.message.clean();
        self.message_ru.clean();
    }
}

#[derive(Deserialize, Default)]
pub struct SummaryIn {
    #[serde(default)]
    pub critical: usize,
    #[serde(default)]
    pub high: usize,
    #[serde(default)]
    pub medium: usize,
    #[serde(default)]
    pub low: usize,
    #[serde(default)]
    pub info: usize,
    /// Absent in a damaged report: read as failed (fail closed).
    pub failed: Option<bool>,
}

/// Only counted: a run index shows how many, not which.
#[derive(Deserialize)]
pub struct ChangesIn {
    #[serde(default)]
    pub new: Vec<serde::de::IgnoredAny>,
    #[serde(default)]
    pub resolved: Vec<serde::de::IgnoredAny>,
    #[serde(default)]
    pub entities_changed: Vec<serde::de::IgnoredAny>,
}

impl<W> FindingOf<String, W> {
    /// The finding's identity across runs.
    pub fn key(&self) -> crate::evaluate::FindingKey {
        crate::evaluate::FindingKey::new(
            self.rule.clone(),
            self.entity.clone(),
            self.countries.iter().cloned(),
        )
    }

    /// The finding's identity, its texts moved, not copied.
    pub fn into_key(self) -> crate::evaluate::FindingKey {
        crate::evaluate::FindingKey::new(self.rule, self.entity, self.countries)
    }
}

/// Where an earlier report is read from: a text in memory, or a file
/// streamed through [`super::bounded`] (memory kept to what the reader
/// keeps, not the file's size).
pub trait Source {
    /// The file's name, as errors show it.
    fn file(&self) -> &str;
    /// Parse it as `T`.
    fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, Unread>;
}

/// Why an earlier report could not be parsed.
#[derive(Debug)]
pub enum Unread {
    /// The file could not be read as text (missing, a FIFO, too large, a
    /// NUL byte, not UTF-8), located.
    Read(Diagnostic),
    /// Read, but not the JSON expected.
    Json(serde_json::Error),
}

/// An earlier report's text already in memory (the tests' reference for
/// the streamed [`super::bounded::Bounded`]).
#[cfg(test)]
pub struct InMemory<'a> {
    pub file: &'a str,
    pub text: &'a str,
}

#[cfg(test)]
impl Source for InMemory<'_> {
    fn file(&self) -> &str {
        self.file
    }
    fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, Unread> {
        serde_json::from_str(self.text).map_err(Unread::Json)
    }
}

/// Read an earlier JSON report from any [`Source`], keeping entities as `E`
/// and findings as `F`: JSON errors with file:line:column, a schema version
/// this tool does not read refused, and every text redacted and escaped (an
/// earlier report is untrusted input).
pub fn read_from<E, F>(src: &impl Source, hint: Option<&str>) -> Result<ReportIn<E, F>, Diagnostic>
where
    E: serde::de::DeserializeOwned + Clean,
    F: serde::de::DeserializeOwned + Clean,
{
    let file = src.file();
    let json_error = |e: serde_json::Error| {
        crate::diag::json_error(file, &e, "not a residency JSON report", hint)
    };
    #[derive(Deserialize)]
    struct Version {
        schema_version: u32,
    }
    let refuse = |v: u32| Diagnostic {
        file: Some(file.to_string()),
        pos: None,
        message: format!("report schema_version {v} is not one this tool reads ({SCHEMA_VERSION})"),
        hint: hint.map(str::to_string),
        related: None,
    };
    let mut r: ReportIn<E, F> = match src.parse() {
        Ok(r) => r,
        Err(Unread::Read(d)) => return Err(d),
        // Another version's layout is refused as such, not as a missing field.
        Err(Unread::Json(e)) => {
            return Err(match src.parse::<Version>() {
                Ok(v) if v.schema_version != SCHEMA_VERSION => refuse(v.schema_version),
                _ => json_error(e),
            });
        }
    };
    if r.schema_version != SCHEMA_VERSION {
        return Err(refuse(r.schema_version));
    }
    if let Some(g) = r.generated_at.as_mut() {
        g.clean();
    }
    r.fail_on.clean();
    r.entities.clean();
    r.findings.clean();
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::{Diagnostic, InMemory, ReportIn, read_from};

    fn read(file: &str, text: &str, hint: Option<&str>) -> Result<ReportIn, Diagnostic> {
        read_from(&InMemory { file, text }, hint)
    }

    const REPORT: &str = r#"{"schema_version": 1, "generated_at": "2026-11-25T00:00:00Z",
        "entities": [{"id": "a", "countries": ["US"]}],
        "findings": [{"rule": "copy-abroad", "entity": "a", "countries": ["US"],
                      "message": "see postgres://u:hunter2@db.example/x \u001b[31m"}]}"#;

    #[test]
    fn an_earlier_report_is_redacted_and_escaped_when_read() {
        let r = read("r.json", REPORT, None).unwrap();
        let m = &r.findings[0].message;
        assert!(!m.contains("hunter2"), "{m}");
        assert!(!m.contains('\u{1b}'), "{m}");
        assert_eq!(r.findings[0].key().countries, ["US"]);
    }

    #[test]
    fn another_schema_version_is_refused_by_name() {
        let e = read(
            "r.json",
            r#"{"schema_version": 2, "findings": 3}"#,
            Some("h"),
        )
        .err()
        .unwrap();
        assert_eq!(
            e.to_string(),
            "r.json: report schema_version 2 is not one this tool reads (1)\n  = help: h"
        );
        let e = read("r.json", &REPORT.replace("\"findings\"", "\"f\""), None)
            .err()
            .unwrap();
        assert!(e.to_string().contains("missing field `findings`"), "{e}");
    }
}
