//! `undeclared-third-party`: a processor or partner receives personal data
//! but the operator has not named it.

use crate::evaluate::{Context, Finding, RuleMeta, Severity};

pub const META: RuleMeta = RuleMeta {
    id: "undeclared-third-party",
    severity: Severity::High,
    description: "a processor or partner receives personal data but is not declared",
    law: "152-FZ art. 6, 18.1, 22",
    law_ru: "ст. 6, 18.1, 22 152-ФЗ",
    description_ru: "обработчик или партнёр получает персональные данные, но не заявлен",
    doc_en: include_str!("../../../docs/rules/en/undeclared-third-party.md"),
    doc_ru: include_str!("../../../docs/rules/ru/undeclared-third-party.md"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for (e, loc, pd) in cx.with_pd() {
        if !e.is_third_party() || cx.is_declared_third_party(&e.id) {
            continue;
        }
        out.push(Finding::about(
            &META,
            e,
            loc.countries.iter().copied(),
            format!(
                "{} `{}` {} but is not in declarations.third_parties: name it in the privacy policy and the art. 22 notification ({})",
                e.kind.as_str(),
                e.id,
                pd.describe(),
                META.law
            ),
            format!(
                "{} «{}» {}, но не указан в declarations.third_parties: назовите получателя в политике обработки ПДн и в уведомлении по ст. 22 ({})",
                if e.kind == crate::inventory::EntityKind::Processor { "Обработчик" } else { "Партнёр" },
                e.id,
                pd.describe_ru(),
                META.law_ru
            ),
            vec![pd.describe()],
        ));
    }
}
