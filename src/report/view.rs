//! The report view model: what every format shows, computed once from the
//! evaluated [`Audit`] — the verdict, the waiver notes, the rows of "where
//! the data is", the rules with their counts, each finding's words. The
//! renderers (table, JSON, Markdown, HTML, SARIF, JUnit, GitLab, GitHub)
//! only format it, so they cannot disagree.
//!
//! Rows are produced by iterators, on demand: a 100,000-entity audit is
//! never copied per format.

use std::collections::HashMap;

use super::words::Message;
use super::{Audit, Lang};
use crate::evaluate::waivers::Waived;
use crate::evaluate::{Finding, RuleMeta, Severity, registry};
use crate::inventory::{Entity, Seen, Waiver};
use crate::reference::Country;

/// The report of one audit in one language.
pub struct View<'a> {
    pub audit: &'a Audit,
    pub lang: Lang,
    /// The one-line verdict.
    pub verdict: String,
    /// Findings per rule, in registry order.
    rule_counts: Vec<usize>,
    /// The worst severity of the findings about each entity id.
    worst: HashMap<&'a str, Severity>,
}

/// A finding with its words in the view's language.
pub struct FindingRow<'a> {
    pub finding: &'a Finding,
    pub message: Message,
    pub meta: &'static RuleMeta,
    pub law: &'static str,
    pub fine: Option<&'static str>,
}

/// A waived finding and the waiver that set it aside.
pub struct WaivedRow<'a> {
    pub row: FindingRow<'a>,
    pub waiver: Option<&'a Waiver>,
    /// "until …, approved by …: reason (citation)", localised.
    pub note: Option<WaiverNote<'a>>,
}

/// What a waiver says, in the view's language.
pub struct WaiverNote<'a> {
    pub expires: String,
    pub approved_by: &'a str,
    pub reason: &'a str,
    /// The legal ground of the reason code, localised.
    pub citation: Option<&'static str>,
    pub loc: &'a crate::inventory::Loc,
}

/// One row of "where the data is".
pub struct EntityRow<'a> {
    pub entity: &'a Entity,
    pub kind: String,
    /// holds / receives / collects, or empty.
    pub pd: &'static str,
    pub countries: Vec<Country>,
    /// How the countries were established: sources, sorted, once each.
    pub how: Vec<String>,
    pub unknown: &'a [crate::resolve::Unknown],
    /// Any country abroad, or none known.
    pub abroad: bool,
}

/// One rule of the rules table.
pub struct RuleRow {
    pub meta: &'static RuleMeta,
    pub count: usize,
    pub description: &'static str,
    pub law: &'static str,
    pub fine: &'static str,
}

impl<'a> View<'a> {
    pub fn new(audit: &'a Audit, lang: Lang) -> Self {
        let mut rule_counts = vec![0; registry::RULES.len()];
        let mut worst: HashMap<&str, Severity> = HashMap::new();
        for f in &audit.findings {
            rule_counts[f.rule as usize] += 1;
            worst
                .entry(f.entity.as_str())
                .and_modify(|s| *s = (*s).min(f.severity))
                .or_insert(f.severity);
        }
        Self {
            audit,
            lang,
            verdict: verdict(audit, lang),
            rule_counts,
            worst,
        }
    }

    /// The worst severity of the findings about an entity.
    pub fn worst(&self, entity: &str) -> Option<Severity> {
        self.worst.get(entity).copied()
    }

