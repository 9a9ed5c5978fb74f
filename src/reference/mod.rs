//! Reference data the pipeline consults: ISO countries, the cloud-region
//! table, the adequacy list and the list of banned recipients. Every stage may use it; it uses no stage.
//!
//! The tables are tab-separated text files in `data/`, embedded in the
//! binary and parsed on first use.

pub mod adequacy;
pub mod banned;
pub mod cloud;
pub mod country;

pub use country::Country;

/// The candidate closest to `word`, if one is close enough to suggest.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// The largest replacement data file (`--adequacy`, `--banned`) read.
const DATA_FILE_LIMIT: u64 = 8 << 20;

/// Why a replacement data file (`--adequacy`, `--banned`) could not be
/// used: each names the file, and the line where one is wrong.
#[derive(Debug, thiserror::Error)]
pub enum DataFileError {
    #[error("{file}: {source}")]
    Read {
        file: String,
        source: crate::diag::ReadError,
    },
    #[error("{file}: larger than 8 MiB")]
    TooLarge { file: String },
    #[error("{file}: not UTF-8 text")]
    NotUtf8 { file: String },
    /// The file as a whole (empty).
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
    /// One line of it.
    #[error("{file}:{line}: {message}")]
    Line {
        file: String,
        line: usize,
        message: String,
    },
}

impl DataFileError {
    pub(crate) fn invalid(file: &str, message: impl Into<String>) -> Self {
        Self::Invalid {
            file: file.to_string(),
            message: message.into(),
        }
    }

    pub(crate) fn line(file: &str, line: usize, message: impl Into<String>) -> Self {
        Self::Line {
            file: file.to_string(),
            line,
            message: message.into(),
        }
    }
}

/// Read a replacement data file: UTF-8 text of at most 8 MiB; errors name
/// the file.
pub(crate) fn read_data_file(path: &std::path::Path) -> Result<String, DataFileError> {
    let file = path.display().to_string();
    let bytes = crate::diag::read_limited(path, DATA_FILE_LIMIT).map_err(|e| match e {
        crate::diag::ReadError::TooLarge { .. } => DataFileError::TooLarge { file: file.clone() },
        source => DataFileError::Read {
            file: file.clone(),
            source,
        },
    })?;
    String::from_utf8(bytes).map_err(|_| DataFileError::NotUtf8 { file })
}

/// The value of a `# key: value` comment line of a data file.
pub(crate) fn meta(text: &str, key: &str) -> Option<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix('#'))
        .find_map(|l| l.trim().strip_prefix(key).map(|v| v.trim().to_string()))
}

/// The lines of a data file that are neither comments nor blank, with
/// their 0-based index: the header first.
pub(crate) fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
}

/// Data rows of an embedded TSV table: comments and the header skipped,
/// each row with its 1-based line number.
pub(crate) fn tsv_rows(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1)
        .map(|(i, l)| (i + 1, l.split('\t').map(str::trim).collect()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn closest_suggests_near_misses_only() {
        let keys = ["hosts", "location", "operated_by"];
        assert_eq!(super::closest("hostz", keys), Some("hosts"));
        assert_eq!(super::closest("locaton", keys), Some("location"));
        assert_eq!(super::closest("zzz", keys), None);
    }
}
