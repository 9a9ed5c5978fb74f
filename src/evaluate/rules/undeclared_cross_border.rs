//! `undeclared-cross-border`: personal data reaches the territory of a
//! foreign state that the art. 12 notification does not name.

use std::collections::BTreeSet;

use crate::evaluate::territory;
use crate::evaluate::{Context, Finding, RuleMeta, Severity, list};

pub const META: RuleMeta = RuleMeta {
    id: "undeclared-cross-border",
    severity: Severity::High,
    description: "personal data reaches a country not named in the cross-border notification",
    law: "152-FZ art. 12 p. 3",
    law_ru: "ч. 3 ст. 12 152-ФЗ",
    description_ru: "персональные данные попадают в государство, не названное в уведомлении о трансграничной передаче",
    doc_en: include_str!("../../../docs/rules/en/undeclared-cross-border.md"),
    doc_ru: include_str!("../../../docs/rules/ru/undeclared-cross-border.md"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let declared = cx.declared_countries();
    for (e, loc, _) in cx.with_pd() {
        let judged = territory::judged(e, loc);
        let countries: BTreeSet<_> = judged
            .abroad
            .iter()
            .copied()
            .filter(|c| !declared.contains(c))
            .collect();
        if countries.is_empty() {
            continue;
        }
        let (presumed, presumed_ru, evidence) =
            judged.transfer_note(|| cx.evidence(loc, &countries));
        out.push(Finding::about(
            &META,
            e,
            countries.iter().copied(),
            format!(
                "personal data reaches {}{presumed} through `{}`, but declarations.cross_border_countries does not name it: Roskomnadzor must be notified before the transfer starts ({}, since 2023-03-01)",
                list(&countries),
                e.id,
                META.law
            ),
            format!(
                "персональные данные попадают в {}{presumed_ru} через «{}», но declarations.cross_border_countries {} не называет: Роскомнадзор нужно уведомить до начала передачи ({}, с 01.03.2023)",
                list(&countries),
                e.id,
                if countries.len() == 1 { "это государство" } else { "эти государства" },
                META.law_ru
            ),
            evidence,
        ));
    }
}
