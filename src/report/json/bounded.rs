//! An earlier report read from its file as it is parsed, never whole: a
//! 100,000-entity report is hundreds of megabytes, of which the readers
//! keep the identities of the findings and little else.
//!
//! The same refusals and bound as [`crate::diag::read_text`] (directories,
//! FIFOs, devices and sockets refused before they are opened; at most
//! `limit` bytes; a NUL byte or invalid UTF-8 an error at its line and
//! column, with the same words), checked by a first streaming pass; the
//! parse then reads the file again through a `BufReader`, bounded too (a
//! file that changed in between is still read at most `limit` + 1 bytes,
//! and serde_json refuses what is not UTF-8).

use std::io::Read;
use std::path::Path;

use crate::diag::{Diagnostic, Pos};

/// The largest earlier report read (`--baseline`, `report --compare`, the
/// runs of a history). Streamed, its size costs time, not memory: a
/// 100,000-entity report is about 250 MB.
pub const MAX_REPORT_BYTES: u64 = 1024 * 1024 * 1024;

/// Bytes read at a time.
const CHUNK: usize = 64 * 1024;

/// An earlier report's file, read at most `limit` bytes at a time.
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

    fn err(&self, pos: Option<Pos>, message: String) -> Diagnostic {
        Diagnostic {
            file: Some(self.file.clone()),
            pos,
            message,
            hint: None,
            related: None,
        }
    }

    fn open(&self) -> Result<std::fs::File, Diagnostic> {
        let meta = std::fs::metadata(self.path).map_err(|e| {
            self.err(
                None,
                match e.kind() {
                    std::io::ErrorKind::NotFound => "no such file or directory".into(),
                    _ => format!("cannot read: {e}"),
                },
            )
        })?;
        if meta.is_dir() {
            return Err(self.err(None, "is a directory, not a file".into()));
        }
        if !meta.is_file() {
            return Err(self.err(None, "not a regular file (a FIFO, device or socket)".into()));
        }
        std::fs::File::open(self.path).map_err(|e| self.err(None, format!("cannot read: {e}")))
    }

    /// The position of byte `offset` of the file: lines counted by `\n`,
    /// columns by characters (exact for UTF-8; elsewhere each byte that
    /// does not continue a character counts one).
    fn pos(&self, offset: u64) -> Pos {
        let mut line: u64 = 1;
        let mut column: u64 = 1;
        if let Ok(f) = std::fs::File::open(self.path) {
            let mut f = f.take(offset);
            let mut buf = vec![0u8; CHUNK];
            loop {
                let n = match f.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(_) => break,
                };
                for &b in &buf[..n] {
                    if b == b'\n' {
                        line += 1;
                        column = 1;
                    } else if b & 0xC0 != 0x80 {
                        column += 1;
                    }
                }
            }
        }
        Pos {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
        }
    }
}

