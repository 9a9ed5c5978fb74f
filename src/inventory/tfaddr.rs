//! Terraform resource addresses, as written in an entity's `terraform:` list
//! and as `terraform show -json` prints them:
//!
//! - `aws_db_instance.accounts`, `aws_s3_bucket.logs[0]`, `google_storage_bucket.b["eu"]`;
//! - `module.logs.aws_s3_bucket.main`, `module.app["kz"].module.db.yandex_mdb_postgresql_cluster.pg`;
//! - a module path alone, `module.logs`: every storage resource inside it.
//!
//! An address without an instance key (`[0]`, `["eu"]`) matches every
//! instance of a `count`/`for_each` resource or module.

use std::fmt;

/// One `module.NAME[KEY]` step.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ModuleStep {
    pub name: String,
    /// The instance key as written inside the brackets (`0`, `"eu"`).
    pub key: Option<String>,
}

/// The resource part: `[data.]TYPE.NAME[KEY]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourcePart {
    pub data: bool,
    pub rtype: String,
    pub name: String,
    pub key: Option<String>,
}

/// A parsed address: a module path and, unless it names a whole module, a resource.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TfAddress {
    pub modules: Vec<ModuleStep>,
    pub resource: Option<ResourcePart>,
}

impl fmt::Display for TfAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        let mut sep = |f: &mut fmt::Formatter<'_>| {
            if !std::mem::take(&mut first) {
                f.write_str(".")?;
            }
            Ok::<(), fmt::Error>(())
        };
        for m in &self.modules {
            sep(f)?;
            write!(f, "module.{}", m.name)?;
            if let Some(k) = &m.key {
                write!(f, "[{k}]")?;
            }
        }
        if let Some(r) = &self.resource {
            sep(f)?;
            if r.data {
                f.write_str("data.")?;
            }
            write!(f, "{}.{}", r.rtype, r.name)?;
            if let Some(k) = &r.key {
                write!(f, "[{k}]")?;
            }
        }
        Ok(())
    }
}

impl TfAddress {
    /// Whether this address, used as a pattern, covers `actual` (a full
    /// resource address from a plan). A missing key matches every key; a
    /// module path alone covers every resource below it.
    pub fn covers(&self, actual: &TfAddress) -> bool {
        if self.modules.len() > actual.modules.len() {
            return false;
        }
        let modules_match = self
            .modules
            .iter()
            .zip(&actual.modules)
            .all(|(p, a)| p.name == a.name && (p.key.is_none() || p.key == a.key));
        if !modules_match {
            return false;
        }
        match (&self.resource, &actual.resource) {
            (None, _) => true,
            (Some(p), Some(a)) => {
                self.modules.len() == actual.modules.len()
                    && p.data == a.data
                    && p.rtype == a.rtype
                    && p.name == a.name
                    && (p.key.is_none() || p.key == a.key)
            }
            (Some(_), None) => false,
        }
    }

    /// The module path as Terraform writes it in `module_address`
    /// (`module.a["x"].module.b`), empty for the root module.
    pub fn module_address(&self) -> String {
        TfAddress {
            modules: self.modules.clone(),
            resource: None,
        }
        .to_string()
    }
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

struct Cursor<'a> {
    s: &'a str,
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<char> {
        self.s[self.i..].chars().next()
    }

    fn ident(&mut self, what: &'static str) -> Result<String, AddressError> {
        let rest = &self.s[self.i..];
        match rest.chars().next() {
            Some(c) if is_ident_start(c) => {}
            Some(found) => {
                return Err(AddressError::Expected {
                    what,
                    at: self.i + 1,
                    found,
                });
            }
            None => return Err(AddressError::ExpectedAtEnd { what }),
        }
        let len = rest.find(|c: char| !is_ident(c)).unwrap_or(rest.len());
        self.i += len;
        Ok(rest[..len].to_string())
    }

    fn key(&mut self) -> Result<Option<String>, AddressError> {
        if self.peek() != Some('[') {
            return Ok(None);
        }
        let start = self.i + 1;
        let rest = &self.s[start..];
        let end = if rest.starts_with('"') {
            // A quoted key: up to the closing quote, `\"` escaped.
            let mut escaped = false;
            let mut close = None;
            for (j, c) in rest.char_indices().skip(1) {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => {
                        close = Some(j + 1);
                        break;
                    }
                    _ => {}
                }
            }
            let close = close.ok_or(AddressError::UnterminatedKey)?;
            if !rest[close..].starts_with(']') {
                return Err(AddressError::KeyNotClosed);
            }
            close
        } else {
            let close = rest.find(']').ok_or(AddressError::MissingBracket)?;
            let k = &rest[..close];
            if k.is_empty() || !k.bytes().all(|b| b.is_ascii_digit()) {
                return Err(AddressError::BadKey(k.to_string()));
            }
            close
        };
        self.i = start + end + 1;
        Ok(Some(rest[..end].to_string()))
    }

    fn dot(&mut self) -> Result<bool, AddressError> {
        match self.peek() {
            None => Ok(false),
            Some('.') => {
                self.i += 1;
                Ok(true)
            }
            Some(found) => Err(AddressError::Unexpected {
                found,
                at: self.i + 1,
            }),
        }
    }
}

