//! Stage 1c: the operator's published privacy policy → what it promises.
//!
//! A policy (plain text, Markdown, HTML, or an `http(s)` URL fetched with
//! the site scan's client and limits) is cut into sentences with their
//! lines (`text`); each sentence is matched against dictionaries kept as
//! data (`data/policy-*.tsv`): localisation claims and statements that
//! data is (not) transferred abroad ([`claims`]), named recipients (the
//! site catalogue's services and legal entities, the inventory's
//! processors and partners), named countries in any case form
//! (`lexicon`), and categories of recipients. Every statement keeps the
//! sentence it came from. The rules that hold the policy against the audit
//! are in `evaluate` (`policy-*`).
//!
//! Untrusted input: the size is bounded, every step is linear in the
//! text, and a file that is not text is an error, never an empty policy.

pub mod claims;
pub(crate) mod lexicon;
pub(crate) mod text;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, OnceLock};

use serde::Serialize;

use crate::inventory::{EntityKind, Inventory, Loc};
use crate::reference::Country;
use crate::site::catalogue;
pub use claims::ClaimKind;
use lexicon::Lexicon;

/// Bytes of a policy file read at most (a policy of 8 MiB is a hundred
/// times the longest published ones).
pub const MAX_FILE_BYTES: u64 = 8 << 20;

/// How the policy was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Markdown,
    Html,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Markdown => "markdown",
            Self::Html => "html",
        }
    }
}

/// A recipient named in the policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recipient {
    /// As written.
    pub text: String,
    /// Catalogue services it names (a company names all of its services).
    pub services: Vec<&'static str>,
    /// The legal entity, when the policy names the company.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company: Option<&'static str>,
    /// Inventory processors and partners it names.
    pub entities: Vec<String>,
}

/// What one statement says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Claim {
    /// Russian citizens' data is recorded and stored in databases in Russia.
    Localisation,
    /// Personal data is not transferred abroad.
    NoTransfer,
    /// Personal data is transferred abroad.
    Transfer,
    Recipient(Recipient),
    Country {
        text: String,
        countries: Vec<Country>,
    },
    Category {
        text: String,
        id: &'static str,
        /// The sentence also names recipients: the category covers those only.
        enumerated: bool,
    },
}

impl Claim {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Localisation => "localisation",
            Self::NoTransfer => "no-transfer",
            Self::Transfer => "transfer",
            Self::Recipient(_) => "recipient",
            Self::Country { .. } => "country",
            Self::Category { .. } => "category",
        }
    }

    /// What the statement says, in a few words: `recipient «Яндекс.Метрики»
    /// → yandex-metrica`.
    pub fn describe(&self) -> String {
        match self {
            Self::Localisation => "claims localisation: data recorded and stored in Russia".into(),
            Self::NoTransfer => "says personal data is not transferred abroad".into(),
            Self::Transfer => "says personal data is transferred abroad".into(),
            Self::Recipient(r) => {
                let mut to: Vec<String> = r.services.iter().map(|s| s.to_string()).collect();
                to.extend(r.entities.iter().map(|e| format!("inventory: {e}")));
                let what = if r.company.is_some() {
                    "the company "
                } else {
                    ""
                };
                format!("names {what}«{}» → {}", r.text, to.join(", "))
            }
            Self::Country { text, countries } => format!(
                "names a country «{text}» → {}",
                countries
                    .iter()
                    .map(Country::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Self::Category {
                text,
                id,
                enumerated,
            } => format!(
                "names a category «{text}» → {id}{}",
                if *enumerated {
                    " (with its members listed)"
                } else {
                    ""
                }
            ),
        }
    }

    /// What was named, as written (empty for the claims about places).
    pub fn text(&self) -> &str {
        match self {
            Self::Recipient(r) => &r.text,
            Self::Country { text, .. } | Self::Category { text, .. } => text,
            _ => "",
        }
    }
}

/// One thing the policy says, with the sentence and line it says it in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    pub line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    pub sentence: String,
    #[serde(flatten)]
    pub claim: Claim,
}

/// A policy as read.
#[derive(Debug, Clone, Serialize)]
pub struct Policy {
    /// The file or URL, as shown.
    pub source: String,
    pub format: Format,
    pub sentences: usize,
    pub statements: Vec<Statement>,
    /// For locations: the file as given (or the URL).
    #[serde(skip)]
    pub file: Arc<str>,
    /// A catalogue or inventory id → the first statement that names it.
    #[serde(skip)]
    named: HashMap<String, usize>,
    /// The first statement of each category named without its members.
    #[serde(skip)]
    open_categories: Vec<usize>,
}

