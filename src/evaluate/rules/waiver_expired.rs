//! `waiver-expired`: a waiver whose expiry date has passed. It waives
//! nothing any more: the findings it covered count again.

use crate::evaluate::{Context, Finding, RuleMeta, Severity};

pub const META: RuleMeta = RuleMeta {
    id: "waiver-expired",
    severity: Severity::High,
    description: "a waiver has expired: the findings it covered count again",
    law: "—",
    law_ru: "—",
    description_ru: "срок записи о принятом риске истёк: покрытые ею замечания снова учитываются",
    doc_en: include_str!("../../../docs/rules/en/waiver-expired.md"),
    doc_ru: include_str!("../../../docs/rules/ru/waiver-expired.md"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let today = crate::util::day_text(cx.today);
    for w in &cx.inventory.waivers {
        if !w.expired(cx.today) {
            continue;
        }
        let entity = w.target.as_str();
        let expires = w.expires_text();
        out.push(Finding {
            rule: META.id,
            recipient_country: None,
            severity: META.severity,
            entity: entity.to_string(),
            countries: w.countries.clone(),
            message: format!(
                "the waiver of `{}` for `{entity}` expired on {expires} (approved by {}: {}): the findings it covered count again; fix them, or renew the waiver with a new approval and expiry date",
                w.rule, w.approved_by, w.reason
            ),
            message_ru: format!(
                "срок записи о принятом риске по правилу `{}` для «{entity}» истёк {} (утвердил: {}; обоснование: {}): покрытые ею замечания снова учитываются; устраните их или продлите запись с новым утверждением и сроком",
                w.rule,
                ru_date(&expires),
                w.approved_by,
                w.reason
            ),
            evidence: vec![
                format!("waiver at {}: expires {expires}", w.loc),
                format!("report date {today}"),
            ],
            location: w.loc.clone(),
        });
    }
}

/// `2026-10-01` → `01.10.2026`.
pub(crate) fn ru_date(iso: &str) -> String {
    let mut parts = iso.split('-');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(y), Some(m), Some(d)) => format!("{d}.{m}.{y}"),
        _ => iso.to_string(),
    }
}
