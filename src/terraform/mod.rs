//! Input stage beside [`crate::inventory`]: Terraform plans (`terraform show
//! -json PLANFILE`) → where each planned resource will be, and which
//! inventory entity it belongs to.
//!
//! A plan's `resource_changes` give each resource's planned state
//! (`change.after`, with `change.after_unknown` marking values known only
//! after apply); its `configuration` gives provider blocks (with aliases,
//! and those passed into modules) and which attributes a resource sets. A
//! resource is placed by its own region/location/zone attribute where it
//! has one, else by its provider's region; anything that cannot be worked
//! out is recorded as unknown, never as Russia.
//!
//! [`link`] joins resources to inventory entities (`terraform:` addresses,
//! or the `residency-id` tag/label) and collects personal-data storage no
//! entity claims. The resolve stage adds linked resources' countries to the
//! entities' observed countries.

pub mod catalogue;
mod link;
mod locate;

use std::path::Path;
use std::sync::Arc;

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

pub use link::{PlanInfo, Terraform, Unclaimed, UnclaimedWhy, link};

use crate::inventory::tfaddr::{self, TfAddress};
use crate::inventory::yaml::Pos;
use crate::inventory::{Diagnostic, Loc};
use crate::reference::Country;

/// Plans larger than this are refused before parsing.
pub const MAX_PLAN_BYTES: u64 = 256 * 1024 * 1024;

/// Tag (AWS, Azure) or label (Google, Yandex) naming the inventory entity.
pub const TAG_ID: &str = "residency-id";
/// Tag or label marking storage that holds personal data.
pub const TAG_PD: &str = "personal-data";

/// What the plan does to a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    Create,
    Update,
    Replace,
    NoOp,
    Delete,
    /// A resource of a state file: deployed now.
    InState,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Replace => "replace",
            Self::NoOp => "no-op",
            Self::Delete => "delete",
            Self::InState => "in state",
        }
    }

    fn of(actions: &[&str]) -> Option<Self> {
        Some(match actions {
            ["create"] => Self::Create,
            ["update"] => Self::Update,
            ["delete", "create"] | ["create", "delete"] => Self::Replace,
            ["no-op"] | ["read"] => Self::NoOp,
            ["delete"] | ["forget"] => Self::Delete,
            _ => return None,
        })
    }
}

/// One place a resource keeps data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub cloud: &'static str,
    /// The region id of the cloud-region table.
    pub region: &'static str,
    pub country: Country,
    /// Where it came from: `region`, `host[].zone`, `provider aws.frankfurt`.
    pub via: String,
}

/// A managed resource of a plan, in its planned state.
#[derive(Debug, Clone)]
pub struct Resource {
    /// The full address, as the plan writes it.
    pub address: String,
    pub parsed: TfAddress,
    pub rtype: String,
    /// The registry address of its provider.
    pub provider: String,
    pub action: Action,
    /// The storage table's entry, when the type stores data.
    pub storage: Option<&'static catalogue::Storage>,
    /// Where its data will be (empty for a planned deletion).
    pub places: Vec<Place>,
    /// Why its location is (partly) unknown.
    pub unknown: Vec<String>,
    /// The `residency-id` tag or label.
    pub residency_id: Option<String>,
    /// The `personal-data` tag or label, when present.
    pub personal_data: Option<bool>,
    /// Where it is in the plan file.
    pub loc: Loc,
    /// Known names and ids of it (`name`, `id`, `bucket`, …) by which
    /// another resource may refer to it.
    pub(crate) names: Vec<String>,
    /// Resources it belongs to, to take the location from when it has none.
    pub(crate) parents: Vec<locate::ParentRef>,
}

impl Resource {
    pub fn countries(&self) -> Vec<Country> {
        let mut v: Vec<Country> = self.places.iter().map(|p| p.country).collect();
        v.sort();
        v.dedup();
        v
    }
}

/// One plan file, read.
#[derive(Debug, Clone)]
pub struct Plan {
    pub file: Arc<str>,
    pub terraform_version: Option<String>,
    /// A plan, or a state.
    pub kind: DocKind,
    pub encoding: Encoding,
    pub resources: Vec<Resource>,
}

