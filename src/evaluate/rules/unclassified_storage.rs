//! `unclassified-storage`: a Terraform plan or state has storage outside
//! Russia, or of unknown place, that no inventory entity claims and that
//! nobody has marked as holding no personal data.

use super::unlisted_storage::Placed;
use crate::evaluate::{Context, Evidence, Finding, RuleMeta, Severity};
use crate::reference::Country;
use crate::resolve::Basis;
use crate::terraform::Action;

pub(crate) const META: RuleMeta = RuleMeta {
    id: "unclassified-storage",
    severity: Severity::Medium,
    description: "a Terraform plan has storage abroad or of unknown place that is neither in the inventory nor tagged as holding no personal data",
    law: "152-FZ art. 18 p. 5, art. 12",
    law_ru: "ч. 5 ст. 18, ст. 12 152-ФЗ",
    description_ru: "в плане Terraform есть хранилище за рубежом или в неизвестном месте, которого нет в инвентаризации и которое не помечено как не содержащее персональных данных",
    doc_en: include_str!("../../../docs/rules/en/unclassified-storage.md"),
    doc_ru: include_str!("../../../docs/rules/ru/unclassified-storage.md"),
};

/// Storage `address` (of `kind`) that no entity claims and no tag
/// classifies, placed in `places` (and partly or wholly `unknown`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub address: String,
    pub kind: &'static str,
    pub places: Vec<Placed>,
    /// Part or all of its place is unknown.
    pub unknown: bool,
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(tf) = &cx.resolved.terraform else {
        return;
    };
    let mut unlisted = vec![false; tf.resources.len()];
    for u in &tf.unclaimed {
        unlisted[u.resource] = true;
    }
    for (i, r) in tf.resources.iter().enumerate() {
        let Some(storage) = r.storage else {
            continue;
        };
        if r.action == Action::Delete
            || !tf.owners[i].is_empty()
            || r.personal_data == Some(false)
            || unlisted[i]
        {
            continue;
        }
        let abroad: Vec<Country> = r.countries().into_iter().filter(|c| !c.is_ru()).collect();
        let unknown = r.places.is_empty() || !r.unknown.is_empty();
        if abroad.is_empty() && !unknown {
            continue;
        }
        let mut evidence: Vec<Evidence> = r
            .places
            .iter()
            .map(|p| {
                Evidence::Place(crate::resolve::Evidence {
                    country: p.country,
                    source: crate::resolve::Source::Terraform(r.address.as_str().into()),
                    basis: Basis::PlanResource(Box::new(crate::resolve::PlanResource {
                        address: r.address.clone(),
                        via: p.via.clone(),
                        cloud: p.cloud,
                        region: p.region,
                    })),
                })
            })
            .collect();
        evidence.extend(r.unknown.iter().map(|u| Evidence::PlanUnknown {
            address: r.address.clone(),
            why: u.clone(),
        }));
        out.push(Finding::new(
            Facts {
                address: r.address.clone(),
                kind: storage.kind,
                places: r
                    .places
                    .iter()
                    .map(|p| Placed {
                        country: p.country,
                        cloud: p.cloud,
                        region: p.region,
                    })
                    .collect(),
                unknown,
            }
            .into(),
            r.address.clone(),
            abroad,
            evidence,
            r.loc.clone(),
        ));
    }
}
