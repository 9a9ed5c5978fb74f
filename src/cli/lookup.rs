//! The DNS and GeoIP flags shared by `check`, `report`, `scan-site` and
//! `resolve`, and the resolver settings they make.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::{Failure, input, io};
use crate::resolve::{self, DnsOptions, GeoIp, Nameserver};

#[derive(Debug, Args)]
pub(crate) struct LookupArgs {
    /// Send every DNS query to this nameserver (ADDR or ADDR:PORT, default
    /// port 53; UDP, falling back to TCP on truncation). Default: the
    /// system resolver configuration.
    #[arg(long, value_name = "ADDR[:PORT]", value_parser = parse_nameserver)]
    pub dns: Option<SocketAddr>,

    /// Use this MaxMind-format database (GeoIP2/GeoLite2 Country or City, or
    /// one with a top-level `country_code`) instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    pub geoip: Option<PathBuf>,

    /// Host names resolved at once.
    #[arg(long, value_name = "N", default_value_t = 64, value_parser = clap::value_parser!(u16).range(1..=4096))]
    pub concurrency: u16,

    /// Seconds to wait for each DNS answer. A query that times out is
    /// tried again after 100 ms, 200 ms, … up to --attempts tries. Each
    /// name has a deadline of 2 × (timeout × attempts + pauses) (A and AAAA
    /// in parallel, an unanswered CNAME target at most as long again), and
    /// the whole resolution one of ⌈names ÷ concurrency⌉ × that + 1 s;
    /// a name not answered by then is unknown ("resolution deadline").
    #[arg(long, value_name = "SECONDS", default_value_t = 2.0, value_parser = parse_timeout)]
    pub timeout: f64,

    /// Tries per DNS query (1 = no retry).
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=10))]
    pub attempts: u8,
}

impl LookupArgs {
    /// Resolver settings; `offline` makes no request at all.
    pub(super) fn options(&self, offline: bool) -> resolve::Options {
        resolve::Options {
            offline,
            dns: DnsOptions {
                nameserver: self.dns.map_or(Nameserver::System, Nameserver::At),
                timeout: Duration::from_secs_f64(self.timeout),
                attempts: usize::from(self.attempts),
            },
            concurrency: usize::from(self.concurrency),
        }
    }

    /// The `--geoip` database, or the built-in one.
    pub(super) fn geoip(&self) -> Result<GeoIp, Failure> {
        match &self.geoip {
            Some(p) => GeoIp::open(p).map_err(input),
            None => GeoIp::built_in().map_err(input),
        }
    }
}

/// The async runtime for a run: one thread when nothing is resolved.
pub(super) fn runtime(offline: bool) -> Result<tokio::runtime::Runtime, Failure> {
    if offline {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
    }
    .map_err(|e| io(format!("cannot start the async runtime: {e}")))
}

/// A `--dns-server` (or `dns.server`) that is not an address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not an IP address with an optional port (e.g. 127.0.0.1:5353)")]
pub(super) struct BadNameserver(String);

pub(super) fn parse_nameserver(s: &str) -> Result<SocketAddr, BadNameserver> {
    if let Ok(sa) = s.parse::<SocketAddr>() {
        return Ok(sa);
    }
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, 53));
    }
    if let Some(v6) = s.strip_prefix('[').and_then(|r| r.strip_suffix(']'))
        && let Ok(ip) = v6.parse::<IpAddr>()
    {
        return Ok(SocketAddr::new(ip, 53));
    }
    Err(BadNameserver(s.to_string()))
}

fn parse_timeout(s: &str) -> Result<f64, super::BadSeconds> {
    super::BadSeconds::parse(s, 0.01, 60.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nameservers_and_timeouts_parse_or_are_typed_errors() {
        assert_eq!(
            parse_nameserver("[::1]"),
            Ok("[::1]:53".parse::<SocketAddr>().unwrap())
        );
        assert_eq!(
            parse_nameserver("dns.example"),
            Err(BadNameserver("dns.example".into()))
        );
        assert_eq!(parse_timeout("2"), Ok(2.0));
        let e = parse_timeout("nan").unwrap_err();
        assert_eq!(e, super::super::BadSeconds { lo: 0.01, hi: 60.0 });
        assert_eq!(
            e.to_string(),
            "expected a number of seconds between 0.01 and 60"
        );
    }
}
