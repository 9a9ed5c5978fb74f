//! `residency notify`: drafts of the Roskomnadzor notifications the audit
//! shows are missing or out of date.
//!
//! Pure: [`build`] turns the audit's observations (cross-border flows,
//! database places) and the inventory into a [`Draft`] (the JSON output);
//! [`markdown`] and [`html`] lay the draft out in the form's order with the
//! form's Russian field names. Nothing is invented: a field the inventory
//! does not hold is listed under "to fill before filing" and shown as such
//! in its place.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

use super::Lang;
use super::junit::xml as h;
use super::markdown::{code, text as md};
use super::words::notify as w;
use crate::evaluate::rules::filing_outdated::{DatabasePlace, Flow};
use crate::inventory::filings::{Filing, FilingKind};
use crate::inventory::{Entity, EntityKind, Inventory, Loc};
use crate::reference::Country;
use crate::reference::adequacy::Adequacy;

/// What the draft is built from.
pub(crate) struct Input<'a> {
    /// Which notification to draft.
    pub kind: FilingKind,
    pub lang: Lang,
    pub inventory: &'a Inventory,
    pub flows: &'a [Flow],
    pub databases: &'a [DatabasePlace],
    pub adequacy: &'a Adequacy,
    /// The path the user gave.
    pub target: String,
    /// RFC 3339.
    pub generated_at: String,
}

/// A field to fill before filing: what it is and the inventory key that
/// would hold it (none for a confirmation only a person can give).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct ToFill {
    pub field: String,
    pub key: Option<String>,
}

/// An observation behind a line of the draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Evidence {
    pub entity: String,
    pub line: String,
    /// `file:line:column` of the entity's entry.
    pub at: String,
}

/// A notification on record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct FiledRef {
    pub kind: FilingKind,
    pub date: String,
    pub number: Option<String>,
    pub at: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Operator {
    pub name: Option<String>,
    pub inn: Option<String>,
    pub ogrn: Option<String>,
    pub address: Option<String>,
    pub responsible_name: Option<String>,
    pub phones: Vec<String>,
    pub postal_address: Option<String>,
    pub email: Option<String>,
}

/// One recipient in one foreign state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Recipient {
    /// Processor or partner id; `None`: the inventory does not say who
    /// operates the database abroad.
    pub id: Option<String>,
    pub name: Option<String>,
    /// The recipient's jurisdiction.
    pub legal_country: Option<Country>,
    /// The entities through which the data reaches the state.
    pub via: Vec<String>,
    /// The personal data transferred (the inventory's category tokens).
    pub data: Vec<String>,
    pub purposes: Vec<String>,
    /// The day the operator assessed the recipient (art. 12 p. 4, 5), YYYY-MM-DD.
    pub assessed: Option<String>,
    /// Whether the recorded cross-border filings already name both the
    /// state and this recipient.
    pub filed: bool,
    /// The state is the recipient's legal country, presumed because nothing
    /// places its data anywhere (a presumption, not an observation).
    pub presumed: bool,
    pub evidence: Vec<Evidence>,
}

/// One foreign state the data reaches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct State {
    pub country: Country,
    pub name: String,
    /// On the adequacy list (art. 12 p. 2).
    pub adequate: bool,
    pub recipients: Vec<Recipient>,
}

/// A database holding Russian citizens' personal data (art. 22 p. 3 point 10.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Database {
    pub id: String,
    pub name: Option<String>,
    pub countries: Vec<Country>,
    /// Where it could not (fully) be placed.
    pub unknown: bool,
    pub evidence: Vec<Evidence>,
}

/// A processor or partner that receives personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Party {
    pub id: String,
    pub kind: &'static str,
    pub name: Option<String>,
    pub legal_country: Option<Country>,
}

/// Art. 22 p. 7: what changed against the filings on record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Change {
    /// Database countries the art. 22 filings stated.
    pub filed_database_countries: Vec<Country>,
    /// Database countries observed now.
    pub database_countries: Vec<Country>,
    pub new_database_countries: Vec<Country>,
    pub gone_database_countries: Vec<Country>,
    /// Databases in a country the filings do not state, with those countries.
    pub moved: Vec<(String, Vec<Country>)>,
    pub filed_states: Vec<Country>,
    pub new_states: Vec<Country>,
    pub gone_states: Vec<Country>,
    pub new_recipients: Vec<String>,
    pub gone_recipients: Vec<String>,
}