impl Policy {
    /// The place of a statement, for findings.
    pub fn loc(&self, s: &Statement) -> Loc {
        Loc {
            file: self.file.clone(),
            line: s.line,
            column: 1,
        }
    }

    /// Statements of one kind.
    pub fn with<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Statement> + 'a {
        self.statements
            .iter()
            .filter(move |s| s.claim.kind() == kind)
    }

    /// The countries the policy names.
    pub fn countries(&self) -> BTreeSet<Country> {
        self.statements
            .iter()
            .filter_map(|s| match &s.claim {
                Claim::Country { countries, .. } => Some(countries.iter().copied()),
                _ => None,
            })
            .flatten()
            .collect()
    }
}

/// How the policies given treat one recipient of personal data.
#[derive(Debug, Clone, Copy)]
pub enum Naming<'a> {
    /// Named by name (the statement that names it).
    Named(&'a Policy, &'a Statement),
    /// Covered by a category named without a list of its members.
    Covered(&'a Policy, &'a Statement),
}

impl<'a> Naming<'a> {
    pub fn statement(&self) -> (&'a Policy, &'a Statement) {
        match *self {
            Self::Named(p, s) | Self::Covered(p, s) => (p, s),
        }
    }
}

/// Whether a statement names this inventory entity: by its id or name, or
/// through the catalogue service of the same id (a company names all of
/// its services).
pub fn names_entity(s: &Statement, e: &crate::inventory::Entity) -> bool {
    match &s.claim {
        Claim::Recipient(r) => r.entities.contains(&e.id) || r.services.contains(&e.id.as_str()),
        _ => false,
    }
}

/// Whether a category covers this entity. `hosting`: the entity operates
/// a personal-data database.
pub fn covers(category: &Category, e: &crate::inventory::Entity, hosting: bool) -> bool {
    let service_name = catalogue::by_id(&e.id).map(|s| text::normalise(s.name));
    let name = e.name.as_deref().map(text::normalise);
    category.covers.iter().any(|c| match c {
        Cover::Partner => e.kind() == EntityKind::Partner,
        Cover::Hosting => hosting,
        Cover::Service(id) => e.id == *id,
        Cover::Name(w) => {
            let w = text::normalise(w);
            name.iter().chain(&service_name).any(|n| n.contains(&w))
        }
    })
}

/// Whether a catalogue service belongs to a category.
fn lists_member(c: &Category, service: &str) -> bool {
    let name = catalogue::by_id(service).map(|s| text::normalise(s.name));
    c.covers.iter().any(|cv| match cv {
        Cover::Service(id) => *id == service,
        Cover::Name(w) => name
            .as_deref()
            .is_some_and(|n| n.contains(&text::normalise(w))),
        _ => false,
    })
}

/// How the policies treat a recipient: named first, else covered by a
/// category, else `None` (omitted).
pub fn naming<'a>(
    policies: &'a [Policy],
    e: &crate::inventory::Entity,
    hosting: bool,
) -> Option<Naming<'a>> {
    // Indexed at reading: a lookup per policy, not a scan of its statements.
    for p in policies {
        if let Some(&i) = p.named.get(&e.id) {
            return Some(Naming::Named(p, &p.statements[i]));
        }
    }
    for p in policies {
        for &i in &p.open_categories {
            let s = &p.statements[i];
            let cat = match &s.claim {
                Claim::Category { id, .. } => category(id),
                _ => None,
            };
            if cat.is_some_and(|c| covers(c, e, hosting)) {
                return Some(Naming::Covered(p, s));
            }
        }
    }
    None
}

