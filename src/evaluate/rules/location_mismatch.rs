//! `location-mismatch`: the declared location differs from what DNS and
//! GeoIP observe.

use std::collections::BTreeSet;

use crate::evaluate::{Context, Finding, RuleMeta, Severity, list};
use crate::resolve::declared_evidence;

pub const META: RuleMeta = RuleMeta {
    id: "location-mismatch",
    severity: Severity::Medium,
    description: "the declared location differs from the observed one",
    law: "—",
    law_ru: "—",
    description_ru: "заявленное место нахождения не совпадает с фактическим",
    doc_en: include_str!("../../../docs/rules/en/location-mismatch.md"),
    doc_ru: include_str!("../../../docs/rules/ru/location-mismatch.md"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for (e, loc, _) in cx.entities() {
        let (Some(declared), Some(d)) = (loc.declared, e.location.as_ref()) else {
            continue;
        };
        if loc.observed.is_empty() || loc.observed == BTreeSet::from([declared]) {
            continue;
        }
        let mut evidence = vec![declared_evidence(d).text()];
        evidence.extend(
            cx.evidence(loc, &loc.observed)
                .into_iter()
                .filter(|ev| !ev.ends_with("(legal-entity)")),
        );
        out.push(Finding::about(
            &META,
            e,
            loc.observed.iter().copied(),
            format!(
                "`{}` is declared in {declared} but observed in {}; the art. 22 notification must state where databases really are",
                e.id,
                list(&loc.observed)
            ),
            format!(
                "для «{}» заявлено место нахождения {declared}, фактически — {}: уведомление по ст. 22 152-ФЗ должно указывать действительное место нахождения баз данных",
                e.id,
                list(&loc.observed)
            ),
            evidence,
        ));
    }
}
