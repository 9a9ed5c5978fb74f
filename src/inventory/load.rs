//! Reading inventory files: text → YAML tree → the `Raw*` forms of each
//! section, with every problem located.

use super::validate::{List, Validator};
use super::yaml::Kind;
use super::*;

#[derive(Default)]
pub(super) struct Loader {
    pub(super) diags: Vec<Diagnostic>,
    pub(super) organization: Option<(raw::RawOrganization, Loc)>,
    pub(super) declarations: Option<(raw::RawDeclarations, Loc)>,
    pub(super) networks: Vec<(raw::RawNetwork, Loc)>,
    /// Entities are validated as they are read (their checks need no
    /// other entity): a 100,000-entity file never exists as raw forms.
    pub(super) databases: Vec<Entity>,
    pub(super) processors: Vec<Entity>,
    pub(super) partners: Vec<Entity>,
    pub(super) transfers: Vec<(RawTransfer, Loc)>,
    pub(super) waivers: Vec<(RawWaiver, Loc)>,
    pub(super) filings: Vec<(filings::RawFiling, Loc)>,
}

impl Loader {
    fn error(
        &mut self,
        file: &Arc<str>,
        pos: Option<Pos>,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        self.diags.push(Diagnostic {
            file: Some(file.to_string()),
            pos,
            message: message.into(),
            hint,
            related: None,
        });
    }

    /// Point the last problem also at `first`, the earlier place.
    fn first_given_at(&mut self, first: Loc) {
        if let Some(d) = self.diags.pop() {
            let d = d.with_related(first.file.to_string(), first.pos(), "first given here");
            self.diags.push(d);
        }
    }

    pub(super) fn read_file(&mut self, path: &Path) {
        let file: Arc<str> = path.display().to_string().into();
        let text = match crate::diag::read_text(path, MAX_FILE_BYTES) {
            Ok(t) => t,
            Err(d) => {
                let hint = d.hint.or_else(|| {
                    d.message
                        .starts_with("file too large")
                        .then(|| "split the inventory into several files".to_string())
                });
                return self.error(&file, d.pos, d.message, hint);
            }
        };
        // Items of the lists are read as the parser finishes each one; if
        // the file turns out not to parse, what was made of them goes.
        let before = self.lengths();
        let parsed = yaml::parse_streaming(&text, &mut |key, item| {
            self.list_item(&file, key, item);
        });
        let root = match parsed {
            Ok(root) => root,
            Err(e) => {
                self.truncate(before);
                return self.error(&file, e.pos, e.message, e.hint);
            }
        };
        self.read_root(&file, &root);
    }

    fn lengths(&self) -> [usize; 8] {
        [
            self.diags.len(),
            self.networks.len(),
            self.databases.len(),
            self.processors.len(),
            self.partners.len(),
            self.transfers.len(),
            self.waivers.len(),
            self.filings.len(),
        ]
    }

    fn truncate(&mut self, to: [usize; 8]) {
        self.diags.truncate(to[0]);
        self.networks.truncate(to[1]);
        self.databases.truncate(to[2]);
        self.processors.truncate(to[3]);
        self.partners.truncate(to[4]);
        self.transfers.truncate(to[5]);
        self.waivers.truncate(to[6]);
        self.filings.truncate(to[7]);
    }

