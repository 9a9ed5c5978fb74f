//! `reports/index.md` and `reports/index.html`: every run of the history,
//! newest first, with its counts, verdict and what changed.

use std::fmt::Write as _;

use askama::Template;

use super::Lang;
use super::history::RunEntry;
use super::markdown::{cell_code, text};

fn change(lang: Lang, e: &RunEntry) -> String {
    match e.changes {
        None => lang.text().first_run.to_string(),
        Some((0, 0, 0)) => lang.text().no_change_short.into(),
        Some((n, r, m)) => lang.run_change(n, r, m),
    }
}

/// `index.md`: a table of the runs, each linked to its Markdown report.
pub(crate) fn markdown(runs: &[RunEntry], lang: Lang) -> String {
    let tx = lang.text();
    let mut o = format!("# {}\n\n", tx.history);
    let _ = writeln!(
        o,
        "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n|---|---|---:|---:|---:|---:|---:|---:|---|---|",
        tx.run,
        tx.generated,
        tx.entities_card,
        lang.severity(crate::evaluate::Severity::Critical),
        lang.severity(crate::evaluate::Severity::High),
        lang.severity(crate::evaluate::Severity::Medium),
        lang.severity(crate::evaluate::Severity::Low),
        tx.total,
        tx.verdict,
        tx.change
    );
    for e in runs.iter().rev() {
        let _ = writeln!(
            o,
            "| [{}]({}/report.md) ([HTML]({}/report.html)) | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            text(&e.dir),
            e.dir,
            e.dir,
            text(&e.generated_at),
            e.entities,
            e.counts[0],
            e.counts[1],
            e.counts[2],
            e.counts[3],
            e.total(),
            if e.failed {
                format!(
                    "**{}** ({})",
                    tx.failed,
                    cell_code(&format!("--fail-on {}", e.fail_on))
                )
            } else {
                format!(
                    "{} ({})",
                    tx.passed,
                    cell_code(&format!("--fail-on {}", e.fail_on))
                )
            },
            change(lang, e)
        );
    }
    o
}

struct Row {
    dir: String,
    generated_at: String,
    entities: usize,
    counts: [usize; 5],
    total: usize,
    failed: bool,
    verdict: String,
    change: String,
}

#[derive(Template)]
#[template(path = "index.html")]
struct Page {
    t: &'static super::i18n::Text,
    lang: &'static str,
    severities: Vec<&'static str>,
    rows: Vec<Row>,
}

/// `index.html`: the same table, each run linked to its HTML report.
pub(crate) fn html(runs: &[RunEntry], lang: Lang) -> String {
    let tx = lang.text();
    let page = Page {
        t: tx,
        lang: lang.code(),
        severities: crate::evaluate::Severity::ALL[..4]
            .iter()
            .map(|s| lang.severity(*s))
            .collect(),
        rows: runs
            .iter()
            .rev()
            .map(|e| Row {
                dir: e.dir.clone(),
                generated_at: e.generated_at.clone(),
                entities: e.entities,
                counts: e.counts,
                total: e.total(),
                failed: e.failed,
                verdict: format!(
                    "{} (--fail-on {})",
                    if e.failed { tx.failed } else { tx.passed },
                    e.fail_on
                ),
                change: change(lang, e),
            })
            .collect(),
    };
    let mut s = page
        .render()
        .unwrap_or_else(|e| format!("<!doctype html><title>error</title><p>{e}</p>"));
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}
