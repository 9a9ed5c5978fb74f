//! `primary-outside-ru`: the first recording of Russian citizens' personal
//! data happens outside Russia.

use crate::evaluate::context::{PdReason, abroad};
use std::collections::BTreeSet;

use crate::evaluate::{Context, Finding, RuleMeta, Severity};
use crate::inventory::{EntityKind, Role};
use crate::reference::Country;

pub const META: RuleMeta = RuleMeta {
    id: "primary-outside-ru",
    severity: Severity::Critical,
    description: "personal data of Russian citizens is first recorded outside Russia",
    law: "152-FZ art. 18 p. 5",
    law_ru: "152-ФЗ ст. 18 ч. 5",
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
}

pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for (e, loc, pd) in cx.with_pd() {
        let first_recording = match e.kind {
            EntityKind::Database => e.role == Some(Role::Primary),
            _ => *pd == PdReason::CollectsFromSubjects,
        };
        let countries = abroad(loc);
        if !first_recording || countries.is_empty() {
            continue;
        }
        let evidence = cx.evidence(loc, &countries);
        out.push(Finding::about(
            Facts {
                entity: e.id.clone(),
                database: e.kind == EntityKind::Database,
                countries: countries.clone(),
            }
            .into(),
            e,
            countries,
            evidence,
        ));
    }
}
