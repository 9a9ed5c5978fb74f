//! What every rule needs to know: the inventory, where each entity is, and
//! which entities hold or receive Russian citizens' personal data.

use std::collections::BTreeSet;

use super::Evidence;
use crate::inventory::{Entity, EntityKind, Inventory};
use crate::reference::Country;
use crate::reference::adequacy::Adequacy;
use crate::reference::banned::Banned;
use crate::resolve::{EntityLocation, Resolved};
use crate::site::SiteAudit;

/// Why an entity has Russian citizens' personal data.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum PdReason {
    /// A database with `personal_data` (`ru_citizens` true).
    Holds,
    /// A processor/partner that is the `to` of a transfer from `from`.
    Transfer { from: String },
    /// A processor that operates the PD database `db`.
    Operates { db: String },
    /// `collects_from_subjects: true`: the operator's users send data to it.
    CollectsFromSubjects,
    /// The operator's web pages make visitors' browsers contact it (a font,
    /// a CDN, a tag manager, a preconnect hint): it receives their IP
    /// addresses — personal data, so a transfer and possibly a cross-border
    /// one — without recording what users type (`check --site`).
    SiteVisitors,
}

impl PdReason {
    /// A one-word label for tables: holds, receives, collects.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Holds => "holds",
            Self::Transfer { .. } | Self::Operates { .. } => "receives",
            Self::CollectsFromSubjects => "collects",
            Self::SiteVisitors => "receives",
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Self::Holds => "holds personal data of Russian citizens".into(),
            Self::Transfer { from } => format!("receives personal data from `{from}`"),
            Self::Operates { db } => format!("operates the personal-data database `{db}`"),
            Self::CollectsFromSubjects => "collects personal data directly from users".into(),
            Self::SiteVisitors => "receives the IP addresses of the web site's visitors".into(),
        }
    }
}

pub struct Context<'a> {
    pub inventory: &'a Inventory,
    pub resolved: &'a Resolved,
    pub adequacy: &'a Adequacy,
    /// Organisations banned in Russia by a court decision (`--banned`).
    pub banned: &'a Banned,
    /// The web site's third parties (`check --site`), already merged into
    /// the inventory.
    pub site: Option<&'a SiteAudit>,
    /// The published privacy policies (`--policy`), as read.
    pub policies: &'a [crate::policy::Policy],
    /// The report date, days since 1970-01-01: waivers expire against it.
    pub today: i64,
    /// Per entity (inventory order): why it has PD, if it does.
    pd: Vec<Option<PdReason>>,
    /// The `operated_by` of every database with personal data.
    pd_operators: std::collections::HashSet<&'a str>,
}

