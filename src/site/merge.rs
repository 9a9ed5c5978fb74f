//! The site's third parties, added to an inventory: a third party that
//! matches an inventory entity adds its hosts (observations) to it; one
//! that matches none becomes a new entity marked as an observation
//! ([`Seen::Site`](crate::inventory::Seen::Site): where it was first seen,
//! not declared), so that resolution and every rule place it like the
//! others, and `unlisted-third-party` reports it.
//!
//! A match is, in order: the same host; for a catalogue service, an entity
//! with the service's id or with a host of the same service; for an unknown
//! host, an entity with a host of the same registrable domain.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Sighting, SiteScan, ThirdParty, catalogue, domain};
use crate::inventory::{Entity, Host, HostEntry, Inventory, Kind, Loc, endpoint};

/// How one third party of the site relates to the inventory.
#[derive(Debug, Clone)]
pub struct Link {
    /// Index in [`SiteScan::third_parties`].
    pub party: usize,
    /// The inventory entity it is (added under this id when unlisted).
    pub entity: String,
    /// Not in the inventory: added from the site.
    pub unlisted: bool,
    /// Why it matched, e.g. `host api2.amplitude.com`.
    pub matched_by: Option<String>,
}

/// A site scan and its place in the audit.
#[derive(Debug, Clone, Default)]
pub struct SiteAudit {
    pub scan: SiteScan,
    pub links: Vec<Link>,
    /// Per entity id, its links (indices in `links`, in order): looking up
    /// an entity's third parties costs the same whatever the site's size.
    by_entity: HashMap<String, Vec<usize>>,
}

impl SiteAudit {
    /// The third parties linked to an entity, with their links.
    pub fn parties_of<'a>(
        &'a self,
        entity: &'a str,
    ) -> impl Iterator<Item = (&'a Link, &'a ThirdParty)> + 'a {
        self.by_entity
            .get(entity)
            .into_iter()
            .flatten()
            .map(|&i| &self.links[i])
            .map(|l| (l, &self.scan.third_parties[l.party]))
    }

    /// Where an entity shows up on the site.
    pub fn sightings_of<'a>(&'a self, entity: &'a str) -> impl Iterator<Item = &'a Sighting> + 'a {
        self.parties_of(entity)
            .flat_map(|(_, p)| p.sightings.iter())
    }

    /// The link of the third party at `party` ([`merge`] makes one per
    /// party, in order).
    pub fn link_of(&self, party: usize) -> Option<&Link> {
        match self.links.get(party) {
            Some(l) if l.party == party => Some(l),
            _ => self.links.iter().find(|l| l.party == party),
        }
    }
}

fn host_text(h: &HostEntry) -> String {
    h.endpoint.host.to_string()
}

/// Where the inventory's hosts are, so matching a third party costs the
/// same whatever the size of the inventory (a site with 20,000 third
/// parties is merged in linear time). Each map keeps the first entity, as a
/// scan of the entities in order would find it, with its host.
#[derive(Default)]
struct Index {
    host: HashMap<String, (usize, String)>,
    service: HashMap<&'static str, (usize, String)>,
    domain: HashMap<String, (usize, String)>,
}

fn keep_first(
    map_entry: Option<&mut (usize, String)>,
    i: usize,
    h: &str,
) -> Option<(usize, String)> {
    match map_entry {
        Some(e) if e.0 <= i => None,
        _ => Some((i, h.to_string())),
    }
}

impl Index {
    fn new(inv: &Inventory) -> Self {
        let mut ix = Self::default();
        for (i, e) in inv.entities.iter().enumerate() {
            ix.add(i, e);
        }
        ix
    }

    fn add(&mut self, i: usize, e: &Entity) {
        for h in &e.hosts {
            self.add_host(i, h);
        }
    }

    fn add_host(&mut self, i: usize, h: &HostEntry) {
        {
            let text = host_text(h);
            if let Some(v) = keep_first(self.host.get_mut(&text), i, &text) {
                self.host.insert(text.clone(), v);
            }
            if let Host::Name(n) = &h.endpoint.host {
                if let Some(s) = catalogue::lookup(n, "")
                    && let Some(v) = keep_first(self.service.get_mut(s.id), i, n)
                {
                    self.service.insert(s.id, v);
                }
                let d = domain::registrable(n);
                if let Some(v) = keep_first(self.domain.get_mut(&d), i, n) {
                    self.domain.insert(d, v);
                }
            }
        }
    }
}

fn find_match(inv: &Inventory, ix: &Index, party: &ThirdParty) -> Option<(usize, String)> {
    // The first entity with one of the party's hosts, and its first such host.
    if let Some(i) = party
        .hosts
        .iter()
        .filter_map(|h| ix.host.get(h).map(|(i, _)| *i))
        .min()
    {
        let h = inv.entities[i]
            .hosts
            .iter()
            .map(host_text)
            .find(|h| party.hosts.contains(h))
            .unwrap_or_default();
        return Some((i, format!("host {h}")));
    }
    if let Some(s) = party.service {
        if let Some(i) = inv.position(s.id) {
            return Some((i, format!("id {}", s.id)));
        }
        if let Some((i, n)) = ix.service.get(s.id) {
            return Some((*i, format!("host {n} of the same service ({})", s.id)));
        }
    } else if let Some((i, n)) = ix.domain.get(&party.id) {
        return Some((*i, format!("host {n} of the same domain")));
    }
    None
}

