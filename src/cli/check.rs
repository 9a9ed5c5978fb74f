//! `residency check`: the audit, from inventory to verdict.

use std::io::{IsTerminal, Write};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;

use super::{ColorArg, Failure, FormatArg, LangArg, input, print};
use crate::evaluate::context::PdReason;
use crate::evaluate::{self, Context, FailOn, Finding, Summary};
use crate::inventory::{self, Inventory};
use crate::reference::adequacy::Adequacy;
use crate::report::{self, Audit};
use crate::resolve::{self, DnsOptions, GeoIp, Nameserver, Resolved};

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Inventory directory or file.
    #[arg(default_value = "inventory/")]
    pub path: PathBuf,

    #[command(flatten)]
    pub audit: AuditArgs,

    /// Output format: table, json, markdown, html (one self-contained
    /// page), sarif (2.1.0, for code scanning), junit (XML, one test case
    /// per entity).
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,

    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Colour in the table: auto (a terminal, and NO_COLOR unset), always, never.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
}

/// How to locate and judge: shared by `check` and `report`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Send every DNS query to this nameserver (ADDR or ADDR:PORT, default
    /// port 53; UDP, falling back to TCP on truncation). Default: the
    /// system resolver configuration.
    #[arg(long, value_name = "ADDR[:PORT]", value_parser = parse_nameserver, conflicts_with = "offline")]
    pub dns: Option<SocketAddr>,

    /// Make no network request at all: host names stay unresolved.
    #[arg(long)]
    pub offline: bool,

    /// Use this MaxMind-format database (GeoIP2/GeoLite2 Country or City, or
    /// one with a top-level `country_code`) instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    pub geoip: Option<PathBuf>,

    /// Use this adequacy list (TSV with `code` and `adequate_rkn128`
    /// columns) instead of the built-in RKN Order No. 128.
    #[arg(long, value_name = "FILE")]
    pub adequacy: Option<PathBuf>,

    /// Exit 1 when a finding at or above this severity exists.
    #[arg(long, value_name = "SEVERITY", default_value = "high",
          value_parser = ["critical", "high", "medium", "low", "info", "never"])]
    pub fail_on: String,

    /// Host names resolved at once.
    #[arg(long, value_name = "N", default_value_t = 64, value_parser = clap::value_parser!(u16).range(1..=4096))]
    pub concurrency: u16,

    /// Seconds to wait for each DNS answer. A host takes at most
    /// timeout × attempts (A and AAAA are asked in parallel).
    #[arg(long, value_name = "SECONDS", default_value_t = 2.0, value_parser = parse_timeout)]
    pub timeout: f64,

    /// Tries per DNS query (1 = no retry).
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=10))]
    pub attempts: u8,

    /// Language of the table, Markdown and HTML reports: ru or en
    /// (default: Russian for a Russian locale in LC_ALL/LC_MESSAGES/LANG,
    /// else English).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
}

impl AuditArgs {
    pub(super) fn lang(&self) -> report::Lang {
        match self.lang.unwrap_or_else(LangArg::from_env) {
            LangArg::Ru => report::Lang::Ru,
            LangArg::En => report::Lang::En,
        }
    }
}

fn parse_nameserver(s: &str) -> Result<SocketAddr, String> {
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
    Err(format!(
        "`{s}` is not an IP address with an optional port (e.g. 127.0.0.1:5353)"
    ))
}

fn parse_timeout(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.01..=60.0).contains(&v) => Ok(v),
        _ => Err("expected a number of seconds between 0.01 and 60".into()),
    }
}

/// One evaluated run, owned: what every report of it is rendered from.
pub(super) struct Outcome {
    target: String,
    inventory: Inventory,
    resolved: Resolved,
    adequacy: Adequacy,
    findings: Vec<Finding>,
    pd: Vec<Option<PdReason>>,
    pub summary: Summary,
    fail_on: FailOn,
    pub epoch: i64,
    geoip_stale: bool,
}

impl Outcome {
    pub(super) fn audit(&self) -> Audit<'_> {
        Audit {
            target: self.target.clone(),
            inventory: &self.inventory,
            resolved: &self.resolved,
            adequacy: &self.adequacy,
            findings: &self.findings,
            pd: &self.pd,
            summary: self.summary,
            fail_on: self.fail_on,
            generated_at: crate::util::rfc3339(self.epoch),
            geoip_stale: self.geoip_stale,
        }
    }

    /// Exit 1 when the gate failed.
    pub(super) fn exit_code(&self) -> ExitCode {
        if self.summary.failed {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }
}

