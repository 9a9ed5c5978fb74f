//! `policy-contradicted`: the privacy policy says personal data stays in
//! Russia (a localisation claim, or «не передаются за пределы РФ»), and the
//! audit finds it abroad.

use std::collections::BTreeSet;

use crate::evaluate::context::{PdReason, abroad};
use crate::evaluate::{Context, Evidence, Finding, LabelNote, RuleMeta, Severity};
use crate::inventory::EntityKind;
use crate::policy::{Claim, Policy, Statement};
use crate::reference::Country;

pub(crate) const META: RuleMeta = RuleMeta {
    id: "policy-contradicted",
    severity: Severity::High,
    description: "the privacy policy says personal data stays in Russia, but the audit finds it abroad",
    law: "152-FZ art. 18.1 p. 1–2, art. 18 p. 5, art. 12",
    law_ru: "ч. 1–2 ст. 18.1, ч. 5 ст. 18, ст. 12 152-ФЗ",
    description_ru: "политика обработки ПДн утверждает, что данные остаются в России, но аудит находит их за рубежом",
    doc_en: include_str!("../../../docs/rules/en/policy-contradicted.md"),
    doc_ru: include_str!("../../../docs/rules/ru/policy-contradicted.md"),
};

/// What the policy promised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Promise {
    /// Data is recorded and stored in databases in Russia.
    Localisation,
    /// Data is not transferred abroad.
    NoTransfer,
}

/// The policy promises `promise` at `source:line` (and `more` other
/// lines), but `entity` has PD (`pd`) in `countries`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub entity: String,
    pub pd: PdReason,
    pub countries: BTreeSet<Country>,
    pub promise: Promise,
    pub source: String,
    pub line: u32,
    /// Every policy line the audit contradicts for this entity, as `source:line`.
    pub lines: Vec<String>,
}

/// A statement as evidence.
pub(crate) fn quote(p: &Policy, s: &Statement) -> Evidence {
    Evidence::Policy {
        source: p.source.clone(),
        line: s.line,
        sentence: s.sentence.clone(),
    }
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
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
        let recorded_here =
            e.kind() == EntityKind::Database || *pd == PdReason::CollectsFromSubjects;
        let against: Vec<_> = no_transfer
            .iter()
            .chain(localisation.iter().filter(|_| recorded_here))
            .collect();
        let Some((p, s)) = against.first().copied() else {
            continue;
        };
        let promise = match s.claim {
            Claim::NoTransfer => Promise::NoTransfer,
            _ => Promise::Localisation,
        };
        let mut evidence = vec![quote(p, s)];
        evidence.extend(cx.evidence(loc, &countries));
        let mut f = Finding::about(
            Facts {
                entity: e.id.clone(),
                pd: pd.clone(),
                countries: countries.clone(),
                promise,
                source: p.source.clone(),
                line: s.line,
                lines: against
                    .iter()
                    .map(|(p, s)| format!("{}:{}", p.source, s.line))
                    .collect(),
            }
            .into(),
            e,
            countries,
            evidence,
        );
        for (p, s) in &against {
            f = f.with_related(p.loc(s), LabelNote::Policy);
        }
        out.push(f);
    }
}
