//! Small helpers with no knowledge of the pipeline: dates and atomic writes.

use std::io::Write;
use std::path::Path;

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// `YYYY-MM-DD` of a Unix time.
pub(crate) fn date(epoch: i64) -> String {
    day_text(epoch.div_euclid(86_400))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the inverse of
/// [`civil_from_days`]).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = y - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The day (days since 1970-01-01) of a Unix time.
pub(crate) fn day(epoch: i64) -> i64 {
    epoch.div_euclid(86_400)
}

/// `YYYY-MM-DD` of a day number.
pub(crate) fn day_text(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A `YYYY-MM-DD` calendar date → its day number; `None` for anything else
/// (wrong shape, or a day that does not exist such as 2027-02-30).
pub(crate) fn parse_day(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| {
        b[r.clone()]
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| s[r].parse::<u32>().ok())
            .flatten()
    };
    let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    if !(1..=12).contains(&m) || d == 0 {
        return None;
    }
    let days = days_from_civil(i64::from(y), m, d);
    (civil_from_days(days) == (i64::from(y), m, d)).then_some(days)
}

/// The same calendar date one year later (29 February → 28 February).
pub(crate) fn one_year_after(days: i64) -> i64 {
    let (y, m, d) = civil_from_days(days);
    let d = if m == 2 && d == 29 { 28 } else { d };
    days_from_civil(y + 1, m, d)
}

/// RFC 3339 UTC timestamp (`2026-11-25T12:00:00Z`) of a Unix time.
pub(crate) fn rfc3339(epoch: i64) -> String {
    let secs = epoch.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        date(epoch),
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// `SOURCE_DATE_EPOCH` that is not a Unix time.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("SOURCE_DATE_EPOCH must be a Unix time in seconds, not `{0}`")]
pub(crate) struct BadSourceDateEpoch(String);

/// The time reports are stamped with: `SOURCE_DATE_EPOCH` when set (for
/// reproducible output), else now.
pub(crate) fn report_epoch() -> Result<i64, BadSourceDateEpoch> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => v.trim().parse::<i64>().map_err(|_| BadSourceDateEpoch(v)),
        Err(_) => Ok(now()),
    }
}

