//! `policy-stale`: the privacy policy names a service or a country that the
//! audit does not find (the inventory may be incomplete, or the policy old).

use std::collections::BTreeSet;

use crate::evaluate::{Context, Finding, RuleMeta, Severity};
use crate::policy::Claim;
use crate::reference::Country;

pub(crate) const META: RuleMeta = RuleMeta {
    id: "policy-stale",
    severity: Severity::Low,
    description: "the privacy policy names a service or country that the audit does not find",
    law: "152-FZ art. 18.1 p. 1–2",
    law_ru: "ч. 1–2 ст. 18.1 152-ФЗ",
    description_ru: "политика обработки ПДн называет сервис или страну, которых аудит не находит",
    doc_en: include_str!("../../../docs/rules/en/policy-stale.md"),
    doc_ru: include_str!("../../../docs/rules/ru/policy-stale.md"),
};

/// What the policy names that the audit does not find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Named {
    /// A recipient, as written.
    Recipient(String),
    /// A country, as written, and the countries it stands for.
    Country(String, Vec<Country>),
}

/// The policy names `named` at `source:line`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub named: Named,
    pub source: String,
    pub line: u32,
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    if cx.policies.is_empty() {
        return;
    }
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
            let (key, named) = match &s.claim {
                Claim::Recipient(r) => {
                    if !r.entities.is_empty() || r.services.iter().any(|id| has_entity(id)) {
                        continue;
                    }
                    let key = match (r.company, r.services.as_slice()) {
                        (None, [one]) => one.to_string(),
                        _ => r.text.clone(),
                    };
                    (key, Named::Recipient(r.text.clone()))
                }
                Claim::Country { text, countries } => {
                    if countries.iter().any(|c| found.contains(c)) {
                        continue;
                    }
                    let codes: Vec<&str> = countries.iter().map(Country::as_str).collect();
                    (
                        format!("country:{}", codes.join("+")),
                        Named::Country(text.clone(), countries.clone()),
                    )
                }
                _ => continue,
            };
            if !reported.insert(key.clone()) {
                continue;
            }
            out.push(Finding::new(
                Facts {
                    named,
                    source: p.source.clone(),
                    line: s.line,
                }
                .into(),
                key,
                Vec::new(),
                vec![super::policy_contradicted::quote(p, s)],
                p.loc(s),
            ));
        }
    }
}
