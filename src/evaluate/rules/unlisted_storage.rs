//! `unlisted-storage`: a Terraform plan has personal-data storage that no
//! inventory entity claims, so no other rule can judge where it is.

use crate::evaluate::{Context, Evidence, Finding, RuleMeta, Severity};
use crate::reference::Country;
use crate::resolve::Basis;
use crate::terraform::{TAG_ID, TAG_PD, UnclaimedWhy};

pub(crate) const META: RuleMeta = RuleMeta {
    id: "unlisted-storage",
    severity: Severity::High,
    description: "a Terraform plan has personal-data storage that the inventory does not list",
    law: "152-FZ art. 18 p. 5, art. 22 p. 3 point 10.1",
    law_ru: "ч. 5 ст. 18, п. 10.1 ч. 3 ст. 22 152-ФЗ",
    description_ru: "в плане Terraform есть хранилище персональных данных, которого нет в инвентаризации",
    doc_en: include_str!("../../../docs/rules/en/unlisted-storage.md"),
    doc_ru: include_str!("../../../docs/rules/ru/unlisted-storage.md"),
};

/// A Terraform plan has storage `address` (of `kind`) that no entity
/// claims, for `why`; it is placed in `places`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub address: String,
    /// The storage kind (`database`, `bucket`, …) or `resource`.
    pub kind: &'static str,
    pub places: Vec<Placed>,
    pub why: UnclaimedWhy,
}

/// Where a planned resource is: country and cloud region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    pub country: Country,
    pub cloud: &'static str,
    pub region: &'static str,
}

pub(crate) fn check(cx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(tf) = &cx.resolved.terraform else {
        return;
    };
    for u in &tf.unclaimed {
        let r = &tf.resources[u.resource];
        let tag = match &u.why {
            UnclaimedWhy::PersonalData => {
                Evidence::PlanTag(Box::new(crate::evaluate::finding::PlanTag {
                    address: r.address.clone(),
                    tag: TAG_PD,
                    value: "true".into(),
                    loc: r.loc.clone(),
                }))
            }
            UnclaimedWhy::UnknownId { id, .. } => {
                Evidence::PlanTag(Box::new(crate::evaluate::finding::PlanTag {
                    address: r.address.clone(),
                    tag: TAG_ID,
                    value: id.clone(),
                    loc: r.loc.clone(),
                }))
            }
        };
        let mut evidence = vec![tag];
        evidence.extend(r.places.iter().map(|p| {
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
        }));
        evidence.extend(r.unknown.iter().map(|u| Evidence::PlanUnknown {
            address: r.address.clone(),
            why: u.clone(),
        }));
        out.push(Finding::new(
            Facts {
                address: r.address.clone(),
                kind: r.storage.map_or("resource", |s| s.kind),
                places: r
                    .places
                    .iter()
                    .map(|p| Placed {
                        country: p.country,
                        cloud: p.cloud,
                        region: p.region,
                    })
                    .collect(),
                why: u.why.clone(),
            }
            .into(),
            r.address.clone(),
            r.countries(),
            evidence,
            r.loc.clone(),
        ));
    }
}
