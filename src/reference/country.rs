//! ISO 3166-1 alpha-2 country codes, with English and Russian names
//! (`data/countries.tsv`).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

/// An ISO 3166-1 alpha-2 code, validated against the table.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Country([u8; 2]);

/// The Russian Federation.
pub const RU: Country = Country(*b"RU");

struct Names {
    en: &'static str,
    ru: &'static str,
}

fn table() -> &'static BTreeMap<[u8; 2], Names> {
    static TABLE: OnceLock<BTreeMap<[u8; 2], Names>> = OnceLock::new();
    TABLE.get_or_init(|| {
        super::tsv_rows(include_str!("../../data/countries.tsv"))
            .filter_map(|(_, cols)| match cols.as_slice() {
                [code, en, ru, ..] if code.len() == 2 => {
                    let b = code.as_bytes();
                    Some(([b[0], b[1]], Names { en, ru }))
                }
                _ => None,
            })
            .collect()
    })
}

impl Country {
    /// Parse an upper-case alpha-2 code that the ISO table knows.
    pub fn parse(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() != 2 || !b.iter().all(u8::is_ascii_uppercase) {
            return None;
        }
        let code = [b[0], b[1]];
        table().contains_key(&code).then_some(Self(code))
    }

    /// Like [`Country::parse`], but also accepts lower case (GeoIP data).
    pub fn parse_loose(s: &str) -> Option<Self> {
        Self::parse(&s.to_ascii_uppercase())
    }

    pub fn as_str(&self) -> &str {
        // The bytes are ASCII upper-case letters by construction.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }

    pub fn name_en(&self) -> &'static str {
        table().get(&self.0).map_or("", |n| n.en)
    }

    pub fn name_ru(&self) -> &'static str {
        table().get(&self.0).map_or("", |n| n.ru)
    }

    pub fn is_ru(&self) -> bool {
        *self == RU
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Country {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A hint for a code that is not valid: the upper-case form, or a common
/// mistake (UK for GB).
pub fn hint(s: &str) -> Option<String> {
    if s == "UK" {
        return Some("the ISO code of the United Kingdom is `GB`".into());
    }
    let upper = s.to_ascii_uppercase();
    if upper != s && Country::parse(&upper).is_some() {
        return Some(format!("country codes are upper case: `{upper}`"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_every_assigned_code() {
        assert!(table().len() >= 249);
        assert_eq!(Country::parse("RU"), Some(RU));
        assert_eq!(Country::parse("NO").unwrap().name_en(), "Norway");
        assert!(Country::parse("ZZ").is_none());
        assert!(Country::parse("ru").is_none());
        assert_eq!(Country::parse_loose("de").unwrap().as_str(), "DE");
        assert_eq!(
            hint("UK").unwrap(),
            "the ISO code of the United Kingdom is `GB`"
        );
    }
}