/// A notification draft: the JSON output, and what the Markdown and HTML
/// lay out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Draft {
    /// The format of this JSON: 1.
    pub schema_version: u32,
    /// Always true: this is not a filed notification.
    pub draft: bool,
    pub kind: FilingKind,
    pub generated_at: String,
    pub target: String,
    /// Fields the inventory does not hold: fill them before filing.
    pub to_fill: Vec<ToFill>,
    pub operator: Operator,
    /// The art. 22 notification on record (the latest processing filing).
    pub processing_notification: Option<FiledRef>,
    /// Every filing on record.
    pub filed: Vec<FiledRef>,
    pub purposes: Vec<String>,
    pub legal_basis: Option<String>,
    pub data_categories: Vec<String>,
    /// The personal data transferred (cross-border) or held (processing).
    pub data_list: Vec<String>,
    pub data_subjects: Vec<String>,
    /// Whether the audit observed any cross-border transfer.
    pub cross_border: bool,
    pub states: Vec<State>,
    pub databases: Vec<Database>,
    pub third_parties: Vec<Party>,
    pub change: Option<Change>,
}

fn at(loc: &Loc) -> String {
    loc.to_string()
}

fn filed_ref(f: &Filing) -> FiledRef {
    FiledRef {
        kind: f.kind,
        date: crate::util::day_text(f.date),
        number: f.number.clone(),
        at: at(&f.loc),
    }
}

fn display_name(e: &Entity) -> Option<String> {
    e.name.clone()
}

/// The personal data an entity holds or receives, from the inventory.
fn data_of(inv: &Inventory, e: &Entity) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut data: BTreeSet<String> = e
        .personal_data()
        .iter()
        .flat_map(|pd| pd.categories.iter().cloned())
        .collect();
    let mut purposes = BTreeSet::new();
    for t in inv.transfers.iter().filter(|t| t.to == e.id) {
        data.extend(t.categories.iter().cloned());
        purposes.extend(t.purpose.iter().cloned());
        // A copy with no category list copies its source's data.
        if t.categories.is_empty()
            && let Some(src) = inv.entity(&t.from)
            && let Some(pd) = src.personal_data()
        {
            data.extend(pd.categories.iter().cloned());
        }
    }
    for db in inv
        .entities
        .iter()
        .filter(|d| d.operated_by() == Some(e.id.as_str()) && d.holds_ru_pd())
    {
        data.extend(
            db.personal_data()
                .iter()
                .flat_map(|pd| pd.categories.iter().cloned()),
        );
    }
    (data, purposes)
}

