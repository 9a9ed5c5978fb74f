//! `processor-without-instruction`: a processor receives personal data
//! without the operator's instruction (поручение оператора, art. 6 p. 3).

use crate::evaluate::{Context, Finding, RuleMeta, Severity};
use crate::inventory::EntityKind;

pub const META: RuleMeta = RuleMeta {
    id: "processor-without-instruction",
    severity: Severity::Medium,
    description: "a processor receives personal data without the operator's instruction",
    law: "152-FZ art. 6 p. 3",
    law_ru: "ч. 3 ст. 6 152-ФЗ",
    description_ru: "обработчик получает персональные данные без поручения оператора",
    doc_en: include_str!("../../../docs/rules/en/processor-without-instruction.md"),
    doc_ru: include_str!("../../../docs/rules/ru/processor-without-instruction.md"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for (e, loc, pd) in cx.with_pd() {
        if e.kind != EntityKind::Processor || e.instruction.is_some() {
            continue;
        }
        out.push(Finding::about(
            &META,
            e,
            loc.countries.iter().copied(),
            format!(
                "processor `{}` {} but has no `instruction`: processing on the operator's behalf needs the operator's instruction, given by contract, with the content required by {}",
                e.id,
                pd.describe(),
                META.law
            ),
            format!(
                "Обработчик «{}» {}, но `instruction` не указано: обработка по поручению оператора требует поручения оператора на обработку ПДн, оформленного договором, с содержанием по {}",
                e.id,
                pd.describe_ru(),
                META.law_ru
            ),
            vec![pd.describe()],
        ));
    }
}
