//! `unused-declaration`: a declared third party or cross-border country
//! that nothing in the inventory uses.

use std::collections::BTreeSet;

use crate::evaluate::territory;
use crate::evaluate::{Context, Evidence, Finding, RuleMeta, Severity};
use crate::reference::Country;

pub(crate) const META: RuleMeta = RuleMeta {
    id: "unused-declaration",
    severity: Severity::Low,
    description: "a declared third party or cross-border country is not used",
    law: "—",
    law_ru: "—",
    description_ru: "заявленное третье лицо или страна трансграничной передачи не используется",
    doc_en: include_str!("../../../docs/rules/en/unused-declaration.md"),
    doc_ru: include_str!("../../../docs/rules/ru/unused-declaration.md"),
};

/// A declaration nothing uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Facts {
    /// A declared third party that no transfer or entity uses.
    ThirdParty(String),
    /// A declared cross-border country that no PD reaches.
    Country(Country),
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let inv = cx.inventory;
    for (id, loc) in &inv.declarations.third_parties {
        let used = cx.has_pd(id)
            || inv.transfers.iter().any(|t| &t.from == id || &t.to == id)
            || inv
                .entities
                .iter()
                .any(|e| e.operated_by() == Some(id.as_str()));
        if !used {
            out.push(Finding::new(
                Facts::ThirdParty(id.clone()).into(),
                id.clone(),
                [],
                vec![Evidence::Declaration {
                    list: "third_parties",
                    loc: loc.clone(),
                }],
                loc.clone(),
            ));
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
                .chain(e.legal_country())
        })
        .collect();
    for (c, loc) in &inv.declarations.cross_border_countries {
        if c.is_ru() || !reached.contains(c) {
            out.push(Finding::new(
                Facts::Country(*c).into(),
                "declarations",
                [*c],
                vec![Evidence::Declaration {
                    list: "cross_border_countries",
                    loc: loc.clone(),
                }],
                loc.clone(),
            ));
        }
    }
}
