//! `--format gitlab`: a GitLab Code Quality report
//! (`artifacts:reports:codequality`), the subset of the Code Climate issue
//! format GitLab reads: one issue per finding that counts, at the
//! finding's file and line. Waived findings and those a baseline left out
//! are not issues.

use serde::Serialize;

use super::{Audit, ci_path};
use crate::evaluate::{Finding, Severity};

#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    check_name: &'a str,
    description: String,
    content: Content,
    categories: [&'static str; 1],
    severity: &'static str,
    fingerprint: String,
    location: Location,
}

#[derive(Serialize)]
struct Content {
    body: String,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
}

/// GitLab's five levels: info, minor, major, critical, blocker.
fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "blocker",
        Severity::High => "critical",
        Severity::Medium => "major",
        Severity::Low => "minor",
        Severity::Info => "info",
    }
}

fn body(f: &Finding) -> String {
    let mut s = String::new();
    let meta = f.rule.meta();
    s.push_str(&format!(
        "**{}** ({}; {})\n\n",
        meta.id, meta.description, meta.law
    ));
    if !f.evidence.is_empty() {
        s.push_str("Evidence:\n\n");
        for e in &f.evidence {
            s.push_str(&format!("- `{}`\n", e.to_string().replace('`', "'")));
        }
        s.push('\n');
    }
    s.push_str(&format!(
        "What to do: `residency explain {}` (how to fix, how to accept the risk).\n",
        f.rule
    ));
    s
}

/// The Code Quality JSON: an array of issues, with a final newline.
pub fn render(a: &Audit) -> String {
    let mut out = Vec::new();
    match write(a, &mut out) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(_) => "[]\n".into(),
    }
}

/// The issues, written as they are made.
pub fn write(a: &Audit, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    struct Issues<'a>(&'a Audit);
    impl Serialize for Issues<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            // Fingerprints by value (32 hex digits are a u128): a map of
            // strings cost 14 MB at 190,000 findings.
            let mut seen = std::collections::HashMap::<u128, u32>::new();
            s.collect_seq(self.0.findings.iter().map(|f| issue(f, &mut seen)))
        }
    }
    use std::io::Write as _;
    let mut w = std::io::BufWriter::with_capacity(1 << 16, w);
    serde_json::to_writer_pretty(&mut w, &Issues(a))?;
    w.write_all(b"\n")?;
    w.flush()
}

fn issue<'a>(f: &'a Finding, seen: &mut std::collections::HashMap<u128, u32>) -> Issue<'a> {
    let path = ci_path(&f.location.file);
    // Stable across runs and line moves: the finding's identity.
    let key = f.key().digest();
    let mut fingerprint = format!("{key:032x}");
    let n = seen.entry(key).or_default();
    *n += 1;
    if *n > 1 {
        fingerprint = crate::evaluate::finding::fnv128(&format!("{fingerprint}\0{n}"));
    }
    Issue {
        kind: "issue",
        check_name: f.rule.as_str(),
        description: super::Lang::En.message(f).plain(),
        content: Content { body: body(f) },
        categories: ["Security"],
        severity: severity(f.severity),
        fingerprint,
        location: Location {
            path,
            lines: Lines {
                begin: f.location.line.max(1),
            },
        },
    }
}
