//! `residency check`: the audit, from inventory to verdict.

use std::io::{IsTerminal, Write};

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;

use super::{ColorArg, Failure, FormatArg, input, io, print, usage};
use crate::evaluate::waivers::{self};
use crate::evaluate::{self, Context, FailOn, Severity, Summary, registry};
use crate::inventory::{self, Diagnostic};
use crate::reference::adequacy::Adequacy;
use crate::reference::banned::Banned;
use crate::report::{self, Audit};
use crate::resolve::{self};
use crate::terraform;

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
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

    /// Also read this web site (start URL; may be given more than once) and
    /// merge the third parties its pages load into the audit.
    #[arg(long, value_name = "URL", conflicts_with = "offline")]
    pub site: Vec<String>,

    /// With --site: print inventory entries (YAML, ready to paste) for the
    /// site's third parties that the inventory does not list, instead of
    /// the report (the report still goes to --output when given).
    #[arg(long)]
    pub suggest: bool,

    #[command(flatten)]
    pub crawl: super::SiteArgs,
}

/// How to locate and judge: shared by `check` and `report`.
#[derive(Debug, Args)]
pub(crate) struct AuditArgs {
    #[command(flatten)]
    pub lookup: super::lookup::LookupArgs,

    /// Make no network request at all: host names stay unresolved.
    #[arg(long, conflicts_with = "dns")]
    pub offline: bool,

    /// Use this adequacy list (TSV with `code` and `adequate_rkn128`
    /// columns) instead of the built-in RKN Order No. 128.
    #[arg(long, value_name = "FILE")]
    pub adequacy: Option<PathBuf>,

    /// Use this list of organisations banned in Russia by a court decision
    /// (TSV like `data/banned-recipients.tsv`) instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    pub banned: Option<PathBuf>,

    /// Exit 1 when a finding at or above this severity exists.
    #[arg(long, value_enum, value_name = "SEVERITY", default_value_t = FailOn::At(Severity::High))]
    pub fail_on: FailOn,

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

    /// The published privacy policy: a file (HTML, Markdown, plain text)
    /// or an http(s) URL; may be given more than once. Its statements are
    /// held against the audit (policy-* rules), and what it names counts
    /// as declared for undeclared-third-party / undeclared-cross-border.
    #[arg(long, value_name = "SOURCE")]
    pub policy: Vec<String>,

    /// Ignore the inventory's `waivers:`: report every finding as if none
    /// were waived.
    #[arg(long)]
    pub no_waivers: bool,

    /// Language of the table, Markdown, HTML and GitHub reports: ru or en
    /// (default: Russian for a Russian locale in LC_ALL/LC_MESSAGES/LANG,
    /// else English).
    #[arg(long, value_enum)]
    pub lang: Option<report::Lang>,

    /// No progress bar (it is only ever drawn on a terminal).
    #[arg(long, short)]
    pub quiet: bool,
}

impl AuditArgs {
    pub(super) fn lang(&self) -> report::Lang {
        self.lang.unwrap_or_else(super::lang_from_env)
    }
}

