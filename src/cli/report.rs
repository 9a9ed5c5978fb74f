//! `residency report`: a dated, never-overwritten record of each audit and
//! what changed since the one before.
//!
//! Layout of OUT (default `reports/`):
//!
//! ```text
//! reports/index.html, index.md          every run, newest first, with counts
//! reports/2026-11-25-120000/report.html  the run's reports, in --lang
//! reports/2026-11-25-120000/report.md
//! reports/2026-11-25-120000/report.json  the JSON report + "changes"
//! ```
//!
//! A run directory appears whole or not at all: its files are written to a
//! temporary directory that is then renamed onto the reserved name. A name
//! that exists already (two runs in one second, or the same
//! `SOURCE_DATE_EPOCH`) gets a suffix: `-2`, `-3`, …

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::check::{AuditArgs, run_audit};
use super::{Failure, input, io, print, usage};
use crate::diag::Diagnostic;
use crate::report;
use crate::report::history::{Changes, Earlier, RunEntry};

#[derive(Debug, Args)]
pub(crate) struct ReportArgs {
    /// Inventory directory or file.
    #[arg(default_value = "inventory/")]
    pub path: PathBuf,

    #[command(flatten)]
    pub audit: AuditArgs,

    /// Directory that keeps the history of runs.
    #[arg(long, value_name = "DIR", default_value = "reports/")]
    pub out: PathBuf,

    /// Compare with this earlier JSON report (`check --format json`, or a
    /// run's report.json) instead of the previous run.
    #[arg(long, value_name = "FILE.json")]
    pub compare: Option<PathBuf>,
}

/// `YYYY-MM-DD-HHMMSS`, optionally followed by `-N` (N ≥ 2): the runs'
/// directory names, in the order they were made.
fn run_order(name: &str) -> Option<(&str, u32)> {
    let (base, n) = match name.get(17..) {
        Some("") => (name, 1),
        Some(rest) => (
            &name[..17],
            rest.strip_prefix('-')?
                .parse::<u32>()
                .ok()
                .filter(|n| *n >= 2)?,
        ),
        None => return None,
    };
    let b = base.as_bytes();
    let shape = b.len() == 17
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 | 10 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
    shape.then_some((base, n))
}

/// The runs kept in `out`, oldest first, with the problems of any run
/// directory whose report.json cannot be read. A run in `known` (read a
/// moment ago: runs are never overwritten) is not read again.
fn runs(out: &Path, known: &[RunEntry]) -> (Vec<RunEntry>, Vec<String>) {
    let mut names: Vec<String> = match std::fs::read_dir(out) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .filter(|e| e.path().is_dir())
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| run_order(n).is_some())
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort_by(|a, b| run_order(a).cmp(&run_order(b)));
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for n in names {
        if let Some(e) = known.iter().find(|e| e.dir == n) {
            entries.push(e.clone());
            continue;
        }
        let p = out.join(&n).join("report.json");
        match RunEntry::read(&n, &p) {
            Ok(e) => entries.push(e),
            Err(e) => problems.push(format!("{e}; left out of the history")),
        }
    }
    (entries, problems)
}

/// An earlier report to compare with, streamed and bounded
/// ([`crate::diag::MAX_REPORT_BYTES`]); errors at
/// `file:line:column`. Its findings' words are read later, for the
/// resolved ones only ([`Changes::of_earlier`]).
fn read_baseline(path: &Path) -> Result<Earlier, Diagnostic> {
    Earlier::read(path)
}

/// Reserve a new run directory under `out`: `base`, else `base-2`, ….
fn reserve(out: &Path, base: &str) -> Result<(String, PathBuf), Failure> {
    for n in 1..=10_000u32 {
        let name = if n == 1 {
            base.to_string()
        } else {
            format!("{base}-{n}")
        };
        let dir = out.join(&name);
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok((name, dir)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io(format!("cannot create {}: {e}", dir.display()))),
        }
    }
    Err(io(format!("{}: too many runs named {base}", out.display())))
}

/// A report file: its name and what writes it.
type Produce<'a> = (
    &'a str,
    &'a dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()>,
);

/// Write `files` into the reserved, empty directory `dir` so that it
/// appears complete or not at all.
fn publish(out: &Path, dir: &Path, files: &[Produce<'_>]) -> Result<(), Failure> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let result = (|| -> std::io::Result<()> {
        // A fresh, randomly named directory (mkdir fails on anything
        // planted there, a symlink included).
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .tempdir_in(out)?;
        // Each written as it is made: a large estate's reports are
        // hundreds of megabytes.
        for (file, produce) in files {
            crate::util::write_atomic_with(&tmp.path().join(file), produce)?;
        }
        // POSIX rename replaces an empty directory; elsewhere, free the
        // reserved name first.
        let tmp = tmp.keep();
        let moved = std::fs::rename(&tmp, dir).or_else(|_| {
            std::fs::remove_dir(dir)?;
            std::fs::rename(&tmp, dir)
        });
        if moved.is_err() {
            let _ = std::fs::remove_dir_all(&tmp);
        }
        moved
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_dir(dir);
        return Err(io(format!("cannot write {}: {e}", dir.display())));
    }
    Ok(())
}

