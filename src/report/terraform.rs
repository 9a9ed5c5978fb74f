//! The storage resources of the Terraform plans and states, with their
//! places, for the table, Markdown and HTML reports (linked or not).

use super::Lang;
use crate::terraform::Terraform;

/// One storage resource, ready to print (text not yet escaped).
pub struct StorageRow {
    pub address: String,
    pub kind: &'static str,
    pub action: &'static str,
    /// "DE aws/eu-central-1, …", or the word for unknown.
    pub places: String,
    /// Outside Russia, or with no place.
    pub abroad: bool,
    /// Why (part of) its place is unknown.
    pub unknown: Vec<String>,
    /// The entities that claim it, or "—".
    pub entities: String,
    /// Where it is in its plan: `file:line:column`.
    pub at: String,
}

pub fn title(lang: Lang) -> &'static str {
    lang.text().terraform_title
}

/// Column headers: resource, kind, action, places, entities.
pub fn headers(lang: Lang) -> [&'static str; 5] {
    lang.text().terraform_headers
}

pub fn unknown_word(lang: Lang) -> &'static str {
    lang.text().unknown
}

/// Every storage resource not being deleted, in plan order.
pub fn storage_rows(tf: &Terraform, lang: Lang) -> Vec<StorageRow> {
    tf.resources
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let s = r.storage?;
            let mut places: Vec<String> = r
                .places
                .iter()
                .map(|p| format!("{} {}/{}", p.country, p.cloud, p.region))
                .collect();
            if places.is_empty() || !r.unknown.is_empty() {
                places.push(unknown_word(lang).to_string());
            }
            Some(StorageRow {
                address: r.address.clone(),
                kind: s.kind,
                action: r.action.as_str(),
                places: places.join(", "),
                abroad: r.places.is_empty() || r.places.iter().any(|p| !p.country.is_ru()),
                unknown: r.unknown.clone(),
                entities: if tf.owners[i].is_empty() {
                    "—".to_string()
                } else {
                    tf.owners[i].join(", ")
                },
                at: r.loc.to_string(),
            })
        })
        .collect()
}
