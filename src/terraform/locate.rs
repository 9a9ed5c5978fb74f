//! Where one planned resource will be: its own location attributes in the
//! planned state, else the resource it belongs to (a database's server, a
//! share's storage account), else its provider's region from the
//! configuration (with aliases, providers passed into modules, and `var.*`
//! references resolved through the plan's variables and module calls).
//!
//! The configuration is read into borrowed slices of the plan text: only
//! the keys the tool looks at are built, expressions are parsed one at a
//! time when needed.

use std::collections::HashMap;

use serde::{Deserialize, Deserializer};
use serde_json::Value;
use serde_json::value::RawValue;

use super::catalogue::{self, Attr, How, Provider, Step};
use super::{Place, Resource};
use crate::inventory::tfaddr;
use crate::reference::cloud;

fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Option::<T>::deserialize(d).map(Option::unwrap_or_default)
}

type Exprs<'a> = HashMap<String, &'a RawValue>;

/// The plan's `configuration`.
#[derive(Deserialize, Default)]
pub(super) struct Config<'a> {
    #[serde(borrow, default, deserialize_with = "null_default")]
    provider_config: HashMap<String, ProviderConfig<'a>>,
    #[serde(borrow, default)]
    root_module: Option<Module<'a>>,
}

#[derive(Deserialize, Default)]
struct ProviderConfig<'a> {
    #[serde(default)]
    module_address: Option<String>,
    #[serde(borrow, default, deserialize_with = "null_default")]
    expressions: Exprs<'a>,
}

#[derive(Deserialize, Default)]
struct Module<'a> {
    #[serde(borrow, default, deserialize_with = "null_default")]
    resources: Vec<ConfigResource<'a>>,
    #[serde(borrow, default, deserialize_with = "null_default")]
    module_calls: HashMap<String, ModuleCall<'a>>,
    #[serde(borrow, default, deserialize_with = "null_default")]
    variables: Exprs<'a>,
}

#[derive(Deserialize)]
struct ConfigResource<'a> {
    #[serde(default)]
    address: String,
    #[serde(default)]
    mode: Option<String>,
    #[serde(default)]
    provider_config_key: Option<String>,
    #[serde(borrow, default, deserialize_with = "null_default")]
    expressions: Exprs<'a>,
}

#[derive(Deserialize, Default)]
struct ModuleCall<'a> {
    #[serde(borrow, default, deserialize_with = "null_default")]
    expressions: Exprs<'a>,
    #[serde(borrow, default)]
    module: Option<Box<Module<'a>>>,
}

/// How a resource names the resource it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ParentRef {
    /// A configuration reference: module path and `TYPE.NAME`.
    Address {
        attr: String,
        module: Vec<String>,
        local: String,
    },
    /// A known value (a name or id) of the parent.
    Value { attr: String, value: String },
    /// The only resource of this type in the module (the reference goes
    /// through an expression the plan does not evaluate).
    OnlyOfType {
        attr: String,
        module: Vec<String>,
        rtype: String,
    },
}

pub(super) struct PlanContext<'c, 'a> {
    config: &'c Config<'a>,
    variables: &'c HashMap<String, &'a RawValue>,
    /// Managed resources of the configuration by (module path, `TYPE.NAME`).
    resources: HashMap<(Vec<String>, &'c str), &'c ConfigResource<'a>>,
}

fn parse_raw(raw: &RawValue) -> Option<Value> {
    serde_json::from_str(raw.get()).ok()
}

impl<'c, 'a> PlanContext<'c, 'a> {
    pub(super) fn new(
        config: &'c Config<'a>,
        variables: &'c HashMap<String, &'a RawValue>,
    ) -> Self {
        let mut resources = HashMap::new();
        if let Some(root) = &config.root_module {
            index(root, &mut Vec::new(), &mut resources, 0);
        }
        Self {
            config,
            variables,
            resources,
        }
    }

    /// The configuration of the module at `path` (module call names).
    fn module(&self, path: &[String]) -> Option<&'c Module<'a>> {
        let mut m = self.config.root_module.as_ref()?;
        for name in path {
            m = m.module_calls.get(name)?.module.as_deref()?;
        }
        Some(m)
    }