/// What a `terraform show -json` document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// `terraform show -json PLANFILE`: what a change will deploy.
    Plan,
    /// `terraform show -json` (no plan file): what is deployed.
    State,
}

impl DocKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Plan => "plan",
            Self::State => "state",
        }
    }
}

fn diag(
    file: &str,
    pos: Option<Pos>,
    message: impl Into<String>,
    hint: Option<&str>,
) -> Diagnostic {
    Diagnostic {
        file: Some(file.to_string()),
        pos,
        message: message.into(),
        hint: hint.map(str::to_string),
        related: None,
    }
}

const SHOW_JSON: &str = "write the plan with `terraform plan -out=tfplan && terraform show -json tfplan > tfplan.json` (state: `terraform show -json > state.json`)";

/// How a plan file was encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Utf8 => "UTF-8",
            Self::Utf8Bom => "UTF-8 with BOM",
            Self::Utf16Le => "UTF-16LE",
            Self::Utf16Be => "UTF-16BE",
        }
    }
}

/// Read one `terraform show -json` document: a plan, or a state.
pub fn load(path: &Path) -> Result<Plan, Diagnostic> {
    let shown = path.display().to_string();
    // One bounded reader for every input file (src/diag.rs): the limit
    // counts bytes read; FIFOs and devices are refused before opening.
    // Bytes, not text: a plan may be UTF-16 (see `decode`).
    use crate::diag::ReadError;
    let bytes = crate::diag::read_limited(path, MAX_PLAN_BYTES).map_err(|e| match e {
        ReadError::NotFound => diag(&shown, None, "no such file", Some(SHOW_JSON)),
        ReadError::Directory => diag(
            &shown,
            None,
            "is a directory, not a plan file",
            Some(SHOW_JSON),
        ),
        ReadError::TooLarge { at, .. } => diag(&shown, Some(at), e.to_string(), None),
        _ => diag(&shown, None, e.to_string(), None),
    })?;
    from_bytes(&shown, bytes)
}

/// Read a plan or state from its bytes (`file` names it in messages).
pub fn from_bytes(file: &str, bytes: Vec<u8>) -> Result<Plan, Diagnostic> {
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(diag(
            file,
            None,
            "a binary plan file (the zip archive `terraform plan -out` writes), not its JSON form",
            Some("convert it: `terraform show -json tfplan > tfplan.json`"),
        ));
    }
    let (text, encoding) = decode(file, bytes)?;
    refuse_other_formats(file, &text)?;
    parse(file, &text, encoding)
}

/// Decode UTF-8 (with or without a byte-order mark) or UTF-16 (with a
/// byte-order mark, or recognisably `{\0` / `\0{` without one), as
/// PowerShell's `>` writes it.
fn decode(file: &str, bytes: Vec<u8>) -> Result<(String, Encoding), Diagnostic> {
    let utf16 = |bytes: &[u8], le: bool, encoding: Encoding| {
        if !bytes.len().is_multiple_of(2) {
            return Err(diag(
                file,
                None,
                format!(
                    "{}: an odd number of bytes, so the file is truncated or not UTF-16",
                    encoding.as_str()
                ),
                Some(SHOW_JSON),
            ));
        }
        let units = bytes.chunks_exact(2).map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        let mut text = String::with_capacity(bytes.len() / 2);
        for c in char::decode_utf16(units) {
            match c {
                Ok(c) => text.push(c),
                Err(e) => {
                    let pos = crate::inventory::byte_pos(text.as_bytes(), text.len());
                    return Err(diag(
                        file,
                        Some(pos),
                        format!(
                            "not valid {}: unpaired surrogate {:#06x}",
                            encoding.as_str(),
                            e.unpaired_surrogate()
                        ),
                        Some(SHOW_JSON),
                    ));
                }
            }
        }
        Ok((text, encoding))
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, true, Encoding::Utf16Le);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, false, Encoding::Utf16Be);
    }
    if bytes.len() >= 2 && bytes[0] != 0 && bytes[1] == 0 {
        return utf16(&bytes, true, Encoding::Utf16Le);
    }
    if bytes.len() >= 2 && bytes[0] == 0 && bytes[1] != 0 {
        return utf16(&bytes, false, Encoding::Utf16Be);
    }
    let (bytes, encoding) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(_) => (bytes[3..].to_vec(), Encoding::Utf8Bom),
        None => (bytes, Encoding::Utf8),
    };
    String::from_utf8(bytes)
        .map(|t| (t, encoding))
        .map_err(|e| {
            let pos = crate::inventory::byte_pos(e.as_bytes(), e.utf8_error().valid_up_to());
            diag(
                file,
                Some(pos),
                "not UTF-8 or UTF-16 text (the JSON plan is text)",
                Some(SHOW_JSON),
            )
        })
}