/// Why a policy could not be read. Every message starts with the file or
/// the URL (shown without credentials) it is about.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error(
        "{name}: a ZIP archive (DOCX, ODT, …), not text: save the policy as HTML, Markdown or plain text"
    )]
    Zip { name: String },
    #[error("{name}: a PDF file, not text: save the policy as HTML, Markdown or plain text")]
    Pdf { name: String },
    #[error(
        "{name}: not a text file (a NUL byte at offset {offset}): a policy is read as HTML, Markdown or plain text"
    )]
    NotText { name: String, offset: usize },
    #[error("{name}:{line}: not UTF-8 text (byte offset {offset}): save the policy as UTF-8")]
    NotUtf8 {
        name: String,
        line: usize,
        offset: usize,
    },
    #[error("{name}: no such policy file")]
    NotFound { name: String },
    #[error("{name}: cannot read: {source}")]
    Io {
        name: String,
        source: std::io::Error,
    },
    #[error("{name}: is a directory, not a policy file")]
    Directory { name: String },
    #[error("{name}: not a regular file (a FIFO, device or socket), not a policy file")]
    NotRegular { name: String },
    #[error(
        "{name}: larger than {} MiB: not read (a privacy policy is far smaller)",
        MAX_FILE_BYTES >> 20
    )]
    TooLarge { name: String },
    /// The HTTP client could not be set up (`--ca-cert`).
    #[error(transparent)]
    Client(#[from] crate::site::fetch::ClientError),
    #[error("{url}: HTTP {status} redirect to another site ({to}): not followed; give that URL")]
    OffSite {
        url: String,
        status: u16,
        to: String,
    },
    /// The request failed (connection, TLS, timeout, redirect loop, …).
    #[error("{url}: {reason}")]
    Fetch { url: String, reason: String },
    #[error("{url}: HTTP {status}")]
    Status { url: String, status: u16 },
    #[error("{url}: larger than {limit} bytes (--max-page-size): the policy was not read in full")]
    PageTooLarge { url: String, limit: usize },
    #[error(
        "{url}: not an HTML page (Content-Type: {content_type}): save the policy and give the file"
    )]
    NotHtml { url: String, content_type: String },
    #[error("{url}: not a text page (a NUL byte)")]
    PageNotText { url: String },
    #[error("{url}: not valid {encoding} text: the policy cannot be read")]
    BadEncoding { url: String, encoding: &'static str },
}

