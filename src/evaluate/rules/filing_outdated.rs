//! `filing-outdated`: the audit finds a foreign state, a recipient or a
//! database country that the notifications recorded in `filings:` do not
//! cover.
//!
//! Also the one place that says what the notifications must cover: the
//! observed cross-border flows ([`flows`]) and where the personal-data
//! databases are ([`database_places`]); `residency notify` drafts from them.

use std::collections::{BTreeMap, BTreeSet};

use crate::evaluate::context::abroad;
use crate::evaluate::{Context, Finding, RuleMeta, Severity, list};
use crate::inventory::filings::{Filing, FilingKind};
use crate::inventory::{Entity, EntityKind, Loc};
use crate::reference::Country;

pub const META: RuleMeta = RuleMeta {
    id: "filing-outdated",
    severity: Severity::High,
    description: "the audit finds a state, recipient or database country that the recorded Roskomnadzor filings do not cover",
    law: "152-FZ art. 12 p. 3, 4; art. 22 p. 3 point 10.1, p. 7",
    law_ru: "ч. 3, 4 ст. 12, п. 10.1 ч. 3 и ч. 7 ст. 22 152-ФЗ",
    description_ru: "аудит находит государство, получателя или страну базы данных, которых нет в поданных в Роскомнадзор уведомлениях",
    doc_en: include_str!("../../../docs/rules/en/filing-outdated.md"),
    doc_ru: include_str!("../../../docs/rules/ru/filing-outdated.md"),
};

/// One observed cross-border flow: personal data reaches `state` through
/// the entity `via`, received by `recipient`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    pub state: Country,
    /// The processor or partner receiving the data: the entity itself, or
    /// the processor operating a database. `None`: a database abroad whose
    /// operator the inventory does not name.
    pub recipient: Option<String>,
    /// The entity whose location shows the flow.
    pub via: String,
    /// `host -> address -> CC (source)` lines.
    pub evidence: Vec<String>,
    pub loc: Loc,
}

/// Where one database holding Russian citizens' personal data is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabasePlace {
    pub database: String,
    pub countries: BTreeSet<Country>,
    /// Some host could not be resolved or placed, or nothing is known.
    pub unknown: bool,
    /// Per country, the `host -> address -> CC (source)` lines.
    pub evidence: Vec<(Country, String)>,
    pub loc: Loc,
}

/// The recipient of a flow through `e`.
fn recipient_of(e: &Entity) -> Option<String> {
    if e.is_third_party() {
        Some(e.id.clone())
    } else {
        e.operated_by.clone()
    }
}

/// Every cross-border flow the audit observed, by entity (inventory order),
/// then state.
pub fn flows(cx: &Context<'_>) -> Vec<Flow> {
    let mut out = Vec::new();
    for (e, loc, _) in cx.with_pd() {
        for state in abroad(loc) {
            out.push(Flow {
                state,
                recipient: recipient_of(e),
                via: e.id.clone(),
                evidence: loc.evidence_for(state).collect(),
                loc: e.loc.clone(),
            });
        }
    }
    out
}

/// Every database holding Russian citizens' personal data, with its
/// countries (observed, else declared).
pub fn database_places(cx: &Context<'_>) -> Vec<DatabasePlace> {
    cx.entities()
        .filter(|(e, _, _)| e.kind == EntityKind::Database && e.holds_ru_pd())
        .map(|(e, loc, _)| DatabasePlace {
            database: e.id.clone(),
            countries: loc.countries.clone(),
            unknown: !loc.unknown.is_empty() || loc.countries.is_empty(),
            evidence: loc
                .countries
                .iter()
                .flat_map(|&c| loc.evidence_for(c).map(move |l| (c, l)))
                .collect(),
            loc: e.loc.clone(),
        })
        .collect()
}

fn refs(filings: &[&Filing], ru: bool) -> String {
    filings
        .iter()
        .map(|f| if ru { f.reference_ru() } else { f.reference() })
        .collect::<Vec<_>>()
        .join(", ")
}

/// What one entity has that the filings do not cover.
#[derive(Default)]
struct Gap<'a> {
    /// Every country of the uncovered flows and database countries.
    countries: BTreeSet<Country>,
    new_states: BTreeSet<Country>,
    new_recipients: BTreeSet<&'a str>,
    new_database_countries: BTreeSet<Country>,
    evidence: Vec<String>,
}

pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let filed = &cx.inventory.filings;
    let cross: Vec<&Filing> = filed.of_kind(|k| k == FilingKind::CrossBorder).collect();
    let art22: Vec<&Filing> = filed.of_kind(FilingKind::is_art22).collect();
    // One finding per entity, in inventory order.
    let mut gaps: BTreeMap<String, Gap<'_>> = BTreeMap::new();
    let all = flows(cx);
    if !cross.is_empty() {
        let states = filed.covered_states();
        let recipients = filed.covered_recipients();
        for f in &all {
            let new_state = !states.contains(&f.state);
            let new_recipient = f.recipient.as_deref().filter(|r| !recipients.contains(r));
            if new_state || new_recipient.is_some() {
                let g = gaps.entry(f.via.clone()).or_default();
                g.countries.insert(f.state);
                if new_state {
                    g.new_states.insert(f.state);
                }
                g.new_recipients.extend(new_recipient);
                g.evidence.extend(f.evidence.iter().cloned());
            }
        }
    }
    if !art22.is_empty() {
        let covered = filed.covered_database_countries();
        for place in database_places(cx) {
            let new: BTreeSet<Country> = place
                .countries
                .iter()
                .copied()
                .filter(|c| !covered.contains(c))
                .collect();
            if new.is_empty() {
                continue;
            }
            let g = gaps.entry(place.database.clone()).or_default();
            for (c, line) in &place.evidence {
                if new.contains(c) && !g.evidence.contains(line) {
                    g.evidence.push(line.clone());
                }
            }
            g.countries.extend(new.iter().copied());
            g.new_database_countries = new;
        }
    }
    let covered_db = filed.covered_database_countries();
    for (id, g) in gaps {
        let Some(e) = cx.inventory.entity(&id) else {
            continue;
        };
        let mut en = Vec::new();
        let mut ru = Vec::new();
        if !g.new_states.is_empty() || !g.new_recipients.is_empty() {
            let mut what = Vec::new();
            let mut what_ru = Vec::new();
            if !g.new_states.is_empty() {
                what.push(format!("the state {}", list(&g.new_states)));
                what_ru.push(format!("государство {}", list(&g.new_states)));
            }
            for r in &g.new_recipients {
                what.push(format!("the recipient `{r}`"));
                what_ru.push(format!("получателя «{r}»"));
            }
            en.push(format!(
                "the cross-border notifications on record ({}) do not name {}: file a notification before the transfer (152-FZ art. 12 p. 3, 4; draft: `residency notify --kind cross-border`)",
                refs(&cross, false),
                what.join(" or ")
            ));
            ru.push(format!(
                "поданные уведомления о трансграничной передаче ({}) не называют {}: уведомление подаётся до начала передачи (ч. 3, 4 ст. 12 152-ФЗ; черновик: `residency notify --kind cross-border`)",
                refs(&cross, true),
                what_ru.join(" и ")
            ));
        }
        if !g.new_database_countries.is_empty() {
            en.push(format!(
                "the art. 22 notifications on record ({}) state databases in {} only: file a change notification (152-FZ art. 22 p. 3 point 10.1, p. 7; draft: `residency notify --kind change`)",
                refs(&art22, false),
                or_none(&covered_db),
            ));
            ru.push(format!(
                "поданные уведомления по ст. 22 ({}) указывают в качестве места нахождения баз данных только {}: нужно уведомление об изменении сведений (п. 10.1 ч. 3, ч. 7 ст. 22 152-ФЗ; черновик: `residency notify --kind change`)",
                refs(&art22, true),
                or_none(&covered_db),
            ));
        }
        let (subject, subject_ru) = if e.kind == EntityKind::Database && e.holds_ru_pd() {
            (
                format!(
                    "database `{id}` with Russian citizens' personal data is in {}",
                    list(&g.countries)
                ),
                format!(
                    "база данных «{id}» с персональными данными граждан РФ находится в {}",
                    list(&g.countries)
                ),
            )
        } else {
            (
                format!(
                    "personal data reaches {} through `{id}`",
                    list(&g.countries)
                ),
                format!(
                    "персональные данные попадают в {} через «{id}»",
                    list(&g.countries)
                ),
            )
        };
        out.push(Finding::about(
            &META,
            e,
            g.countries.iter().copied(),
            format!("{subject}, but {}", en.join("; and ")),
            format!("{subject_ru}, но {}", ru.join("; кроме того, ")),
            g.evidence,
        ));
    }
}

fn or_none(c: &BTreeSet<Country>) -> String {
    if c.is_empty() { "—".into() } else { list(c) }
}
