//! YAML text → a position-annotated tree, and a serde `Deserializer` over it.
//!
//! granit-parser (serde-saphyr's YAML 1.2 parser) reads the text into
//! events, which are built straight into a small tree of [`Node`]s that
//! remember their line and column, with budgets against alias bombs, deep
//! nesting and anchors that copy more than the file holds. (Going through
//! serde-saphyr's `Spanned` values cost twice the time and a second copy of
//! the document: `benches/scale.sh`.) The typed inventory is then deserialized from that
//! tree one entity at a time, so one run reports *every* broken entity, each
//! error carrying the position of the key or value that caused it, and
//! unknown keys or values get a "did you mean" hint.
//!
//! Plain scalars keep their source text: `country: NO` is the string "NO"
//! (Norway), never the YAML 1.1 boolean `false`, and `1.10` stays "1.10".

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};

/// Line and column (both 1-based) of a node in its file.
pub use crate::diag::Pos;

/// A YAML value with its position; its texts borrow from the file's text
/// where YAML left them as written.
#[derive(Debug, Clone)]
pub struct Node<'a> {
    pub kind: Kind<'a>,
    pub pos: Pos,
}

#[derive(Debug, Clone)]
pub enum Kind<'a> {
    Null,
    /// A non-string scalar: its source text and what YAML made of it.
    Scalar(Cow<'a, str>, Scalar),
    Str(Cow<'a, str>),
    Seq(Vec<Node<'a>>),
    Map(Vec<(Node<'a>, Node<'a>)>),
}

#[derive(Debug, Clone, Copy)]
pub enum Scalar {
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
}

impl Node<'_> {
    /// The keys of a mapping node, with positions (empty for other kinds).
    pub fn get(&self, key: &str) -> Option<&Node<'_>> {
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

/// Parse YAML text into a [`Node`] tree. An empty document is `Null`.
///
/// The parser's events are built into the tree directly: the text is read
/// once, plain and quoted scalars without escapes borrow from it, and
/// nothing else holds a copy of the document (a 100,000-entity file is a
/// few hundred megabytes less than through a generic deserializer).
pub fn parse(text: &str) -> Result<Node<'_>, Error> {
    Builder::new(text.len(), None).run(text)
}

/// [`parse`], handing each item of a list at the top level (`databases:
/// [...]`, …) to `item(key, node)` as soon as it is read, instead of
/// keeping it in the tree: a file of 100,000 entities never exists as one
/// tree. Such lists stay in the tree, empty. (A list with an anchor keeps
/// its items: an alias may repeat it.) On an error, items already handed
/// over belong to a file that does not parse: drop what was made of them.
pub fn parse_streaming<'a>(
    text: &'a str,
    item: &mut dyn FnMut(&str, Node<'a>),
) -> Result<Node<'a>, Error> {
    Builder::new(text.len(), Some(item)).run(text)
}

/// One open collection while its events arrive.
enum Frame<'a> {
    Seq {
        pos: Pos,
        anchor: usize,
        items: Vec<Node<'a>>,
        /// The top-level key whose items go to the sink.
        stream: Option<String>,
    },
    Map {
        pos: Pos,
        anchor: usize,
        entries: Vec<(Node<'a>, Node<'a>)>,
        /// The key read, waiting for its value; `Some(None)` is a merge
        /// key (`<<`), whose value is merged when the mapping ends.
        key: Option<Option<Node<'a>>>,
        merges: Vec<Node<'a>>,
    },
}

/// Where the items of top-level lists go ([`parse_streaming`]).
type Sink<'a, 's> = &'s mut dyn FnMut(&str, Node<'a>);

