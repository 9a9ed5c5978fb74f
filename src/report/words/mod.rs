//! Where facts become words: one catalogue per language ([`en`], [`ru`]),
//! used by every format. A rule's finding is facts
//! ([`crate::evaluate::Facts`]); its message is made here, never in the
//! rule, and never parsed back: a [`Message`] keeps the parts that are
//! code (ids, keys) apart from prose, so each format marks them its own
//! way.

pub(crate) mod en;
pub(crate) mod notify;
pub(crate) mod ru;

use std::borrow::Cow;
use std::collections::BTreeSet;

use super::Lang;
use crate::evaluate::{Finding, RuleId};
use crate::reference::Country;

/// A message: prose with code parts (entity ids, keys, rule ids).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Message {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Part {
    code: bool,
    text: String,
}

impl Message {
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends prose.
    pub fn text(mut self, s: impl Into<String>) -> Self {
        let s = s.into();
        if s.is_empty() {
            return self;
        }
        match self.parts.last_mut() {
            Some(p) if !p.code => p.text.push_str(&s),
            _ => self.parts.push(Part {
                code: false,
                text: s,
            }),
        }
        self
    }

    /// Appends a code part: shown as code where the format has it.
    pub fn code(mut self, s: impl Into<String>) -> Self {
        self.parts.push(Part {
            code: true,
            text: s.into(),
        });
        self
    }

    /// A message read back from an earlier report's plain text (`report
    /// --compare`): its backtick-quoted parts are code.
    pub fn from_plain(s: &str) -> Self {
        s.split('`')
            .enumerate()
            .fold(Self::new(), |m, (i, part)| match (i % 2 == 1, part) {
                (_, "") => m,
                (true, p) => m.code(p),
                (false, p) => m.text(p),
            })
    }

    /// Plain text, code parts in backticks: what text formats (JSON, the
    /// table, CI annotations) show.
    pub fn plain(&self) -> String {
        let mut out = String::new();
        for p in &self.parts {
            if p.code {
                out.push('`');
                out.push_str(&p.text);
                out.push('`');
            } else {
                out.push_str(&p.text);
            }
        }
        out
    }

    /// The parts as `(is_code, text)`, the first prose part starting with
    /// a capital letter: what rich formats (Markdown, HTML) show.
    pub fn parts(&self) -> impl Iterator<Item = (bool, Cow<'_, str>)> {
        self.parts.iter().enumerate().map(|(i, p)| {
            let text = if i == 0 && !p.code {
                capitalize(&p.text)
            } else {
                Cow::Borrowed(p.text.as_str())
            };
            (p.code, text)
        })
    }
}

fn capitalize(s: &str) -> Cow<'_, str> {
    let mut c = s.chars();
    match c.next() {
        Some(f) if f.is_lowercase() => Cow::Owned(f.to_uppercase().chain(c).collect()),
        _ => Cow::Borrowed(s),
    }
}

/// The finding's message in `lang`. A finding that rests on a Terraform
/// plan names the planned resources, so that a CI log says which resource
/// to change.
pub(crate) fn message(f: &Finding, lang: Lang) -> Message {
    let m = lang.facts(f);
    let planned = f.planned_resources();
    if planned.is_empty() || f.rule == RuleId::UnlistedStorage {
        return m;
    }
    let list = planned.join(", ");
    m.text(lang.planned_by_terraform(&list))
}

/// `DE, US` — a country list for messages.
pub(crate) fn list<'a>(countries: impl IntoIterator<Item = &'a Country>) -> String {
    countries
        .into_iter()
        .map(Country::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A list's name with the act's date, once: "RKN Order No. 128 of
/// 05.08.2022" already has it; another name gets ", 2027-01-01".
pub(crate) fn dated(name: &str, date: &str) -> String {
    if name.contains(&ru::date(date)) {
        name.to_string()
    } else {
        format!("{name}, {date}")
    }
}

/// The same, for a set.
pub(crate) fn set(countries: &BTreeSet<Country>) -> String {
    list(countries)
}

#[cfg(test)]
mod tests {
    use super::Message;

    #[test]
    fn code_parts_are_kept_apart() {
        let m = Message::new()
            .text("primary database ")
            .code("a")
            .text(" records in US");
        assert_eq!(m.plain(), "primary database `a` records in US");
        let parts: Vec<(bool, String)> = m.parts().map(|(c, t)| (c, t.into_owned())).collect();
        assert_eq!(
            parts,
            [
                (false, "Primary database ".to_string()),
                (true, "a".to_string()),
                (false, " records in US".to_string())
            ]
        );
        let code_first = Message::new().code("x").text(" y");
        assert_eq!(
            code_first.parts().next().map(|p| p.1.into_owned()),
            Some("x".into())
        );
    }
}
