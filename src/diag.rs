//! Problems with the input, located (`file:line:column`), the one bounded
//! reader of input files, and the one renderer of problems for stderr
//! (the source line with a caret, as cargo and cargo-deny show them).
//! A leaf: every stage may use it, and it uses only `crate::escape`; the
//! one redaction function is handed to [`Sources::new`] by the CLI.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::path::Path;

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

/// A 1-based line and column (columns count characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// One problem with the input, located as precisely as possible. The file
/// name is shown with its control characters escaped.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub file: Option<String>,
    pub pos: Option<Pos>,
    pub message: String,
    pub hint: Option<String>,
    /// A second place the problem concerns ("first used here"), shown
    /// with its own snippet. The message names it too: the first line
    /// stands alone.
    pub related: Option<Box<Related>>,
}

/// A second place a diagnostic points at, with a short note.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Related {
    pub file: String,
    pub pos: Pos,
    pub note: String,
}

impl Diagnostic {
    /// A problem without a file or position of its own (its message may
    /// name them, as a data file's `file:line: …` does).
    pub fn unlocated(message: impl fmt::Display) -> Self {
        Self {
            file: None,
            pos: None,
            message: message.to_string(),
            hint: None,
            related: None,
        }
    }

    /// The same problem, also pointing at `file:pos` with `note`.
    pub fn with_related(mut self, file: impl Into<String>, pos: Pos, note: &str) -> Self {
        self.related = Some(Box::new(Related {
            file: file.into(),
            pos,
            note: note.to_string(),
        }));
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.pos) {
            (Some(file), Some(pos)) => write!(f, "{}:{pos}: ", crate::escape::controls(file))?,
            (Some(file), None) => write!(f, "{}: ", crate::escape::controls(file))?,
            _ => {}
        }
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  = help: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// The largest earlier JSON report read (`--baseline`, `report --compare`,
/// the runs of a `report` history). A report of 100,000 entities is about
/// 250 MB; it is parsed as it is read (`report::json::bounded`), so its
/// size costs time, not memory.
pub const MAX_REPORT_BYTES: u64 = 1024 * 1024 * 1024;

/// `message at line L column C` (serde's form) as a located diagnostic.
pub fn located(file: &str, message: &str) -> Diagnostic {
    let (msg, pos) = match message.rsplit_once(" at line ") {
        Some((m, rest)) => {
            let mut it = rest.split(" column ");
            let line = it.next().and_then(|l| l.trim().parse::<u32>().ok());
            let column = it.next().and_then(|c| c.trim().parse::<u32>().ok());
            match (line, column) {
                (Some(line), Some(column)) => (
                    m,
                    Some(Pos {
                        line: line.max(1),
                        column: column.max(1),
                    }),
                ),
                _ => (message, None),
            }
        }
        None => (message, None),
    };
    Diagnostic {
        file: Some(file.to_string()),
        pos,
        message: msg.to_string(),
        hint: None,
        related: None,
    }
}

/// Line starts of a text, for positions from byte offsets in O(log n).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &[u8]) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.iter()
                .enumerate()
                .filter(|&(_, &b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Self { starts }
    }

    /// The position of byte `offset` of `text` (the text indexed); a
    /// column counts characters, reading invalid UTF-8 bytes as one each.
    pub fn pos(&self, text: &[u8], offset: usize) -> Pos {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = String::from_utf8_lossy(&text[start..offset])
            .chars()
            .count()
            + 1;
        Pos {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
        }
    }

    /// Line `line` (1-based) of `text` (the text indexed), without its
    /// line break; `None` past the end.
    pub fn line<'t>(&self, text: &'t str, line: u32) -> Option<&'t str> {
        let i = usize::try_from(line).ok()?.checked_sub(1)?;
        let start = *self.starts.get(i)?;
        let end = self.starts.get(i + 1).map_or(text.len(), |&e| e - 1);
        let l = text.get(start..end)?;
        Some(l.strip_suffix('\r').unwrap_or(l))
    }
}

