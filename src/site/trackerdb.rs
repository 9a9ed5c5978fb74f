//! `--tracker-db FILE`: a user's own copy of a public tracker database,
//! read at run time to name the owner of hosts the built-in catalogue
//! lacks. The databases are CC BY-NC-SA, so none is shipped; two formats
//! are read:
//!
//! - Disconnect's `services.json` (disconnectme/disconnect-tracking-protection):
//!   `{"categories": {"Advertising": [{"Company": {"https://company.example/": ["domain", …]}}, …]}}`;
//! - a Ghostery TrackerDB export (`trackerdb.json`, ghostery/trackerdb):
//!   `{"organizations": {"key": {"name": …, "country": …}}, "patterns": {"key": {"name": …,
//!   "organization": "key", "category": …, "domains": ["domain", …]}}}`.
//!
//! A name from such a file is marked as coming from it: it is the
//! database's statement, not the catalogue's.

use std::collections::HashMap;
use std::path::Path;

use serde_json::Value;

use crate::reference::Country;

/// Bytes read of a database at most (Disconnect's file is ~1 MB,
/// TrackerDB's export ~5 MB).
const MAX_BYTES: u64 = 64 << 20;

/// Who a database says owns a host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    /// The organisation (Ghostery) or company (Disconnect).
    pub name: String,
    /// The tracker or product, when the database names one.
    pub product: Option<String>,
    pub category: Option<String>,
    /// The organisation's country, when the database gives one.
    pub country: Option<Country>,
}

/// A loaded database.
#[derive(Debug, Default)]
pub struct TrackerDb {
    /// The file as given (shown in evidence).
    pub file: String,
    /// `disconnect` or `trackerdb`.
    pub format: &'static str,
    owners: Vec<Owner>,
    /// Domain → index in `owners` (the first entry naming it wins).
    domains: HashMap<String, usize>,
}

impl TrackerDb {
    /// The owner of `host` or of its closest parent domain in the database.
    pub fn lookup(&self, host: &str) -> Option<&Owner> {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let suffixes = std::iter::once(host.as_str()).chain(
            host.char_indices()
                .filter(|(_, c)| *c == '.')
                .map(|(i, _)| &host[i + 1..]),
        );
        for s in suffixes {
            if let Some(&i) = self.domains.get(s) {
                return Some(&self.owners[i]);
            }
        }
        None
    }

    /// Domains the database names.
    pub fn len(&self) -> usize {
        self.domains.len()
    }

    pub fn is_empty(&self) -> bool {
        self.domains.is_empty()
    }

    fn add(&mut self, owner: Owner, domains: impl IntoIterator<Item = String>) {
        let i = self.owners.len();
        let mut used = false;
        for d in domains {
            let d = d
                .trim()
                .trim_start_matches("*.")
                .trim_end_matches('.')
                .to_ascii_lowercase();
            if d.is_empty() || !d.contains('.') {
                continue;
            }
            if let std::collections::hash_map::Entry::Vacant(e) = self.domains.entry(d) {
                e.insert(i);
                used = true;
            }
        }
        if used {
            self.owners.push(owner);
        }
    }
}

/// Why a `--tracker-db` file could not be used; each names the file.
#[derive(Debug, thiserror::Error)]
pub enum TrackerDbError {
    #[error("--tracker-db {file}: {source}")]
    Read {
        file: String,
        source: crate::diag::ReadError,
    },
    #[error("--tracker-db {file}: larger than {} MiB", MAX_BYTES >> 20)]
    TooLarge { file: String },
    #[error("--tracker-db {file}:{}:{}: not JSON: {source}", .source.line(), .source.column())]
    NotJson {
        file: String,
        source: serde_json::Error,
    },
    #[error(
        "--tracker-db {file}: neither a Disconnect services.json (\"categories\") nor a Ghostery TrackerDB export (\"patterns\")"
    )]
    UnknownFormat { file: String },
    #[error("--tracker-db {file}: names no domain")]
    NoDomain { file: String },
}

/// Read a database file; an error names the file and what is wrong.
pub fn load(path: &Path) -> Result<TrackerDb, TrackerDbError> {
    let file = path.display().to_string();
    let bytes = crate::diag::read_limited(path, MAX_BYTES).map_err(|e| match e {
        crate::diag::ReadError::TooLarge { .. } => TrackerDbError::TooLarge { file: file.clone() },
        source => TrackerDbError::Read {
            file: file.clone(),
            source,
        },
    })?;
    let value: Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(source) => return Err(TrackerDbError::NotJson { file, source }),
    };
    parse(&value, file)
}

