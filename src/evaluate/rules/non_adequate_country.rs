//! `non-adequate-country`: personal data reaches a country that is not on
//! Roskomnadzor's list of countries ensuring adequate protection.

use crate::evaluate::context::abroad;
use std::collections::BTreeSet;

use crate::evaluate::{Context, Finding, RuleMeta, Severity};
use crate::reference::Country;

pub const META: RuleMeta = RuleMeta {
    id: "non-adequate-country",
    severity: Severity::Medium,
    description: "personal data reaches a country without adequate protection",
    law: "152-FZ art. 12 p. 1, 4",
    law_ru: "152-ФЗ ст. 12 ч. 1, 4",
    description_ru: "персональные данные попадают в страну без адекватной защиты",
    doc_en: include_str!("../../../docs/rules/en/non-adequate-country.md"),
    doc_ru: include_str!("../../../docs/rules/ru/non-adequate-country.md"),
};

/// PD reaches `countries`, not on the adequacy list `list` of `date`,
/// through `entity`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub entity: String,
    pub countries: BTreeSet<Country>,
    pub list: String,
    pub date: String,
}

pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for (e, loc, _) in cx.with_pd() {
        let countries: BTreeSet<_> = abroad(loc)
            .into_iter()
            .filter(|c| !cx.adequacy.is_adequate(*c))
            .collect();
        if countries.is_empty() {
            continue;
        }
        let evidence = cx.evidence(loc, &countries);
        out.push(Finding::about(
            Facts {
                entity: e.id.clone(),
                countries: countries.clone(),
                list: cx.adequacy.list.clone(),
                date: cx.adequacy.date.clone(),
            }
            .into(),
            e,
            countries,
            evidence,
        ));
    }
}
