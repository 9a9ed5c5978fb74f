//! `residency check`: the audit, from inventory to verdict.

use std::io::{IsTerminal, Write};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;

use super::{ColorArg, Failure, FormatArg, input, print};
use crate::evaluate::{self, Context, FailOn, Summary, baseline, registry, waivers};
use crate::inventory::{self, Diagnostic};
use crate::reference::adequacy::Adequacy;
use crate::report::{self, Audit};
use crate::resolve::{self, DnsOptions, GeoIp, Nameserver};
use crate::terraform;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Inventory directory or file.
    #[arg(default_value = "inventory/")]
    pub path: PathBuf,

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

    /// A Terraform plan as JSON (`terraform show -json PLANFILE`); may be
    /// given several times. Planned resources join the countries of the
    /// entities that list them (`terraform:`) or that their `residency-id`
    /// tag names; untracked personal-data storage is `unlisted-storage`.
    #[arg(long, value_name = "PLAN.json")]
    pub terraform: Vec<PathBuf>,

    /// An earlier JSON report: fail only on findings that are not in it
    /// (same rule, entity and countries); say how many known ones were
    /// left out.
    #[arg(long, value_name = "REPORT.json")]
    pub baseline: Option<PathBuf>,

    /// Ignore the inventory's `waivers:`: report every finding as if none
    /// were waived.
    #[arg(long)]
    pub no_waivers: bool,

    /// Output format: table, json, gitlab (Code Quality report), github
    /// (Actions annotations).
    #[arg(long, value_enum, default_value_t = FormatArg::Table)]
    pub format: FormatArg,

    /// Write the report to FILE (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

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

    /// Colour in the table: auto (a terminal, and NO_COLOR unset), always, never.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
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

pub(super) fn check(args: &CheckArgs) -> Result<ExitCode, Failure> {
    let fail_on: FailOn = args.fail_on.parse().map_err(input)?;
    let epoch = crate::util::report_epoch().map_err(input)?;
    if let Some(out) = &args.output
        && out.is_dir()
    {
        return Err(input(format!("--output {}: is a directory", out.display())));
    }
    if let Some(out) = &args.output {
        for input_file in args.terraform.iter().chain(&args.baseline) {
            if same_file(out, input_file) {
                return Err(input(format!(
                    "--output {} would overwrite {}, which this run reads",
                    out.display(),
                    input_file.display()
                )));
            }
        }
    }
    let rule_ids: Vec<&str> = registry::ids().collect();
    let load_options = inventory::LoadOptions {
        rule_ids: &rule_ids,
        today: crate::util::day(epoch),
    };
    let inv = inventory::load_with(&args.path, &load_options)
        .map_err(|diags| problems(&diags, "in the inventory"))?;
    let mut bad: Vec<Diagnostic> = Vec::new();
    let mut plans = Vec::new();
    for (i, p) in args.terraform.iter().enumerate() {
        if args.terraform[..i].iter().any(|q| same_file(p, q)) {
            continue; // the same plan twice counts once
        }
        match terraform::load(p) {
            Ok(plan) => plans.push(plan),
            Err(d) => bad.push(d),
        }
    }
    let baseline = match args.baseline.as_deref().map(baseline::load) {
        Some(Err(d)) => {
            bad.push(d);
            None
        }
        Some(Ok(b)) => Some(b),
        None => None,
    };
    if !bad.is_empty() {
        return Err(problems(&bad, "in the inputs"));
    }
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
    let mut resolved = runtime
        .block_on(resolve::resolve(&inv, &opts, &geo))
        .map_err(input)?;
    if !args.terraform.is_empty() {
        let tf = terraform::link(&inv, plans);
        let mut err = std::io::stderr().lock();
        for w in &tf.warnings {
            let _ = writeln!(err, "warning: {w}");
        }
        resolve::apply_terraform(&mut resolved, &inv, tf);
    }
    let cx = Context::new(&inv, &resolved, &adequacy).at(epoch);
    let all = evaluate::evaluate(&cx);
    let (findings, waived) = waivers::apply(&inv, cx.today, all, !args.no_waivers);
    let (findings, baseline_summary) = match &baseline {
        Some(b) => {
            let (new, s) = b.apply(findings);
            (new, Some(s))
        }
        None => (findings, None),
    };
    let mut summary = Summary::of(&findings, fail_on);
    summary.waived = waived.len();
    summary.baseline_known = baseline_summary.as_ref().map_or(0, |b| b.known);
    let audit = Audit {
        target: args.path.display().to_string(),
        inventory: &inv,
        resolved: &resolved,
        adequacy: &adequacy,
        findings: &findings,
        pd: cx.pd_reasons(),
        summary,
        fail_on,
        generated_at: crate::util::rfc3339(epoch),
        geoip_stale: epoch - geo.build_epoch > 365 * 86_400,
        waived: &waived,
        waivers_applied: !args.no_waivers,
        baseline: baseline_summary.as_ref(),
    };
    let text = match args.format {
        FormatArg::Json => report::json::render(&audit),
        FormatArg::Gitlab => report::gitlab::render(&audit),
        FormatArg::Github => report::github::render(&audit),
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
                "wrote {}: {}",
                path.display(),
                report::table::verdict(&audit)
            );
        }
        None => {
            print(&text);
            if args.format != FormatArg::Table
                && args.format != FormatArg::Github
                && (baseline_summary.is_some() || !waived.is_empty())
            {
                let mut err = std::io::stderr().lock();
                let _ = writeln!(err, "{}", report::table::verdict(&audit));
            }
        }
    }
    Ok(if summary.failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Every problem with the inputs, then a count: exit 2.
fn problems(diags: &[Diagnostic], where_: &str) -> Failure {
    let n = diags.len();
    let mut lines: Vec<String> = diags.iter().map(|d| format!("error: {d}")).collect();
    lines.push(format!(
        "error: {n} problem{} {where_}; nothing was evaluated",
        if n == 1 { "" } else { "s" }
    ));
    Failure::Input(lines)
}

/// Whether two paths name the same file (an existing one, or the same text).
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
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