/// What is wrong with a Terraform address, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    #[error("empty address")]
    Empty,
    #[error("expected {what} at character {at}, found `{found}`")]
    Expected {
        what: &'static str,
        at: usize,
        found: char,
    },
    #[error("expected {what} at the end")]
    ExpectedAtEnd { what: &'static str },
    #[error("unterminated string in an instance key")]
    UnterminatedKey,
    #[error("expected `]` after the instance key")]
    KeyNotClosed,
    #[error("missing `]` after an instance key")]
    MissingBracket,
    #[error("instance key `[{0}]` must be a number or a quoted string")]
    BadKey(String),
    #[error(
        "unexpected `{found}` at character {at} (addresses look like aws_s3_bucket.logs or module.logs.aws_s3_bucket.main)"
    )]
    Unexpected { found: char, at: usize },
    #[error("`module` must be followed by `.NAME`")]
    ModuleWithoutName,
    #[error("`data` must be followed by `.TYPE.NAME`")]
    DataWithoutType,
    #[error("`{0}` needs a resource name: write {0}.NAME")]
    NoResourceName(String),
    #[error("unexpected text after the resource address at character {0}")]
    TrailingText(usize),
}

/// Parse an address. Errors say what is wrong in plain words.
pub fn parse(s: &str) -> Result<TfAddress, AddressError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(AddressError::Empty);
    }
    let mut c = Cursor { s, i: 0 };
    let mut modules = Vec::new();
    loop {
        let word = c.ident("a name")?;
        if word == "module" {
            if !c.dot()? {
                return Err(AddressError::ModuleWithoutName);
            }
            let name = c.ident("a module name")?;
            let key = c.key()?;
            modules.push(ModuleStep { name, key });
            if !c.dot()? {
                return Ok(TfAddress {
                    modules,
                    resource: None,
                });
            }
            continue;
        }
        let (data, rtype) = if word == "data" {
            if !c.dot()? {
                return Err(AddressError::DataWithoutType);
            }
            (true, c.ident("a resource type")?)
        } else {
            (false, word)
        };
        if !c.dot()? {
            return Err(AddressError::NoResourceName(rtype));
        }
        let name = c.ident("a resource name")?;
        let key = c.key()?;
        if c.peek().is_some() {
            return Err(AddressError::TrailingText(c.i + 1));
        }
        return Ok(TfAddress {
            modules,
            resource: Some(ResourcePart {
                data,
                rtype,
                name,
                key,
            }),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        for a in [
            "aws_db_instance.accounts",
            "aws_s3_bucket.logs[0]",
            "module.logs.aws_s3_bucket.main",
            "module.app[\"kz.1\"].module.db.yandex_mdb_postgresql_cluster.pg[\"a]b\"]",
            "module.logs",
            "data.aws_region.current",
        ] {
            assert_eq!(parse(a).unwrap().to_string(), a);
        }
        for bad in [
            "",
            "aws_db_instance",
            "module",
            "module.",
            "aws_s3_bucket.logs[x]",
            "aws_s3_bucket.logs[\"x]",
            "aws_s3_bucket.logs.extra",
            "1aws.x",
            "aws s3",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn patterns_cover_instances_and_modules() {
        let p = |s| parse(s).unwrap();
        let actual = p("module.logs[\"eu\"].aws_s3_bucket.main[0]");
        assert!(p("module.logs.aws_s3_bucket.main").covers(&actual));
        assert!(p("module.logs[\"eu\"].aws_s3_bucket.main[0]").covers(&actual));
        assert!(p("module.logs").covers(&actual));
        assert!(!p("module.logs[\"kz\"]").covers(&actual));
        assert!(!p("aws_s3_bucket.main").covers(&actual));
        assert!(!p("module.logs.aws_s3_bucket.main[1]").covers(&actual));
        assert_eq!(actual.module_address(), "module.logs[\"eu\"]");
        assert_eq!(p("aws_s3_bucket.main").module_address(), "");
    }
}
