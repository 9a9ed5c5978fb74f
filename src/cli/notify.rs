//! `residency notify`: draft the Roskomnadzor notification the audit shows
//! is missing or out of date (art. 12 cross-border, art. 22 processing,
//! art. 22 p. 7 change).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::check::{AuditArgs, run_audit};
use super::{Failure, io, print, usage};
use crate::evaluate::Context;
use crate::evaluate::rules::filing_outdated;
use crate::inventory::filings::FilingKind;
use crate::report::{Lang, notify};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum KindArg {
    /// Notification of the intention to transfer across the border (152-FZ art. 12 p. 3, 4).
    CrossBorder,
    /// What the audit can fill of the art. 22 notification: the cross-border
    /// statement (point 10) and the database location (point 10.1).
    Processing,
    /// Art. 22 p. 7 change notification, against the inventory's `filings:`.
    Change,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum NotifyFormat {
    Markdown,
    /// One self-contained page.
    Html,
    /// For automation.
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct NotifyArgs {
    /// Inventory directory or file.
    #[arg(default_value = "inventory/")]
    pub path: PathBuf,

    /// Which notification to draft.
    #[arg(long, value_enum)]
    pub kind: KindArg,

    /// Output format.
    #[arg(long, value_enum, default_value_t = NotifyFormat::Markdown)]
    pub format: NotifyFormat,

    /// Write the draft to FILE (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Language of the draft: ru (the default: these are Russian filings) or en.
    #[arg(long, value_enum, default_value_t = Lang::Ru)]
    pub lang: Lang,

    #[command(flatten)]
    pub lookup: super::lookup::LookupArgs,

    /// Make no network request at all: host names stay unresolved.
    #[arg(long, conflicts_with = "dns")]
    pub offline: bool,

    /// Use this adequacy list (TSV with `code` and `adequate_rkn128`
    /// columns) instead of the built-in RKN Order No. 128.
    #[arg(long, value_name = "FILE")]
    pub adequacy: Option<PathBuf>,

    /// A Terraform plan as JSON (`terraform show -json PLANFILE`); may be
    /// given several times: planned resources join the observed countries.
    #[arg(long, value_name = "PLAN.json")]
    pub terraform: Vec<PathBuf>,

    /// No progress bar (it is only ever drawn on a terminal).
    #[arg(long, short)]
    pub quiet: bool,
}

pub(super) fn notify(args: NotifyArgs) -> Result<ExitCode, Failure> {
    if let Some(out) = &args.output
        && out.is_dir()
    {
        return Err(usage(format!("--output {}: is a directory", out.display())));
    }
    let audit_args = AuditArgs {
        lookup: args.lookup,
        offline: args.offline,
        adequacy: args.adequacy,
        banned: None,
        fail_on: crate::evaluate::FailOn::Never,
        terraform: args.terraform,
        baseline: None,
        policy: Vec::new(),
        no_waivers: true,
        lang: Some(args.lang),
        quiet: args.quiet,
    };
    let audit = run_audit(&args.path, &audit_args, None)?;
    let cx = Context::new(&audit.inventory, &audit.resolved, &audit.adequacy);
    let flows = filing_outdated::flows(&cx);
    let databases = filing_outdated::database_places(&cx);
    let lang = audit_args.lang();
    let draft = notify::build(&notify::Input {
        kind: match args.kind {
            KindArg::CrossBorder => FilingKind::CrossBorder,
            KindArg::Processing => FilingKind::Processing,
            KindArg::Change => FilingKind::Change,
        },
        lang,
        inventory: &audit.inventory,
        flows: &flows,
        databases: &databases,
        adequacy: &audit.adequacy,
        target: audit.target.clone(),
        generated_at: audit.generated_at.clone(),
    });
    let text = match args.format {
        NotifyFormat::Markdown => notify::markdown(&draft, lang),
        NotifyFormat::Html => notify::html(&draft, lang),
        NotifyFormat::Json => notify::json(&draft),
    };
    match &args.output {
        Some(path) => {
            crate::util::write_atomic(path, text.as_bytes())
                .map_err(|e| io(format!("cannot write {}: {e}", path.display())))?;
            let n = draft.to_fill.len();
            super::note(&format!(
                "wrote {}: draft with {n} field{} to fill before filing",
                path.display(),
                if n == 1 { "" } else { "s" }
            ));
        }
        None => print(&text),
    }
    Ok(ExitCode::SUCCESS)
}