/// `terraform plan -json` (a stream of UI events) and `terraform show`
/// (text for people) are not the document this tool reads: say which one
/// it is and how to make the right file.
fn refuse_other_formats(file: &str, text: &str) -> Result<(), Diagnostic> {
    let body = text.trim_start();
    let first_line = body.lines().next().unwrap_or_default();
    if first_line.starts_with('{')
        && first_line.contains("\"@level\"")
        && first_line.contains("\"@message\"")
    {
        return Err(diag(
            file,
            Some(Pos { line: 1, column: 1 }),
            "this is the output of `terraform plan -json` (a stream of UI events, one JSON object per line), not a plan document",
            Some(
                "save the plan and show it as JSON instead: `terraform plan -out=tfplan && terraform show -json tfplan > tfplan.json`",
            ),
        ));
    }
    let human = [
        "Terraform will perform the following actions",
        "Terraform used the selected providers",
        "No changes. Your infrastructure matches the configuration",
        "Plan: ",
        "# ",
        "\u{1b}[",
    ];
    if !body.starts_with(['{', '[']) && human.iter().any(|h| body.contains(h)) {
        return Err(diag(
            file,
            Some(Pos { line: 1, column: 1 }),
            "this is the text output of `terraform plan` or `terraform show` (for people), not its JSON form",
            Some(
                "write JSON instead: `terraform plan -out=tfplan && terraform show -json tfplan > tfplan.json` (a state: `terraform show -json > state.json`)",
            ),
        ));
    }
    Ok(())
}

/// The top level of a `terraform show -json` document: only what the tool
/// needs; everything else (`prior_state`, `planned_values`,
/// `resource_drift`, …) is skipped without being built.
#[derive(Deserialize)]
struct RawDoc<'a> {
    format_version: Option<String>,
    terraform_version: Option<String>,
    #[serde(borrow)]
    resource_changes: Option<&'a RawValue>,
    #[serde(borrow)]
    configuration: Option<&'a RawValue>,
    #[serde(borrow)]
    variables: Option<&'a RawValue>,
    /// State (`terraform show -json` without a plan).
    #[serde(borrow)]
    values: Option<&'a RawValue>,
    planned_values: Option<serde::de::IgnoredAny>,
    errored: Option<bool>,
}

#[derive(Deserialize)]
struct RawChange<'a> {
    address: Option<String>,
    mode: Option<String>,
    #[serde(rename = "type")]
    rtype: Option<String>,
    provider_name: Option<String>,
    #[serde(borrow)]
    change: Option<RawChangeBody<'a>>,
}

#[derive(Deserialize)]
struct RawChangeBody<'a> {
    actions: Option<Vec<String>>,
    #[serde(borrow)]
    after: Option<&'a RawValue>,
    #[serde(borrow)]
    after_unknown: Option<&'a RawValue>,
}

/// A module of a state's `values`.
#[derive(Deserialize)]
struct RawStateModule<'a> {
    #[serde(borrow, default)]
    resources: Option<Vec<RawStateResource<'a>>>,
    #[serde(borrow, default)]
    child_modules: Option<Vec<&'a RawValue>>,
}

