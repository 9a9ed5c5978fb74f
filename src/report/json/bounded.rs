//! An earlier report read from its file as it is parsed, never whole: a
//! 100,000-entity report is hundreds of megabytes, of which the readers
//! keep the identities of the findings and little else.
//!
//! The file is opened through the one reader of input files
//! ([`crate::diag::open_regular`]: directories, FIFOs, devices refused) and
//! read at most [`MAX_REPORT_BYTES`]; serde_json refuses what is not UTF-8
//! text. When the parse fails, a file of ordinary size is read again whole
//! ([`crate::diag::read_text`]) so that the problem is told in the words and
//! at the position of every other input file (a NUL byte, bad UTF-8, a JSON
//! error exactly where a parse of the text puts it).

use std::io::Read;
use std::path::Path;

use super::v1::{Source, Unread};
use crate::diag::{Diagnostic, MAX_REPORT_BYTES};

/// Bytes read at a time.
const CHUNK: usize = 64 * 1024;

/// A broken report at most this large is read again whole to locate its
/// problem exactly; a larger one keeps the streaming parser's position.
const WHOLE_AGAIN: u64 = 128 << 20;

/// An earlier report's file.
pub struct Bounded<'a> {
    pub path: &'a Path,
    pub file: String,
    pub limit: u64,
}

impl<'a> Bounded<'a> {
    pub fn new(path: &'a Path) -> Self {
        Self {
            path,
            file: path.display().to_string(),
            limit: MAX_REPORT_BYTES,
        }
    }

    fn err(&self, message: String) -> Unread {
        Unread::Read(Diagnostic {
            file: Some(self.file.clone()),
            pos: None,
            message,
            hint: None,
            related: None,
        })
    }
}

impl Source for Bounded<'_> {
    fn file(&self) -> &str {
        &self.file
    }

    fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, Unread> {
        let file = crate::diag::open_regular(self.path).map_err(|e| self.err(e.to_string()))?;
        let mut rest = file.take(self.limit.saturating_add(1));
        let streamed =
            serde_json::from_reader::<_, T>(std::io::BufReader::with_capacity(CHUNK, &mut rest));
        if rest.limit() == 0 {
            return Err(self.err(format!(
                "file too large: it goes on past the limit of {} bytes",
                self.limit
            )));
        }
        let e = match streamed {
            Ok(v) => return Ok(v),
            Err(e) => e,
        };
        let size = std::fs::metadata(self.path).map_or(u64::MAX, |m| m.len());
        if size > WHOLE_AGAIN.min(self.limit) {
            return Err(Unread::Json(e));
        }
        match crate::diag::read_text(self.path, WHOLE_AGAIN) {
            Ok(text) => serde_json::from_str(&text).map_err(Unread::Json),
            Err(d) => Err(Unread::Read(d)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Bounded;
    use crate::report::json::v1::{InMemory, ReportIn, read_from};

    fn write(bytes: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("r.json");
        std::fs::write(&p, bytes).unwrap();
        (d, p)
    }

    /// Read as a whole report.
    fn read(src: &Bounded<'_>, hint: Option<&str>) -> Result<ReportIn, crate::diag::Diagnostic> {
        read_from(src, hint)
    }

    const OK: &str = "{\"schema_version\": 1,\n \"entities\": [], \"findings\": []}\n";

    #[test]
    fn refusals_are_those_of_read_text_at_the_same_place() {
        let cases: [&[u8]; 4] = [
            b"{\"a\": \"\xff\"}",
            b"{\n  \"a\": \"x\0\"}",
            b"{\n \"\xc3\xa9\xc3\xa9\": 1, \"b\": \"\xe2\x82\"}",
            b"{\"a\": 1}\n\xe2\x82",
        ];
        for bytes in cases {
            let (_d, p) = write(bytes);
            let old = crate::diag::read_text(&p, 1 << 20).err().unwrap();
            let new = read(&Bounded::new(&p), None).err().unwrap();
            assert_eq!(old, new, "{}", String::from_utf8_lossy(bytes));
        }
    }

    #[test]
    fn the_limit_counts_bytes() {
        let (_d, p) = write(OK.as_bytes());
        let b = Bounded {
            limit: 30,
            ..Bounded::new(&p)
        };
        let e = read(&b, None).err().unwrap();
        assert!(e.message.starts_with("file too large"), "{e}");
        let r: ReportIn = read_from(&Bounded::new(&p), None).ok().unwrap();
        assert_eq!(r.schema_version, 1);
        // A valid document followed by more than the limit allows.
        let (_d, p) = write(format!("{OK}{}", " ".repeat(100)).as_bytes());
        let b = Bounded {
            limit: OK.len() as u64 + 10,
            ..Bounded::new(&p)
        };
        let e = read(&b, None).err().unwrap();
        assert!(e.message.starts_with("file too large"), "{e}");
    }

    #[test]
    fn json_errors_are_where_a_parse_of_the_text_puts_them() {
        for text in [
            "[1, 2]",
            "{\n  \"schema_version\": 1,\n  \"findings\": [\n    {\"rule\": 1}\n",
            "{\"schema_version\": 1, \"entities\": [],\n \"findings\": [{\"rule\": \"r\"}]}",
            "{\"schema_version\": 1, \"entities\": [], \"findings\": []} x",
        ] {
            let (_d, p) = write(text.as_bytes());
            let file = p.display().to_string();
            let streamed: Result<ReportIn, _> = read_from(&Bounded::new(&p), None);
            let whole: Result<ReportIn, _> = read_from(&InMemory { file: &file, text }, None);
            let (a, b) = (streamed.err().unwrap(), whole.err().unwrap());
            assert!(a.pos.is_some(), "{a}");
            assert_eq!(a, b);
        }
    }

    #[test]
    fn directories_and_fifos_are_refused() {
        let d = tempfile::tempdir().unwrap();
        let e = read(&Bounded::new(d.path()), None).err().unwrap();
        assert_eq!(e.message, "is a directory, not a file");
        let e = read(&Bounded::new(&d.path().join("none")), None)
            .err()
            .unwrap();
        assert_eq!(e.message, "no such file or directory");
        let fifo = d.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        let e = read(&Bounded::new(&fifo), None).err().unwrap();
        assert_eq!(e.message, "not a regular file (a FIFO, device or socket)");
    }
}