/// The current Unix time.
pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// Write `bytes` to `path` atomically: a temporary file in the same
/// directory, flushed, then renamed over the target. A reader never sees a
/// half-written file, and a failed write leaves the old file untouched.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// The directory a file of `path` goes in (`.` for a bare name).
pub(crate) fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// [`write_atomic`] for content produced by a writer function (streamed,
/// never held in memory whole). The temporary file has a random name and
/// is created with `O_EXCL` (`tempfile`): a file or symlink planted at a
/// predictable name is never written through. It is removed on failure.
pub(crate) fn write_atomic_with(
    path: &Path,
    produce: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(parent_dir(path))?;
    let mut f = Pipe::new(tmp);
    let produced = produce(&mut f);
    let tmp = f.finish();
    produced?;
    let tmp = tmp?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A writer whose bytes a second thread writes to the file, a megabyte
/// at a time: the report of a large audit is hundreds of megabytes, and
/// while the system copies one megabyte the next one is being formatted.
/// Memory is bounded (four buffers).
struct Pipe {
    buf: Vec<u8>,
    full: Option<std::sync::mpsc::SyncSender<Vec<u8>>>,
    empty: std::sync::mpsc::Receiver<Vec<u8>>,
    writer: Option<std::thread::JoinHandle<std::io::Result<tempfile::NamedTempFile>>>,
}

const PIPE_CHUNK: usize = 1 << 20;

impl Pipe {
    fn new(mut file: tempfile::NamedTempFile) -> Self {
        let (full, full_rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(2);
        let (empty_tx, empty) = std::sync::mpsc::sync_channel::<Vec<u8>>(2);
        let writer = std::thread::spawn(move || {
            for mut chunk in full_rx {
                file.write_all(&chunk)?;
                chunk.clear();
                // The producer may have finished; a lost buffer is no loss.
                let _ = empty_tx.try_send(chunk);
            }
            Ok(file)
        });
        Self {
            buf: Vec::with_capacity(PIPE_CHUNK),
            full: Some(full),
            empty,
            writer: Some(writer),
        }
    }

    fn send(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let next = self
            .empty
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(PIPE_CHUNK));
        let chunk = std::mem::replace(&mut self.buf, next);
        match self.full.as_ref().map(|tx| tx.send(chunk)) {
            Some(Ok(())) => Ok(()),
            // The writer stopped: its error is reported by `finish`.
            _ => Err(std::io::Error::other("the report writer stopped")),
        }
    }

    /// Everything written, the writer thread joined: the file, or the
    /// first error.
    fn finish(mut self) -> std::io::Result<tempfile::NamedTempFile> {
        let sent = self.send();
        self.full = None;
        let written = match self.writer.take().map(std::thread::JoinHandle::join) {
            Some(Ok(r)) => r,
            _ => Err(std::io::Error::other("the report writer failed")),
        };
        let file = written?;
        sent?;
        Ok(file)
    }
}

impl Write for Pipe {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.write_all(data)?;
        Ok(data.len())
    }

    fn write_all(&mut self, mut data: &[u8]) -> std::io::Result<()> {
        if data.len() < PIPE_CHUNK - self.buf.len() {
            self.buf.extend_from_slice(data);
            return Ok(());
        }
        while !data.is_empty() {
            let room = PIPE_CHUNK.saturating_sub(self.buf.len()).max(1);
            let (now, later) = data.split_at(room.min(data.len()));
            self.buf.extend_from_slice(now);
            data = later;
            if self.buf.len() >= PIPE_CHUNK {
                self.send()?;
            }
        }
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_large_report_arrives_whole_and_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("big.txt");
        let want: Vec<u8> = (0..3_500_000u32).map(|i| (i % 251) as u8).collect();
        super::write_atomic_with(&out, |w| {
            // Odd-sized pieces across the chunk boundaries.
            for piece in want.chunks(7_777) {
                w.write_all(piece)?;
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), want);
        // A producer that fails leaves nothing behind.
        let failed = dir.path().join("failed.txt");
        let r = super::write_atomic_with(&failed, |w| {
            w.write_all(&want)?;
            Err(std::io::Error::other("stop"))
        });
        assert!(r.is_err());
        assert!(!failed.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn atomic_writes_never_follow_a_planted_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "keep").unwrap();
        let out = dir.path().join("report.txt");
        // The names the old code used: `.<name>.<pid>.tmp`.
        for pid in [std::process::id(), 1, 2] {
            let trap = dir.path().join(format!(".report.txt.{pid}.tmp"));
            std::os::unix::fs::symlink(&victim, trap).unwrap();
        }
        super::write_atomic(&out, b"report").unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "report");
        // Nothing left behind but the traps.
        let left = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(left, 2 + 3);
    }

    #[test]
    fn dates() {
        assert_eq!(super::rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::rfc3339(1_781_725_900), "2026-06-17T19:51:40Z");
        assert_eq!(super::date(1_795_564_800), "2026-11-25");
        assert_eq!(super::date(951_782_400), "2000-02-29");
    }

    #[test]
    fn days_round_trip() {
        for days in [-719_162, -1, 0, 59, 10_957, 20_417, 2_932_896] {
            let text = super::day_text(days);
            assert_eq!(super::parse_day(&text), Some(days), "{text}");
        }
        assert_eq!(super::parse_day("2026-11-25"), Some(1_795_564_800 / 86_400));
        for bad in [
            "2027-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-1-01",
            "26-11-25",
            "2026/11/25",
            "2026-11-2x",
            "",
            "+026-11-25",
        ] {
            assert_eq!(super::parse_day(bad), None, "{bad}");
        }
        let leap = super::parse_day("2028-02-29").unwrap();
        assert_eq!(super::day_text(super::one_year_after(leap)), "2029-02-28");
        let d = super::parse_day("2026-11-25").unwrap();
        assert_eq!(super::day_text(super::one_year_after(d)), "2027-11-25");
    }
}