/// Exit 1 when the gate failed.
pub(super) fn exit_code(a: &Audit) -> ExitCode {
    if a.summary.failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Load, resolve and evaluate the inventory at `path`.
///
/// With `site` (start URLs and crawl settings), the site's pages are read
/// first and their third parties merged into the inventory.
pub(super) fn run_audit(
    path: &Path,
    args: &AuditArgs,
    site: Option<(&[String], &super::SiteArgs)>,
) -> Result<Audit, Failure> {
    let fail_on = args.fail_on;
    let epoch = crate::util::report_epoch().map_err(usage)?;
    let rules = registry::waiver_rules();
    let load_options = inventory::LoadOptions {
        rules: &rules,
        today: crate::util::day(epoch),
    };
    let mut inv = inventory::load_with(path, &load_options)
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
    let baseline = match args.baseline.as_deref().map(report::json::read_baseline) {
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
    let banned = match &args.banned {
        Some(p) => Banned::from_file(p).map_err(input)?,
        None => Banned::built_in(),
    };
    let geo = args.lookup.geoip()?;
    let opts = args.lookup.options(args.offline);
    let progress = Progress::new(!args.quiet && std::io::stderr().is_terminal());
    let runtime = super::lookup::runtime(args.offline)?;
    let crawl_args = site.map(|(_, crawl)| crawl);
    let site = match site {
        Some((urls, crawl)) if !urls.is_empty() => {
            let scan = super::site::read_site(&runtime, urls, crawl)?;
            Some(crate::site::merge(&mut inv, scan))
        }
        _ => None,
    };
    let policies = {
        let default_crawl;
        let crawl = match crawl_args {
            Some(crawl) => crawl,
            None => {
                default_crawl = super::policy::default_crawl();
                &default_crawl
            }
        };
        super::policy::read_policies(
            &args.policy,
            Some(&inv),
            crawl,
            (!args.offline).then_some(&runtime),
        )?
    };
    let mut resolved = runtime
        .block_on(resolve::resolve(&inv, &opts, &geo, &progress.callback()))
        .map_err(io)?;
    if !args.terraform.is_empty() {
        let tf = terraform::link(&inv, plans);
        // A warning quotes the plan (outside input): cleaned as errors are.
        for w in &tf.warnings {
            super::note(&format!("warning: {w}"));
        }
        resolve::apply_terraform(&mut resolved, &inv, tf);
    }
    let cx = Context::new(&inv, &resolved, &adequacy)
        .with_banned(&banned)
        .with_site(site.as_ref())
        .with_policies(&policies)
        .at(epoch);
    let all = evaluate::evaluate(&cx);
    let (findings, waived) = waivers::apply(&inv, cx.today, all, !args.no_waivers);
    let (findings, baseline_summary) = match &baseline {
        Some(b) => {
            let (new, s) = b.apply(findings);
            (new, Some(s))
        }
        None => (findings, None),
    };
    let pd = cx.pd_reasons().to_vec();
    let mut summary = Summary::of(&findings, fail_on);
    summary.waived = waived.len();
    summary.baseline_known = baseline_summary.as_ref().map_or(0, |b| b.known);
    Ok(Audit {
        target: path.display().to_string(),
        inventory: inv,
        resolved,
        adequacy,
        findings,
        pd,
        summary,
        fail_on,
        epoch,
        generated_at: crate::util::rfc3339(epoch),
        geoip_stale: epoch - geo.build_epoch > 365 * 86_400,
        site,
        policies,
        waived,
        waivers_applied: !args.no_waivers,
        baseline: baseline_summary,
    })
}

pub(super) fn check(args: &CheckArgs) -> Result<ExitCode, Failure> {
    // Checked here, not by clap: the URLs may come from residency.toml.
    if args.suggest && args.site.is_empty() {
        return Err(usage(
            "--suggest needs the web site: --site URL (or `site` in residency.toml)",
        ));
    }
    if let Some(out) = &args.output
        && out.is_dir()
    {
        return Err(usage(format!("--output {}: is a directory", out.display())));
    }
    if let Some(out) = &args.output {
        for read in args.audit.terraform.iter().chain(&args.audit.baseline) {
            if same_file(out, read) {
                return Err(usage(format!(
                    "--output {} would overwrite {}, which this run reads",
                    out.display(),
                    read.display()
                )));
            }
        }
    }
    let audit = run_audit(&args.path, &args.audit, Some((&args.site, &args.crawl)))?;
    // With --suggest the YAML goes to stdout; the report only to --output.
    let suggestion = audit.site.as_ref().filter(|_| args.suggest).map(|site| {
        report::suggest::yaml(site, &audit.inventory, &audit.resolved, &audit.generated_at)
    });
    let result = match (&args.output, args.format) {
        (None, _) if suggestion.is_some() => Ok(()),
        // Streamed: a 100,000-entity report is hundreds of megabytes.
        (Some(path), _) => crate::util::write_atomic_with(path, |w| emit(args, &audit, w)),
        (None, _) => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            // A closed pipe (`| head`) is not an error worth reporting.
            let _ = emit(args, &audit, &mut out).and_then(|()| out.flush());
            Ok(())
        }
    };
    if let Some(yaml) = &suggestion {
        print(yaml);
    }
    let code = finish(args, result, &audit);
    // The process ends right after: freeing a 100,000-entity audit piece
    // by piece takes longer than evaluating it, and the system takes the
    // memory back at exit anyway.
    std::mem::forget(audit);
    code
}

/// Write the report in the chosen format, each part as it is made. At
/// this boundary, text from outside is made safe for where it goes: no
/// terminal control characters (but the colours of a coloured table), no
/// line a CI runner would read as a workflow command (`::error`, `##[`).
fn emit(args: &CheckArgs, audit: &Audit, w: &mut dyn Write) -> std::io::Result<()> {
    let lang = args.audit.lang();
    match args.format {
        // JSON formats are escaped by serde (`\u001b`); the table escapes
        // its cells itself (its colours are escapes).
        FormatArg::Json => report::json::write(audit, None, w),
        FormatArg::Sarif => report::sarif::write(audit, w),
        FormatArg::Gitlab => report::gitlab::write(audit, w),
        FormatArg::Table => report::table::write(audit, table_style(args), w),
        // Workflow commands themselves: only the control characters.
        FormatArg::Github => {
            let mut e = crate::escape::Escaping::new(w, None);
            report::github::write(audit, args.audit.lang(), &mut e)?;
            e.finish().map(drop)
        }
        FormatArg::Junit | FormatArg::Html => {
            let escape: &dyn Fn(char) -> String = &crate::escape::xml_char_ref;
            let mut e = crate::escape::Escaping::new(w, Some(escape));
            match args.format {
                FormatArg::Junit => report::junit::write(audit, &mut e)?,
                _ => report::html::write(audit, lang, None, &mut e)?,
            }
            e.finish().map(drop)
        }
        FormatArg::Markdown => {
            let escape: &dyn Fn(char) -> String = &|c| format!("\\{c}");
            let mut e = crate::escape::Escaping::new(w, Some(escape));
            report::markdown::write(audit, lang, None, &mut e)?;
            e.finish().map(drop)
        }
    }
}

/// How to draw the table: colour and width from the terminal and flags.
fn table_style(args: &CheckArgs) -> report::table::Style {
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            to_terminal
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").is_ok_and(|t| t != "dumb")
        }
    };
    report::table::Style {
        color,
        width: width(to_terminal),
        lang: args.audit.lang(),
    }
}

