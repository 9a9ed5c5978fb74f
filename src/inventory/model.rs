//! The validated inventory: what the rest of the pipeline works on.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use ipnet::IpNet;

pub use super::endpoint::{Endpoint, Host};
pub use super::raw::{LegalBasis, ReasonCode, Role};
pub use super::tfaddr::TfAddress;
use crate::reference::Country;

/// Where something is written: file, line and column (1-based).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    pub file: Arc<str>,
    pub line: u32,
    pub column: u32,
}

impl Loc {
    /// The line and column.
    pub fn pos(&self) -> crate::diag::Pos {
        crate::diag::Pos {
            line: self.line,
            column: self.column,
        }
    }
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntityKind {
    Database,
    Processor,
    Partner,
}

impl EntityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Database => "database",
            Self::Processor => "processor",
            Self::Partner => "partner",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonalData {
    pub ru_citizens: bool,
    pub categories: Vec<String>,
}

/// A declared location: a country, or a region of the cloud table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeclaredLocation {
    Country(Country),
    Cloud {
        provider: &'static str,
        region: &'static str,
        country: Country,
        source: &'static str,
    },
}

impl DeclaredLocation {
    pub fn country(&self) -> Country {
        match self {
            Self::Country(c) | Self::Cloud { country: c, .. } => *c,
        }
    }
}

/// One `hosts` entry of an entity, parsed.
#[derive(Debug, Clone)]
pub struct HostEntry {
    pub endpoint: Endpoint,
    /// Where it is written, or where it was seen (see `seen`).
    pub loc: Loc,
    pub seen: Seen,
}

/// Where a host or an entity comes from: the inventory says so, or the
/// operator's web site was seen using it (an observation, not a
/// declaration).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    /// Written in the inventory (a `hosts` entry, an entity's entry).
    Declared,
    /// Loaded by the operator's pages (`--site`): the page and the line of
    /// the element; the `loc` points there. An entity seen only there is
    /// one the inventory does not list (`unlisted-third-party`). (Boxed:
    /// every host has a `Seen`, and most are declared.)
    Site(Box<Sighted>),
}

/// Where on the operator's pages a host was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sighted {
    pub page: String,
    pub line: Option<u32>,
}

/// A database, processor or partner: the fields every kind has, and
/// those of its kind in [`Kind`].
#[derive(Debug, Clone)]
pub struct Entity {
    pub id: String,
    pub name: Option<String>,
    pub hosts: Vec<HostEntry>,
    pub location: Option<DeclaredLocation>,
    /// Terraform resources (or module paths) that make up this entity.
    pub terraform: Vec<TfClaim>,
    /// Where the entity's entry starts.
    pub loc: Loc,
    /// What it is, with the fields only that kind has.
    pub kind: Kind,
    /// Written in the inventory, or only seen on the operator's site.
    pub seen: Seen,
}

/// The kind of an entity and the fields only that kind has
/// ([`EntityKind`] is the tag alone).
#[derive(Debug, Clone)]
pub enum Kind {
    Database {
        /// `primary` when not written (fail closed).
        role: Role,
        engine: Option<String>,
        /// The processor that runs it.
        operated_by: Option<String>,
        personal_data: Option<PersonalData>,
    },
    Processor {
        /// Its jurisdiction; `None` only for a site's third party the
        /// catalogue does not know.
        legal_country: Option<Country>,
        instruction: Option<String>,
        /// `collects_from_subjects`: the operator's users send data to it.
        collects: bool,
    },
    Partner {
        /// Its jurisdiction; `None` only for a site's third party the
        /// catalogue does not know.
        legal_country: Option<Country>,
        legal_basis: Option<LegalBasis>,
        /// `collects_from_subjects`: the operator's users send data to it.
        collects: bool,
    },
}

impl Kind {
    /// The tag alone.
    pub fn tag(&self) -> EntityKind {
        match self {
            Self::Database { .. } => EntityKind::Database,
            Self::Processor { .. } => EntityKind::Processor,
            Self::Partner { .. } => EntityKind::Partner,
        }
    }
}

/// One entry of an entity's `terraform:` list.
#[derive(Debug, Clone)]
pub struct TfClaim {
    pub address: TfAddress,
    pub loc: Loc,
}

/// What a waiver covers: one entity, every entity (`*`), or (for
/// unlisted-storage) Terraform resources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaiverTarget {
    All,
    Entity(String),
    /// An address as written, and parsed: without an instance key it
    /// covers every instance; a module path covers what is inside.
    Resource(String, TfAddress),
}

impl WaiverTarget {
    pub fn as_str(&self) -> &str {
        match self {
            Self::All => "*",
            Self::Entity(id) | Self::Resource(id, _) => id,
        }
    }

    pub fn covers(&self, entity: &str) -> bool {
        match self {
            Self::All => true,
            Self::Entity(id) => id == entity,
            Self::Resource(_, pattern) => {
                super::tfaddr::parse(entity).is_ok_and(|a| pattern.covers(&a))
            }
        }
    }
}

