//! `primary-outside-ru`: the first recording of Russian citizens' personal
//! data happens outside Russia.

use crate::evaluate::context::PdReason;
use crate::evaluate::territory;
use std::collections::BTreeSet;

use crate::evaluate::{Context, Finding, RuleMeta, Severity};
use crate::inventory::{EntityKind, Role};
use crate::reference::Country;

pub(crate) const META: RuleMeta = RuleMeta {
    id: "primary-outside-ru",
    severity: Severity::Critical,
    description: "personal data of Russian citizens is first recorded outside Russia",
    law: "152-FZ art. 18 p. 5",
    law_ru: "ч. 5 ст. 18 152-ФЗ",
    description_ru: "персональные данные граждан РФ первично записываются за пределами России",
    doc_en: include_str!("../../../docs/rules/en/primary-outside-ru.md"),
    doc_ru: include_str!("../../../docs/rules/ru/primary-outside-ru.md"),
};

/// `entity` (a primary database, or a recipient that collects from users)
/// records personal data in `countries`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub entity: String,
    /// A primary database (else a processor or partner collecting directly).
    pub database: bool,
    pub countries: BTreeSet<Country>,
    /// The countries are the collecting party's legal country, presumed
    /// because it has no observed or declared territory.
    pub presumed: bool,
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for (e, loc, pd) in cx.with_pd() {
        let first_recording = match e.kind() {
            EntityKind::Database => e.role() == Some(Role::Primary),
            _ => *pd == PdReason::CollectsFromSubjects,
        };
        if !first_recording {
            continue;
        }
        let judged = territory::judged(e, loc);
        let countries = judged.abroad.clone();
        if countries.is_empty() {
            continue;
        }
        let evidence = judged.evidence(|| cx.evidence(loc, &countries));
        out.push(Finding::about(
            Facts {
                entity: e.id.clone(),
                database: e.kind() == EntityKind::Database,
                countries: countries.clone(),
                presumed: judged.presumed.is_some(),
            }
            .into(),
            e,
            countries,
            evidence,
        ));
    }
}
