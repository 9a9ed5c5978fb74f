//! `policy-omits-country`: personal data reaches a foreign country that the
//! privacy policy does not name.

use std::collections::BTreeSet;

use crate::evaluate::context::abroad;
use crate::evaluate::{Context, Finding, RuleMeta, Severity};
use crate::reference::Country;

pub(crate) const META: RuleMeta = RuleMeta {
    id: "policy-omits-country",
    severity: Severity::High,
    description: "personal data reaches a country the privacy policy does not name",
    law: "152-FZ art. 18.1 p. 1–2, art. 12",
    law_ru: "ч. 1–2 ст. 18.1, ст. 12 152-ФЗ",
    description_ru: "персональные данные попадают в страну, которую политика обработки ПДн не называет",
    doc_en: include_str!("../../../docs/rules/en/policy-omits-country.md"),
    doc_ru: include_str!("../../../docs/rules/ru/policy-omits-country.md"),
};

/// PD reaches `countries` through `entity`; the policies (`sources`) name
/// `named` only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub entity: String,
    pub countries: BTreeSet<Country>,
    pub named: BTreeSet<Country>,
    pub sources: String,
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    if cx.policies.is_empty() {
        return;
    }
    let named: BTreeSet<Country> = cx.policies.iter().flat_map(|p| p.countries()).collect();
    let sources: Vec<&str> = cx.policies.iter().map(|p| p.source.as_str()).collect();
    let sources = sources.join(", ");
    for (e, loc, _) in cx.with_pd() {
        let countries: BTreeSet<Country> = abroad(loc)
            .into_iter()
            .filter(|c| !named.contains(c))
            .collect();
        if countries.is_empty() {
            continue;
        }
        let evidence = cx.evidence(loc, &countries);
        out.push(Finding::about(
            Facts {
                entity: e.id.clone(),
                countries: countries.clone(),
                named: named.clone(),
                sources: sources.clone(),
            }
            .into(),
            e,
            countries,
            evidence,
        ));
    }
}
