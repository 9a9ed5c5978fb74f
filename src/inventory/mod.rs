//! Stage 1: inventory files → a validated [`Inventory`] with positions.
//!
//! Every `*.yaml`/`*.yml` file under the path is read (sorted by path) and
//! merged. Problems are collected, not thrown: a run reports every broken
//! entity of every file at once, each as `file:line:column: message`.

pub mod endpoint;
pub mod filings;
pub mod model;
pub mod raw;
pub mod tfaddr;
pub mod yaml;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use model::*;
use raw::{RawDatabase, RawLocation, RawPartner, RawProcessor, RawTransfer, RawWaiver, Sp};
use yaml::{Kind, Node, Pos};

use crate::reference::{Country, cloud, country};

/// Files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// One problem with the input, located as precisely as possible.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub file: Option<String>,
    pub pos: Option<Pos>,
    pub message: String,
    pub hint: Option<String>,
}

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
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.pos) {
            (Some(file), Some(pos)) => write!(f, "{file}:{pos}: ")?,
            (Some(file), None) => write!(f, "{file}: ")?,
            _ => {}
        }
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  = help: {hint}")?;
        }
        Ok(())
    }
}

/// What validation needs to know beyond the files themselves.
#[derive(Debug, Clone)]
pub struct LoadOptions<'a> {
    /// The rule ids a waiver may name; empty: rule ids are not checked.
    pub rule_ids: &'a [&'a str],
    /// The report date (days since 1970-01-01): a waiver may run at most
    /// one year past it.
    pub today: i64,
}

impl Default for LoadOptions<'_> {
    /// No rule-id check; today is the report date (`SOURCE_DATE_EPOCH` or now).
    fn default() -> Self {
        Self {
            rule_ids: &[],
            today: crate::util::day(
                crate::util::report_epoch().unwrap_or_else(|_| crate::util::now()),
            ),
        }
    }
}

/// Read and validate the inventory at `path` (a directory or one file).
pub fn load(path: &Path) -> Result<Inventory, Vec<Diagnostic>> {
    load_with(path, &LoadOptions::default())
}

/// [`load`], checking waivers against the given rule ids and report date.
pub fn load_with(path: &Path, opts: &LoadOptions<'_>) -> Result<Inventory, Vec<Diagnostic>> {
    let files = discover(path).map_err(|d| vec![d])?;
    let mut loader = Loader::default();
    for file in &files {
        loader.read_file(file);
    }
    loader.finish(files, opts)
}

/// The inventory files under `path`, sorted by path.
pub fn discover(path: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| Diagnostic {
        file: Some(shown.clone()),
        pos: None,
        message: match e.kind() {
            std::io::ErrorKind::NotFound => "no such file or directory".into(),
            _ => e.to_string(),
        },
        hint: None,
    })?;
    let mut files = Vec::new();
    if meta.is_dir() {
        walk(path, &mut files, 0);
        files.sort();
    } else if is_yaml(path) {
        files.push(path.to_path_buf());
    } else {
        return Err(Diagnostic {
            file: Some(shown),
            pos: None,
            message: "not a *.yaml or *.yml file".into(),
            hint: None,
        });
    }
    if files.is_empty() {
        return Err(Diagnostic {
            file: Some(shown),
            pos: None,
            message: "holds no *.yaml or *.yml file".into(),
            hint: Some(
                "run `residency check` on the example in inventory/ to see the format".into(),
            ),
        });
    }
    Ok(files)
}

fn is_yaml(p: &Path) -> bool {
    matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    // Symlinked directories are not followed (no loops); 64 levels is deeper
    // than any real inventory.
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(ft) = entry.file_type() else { continue };
        if ft.is_dir() && depth < 64 {
            walk(&path, out, depth + 1);
        } else if (ft.is_file() || ft.is_symlink()) && is_yaml(&path) && path.is_file() {
            out.push(path);
        }
    }
}