struct Builder<'a, 's> {
    sink: Option<Sink<'a, 's>>,
    stack: Vec<Frame<'a>>,
    /// Anchored nodes by the parser's anchor id.
    anchors: std::collections::HashMap<usize, (Node<'a>, usize)>,
    aliases: usize,
    replayed: usize,
    /// Nodes copied into `anchors`: bounded by the text, so nested
    /// anchors cannot multiply memory.
    anchored: usize,
    anchored_budget: usize,
    root: Option<Node<'a>>,
    documents: usize,
}

fn pos_of(m: &granit_parser::Marker) -> Pos {
    Pos {
        line: u32::try_from(m.line()).unwrap_or(u32::MAX),
        column: u32::try_from(m.col().saturating_add(1)).unwrap_or(u32::MAX),
    }
}

impl<'a, 's> Builder<'a, 's> {
    fn new(len: usize, sink: Option<Sink<'a, 's>>) -> Self {
        Self {
            sink,
            stack: Vec::new(),
            anchors: std::collections::HashMap::new(),
            aliases: 0,
            replayed: 0,
            anchored: 0,
            anchored_budget: MIN_NODES.max(len),
            root: None,
            documents: 0,
        }
    }

    fn run(mut self, text: &'a str) -> Result<Node<'a>, Error> {
        use granit_parser::Event;
        let parser = granit_parser::Parser::new_from_str(text);
        for event in parser {
            let (event, span) = event.map_err(|e| Error {
                message: format!("YAML: {}", first_line(&e.info())),
                pos: Some(pos_of(e.marker())),
                hint: None,
            })?;
            let pos = pos_of(&span.start);
            match event {
                Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
                Event::DocumentStart(..) => {
                    self.documents += 1;
                    if self.documents > 1 {
                        return Err(Error {
                            message: "YAML: more than one document in a file (`---`)".into(),
                            pos: Some(pos),
                            hint: Some("put each document in a file of its own".into()),
                        });
                    }
                }
                Event::Alias(id) => {
                    self.aliases += 1;
                    if self.aliases > MAX_ALIASES {
                        return Err(Error::new(
                            format!("YAML: too many aliases (more than {MAX_ALIASES})"),
                            pos,
                        ));
                    }
                    let Some((node, size)) = self.anchors.get(&id) else {
                        return Err(Error::new("YAML: alias references unknown anchor", pos));
                    };
                    self.replayed = self.replayed.saturating_add(*size);
                    if self.replayed > MAX_REPLAYED {
                        return Err(Error::new(
                            format!(
                                "YAML: alias replay limit exceeded: more than {MAX_REPLAYED} values repeated through aliases"
                            ),
                            pos,
                        ));
                    }
                    let node = node.clone();
                    self.value(node, 0, false)?;
                }
                Event::Scalar(value, style, anchor, tag) => {
                    let plain = matches!(style, granit_parser::ScalarStyle::Plain);
                    let kind = scalar(value, plain, tag.as_deref(), pos)?;
                    let merge_key = plain && matches!(&kind, Kind::Str(s) if s == "<<");
                    self.value(Node { kind, pos }, anchor, merge_key)?;
                }
                Event::SequenceStart(_, anchor, _) => {
                    self.open(pos)?;
                    let stream = match self.stack.as_slice() {
                        [
                            Frame::Map {
                                key: Some(Some(k)), ..
                            },
                        ] if anchor == 0 && self.sink.is_some() => match &k.kind {
                            // Only a name can be a list section; a list
                            // under another key stays in the tree (and
                            // the loader refuses the key).
                            Kind::Str(name) => Some(name.to_string()),
                            _ => None,
                        },
                        _ => None,
                    };
                    self.stack.push(Frame::Seq {
                        pos,
                        anchor,
                        items: Vec::new(),
                        stream,
                    });
                }
                Event::MappingStart(_, anchor, _) => {
                    self.open(pos)?;
                    self.stack.push(Frame::Map {
                        pos,
                        anchor,
                        entries: Vec::new(),
                        key: None,
                        merges: Vec::new(),
                    });
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    let (node, anchor) = match self.stack.pop() {
                        Some(Frame::Seq {
                            pos, anchor, items, ..
                        }) => (
                            Node {
                                kind: Kind::Seq(items),
                                pos,
                            },
                            anchor,
                        ),
                        Some(Frame::Map {
                            pos,
                            anchor,
                            entries,
                            merges,
                            ..
                        }) => (
                            Node {
                                kind: Kind::Map(finish_map(entries, merges)?),
                                pos,
                            },
                            anchor,
                        ),
                        None => continue,
                    };
                    self.value(node, anchor, false)?;
                }
                _ => {}
            }
        }
        Ok(self.root.unwrap_or(Node {
            kind: Kind::Null,
            pos: Pos { line: 1, column: 1 },
        }))
    }

    fn open(&self, pos: Pos) -> Result<(), Error> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(Error::new(
                format!("YAML: recursion limit exceeded: nested deeper than {MAX_DEPTH} levels"),
                pos,
            ));
        }
        Ok(())
    }

