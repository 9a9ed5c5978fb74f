//! `residency.toml`: the settings a team keeps beside its inventory, so that
//! `residency check` in CI and on a laptop run the same audit.
//!
//! The file is `--config FILE`, else `residency.toml` in the working
//! directory when there is one. Command-line flags override it; relative
//! paths in it are relative to the file's directory. Unknown keys and bad
//! values are errors with file:line:column (and "did you mean" where a key
//! is close), exit 2, like the inventory. `residency config` prints the
//! effective settings and where each came from.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::parser::ValueSource;
use clap::{ArgMatches, ValueEnum};
use toml::de::{DeTable, DeValue};

use super::{Cli, Command, Failure};
use crate::evaluate::FailOn;
use crate::inventory::Diagnostic;
use crate::report::Lang;

/// The file looked for in the working directory.
pub(crate) const FILE_NAME: &str = "residency.toml";

/// The value a key takes.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Path,
    Paths,
    Urls,
    Bool,
    /// One of these words.
    Word(&'static [&'static str]),
    /// A number of seconds in this range.
    Seconds(f64, f64),
    /// A whole number in this range.
    Int(i64, i64),
    Nameserver,
}

/// One setting: its key (`dns.timeout` is `timeout` in `[dns]`), what it
/// takes, its default as text, and what it does.
struct Key {
    name: &'static str,
    kind: Kind,
    default: &'static str,
    help: &'static str,
}

const FAIL_ON: &[&str] = &["critical", "high", "medium", "low", "info", "never"];

const KEYS: &[Key] = &[
    Key {
        name: "inventory",
        kind: Kind::Path,
        default: "\"inventory/\"",
        help: "inventory directory or file of check, report and notify (their PATH)",
    },
    Key {
        name: "fail-on",
        kind: Kind::Word(FAIL_ON),
        default: "\"high\"",
        help: "--fail-on: exit 1 at or above this severity",
    },
    Key {
        name: "lang",
        kind: Kind::Word(&["ru", "en"]),
        default: "from LC_ALL/LC_MESSAGES/LANG",
        help: "--lang of the reports and of explain",
    },
    Key {
        name: "offline",
        kind: Kind::Bool,
        default: "false",
        help: "--offline: no network request at all",
    },
    Key {
        name: "terraform",
        kind: Kind::Paths,
        default: "[]",
        help: "--terraform: plans (terraform show -json) of check, report, notify and init",
    },
    Key {
        name: "site",
        kind: Kind::Urls,
        default: "[]",
        help: "--site: start URLs of the web site, for check and init",
    },
    Key {
        name: "adequacy",
        kind: Kind::Path,
        default: "the built-in RKN Order No. 128 list",
        help: "--adequacy: a replacement adequacy list (TSV)",
    },
    Key {
        name: "geoip",
        kind: Kind::Path,
        default: "the built-in database",
        help: "--geoip: a MaxMind-format database",
    },
    Key {
        name: "report-dir",
        kind: Kind::Path,
        default: "\"reports/\"",
        help: "--out of report: the directory of dated runs",
    },
    Key {
        name: "dns.server",
        kind: Kind::Nameserver,
        default: "the system resolver configuration",
        help: "--dns: the nameserver, ADDR or ADDR:PORT",
    },
    Key {
        name: "dns.timeout",
        kind: Kind::Seconds(0.01, 60.0),
        default: "2.0",
        help: "--timeout: seconds per DNS answer",
    },
    Key {
        name: "dns.attempts",
        kind: Kind::Int(1, 10),
        default: "2",
        help: "--attempts: tries per DNS query",
    },
    Key {
        name: "dns.concurrency",
        kind: Kind::Int(1, 4096),
        default: "64",
        help: "--concurrency: host names resolved at once",
    },
];

/// The tables a key may be in, besides the top level.
const TABLES: &[&str] = &["dns"];