/// Read `bytes` as a policy. `name` is what errors and reports show;
/// `hint` is the format when the extension or the server says it.
pub fn parse(
    bytes: &[u8],
    name: &str,
    hint: Option<Format>,
    dict: &Dictionary,
) -> Result<Policy, PolicyError> {
    let name_ = || name.to_string();
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(PolicyError::Zip { name: name_() });
    }
    if bytes.starts_with(b"%PDF") {
        return Err(PolicyError::Pdf { name: name_() });
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if let Some(offset) = bytes.iter().position(|b| *b == 0) {
        return Err(PolicyError::NotText {
            name: name_(),
            offset,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let upto = &bytes[..e.valid_up_to()];
        PolicyError::NotUtf8 {
            name: name_(),
            line: upto.iter().filter(|b| **b == b'\n').count() + 1,
            offset: e.valid_up_to(),
        }
    })?;
    Ok(parse_text(text, name, hint, dict))
}

/// Read decoded text as a policy.
pub fn parse_text(text: &str, name: &str, hint: Option<Format>, dict: &Dictionary) -> Policy {
    let format = hint.unwrap_or_else(|| sniff(text));
    let blocks = match format {
        Format::Html => text::html_blocks(text),
        Format::Text | Format::Markdown => text::markdown_blocks(text),
    };
    let sentences = text::sentences(&blocks);
    let mut statements = Vec::new();
    for s in &sentences {
        dict.read_sentence(s, &mut statements);
    }
    let mut named: HashMap<String, usize> = HashMap::new();
    let mut open_categories: Vec<usize> = Vec::new();
    let mut open_ids: HashSet<&'static str> = HashSet::new();
    for (i, s) in statements.iter().enumerate() {
        match &s.claim {
            Claim::Recipient(r) => {
                let ids = r.services.iter().map(|s| s.to_string());
                for id in ids.chain(r.entities.iter().cloned()) {
                    named.entry(id).or_insert(i);
                }
            }
            Claim::Category {
                id,
                enumerated: false,
                ..
            } if open_ids.insert(id) => open_categories.push(i),
            _ => {}
        }
    }
    Policy {
        source: text::shown(name),
        format,
        sentences: sentences.len(),
        statements,
        file: Arc::from(name),
        named,
        open_categories,
    }
}

/// Markup when the first non-blank character opens a tag.
fn sniff(text: &str) -> Format {
    let t = text.trim_start();
    if t.starts_with('<') {
        Format::Html
    } else {
        Format::Markdown
    }
}

/// The format an extension says.
pub fn format_of(path: &str) -> Option<Format> {
    let lower = path.to_ascii_lowercase();
    let ext = lower.rsplit_once('.').map(|(_, e)| e)?;
    match ext {
        "html" | "htm" | "xhtml" => Some(Format::Html),
        "md" | "markdown" => Some(Format::Markdown),
        "txt" | "text" => Some(Format::Text),
        _ => None,
    }
}

/// Read a policy file (at most [`MAX_FILE_BYTES`]).
pub fn read_file(path: &Path, dict: &Dictionary) -> Result<Policy, PolicyError> {
    let name = path.display().to_string();
    use crate::diag::ReadError;
    let bytes = crate::diag::read_limited(path, MAX_FILE_BYTES).map_err(|e| {
        let name = name.clone();
        match e {
            ReadError::NotFound => PolicyError::NotFound { name },
            ReadError::Directory => PolicyError::Directory { name },
            ReadError::NotRegular => PolicyError::NotRegular { name },
            ReadError::Io(source) => PolicyError::Io { name, source },
            ReadError::TooLarge { .. } => PolicyError::TooLarge { name },
        }
    })?;
    parse(&bytes, &name, format_of(&name), dict)
}

/// Fetch a policy page with the site scan's client and limits (same-site
/// redirects only). A page larger than the limit, an error status or a
/// body that is not HTML is an error: a policy is never judged half-read.
pub async fn fetch_url(
    url: url::Url,
    opts: &crate::site::FetchOptions,
    dict: &Dictionary,
) -> Result<Policy, PolicyError> {
    use crate::site::fetch::{Outcome, client, fetch};
    let shown = crate::site::extract::show_url(url.as_str());
    let client = client(opts)?;
    let sites = BTreeSet::from([crate::site::domain::registrable(
        url.host_str().unwrap_or(""),
    )]);
    let got = fetch(&client, url, &sites, opts).await;
    let resp = match got.outcome {
        Outcome::Page(r) => r,
        Outcome::OffSite { status, to } => {
            return Err(PolicyError::OffSite {
                url: shown,
                status,
                to: crate::site::extract::show_url(to.as_str()),
            });
        }
        Outcome::Failed(reason) => return Err(PolicyError::Fetch { url: shown, reason }),
    };
    if !(200..300).contains(&resp.status) {
        return Err(PolicyError::Status {
            url: shown,
            status: resp.status,
        });
    }
    if resp.truncated {
        return Err(PolicyError::PageTooLarge {
            url: shown,
            limit: opts.max_bytes,
        });
    }
    let Some(body) = resp.body else {
        return Err(PolicyError::NotHtml {
            url: shown,
            content_type: resp
                .headers
                .content_type
                .as_deref()
                .unwrap_or("none")
                .to_string(),
        });
    };
    let by_label = |label: &str| encoding_rs::Encoding::for_label(label.trim().as_bytes());
    let enc = resp
        .headers
        .charset()
        .as_deref()
        .and_then(by_label)
        .unwrap_or(encoding_rs::UTF_8);
    if body.contains(&0) {
        return Err(PolicyError::PageNotText { url: shown });
    }
    let (text, _, bad) = enc.decode(&body);
    if bad {
        return Err(PolicyError::BadEncoding {
            url: shown,
            encoding: enc.name(),
        });
    }
    Ok(parse_text(&text, &shown, Some(Format::Html), dict))
}

/// A category of recipients (`data/policy-categories.tsv`).
#[derive(Debug)]
pub struct Category {
    pub id: &'static str,
    pub covers: Vec<Cover>,
}

/// Which recipients a category covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cover {
    /// Every partner.
    Partner,
    /// A processor that operates a personal-data database.
    Hosting,
    Service(&'static str),
    /// An entity whose name (or catalogue service) contains this word.
    Name(&'static str),
}

const CATEGORIES: &str = include_str!("../../data/policy-categories.tsv");
const RECIPIENTS: &str = include_str!("../../data/policy-recipients.tsv");
const COUNTRIES: &str = include_str!("../../data/policy-countries.tsv");

fn loaded() -> &'static [(Category, Vec<&'static str>)] {
    static LOADED: OnceLock<Vec<(Category, Vec<&'static str>)>> = OnceLock::new();
    LOADED.get_or_init(load_categories)
}

fn load_categories() -> Vec<(Category, Vec<&'static str>)> {
    crate::reference::tsv_rows(CATEGORIES)
        .filter_map(|(_, cols)| {
            let [id, covers, names] = cols.as_slice() else {
                return None;
            };
            let covers: Option<Vec<Cover>> = covers
                .split_whitespace()
                .filter(|c| *c != "-")
                .map(|c| match c {
                    "partner" => Some(Cover::Partner),
                    "hosting" => Some(Cover::Hosting),
                    _ => {
                        if let Some(s) = c.strip_prefix("service:") {
                            catalogue::by_id(s).map(|s| Cover::Service(s.id))
                        } else {
                            c.strip_prefix("name:").map(Cover::Name)
                        }
                    }
                })
                .collect();
            Some((
                Category {
                    id,
                    covers: covers?,
                },
                names
                    .split('|')
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .collect(),
            ))
        })
        .collect()
}

/// The category with this id.
pub fn category(id: &str) -> Option<&'static Category> {
    loaded().iter().map(|(c, _)| c).find(|c| c.id == id)
}

