//! Endpoints as users write them: `host`, `10.0.0.5`, `host:5432`,
//! `[2001:db8::1]:5432`, `postgres://user:secret@host/db`,
//! `jdbc:postgresql://h1,h2/db`, `Host=h;Password=secret` — parsed into the
//! host to locate, with a display form that never carries credentials.

use std::net::IpAddr;

/// What to locate: a DNS name (lower case, no trailing dot) or an address.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Host {
    Name(String),
    Ip(IpAddr),
}

impl std::fmt::Display for Host {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Name(n) => f.write_str(n),
            Self::Ip(ip) => write!(f, "{ip}"),
        }
    }
}

/// One endpoint of an entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub host: Host,
    pub port: Option<u16>,
    /// The entry as written, with credentials replaced by `***`, where it
    /// says more than the host (a port, a URL, a DSN).
    pub written: Option<String>,
}

impl Endpoint {
    /// The entry as written, credentials replaced by `***`.
    pub fn display(&self) -> String {
        self.written
            .clone()
            .unwrap_or_else(|| self.host.to_string())
    }
}

pub use super::redact::redact;
use super::redact::{kv_pairs, split_url, split_userinfo};

/// Keys of a connection string that name the server.
const HOST_KEYS: &[&str] = &[
    "host",
    "hostname",
    "server",
    "data source",
    "address",
    "addr",
    "hostaddr",
    "network address",
];

/// Whether `s` is a comma-separated list of `host[:port]`.
pub fn valid_hostlist(s: &str) -> bool {
    !s.is_empty() && s.split(',').all(|hp| parse_hostport(hp.trim()).is_ok())
}

/// Why a `hosts` entry is not an endpoint. The texts shown are redacted
/// (or the bare host piece, which holds no credentials).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    #[error("empty host")]
    Empty,
    /// A URL with nothing between `//` (or the user info) and the path.
    #[error("`{0}` names no host")]
    NoHost(String),
    /// A JDBC Oracle entry without `@host`.
    #[error("`{0}` names no host (expected `@host`)")]
    NoOracleHost(String),
    /// A connection string without a host key.
    #[error("`{0}` names no host (expected Host= or Server=)")]
    NoHostKey(String),
    #[error("`{0}`: missing `]`")]
    MissingBracket(String),
    #[error("`{0}` is not an IPv6 address")]
    NotIpv6(String),
    #[error("`{entry}`: unexpected `{after}` after the address")]
    AfterAddress { entry: String, after: String },
    #[error("`{0}` is not a port number")]
    BadPort(String),
    #[error("empty host name")]
    EmptyName,
    #[error("`{0}` is not an ASCII host name; write internationalised names in punycode (xn--…)")]
    NotAscii(String),
    #[error("host name `{0}` is longer than 253 characters")]
    TooLong(String),
    /// Digits and dots only, but not an IPv4 address.
    #[error("`{0}` is not a valid IP address")]
    BadIp(String),
    #[error("`{0}` is not a valid host name (empty or over-long label)")]
    BadLabel(String),
    #[error("`{0}` is not a valid host name (a label starts or ends with `-`)")]
    Hyphen(String),
    #[error("`{name}` is not a valid host name (`{found}` is not allowed)")]
    BadChar { name: String, found: char },
    /// The invalid piece is not in the redacted entry (it may hold a
    /// secret): only the entry is named.
    #[error("`{0}` is not a valid host entry")]
    Hidden(String),
    /// The error of a piece, with the (redacted) entry it is in.
    #[error("{error} (in `{entry}`)")]
    InEntry {
        error: Box<EndpointError>,
        entry: String,
    },
}