    /// A finished value: into its parent (as a key, a value or an item).
    fn value(&mut self, node: Node<'a>, anchor: usize, merge_key: bool) -> Result<(), Error> {
        if anchor != 0 {
            let size = node.size();
            self.anchored = self.anchored.saturating_add(size);
            if self.anchored > self.anchored_budget {
                return Err(Error::new(
                    "YAML: document too large: anchors copy more than the file holds",
                    node.pos,
                ));
            }
            self.anchors.insert(anchor, (node.clone(), size));
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq {
                stream: Some(key), ..
            }) => {
                if let Some(sink) = self.sink.as_mut() {
                    sink(key, node);
                }
            }
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                key,
                merges,
                ..
            }) => match key.take() {
                None if merge_key => *key = Some(None),
                None => *key = Some(Some(node)),
                Some(None) => merges.push(node),
                Some(Some(k)) => entries.push((k, node)),
            },
        }
        Ok(())
    }
}

/// The first line of a parser error (the rest is its parse stack).
fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

/// A key's text, for comparing keys (collections are never equal keys).
fn key_text<'n>(node: &'n Node<'_>) -> Option<&'n str> {
    match &node.kind {
        Kind::Str(s) | Kind::Scalar(s, _) => Some(s),
        Kind::Null => Some("~"),
        _ => None,
    }
}

/// A mapping's entries: duplicate keys refused; `<<` merges add the keys
/// the mapping does not write itself (earlier merges win), as YAML's merge
/// key does.
fn finish_map<'a>(
    mut entries: Vec<(Node<'a>, Node<'a>)>,
    merges: Vec<Node<'a>>,
) -> Result<Vec<(Node<'a>, Node<'a>)>, Error> {
    let duplicate =
        |t: &str, k: &Node<'_>| Error::new(format!("YAML: duplicate mapping key: {t}"), k.pos);
    // Most mappings hold a handful of keys (one per entity field): compare
    // them pairwise, without a hash set per mapping.
    if entries.len() <= 8 {
        for (i, (k, _)) in entries.iter().enumerate() {
            if let Some(t) = key_text(k)
                && entries[..i].iter().any(|(p, _)| key_text(p) == Some(t))
            {
                return Err(duplicate(t, k));
            }
        }
    } else {
        let mut seen = std::collections::HashSet::with_capacity(entries.len());
        for (k, _) in &entries {
            if let Some(t) = key_text(k)
                && !seen.insert(t)
            {
                return Err(duplicate(t, k));
            }
        }
    }
    if merges.is_empty() {
        return Ok(entries);
    }
    let mut have: std::collections::HashSet<String> = entries
        .iter()
        .filter_map(|(k, _)| key_text(k).map(str::to_string))
        .collect();
    for m in merges {
        let sources = match m.kind {
            Kind::Map(e) => vec![e],
            Kind::Seq(items) => {
                let mut maps = Vec::with_capacity(items.len());
                for i in items {
                    match i.kind {
                        Kind::Map(e) => maps.push(e),
                        _ => {
                            return Err(Error::new(
                                "YAML: a merge (`<<`) takes a mapping or a list of mappings",
                                i.pos,
                            ));
                        }
                    }
                }
                maps
            }
            _ => {
                return Err(Error::new(
                    "YAML: a merge (`<<`) takes a mapping or a list of mappings",
                    m.pos,
                ));
            }
        };
        for source in sources {
            for (k, v) in source {
                if key_text(&k).is_none_or(|t| have.insert(t.to_string())) {
                    entries.push((k, v));
                }
            }
        }
    }
    Ok(entries)
}

