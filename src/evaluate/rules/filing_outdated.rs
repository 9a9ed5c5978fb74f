//! `filing-outdated`: the audit finds a foreign state, a recipient or a
//! database country that the notifications recorded in `filings:` do not
//! cover.
//!
//! Also the one place that says what the notifications must cover: the
//! observed cross-border flows ([`flows`]) and where the personal-data
//! databases are ([`database_places`]); `residency notify` drafts from them.

use std::collections::{BTreeMap, BTreeSet};

use crate::evaluate::territory;
use crate::evaluate::{Context, Finding, LabelNote, RuleMeta, Severity};
use crate::inventory::filings::{Filing, FilingKind};
use crate::inventory::{Entity, EntityKind, Loc};
use crate::reference::Country;

pub(crate) const META: RuleMeta = RuleMeta {
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
pub(crate) struct Flow {
    pub state: Country,
    /// The processor or partner receiving the data: the entity itself, or
    /// the processor operating a database. `None`: a database abroad whose
    /// operator the inventory does not name.
    pub recipient: Option<String>,
    /// The entity whose location shows the flow.
    pub via: String,
    /// `host -> address -> CC (source)` lines.
    pub evidence: Vec<String>,
    /// The state is the recipient's legal country, presumed because
    /// nothing places its data anywhere.
    pub presumed: bool,
    pub loc: Loc,
}

/// Where one database holding Russian citizens' personal data is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DatabasePlace {
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
        e.operated_by().map(str::to_string)
    }
}

/// Every cross-border flow the audit observed, by entity (inventory order),
/// then state.
pub(crate) fn flows(cx: &Context<'_>) -> Vec<Flow> {
    let mut out = Vec::new();
    for (e, loc, _) in cx.with_pd() {
        let judged = territory::judged(e, loc);
        for &state in &judged.abroad {
            let one = BTreeSet::from([state]);
            out.push(Flow {
                state,
                recipient: recipient_of(e),
                via: e.id.clone(),
                evidence: judged
                    .evidence(|| cx.evidence(loc, &one))
                    .iter()
                    .map(ToString::to_string)
                    .collect(),
                presumed: judged.presumed.is_some(),
                loc: e.loc.clone(),
            });
        }
    }
    out
}

/// Every database holding Russian citizens' personal data, with its
/// countries (observed, else declared).
pub(crate) fn database_places(cx: &Context<'_>) -> Vec<DatabasePlace> {
    cx.entities()
        .filter(|(e, _, _)| e.kind() == EntityKind::Database && e.holds_ru_pd())
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

/// A notification on record, as the message names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FiledRef {
    /// Days since 1970-01-01.
    pub date: i64,
    pub number: Option<String>,
}

/// What one entity has that the recorded filings do not cover.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub entity: String,
    /// A database holding Russian citizens' personal data.
    pub database: bool,
    /// Every country of the uncovered flows and database countries.
    pub countries: BTreeSet<Country>,
    /// States no cross-border filing names.
    pub new_states: BTreeSet<Country>,
    /// Recipients no cross-border filing names.
    pub new_recipients: BTreeSet<String>,
    /// Database countries no art. 22 filing states.
    pub new_database_countries: BTreeSet<Country>,
    /// The cross-border filings on record (when a state or recipient is new).
    pub cross_border: Vec<FiledRef>,
    /// The art. 22 filings on record (when a database country is new).
    pub art22: Vec<FiledRef>,
    /// The database countries the art. 22 filings state together.
    pub filed_database_countries: BTreeSet<Country>,
}

impl FiledRef {
    /// `№ 123 of 2023-02-20` / `№ 123 от 20.02.2023`, or the date alone.
    pub fn text(&self, ru: bool) -> String {
        let date = if ru {
            crate::inventory::filings::date_ru(self.date)
        } else {
            crate::util::day_text(self.date)
        };
        match (&self.number, ru) {
            (Some(n), false) => format!("№ {n} of {date}"),
            (Some(n), true) => format!("№ {n} от {date}"),
            (None, false) => format!("of {date}"),
            (None, true) => format!("от {date}"),
        }
    }

    /// The filings, comma-separated.
    pub fn list(filings: &[Self], ru: bool) -> String {
        filings
            .iter()
            .map(|f| f.text(ru))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn filed(filings: &[&Filing]) -> Vec<FiledRef> {
    filings
        .iter()
        .map(|f| FiledRef {
            date: f.date,
            number: f.number.clone(),
        })
        .collect()
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let on_record = &cx.inventory.filings;
    let cross: Vec<&Filing> = on_record
        .of_kind(|k| k == FilingKind::CrossBorder)
        .collect();
    let art22: Vec<&Filing> = on_record.of_kind(FilingKind::is_art22).collect();
    let covered_db = on_record.covered_database_countries();
    let mut gaps: BTreeMap<String, Facts> = BTreeMap::new();
    if !cross.is_empty() {
        let states = on_record.covered_states();
        let recipients = on_record.covered_recipients();
        for f in flows(cx) {
            let new_state = !states.contains(&f.state);
            let new_recipient = f.recipient.as_deref().filter(|r| !recipients.contains(r));
            if new_state || new_recipient.is_some() {
                let g = gaps.entry(f.via.clone()).or_default();
                g.countries.insert(f.state);
                if new_state {
                    g.new_states.insert(f.state);
                }
                g.new_recipients.extend(new_recipient.map(str::to_string));
                g.cross_border = filed(&cross);
            }
        }
    }
    if !art22.is_empty() {
        for place in database_places(cx) {
            let new: BTreeSet<Country> = place
                .countries
                .iter()
                .copied()
                .filter(|c| !covered_db.contains(c))
                .collect();
            if new.is_empty() {
                continue;
            }
            let g = gaps.entry(place.database.clone()).or_default();
            g.countries.extend(new.iter().copied());
            g.new_database_countries = new;
            g.art22 = filed(&art22);
            g.filed_database_countries = covered_db.clone();
        }
    }
    for (id, mut facts) in gaps {
        let Some(i) = cx.inventory.position(&id) else {
            continue;
        };
        let e = &cx.inventory.entities[i];
        let loc = &cx.resolved.locations[i];
        facts.entity = id;
        facts.database = e.kind() == EntityKind::Database && e.holds_ru_pd();
        let countries = facts.countries.clone();
        let evidence = territory::judged(e, loc).evidence(|| cx.evidence(loc, &countries));
        // The filing to update is a related place.
        let latest = if facts.new_database_countries.is_empty() {
            cross.last()
        } else {
            art22.last()
        };
        let mut finding = Finding::about(facts.into(), e, countries, evidence);
        if let Some(f) = latest {
            finding = finding.with_related(f.loc.clone(), LabelNote::Declaration);
        }
        out.push(finding);
    }
}