#[derive(Deserialize)]
struct RawStateResource<'a> {
    address: Option<String>,
    mode: Option<String>,
    #[serde(rename = "type")]
    rtype: Option<String>,
    provider_name: Option<String>,
    #[serde(borrow)]
    values: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct RawStateValues<'a> {
    #[serde(borrow)]
    root_module: Option<&'a RawValue>,
}

fn json_diag(file: &str, text: &str, encoding: Encoding, e: &serde_json::Error) -> Diagnostic {
    let msg = e.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
    let decoded = match encoding {
        Encoding::Utf8 => String::new(),
        other => format!(" (after decoding {})", other.as_str()),
    };
    let pos = Pos {
        line: e.line() as u32,
        column: e.column().max(1) as u32,
    };
    // Text mangled by a code-page conversion (UTF-8 read as CP949, CP1251,
    // …): the error sits in non-ASCII text with `?` or U+FFFD where
    // characters (and the closing quote) were lost.
    let mangled = e.is_syntax()
        && line_start(text, pos.line).is_some_and(|start| {
            let at = char_offset(text, start, pos.column as usize);
            let from = floor_char(text, at.saturating_sub(60));
            let window = &text[from..at];
            !window.is_ascii() && window.contains(['?', '\u{FFFD}'])
        });
    let hint = if mangled {
        "the text before this point is garbled (non-ASCII characters next to `?`), as a code-page conversion leaves it: export the plan again without re-encoding it (`terraform show -json tfplan > tfplan.json` in a POSIX shell, or `terraform show -json tfplan | Out-File -Encoding utf8 tfplan.json` in PowerShell)"
    } else {
        SHOW_JSON
    };
    diag(
        file,
        Some(pos),
        format!("not valid JSON{decoded}: {msg}"),
        Some(hint),
    )
}

fn line_start(text: &str, line: u32) -> Option<usize> {
    if line <= 1 {
        return Some(0);
    }
    text.match_indices('\n')
        .nth(line as usize - 2)
        .map(|(i, _)| i + 1)
}

