//! `undeclared-cross-border`: personal data reaches a foreign country that
//! the art. 12 notification does not name.

use crate::evaluate::territory;
use std::collections::BTreeSet;

use crate::evaluate::{Context, Finding, RuleMeta, Severity};
use crate::reference::Country;

pub(crate) const META: RuleMeta = RuleMeta {
    id: "undeclared-cross-border",
    severity: Severity::High,
    description: "personal data reaches a country not named in the cross-border notification",
    law: "152-FZ art. 12 p. 3",
    law_ru: "ч. 3 ст. 12 152-ФЗ",
    description_ru: "персональные данные попадают в государство, не названное в уведомлении о трансграничной передаче",
    doc_en: include_str!("../../../docs/rules/en/undeclared-cross-border.md"),
    doc_ru: include_str!("../../../docs/rules/ru/undeclared-cross-border.md"),
};

/// PD reaches `countries` through `entity`; the cross-border notification
/// does not name them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub entity: String,
    pub countries: BTreeSet<Country>,
    /// The countries are the recipient's legal country, presumed because
    /// it has no observed or declared territory.
    pub presumed: bool,
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let declared = cx.declared_countries();
    for (e, loc, _) in cx.with_pd() {
        let judged = territory::judged(e, loc);
        let countries: BTreeSet<_> = judged
            .abroad
            .iter()
            .copied()
            .filter(|c| !declared.contains(c))
            .collect();
        if countries.is_empty() {
            continue;
        }
        let evidence = judged.evidence(|| cx.evidence(loc, &countries));
        out.push(Finding::about(
            Facts {
                entity: e.id.clone(),
                countries: countries.clone(),
                presumed: judged.presumed.is_some(),
            }
            .into(),
            e,
            countries,
            evidence,
        ));
    }
}
