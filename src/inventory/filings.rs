//! What the operator has filed with Roskomnadzor (`filings:`) and the
//! optional `organization` keys that the notification drafts need (INN,
//! OGRN, address, the person responsible for organising processing,
//! purposes, legal basis, data and subject categories, recipient
//! assessment dates).
//!
//! Self-contained: the raw (serde) types, their validation into the
//! [`Filings`] model, with a file:line:column diagnostic for every problem.

use std::collections::{BTreeSet, HashMap};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::raw::{CountryCode, Date, EntityId, RawOrganization, Sp};
use super::yaml::Pos;
use super::{Diagnostic, EntityKind, Loc};
use crate::reference::{Country, country};

/// Which notification a filing was.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
pub enum FilingKind {
    /// Notification of the intention to transfer personal data across the
    /// border (152-FZ art. 12 p. 3, 4).
    #[serde(rename = "cross-border")]
    CrossBorder,
    /// Notification of the intention to process personal data (152-FZ
    /// art. 22 p. 1, 3).
    #[serde(rename = "processing")]
    Processing,
    /// Notification of a change in the art. 22 information (152-FZ art. 22
    /// p. 7).
    #[serde(rename = "change")]
    Change,
}

impl FilingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CrossBorder => "cross-border",
            Self::Processing => "processing",
            Self::Change => "change",
        }
    }

    /// The art. 22 kinds: they state where the databases are (point 10.1).
    pub fn is_art22(self) -> bool {
        matches!(self, Self::Processing | Self::Change)
    }
}

/// One notification filed with Roskomnadzor.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFiling {
    /// cross-border (art. 12) | processing (art. 22) | change (art. 22 p. 7)
    pub kind: Sp<FilingKind>,
    /// The day it was filed, YYYY-MM-DD.
    pub date: Sp<Date>,
    /// The number Roskomnadzor gave it (registration or receipt number).
    pub number: Option<Sp<String>>,
    /// cross-border: the foreign states it named.
    #[serde(default)]
    pub countries: Vec<Sp<CountryCode>>,
    /// cross-border: the recipients it named (ids of processors and partners).
    #[serde(default)]
    pub recipients: Vec<Sp<EntityId>>,
    /// processing (required) / change: the countries of the databases
    /// holding Russian citizens' personal data it stated (art. 22 p. 3
    /// point 10.1). A change filing without it changed something else.
    #[serde(default)]
    pub database_countries: Vec<Sp<CountryCode>>,
}

/// The person responsible for organising the processing of personal data
/// (152-FZ art. 22.1).
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawResponsible {
    /// Surname, name and patronymic.
    pub name: Option<String>,
    /// Contact phone numbers.
    #[serde(default)]
    pub phones: Vec<String>,
    /// Postal address.
    pub postal_address: Option<String>,
    /// E-mail address.
    pub email: Option<Sp<String>>,
}

/// The day the operator assessed a recipient's confidentiality and
/// security of processing (152-FZ art. 12 p. 4, 5).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAssessment {
    /// Id of the processor or partner assessed.
    pub recipient: Sp<EntityId>,
    /// The day of the assessment, YYYY-MM-DD.
    pub date: Sp<Date>,
}

/// The optional `organization` keys of the notifications, moved out of the
/// raw organization.
#[derive(Debug, Default)]
pub struct RawDetails {
    pub inn: Option<Sp<String>>,
    pub ogrn: Option<Sp<String>>,
    pub address: Option<String>,
    pub responsible: Option<RawResponsible>,
    pub purposes: Vec<String>,
    pub legal_basis: Option<String>,
    pub data_categories: Vec<String>,
    pub data_subjects: Vec<String>,
    pub assessments: Vec<RawAssessment>,
}

impl RawDetails {
    /// Take the notification keys out of `organization`.
    pub fn take(o: &mut RawOrganization) -> Self {
        Self {
            inn: o.inn.take(),
            ogrn: o.ogrn.take(),
            address: o.address.take(),
            responsible: o.responsible.take(),
            purposes: std::mem::take(&mut o.purposes),
            legal_basis: o.legal_basis.take(),
            data_categories: std::mem::take(&mut o.data_categories),
            data_subjects: std::mem::take(&mut o.data_subjects),
            assessments: std::mem::take(&mut o.recipient_assessments),
        }
    }
}

/// A filed notification, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filing {
    pub kind: FilingKind,
    /// Days since 1970-01-01.
    pub date: i64,
    pub number: Option<String>,
    pub countries: Vec<Country>,
    pub recipients: Vec<String>,
    pub database_countries: Vec<Country>,
    pub loc: Loc,
}