/// A scalar event as a value: quoted and block scalars are strings; a
/// plain scalar is null, a boolean (`true`/`false` only: `no` stays the
/// string "NO"), an integer, a float or a string, as YAML 1.2's core
/// schema reads it. Standard tags (`!!str`, `!!int`, …) decide the type;
/// binary values are refused.
fn scalar<'a>(
    value: std::borrow::Cow<'a, str>,
    plain: bool,
    tag: Option<&granit_parser::Tag>,
    pos: Pos,
) -> Result<Kind<'a>, Error> {
    let core = tag.and_then(|t| t.suffix_in_namespace("tag:yaml.org,2002:"));
    let core = core.as_deref();
    let typed = |want: &str| -> Result<Kind<'a>, Error> {
        let bad = || Error::new(format!("YAML: `{value}` is not a valid !!{want}"), pos);
        let s = match want {
            "null" => {
                return matches!(&*value, "" | "~" | "null" | "Null" | "NULL")
                    .then_some(Kind::Null)
                    .ok_or_else(bad);
            }
            "bool" => bool_of(&value).map(Scalar::Bool),
            "int" => int_of(&value),
            _ => int_of(&value).or_else(|| float_of(&value)),
        };
        match s {
            Some(s) => Ok(Kind::Scalar(value.clone(), s)),
            None => Err(bad()),
        }
    };
    match core {
        Some("str") => return Ok(Kind::Str(value)),
        Some("binary") => {
            return Err(Error::new(
                "YAML: binary values (!!binary) are not allowed in an inventory",
                pos,
            ));
        }
        Some(t @ ("null" | "bool" | "int" | "float")) => return typed(t),
        _ => {}
    }
    if !plain || tag.is_some() {
        return Ok(Kind::Str(value));
    }
    if matches!(&*value, "" | "~" | "null" | "Null" | "NULL") {
        return Ok(Kind::Null);
    }
    let s = bool_of(&value)
        .map(Scalar::Bool)
        .or_else(|| int_of(&value))
        .or_else(|| float_of(&value));
    Ok(match s {
        Some(s) => Kind::Scalar(value, s),
        None => Kind::Str(value),
    })
}

