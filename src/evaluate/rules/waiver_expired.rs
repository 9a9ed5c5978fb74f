//! `waiver-expired`: a waiver whose expiry date has passed. It waives
//! nothing any more: the findings it covered count again.

use crate::evaluate::{Context, Evidence, Finding, LabelNote, RuleMeta, Severity};

pub(crate) const META: RuleMeta = RuleMeta {
    id: "waiver-expired",
    severity: Severity::High,
    description: "a waiver has expired: the findings it covered count again",
    law: "—",
    law_ru: "—",
    description_ru: "срок записи о принятом риске истёк: покрытые ею замечания снова учитываются",
    doc_en: include_str!("../../../docs/rules/en/waiver-expired.md"),
    doc_ru: include_str!("../../../docs/rules/ru/waiver-expired.md"),
};

/// The waiver of `rule` for `entity`, approved by `approved_by` for
/// `reason`, expired on `expires` (`YYYY-MM-DD`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub rule: String,
    pub entity: String,
    pub expires: String,
    pub approved_by: String,
    pub reason: String,
}

pub(crate) fn check(cx: &Context<'_>, _: &[Finding], out: &mut Vec<Finding>) {
    let today = crate::util::day_text(cx.today);
    for w in &cx.inventory.waivers {
        if !w.expired(cx.today) {
            continue;
        }
        let entity = w.target.as_str();
        let expires = w.expires_text();
        out.push(
            Finding::new(
                Facts {
                    rule: w.rule.clone(),
                    entity: entity.to_string(),
                    expires: expires.clone(),
                    approved_by: w.approved_by.clone(),
                    reason: w.reason.clone(),
                }
                .into(),
                entity,
                w.countries.iter().copied(),
                vec![
                    Evidence::Waiver(Box::new(crate::evaluate::finding::WaiverNote {
                        loc: w.loc.clone(),
                        approved_by: None,
                        expires,
                    })),
                    Evidence::ReportDate(today.clone()),
                ],
                w.loc.clone(),
            )
            .with_related(w.loc.clone(), LabelNote::Waiver),
        );
    }
}