    fn read_root(&mut self, file: &Arc<str>, root: &Node) {
        let start = Pos { line: 1, column: 1 };
        let entries = match &root.kind {
            Kind::Map(entries) => entries,
            Kind::Null => {
                return self.error(
                    file,
                    Some(start),
                    "empty file: missing required key `version`",
                    None,
                );
            }
            _ => {
                return self.error(
                    file,
                    Some(root.pos),
                    "an inventory file must be a mapping (version: 1, databases: …)",
                    None,
                );
            }
        };
        let loc = |pos: Pos| Loc {
            file: file.clone(),
            line: pos.line,
            column: pos.column,
        };
        let mut saw_version = false;
        for (key, value) in entries {
            let Kind::Str(name) = &key.kind else {
                self.error(file, Some(key.pos), "keys must be names", None);
                continue;
            };
            match name.as_ref() {
                "version" => {
                    saw_version = true;
                    match yaml::from_node::<Sp<u32>>(value) {
                        Ok(v) if v.value == 1 => {}
                        _ => self.error(
                            file,
                            Some(value.pos),
                            "unsupported inventory version; this tool reads `version: 1`",
                            None,
                        ),
                    }
                }
                "organization" => {
                    if let Some(first) = self.organization.as_ref().map(|(_, l)| l.clone()) {
                        let msg = format!(
                            "`organization` is already given at {first}; it may appear in one file only"
                        );
                        self.error(file, Some(key.pos), msg, None);
                        self.first_given_at(first);
                    } else if let Some(org) = self.item(file, value) {
                        self.organization = Some((org, loc(key.pos)));
                    }
                }
                "declarations" => {
                    if let Some(first) = self.declarations.as_ref().map(|(_, l)| l.clone()) {
                        let msg = format!(
                            "`declarations` is already given at {first}; it may appear in one file only"
                        );
                        self.error(file, Some(key.pos), msg, None);
                        self.first_given_at(first);
                    } else if let Some(d) = self.item(file, value) {
                        self.declarations = Some((d, loc(key.pos)));
                    }
                }
                "networks" | "databases" | "processors" | "partners" | "transfers" | "waivers"
                | "filings" => self.list(file, name, value),
                other => {
                    let hint = crate::reference::closest(other, raw::file_keys().iter().copied())
                        .map(|k| format!("did you mean `{k}`?"))
                        .unwrap_or_else(|| {
                            format!("expected one of: {}", raw::file_keys().join(", "))
                        });
                    self.error(
                        file,
                        Some(key.pos),
                        format!("unknown key `{other}`"),
                        Some(hint),
                    );
                }
            }
        }
        if !saw_version {
            self.error(
                file,
                Some(start),
                "missing required key `version` (write `version: 1`)",
                None,
            );
        }
    }

    fn item<T: for<'a> serde::Deserialize<'a>>(
        &mut self,
        file: &Arc<str>,
        node: &Node,
    ) -> Option<T> {
        match yaml::from_node::<T>(node) {
            Ok(v) => Some(v),
            Err(e) => {
                self.error(file, e.pos, e.message, e.hint);
                None
            }
        }
    }

    /// A list section's value: a list (its items were read as they came,
    /// see [`Self::list_item`]) or nothing.
    fn list(&mut self, file: &Arc<str>, key: &str, node: &Node) {
        match &node.kind {
            Kind::Seq(items) => {
                // Items the streaming parse kept (a list with an anchor).
                for item in items {
                    self.list_item(file, key, item);
                }
            }
            Kind::Null => {}
            _ => self.error(
                file,
                Some(node.pos),
                "expected a list (items start with `- `)",
                None,
            ),
        }
    }

    /// One item of the list `key` (anything else is not a list section:
    /// `read_root` reports unknown keys).
    fn list_item(&mut self, file: &Arc<str>, key: &str, item: &Node) {
        match key {
            "networks" => self.push(file, item, |l| &mut l.networks),
            "databases" => self.push_entity(file, item, Validator::database, |l| &mut l.databases),
            "processors" => self.push_entity(
                file,
                item,
                |v, p, loc| v.third_party(p, loc, List::Processors),
                |l| &mut l.processors,
            ),
            "partners" => self.push_entity(
                file,
                item,
                |v, p, loc| v.third_party(p, loc, List::Partners),
                |l| &mut l.partners,
            ),
            "transfers" => self.push(file, item, |l| &mut l.transfers),
            "waivers" => self.push(file, item, |l| &mut l.waivers),
            "filings" => self.push(file, item, |l| &mut l.filings),
            _ => {}
        }
    }

    /// Read one entity and keep it validated in the list `to` picks.
    fn push_entity<T: for<'a> serde::Deserialize<'a>>(
        &mut self,
        file: &Arc<str>,
        item: &Node,
        validate: impl FnOnce(&mut Validator, T, Loc) -> Option<Entity>,
        to: fn(&mut Self) -> &mut Vec<Entity>,
    ) {
        if let Some(raw) = self.item(file, item) {
            let loc = Loc {
                file: file.clone(),
                line: item.pos.line,
                column: item.pos.column,
            };
            let mut v = Validator {
                diags: std::mem::take(&mut self.diags),
            };
            let entity = validate(&mut v, raw, loc);
            self.diags = v.diags;
            to(self).extend(entity);
        }
    }

    /// Read one list item and keep it, located, in the list `to` picks.
    fn push<T: for<'a> serde::Deserialize<'a>>(
        &mut self,
        file: &Arc<str>,
        item: &Node,
        to: fn(&mut Self) -> &mut Vec<(T, Loc)>,
    ) {
        if let Some(v) = self.item(file, item) {
            let loc = Loc {
                file: file.clone(),
                line: item.pos.line,
                column: item.pos.column,
            };
            to(self).push((v, loc));
        }
    }
}
