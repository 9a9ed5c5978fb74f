//! `non-adequate-country`: personal data reaches a country that is not on
//! Roskomnadzor's list of countries ensuring adequate protection.

use crate::evaluate::context::abroad;
use crate::evaluate::{Context, Finding, RuleMeta, Severity, list};

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

pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for (e, loc, _) in cx.with_pd() {
        let countries: std::collections::BTreeSet<_> = abroad(loc)
            .into_iter()
            .filter(|c| !cx.adequacy.is_adequate(*c))
            .collect();
        if countries.is_empty() {
            continue;
        }
        out.push(Finding::about(
            &META,
            e,
            countries.iter().copied(),
            format!(
                "personal data reaches {} through `{}`, which is not on the adequacy list ({}, {}): transfers may start only after Roskomnadzor's 10-working-day review ({})",
                list(&countries),
                e.id,
                cx.adequacy.list,
                cx.adequacy.date,
                META.law
            ),
            format!(
                "персональные данные попадают в {} через «{}», а эта страна не входит в перечень государств с адекватной защитой ({}, {}): передача возможна лишь после 10 рабочих дней рассмотрения уведомления Роскомнадзором ({})",
                list(&countries),
                e.id,
                cx.adequacy.list,
                cx.adequacy.date,
                META.law_ru
            ),
            cx.evidence(loc, &countries),
        ));
    }
}
