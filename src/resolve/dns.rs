//! DNS: a name → its CNAME chain and addresses, through hickory-resolver.
//!
//! A and AAAA are asked concurrently; the CNAME chain is read hop by hop
//! from the answers. When a lookup fails, the chain up to the failure is
//! recovered with CNAME queries, so the evidence shows where it broke.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use hickory_resolver::TokioResolver;
use hickory_resolver::config::{
    ConnectionConfig, LookupIpStrategy, NameServerConfig, ResolveHosts, ResolverConfig,
    ResolverOpts,
};
use hickory_resolver::lookup::Lookup;
use hickory_resolver::net::NetError;
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::proto::rr::{RData, Record, RecordType};

/// Longest CNAME chain followed before giving up.
pub const MAX_CHAIN: usize = 16;

/// Where queries go.
#[derive(Debug, Clone)]
pub enum Nameserver {
    /// The system configuration (`/etc/resolv.conf`).
    System,
    /// One nameserver, UDP with TCP fallback on truncation.
    At(SocketAddr),
}

#[derive(Debug, Clone)]
pub struct DnsOptions {
    pub nameserver: Nameserver,
    /// Per attempt.
    pub timeout: Duration,
    /// Total tries per query (1 = no retry).
    pub attempts: usize,
}

/// Why a name has no (complete) answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DnsFailure {
    NxDomain,
    NoAddresses,
    Timeout,
    ServFail,
    Refused,
    Loop,
    ChainTooLong,
    Other(String),
}

impl std::fmt::Display for DnsFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NxDomain => f.write_str("NXDOMAIN (the name does not exist)"),
            Self::NoAddresses => f.write_str("no A or AAAA records"),
            Self::Timeout => f.write_str("timeout (no answer from the nameserver)"),
            Self::ServFail => f.write_str("SERVFAIL from the nameserver"),
            Self::Refused => f.write_str("REFUSED by the nameserver"),
            Self::Loop => f.write_str("CNAME loop"),
            Self::ChainTooLong => write!(f, "CNAME chain longer than {MAX_CHAIN} hops"),
            Self::Other(s) => f.write_str(s),
        }
    }
}

/// What DNS said about one name.
#[derive(Debug, Clone, Default)]
pub struct DnsAnswer {
    /// The name, then each CNAME target in order.
    pub chain: Vec<String>,
    pub addresses: Vec<IpAddr>,
    /// Set when the answer is missing or incomplete (addresses may still be
    /// present, e.g. A answered but AAAA timed out).
    pub failure: Option<DnsFailure>,
}

/// A DNS client; cheap to clone.
#[derive(Clone)]
pub struct Dns {
    resolver: TokioResolver,
    timeout: Duration,
    attempts: usize,
    queries: Arc<AtomicU64>,
}

/// First pause before retrying a query that timed out; doubled each time.
pub const FIRST_BACKOFF: Duration = Duration::from_millis(100);

/// The longest one name can take: A and AAAA are asked in parallel, each
/// tried `attempts` times with `timeout` per try and a doubling pause
/// between tries; recovering a broken CNAME chain is cut off at the same
/// bound again.
pub fn max_time_per_name(timeout: Duration, attempts: usize) -> Duration {
    let tries = timeout * attempts as u32;
    let pauses: Duration = (0..attempts.saturating_sub(1))
        .map(|i| FIRST_BACKOFF * 2u32.pow(i as u32))
        .sum();
    (tries + pauses) * 2
}

impl Dns {
    pub fn new(opts: &DnsOptions) -> Result<Self, String> {
        let mut o = ResolverOpts::default();
        o.timeout = opts.timeout;
        // Retries are ours (with backoff, timeouts only): one try per call.
        o.attempts = 0;
        o.cache_size = 65_536;
        o.use_hosts_file = ResolveHosts::Never;
        o.ip_strategy = LookupIpStrategy::Ipv4AndIpv6;
        o.ndots = 0;
        o.preserve_intermediates = true;
        let builder = match &opts.nameserver {
            Nameserver::System => TokioResolver::builder_tokio()
                .map_err(|e| format!("cannot read the system DNS configuration: {e}"))?,
            Nameserver::At(addr) => {
                let mut udp = ConnectionConfig::udp();
                udp.port = addr.port();
                let mut tcp = ConnectionConfig::tcp();
                tcp.port = addr.port();
                let ns = NameServerConfig::new(addr.ip(), true, vec![udp, tcp]);
                TokioResolver::builder_with_config(
                    ResolverConfig::from_name_servers(vec![ns]),
                    TokioRuntimeProvider::default(),
                )
            }
        };
        let resolver = builder
            .with_options(o)
            .build()
            .map_err(|e| format!("cannot set up DNS: {e}"))?;
        Ok(Self {
            resolver,
            timeout: opts.timeout,
            attempts: opts.attempts.max(1),
            queries: Arc::new(AtomicU64::new(0)),
        })
    }

    /// Lookups sent so far (each try of each record type counts).
    pub fn queries(&self) -> u64 {
        self.queries.load(Ordering::Relaxed)
    }

