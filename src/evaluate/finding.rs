//! A finding as facts: which rule, about what, where in the inputs, the
//! rule's own facts ([`Facts`]) and typed evidence. Nothing here is a
//! sentence: `report::words` turns facts into words, once per language,
//! for every format.

use std::fmt;

use serde::Serialize;

use super::Severity;
use super::context::PdReason;
use super::registry::{Facts, RuleId};
use crate::inventory::Loc;
use crate::reference::Country;

/// One problem found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: RuleId,
    pub severity: Severity,
    /// What it is about: an entity id, `declarations`, a Terraform
    /// address, a page URL, or `*` (a waiver for everything).
    pub entity: String,
    /// Territory: the countries the finding rests on.
    pub countries: Vec<Country>,
    /// The recipient's jurisdiction (a processor's or partner's legal
    /// country), kept apart from its territory; `None` for databases and
    /// findings about no entity.
    pub recipient_country: Option<Country>,
    /// The rule's facts; [`Facts::rule`] is `rule`.
    pub facts: Facts,
    pub evidence: Vec<Evidence>,
    /// The primary location: where to fix it.
    pub location: Loc,
    /// Related places in the inputs (a host line, a waiver, a declaration).
    pub related: Vec<Label>,
}

impl Finding {
    /// A finding with the rule's default severity, located at `location`.
    pub fn new(
        facts: Facts,
        entity: impl Into<String>,
        countries: impl IntoIterator<Item = Country>,
        evidence: Vec<Evidence>,
        location: Loc,
    ) -> Self {
        let rule = facts.rule();
        Self {
            rule,
            severity: rule.meta().severity,
            entity: entity.into(),
            countries: countries.into_iter().collect(),
            recipient_country: None,
            facts,
            evidence,
            location,
            related: Vec::new(),
        }
    }

    /// A finding about one entity, located at its entry; its host lines
    /// are the related locations.
    pub fn about(
        facts: Facts,
        entity: &crate::inventory::Entity,
        countries: impl IntoIterator<Item = Country>,
        evidence: Vec<Evidence>,
    ) -> Self {
        let mut f = Self::new(facts, &entity.id, countries, evidence, entity.loc.clone());
        f.recipient_country = entity.legal_country();
        f.related = entity
            .hosts
            .iter()
            .enumerate()
            .map(|(i, h)| Label {
                loc: h.loc.clone(),
                note: LabelNote::Host(i),
            })
            .collect();
        f
    }

    /// Adds a related location.
    pub fn with_related(mut self, loc: Loc, note: LabelNote) -> Self {
        self.related.push(Label { loc, note });
        self
    }

    /// What identifies it across runs.
    pub fn key(&self) -> FindingKey {
        FindingKey::new(
            self.rule.as_str(),
            &self.entity,
            self.countries.iter().map(|c| c.as_str().to_string()),
        )
    }

    /// The Terraform resources its evidence rests on, sorted, once each.
    pub fn planned_resources(&self) -> Vec<&str> {
        let mut a: Vec<&str> = self
            .evidence
            .iter()
            .filter_map(|e| match e {
                Evidence::Place(p) => p.planned_resource(),
                _ => None,
            })
            .collect();
        a.sort_unstable();
        a.dedup();
        a
    }

    pub(super) fn sort_key(&self) -> impl Ord + '_ {
        (
            self.severity,
            self.rule.as_str(),
            &self.entity,
            &self.countries,
            &self.location,
        )
    }
}

/// A place in the inputs related to a finding, with what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub loc: Loc,
    pub note: LabelNote,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelNote {
    /// A `hosts` entry of the entity: its index in the entity's `hosts`
    /// (the text is there; a large audit has one label per host and
    /// finding).
    Host(usize),
    /// The waiver the finding is about.
    Waiver,
    /// The declaration the finding is about.
    Declaration,
    /// The planned resource.
    PlanResource(String),
    /// A statement of the privacy policy (`--policy`).
    Policy,
}

