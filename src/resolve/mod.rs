//! Stage 2: where each entity is — hosts → addresses → countries, with the
//! evidence chain for every country.
//!
//! Each distinct host name is resolved once per run, concurrently with a
//! bound. Addresses are placed by the inventory's `networks` first (most
//! specific CIDR wins), then by GeoIP. Anything that cannot be resolved or
//! placed is recorded as unknown, never as Russia.

pub mod dns;
pub mod geoip;

use std::collections::{BTreeSet, HashMap};
use std::net::IpAddr;
use std::sync::Arc;

use futures::StreamExt;
use serde::Serialize;

use crate::inventory::{DeclaredLocation, Entity, Host, Inventory, Network};
use crate::reference::Country;
use crate::terraform::Terraform;
pub use dns::{DnsFailure, DnsOptions, Nameserver};
pub use geoip::GeoIp;

/// How to resolve.
#[derive(Debug, Clone)]
pub struct Options {
    /// Make no network request: host names stay unresolved.
    pub offline: bool,
    pub dns: DnsOptions,
    /// Names resolved at once.
    pub concurrency: usize,
}

/// One address and where it was placed.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Address {
    pub ip: IpAddr,
    pub country: Option<Country>,
    /// `network:<site>` or `geoip`; `unplaced` when neither knows it.
    pub source: String,
}

/// How the addresses of a host were obtained.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Via {
    Literal,
    Dns,
    /// Not resolved: `--offline`.
    Offline,
}

/// Everything learnt about one host.
#[derive(Debug, Clone)]
pub struct HostResolution {
    pub host: Host,
    pub via: Via,
    /// The name and each CNAME target; for an IP literal, the address.
    pub chain: Vec<String>,
    pub addresses: Vec<Address>,
    /// Why the host is not (fully) placed.
    pub error: Option<String>,
}

impl HostResolution {
    /// Evidence per placed address: `host -> cname -> ip -> CC (source)`.
    pub fn evidence(&self) -> impl Iterator<Item = Evidence> + '_ {
        self.addresses.iter().filter_map(|a| {
            let country = a.country?;
            let mut parts: Vec<String> = self.chain.clone();
            if parts.last().map(String::as_str) != Some(a.ip.to_string().as_str()) {
                parts.push(a.ip.to_string());
            }
            Some(Evidence::new(country, &a.source, parts.join(" -> ")))
        })
    }
}

/// Why a country is among an entity's countries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub country: Country,
    /// `network:<site>`, `geoip`, `declared`, `cloud:<provider>/<region>`, `legal-entity`.
    pub source: String,
    /// The whole chain: `host -> cname -> ip -> CC (source)`.
    pub text: String,
}

impl Evidence {
    fn new(country: Country, source: &str, path: String) -> Self {
        Self {
            country,
            source: source.to_string(),
            text: format!("{path} -> {country} ({source})"),
        }
    }
}

/// Where one entity is.
#[derive(Debug, Clone, Default)]
pub struct EntityLocation {
    /// The resolution of each of the entity's hosts, in inventory order.
    pub hosts: Vec<Arc<HostResolution>>,
    /// Countries of placed addresses.
    pub observed: BTreeSet<Country>,
    /// The declared location's country.
    pub declared: Option<Country>,
    /// A processor's or partner's legal country.
    pub legal: Option<Country>,
    /// The countries the entity's data is in: observed (or, where nothing
    /// was observed, declared), plus the legal country.
    pub countries: BTreeSet<Country>,
    /// Evidence for each country in `countries`.
    pub evidence: Vec<Evidence>,
    /// Why the location is (partly) unknown; empty when fully known.
    pub unknown: Vec<String>,
}

impl EntityLocation {
    pub fn evidence_for(&self, c: Country) -> impl Iterator<Item = &str> {
        self.evidence
            .iter()
            .filter(move |e| e.country == c)
            .map(|e| e.text.as_str())
    }
}

/// Counters for the run summary.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    /// Distinct host names looked up in DNS.
    pub names: usize,
    /// Of those, how many failed (no or incomplete answer).
    pub failed: usize,
    /// Failures by reason.
    pub failures: Vec<(String, usize)>,
}