    fn config_resource(&self, r: &Resource) -> Option<&'c ConfigResource<'a>> {
        let part = r.parsed.resource.as_ref()?;
        let local = format!("{}.{}", part.rtype, part.name);
        let path: Vec<String> = r.parsed.modules.iter().map(|m| m.name.clone()).collect();
        self.resources.get(&(path, local.as_str())).copied()
    }

    /// Fill `r.places`, `r.unknown`, `r.names` and `r.parents`.
    pub(super) fn place(&self, r: &mut Resource, after: Option<&Value>, unknown: Option<&Value>) {
        if let Some(after) = after {
            for k in ["id", "name", "bucket", "arn", "self_link"] {
                if let Some(v) = after
                    .get(k)
                    .and_then(Value::as_str)
                    .filter(|v| !v.is_empty())
                {
                    r.names.push(v.to_string());
                }
            }
        }
        let config = self.config_resource(r);
        if let Some(s) = r.storage {
            for spec in &s.parent {
                let (attr, ptype) = match spec.split_once('>') {
                    Some((a, t)) => (a.to_string(), Some(t)),
                    None => (spec.clone(), None),
                };
                let attr = &attr;
                let module: Vec<String> = r.parsed.modules.iter().map(|m| m.name.clone()).collect();
                let refs = config
                    .and_then(|c| c.expressions.get(attr.as_str()))
                    .and_then(|e| parse_raw(e))
                    .map(|e| references(&e))
                    .unwrap_or_default();
                let set = config.is_some_and(|c| c.expressions.contains_key(attr.as_str()));
                let direct = !refs.is_empty();
                for local in refs {
                    r.parents.push(ParentRef::Address {
                        attr: attr.clone(),
                        module: module.clone(),
                        local,
                    });
                }
                if let Some(ptype) = ptype.filter(|_| set && !direct) {
                    // Through a local value or a conditional the plan does
                    // not evaluate: the one resource of the parent's type in
                    // the same module, if there is exactly one.
                    r.parents.push(ParentRef::OnlyOfType {
                        attr: attr.clone(),
                        module: module.clone(),
                        rtype: ptype.to_string(),
                    });
                }
                if let Some(v) = after
                    .and_then(|a| a.get(attr.as_str()))
                    .and_then(Value::as_str)
                    .filter(|v| !v.is_empty())
                {
                    r.parents.push(ParentRef::Value {
                        attr: attr.clone(),
                        value: v.to_string(),
                    });
                }
            }
        }
        let provider = catalogue::provider(&r.provider);
        let Some(cloud) = r.storage.map(|s| s.cloud).or(provider.map(|p| p.cloud)) else {
            r.unknown.push(format!(
                "provider `{}` is not one whose regions the tool knows",
                r.provider
            ));
            return;
        };
        let provider = provider.or_else(|| catalogue::PROVIDERS.iter().find(|p| p.cloud == cloud));
        let attrs: &[Attr] = r
            .storage
            .map_or(catalogue::generic_location(), |s| &s.location[..]);
        let mut placed = false;
        for attr in attrs {
            let (known, unknown_count) = collect_attr(after, unknown, &attr.path);
            if known.is_empty() && unknown_count == 0 {
                continue;
            }
            if known.is_empty() && !set_in_config(config, attr) {
                // Computed, and not set in the configuration: the provider
                // fills it in from its own region.
                continue;
            }
            placed = true;
            for v in &known {
                self.place_value(r, cloud, v, attr.how, &format!("`{}`", attr.text));
            }
            if unknown_count > 0 {
                r.unknown.push(format!(
                    "`{}` is computed at apply time (known after apply)",
                    attr.text
                ));
            }
            break;
        }
        if !placed
            && cloud == "aws"
            && let Some(arn) = after.and_then(|a| a.get("arn")).and_then(Value::as_str)
            && let Some(region) = arn.split(':').nth(3).filter(|r| !r.is_empty())
        {
            // A deployed AWS resource's ARN names its region.
            placed = true;
            self.place_value(r, cloud, region, How::Region, "`arn`");
        }
        if !placed {
            // With parents, `inherit` replaces this once every resource is read.
            self.provider_region(r, cloud, provider, config);
        } else {
            r.parents.clear();
        }
        if let Some(s) = r.storage {
            for attr in &s.also {
                let (known, unknown_count) = collect_attr(after, unknown, &attr.path);
                for v in &known {
                    if attr.how == How::Pair {
                        pair(r, v, &attr.text);
                    } else {
                        self.place_value(r, cloud, v, attr.how, &format!("`{}`", attr.text));
                    }
                }
                if unknown_count > 0 {
                    r.unknown.push(format!(
                        "`{}` is computed at apply time (known after apply)",
                        attr.text
                    ));
                }
            }
        }
        sort_places(r);
    }

