//! `foreign-recipient`: a foreign legal entity receives personal data on
//! servers that are, as far as the audit sees, in Russia only. Not a
//! cross-border transfer (152-FZ art. 3 p. 11 needs foreign territory),
//! but remote access from abroad would be one.

use crate::evaluate::context::PdReason;
use crate::evaluate::territory;
use crate::evaluate::{Context, Evidence, Finding, RuleMeta, Severity};
use crate::reference::Country;

pub(crate) const META: RuleMeta = RuleMeta {
    id: "foreign-recipient",
    severity: Severity::Low,
    description: "a foreign legal entity receives personal data on servers in Russia",
    law: "152-FZ art. 3 p. 11, art. 12",
    law_ru: "п. 11 ст. 3, ст. 12 152-ФЗ",
    description_ru: "иностранное юридическое лицо получает персональные данные на серверах в России",
    doc_en: include_str!("../../../docs/rules/en/foreign-recipient.md"),
    doc_ru: include_str!("../../../docs/rules/ru/foreign-recipient.md"),
};

/// `entity`, a foreign legal entity of `legal`, receives personal data
/// (`pd`) on servers known to be in Russia only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub entity: String,
    pub pd: PdReason,
    pub legal: Country,
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for (e, loc, pd) in cx.with_pd() {
        let Some(legal) = territory::foreign_with_russian_territory(e, loc) else {
            continue;
        };
        let mut evidence = vec![Evidence::PersonalData(pd.clone())];
        evidence.extend(cx.evidence(loc, &loc.countries));
        out.push(Finding::about(
            Facts {
                entity: e.id.clone(),
                pd: pd.clone(),
                legal,
            }
            .into(),
            e,
            loc.countries.iter().copied(),
            evidence,
        ));
    }
}