/// Why a finding holds: typed, so that nothing parses it back out of text.
#[derive(Debug, Clone)]
pub enum Evidence {
    /// Where a country comes from: an address chain, a declaration, a
    /// cloud region, the legal entity's seat (a presumption) or a planned
    /// resource (see [`crate::resolve::Basis`]).
    Place(crate::resolve::Evidence),
    /// Why the entity has Russian citizens' personal data.
    PersonalData(PdReason),
    /// Why a location cannot be established.
    Unknown(String),
    /// A site sighting: where on the operator's pages it is loaded.
    Sighting(Box<crate::site::Sighting>),
    /// More sightings than shown.
    MoreSightings(usize),
    /// A site third party as the catalogue knows it (`None`: unknown).
    Catalogue(Option<&'static crate::site::catalogue::Service>),
    /// A Terraform tag that marks a resource.
    PlanTag(Box<PlanTag>),
    /// Why a planned resource cannot be placed.
    PlanUnknown {
        address: String,
        why: String,
    },
    /// A page fetch: the URL requested, a redirect, the HTTP status.
    Requested(String),
    Redirected(String),
    HttpStatus(u16),
    /// An entry of a `declarations` list.
    Declaration {
        list: &'static str,
        loc: Loc,
    },
    /// A waiver: where, who approved it, when it expires.
    Waiver(Box<WaiverNote>),
    /// The date the report judges by.
    ReportDate(String),
    /// A statement of the privacy policy (`--policy`): where, and the
    /// sentence.
    Policy {
        source: String,
        line: u32,
        sentence: String,
    },
    /// A recipient on the list of banned organisations: why it matched,
    /// the decision, the ground and the sources (`--banned`).
    Banned(Box<BannedNote>),
}

// The rare, large kinds of evidence are boxed: every finding holds a few
// pieces of evidence, and a large audit hundreds of thousands of findings.

/// A Terraform tag that marks a resource.
#[derive(Debug, Clone)]
pub struct PlanTag {
    pub address: String,
    pub tag: &'static str,
    pub value: String,
    pub loc: Loc,
}

/// A waiver: where, who approved it, when it expires.
#[derive(Debug, Clone)]
pub struct WaiverNote {
    pub loc: Loc,
    pub approved_by: Option<String>,
    pub expires: String,
}

/// A recipient on the list of banned organisations: why it matched, the
/// decision, the ground and the sources.
#[derive(Debug, Clone)]
pub struct BannedNote {
    pub matched: crate::reference::banned::Matched,
    pub legal_name: String,
    pub decision: String,
    pub ground: String,
    pub sources: Vec<String>,
}

impl PartialEq for Evidence {
    fn eq(&self, other: &Self) -> bool {
        self.to_string() == other.to_string()
    }
}

impl Eq for Evidence {}

/// The evidence line. Evidence is data from the inputs and the network,
/// shown the same in every language.
impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Place(p) => p.fmt(f),
            Self::PersonalData(pd) => f.write_str(&pd.describe()),
            Self::Unknown(why) => f.write_str(why),
            Self::Sighting(s) => write!(f, "on the site: {}", s.describe()),
            Self::MoreSightings(n) => write!(
                f,
                "on the site: … and {n} more (see the site section of the report)"
            ),
            Self::Catalogue(Some(s)) => write!(
                f,
                "catalogue: {} — {}, {}; {} {}; source: {}",
                s.name,
                s.legal_entity,
                s.country,
                if s.collects {
                    "records"
                } else {
                    "serves files and sees"
                },
                s.receives.describe(),
                s.source
            ),
            Self::Catalogue(None) => f.write_str(
                "not in the catalogue: who runs it and where is unknown; treated as recording the visitor's data (fail closed)",
            ),
            Self::PlanTag(t) => write!(f, "{} tag {} = {} at {}", t.address, t.tag, t.value, t.loc),
            Self::PlanUnknown { address, why } => write!(f, "{address}: {why}"),
            Self::Requested(url) => write!(f, "requested {url}"),
            Self::Redirected(url) => write!(f, "redirected to {url}"),
            Self::HttpStatus(s) => write!(f, "HTTP {s}"),
            Self::Declaration { list, loc } => write!(f, "declarations.{list} at {loc}"),
            Self::Waiver(w) => match &w.approved_by {
                Some(by) => write!(
                    f,
                    "waiver at {}: approved by {by}, expires {}",
                    w.loc, w.expires
                ),
                None => write!(f, "waiver at {}: expires {}", w.loc, w.expires),
            },
            Self::ReportDate(d) => write!(f, "report date {d}"),
            Self::Policy {
                source,
                line,
                sentence,
            } => write!(f, "privacy policy {source}:{line}: «{sentence}»"),
            Self::Banned(b) => {
                write!(
                    f,
                    "matched by {}: {}, {}; ground: {}",
                    b.matched.describe(),
                    b.legal_name,
                    b.decision,
                    b.ground
                )?;
                for s in &b.sources {
                    write!(f, "; source: {s}")?;
                }
                Ok(())
            }
        }
    }
}

impl Serialize for Evidence {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// What identifies a finding across runs: its rule, what it is about and
/// its countries (sorted, once each). Messages, evidence and positions may
/// change without making it another finding. Baselines, `report
/// --compare`, SARIF and GitLab all use this one identity.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct FindingKey {
    pub rule: String,
    pub entity: String,
    pub countries: Vec<String>,
}

impl FindingKey {
    pub fn new(
        rule: impl Into<String>,
        entity: impl Into<String>,
        countries: impl IntoIterator<Item = String>,
    ) -> Self {
        let mut countries: Vec<String> = countries.into_iter().collect();
        countries.sort();
        countries.dedup();
        Self {
            rule: rule.into(),
            entity: entity.into(),
            countries,
        }
    }

    /// The stable fingerprint: FNV-1a, 128 bits, of the key's parts, as
    /// 32 hex digits.
    pub fn fingerprint(&self) -> String {
        format!("{:032x}", self.digest())
    }

    /// The fingerprint's value: what a baseline keeps of each earlier
    /// finding (16 bytes, not three strings).
    pub fn digest(&self) -> u128 {
        fnv128_value(&format!(
            "residency\0{}\0{}\0{}",
            self.rule,
            self.entity,
            self.countries.join(",")
        ))
    }
}

/// FNV-1a, 128 bits, as 32 hex digits.
pub fn fnv128(s: &str) -> String {
    format!("{:032x}", fnv128_value(s))
}

/// FNV-1a, 128 bits.
pub fn fnv128_value(s: &str) -> u128 {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013B;
    let mut h = OFFSET;
    for b in s.bytes() {
        h ^= u128::from(b);
        h = h.wrapping_mul(PRIME);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::{FindingKey, fnv128};

    #[test]
    fn fnv128_is_the_reference_function() {
        // FNV-1a 128 test vectors (draft-eastlake-fnv).
        assert_eq!(fnv128(""), "6c62272e07bb014262b821756295c58d");
        assert_eq!(fnv128("a"), "d228cb696f1a8caf78912b704e4a8964");
    }

    #[test]
    fn the_key_ignores_country_order_and_repeats() {
        let a = FindingKey::new("r", "e", ["US".into(), "DE".into()]);
        let b = FindingKey::new("r", "e", ["DE".into(), "US".into(), "DE".into()]);
        assert_eq!(a, b);
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert_ne!(
            a.fingerprint(),
            FindingKey::new("r", "e", ["DE".into()]).fingerprint()
        );
    }
}