    fn place_value(
        &self,
        r: &mut Resource,
        cloud_id: &'static str,
        value: &str,
        how: How,
        via: &str,
    ) {
        let found = match how {
            How::Region => cloud::lookup(cloud_id, value).ok(),
            // A zone, or (Filestore, Hetzner) a location that may be a region.
            How::Zone => {
                cloud::zone_region(cloud_id, value).or_else(|| cloud::lookup(cloud_id, value).ok())
            }
            How::Pair => return,
            How::Spanner => {
                let config = value.rsplit('/').next().unwrap_or(value);
                match config.strip_prefix("regional-") {
                    Some(region) => cloud::lookup(cloud_id, region).ok(),
                    None => {
                        r.unknown.push(format!(
                            "{via} is `{value}`, a multi-region configuration spanning several regions"
                        ));
                        return;
                    }
                }
            }
        };
        match found {
            Some(region) => r.places.push(Place {
                cloud: region.provider,
                region: region.region,
                country: region.country,
                via: via.to_string(),
            }),
            None => {
                let what = match how {
                    How::Zone => "a zone of no region",
                    _ => "not a single region",
                };
                r.unknown.push(format!(
                    "{via} is `{value}`, {what} of {cloud_id} in the cloud-region table (a multi-region, or a region the table lacks)"
                ));
            }
        }
    }

    fn provider_region(
        &self,
        r: &mut Resource,
        cloud: &'static str,
        provider: Option<&'static Provider>,
        config: Option<&ConfigResource<'a>>,
    ) {
        let Some(p) = provider else {
            r.unknown.push(format!(
                "no location attribute, and no known provider for {cloud}"
            ));
            return;
        };
        if p.region_args.is_empty() {
            r.unknown.push(format!(
                "no location attribute in the plan, and the {} provider has no region of its own",
                p.source
            ));
            return;
        }
        let args: Vec<&str> = p.region_args.iter().map(|(a, _)| *a).collect();
        if r.action == super::Action::InState {
            r.unknown.push(format!(
                "no location attribute in the state, and a state does not record the provider's {} (set in the configuration or by {})",
                args.join(" or "),
                p.env
            ));
            return;
        }
        let key = config
            .and_then(|c| c.provider_config_key.clone())
            .unwrap_or_else(|| {
                // Not in the configuration: the default provider of its module.
                let local = r.rtype.split('_').next().unwrap_or_default();
                let module = r.parsed.module_address();
                if module.is_empty() {
                    local.to_string()
                } else {
                    format!("{module}:{local}")
                }
            });
        let Some((key, pc)) = self.provider_config(&key) else {
            r.unknown.push(format!(
                "no location attribute, and no `provider` block for `{key}` in the plan's configuration: the provider takes its {} from the environment ({}), which the plan does not record",
                args.join(" or "),
                p.env
            ));
            return;
        };
        let via = format!("provider {key}");
        let module_path: Vec<String> = pc
            .module_address
            .as_deref()
            .and_then(|m| tfaddr::parse(m).ok())
            .map(|a| a.modules.into_iter().map(|m| m.name).collect())
            .unwrap_or_default();
        for (arg, how) in p.region_args {
            let Some(expr) = pc.expressions.get(*arg).and_then(|e| parse_raw(e)) else {
                continue;
            };
            match self.eval(&expr, &module_path, 0) {
                Ok(v) => self.place_value(r, cloud, &v, *how, &format!("{via} `{arg}`")),
                Err(why) => r.unknown.push(format!("{via}: `{arg}` {why}")),
            }
            return;
        }
        r.unknown.push(format!(
            "no location attribute, and {via} sets no {} in the configuration: the provider takes it from the environment ({}), which the plan does not record",
            args.join(" or "),
            p.env
        ));
    }