/// An accepted risk, validated.
#[derive(Debug, Clone)]
pub struct Waiver {
    pub rule: String,
    pub target: WaiverTarget,
    /// Empty: any countries.
    pub countries: Vec<Country>,
    pub reason: String,
    pub reason_code: Option<ReasonCode>,
    pub approved_by: String,
    /// The last day it applies, as days since 1970-01-01.
    pub expires: i64,
    pub loc: Loc,
}

impl Waiver {
    /// `YYYY-MM-DD` of the expiry.
    pub fn expires_text(&self) -> String {
        crate::util::day_text(self.expires)
    }

    /// Expired on `today` (days since 1970-01-01): the expiry day itself is
    /// still covered.
    pub fn expired(&self, today: i64) -> bool {
        self.expires < today
    }

    /// Whether the waiver covers a finding of `rule` on `entity` in `countries`.
    pub fn covers(&self, rule: &str, entity: &str, countries: &[Country]) -> bool {
        self.rule == rule
            && self.target.covers(entity)
            && (self.countries.is_empty() || countries.iter().all(|c| self.countries.contains(c)))
    }
}

impl Entity {
    /// Database, processor or partner.
    pub fn kind(&self) -> EntityKind {
        self.kind.tag()
    }

    /// A database's role; `None` for a processor or partner.
    pub fn role(&self) -> Option<Role> {
        match &self.kind {
            Kind::Database { role, .. } => Some(*role),
            _ => None,
        }
    }

    /// A database's engine.
    pub fn engine(&self) -> Option<&str> {
        match &self.kind {
            Kind::Database { engine, .. } => engine.as_deref(),
            _ => None,
        }
    }

    /// The processor that runs a database.
    pub fn operated_by(&self) -> Option<&str> {
        match &self.kind {
            Kind::Database { operated_by, .. } => operated_by.as_deref(),
            _ => None,
        }
    }

    /// A database's `personal_data` block.
    pub fn personal_data(&self) -> Option<&PersonalData> {
        match &self.kind {
            Kind::Database { personal_data, .. } => personal_data.as_ref(),
            _ => None,
        }
    }

    /// A processor's or partner's jurisdiction.
    pub fn legal_country(&self) -> Option<Country> {
        match &self.kind {
            Kind::Processor { legal_country, .. } | Kind::Partner { legal_country, .. } => {
                *legal_country
            }
            Kind::Database { .. } => None,
        }
    }

    /// A processor's instruction (the contract that binds it).
    pub fn instruction(&self) -> Option<&str> {
        match &self.kind {
            Kind::Processor { instruction, .. } => instruction.as_deref(),
            _ => None,
        }
    }

    /// A partner's legal basis.
    pub fn legal_basis(&self) -> Option<LegalBasis> {
        match &self.kind {
            Kind::Partner { legal_basis, .. } => *legal_basis,
            _ => None,
        }
    }

    /// A processor or partner the operator's users send data to.
    pub fn collects_from_subjects(&self) -> bool {
        match &self.kind {
            Kind::Processor { collects, .. } | Kind::Partner { collects, .. } => *collects,
            Kind::Database { .. } => false,
        }
    }

    /// Holds personal data of Russian citizens.
    pub fn holds_ru_pd(&self) -> bool {
        self.personal_data().is_some_and(|pd| pd.ru_citizens)
    }

    pub fn is_third_party(&self) -> bool {
        matches!(self.kind, Kind::Processor { .. } | Kind::Partner { .. })
    }
}

#[derive(Debug, Clone)]
pub struct Transfer {
    pub from: String,
    pub to: String,
    pub categories: Vec<String>,
    pub purpose: Option<String>,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct Network {
    pub net: IpNet,
    pub country: Country,
    pub site: Option<String>,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct Organization {
    pub name: String,
    pub country: Country,
    pub loc: Loc,
}

#[derive(Debug, Clone, Default)]
pub struct Declarations {
    pub third_parties: Vec<(String, Loc)>,
    pub cross_border_countries: Vec<(Country, Loc)>,
}

/// A whole, validated inventory.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    /// The files read, in order.
    pub files: Vec<PathBuf>,
    pub organization: Option<Organization>,
    pub declarations: Declarations,
    pub networks: Vec<Network>,
    pub entities: Vec<Entity>,
    pub transfers: Vec<Transfer>,
    /// Accepted risks, in file order.
    pub waivers: Vec<Waiver>,
    /// The notifications filed with Roskomnadzor and the operator's
    /// details for them.
    pub filings: super::filings::Filings,
    index: HashMap<String, usize>,
}

impl Inventory {
    pub(super) fn new(
        files: Vec<PathBuf>,
        organization: Option<Organization>,
        declarations: Declarations,
        networks: Vec<Network>,
        entities: Vec<Entity>,
        transfers: Vec<Transfer>,
    ) -> Self {
        let index = entities
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        Self {
            files,
            organization,
            declarations,
            networks,
            entities,
            transfers,
            waivers: Vec::new(),
            filings: Default::default(),
            index,
        }
    }

    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.index.get(id).map(|&i| &self.entities[i])
    }

    /// The position of the entity with this id in [`Inventory::entities`].
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Add an entity found outside the inventory files (a third party of
    /// the web site, `check --site`). The caller keeps ids unique.
    pub fn add_entity(&mut self, e: Entity) {
        self.index.insert(e.id.clone(), self.entities.len());
        self.entities.push(e);
    }
}
