//! Stage 3: the rules of 152-FZ applied to where the data is → findings.
//!
//! One file per rule under `rules/`, each with its id, default severity,
//! one-sentence description and legal citation; [`registry::RULES`] lists
//! them in a fixed order. Findings are sorted (severity, rule, entity) so
//! that the same inputs always give the same report.

pub mod baseline;
pub mod context;
pub mod finding;
pub mod registry;
pub(crate) mod rules;
pub(crate) mod territory;
pub mod waivers;

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

pub use context::Context;
pub use finding::{Evidence, Finding, FindingKey, Label, LabelNote};
pub use registry::{Facts, RuleId};

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

/// A word that is not a severity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown severity `{0}` (critical, high, medium, low, info)")]
pub struct UnknownSeverity(pub String);

impl FromStr for Severity {
    type Err = UnknownSeverity;
    fn from_str(s: &str) -> Result<Self, UnknownSeverity> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| UnknownSeverity(s.to_string()))
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
    type Err = UnknownSeverity;
    fn from_str(s: &str) -> Result<Self, UnknownSeverity> {
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

impl RuleMeta {
    /// The KoAP 13.11 fine that may apply, in English: the "Fine" cell of
    /// the summary table that opens the rule's page (the one source of
    /// truth); `None` when the page says "—".
    pub fn fine(&self) -> Option<&'static str> {
        summary_cell(self.doc_en, 3).filter(|c| *c != "—")
    }

    /// The same, in Russian, from the Russian page.
    pub fn fine_ru(&self) -> Option<&'static str> {
        summary_cell(self.doc_ru, 3).filter(|c| *c != "—")
    }
}

/// Cell `col` of the first data row of the first Markdown table of a page.
fn summary_cell(page: &'static str, col: usize) -> Option<&'static str> {
    let mut rows = page
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'));
    let header = rows.next()?;
    let sep = rows.next()?;
    let row = rows.next()?;
    if !sep.starts_with("|---") || header.matches('|').count() != row.matches('|').count() {
        return None;
    }
    row.trim()
        .trim_matches('|')
        .split('|')
        .nth(col)
        .map(str::trim)
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

/// Run every rule of the registry: the audit rules, then the rules about
/// waivers (which see the audit rules' findings). Findings sorted.
pub fn evaluate(cx: &Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for rule in registry::RULES {
        if let registry::Phase::Audit(check) = rule.phase {
            check(cx, &mut findings);
        }
    }
    let mut about_waivers = Vec::new();
    for rule in registry::RULES {
        if let registry::Phase::Waivers(check) = rule.phase {
            check(cx, &findings, &mut about_waivers);
        }
    }
    findings.append(&mut about_waivers);
    if let Some(site) = cx.site {
        site_evidence(site, &mut findings);
    }
    sort_in_place(&mut findings);
    findings.dedup();
    findings
}

/// Sort by (severity, rule, entity), ties in the order the rules found
/// them, without the buffer of half the findings a stable sort takes: an
/// index permutation is sorted instead, then applied by swapping.
fn sort_in_place(findings: &mut [Finding]) {
    let mut order: Vec<usize> = (0..findings.len()).collect();
    order.sort_unstable_by(|&a, &b| (findings[a].sort_key(), a).cmp(&(findings[b].sort_key(), b)));
    permute(findings, order);
}

/// Put `v[order[i]]` at `i`, in place (`order` a permutation): each cycle
/// is followed once.
fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut i = start;
        while order[i] != start {
            let next = order[i];
            v.swap(i, next);
            order[i] = i;
            i = next;
        }
        order[i] = i;
    }
}

/// Sightings shown per finding at most; the report's site section has all.
const SIGHTINGS_SHOWN: usize = 3;

/// Every finding about an entity the web site loads gets the pages and
/// elements as evidence: where a user can see the transfer happen.
fn site_evidence(site: &crate::site::SiteAudit, findings: &mut [Finding]) {
    for f in findings {
        let seen: Vec<&crate::site::Sighting> = site.sightings_of(&f.entity).collect();
        for s in seen.iter().take(SIGHTINGS_SHOWN) {
            f.evidence.push(Evidence::Sighting(Box::new((*s).clone())));
        }
        if seen.len() > SIGHTINGS_SHOWN {
            f.evidence
                .push(Evidence::MoreSightings(seen.len() - SIGHTINGS_SHOWN));
        }
    }
}

#[cfg(test)]
mod permute_tests {
    #[test]
    fn permute_matches_a_gather() {
        let mut seed = 7u64;
        for n in [0usize, 1, 2, 3, 10, 257] {
            let v: Vec<u64> = (0..n as u64).map(|i| i * 31 % 17).collect();
            let mut order: Vec<usize> = (0..n).collect();
            for i in (1..n).rev() {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                order.swap(i, (seed >> 33) as usize % (i + 1));
            }
            let want: Vec<u64> = order.iter().map(|&i| v[i]).collect();
            let mut got = v.clone();
            super::permute(&mut got, order);
            assert_eq!(got, want, "n = {n}");
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn severities_and_thresholds_parse_or_are_typed_errors() {
        use super::{FailOn, Severity, UnknownSeverity};
        assert_eq!("high".parse::<Severity>(), Ok(Severity::High));
        assert_eq!("never".parse::<FailOn>(), Ok(FailOn::Never));
        assert_eq!("low".parse::<FailOn>(), Ok(FailOn::At(Severity::Low)));
        let e = "HIGH".parse::<FailOn>().unwrap_err();
        assert_eq!(e, UnknownSeverity("HIGH".into()));
        assert_eq!(
            e.to_string(),
            "unknown severity `HIGH` (critical, high, medium, low, info)"
        );
    }

    #[test]
    fn every_rule_page_states_its_fine_in_both_languages() {
        for r in super::registry::RULES {
            let m = r.meta;
            let en = super::summary_cell(m.doc_en, 3);
            let ru = super::summary_cell(m.doc_ru, 3);
            assert!(en.is_some() && ru.is_some(), "{}: summary table", m.id);
            assert_eq!(m.fine().is_some(), m.fine_ru().is_some(), "{}", m.id);
            assert_eq!(super::summary_cell(m.doc_en, 0), Some(m.severity.as_str()));
        }
        let p = super::registry::find("primary-outside-ru").unwrap().meta;
        assert_eq!(
            p.fine(),
            Some(
                "legal entities 1–6 M RUB (part 8), repeat 6–18 M RUB (part 9); officials 100–200 k / 500–800 k RUB; citizens 30–50 k / 50–100 k RUB"
            )
        );
        assert_eq!(
            p.fine_ru(),
            Some(
                "юридические лица — 1–6 млн руб. (ч. 8), повторно 6–18 млн руб. (ч. 9); должностные лица — 100–200 тыс. / 500–800 тыс. руб.; граждане — 30–50 тыс. / 50–100 тыс. руб."
            )
        );
        let u = super::registry::find("unused-declaration").unwrap().meta;
        assert_eq!(u.fine(), None);
    }
}
