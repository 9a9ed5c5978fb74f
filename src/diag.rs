//! Problems with the input, located (`file:line:column`), and the one
//! bounded reader of input files. A leaf module: every stage may use it.

use std::fmt;
use std::io::Read;
use std::path::Path;

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

/// The largest earlier JSON report read (`--baseline`, `report --compare`,
/// the runs of a `report` history). A report of 100,000 hosts is tens of
/// megabytes; the readers keep only what they compare.
pub const MAX_REPORT_BYTES: u64 = 128 * 1024 * 1024;

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
    };
    let meta = std::fs::metadata(path).map_err(|e| {
        err(
            None,
            match e.kind() {
                std::io::ErrorKind::NotFound => "no such file or directory".into(),
                _ => format!("cannot read: {e}"),
            },
        )
    })?;
    if meta.is_dir() {
        return Err(err(None, "is a directory, not a file".into()));
    }
    if !meta.is_file() {
        return Err(err(
            None,
            "not a regular file (a FIFO, device or socket)".into(),
        ));
    }
    // Whole 64 KiB reads (some /proc files refuse odd sizes), stopping
    // once past the limit: at most `limit` + 64 KiB is ever held.
    let mut bytes = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    let mut f = std::fs::File::open(path).map_err(|e| err(None, format!("cannot read: {e}")))?;
    while bytes.len() as u64 <= limit {
        match f.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(err(None, format!("cannot read: {e}"))),
        }
    }
    if bytes.len() as u64 > limit {
        let at = usize::try_from(limit).unwrap_or(usize::MAX);
        return Err(err(
            Some(byte_pos(&bytes, at)),
            format!("file too large: it goes on past the limit of {limit} bytes here"),
        ));
    }
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
}
