//! `policy-omits-country`: personal data reaches a foreign country that the
//! privacy policy does not name.

use std::collections::BTreeSet;

use crate::evaluate::context::abroad;
use crate::evaluate::{Context, Finding, RuleMeta, Severity, list};

pub const META: RuleMeta = RuleMeta {
    id: "policy-omits-country",
    severity: Severity::High,
    description: "personal data reaches a country the privacy policy does not name",
    law: "152-FZ art. 18.1 p. 1-2, art. 12",
    law_ru: "152-ФЗ ст. 18.1 ч. 1–2, ст. 12",
    description_ru: "персональные данные попадают в страну, которую политика обработки ПДн не называет",
    doc_en: include_str!("../../../docs/rules/en/policy-omits-country.md"),
    doc_ru: include_str!("../../../docs/rules/ru/policy-omits-country.md"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(first) = cx.policies.first() else {
        return;
    };
    let named: BTreeSet<_> = cx.policies.iter().flat_map(|p| p.countries()).collect();
    let shown = if named.is_empty() {
        "none".to_string()
    } else {
        list(&named)
    };
    let sources: Vec<&str> = cx.policies.iter().map(|p| p.source.as_str()).collect();
    let sources = sources.join(", ");
    for (e, loc, _) in cx.with_pd() {
        let countries: BTreeSet<_> = abroad(loc)
            .into_iter()
            .filter(|c| !named.contains(c))
            .collect();
        if countries.is_empty() {
            continue;
        }
        let mut evidence = cx.evidence(loc, &countries);
        evidence.push(format!(
            "privacy policy {}: countries named: {shown}",
            first.source
        ));
        out.push(Finding::about(
            &META,
            e,
            countries.iter().copied(),
            format!(
                "personal data reaches {} through `{}`, but the privacy policy ({sources}) does not name it (it names: {shown}) ({})",
                list(&countries),
                e.id,
                META.law
            ),
            format!(
                "персональные данные попадают в {} через «{}», но политика обработки ПДн ({sources}) эту страну не называет (названы: {}) ({})",
                list(&countries),
                e.id,
                if named.is_empty() { "нет".to_string() } else { list(&named) },
                META.law_ru
            ),
            evidence,
        ));
    }
}
