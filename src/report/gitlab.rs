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
    description: &'a str,
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

/// FNV-1a, 128 bits, as 32 hex digits: a stable id, not a secret.
fn fnv128(text: &str) -> String {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    let mut h = OFFSET;
    for b in text.bytes() {
        h ^= u128::from(b);
        h = h.wrapping_mul(PRIME);
    }
    format!("{h:032x}")
}

fn body(f: &Finding) -> String {
    let mut s = String::new();
    if let Some(rule) = crate::evaluate::registry::find(f.rule) {
        s.push_str(&format!(
            "**{}** ({}; {})\n\n",
            rule.meta.id, rule.meta.description, rule.meta.law
        ));
    }
    if !f.evidence.is_empty() {
        s.push_str("Evidence:\n\n");
        for e in &f.evidence {
            s.push_str(&format!("- `{}`\n", e.replace('`', "'")));
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
pub fn render(a: &Audit<'_>) -> String {
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    let issues: Vec<Issue<'_>> = a
        .findings
        .iter()
        .map(|f| {
            let path = ci_path(&f.location.file);
            let countries: Vec<&str> = f.countries.iter().map(|c| c.as_str()).collect();
            // Stable across runs and line moves: rule, entity, countries, file.
            let mut fingerprint = fnv128(&format!(
                "residency\0{}\0{}\0{}\0{path}",
                f.rule,
                f.entity,
                countries.join(",")
            ));
            let n = seen.entry(fingerprint.clone()).or_default();
            *n += 1;
            if *n > 1 {
                fingerprint = fnv128(&format!("{fingerprint}\0{n}"));
            }
            Issue {
                kind: "issue",
                check_name: f.rule,
                description: &f.message,
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
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn fnv128_is_the_reference_function() {
        // FNV-1a 128 test vectors (draft-eastlake-fnv).
        assert_eq!(super::fnv128(""), "6c62272e07bb014262b821756295c58d");
        assert_eq!(super::fnv128("a"), "d228cb696f1a8caf78912b704e4a8964");
    }
}
