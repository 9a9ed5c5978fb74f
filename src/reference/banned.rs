//! Organisations whose activity is banned in Russia by a court decision,
//! as recipients of personal data (Government Decree No. 24 of
//! 16.01.2023: a ground for Roskomnadzor to ban the transfer). Shipped as
//! dated data (`data/banned-recipients.tsv`) and replaceable with
//! `--banned FILE`, like the adequacy list.

use std::path::Path;

use super::Country;

/// One banned organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BannedOrg {
    pub id: String,
    /// The legal name the decision names, e.g. "Meta Platforms, Inc.".
    pub legal_name: String,
    pub country: Country,
    /// Site-catalogue service ids it runs.
    pub services: Vec<String>,
    /// Registrable domains of its hosts.
    pub domains: Vec<String>,
    /// The court decision, in English and Russian.
    pub decision: String,
    pub decision_ru: String,
    /// What the ban means for a transfer, in English and Russian.
    pub ground: String,
    pub ground_ru: String,
    /// The note Russian texts add after the name.
    pub note_ru: String,
    pub sources: Vec<String>,
    pub source_date: String,
    /// The legal name and aliases, normalised for matching.
    names: Vec<String>,
}

impl BannedOrg {
    /// The name with the customary Russian note:
    /// «Meta Platforms, Inc. (признана экстремистской организацией, …)».
    pub fn name_ru(&self) -> String {
        if self.note_ru.is_empty() {
            self.legal_name.clone()
        } else {
            format!("{} ({})", self.legal_name, self.note_ru)
        }
    }
}

/// Why an entity is taken for a banned organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matched {
    /// The site catalogue's service with this id.
    Service(String),
    /// A host under one of the organisation's domains: (host, domain).
    Host(String, String),
    /// The entity's legal name.
    Name(String),
}

impl Matched {
    pub fn describe(&self) -> String {
        match self {
            Self::Service(s) => format!("catalogue service `{s}`"),
            Self::Host(h, d) => format!("host {h} (domain {d})"),
            Self::Name(n) => format!("legal entity «{n}»"),
        }
    }

    pub fn describe_ru(&self) -> String {
        match self {
            Self::Service(s) => format!("сервис каталога `{s}`"),
            Self::Host(h, d) => format!("хост {h} (домен {d})"),
            Self::Name(n) => format!("юридическое лицо «{n}»"),
        }
    }
}

/// A dated list of banned organisations.
#[derive(Debug, Clone)]
pub struct Banned {
    /// What the list is.
    pub list: String,
    /// The date of the newest decision it rests on, YYYY-MM-DD.
    pub date: String,
    /// The day it was last confirmed, YYYY-MM-DD (may be empty).
    pub confirmed: String,
    /// "built-in" or the file path.
    pub origin: String,
    pub orgs: Vec<BannedOrg>,
}

const BUILT_IN: &str = include_str!("../../data/banned-recipients.tsv");

const COLUMNS: [&str; 13] = [
    "id",
    "legal_name",
    "aliases",
    "country",
    "services",
    "domains",
    "decision",
    "decision_ru",
    "ground",
    "ground_ru",
    "note_ru",
    "sources",
    "source_date",
];

