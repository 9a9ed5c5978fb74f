//! The "Policy vs reality" section: each statement of the privacy policies
//! (`--policy`) with its verdict against the audit, for the table,
//! Markdown, HTML and JSON reports.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

use super::{Audit, Lang};
use crate::inventory::{Entity, EntityKind};
use crate::policy::{Claim, Policy, Statement};

/// How a statement stands against the audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// The audit agrees (the recipient or country is found; no data abroad).
    Confirmed,
    /// The audit finds the opposite.
    Contradicted,
    /// The audit does not find what the statement names.
    NotFound,
    /// Nothing to compare (a transfer stated, a vague category).
    Noted,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::Contradicted => "contradicted",
            Self::NotFound => "not-found",
            Self::Noted => "noted",
        }
    }

    fn label(self, lang: Lang) -> &'static str {
        let tx = lang.text();
        match self {
            Self::Confirmed => tx.claim_confirmed,
            Self::Contradicted => tx.claim_contradicted,
            Self::NotFound => tx.claim_not_found,
            Self::Noted => tx.claim_noted,
        }
    }
}

/// One statement with its verdict.
#[derive(Debug, Clone, Serialize)]
pub struct Row<'a> {
    #[serde(skip)]
    pub policy: &'a Policy,
    #[serde(flatten)]
    pub statement: &'a Statement,
    pub status: Status,
    /// The inventory entities the verdict rests on (found, contradicting,
    /// covered).
    pub entities: Vec<String>,
}

impl Row<'_> {
    /// The verdict in words: `CONTRADICTED: offsite-backups, amplitude`.
    pub fn verdict(&self, lang: Lang) -> String {
        if self.entities.is_empty() {
            self.status.label(lang).to_string()
        } else {
            format!("{}: {}", self.status.label(lang), self.entities.join(", "))
        }
    }
}

/// Every statement of every policy, with its verdict.
pub(crate) fn rows<'a>(a: &'a Audit) -> Vec<Row<'a>> {
    let inv = &a.inventory;
    // (source:line) → the entities whose policy-contradicted finding cites it.
    let mut contradicted: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in a.findings.iter().chain(a.waived.iter().map(|w| &w.finding)) {
        if let crate::evaluate::Facts::PolicyContradicted(x) = &f.facts {
            for at in &x.lines {
                contradicted
                    .entry(at.clone())
                    .or_default()
                    .insert(f.entity.clone());
            }
        }
    }
    let with_pd: Vec<&Entity> = inv
        .entities
        .iter()
        .zip(&a.pd)
        .filter(|(e, pd)| pd.is_some() && e.is_third_party())
        .map(|(e, _)| e)
        .collect();
    let operators: BTreeSet<&str> = inv
        .entities
        .iter()
        .filter(|d| d.holds_ru_pd())
        .filter_map(|d| d.operated_by())
        .collect();
    let hosting = |id: &str| operators.contains(id);
    // Country → the entities located there (once, not per statement).
    let mut in_country: BTreeMap<crate::reference::Country, Vec<&String>> = BTreeMap::new();
    for (e, l) in inv.entities.iter().zip(&a.resolved.locations) {
        for c in &l.countries {
            in_country.entry(*c).or_default().push(&e.id);
        }
    }
    // Category → the recipients it covers (once per category).
    let mut covered: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let mut out = Vec::new();
    for p in &a.policies {
        for s in &p.statements {
            let (status, entities) = match &s.claim {
                Claim::Localisation | Claim::NoTransfer => {
                    match contradicted.get(&format!("{}:{}", p.source, s.line)) {
                        Some(ids) => (Status::Contradicted, ids.iter().cloned().collect()),
                        None => (Status::Confirmed, Vec::new()),
                    }
                }
                Claim::Transfer => (Status::Noted, Vec::new()),
                Claim::Recipient(r) => {
                    let ids: BTreeSet<String> = r
                        .entities
                        .iter()
                        .map(String::as_str)
                        .chain(r.services.iter().copied())
                        .filter(|id| {
                            inv.entity(id)
                                .is_some_and(|e| e.kind() != EntityKind::Database)
                        })
                        .map(str::to_string)
                        .collect();
                    found(ids.into_iter().collect())
                }
                Claim::Country { countries, .. } => {
                    let ids: BTreeSet<&String> = countries
                        .iter()
                        .filter_map(|c| in_country.get(c))
                        .flatten()
                        .copied()
                        .collect();
                    found(ids.into_iter().cloned().collect())
                }
                Claim::Category { id, enumerated, .. } => {
                    match crate::policy::category(id).filter(|c| !c.covers.is_empty()) {
                        Some(c) if !enumerated => {
                            let ids = covered
                                .entry(c.id)
                                .or_insert_with(|| {
                                    with_pd
                                        .iter()
                                        .filter(|e| crate::policy::covers(c, e, hosting(&e.id)))
                                        .map(|e| e.id.clone())
                                        .collect()
                                })
                                .clone();
                            if ids.is_empty() {
                                (Status::Noted, ids)
                            } else {
                                (Status::Confirmed, ids)
                            }
                        }
                        _ => (Status::Noted, Vec::new()),
                    }
                }
            };
            out.push(Row {
                policy: p,
                statement: s,
                status,
                entities,
            });
        }
    }
    out
}