/// Parse one `hosts` entry into its endpoints (a DSN may name several
/// hosts). Errors never contain the credentials: they show [`redact`]ed
/// text only.
pub fn parse(entry: &str) -> Result<Vec<Endpoint>, EndpointError> {
    let entry = entry.trim();
    let display = redact(entry);
    if entry.is_empty() {
        return Err(EndpointError::Empty);
    }
    let valid = |h: &str| valid_hostlist(h);
    // `jdbc:` adds nothing to locate: `jdbc:postgresql://…` is a URL.
    let unjdbc = match entry.get(..5) {
        Some(p) if p.eq_ignore_ascii_case("jdbc:") => &entry[5..],
        _ => entry,
    };
    let hostports: Vec<String> = if let Some(i) = super::redact::url_scheme(unjdbc) {
        let scheme = &unjdbc[..i];
        let body = &unjdbc[i + 3..];
        let parts = split_url(scheme, body, &valid);
        let hosts = &body[parts.at.map_or(0, |a| a + 1)..parts.end];
        if hosts.is_empty() {
            return Err(EndpointError::NoHost(display));
        }
        hosts.split(',').map(str::to_string).collect()
    } else if unjdbc.len() != entry.len() {
        // Oracle thin: `jdbc:oracle:thin:user/pass@//host:1521/svc` or
        // `…:@host:1521:SID`.
        let Some(at) = unjdbc.rfind('@') else {
            // No `@`: what follows `jdbc:sub:protocol:` may be `user/password`,
            // which the redaction cannot tell from a host; it is not shown.
            let mut colons = entry.match_indices(':').map(|(i, _)| i);
            let shown = match colons.nth(2) {
                Some(i) if i + 1 < entry.len() => format!("{}…", &entry[..=i]),
                _ => display,
            };
            return Err(EndpointError::NoOracleHost(shown));
        };
        let rest = unjdbc[at + 1..].trim_start_matches('/');
        let rest = &rest[..rest.find(['/', '?']).unwrap_or(rest.len())];
        let hp = match rest.split(':').collect::<Vec<_>>()[..] {
            [h, p, _sid] => format!("{h}:{p}"),
            _ => rest.to_string(),
        };
        vec![hp]
    } else if let Some(pairs) =
        kv_pairs(entry).filter(|_| entry.contains(';') || entry.contains(' '))
    {
        let mut hosts = Vec::new();
        for p in &pairs {
            if !HOST_KEYS.contains(&p.key.to_ascii_lowercase().as_str()) {
                continue;
            }
            // SQL Server: `tcp:host,1433` is one host and its port.
            let v = p.value.trim();
            let v = v.strip_prefix("tcp:").unwrap_or(v);
            match v.rsplit_once(',') {
                Some((h, port))
                    if !port.is_empty()
                        && port.bytes().all(|c| c.is_ascii_digit())
                        && !h.contains(',') =>
                {
                    hosts.push(format!("{h}:{port}"));
                }
                _ => hosts.extend(v.split(',').map(str::to_string)),
            }
        }
        if hosts.is_empty() {
            return Err(EndpointError::NoHostKey(display));
        }
        hosts
    } else if let Some(at) = split_userinfo(entry, &valid) {
        // `user:pass@host[:port][/db]` without a scheme.
        let rest = &entry[at + 1..];
        vec![rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())].to_string()]
    } else {
        vec![entry.to_string()]
    };
    hostports
        .iter()
        .map(|hp| {
            let hp = hp.trim();
            parse_hostport(hp)
                .map_err(|e| {
                    // A piece the redacted text does not show may hold a
                    // secret: name the entry only.
                    if display.contains(hp) {
                        e
                    } else {
                        EndpointError::Hidden(display.clone())
                    }
                })
                .map(|(host, port)| {
                    let written = (display != host.to_string()).then(|| display.clone());
                    Endpoint {
                        host,
                        port,
                        written,
                    }
                })
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            if display == entry || e.to_string().contains(&display) {
                e
            } else {
                EndpointError::InEntry {
                    error: Box::new(e),
                    entry: display.clone(),
                }
            }
        })
}

fn parse_hostport(s: &str) -> Result<(Host, Option<u16>), EndpointError> {
    // SQL Server style `tcp:host,1433` and `host\instance` are not endpoints
    // we need to reach; strip the decorations.
    let s = s.strip_prefix("tcp:").unwrap_or(s);
    let s = s.split('\\').next().unwrap_or(s);
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Ok((Host::Ip(ip), None));
    }
    if let Some(rest) = s.strip_prefix('[') {
        let (ip, after) = rest
            .split_once(']')
            .ok_or_else(|| EndpointError::MissingBracket(s.to_string()))?;
        let ip: IpAddr = ip
            .parse()
            .map_err(|_| EndpointError::NotIpv6(ip.to_string()))?;
        let port = match after.strip_prefix(':') {
            Some(p) => Some(parse_port(p)?),
            None if after.is_empty() => None,
            None => {
                return Err(EndpointError::AfterAddress {
                    entry: s.to_string(),
                    after: after.to_string(),
                });
            }
        };
        return Ok((Host::Ip(ip), port));
    }
    let (host, port) = match s.rsplit_once(':') {
        Some((h, p)) => (h, Some(parse_port(p)?)),
        None => (s, None),
    };
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok((Host::Ip(ip), port));
    }
    Ok((Host::Name(hostname(host)?), port))
}

fn parse_port(p: &str) -> Result<u16, EndpointError> {
    p.parse::<u16>()
        .map_err(|_| EndpointError::BadPort(p.to_string()))
}