/// `20.02.2023`.
pub fn date_ru(day: i64) -> String {
    let t = crate::util::day_text(day);
    let parts: Vec<&str> = t.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => format!("{d}.{m}.{y}"),
        _ => t,
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Responsible {
    pub name: Option<String>,
    pub phones: Vec<String>,
    pub postal_address: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub recipient: String,
    pub date: i64,
    pub loc: Loc,
}

/// The operator's details for the notifications; every one optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OperatorDetails {
    pub inn: Option<String>,
    pub ogrn: Option<String>,
    pub address: Option<String>,
    pub responsible: Option<Responsible>,
    pub purposes: Vec<String>,
    pub legal_basis: Option<String>,
    pub data_categories: Vec<String>,
    pub data_subjects: Vec<String>,
    pub assessments: Vec<Assessment>,
}

impl OperatorDetails {
    /// The latest assessment date of a recipient.
    pub fn assessed(&self, recipient: &str) -> Option<i64> {
        self.assessments
            .iter()
            .filter(|a| a.recipient == recipient)
            .map(|a| a.date)
            .max()
    }
}

/// What was filed, and the operator's details.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filings {
    /// In file order.
    pub filings: Vec<Filing>,
    pub operator: OperatorDetails,
}

impl Filings {
    pub fn of_kind(&self, pred: impl Fn(FilingKind) -> bool) -> impl Iterator<Item = &Filing> {
        self.filings.iter().filter(move |f| pred(f.kind))
    }

    /// Whether any cross-border filing is recorded.
    pub fn has_cross_border(&self) -> bool {
        self.of_kind(|k| k == FilingKind::CrossBorder)
            .next()
            .is_some()
    }

    /// Whether any art. 22 (processing or change) filing is recorded.
    pub fn has_art22(&self) -> bool {
        self.of_kind(FilingKind::is_art22).next().is_some()
    }

    /// The states every cross-border filing named together.
    pub fn covered_states(&self) -> BTreeSet<Country> {
        self.of_kind(|k| k == FilingKind::CrossBorder)
            .flat_map(|f| f.countries.iter().copied())
            .collect()
    }

    /// The recipients every cross-border filing named together.
    pub fn covered_recipients(&self) -> BTreeSet<&str> {
        self.of_kind(|k| k == FilingKind::CrossBorder)
            .flat_map(|f| f.recipients.iter().map(String::as_str))
            .collect()
    }

    /// The database countries every art. 22 filing stated together.
    pub fn covered_database_countries(&self) -> BTreeSet<Country> {
        self.of_kind(FilingKind::is_art22)
            .flat_map(|f| f.database_countries.iter().copied())
            .collect()
    }

    /// The latest filing of a kind (by date, then file order).
    pub fn latest(&self, kind: FilingKind) -> Option<&Filing> {
        self.of_kind(|k| k == kind)
            .enumerate()
            .max_by_key(|(i, f)| (f.date, *i))
            .map(|(_, f)| f)
    }
}

/// Validate the filings and the operator's details against the entities.
pub(super) fn validate(
    details: Option<(RawDetails, Loc)>,
    raw: Vec<(RawFiling, Loc)>,
    kinds: &HashMap<&str, EntityKind>,
) -> (Filings, Vec<Diagnostic>) {
    let mut v = Check {
        diags: Vec::new(),
        kinds,
    };
    let filings = raw
        .into_iter()
        .filter_map(|(f, loc)| v.filing(f, loc))
        .collect();
    let operator = details
        .map(|(d, loc)| v.details(d, &loc))
        .unwrap_or_default();
    (Filings { filings, operator }, v.diags)
}

struct Check<'a, 'k> {
    diags: Vec<Diagnostic>,
    kinds: &'a HashMap<&'k str, EntityKind>,
}

impl Check<'_, '_> {
    fn at(base: &Loc, pos: Pos) -> Loc {
        Loc {
            file: base.file.clone(),
            line: pos.line,
            column: pos.column,
        }
    }

    fn error(&mut self, loc: &Loc, message: impl Into<String>, hint: Option<String>) {
        self.diags.push(Diagnostic::at(loc, message, hint));
    }

    fn date(&mut self, base: &Loc, d: &Sp<Date>, what: &str) -> Option<i64> {
        let text = d.value.0.trim();
        let day = crate::util::parse_day(text);
        if day.is_none() {
            self.error(
                &Self::at(base, d.pos),
                format!("`{text}` is not a calendar date"),
                Some(format!("write {what} as YYYY-MM-DD, e.g. 2023-02-20")),
            );
        }
        day
    }