/// A value read from the file.
#[derive(Debug, Clone, PartialEq)]
enum Val {
    Path(PathBuf),
    Paths(Vec<PathBuf>),
    Urls(Vec<String>),
    Bool(bool),
    Word(String),
    Float(f64),
    Int(i64),
    Addr(SocketAddr),
}

/// A setting the file gives, and where.
#[derive(Debug, Clone)]
struct Entry {
    key: &'static str,
    val: Val,
    /// `residency.toml:3:1`.
    at: String,
}

/// The settings of a config file (none: no file).
#[derive(Debug, Default)]
pub(crate) struct Config {
    /// The file, as found or given.
    pub file: Option<PathBuf>,
    entries: Vec<Entry>,
}

impl Config {
    fn get(&self, key: &str) -> Option<&Val> {
        self.entries.iter().find(|e| e.key == key).map(|e| &e.val)
    }

    fn path(&self, key: &str) -> Option<PathBuf> {
        match self.get(key) {
            Some(Val::Path(p)) => Some(p.clone()),
            _ => None,
        }
    }
}

/// Find and read the config file: `explicit` (from --config), else
/// `residency.toml` in the working directory, else none.
pub(crate) fn discover(explicit: Option<&Path>) -> Result<Config, Failure> {
    let file = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let p = PathBuf::from(FILE_NAME);
            if !p.exists() {
                return Ok(Config::default());
            }
            p
        }
    };
    let shown = file.display().to_string();
    use crate::diag::ReadError;
    let text = crate::diag::read_limited(&file, 1 << 20).map_err(|e| match e {
        ReadError::NotFound => config_error(&shown, None, "no such config file", None),
        ReadError::Directory => config_error(&shown, None, "is a directory", None),
        ReadError::TooLarge { .. } => config_error(&shown, None, "larger than 1 MiB", None),
        e => config_error(&shown, None, &e.to_string(), None),
    })?;
    let text = String::from_utf8(text).map_err(|e| {
        let pos = crate::inventory::byte_pos(e.as_bytes(), e.utf8_error().valid_up_to());
        config_error(&shown, Some(pos), "not UTF-8 text", None)
    })?;
    let base = file.parent().map(Path::to_path_buf).unwrap_or_default();
    let entries = parse(&shown, &text, &base).map_err(|diags| {
        let mut failure = super::problems_then(&diags, "in the config file", "nothing was run");
        if let Failure::Input { sources, .. } = &mut failure {
            sources.keep(&shown, text.clone());
        }
        failure
    })?;
    Ok(Config {
        file: Some(file),
        entries,
    })
}

fn config_error(
    file: &str,
    pos: Option<crate::inventory::yaml::Pos>,
    msg: &str,
    hint: Option<String>,
) -> Failure {
    let d = Diagnostic {
        file: Some(file.to_string()),
        pos,
        message: msg.to_string(),
        hint,
        related: None,
    };
    Failure::problems(vec![d])
}

