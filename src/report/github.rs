//! `--format github`: GitHub Actions workflow commands. Each finding
//! becomes an annotation on its file and line in the pull request (no code
//! scanning needed): `error` for findings that fail the gate, `warning`
//! for other medium and higher ones, `notice` for the rest and for waived
//! findings. A last plain line gives the verdict.

use super::{Audit, ci_path};
use crate::evaluate::{Finding, Severity};

/// Escape a message (`%`, CR, LF), as the Actions toolkit does.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property value: also `:` and `,`.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(level: &str, f: &Finding, prefix: &str) -> String {
    let mut text = format!("{prefix}{}", super::Lang::En.message(f).plain());
    for e in &f.evidence {
        text.push_str(&format!("\n  {e}"));
    }
    text.push_str(&format!(
        "\n`residency explain {}` says how to fix it.",
        f.rule
    ));
    format!(
        "::{level} file={},line={},col={},title={}::{}\n",
        property(&ci_path(&f.location.file)),
        f.location.line.max(1),
        f.location.column.max(1),
        property(&format!("{} ({})", f.rule, f.severity)),
        data(&text)
    )
}

/// The workflow commands, one per line.
pub fn render(a: &Audit<'_>) -> String {
    let mut out = String::new();
    for f in a.findings {
        let level = if a.fail_on.fails(f.severity) {
            "error"
        } else if f.severity <= Severity::Medium {
            "warning"
        } else {
            "notice"
        };
        out.push_str(&command(level, f, ""));
    }
    for w in a.waived {
        let Some(v) = a.inventory.waivers.get(w.waiver) else {
            continue;
        };
        let prefix = format!(
            "Waived until {} (approved by {}: {}): ",
            v.expires_text(),
            v.approved_by,
            v.reason
        );
        out.push_str(&command("notice", &w.finding, &prefix));
    }
    out.push_str(&super::table::verdict(a, super::Lang::En));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escaping() {
        assert_eq!(super::data("50%\nnext"), "50%25%0Anext");
        assert_eq!(super::property("a:b,c"), "a%3Ab%2Cc");
    }
}