/// Read a database from its JSON.
pub fn parse(value: &Value, file: String) -> Result<TrackerDb, TrackerDbError> {
    let mut db = TrackerDb {
        file,
        ..TrackerDb::default()
    };
    if let Some(patterns) = value.get("patterns").and_then(Value::as_object) {
        db.format = "trackerdb";
        let orgs = value.get("organizations").and_then(Value::as_object);
        let mut keys: Vec<&String> = patterns.keys().collect();
        keys.sort();
        for key in keys {
            let p = &patterns[key.as_str()];
            let product = p.get("name").and_then(Value::as_str).map(str::to_string);
            let org = p
                .get("organization")
                .and_then(Value::as_str)
                .and_then(|o| orgs.and_then(|m| m.get(o)));
            let name = org
                .and_then(|o| o.get("name"))
                .and_then(Value::as_str)
                .map(str::to_string)
                .or_else(|| product.clone())
                .unwrap_or_else(|| key.clone());
            let country = org
                .and_then(|o| o.get("country"))
                .and_then(Value::as_str)
                .and_then(Country::parse);
            let domains = p
                .get("domains")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string);
            db.add(
                Owner {
                    name,
                    product,
                    category: p
                        .get("category")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                    country,
                },
                domains,
            );
        }
    } else if let Some(categories) = value.get("categories").and_then(Value::as_object) {
        db.format = "disconnect";
        for (category, entries) in categories {
            for entry in entries.as_array().into_iter().flatten() {
                let Some(entry) = entry.as_object() else {
                    continue;
                };
                for (company, sites) in entry {
                    let Some(sites) = sites.as_object() else {
                        continue;
                    };
                    for domains in sites.values() {
                        let Some(domains) = domains.as_array() else {
                            continue; // "performance": "true" and other flags
                        };
                        db.add(
                            Owner {
                                name: company.clone(),
                                product: None,
                                category: Some(category.clone()),
                                country: None,
                            },
                            domains.iter().filter_map(Value::as_str).map(str::to_string),
                        );
                    }
                }
            }
        }
    } else {
        return Err(TrackerDbError::UnknownFormat { file: db.file });
    }
    if db.is_empty() {
        return Err(TrackerDbError::NoDomain { file: db.file });
    }
    Ok(db)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disconnect_services_json() {
        let v: Value = serde_json::from_str(
            r#"{"license": "test fixture", "categories": {
                "Advertising": [{"AdCo": {"https://adco.example/": ["adco.example", "adco-cdn.example"], "performance": "true"}}],
                "Analytics": [{"StatCo": {"https://statco.example/": ["statco.example"]}}, "junk"]
            }}"#,
        )
        .unwrap();
        let db = parse(&v, "services.json".into()).unwrap();
        assert_eq!(db.format, "disconnect");
        let o = db.lookup("px.adco-cdn.example").unwrap();
        assert_eq!(
            (o.name.as_str(), o.category.as_deref()),
            ("AdCo", Some("Advertising"))
        );
        assert_eq!(db.lookup("STATCO.example.").unwrap().name, "StatCo");
        assert!(db.lookup("notstatco.example").is_none());
    }

    #[test]
    fn ghostery_trackerdb_export() {
        let v: Value = serde_json::from_str(
            r#"{"organizations": {"pixco": {"name": "PixCo Ltd", "country": "GB"}},
                "patterns": {"pix": {"name": "Pix Pixel", "organization": "pixco", "category": "advertising",
                                     "domains": ["pix.example", "pixcdn.example"]},
                             "orphan": {"name": "Orphan", "domains": ["orphan.example"]}}}"#,
        )
        .unwrap();
        let db = parse(&v, "trackerdb.json".into()).unwrap();
        assert_eq!(db.format, "trackerdb");
        let o = db.lookup("t.pixcdn.example").unwrap();
        assert_eq!(o.name, "PixCo Ltd");
        assert_eq!(o.product.as_deref(), Some("Pix Pixel"));
        assert_eq!(o.country.map(|c| c.to_string()).as_deref(), Some("GB"));
        assert_eq!(db.lookup("orphan.example").unwrap().name, "Orphan");
    }

    #[test]
    fn other_json_is_an_error() {
        let v: Value = serde_json::from_str(r#"{"trackers": []}"#).unwrap();
        let e = parse(&v, "x.json".into()).unwrap_err();
        assert!(matches!(e, TrackerDbError::UnknownFormat { .. }), "{e}");
        assert!(
            e.to_string().starts_with("--tracker-db x.json: neither"),
            "{e}"
        );
        let v: Value = serde_json::from_str(r#"{"categories": {}}"#).unwrap();
        assert_eq!(
            parse(&v, "x.json".into()).unwrap_err().to_string(),
            "--tracker-db x.json: names no domain"
        );
    }
}
