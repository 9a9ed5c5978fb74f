//! `location-unknown`: where an entity with personal data is cannot be
//! established. Fail closed: unknown is never "in Russia".

use crate::evaluate::{Context, Finding, RuleMeta, Severity};

pub const META: RuleMeta = RuleMeta {
    id: "location-unknown",
    severity: Severity::High,
    description: "the location of an entity with personal data cannot be established",
    law: "fail-closed",
    law_ru: "принцип fail closed",
    description_ru: "место нахождения объекта с персональными данными установить не удалось",
    doc_en: include_str!("../../../docs/rules/en/location-unknown.md"),
    doc_ru: include_str!("../../../docs/rules/ru/location-unknown.md"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for (e, loc, pd) in cx.with_pd() {
        if loc.unknown.is_empty() {
            continue;
        }
        out.push(Finding::about(
            &META,
            e,
            [],
            format!(
                "`{}` {}, but where it is cannot be established ({}); it is not assumed to be in Russia",
                e.id,
                pd.describe(),
                loc.unknown.join("; ")
            ),
            format!(
                "«{}» {}, но место нахождения установить не удалось ({}); это не считается размещением в России",
                e.id,
                pd.describe_ru(),
                loc.unknown.join("; ")
            ),
            loc.unknown.clone(),
        ));
    }
}