    /// The provider configuration for a `provider_config_key`, following
    /// inherited providers up the module tree.
    fn provider_config(&self, key: &str) -> Option<(String, &'c ProviderConfig<'a>)> {
        let providers = &self.config.provider_config;
        let (mut module, name) = match key.rsplit_once(':') {
            Some((m, n)) => (m.to_string(), n),
            None => (String::new(), key),
        };
        loop {
            let k = if module.is_empty() {
                name.to_string()
            } else {
                format!("{module}:{name}")
            };
            if let Some(pc) = providers.get(&k)
                && (!pc.expressions.is_empty() || module.is_empty())
            {
                return Some((k, pc));
            }
            if module.is_empty() {
                return None;
            }
            module = match tfaddr::parse(&module) {
                Ok(mut a) => {
                    a.modules.pop();
                    a.to_string()
                }
                Err(_) => String::new(),
            };
        }
    }

    /// The string value of a configuration expression: a constant, or a
    /// `var.NAME` resolved through the plan's variables (root module) or
    /// the calling module's arguments and the variable's default.
    fn eval(&self, expr: &Value, module: &[String], depth: usize) -> Result<String, EvalError> {
        if depth > 32 {
            return Err(EvalError::TooDeep);
        }
        if let Some(c) = expr.get("constant_value") {
            return c.as_str().map(str::to_string).ok_or(EvalError::NotString);
        }
        let refs: Vec<&str> = expr
            .get("references")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if refs.is_empty() {
            return Err(EvalError::NotRecorded);
        }
        let var = refs[0]
            .strip_prefix("var.")
            .map(|v| v.split(['.', '[']).next().unwrap_or(v));
        let Some(var) = var.filter(|v| {
            refs.iter()
                .all(|r| r.strip_prefix("var.").is_some_and(|x| x.starts_with(v)))
        }) else {
            return Err(EvalError::NotEvaluated(refs.join(", ")));
        };
        if module.is_empty() {
            return self
                .variables
                .get(var)
                .and_then(|v| parse_raw(v))
                .and_then(|v| v.get("value").and_then(Value::as_str).map(str::to_string))
                .ok_or_else(|| EvalError::NoRootValue(var.to_string()));
        }
        let (call, parent) = module.split_last().unwrap_or((&module[0], &[]));
        let argument = self
            .module(parent)
            .and_then(|m| m.module_calls.get(call))
            .and_then(|c| c.expressions.get(var))
            .and_then(|e| parse_raw(e));
        if let Some(arg) = argument {
            return self.eval(&arg, parent, depth + 1);
        }
        self.module(module)
            .and_then(|m| m.variables.get(var))
            .and_then(|v| parse_raw(v))
            .and_then(|v| v.get("default").and_then(Value::as_str).map(str::to_string))
            .ok_or_else(|| EvalError::NoModuleValue {
                var: var.to_string(),
                call: call.clone(),
            })
    }
}

/// Why a configuration expression has no string value; the text follows
/// the expression it is about (`` `region` is not a string ``).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(super) enum EvalError {
    #[error("is defined through too many module levels")]
    TooDeep,
    #[error("is not a string")]
    NotString,
    #[error("has no value in the configuration (an expression the plan does not record)")]
    NotRecorded,
    /// Refers to something other than one variable (the references, joined).
    #[error("comes from {0}, which the plan does not evaluate")]
    NotEvaluated(String),
    #[error("comes from var.{0}, which has no string value in the plan")]
    NoRootValue(String),
    #[error("comes from var.{var} of module.{call}, which has no value in the plan")]
    NoModuleValue { var: String, call: String },
}

/// The resources (`TYPE.NAME`) an expression refers to.
fn references(expr: &Value) -> Vec<String> {
    let mut out: Vec<String> = expr
        .get("references")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter_map(|r| {
            let mut parts = r.split('.');
            let rtype = parts.next()?;
            let name = parts.next()?;
            let name = name.split('[').next().unwrap_or(name);
            (rtype.contains('_') && !name.is_empty()).then(|| format!("{rtype}.{name}"))
        })
        .collect();
    out.dedup();
    out
}

