//! `policy-stale`: the privacy policy names a service or a country that the
//! audit does not find (the inventory may be incomplete, or the policy old).

use std::collections::BTreeSet;

use crate::evaluate::{Context, Finding, RuleMeta, Severity};
use crate::policy::Claim;
use crate::reference::Country;

pub const META: RuleMeta = RuleMeta {
    id: "policy-stale",
    severity: Severity::Low,
    description: "the privacy policy names a service or country that the audit does not find",
    law: "152-FZ art. 18.1 p. 1-2",
    law_ru: "152-ФЗ ст. 18.1 ч. 1–2",
    description_ru: "политика обработки ПДн называет сервис или страну, которых аудит не находит",
    doc_en: include_str!("../../../docs/rules/en/policy-stale.md"),
    doc_ru: include_str!("../../../docs/rules/ru/policy-stale.md"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let found: BTreeSet<Country> = cx
        .resolved
        .locations
        .iter()
        .flat_map(|l| l.countries.iter().copied())
        .collect();
    let has_entity = |id: &str| cx.inventory.entity(id).is_some();
    let mut reported: BTreeSet<String> = BTreeSet::new();
    for p in cx.policies {
        for s in &p.statements {
            let (key, what, what_ru) = match &s.claim {
                Claim::Recipient(r) => {
                    if !r.entities.is_empty() || r.services.iter().any(|id| has_entity(id)) {
                        continue;
                    }
                    let key = match (r.company, r.services.as_slice()) {
                        (None, [one]) => one.to_string(),
                        _ => r.text.clone(),
                    };
                    (
                        key,
                        format!("names «{}»", r.text),
                        format!("называет «{}»", r.text),
                    )
                }
                Claim::Country { text, countries } => {
                    if countries.iter().any(|c| found.contains(c)) {
                        continue;
                    }
                    let codes: Vec<&str> = countries.iter().map(Country::as_str).collect();
                    (
                        format!("country:{}", codes.join("+")),
                        format!("names the country «{text}» ({})", codes.join(", ")),
                        format!("называет страну «{text}» ({})", codes.join(", ")),
                    )
                }
                _ => continue,
            };
            if !reported.insert(key.clone()) {
                continue;
            }
            out.push(Finding {
                rule: META.id,
                severity: META.severity,
                entity: key,
                countries: Vec::new(),
                message: format!(
                    "the privacy policy {what} ({}:{}), but the audit does not find it: add it to the inventory if it is used, else update the policy ({})",
                    p.source, s.line, META.law
                ),
                message_ru: format!(
                    "политика обработки ПДн {what_ru} ({}:{}), но аудит этого не находит: внесите в инвентаризацию, если используется, иначе обновите политику ({})",
                    p.source, s.line, META.law_ru
                ),
                evidence: vec![super::policy_contradicted::quote(p, s)],
                location: p.loc(s),
            });
        }
    }
}