/// Every setting of the text, or every problem in it.
fn parse(file: &str, text: &str, base: &Path) -> Result<Vec<Entry>, Vec<Diagnostic>> {
    let at = |span: std::ops::Range<usize>| crate::inventory::byte_pos(text.as_bytes(), span.start);
    let diag = |span: std::ops::Range<usize>, message: String, hint: Option<String>| Diagnostic {
        file: Some(file.to_string()),
        pos: Some(at(span)),
        message,
        hint,
        related: None,
    };
    let root = match DeTable::parse(text) {
        Ok(t) => t.into_inner(),
        Err(e) => {
            let pos = e.span().map(&at);
            let message = format!("not TOML: {}", e.message().trim_end());
            return Err(vec![Diagnostic {
                file: Some(file.to_string()),
                pos,
                message,
                hint: None,
                related: None,
            }]);
        }
    };
    let mut entries = Vec::new();
    let mut bad = Vec::new();
    let mut items: Vec<(String, std::ops::Range<usize>, &toml::Spanned<DeValue<'_>>)> = Vec::new();
    for (k, v) in &root {
        if let (true, DeValue::Table(t)) = (TABLES.contains(&k.get_ref().as_ref()), v.get_ref()) {
            for (k2, v2) in t {
                items.push((format!("{}.{}", k.get_ref(), k2.get_ref()), k2.span(), v2));
            }
        } else {
            items.push((k.get_ref().to_string(), k.span(), v));
        }
    }
    // In file order: errors and `residency config` follow the file.
    items.sort_by_key(|(_, span, _)| span.start);
    for (name, span, v) in items {
        let Some(key) = KEYS.iter().find(|k| k.name == name) else {
            if TABLES.contains(&name.as_str()) {
                bad.push(diag(
                    v.span(),
                    format!("`{name}` must be a table, [{name}]"),
                    None,
                ));
            } else {
                bad.push(diag(
                    span,
                    format!("unknown key `{name}`"),
                    unknown_hint(&name),
                ));
            }
            continue;
        };
        match value(key, v.get_ref(), base) {
            Ok(val) => entries.push(Entry {
                key: key.name,
                val,
                at: {
                    let p = at(span.clone());
                    format!("{file}:{}:{}", p.line, p.column)
                },
            }),
            Err(msg) => bad.push(diag(v.span(), format!("`{name}`: {msg}"), None)),
        }
    }
    let has = |k: &str| entries.iter().any(|e: &Entry| e.key == k);
    if entries
        .iter()
        .any(|e| e.key == "offline" && e.val == Val::Bool(true))
    {
        for clash in ["site", "dns.server"] {
            if has(clash) {
                let e = entries
                    .iter()
                    .find(|e| e.key == clash)
                    .map(|e| e.at.clone());
                bad.push(Diagnostic {
                    file: None,
                    pos: None,
                    message: format!(
                        "{}: `{clash}` cannot be used with `offline = true`",
                        e.unwrap_or_default()
                    ),
                    hint: None,
                    related: None,
                });
            }
        }
    }
    if bad.is_empty() {
        Ok(entries)
    } else {
        Err(bad)
    }
}

/// "did you mean" for an unknown key: a close key at any level.
fn unknown_hint(name: &str) -> Option<String> {
    let leaf = name.rsplit('.').next().unwrap_or(name);
    if let Some(k) = KEYS
        .iter()
        .find(|k| k.name.rsplit('.').next() == Some(leaf) && k.name != leaf)
    {
        let (table, key) = k.name.split_once('.').unwrap_or(("", k.name));
        return Some(format!(
            "`{key}` belongs in the [{table}] table: `{}`",
            k.name
        ));
    }
    let names = KEYS.iter().map(|k| k.name).chain(TABLES.iter().copied());
    let candidates: Vec<&str> = names
        .filter(|k| !k.contains('.') || name.contains('.'))
        .collect();
    match crate::reference::closest(name, candidates) {
        Some(best) => Some(format!("did you mean `{best}`?")),
        None => Some(format!(
            "the keys are: {}",
            KEYS.iter().map(|k| k.name).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// Why a key's value is not what the key takes (shown after `` `key`: ``).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
enum ValueError {
    #[error("expected a path, found an empty string")]
    EmptyPath,
    /// Found: the TOML type of the value or of a list item.
    #[error("expected a list of strings, found {0}")]
    NotStrings(&'static str),
    #[error(
        "`{word}` is not one of {}{}",
        .words.join(", "),
        .hint.map(|h| format!(" (did you mean `{h}`?)")).unwrap_or_default()
    )]
    NotAWord {
        word: String,
        words: &'static [&'static str],
        hint: Option<&'static str>,
    },
    #[error("expected a number of seconds")]
    NotSeconds,
    #[error(transparent)]
    Seconds(#[from] super::BadSeconds),
    #[error(transparent)]
    NotInt(#[from] std::num::ParseIntError),
    #[error("expected a whole number between {lo} and {hi}")]
    IntOutOfRange { lo: i64, hi: i64 },
    #[error(transparent)]
    Nameserver(#[from] super::lookup::BadNameserver),
    #[error("expected {want}, found {found}")]
    WrongType {
        want: &'static str,
        found: &'static str,
    },
}

fn value(key: &Key, v: &DeValue<'_>, base: &Path) -> Result<Val, ValueError> {
    let path = |s: &str| -> Result<PathBuf, ValueError> {
        if s.is_empty() {
            return Err(ValueError::EmptyPath);
        }
        Ok(base.join(s))
    };
    let strings = |v: &DeValue<'_>| -> Result<Vec<String>, ValueError> {
        match v {
            DeValue::Array(a) => a
                .iter()
                .map(|x| match x.get_ref() {
                    DeValue::String(s) => Ok(s.to_string()),
                    other => Err(ValueError::NotStrings(type_name(other))),
                })
                .collect(),
            DeValue::String(s) => Ok(vec![s.to_string()]),
            other => Err(ValueError::NotStrings(type_name(other))),
        }
    };
    Ok(match (key.kind, v) {
        (Kind::Path, DeValue::String(s)) => Val::Path(path(s)?),
        (Kind::Paths, v) => Val::Paths(
            strings(v)?
                .iter()
                .map(|s| path(s))
                .collect::<Result<_, _>>()?,
        ),
        (Kind::Urls, v) => Val::Urls(strings(v)?),
        (Kind::Bool, DeValue::Boolean(b)) => Val::Bool(*b),
        (Kind::Word(words), DeValue::String(s)) => {
            if words.contains(&s.as_ref()) {
                Val::Word(s.to_string())
            } else {
                return Err(ValueError::NotAWord {
                    word: s.to_string(),
                    words,
                    hint: crate::reference::closest(s, words.iter().copied()),
                });
            }
        }
        (Kind::Seconds(lo, hi), DeValue::Float(_) | DeValue::Integer(_)) => {
            let x = number(v).ok_or(ValueError::NotSeconds)?;
            if !(lo..=hi).contains(&x) {
                return Err(super::BadSeconds { lo, hi }.into());
            }
            Val::Float(x)
        }
        (Kind::Int(lo, hi), DeValue::Integer(i)) => {
            let x = i64::from_str_radix(i.as_str(), i.radix())?;
            if !(lo..=hi).contains(&x) {
                return Err(ValueError::IntOutOfRange { lo, hi });
            }
            Val::Int(x)
        }
        (Kind::Nameserver, DeValue::String(s)) => Val::Addr(super::lookup::parse_nameserver(s)?),
        (kind, other) => {
            let want = match kind {
                Kind::Path | Kind::Word(_) | Kind::Nameserver => "a string",
                Kind::Paths | Kind::Urls => "a list of strings",
                Kind::Bool => "true or false",
                Kind::Seconds(..) => "a number",
                Kind::Int(..) => "a whole number",
            };
            return Err(ValueError::WrongType {
                want,
                found: type_name(other),
            });
        }
    })
}

fn number(v: &DeValue<'_>) -> Option<f64> {
    match v {
        DeValue::Float(f) => f.as_str().replace('_', "").parse().ok(),
        DeValue::Integer(i) if i.radix() == 10 => i.as_str().replace('_', "").parse().ok(),
        _ => None,
    }
}

fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// Whether the command line left the argument `id` to its default, so that
/// the config file may set it.
fn unset(m: &ArgMatches, id: &str) -> bool {
    !matches!(
        m.value_source(id),
        Some(ValueSource::CommandLine | ValueSource::EnvVariable)
    )
}

/// Put the config file's settings into the parsed command line wherever a
/// flag did not set them.
pub(crate) fn apply(cli: &mut Cli, matches: &ArgMatches, cfg: &Config) {
    if cfg.entries.is_empty() {
        return;
    }
    let Some((_, m)) = matches.subcommand() else {
        return;
    };
    match &mut cli.command {
        Command::Check(a) => {
            if unset(m, "path")
                && let Some(p) = cfg.path("inventory")
            {
                a.path = p;
            }
            audit(&mut a.audit, m, cfg);
            if unset(m, "site")
                && !a.audit.offline
                && let Some(Val::Urls(u)) = cfg.get("site")
            {
                a.site = u.clone();
            }
        }
        Command::Report(a) => {
            if unset(m, "path")
                && let Some(p) = cfg.path("inventory")
            {
                a.path = p;
            }
            if unset(m, "out")
                && let Some(p) = cfg.path("report-dir")
            {
                a.out = p;
            }
            audit(&mut a.audit, m, cfg);
        }
        Command::ScanSite(a) => lookup(&mut a.lookup, m, cfg),
        Command::Resolve(a) => {
            lookup(&mut a.lookup, m, cfg);
            if unset(m, "inventory") && a.inventory.is_none() {
                a.inventory = cfg.path("inventory");
            }
        }
        Command::Explain { lang, .. } if unset(m, "lang") => {
            *lang = config_lang(cfg).or(*lang);
        }
        // Its --lang stays its own (the filings are in Russian by default).
        Command::Notify(a) => {
            if unset(m, "path")
                && let Some(p) = cfg.path("inventory")
            {
                a.path = p;
            }
            terraform(&mut a.terraform, m, cfg);
            if unset(m, "adequacy") && a.adequacy.is_none() {
                a.adequacy = cfg.path("adequacy");
            }
            offline_lookup(&mut a.offline, &mut a.lookup, m, cfg);
        }
        Command::Init(a) => {
            terraform(&mut a.terraform, m, cfg);
            if unset(m, "site")
                && let Some(Val::Urls(u)) = cfg.get("site")
            {
                a.site = u.clone();
            }
            offline_lookup(&mut a.offline, &mut a.lookup, m, cfg);
        }
        _ => {}
    }
}

fn config_lang(cfg: &Config) -> Option<Lang> {
    match cfg.get("lang") {
        Some(Val::Word(w)) => <Lang as ValueEnum>::from_str(w, true).ok(),
        _ => None,
    }
}

fn audit(a: &mut super::AuditArgs, m: &ArgMatches, cfg: &Config) {
    if unset(m, "fail_on")
        && let Some(Val::Word(w)) = cfg.get("fail-on")
        && let Ok(fail_on) = <FailOn as ValueEnum>::from_str(w, true)
    {
        a.fail_on = fail_on;
    }
    if unset(m, "lang") {
        a.lang = config_lang(cfg).or(a.lang);
    }
    terraform(&mut a.terraform, m, cfg);
    if unset(m, "adequacy") && a.adequacy.is_none() {
        a.adequacy = cfg.path("adequacy");
    }
    offline_lookup(&mut a.offline, &mut a.lookup, m, cfg);
}

/// `terraform` plan paths from the file unless given on the command line.
fn terraform(paths: &mut Vec<std::path::PathBuf>, m: &ArgMatches, cfg: &Config) {
    if unset(m, "terraform")
        && let Some(Val::Paths(p)) = cfg.get("terraform")
    {
        *paths = p.clone();
    }
}

/// `offline` (unless `--offline` or `--dns` was given) and the resolver
/// settings; offline means no nameserver at all.
fn offline_lookup(
    offline: &mut bool,
    l: &mut super::lookup::LookupArgs,
    m: &ArgMatches,
    cfg: &Config,
) {
    if unset(m, "offline")
        && !m.contains_id("dns")
        && let Some(Val::Bool(b)) = cfg.get("offline")
    {
        *offline = *b;
    }
    lookup(l, m, cfg);
    if *offline {
        l.dns = None;
    }
}

fn lookup(l: &mut super::lookup::LookupArgs, m: &ArgMatches, cfg: &Config) {
    if unset(m, "dns")
        && let Some(Val::Addr(a)) = cfg.get("dns.server")
    {
        l.dns = Some(*a);
    }
    if unset(m, "geoip") && l.geoip.is_none() {
        l.geoip = cfg.path("geoip");
    }
    if unset(m, "timeout")
        && let Some(Val::Float(t)) = cfg.get("dns.timeout")
    {
        l.timeout = *t;
    }
    if unset(m, "attempts")
        && let Some(Val::Int(n)) = cfg.get("dns.attempts")
    {
        l.attempts = *n as u8;
    }
    if unset(m, "concurrency")
        && let Some(Val::Int(n)) = cfg.get("dns.concurrency")
    {
        l.concurrency = *n as u16;
    }
}

/// `residency config`: the effective settings, as a config file with the
/// source of each value in a comment.
pub(super) fn show(cfg: &Config) -> Result<ExitCode, Failure> {
    let mut out = String::new();
    match &cfg.file {
        Some(f) => out.push_str(&format!(
            "# The settings of residency, from {} and the defaults.\n",
            f.display()
        )),
        None => out.push_str(&format!(
            "# The settings of residency: no {FILE_NAME} here (nor --config FILE), so the defaults.\n"
        )),
    }
    out.push_str(
        "# A flag on the command line overrides each of them. Relative paths are relative\n\
         # to the config file's directory.\n",
    );
    let mut table = "";
    for key in KEYS {
        let (t, leaf) = key.name.split_once('.').unwrap_or(("", key.name));
        if t != table {
            out.push_str(&format!("\n[{t}]\n"));
            table = t;
        }
        out.push_str(&format!("# {}\n", key.help));
        match cfg.entries.iter().find(|e| e.key == key.name) {
            Some(e) => out.push_str(&format!("{leaf} = {}  # from {}\n", render(&e.val), e.at)),
            None if key.default.starts_with(['"', '['])
                || key.default.parse::<f64>().is_ok()
                || key.default == "false" =>
            {
                out.push_str(&format!("{leaf} = {}  # default\n", key.default));
            }
            None => out.push_str(&format!("# {leaf} = …  (default: {})\n", key.default)),
        }
    }
    super::print(&out);
    Ok(ExitCode::SUCCESS)
}

/// A value as TOML.
fn render(v: &Val) -> String {
    let s = |x: &str| toml_string(x);
    let p = |x: &Path| toml_string(&x.display().to_string());
    match v {
        Val::Path(x) => p(x),
        Val::Paths(xs) => format!(
            "[{}]",
            xs.iter().map(|x| p(x)).collect::<Vec<_>>().join(", ")
        ),
        Val::Urls(xs) => format!(
            "[{}]",
            xs.iter().map(|x| s(x)).collect::<Vec<_>>().join(", ")
        ),
        Val::Bool(b) => b.to_string(),
        Val::Word(w) => s(w),
        Val::Float(f) => format!("{f:?}"),
        Val::Int(i) => i.to_string(),
        Val::Addr(a) => s(&a.to_string()),
    }
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "inventory = \"inv/\"\nfail-on = \"medium\"\nterraform = [\"a.json\", \"b.json\"]\nsite = \"https://example.ru/\"\n[dns]\nserver = \"[::1]:5353\"\ntimeout = 1\nconcurrency = 0x10\n";

    #[test]
    fn settings_with_their_places() {
        let e = parse("r.toml", GOOD, Path::new("conf")).unwrap();
        let at: Vec<(&str, &str)> = e.iter().map(|e| (e.key, e.at.as_str())).collect();
        assert_eq!(
            at,
            [
                ("inventory", "r.toml:1:1"),
                ("fail-on", "r.toml:2:1"),
                ("terraform", "r.toml:3:1"),
                ("site", "r.toml:4:1"),
                ("dns.server", "r.toml:6:1"),
                ("dns.timeout", "r.toml:7:1"),
                ("dns.concurrency", "r.toml:8:1"),
            ]
        );
        assert_eq!(e[0].val, Val::Path(PathBuf::from("conf/inv/")));
        assert_eq!(e[3].val, Val::Urls(vec!["https://example.ru/".into()]));
        assert_eq!(e[4].val, Val::Addr("[::1]:5353".parse().unwrap()));
        assert_eq!(e[5].val, Val::Float(1.0));
        assert_eq!(e[6].val, Val::Int(16));
    }

    #[test]
    fn offline_excludes_the_network_settings() {
        let err = parse(
            "r.toml",
            "offline = true\nsite = [\"https://x.ru/\"]\n",
            Path::new(""),
        )
        .unwrap_err();
        assert_eq!(err.len(), 1);
        assert_eq!(
            err[0].to_string(),
            "r.toml:2:1: `site` cannot be used with `offline = true`"
        );
    }

    /// Every prefix of a config (cut at each character) and some hostile
    /// texts: a located error or settings, never a panic.
    #[test]
    fn truncated_and_hostile_configs_never_panic() {
        let hostile = "a.b.c = 1\n\"fail-on\" = \"\u{202e}high\"\ninventory = 1e400\ndns = 3\n[[x]]\nlang = [\"ru\"]\nconcurrency = 99999999999999999999999\n[dns]\nattempts = -1\ntimeout = nan\nserver = \"\u{0}\"\n[dns]\n";
        for text in [GOOD, hostile] {
            for (i, _) in text.char_indices() {
                if let Err(diags) = parse("r.toml", &text[..i], Path::new("")) {
                    assert!(!diags.is_empty());
                    for d in diags {
                        assert!(d.to_string().starts_with("r.toml:"), "{d}");
                    }
                }
            }
        }
        let err = parse("r.toml", hostile, Path::new("")).unwrap_err();
        assert!(err[0].message.starts_with("not TOML"), "{:?}", err[0]);
    }

    /// Each kind of bad value is its own error, with the old words.
    #[test]
    fn values_that_a_key_does_not_take_are_typed_errors() {
        let check = |name: &str, toml: &str| -> Result<Val, ValueError> {
            let key = KEYS.iter().find(|k| k.name == name).unwrap();
            let text = format!("v = {toml}");
            let table = DeTable::parse(&text).unwrap().into_inner();
            value(key, table.get("v").unwrap().get_ref(), Path::new("conf"))
        };
        assert_eq!(check("inventory", "\"\""), Err(ValueError::EmptyPath));
        assert_eq!(
            check("terraform", "[\"a\", 1]"),
            Err(ValueError::NotStrings("an integer"))
        );
        let e = check("fail-on", "\"hihg\"").unwrap_err();
        assert!(
            matches!(&e, ValueError::NotAWord { word, hint: Some("high"), .. } if word == "hihg"),
            "{e:?}"
        );
        assert_eq!(
            e.to_string(),
            "`hihg` is not one of critical, high, medium, low, info, never (did you mean `high`?)"
        );
        let e = check("lang", "\"zz\"").unwrap_err();
        assert_eq!(e.to_string(), "`zz` is not one of ru, en");
        assert_eq!(check("dns.timeout", "0x10"), Err(ValueError::NotSeconds));
        let e = check("dns.timeout", "61").unwrap_err();
        assert!(matches!(e, ValueError::Seconds(_)), "{e:?}");
        assert_eq!(
            e.to_string(),
            "expected a number of seconds between 0.01 and 60"
        );
        assert!(matches!(
            check("dns.concurrency", "99999999999999999999999"),
            Err(ValueError::NotInt(_))
        ));
        let e = check("dns.attempts", "11").unwrap_err();
        assert_eq!(e, ValueError::IntOutOfRange { lo: 1, hi: 10 });
        assert_eq!(e.to_string(), "expected a whole number between 1 and 10");
        let e = check("dns.server", "\"nowhere\"").unwrap_err();
        assert!(matches!(e, ValueError::Nameserver(_)), "{e:?}");
        assert_eq!(
            e.to_string(),
            "`nowhere` is not an IP address with an optional port (e.g. 127.0.0.1:5353)"
        );
        assert_eq!(
            check("offline", "\"yes\""),
            Err(ValueError::WrongType {
                want: "true or false",
                found: "a string"
            })
        );
    }
}
