//! `non-adequate-country`: personal data reaches a foreign state that is
//! not on Roskomnadzor's list of states ensuring adequate protection.

use std::collections::BTreeSet;

use crate::evaluate::territory;
use crate::evaluate::{Context, Finding, RuleMeta, Severity, list};

pub const META: RuleMeta = RuleMeta {
    id: "non-adequate-country",
    severity: Severity::Medium,
    description: "personal data reaches a country not on Roskomnadzor's adequacy list",
    law: "152-FZ art. 12 p. 2, 10, 11 (p. 5 point 2)",
    law_ru: "ч. 2, 10, 11 ст. 12 152-ФЗ (п. 2 ч. 5 ст. 12)",
    description_ru: "персональные данные попадают в государство, не включённое в перечень иностранных государств, обеспечивающих адекватную защиту",
    doc_en: include_str!("../../../docs/rules/en/non-adequate-country.md"),
    doc_ru: include_str!("../../../docs/rules/ru/non-adequate-country.md"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let a = cx.adequacy;
    let confirmed = if a.confirmed.is_empty() {
        (String::new(), String::new())
    } else {
        (
            format!(", last confirmed {}", a.confirmed),
            format!(", действие подтверждено {}", ru_date(&a.confirmed)),
        )
    };
    // "RKN Order No. 128 of 05.08.2022, 2022-08-05": the date once.
    let dated = |name: &str| {
        if name.contains(&ru_date(&a.date)) {
            name.to_string()
        } else {
            format!("{name}, {}", a.date)
        }
    };
    let (list_en, list_ru) = (dated(&a.list), dated(&a.list_ru));
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
        let unnamed: Vec<_> = countries
            .iter()
            .filter(|c| a.not_listed_separately(**c))
            .collect();
        let (unnamed_en, unnamed_ru) = if unnamed.is_empty() {
            (String::new(), String::new())
        } else {
            let l = unnamed
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let ru = if unnamed.len() == 1 {
                format!(
                    " ({l}: в перечне отдельно не названа территория, она считается не включённой в него)"
                )
            } else {
                format!(
                    " ({l}: в перечне отдельно не названы эти территории, они считаются не включёнными в него)"
                )
            };
            (
                format!(" ({l}: not named separately in the list, treated as not listed)"),
                ru,
            )
        };
        let (presumed, presumed_ru, evidence) =
            judged.transfer_note(|| cx.evidence(loc, &countries));
        out.push(Finding::about(
            &META,
            e,
            countries.iter().copied(),
            format!(
                "personal data reaches {}{presumed} through `{}`, and {} not on the list of states ensuring adequate protection ({}{}){unnamed_en}: transfers may start only after Roskomnadzor's 10-working-day review ({})",
                list(&countries),
                e.id,
                if countries.len() == 1 { "that state is" } else { "those states are" },
                list_en,
                confirmed.0,
                META.law
            ),
            format!(
                "персональные данные попадают в {}{presumed_ru} через «{}», а {} в перечень иностранных государств, обеспечивающих адекватную защиту, не {} ({}{}){unnamed_ru}: передача возможна лишь после истечения 10 рабочих дней, отведённых Роскомнадзору на рассмотрение уведомления ({})",
                list(&countries),
                e.id,
                if countries.len() == 1 { "это государство" } else { "эти государства" },
                if countries.len() == 1 { "включено" } else { "включены" },
                list_ru,
                confirmed.1,
                META.law_ru
            ),
            evidence,
        ));
    }
}

/// `2026-08-27` → `27.08.2026`.
fn ru_date(iso: &str) -> String {
    let p: Vec<&str> = iso.split('-').collect();
    match p.as_slice() {
        [y, m, d] => format!("{d}.{m}.{y}"),
        _ => iso.to_string(),
    }
}
