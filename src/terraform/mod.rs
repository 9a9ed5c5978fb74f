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

pub mod catalog;
mod link;
mod locate;

use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

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
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Replace => "replace",
            Self::NoOp => "no-op",
            Self::Delete => "delete",
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
    pub storage: Option<&'static catalog::Storage>,
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
    pub resources: Vec<Resource>,
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
    }
}

const SHOW_JSON: &str =
    "write the plan with `terraform plan -out=tfplan && terraform show -json tfplan > tfplan.json`";

/// Read one `terraform show -json` plan.
pub fn load(path: &Path) -> Result<Plan, Diagnostic> {
    let shown = path.display().to_string();
    // One bounded reader for every input file (src/diag.rs): the limit
    // counts bytes read; FIFOs and devices are refused before opening.
    let text = crate::diag::read_text(path, MAX_PLAN_BYTES).map_err(|d| {
        let zip = || {
            let mut head = [0u8; 4];
            std::fs::File::open(path)
                .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
                .is_ok_and(|()| &head == b"PK\x03\x04")
        };
        match d.message.as_str() {
            "no such file or directory" => diag(&shown, None, "no such file", Some(SHOW_JSON)),
            "is a directory, not a file" => diag(
                &shown,
                None,
                "is a directory, not a plan file",
                Some(SHOW_JSON),
            ),
            _ if d.pos.is_some() && zip() => diag(
                &shown,
                None,
                "a binary plan file, not its JSON form",
                Some("convert it: `terraform show -json tfplan > tfplan.json`"),
            ),
            _ => d,
        }
    })?;
    if text.starts_with("PK\x03\x04") {
        return Err(diag(
            &shown,
            None,
            "a binary plan file, not its JSON form",
            Some("convert it: `terraform show -json tfplan > tfplan.json`"),
        ));
    }
    let root: Value = serde_json::from_str(&text).map_err(|e| {
        let msg = e.to_string();
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        diag(
            &shown,
            Some(Pos {
                line: e.line() as u32,
                column: e.column().max(1) as u32,
            }),
            format!("not JSON: {msg}"),
            Some(SHOW_JSON),
        )
    })?;
    parse(&shown, &text, &root)
}

fn parse(file: &str, text: &str, root: &Value) -> Result<Plan, Diagnostic> {
    let start = Some(Pos { line: 1, column: 1 });
    let Some(obj) = root.as_object() else {
        return Err(diag(
            file,
            start,
            "not a Terraform plan: expected a JSON object",
            Some(SHOW_JSON),
        ));
    };
    let Some(version) = obj.get("format_version").and_then(Value::as_str) else {
        return Err(diag(
            file,
            start,
            "not a `terraform show -json` document: no format_version",
            Some(SHOW_JSON),
        ));
    };
    if version.split('.').next() != Some("1") {
        return Err(diag(
            file,
            Some(find_pos(text, 0, "\"format_version\"")),
            format!("unsupported format_version {version}: this tool reads plans of format 1.x"),
            None,
        ));
    }
    if !obj.contains_key("resource_changes") && !obj.contains_key("planned_values") {
        return Err(diag(
            file,
            start,
            "this is Terraform state, not a plan: it has no planned changes",
            Some(SHOW_JSON),
        ));
    }
    if obj.get("errored").and_then(Value::as_bool) == Some(true) {
        return Err(diag(
            file,
            Some(find_pos(text, 0, "\"errored\"")),
            "Terraform reported errors while planning (errored: true): the plan is incomplete and cannot be judged",
            Some("fix the plan errors first"),
        ));
    }
    let file_arc: Arc<str> = file.into();
    let cx = locate::PlanContext::new(obj);
    let changes_at = text.find("\"resource_changes\"").unwrap_or(0);
    let mut resources = Vec::new();
    let mut search_from = changes_at;
    let mut positions = Positions::new(text);
    let empty = Vec::new();
    let changes = match obj.get("resource_changes") {
        None | Some(Value::Null) => &empty,
        Some(Value::Array(a)) => a,
        Some(_) => {
            return Err(diag(
                file,
                Some(find_pos(text, 0, "\"resource_changes\"")),
                "`resource_changes` must be a list",
                None,
            ));
        }
    };
    for rc in changes {
        let address = rc.get("address").and_then(Value::as_str);
        let at = match address {
            None => positions.at(search_from),
            Some(a) => {
                let needle = serde_json::to_string(a).unwrap_or_default();
                let (at, next) = find_value(text, search_from, "\"address\"", &needle);
                search_from = next;
                positions.at(at)
            }
        };
        let bad = |msg: &str| diag(file, Some(at), format!("resource change: {msg}"), None);
        let Some(address) = address else {
            return Err(bad("no `address`"));
        };
        if rc.get("mode").and_then(Value::as_str) == Some("data") {
            continue;
        }
        let rtype = rc
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("no `type`"))?;
        let parsed =
            tfaddr::parse(address).map_err(|e| bad(&format!("address `{address}`: {e}")))?;
        let change = rc.get("change").ok_or_else(|| bad("no `change`"))?;
        let actions: Vec<&str> = change
            .get("actions")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let action =
            Action::of(&actions).ok_or_else(|| bad(&format!("unknown actions {actions:?}")))?;
        let provider = rc
            .get("provider_name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let storage = catalog::storage(rtype);
        let loc = Loc {
            file: file_arc.clone(),
            line: at.line,
            column: at.column,
        };
        let mut r = Resource {
            address: address.to_string(),
            parsed,
            rtype: rtype.to_string(),
            provider,
            action,
            storage,
            places: Vec::new(),
            unknown: Vec::new(),
            residency_id: None,
            personal_data: None,
            loc,
        };
        if action != Action::Delete {
            let after = change.get("after").filter(|v| !v.is_null());
            let after_unknown = change.get("after_unknown");
            let tags = locate::tags(after);
            r.residency_id = tags
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(TAG_ID))
                .map(|(_, v)| v.trim().to_string())
                .filter(|v| !v.is_empty());
            r.personal_data = tags
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(TAG_PD))
                .map(|(_, v)| matches!(v.trim().to_lowercase().as_str(), "true" | "yes" | "1"));
            cx.place(&mut r, after, after_unknown);
        }
        resources.push(r);
    }
    Ok(Plan {
        file: file_arc,
        terraform_version: obj
            .get("terraform_version")
            .and_then(Value::as_str)
            .map(str::to_string),
        resources,
    })
}

fn find_pos(text: &str, from: usize, needle: &str) -> Pos {
    let i = text
        .get(from..)
        .and_then(|t| t.find(needle))
        .map_or(from, |i| from + i);
    crate::inventory::byte_pos(text.as_bytes(), i)
}

/// The byte offset of `"key": value` at or after `from`, and where to
/// search next. Whitespace between key, colon and value is allowed.
fn find_value(text: &str, from: usize, key: &str, value: &str) -> (usize, usize) {
    let mut at = from;
    while let Some(i) = text.get(at..).and_then(|t| t.find(key)) {
        let k = at + i;
        let rest = text[k + key.len()..].trim_start();
        if let Some(rest) = rest.strip_prefix(':')
            && rest.trim_start().starts_with(value)
        {
            return (k, k + key.len());
        }
        at = k + key.len();
    }
    (from, from)
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
        let (at, _) = find_value(text, 0, "\"address\"", "\"x.y\"");
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
    fn actions() {
        assert_eq!(Action::of(&["delete", "create"]), Some(Action::Replace));
        assert_eq!(Action::of(&["no-op"]), Some(Action::NoOp));
        assert_eq!(Action::of(&["explode"]), None);
    }
}