/// An inventory id for a new entity: the third party's id made valid and
/// unique.
fn unique_id(inv: &Inventory, base: &str) -> String {
    let mut id: String = base
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if !id.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        id.insert(0, 'x');
    }
    if inv.entity(&id).is_none() {
        return id;
    }
    (1..)
        .map(|n| {
            if n == 1 {
                format!("{id}-site")
            } else {
                format!("{id}-site-{n}")
            }
        })
        .find(|c| inv.entity(c).is_none())
        .unwrap_or(id)
}

/// Where on the site a third party's host was seen: the first sighting of
/// that host (else of the party), as a location and as an observation.
fn sighted(party: &super::ThirdParty, host: &str) -> (Loc, crate::inventory::Seen) {
    use crate::inventory::Seen;
    let s = party
        .sightings
        .iter()
        .find(|s| s.host == host)
        .or_else(|| party.sightings.first());
    match s {
        Some(s) => (
            Loc {
                file: Arc::from(s.page.as_str()),
                line: s.line.unwrap_or(1),
                column: 1,
            },
            Seen::Site(Box::new(crate::inventory::Sighted {
                page: s.page.clone(),
                line: s.line,
            })),
        ),
        None => (
            Loc {
                file: Arc::from("site"),
                line: 1,
                column: 1,
            },
            Seen::Site(Box::new(crate::inventory::Sighted {
                page: String::new(),
                line: None,
            })),
        ),
    }
}