pub(super) fn report(args: &ReportArgs) -> Result<ExitCode, Failure> {
    let lang = args.audit.lang();
    if args.out.exists() && !args.out.is_dir() {
        return Err(usage(format!(
            "--out {}: is not a directory",
            args.out.display()
        )));
    }
    // A bad baseline is bad input: fail before any work.
    let explicit = match &args.compare {
        Some(p) => Some((
            p.display().to_string(),
            read_baseline(p).map_err(|e| input(format!("--compare: {e}")))?,
        )),
        None => None,
    };
    let audit = run_audit(&args.path, &args.audit, None)?;

    std::fs::create_dir_all(&args.out)
        .map_err(|e| io(format!("cannot create {}: {e}", args.out.display())))?;
    let (before, problems) = runs(&args.out, &[]);
    // A problem quotes an earlier report (outside input): cleaned.
    for p in &problems {
        super::note(&format!("warning: {p}"));
    }
    let baseline = match explicit {
        Some(b) => Some(b),
        None => match before.last() {
            Some(prev) => Some((
                prev.dir.clone(),
                read_baseline(&args.out.join(&prev.dir).join("report.json")).map_err(input)?,
            )),
            None => None,
        },
    };
    // The words of only the new findings are made, and only the
    // resolved ones' are read.
    let changes = match baseline {
        Some((label, earlier)) => Some(Changes::of_earlier(earlier, &audit, label).map_err(input)?),
        None => None,
    };

    let html = |w: &mut dyn std::io::Write| report::html::write(&audit, lang, changes.as_ref(), w);
    let md =
        |w: &mut dyn std::io::Write| report::markdown::write(&audit, lang, changes.as_ref(), w);
    let json = |w: &mut dyn std::io::Write| report::json::write(&audit, changes.as_ref(), w);

    let t = audit.epoch.rem_euclid(86_400);
    let base = format!(
        "{}-{:02}{:02}{:02}",
        crate::util::date(audit.epoch),
        t / 3600,
        t / 60 % 60,
        t % 60
    );
    let (name, dir) = reserve(&args.out, &base)?;
    publish(
        &args.out,
        &dir,
        &[
            ("report.html", &html),
            ("report.md", &md),
            ("report.json", &json),
        ],
    )?;

    let (all, _) = runs(&args.out, &before);
    for (file, text) in [
        ("index.md", report::index::markdown(&all, lang)),
        ("index.html", report::index::html(&all, lang)),
    ] {
        let p = args.out.join(file);
        crate::util::write_atomic(&p, text.as_bytes())
            .map_err(|e| io(format!("cannot write {}: {e}", p.display())))?;
    }

    let tx = lang.text();
    let s = &audit.summary;
    let counts = lang.severity_counts(&audit.severity_counts());
    let shown = |f: &str| args.out.join(&name).join(f).display().to_string();
    let mut o = String::new();
    o.push_str(&format!(
        "{} {}\n",
        tx.wrote,
        [
            shown("report.html"),
            shown("report.md"),
            shown("report.json")
        ]
        .join(", ")
    ));
    o.push_str(&format!(
        "{} {} ({})\n",
        tx.history_label,
        args.out.join("index.html").display(),
        lang.runs(all.len())
    ));
    match &changes {
        Some(c) => o.push_str(&format!(
            "{} {}: {}\n",
            tx.compared_with_lower,
            c.against,
            c.one_line(lang)
        )),
        None => o.push_str(&format!("{}\n", tx.first_run)),
    }
    o.push_str(&format!(
        "{}: {}{} ({}: --fail-on {})\n",
        if s.failed { tx.failed } else { tx.passed },
        lang.findings(s.total()),
        if counts.is_empty() {
            String::new()
        } else {
            format!(": {counts}")
        },
        tx.gate,
        audit.fail_on.as_str()
    ));
    print(&o);
    Ok(super::check::exit_code(&audit))
}

#[cfg(test)]
mod tests {
    #[test]
    fn run_names_sort_in_the_order_they_were_made() {
        use super::run_order;
        assert_eq!(
            run_order("2026-11-25-120000"),
            Some(("2026-11-25-120000", 1))
        );
        assert_eq!(
            run_order("2026-11-25-120000-10"),
            Some(("2026-11-25-120000", 10))
        );
        assert_eq!(run_order("2026-11-25-120000-1"), None);
        assert_eq!(run_order("2026-11-25-12000x"), None);
        assert_eq!(run_order("notes"), None);
        assert_eq!(run_order(".2026-11-25-120000.1.tmp"), None);
        let mut v = [
            "2026-11-25-120000-10",
            "2026-11-25-120000-2",
            "2026-11-25-120000",
            "2026-01-01-000000",
        ];
        v.sort_by(|a, b| run_order(a).cmp(&run_order(b)));
        assert_eq!(
            v,
            [
                "2026-01-01-000000",
                "2026-11-25-120000",
                "2026-11-25-120000-2",
                "2026-11-25-120000-10"
            ]
        );
    }
}
