//! Waivers: accepted risks from the inventory's `waivers:` list.
//!
//! After the rules have run, a finding covered by a live waiver (same rule,
//! the entity or `*`, its countries among the waiver's when it lists any)
//! is set aside as waived: listed and counted, never failing the gate. An
//! expired waiver waives nothing (`waiver-expired` reports it); one that
//! covers no finding is `waiver-unused`. Findings about waivers cannot be
//! waived.

use super::Finding;
use crate::inventory::{Inventory, Waiver};

/// A finding set aside by a waiver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waived {
    pub finding: Finding,
    /// Index into [`Inventory::waivers`].
    pub waiver: usize,
}

/// Findings about the waivers themselves cannot be waived.
pub fn waivable(f: &Finding) -> bool {
    !f.rule.about_waivers()
}

/// Whether the waiver covers the finding (expiry aside).
pub fn covers(w: &Waiver, f: &Finding) -> bool {
    waivable(f) && w.covers(f.rule.as_str(), &f.entity, &f.countries)
}

/// The first waiver, live on `today`, that covers `f`.
pub fn covering(inv: &Inventory, today: i64, f: &Finding) -> Option<usize> {
    inv.waivers
        .iter()
        .position(|w| !w.expired(today) && covers(w, f))
}

/// Split findings into those that count and those waived. With `enabled`
/// false (`--no-waivers`) nothing is waived; `waiver-expired` and
/// `waiver-unused` are reported either way.
pub fn apply(
    inv: &Inventory,
    today: i64,
    mut findings: Vec<Finding>,
    enabled: bool,
) -> (Vec<Finding>, Vec<Waived>) {
    if !enabled {
        return (findings, Vec::new());
    }
    // In place: the findings that count keep their order and their vector
    // (a large audit has hundreds of thousands; no second copy).
    let waived = findings
        .extract_if(.., |f| covering(inv, today, f).is_some())
        .filter_map(|f| covering(inv, today, &f).map(|waiver| Waived { finding: f, waiver }))
        .collect();
    (findings, waived)
}
