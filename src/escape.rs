//! Escaping of text that came from outside (inventories, DNS, plans, pages,
//! earlier reports), applied where it is shown: terminal control
//! characters and CI workflow commands. A leaf module: every stage may use
//! it. (HTML is escaped by the templates, Markdown by its renderer.)

use std::borrow::Cow;
use std::io::Write;

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
/// the same character. The whole-text form: reports are escaped as they
/// are written by [`Escaping`], which the tests hold against this.
#[cfg(test)]
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

/// Whether an (already control-escaped) line would be read as a workflow
/// command: after blanks, `::` or `##[`.
fn risky(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("::") || t.starts_with("##[")
}

/// `line` with its first character after blanks replaced by `escape(c)`.
fn defuse(line: &str, escape: &dyn Fn(char) -> String) -> String {
    let lead = line.len() - line.trim_start().len();
    let first = line[lead..].chars().next().unwrap_or(':');
    let mut out = String::with_capacity(line.len() + 8);
    out.push_str(&line[..lead]);
    out.push_str(&escape(first));
    out.push_str(line.get(lead + first.len_utf8()..).unwrap_or_default());
    out
}

/// [`controls_keep_lines`] and, when `escape` is given, the escaping of
/// workflow commands (`workflow_commands`, the whole-text form) as a writer: what is written through it reaches `inner` escaped, byte
/// for byte as the whole-text passes would leave it, without holding more
/// than the start of the current line (until it is known whether the line
/// could be read as a workflow command) and an unfinished UTF-8 character.
/// Call [`Escaping::finish`] at the end: the last line may have no newline.
pub(crate) struct Escaping<'e, W: Write> {
    inner: W,
    escape: Option<&'e dyn Fn(char) -> String>,
    /// The bytes of a character split between two writes.
    partial: Vec<u8>,
    /// The escaped start of the current line, while its fate is open.
    head: String,
    /// Whether the current line's start has been written out.
    decided: bool,
}

impl<'e, W: Write> Escaping<'e, W> {
    /// Control characters escaped (but line breaks and tabs); with
    /// `escape`, also no line that reads as a workflow command.
    pub(crate) fn new(inner: W, escape: Option<&'e dyn Fn(char) -> String>) -> Self {
        Self {
            inner,
            escape,
            partial: Vec::new(),
            head: String::new(),
            decided: false,
        }
    }

    /// One run of text without a newline; `end` when a line ends after it.
    fn piece(&mut self, s: &str, end: bool) -> std::io::Result<()> {
        let escaped = controls_keep_lines(s);
        if self.decided {
            self.inner.write_all(escaped.as_bytes())?;
        } else if let Some(escape) = self.escape {
            self.head.push_str(&escaped);
            // Three bytes after the blanks tell `::` and `##[` apart from
            // anything else; the end of the line decides the rest.
            if end || self.head.trim_start().len() >= 3 {
                if risky(&self.head) {
                    self.inner
                        .write_all(defuse(&self.head, escape).as_bytes())?;
                } else {
                    self.inner.write_all(self.head.as_bytes())?;
                }
                self.head.clear();
                self.decided = true;
            }
        } else {
            self.inner.write_all(escaped.as_bytes())?;
            self.decided = true;
        }
        if end {
            self.inner.write_all(b"\n")?;
            self.decided = false;
        }
        Ok(())
    }

    fn text(&mut self, s: &str) -> std::io::Result<()> {
        let mut rest = s;
        while let Some(i) = rest.find('\n') {
            self.piece(&rest[..i], true)?;
            rest = &rest[i + 1..];
        }
        if !rest.is_empty() {
            self.piece(rest, false)?;
        }
        Ok(())
    }