/// The byte offset `column` characters after `start` (clamped).
fn char_offset(text: &str, start: usize, column: usize) -> usize {
    text[start..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(text.len(), |(i, _)| start + i)
}

fn floor_char(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn parse(file: &str, text: &str, encoding: Encoding) -> Result<Plan, Diagnostic> {
    let start = Some(Pos { line: 1, column: 1 });
    if !text.trim_start().starts_with('{') {
        // A JSON value that is not an object, or no JSON at all.
        return match serde_json::from_str::<serde::de::IgnoredAny>(text) {
            Err(e) => Err(json_diag(file, text, encoding, &e)),
            Ok(_) => Err(diag(
                file,
                start,
                "not a Terraform plan: expected a JSON object",
                Some(SHOW_JSON),
            )),
        };
    }
    let doc: RawDoc<'_> =
        serde_json::from_str(text).map_err(|e| json_diag(file, text, encoding, &e))?;
    let Some(version) = doc.format_version.as_deref() else {
        return Err(diag(
            file,
            start,
            "not a `terraform show -json` document: no format_version",
            Some(SHOW_JSON),
        ));
    };
    if !matches!(version.split('.').next(), Some("1")) && !matches!(version, "0.1" | "0.2") {
        return Err(diag(
            file,
            Some(find_pos(text, 0, "\"format_version\"")),
            format!(
                "unsupported format_version {version}: this tool reads formats 0.1, 0.2 (Terraform 0.12–1.0) and 1.x"
            ),
            None,
        ));
    }
    if doc.errored == Some(true) {
        return Err(diag(
            file,
            Some(find_pos(text, 0, "\"errored\"")),
            "Terraform reported errors while planning (errored: true): the plan is incomplete and cannot be judged",
            Some("fix the plan errors first"),
        ));
    }
    let file_arc: Arc<str> = file.into();
    let config: locate::Config<'_> = match doc.configuration {
        Some(raw) if raw.get() != "null" => serde_json::from_str(raw.get()).map_err(|e| {
            diag(
                file,
                Some(offset_pos(text, raw.get(), 0)),
                format!("`configuration`: {}", inner(&e)),
                None,
            )
        })?,
        _ => locate::Config::default(),
    };
    let variables: HashMap<String, &RawValue> = match doc.variables {
        Some(raw) => serde_json::from_str::<Option<HashMap<String, &RawValue>>>(raw.get())
            .ok()
            .flatten()
            .unwrap_or_default(),
        None => HashMap::new(),
    };
    let cx = locate::PlanContext::new(&config, &variables);
    let mut positions = Positions::new(text);
    let mut resources = Vec::new();
    let kind = if let Some(raw) = doc.resource_changes.filter(|r| r.get() != "null") {
        let changes: Vec<&RawValue> = serde_json::from_str(raw.get()).map_err(|_| {
            diag(
                file,
                Some(find_pos(text, 0, "\"resource_changes\"")),
                "`resource_changes` must be a list",
                None,
            )
        })?;
        for raw in changes {
            if let Some(r) = change(file, text, &file_arc, &cx, &mut positions, raw)? {
                resources.push(r);
            }
        }
        DocKind::Plan
    } else if doc.planned_values.is_some() {
        DocKind::Plan
    } else if let Some(values) = doc.values.filter(|r| r.get() != "null") {
        let v: RawStateValues<'_> = serde_json::from_str(values.get()).map_err(|e| {
            diag(
                file,
                Some(offset_pos(text, values.get(), 0)),
                format!("`values`: {}", inner(&e)),
                None,
            )
        })?;
        if let Some(root) = v.root_module {
            let mut stack = vec![(root, 0usize)];
            while let Some((m, depth)) = stack.pop() {
                if depth > 64 {
                    return Err(diag(
                        file,
                        Some(offset_pos(text, m.get(), 0)),
                        "state modules nested more than 64 levels deep",
                        None,
                    ));
                }
                let module: RawStateModule<'_> = serde_json::from_str(m.get()).map_err(|e| {
                    diag(
                        file,
                        Some(offset_pos(text, m.get(), 0)),
                        format!("state module: {}", inner(&e)),
                        None,
                    )
                })?;
                for sr in module.resources.into_iter().flatten() {
                    if let Some(r) = state_resource(file, text, &file_arc, &cx, &mut positions, sr)?
                    {
                        resources.push(r);
                    }
                }
                // Children in document order (the stack reverses them).
                for c in module.child_modules.into_iter().flatten().rev() {
                    stack.push((c, depth + 1));
                }
            }
        }
        DocKind::State
    } else if doc.values.is_some() {
        // `values: null`: an empty state.
        DocKind::State
    } else {
        return Err(diag(
            file,
            start,
            "neither a plan (`resource_changes`) nor a state (`values.root_module`)",
            Some(SHOW_JSON),
        ));
    };
    locate::inherit(&mut resources);
    Ok(Plan {
        file: file_arc,
        terraform_version: doc.terraform_version,
        kind,
        encoding,
        resources,
    })
}

/// A serde error inside a part of the document, without serde's position
/// (which counts from the start of that part, not of the file; the
/// diagnostic has the real one) and without internal type names.
fn inner(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let text = match text.rsplit_once(" at line ") {
        Some((m, _)) => m.to_string(),
        None => text,
    };
    text.replace("struct RawChangeBody", "an object")
        .replace("struct RawChange", "an object")
        .replace("struct RawStateModule", "an object")
        .replace("struct RawStateValues", "an object")
        .replace("struct RawStateResource", "an object")
}

/// Line and column of `inner` (a slice of `text`) plus `extra` bytes.
fn offset_pos(text: &str, inner: &str, extra: usize) -> Pos {
    let at = (inner.as_ptr() as usize).saturating_sub(text.as_ptr() as usize) + extra;
    crate::inventory::byte_pos(text.as_bytes(), at.min(text.len()))
}

