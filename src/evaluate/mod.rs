//! Stage 3: the rules of 152-FZ applied to where the data is → findings.
//!
//! One file per rule under `rules/`, each with its id, default severity,
//! one-sentence description and legal citation; [`registry::RULES`] lists
//! them in a fixed order. Findings are sorted (severity, rule, entity) so
//! that the same inputs always give the same report.

pub mod baseline;
pub mod context;
pub mod registry;
pub mod rules;
pub mod waivers;

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::inventory::Loc;
use crate::reference::Country;
pub use context::Context;

/// How bad a finding is; `Critical` sorts first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Critical,
    High,
    Medium,
    Low,
    Info,
}

impl Severity {
    pub const ALL: [Self; 5] = [
        Self::Critical,
        Self::High,
        Self::Medium,
        Self::Low,
        Self::Info,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Critical => "critical",
            Self::High => "high",
            Self::Medium => "medium",
            Self::Low => "low",
            Self::Info => "info",
        }
    }

    /// At least as severe as `threshold`.
    pub fn at_least(self, threshold: Self) -> bool {
        self <= threshold
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| format!("unknown severity `{s}` (critical, high, medium, low, info)"))
    }
}

/// The threshold of the CI gate: `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    At(Severity),
    Never,
}

impl FailOn {
    pub fn fails(self, s: Severity) -> bool {
        match self {
            Self::At(t) => s.at_least(t),
            Self::Never => false,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::At(s) => s.as_str(),
            Self::Never => "never",
        }
    }
}

impl FromStr for FailOn {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s == "never" {
            Ok(Self::Never)
        } else {
            s.parse().map(Self::At)
        }
    }
}

/// A rule's fixed description.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable id, kebab-case: public API.
    pub id: &'static str,
    pub severity: Severity,
    /// One sentence, lower case, no trailing period: the problem.
    pub description: &'static str,
    /// The legal citation, or "—".
    pub law: &'static str,
    /// The citation in Russian (152-ФЗ ст. 18 ч. 5).
    pub law_ru: &'static str,
    /// The description in Russian.
    pub description_ru: &'static str,
    /// The rule's page (`docs/rules/en/<id>.md`): what, why, how to fix.
    pub doc_en: &'static str,
    /// The same page in Russian (`docs/rules/ru/<id>.md`).
    pub doc_ru: &'static str,
}

/// One problem found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub entity: String,
    pub countries: Vec<Country>,
    pub message: String,
    /// The same message in Russian.
    pub message_ru: String,
    pub evidence: Vec<String>,
    #[serde(skip)]
    pub location: Loc,
}

impl Finding {
    fn sort_key(&self) -> impl Ord + '_ {
        (
            self.severity,
            self.rule,
            &self.entity,
            &self.countries,
            &self.message,
            &self.location,
        )
    }
}

/// Counts per severity and the gate's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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

impl Summary {
    pub fn of(findings: &[Finding], fail_on: FailOn) -> Self {
        let count = |s| findings.iter().filter(|f| f.severity == s).count();
        Self {
            critical: count(Severity::Critical),
            high: count(Severity::High),
            medium: count(Severity::Medium),
            low: count(Severity::Low),
            info: count(Severity::Info),
            failed: findings.iter().any(|f| fail_on.fails(f.severity)),
            waived: 0,
            baseline_known: 0,
        }
    }

    pub fn count(&self, s: Severity) -> usize {
        match s {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
            Severity::Info => self.info,
        }
    }

    pub fn total(&self) -> usize {
        self.critical + self.high + self.medium + self.low + self.info
    }
}

/// Run every rule of the registry; findings sorted.
pub fn evaluate(cx: &Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for rule in registry::RULES {
        (rule.check)(cx, &mut findings);
    }
    for f in &mut findings {
        name_planned_resources(f);
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup();
    findings
}

/// A finding that rests on a Terraform plan names the planned resources in
/// its message, so that a CI log says which resource to change.
fn name_planned_resources(f: &mut Finding) {
    if f.rule == rules::unlisted_storage::META.id {
        return;
    }
    let mut addresses: Vec<&str> = f
        .evidence
        .iter()
        .filter_map(|e| {
            let i = e.rfind("(terraform:")?;
            e[i + "(terraform:".len()..].strip_suffix(')')
        })
        .collect();
    if addresses.is_empty() {
        return;
    }
    addresses.sort_unstable();
    addresses.dedup();
    let list = addresses.join(", ");
    f.message
        .push_str(&format!(" (planned by Terraform: {list})"));
    f.message_ru
        .push_str(&format!(" (по плану Terraform: {list})"));
}

/// `DE, US` — a country list for messages.
pub(crate) fn list(countries: &BTreeSet<Country>) -> String {
    countries
        .iter()
        .map(Country::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}
