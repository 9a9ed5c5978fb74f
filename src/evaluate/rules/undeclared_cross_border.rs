//! `undeclared-cross-border`: personal data reaches a foreign country that
//! the art. 12 notification does not name.

use crate::evaluate::context::abroad;
use crate::evaluate::{Context, Finding, RuleMeta, Severity, list};

pub const META: RuleMeta = RuleMeta {
    id: "undeclared-cross-border",
    severity: Severity::High,
    description: "personal data reaches a country not named in the cross-border notification",
    law: "152-FZ art. 12",
    law_ru: "152-ФЗ ст. 12",
    description_ru: "персональные данные попадают в страну, не названную в уведомлении о трансграничной передаче",
    doc_en: include_str!("../../../docs/rules/en/undeclared-cross-border.md"),
    doc_ru: include_str!("../../../docs/rules/ru/undeclared-cross-border.md"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let declared = cx.declared_countries();
    for (e, loc, _) in cx.with_pd() {
        let countries: std::collections::BTreeSet<_> = abroad(loc)
            .into_iter()
            .filter(|c| !declared.contains(c))
            .collect();
        if countries.is_empty() {
            continue;
        }
        out.push(Finding::about(
            &META,
            e,
            countries.iter().copied(),
            format!(
                "personal data reaches {} through `{}`, but declarations.cross_border_countries does not name it: Roskomnadzor must be notified before the transfer starts ({}, since 2023-03-01)",
                list(&countries),
                e.id,
                META.law
            ),
            format!(
                "персональные данные попадают в {} через «{}», но declarations.cross_border_countries эту страну не называет: Роскомнадзор нужно уведомить до начала передачи ({}, с 01.03.2023)",
                list(&countries),
                e.id,
                META.law_ru
            ),
            cx.evidence(loc, &countries),
        ));
    }
}
