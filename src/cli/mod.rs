//! Stage 5: the command line — the only module that knows every stage.
//!
//! Exit codes (the contract): 0 no finding at or above `--fail-on`; 1 the
//! gate failed; 2 invalid input or usage (message on stderr, nothing else
//! written).

mod check;
mod config;
mod init;
mod lookup;
mod notify;
mod policy;
mod report;
mod resolve;
mod shell;
mod site;

use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::evaluate::{FailOn, Severity, registry};
use crate::inventory;
use crate::report::Lang;
pub(crate) use check::{AuditArgs, CheckArgs};
pub(crate) use report::ReportArgs;
pub(crate) use site::{ScanSiteArgs, SiteArgs};

const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "\nGeoIP: ip-location-db geo-whois-asn-country 2.3.2026061719 (built 2026-06-17), CC0-1.0;",
    "\n       built from RIR data by the Number Resource Organization (nro.net), CC BY 4.0",
    "\nAdequacy list: Roskomnadzor Order No. 128 of 05.08.2022 (89 states), last confirmed 2026-08-27",
    "\nBanned recipients: Meta Platforms, Inc. (court decision of 21.03.2022, upheld 20.06.2022)"
);

/// Where does our users' personal data live, and where does it flow?
///
/// Audits an inventory of databases, processors and partners against
/// Russian personal-data law (152-FZ): localisation (art. 18 p. 5),
/// cross-border transfers (art. 12) and third parties (art. 6 p. 3). In CI,
/// it also judges Terraform plans before they are applied.
#[derive(Debug, Parser)]
#[command(name = "residency", version, long_version = LONG_VERSION, propagate_version = true)]
pub(crate) struct Cli {
    /// Read the settings from this file instead of ./residency.toml
    /// (flags override them; `residency config` shows them).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Audit an inventory: locate every entity and apply the rules.
    Check(CheckArgs),
    /// Resolve and place hosts: CNAME chain, addresses, country and source of each.
    Resolve(resolve::ResolveArgs),
    /// Audit and keep a dated record, with what changed since the last run.
    ///
    /// Writes OUT/<date>-<time>/report.{html,md,json} (UTC; an earlier run is
    /// never overwritten: a taken name gets -2, -3, …), updates
    /// OUT/index.{html,md} with every run and its counts, and lists the new
    /// findings, the resolved findings and the entities whose countries
    /// changed since the previous run (or since --compare FILE.json).
    /// Exit codes as for check.
    Report(ReportArgs),
    /// Find the third parties a web site makes its visitors' browsers
    /// contact (counters, pixels, fonts, widgets, forms): reads the site's
    /// own pages only, never the third parties.
    ScanSite(ScanSiteArgs),
    /// Read a privacy policy and show what it says: localisation claims,
    /// transfers abroad, the recipients, countries and categories it
    /// names, each with its line and sentence.
    Policy(policy::PolicyArgs),
    /// Draft the Roskomnadzor notification the audit shows is missing or
    /// out of date: cross-border (art. 12), processing or change (art. 22),
    /// in Russian, with every field the inventory lacks listed to fill.
    Notify(notify::NotifyArgs),
    /// Print the JSON Schema of inventory files (for editors).
    Schema,
    /// List the rules with their severities and the law behind them.
    Rules,
    /// Explain one rule: what it checks, why, how to fix it.
    Explain {
        /// Rule id, e.g. primary-outside-ru.
        rule: String,
        /// Language of the page: ru or en (default: from LC_ALL/LANG).
        #[arg(long, value_enum)]
        lang: Option<Lang>,
    },
    /// Write a starting inventory from Terraform plans or states, the web
    /// site and a list of database hosts, with the organisation to fill in.
    Init(init::InitArgs),
    /// Print the effective settings (residency.toml and the defaults) and
    /// where each came from.
    Config,
    /// Print the completion script for a shell.
    Completions(shell::CompletionsArgs),
    /// Print the man page (roff), or write one per command with --out DIR.
    Man(shell::ManArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FormatArg {
    Table,
    Json,
    Markdown,
    Html,
    Sarif,
    Junit,
    /// GitLab Code Quality report (artifacts:reports:codequality).
    Gitlab,
    /// GitHub Actions annotations (workflow commands).
    Github,
}

/// `--lang`: the report's own language type (no copy of it here).
impl ValueEnum for Lang {
    fn value_variants<'a>() -> &'a [Self] {
        &[Self::Ru, Self::En]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.code()))
    }
}

/// Russian for a Russian locale (LC_ALL, LC_MESSAGES, LANG), else English.
fn lang_from_env() -> Lang {
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty())
        .unwrap_or_default();
    if locale.starts_with("ru") {
        Lang::Ru
    } else {
        Lang::En
    }
}

/// `--fail-on`: a severity, or never.
impl ValueEnum for FailOn {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            Self::At(Severity::Critical),
            Self::At(Severity::High),
            Self::At(Severity::Medium),
            Self::At(Severity::Low),
            Self::At(Severity::Info),
            Self::Never,
        ]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.as_str()))
    }
}

/// Output of the commands that list things (resolve, scan-site).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ListFormat {
    Table,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorArg {
    Auto,
    Always,
    Never,
}

