//! `policy-omits-recipient`: a processor or partner receives personal data,
//! and the privacy policy neither names it nor names a category that
//! covers it.

use std::collections::HashMap;

use crate::evaluate::context::PdReason;
use crate::evaluate::{Context, Evidence, Finding, LabelNote, RuleMeta, Severity};
use crate::inventory::EntityKind;

pub(crate) const META: RuleMeta = RuleMeta {
    id: "policy-omits-recipient",
    severity: Severity::High,
    description: "a processor or partner receives personal data, but the privacy policy does not name it or its category",
    law: "152-FZ art. 18.1 p. 1–2, art. 6 p. 3",
    law_ru: "ч. 1–2 ст. 18.1, ч. 3 ст. 6 152-ФЗ",
    description_ru: "обработчик или партнёр получает персональные данные, но политика обработки ПДн не называет ни его, ни его категорию",
    doc_en: include_str!("../../../docs/rules/en/policy-omits-recipient.md"),
    doc_ru: include_str!("../../../docs/rules/ru/policy-omits-recipient.md"),
};

/// Third party `entity` has PD (`pd`); the policy, which speaks of
/// recipients at `place` (`source:line`, or the source), omits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub entity: String,
    pub kind: EntityKind,
    pub pd: PdReason,
    pub place: String,
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(first) = cx.policies.first() else {
        return;
    };
    // Where the policy speaks of recipients: the first statement of the
    // section that names the most recipients and categories.
    let named = || {
        cx.policies
            .iter()
            .flat_map(|p| p.statements.iter().map(move |s| (p, s)))
            .filter(|(_, s)| matches!(s.claim.kind(), "recipient" | "category"))
    };
    let mut per_heading: HashMap<&Option<String>, usize> = HashMap::new();
    for (_, s) in named() {
        *per_heading.entry(&s.heading).or_default() += 1;
    }
    let count = |h: &Option<String>| per_heading.get(h).copied().unwrap_or(0);
    let place = named().max_by(|a, b| {
        count(&a.1.heading)
            .cmp(&count(&b.1.heading))
            // The first of equals.
            .then((b.1.line, &b.0.source).cmp(&(a.1.line, &a.0.source)))
    });
    let where_ = match place {
        Some((p, s)) => format!("{}:{}", p.source, s.line),
        None => first.source.clone(),
    };
    for (e, loc, pd) in cx.with_pd() {
        if !e.is_third_party() || cx.policy_naming(e).is_some() {
            continue;
        }
        let mut evidence = vec![Evidence::PersonalData(pd.clone())];
        if let Some((p, s)) = place {
            evidence.push(super::policy_contradicted::quote(p, s));
        }
        let mut f = Finding::about(
            Facts {
                entity: e.id.clone(),
                kind: e.kind(),
                pd: pd.clone(),
                place: where_.clone(),
            }
            .into(),
            e,
            loc.countries.iter().copied(),
            evidence,
        );
        if let Some((p, s)) = place {
            f = f.with_related(p.loc(s), LabelNote::Policy);
        }
        out.push(f);
    }
}
