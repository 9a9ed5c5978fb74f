//! Stage 1: inventory files → a validated [`Inventory`] with positions.
//!
//! Every `*.yaml`/`*.yml` file under the path is read (sorted by path) and
//! merged. Problems are collected, not thrown: a run reports every broken
//! entity of every file at once, each as `file:line:column: message`.

pub(crate) mod discover;
pub mod endpoint;
pub mod filings;
mod load;
pub mod model;
pub mod raw;
pub(crate) mod redact;
pub mod tfaddr;
mod validate;
pub mod yaml;

use redact::redact;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use discover::{MAX_DEPTH, discover};
pub use model::*;
use raw::{RawDatabase, RawLocation, RawThirdParty, RawTransfer, RawWaiver, Sp};
use yaml::{Node, Pos};

use crate::reference::{Country, cloud, country};

/// Files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

pub use crate::diag::Diagnostic;

impl Diagnostic {
    /// A problem at a place in an inventory file.
    pub fn at(loc: &Loc, message: impl Into<String>, hint: Option<String>) -> Self {
        Self {
            file: Some(loc.file.to_string()),
            pos: Some(Pos {
                line: loc.line,
                column: loc.column,
            }),
            message: message.into(),
            hint,
            related: None,
        }
    }
}

/// What validation needs to know beyond the files themselves.
#[derive(Debug, Clone)]
pub struct LoadOptions<'a> {
    /// The rules a waiver may name, as the evaluation describes them (the
    /// inventory knows no rule itself); empty: rule ids are not checked.
    pub rules: &'a [WaiverRule],
    /// The report date (days since 1970-01-01): a waiver may run at most
    /// one year past it.
    pub today: i64,
}

impl Default for LoadOptions<'_> {
    /// No rule-id check; today is the report date (`SOURCE_DATE_EPOCH` or now).
    fn default() -> Self {
        Self {
            rules: &[],
            today: crate::util::day(
                crate::util::report_epoch().unwrap_or_else(|_| crate::util::now()),
            ),
        }
    }
}

/// What a waiver of one rule must look like: the evaluation's word on its
/// rules, handed to the loader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaiverRule {
    pub id: &'static str,
    /// Findings about waivers themselves cannot be waived.
    pub waivable: bool,
    /// What the waiver's `entity` names.
    pub target: WaiverTargetKind,
    /// The law whose exceptions a `reason_code` names, when the waiver
    /// needs one (primary-outside-ru: 152-FZ art. 18 p. 5).
    pub reason_code_for: Option<&'static str>,
}

/// What a waiver's `entity` names for a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaiverTargetKind {
    /// An entity id (or `*`).
    Entity,
    /// An entity id or `declarations` (the rule is about the declarations).
    EntityOrDeclarations,
    /// A Terraform resource address (or `*`).
    Resource,
}

/// Read and validate the inventory at `path` (a directory or one file).
pub fn load(path: &Path) -> Result<Inventory, Vec<Diagnostic>> {
    load_with(path, &LoadOptions::default())
}

/// [`load`], checking waivers against the given rule ids and report date.
pub fn load_with(path: &Path, opts: &LoadOptions<'_>) -> Result<Inventory, Vec<Diagnostic>> {
    let files = discover(path).map_err(|d| vec![d])?;
    let mut loader = load::Loader::default();
    for file in &files {
        loader.read_file(file);
    }
    loader.finish(files, opts)
}

pub(crate) use crate::diag::byte_pos;
