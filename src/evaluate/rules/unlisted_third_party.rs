//! `unlisted-third-party`: the operator's web site makes its visitors'
//! browsers send data to a third party that the inventory does not list
//! (`check --site`).

use crate::evaluate::{Context, Evidence, Finding, RuleMeta, Severity};
use crate::reference::Country;
use crate::site::catalogue::Receives;

pub(crate) const META: RuleMeta = RuleMeta {
    id: "unlisted-third-party",
    severity: Severity::High,
    description: "the web site sends visitors' data to a third party that the inventory does not list",
    law: "152-FZ art. 6, 18.1, 22",
    law_ru: "ст. 6, 18.1, 22 152-ФЗ",
    description_ru: "сайт передаёт данные посетителей третьему лицу, которого нет в инвентаризации",
    doc_en: include_str!("../../../docs/rules/en/unlisted-third-party.md"),
    doc_ru: include_str!("../../../docs/rules/ru/unlisted-third-party.md"),
};

/// The site loads third party `party` (a catalogue service, or an unknown
/// domain) that no inventory entity lists; it was added as `entity`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub entity: String,
    /// The catalogue's service (name, legal entity, country), or `None`
    /// with the party's domain in `id`.
    pub service: Option<(&'static str, &'static str, Country)>,
    pub id: String,
    pub receives: Receives,
    /// The first sighting: page, line, element.
    pub page: String,
    pub line: Option<u32>,
    pub element: String,
    pub hosts: Vec<String>,
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(site) = cx.site else { return };
    for link in site.links.iter().filter(|l| l.unlisted) {
        let party = &site.scan.third_parties[link.party];
        let Some((e, loc, _)) = cx.entity(&link.entity) else {
            continue;
        };
        let Some(first) = party.sightings.first() else {
            continue;
        };
        out.push(Finding::new(
            Facts {
                entity: e.id.clone(),
                service: party.service.map(|s| (s.name, s.legal_entity, s.country)),
                id: party.id.clone(),
                receives: party.receives(),
                page: first.page.clone(),
                line: first.line,
                element: first.element.clone(),
                hosts: party.hosts.iter().cloned().collect(),
            }
            .into(),
            e.id.clone(),
            loc.countries.iter().copied(),
            vec![Evidence::Catalogue(party.service)],
            e.loc.clone(),
        ));
    }
}