fn bool_of(s: &str) -> Option<bool> {
    match s {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// A YAML 1.2 core-schema integer: decimal, `0x` hex, `0o` octal.
fn int_of(s: &str) -> Option<Scalar> {
    let (neg, digits) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (radix, digits) = if let Some(h) = digits.strip_prefix("0x") {
        (16, h)
    } else if let Some(o) = digits.strip_prefix("0o") {
        (8, o)
    } else {
        (10, digits)
    };
    if digits.is_empty() || !digits.bytes().all(|b| (b as char).is_digit(radix)) {
        return None;
    }
    let u = u64::from_str_radix(digits, radix).ok()?;
    if neg {
        Some(Scalar::Int(0i64.checked_sub_unsigned(u)?))
    } else {
        Some(Scalar::UInt(u))
    }
}

/// A YAML 1.2 core-schema float: `1.5`, `-2e3`, `.5`, `.inf`, `.nan`.
fn float_of(s: &str) -> Option<Scalar> {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let special = match body {
        ".inf" | ".Inf" | ".INF" => Some(if s.starts_with('-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        }),
        ".nan" | ".NaN" | ".NAN" if body.len() == s.len() => Some(f64::NAN),
        _ => None,
    };
    if let Some(f) = special {
        return Some(Scalar::Float(f));
    }
    // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
    let b = body.as_bytes();
    let mut i = 0;
    let int_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let e = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if e == 0 {
            return None;
        }
        i += e;
    }
    (i == b.len())
        .then(|| s.parse().ok().map(Scalar::Float))
        .flatten()
}

impl Node<'_> {
    /// How many nodes this one is (itself and everything inside).
    fn size(&self) -> usize {
        match &self.kind {
            Kind::Seq(items) => 1 + items.iter().map(Node::size).sum::<usize>(),
            Kind::Map(entries) => {
                1 + entries
                    .iter()
                    .map(|(k, v)| k.size() + v.size())
                    .sum::<usize>()
            }
            _ => 1,
        }
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
pub fn from_node<'a, T: Deserialize<'a>>(node: &'a Node<'_>) -> Result<T, Error> {
    T::deserialize(node).map_err(|e| e.at(node.pos))
}

impl<'de, 'a: 'de> de::Deserializer<'de> for &'de Node<'a> {
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
            Kind::Str(s) | Kind::Scalar(s, _) => v.visit_enum(s.as_ref().into_deserializer()),
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

struct Seq<'a, 'n>(std::slice::Iter<'a, Node<'n>>);

impl<'de, 'n: 'de> SeqAccess<'de> for Seq<'de, 'n> {
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

struct Map<'a, 'n> {
    iter: std::slice::Iter<'a, (Node<'n>, Node<'n>)>,
    value: Option<&'a Node<'n>>,
}

impl<'de, 'n: 'de> MapAccess<'de> for Map<'de, 'n> {
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
struct SpannedAccess<'a, 'n> {
    node: &'a Node<'n>,
    step: u8,
}

impl<'de, 'n: 'de> MapAccess<'de> for SpannedAccess<'de, 'n> {
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
    fn merge_keys_add_what_the_mapping_does_not_write() {
        let n =
            parse("base: &b {role: replica, engine: pg}\nx:\n  <<: *b\n  role: primary\n").unwrap();
        let x = n.get("x").unwrap();
        let text = |k: &str| match &x.get(k).unwrap().kind {
            Kind::Str(s) => s.to_string(),
            other => panic!("{other:?}"),
        };
        assert_eq!(text("role"), "primary", "the mapping's own key wins");
        assert_eq!(text("engine"), "pg", "the merged key is added");
        assert!(x.get("<<").is_none());
        let e = parse("a: &a x\nb: {<<: *a}\n").unwrap_err();
        assert!(e.message.contains("merge"), "{e:?}");
    }

    #[test]
    fn duplicate_keys_documents_and_binary_are_refused_where_they_are() {
        let e = parse("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(e.message, "YAML: duplicate mapping key: a");
        assert_eq!(e.pos, Some(Pos { line: 3, column: 1 }));
        // A large mapping (the hash-set path) too.
        let big: String =
            (0..12).map(|i| format!("k{i}: {i}\n")).collect::<String>() + "k3: again\n";
        let e = parse(&big).unwrap_err();
        assert_eq!(e.message, "YAML: duplicate mapping key: k3");
        assert_eq!(
            e.pos,
            Some(Pos {
                line: 13,
                column: 1
            })
        );
        let e = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert!(e.message.contains("more than one document"), "{e:?}");
        assert_eq!(e.pos.map(|p| p.line), Some(2));
        let e = parse("a: !!binary aGVsbG8=\n").unwrap_err();
        assert!(e.message.contains("binary"), "{e:?}");
        let e = parse("a: *nope\n").unwrap_err();
        assert!(e.message.contains("unknown anchor"), "{e:?}");
    }

    #[test]
    fn scalars_follow_the_core_schema() {
        let n = parse(
            "a: 0x1f\nb: -3\nc: 1.5e3\nd: .inf\ne: ~\nf: 'true'\ng: !!str 12\nh: 1.2.3\ni: FALSE\nj: !!int 7\n",
        )
        .unwrap();
        let k = |key: &str| n.get(key).unwrap().kind.clone();
        assert!(matches!(k("a"), Kind::Scalar(_, Scalar::UInt(31))));
        assert!(matches!(k("b"), Kind::Scalar(_, Scalar::Int(-3))));
        assert!(matches!(k("c"), Kind::Scalar(_, Scalar::Float(f)) if f == 1500.0));
        assert!(matches!(k("d"), Kind::Scalar(_, Scalar::Float(f)) if f.is_infinite()));
        assert!(matches!(k("e"), Kind::Null));
        assert!(matches!(k("f"), Kind::Str(s) if s == "true"));
        assert!(matches!(k("g"), Kind::Str(s) if s == "12"));
        assert!(matches!(k("h"), Kind::Str(s) if s == "1.2.3"));
        assert!(matches!(k("i"), Kind::Scalar(_, Scalar::Bool(false))));
        assert!(matches!(k("j"), Kind::Scalar(_, Scalar::UInt(7))));
        assert!(parse("a: !!int x\n").is_err());
    }

    #[test]
    fn many_aliases_and_nested_anchors_stay_bounded() {
        let many = format!("a: &a x\nb: [{}]\n", vec!["*a"; 1001].join(","));
        let e = parse(&many).unwrap_err();
        assert!(e.message.contains("too many aliases"), "{e:?}");
        let deep = format!("v: {}x{}\n", "[".repeat(33), "]".repeat(33));
        let e = parse(&deep).unwrap_err();
        assert!(e.message.contains("recursion limit exceeded"), "{e:?}");
        assert!(parse(&format!("v: {}x{}\n", "[".repeat(31), "]".repeat(31))).is_ok());
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
    fn only_lists_under_names_are_streamed() {
        // Found by the property test: a list under a null key (`: - x`)
        // is no section; it stays in the tree as the whole parse has it.
        let text = "databases:\n  - |\n: - &b \n";
        let mut streamed = Vec::new();
        let tree = parse_streaming(text, &mut |k, n| streamed.push((k.to_string(), n))).unwrap();
        assert_eq!(streamed.len(), 1);
        assert_eq!(streamed[0].0, "databases");
        let Kind::Map(entries) = &tree.kind else {
            panic!("{tree:?}")
        };
        assert!(matches!(&entries[1].0.kind, Kind::Null));
        assert!(matches!(&entries[1].1.kind, Kind::Seq(items) if items.len() == 1));
    }

    #[test]
    fn deep_nesting_is_rejected() {
        let s = "[".repeat(100_000);
        assert!(parse(&s).is_err());
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

        /// Reading top-level lists item by item gives what reading the
        /// whole tree gives: the same items in the same order, the same
        /// error at the same place.
        #[test]
        fn streaming_reads_what_the_tree_holds(tokens in proptest::collection::vec(token(), 0..60)) {
            let text = format!("databases:\n  - {}\n", tokens.concat());
            let whole = super::parse(&text);
            let mut items: Vec<(String, super::Node<'_>)> = Vec::new();
            let streamed = super::parse_streaming(&text, &mut |k, n| items.push((k.to_string(), n)));
            match (whole, streamed) {
                (Ok(whole), Ok(mut tree)) => {
                    if let super::Kind::Map(entries) = &mut tree.kind {
                        for (k, v) in entries.iter_mut() {
                            if let (super::Kind::Str(key), super::Kind::Seq(seq)) = (&k.kind, &mut v.kind)
                                && seq.is_empty()
                            {
                                seq.extend(items.iter().filter(|(ik, _)| ik == key.as_ref()).map(|(_, n)| n.clone()));
                            }
                        }
                    }
                    prop_assert_eq!(format!("{whole:?}"), format!("{tree:?}"));
                }
                (Err(a), Err(b)) => prop_assert_eq!(a, b),
                (a, b) => prop_assert!(false, "{a:?} vs {b:?}"),
            }
        }

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