/// Lower case, letters and digits only, single spaces: "Meta Platforms,
/// Inc." = "META PLATFORMS INC".
fn normalise_name(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                ' '
            }
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn list_of(cell: &str, sep: &str) -> Vec<String> {
    if cell == "-" || cell.is_empty() {
        return Vec::new();
    }
    cell.split(sep)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

impl Banned {
    /// The list shipped with the tool.
    pub fn built_in() -> Self {
        // The shipped file is checked by a unit test; it cannot fail here.
        Self::parse(BUILT_IN, "built-in").unwrap_or_else(|_| Self {
            list: String::new(),
            date: String::new(),
            confirmed: String::new(),
            origin: "built-in".into(),
            orgs: Vec::new(),
        })
    }

    /// The built-in list, parsed once.
    pub fn shared() -> &'static Self {
        static LIST: std::sync::OnceLock<Banned> = std::sync::OnceLock::new();
        LIST.get_or_init(Self::built_in)
    }

    /// Read a replacement list. Errors name the file and line.
    pub fn from_file(path: &Path) -> Result<Self, super::DataFileError> {
        let text = super::read_data_file(path)?;
        Self::parse(&text, &path.display().to_string())
    }

    fn parse(text: &str, origin: &str) -> Result<Self, super::DataFileError> {
        let meta = |key: &str| super::meta(text, key);
        let mut lines = super::data_lines(text);
        let (header_i, header) = lines.next().ok_or_else(|| {
            super::DataFileError::invalid(origin, "empty list of banned organisations")
        })?;
        let cols: Vec<&str> = header.split('\t').map(str::trim).collect();
        let mut at = [0usize; COLUMNS.len()];
        for (slot, name) in at.iter_mut().zip(COLUMNS) {
            *slot = cols.iter().position(|c| *c == name).ok_or_else(|| {
                super::DataFileError::line(
                    origin,
                    header_i + 1,
                    format!("the header has no `{name}` column"),
                )
            })?;
        }
        let mut orgs: Vec<BannedOrg> = Vec::new();
        for (i, line) in lines {
            let line_no = i + 1;
            let row: Vec<&str> = line.split('\t').map(str::trim).collect();
            let cell = |k: usize| row.get(at[k]).copied().unwrap_or_default();
            let bad = |what: String| super::DataFileError::line(origin, line_no, what);
            let id = cell(0);
            if id.is_empty() {
                return Err(bad("empty `id`".into()));
            }
            if orgs.iter().any(|o| o.id == id) {
                return Err(bad(format!("duplicate id `{id}`")));
            }
            let legal_name = cell(1);
            if legal_name.is_empty() {
                return Err(bad("empty `legal_name`".into()));
            }
            let code = cell(3);
            let country = Country::parse(code)
                .ok_or_else(|| bad(format!("`{code}` is not an ISO 3166-1 alpha-2 code")))?;
            let domains: Vec<String> = list_of(cell(5), " ")
                .into_iter()
                .map(|d| d.to_ascii_lowercase())
                .collect();
            if let Some(d) = domains
                .iter()
                .find(|d| !d.contains('.') || d.starts_with('.') || d.ends_with('.'))
            {
                return Err(bad(format!("`{d}` is not a domain name")));
            }
            let sources = list_of(cell(11), " ");
            if sources.is_empty() {
                return Err(bad("no source: every row names where it comes from".into()));
            }
            if let Some(s) = sources.iter().find(|s| !s.starts_with("https://")) {
                return Err(bad(format!("source `{s}` is not an https:// address")));
            }
            let source_date = cell(12);
            if !is_date(source_date) {
                return Err(bad(format!(
                    "source_date must be YYYY-MM-DD, not `{source_date}`"
                )));
            }
            for k in [6, 7, 8, 9] {
                if cell(k).is_empty() {
                    return Err(bad(format!("empty `{}`", COLUMNS[k])));
                }
            }
            let mut names = vec![normalise_name(legal_name)];
            names.extend(list_of(cell(2), "|").iter().map(|a| normalise_name(a)));
            names.retain(|n| !n.is_empty());
            orgs.push(BannedOrg {
                id: id.to_string(),
                legal_name: legal_name.to_string(),
                country,
                services: list_of(cell(4), " "),
                domains,
                decision: cell(6).to_string(),
                decision_ru: cell(7).to_string(),
                ground: cell(8).to_string(),
                ground_ru: cell(9).to_string(),
                note_ru: cell(10).to_string(),
                sources,
                source_date: source_date.to_string(),
                names,
            });
        }
        let newest = orgs.iter().map(|o| o.source_date.clone()).max();
        Ok(Self {
            list: meta("list:").unwrap_or_else(|| origin.to_string()),
            date: meta("date:").or(newest).unwrap_or_default(),
            confirmed: meta("confirmed:").unwrap_or_default(),
            origin: origin.to_string(),
            orgs,
        })
    }

    /// The organisation that runs the catalogue service `id`.
    pub fn by_service(&self, id: &str) -> Option<&BannedOrg> {
        self.orgs
            .iter()
            .find(|o| o.services.iter().any(|s| s == id))
    }

    /// The organisation whose domain `host` is or lies under, with that
    /// domain.
    pub fn by_host(&self, host: &str) -> Option<(&BannedOrg, &str)> {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.orgs.iter().find_map(|o| {
            o.domains
                .iter()
                .find(|d| {
                    host == **d
                        || host
                            .strip_suffix(d.as_str())
                            .is_some_and(|rest| rest.ends_with('.'))
                })
                .map(|d| (o, d.as_str()))
        })
    }

    /// The organisation with this legal name (or a former one).
    pub fn by_name(&self, name: &str) -> Option<&BannedOrg> {
        let n = normalise_name(name);
        if n.is_empty() {
            return None;
        }
        self.orgs.iter().find(|o| o.names.contains(&n))
    }

    pub fn len(&self) -> usize {
        self.orgs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.orgs.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_list_names_meta_with_its_decision_and_sources() {
        let b = Banned::parse(BUILT_IN, "built-in").unwrap();
        assert_eq!(b.len(), 1);
        assert_eq!(b.date, "2022-06-20");
        assert_eq!(b.confirmed, "2026-12-01");
        let meta = &b.orgs[0];
        assert_eq!(meta.legal_name, "Meta Platforms, Inc.");
        assert_eq!(meta.country.as_str(), "US");
        assert!(meta.decision.contains("21.03.2022") && meta.decision.contains("20.06.2022"));
        assert!(meta.ground.contains("Decree No. 24 of 16.01.2023"));
        assert!(meta.ground_ru.contains("№ 24"));
        assert!(
            meta.name_ru()
                .starts_with("Meta Platforms, Inc. (признана экстремистской")
        );
        assert!(meta.sources.len() >= 2);
    }

    #[test]
    fn matches_by_service_host_and_legal_name_only() {
        let b = Banned::built_in();
        assert_eq!(
            b.by_service("meta-pixel").map(|o| o.id.as_str()),
            Some("meta")
        );
        assert!(b.by_service("google-analytics").is_none());

        let (o, d) = b.by_host("connect.facebook.net").unwrap();
        assert_eq!((o.id.as_str(), d), ("meta", "facebook.net"));
        assert_eq!(
            b.by_host("FACEBOOK.COM.").map(|(_, d)| d),
            Some("facebook.com")
        );
        assert_eq!(
            b.by_host("scontent.cdninstagram.com").map(|(_, d)| d),
            Some("cdninstagram.com")
        );
        // Not a subdomain: a look-alike and a name that only ends alike.
        assert!(b.by_host("notfacebook.com").is_none());
        assert!(b.by_host("facebook.com.evil.example").is_none());
        // WhatsApp is outside the decision.
        assert!(b.by_host("web.whatsapp.com").is_none());

        assert!(b.by_name("Meta Platforms, Inc.").is_some());
        assert!(b.by_name("META PLATFORMS INC").is_some());
        assert!(b.by_name("Facebook, Inc.").is_some());
        assert!(b.by_name("Meta Platforms Ireland Limited").is_none());
        assert!(b.by_name("Metaplatforms LLC").is_none());
        assert!(b.by_name(" , ").is_none());
    }

    #[test]
    fn bad_rows_name_their_line() {
        let header = COLUMNS.join("\t");
        let row = |cells: [&str; 13]| format!("{header}\n{}\n", cells.join("\t"));
        let good = [
            "x",
            "X Corp.",
            "-",
            "US",
            "-",
            "x.example",
            "d",
            "д",
            "g",
            "о",
            "",
            "https://example.org/a",
            "2024-01-02",
        ];
        assert!(Banned::parse(&row(good), "f.tsv").is_ok());
        let mut bad = good;
        bad[3] = "XX";
        let e = Banned::parse(&row(bad), "f.tsv").unwrap_err().to_string();
        assert_eq!(e, "f.tsv:2: `XX` is not an ISO 3166-1 alpha-2 code");
        let mut bad = good;
        bad[11] = "-";
        let e = Banned::parse(&row(bad), "f.tsv").unwrap_err().to_string();
        assert!(e.starts_with("f.tsv:2: no source"), "{e}");
        let mut bad = good;
        bad[12] = "02.01.2024";
        assert!(
            Banned::parse(&row(bad), "f.tsv")
                .unwrap_err()
                .to_string()
                .starts_with("f.tsv:2:")
        );
        let mut bad = good;
        bad[5] = "localhost";
        assert!(
            Banned::parse(&row(bad), "f.tsv")
                .unwrap_err()
                .to_string()
                .contains("not a domain")
        );
        let e = Banned::parse("id\tlegal_name\n", "f.tsv")
            .unwrap_err()
            .to_string();
        assert_eq!(e, "f.tsv:1: the header has no `aliases` column");
        assert!(Banned::parse("", "f.tsv").is_err());
    }
}
