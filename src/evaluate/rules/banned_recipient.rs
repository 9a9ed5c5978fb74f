//! `banned-recipient`: personal data goes to an organisation whose
//! activity is banned in Russia by a court decision (Government Decree
//! No. 24 of 16.01.2023: a ground for Roskomnadzor to ban the transfer).

use crate::evaluate::context::PdReason;
use crate::evaluate::{Context, Evidence, Finding, RuleMeta, Severity};
use crate::inventory::{Entity, EntityKind, Host};
use crate::reference::banned::{BannedOrg, Matched};

pub(crate) const META: RuleMeta = RuleMeta {
    id: "banned-recipient",
    severity: Severity::Critical,
    description: "personal data goes to an organisation whose activity is banned in Russia by a court decision",
    law: "152-FZ art. 12 p. 9; Government Decree No. 24 of 16.01.2023",
    law_ru: "ч. 9 ст. 12 152-ФЗ; постановление Правительства РФ от 16.01.2023 № 24",
    description_ru: "персональные данные передаются организации, деятельность которой запрещена в России решением суда",
    doc_en: include_str!("../../../docs/rules/en/banned-recipient.md"),
    doc_ru: include_str!("../../../docs/rules/ru/banned-recipient.md"),
};

/// The banned organisation an entity is, and why: by catalogue service
/// (the site's third party, or the entity's id), by a host's domain, or
/// by its legal name, in that order.
pub(crate) fn matched<'b>(cx: &Context<'b>, e: &Entity) -> Option<(&'b BannedOrg, Matched)> {
    if e.kind() == EntityKind::Database {
        return None;
    }
    let banned = cx.banned;
    let mut services: Vec<&str> = cx
        .site
        .into_iter()
        .flat_map(|s| s.parties_of(&e.id))
        .filter_map(|(_, p)| p.service.map(|s| s.id))
        .collect();
    services.push(&e.id);
    for s in services {
        if let Some(o) = banned.by_service(s) {
            return Some((o, Matched::Service(s.to_string())));
        }
    }
    for h in &e.hosts {
        if let Host::Name(n) = &h.endpoint.host
            && let Some((o, d)) = banned.by_host(n)
        {
            return Some((o, Matched::Host(n.clone(), d.to_string())));
        }
    }
    let name = e.name.as_deref()?;
    banned
        .by_name(name)
        .map(|o| (o, Matched::Name(name.to_string())))
}

/// `entity` receives personal data (`pd`) and is `org` of the list of
/// banned recipients, recognised as `matched`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub entity: String,
    pub pd: PdReason,
    pub org: Box<BannedOrg>,
    pub matched: Matched,
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for (e, _, pd) in cx.with_pd() {
        let Some((org, matched)) = matched(cx, e) else {
            continue;
        };
        let evidence = vec![
            Evidence::Banned(Box::new(crate::evaluate::finding::BannedNote {
                matched: matched.clone(),
                legal_name: org.legal_name.clone(),
                decision: org.decision.clone(),
                ground: org.ground.clone(),
                sources: org.sources.clone(),
            })),
            Evidence::PersonalData(pd.clone()),
        ];
        let mut f = Finding::about(
            Facts {
                entity: e.id.clone(),
                pd: pd.clone(),
                org: Box::new(org.clone()),
                matched,
            }
            .into(),
            e,
            [],
            evidence,
        );
        f.recipient_country = Some(org.country);
        out.push(f);
    }
}
