//! `--format sarif`: SARIF 2.1.0 for code-scanning services.
//!
//! One reporting descriptor per rule id, with the rule's page as help text;
//! each result is located at the entity's line and column in its inventory
//! file (the path as given, relative paths kept relative), so GitHub code
//! scanning shows it on the YAML line. Levels: critical and high → `error`,
//! medium → `warning`, low and info → `note`.

use serde::Serialize;
use serde_json::json;

use std::io::Write;

use super::view::View;
use super::{Audit, Lang};
use crate::evaluate::{Finding, Severity, registry};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The SARIF level of a severity.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's `security-severity` (0–10) of a severity.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

/// A path as a relative or `file:` URI reference: `/` separators, unsafe
/// bytes percent-encoded.
pub fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let trimmed = path.strip_prefix("./").unwrap_or(&path);
    let mut out = String::new();
    if trimmed.starts_with('/') {
        out.push_str("file://");
    }
    for b in trimmed.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Config,
    properties: serde_json::Value,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: &'static str,
    markdown: &'static str,
}

#[derive(Serialize)]
struct Config {
    level: &'static str,
}

/// `primary-outside-ru` → `PrimaryOutsideRu`.
fn camel(id: &str) -> String {
    id.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// The SARIF log, pretty-printed, with a final newline.
pub fn render(a: &Audit) -> String {
    let mut out = Vec::new();
    match write(a, &mut out) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(e) => format!("{{\"error\": \"{e}\"}}\n"),
    }
}

/// The SARIF log, written as it is made.
pub fn write(a: &Audit, w: &mut dyn Write) -> std::io::Result<()> {
    let rules: Vec<Rule> = registry::RULES
        .iter()
        .map(|r| {
            let m = r.meta;
            let mut full = format!("{}. Law: {}.", capitalise(m.description), m.law);
            if let Some(fine) = m.fine() {
                full.push_str(&format!(" Fine (KoAP 13.11): {fine}."));
            }
            Rule {
                id: m.id,
                name: camel(m.id),
                short_description: Text {
                    text: capitalise(m.description),
                },
                full_description: Text { text: full },
                help: Help {
                    text: m.doc_en,
                    markdown: m.doc_en,
                },
                default_configuration: Config {
                    level: level(m.severity),
                },
                properties: json!({
                    "tags": ["privacy", "compliance", "152-FZ"],
                    "precision": "high",
                    "problem.severity": level(m.severity),
                    "security-severity": security_severity(m.severity),
                    "severity": m.severity.as_str(),
                    "law": m.law,
                    "law_ru": m.law_ru,
                    "description_ru": m.description_ru,
                }),
            }
        })
        .collect();
    let mut artifacts: Vec<String> = a
        .inventory
        .files
        .iter()
        .map(|p| uri(&p.display().to_string()))
        .collect();
    artifacts.dedup();
    for p in &a.policies {
        let u = uri(&p.file);
        if !artifacts.contains(&u) {
            artifacts.push(u);
        }
    }
    // The field order is the JSON key order (sorted, as `json!` objects
    // are); results are made one at a time while they are written.
    #[derive(Serialize)]
    struct Log<'a> {
        #[serde(rename = "$schema")]
        schema: &'static str,
        runs: [Run<'a>; 1],
        version: &'static str,
    }
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Run<'a> {
        artifacts: serde_json::Value,
        column_kind: &'static str,
        invocations: serde_json::Value,
        properties: serde_json::Value,
        results: Results<'a>,
        tool: serde_json::Value,
    }
    let log = Log {
        schema: SCHEMA,
        runs: [Run {
            artifacts: artifacts
                .iter()
                .map(|u| json!({"location": {"uri": u}}))
                .collect(),
            column_kind: "unicodeCodePoints",
            invocations: json!([{
                "executionSuccessful": true,
                "endTimeUtc": a.generated_at,
            }]),
            properties: json!({
                "target": a.target,
                "fail_on": a.fail_on.as_str(),
                "failed": a.summary.failed,
                "geoip": a.resolved.geoip_source,
                "adequacy": a.adequacy.list,
            }),
            results: Results(a),
            tool: json!({"driver": {
                "name": "residency",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }}),
        }],
        version: "2.1.0",
    };
    let mut w = std::io::BufWriter::with_capacity(1 << 16, w);
    serde_json::to_writer_pretty(&mut w, &log)?;
    w.write_all(b"\n")?;
    w.flush()
}

/// The results, made while they are written: the findings, then the waived
/// findings as suppressed results (SARIF §3.35): code scanning shows them
/// as dismissed, with who accepted the risk and why.
struct Results<'a>(&'a Audit);

impl Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let a = self.0;
        let view = View::new(a, Lang::En);
        s.collect_seq(
            a.findings
                .iter()
                .map(|f| result(f, None))
                .chain(view.waived().map(|w| {
                    let suppression = w.note.map(|v| {
                        json!({
                            "kind": "external",
                            "status": "accepted",
                            "justification": format!(
                                "{} (approved by {}, until {})",
                                v.reason_text(),
                                v.approved_by,
                                v.expires
                            ),
                        })
                    });
                    result(w.row.finding, suppression)
                })),
        )
    }
}

fn result(f: &Finding, suppression: Option<serde_json::Value>) -> serde_json::Value {
    let mut text = Lang::En.message(f).plain();
    if !f.evidence.is_empty() {
        text.push_str("\nEvidence:");
        for ev in &f.evidence {
            text.push_str(&format!("\n- {ev}"));
        }
    }
    let mut result = json!({
        "ruleId": f.rule,
        "ruleIndex": f.rule as usize,
        "level": level(f.severity),
        "message": {"text": text},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": uri(&f.location.file)},
                "region": {
                    "startLine": f.location.line.max(1),
                    "startColumn": f.location.column.max(1),
                },
            },
            "logicalLocations": [{"name": f.entity, "kind": "member"}],
        }],
        "partialFingerprints": {"residencyFinding/v2": f.key().fingerprint()},
        "properties": {
            "severity": f.severity.as_str(),
            "entity": f.entity,
            "countries": f.countries,
            "evidence": f.evidence,
            "message_ru": Lang::Ru.message(f).plain(),
        },
    });
    if let Some(w) = suppression {
        result["suppressions"] = json!([w]);
    }
    // The privacy-policy lines the finding rests on (`--policy`).
    let related: Vec<serde_json::Value> = f
        .related
        .iter()
        .filter(|l| l.note == crate::evaluate::LabelNote::Policy)
        .enumerate()
        .map(|(i, l)| {
            json!({
                "id": i,
                "physicalLocation": {
                    "artifactLocation": {"uri": uri(&l.loc.file)},
                    "region": {"startLine": l.loc.line.max(1)},
                },
                "message": {"text": "privacy policy"},
            })
        })
        .collect();
    if !related.is_empty() {
        result["relatedLocations"] = json!(related);
    }
    result
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn uris_are_relative_references() {
        assert_eq!(super::uri("inventory/a.yaml"), "inventory/a.yaml");
        assert_eq!(super::uri("./inv/my file.yaml"), "inv/my%20file.yaml");
        assert_eq!(super::uri("/abs/x.yaml"), "file:///abs/x.yaml");
        assert_eq!(super::uri("инв.yaml"), "%D0%B8%D0%BD%D0%B2.yaml");
        assert_eq!(super::camel("primary-outside-ru"), "PrimaryOutsideRu");
    }
}
