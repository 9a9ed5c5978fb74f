//! `--format github`: GitHub Actions workflow commands. Each finding
//! becomes an annotation on its file and line in the pull request (no code
//! scanning needed): `error` for findings that fail the gate, `warning`
//! for other medium and higher ones, `notice` for the rest and for waived
//! findings. A last plain line gives the verdict.

use std::io::{self, Write};

use super::{Audit, Lang, ci_path};
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

fn command(level: &str, f: &Finding, prefix: &str, lang: Lang) -> String {
    let mut text = format!("{prefix}{}", lang.message(f).plain());
    for e in &f.evidence {
        text.push_str(&format!("\n  {e}"));
    }
    text.push('\n');
    text.push_str(&lang.explain_hint(f.rule.as_str()));
    format!(
        "::{level} file={},line={},col={},title={}::{}\n",
        property(&ci_path(&f.location.file)),
        f.location.line.max(1),
        f.location.column.max(1),
        property(&format!("{} ({})", f.rule, lang.severity(f.severity))),
        data(&text)
    )
}

/// The workflow commands, one per line.
pub fn render(a: &Audit, lang: Lang) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write(a, lang, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Write the workflow commands to `w`, one finding at a time.
pub fn write(a: &Audit, lang: Lang, w: &mut dyn Write) -> io::Result<()> {
    for f in &a.findings {
        let level = if a.fail_on.fails(f.severity) {
            "error"
        } else if f.severity <= Severity::Medium {
            "warning"
        } else {
            "notice"
        };
        w.write_all(command(level, f, "", lang).as_bytes())?;
    }
    let view = super::view::View::new(a, lang);
    for v in view.waived() {
        let Some(note) = &v.note else {
            continue;
        };
        let prefix = lang.waived_prefix(&note.expires, note.approved_by, &note.reason_text());
        w.write_all(command("notice", v.row.finding, &prefix, lang).as_bytes())?;
    }
    writeln!(w, "{}", view.verdict)
}

#[cfg(test)]
mod tests {
    #[test]
    fn escaping() {
        assert_eq!(super::data("50%\nnext"), "50%25%0Anext");
        assert_eq!(super::property("a:b,c"), "a%3Ab%2Cc");
    }
}
