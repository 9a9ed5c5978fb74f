//! `unused-declaration`: a declared third party or cross-border country
//! that nothing in the inventory uses.

use std::collections::BTreeSet;

use crate::evaluate::territory;
use crate::evaluate::{Context, Finding, RuleMeta, Severity};

pub const META: RuleMeta = RuleMeta {
    id: "unused-declaration",
    severity: Severity::Low,
    description: "a declared third party or cross-border country is not used",
    law: "—",
    law_ru: "—",
    description_ru: "заявленное третье лицо или страна трансграничной передачи не используется",
    doc_en: include_str!("../../../docs/rules/en/unused-declaration.md"),
    doc_ru: include_str!("../../../docs/rules/ru/unused-declaration.md"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let inv = cx.inventory;
    for (id, loc) in &inv.declarations.third_parties {
        let used = cx.has_pd(id)
            || inv.transfers.iter().any(|t| &t.from == id || &t.to == id)
            || inv
                .entities
                .iter()
                .any(|e| e.operated_by.as_ref() == Some(id));
        if !used {
            out.push(Finding {
                rule: META.id,
                recipient_country: None,
                severity: META.severity,
                entity: id.clone(),
                message: format!(
                    "`{id}` is declared as a third party, but no transfer or entity uses it: keep declarations accurate"
                ),
                message_ru: format!(
                    "третье лицо «{id}» указано в declarations.third_parties, но ни одна передача и ни одна сущность его не используют: держите сведения в уведомлении точными"
                ),
                evidence: vec![format!("declarations.third_parties at {loc}")],
                countries: Vec::new(),
                location: loc.clone(),
            });
        }
    }
    // A country is used when personal data reaches its territory, or when
    // it is the jurisdiction of a recipient (remote access from there would
    // be a transfer: naming it in the notification is not stale).
    let reached: BTreeSet<_> = cx
        .with_pd()
        .flat_map(|(e, l, _)| {
            territory::judged(e, l)
                .abroad
                .into_iter()
                .chain(e.legal_country)
        })
        .collect();
    for (c, loc) in &inv.declarations.cross_border_countries {
        if c.is_ru() || !reached.contains(c) {
            out.push(Finding {
                rule: META.id,
                recipient_country: None,
                severity: META.severity,
                entity: "declarations".into(),
                message: format!(
                    "{c} is declared in cross_border_countries, but no personal data reaches it: keep the art. 12 notification accurate"
                ),
                message_ru: format!(
                    "{c} указана в cross_border_countries, но персональные данные туда не попадают: держите уведомление по ст. 12 точным"
                ),
                evidence: vec![format!("declarations.cross_border_countries at {loc}")],
                countries: vec![*c],
                location: loc.clone(),
            });
        }
    }
}