/// The position of byte `i` of `bytes` (one-off; see [`LineIndex`]).
pub fn byte_pos(bytes: &[u8], i: usize) -> Pos {
    LineIndex::new(&bytes[..i.min(bytes.len())]).pos(bytes, i.min(bytes.len()))
}

/// A JSON syntax or shape error at its `file:line:column`.
pub fn json_error(file: &str, e: &serde_json::Error, what: &str, hint: Option<&str>) -> Diagnostic {
    let msg = e.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
    Diagnostic {
        file: Some(file.to_string()),
        pos: Some(Pos {
            line: u32::try_from(e.line().max(1)).unwrap_or(u32::MAX),
            column: u32::try_from(e.column().max(1)).unwrap_or(u32::MAX),
        }),
        message: format!("{what}: {msg}"),
        hint: hint.map(str::to_string),
        related: None,
    }
}

/// Read a text file of at most `limit` bytes: the limit counts the bytes
/// actually read (a symlink to `/proc/…` or a growing file cannot get
/// past it); directories, FIFOs, devices and sockets are refused before
/// they are opened (a FIFO would block); a NUL byte or invalid UTF-8 is
/// an error at its line and column.
pub fn read_text(path: &Path, limit: u64) -> Result<String, Diagnostic> {
    let file = path.display().to_string();
    let err = |pos: Option<Pos>, message: String| Diagnostic {
        file: Some(file.clone()),
        pos,
        message,
        hint: None,
        related: None,
    };
    let bytes = read_bytes(path, limit)?;
    if let Some(i) = bytes.iter().position(|&b| b == 0) {
        return Err(err(
            Some(byte_pos(&bytes, i)),
            "binary file (NUL byte), not text".into(),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let pos = byte_pos(e.as_bytes(), e.utf8_error().valid_up_to());
        Diagnostic {
            hint: Some("save the file as UTF-8".into()),
            ..err(Some(pos), "not UTF-8 text".into())
        }
    })
}

/// The bytes of a file of at most `limit` bytes, with the same refusals
/// and bound as [`read_text`] but no check of the encoding (for inputs
/// that may be UTF-16, such as Terraform plans written by PowerShell).
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, Diagnostic> {
    read_limited(path, limit).map_err(|e| Diagnostic {
        file: Some(path.display().to_string()),
        pos: match &e {
            ReadError::TooLarge { at, .. } => Some(*at),
            _ => None,
        },
        message: e.to_string(),
        hint: None,
        related: None,
    })
}

/// A regular file opened for reading: directories, FIFOs, devices and
/// sockets are refused before they are opened (a FIFO would block). For a
/// reader that streams (an earlier report): bound it with `Read::take`.
pub fn open_regular(path: &Path) -> Result<std::fs::File, ReadError> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::NotFound,
        _ => ReadError::Io(e),
    })?;
    if meta.is_dir() {
        return Err(ReadError::Directory);
    }
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    std::fs::File::open(path).map_err(ReadError::Io)
}

/// Why a file could not be read (by [`read_limited`]): without the file's
/// name, which the caller's error adds.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("no such file or directory")]
    NotFound,
    #[error("is a directory, not a file")]
    Directory,
    /// A FIFO would block the run; a device may never end.
    #[error("not a regular file (a FIFO, device or socket)")]
    NotRegular,
    #[error("cannot read: {0}")]
    Io(#[source] std::io::Error),
    /// `at`: where the limit falls in the file.
    #[error("file too large: it goes on past the limit of {limit} bytes here")]
    TooLarge { limit: u64, at: Pos },
}