/// Places of the paired region of each Azure place, when `value` (the
/// replication setting) is geo-redundant.
fn pair(r: &mut Resource, value: &str, attr: &str) {
    let v = value.to_ascii_uppercase().replace('-', "");
    if !matches!(
        v.as_str(),
        "GRS" | "RAGRS" | "GZRS" | "RAGZRS" | "GEOREDUNDANT"
    ) {
        return;
    }
    let primary: Vec<&'static str> = r
        .places
        .iter()
        .filter(|p| p.cloud == "azure")
        .map(|p| p.region)
        .collect();
    if primary.is_empty() && r.parents.is_empty() {
        r.unknown.push(format!(
            "`{attr}` is {value} (geo-redundant): the data is also copied to the paired region of a location that is unknown"
        ));
    }
    for region in primary {
        match catalogue::azure_pair(region) {
            Some(p) => match cloud::lookup("azure", p) {
                Ok(found) => r.places.push(Place {
                    cloud: found.provider,
                    region: found.region,
                    country: found.country,
                    via: format!("`{attr}` = {value}: paired region of {region}"),
                }),
                Err(_) => r.unknown.push(format!(
                    "`{attr}` is {value}: the paired region {p} of {region} is not in the cloud-region table"
                )),
            },
            None => r.unknown.push(format!(
                "`{attr}` is {value} (geo-redundant), but {region} has no paired region in the table: where the copy is is unknown"
            )),
        }
    }
}

fn sort_places(r: &mut Resource) {
    r.places
        .sort_by(|a, b| (a.country, a.region, &a.via).cmp(&(b.country, b.region, &b.via)));
    r.places
        .dedup_by(|a, b| a.region == b.region && a.cloud == b.cloud);
}

/// Resources without a location of their own take their parent's (a
/// database its server's, a share its storage account's), found by a
/// configuration reference or by a known name or id; chains are followed.
/// Without a parent in the plan the provider's region (already set) stays.
pub(super) fn inherit(resources: &mut [Resource]) {
    if resources.iter().all(|r| r.parents.is_empty()) {
        return;
    }
    let mut by_local: HashMap<(Vec<String>, String), Vec<usize>> = HashMap::new();
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_type: HashMap<(Vec<String>, String), (String, Vec<usize>)> = HashMap::new();
    for (i, r) in resources.iter().enumerate() {
        if let Some(part) = &r.parsed.resource {
            let module: Vec<String> = r.parsed.modules.iter().map(|m| m.name.clone()).collect();
            let local = format!("{}.{}", part.rtype, part.name);
            let e = by_type
                .entry((module.clone(), part.rtype.clone()))
                .or_insert_with(|| (local.clone(), Vec::new()));
            if e.0 == local {
                e.1.push(i);
            } else {
                e.0.clear(); // more than one resource of the type: ambiguous
            }
            by_local
                .entry((module, format!("{}.{}", part.rtype, part.name)))
                .or_default()
                .push(i);
        }
        for n in &r.names {
            by_name.entry(n.as_str()).or_default().push(i);
        }
    }
    let parent_of = |r: &Resource| -> Option<(Vec<usize>, String)> {
        for p in &r.parents {
            let (found, attr) = match p {
                ParentRef::Address {
                    attr,
                    module,
                    local,
                } => (
                    by_local.get(&(module.clone(), local.clone())),
                    format!("`{attr}`"),
                ),
                ParentRef::Value { attr, value } => {
                    (by_name.get(value.as_str()), format!("`{attr}`"))
                }
                ParentRef::OnlyOfType {
                    attr,
                    module,
                    rtype,
                } => (
                    by_type
                        .get(&(module.clone(), rtype.clone()))
                        .filter(|(local, _)| !local.is_empty())
                        .map(|(_, v)| v),
                    format!(
                        "`{attr}` (through an expression the plan does not evaluate; inferred: the only {rtype} of its module)"
                    ),
                ),
            };
            if let Some(found) = found.filter(|f| !f.is_empty()) {
                return Some((found.clone(), attr));
            }
        }
        None
    };
    let links: Vec<Option<(Vec<usize>, String)>> = resources
        .iter()
        .map(|r| {
            if r.parents.is_empty() {
                None
            } else {
                parent_of(r)
            }
        })
        .collect();
    drop(by_name);
    let mut done: Vec<bool> = resources.iter().map(|r| r.parents.is_empty()).collect();
    for _round in 0..8 {
        let mut progress = false;
        for i in 0..resources.len() {
            if done[i] {
                continue;
            }
            let Some((parents, attr)) = &links[i] else {
                let what: Vec<String> = resources[i]
                    .parents
                    .iter()
                    .map(|p| match p {
                        ParentRef::Address { attr, local, .. } => format!("`{attr}` refers to {local}"),
                        ParentRef::Value { attr, value } => format!("`{attr}` is `{value}`"),
                        ParentRef::OnlyOfType { attr, rtype, .. } => format!(
                            "`{attr}` comes from an expression the plan does not evaluate, and the module has no single {rtype}"
                        ),
                    })
                    .collect();
                let note = format!(
                    "{}, which is not in this plan: the location comes from the provider if it has one",
                    what.join(", ")
                );
                if resources[i].places.is_empty() {
                    resources[i].unknown.insert(0, note);
                }
                done[i] = true;
                progress = true;
                continue;
            };
            if parents.iter().any(|&p| p != i && !done[p]) {
                continue;
            }
            let mut places = Vec::new();
            let mut unknown = Vec::new();
            for &p in parents.iter().filter(|&&p| p != i) {
                let parent = &resources[p];
                places.extend(parent.places.iter().map(|pl| Place {
                    via: format!("{attr} → {} ({})", parent.address, pl.via),
                    ..pl.clone()
                }));
                unknown.extend(
                    parent
                        .unknown
                        .iter()
                        .map(|u| format!("{attr} → {}: {u}", parent.address)),
                );
            }
            let r = &mut resources[i];
            r.places = places;
            r.unknown = unknown;
            sort_places(r);
            done[i] = true;
            progress = true;
        }
        if !progress {
            break;
        }
    }
    for (i, d) in done.iter().enumerate() {
        if !d {
            resources[i]
                .unknown
                .push("its parent resources refer to each other in a cycle".into());
        }
    }
}