/// Build the draft.
pub(crate) fn build(input: &Input<'_>) -> Draft {
    let inv = input.inventory;
    let lang = input.lang;
    let filings = &inv.filings;
    let details = &filings.operator;
    let mut to_fill: Vec<ToFill> = Vec::new();
    let mut need = |field: String, key: Option<&str>| {
        to_fill.push(ToFill {
            field,
            key: key.map(str::to_string),
        })
    };
    let org = inv.organization.as_ref();
    let responsible = details.responsible.clone().unwrap_or_default();
    let operator = Operator {
        name: org.map(|o| o.name.clone()),
        inn: details.inn.clone(),
        ogrn: details.ogrn.clone(),
        address: details.address.clone(),
        responsible_name: responsible.name.clone(),
        phones: responsible.phones.clone(),
        postal_address: responsible.postal_address.clone(),
        email: responsible.email.clone(),
    };
    // The operator's fields, in the form's order.
    for (missing, field, key) in [
        (
            operator.name.is_none(),
            lang.notify().operator_name,
            "organization.name",
        ),
        (
            operator.inn.is_none(),
            lang.notify().operator_inn,
            "organization.inn",
        ),
        (
            operator.ogrn.is_none(),
            lang.notify().operator_ogrn,
            "organization.ogrn",
        ),
        (
            operator.address.is_none(),
            lang.notify().operator_address,
            "organization.address",
        ),
    ] {
        if missing {
            need(field.into(), Some(key));
        }
    }
    let processing_notification = filings.latest(FilingKind::Processing).map(filed_ref);
    if input.kind != FilingKind::Processing {
        match &processing_notification {
            None => need(
                lang.notify().fill_art22_date_number.into(),
                Some("filings (kind: processing, date, number)"),
            ),
            Some(f) if f.number.is_none() => need(
                lang.notify().fill_art22_number.into(),
                Some("filings[kind: processing].number"),
            ),
            Some(_) => {}
        }
    }
    for (missing, field, key) in [
        (
            operator.responsible_name.is_none(),
            lang.notify().fill_responsible_name,
            "organization.responsible.name",
        ),
        (
            operator.phones.is_empty(),
            lang.notify().fill_responsible_phones,
            "organization.responsible.phones",
        ),
        (
            operator.postal_address.is_none(),
            lang.notify().fill_responsible_postal_address,
            "organization.responsible.postal_address",
        ),
        (
            operator.email.is_none(),
            lang.notify().fill_responsible_email,
            "organization.responsible.email",
        ),
        (
            details.legal_basis.is_none(),
            lang.notify().legal_basis,
            "organization.legal_basis",
        ),
        (
            details.purposes.is_empty(),
            lang.notify().fill_purposes,
            "organization.purposes",
        ),
        (
            details.data_categories.is_empty(),
            lang.notify().fill_data_categories,
            "organization.data_categories",
        ),
        (
            details.data_subjects.is_empty(),
            lang.notify().fill_data_subjects,
            "organization.data_subjects",
        ),
    ] {
        // A change notification states only what changed (here: point 10.1).
        if missing && input.kind != FilingKind::Change {
            need(field.into(), Some(key));
        }
    }

    // Foreign states and their recipients, from the observed flows.
    let covered_states = filings.covered_states();
    let covered_recipients = filings.covered_recipients();
    let mut grouped: BTreeMap<(Country, String), Recipient> = BTreeMap::new();
    for f in input.flows {
        let key = f
            .recipient
            .clone()
            .unwrap_or_else(|| format!("\u{0}{}", f.via));
        let r = grouped.entry((f.state, key)).or_insert_with(|| {
            let entity = f.recipient.as_deref().and_then(|id| inv.entity(id));
            Recipient {
                id: f.recipient.clone(),
                name: entity.and_then(display_name),
                legal_country: entity.and_then(|e| e.legal_country()),
                via: Vec::new(),
                data: Vec::new(),
                purposes: Vec::new(),
                assessed: f
                    .recipient
                    .as_deref()
                    .and_then(|id| details.assessed(id))
                    .map(crate::util::day_text),
                filed: covered_states.contains(&f.state)
                    && f.recipient
                        .as_deref()
                        .is_some_and(|id| covered_recipients.contains(id)),
                presumed: false,
                evidence: Vec::new(),
            }
        });
        r.presumed |= f.presumed;
        if !r.via.contains(&f.via) {
            r.via.push(f.via.clone());
        }
        if let Some(via) = inv.entity(&f.via) {
            let (data, purposes) = data_of(inv, via);
            for d in data {
                if !r.data.contains(&d) {
                    r.data.push(d);
                }
            }
            for p in purposes {
                if !r.purposes.contains(&p) {
                    r.purposes.push(p);
                }
            }
        }
        for line in &f.evidence {
            r.evidence.push(Evidence {
                entity: f.via.clone(),
                line: line.clone(),
                at: at(&f.loc),
            });
        }
    }
    let mut states: Vec<State> = Vec::new();
    for ((country, _), mut r) in grouped {
        r.data.sort();
        r.purposes.sort();
        match states.last_mut() {
            Some(s) if s.country == country => s.recipients.push(r),
            _ => states.push(State {
                country,
                name: lang.country_name(country).to_string(),
                adequate: input.adequacy.is_adequate(country),
                recipients: vec![r],
            }),
        }
    }
    let data_list: Vec<String> = match input.kind {
        FilingKind::CrossBorder => states
            .iter()
            .flat_map(|s| s.recipients.iter().flat_map(|r| r.data.iter().cloned()))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
        _ => inv
            .entities
            .iter()
            .filter(|e| e.holds_ru_pd())
            .flat_map(|e| {
                e.personal_data()
                    .into_iter()
                    .flat_map(|pd| pd.categories.iter().cloned())
            })
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
    };
    if input.kind == FilingKind::CrossBorder {
        for s in &states {
            for r in &s.recipients {
                let who = r.id.clone().unwrap_or_else(|| r.via.join(", "));
                match &r.id {
                    None => need(
                        w::fill_recipient(lang, &who, s.country.as_str(), &s.name),
                        Some(&format!("databases[{who}].operated_by")),
                    ),
                    Some(_) if r.assessed.is_none() => need(
                        w::fill_assessed(lang, &who),
                        Some("organization.recipient_assessments"),
                    ),
                    Some(_) => {}
                }
                if r.data.is_empty() {
                    need(
                        w::fill_data_sent(lang, &who, s.country.as_str()),
                        Some(&format!("transfers[to: {who}].categories")),
                    );
                }
            }
            if !s.adequate {
                need(w::fill_foreign_law(lang, s.country.as_str(), &s.name), None);
            }
        }
    }

    let databases: Vec<Database> = input
        .databases
        .iter()
        .map(|p| Database {
            id: p.database.clone(),
            name: inv.entity(&p.database).and_then(display_name),
            countries: p.countries.iter().copied().collect(),
            unknown: p.unknown,
            evidence: p
                .evidence
                .iter()
                .map(|(_, l)| Evidence {
                    entity: p.database.clone(),
                    line: l.clone(),
                    at: at(&p.loc),
                })
                .collect(),
        })
        .collect();
    if input.kind != FilingKind::CrossBorder {
        for d in databases.iter().filter(|d| d.unknown) {
            need(
                w::fill_database_country(lang, &d.id),
                Some(&format!("databases[{}].hosts / location", d.id)),
            );
        }
        if !databases.is_empty() {
            need(lang.notify().fill_database_addresses.into(), None);
        }
    }

    let third_parties: Vec<Party> = if input.kind == FilingKind::Processing {
        let receives: BTreeSet<&str> = input
            .flows
            .iter()
            .filter_map(|f| f.recipient.as_deref())
            .collect();
        inv.entities
            .iter()
            .filter(|e| e.is_third_party())
            .filter(|e| receives.contains(e.id.as_str()) || receives_pd(inv, e))
            .map(|e| Party {
                id: e.id.clone(),
                kind: match e.kind() {
                    EntityKind::Processor => "processor",
                    _ => "partner",
                },
                name: display_name(e),
                legal_country: e.legal_country(),
            })
            .collect()
    } else {
        Vec::new()
    };

    let change = (input.kind == FilingKind::Change).then(|| {
        let filed_db = filings.covered_database_countries();
        let now: BTreeSet<Country> = databases
            .iter()
            .flat_map(|d| d.countries.iter().copied())
            .collect();
        let filed_states = covered_states.clone();
        let now_states: BTreeSet<Country> = states.iter().map(|s| s.country).collect();
        let now_recipients: BTreeSet<&str> = input
            .flows
            .iter()
            .filter_map(|f| f.recipient.as_deref())
            .collect();
        Change {
            filed_database_countries: filed_db.iter().copied().collect(),
            database_countries: now.iter().copied().collect(),
            new_database_countries: now.difference(&filed_db).copied().collect(),
            // A database that cannot be placed may still be anywhere: then
            // no filed country is said to be gone.
            gone_database_countries: if databases.iter().any(|d| d.unknown) {
                Vec::new()
            } else {
                filed_db.difference(&now).copied().collect()
            },
            moved: databases
                .iter()
                .filter_map(|d| {
                    let new: Vec<Country> = d
                        .countries
                        .iter()
                        .copied()
                        .filter(|c| !filed_db.contains(c))
                        .collect();
                    (!new.is_empty()).then(|| (d.id.clone(), new))
                })
                .collect(),
            new_states: now_states.difference(&filed_states).copied().collect(),
            gone_states: filed_states.difference(&now_states).copied().collect(),
            filed_states: filed_states.into_iter().collect(),
            new_recipients: now_recipients
                .difference(&covered_recipients)
                .map(|s| s.to_string())
                .collect(),
            gone_recipients: covered_recipients
                .difference(&now_recipients)
                .map(|s| s.to_string())
                .collect(),
        }
    });
    if input.kind == FilingKind::Change && !filings.has_art22() {
        need(
            lang.notify().fill_art22_refers_to.into(),
            Some("filings (kind: processing, date, number)"),
        );
    }

    Draft {
        schema_version: 1,
        draft: true,
        kind: input.kind,
        generated_at: input.generated_at.clone(),
        target: input.target.clone(),
        to_fill,
        operator,
        processing_notification,
        filed: filings.filings.iter().map(filed_ref).collect(),
        purposes: details.purposes.clone(),
        legal_basis: details.legal_basis.clone(),
        data_categories: details.data_categories.clone(),
        data_list,
        data_subjects: details.data_subjects.clone(),
        cross_border: !states.is_empty(),
        states,
        databases,
        third_parties,
        change,
    }
}