/// Validate and normalise a DNS name: ASCII letters, digits, `-` and `_`,
/// labels of 1–63 characters, at most 253 in all; lower-cased, without
/// the trailing dot.
pub fn hostname(s: &str) -> Result<String, EndpointError> {
    let name = s.strip_suffix('.').unwrap_or(s);
    if name.is_empty() {
        return Err(EndpointError::EmptyName);
    }
    if !name.is_ascii() {
        return Err(EndpointError::NotAscii(s.to_string()));
    }
    if name.len() > 253 {
        return Err(EndpointError::TooLong(s.to_string()));
    }
    if name.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return Err(EndpointError::BadIp(s.to_string()));
    }
    for label in name.split('.') {
        if label.is_empty() || label.len() > 63 {
            return Err(EndpointError::BadLabel(s.to_string()));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(EndpointError::Hyphen(s.to_string()));
        }
        if let Some(found) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        {
            return Err(EndpointError::BadChar {
                name: s.to_string(),
                found,
            });
        }
    }
    Ok(name.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(s: &str) -> Endpoint {
        let mut v = parse(s).unwrap();
        assert_eq!(v.len(), 1, "{s}");
        v.remove(0)
    }

    #[test]
    fn forms_of_the_contract() {
        assert_eq!(
            one("pg-accounts.example.ru").host,
            Host::Name("pg-accounts.example.ru".into())
        );
        assert_eq!(
            one("10.10.1.5").host,
            Host::Ip("10.10.1.5".parse().unwrap())
        );
        let e = one("pg-ro.example.ru:5432");
        assert_eq!(
            (e.host, e.port),
            (Host::Name("pg-ro.example.ru".into()), Some(5432))
        );
        let e = one("[2001:db8::1]:5432");
        assert_eq!(
            (e.host, e.port),
            (Host::Ip("2001:db8::1".parse().unwrap()), Some(5432))
        );
        assert_eq!(
            one("2001:db8::1").host,
            Host::Ip("2001:db8::1".parse().unwrap())
        );
        let e = one("postgres://app:secret@db.example.ru/acc");
        assert_eq!(e.host, Host::Name("db.example.ru".into()));
        assert_eq!(e.display(), "postgres://***@db.example.ru/acc");
        assert_eq!(
            one("DB.Example.RU.").host,
            Host::Name("db.example.ru".into())
        );
    }

    #[test]
    fn multi_host_dsns_and_connection_strings() {
        let v = parse(
            "postgresql://u:p@h1.example.ru:5432,h2.example.ru:5433/db?sslmode=require&password=x",
        )
        .unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(v[1].port, Some(5433));
        assert_eq!(
            v[0].display(),
            "postgresql://***@h1.example.ru:5432,h2.example.ru:5433/db?sslmode=require&password=***"
        );
        let v = parse("Server=sql.example.ru;Database=x;User Id=sa;Password=hunter2").unwrap();
        assert_eq!(v[0].host, Host::Name("sql.example.ru".into()));
        assert!(!v[0].display().contains("hunter2"));
    }

    #[test]
    fn errors_never_leak_credentials() {
        let e = parse("postgres://app:s3cret@bad_host!/db").unwrap_err();
        let text = e.to_string();
        assert!(!text.contains("s3cret"), "{text}");
        assert!(text.contains("bad_host!"), "{text}");
        assert_eq!(
            text,
            "`bad_host!` is not a valid host name (`!` is not allowed) (in `postgres://***@bad_host!/db`)"
        );
        let EndpointError::InEntry { error, entry } = e else {
            panic!("{e:?}")
        };
        assert_eq!(
            *error,
            EndpointError::BadChar {
                name: "bad_host!".into(),
                found: '!'
            }
        );
        assert_eq!(entry, "postgres://***@bad_host!/db");
        assert_eq!(
            parse("999.1.1.1"),
            Err(EndpointError::BadIp("999.1.1.1".into()))
        );
        assert_eq!(
            parse("-bad.example"),
            Err(EndpointError::Hyphen("-bad.example".into()))
        );
        assert_eq!(
            parse("host:99999"),
            Err(EndpointError::BadPort("99999".into()))
        );
        assert_eq!(parse(" "), Err(EndpointError::Empty));
        assert_eq!(hostname("."), Err(EndpointError::EmptyName));
        let e = parse("пример.рф").unwrap_err();
        assert!(matches!(e, EndpointError::NotAscii(_)), "{e:?}");
        assert!(e.to_string().contains("punycode"), "{e}");
        assert_eq!(
            parse("[2001:db8::1]x").unwrap_err().to_string(),
            "`[2001:db8::1]x`: unexpected `x` after the address"
        );
    }
}
