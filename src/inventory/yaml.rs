//! YAML text → a position-annotated tree, and a serde `Deserializer` over it.
//!
//! serde-saphyr parses the text (with budgets against alias bombs and deep
//! nesting); we keep the result as a small tree of [`Node`]s that remember
//! their line and column. The typed inventory is then deserialized from that
//! tree one entity at a time, so one run reports *every* broken entity, each
//! error carrying the position of the key or value that caused it, and
//! unknown keys or values get a "did you mean" hint.
//!
//! Plain scalars keep their source text: `country: NO` is the string "NO"
//! (Norway), never the YAML 1.1 boolean `false`, and `1.10` stays "1.10".

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};

/// Line and column (both 1-based) of a node in its file.
pub use crate::diag::Pos;

/// A YAML value with its position.
#[derive(Debug, Clone)]
pub struct Node {
    pub kind: Kind,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub enum Kind {
    Null,
    /// A non-string scalar: its source text and what YAML made of it.
    Scalar(String, Scalar),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

#[derive(Debug, Clone, Copy)]
pub enum Scalar {
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
}

impl Node {
    /// The keys of a mapping node, with positions (empty for other kinds).
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            Kind::Map(entries) => entries
                .iter()
                .find(|(k, _)| matches!(&k.kind, Kind::Str(s) if s == key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    fn type_name(&self) -> de::Unexpected<'_> {
        match &self.kind {
            Kind::Null => de::Unexpected::Unit,
            Kind::Scalar(_, Scalar::Bool(b)) => de::Unexpected::Bool(*b),
            Kind::Scalar(_, Scalar::Int(i)) => de::Unexpected::Signed(*i),
            Kind::Scalar(_, Scalar::UInt(u)) => de::Unexpected::Unsigned(*u),
            Kind::Scalar(_, Scalar::Float(f)) => de::Unexpected::Float(*f),
            Kind::Str(_) => de::Unexpected::Other("a string"),
            Kind::Seq(_) => de::Unexpected::Seq,
            Kind::Map(_) => de::Unexpected::Map,
        }
    }
}

/// A problem found while reading YAML: message, where, and an optional hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub message: String,
    pub pos: Option<Pos>,
    pub hint: Option<String>,
}

impl Error {
    pub fn new(message: impl Into<String>, pos: Pos) -> Self {
        Self {
            message: message.into(),
            pos: Some(pos),
            hint: None,
        }
    }

    /// Attach a position unless a deeper node already did.
    fn at(mut self, pos: Pos) -> Self {
        self.pos.get_or_insert(pos);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self {
            message: msg.to_string(),
            pos: None,
            hint: None,
        }
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Self {
            message: format!("unknown key `{field}`"),
            pos: None,
            hint: Some(
                match crate::reference::closest(field, expected.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("expected one of: {}", expected.join(", ")),
                },
            ),
        }
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        Self {
            message: format!("unknown value `{variant}`"),
            pos: None,
            hint: Some(
                match crate::reference::closest(variant, expected.iter().copied()) {
                    Some(best) => format!(
                        "did you mean `{best}`? (expected one of: {})",
                        expected.join(", ")
                    ),
                    None => format!("expected one of: {}", expected.join(", ")),
                },
            ),
        }
    }

    fn missing_field(field: &'static str) -> Self {
        Self {
            message: format!("missing required key `{field}`"),
            pos: None,
            hint: None,
        }
    }

    fn duplicate_field(field: &'static str) -> Self {
        Self {
            message: format!("key `{field}` appears twice"),
            pos: None,
            hint: None,
        }
    }
}

/// Limits that keep hostile input cheap: alias bombs, deep nesting, huge
/// files. Events and nodes are budgeted in proportion to the text (every
/// event but an alias's replay takes at least one byte of it), so an
/// honest file of any size under the file limit loads — 100,000 entities
/// in one file — while what aliases replay, how many aliases there are
/// and how deep the nesting goes have fixed caps.
pub const MAX_DEPTH: usize = 32;
/// The event and node budget of a small file; a larger one gets one per byte.
pub const MIN_NODES: usize = 1_000_000;
pub const MAX_ALIASES: usize = 1_000;
pub const MAX_REPLAYED: usize = 100_000;

/// A budget breach in words (the parser prints its `Debug` form, e.g.
/// `budget breached: Depth { depth: 33 }`).
fn budget_words(message: &str) -> String {
    let Some(breach) = message.strip_prefix("budget breached: ") else {
        return message.to_string();
    };
    let kind = breach.split([' ', '{']).next().unwrap_or_default();
    match kind {
        "Depth" => format!("nested more than {MAX_DEPTH} levels deep"),
        "Aliases" => format!("more than {MAX_ALIASES} aliases"),
        _ => format!("document too large or too deeply nested ({breach})"),
    }
}

/// Parse YAML text into a [`Node`] tree. An empty document is `Null`.
pub fn parse(text: &str) -> Result<Node, Error> {
    let mut budget = serde_saphyr::Budget::default();
    let per_byte = MIN_NODES.max(text.len().saturating_add(64));
    budget.max_depth = MAX_DEPTH;
    budget.max_nodes = per_byte;
    budget.max_events = per_byte.saturating_add(MAX_REPLAYED);
    budget.max_aliases = MAX_ALIASES;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.strict_booleans = true;
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::Error;
    // Aliases are rare in inventories; a document that replays more than
    // this through them is an alias bomb, stopped before it costs memory.
    options.alias_limits.max_total_replayed_events = MAX_REPLAYED;
    options.alias_limits.max_replay_stack_depth = MAX_DEPTH;
    match serde_saphyr::from_str_with_options::<Option<serde_saphyr::Spanned<Raw>>>(text, options) {
        Ok(None) => Ok(Node {
            kind: Kind::Null,
            pos: Pos { line: 1, column: 1 },
        }),
        Ok(Some(root)) => Ok(root.value.into_node(root.referenced, text)),
        Err(err) => {
            let pos = err.location().map(|l| Pos {
                line: l.line() as u32,
                column: l.column() as u32,
            });
            let rendered = err.render_with_options(serde_saphyr::render_options! {
                snippets: serde_saphyr::SnippetMode::Off,
            });
            // The plain rendering ends with " at line L, column C"; we print
            // positions ourselves in file:line:column form.
            let message = match rendered.find(" at line ") {
                Some(i) => rendered[..i].to_string(),
                None => rendered,
            };
            let message = budget_words(
                &message.replace(", set DuplicateKeyPolicy in Options if acceptable", ""),
            );
            Err(Error {
                message: format!("YAML: {message}"),
                pos,
                hint: None,
            })
        }
    }
}

/// What serde-saphyr hands us, before scalars get their source text back.
enum Raw {
    Null,
    Scalar(Scalar),
    Str(String),
    Seq(Vec<serde_saphyr::Spanned<Raw>>),
    Map(Vec<(serde_saphyr::Spanned<Raw>, serde_saphyr::Spanned<Raw>)>),
}

impl Raw {
    fn into_node(self, loc: serde_saphyr::Location, text: &str) -> Node {
        let pos = Pos {
            line: loc.line() as u32,
            column: loc.column() as u32,
        };
        let kind = match self {
            Self::Null => Kind::Null,
            Self::Str(s) => Kind::Str(s),
            Self::Scalar(s) => {
                Kind::Scalar(source_text(loc, text).unwrap_or_else(|| scalar_text(s)), s)
            }
            Self::Seq(items) => Kind::Seq(
                items
                    .into_iter()
                    .map(|i| i.value.into_node(i.referenced, text))
                    .collect(),
            ),
            Self::Map(entries) => Kind::Map(
                entries
                    .into_iter()
                    .map(|(k, v)| {
                        (
                            k.value.into_node(k.referenced, text),
                            v.value.into_node(v.referenced, text),
                        )
                    })
                    .collect(),
            ),
        };
        Node { kind, pos }
    }
}

fn source_text(loc: serde_saphyr::Location, text: &str) -> Option<String> {
    let span = loc.span();
    let start = usize::try_from(span.byte_offset()?).ok()?;
    let len = usize::try_from(span.byte_len()?).ok()?;
    let s = text.get(start..start.checked_add(len)?)?.trim();
    (!s.is_empty() && !s.starts_with(['*', '&', '!'])).then(|| s.to_string())
}

fn scalar_text(s: Scalar) -> String {
    match s {
        Scalar::Bool(b) => b.to_string(),
        Scalar::Int(i) => i.to_string(),
        Scalar::UInt(u) => u.to_string(),
        Scalar::Float(f) => f.to_string(),
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Raw;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_unit<E>(self) -> Result<Raw, E> {
                Ok(Raw::Null)
            }
            fn visit_none<E>(self) -> Result<Raw, E> {
                Ok(Raw::Null)
            }
            fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
                Raw::deserialize(d)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
                Ok(Raw::Scalar(Scalar::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
                Ok(Raw::Scalar(Scalar::Int(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Raw, E> {
                Ok(Raw::Scalar(Scalar::UInt(v)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
                Ok(Raw::Scalar(Scalar::Float(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
                Ok(Raw::Str(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Raw, E> {
                Ok(Raw::Str(v))
            }
            fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Raw, E> {
                Err(E::custom("binary values are not allowed in an inventory"))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Raw, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = a.next_element()? {
                    items.push(item);
                }
                Ok(Raw::Seq(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Raw, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = a.next_entry()? {
                    entries.push(entry);
                }
                Ok(Raw::Map(entries))
            }
        }
        d.deserialize_any(V)
    }
}

// ---------------------------------------------------------------------------
// Deserializer over &Node
// ---------------------------------------------------------------------------

/// The struct name by which [`super::raw::Sp`] asks for a value with its position.
pub const SPANNED: &str = "$residency::Spanned";
pub const SPANNED_FIELDS: &[&str] = &["$line", "$column", "$value"];

/// Deserialize a `T` from one node; the error carries the position of the
/// deepest node involved.
pub fn from_node<'a, T: Deserialize<'a>>(node: &'a Node) -> Result<T, Error> {
    T::deserialize(node).map_err(|e| e.at(node.pos))
}

impl<'de> de::Deserializer<'de> for &'de Node {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        let r = match &self.kind {
            Kind::Null => v.visit_unit(),
            Kind::Scalar(_, Scalar::Bool(b)) => v.visit_bool(*b),
            Kind::Scalar(_, Scalar::Int(i)) => v.visit_i64(*i),
            Kind::Scalar(_, Scalar::UInt(u)) => v.visit_u64(*u),
            Kind::Scalar(_, Scalar::Float(f)) => v.visit_f64(*f),
            Kind::Str(s) => v.visit_borrowed_str(s),
            Kind::Seq(items) => v.visit_seq(Seq(items.iter())),
            Kind::Map(entries) => v.visit_map(Map {
                iter: entries.iter(),
                value: None,
            }),
        };
        r.map_err(|e: Error| e.at(self.pos))
    }

    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        let r = match &self.kind {
            Kind::Str(s) | Kind::Scalar(s, _) => v.visit_borrowed_str(s),
            _ => Err(de::Error::invalid_type(self.type_name(), &v)),
        };
        r.map_err(|e: Error| e.at(self.pos))
    }

    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        self.deserialize_str(v)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        let r = match &self.kind {
            Kind::Str(s) | Kind::Scalar(s, _) => v.visit_borrowed_str(s),
            _ => Err(Error::custom_str("a key must be a plain name")),
        };
        r.map_err(|e: Error| e.at(self.pos))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        let r = match &self.kind {
            Kind::Scalar(_, Scalar::Bool(b)) => v.visit_bool(*b),
            _ => Err(de::Error::invalid_type(self.type_name(), &"true or false")),
        };
        r.map_err(|e: Error| e.at(self.pos))
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match &self.kind {
            Kind::Null => v.visit_none(),
            _ => v.visit_some(self),
        }
        .map_err(|e| e.at(self.pos))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        let r = match &self.kind {
            Kind::Seq(items) => v.visit_seq(Seq(items.iter())),
            _ => Err(de::Error::invalid_type(self.type_name(), &"a list")),
        };
        r.map_err(|e: Error| e.at(self.pos))
    }

    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        let r = match &self.kind {
            Kind::Map(entries) => v.visit_map(Map {
                iter: entries.iter(),
                value: None,
            }),
            _ => Err(de::Error::invalid_type(
                self.type_name(),
                &"a mapping of keys to values",
            )),
        };
        r.map_err(|e: Error| e.at(self.pos))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        if name == SPANNED {
            return v
                .visit_map(SpannedAccess {
                    node: self,
                    step: 0,
                })
                .map_err(|e| e.at(self.pos));
        }
        let _ = fields;
        self.deserialize_map(v)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        let r = match &self.kind {
            Kind::Str(s) | Kind::Scalar(s, _) => v.visit_enum(s.as_str().into_deserializer()),
            _ => Err(de::Error::invalid_type(
                self.type_name(),
                &"one of the listed names",
            )),
        };
        r.map_err(|e: Error| e.at(self.pos))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        v: V,
    ) -> Result<V::Value, Error> {
        v.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        v.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf
        unit unit_struct tuple tuple_struct
    }
}

impl Error {
    fn custom_str(s: &str) -> Self {
        Self {
            message: s.to_string(),
            pos: None,
            hint: None,
        }
    }
}

struct Seq<'a>(std::slice::Iter<'a, Node>);

impl<'de> SeqAccess<'de> for Seq<'de> {
    type Error = Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.0.next() {
            Some(node) => seed.deserialize(node).map(Some).map_err(|e| e.at(node.pos)),
            None => Ok(None),
        }
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Map<'a> {
    iter: std::slice::Iter<'a, (Node, Node)>,
    value: Option<&'a Node>,
}

impl<'de> MapAccess<'de> for Map<'de> {
    type Error = Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.iter.next() {
            Some((k, v)) => {
                self.value = Some(v);
                seed.deserialize(k).map(Some).map_err(|e| e.at(k.pos))
            }
            None => Ok(None),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let node = self
            .value
            .take()
            .ok_or_else(|| Error::custom_str("value without a key"))?;
        seed.deserialize(node).map_err(|e| e.at(node.pos))
    }
}

/// Feeds `{$line, $column, $value}` to [`super::raw::Sp`]'s visitor.
struct SpannedAccess<'a> {
    node: &'a Node,
    step: u8,
}

impl<'de> MapAccess<'de> for SpannedAccess<'de> {
    type Error = Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let key = match self.step {
            0 => SPANNED_FIELDS[0],
            1 => SPANNED_FIELDS[1],
            2 => SPANNED_FIELDS[2],
            _ => return Ok(None),
        };
        seed.deserialize(de::value::BorrowedStrDeserializer::new(key))
            .map(Some)
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        self.step += 1;
        match self.step {
            1 => seed.deserialize(self.node.pos.line.into_deserializer()),
            2 => seed.deserialize(self.node.pos.column.into_deserializer()),
            _ => seed.deserialize(self.node),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hundred_thousand_entities_in_one_file_load() {
        // Before: "document too large or too deeply nested (events: 1000001)".
        let mut text = String::from("version: 1\ndatabases:\n");
        for i in 0..100_000 {
            text.push_str(&format!(
                "  - {{id: db{i}, role: replica, hosts: [\"10.{}.{}.{}\"], personal_data: {{categories: [name]}}}}\n",
                i / 65536,
                i / 256 % 256,
                i % 256
            ));
        }
        let root = parse(&text).expect("an honest large file loads");
        match &root.get("databases").unwrap().kind {
            Kind::Seq(items) => assert_eq!(items.len(), 100_000),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn budgets_still_stop_alias_bombs_in_large_files() {
        let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
        for i in 1..9u8 {
            let (p, c) = ((b'a' + i - 1) as char, (b'a' + i) as char);
            bomb.push_str(&format!(
                "{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
            ));
        }
        // Padding makes the per-byte budget large; the alias caps still hold.
        bomb.push_str(&"# padding\n".repeat(1_000_000));
        assert!(parse(&bomb).is_err());
    }

    #[test]
    fn plain_scalars_keep_their_text() {
        let n = parse("a: NO\nb: 1.10\nc: yes\nd: true\n").unwrap();
        let text = |k: &str| match &n.get(k).unwrap().kind {
            Kind::Str(s) | Kind::Scalar(s, _) => s.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(text("a"), "NO");
        assert_eq!(text("b"), "1.10");
        assert_eq!(text("c"), "yes");
        assert!(matches!(
            n.get("d").unwrap().kind,
            Kind::Scalar(_, Scalar::Bool(true))
        ));
    }

    #[test]
    fn positions_are_one_based() {
        let n = parse("version: 1\nlist:\n  - x\n").unwrap();
        assert_eq!(n.get("list").unwrap().pos.line, 3);
        let Kind::Seq(items) = &n.get("list").unwrap().kind else {
            panic!()
        };
        assert_eq!(items[0].pos, Pos { line: 3, column: 5 });
    }

    #[test]
    fn alias_bomb_is_rejected() {
        let mut s = String::from("a: &a [x,x,x,x,x,x,x,x,x]\n");
        for i in 1..9 {
            s.push_str(&format!(
                "{}: &{} [*{},*{},*{},*{},*{},*{},*{},*{},*{}]\n",
                (b'a' + i) as char,
                (b'a' + i) as char,
                (b'a' + i - 1) as char,
                (b'a' + i - 1) as char,
                (b'a' + i - 1) as char,
                (b'a' + i - 1) as char,
                (b'a' + i - 1) as char,
                (b'a' + i - 1) as char,
                (b'a' + i - 1) as char,
                (b'a' + i - 1) as char,
                (b'a' + i - 1) as char
            ));
        }
        let e = parse(&s).unwrap_err();
        assert!(e.pos.is_some(), "{e:?}");
    }

    #[test]
    fn deep_nesting_is_rejected() {
        let s = "[".repeat(100_000);
        assert!(parse(&s).is_err());
        let s = format!("{}{}", "[".repeat(40), "]".repeat(40));
        let e = parse(&s).unwrap_err();
        assert_eq!(e.message, "YAML: nested more than 32 levels deep");
    }
}

/// Property target for the YAML loader: any text built from YAML's
/// punctuation, keys and scalars parses or fails with a position inside
/// the text — never a panic, never a hang.
#[cfg(test)]
mod props {
    use proptest::prelude::*;

    fn token() -> impl Strategy<Value = String> {
        prop_oneof![
            proptest::sample::select(vec![
                "\n",
                " ",
                "  ",
                "- ",
                ": ",
                "{",
                "}",
                "[",
                "]",
                ",",
                "&a ",
                "*a",
                "&b ",
                "*b",
                "<<: ",
                "!!str ",
                "!tag ",
                "? ",
                "|\n",
                ">\n",
                "'",
                "\"",
                "#c",
                "---\n",
                "...\n",
                "version",
                "databases",
                "id",
                "hosts",
                "null",
                "~",
                "1e9",
                "0x1f",
                "yes",
                "\t",
                "\u{feff}",
                "é",
                "\\",
                "%YAML 1.2\n",
            ])
            .prop_map(str::to_string),
            "[a-z0-9.:/@]{1,8}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn parse_never_panics(tokens in proptest::collection::vec(token(), 0..60)) {
            let text: String = tokens.concat();
            if let Err(e) = super::parse(&text)
                && let Some(p) = e.pos
            {
                let lines = text.split('\n').count() as u32 + 1;
                prop_assert!(p.line >= 1 && p.line <= lines, "{p} outside {lines} lines of {text:?}");
            }
        }
    }
}