/// What a recipient name stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Service(&'static str),
    /// A legal entity of the catalogue (the `legal_entity` column).
    Company(&'static str),
    /// An inventory processor or partner.
    Entity(String),
}

/// The dictionaries a policy is read with: the shipped data, and the
/// inventory's processors and partners when there is an inventory.
pub struct Dictionary {
    recipients: Lexicon<Target>,
    countries: Lexicon<Vec<Country>>,
    categories: Lexicon<&'static str>,
}

/// Legal forms dropped to get a company's short name.
const LEGAL_FORMS: &[&str] = &[
    "ооо",
    "ао",
    "пао",
    "зао",
    "оао",
    "нко",
    "ип",
    "llc",
    "inc",
    "ltd",
    "jsc",
    "corp",
    "corporation",
    "gmbh",
    "sa",
    "sas",
    "s",
    "l",
    "a",
    "pte",
    "sp",
    "z",
    "o",
    "plc",
    "the",
];

/// «ООО «Яндекс» (Yandex LLC)» → [«ООО «Яндекс»», «Yandex LLC»]; each
/// also without its legal form when the rest is long enough to be a name.
fn company_names(legal: &str) -> Vec<String> {
    let mut parts = Vec::new();
    match legal.split_once('(') {
        Some((a, b)) => {
            parts.push(a.trim().to_string());
            parts.push(b.trim_end_matches(')').trim().to_string());
        }
        None => parts.push(legal.trim().to_string()),
    }
    let mut out = Vec::new();
    for p in parts {
        if p.is_empty() {
            continue;
        }
        let core: Vec<&str> = text::words(&p)
            .into_iter()
            .filter(|w| !LEGAL_FORMS.contains(&w.norm.as_str()))
            .map(|w| &p[w.start..w.end])
            .collect();
        let core = core.join(" ");
        if core.chars().count() >= 3 && core != p {
            out.push(core);
        }
        out.push(p);
    }
    out
}

impl Dictionary {
    /// The shipped dictionaries, with the processors and partners of
    /// `inventory` when given.
    pub fn new(inventory: Option<&Inventory>) -> Self {
        let mut recipients: Lexicon<Target> = Lexicon::new(false);
        for s in catalogue::all() {
            let name = s.name.split_once('(').map_or(s.name, |(a, _)| a).trim();
            recipients.add(name, Target::Service(s.id));
            for n in company_names(s.legal_entity) {
                recipients.add(&n, Target::Company(s.legal_entity));
            }
        }
        for (_, cols) in crate::reference::tsv_rows(RECIPIENTS) {
            let [name, id, scope] = cols.as_slice() else {
                continue;
            };
            let Some(s) = catalogue::by_id(id) else {
                continue;
            };
            let target = match *scope {
                "company" => Target::Company(s.legal_entity),
                _ => Target::Service(s.id),
            };
            recipients.add(name, target);
        }
        if let Some(inv) = inventory {
            for e in inv
                .entities
                .iter()
                .filter(|e| e.kind() != EntityKind::Database)
            {
                recipients.add_exact(&e.id, Target::Entity(e.id.clone()));
                if let Some(name) = &e.name {
                    for n in company_names(name.split_once(" (").map_or(name.as_str(), |(a, _)| a))
                    {
                        recipients.add(&n, Target::Entity(e.id.clone()));
                    }
                }
            }
        }

        let mut countries: Lexicon<Vec<Country>> = Lexicon::new(true);
        let mut never = Vec::new();
        for (_, cols) in crate::reference::tsv_rows(include_str!("../../data/countries.tsv")) {
            let [code, en, ru, ..] = cols.as_slice() else {
                continue;
            };
            let Some(c) = Country::parse(code).filter(|c| !c.is_ru()) else {
                continue;
            };
            countries.add_exact(en, vec![c]);
            let ru = ru.split_once('(').map_or(*ru, |(a, _)| a).trim();
            countries.add(ru, vec![c]);
        }
        for (_, cols) in crate::reference::tsv_rows(COUNTRIES) {
            let [codes, name, forms] = cols.as_slice() else {
                continue;
            };
            let cs: Vec<Country> = codes
                .split_whitespace()
                .filter_map(Country::parse)
                .collect();
            match *forms {
                "never" => never.push(*name),
                "auto" => countries.add(name, cs),
                "exact" => countries.add_exact(name, cs),
                list => countries.add_listed(&list.split_whitespace().collect::<Vec<_>>(), cs),
            }
        }
        for n in never {
            countries.remove(n);
        }

        let mut cats: Lexicon<&'static str> = Lexicon::new(false);
        for (c, names) in loaded() {
            for n in names {
                cats.add(n, c.id);
            }
        }
        Self {
            recipients,
            countries,
            categories: cats,
        }
    }