    pub fn row(&self, f: &'a Finding) -> FindingRow<'a> {
        let meta = f.rule.meta();
        FindingRow {
            finding: f,
            message: self.lang.message(f),
            meta,
            law: self.lang.law(meta),
            fine: self.lang.fine(meta),
        }
    }

    /// The findings of one severity.
    pub fn findings(&self, sev: Severity) -> impl Iterator<Item = FindingRow<'a>> + '_ {
        self.audit
            .findings
            .iter()
            .filter(move |f| f.severity == sev)
            .map(|f| self.row(f))
    }

    pub fn waived(&self) -> impl Iterator<Item = WaivedRow<'a>> + '_ {
        self.audit.waived.iter().map(|w| self.waived_row(w))
    }

    pub fn waived_row(&self, w: &'a Waived) -> WaivedRow<'a> {
        let waiver = self.audit.inventory.waivers.get(w.waiver);
        WaivedRow {
            row: self.row(&w.finding),
            waiver,
            note: waiver.map(|v| waiver_note(v, self.lang)),
        }
    }

    pub fn entities(&self) -> impl Iterator<Item = EntityRow<'a>> + '_ {
        let a = self.audit;
        let lang = self.lang;
        a.inventory
            .entities
            .iter()
            .zip(&a.resolved.locations)
            .zip(&a.pd)
            .map(move |((e, l), pd)| {
                let mut how: Vec<String> =
                    l.evidence.iter().map(|ev| ev.source.to_string()).collect();
                how.sort();
                how.dedup();
                let countries: Vec<Country> = l.countries.iter().copied().collect();
                EntityRow {
                    entity: e,
                    kind: match e.seen {
                        Seen::Declared => lang.kind_role(e.kind(), e.role()),
                        Seen::Site(_) => lang.kind_seen_on_site(e.kind()),
                    },
                    pd: pd.as_ref().map_or("", |p| lang.pd_label(p)),
                    abroad: countries.is_empty() || countries.iter().any(|c| !c.is_ru()),
                    countries,
                    how,
                    unknown: &l.unknown,
                }
            })
    }

    pub fn rules(&self) -> impl Iterator<Item = RuleRow> + '_ {
        registry::RULES.iter().map(|r| RuleRow {
            meta: r.meta,
            count: self.rule_counts[r.id as usize],
            description: self.lang.description(r.meta),
            law: self.lang.law(r.meta),
            fine: self.lang.fine(r.meta).unwrap_or("—"),
        })
    }
}

/// What a waiver says, localised: the same in every format.
pub fn waiver_note(v: &Waiver, lang: Lang) -> WaiverNote<'_> {
    WaiverNote {
        expires: v.expires_text(),
        approved_by: &v.approved_by,
        reason: &v.reason,
        citation: v.reason_code.map(|c| lang.citation(c)),
        loc: &v.loc,
    }
}

impl WaiverNote<'_> {
    /// `reason (citation)`.
    pub fn reason_text(&self) -> String {
        match self.citation {
            Some(c) => format!("{} ({c})", self.reason),
            None => self.reason.to_string(),
        }
    }
}

/// The one-line verdict: `FAILED: 3 findings: 1 critical, 2 high (gate:
/// --fail-on high); 1 waived; 21 known from baseline b.json left out`.
pub fn verdict(a: &Audit, lang: Lang) -> String {
    let s = &a.summary;
    let tx = lang.text();
    let counts = lang.severity_counts(&a.severity_counts());
    let verdict = if s.failed { tx.failed } else { tx.passed };
    let total = s.total();
    let findings = if a.baseline.is_some() {
        lang.new_findings(total)
    } else {
        lang.findings(total)
    };
    let mut line = format!(
        "{verdict}: {findings}{} ({}: --fail-on {})",
        if counts.is_empty() {
            String::new()
        } else {
            format!(": {counts}")
        },
        tx.gate,
        a.fail_on.as_str()
    );
    if s.waived > 0 {
        line.push_str("; ");
        line.push_str(&lang.waived(s.waived));
    }
    if !a.waivers_applied && !a.inventory.waivers.is_empty() {
        line.push_str("; ");
        line.push_str(tx.waivers_not_applied);
    }
    if let Some(b) = &a.baseline {
        line.push_str("; ");
        line.push_str(&lang.baseline_left_out(b.known, &b.file));
        if b.fixed > 0 {
            line.push_str(", ");
            line.push_str(&lang.fixed_since(b.fixed));
        }
    }
    line
}