/// The one bounded reader of input files: at most `limit` bytes, counting
/// the bytes actually read (a symlink to `/proc/…` or a growing file
/// cannot get past it); directories, FIFOs, devices and sockets are
/// refused before they are opened (a FIFO would block).
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    // Whole 64 KiB reads (some /proc files refuse odd sizes), stopping
    // once past the limit: at most `limit` + 64 KiB is ever held.
    let mut bytes = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    let mut f = open_regular(path)?;
    while bytes.len() as u64 <= limit {
        match f.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(ReadError::Io(e)),
        }
    }
    if bytes.len() as u64 > limit {
        let at = usize::try_from(limit).unwrap_or(usize::MAX);
        return Err(ReadError::TooLarge {
            limit,
            at: byte_pos(&bytes, at),
        });
    }
    Ok(bytes)
}

/// The largest file read to show a snippet of it.
const MAX_SNIPPET_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// Characters of a long line shown on each side of the caret.
const SNIPPET_WINDOW: usize = 120;

/// The texts of the files diagnostics point at, each read once (through
/// [`read_text`], bounded) and indexed once, to show their lines. A file
/// that cannot be read as text any more is shown without a snippet.
pub struct Sources {
    texts: BTreeMap<String, Option<(String, LineIndex)>>,
    /// The redaction every shown text goes through.
    redact: fn(&str) -> String,
}

/// One source line as shown: redacted, control characters escaped, and
/// where the caret goes in it (a byte range of the shown text).
struct Shown {
    text: String,
    line: usize,
    caret: std::ops::Range<usize>,
}

impl Sources {
    /// No file read yet; everything shown goes through `redact` (the
    /// process's one redaction function).
    pub fn new(redact: fn(&str) -> String) -> Self {
        Self {
            texts: BTreeMap::new(),
            redact,
        }
    }

    /// Keep `text` as the text of `file` (a file already read).
    pub fn keep(&mut self, file: &str, text: String) {
        let ix = LineIndex::new(text.as_bytes());
        self.texts.insert(file.to_string(), Some((text, ix)));
    }

    fn text(&mut self, file: &str) -> Option<&(String, LineIndex)> {
        self.texts
            .entry(file.to_string())
            .or_insert_with(|| {
                let text = read_text(Path::new(file), MAX_SNIPPET_FILE_BYTES).ok()?;
                let ix = LineIndex::new(text.as_bytes());
                Some((text, ix))
            })
            .as_ref()
    }

    /// Line `pos.line` of `file` as shown, with the caret at `pos.column`
    /// (mapped through the redaction and escaping of what precedes it).
    fn shown(&mut self, file: &str, pos: Pos) -> Option<Shown> {
        let redact = self.redact;
        let (text, ix) = self.text(file)?;
        let mut raw = ix.line(text, pos.line)?;
        let column = usize::try_from(pos.column).ok()?.max(1) - 1;
        let mut at = raw.char_indices().nth(column).map_or(raw.len(), |(i, _)| i);
        // A long line (minified JSON) is cut to a window around the caret.
        let (mut lead, mut tail) = ("", "");
        if raw.len() > 4 * SNIPPET_WINDOW {
            let start = raw[..at]
                .char_indices()
                .rev()
                .nth(SNIPPET_WINDOW - 1)
                .map_or(0, |(i, _)| i);
            let end = raw[at..]
                .char_indices()
                .nth(SNIPPET_WINDOW)
                .map_or(raw.len(), |(i, _)| at + i);
            lead = if start > 0 { "…" } else { "" };
            tail = if end < raw.len() { "…" } else { "" };
            at -= start;
            raw = &raw[start..end];
        }
        let show = |s: &str| crate::escape::controls(&redact(s)).into_owned();
        let text = format!("{lead}{}{tail}", show(raw));
        let mut start = (lead.len() + show(&raw[..at]).len()).min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let end = text[start..]
            .chars()
            .next()
            .map_or(start, |c| start + c.len_utf8());
        Some(Shown {
            text,
            line: usize::try_from(pos.line).ok()?,
            caret: start..end,
        })
    }
}

