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