    fn countries(&mut self, base: &Loc, list: &[Sp<CountryCode>]) -> Option<Vec<Country>> {
        let mut out = Vec::new();
        let mut ok = true;
        for c in list {
            match Country::parse(&c.value.0) {
                Some(c) => out.push(c),
                None => {
                    self.error(
                        &Self::at(base, c.pos),
                        format!("`{}` is not an ISO 3166-1 alpha-2 country code", c.value.0),
                        country::hint(&c.value.0),
                    );
                    ok = false;
                }
            }
        }
        out.sort();
        out.dedup();
        ok.then_some(out)
    }

    /// An id of a processor or partner.
    fn recipient(&mut self, base: &Loc, id: &Sp<EntityId>, what: &str) -> Option<String> {
        let name = id.value.0.trim();
        match self.kinds.get(name) {
            Some(EntityKind::Processor | EntityKind::Partner) => Some(name.to_string()),
            Some(EntityKind::Database) => {
                self.error(
                    &Self::at(base, id.pos),
                    format!("{what} `{name}` is a database, not a processor or partner"),
                    Some("name the processor or partner that receives the data".into()),
                );
                None
            }
            None => {
                let hint = crate::reference::closest(name, self.kinds.keys().copied())
                    .map(|s| format!("did you mean `{s}`?"));
                self.error(
                    &Self::at(base, id.pos),
                    format!("{what} `{name}` names no processor or partner"),
                    hint,
                );
                None
            }
        }
    }

    fn filing(&mut self, f: RawFiling, loc: Loc) -> Option<Filing> {
        let kind = f.kind.value;
        let date = self.date(&loc, &f.date, "the day it was filed");
        let countries = self.countries(&loc, &f.countries);
        let database_countries = self.countries(&loc, &f.database_countries);
        let mut ok = true;
        let mut recipients = Vec::new();
        for r in &f.recipients {
            match self.recipient(&loc, r, "filed recipient") {
                Some(r) => recipients.push(r),
                None => ok = false,
            }
        }
        recipients.sort();
        recipients.dedup();
        let kind_loc = Self::at(&loc, f.kind.pos);
        if kind == FilingKind::CrossBorder {
            if let Some(first) = f.database_countries.first() {
                self.error(
                    &Self::at(&loc, first.pos),
                    "`database_countries` belongs to a processing or change filing (art. 22 p. 3 point 10.1), not to a cross-border one",
                    Some("record the art. 22 notification as a filing of its own with `kind: processing`".into()),
                );
                ok = false;
            }
            if f.countries.is_empty() {
                self.error(
                    &kind_loc,
                    "a cross-border filing names the foreign states it covered: `countries` is missing",
                    Some("e.g. `countries: [KZ]`, as in the notification filed".into()),
                );
                ok = false;
            }
        } else {
            if kind == FilingKind::Processing && f.database_countries.is_empty() {
                self.error(
                    &kind_loc,
                    "a processing filing states where the databases are (art. 22 p. 3 point 10.1): `database_countries` is missing",
                    Some("e.g. `database_countries: [RU]`, as in the notification filed".into()),
                );
                ok = false;
            }
            for (key, first) in [
                ("countries", f.countries.first().map(|c| c.pos)),
                ("recipients", f.recipients.first().map(|r| r.pos)),
            ] {
                if let Some(pos) = first {
                    self.error(
                        &Self::at(&loc, pos),
                        format!(
                            "`{key}` belongs to a cross-border filing; a {} filing states `database_countries`",
                            kind.as_str()
                        ),
                        Some("record the art. 12 notification as a filing of its own with `kind: cross-border`".into()),
                    );
                    ok = false;
                }
            }
        }
        let number = match f.number {
            Some(n) if n.value.trim().is_empty() => {
                self.error(
                    &Self::at(&loc, n.pos),
                    "`number` is empty: write the number Roskomnadzor gave the notification, or leave the key out",
                    None,
                );
                ok = false;
                None
            }
            Some(n) => Some(n.value.trim().to_string()),
            None => None,
        };
        if !ok {
            return None;
        }
        Some(Filing {
            kind,
            date: date?,
            number,
            countries: countries?,
            recipients,
            database_countries: database_countries?,
            loc,
        })
    }

    fn digits(
        &mut self,
        base: &Loc,
        s: &Option<Sp<String>>,
        key: &str,
        lens: [usize; 2],
    ) -> Option<String> {
        let s = s.as_ref()?;
        let text = s.value.trim();
        if text.bytes().all(|b| b.is_ascii_digit()) && lens.contains(&text.len()) {
            Some(text.to_string())
        } else {
            self.error(
                &Self::at(base, s.pos),
                format!("`{key}: {text}` is not {} or {} digits", lens[0], lens[1]),
                Some(format!(
                    "write the {} as digits only, in quotes",
                    key.to_uppercase()
                )),
            );
            None
        }
    }