/// Say where the report went and turn the verdict into the exit code. A
/// machine format on stdout gets the verdict on stderr when waivers or a
/// baseline changed what counts, so a CI log shows it.
fn finish(
    args: &CheckArgs,
    written: std::io::Result<()>,
    audit: &Audit,
) -> Result<ExitCode, Failure> {
    let verdict = report::view::verdict(audit, args.audit.lang());
    match (&args.output, written) {
        (Some(path), Err(e)) => return Err(io(format!("cannot write {}: {e}", path.display()))),
        (Some(path), Ok(())) => super::note(&format!("wrote {}: {verdict}", path.display())),
        // A closed pipe (`| head`) is not an error worth reporting.
        (None, Err(_)) | (None, Ok(())) => {
            if !matches!(args.format, FormatArg::Table | FormatArg::Github)
                && (audit.baseline.is_some() || !audit.waived.is_empty())
            {
                super::note(&verdict);
            }
        }
    }
    Ok(if audit.summary.failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Width to wrap the table to: `COLUMNS`, the terminal's, else 160.
pub(super) fn width(to_terminal: bool) -> u16 {
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

/// A progress bar on stderr, drawn only on a terminal and only once the
/// resolution has taken more than a moment.
pub(super) struct Progress {
    bar: Option<indicatif::ProgressBar>,
    start: std::time::Instant,
}

impl Progress {
    pub(super) fn new(enabled: bool) -> Self {
        let bar = enabled.then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                None,
                indicatif::ProgressDrawTarget::hidden(),
            );
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "resolving {bar:30} {pos}/{len} names {per_sec} eta {eta}",
            ) {
                bar.set_style(style);
            }
            bar
        });
        Self {
            bar,
            start: std::time::Instant::now(),
        }
    }

    pub(super) fn callback(&self) -> impl Fn(usize, usize) + '_ {
        move |done, total| {
            let Some(bar) = &self.bar else { return };
            if bar.is_hidden() && self.start.elapsed() > Duration::from_millis(300) && done < total
            {
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
            bar.set_length(total as u64);
            bar.set_position(done as u64);
            if done == total {
                bar.finish_and_clear();
            }
        }
    }
}

/// Every problem with the inputs, then a count: exit 2.
fn problems(diags: &[Diagnostic], where_: &str) -> Failure {
    super::problems_then(diags, where_, "nothing was evaluated")
}

/// Whether two paths name the same file (an existing one, or the same text).
fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}
