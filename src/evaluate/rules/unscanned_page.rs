//! `unscanned-page`: a page of the web site could not be read in full, so
//! the third parties it loads are unknown (`check --site`; fail closed).

use std::sync::Arc;

use crate::evaluate::{Context, Evidence, Finding, RuleMeta, Severity};
use crate::inventory::Loc;

pub(crate) const META: RuleMeta = RuleMeta {
    id: "unscanned-page",
    severity: Severity::High,
    description: "a page of the web site could not be read in full, so the third parties it loads are unknown",
    law: "—",
    law_ru: "—",
    description_ru: "страницу сайта не удалось прочитать целиком, поэтому неизвестно, каких третьих лиц она загружает",
    doc_en: include_str!("../../../docs/rules/en/unscanned-page.md"),
    doc_ru: include_str!("../../../docs/rules/ru/unscanned-page.md"),
};

/// Page `url` was not read in full because of `problem`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub url: String,
    pub problem: String,
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(site) = cx.site else { return };
    for page in &site.scan.pages {
        let Some(problem) = &page.problem else {
            continue;
        };
        let mut evidence = vec![Evidence::Requested(page.url.clone())];
        evidence.extend(page.redirects.iter().cloned().map(Evidence::Redirected));
        if let Some(status) = page.status {
            evidence.push(Evidence::HttpStatus(status));
        }
        out.push(Finding::new(
            Facts {
                url: page.url.clone(),
                problem: problem.to_string(),
            }
            .into(),
            page.url.clone(),
            [],
            evidence,
            Loc {
                file: Arc::from(page.url.as_str()),
                line: 1,
                column: 1,
            },
        ));
    }
}
