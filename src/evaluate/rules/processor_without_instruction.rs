//! `processor-without-instruction`: a processor receives personal data
//! without an instruction contract (поручение).

use crate::evaluate::context::PdReason;
use crate::evaluate::{Context, Evidence, Finding, RuleMeta, Severity};
use crate::inventory::EntityKind;

pub(crate) const META: RuleMeta = RuleMeta {
    id: "processor-without-instruction",
    severity: Severity::Medium,
    description: "a processor receives personal data without the operator's instruction",
    law: "152-FZ art. 6 p. 3",
    law_ru: "ч. 3 ст. 6 152-ФЗ",
    description_ru: "обработчик получает персональные данные без поручения оператора",
    doc_en: include_str!("../../../docs/rules/en/processor-without-instruction.md"),
    doc_ru: include_str!("../../../docs/rules/ru/processor-without-instruction.md"),
};

/// Processor `entity` has PD for `pd` but no `instruction`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub entity: String,
    pub pd: PdReason,
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for (e, loc, pd) in cx.with_pd() {
        if e.kind() != EntityKind::Processor || e.instruction().is_some() {
            continue;
        }
        out.push(Finding::about(
            Facts {
                entity: e.id.clone(),
                pd: pd.clone(),
            }
            .into(),
            e,
            loc.countries.iter().copied(),
            vec![Evidence::PersonalData(pd.clone())],
        ));
    }
}