/// Whether diagnostics on stderr are coloured: stderr is a terminal and
/// `NO_COLOR` is unset (or empty, as no-color.org says).
pub fn stderr_color() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// A diagnostic as shown on stderr. The first line is always
/// `error: file:line:column: message` (editors and CI parse it); when the
/// file's text is at hand, the source line follows with a caret at the
/// column, the related place with its note, `= help: …`, and an empty
/// line. Without a snippet it is the first line and `  = help: …`.
/// Everything taken from the input is redacted and its control characters
/// escaped; colour (ANSI) only with `color`.
pub fn render(d: &Diagnostic, sources: &mut Sources, color: bool) -> String {
    let redact = sources.redact;
    let clean = |s: &str| crate::escape::controls_keep_lines(&redact(s)).into_owned();
    let plain = || clean(&format!("error: {d}"));
    let (Some(file), Some(pos)) = (&d.file, d.pos) else {
        return plain();
    };
    let Some(primary) = sources.shown(file, pos) else {
        return plain();
    };
    let related = d.related.as_deref().and_then(|r| {
        let shown = sources.shown(&r.file, r.pos)?;
        Some((r, shown))
    });
    let title = clean(&format!(
        "{}:{pos}: {}",
        crate::escape::controls(file),
        d.message
    ));
    let hint = d.hint.as_deref().map(clean);
    let related_file = related.as_ref().map(|(r, _)| clean(&r.file));
    let mut snippet = Snippet::source(primary.text.as_str())
        .line_start(primary.line)
        .annotation(AnnotationKind::Primary.span(primary.caret.clone()));
    let mut other = None;
    if let Some((r, shown)) = &related {
        if r.file == *file && shown.line == primary.line {
            snippet = snippet.annotation(
                AnnotationKind::Context
                    .span(shown.caret.clone())
                    .label(r.note.as_str()),
            );
        } else {
            other = Some(
                Snippet::source(shown.text.as_str())
                    .line_start(shown.line)
                    .path(related_file.as_deref().unwrap_or_default())
                    .annotation(
                        AnnotationKind::Context
                            .span(shown.caret.clone())
                            .label(r.note.as_str()),
                    ),
            );
        }
    }
    let mut group = Level::ERROR.primary_title(title.as_str()).element(snippet);
    if let Some(other) = other {
        group = group.element(other);
    }
    if let Some(hint) = &hint {
        group = group.element(Level::HELP.message(hint.as_str()));
    }
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = renderer.render(&[group]);
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions() {
        let t = "ab\nцд\n\nx".as_bytes();
        let ix = LineIndex::new(t);
        assert_eq!(ix.pos(t, 0), Pos { line: 1, column: 1 });
        assert_eq!(ix.pos(t, 3), Pos { line: 2, column: 1 });
        assert_eq!(ix.pos(t, 5), Pos { line: 2, column: 2 });
        assert_eq!(ix.pos(t, 8), Pos { line: 3, column: 1 });
        assert_eq!(ix.pos(t, 99), Pos { line: 4, column: 2 });
        assert_eq!(byte_pos(t, 5), Pos { line: 2, column: 2 });
    }

    #[test]
    fn reads_are_bounded_by_bytes_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.yaml");
        std::fs::write(&p, "a: 1\nb: 22222\n").unwrap();
        let e = read_text(&p, 8).unwrap_err();
        assert_eq!(e.pos, Some(Pos { line: 2, column: 4 }));
        assert!(e.message.contains("too large"), "{e}");
        assert_eq!(read_text(&p, 100).unwrap(), "a: 1\nb: 22222\n");
        // A /proc file says it is empty and is not.
        #[cfg(target_os = "linux")]
        {
            let proc = Path::new("/proc/self/maps");
            assert!(
                read_text(proc, 16)
                    .unwrap_err()
                    .message
                    .contains("too large")
            );
        }
        std::fs::write(&p, b"ok\n\xff").unwrap();
        let e = read_text(&p, 100).unwrap_err();
        assert_eq!(
            (e.pos, e.message.as_str()),
            (Some(Pos { line: 2, column: 1 }), "not UTF-8 text")
        );
    }

    fn diag(line: u32, column: u32, message: &str) -> Diagnostic {
        Diagnostic {
            file: Some("f.yaml".into()),
            pos: Some(Pos { line, column }),
            message: message.into(),
            hint: Some("a hint".into()),
            related: None,
        }
    }

    #[test]
    fn snippets_show_the_line_with_the_caret_at_the_column() {
        let mut sources = Sources::new(crate::inventory::redact::redact);
        sources.keep("f.yaml", "a: 1\r\nцвет: x\tpass=s3cret y\n".into());
        // The caret follows the column through the masked password and
        // the escaped tab; CRLF is a line break.
        let shown = render(&diag(2, 22, "bad"), &mut sources, false);
        assert_eq!(
            shown,
            "error: f.yaml:2:22: bad\n  |\n2 | цвет: x\\tpass=*** y\n  |                    ^\n  |\n  = help: a hint\n"
        );
        // Past the end of the line: the caret after its last character.
        let shown = render(&diag(1, 9, "bad"), &mut sources, false);
        assert!(shown.contains("1 | a: 1\n  |     ^\n"), "{shown}");
        // No such line, or no such file: the plain form.
        let plain = "error: f.yaml:7:1: bad\n  = help: a hint";
        assert_eq!(render(&diag(7, 1, "bad"), &mut sources, false), plain);
        let mut none = Sources::new(crate::inventory::redact::redact);
        let d = Diagnostic {
            file: Some("/nonexistent/f.yaml".into()),
            ..diag(7, 1, "bad")
        };
        assert_eq!(
            render(&d, &mut none, false),
            "error: /nonexistent/f.yaml:7:1: bad\n  = help: a hint"
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_caret_and_related_places_shown() {
        let mut sources = Sources::new(crate::inventory::redact::redact);
        let long = format!("{}X{}\nid: a\n", "a".repeat(5000), "b".repeat(5000));
        sources.keep("f.json", long);
        let d = Diagnostic {
            file: Some("f.json".into()),
            hint: None,
            ..diag(1, 5001, "bad")
        }
        .with_related("f.json", Pos { line: 2, column: 5 }, "first used here");
        let shown = render(&d, &mut sources, false);
        assert!(shown.len() < 1000, "{shown}");
        assert!(
            shown.contains("1 | …aaa") && shown.contains("aaaXbbb"),
            "{shown}"
        );
        assert!(shown.contains("first used here"), "{shown}");
        assert!(shown.contains("2 | id: a"), "{shown}");
        // Colour only when asked.
        assert!(!shown.contains('\x1b'));
        assert!(render(&d, &mut sources, true).contains('\x1b'));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 1024, failure_persistence: None, ..Default::default() })]

        /// Any text, line and column: no panic, the first line is the
        /// located one, nothing unescaped reaches the terminal, and a
        /// password in the shown line is masked.
        #[test]
        fn any_text_and_position_render(
            text in "(\\PC|[\t\r\n\u{1b}\u{202e}]|pass=hunter2 ){0,60}",
            line in 0u32..8,
            column in 0u32..80,
        ) {
            let mut sources = Sources::new(crate::inventory::redact::redact);
            sources.keep("f.yaml", text);
            let shown = render(&diag(line, column, "bad"), &mut sources, false);
            let located = format!("error: f.yaml:{line}:{column}: bad");
            proptest::prop_assert!(shown.starts_with(&located), "{}", shown);
            proptest::prop_assert!(!shown.contains('\u{1b}') && !shown.contains('\r'), "{}", shown);
            proptest::prop_assert!(!shown.contains("hunter2"), "{}", shown);
        }
    }
}
