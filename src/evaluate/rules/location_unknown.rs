//! `location-unknown`: where an entity with personal data is cannot be
//! established. Fail closed: unknown is never "in Russia".

use crate::evaluate::context::PdReason;
use crate::evaluate::{Context, Evidence, Finding, RuleMeta, Severity};

pub(crate) const META: RuleMeta = RuleMeta {
    id: "location-unknown",
    severity: Severity::High,
    description: "the location of an entity with personal data cannot be established",
    law: "fail-closed",
    law_ru: "принцип fail closed",
    description_ru: "место нахождения объекта с персональными данными установить не удалось",
    doc_en: include_str!("../../../docs/rules/en/location-unknown.md"),
    doc_ru: include_str!("../../../docs/rules/ru/location-unknown.md"),
};

/// Where `entity`, which has PD for `pd`, is cannot be established, for
/// the reasons `why`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub entity: String,
    pub pd: PdReason,
    pub why: Vec<String>,
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for (e, loc, pd) in cx.with_pd() {
        if loc.unknown.is_empty() {
            continue;
        }
        out.push(Finding::about(
            Facts {
                entity: e.id.clone(),
                pd: pd.clone(),
                why: loc.unknown.iter().map(ToString::to_string).collect(),
            }
            .into(),
            e,
            [],
            loc.unknown
                .iter()
                .map(|u| Evidence::Unknown(u.to_string()))
                .collect(),
        ));
    }
}
