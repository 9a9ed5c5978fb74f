//! DNS: a name → its CNAME chain and addresses.
//!
//! A and AAAA are asked concurrently over `wire`; the CNAME chain
//! is read hop by hop from the answers, and where an answer stops at a
//! CNAME whose target it does not answer (an authoritative server and an
//! out-of-zone target), the target is asked in turn — so the chain is
//! known up to wherever resolution broke. Queries that time out are
//! retried with a doubling pause; nothing else is retried.
//!
//! Every lookup has a deadline ([`max_time_per_name`]) and a run has one
//! overall ([`run_deadline`]); a question is never asked twice for the same
//! (name, type) within one chain, so a hostile answer cannot make the walk
//! spin on a finished answer.

use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::FutureExt;
use futures::future::{BoxFuture, Shared};
use hickory_resolver::proto::op::{Message, ResponseCode};
use hickory_resolver::proto::rr::{Name, RData, RecordType};

use super::wire::{self, QueryError};

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
    /// The answer for a CNAME target neither continues the chain nor
    /// gives an address (it answers some other name).
    Unrelated,
    /// The lookup did not finish within its deadline.
    Deadline(Duration),
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
            Self::Unrelated => f.write_str("the answer for a CNAME target answers some other name"),
            Self::Deadline(d) => write!(
                f,
                "timeout (resolution deadline of {:.1} s exceeded)",
                d.as_secs_f64()
            ),
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
    client: Arc<wire::Client>,
    attempts: usize,
    /// [`max_time_per_name`] for these options.
    deadline: Duration,
    queries: Arc<AtomicU64>,
    /// Answers for CNAME targets asked on their own, shared by every name
    /// that points at them (each is asked once per run).
    targets: Arc<Mutex<HashMap<(String, RecordType), Step>>>,
}

type Step = Shared<BoxFuture<'static, Result<Arc<Message>, QueryError>>>;

/// First pause before retrying a query that timed out; doubled each time.
pub const FIRST_BACKOFF: Duration = Duration::from_millis(100);

/// The longest one name can take: A and AAAA are asked in parallel, each
/// tried `attempts` times with `timeout` per try and a doubling pause
/// between tries, for the name and (at most) each CNAME target the answer
/// leaves unresolved; this bound covers the name plus one such target.
///
/// It is also the deadline of one lookup: a name whose chain needs more
/// (a slow server walking a long chain) ends as a timeout.
pub fn max_time_per_name(timeout: Duration, attempts: usize) -> Duration {
    let attempts = attempts.clamp(1, 64);
    let tries = timeout.saturating_mul(attempts as u32);
    let pauses: Duration = (0..attempts - 1)
        .map(|i| FIRST_BACKOFF.saturating_mul(1u32 << i.min(20)))
        .fold(Duration::ZERO, Duration::saturating_add);
    tries.saturating_add(pauses).saturating_mul(2)
}

/// The deadline of a whole run: `ceil(names ÷ concurrency)` rounds of
/// [`max_time_per_name`], plus one second for setting up the transport.
/// Names still unanswered then are unknown ("resolution deadline").
pub fn run_deadline(
    timeout: Duration,
    attempts: usize,
    names: usize,
    concurrency: usize,
) -> Duration {
    let rounds = names.div_ceil(concurrency.max(1)).max(1);
    max_time_per_name(timeout, attempts)
        .saturating_mul(u32::try_from(rounds).unwrap_or(u32::MAX))
        .saturating_add(Duration::from_secs(1))
}