/// Add the site's third parties to `inv` (see the module docs).
pub fn merge(inv: &mut Inventory, scan: SiteScan) -> SiteAudit {
    let mut links = Vec::new();
    let mut ix = Index::new(inv);
    let mut known_hosts: HashMap<usize, std::collections::HashSet<String>> = HashMap::new();
    for (i, party) in scan.third_parties.iter().enumerate() {
        if let Some((idx, how)) = find_match(inv, &ix, party) {
            let e = &mut inv.entities[idx];
            // Built once per entity: many parties may match one entity.
            let known = known_hosts
                .entry(idx)
                .or_insert_with(|| e.hosts.iter().map(host_text).collect());
            for h in &party.hosts {
                if !known.insert(h.clone()) {
                    continue;
                }
                let (loc, seen) = sighted(party, h);
                for endpoint in endpoint::parse(h).unwrap_or_default() {
                    let entry = HostEntry {
                        endpoint,
                        loc: loc.clone(),
                        seen: seen.clone(),
                    };
                    ix.add_host(idx, &entry);
                    e.hosts.push(entry);
                }
            }
            if party.service.is_some() && party.collects() {
                match &mut e.kind {
                    Kind::Processor { collects, .. } | Kind::Partner { collects, .. } => {
                        *collects = true
                    }
                    Kind::Database { .. } => {}
                }
            }
            links.push(Link {
                party: i,
                entity: e.id.clone(),
                unlisted: false,
                matched_by: Some(how),
            });
            continue;
        }
        let id = unique_id(inv, &party.id);
        // Where the party was first seen: the entity is that observation.
        let (loc, seen) = sighted(party, "");
        let hosts = party
            .hosts
            .iter()
            .flat_map(|h| {
                let (loc, seen) = sighted(party, h);
                endpoint::parse(h)
                    .unwrap_or_default()
                    .into_iter()
                    .map(move |endpoint| HostEntry {
                        endpoint,
                        loc: loc.clone(),
                        seen: seen.clone(),
                    })
            })
            .collect();
        let (processor, legal_country, name) = match party.service {
            Some(s) => (
                s.role == catalogue::Role::Processor,
                Some(s.country),
                Some(format!("{} ({})", s.legal_entity, s.name)),
            ),
            None => match &party.named_by {
                // The database's statement, marked as such.
                Some(n) => (
                    false,
                    n.owner.country,
                    Some(format!(
                        "{} (named by --tracker-db {})",
                        n.owner.name, n.file
                    )),
                ),
                None => (false, None, None),
            },
        };
        let at = inv.entities.len();
        let collects = party.collects();
        let kind = if processor {
            Kind::Processor {
                legal_country,
                instruction: None,
                collects,
            }
        } else {
            Kind::Partner {
                legal_country,
                legal_basis: None,
                collects,
            }
        };
        inv.add_entity(Entity {
            id: id.clone(),
            name,
            hosts,
            location: None,
            terraform: Vec::new(),
            loc,
            kind,
            seen,
        });
        ix.add(at, &inv.entities[at]);
        links.push(Link {
            party: i,
            entity: id,
            unlisted: true,
            matched_by: None,
        });
    }
    let mut by_entity: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, l) in links.iter().enumerate() {
        by_entity.entry(l.entity.clone()).or_default().push(i);
    }
    SiteAudit {
        scan,
        links,
        by_entity,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::inventory::EntityKind;
    use crate::site::{Sighting, ThirdParty};

    fn inventory(yaml: &str) -> Inventory {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("i.yaml"), yaml).unwrap();
        crate::inventory::load(dir.path()).unwrap()
    }

    fn party(id: &str, hosts: &[&str]) -> ThirdParty {
        ThirdParty {
            id: id.into(),
            service: catalogue::by_id(id),
            named_by: None,
            hosts: hosts.iter().map(|h| h.to_string()).collect::<BTreeSet<_>>(),
            sightings: vec![Sighting {
                page_index: 0,
                page: "https://www.example.ru/".into(),
                line: Some(7),
                element: "<script src=\"…\">".into(),
                host: hosts[0].into(),
                form: false,
                hint: false,
            }],
        }
    }

    #[test]
    fn matching_order_and_new_entities() {
        let mut inv = inventory(
            "version: 1\nprocessors:\n  - {id: analytics, country: US, hosts: [api.amplitude.com]}\n  - {id: widget-vendor, country: RU, hosts: [cdn.chatvendor.example]}\n  - {id: google-fonts, country: US, collects_from_subjects: false}\npartners:\n  - {id: tracker.example, country: DE}\n",
        );
        let scan = SiteScan {
            third_parties: vec![
                // Another host of a service the inventory has: matched, collects.
                party("amplitude", &["cdn.amplitude.com"]),
                // The catalogue id: matched; it only delivers files, so the
                // inventory's "does not collect" stands.
                party("google-fonts", &["fonts.googleapis.com"]),
                // Unknown host, same registrable domain as an inventory host.
                party("chatvendor.example", &["widget.chatvendor.example"]),
                // Unknown and unmatched, and its id is taken: a new entity, renamed.
                party("tracker.example", &["px.tracker.example"]),
                // A catalogue service nobody lists: a new processor.
                party("hotjar", &["static.hotjar.com"]),
            ],
            ..SiteScan::default()
        };
        // The unknown "tracker.example" must not match the partner of that id:
        // ids only match catalogue services.
        let audit = merge(&mut inv, scan);
        let got: Vec<(&str, bool, Option<&str>)> = audit
            .links
            .iter()
            .map(|l| (l.entity.as_str(), l.unlisted, l.matched_by.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "analytics",
                    false,
                    Some("host api.amplitude.com of the same service (amplitude)")
                ),
                ("google-fonts", false, Some("id google-fonts")),
                (
                    "widget-vendor",
                    false,
                    Some("host cdn.chatvendor.example of the same domain")
                ),
                ("tracker.example-site", true, None),
                ("hotjar", true, None),
            ]
        );
        let e = |id: &str| inv.entity(id).unwrap();
        // What the inventory lists stays declared; what only the site uses
        // is an observation, located where it was seen.
        use crate::inventory::{Seen, Sighted};
        for (l, _) in audit.links.iter().zip(0..) {
            let seen = &e(&l.entity).seen;
            match l.unlisted {
                false => assert_eq!(*seen, Seen::Declared, "{}", l.entity),
                true => assert_eq!(
                    *seen,
                    Seen::Site(Box::new(Sighted {
                        page: "https://www.example.ru/".into(),
                        line: Some(7)
                    })),
                    "{}",
                    l.entity
                ),
            }
        }
        assert!(e("analytics").collects_from_subjects());
        assert!(!e("google-fonts").collects_from_subjects());
        // An unknown third party does not overrule the inventory's judgement.
        assert!(!e("widget-vendor").collects_from_subjects());
        assert_eq!(
            e("analytics")
                .hosts
                .iter()
                .map(|h| h.endpoint.host.to_string())
                .collect::<Vec<_>>(),
            ["api.amplitude.com", "cdn.amplitude.com"]
        );
        // The inventory's host is a declaration; the site's, an observation
        // located on the page where it was seen.
        let seen: Vec<(&crate::inventory::Seen, u32)> = e("analytics")
            .hosts
            .iter()
            .map(|h| (&h.seen, h.loc.line))
            .collect();
        assert_eq!(seen[0].0, &crate::inventory::Seen::Declared);
        assert_eq!(
            seen[1],
            (
                &crate::inventory::Seen::Site(Box::new(crate::inventory::Sighted {
                    page: "https://www.example.ru/".into(),
                    line: Some(7)
                })),
                7
            )
        );
        assert_eq!(
            &*e("analytics").hosts[1].loc.file,
            "https://www.example.ru/"
        );
        let added = e("tracker.example-site");
        assert_eq!(added.kind(), EntityKind::Partner);
        assert!(added.collects_from_subjects(), "unknown: fail closed");
        assert_eq!(added.legal_country(), None);
        assert_eq!(added.loc.to_string(), "https://www.example.ru/:7:1");
        let hotjar = e("hotjar");
        assert_eq!(hotjar.kind(), EntityKind::Processor);
        assert_eq!(
            hotjar.legal_country().map(|c| c.to_string()),
            Some("MT".into())
        );
        assert_eq!(audit.sightings_of("hotjar").count(), 1);
    }
}
