//! `location-mismatch`: the declared location differs from what DNS and
//! GeoIP observe.

use std::collections::BTreeSet;

use crate::evaluate::{Context, Evidence, Finding, RuleMeta, Severity};
use crate::reference::Country;
use crate::resolve::{Basis, declared_evidence};

pub(crate) const META: RuleMeta = RuleMeta {
    id: "location-mismatch",
    severity: Severity::Medium,
    description: "the declared location differs from the observed one",
    law: "—",
    law_ru: "—",
    description_ru: "заявленное место нахождения не совпадает с фактическим",
    doc_en: include_str!("../../../docs/rules/en/location-mismatch.md"),
    doc_ru: include_str!("../../../docs/rules/ru/location-mismatch.md"),
};

/// `entity` is declared in `declared` but observed in `observed`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub entity: String,
    pub declared: Country,
    pub observed: BTreeSet<Country>,
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for (e, loc, _) in cx.entities() {
        let (Some(declared), Some(d)) = (loc.declared, e.location.as_ref()) else {
            continue;
        };
        if loc.observed.is_empty() || loc.observed == BTreeSet::from([declared]) {
            continue;
        }
        let mut evidence = vec![Evidence::Place(declared_evidence(d))];
        evidence.extend(cx.evidence(loc, &loc.observed).into_iter().filter(|ev| {
            !matches!(
                ev,
                Evidence::Place(p) if matches!(p.basis, Basis::LegalEntity(_))
            )
        }));
        out.push(Finding::about(
            Facts {
                entity: e.id.clone(),
                declared,
                observed: loc.observed.clone(),
            }
            .into(),
            e,
            loc.observed.iter().copied(),
            evidence,
        ));
    }
}
