//! Reading inventory files: text → YAML tree → the `Raw*` forms of each
//! section, with every problem located.

use super::validate::{List, Validator};
use super::yaml::Kind;
use super::*;

/// Files at least this large are parsed on a second thread.
const PARSE_ON_A_THREAD: usize = 1 << 20;

/// The top-level keys whose values are lists of items.
const LIST_SECTIONS: [&str; 7] = [
    "networks",
    "databases",
    "processors",
    "partners",
    "transfers",
    "waivers",
    "filings",
];

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
        self.read_text(&file, &text, text.len() >= PARSE_ON_A_THREAD);
    }

    /// Read one file's text, parsing it on a second thread (`beside`) or
    /// on this one.
    fn read_text(&mut self, file: &Arc<str>, text: &str, beside: bool) {
        let file = file.clone();
        // Items of the lists are read as the parser finishes each one; if
        // the file turns out not to parse, what was made of them goes.
        let before = self.lengths();
        let parsed = if !beside {
            yaml::parse_streaming(text, &mut |key, item| {
                self.list_item(&file, key, &item);
            })
        } else {
            self.parse_beside(&file, text)
        };
        let root = match parsed {
            Ok(root) => root,
            Err(e) => {
                self.truncate(before);
                return self.error(&file, e.pos, e.message, e.hint);
            }
        };
        self.read_root(&file, &root);
    }

    /// Parse `text` on a second thread while this one reads and validates
    /// the list items it hands over (in batches, at most a few batches
    /// ahead): on a large file the two take turns no more.
    fn parse_beside<'t>(
        &mut self,
        file: &Arc<str>,
        text: &'t str,
    ) -> Result<Node<'t>, yaml::Error> {
        const BATCH: usize = 256;
        type Batch<'t> = Vec<(&'static str, Node<'t>)>;
        std::thread::scope(|s| {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Batch<'t>>(4);
            let parser = s.spawn(move || {
                let mut batch: Batch<'t> = Vec::with_capacity(BATCH);
                let parsed = yaml::parse_streaming(text, &mut |key, item| {
                    // Only sections are read; anything else is reported
                    // (or ignored) from the tree.
                    let Some(section) = LIST_SECTIONS.iter().find(|s| **s == key) else {
                        return;
                    };
                    batch.push((section, item));
                    if batch.len() == BATCH {
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                        // The reader stopped only if it panicked: join says so.
                        let _ = tx.send(full);
                    }
                });
                if !batch.is_empty() {
                    let _ = tx.send(batch);
                }
                parsed
            });
            for batch in rx {
                for (section, item) in batch {
                    self.list_item(file, section, &item);
                }
            }
            parser
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
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
                section if LIST_SECTIONS.contains(&section) => self.list(file, section, value),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What a loader made of a text: entity ids and problems.
    fn read(text: &str, beside: bool) -> (Vec<String>, Vec<String>) {
        let mut l = Loader::default();
        l.read_text(&Arc::from("big.yaml"), text, beside);
        let ids = l
            .databases
            .iter()
            .chain(&l.processors)
            .chain(&l.partners)
            .map(|e| e.id.clone())
            .collect();
        let diags = l
            .diags
            .iter()
            .map(|d| format!("{:?} {}", d.pos, d.message))
            .collect();
        (ids, diags)
    }

    fn big(tail: &str) -> String {
        let mut t = String::from("version: 1\ndatabases:\n");
        for i in 0..3000 {
            t.push_str(&format!(
                "  - id: db-{i}\n    hosts: [10.0.0.{}]\n",
                i % 250
            ));
            if i == 1234 {
                t.push_str("  - id: Bad Id\n");
            }
        }
        t.push_str("processors:\n  - {id: ops, country: DE}\n");
        t.push_str(tail);
        t
    }

    #[test]
    fn parsing_beside_reads_what_parsing_inline_reads() {
        for tail in [
            "",
            // A file that does not parse: nothing made of its items stays.
            "partners:\n  - {id: x, country: [\n",
            // A duplicate section key, after every item was handed over.
            "databases:\n  - {id: late}\n",
        ] {
            let text = big(tail);
            let inline = read(&text, false);
            let beside = read(&text, true);
            assert_eq!(inline, beside, "tail {tail:?}");
        }
        let (ids, diags) = read(&big(""), true);
        assert_eq!(ids.len(), 3001);
        assert_eq!(diags.len(), 1, "{diags:?}");
        let (ids, diags) = read(&big("partners:\n  - {id: x, country: [\n"), true);
        assert!(ids.is_empty(), "{ids:?}");
        assert_eq!(diags.len(), 1, "only the syntax error: {diags:?}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 64, failure_persistence: None, ..Default::default() })]

        /// Any mix of good, bad and broken items, sections and keys: the
        /// parse on a second thread reads what the parse inline reads.
        #[test]
        fn beside_and_inline_agree(lines in proptest::collection::vec(0..9usize, 0..400)) {
            const LINES: [&str; 9] = [
                "  - {id: db-x, hosts: [10.0.0.1]}\n",
                "  - id: Bad Id\n",
                "  - {id: ops, country: DE, legal_basis: consent}\n",
                "processors:\n",
                "partners:\n",
                "databases:\n",
                "  - {id: [\n",
                "  - &a {id: anchored}\n",
                "unknown: 1\n",
            ];
            let mut text = String::from("version: 1\ndatabases:\n");
            for i in lines {
                text.push_str(LINES[i]);
            }
            proptest::prop_assert_eq!(read(&text, false), read(&text, true));
        }
    }
}
