//! Planned resources ↔ inventory entities.
//!
//! A resource belongs to an entity when the entity's `terraform:` list
//! names it (an address, matching every instance when it has no key; or a
//! module path, matching every storage resource in the module), or when the
//! resource's `residency-id` tag/label names the entity. Storage resources
//! tagged `personal-data = true`, or whose `residency-id` names no entity,
//! and that no entity claims, are collected for `unlisted-storage`.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use super::{Action, Plan, Resource, TAG_ID, TAG_PD};
use crate::inventory::tfaddr::TfAddress;
use crate::inventory::{Diagnostic, Inventory};

/// Module names, resource type and name: what an address pattern with a
/// resource part must share with the addresses it covers.
type ClaimKey<'a> = (Vec<&'a str>, &'a str, &'a str);

fn key(a: &TfAddress) -> Option<ClaimKey<'_>> {
    let r = a.resource.as_ref()?;
    Some((
        a.modules.iter().map(|m| m.name.as_str()).collect(),
        r.rtype.as_str(),
        r.name.as_str(),
    ))
}

/// One plan, summarised.
#[derive(Debug, Clone)]
pub struct PlanInfo {
    pub file: Arc<str>,
    pub terraform_version: Option<String>,
    /// Managed resources in it.
    pub resources: usize,
}

/// Why a storage resource is reported as unlisted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnclaimedWhy {
    /// Tagged `personal-data = true`.
    PersonalData,
    /// Its `residency-id` names no entity.
    UnknownId { id: String, hint: Option<String> },
}

/// Personal-data storage no entity claims.
#[derive(Debug, Clone)]
pub struct Unclaimed {
    /// Index into [`Terraform::resources`].
    pub resource: usize,
    pub why: UnclaimedWhy,
}

/// Every plan read, linked to the inventory.
#[derive(Debug, Clone, Default)]
pub struct Terraform {
    pub plans: Vec<PlanInfo>,
    /// Managed resources of all plans, in plan order.
    pub resources: Vec<Resource>,
    /// Per inventory entity (inventory order): indices into `resources`.
    pub links: Vec<Vec<usize>>,
    /// Per resource: the ids of the entities it belongs to.
    pub owners: Vec<Vec<String>>,
    pub unclaimed: Vec<Unclaimed>,
    /// Warnings: `terraform:` entries that matched nothing, `residency-id`
    /// tags on non-storage resources that name no entity.
    pub warnings: Vec<Diagnostic>,
}

impl Terraform {
    /// Resources worth reporting: storage, or linked to an entity.
    pub fn relevant(&self) -> impl Iterator<Item = (usize, &Resource)> {
        self.resources
            .iter()
            .enumerate()
            .filter(|(i, r)| r.storage.is_some() || !self.owners[*i].is_empty())
    }
}

/// Link the resources of `plans` to the entities of `inv`.
pub fn link(inv: &Inventory, plans: Vec<Plan>) -> Terraform {
    let mut tf = Terraform {
        links: vec![Vec::new(); inv.entities.len()],
        ..Default::default()
    };
    for p in plans {
        tf.plans.push(PlanInfo {
            file: p.file.clone(),
            terraform_version: p.terraform_version.clone(),
            resources: p.resources.len(),
        });
        tf.resources.extend(p.resources);
    }
    tf.owners = vec![Vec::new(); tf.resources.len()];
    let mut used: BTreeSet<(usize, usize)> = BTreeSet::new();
    let ids: Vec<&str> = inv.entities.iter().map(|e| e.id.as_str()).collect();
    let by_id: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    // Claims of a resource, indexed by module names, type and name; claims
    // of a module path are few and checked one by one.
    let mut resource_claims: HashMap<ClaimKey<'_>, Vec<(usize, usize)>> = HashMap::new();
    let mut module_claims: Vec<(usize, usize)> = Vec::new();
    for (ei, e) in inv.entities.iter().enumerate() {
        for (ci, claim) in e.terraform.iter().enumerate() {
            match key(&claim.address) {
                Some(k) => resource_claims.entry(k).or_default().push((ei, ci)),
                None => module_claims.push((ei, ci)),
            }
        }
    }
    for (ri, r) in tf.resources.iter().enumerate() {
        let mut owners: BTreeSet<usize> = BTreeSet::new();
        let candidates = key(&r.parsed)
            .and_then(|k| resource_claims.get(&k))
            .into_iter()
            .flatten()
            .chain(module_claims.iter().filter(|_| r.storage.is_some()));
        for &(ei, ci) in candidates {
            if inv.entities[ei].terraform[ci].address.covers(&r.parsed) {
                used.insert((ei, ci));
                owners.insert(ei);
            }
        }
        let mut unclaimed = None;
        if let Some(id) = &r.residency_id {
            match by_id.get(id.as_str()).copied() {
                Some(ei) => {
                    owners.insert(ei);
                }
                None => {
                    let hint =
                        crate::reference::closest(id, ids.iter().copied()).map(str::to_string);
                    if r.storage.is_some() && owners.is_empty() {
                        unclaimed = Some(UnclaimedWhy::UnknownId {
                            id: id.clone(),
                            hint,
                        });
                    } else {
                        tf.warnings.push(Diagnostic::at(
                            &r.loc,
                            format!(
                                "`{}` is tagged {TAG_ID} = {id}, but the inventory has no entity `{id}`",
                                r.address
                            ),
                            hint.map(|h| format!("did you mean `{h}`?")),
                        ));
                    }
                }
            }
        }
        if r.action == Action::Delete {
            // Going away: it places no data, but it did match its claims.
            continue;
        }
        if owners.is_empty() && r.storage.is_some() {
            if unclaimed.is_none() && r.personal_data == Some(true) {
                unclaimed = Some(UnclaimedWhy::PersonalData);
            }
            if let Some(why) = unclaimed {
                tf.unclaimed.push(Unclaimed { resource: ri, why });
            }
        }
        for &ei in &owners {
            let e = &inv.entities[ei];
            if r.personal_data == Some(true) && e.personal_data().is_none() {
                tf.warnings.push(Diagnostic::at(
                    &e.loc,
                    format!(
                        "`{}` has no `personal_data`, but its resource `{}` is tagged {TAG_PD} = true",
                        e.id, r.address
                    ),
                    Some("add `personal_data:` to the entity, or remove the tag".into()),
                ));
            }
        }
        for ei in owners {
            tf.links[ei].push(ri);
            tf.owners[ri].push(inv.entities[ei].id.clone());
        }
    }
    let addresses: Vec<&str> = tf.resources.iter().map(|r| r.address.as_str()).collect();
    for (ei, e) in inv.entities.iter().enumerate() {
        for (ci, claim) in e.terraform.iter().enumerate() {
            if used.contains(&(ei, ci)) {
                continue;
            }
            let address = claim.address.to_string();
            let hint = crate::reference::closest(&address, addresses.iter().copied())
                .map(|a| format!("did you mean `{a}`?"))
                .or_else(|| {
                    Some(format!(
                        "no plan given with --terraform contains it ({} resource{} read)",
                        addresses.len(),
                        if addresses.len() == 1 { "" } else { "s" }
                    ))
                });
            tf.warnings.push(Diagnostic::at(
                &claim.loc,
                format!(
                    "`{}` lists Terraform address `{address}`, which matches no {}resource of the plans",
                    e.id,
                    if claim.address.resource.is_none() {
                        "storage "
                    } else {
                        ""
                    }
                ),
                hint,
            ));
        }
    }
    tf
}
