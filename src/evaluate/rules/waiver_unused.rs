//! `waiver-unused`: a live waiver that covers no finding. Runs last: `out`
//! then holds every other rule's findings.

use crate::evaluate::waivers::covers;
use crate::evaluate::{Context, Finding, RuleMeta, Severity};

pub const META: RuleMeta = RuleMeta {
    id: "waiver-unused",
    severity: Severity::Low,
    description: "a waiver covers no finding",
    law: "—",
    law_ru: "—",
    description_ru: "запись о принятом риске не покрывает ни одного замечания",
    doc_en: include_str!("../../../docs/rules/en/waiver-unused.md"),
    doc_ru: include_str!("../../../docs/rules/ru/waiver-unused.md"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let mut unused = Vec::new();
    for w in &cx.inventory.waivers {
        if w.expired(cx.today) || out.iter().any(|f| covers(w, f)) {
            continue;
        }
        let entity = w.target.as_str();
        let countries = if w.countries.is_empty() {
            String::new()
        } else {
            let list: Vec<&str> = w.countries.iter().map(|c| c.as_str()).collect();
            format!(" in {}", list.join(", "))
        };
        unused.push(Finding {
            rule: META.id,
            recipient_country: None,
            severity: META.severity,
            entity: entity.to_string(),
            countries: w.countries.clone(),
            message: format!(
                "the waiver of `{}` for `{entity}`{countries} covers no finding: the problem is fixed, or the waiver names the wrong rule or entity; remove it so that it cannot hide a future finding",
                w.rule
            ),
            message_ru: format!(
                "запись о принятом риске по правилу `{}` для «{entity}»{countries} не покрывает ни одного замечания: проблема устранена либо в записи указано не то правило или объект; удалите её, чтобы она не скрыла будущее замечание",
                w.rule
            ),
            evidence: vec![format!(
                "waiver at {}: approved by {}, expires {}",
                w.loc,
                w.approved_by,
                w.expires_text()
            )],
            location: w.loc.clone(),
        });
    }
    out.extend(unused);
}