/// Whether a processor or partner receives personal data by a transfer,
/// by operating a PD database or by collecting from users.
fn receives_pd(inv: &Inventory, e: &Entity) -> bool {
    e.collects_from_subjects()
        || inv.transfers.iter().any(|t| t.to == e.id)
        || inv
            .entities
            .iter()
            .any(|d| d.operated_by() == Some(e.id.as_str()) && d.holds_ru_pd())
}

// ---------------------------------------------------------------------------
// Layout: the form's order, shared by Markdown and HTML.

/// A value in the draft: text, or a field to fill.
#[derive(Debug, Clone)]
enum Val {
    Text(String),
    Fill,
}

impl Val {
    fn of(v: Option<&String>) -> Self {
        v.map_or(Val::Fill, |s| Val::Text(s.clone()))
    }
    fn list(v: &[String]) -> Self {
        if v.is_empty() {
            Val::Fill
        } else {
            Val::Text(v.join("; "))
        }
    }
}

struct Section {
    heading: String,
    fields: Vec<(String, Val)>,
    table: Option<(Vec<String>, Vec<Vec<Val>>)>,
    notes: Vec<String>,
}

impl Section {
    fn new(heading: impl Into<String>) -> Self {
        Self {
            heading: heading.into(),
            fields: Vec::new(),
            table: None,
            notes: Vec::new(),
        }
    }
    fn field(mut self, label: &str, v: Val) -> Self {
        self.fields.push((label.to_string(), v));
        self
    }
}

struct Layout {
    first_line: String,
    title: String,
    intro: Vec<String>,
    to_fill_heading: String,
    fill_word: String,
    sections: Vec<Section>,
    evidence_heading: String,
    evidence: Vec<String>,
}

