//! `waiver-unused`: a live waiver that covers no finding. A waiver-phase
//! rule: it sees every audit rule's findings.

use crate::evaluate::waivers::covers;
use crate::evaluate::{Context, Evidence, Finding, LabelNote, RuleMeta, Severity};
use crate::reference::Country;

pub(crate) const META: RuleMeta = RuleMeta {
    id: "waiver-unused",
    severity: Severity::Low,
    description: "a waiver covers no finding",
    law: "—",
    law_ru: "—",
    description_ru: "запись о принятом риске не покрывает ни одного замечания",
    doc_en: include_str!("../../../docs/rules/en/waiver-unused.md"),
    doc_ru: include_str!("../../../docs/rules/ru/waiver-unused.md"),
};

/// The live waiver of `rule` for `entity` (in `countries`, when it names
/// any) covers no finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub rule: String,
    pub entity: String,
    pub countries: Vec<Country>,
}

pub(crate) fn check(cx: &Context<'_>, findings: &[Finding], out: &mut Vec<Finding>) {
    for w in &cx.inventory.waivers {
        if w.expired(cx.today) || findings.iter().any(|f| covers(w, f)) {
            continue;
        }
        let entity = w.target.as_str();
        out.push(
            Finding::new(
                Facts {
                    rule: w.rule.clone(),
                    entity: entity.to_string(),
                    countries: w.countries.clone(),
                }
                .into(),
                entity,
                w.countries.iter().copied(),
                vec![Evidence::Waiver(Box::new(
                    crate::evaluate::finding::WaiverNote {
                        loc: w.loc.clone(),
                        approved_by: Some(w.approved_by.clone()),
                        expires: w.expires_text(),
                    },
                ))],
                w.loc.clone(),
            )
            .with_related(w.loc.clone(), LabelNote::Waiver),
        );
    }
}
