//! `policy-contradicted`: the privacy policy says personal data stays in
//! Russia (a localisation claim, or «не передаются за пределы РФ»), and the
//! audit finds it abroad.

use crate::evaluate::context::{PdReason, abroad};
use crate::evaluate::{Context, Finding, RuleMeta, Severity, list};
use crate::inventory::EntityKind;
use crate::policy::{Claim, Policy, Statement};

pub const META: RuleMeta = RuleMeta {
    id: "policy-contradicted",
    severity: Severity::High,
    description: "the privacy policy says personal data stays in Russia, but the audit finds it abroad",
    law: "152-FZ art. 18.1 p. 1-2, art. 18 p. 5, art. 12",
    law_ru: "152-ФЗ ст. 18.1 ч. 1–2, ст. 18 ч. 5, ст. 12",
    description_ru: "политика обработки ПДн утверждает, что данные остаются в России, но аудит находит их за рубежом",
    doc_en: include_str!("../../../docs/rules/en/policy-contradicted.md"),
    doc_ru: include_str!("../../../docs/rules/ru/policy-contradicted.md"),
};

/// `inventory/policy.md:32: «…»`: a statement as evidence.
pub(crate) fn quote(p: &Policy, s: &Statement) -> String {
    format!("privacy policy {}:{}: «{}»", p.source, s.line, s.sentence)
}

pub fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let claims = |kind: &'static str| {
        cx.policies
            .iter()
            .flat_map(move |p| p.with(kind).map(move |s| (p, s)))
            .collect::<Vec<_>>()
    };
    let no_transfer = claims("no-transfer");
    let localisation = claims("localisation");
    if no_transfer.is_empty() && localisation.is_empty() {
        return;
    }
    for (e, loc, pd) in cx.with_pd() {
        let countries = abroad(loc);
        if countries.is_empty() {
            continue;
        }
        // Localisation is about where data is recorded and stored: a
        // database, or a service that collects from the users themselves.
        // Any personal data abroad contradicts "not transferred abroad".
        let recorded_here = e.kind == EntityKind::Database || *pd == PdReason::CollectsFromSubjects;
        let against: Vec<_> = no_transfer
            .iter()
            .chain(localisation.iter().filter(|_| recorded_here))
            .collect();
        let Some((p, s)) = against.first().copied() else {
            continue;
        };
        let (said, said_ru) = match s.claim {
            Claim::NoTransfer => (
                "personal data is not transferred abroad",
                "персональные данные не передаются за рубеж",
            ),
            _ => (
                "Russian citizens' personal data is recorded and stored in databases in Russia",
                "персональные данные граждан РФ записываются и хранятся в базах данных на территории России",
            ),
        };
        let mut evidence = vec![quote(p, s)];
        if against.len() > 1 {
            let more: Vec<String> = against[1..]
                .iter()
                .map(|(p, s)| format!("{}:{}", p.source, s.line))
                .collect();
            evidence.push(format!(
                "privacy policy, the same promise: {}",
                more.join(", ")
            ));
        }
        evidence.extend(cx.evidence(loc, &countries));
        out.push(Finding::about(
            &META,
            e,
            countries.iter().copied(),
            format!(
                "the privacy policy says {said} ({}:{}), but `{}` {} in {}: correct the policy or move the data ({})",
                p.source,
                s.line,
                e.id,
                pd.describe(),
                list(&countries),
                META.law
            ),
            format!(
                "политика обработки ПДн утверждает, что {said_ru} ({}:{}), но «{}» {} в {}: исправьте политику или перенесите данные ({})",
                p.source,
                s.line,
                e.id,
                pd.describe_ru(),
                list(&countries),
                META.law_ru
            ),
            evidence,
        ));
    }
}