impl<'a> Context<'a> {
    pub fn new(inventory: &'a Inventory, resolved: &'a Resolved, adequacy: &'a Adequacy) -> Self {
        let n = inventory.entities.len();
        let index = |id: &str| inventory.position(id);
        let mut pd: Vec<Option<PdReason>> = inventory
            .entities
            .iter()
            .map(|e| {
                if e.kind() == EntityKind::Database {
                    e.holds_ru_pd().then_some(PdReason::Holds)
                } else if e.collects_from_subjects() {
                    Some(PdReason::CollectsFromSubjects)
                } else {
                    None
                }
            })
            .collect();
        for e in &inventory.entities {
            if e.holds_ru_pd()
                && let Some(op) = e.operated_by().and_then(index)
                && pd[op].is_none()
            {
                pd[op] = Some(PdReason::Operates { db: e.id.clone() });
            }
        }
        // Transfers carry PD from a PD entity to processors/partners, and on
        // from those to others: iterate to a fixed point (at most n rounds).
        for _ in 0..=n {
            let mut changed = false;
            for t in &inventory.transfers {
                let (Some(from), Some(to)) = (index(&t.from), index(&t.to)) else {
                    continue;
                };
                if pd[from].is_some() && pd[to].is_none() && inventory.entities[to].is_third_party()
                {
                    pd[to] = Some(PdReason::Transfer {
                        from: t.from.clone(),
                    });
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        let pd_operators = inventory
            .entities
            .iter()
            .filter(|d| d.holds_ru_pd())
            .filter_map(|d| d.operated_by())
            .collect();
        Self {
            inventory,
            resolved,
            adequacy,
            banned: Banned::shared(),
            site: None,
            policies: &[],
            today: crate::util::day(
                crate::util::report_epoch().unwrap_or_else(|_| crate::util::now()),
            ),
            pd,
            pd_operators,
        }
    }

    /// The same context with another list of banned recipients.
    pub fn with_banned(mut self, banned: &'a Banned) -> Self {
        self.banned = banned;
        self
    }

    /// The same context with the site scan that was merged into the inventory.
    pub fn with_site(mut self, site: Option<&'a SiteAudit>) -> Self {
        self.site = site;
        // A third party the pages load receives the visitors' IP addresses
        // even when it records nothing else: a recipient of personal data.
        if let Some(site) = site {
            for (e, pd) in self.inventory.entities.iter().zip(self.pd.iter_mut()) {
                if pd.is_none() && e.is_third_party() && site.sightings_of(&e.id).next().is_some() {
                    *pd = Some(PdReason::SiteVisitors);
                }
            }
        }
        self
    }

    /// The same context with the privacy policies read (`--policy`).
    pub fn with_policies(mut self, policies: &'a [crate::policy::Policy]) -> Self {
        self.policies = policies;
        self
    }

    /// Whether the entity operates a database with personal data (a
    /// hosting provider, for the policy's categories).
    pub fn operates_pd_database(&self, id: &str) -> bool {
        self.pd_operators.contains(id)
    }

    /// How the privacy policies treat a recipient (`None` without
    /// `--policy`, or when they omit it).
    pub fn policy_naming(&self, e: &Entity) -> Option<crate::policy::Naming<'a>> {
        if self.policies.is_empty() {
            return None;
        }
        crate::policy::naming(self.policies, e, self.operates_pd_database(&e.id))
    }

    /// Judge as of this report time (Unix seconds) instead of
    /// `SOURCE_DATE_EPOCH`/now.
    pub fn at(mut self, epoch: i64) -> Self {
        self.today = crate::util::day(epoch);
        self
    }

    /// Entities with their locations and PD status, in inventory order.
    pub fn entities(
        &self,
    ) -> impl Iterator<Item = (&'a Entity, &'a EntityLocation, Option<&PdReason>)> + '_ {
        self.inventory
            .entities
            .iter()
            .zip(&self.resolved.locations)
            .zip(&self.pd)
            .map(|((e, l), pd)| (e, l, pd.as_ref()))
    }

    /// Entities whose data is Russian citizens' PD: PD databases of any role
    /// and processors/partners that receive PD.
    pub fn with_pd(
        &self,
    ) -> impl Iterator<Item = (&'a Entity, &'a EntityLocation, &PdReason)> + '_ {
        self.entities()
            .filter_map(|(e, l, pd)| pd.map(|r| (e, l, r)))
    }

    /// Per entity (inventory order): why it has PD, if it does.
    pub fn pd_reasons(&self) -> &[Option<PdReason>] {
        &self.pd
    }

    /// Whether the entity with this id has PD.
    pub fn has_pd(&self, id: &str) -> bool {
        self.inventory
            .entities
            .iter()
            .zip(&self.pd)
            .any(|(e, pd)| e.id == id && pd.is_some())
    }

    /// The entity with this id, with its location and PD status.
    pub fn entity(&self, id: &str) -> Option<(&'a Entity, &'a EntityLocation, Option<&PdReason>)> {
        let i = self.inventory.position(id)?;
        Some((
            &self.inventory.entities[i],
            &self.resolved.locations[i],
            self.pd[i].as_ref(),
        ))
    }

    /// The evidence for the given countries of an entity.
    pub fn evidence(&self, loc: &EntityLocation, countries: &BTreeSet<Country>) -> Vec<Evidence> {
        countries
            .iter()
            .flat_map(|c| loc.evidence.iter().filter(move |e| e.country == *c))
            .cloned()
            .map(Evidence::Place)
            .collect()
    }

    /// The declared cross-border countries, and with `--policy` the
    /// countries the policy names.
    pub fn declared_countries(&self) -> BTreeSet<Country> {
        let mut all: BTreeSet<Country> = self
            .inventory
            .declarations
            .cross_border_countries
            .iter()
            .map(|(c, _)| *c)
            .collect();
        for p in self.policies {
            all.extend(p.countries());
        }
        all
    }

    /// Declared in `declarations.third_parties`, or with `--policy` named
    /// (or covered by a category) in the policy.
    pub fn is_declared_third_party(&self, id: &str) -> bool {
        self.inventory
            .declarations
            .third_parties
            .iter()
            .any(|(d, _)| d == id)
            || self
                .inventory
                .entity(id)
                .is_some_and(|e| self.policy_naming(e).is_some())
    }
}

/// The non-RU countries of a location.
pub fn abroad(loc: &EntityLocation) -> BTreeSet<Country> {
    loc.countries
        .iter()
        .copied()
        .filter(|c| !c.is_ru())
        .collect()
}
