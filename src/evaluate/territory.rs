//! Territory and recipient are different facts (152-FZ art. 3 p. 11).
//!
//! An entity's countries are its *territory*: observed addresses,
//! networks, cloud regions, the declared `location`. A processor's or
//! partner's legal `country` is the *jurisdiction of the recipient*: who
//! receives the data, not where it is. The localisation and cross-border
//! rules judge territory; only where a recipient has no territory at all
//! does its legal country stand in, as a presumption stated in words.

use std::collections::BTreeSet;

use super::Evidence;
use crate::inventory::{Entity, EntityKind};
use crate::reference::Country;
use crate::resolve::{Basis, EntityLocation};

/// A recipient's data presumed to be in its legal entity's country,
/// because nothing places it anywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Presumption {
    pub country: Country,
    /// The legal entity (`name:`, else the id).
    pub legal_entity: String,
}

impl Presumption {
    /// The evidence: what is presumed, from what, and how to rebut it.
    pub(crate) fn evidence(&self) -> Evidence {
        Evidence::Place(crate::resolve::Evidence {
            country: self.country,
            source: crate::resolve::Source::LegalEntity,
            basis: Basis::LegalEntity(self.legal_entity.clone()),
        })
    }
}

/// What the localisation and cross-border rules judge for one entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Judged {
    /// Foreign countries of its territory, or the presumed one.
    pub abroad: BTreeSet<Country>,
    /// Set when `abroad` rests on the legal entity's country alone.
    pub presumed: Option<Presumption>,
}

impl Judged {
    /// The evidence: the presumption, or what `observed` gives.
    pub(crate) fn evidence(&self, observed: impl FnOnce() -> Vec<Evidence>) -> Vec<Evidence> {
        match &self.presumed {
            Some(p) => vec![p.evidence()],
            None => observed(),
        }
    }
}

/// The presumption for a processor or partner with no territory at all
/// and a foreign legal country; `None` for anything else (databases, a
/// recipient with any observed or declared country, a Russian one).
pub(crate) fn presumption(e: &Entity, loc: &EntityLocation) -> Option<Presumption> {
    if e.kind() == EntityKind::Database || !loc.countries.is_empty() {
        return None;
    }
    let c = e.legal_country().filter(|c| !c.is_ru())?;
    Some(Presumption {
        country: c,
        legal_entity: e.name.clone().unwrap_or_else(|| e.id.clone()),
    })
}

/// The foreign countries an entity's data is in (its territory), or,
/// when it has no territory and a foreign legal entity, that country as
/// a stated presumption.
pub(crate) fn judged(e: &Entity, loc: &EntityLocation) -> Judged {
    let abroad: BTreeSet<Country> = loc
        .countries
        .iter()
        .copied()
        .filter(|c| !c.is_ru())
        .collect();
    match presumption(e, loc) {
        Some(p) => Judged {
            abroad: BTreeSet::from([p.country]),
            presumed: Some(p),
        },
        None => Judged {
            abroad,
            presumed: None,
        },
    }
}

/// A foreign legal entity whose known territory is Russia only: its legal
/// country, else `None`.
pub(crate) fn foreign_with_russian_territory(e: &Entity, loc: &EntityLocation) -> Option<Country> {
    let legal = e.legal_country().filter(|c| !c.is_ru())?;
    (e.kind() != EntityKind::Database
        && !loc.countries.is_empty()
        && loc.countries.iter().all(|c| c.is_ru()))
    .then_some(legal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{Kind, Loc, Role};

    fn entity(kind: EntityKind, legal: Option<&str>) -> Entity {
        let legal_country = legal.and_then(Country::parse);
        Entity {
            id: "sdk".into(),
            name: Some("Example, Inc.".into()),
            hosts: Vec::new(),
            location: None,
            terraform: Vec::new(),
            seen: crate::inventory::Seen::Declared,
            kind: match kind {
                EntityKind::Database => Kind::Database {
                    role: Role::Primary,
                    engine: None,
                    operated_by: None,
                    personal_data: None,
                },
                EntityKind::Processor => Kind::Processor {
                    legal_country,
                    instruction: None,
                    collects: true,
                },
                EntityKind::Partner => Kind::Partner {
                    legal_country,
                    legal_basis: None,
                    collects: true,
                },
            },
            loc: Loc {
                file: "t.yaml".into(),
                line: 1,
                column: 1,
            },
        }
    }

    fn at(countries: &[&str]) -> EntityLocation {
        EntityLocation {
            countries: countries.iter().filter_map(|c| Country::parse(c)).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn territory_decides_and_the_legal_country_only_stands_in_for_none() {
        let us = Country::parse("US").unwrap();
        // A foreign SDK with no territory: presumed in its country.
        let j = judged(&entity(EntityKind::Processor, Some("US")), &at(&[]));
        assert_eq!(j.abroad, BTreeSet::from([us]));
        let p = j.presumed.unwrap().evidence().to_string();
        assert!(
            p.starts_with("presumed from the legal entity: Example, Inc. -> US (legal-entity)"),
            "{p}"
        );
        assert!(p.contains("declare `location:` or `hosts:` to rebut"));
        // A foreign company with Russian servers: nothing abroad.
        let j = judged(&entity(EntityKind::Processor, Some("US")), &at(&["RU"]));
        assert!(j.abroad.is_empty() && j.presumed.is_none());
        // Foreign territory is judged as observed, not replaced.
        let j = judged(&entity(EntityKind::Partner, Some("US")), &at(&["DE", "RU"]));
        assert_eq!(j.abroad, BTreeSet::from([Country::parse("DE").unwrap()]));
        assert!(j.presumed.is_none());
        // A Russian recipient with no territory presumes nothing.
        let j = judged(&entity(EntityKind::Partner, Some("RU")), &at(&[]));
        assert!(j.abroad.is_empty() && j.presumed.is_none());
        // Databases have no legal country to stand in.
        let j = judged(&entity(EntityKind::Database, None), &at(&[]));
        assert!(j.abroad.is_empty() && j.presumed.is_none());
    }

    #[test]
    fn foreign_recipient_needs_known_russian_territory_only() {
        let f = |legal, countries: &[&str]| {
            foreign_with_russian_territory(&entity(EntityKind::Processor, legal), &at(countries))
        };
        assert_eq!(f(Some("US"), &["RU"]), Country::parse("US"));
        assert_eq!(f(Some("US"), &["RU", "DE"]), None);
        assert_eq!(f(Some("US"), &[]), None);
        assert_eq!(f(Some("RU"), &["RU"]), None);
        assert_eq!(f(None, &["RU"]), None);
    }
}
