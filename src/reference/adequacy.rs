//! The list of countries ensuring adequate protection (152-FZ art. 12):
//! Roskomnadzor Order No. 128 of 05.08.2022, shipped as dated data
//! (`data/adequacy-rkn128.tsv`) and replaceable with `--adequacy FILE`.

use std::collections::BTreeSet;
use std::path::Path;

use super::Country;

/// A dated adequacy list.
#[derive(Debug, Clone)]
pub struct Adequacy {
    /// What the list is, e.g. "RKN Order No. 128 of 05.08.2022".
    pub list: String,
    /// The same in Russian (`# list_ru:`), else `list`.
    pub list_ru: String,
    /// The date of the act, YYYY-MM-DD.
    pub date: String,
    /// The day the list was last confirmed as the operative one
    /// (`# confirmed:`), YYYY-MM-DD; empty when the file does not say.
    pub confirmed: String,
    /// Where it was read from: "built-in" or a file path.
    pub origin: String,
    countries: BTreeSet<Country>,
    /// Territories the list does not name separately (`UNCONFIRMED` rows:
    /// Hong Kong, Taiwan): judged as not listed, and said so.
    unconfirmed: BTreeSet<Country>,
}

const BUILT_IN: &str = include_str!("../../data/adequacy-rkn128.tsv");

impl Adequacy {
    /// The list shipped with the tool.
    pub fn built_in() -> Self {
        // The shipped file is checked by a unit test; it cannot fail here.
        Self::parse(BUILT_IN, "built-in").unwrap_or_else(|_| Self {
            list: String::new(),
            list_ru: String::new(),
            date: String::new(),
            confirmed: String::new(),
            origin: "built-in".into(),
            countries: BTreeSet::new(),
            unconfirmed: BTreeSet::new(),
        })
    }

    /// Read a replacement list. Errors name the file and line.
    pub fn from_file(path: &Path) -> Result<Self, super::DataFileError> {
        let text = super::read_data_file(path)?;
        Self::parse(&text, &path.display().to_string())
    }

    fn parse(text: &str, origin: &str) -> Result<Self, super::DataFileError> {
        let meta = |key: &str| super::meta(text, key);
        let mut lines = super::data_lines(text);
        let (_, header) = lines
            .next()
            .ok_or_else(|| super::DataFileError::invalid(origin, "empty adequacy list"))?;
        let cols: Vec<&str> = header.split('\t').map(str::trim).collect();
        let find = |name: &str| cols.iter().position(|c| *c == name);
        let code_col = find("code").ok_or_else(|| {
            super::DataFileError::line(origin, 1, "the header has no `code` column")
        })?;
        let adequate_col = find("adequate_rkn128")
            .or_else(|| find("adequate"))
            .ok_or_else(|| {
                super::DataFileError::line(origin, 1, "the header has no `adequate_rkn128` column")
            })?;
        let mut countries = BTreeSet::new();
        let mut unconfirmed = BTreeSet::new();
        let mut dates = BTreeSet::new();
        let date_col = find("source_date");
        for (i, line) in lines {
            let row: Vec<&str> = line.split('\t').map(str::trim).collect();
            let line_no = i + 1;
            let code = row.get(code_col).copied().unwrap_or_default();
            let country = Country::parse(code).ok_or_else(|| {
                super::DataFileError::line(
                    origin,
                    line_no,
                    format!("`{code}` is not an ISO 3166-1 alpha-2 code"),
                )
            })?;
            match row.get(adequate_col).copied().unwrap_or_default() {
                "yes" => {
                    countries.insert(country);
                }
                "UNCONFIRMED" => {
                    unconfirmed.insert(country);
                }
                "no" | "n/a" | "" => {}
                other => {
                    return Err(super::DataFileError::line(
                        origin,
                        line_no,
                        format!("adequate must be yes or no, not `{other}`"),
                    ));
                }
            }
            if let Some(d) = date_col.and_then(|c| row.get(c)) {
                dates.insert(d.to_string());
            }
        }
        let list = meta("list:").unwrap_or_else(|| origin.to_string());
        Ok(Self {
            list_ru: meta("list_ru:").unwrap_or_else(|| list.clone()),
            list,
            date: meta("date:")
                .or_else(|| dates.last().cloned())
                .unwrap_or_default(),
            confirmed: meta("confirmed:").unwrap_or_default(),
            origin: origin.to_string(),
            countries,
            unconfirmed,
        })
    }

    /// Whether transfers to `c` are to a country with adequate protection.
    /// Russia itself is not a cross-border destination and counts as adequate.
    pub fn is_adequate(&self, c: Country) -> bool {
        c.is_ru() || self.countries.contains(&c)
    }

    /// Whether the list leaves `c` unnamed although a state it lists may
    /// be taken to cover it (Hong Kong, Taiwan): treated as not listed.
    pub fn not_listed_separately(&self, c: Country) -> bool {
        self.unconfirmed.contains(&c)
    }

    pub fn len(&self) -> usize {
        self.countries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.countries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_list_is_order_128() {
        let a = Adequacy::parse(BUILT_IN, "built-in").unwrap();
        assert_eq!(a.len(), 89);
        assert_eq!(a.date, "2022-08-05");
        assert!(a.list.contains("128"));
        let c = |s| Country::parse(s).unwrap();
        assert!(a.is_adequate(c("KZ")));
        assert!(a.is_adequate(c("DE")));
        assert!(!a.is_adequate(c("US")));
        assert!(!a.is_adequate(c("AE")));
        assert!(a.is_adequate(c("RU")));
        assert_eq!(a.confirmed, "2026-08-27");
        assert_eq!(a.list_ru, "приказ Роскомнадзора от 05.08.2022 № 128");
        assert!(!a.is_adequate(c("HK")) && a.not_listed_separately(c("HK")));
        assert!(!a.is_adequate(c("TW")) && a.not_listed_separately(c("TW")));
        assert!(!a.not_listed_separately(c("US")));
    }

    #[test]
    fn bad_rows_name_their_line() {
        let e = Adequacy::parse("code\tadequate\nXX\tyes\n", "f.tsv")
            .unwrap_err()
            .to_string();
        assert_eq!(e, "f.tsv:2: `XX` is not an ISO 3166-1 alpha-2 code");
        let e = Adequacy::parse("code\tadequate\nDE\tmaybe\n", "f.tsv")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("f.tsv:2:"), "{e}");
    }
}