impl super::v1::Source for Bounded<'_> {
    fn file(&self) -> &str {
        &self.file
    }

    /// One streaming pass: too large, else the first NUL byte, else the
    /// first invalid UTF-8 (the order of `diag::read_text`).
    fn check(&self) -> Result<(), Diagnostic> {
        let mut f = self.open()?.take(self.limit.saturating_add(1));
        // Room for a character cut by the chunk's end, carried over.
        let mut buf = vec![0u8; CHUNK + 4];
        let mut carry = 0usize;
        let mut base: u64 = 0; // file offset of buf[0]
        let mut total: u64 = 0;
        let mut nul: Option<u64> = None;
        let mut bad: Option<u64> = None;
        loop {
            let n = match f.read(&mut buf[carry..]) {
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(self.err(None, format!("cannot read: {e}"))),
            };
            if n == 0 {
                if carry > 0 && bad.is_none() {
                    bad = Some(base);
                }
                break;
            }
            total += n as u64;
            let len = carry + n;
            if nul.is_none()
                && let Some(i) = buf[carry..len].iter().position(|&b| b == 0)
            {
                nul = Some(base + (carry + i) as u64);
            }
            let mut next = 0;
            if bad.is_none() {
                match std::str::from_utf8(&buf[..len]) {
                    Ok(_) => {}
                    Err(e) if e.error_len().is_none() => next = len - e.valid_up_to(),
                    Err(e) => bad = Some(base + e.valid_up_to() as u64),
                }
            }
            buf.copy_within(len - next..len, 0);
            base += (len - next) as u64;
            carry = next;
        }
        if total > self.limit {
            return Err(self.err(
                Some(self.pos(self.limit)),
                format!(
                    "file too large: it goes on past the limit of {} bytes here",
                    self.limit
                ),
            ));
        }
        if let Some(i) = nul {
            return Err(self.err(Some(self.pos(i)), "binary file (NUL byte), not text".into()));
        }
        if let Some(i) = bad {
            return Err(Diagnostic {
                hint: Some("save the file as UTF-8".into()),
                ..self.err(Some(self.pos(i)), "not UTF-8 text".into())
            });
        }
        Ok(())
    }

    /// Streamed; on an error, the file is read whole and parsed again,
    /// for the error's words and position to be exactly those of a parse
    /// of the text (serde_json's reader counts a byte it has looked at but
    /// not taken: one column further). Only a broken report costs its size
    /// in memory.
    fn parse<T: serde::de::DeserializeOwned>(&self) -> serde_json::Result<T> {
        let streamed = match self.open() {
            Ok(f) => serde_json::from_reader(std::io::BufReader::with_capacity(
                CHUNK,
                f.take(self.limit.saturating_add(1)),
            )),
            // The check opened it a moment ago.
            Err(d) => Err(serde::de::Error::custom(d.message)),
        };
        streamed.or_else(|e| match crate::diag::read_text(self.path, self.limit) {
            Ok(text) => serde_json::from_str(&text),
            Err(_) => Err(e),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Bounded;
    use crate::report::json::v1::{ReportIn, Source, read_from};

    fn write(bytes: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("r.json");
        std::fs::write(&p, bytes).unwrap();
        (d, p)
    }

    #[test]
    fn refusals_are_those_of_read_text_at_the_same_place() {
        let cases: [&[u8]; 5] = [
            b"{\"a\": \"\xff\"}",
            b"{\n  \"a\": \"x\0\"}",
            b"{\n \"\xc3\xa9\xc3\xa9\": 1, \"b\": \"\xe2\x82\"}",
            b"{\"a\": 1}\n\xe2\x82",
            b"{\"a\": \"\xc3\xa9\"}",
        ];
        for bytes in cases {
            let (_d, p) = write(bytes);
            let old = crate::diag::read_text(&p, 1 << 20).err();
            let new = Bounded::new(&p).check().err();
            assert_eq!(old, new, "{}", String::from_utf8_lossy(bytes));
        }
        // A chunk boundary inside a character is not an error.
        let mut big = b"{\"a\": \"".to_vec();
        while big.len() < 3 * super::CHUNK {
            big.extend_from_slice("é€𝄞".as_bytes());
        }
        big.extend_from_slice(b"\xff\"}");
        let (_d, p) = write(&big);
        assert_eq!(
            crate::diag::read_text(&p, 1 << 20).err(),
            Bounded::new(&p).check().err()
        );
    }

    #[test]
    fn the_limit_counts_bytes_and_is_located() {
        let (_d, p) = write(b"{\"schema_version\": 1,\n \"entities\": [], \"findings\": []}\n");
        let old = crate::diag::read_text(&p, 30).err().unwrap();
        let b = Bounded {
            limit: 30,
            ..Bounded::new(&p)
        };
        assert_eq!(b.check().err(), Some(old));
        let r: ReportIn = read_from(&Bounded::new(&p), None).ok().unwrap();
        assert_eq!(r.schema_version, 1);
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
            let whole: Result<ReportIn, _> = read_from(
                &crate::report::json::v1::InMemory { file: &file, text },
                None,
            );
            let (a, b) = (streamed.err().unwrap(), whole.err().unwrap());
            assert!(a.pos.is_some(), "{a}");
            assert_eq!(a, b);
        }
    }

    #[test]
    fn directories_and_fifos_are_refused() {
        let d = tempfile::tempdir().unwrap();
        let e = Bounded::new(d.path()).check().err().unwrap();
        assert_eq!(e.message, "is a directory, not a file");
        let e = Bounded::new(&d.path().join("none")).check().err().unwrap();
        assert_eq!(e.message, "no such file or directory");
        let fifo = d.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        let e = Bounded::new(&fifo).check().err().unwrap();
        assert_eq!(e.message, "not a regular file (a FIFO, device or socket)");
    }
}