/// Load, resolve and evaluate the inventory at `path`.
pub(super) fn run_audit(path: &Path, args: &AuditArgs) -> Result<Outcome, Failure> {
    let fail_on: FailOn = args.fail_on.parse().map_err(input)?;
    let epoch = crate::util::report_epoch().map_err(input)?;
    let inv = inventory::load(path).map_err(|diags| {
        let n = diags.len();
        let mut lines: Vec<String> = diags.iter().map(|d| format!("error: {d}")).collect();
        lines.push(format!(
            "error: {n} problem{} in the inventory; nothing was evaluated",
            if n == 1 { "" } else { "s" }
        ));
        Failure::Input(lines)
    })?;
    let adequacy = match &args.adequacy {
        Some(p) => Adequacy::from_file(p).map_err(input)?,
        None => Adequacy::built_in(),
    };
    let geo = match &args.geoip {
        Some(p) => GeoIp::open(p).map_err(input)?,
        None => GeoIp::built_in().map_err(input)?,
    };
    let opts = resolve::Options {
        offline: args.offline,
        dns: DnsOptions {
            nameserver: args.dns.map_or(Nameserver::System, Nameserver::At),
            timeout: Duration::from_secs_f64(args.timeout),
            attempts: usize::from(args.attempts),
        },
        concurrency: usize::from(args.concurrency),
    };
    let runtime = if args.offline {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
    }
    .map_err(|e| input(format!("cannot start the async runtime: {e}")))?;
    let resolved = runtime
        .block_on(resolve::resolve(&inv, &opts, &geo))
        .map_err(input)?;
    let cx = Context::new(&inv, &resolved, &adequacy);
    let findings = evaluate::evaluate(&cx);
    let pd = cx.pd_reasons().to_vec();
    let summary = Summary::of(&findings, fail_on);
    Ok(Outcome {
        target: path.display().to_string(),
        inventory: inv,
        resolved,
        adequacy,
        findings,
        pd,
        summary,
        fail_on,
        epoch,
        geoip_stale: epoch - geo.build_epoch > 365 * 86_400,
    })
}

pub(super) fn check(args: &CheckArgs) -> Result<ExitCode, Failure> {
    if let Some(out) = &args.output
        && out.is_dir()
    {
        return Err(input(format!("--output {}: is a directory", out.display())));
    }
    let outcome = run_audit(&args.path, &args.audit)?;
    let audit = outcome.audit();
    let summary = outcome.summary;
    let lang = args.audit.lang();
    let text = match args.format {
        FormatArg::Json => report::json::render(&audit),
        FormatArg::Markdown => report::markdown::render(&audit, lang, None),
        FormatArg::Html => report::html::render(&audit, lang, None),
        FormatArg::Sarif => report::sarif::render(&audit),
        FormatArg::Junit => report::junit::render(&audit),
        FormatArg::Table => {
            let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
            let color = match args.color {
                ColorArg::Always => true,
                ColorArg::Never => false,
                ColorArg::Auto => {
                    to_terminal
                        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                        && std::env::var("TERM").map_or(true, |t| t != "dumb")
                }
            };
            report::table::render(
                &audit,
                report::table::Style {
                    color,
                    width: width(to_terminal),
                    lang,
                },
            )
        }
    };
    match &args.output {
        Some(path) => {
            write_report(path, &text)?;
            let mut err = std::io::stderr().lock();
            let _ = writeln!(
                err,
                "wrote {} ({} findings; gate {})",
                path.display(),
                summary.total(),
                if summary.failed { "failed" } else { "passed" }
            );
        }
        None => print(&text),
    }
    Ok(outcome.exit_code())
}

fn write_report(path: &Path, text: &str) -> Result<(), Failure> {
    crate::util::write_atomic(path, text.as_bytes())
        .map_err(|e| input(format!("cannot write {}: {e}", path.display())))
}

/// Width to wrap the table to: `COLUMNS`, the terminal's, else 160.
fn width(to_terminal: bool) -> u16 {
    if let Some(w) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<u16>().ok())
    {
        return w.max(60);
    }
    if to_terminal
        && let Some(w) = comfy_table::Table::new().width()
        && w >= 60
    {
        return w;
    }
    160
}