fn found(ids: Vec<String>) -> (Status, Vec<String>) {
    if ids.is_empty() {
        (Status::NotFound, ids)
    } else {
        (Status::Confirmed, ids)
    }
}

/// What a statement says, in the report's language.
pub(crate) fn says(c: &Claim, lang: Lang) -> String {
    lang.claim(c)
}

fn title(lang: Lang) -> &'static str {
    lang.text().policy_title
}

/// The Markdown section (empty without `--policy`).
pub(crate) fn markdown(a: &Audit, lang: Lang) -> String {
    use super::markdown::text;
    let mut o = String::new();
    if a.policies.is_empty() {
        return o;
    }
    let _ = writeln!(o, "## {}\n", title(lang));
    let [line, says_h, verdict, sentence] = lang.text().policy_headers;
    let _ = writeln!(
        o,
        "| {line} | {says_h} | {verdict} | {sentence} |\n|---|---|---|---|"
    );
    for r in rows(a) {
        let _ = writeln!(
            o,
            "| {}:{} | {} | {} | {} |",
            text(&r.policy.source),
            r.statement.line,
            text(&says(&r.statement.claim, lang)),
            text(&r.verdict(lang)),
            text(&r.statement.sentence)
        );
    }
    o.push('\n');
    o
}

/// The table section (empty without `--policy`).
pub(crate) fn table(a: &Audit, lang: Lang, width: u16) -> String {
    if a.policies.is_empty() {
        return String::new();
    }
    let mut t = comfy_table::Table::new();
    t.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
    t.force_no_tty();
    t.set_width(width);
    t.set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
    t.set_header(lang.text().policy_headers.to_vec());
    for r in rows(a) {
        t.add_row(vec![
            format!("{}:{}", r.policy.source, r.statement.line),
            says(&r.statement.claim, lang),
            r.verdict(lang),
            clip(&r.statement.sentence, 160),
        ]);
    }
    format!("{}\n{t}\n\n", title(lang))
}

/// At most `max` characters, with an ellipsis (the table; other formats
/// show the whole sentence).
fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// One policy in the JSON report: what was read, and each statement with
/// its verdict.
#[derive(Debug, Serialize)]
pub struct PolicyOut<'a> {
    pub source: &'a str,
    pub format: &'static str,
    pub sentences: usize,
    pub statements: Vec<Row<'a>>,
}

pub(crate) fn json<'a>(a: &'a Audit) -> Vec<PolicyOut<'a>> {
    let mut rows = rows(a);
    a.policies
        .iter()
        .map(|p| PolicyOut {
            source: &p.source,
            format: p.format.as_str(),
            sentences: p.sentences,
            statements: {
                let (mine, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut rows)
                    .into_iter()
                    .partition(|r| std::ptr::eq(r.policy, p));
                rows = rest;
                mine
            },
        })
        .collect()
}