/// Index the managed resources of a configuration module and its calls.
fn index<'c, 'a>(
    module: &'c Module<'a>,
    path: &mut Vec<String>,
    out: &mut HashMap<(Vec<String>, &'c str), &'c ConfigResource<'a>>,
    depth: usize,
) {
    if depth > 64 {
        return;
    }
    for r in &module.resources {
        if r.mode.as_deref() == Some("data") {
            continue;
        }
        out.entry((path.clone(), r.address.as_str())).or_insert(r);
    }
    for (name, call) in &module.module_calls {
        if let Some(m) = &call.module {
            path.push(name.clone());
            index(m, path, out, depth + 1);
            path.pop();
        }
    }
}

/// Whether the configuration sets the attribute's top-level argument or
/// block. Without a configuration entry, assume it does (fail closed).
fn set_in_config(config: Option<&ConfigResource<'_>>, attr: &Attr) -> bool {
    let Some(config) = config else {
        return true;
    };
    config.expressions.contains_key(&attr.path[0].name)
}

/// The known string values at `path` in the planned state, and how many
/// values there are known only after apply.
fn collect_attr(
    after: Option<&Value>,
    unknown: Option<&Value>,
    path: &[Step],
) -> (Vec<String>, usize) {
    let mut known = Vec::new();
    let mut unknown_count = 0;
    collect(after, unknown, path, &mut known, &mut unknown_count);
    (known, unknown_count)
}

fn collect(
    after: Option<&Value>,
    unknown: Option<&Value>,
    path: &[Step],
    known: &mut Vec<String>,
    unknown_count: &mut usize,
) {
    if unknown == Some(&Value::Bool(true)) {
        *unknown_count += 1;
        return;
    }
    let Some((step, rest)) = path.split_first() else {
        if let Some(Value::String(s)) = after
            && !s.trim().is_empty()
        {
            known.push(s.trim().to_string());
        }
        return;
    };
    let a = after.and_then(|v| v.get(&step.name));
    let u = unknown.and_then(|v| v.get(&step.name));
    if !step.each {
        return collect(a, u, rest, known, unknown_count);
    }
    if u == Some(&Value::Bool(true)) {
        *unknown_count += 1;
        return;
    }
    let items_a = a
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let items_u = u
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    for i in 0..items_a.len().max(items_u.len()) {
        collect(items_a.get(i), items_u.get(i), rest, known, unknown_count);
    }
}

/// Tags and labels of a planned resource (AWS `tags`/`tags_all`, Azure
/// `tags`, Google and Yandex `labels`, Cloud SQL `settings.user_labels`),
/// keys as written.
pub(super) fn tags(after: Option<&Value>) -> Vec<(String, String)> {
    let Some(after) = after else {
        return Vec::new();
    };
    let settings = after
        .get("settings")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| s.get("user_labels"));
    [
        "tags",
        "tags_all",
        "labels",
        "effective_labels",
        "terraform_labels",
    ]
    .iter()
    .filter_map(|k| after.get(*k))
    .chain(settings)
    .filter_map(Value::as_object)
    .flat_map(|m| {
        m.iter()
            .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn steps(s: &str) -> Vec<Step> {
        catalogue::parse_attr(&format!("{s}:region")).unwrap().path
    }

    #[test]
    fn collects_known_and_unknown_values() {
        let after = json!({"host": [{"zone": "ru-central1-a"}, {"zone": null}, {"zone": "kz1-a"}]});
        let unknown = json!({"host": [{}, {"zone": true}, {}]});
        let (known, n) = collect_attr(Some(&after), Some(&unknown), &steps("host[].zone"));
        assert_eq!(known, ["ru-central1-a", "kz1-a"]);
        assert_eq!(n, 1);
        let (known, n) = collect_attr(
            Some(&json!({})),
            Some(&json!({"region": true})),
            &steps("region"),
        );
        assert!(known.is_empty());
        assert_eq!(n, 1);
        let after = json!({"custom_placement_config": [{"data_locations": ["EUROPE-NORTH1", "EUROPE-WEST4"]}]});
        let (known, _) = collect_attr(
            Some(&after),
            None,
            &steps("custom_placement_config[].data_locations[]"),
        );
        assert_eq!(known, ["EUROPE-NORTH1", "EUROPE-WEST4"]);
    }

    #[test]
    fn expressions_without_a_string_value_say_why() {
        let config: Config<'_> = serde_json::from_str(
            r#"{"root_module": {"module_calls": {"m": {"expressions": {},
                "module": {"variables": {"v": {}}}}}}}"#,
        )
        .unwrap();
        let variables = HashMap::new();
        let cx = PlanContext::new(&config, &variables);
        let root: &[String] = &[];
        let eval = |e: Value, module: &[String]| cx.eval(&e, module, 0);
        assert_eq!(
            eval(json!({"constant_value": "eu-west-1"}), root),
            Ok("eu-west-1".to_string())
        );
        assert_eq!(
            eval(json!({"constant_value": 5}), root),
            Err(EvalError::NotString)
        );
        assert_eq!(eval(json!({}), root), Err(EvalError::NotRecorded));
        let e = eval(json!({"references": ["local.zone", "var.x"]}), root).unwrap_err();
        assert_eq!(e, EvalError::NotEvaluated("local.zone, var.x".into()));
        assert_eq!(
            e.to_string(),
            "comes from local.zone, var.x, which the plan does not evaluate"
        );
        assert_eq!(
            eval(json!({"references": ["var.region"]}), root),
            Err(EvalError::NoRootValue("region".into()))
        );
        let e = eval(json!({"references": ["var.v"]}), &["m".to_string()]).unwrap_err();
        assert!(
            matches!(&e, EvalError::NoModuleValue { var, call } if var == "v" && call == "m"),
            "{e:?}"
        );
        assert_eq!(
            e.to_string(),
            "comes from var.v of module.m, which has no value in the plan"
        );
        assert_eq!(
            cx.eval(&json!({"constant_value": "x"}), root, 33),
            Err(EvalError::TooDeep)
        );
    }
}