    /// The statements of one sentence, appended to `out`.
    fn read_sentence(&self, s: &text::Sentence, out: &mut Vec<Statement>) {
        let ws = text::words(&s.text);
        let shown = text::shown(&s.text);
        let stmt = |claim: Claim| Statement {
            line: s.line,
            heading: s.heading.clone(),
            sentence: shown.clone(),
            claim,
        };
        for kind in claims::read(&ws) {
            out.push(stmt(match kind {
                ClaimKind::Localisation => Claim::Localisation,
                ClaimKind::NoTransfer => Claim::NoTransfer,
                ClaimKind::Transfer => Claim::Transfer,
            }));
        }
        let mut seen: Vec<Recipient> = Vec::new();
        let mut seen_keys: HashSet<(Vec<&'static str>, Vec<String>)> = HashSet::new();
        for hit in self.recipients.find(&ws) {
            let mut end = hit.end;
            let named = &s.text[hit.start..end];
            // «ООО «Яндекс»»: the closing quote belongs to the name.
            if named.matches('«').count() > named.matches('»').count()
                && s.text[end..].starts_with('»')
            {
                end += '»'.len_utf8();
            }
            let mut r = Recipient {
                text: text::shown(&s.text[hit.start..end]),
                services: Vec::new(),
                company: None,
                entities: Vec::new(),
            };
            for t in hit.targets {
                match t {
                    Target::Service(id) => r.services.push(id),
                    Target::Company(legal) => {
                        r.company = Some(legal);
                        r.services.extend(
                            catalogue::all()
                                .iter()
                                .filter(|s| s.legal_entity == *legal)
                                .map(|s| s.id),
                        );
                    }
                    Target::Entity(id) => r.entities.push(id.clone()),
                }
            }
            r.services.sort_unstable();
            r.services.dedup();
            r.entities.sort();
            r.entities.dedup();
            if !seen_keys.insert((r.services.clone(), r.entities.clone())) {
                continue;
            }
            seen.push(r.clone());
            out.push(stmt(Claim::Recipient(r)));
        }
        let mut enumerated_by_id: HashMap<&'static str, bool> = HashMap::new();
        let mut categories_seen: HashSet<&'static str> = HashSet::new();
        for hit in self.categories.find(&ws) {
            for id in hit.targets {
                // One statement per category and sentence.
                if !categories_seen.insert(id) {
                    continue;
                }
                // «системы аналитики Яндекс.Метрика и Amplitude»: the
                // sentence lists members of the category.
                let enumerated = *enumerated_by_id.entry(id).or_insert_with(|| {
                    category(id).is_some_and(|c| {
                        seen.iter()
                            .flat_map(|r| &r.services)
                            .any(|sid| lists_member(c, sid))
                    })
                });
                out.push(stmt(Claim::Category {
                    text: text::shown(&s.text[hit.start..hit.end]),
                    id,
                    enumerated,
                }));
            }
        }
        let mut countries_seen: BTreeSet<Vec<Country>> = BTreeSet::new();
        for hit in self.countries.find(&ws) {
            let mut cs: Vec<Country> = hit.targets.into_iter().flatten().copied().collect();
            cs.sort();
            cs.dedup();
            if countries_seen.insert(cs.clone()) {
                out.push(stmt(Claim::Country {
                    text: text::shown(&s.text[hit.start..hit.end]),
                    countries: cs,
                }));
            }
        }
    }
}

#[cfg(test)]
mod tests;
