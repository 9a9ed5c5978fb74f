//! `non-adequate-country`: personal data reaches a country that is not on
//! Roskomnadzor's list of countries ensuring adequate protection.

use crate::evaluate::territory;
use std::collections::BTreeSet;

use crate::evaluate::{Context, Finding, RuleMeta, Severity};
use crate::reference::Country;

pub(crate) const META: RuleMeta = RuleMeta {
    id: "non-adequate-country",
    severity: Severity::Medium,
    description: "personal data reaches a country not on Roskomnadzor's adequacy list",
    law: "152-FZ art. 12 p. 2, 10, 11 (p. 5 point 2)",
    law_ru: "ч. 2, 10, 11 ст. 12 152-ФЗ (п. 2 ч. 5 ст. 12)",
    description_ru: "персональные данные попадают в государство, не включённое в перечень иностранных государств, обеспечивающих адекватную защиту",
    doc_en: include_str!("../../../docs/rules/en/non-adequate-country.md"),
    doc_ru: include_str!("../../../docs/rules/ru/non-adequate-country.md"),
};

/// PD reaches `countries`, not on the adequacy list, through `entity`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub entity: String,
    pub countries: BTreeSet<Country>,
    /// The list the countries are missing from (one, shared by every
    /// finding of the run).
    pub list: std::sync::Arc<ListName>,
    /// Of `countries`, those the list does not name separately (HK, TW).
    pub unnamed: BTreeSet<Country>,
    /// The countries are the recipient's legal country, presumed because
    /// it has no observed or declared territory.
    pub presumed: bool,
}

/// The adequacy list's name in English and Russian, the act's date and
/// the day the list was last confirmed (may be empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListName {
    pub list: String,
    pub list_ru: String,
    pub date: String,
    pub confirmed: String,
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let a = cx.adequacy;
    let list = std::sync::Arc::new(ListName {
        list: a.list.clone(),
        list_ru: a.list_ru.clone(),
        date: a.date.clone(),
        confirmed: a.confirmed.clone(),
    });
    for (e, loc, _) in cx.with_pd() {
        let judged = territory::judged(e, loc);
        let countries: BTreeSet<_> = judged
            .abroad
            .iter()
            .copied()
            .filter(|c| !a.is_adequate(*c))
            .collect();
        if countries.is_empty() {
            continue;
        }
        let evidence = judged.evidence(|| cx.evidence(loc, &countries));
        out.push(Finding::about(
            Facts {
                entity: e.id.clone(),
                unnamed: countries
                    .iter()
                    .copied()
                    .filter(|c| a.not_listed_separately(*c))
                    .collect(),
                countries: countries.clone(),
                list: list.clone(),
                presumed: judged.presumed.is_some(),
            }
            .into(),
            e,
            countries,
            evidence,
        ));
    }
}
