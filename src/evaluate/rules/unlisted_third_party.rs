//! `unlisted-third-party`: the operator's web site makes its visitors'
//! browsers send data to a third party that the inventory does not list
//! (`check --site`).

use crate::evaluate::{Context, Finding, RuleMeta, Severity};

pub const META: RuleMeta = RuleMeta {
    id: "unlisted-third-party",
    severity: Severity::High,
    description: "the web site sends visitors' data to a third party that the inventory does not list",
    law: "152-FZ art. 6, 18.1, 22",
    law_ru: "ст. 6, 18.1, 22 152-ФЗ",
    description_ru: "сайт передаёт данные посетителей третьему лицу, которого нет в инвентаризации",
    doc_en: include_str!("../../../docs/rules/en/unlisted-third-party.md"),
    doc_ru: include_str!("../../../docs/rules/ru/unlisted-third-party.md"),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(site) = cx.site else { return };
    for link in site.links.iter().filter(|l| l.unlisted) {
        let party = &site.scan.third_parties[link.party];
        let Some((e, loc, _)) = cx.entities().find(|(e, _, _)| e.id == link.entity) else {
            continue;
        };
        let Some(first) = party.sightings.first() else {
            continue;
        };
        let at = match first.line {
            Some(l) => format!("{} line {l}", first.page),
            None => first.page.clone(),
        };
        let receives = party.receives();
        let (who, who_ru, facts) = match party.service {
            Some(s) => (
                format!("{} ({}, {})", s.name, s.legal_entity, s.country),
                format!("{} ({}, {})", s.name, s.legal_entity, s.country),
                format!(
                    "catalogue: {} — {}, {}; {} {}; source: {}",
                    s.name,
                    s.legal_entity,
                    s.country,
                    if s.collects {
                        "records"
                    } else {
                        "serves files and sees"
                    },
                    s.receives.describe(),
                    s.source
                ),
            ),
            None => (
                format!("{} (not in the catalogue)", party.id),
                format!("{} (нет в каталоге)", party.id),
                "not in the catalogue: who runs it and where is unknown; treated as recording the visitor's data (fail closed)".to_string(),
            ),
        };
        out.push(Finding {
            rule: META.id,
            recipient_country: e.legal_country,
            severity: META.severity,
            entity: e.id.clone(),
            message: format!(
                "{who} receives {} from the site's visitors: loaded at {at} by {}, but no processor or partner of the inventory has its hosts ({}); add it (`--suggest` prints the entry), name it in the privacy policy and notifications, or remove it from the site ({})",
                receives.describe(),
                first.element,
                party.hosts.iter().cloned().collect::<Vec<_>>().join(", "),
                META.law
            ),
            message_ru: format!(
                "{who_ru} получает {} посетителей сайта: загружается на {at} элементом {}, но ни один обработчик или партнёр инвентаризации не имеет его хостов ({}); добавьте его (`--suggest` выводит готовую запись), укажите в политике обработки ПДн и уведомлениях или уберите с сайта ({})",
                receives.describe_ru(),
                first.element,
                party.hosts.iter().cloned().collect::<Vec<_>>().join(", "),
                META.law_ru
            ),
            evidence: vec![facts],
            countries: loc.countries.iter().copied().collect(),
            location: e.loc.clone(),
        });
    }
}
