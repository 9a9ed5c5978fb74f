//! `undeclared-third-party`: a processor or partner receives personal data
//! but the operator has not named it.

use crate::evaluate::context::PdReason;
use crate::evaluate::{Context, Evidence, Finding, RuleMeta, Severity};
use crate::inventory::EntityKind;

pub(crate) const META: RuleMeta = RuleMeta {
    id: "undeclared-third-party",
    severity: Severity::High,
    description: "a processor or partner receives personal data but is not declared",
    law: "152-FZ art. 6, 18.1, 22",
    law_ru: "ст. 6, 18.1, 22 152-ФЗ",
    description_ru: "обработчик или партнёр получает персональные данные, но не заявлен",
    doc_en: include_str!("../../../docs/rules/en/undeclared-third-party.md"),
    doc_ru: include_str!("../../../docs/rules/ru/undeclared-third-party.md"),
};

/// Third party `entity` (a processor or partner) has PD for `pd` but is
/// not in `declarations.third_parties`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub entity: String,
    pub kind: EntityKind,
    pub pd: PdReason,
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for (e, loc, pd) in cx.with_pd() {
        if !e.is_third_party() || cx.is_declared_third_party(&e.id) {
            continue;
        }
        out.push(Finding::about(
            Facts {
                entity: e.id.clone(),
                kind: e.kind(),
                pd: pd.clone(),
            }
            .into(),
            e,
            loc.countries.iter().copied(),
            vec![Evidence::PersonalData(pd.clone())],
        ));
    }
}
