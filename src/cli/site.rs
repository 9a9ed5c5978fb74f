//! `residency scan-site` and the web-site options shared with
//! `check --site`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use serde::Serialize;

use super::{Failure, ListFormat, input, io, print, usage};
use crate::inventory::Inventory;
use crate::resolve;
use crate::site::{self, SiteAudit, SiteScan};

/// How the site is read (`scan-site`, `check --site`).
#[derive(Debug, Clone, Args)]
pub(crate) struct SiteArgs {
    /// Pages read at most: the start URLs, then same-site links, breadth first.
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub max_pages: u32,

    /// Bytes read of one page at most (K and M suffixes: 512K, 5M); the
    /// rest of a larger page is not read, and the page is reported.
    #[arg(long, value_name = "SIZE", default_value = "5M", value_parser = parse_size)]
    pub max_page_size: usize,

    /// Seconds for one request, from connecting to the last byte.
    #[arg(long, value_name = "SECONDS", default_value_t = 15.0, value_parser = parse_page_timeout)]
    pub page_timeout: f64,

    /// Redirects followed per page at most (same-site only; a redirect
    /// to another site is reported, never followed).
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u8).range(0..=50))]
    pub max_redirects: u8,

    /// Pages fetched at once.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub parallel: u16,

    /// Also trust the CA certificates in this PEM file (a site behind a
    /// private CA). May be given more than once.
    #[arg(long, value_name = "FILE")]
    pub ca_cert: Vec<PathBuf>,

    /// Your own copy of a tracker database (Disconnect `services.json` or a
    /// Ghostery TrackerDB export, JSON), read to name the owner of hosts the
    /// built-in catalogue lacks; such names are marked as coming from FILE.
    #[arg(long, value_name = "FILE")]
    pub tracker_db: Option<PathBuf>,
}

/// A `--max-page-size` that is not a size of at most 1024M.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a size such as 500000, 512K or 5M (at most 1024M)")]
pub(super) struct BadSize;

fn parse_size(s: &str) -> Result<usize, BadSize> {
    let t = s.trim();
    let (num, mult) = match t.char_indices().last() {
        Some((i, 'k' | 'K')) => (&t[..i], 1024),
        Some((i, 'm' | 'M')) => (&t[..i], 1024 * 1024),
        _ => (t, 1),
    };
    match num.trim().parse::<usize>() {
        Ok(n) if n > 0 && n.saturating_mul(mult) <= 1 << 30 => Ok(n * mult),
        _ => Err(BadSize),
    }
}

fn parse_page_timeout(s: &str) -> Result<f64, super::BadSeconds> {
    super::BadSeconds::parse(s, 0.1, 600.0)
}

impl SiteArgs {
    pub(crate) fn options(&self) -> site::Options {
        site::Options {
            fetch: site::FetchOptions {
                timeout: Duration::from_secs_f64(self.page_timeout),
                max_bytes: self.max_page_size,
                max_redirects: usize::from(self.max_redirects),
                ca_certs: self.ca_cert.clone(),
            },
            max_pages: self.max_pages as usize,
            parallel: usize::from(self.parallel),
            tracker_db: None,
        }
    }
}

/// Read the site; exit 2 when a start URL is invalid or no page at all
/// could be read as HTML (nothing to judge).
pub(crate) fn read_site(
    runtime: &tokio::runtime::Runtime,
    urls: &[String],
    args: &SiteArgs,
) -> Result<SiteScan, Failure> {
    let roots = urls
        .iter()
        .map(|u| site::parse_root(u))
        .collect::<Result<Vec<_>, _>>()
        .map_err(usage)?;
    let mut options = args.options();
    // The CA files are read (and checked) before any page is asked for.
    if !args.ca_cert.is_empty() {
        site::fetch::client(&options.fetch).map_err(|e| io(e.to_string()))?;
    }
    if let Some(f) = &args.tracker_db {
        options.tracker_db = Some(std::sync::Arc::new(
            site::trackerdb::load(f).map_err(input)?,
        ));
    }
    let scan = runtime.block_on(site::scan(&roots, &options)).map_err(io)?;
    if scan.pages_read() == 0 {
        let mut lines = vec![format!(
            "could not read the site {}: no page was read as HTML",
            scan.roots.join(", ")
        )];
        for p in &scan.pages {
            let why = p
                .problem
                .as_deref()
                .or(p.note.as_deref())
                .unwrap_or("no HTML");
            lines.push(format!("  {}: {why}", p.url));
        }
        return Err(Failure::Io(lines.join("\n")));
    }
    Ok(scan)
}

/// `residency scan-site`.
#[derive(Debug, Args)]
pub(crate) struct ScanSiteArgs {
    /// Start URLs, e.g. https://example.ru/ (a bare host means https://HOST/).
    #[arg(required = true, value_name = "URL")]
    pub urls: Vec<String>,

    #[command(flatten)]
    pub crawl: SiteArgs,

    /// Print inventory entries (YAML, ready to paste) for every third party
    /// instead of the report.
    #[arg(long)]
    pub suggest: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,

    /// Write the output to FILE (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub lookup: super::lookup::LookupArgs,