fn countries_text(lang: Lang, cs: &[Country]) -> String {
    if cs.is_empty() {
        return "—".into();
    }
    cs.iter()
        .map(|c| {
            let name = lang.country_name(*c);
            if name.is_empty() {
                c.to_string()
            } else {
                format!("{c} ({name})")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn refs_text(lang: Lang, d: &Draft, kind: impl Fn(FilingKind) -> bool) -> String {
    let list: Vec<String> = d
        .filed
        .iter()
        .filter(|f| kind(f.kind))
        .map(|f| w::filing_on_record(lang, f.number.as_deref(), &f.date))
        .collect();
    if list.is_empty() {
        lang.notify().none_recorded.into()
    } else {
        list.join("; ")
    }
}

fn operator_section(lang: Lang, d: &Draft, heading: &str, with_art22: bool) -> Section {
    let o = &d.operator;
    let mut s = Section::new(heading)
        .field(lang.notify().operator_name, Val::of(o.name.as_ref()))
        .field(lang.notify().inn, Val::of(o.inn.as_ref()))
        .field(lang.notify().ogrn, Val::of(o.ogrn.as_ref()))
        .field(lang.notify().operator_address, Val::of(o.address.as_ref()));
    if with_art22 {
        let v = d
            .processing_notification
            .as_ref()
            .map(|f| w::art22_reference(lang, f.number.as_deref(), &f.date));
        s = s.field(lang.notify().art22_date_number, Val::of(v.as_ref()));
    }
    s
}

fn responsible_section(lang: Lang, d: &Draft, heading: &str) -> Section {
    let o = &d.operator;
    Section::new(heading)
        .field(lang.notify().name, Val::of(o.responsible_name.as_ref()))
        .field(lang.notify().phones, Val::list(&o.phones))
        .field(
            lang.notify().postal_address,
            Val::of(o.postal_address.as_ref()),
        )
        .field(lang.notify().email, Val::of(o.email.as_ref()))
}

fn evidence_lines(d: &Draft) -> Vec<String> {
    let mut out = Vec::new();
    for s in &d.states {
        for r in &s.recipients {
            for e in &r.evidence {
                out.push(format!(
                    "{} · {}: {} ({})",
                    s.country, e.entity, e.line, e.at
                ));
            }
        }
    }
    if d.kind != FilingKind::CrossBorder {
        for db in &d.databases {
            for e in &db.evidence {
                out.push(format!("{}: {} ({})", e.entity, e.line, e.at));
            }
        }
    }
    out.dedup();
    out
}

fn yes_no(lang: Lang, b: bool) -> &'static str {
    if b {
        lang.notify().yes
    } else {
        lang.notify().no
    }
}

fn recipient_name(lang: Lang, r: &Recipient) -> String {
    match (&r.id, &r.name) {
        (Some(id), Some(name)) => format!("{name} ({id})"),
        (Some(id), None) => id.clone(),
        (None, _) => w::recipient_not_named(lang, &r.via.join(", ")),
    }
}

fn states_table(lang: Lang, d: &Draft) -> (Vec<String>, Vec<Vec<Val>>) {
    let head = [
        lang.notify().state,
        lang.notify().on_adequacy_list,
        lang.notify().recipient,
        lang.notify().recipient_jurisdiction,
        lang.notify().data_transferred,
        lang.notify().purposes,
        lang.notify().already_filed_notifications,
    ]
    .map(String::from)
    .to_vec();
    let mut rows = Vec::new();
    for s in &d.states {
        for r in &s.recipients {
            rows.push(vec![
                Val::Text(if r.presumed {
                    format!("{} ({}) — {}", s.country, s.name, lang.notify().presumed)
                } else {
                    format!("{} ({})", s.country, s.name)
                }),
                Val::Text(yes_no(lang, s.adequate).into()),
                if r.id.is_some() {
                    Val::Text(recipient_name(lang, r))
                } else {
                    Val::Fill
                },
                Val::Text(r.legal_country.map_or("—".into(), |c| c.to_string())),
                Val::list(&r.data),
                if r.purposes.is_empty() {
                    if d.purposes.is_empty() {
                        Val::Fill
                    } else {
                        Val::Text(format!(
                            "{} ({})",
                            d.purposes.join("; "),
                            lang.notify().purposes_general
                        ))
                    }
                } else {
                    Val::list(&r.purposes)
                },
                Val::Text(yes_no(lang, r.filed).into()),
            ]);
        }
    }
    (head, rows)
}

fn layout(d: &Draft, lang: Lang) -> Layout {
    let first_line = lang.notify().draft_warning.to_string();
    let version = env!("CARGO_PKG_VERSION");
    let made = w::prepared_by(lang, version, &d.target, &d.generated_at);
    let mut sections = Vec::new();
    let (title, law) = match d.kind {
        FilingKind::CrossBorder => (
            lang.notify().title_cross_border,
            lang.notify().law_cross_border,
        ),
        FilingKind::Processing => (lang.notify().title_processing, lang.notify().law_processing),
        FilingKind::Change => (lang.notify().title_change, lang.notify().law_change),
    };
    let intro = vec![made, law.to_string()];
    match d.kind {
        FilingKind::CrossBorder => {
            sections.push(operator_section(lang, d, lang.notify().sec_operator, true));
            sections.push(responsible_section(
                lang,
                d,
                lang.notify().cb_sec2_responsible,
            ));
            sections.push(
                Section::new(lang.notify().cb_sec3_basis_purpose)
                    .field(lang.notify().legal_basis, Val::of(d.legal_basis.as_ref()))
                    .field(lang.notify().purposes, Val::list(&d.purposes)),
            );
            sections.push(
                Section::new(lang.notify().cb_sec4_data)
                    .field(lang.notify().categories, Val::list(&d.data_categories))
                    .field(lang.notify().list_inventory_tokens, Val::list(&d.data_list)),
            );
            sections.push(Section::new(lang.notify().cb_sec5_subjects).field(
                lang.notify().categories_subjects,
                Val::list(&d.data_subjects),
            ));
            let mut s6 = Section::new(lang.notify().cb_sec6_states);
            if d.states.is_empty() {
                s6.notes.push(lang.notify().no_transfer_note.into());
            } else {
                s6.table = Some(states_table(lang, d));
                let others: Vec<String> = d
                    .states
                    .iter()
                    .filter(|s| !s.adequate)
                    .map(|s| s.country.to_string())
                    .collect();
                if !others.is_empty() {
                    s6.notes
                        .push(w::not_adequate_note(lang, &others.join(", ")));
                }
            }
            sections.push(s6);
            let mut s7 = Section::new(lang.notify().cb_sec7_assessment);
            let mut rows = Vec::new();
            let mut seen = BTreeSet::new();
            for s in &d.states {
                for r in s.recipients.iter().filter(|r| r.id.is_some()) {
                    if seen.insert(r.id.clone()) {
                        rows.push(vec![
                            Val::Text(recipient_name(lang, r)),
                            r.assessed
                                .as_ref()
                                .map_or(Val::Fill, |a| Val::Text(w::day(lang, a))),
                        ]);
                    }
                }
            }
            if !rows.is_empty() {
                s7.table = Some((
                    vec![
                        lang.notify().recipient.into(),
                        lang.notify().date_assessment.into(),
                    ],
                    rows,
                ));
            }
            sections.push(s7);
        }
        FilingKind::Processing => {
            sections.push(operator_section(
                lang,
                d,
                lang.notify().pr_sec1_operator,
                false,
            ));
            sections.push(
                Section::new(lang.notify().pr_sec2_purposes)
                    .field(lang.notify().processing_purposes, Val::list(&d.purposes))
                    .field(lang.notify().categories_data, Val::list(&d.data_categories))
                    .field(
                        lang.notify().list_data_inventory_tokens,
                        Val::list(&d.data_list),
                    )
                    .field(
                        lang.notify().categories_subjects,
                        Val::list(&d.data_subjects),
                    )
                    .field(lang.notify().legal_basis, Val::of(d.legal_basis.as_ref())),
            );
            sections.push(responsible_section(
                lang,
                d,
                lang.notify().pr_sec3_responsible,
            ));
            let states: Vec<Country> = d.states.iter().map(|s| s.country).collect();
            sections.push(
                Section::new(lang.notify().pr_sec4_cross_border)
                    .field(
                        lang.notify().cross_border_transfer,
                        Val::Text(
                            if d.cross_border {
                                lang.notify().takes_place
                            } else {
                                lang.notify().does_not_take_place
                            }
                            .into(),
                        ),
                    )
                    .field(
                        lang.notify().states_as_observed,
                        Val::Text(countries_text(lang, &states)),
                    )
                    .field(
                        lang.notify().art12_on_record,
                        Val::Text(refs_text(lang, d, |k| k == FilingKind::CrossBorder)),
                    ),
            );
            sections.push(database_section(lang, d, "5."));
            let mut s6 = Section::new(lang.notify().pr_third_parties);
            s6.notes.push(lang.notify().third_parties_note.into());
            if !d.third_parties.is_empty() {
                s6.table = Some((
                    vec![
                        lang.notify().party.into(),
                        lang.notify().role.into(),
                        lang.notify().jurisdiction.into(),
                    ],
                    d.third_parties
                        .iter()
                        .map(|p| {
                            vec![
                                Val::Text(match &p.name {
                                    Some(n) => format!("{n} ({})", p.id),
                                    None => p.id.clone(),
                                }),
                                Val::Text(w::party_role(lang, p.kind).into()),
                                Val::Text(p.legal_country.map_or("—".into(), |c| c.to_string())),
                            ]
                        })
                        .collect(),
                ));
            }
            sections.push(s6);
        }
        FilingKind::Change => {
            sections.push(operator_section(lang, d, lang.notify().sec_operator, true));
            let c = d.change.clone().unwrap_or_default();
            let moved: Vec<String> = c
                .moved
                .iter()
                .map(|(db, cs)| format!("{db}: {}", countries_text(lang, cs)))
                .collect();
            let mut s2 = Section::new(lang.notify().ch_sec2_databases)
                .field(
                    lang.notify().stated_filed_notifications,
                    Val::Text(format!(
                        "{} — {}",
                        countries_text(lang, &c.filed_database_countries),
                        refs_text(lang, d, FilingKind::is_art22)
                    )),
                )
                .field(
                    lang.notify().observed_now,
                    Val::Text(countries_text(lang, &c.database_countries)),
                )
                .field(
                    lang.notify().new_countries,
                    Val::Text(countries_text(lang, &c.new_database_countries)),
                )
                .field(
                    lang.notify().databases_in_unfiled_countries,
                    Val::Text(if moved.is_empty() {
                        "—".into()
                    } else {
                        moved.join("; ")
                    }),
                )
                .field(
                    lang.notify().countries_no_longer_used,
                    Val::Text(countries_text(lang, &c.gone_database_countries)),
                );
            s2.table = database_section(lang, d, "").table;
            sections.push(s2);
            sections.push(
                Section::new(lang.notify().ch_sec3_cross_border)
                    .field(
                        lang.notify().states_filed_art12,
                        Val::Text(format!(
                            "{} — {}",
                            countries_text(lang, &c.filed_states),
                            refs_text(lang, d, |k| k == FilingKind::CrossBorder)
                        )),
                    )
                    .field(
                        lang.notify().new_states,
                        Val::Text(countries_text(lang, &c.new_states)),
                    )
                    .field(
                        lang.notify().states_no_longer_reached,
                        Val::Text(countries_text(lang, &c.gone_states)),
                    )
                    .field(
                        lang.notify().new_recipients,
                        Val::Text(dash(&c.new_recipients)),
                    )
                    .field(
                        lang.notify().recipients_no_longer_reached,
                        Val::Text(dash(&c.gone_recipients)),
                    ),
            );
            if !c.new_states.is_empty() || !c.new_recipients.is_empty() {
                sections.push({
                    let mut s = Section::new(lang.notify().ch_sec4_new);
                    s.notes
                        .push(lang.notify().cross_border_separate_note.into());
                    s
                });
            }
        }
    }
    Layout {
        first_line,
        title: title.into(),
        intro,
        to_fill_heading: lang.notify().to_fill_heading.into(),
        fill_word: lang.notify().fill_word.into(),
        sections,
        evidence_heading: lang.notify().evidence_what_audit_observed.into(),
        evidence: evidence_lines(d),
    }
}

fn dash(v: &[String]) -> String {
    if v.is_empty() {
        "—".into()
    } else {
        v.join(", ")
    }
}

fn database_section(lang: Lang, d: &Draft, number: &str) -> Section {
    let mut s = Section::new(
        format!("{number} {}", lang.notify().databases_heading)
            .trim()
            .to_string(),
    );
    let rows = d
        .databases
        .iter()
        .map(|db| {
            vec![
                Val::Text(match &db.name {
                    Some(n) => format!("{n} ({})", db.id),
                    None => db.id.clone(),
                }),
                if db.countries.is_empty() {
                    Val::Fill
                } else {
                    let mut t = countries_text(lang, &db.countries);
                    if db.unknown {
                        t.push_str(lang.notify().not_fully_placed);
                    }
                    Val::Text(t)
                },
                Val::Fill,
            ]
        })
        .collect();
    s.table = Some((
        vec![
            lang.notify().database.into(),
            lang.notify().country.into(),
            lang.notify().address.into(),
        ],
        rows,
    ));
    if d.databases
        .iter()
        .any(|db| db.countries.iter().any(|c| !c.is_ru()))
    {
        s.notes.push(lang.notify().art18_note.into());
    }
    s
}

// ---------------------------------------------------------------------------
// Renderers.

/// The draft as Markdown, in the form's order.
pub(crate) fn markdown(d: &Draft, lang: Lang) -> String {
    let l = layout(d, lang);
    let mut o = String::new();
    let fill = format!("**{}**", md(&l.fill_word));
    let val = |v: &Val| match v {
        Val::Text(t) => md(t),
        Val::Fill => fill.clone(),
    };
    let _ = writeln!(o, "**{}**\n", md(&l.first_line));
    let _ = writeln!(o, "# {}\n", md(&l.title));
    for p in &l.intro {
        let _ = writeln!(
            o,
            "{}\n",
            super::markdown::message(&super::words::Message::from_plain(p))
        );
    }
    let _ = writeln!(o, "## {}\n", md(&l.to_fill_heading));
    if d.to_fill.is_empty() {
        let _ = writeln!(o, "—\n");
    } else {
        for t in &d.to_fill {
            match &t.key {
                Some(k) => {
                    let _ = writeln!(o, "- [ ] {} — {}", md(&t.field), code(k));
                }
                None => {
                    let _ = writeln!(o, "- [ ] {}", md(&t.field));
                }
            }
        }
        o.push('\n');
    }
    for s in &l.sections {
        let _ = writeln!(o, "## {}\n", md(&s.heading));
        if !s.fields.is_empty() {
            let _ = writeln!(
                o,
                "| {} | {} |\n|---|---|",
                lang.notify().field,
                lang.notify().value
            );
            for (label, v) in &s.fields {
                let _ = writeln!(o, "| {} | {} |", md(label), val(v));
            }
            o.push('\n');
        }
        if let Some((head, rows)) = &s.table {
            let _ = writeln!(
                o,
                "| {} |\n|{}",
                head.iter().map(|h| md(h)).collect::<Vec<_>>().join(" | "),
                "---|".repeat(head.len())
            );
            for r in rows {
                let _ = writeln!(
                    o,
                    "| {} |",
                    r.iter().map(&val).collect::<Vec<_>>().join(" | ")
                );
            }
            o.push('\n');
        }
        for n in &s.notes {
            let _ = writeln!(
                o,
                "{}\n",
                super::markdown::message(&super::words::Message::from_plain(n))
            );
        }
    }
    if !l.evidence.is_empty() {
        let _ = writeln!(o, "## {}\n", md(&l.evidence_heading));
        for e in &l.evidence {
            let _ = writeln!(o, "- {}", code(e));
        }
        o.push('\n');
    }
    o
}

/// The draft as one self-contained HTML page, in the form's order.
pub(crate) fn html(d: &Draft, lang: Lang) -> String {
    let l = layout(d, lang);
    let mut o = String::new();
    let fill = format!("<mark class=\"fill\">{}</mark>", h(&l.fill_word));
    let val = |v: &Val| match v {
        Val::Text(t) => h(t),
        Val::Fill => fill.clone(),
    };
    let _ = writeln!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\nbody{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45}}\n.draft{{border:2px solid #b00;color:#b00;padding:.5rem 1rem;font-weight:bold}}\ntable{{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}}\nth,td{{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}}\nth{{background:#f3f3f3}}\nmark.fill{{background:#ffe08a}}\ncode{{font-size:.9em}}\n</style>\n</head>\n<body>",
        lang.code(),
        h(&l.title)
    );
    let _ = writeln!(o, "<p class=\"draft\">{}</p>", h(&l.first_line));
    let _ = writeln!(o, "<h1>{}</h1>", h(&l.title));
    for p in &l.intro {
        let _ = writeln!(o, "<p>{}</p>", h(p));
    }
    let _ = writeln!(o, "<h2>{}</h2>", h(&l.to_fill_heading));
    if d.to_fill.is_empty() {
        let _ = writeln!(o, "<p>—</p>");
    } else {
        let _ = writeln!(o, "<ul>");
        for t in &d.to_fill {
            match &t.key {
                Some(k) => {
                    let _ = writeln!(o, "<li>{} — <code>{}</code></li>", h(&t.field), h(k));
                }
                None => {
                    let _ = writeln!(o, "<li>{}</li>", h(&t.field));
                }
            }
        }
        let _ = writeln!(o, "</ul>");
    }
    for s in &l.sections {
        let _ = writeln!(o, "<h2>{}</h2>", h(&s.heading));
        if !s.fields.is_empty() {
            let _ = writeln!(o, "<table>");
            for (label, v) in &s.fields {
                let _ = writeln!(
                    o,
                    "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
                    h(label),
                    val(v)
                );
            }
            let _ = writeln!(o, "</table>");
        }
        if let Some((head, rows)) = &s.table {
            let _ = write!(o, "<table>\n<tr>");
            for c in head {
                let _ = write!(o, "<th>{}</th>", h(c));
            }
            let _ = writeln!(o, "</tr>");
            for r in rows {
                let _ = write!(o, "<tr>");
                for c in r {
                    let _ = write!(o, "<td>{}</td>", val(c));
                }
                let _ = writeln!(o, "</tr>");
            }
            let _ = writeln!(o, "</table>");
        }
        for n in &s.notes {
            let _ = writeln!(o, "<p>{}</p>", h(n));
        }
    }
    if !l.evidence.is_empty() {
        let _ = writeln!(o, "<h2>{}</h2>\n<ul>", h(&l.evidence_heading));
        for e in &l.evidence {
            let _ = writeln!(o, "<li><code>{}</code></li>", h(e));
        }
        let _ = writeln!(o, "</ul>");
    }
    let _ = writeln!(o, "</body>\n</html>");
    o
}

/// The draft as JSON, for automation.
pub(crate) fn json(d: &Draft) -> String {
    let mut s = serde_json::to_string_pretty(d).unwrap_or_default();
    s.push('\n');
    s
}