/// Run the command line; the process's exit code.
pub fn main() -> ExitCode {
    let parsed = Cli::command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m).map(|cli| (cli, m)));
    let (mut cli, matches) = match parsed {
        Ok(p) => p,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let settings = config::discover(cli.config.as_deref())
        .inspect(|cfg| config::apply(&mut cli, &matches, cfg));
    match settings.and_then(|cfg| run(cli, &cfg)) {
        Ok(code) => code,
        Err(failure) => {
            let mut err = std::io::stderr().lock();
            match failure {
                Failure::Usage(message) | Failure::Io(message) => {
                    let _ = writeln!(err, "{}", clean(&format!("error: {message}")));
                }
                Failure::Input {
                    diags,
                    summary,
                    mut sources,
                } => {
                    let color = crate::diag::stderr_color();
                    for d in &diags {
                        let shown = crate::diag::render(d, &mut sources, color);
                        let _ = writeln!(err, "{shown}");
                    }
                    if let Some(s) = summary {
                        let _ = writeln!(err, "{}", clean(&s));
                    }
                }
            }
            ExitCode::from(2)
        }
    }
}

/// Why a run stopped without a verdict: exit 2 each, with `error: …` on
/// stderr and nothing else written.
pub(crate) enum Failure {
    /// Flags, arguments or settings that cannot work (what clap cannot
    /// check: they may come from residency.toml or the environment).
    Usage(String),
    /// Problems in what was read (inventory, plans, config, data files,
    /// reports, policies): each shown with its source line when it is
    /// located (from `sources`, or read again), then the summary line.
    Input {
        diags: Vec<inventory::Diagnostic>,
        summary: Option<String>,
        sources: crate::diag::Sources,
    },
    /// A file, directory, nameserver or site that could not be read or
    /// written, or a runtime that could not start.
    Io(String),
}

impl Failure {
    /// The problems, shown one after the other (no summary line).
    pub(crate) fn problems(diags: Vec<inventory::Diagnostic>) -> Self {
        Self::Input {
            diags,
            summary: None,
            sources: crate::diag::Sources::new(crate::inventory::redact::redact),
        }
    }
}

/// A number of seconds that is not one, or out of its range (a command-line
/// option or a config key).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("expected a number of seconds between {lo} and {hi}")]
pub(crate) struct BadSeconds {
    pub(crate) lo: f64,
    pub(crate) hi: f64,
}

impl BadSeconds {
    /// `s` as seconds in `lo..=hi`.
    fn parse(s: &str, lo: f64, hi: f64) -> Result<f64, Self> {
        match s.parse::<f64>() {
            Ok(v) if (lo..=hi).contains(&v) => Ok(v),
            _ => Err(Self { lo, hi }),
        }
    }
}

pub(crate) fn usage(msg: impl std::fmt::Display) -> Failure {
    Failure::Usage(msg.to_string())
}

/// An I/O error: `error: MSG`.
pub(crate) fn io(msg: impl std::fmt::Display) -> Failure {
    Failure::Io(msg.to_string())
}

/// A problem in what was read that has no position of its own (the
/// message may name the file and line): `error: MSG`.
pub(crate) fn input(msg: impl std::fmt::Display) -> Failure {
    Failure::problems(vec![inventory::Diagnostic::unlocated(msg)])
}

/// Every problem, then a count and what did not happen: exit 2.
pub(crate) fn problems_then(diags: &[inventory::Diagnostic], where_: &str, then: &str) -> Failure {
    let n = diags.len();
    Failure::Input {
        diags: diags.to_vec(),
        summary: Some(format!(
            "error: {n} problem{} {where_}; {then}",
            if n == 1 { "" } else { "s" }
        )),
        sources: crate::diag::Sources::new(crate::inventory::redact::redact),
    }
}

fn run(cli: Cli, cfg: &config::Config) -> Result<ExitCode, Failure> {
    match cli.command {
        Command::Init(args) => init::init(&args),
        Command::Config => config::show(cfg),
        Command::Completions(args) => shell::completions(&args),
        Command::Man(args) => shell::man(&args),
        Command::Check(args) => check::check(&args),
        Command::Resolve(args) => resolve::run(&args),
        Command::Report(args) => report::report(&args),
        Command::ScanSite(args) => site::scan_site(&args),
        Command::Policy(args) => policy::run(&args),
        Command::Notify(args) => notify::notify(args),
        Command::Schema => {
            print(&inventory::raw::schema_json());
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules => {
            print(&rules_table());
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { rule, lang } => match rule.parse::<registry::RuleId>() {
            Ok(r) => {
                print(lang.unwrap_or_else(lang_from_env).doc(r.rule().meta));
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => {
                let mut msg = e.to_string();
                if let Some(best) = e.hint {
                    msg.push_str(&format!("\n  = help: did you mean `{best}`?"));
                }
                msg.push_str("\n  = note: `residency rules` lists them");
                Err(Failure::Usage(msg))
            }
        },
    }
}

/// Text for the terminal that may hold what came from outside (paths,
/// messages quoting input): credentials redacted, control characters
/// escaped (line breaks are the text's own).
fn clean(l: &str) -> String {
    let l = crate::inventory::redact::redact(l);
    crate::escape::controls_keep_lines(&l).into_owned()
}

/// A line on stderr about what the run did (`wrote …`), cleaned as error
/// text is.
pub(crate) fn note(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{}", clean(line));
}

pub(crate) fn print(s: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = out.write_all(s.as_bytes());
    let _ = out.flush();
}

fn rules_table() -> String {
    let mut t = comfy_table::Table::new();
    t.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
    t.force_no_tty();
    t.set_header(vec!["Rule", "Severity", "What it flags", "Law"]);
    for r in registry::RULES {
        t.add_row(vec![
            r.meta.id,
            r.meta.severity.as_str(),
            r.meta.description,
            r.meta.law,
        ]);
    }
    format!("{t}\n`residency explain RULE` tells more about one.\n")
}
