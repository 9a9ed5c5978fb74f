//! `unscanned-page`: a page of the web site could not be read in full, so
//! the third parties it loads are unknown (`check --site`; fail closed).

use std::sync::Arc;

use crate::evaluate::{Context, Finding, RuleMeta, Severity};
use crate::inventory::Loc;

pub const META: RuleMeta = RuleMeta {
    id: "unscanned-page",
    severity: Severity::High,
    description: "a page of the web site could not be read in full, so the third parties it loads are unknown",
    law: "—",
    law_ru: "—",
    description_ru: "страницу сайта не удалось прочитать целиком, поэтому неизвестно, каких третьих лиц она загружает",
    doc_en: include_str!("../../../docs/rules/en/unscanned-page.md"),
    doc_ru: include_str!("../../../docs/rules/ru/unscanned-page.md"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(site) = cx.site else { return };
    for page in &site.scan.pages {
        let Some(problem) = &page.problem else {
            continue;
        };
        let mut evidence = vec![format!("requested {}", page.url)];
        evidence.extend(page.redirects.iter().map(|r| format!("redirected to {r}")));
        if let Some(status) = page.status {
            evidence.push(format!("HTTP {status}"));
        }
        out.push(Finding {
            rule: META.id,
            recipient_country: None,
            severity: META.severity,
            entity: page.url.clone(),
            message: format!(
                "page {} was not read in full: {problem}; what it loads is unknown, so the site cannot pass on it",
                page.url
            ),
            message_ru: format!(
                "страница {} прочитана не полностью: {problem}; что она загружает, неизвестно, поэтому сайт не может пройти проверку",
                page.url
            ),
            evidence,
            countries: Vec::new(),
            location: Loc {
                file: Arc::from(page.url.as_str()),
                line: 1,
                column: 1,
            },
        });
    }
}