    fn details(&mut self, d: RawDetails, loc: &Loc) -> OperatorDetails {
        let inn = self.digits(loc, &d.inn, "inn", [10, 12]);
        let ogrn = self.digits(loc, &d.ogrn, "ogrn", [13, 15]);
        let responsible = d.responsible.map(|r| {
            let email = r.email.and_then(|e| {
                let text = e.value.trim();
                let ok = text.split_once('@').is_some_and(|(user, domain)| {
                    !user.is_empty() && domain.contains('.') && !text.contains(char::is_whitespace)
                });
                if !ok {
                    self.error(
                        &Self::at(loc, e.pos),
                        format!("`{text}` is not an e-mail address"),
                        None,
                    );
                }
                ok.then(|| text.to_string())
            });
            Responsible {
                name: nonempty(r.name),
                phones: clean(r.phones),
                postal_address: nonempty(r.postal_address),
                email,
            }
        });
        let mut assessments = Vec::new();
        for a in &d.assessments {
            let recipient = self.recipient(loc, &a.recipient, "assessed recipient");
            let date = self.date(loc, &a.date, "the day of the assessment");
            if let (Some(recipient), Some(date)) = (recipient, date) {
                assessments.push(Assessment {
                    recipient,
                    date,
                    loc: Self::at(loc, a.recipient.pos),
                });
            }
        }
        OperatorDetails {
            inn,
            ogrn,
            address: nonempty(d.address),
            responsible,
            purposes: clean(d.purposes),
            legal_basis: nonempty(d.legal_basis),
            data_categories: clean(d.data_categories),
            data_subjects: clean(d.data_subjects),
            assessments,
        }
    }
}

fn nonempty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

fn clean(list: Vec<String>) -> Vec<String> {
    list.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::FilingKind;

    const DOC: &str = "version: 1
organization:
  name: ООО «Тест»
  country: RU
  inn: \"7804123456\"
  responsible: {name: Иванова, phones: [\"+7 812\"], email: dpo@example.ru}
  recipient_assessments:
    - {recipient: sdk, date: 2023-02-10}
processors:
  - {id: sdk, country: US}
filings:
  - {kind: processing, date: 2022-11-15, number: \"78-22-1\", database_countries: [RU]}
  - {kind: cross-border, date: 2023-02-20, countries: [US], recipients: [sdk]}
";

    fn load(text: &str) -> Result<super::super::Inventory, Vec<super::super::Diagnostic>> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("i.yaml");
        std::fs::write(&p, text).unwrap();
        super::super::load(&p)
    }

    #[test]
    fn the_document_loads() {
        let inv = load(DOC).unwrap();
        let f = &inv.filings;
        assert_eq!(f.filings.len(), 2);
        assert_eq!(
            f.latest(FilingKind::Processing).unwrap().number.as_deref(),
            Some("78-22-1")
        );
        assert_eq!(
            f.covered_recipients().into_iter().collect::<Vec<_>>(),
            ["sdk"]
        );
        assert_eq!(f.operator.inn.as_deref(), Some("7804123456"));
        assert_eq!(
            f.operator.assessed("sdk"),
            Some(crate::util::parse_day("2023-02-10").unwrap())
        );
        assert_eq!(super::date_ru(f.filings[1].date), "20.02.2023");
    }

    /// Hostile edits of a valid document (every prefix at a char boundary,
    /// and values swapped for wrong types) never panic, and every problem
    /// is located.
    #[test]
    fn truncated_and_mistyped_documents_fail_cleanly() {
        let mut cases: Vec<String> = DOC
            .char_indices()
            .map(|(i, _)| DOC[..i].to_string())
            .step_by(7)
            .collect();
        for (from, to) in [
            ("2022-11-15", "[1, 2]"),
            ("2022-11-15", "2022-13-45"),
            ("[RU]", "{a: b}"),
            ("kind: processing", "kind: other"),
            (", database_countries: [RU]}", "}"),
            ("recipients: [sdk]", "recipients: sdk"),
            ("\"78-22-1\"", "\"\""),
            ("dpo@example.ru", "not-an-address"),
            ("\"7804123456\"", "780412345600000"),
            ("{recipient: sdk,", "{recipient: nobody,"),
        ] {
            let bad = DOC.replacen(from, to, 1);
            assert_ne!(bad, DOC);
            assert!(load(&bad).is_err(), "accepted: {to}");
            cases.push(bad);
        }
        for text in cases {
            if let Err(diags) = load(&text) {
                assert!(!diags.is_empty());
                for d in diags {
                    assert!(d.file.is_some(), "{d}");
                }
            }
        }
    }
}
