//! Stage 2: where each entity is — hosts → addresses → countries, with the
//! evidence chain for every country.
//!
//! Each distinct host name is resolved once per run, concurrently with a
//! bound. Addresses are placed by the inventory's `networks` first (most
//! specific CIDR wins), then by GeoIP. Anything that cannot be resolved or
//! placed is recorded as unknown, never as Russia.

pub mod dns;
pub mod geoip;
pub(crate) mod wire;

use std::collections::{BTreeSet, HashMap};
use std::net::IpAddr;
use std::sync::Arc;

use futures::StreamExt;
use serde::Serialize;

use crate::inventory::{DeclaredLocation, Entity, Host, Inventory, Network};
use crate::reference::Country;
use crate::terraform::Terraform;
pub use dns::{DnsError, DnsFailure, DnsOptions, Nameserver};
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
    /// A declared network or the GeoIP database; `Unplaced` when neither
    /// knows it.
    pub source: Source,
}

/// Where a country comes from. Shown in its short form (`geoip`,
/// `network:<site>`, `cloud:<provider>/<region>`, …), which tables, JSON
/// and evidence lines print. As small as a string (every address and
/// piece of evidence has one): texts boxed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A declared network (`networks:`) holding the address: its site, or
    /// the network itself.
    Network(Box<str>),
    /// The GeoIP database.
    GeoIp,
    /// Neither a network nor the GeoIP database knows the address.
    Unplaced,
    /// The inventory's `location.country`.
    Declared,
    /// A declared cloud region: provider and region.
    Cloud(Box<(&'static str, &'static str)>),
    /// The evaluation's presumption (never resolution): the recipient's
    /// legal country.
    LegalEntity,
    /// A resource of a Terraform plan, by address.
    Terraform(Box<str>),
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Network(site) => write!(f, "network:{site}"),
            Self::GeoIp => f.write_str("geoip"),
            Self::Unplaced => f.write_str("unplaced"),
            Self::Declared => f.write_str("declared"),
            Self::Cloud(c) => write!(f, "cloud:{}/{}", c.0, c.1),
            Self::LegalEntity => f.write_str("legal-entity"),
            Self::Terraform(address) => write!(f, "terraform:{address}"),
        }
    }
}

impl Serialize for Source {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
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

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Literal => "literal",
            Self::Dns => "dns",
            Self::Offline => "offline",
        }
    }
}

/// Everything learnt about one host.
#[derive(Debug, Clone)]
pub struct HostResolution {
    pub host: Host,
    pub via: Via,
    /// The name and each CNAME target; for an IP literal, the address.
    pub chain: Vec<String>,
    pub addresses: Vec<Address>,
    /// Why the host is not (fully) placed. (Boxed: most hosts have none,
    /// and every host has the field.)
    pub error: Option<Box<HostError>>,
}

/// Why a host is not (fully) placed: its lookup failed or was not made,
/// and/or some of its addresses are in no network and no GeoIP record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostError {
    pub lookup: Option<LookupError>,
    /// Addresses nothing places, in answer order.
    pub unplaced: Vec<IpAddr>,
}

/// Why a host name has no (complete) set of addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupError {
    /// `--offline`: no lookup made.
    Offline,
    /// The nameserver's answer was missing or incomplete.
    Dns(dns::DnsFailure),
    /// No answer at all (the lookup was not made).
    NotResolved,
}

impl std::fmt::Display for LookupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Offline => f.write_str("not resolved (--offline)"),
            Self::Dns(e) => write!(f, "DNS: {e}"),
            Self::NotResolved => f.write_str("DNS: not resolved"),
        }
    }
}

/// As its text (reports and `resolve --format json` show it so).
impl Serialize for HostError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl std::fmt::Display for HostError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(l) = &self.lookup {
            write!(f, "{l}")?;
            if !self.unplaced.is_empty() {
                f.write_str("; ")?;
            }
        }
        if let Some((first, rest)) = self.unplaced.split_first() {
            write!(f, "no network or GeoIP record for {first}")?;
            for ip in rest {
                write!(f, ", {ip}")?;
            }
        }
        Ok(())
    }
}