    /// Do not look up the third-party hosts (no countries).
    #[arg(long, conflicts_with = "dns")]
    pub no_resolve: bool,
}

#[derive(Serialize)]
struct ScanReport<'a> {
    schema_version: u32,
    tool: Tool,
    generated_at: &'a str,
    geoip: GeoIpOut<'a>,
    resolution: ResolutionOut,
    site: crate::report::site::SiteOut<'a>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct GeoIpOut<'a> {
    source: &'a str,
    build_date: &'a str,
}

#[derive(Serialize)]
struct ResolutionOut {
    offline: bool,
    names: usize,
    failed: usize,
}

pub(super) fn scan_site(args: &ScanSiteArgs) -> Result<ExitCode, Failure> {
    let epoch = crate::util::report_epoch().map_err(usage)?;
    if let Some(out) = &args.output
        && out.is_dir()
    {
        return Err(usage(format!("--output {}: is a directory", out.display())));
    }
    let geo = args.lookup.geoip()?;
    let runtime = super::lookup::runtime(false)?;
    let scan = read_site(&runtime, &args.urls, &args.crawl)?;
    let mut inv = Inventory::default();
    let site = site::merge(&mut inv, scan);
    let opts = args.lookup.options(args.no_resolve);
    let resolved = runtime
        .block_on(resolve::resolve(&inv, &opts, &geo, &|_, _| {}))
        .map_err(io)?;
    let generated_at = crate::util::rfc3339(epoch);
    let text = if args.suggest {
        crate::report::suggest::yaml(&site, &inv, &resolved, &generated_at)
    } else {
        match args.format {
            ListFormat::Json => {
                let report = ScanReport {
                    schema_version: 1,
                    tool: Tool {
                        name: "residency",
                        version: env!("CARGO_PKG_VERSION"),
                    },
                    generated_at: &generated_at,
                    geoip: GeoIpOut {
                        source: &resolved.geoip_source,
                        build_date: &resolved.geoip_build_date,
                    },
                    resolution: ResolutionOut {
                        offline: resolved.offline,
                        names: resolved.stats.names,
                        failed: resolved.stats.failed,
                    },
                    site: crate::report::site::json(&site, &inv, &resolved),
                };
                let mut s = serde_json::to_string_pretty(&report)
                    .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
                s.push('\n');
                s
            }
            ListFormat::Table => table(&site, &inv, &resolved),
        }
    };
    match &args.output {
        Some(path) => {
            crate::util::write_atomic(path, text.as_bytes())
                .map_err(|e| io(format!("cannot write {}: {e}", path.display())))?;
            super::note(&format!(
                "wrote {} ({} third parties on {} pages)",
                path.display(),
                site.scan.third_parties.len(),
                site.scan.pages_read()
            ));
        }
        None => print(&text),
    }
    Ok(ExitCode::SUCCESS)
}

fn table(site: &SiteAudit, inv: &Inventory, resolved: &resolve::Resolved) -> String {
    let width = super::check::width(false);
    let mut out = format!(
        "residency {} — third parties of the web site\nGeoIP: {} (built {}) · {}\n\n",
        env!("CARGO_PKG_VERSION"),
        resolved.geoip_source,
        resolved.geoip_build_date,
        if resolved.offline {
            "hosts not resolved (--no-resolve)".to_string()
        } else {
            format!(
                "DNS: {} names, {} failed",
                resolved.stats.names, resolved.stats.failed
            )
        }
    );
    out.push_str(&crate::report::site::summary(site));
    out.push('\n');
    if site.scan.third_parties.is_empty() {
        out.push_str("No third parties: the pages read load nothing from other sites.\n");
    } else {
        out.push_str(&crate::report::site::table(
            site, inv, resolved, width, false,
        ));
    }
    let pages = &site.scan.pages;
    out.push_str("\nPages\n");
    for p in pages.iter().take(30) {
        let status = p.status.map_or("---".to_string(), |s| s.to_string());
        let what = p
            .problem
            .as_deref()
            .or(p.note.as_deref())
            .map_or_else(|| format!("{} bytes", p.bytes), str::to_string);
        out.push_str(&format!("  {status} {} — {what}\n", p.final_url));
    }
    if pages.len() > 30 {
        out.push_str(&format!(
            "  … {} more (--format json lists them all)\n",
            pages.len() - 30
        ));
    }
    out.push_str(
        "\nEach third party receives visitors' data straight from their browsers. \
         `residency check INVENTORY --site URL` judges them against the inventory; \
         `--suggest` prints the inventory entries to add.\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_page_timeouts_parse_or_are_typed_errors() {
        assert_eq!(parse_size("512K"), Ok(512 * 1024));
        assert_eq!(parse_size("1025M"), Err(BadSize));
        assert_eq!(parse_size("0"), Err(BadSize));
        assert_eq!(parse_page_timeout("0.5"), Ok(0.5));
        let e = parse_page_timeout("601").unwrap_err();
        assert_eq!(e, crate::cli::BadSeconds { lo: 0.1, hi: 600.0 });
        assert_eq!(
            e.to_string(),
            "expected a number of seconds between 0.1 and 600"
        );
    }
}