fn change(
    file: &str,
    text: &str,
    file_arc: &Arc<str>,
    cx: &locate::PlanContext<'_, '_>,
    positions: &mut Positions<'_>,
    raw: &RawValue,
) -> Result<Option<Resource>, Diagnostic> {
    let obj = raw.get();
    let base = (obj.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
    let at = positions.at(base + obj.find("\"address\"").unwrap_or(0));
    let bad = |msg: &str| diag(file, Some(at), format!("resource change: {msg}"), None);
    let rc: RawChange<'_> = serde_json::from_str(obj).map_err(|e| bad(&inner(&e)))?;
    let Some(address) = rc.address else {
        return Err(bad("no `address`"));
    };
    if rc.mode.as_deref() == Some("data") {
        return Ok(None);
    }
    let rtype = rc.rtype.ok_or_else(|| bad("no `type`"))?;
    let change = rc.change.ok_or_else(|| bad("no `change`"))?;
    let actions: Vec<&str> = change
        .actions
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(String::as_str)
        .collect();
    let action =
        Action::of(&actions).ok_or_else(|| bad(&format!("unknown actions {actions:?}")))?;
    let loc = Loc {
        file: file_arc.clone(),
        line: at.line,
        column: at.column,
    };
    let live = action != Action::Delete;
    let after = value_of(change.after.filter(|_| live)).map_err(|e| bad(&e.to_string()))?;
    let after_unknown =
        value_of(change.after_unknown.filter(|_| live)).map_err(|e| bad(&e.to_string()))?;
    resource(
        cx,
        address,
        rtype,
        rc.provider_name.unwrap_or_default(),
        action,
        loc,
        after.as_ref().filter(|v| !v.is_null()),
        after_unknown.as_ref(),
    )
    .map(Some)
    .map_err(|e| bad(&e.to_string()))
}

fn state_resource(
    file: &str,
    text: &str,
    file_arc: &Arc<str>,
    cx: &locate::PlanContext<'_, '_>,
    positions: &mut Positions<'_>,
    sr: RawStateResource<'_>,
) -> Result<Option<Resource>, Diagnostic> {
    let at = match sr.values {
        Some(v) => {
            let base = (v.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
            positions.at(base)
        }
        None => positions.at(0),
    };
    let bad = |msg: &str| diag(file, Some(at), format!("state resource: {msg}"), None);
    let Some(address) = sr.address else {
        return Err(bad("no `address`"));
    };
    if sr.mode.as_deref() == Some("data") {
        return Ok(None);
    }
    let rtype = sr.rtype.ok_or_else(|| bad("no `type`"))?;
    let values = value_of(sr.values).map_err(|e| bad(&e.to_string()))?;
    let loc = Loc {
        file: file_arc.clone(),
        line: at.line,
        column: at.column,
    };
    resource(
        cx,
        address,
        rtype,
        sr.provider_name.unwrap_or_default(),
        Action::InState,
        loc,
        values.as_ref().filter(|v| !v.is_null()),
        None,
    )
    .map(Some)
    .map_err(|e| bad(&e.to_string()))
}

/// A resource's values that are not JSON: serde_json's words, without
/// its position (the diagnostic has the resource's).
#[derive(Debug, thiserror::Error)]
#[error("{}", inner(.0))]
struct ValueError(#[source] serde_json::Error);

/// One resource's values, built on their own (and dropped after use).
fn value_of(raw: Option<&RawValue>) -> Result<Option<Value>, ValueError> {
    raw.map(|r| serde_json::from_str::<Value>(r.get()).map_err(ValueError))
        .transpose()
}

/// A resource whose address is not a Terraform address.
#[derive(Debug, thiserror::Error)]
#[error("address `{address}`: {source}")]
struct BadAddress {
    address: String,
    source: tfaddr::AddressError,
}

#[allow(clippy::too_many_arguments)]
fn resource(
    cx: &locate::PlanContext<'_, '_>,
    address: String,
    rtype: String,
    provider: String,
    action: Action,
    loc: Loc,
    after: Option<&Value>,
    after_unknown: Option<&Value>,
) -> Result<Resource, BadAddress> {
    let parsed = tfaddr::parse(&address).map_err(|source| BadAddress {
        address: address.clone(),
        source,
    })?;
    let storage = catalogue::storage(&rtype);
    let mut r = Resource {
        address,
        parsed,
        rtype,
        provider,
        action,
        storage,
        places: Vec::new(),
        unknown: Vec::new(),
        residency_id: None,
        personal_data: None,
        loc,
        names: Vec::new(),
        parents: Vec::new(),
    };
    if action != Action::Delete {
        let tags = locate::tags(after);
        r.residency_id = tags
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(TAG_ID))
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty());
        r.personal_data = tags
            .iter()
            .find(|(k, _)| {
                k.eq_ignore_ascii_case(TAG_PD)
                    || k.eq_ignore_ascii_case("personal_data")
                    || k.eq_ignore_ascii_case("personaldata")
            })
            .and_then(|(_, v)| match v.trim().to_lowercase().as_str() {
                "true" | "yes" | "1" => Some(true),
                "false" | "no" | "0" => Some(false),
                _ => None,
            });
        cx.place(&mut r, after, after_unknown);
    }
    Ok(r)
}

fn find_pos(text: &str, from: usize, needle: &str) -> Pos {
    let i = text
        .get(from..)
        .and_then(|t| t.find(needle))
        .map_or(from, |i| from + i);
    crate::inventory::byte_pos(text.as_bytes(), i)
}

/// Byte offsets → line and column, in one pass over offsets that grow (a
/// plan is often one line of many megabytes: no rescanning from the start).
struct Positions<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: u32,
    /// Characters between the start of the line and `offset`.
    column: u32,
}