impl HostResolution {
    /// Evidence per placed address: `host -> cname -> ip -> CC (source)`.
    pub fn evidence(self: &Arc<Self>) -> impl Iterator<Item = Evidence> + '_ {
        self.addresses.iter().enumerate().filter_map(|(i, a)| {
            Some(Evidence {
                country: a.country?,
                source: a.source.clone(),
                basis: Basis::Address(self.clone(), i),
            })
        })
    }
}

/// Why a country is among an entity's countries. The text is made on
/// demand: a large estate has hundreds of thousands of these, and only
/// the ones behind findings are ever shown.
#[derive(Debug, Clone)]
pub struct Evidence {
    pub country: Country,
    /// Where the country comes from (its short form is what tables show).
    pub source: Source,
    /// What the country rests on.
    pub basis: Basis,
}

/// What a country of an entity rests on.
#[derive(Debug, Clone)]
pub enum Basis {
    /// An address chain: the address at this index of a host's resolution.
    Address(Arc<HostResolution>, usize),
    /// The declaration `location.country`.
    DeclaredCountry,
    /// A declared cloud region (`location: {provider, region}`).
    CloudRegion {
        provider: &'static str,
        region: &'static str,
    },
    /// A presumption the evaluation makes (never resolution): a recipient
    /// with no territory at all is presumed to keep the data where its
    /// legal entity is.
    LegalEntity(String),
    /// A resource of a Terraform plan, placed in a cloud region (boxed:
    /// rare, and every entity holds a few pieces of evidence).
    PlanResource(Box<PlanResource>),
}

/// A resource of a Terraform plan, placed in a cloud region.
#[derive(Debug, Clone)]
pub struct PlanResource {
    pub address: String,
    /// Where the plan says so: `region`, `provider aws.frankfurt`, …
    pub via: String,
    pub cloud: &'static str,
    pub region: &'static str,
}

impl Evidence {
    /// The planned resource this rests on, if any.
    pub fn planned_resource(&self) -> Option<&str> {
        match &self.basis {
            Basis::PlanResource(p) => Some(&p.address),
            _ => None,
        }
    }
}

/// The whole chain: `host -> cname -> ip -> CC (source)`, written as it
/// goes (a large audit shows hundreds of thousands of these).
impl std::fmt::Display for Evidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.basis {
            Basis::DeclaredCountry => f.write_str("location.country")?,
            Basis::CloudRegion { provider, region } => write!(f, "location {provider}/{region}")?,
            Basis::LegalEntity(who) => {
                return write!(
                    f,
                    "presumed from the legal entity: {who} -> {} ({}); no host was placed and no location is declared, so the data is presumed to be in the legal entity's country: declare `location:` or `hosts:` to rebut",
                    self.country, self.source
                );
            }
            Basis::PlanResource(p) => {
                write!(f, "{} ({}) -> {}/{}", p.address, p.via, p.cloud, p.region)?
            }
            Basis::Address(h, i) => {
                let ip = h.addresses[*i].ip;
                let mut last: Option<&str> = None;
                for (n, part) in h.chain.iter().enumerate() {
                    if n > 0 {
                        f.write_str(" -> ")?;
                    }
                    f.write_str(part)?;
                    last = Some(part);
                }
                // The address ends the chain unless it already does.
                let ends_with_ip = last.is_some_and(|l| displays_as(&ip, l));
                if !ends_with_ip {
                    if last.is_some() {
                        f.write_str(" -> ")?;
                    }
                    write!(f, "{ip}")?;
                }
            }
        }
        write!(f, " -> {} ({})", self.country, self.source)
    }
}

/// Whether `v` displays exactly as `text`, without making the string.
fn displays_as(v: &dyn std::fmt::Display, text: &str) -> bool {
    struct Cmp<'a> {
        rest: &'a str,
        same: bool,
    }
    impl std::fmt::Write for Cmp<'_> {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            match self.rest.strip_prefix(s) {
                Some(rest) if self.same => self.rest = rest,
                _ => self.same = false,
            }
            Ok(())
        }
    }
    let mut c = Cmp {
        rest: text,
        same: true,
    };
    let _ = std::fmt::write(&mut c, format_args!("{v}"));
    c.same && c.rest.is_empty()
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
    /// A processor's or partner's legal country: the jurisdiction of the
    /// recipient, not a place where the data is (never in `countries`).
    pub legal: Option<Country>,
    /// The entity's territory, the countries its data is in: observed
    /// (or, where nothing was observed, declared).
    pub countries: BTreeSet<Country>,
    /// Evidence for each country in `countries`.
    pub evidence: Vec<Evidence>,
    /// Why the location is (partly) unknown; empty when fully known.
    pub unknown: Vec<Unknown>,
}