    /// One query, retried with backoff while it times out.
    async fn query(&self, name: &str, rtype: RecordType) -> Result<Lookup, NetError> {
        let mut pause = FIRST_BACKOFF;
        let mut attempt = 1;
        loop {
            self.queries.fetch_add(1, Ordering::Relaxed);
            match self.resolver.lookup(name, rtype).await {
                Err(e) if attempt < self.attempts && classify(&e) == DnsFailure::Timeout => {
                    tokio::time::sleep(pause).await;
                    pause *= 2;
                    attempt += 1;
                }
                result => return result,
            }
        }
    }

    /// Resolve a name (lower case, no trailing dot) to its chain and addresses.
    pub async fn lookup(&self, name: &str) -> DnsAnswer {
        let fqdn = format!("{name}.");
        let (a, aaaa) = futures::join!(
            self.query(&fqdn, RecordType::A),
            self.query(&fqdn, RecordType::AAAA)
        );
        let mut answer = DnsAnswer {
            chain: vec![name.to_string()],
            ..DnsAnswer::default()
        };
        let mut failures = Vec::new();
        for result in [a, aaaa] {
            match result {
                Ok(lookup) => {
                    let records = lookup.answers();
                    let chain = chain_from(name, records);
                    if chain.len() > answer.chain.len() {
                        answer.chain = chain;
                    }
                    answer
                        .addresses
                        .extend(records.iter().filter_map(|r| match &r.data {
                            RData::A(a) => Some(IpAddr::V4(a.0)),
                            RData::AAAA(a) => Some(IpAddr::V6(a.0)),
                            _ => None,
                        }));
                }
                Err(e) => failures.push(classify(&e)),
            }
        }
        answer.addresses.sort();
        answer.addresses.dedup();
        if answer.chain.len() > MAX_CHAIN + 1 {
            answer.failure = Some(DnsFailure::ChainTooLong);
            return answer;
        }
        // NODATA for one family is normal (IPv4-only or IPv6-only names).
        failures.retain(|f| *f != DnsFailure::NoAddresses);
        if answer.addresses.is_empty() {
            answer.failure = Some(failures.first().cloned().unwrap_or(DnsFailure::NoAddresses));
            if answer
                .failure
                .as_ref()
                .is_some_and(|f| *f != DnsFailure::Timeout)
                && answer.chain.len() == 1
            {
                // Bounded: a misbehaving server cannot stretch one name
                // beyond max_time_per_name.
                let bound = max_time_per_name(self.timeout, self.attempts) / 2;
                let mut walked = answer.clone();
                if tokio::time::timeout(bound, self.walk_chain(name, &mut walked))
                    .await
                    .is_ok()
                {
                    answer = walked;
                }
            }
        } else if let Some(f) = failures.into_iter().next() {
            // One family answered, the other failed: what it would have said
            // is unknown, so the host is not fully placed.
            answer.failure = Some(f);
        }
        answer
    }

    /// Recover the CNAME chain of a failed name hop by hop.
    async fn walk_chain(&self, name: &str, answer: &mut DnsAnswer) {
        let mut current = name.to_string();
        for _ in 0..=MAX_CHAIN {
            let Ok(lookup) = self.query(&format!("{current}."), RecordType::CNAME).await else {
                return;
            };
            let Some(target) = lookup.answers().iter().find_map(|r| match &r.data {
                RData::CNAME(c) if trim(&r.name.to_string()) == current => {
                    Some(trim(&c.0.to_string()))
                }
                _ => None,
            }) else {
                return;
            };
            if answer.chain.contains(&target) {
                answer.chain.push(target);
                answer.failure = Some(DnsFailure::Loop);
                return;
            }
            answer.chain.push(target.clone());
            current = target;
        }
        answer.failure = Some(DnsFailure::ChainTooLong);
    }
}

fn trim(name: &str) -> String {
    name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase()
}

/// Follow CNAME records from `name` through an answer section.
fn chain_from(name: &str, records: &[Record]) -> Vec<String> {
    let mut chain = vec![name.to_string()];
    loop {
        let current = chain.last().cloned().unwrap_or_default();
        let next = records.iter().find_map(|r| match &r.data {
            RData::CNAME(c) if trim(&r.name.to_string()) == current => Some(trim(&c.0.to_string())),
            _ => None,
        });
        match next {
            Some(n) if !chain.contains(&n) && chain.len() <= MAX_CHAIN + 1 => chain.push(n),
            _ => return chain,
        }
    }
}

fn classify(e: &NetError) -> DnsFailure {
    if e.is_nx_domain() {
        return DnsFailure::NxDomain;
    }
    if e.is_no_records_found() {
        return DnsFailure::NoAddresses;
    }
    if matches!(e, NetError::Timeout) {
        return DnsFailure::Timeout;
    }
    if let NetError::Dns(hickory_resolver::net::DnsError::ResponseCode(code)) = e {
        return match *code {
            ResponseCode::ServFail => DnsFailure::ServFail,
            ResponseCode::Refused => DnsFailure::Refused,
            other => DnsFailure::Other(format!("error response {other}")),
        };
    }
    let text = e.to_string();
    let lower = text.to_lowercase();
    if lower.contains("timed out") || lower.contains("timeout") {
        DnsFailure::Timeout
    } else if lower.contains("loop") {
        DnsFailure::Loop
    } else if lower.contains("servfail") || lower.contains("server failure") {
        DnsFailure::ServFail
    } else if lower.contains("refused") {
        DnsFailure::Refused
    } else {
        DnsFailure::Other(text)
    }
}
