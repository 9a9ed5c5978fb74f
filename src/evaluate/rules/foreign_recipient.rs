//! `foreign-recipient`: a foreign legal entity receives personal data on
//! servers that are, as far as the audit sees, in Russia only. Not a
//! cross-border transfer (152-FZ art. 3 p. 11 needs foreign territory),
//! but remote access from abroad would be one.

use crate::evaluate::territory;
use crate::evaluate::{Context, Finding, RuleMeta, Severity};

pub const META: RuleMeta = RuleMeta {
    id: "foreign-recipient",
    severity: Severity::Low,
    description: "a foreign legal entity receives personal data on servers in Russia",
    law: "152-FZ art. 3 p. 11, art. 12",
    law_ru: "п. 11 ст. 3, ст. 12 152-ФЗ",
    description_ru: "иностранное юридическое лицо получает персональные данные на серверах в России",
    doc_en: include_str!("../../../docs/rules/en/foreign-recipient.md"),
    doc_ru: include_str!("../../../docs/rules/ru/foreign-recipient.md"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for (e, loc, pd) in cx.with_pd() {
        let Some(legal) = territory::foreign_with_russian_territory(e, loc) else {
            continue;
        };
        let who = e.name.as_deref().unwrap_or(&e.id);
        let mut evidence = vec![format!(
            "recipient: legal entity {who} -> {legal} (jurisdiction, not a place)"
        )];
        evidence.extend(cx.evidence(loc, &loc.countries));
        out.push(Finding::about(
            &META,
            e,
            loc.countries.iter().copied(),
            format!(
                "`{}` {}: a foreign legal entity ({legal}) whose known servers are in Russia only; that is no cross-border transfer, but access from abroad would be one ({}): confirm that the data is processed in Russia only",
                e.id,
                pd.describe(),
                META.law
            ),
            format!(
                "«{}» {}: это иностранное юридическое лицо ({legal}), известные серверы которого находятся только в России; трансграничной передачи нет, но доступ из-за рубежа был бы ею ({}): подтвердите, что данные обрабатываются только в России",
                e.id,
                pd.describe_ru(),
                META.law_ru
            ),
            evidence,
        ));
    }
}