/// The output of this stage.
pub struct Resolved {
    /// One per inventory entity, same order.
    pub locations: Vec<EntityLocation>,
    pub geoip_source: String,
    pub geoip_build_date: String,
    pub offline: bool,
    pub stats: Stats,
    /// The Terraform plans, when `check --terraform` gave any
    /// ([`apply_terraform`] has added them to the locations).
    pub terraform: Option<Terraform>,
}

/// Resolve and place every entity of the inventory.
pub async fn resolve(inv: &Inventory, opts: &Options, geo: &GeoIp) -> Result<Resolved, String> {
    let mut names: BTreeSet<&str> = BTreeSet::new();
    for e in &inv.entities {
        for h in &e.hosts {
            if let Host::Name(n) = &h.endpoint.host {
                names.insert(n);
            }
        }
    }
    let mut answers: HashMap<String, dns::DnsAnswer> = HashMap::with_capacity(names.len());
    let mut stats = Stats::default();
    if !opts.offline && !names.is_empty() {
        let client = dns::Dns::new(&opts.dns)?;
        let mut stream = futures::stream::iter(names.iter().map(|n| {
            let client = client.clone();
            let n = n.to_string();
            async move {
                let a = client.lookup(&n).await;
                (n, a)
            }
        }))
        .buffer_unordered(opts.concurrency.max(1));
        while let Some((n, a)) = stream.next().await {
            answers.insert(n, a);
        }
        stats.names = answers.len();
        let mut by_reason: HashMap<String, usize> = HashMap::new();
        for a in answers.values() {
            if let Some(f) = &a.failure {
                stats.failed += 1;
                *by_reason.entry(f.to_string()).or_default() += 1;
            }
        }
        stats.failures = by_reason.into_iter().collect();
        stats
            .failures
            .sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    }
    let mut cache: HashMap<Host, Arc<HostResolution>> = HashMap::new();
    let locations = inv
        .entities
        .iter()
        .map(|e| {
            let hosts = e
                .hosts
                .iter()
                .map(|h| {
                    cache
                        .entry(h.endpoint.host.clone())
                        .or_insert_with(|| {
                            Arc::new(place_host(
                                &h.endpoint.host,
                                &answers,
                                &inv.networks,
                                geo,
                                opts.offline,
                            ))
                        })
                        .clone()
                })
                .collect();
            locate(e, hosts)
        })
        .collect();
    Ok(Resolved {
        locations,
        geoip_source: geo.source.clone(),
        geoip_build_date: geo.build_date.clone(),
        offline: opts.offline,
        stats,
        terraform: None,
    })
}

/// Add the planned resources linked to each entity to its observed
/// countries (source `terraform:<address>`), and their unknowns to its
/// unknowns; keep the plans in [`Resolved::terraform`].
pub fn apply_terraform(resolved: &mut Resolved, inv: &Inventory, tf: Terraform) {
    for ((e, loc), linked) in inv
        .entities
        .iter()
        .zip(resolved.locations.iter_mut())
        .zip(&tf.links)
    {
        if linked.is_empty() {
            continue;
        }
        let had_observations = !loc.observed.is_empty();
        for &ri in linked {
            let r = &tf.resources[ri];
            for p in &r.places {
                loc.observed.insert(p.country);
                loc.evidence.push(Evidence::new(
                    p.country,
                    &format!("terraform:{}", r.address),
                    format!("{} ({}) -> {}/{}", r.address, p.via, p.cloud, p.region),
                ));
            }
            for why in &r.unknown {
                loc.unknown.push(format!("terraform {}: {why}", r.address));
            }
        }
        if !had_observations && !loc.observed.is_empty() {
            // Observations now exist: the declared location no longer stands in.
            if let Some(d) = &e.location {
                let declared = declared_evidence(d);
                loc.evidence.retain(|ev| *ev != declared);
            }
            loc.countries = loc.observed.clone();
            if let Some(c) = e.legal_country {
                loc.countries.insert(c);
            }
        } else {
            loc.countries.extend(loc.observed.iter().copied());
        }
        // A resource that the plan can place stands in for a missing host list.
        if e.hosts.is_empty() && e.location.is_none() && !loc.observed.is_empty() {
            loc.unknown.retain(|u| !u.starts_with(NO_LOCATION));
        }
    }
    resolved.terraform = Some(tf);
}

