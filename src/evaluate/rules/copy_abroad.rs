//! `copy-abroad`: a copy (replica, backup, cache, …) of Russian citizens'
//! personal data is kept outside Russia.

use crate::evaluate::context::abroad;
use std::collections::BTreeSet;

use crate::evaluate::{Context, Finding, RuleMeta, Severity};
use crate::inventory::{EntityKind, Role};
use crate::reference::Country;

pub(crate) const META: RuleMeta = RuleMeta {
    id: "copy-abroad",
    severity: Severity::Medium,
    description: "a copy of Russian citizens' personal data is kept outside Russia",
    law: "152-FZ art. 18 p. 5, art. 12",
    law_ru: "ч. 5 ст. 18, ст. 12 152-ФЗ",
    description_ru: "копия персональных данных граждан РФ хранится за пределами России",
    doc_en: include_str!("../../../docs/rules/en/copy-abroad.md"),
    doc_ru: include_str!("../../../docs/rules/ru/copy-abroad.md"),
};

/// A copy (`role`, not primary) of PD database `entity` is in `countries`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub entity: String,
    pub role: Role,
    pub countries: BTreeSet<Country>,
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for (e, loc, _) in cx.with_pd() {
        let Some(role) = e
            .role()
            .filter(|r| e.kind() == EntityKind::Database && *r != Role::Primary)
        else {
            continue;
        };
        let countries = abroad(loc);
        if countries.is_empty() {
            continue;
        }
        let evidence = cx.evidence(loc, &countries);
        out.push(Finding::about(
            Facts {
                entity: e.id.clone(),
                role,
                countries: countries.clone(),
            }
            .into(),
            e,
            countries,
            evidence,
        ));
    }
}