impl<'a> Positions<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            bytes: text.as_bytes(),
            offset: 0,
            line: 1,
            column: 0,
        }
    }

    fn at(&mut self, i: usize) -> Pos {
        let i = i.min(self.bytes.len());
        if i < self.offset {
            *self = Self {
                bytes: self.bytes,
                offset: 0,
                line: 1,
                column: 0,
            };
        }
        for &b in &self.bytes[self.offset..i] {
            if b == b'\n' {
                self.line += 1;
                self.column = 0;
            } else if b & 0xC0 != 0x80 {
                self.column += 1;
            }
        }
        self.offset = i;
        Pos {
            line: self.line,
            column: self.column + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_of_keys() {
        let text = "{\n  \"a\": 1,\n  \"address\" :  \"x.y\"\n}";
        let at = text.find("\"address\"").unwrap();
        let mut positions = Positions::new(text);
        assert_eq!(positions.at(at), Pos { line: 3, column: 3 });
        assert_eq!(positions.at(at + 4), Pos { line: 3, column: 7 });
        assert_eq!(positions.at(1), Pos { line: 1, column: 2 });
        let mut p = Positions::new("ж\nжж x");
        assert_eq!(p.at("ж\nжж ".len()), Pos { line: 2, column: 4 });
        assert_eq!(
            crate::inventory::byte_pos("ab\ncd".as_bytes(), 4),
            Pos { line: 2, column: 2 }
        );
    }

    #[test]
    fn values_and_addresses_that_cannot_be_read_are_typed_errors() {
        // Valid JSON text, but no JSON value: the number is out of range.
        let raw = RawValue::from_string("{\"size\": 1e400}".to_string()).unwrap();
        let e = value_of(Some(&raw)).unwrap_err();
        assert!(e.0.is_data() || e.0.is_syntax(), "{e:?}");
        assert!(!e.to_string().contains(" at line "), "{e}");
        assert_eq!(value_of(None).unwrap(), None);

        let config = locate::Config::default();
        let variables = HashMap::new();
        let cx = locate::PlanContext::new(&config, &variables);
        let loc = Loc {
            file: Arc::from("plan.json"),
            line: 1,
            column: 1,
        };
        let e = resource(
            &cx,
            "aws_s3_bucket".into(),
            "aws_s3_bucket".into(),
            String::new(),
            Action::Create,
            loc,
            None,
            None,
        )
        .unwrap_err();
        assert!(
            matches!(&e.source, tfaddr::AddressError::NoResourceName(t) if t == "aws_s3_bucket"),
            "{e:?}"
        );
        assert_eq!(e.address, "aws_s3_bucket");
        assert!(
            e.to_string().starts_with("address `aws_s3_bucket`: "),
            "{e}"
        );
    }

    #[test]
    fn actions() {
        assert_eq!(Action::of(&["delete", "create"]), Some(Action::Replace));
        assert_eq!(Action::of(&["no-op"]), Some(Action::NoOp));
        assert_eq!(Action::of(&["explode"]), None);
    }

    /// The plan reader on arbitrary JSON-ish input: a plan or an error,
    /// never a panic; errors name the file and, with a position, a line
    /// and column that exist.
    mod property {
        use super::super::from_bytes;
        use proptest::prelude::*;

        const SEED: &str = include_str!("../../tests/fixtures/terraform/azure-children-grs.json");

        fn token() -> impl Strategy<Value = String> {
            prop_oneof![
                Just("{".to_string()),
                Just("}".to_string()),
                Just("[".to_string()),
                Just("]".to_string()),
                Just(",".to_string()),
                Just(":".to_string()),
                Just("null".to_string()),
                Just("true".to_string()),
                Just("\"format_version\"".to_string()),
                Just("\"1.2\"".to_string()),
                Just("\"0.1\"".to_string()),
                Just("\"resource_changes\"".to_string()),
                Just("\"configuration\"".to_string()),
                Just("\"values\"".to_string()),
                Just("\"root_module\"".to_string()),
                Just("\"child_modules\"".to_string()),
                Just("\"address\"".to_string()),
                Just("\"aws_s3_bucket.b\"".to_string()),
                Just("\"type\"".to_string()),
                Just("\"change\"".to_string()),
                Just("\"actions\"".to_string()),
                Just("[\"create\"]".to_string()),
                Just("\"after\"".to_string()),
                Just("\"provider_name\"".to_string()),
                Just("\"aws\"".to_string()),
                Just("\"@level\"".to_string()),
                "\"[a-z_\\.\\[\\]0-9ж]{0,12}\"",
                "[ \n\t]{1,3}",
                any::<i64>().prop_map(|n| n.to_string()),
            ]
        }

        fn input() -> impl Strategy<Value = Vec<u8>> {
            prop_oneof![
                proptest::collection::vec(any::<u8>(), 0..256),
                proptest::collection::vec(token(), 0..64).prop_map(|t| t.concat().into_bytes()),
                // A real plan, cut and with bytes changed.
                (
                    0..SEED.len(),
                    proptest::collection::vec((0..SEED.len(), any::<u8>()), 0..4)
                )
                    .prop_map(|(cut, edits)| {
                        let mut b = SEED.as_bytes().to_vec();
                        for (i, v) in edits {
                            b[i] = v;
                        }
                        b.truncate(cut.max(1));
                        b
                    }),
                // The same text as UTF-16 with a byte-order mark, cut.
                (0..SEED.len()).prop_map(|cut| {
                    let mut b = vec![0xFF, 0xFE];
                    for u in SEED.encode_utf16() {
                        b.extend(u.to_le_bytes());
                    }
                    b.truncate(cut);
                    b
                }),
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig {
                cases: 512,
                failure_persistence: None,
                ..ProptestConfig::default()
            })]
            #[test]
            fn plan_reader_never_panics(bytes in input()) {
                let lines = bytes.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
                match from_bytes("fuzz.json", bytes) {
                    Ok(plan) => prop_assert_eq!(&*plan.file, "fuzz.json"),
                    Err(d) => {
                        prop_assert_eq!(d.file.as_deref(), Some("fuzz.json"));
                        prop_assert!(!d.message.is_empty());
                        if let Some(pos) = d.pos {
                            prop_assert!(pos.line >= 1 && pos.line <= lines.max(1) + 1, "{:?}", pos);
                            prop_assert!(pos.column >= 1);
                        }
                    }
                }
            }
        }

        #[test]
        fn the_seed_is_a_plan() {
            let plan = from_bytes("seed.json", SEED.as_bytes().to_vec()).unwrap();
            assert_eq!(plan.resources.len(), 6);
        }
    }
}
