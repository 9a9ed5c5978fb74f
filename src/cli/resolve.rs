//! `residency resolve HOST...`: the whole chain for each host — CNAMEs,
//! addresses, where each address was placed and how. The command to run
//! when a finding surprises you.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use serde::Serialize;

use super::{Failure, ListFormat, io, print, usage};
use crate::inventory::{self, endpoint};
use crate::resolve::{self, Address, Via};

#[derive(Debug, Args)]
pub(crate) struct ResolveArgs {
    /// Host names, IP literals, host:port or URLs/DSNs (credentials are not printed).
    #[arg(required = true, value_name = "HOST")]
    pub hosts: Vec<String>,

    #[command(flatten)]
    pub lookup: super::lookup::LookupArgs,

    /// Place addresses with this inventory's `networks` first.
    #[arg(long, value_name = "PATH")]
    pub inventory: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Serialize)]
struct HostOut<'a> {
    host: String,
    via: Via,
    chain: &'a [String],
    addresses: &'a [Address],
    error: Option<&'a resolve::HostError>,
}

pub(super) fn run(args: &ResolveArgs) -> Result<ExitCode, Failure> {
    let mut hosts = Vec::new();
    for h in &args.hosts {
        let eps = endpoint::parse(h).map_err(|e| usage(format!("invalid host: {e}")))?;
        hosts.extend(eps.into_iter().map(|e| e.host));
    }
    let networks = match &args.inventory {
        Some(p) => inventory::load(p).map_err(Failure::problems)?.networks,
        None => Vec::new(),
    };
    let geo = args.lookup.geoip()?;
    let opts = args.lookup.options(false);
    let runtime = super::lookup::runtime(false)?;
    let (placed, _) = runtime
        .block_on(resolve::resolve_hosts(&hosts, &networks, &opts, &geo))
        .map_err(io)?;
    let all_placed = placed
        .iter()
        .all(|p| p.error.is_none() && !p.addresses.is_empty());
    let text = match args.format {
        ListFormat::Json => {
            let out: Vec<HostOut<'_>> = placed
                .iter()
                .map(|p| HostOut {
                    host: p.host.to_string(),
                    via: p.via,
                    chain: &p.chain,
                    addresses: &p.addresses,
                    error: p.error.as_deref(),
                })
                .collect();
            let mut s = serde_json::to_string_pretty(&out).unwrap_or_default();
            s.push('\n');
            s
        }
        ListFormat::Table => {
            let mut s = String::new();
            for p in &placed {
                s.push_str(&format!("{}\n", p.host));
                if p.chain.len() > 1 {
                    s.push_str(&format!("  chain    {}\n", p.chain.join(" -> ")));
                }
                for a in &p.addresses {
                    let country = a
                        .country
                        .map_or_else(|| "??".to_string(), |c| format!("{c} {}", c.name_en()));
                    s.push_str(&format!(
                        "  address  {:<39} {country} ({})\n",
                        a.ip.to_string(),
                        a.source
                    ));
                }
                if let Some(e) = &p.error {
                    s.push_str(&format!("  unknown  {e}\n"));
                }
            }
            s.push_str(&format!(
                "GeoIP: {} (built {})\n",
                geo.source, geo.build_date
            ));
            s
        }
    };
    print(&text);
    let _ = std::io::stdout().flush();
    Ok(if all_placed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
