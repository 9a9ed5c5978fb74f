//! `residency policy SOURCE`: what the reader finds in a privacy policy,
//! and the reading of `--policy` for `check` and `report`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::{Failure, ListFormat, io, print, usage};
use crate::inventory::Inventory;
use crate::policy::{self, Dictionary, Policy};

#[derive(Debug, Args)]
pub(crate) struct PolicyArgs {
    /// The privacy policy: a file (HTML, Markdown or plain text, UTF-8) or
    /// an http(s) URL (read like a page of scan-site, with its limits).
    #[arg(value_name = "SOURCE")]
    pub source: String,

    /// Also recognise the processors and partners of this inventory
    /// (directory or file) by their id and name.
    #[arg(long, value_name = "PATH")]
    pub inventory: Option<PathBuf>,

    /// Output format: table or json.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,

    /// How a policy URL is fetched (the scan-site options; only the
    /// timeout, size, redirect and CA options apply).
    #[command(flatten)]
    pub crawl: super::SiteArgs,
}

/// The scan-site options at their defaults (for `report --policy URL`).
pub(crate) fn default_crawl() -> super::SiteArgs {
    #[derive(clap::Parser)]
    struct Defaults {
        #[command(flatten)]
        crawl: super::SiteArgs,
    }
    <Defaults as clap::Parser>::parse_from(["residency"]).crawl
}

/// Whether a source is a URL rather than a file.
fn is_url(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Why a `--policy` source could not be read.
#[derive(Debug, thiserror::Error)]
enum SourceError {
    #[error("--policy {url}: a URL cannot be fetched with --offline")]
    Offline { url: String },
    #[error("--policy {url}: not a URL: {source}")]
    NotUrl {
        url: String,
        source: url::ParseError,
    },
    #[error(transparent)]
    Policy(#[from] policy::PolicyError),
}

/// Read one `--policy` source, a file or a URL.
fn read_policy(
    s: &str,
    dict: &Dictionary,
    crawl: &super::SiteArgs,
    runtime: Option<&tokio::runtime::Runtime>,
) -> Result<Policy, SourceError> {
    if !is_url(s) {
        return Ok(policy::read_file(Path::new(s), dict)?);
    }
    let shown = || crate::site::extract::show_url(s);
    let rt = runtime.ok_or_else(|| SourceError::Offline { url: shown() })?;
    let u = url::Url::parse(s).map_err(|source| SourceError::NotUrl {
        url: shown(),
        source,
    })?;
    Ok(rt.block_on(policy::fetch_url(u, &crawl.options().fetch, dict))?)
}

/// Read every `--policy` source, files and URLs; exit 2 on any that cannot
/// be read (a policy is never judged half-read).
pub(crate) fn read_policies(
    sources: &[String],
    inventory: Option<&Inventory>,
    crawl: &super::SiteArgs,
    runtime: Option<&tokio::runtime::Runtime>,
) -> Result<Vec<Policy>, Failure> {
    if sources.is_empty() {
        return Ok(Vec::new());
    }
    let dict = Dictionary::new(inventory);
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for s in sources {
        let got = read_policy(s, &dict, crawl, runtime);
        match got {
            Ok(p) => out.push(p),
            Err(e) => errors.push(crate::diag::Diagnostic::unlocated(e)),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(Failure::problems(errors))
    }
}

pub(super) fn run(args: &PolicyArgs) -> Result<ExitCode, Failure> {
    let inv = match &args.inventory {
        Some(p) => Some(crate::inventory::load(p).map_err(Failure::problems)?),
        None => None,
    };
    let runtime = super::lookup::runtime(true)?;
    let mut policies = read_policies(
        std::slice::from_ref(&args.source),
        inv.as_ref(),
        &args.crawl,
        Some(&runtime),
    )?;
    let p = policies.pop().ok_or_else(|| usage("no policy read"))?;
    match args.format {
        ListFormat::Json => {
            let mut s = serde_json::to_string_pretty(&p)
                .map_err(|e| io(format!("cannot write JSON: {e}")))?;
            s.push('\n');
            print(&s);
        }
        ListFormat::Table => print(&table(&p)),
    }
    Ok(ExitCode::SUCCESS)
}

fn table(p: &Policy) -> String {
    let mut t = comfy_table::Table::new();
    t.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
    t.force_no_tty();
    t.set_width(super::check::width(std::io::IsTerminal::is_terminal(
        &std::io::stdout(),
    )));
    t.set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
    t.set_header(vec!["Line", "Says", "Sentence"]);
    for s in &p.statements {
        let line = match &s.heading {
            Some(h) => format!("{}\n§ {h}", s.line),
            None => s.line.to_string(),
        };
        t.add_row(vec![line, s.claim.describe(), s.sentence.clone()]);
    }
    let count = |k| p.with(k).count();
    let mut out = format!(
        "{} ({}): {} sentences, {} statements\n",
        p.source,
        p.format.as_str(),
        p.sentences,
        p.statements.len()
    );
    if !p.statements.is_empty() {
        out.push_str(&format!("{t}\n"));
    }
    let mut notes = Vec::new();
    if count("localisation") == 0 && count("no-transfer") == 0 {
        notes.push("no localisation claim and no statement that data stays in Russia");
    }
    if count("recipient") == 0 && count("category") == 0 {
        notes.push("no recipient and no category of recipients named");
    }
    for n in notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out
}