/// Why DNS could not be set up (no query was sent).
#[derive(Debug, thiserror::Error)]
pub enum DnsError {
    #[error("cannot read the system DNS configuration: {0}")]
    SystemConfig(#[source] hickory_resolver::net::NetError),
    #[error("the system DNS configuration names no nameserver (use --dns ADDR)")]
    NoSystemNameserver,
    #[error(transparent)]
    Setup(#[from] wire::SetupError),
}

impl Dns {
    /// Set up the transport (inside a tokio runtime).
    pub async fn new(opts: &DnsOptions) -> Result<Self, DnsError> {
        let servers = match &opts.nameserver {
            Nameserver::At(addr) => vec![*addr],
            Nameserver::System => system_nameservers()?,
        };
        let client = wire::Client::new(servers, opts.timeout, true).await?;
        Ok(Self {
            client: Arc::new(client),
            attempts: opts.attempts.max(1),
            deadline: max_time_per_name(opts.timeout, opts.attempts),
            queries: Arc::new(AtomicU64::new(0)),
            targets: Arc::new(Mutex::new(HashMap::new())),
        })
    }

    /// Queries sent so far (each try of each record type counts).
    pub fn queries(&self) -> u64 {
        self.queries.load(Ordering::Relaxed)
    }

    /// One question, retried with backoff while it times out.
    fn ask(
        &self,
        name: Name,
        rtype: RecordType,
    ) -> BoxFuture<'static, Result<Arc<Message>, QueryError>> {
        let (client, queries, attempts) =
            (self.client.clone(), self.queries.clone(), self.attempts);
        async move {
            let mut pause = FIRST_BACKOFF;
            let mut attempt = 0;
            loop {
                queries.fetch_add(1, Ordering::Relaxed);
                match client.query(&name, rtype, attempt).await {
                    Err(QueryError::Timeout) if attempt + 1 < attempts => {
                        tokio::time::sleep(pause).await;
                        pause *= 2;
                        attempt += 1;
                    }
                    result => return result.map(Arc::new),
                }
            }
        }
        .boxed()
    }

    /// A CNAME target's answer: asked once per run, shared by all.
    fn ask_target(&self, name: &Name, rtype: RecordType) -> Step {
        let key = (name.to_ascii().to_ascii_lowercase(), rtype);
        let mut targets = match self.targets.lock() {
            Ok(t) => t,
            Err(poisoned) => poisoned.into_inner(),
        };
        targets
            .entry(key)
            .or_insert_with(|| self.ask(name.clone(), rtype).shared())
            .clone()
    }

    /// Resolve a name (lower case, no trailing dot) to its chain and
    /// addresses, within [`max_time_per_name`].
    pub async fn lookup(&self, name: &str) -> DnsAnswer {
        match tokio::time::timeout(self.deadline, self.lookup_unbounded(name)).await {
            Ok(answer) => answer,
            Err(_) => DnsAnswer::deadline(name, self.deadline),
        }
    }

    async fn lookup_unbounded(&self, name: &str) -> DnsAnswer {
        let Ok(fqdn) = Name::from_ascii(format!("{name}.")) else {
            return DnsAnswer {
                chain: vec![name.to_string()],
                failure: Some(DnsFailure::Other("not a valid DNS name".into())),
                ..DnsAnswer::default()
            };
        };
        let (a, aaaa) = futures::join!(
            self.follow(&fqdn, RecordType::A),
            self.follow(&fqdn, RecordType::AAAA)
        );
        let mut answer = DnsAnswer {
            chain: vec![name.to_string()],
            ..DnsAnswer::default()
        };
        let mut failures = Vec::new();
        for part in [a, aaaa] {
            if part.chain.len() > answer.chain.len() {
                answer.chain = part.chain;
            }
            answer.addresses.extend(part.addresses);
            failures.extend(part.failure);
        }
        answer.addresses.sort();
        answer.addresses.dedup();
        // NODATA for one family is normal (IPv4-only or IPv6-only names).
        let nodata = failures
            .iter()
            .filter(|f| **f == DnsFailure::NoAddresses)
            .count();
        failures.retain(|f| *f != DnsFailure::NoAddresses);
        if answer.addresses.is_empty() {
            answer.failure = failures
                .into_iter()
                .next()
                .or((nodata > 0).then_some(DnsFailure::NoAddresses));
        } else if let Some(f) = failures.into_iter().next() {
            // One family answered, the other failed: what it would have said
            // is unknown, so the host is not fully placed.
            answer.failure = Some(f);
        }
        answer
    }

    /// One record type of a name, following CNAMEs through the answers and,
    /// where an answer stops at an unanswered target, by asking the target.
    async fn follow(&self, name: &Name, rtype: RecordType) -> DnsAnswer {
        let mut out = DnsAnswer {
            chain: vec![trim(name)],
            ..DnsAnswer::default()
        };
        let mut current = name.clone();
        // Every (name, this type) asked in this chain: asking one again
        // would re-read the same answer forever.
        let mut asked: HashSet<String> = HashSet::new();
        loop {
            if !asked.insert(trim(&current)) {
                out.failure = Some(DnsFailure::Loop);
                return out;
            }
            let step = if current == *name {
                self.ask(current.clone(), rtype).await
            } else {
                self.ask_target(&current, rtype).await
            };
            let msg = match step {
                Ok(m) => m,
                Err(e) => {
                    out.failure = Some(match e {
                        QueryError::Timeout => DnsFailure::Timeout,
                        QueryError::Malformed(m) | QueryError::Io(m) => DnsFailure::Other(m),
                    });
                    return out;
                }
            };
            match msg.metadata.response_code {
                ResponseCode::NoError => {}
                ResponseCode::NXDomain => {
                    out.failure = Some(DnsFailure::NxDomain);
                    return out;
                }
                ResponseCode::ServFail => {
                    out.failure = Some(DnsFailure::ServFail);
                    return out;
                }
                ResponseCode::Refused => {
                    out.failure = Some(DnsFailure::Refused);
                    return out;
                }
                other => {
                    out.failure = Some(DnsFailure::Other(format!("error response {other}")));
                    return out;
                }
            }
            // Walk the CNAMEs of this answer from `current`.
            let asked_for = current.clone();
            loop {
                let next = msg.answers.iter().find_map(|r| match &r.data {
                    RData::CNAME(c) if r.name == current => Some(c.0.clone()),
                    _ => None,
                });
                let Some(next) = next else { break };
                let shown = trim(&next);
                if out.chain.contains(&shown) {
                    out.chain.push(shown);
                    out.failure = Some(DnsFailure::Loop);
                    return out;
                }
                out.chain.push(shown);
                if out.chain.len() > MAX_CHAIN + 1 {
                    out.failure = Some(DnsFailure::ChainTooLong);
                    return out;
                }
                current = next;
            }
            out.addresses
                .extend(
                    msg.answers
                        .iter()
                        .filter(|r| r.name == current)
                        .filter_map(|r| match &r.data {
                            RData::A(a) if rtype == RecordType::A => Some(IpAddr::V4(a.0)),
                            RData::AAAA(a) if rtype == RecordType::AAAA => Some(IpAddr::V6(a.0)),
                            _ => None,
                        }),
                );
            if !out.addresses.is_empty() {
                return out;
            }
            if current == asked_for {
                // Nothing for the name asked: NODATA, unless the answer
                // talks about other names (a broken or hostile server).
                let unrelated = asked_for != *name
                    && msg
                        .answers
                        .iter()
                        .any(|r| matches!(r.data, RData::CNAME(_)));
                out.failure = Some(if unrelated {
                    DnsFailure::Unrelated
                } else {
                    DnsFailure::NoAddresses
                });
                return out;
            }
            // The answer ended at a target it did not resolve: ask it.
        }
    }
}

impl DnsAnswer {
    fn deadline(name: &str, d: Duration) -> Self {
        Self {
            chain: vec![name.to_string()],
            addresses: Vec::new(),
            failure: Some(DnsFailure::Deadline(d)),
        }
    }

