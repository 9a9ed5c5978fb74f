//! `--format junit`: JUnit XML for the test views of GitLab and Jenkins.
//!
//! One test case per entity, grouped by kind (`classname`). A case fails
//! when the entity has a finding at or above `--fail-on`; its findings
//! below the gate are listed in `system-out`. Findings that name no entity
//! of the inventory (a declared country nobody uses) are cases of their
//! own, under `declarations`.

use std::fmt::Write as _;

use super::Audit;
use crate::evaluate::Finding;

/// Escape text for an XML attribute or element; characters XML 1.0 cannot
/// carry are dropped.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' => out.push(c),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

fn finding_line(f: &Finding) -> String {
    let mut s = format!(
        "[{}] {} ({}): {}",
        f.severity.as_str().to_uppercase(),
        f.rule,
        if f.countries.is_empty() {
            "?".to_string()
        } else {
            f.countries
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        },
        super::Lang::En.message(f).plain()
    );
    for ev in &f.evidence {
        s.push_str(&format!("\n    {ev}"));
    }
    s.push_str(&format!("\n    at {}", f.location));
    s
}

struct Case<'a> {
    classname: String,
    name: &'a str,
    file: &'a str,
    line: u32,
    findings: Vec<&'a Finding>,
}

/// The JUnit XML report.
pub fn render(a: &Audit<'_>) -> String {
    // The findings of each entity, in report order: one pass, not one per entity.
    let mut by_entity: std::collections::HashMap<&str, Vec<&Finding>> =
        std::collections::HashMap::new();
    for f in a.findings {
        by_entity.entry(f.entity.as_str()).or_default().push(f);
    }
    let mut cases: Vec<Case<'_>> = a
        .inventory
        .entities
        .iter()
        .map(|e| Case {
            classname: format!("residency.{}", e.kind().as_str()),
            name: &e.id,
            file: &e.loc.file,
            line: e.loc.line,
            findings: by_entity.remove(e.id.as_str()).unwrap_or_default(),
        })
        .collect();
    let mut orphans: Vec<&Finding> = a
        .findings
        .iter()
        .filter(|f| a.inventory.entity(&f.entity).is_none())
        .collect();
    orphans.sort_by(|x, y| x.entity.cmp(&y.entity));
    let mut orphan_case: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for f in orphans {
        match orphan_case.get(f.entity.as_str()) {
            Some(&i) => cases[i].findings.push(f),
            None => {
                orphan_case.insert(&f.entity, cases.len());
                cases.push(Case {
                    classname: "residency.declarations".into(),
                    name: &f.entity,
                    file: &f.location.file,
                    line: f.location.line,
                    findings: vec![f],
                });
            }
        }
    }
    let failed = |c: &Case<'_>| c.findings.iter().any(|f| a.fail_on.fails(f.severity));
    let failures = cases.iter().filter(|c| failed(c)).count();
    let suite = format!("residency {}", a.target);
    let mut o = String::new();
    o.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        o,
        "<testsuites name=\"residency\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\" time=\"0\">",
        cases.len()
    );
    let _ = writeln!(
        o,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\" time=\"0\" timestamp=\"{}\">",
        xml(&suite),
        cases.len(),
        xml(a.generated_at.trim_end_matches('Z'))
    );
    let _ = writeln!(o, "    <properties>");
    for (k, v) in [
        ("fail_on", a.fail_on.as_str().to_string()),
        ("findings", a.summary.total().to_string()),
        ("geoip", a.resolved.geoip_source.clone()),
        ("adequacy", a.adequacy.list.clone()),
        ("generated_at", a.generated_at.clone()),
    ] {
        let _ = writeln!(o, "      <property name=\"{k}\" value=\"{}\"/>", xml(&v));
    }
    let _ = writeln!(o, "    </properties>");
    for c in &cases {
        let head = format!(
            "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" line=\"{}\" time=\"0\"",
            xml(&c.classname),
            xml(c.name),
            xml(c.file),
            c.line
        );
        if c.findings.is_empty() {
            let _ = writeln!(o, "{head}/>");
            continue;
        }
        let _ = writeln!(o, "{head}>");
        let (gate, below): (Vec<&&Finding>, Vec<&&Finding>) =
            c.findings.iter().partition(|f| a.fail_on.fails(f.severity));
        if let Some(worst) = gate.first() {
            let rules: Vec<&str> = gate.iter().map(|f| f.rule.as_str()).collect();
            let _ = writeln!(
                o,
                "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                worst.severity.as_str(),
                xml(&format!(
                    "{} finding(s) at or above {}: {}",
                    gate.len(),
                    a.fail_on.as_str(),
                    rules.join(", ")
                )),
                xml(&gate
                    .iter()
                    .map(|f| finding_line(f))
                    .collect::<Vec<_>>()
                    .join("\n"))
            );
        }
        if !below.is_empty() {
            let _ = writeln!(
                o,
                "      <system-out>{}</system-out>",
                xml(&below
                    .iter()
                    .map(|f| finding_line(f))
                    .collect::<Vec<_>>()
                    .join("\n"))
            );
        }
        let _ = writeln!(o, "    </testcase>");
    }
    o.push_str("  </testsuite>\n</testsuites>\n");
    o
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_and_drops_what_xml_cannot_hold() {
        assert_eq!(
            super::xml("<a href=\"x\">&'\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;"
        );
    }
}