impl EntityLocation {
    pub fn evidence_for(&self, c: Country) -> impl Iterator<Item = String> + '_ {
        self.evidence
            .iter()
            .filter(move |e| e.country == c)
            .map(|e| e.to_string())
    }
}

/// Counters for the run summary.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    /// Distinct host names looked up in DNS.
    pub names: usize,
    /// Of those, how many failed (no or incomplete answer).
    pub failed: usize,
    /// DNS queries sent (each try of each record type).
    pub queries: u64,
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
///
/// `progress(done, total)` is called as host names complete.
pub async fn resolve(
    inv: &Inventory,
    opts: &Options,
    geo: &GeoIp,
    progress: &dyn Fn(usize, usize),
) -> Result<Resolved, DnsError> {
    let mut names: Vec<&str> = inv
        .entities
        .iter()
        .flat_map(|e| &e.hosts)
        .filter_map(|h| match &h.endpoint.host {
            Host::Name(n) => Some(n.as_str()),
            Host::Ip(_) => None,
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    let (placed, stats) = lookup_names(&names, &inv.networks, opts, geo, progress).await?;
    let locations = inv
        .entities
        .iter()
        .map(|e| {
            let hosts = e
                .hosts
                .iter()
                .map(|h| match &h.endpoint.host {
                    Host::Name(n) => names.binary_search(&n.as_str()).map_or_else(
                        |_| {
                            Arc::new(placement(
                                &h.endpoint.host,
                                None,
                                &inv.networks,
                                geo,
                                opts.offline,
                            ))
                        },
                        |i| placed[i].clone(),
                    ),
                    ip => Arc::new(placement(ip, None, &inv.networks, geo, opts.offline)),
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

/// Resolve and place distinct, sorted names concurrently (at most
/// `opts.concurrency` at once); the result is aligned with `names`. Each
/// answer is placed as it arrives, so no answer is kept twice.
async fn lookup_names(
    names: &[&str],
    networks: &[Network],
    opts: &Options,
    geo: &GeoIp,
    progress: &dyn Fn(usize, usize),
) -> Result<(Vec<Arc<HostResolution>>, Stats), DnsError> {
    let mut stats = Stats::default();
    if opts.offline || names.is_empty() {
        let placed = names
            .iter()
            .map(|n| {
                Arc::new(placement(
                    &Host::Name(n.to_string()),
                    None,
                    networks,
                    geo,
                    opts.offline,
                ))
            })
            .collect();
        return Ok((placed, stats));
    }
    let client = dns::Dns::new(&opts.dns).await?;
    let total = names.len();
    let mut slots: Vec<Option<Arc<HostResolution>>> = vec![None; total];
    let mut by_reason: HashMap<String, usize> = HashMap::new();
    let mut stream = futures::stream::iter(names.iter().enumerate().map(|(i, n)| {
        let client = client.clone();
        async move { (i, client.lookup(n).await) }
    }))
    .buffer_unordered(opts.concurrency.max(1));
    let deadline = dns::run_deadline(opts.dns.timeout, opts.dns.attempts, total, opts.concurrency);
    let cut_off = tokio::time::Instant::now() + deadline;
    let mut done = 0;
    let mut late: Option<std::vec::IntoIter<usize>> = None;
    loop {
        let (i, answer) = if let Some(rest) = &mut late {
            match rest.next() {
                Some(i) => (i, dns::DnsAnswer::cut_off(names[i], deadline)),
                None => break,
            }
        } else {
            match tokio::time::timeout_at(cut_off, stream.next()).await {
                Ok(Some(next)) => next,
                Ok(None) => break,
                // The run's deadline: every name not answered yet is unknown.
                Err(_) => {
                    let rest: Vec<usize> = (0..total).filter(|&i| slots[i].is_none()).collect();
                    late = Some(rest.into_iter());
                    continue;
                }
            }
        };
        if let Some(f) = &answer.failure {
            stats.failed += 1;
            *by_reason.entry(f.to_string()).or_default() += 1;
        }
        slots[i] = Some(Arc::new(placement(
            &Host::Name(names[i].to_string()),
            Some(answer),
            networks,
            geo,
            false,
        )));
        done += 1;
        progress(done, total);
    }
    stats.names = total;
    stats.queries = client.queries();
    stats.failures = by_reason.into_iter().collect();
    stats
        .failures
        .sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let placed = slots
        .into_iter()
        .zip(names)
        .map(|(slot, n)| {
            slot.unwrap_or_else(|| {
                Arc::new(placement(
                    &Host::Name(n.to_string()),
                    None,
                    networks,
                    geo,
                    false,
                ))
            })
        })
        .collect();
    Ok((placed, stats))
}

/// Resolve and place a list of hosts (for `residency resolve`), each once.
pub async fn resolve_hosts(
    hosts: &[Host],
    networks: &[Network],
    opts: &Options,
    geo: &GeoIp,
) -> Result<(Vec<HostResolution>, Stats), DnsError> {
    let mut names: Vec<&str> = hosts
        .iter()
        .filter_map(|h| match h {
            Host::Name(n) => Some(n.as_str()),
            Host::Ip(_) => None,
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    let (placed, stats) = lookup_names(&names, networks, opts, geo, &|_, _| {}).await?;
    let out = hosts
        .iter()
        .map(|h| match h {
            Host::Name(n) => names.binary_search(&n.as_str()).map_or_else(
                |_| placement(h, None, networks, geo, opts.offline),
                |i| (*placed[i]).clone(),
            ),
            ip => placement(ip, None, networks, geo, opts.offline),
        })
        .collect();
    Ok((out, stats))
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
                loc.evidence.push(Evidence {
                    country: p.country,
                    source: Source::Terraform(r.address.as_str().into()),
                    basis: Basis::PlanResource(Box::new(PlanResource {
                        address: r.address.clone(),
                        via: p.via.clone(),
                        cloud: p.cloud,
                        region: p.region,
                    })),
                });
            }
            for why in &r.unknown {
                loc.unknown.push(Unknown::Terraform {
                    address: r.address.clone(),
                    why: why.clone(),
                });
            }
        }
        if !had_observations && !loc.observed.is_empty() {
            // Observations now exist: the declared location no longer stands in.
            if let Some(d) = &e.location {
                let declared = declared_evidence(d);
                loc.evidence.retain(|ev| ev.source != declared.source);
            }
            loc.countries = loc.observed.clone();
        } else {
            loc.countries.extend(loc.observed.iter().copied());
        }
        // A resource that the plan can place stands in for a missing host list.
        if e.hosts.is_empty() && e.location.is_none() && !loc.observed.is_empty() {
            loc.unknown
                .retain(|u| !matches!(u, Unknown::NoLocation { .. }));
        }
    }
    resolved.terraform = Some(tf);
}

/// Place one host: an IP literal directly, a name from its DNS answer
/// (`None`: not resolved, offline or not asked).
fn placement(
    host: &Host,
    answer: Option<dns::DnsAnswer>,
    networks: &[Network],
    geo: &GeoIp,
    offline: bool,
) -> HostResolution {
    let (via, chain, ips, lookup) = match (host, answer) {
        (Host::Ip(ip), _) => (Via::Literal, vec![ip.to_string()], vec![*ip], None),
        (Host::Name(n), _) if offline => (
            Via::Offline,
            vec![n.clone()],
            vec![],
            Some(LookupError::Offline),
        ),
        (Host::Name(_), Some(a)) => (
            Via::Dns,
            a.chain,
            a.addresses,
            a.failure.map(LookupError::Dns),
        ),
        (Host::Name(n), None) => (
            Via::Dns,
            vec![n.clone()],
            vec![],
            Some(LookupError::NotResolved),
        ),
    };
    let addresses: Vec<Address> = ips.into_iter().map(|ip| place(ip, networks, geo)).collect();
    let unplaced: Vec<IpAddr> = addresses
        .iter()
        .filter(|a| a.country.is_none())
        .map(|a| a.ip)
        .collect();
    let error = (lookup.is_some() || !unplaced.is_empty())
        .then(|| Box::new(HostError { lookup, unplaced }));
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
            source: Source::Network(site.into()),
        };
    }
    match geo.country(ip) {
        Some(c) => Address {
            ip,
            country: Some(c),
            source: Source::GeoIp,
        },
        None => Address {
            ip,
            country: None,
            source: Source::Unplaced,
        },
    }
}

fn locate(e: &Entity, hosts: Vec<Arc<HostResolution>>) -> EntityLocation {
    let mut loc = EntityLocation {
        declared: e.location.as_ref().map(DeclaredLocation::country),
        legal: e.legal_country(),
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
                loc.unknown.push(Unknown::Host {
                    host: h.host.to_string(),
                    why: err.clone(),
                });
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
    if e.hosts.is_empty() && e.location.is_none() {
        loc.unknown.push(Unknown::NoLocation {
            has_terraform: !e.terraform.is_empty(),
        });
    }
    loc.hosts = hosts;
    // Most entities have one or two pieces: no room for four kept per entity.
    loc.evidence.shrink_to_fit();
    loc
}

/// Why (part of) an entity's location is unknown: the entity is then not
/// assumed to be anywhere, least of all in Russia.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unknown {
    /// No hosts and no declared location (`has_terraform`: its Terraform
    /// resources would place it, given the plan).
    NoLocation { has_terraform: bool },
    /// A host that was not (fully) resolved or placed, and why (a DNS
    /// failure, `--offline`, addresses no network or GeoIP record knows).
    Host { host: String, why: Box<HostError> },
    /// A Terraform resource of the entity that the plan does not place.
    Terraform { address: String, why: String },
}

impl std::fmt::Display for Unknown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NoLocation {
                has_terraform: false,
            } => f.write_str(NO_LOCATION),
            Self::NoLocation {
                has_terraform: true,
            } => write!(
                f,
                "{NO_LOCATION} (its Terraform resources are placed only with --terraform PLAN.json)"
            ),
            Self::Host { host, why } => write!(f, "{host}: {why}"),
            Self::Terraform { address, why } => write!(f, "terraform {address}: {why}"),
        }
    }
}

impl Serialize for Unknown {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

const NO_LOCATION: &str = "no hosts and no declared location";

/// The evidence line of a declared location.
pub fn declared_evidence(d: &DeclaredLocation) -> Evidence {
    match d {
        DeclaredLocation::Country(c) => Evidence {
            country: *c,
            source: Source::Declared,
            basis: Basis::DeclaredCountry,
        },
        DeclaredLocation::Cloud {
            provider,
            region,
            country,
            ..
        } => Evidence {
            country: *country,
            source: Source::Cloud(Box::new((provider, region))),
            basis: Basis::CloudRegion { provider, region },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place_host(host: Host, answer: Option<dns::DnsAnswer>, offline: bool) -> HostResolution {
        let geo = GeoIp::built_in().unwrap();
        placement(&host, answer, &[], &geo, offline)
    }

    #[test]
    fn why_a_host_is_not_placed_is_typed() {
        // Offline: no lookup, nothing unplaced.
        let h = place_host(Host::Name("db.example.ru".into()), None, true);
        let e = h.error.unwrap();
        assert_eq!(e.lookup, Some(LookupError::Offline));
        assert!(e.unplaced.is_empty());
        assert_eq!(e.to_string(), "not resolved (--offline)");

        // A partial answer: a DNS failure and an address nothing places
        // (documentation range: no GeoIP record), in that order.
        let doc: IpAddr = "192.0.2.7".parse().unwrap();
        let answer = dns::DnsAnswer {
            chain: vec!["db.example.ru".into()],
            addresses: vec![doc],
            failure: Some(dns::DnsFailure::Timeout),
        };
        let h = place_host(Host::Name("db.example.ru".into()), Some(answer), false);
        let e = h.error.unwrap();
        assert_eq!(e.lookup, Some(LookupError::Dns(dns::DnsFailure::Timeout)));
        assert_eq!(e.unplaced, [doc]);
        assert_eq!(
            e.to_string(),
            "DNS: timeout (no answer from the nameserver); no network or GeoIP record for 192.0.2.7"
        );

        // A literal nothing places: no lookup error, the address listed.
        let h = place_host(Host::Ip(doc), None, false);
        assert_eq!(
            h.error,
            Some(Box::new(HostError {
                lookup: None,
                unplaced: vec![doc]
            }))
        );
        // Not asked at all.
        let h = place_host(Host::Name("x.example".into()), None, false);
        assert_eq!(h.error.unwrap().lookup, Some(LookupError::NotResolved));
    }
}
