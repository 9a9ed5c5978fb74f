//! `--format junit`: JUnit XML for the test views of GitLab and Jenkins.
//!
//! One test case per entity, grouped by kind (`classname`). A case fails
//! when the entity has a finding at or above `--fail-on`; its findings
//! below the gate are listed in `system-out`. Findings that name no entity
//! of the inventory (a declared country nobody uses) are cases of their
//! own, under `declarations`.

use std::io::{self, Write};

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
            super::words::list(&f.countries)
        },
        super::Lang::En.message(f).plain()
    );
    for ev in &f.evidence {
        s.push_str(&format!("\n    {ev}"));
    }
    s.push_str(&format!("\n    at {}", f.location));
    s
}

/// The JUnit XML report.
pub fn render(a: &Audit) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write(a, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// One test case: an entity, or a name findings give that no entity has.
struct Case<'a> {
    kind: &'static str,
    name: &'a str,
    file: &'a str,
    line: u32,
    /// Its findings, in report order.
    findings: Vec<&'a Finding>,
}

/// Write the JUnit XML report to `w`, a test case at a time.
pub fn write(a: &Audit, w: &mut dyn Write) -> io::Result<()> {
    let inv = &a.inventory;
    // Findings that name no entity of the inventory (a declared country
    // nobody uses): a case per name, after the entities, by name.
    let mut orphans: Vec<&str> = a
        .findings
        .iter()
        .map(|f| f.entity.as_str())
        .filter(|e| inv.position(e).is_none())
        .collect();
    orphans.sort_unstable();
    orphans.dedup();
    let tests = inv.entities.len() + orphans.len();
    let case_of = |f: &Finding| match inv.position(&f.entity) {
        Some(i) => i,
        None => inv.entities.len() + orphans.binary_search(&f.entity.as_str()).unwrap_or(0),
    };
    // (case, finding) in case order, each case's findings in report order:
    // one sort, not a list per entity.
    let mut order: Vec<(usize, usize)> = a
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| (case_of(f), i))
        .collect();
    order.sort_unstable();
    let mut failures = 0;
    let mut last = None;
    for &(c, i) in &order {
        if last != Some(c) && a.fail_on.fails(a.findings[i].severity) {
            failures += 1;
            last = Some(c);
        }
    }
    let mut next = order.iter().peekable();
    let mut case = |c: usize| -> Case<'_> {
        let mut findings = Vec::new();
        while let Some(&(_, i)) = next.next_if(|(k, _)| *k == c) {
            findings.push(&a.findings[i]);
        }
        match inv.entities.get(c) {
            Some(e) => Case {
                kind: e.kind().as_str(),
                name: &e.id,
                file: &e.loc.file,
                line: e.loc.line,
                findings,
            },
            None => {
                // An orphan case exists because a finding names it.
                let (file, line) = findings
                    .first()
                    .map_or(("", 0), |f| (&*f.location.file, f.location.line));
                Case {
                    kind: "declarations",
                    name: orphans.get(c - inv.entities.len()).copied().unwrap_or(""),
                    file,
                    line,
                    findings,
                }
            }
        }
    };
    let suite = format!("residency {}", a.target);
    w.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
    writeln!(
        w,
        "<testsuites name=\"residency\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\" time=\"0\">",
    )?;
    writeln!(
        w,
        "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\" time=\"0\" timestamp=\"{}\">",
        xml(&suite),
        xml(a.generated_at.trim_end_matches('Z'))
    )?;
    writeln!(w, "    <properties>")?;
    for (k, v) in [
        ("fail_on", a.fail_on.as_str().to_string()),
        ("findings", a.summary.total().to_string()),
        ("geoip", a.resolved.geoip_source.clone()),
        ("adequacy", a.adequacy.list.clone()),
        ("generated_at", a.generated_at.clone()),
    ] {
        writeln!(w, "      <property name=\"{k}\" value=\"{}\"/>", xml(&v))?;
    }
    writeln!(w, "    </properties>")?;
    for c in 0..tests {
        let c = case(c);
        write!(
            w,
            "    <testcase classname=\"residency.{}\" name=\"{}\" file=\"{}\" line=\"{}\" time=\"0\"",
            xml(c.kind),
            xml(c.name),
            xml(c.file),
            c.line
        )?;
        if c.findings.is_empty() {
            writeln!(w, "/>")?;
            continue;
        }
        writeln!(w, ">")?;
        let (gate, below): (Vec<&Finding>, Vec<&Finding>) =
            c.findings.iter().partition(|f| a.fail_on.fails(f.severity));
        if let Some(worst) = gate.first() {
            let rules: Vec<&str> = gate.iter().map(|f| f.rule.as_str()).collect();
            writeln!(
                w,
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
            )?;
        }
        if !below.is_empty() {
            writeln!(
                w,
                "      <system-out>{}</system-out>",
                xml(&below
                    .iter()
                    .map(|f| finding_line(f))
                    .collect::<Vec<_>>()
                    .join("\n"))
            )?;
        }
        writeln!(w, "    </testcase>")?;
    }
    w.write_all(b"  </testsuite>\n</testsuites>\n")
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
