//! Escaping of text that came from outside (inventories, DNS, plans, pages,
//! earlier reports), applied where it is shown: terminal control
//! characters and CI workflow commands. A leaf module: every stage may use
//! it. (HTML is escaped by the templates, Markdown by its renderer.)

use std::borrow::Cow;

/// Characters a terminal or a log viewer acts on: C0 and C1 controls, DEL,
/// and the Unicode bidirectional and invisible formatting characters
/// (which can make text read differently from what it is).
fn is_control(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2069}'
            | '\u{feff}')
}

fn escape_with(s: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(|c| is_control(c) && !keep(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !is_control(c) || keep(c) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(out)
}

/// One line of text: every control character escaped (`\x1b`, `\r`, `\n`,
/// `\u{202e}`), so it cannot move the cursor, ring, recolour, forge a line
/// or reorder what is shown.
pub(crate) fn controls(s: &str) -> Cow<'_, str> {
    escape_with(s, |_| false)
}

/// Text whose line breaks (and tabs) are its own (a diagnostic with a
/// snippet, a rendered report): every other control character escaped.
pub(crate) fn controls_keep_lines(s: &str) -> Cow<'_, str> {
    escape_with(s, |c| c == '\n' || c == '\t')
}

/// Text printed where a CI runner reads it (stdout of a GitHub Actions
/// step): no line may start, after blanks, with `::` (a workflow command
/// such as `::error` or `::add-mask`) or `##[` (the older form). The first
/// character of such a line is replaced by `escape(c)` (an XML character
/// reference in JUnit, a Markdown escape, …), which the format reads as
/// the same character.
pub(crate) fn workflow_commands<'a>(
    text: &'a str,
    escape: &dyn Fn(char) -> String,
) -> Cow<'a, str> {
    let risky = |line: &str| {
        let t = line.trim_start();
        t.starts_with("::") || t.starts_with("##[")
    };
    if !text.split('\n').any(risky) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if risky(line) {
            let lead = line.len() - line.trim_start().len();
            out.push_str(&line[..lead]);
            let first = line[lead..].chars().next().unwrap_or(':');
            out.push_str(&escape(first));
            out.push_str(&line[lead + first.len_utf8()..]);
        } else {
            out.push_str(line);
        }
    }
    Cow::Owned(out)
}

/// Text for a table cell, made cheap to lay out: control characters
/// escaped, words longer than `word` characters broken into lines of
/// `word`, and the whole cut after `max` characters with a note (a
/// table is for reading; `--format json` has everything). Linear in the
/// input; a table library's wrapping of one long unbroken word is not.
pub(crate) fn cell(s: &str, word: usize, max: usize) -> String {
    let s = controls_keep_lines(s);
    let word = word.max(1);
    let mut out = String::with_capacity(s.len().min(max * 4) + 64);
    let mut run = 0usize;
    let mut shown = 0usize;
    let mut total = 0usize;
    for c in s.chars() {
        total += 1;
        if shown >= max {
            continue;
        }
        if c.is_whitespace() {
            run = 0;
        } else {
            if run == word {
                out.push('\n');
                run = 0;
            }
            run += 1;
        }
        out.push(c);
        shown += 1;
    }
    if total > shown {
        out.push_str(&format!(
            "… ({} more characters; see --format json)",
            total - shown
        ));
    }
    out
}

/// `c` as an XML character reference (`&#58;`).
pub(crate) fn xml_char_ref(c: char) -> String {
    format!("&#{};", c as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(
            controls("a\x1b[31mb\x07c\rd\ne"),
            "a\\x1b[31mb\\x07c\\rd\\ne"
        );
        assert_eq!(controls("x\u{202e}y\u{9b}z"), "x\\u{202e}y\\x9bz");
        assert_eq!(controls_keep_lines("a\n\tb\x1bc"), "a\n\tb\\x1bc");
        assert!(matches!(controls("plain текст"), Cow::Borrowed(_)));
    }

    #[test]
    fn cells_are_broken_and_bounded() {
        assert_eq!(cell("abcdefg hi", 3, 100), "abc\ndef\ng hi");
        let long = "x".repeat(50);
        assert_eq!(
            cell(&long, 100, 10),
            format!(
                "{}… (40 more characters; see --format json)",
                "x".repeat(10)
            )
        );
        assert_eq!(cell("a\x1bb", 10, 10), "a\\x1bb");
    }

    #[test]
    fn no_line_reads_as_a_workflow_command() {
        let t = "ok\n  ::error file=x::boom\n##[warning]w\nend::x";
        assert_eq!(
            workflow_commands(t, &xml_char_ref),
            "ok\n  &#58;:error file=x::boom\n&#35;#[warning]w\nend::x"
        );
    }
}