#[derive(Default)]
struct Loader {
    diags: Vec<Diagnostic>,
    organization: Option<(raw::RawOrganization, Loc)>,
    declarations: Option<(raw::RawDeclarations, Loc)>,
    networks: Vec<(raw::RawNetwork, Loc)>,
    databases: Vec<(RawDatabase, Loc)>,
    processors: Vec<(RawProcessor, Loc)>,
    partners: Vec<(RawPartner, Loc)>,
    transfers: Vec<(RawTransfer, Loc)>,
    waivers: Vec<(RawWaiver, Loc)>,
    filings: Vec<(filings::RawFiling, Loc)>,
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
        });
    }

    fn read_file(&mut self, path: &Path) {
        let file: Arc<str> = path.display().to_string().into();
        let bytes = match std::fs::metadata(path) {
            Ok(m) if m.len() > MAX_FILE_BYTES => {
                let msg = format!("file is {} bytes; the limit is {MAX_FILE_BYTES}", m.len());
                return self.error(&file, None, msg, None);
            }
            _ => match std::fs::read(path) {
                Ok(b) => b,
                Err(e) => return self.error(&file, None, format!("cannot read: {e}"), None),
            },
        };
        if let Some(i) = bytes.iter().position(|&b| b == 0) {
            let pos = byte_pos(&bytes, i);
            return self.error(
                &file,
                Some(pos),
                "binary file (NUL byte), not YAML text",
                None,
            );
        }
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let pos = byte_pos(e.as_bytes(), e.utf8_error().valid_up_to());
                return self.error(
                    &file,
                    Some(pos),
                    "not UTF-8 text",
                    Some("save the file as UTF-8".into()),
                );
            }
        };
        let root = match yaml::parse(&text) {
            Ok(root) => root,
            Err(e) => return self.error(&file, e.pos, e.message, e.hint),
        };
        self.read_root(&file, &root);
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
            match name.as_str() {
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
                    if let Some((_, first)) = &self.organization {
                        let msg = format!(
                            "`organization` is already given at {first}; it may appear in one file only"
                        );
                        self.error(file, Some(key.pos), msg, None);
                    } else if let Some(org) = self.item(file, value) {
                        self.organization = Some((org, loc(key.pos)));
                    }
                }
                "declarations" => {
                    if let Some((_, first)) = &self.declarations {
                        let msg = format!(
                            "`declarations` is already given at {first}; it may appear in one file only"
                        );
                        self.error(file, Some(key.pos), msg, None);
                    } else if let Some(d) = self.item(file, value) {
                        self.declarations = Some((d, loc(key.pos)));
                    }
                }
                "networks" => self.list(file, value, |l, v, p| l.networks.push((v, p))),
                "databases" => self.list(file, value, |l, v, p| l.databases.push((v, p))),
                "processors" => self.list(file, value, |l, v, p| l.processors.push((v, p))),
                "partners" => self.list(file, value, |l, v, p| l.partners.push((v, p))),
                "transfers" => self.list(file, value, |l, v, p| l.transfers.push((v, p))),
                "waivers" => self.list(file, value, |l, v, p| l.waivers.push((v, p))),
                "filings" => self.list(file, value, |l, v, p| l.filings.push((v, p))),
                other => {
                    let hint = crate::reference::closest(other, raw::FILE_KEYS.iter().copied())
                        .map(|k| format!("did you mean `{k}`?"))
                        .unwrap_or_else(|| {
                            format!("expected one of: {}", raw::FILE_KEYS.join(", "))
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

    fn list<T: for<'a> serde::Deserialize<'a>>(
        &mut self,
        file: &Arc<str>,
        node: &Node,
        push: impl Fn(&mut Self, T, Loc),
    ) {
        let items = match &node.kind {
            Kind::Seq(items) => items,
            Kind::Null => return,
            _ => {
                return self.error(
                    file,
                    Some(node.pos),
                    "expected a list (items start with `- `)",
                    None,
                );
            }
        };
        for item in items {
            if let Some(v) = self.item(file, item) {
                push(
                    self,
                    v,
                    Loc {
                        file: file.clone(),
                        line: item.pos.line,
                        column: item.pos.column,
                    },
                );
            }
        }
    }

    fn finish(
        mut self,
        files: Vec<PathBuf>,
        opts: &LoadOptions<'_>,
    ) -> Result<Inventory, Vec<Diagnostic>> {
        let mut v = Validator {
            diags: std::mem::take(&mut self.diags),
        };
        let details = self
            .organization
            .as_mut()
            .map(|(o, loc)| (filings::RawDetails::take(o), loc.clone()));
        let organization = self.organization.take().and_then(|(o, loc)| {
            let country = v.country(&loc, &o.country)?;
            Some(Organization {
                name: o.name,
                country,
                loc,
            })
        });
        let networks = std::mem::take(&mut self.networks)
            .into_iter()
            .filter_map(|(n, loc)| v.network(n, loc))
            .collect();
        let mut entities = Vec::new();
        for (d, loc) in std::mem::take(&mut self.databases) {
            entities.extend(v.database(d, loc));
        }
        for (p, loc) in std::mem::take(&mut self.processors) {
            entities.extend(v.processor(p, loc));
        }
        for (p, loc) in std::mem::take(&mut self.partners) {
            entities.extend(v.partner(p, loc));
        }
        // Unique ids across the whole inventory.
        let mut seen: HashMap<&str, &Loc> = HashMap::new();
        let mut dups = Vec::new();
        for e in &entities {
            if let Some(first) = seen.insert(&e.id, &e.loc) {
                dups.push((
                    e.loc.clone(),
                    format!("duplicate id `{}`: already used at {first}", e.id),
                ));
            }
        }
        for (loc, msg) in dups {
            v.at(&loc, msg, None);
        }
        // A Terraform address belongs to one entity.
        let mut claimed: HashMap<String, (&str, &Loc)> = HashMap::new();
        let mut twice = Vec::new();
        for e in &entities {
            for c in &e.terraform {
                let key = c.address.to_string();
                match claimed.get(&key) {
                    Some((other, first)) if *other != e.id => twice.push((
                        c.loc.clone(),
                        format!(
                            "Terraform address `{key}` is already claimed by `{other}` at {first}"
                        ),
                    )),
                    Some((_, first)) => twice.push((
                        c.loc.clone(),
                        format!("Terraform address `{key}` is listed twice (first at {first})"),
                    )),
                    None => {
                        claimed.insert(key, (&e.id, &c.loc));
                    }
                }
            }
        }
        for (loc, msg) in twice {
            v.at(&loc, msg, None);
        }
        let kinds: HashMap<&str, EntityKind> =
            entities.iter().map(|e| (e.id.as_str(), e.kind)).collect();
        let ids: Vec<&str> = kinds.keys().copied().collect();
        // References.
        for e in &entities {
            if let Some(op) = &e.operated_by {
                match kinds.get(op.as_str()) {
                    Some(EntityKind::Processor) => {}
                    Some(k) => v.at(
                        &e.loc,
                        format!(
                            "`operated_by: {op}` names a {}, not a processor",
                            k.as_str()
                        ),
                        None,
                    ),
                    None => v.at(
                        &e.loc,
                        format!("`operated_by: {op}` names no entity"),
                        v.suggest(op, &ids),
                    ),
                }
            }
        }
        let transfers = std::mem::take(&mut self.transfers)
            .into_iter()
            .filter_map(|(t, loc)| {
                let mut ok = true;
                for end in [&t.from, &t.to] {
                    if !kinds.contains_key(end.value.0.as_str()) {
                        let l = v.loc_of(&loc, end.pos);
                        v.at(
                            &l,
                            format!("transfer names no entity `{}`", end.value.0),
                            v.suggest(&end.value.0, &ids),
                        );
                        ok = false;
                    }
                }
                ok.then_some(Transfer {
                    from: t.from.value.0,
                    to: t.to.value.0,
                    categories: t.categories,
                    purpose: t.purpose,
                    loc,
                })
            })
            .collect();
        let mut declarations = Declarations::default();
        if let Some((d, loc)) = self.declarations.take() {
            for tp in d.third_parties {
                let l = v.loc_of(&loc, tp.pos);
                match kinds.get(tp.value.0.as_str()) {
                    Some(EntityKind::Processor | EntityKind::Partner) => {
                        declarations.third_parties.push((tp.value.0, l))
                    }
                    Some(EntityKind::Database) => v.at(
                        &l,
                        format!(
                            "declared third party `{}` is a database, not a processor or partner",
                            tp.value.0
                        ),
                        None,
                    ),
                    None => {
                        let hint = v.suggest(&tp.value.0, &ids);
                        v.at(
                            &l,
                            format!(
                                "declared third party `{}` names no processor or partner",
                                tp.value.0
                            ),
                            hint,
                        )
                    }
                }
            }
            for c in d.cross_border_countries {
                let l = v.loc_of(&loc, c.pos);
                if let Some(country) = v.country(&loc, &c) {
                    declarations.cross_border_countries.push((country, l));
                }
            }
        }
        let (filings, problems) =
            filings::validate(details, std::mem::take(&mut self.filings), &kinds);
        v.diags.extend(problems);
        let mut waivers: Vec<Waiver> = Vec::new();
        for (w, loc) in std::mem::take(&mut self.waivers) {
            if let Some(w) = v.waiver(w, loc, opts, &kinds, &ids) {
                if let Some(first) = waivers.iter().find(|o| {
                    o.rule == w.rule && o.target == w.target && o.countries == w.countries
                }) {
                    let msg = format!(
                        "duplicate waiver: `{}` on `{}` is already waived at {}",
                        w.rule,
                        w.target.as_str(),
                        first.loc
                    );
                    v.at(&w.loc, msg, None);
                } else {
                    waivers.push(w);
                }
            }
        }
        if v.diags.is_empty() {
            let mut inv = Inventory::new(
                files,
                organization,
                declarations,
                networks,
                entities,
                transfers,
            );
            inv.waivers = waivers;
            inv.filings = filings;
            Ok(inv)
        } else {
            v.diags.sort();
            v.diags.dedup();
            Err(v.diags)
        }
    }
}

struct Validator {
    diags: Vec<Diagnostic>,
}

impl Validator {
    fn at(&mut self, loc: &Loc, message: impl Into<String>, hint: Option<String>) {
        self.diags.push(Diagnostic::at(loc, message, hint));
    }

    fn loc_of(&self, base: &Loc, pos: Pos) -> Loc {
        Loc {
            file: base.file.clone(),
            line: pos.line,
            column: pos.column,
        }
    }

    fn suggest(&self, word: &str, ids: &[&str]) -> Option<String> {
        crate::reference::closest(word, ids.iter().copied()).map(|s| format!("did you mean `{s}`?"))
    }

    fn country(&mut self, base: &Loc, c: &Sp<raw::CountryCode>) -> Option<Country> {
        let parsed = Country::parse(&c.value.0);
        if parsed.is_none() {
            let l = self.loc_of(base, c.pos);
            self.at(
                &l,
                format!("`{}` is not an ISO 3166-1 alpha-2 country code", c.value.0),
                country::hint(&c.value.0),
            );
        }
        parsed
    }

    fn id(&mut self, base: &Loc, id: &Sp<raw::EntityId>) -> Option<String> {
        let s = &id.value.0;
        let valid = s
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
        if valid {
            Some(s.clone())
        } else {
            let l = self.loc_of(base, id.pos);
            let fixed = s.to_lowercase().replace(' ', "-");
            self.at(&l, format!("invalid id `{s}`: use lower-case letters, digits, `.`, `_` and `-`, starting with a letter or digit"), Some(format!("for example `{fixed}`")));
            None
        }
    }

    fn network(&mut self, n: raw::RawNetwork, loc: Loc) -> Option<Network> {
        let net = match n.cidr.value.trim().parse::<ipnet::IpNet>() {
            Ok(net) => Some(net.trunc()),
            Err(_) => {
                let l = self.loc_of(&loc, n.cidr.pos);
                let hint = n.cidr.value.parse::<std::net::IpAddr>().ok().map(|ip| {
                    let len = if ip.is_ipv4() { 32 } else { 128 };
                    format!("a single address is written `{ip}/{len}`")
                });
                self.at(
                    &l,
                    format!(
                        "`{}` is not a CIDR network (e.g. 10.10.0.0/16)",
                        n.cidr.value
                    ),
                    hint,
                );
                None
            }
        };
        let country = self.country(&loc, &n.country);
        Some(Network {
            net: net?,
            country: country?,
            site: n.site,
            loc,
        })
    }

    fn hosts(&mut self, base: &Loc, hosts: Vec<Sp<String>>) -> Vec<HostEntry> {
        let mut out = Vec::with_capacity(hosts.len());
        for h in hosts {
            let l = self.loc_of(base, h.pos);
            match endpoint::parse(&h.value) {
                Ok(eps) => out.extend(eps.into_iter().map(|endpoint| HostEntry {
                    endpoint,
                    loc: l.clone(),
                })),
                Err(msg) => self.at(&l, format!("invalid host: {msg}"), None),
            }
        }
        out
    }

    fn location(&mut self, base: &Loc, loc: Option<Sp<RawLocation>>) -> Option<DeclaredLocation> {
        let loc = loc?;
        let here = self.loc_of(base, loc.pos);
        let RawLocation {
            country,
            cloud,
            region,
        } = loc.value;
        match (country, cloud, region) {
            (Some(c), None, None) => self.country(base, &c).map(DeclaredLocation::Country),
            (None, Some(cloud), Some(region)) => match cloud::lookup(&cloud.value, &region.value) {
                Ok(r) => Some(DeclaredLocation::Cloud {
                    provider: r.provider,
                    region: r.region,
                    country: r.country,
                    source: r.source,
                }),
                Err(cloud::LookupError::UnknownProvider { hint }) => {
                    let l = self.loc_of(base, cloud.pos);
                    let hint = hint.map(|h| format!("did you mean `{h}`?")).or_else(|| {
                        Some(format!(
                            "known providers: {}",
                            cloud::providers().collect::<Vec<_>>().join(", ")
                        ))
                    });
                    self.at(
                        &l,
                        format!("unknown cloud provider `{}`", cloud.value),
                        hint,
                    );
                    None
                }
                Err(cloud::LookupError::UnknownRegion { provider, hint }) => {
                    let l = self.loc_of(base, region.pos);
                    let hint = hint.map(|h| format!("did you mean `{h}`?"));
                    self.at(
                        &l,
                        format!("unknown region `{}` for cloud `{provider}`", region.value),
                        hint,
                    );
                    None
                }
            },
            (None, Some(_), None) => {
                self.at(&here, "`location.cloud` needs a `region`", None);
                None
            }
            (None, None, Some(_)) => {
                self.at(&here, "`location.region` needs a `cloud`", None);
                None
            }
            (None, None, None) => {
                self.at(
                    &here,
                    "`location` needs `country`, or `cloud` and `region`",
                    None,
                );
                None
            }
            (Some(_), _, _) => {
                self.at(
                    &here,
                    "`location` takes either `country` or `cloud` + `region`, not both",
                    None,
                );
                None
            }
        }
    }

    fn terraform(&mut self, base: &Loc, list: Vec<Sp<String>>) -> Vec<TfClaim> {
        let mut out = Vec::new();
        for a in list {
            let l = self.loc_of(base, a.pos);
            match tfaddr::parse(&a.value) {
                Ok(address) if address.resource.as_ref().is_some_and(|r| r.data) => self.at(
                    &l,
                    format!("`{}` is a data source, not a resource Terraform manages", a.value),
                    None,
                ),
                Ok(address) => out.push(TfClaim { address, loc: l }),
                Err(msg) => self.at(
                    &l,
                    format!("invalid Terraform address `{}`: {msg}", a.value),
                    Some("write it as `terraform state list` prints it, e.g. aws_db_instance.accounts or module.logs.aws_s3_bucket.main".into()),
                ),
            }
        }
        out
    }

    fn waiver(
        &mut self,
        w: RawWaiver,
        loc: Loc,
        opts: &LoadOptions<'_>,
        kinds: &HashMap<&str, EntityKind>,
        ids: &[&str],
    ) -> Option<Waiver> {
        let mut ok = true;
        let rule = w.rule.value.trim().to_string();
        let rule_loc = self.loc_of(&loc, w.rule.pos);
        if rule.starts_with("waiver-") {
            self.at(
                &rule_loc,
                format!("`{rule}` cannot be waived: renew or remove the waiver it reports"),
                None,
            );
            ok = false;
        } else if !opts.rule_ids.is_empty() && !opts.rule_ids.contains(&rule.as_str()) {
            let hint = crate::reference::closest(&rule, opts.rule_ids.iter().copied())
                .map(|r| format!("did you mean `{r}`?"))
                .unwrap_or_else(|| "`residency rules` lists the rule ids".into());
            self.at(
                &rule_loc,
                format!("unknown rule `{rule}` in a waiver"),
                Some(hint),
            );
            ok = false;
        }
        let entity = w.entity.value.trim();
        let entity_loc = self.loc_of(&loc, w.entity.pos);
        let target = if entity == "*" {
            Some(WaiverTarget::All)
        } else if rule == "unlisted-storage" {
            match tfaddr::parse(entity) {
                Ok(a) => Some(WaiverTarget::Resource(a.to_string(), a)),
                Err(msg) => {
                    self.at(
                        &entity_loc,
                        format!("an unlisted-storage waiver names a Terraform resource address; `{entity}` is not one: {msg}"),
                        None,
                    );
                    None
                }
            }
        } else if (rule == "unused-declaration" && entity == "declarations")
            || kinds.contains_key(entity)
        {
            Some(WaiverTarget::Entity(entity.to_string()))
        } else {
            let hint = self
                .suggest(entity, ids)
                .or_else(|| Some("name an entity id, or `*` for every entity".into()));
            self.at(
                &entity_loc,
                format!("waiver names no entity `{entity}`"),
                hint,
            );
            None
        };
        let mut countries = Vec::new();
        for c in &w.countries {
            match self.country(&loc, c) {
                Some(c) => countries.push(c),
                None => ok = false,
            }
        }
        countries.sort();
        countries.dedup();
        for (field, value) in [("reason", &w.reason), ("approved_by", &w.approved_by)] {
            if value.value.trim().is_empty() {
                let l = self.loc_of(&loc, value.pos);
                let what = if field == "reason" {
                    "why the risk is accepted"
                } else {
                    "who accepted the risk"
                };
                self.at(&l, format!("`{field}` is empty: say {what}"), None);
                ok = false;
            }
        }
        let reason_code = w.reason_code.as_ref().map(|r| r.value);
        if rule == "primary-outside-ru" && reason_code.is_none() {
            let codes: Vec<String> = ReasonCode::ALL
                .iter()
                .map(|c| format!("{} ({})", c.as_str(), c.citation()))
                .collect();
            self.at(
                &loc,
                "a waiver of primary-outside-ru needs `reason_code`: the exception of 152-FZ art. 18 p. 5 it relies on",
                Some(format!("one of: {}", codes.join(", "))),
            );
            ok = false;
        }
        let expires_loc = self.loc_of(&loc, w.expires.pos);
        let text = w.expires.value.0.trim();
        let expires = match crate::util::parse_day(text) {
            None => {
                self.at(
                    &expires_loc,
                    format!("`{text}` is not a calendar date"),
                    Some(
                        "write the last day the waiver applies as YYYY-MM-DD, e.g. 2027-03-31"
                            .into(),
                    ),
                );
                None
            }
            Some(day) if day > crate::util::one_year_after(opts.today) => {
                self.at(
                    &expires_loc,
                    format!(
                        "waiver expires {text}, more than one year after the report date {}",
                        crate::util::day_text(opts.today)
                    ),
                    Some(format!(
                        "a waiver lasts at most one year: expire it on or before {}, then review and renew it",
                        crate::util::day_text(crate::util::one_year_after(opts.today))
                    )),
                );
                None
            }
            Some(day) => Some(day),
        };
        if !ok {
            return None;
        }
        Some(Waiver {
            rule,
            target: target?,
            countries,
            reason: w.reason.value.trim().to_string(),
            reason_code,
            approved_by: w.approved_by.value.trim().to_string(),
            expires: expires?,
            loc,
        })
    }

    fn database(&mut self, d: RawDatabase, loc: Loc) -> Option<Entity> {
        let id = self.id(&loc, &d.id);
        let hosts = self.hosts(&loc, d.hosts);
        let location = self.location(&loc, d.location);
        let terraform = self.terraform(&loc, d.terraform);
        Some(Entity {
            id: id?,
            kind: EntityKind::Database,
            name: d.name,
            role: Some(d.role.unwrap_or(Role::Primary)),
            engine: d.engine,
            hosts,
            location,
            legal_country: None,
            operated_by: d.operated_by.map(|o| o.value.0),
            personal_data: d.personal_data.map(|pd| PersonalData {
                ru_citizens: pd.ru_citizens.unwrap_or(true),
                categories: pd.categories,
            }),
            instruction: None,
            legal_basis: None,
            collects_from_subjects: false,
            terraform,
            loc,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn third_party(
        &mut self,
        kind: EntityKind,
        id: &Sp<raw::EntityId>,
        name: Option<String>,
        country: &Sp<raw::CountryCode>,
        hosts: Vec<Sp<String>>,
        location: Option<Sp<RawLocation>>,
        collects: Option<bool>,
        terraform: Vec<Sp<String>>,
        loc: Loc,
    ) -> Option<Entity> {
        let id = self.id(&loc, id);
        let legal_country = self.country(&loc, country);
        let hosts = self.hosts(&loc, hosts);
        let location = self.location(&loc, location);
        let terraform = self.terraform(&loc, terraform);
        Some(Entity {
            id: id?,
            kind,
            name,
            role: None,
            engine: None,
            hosts,
            location,
            legal_country: Some(legal_country?),
            operated_by: None,
            personal_data: None,
            instruction: None,
            legal_basis: None,
            collects_from_subjects: collects.unwrap_or(false),
            terraform,
            loc,
        })
    }

    fn processor(&mut self, p: RawProcessor, loc: Loc) -> Option<Entity> {
        let mut e = self.third_party(
            EntityKind::Processor,
            &p.id,
            p.name,
            &p.country,
            p.hosts,
            p.location,
            p.collects_from_subjects,
            p.terraform,
            loc,
        )?;
        e.instruction = p.instruction.filter(|s| !s.trim().is_empty());
        Some(e)
    }

    fn partner(&mut self, p: RawPartner, loc: Loc) -> Option<Entity> {
        let mut e = self.third_party(
            EntityKind::Partner,
            &p.id,
            p.name,
            &p.country,
            p.hosts,
            p.location,
            p.collects_from_subjects,
            p.terraform,
            loc,
        )?;
        e.legal_basis = p.legal_basis;
        Some(e)
    }
}

/// Line and column (1-based, in characters) of byte offset `i`.
pub(crate) fn byte_pos(bytes: &[u8], i: usize) -> Pos {
    let before = &bytes[..i.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    Pos {
        line: line as u32,
        column: column as u32,
    }
}
