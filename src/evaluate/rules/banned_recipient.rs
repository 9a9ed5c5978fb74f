//! `banned-recipient`: personal data goes to an organisation whose
//! activity is banned in Russia by a court decision (Government Decree
//! No. 24 of 16.01.2023: a ground for Roskomnadzor to ban the transfer).

use crate::evaluate::{Context, Finding, RuleMeta, Severity};
use crate::inventory::{Entity, EntityKind, Host};
use crate::reference::banned::{BannedOrg, Matched};

pub const META: RuleMeta = RuleMeta {
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
pub fn matched<'b>(cx: &Context<'b>, e: &Entity) -> Option<(&'b BannedOrg, Matched)> {
    if e.kind == EntityKind::Database {
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

pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    for (e, _, pd) in cx.with_pd() {
        let Some((org, why)) = matched(cx, e) else {
            continue;
        };
        let mut evidence = vec![
            format!("matched by {}", why.describe()),
            format!("{}: {}", org.legal_name, org.decision),
            format!("ground: {}", org.ground),
        ];
        evidence.extend(org.sources.iter().map(|s| format!("source: {s}")));
        let mut f = Finding::about(
            &META,
            e,
            [],
            format!(
                "`{}` {}, and it goes to {}: {}; {} ({})",
                e.id,
                pd.describe(),
                org.legal_name,
                org.decision,
                org.ground,
                META.law
            ),
            format!(
                "«{}» {}; получатель — {}: {}; {} ({})",
                e.id,
                pd.describe_ru(),
                org.name_ru(),
                org.decision_ru,
                org.ground_ru,
                META.law_ru
            ),
            evidence,
        );
        f.recipient_country = Some(org.country);
        out.push(f);
    }
}