    /// A name the run's overall deadline ([`run_deadline`]) cut off.
    pub fn cut_off(name: &str, d: Duration) -> Self {
        Self::deadline(name, d)
    }
}

fn trim(name: &Name) -> String {
    let s = name.to_ascii();
    s.strip_suffix('.').unwrap_or(&s).to_ascii_lowercase()
}

/// The nameservers of the system configuration (`/etc/resolv.conf`).
fn system_nameservers() -> Result<Vec<SocketAddr>, DnsError> {
    let (config, _) =
        hickory_resolver::system_conf::read_system_conf().map_err(DnsError::SystemConfig)?;
    let servers: Vec<SocketAddr> = config
        .name_servers()
        .iter()
        .map(|ns| SocketAddr::new(ns.ip, ns.connections.first().map_or(53, |c| c.port)))
        .collect();
    if servers.is_empty() {
        return Err(DnsError::NoSystemNameserver);
    }
    Ok(servers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_follow_timeout_attempts_and_names() {
        let t = Duration::from_millis(500);
        // 2 × (0.5 × 2 + 0.1)
        assert_eq!(max_time_per_name(t, 2), Duration::from_millis(2200));
        assert_eq!(max_time_per_name(t, 1), Duration::from_millis(1000));
        // 100 names, 64 at once: two rounds.
        assert_eq!(run_deadline(t, 2, 100, 64), Duration::from_millis(5400));
        assert_eq!(run_deadline(t, 2, 0, 64), Duration::from_millis(3200));
        // Absurd inputs saturate instead of overflowing.
        assert!(run_deadline(Duration::from_secs(60), 255, usize::MAX, 1) > t);
    }
}