fn place_host(
    host: &Host,
    answers: &HashMap<String, dns::DnsAnswer>,
    networks: &[Network],
    geo: &GeoIp,
    offline: bool,
) -> HostResolution {
    let (via, chain, ips, mut error) = match host {
        Host::Ip(ip) => (Via::Literal, vec![ip.to_string()], vec![*ip], None),
        Host::Name(n) if offline => (
            Via::Offline,
            vec![n.clone()],
            vec![],
            Some("not resolved (--offline)".to_string()),
        ),
        Host::Name(n) => match answers.get(n) {
            Some(a) => (
                Via::Dns,
                a.chain.clone(),
                a.addresses.clone(),
                a.failure.as_ref().map(|f| format!("DNS: {f}")),
            ),
            None => (
                Via::Dns,
                vec![n.clone()],
                vec![],
                Some("DNS: not resolved".to_string()),
            ),
        },
    };
    let addresses: Vec<Address> = ips.into_iter().map(|ip| place(ip, networks, geo)).collect();
    let unplaced: Vec<String> = addresses
        .iter()
        .filter(|a| a.country.is_none())
        .map(|a| a.ip.to_string())
        .collect();
    if !unplaced.is_empty() {
        let msg = format!("no network or GeoIP record for {}", unplaced.join(", "));
        error = Some(match error {
            Some(e) => format!("{e}; {msg}"),
            None => msg,
        });
    }
    HostResolution {
        host: host.clone(),
        via,
        chain,
        addresses,
        error,
    }
}

/// Place one address: the most specific inventory network, else GeoIP.
pub fn place(ip: IpAddr, networks: &[Network], geo: &GeoIp) -> Address {
    if let Some(n) = networks
        .iter()
        .filter(|n| n.net.contains(&ip))
        .max_by_key(|n| n.net.prefix_len())
    {
        let site = n.site.clone().unwrap_or_else(|| n.net.to_string());
        return Address {
            ip,
            country: Some(n.country),
            source: format!("network:{site}"),
        };
    }
    match geo.country(ip) {
        Some(c) => Address {
            ip,
            country: Some(c),
            source: "geoip".into(),
        },
        None => Address {
            ip,
            country: None,
            source: "unplaced".into(),
        },
    }
}

fn locate(e: &Entity, hosts: Vec<Arc<HostResolution>>) -> EntityLocation {
    let mut loc = EntityLocation {
        declared: e.location.as_ref().map(DeclaredLocation::country),
        legal: e.legal_country,
        ..Default::default()
    };
    for h in &hosts {
        for ev in h.evidence() {
            loc.observed.insert(ev.country);
            loc.evidence.push(ev);
        }
        if let Some(err) = &h.error {
            // An offline host name alone says nothing when a declared
            // location stands in for it.
            if !(h.via == Via::Offline && e.location.is_some()) {
                loc.unknown.push(format!("{}: {err}", h.host));
            }
        }
    }
    loc.countries = loc.observed.clone();
    if loc.observed.is_empty()
        && let Some(d) = &e.location
    {
        loc.countries.insert(d.country());
        loc.evidence.push(declared_evidence(d));
    }
    if let Some(c) = e.legal_country {
        loc.countries.insert(c);
        let who = e.name.as_deref().unwrap_or(&e.id);
        loc.evidence.push(Evidence::new(
            c,
            "legal-entity",
            format!("legal entity {who}"),
        ));
    }
    if e.hosts.is_empty() && e.location.is_none() {
        loc.unknown.push(if e.terraform.is_empty() {
            NO_LOCATION.to_string()
        } else {
            format!(
                "{NO_LOCATION} (its Terraform resources are placed only with --terraform PLAN.json)"
            )
        });
    }
    loc.hosts = hosts;
    loc
}

const NO_LOCATION: &str = "no hosts and no declared location";

/// The evidence line of a declared location.
pub fn declared_evidence(d: &DeclaredLocation) -> Evidence {
    match d {
        DeclaredLocation::Country(c) => Evidence::new(*c, "declared", "location.country".into()),
        DeclaredLocation::Cloud {
            provider,
            region,
            country,
            ..
        } => Evidence::new(
            *country,
            &format!("cloud:{provider}/{region}"),
            format!("location {provider}/{region}"),
        ),
    }
}