    /// Write out what is held (the last line) and hand back the writer.
    pub(crate) fn finish(mut self) -> std::io::Result<W> {
        if !self.partial.is_empty() {
            let bytes = std::mem::take(&mut self.partial);
            self.text(&String::from_utf8_lossy(&bytes))?;
        }
        if !self.decided && !self.head.is_empty() {
            let head = std::mem::take(&mut self.head);
            match self.escape {
                Some(escape) if risky(&head) => {
                    self.inner.write_all(defuse(&head, escape).as_bytes())?
                }
                _ => self.inner.write_all(head.as_bytes())?,
            }
        }
        self.inner.flush()?;
        Ok(self.inner)
    }
}

impl<W: Write> Write for Escaping<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut bytes = buf;
        // Complete a character begun by the previous write, a byte at a time.
        while !self.partial.is_empty() && !bytes.is_empty() {
            let mut t = std::mem::take(&mut self.partial);
            t.push(bytes[0]);
            bytes = &bytes[1..];
            match std::str::from_utf8(&t) {
                Ok(s) => self.text(s)?,
                Err(e) if e.error_len().is_none() => self.partial = t,
                Err(_) => self.text(&String::from_utf8_lossy(&t))?,
            }
        }
        loop {
            match std::str::from_utf8(bytes) {
                Ok(s) => {
                    self.text(s)?;
                    break;
                }
                Err(e) => {
                    let (ok, rest) = bytes.split_at(e.valid_up_to());
                    // Checked by from_utf8 just now.
                    self.text(std::str::from_utf8(ok).unwrap_or_default())?;
                    match e.error_len() {
                        // A character cut by the end of this write.
                        None => {
                            self.partial.extend_from_slice(rest);
                            break;
                        }
                        // Not UTF-8: shown as U+FFFD, as a lossy decoding would.
                        Some(n) => {
                            self.text("\u{fffd}")?;
                            bytes = &rest[n..];
                        }
                    }
                }
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
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

    /// The whole-text passes the streaming writer must equal.
    fn whole(text: &str, commands: bool) -> String {
        let t = controls_keep_lines(text);
        if commands {
            workflow_commands(&t, &xml_char_ref).into_owned()
        } else {
            t.into_owned()
        }
    }

    /// `text` written through [`Escaping`] in pieces cut at `cuts` (byte
    /// offsets, mid-character ones included).
    fn streamed(text: &str, cuts: &[usize], commands: bool) -> String {
        let escape: &dyn Fn(char) -> String = &xml_char_ref;
        let mut w = Escaping::new(Vec::new(), commands.then_some(escape));
        let bytes = text.as_bytes();
        let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (bytes.len() + 1)).collect();
        cuts.sort_unstable();
        let mut at = 0;
        for c in cuts.into_iter().chain([bytes.len()]) {
            w.write_all(&bytes[at..c]).unwrap();
            at = c;
        }
        String::from_utf8(w.finish().unwrap()).unwrap()
    }

    #[test]
    fn the_writer_escapes_as_the_whole_text_passes() {
        for t in [
            "ok\n  ::error file=x::boom\n##[warning]w\nend::x",
            "::",
            ":",
            "\u{2003}::x\n\u{b}::y\r\n\t##[z",
            "a\x1b[31mb\u{202e}c\n",
            "",
            "\n\n::\n",
        ] {
            for commands in [false, true] {
                for cut in 0..=t.len() {
                    assert_eq!(
                        streamed(t, &[cut], commands),
                        whole(t, commands),
                        "{t:?} cut at {cut}"
                    );
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 1024, failure_persistence: None, ..Default::default() })]

        #[test]
        fn the_writer_equals_the_whole_text_passes_however_it_is_cut(
            text in "(::|##\\[|[ \t\n\r:#\\[a\u{b}\u{1b}\u{85}\u{a0}\u{2003}\u{2028}\u{202e}жx€😀])*",
            cuts in proptest::collection::vec(0usize..10_000, 0..8),
            commands in proptest::bool::ANY,
        ) {
            proptest::prop_assert_eq!(streamed(&text, &cuts, commands), whole(&text, commands));
        }
    }
}
