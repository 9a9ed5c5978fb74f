//! Where one planned resource will be: its own location attributes in the
//! planned state, else its provider's region from the configuration (with
//! aliases, providers passed into modules, and `var.*` references resolved
//! through the plan's variables and module calls).

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::catalog::{self, Attr, How, Provider, Step};
use super::{Place, Resource};
use crate::inventory::tfaddr;
use crate::reference::cloud;

type Object = Map<String, Value>;

pub(super) struct PlanContext<'a> {
    root_module: Option<&'a Value>,
    providers: Option<&'a Object>,
    variables: Option<&'a Object>,
    /// Managed resources of the configuration by (module path, `TYPE.NAME`).
    resources: HashMap<(Vec<String>, &'a str), &'a Value>,
}

impl<'a> PlanContext<'a> {
    pub(super) fn new(plan: &'a Object) -> Self {
        let config = plan.get("configuration");
        let root_module = config.and_then(|c| c.get("root_module"));
        let mut resources = HashMap::new();
        if let Some(root) = root_module {
            index(root, &mut Vec::new(), &mut resources, 0);
        }
        Self {
            root_module,
            providers: config
                .and_then(|c| c.get("provider_config"))
                .and_then(Value::as_object),
            variables: plan.get("variables").and_then(Value::as_object),
            resources,
        }
    }

    /// The configuration of the module at `path` (module call names).
    fn module(&self, path: &[String]) -> Option<&'a Value> {
        let mut m = self.root_module?;
        for name in path {
            m = m.get("module_calls")?.get(name)?.get("module")?;
        }
        Some(m)
    }

    fn config_resource(&self, r: &Resource) -> Option<&'a Value> {
        let part = r.parsed.resource.as_ref()?;
        let local = format!("{}.{}", part.rtype, part.name);
        let path: Vec<String> = r.parsed.modules.iter().map(|m| m.name.clone()).collect();
        self.resources.get(&(path, local.as_str())).copied()
    }

    /// Fill `r.places` and `r.unknown`.
    pub(super) fn place(&self, r: &mut Resource, after: Option<&Value>, unknown: Option<&Value>) {
        let provider = catalog::provider(&r.provider);
        let Some(cloud) = r.storage.map(|s| s.cloud).or(provider.map(|p| p.cloud)) else {
            r.unknown.push(format!(
                "provider `{}` is not one whose regions the tool knows",
                r.provider
            ));
            return;
        };
        let provider = provider.or_else(|| catalog::PROVIDERS.iter().find(|p| p.cloud == cloud));
        let config = self.config_resource(r);
        let attrs: &[Attr] = r
            .storage
            .map_or(catalog::generic_location(), |s| &s.location[..]);
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
        if !placed {
            self.provider_region(r, cloud, provider, config);
        }
        if let Some(s) = r.storage {
            for attr in &s.also {
                let (known, unknown_count) = collect_attr(after, unknown, &attr.path);
                for v in &known {
                    self.place_value(r, cloud, v, attr.how, &format!("`{}`", attr.text));
                }
                if unknown_count > 0 {
                    r.unknown.push(format!(
                        "`{}` is computed at apply time (known after apply)",
                        attr.text
                    ));
                }
            }
        }
        r.places
            .sort_by(|a, b| (a.country, a.region, &a.via).cmp(&(b.country, b.region, &b.via)));
        r.places
            .dedup_by(|a, b| a.region == b.region && a.cloud == b.cloud);
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
            How::Zone => cloud::zone_region(cloud_id, value),
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
        config: Option<&Value>,
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
        let key = config
            .and_then(|c| c.get("provider_config_key"))
            .and_then(Value::as_str)
            .map(str::to_string)
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
                "no location attribute, and no configuration for provider `{key}` in the plan"
            ));
            return;
        };
        let via = format!("provider {key}");
        let module_path: Vec<String> = pc
            .get("module_address")
            .and_then(Value::as_str)
            .and_then(|m| tfaddr::parse(m).ok())
            .map(|a| a.modules.into_iter().map(|m| m.name).collect())
            .unwrap_or_default();
        let expressions = pc.get("expressions").and_then(Value::as_object);
        for (arg, how) in p.region_args {
            let Some(expr) = expressions.and_then(|e| e.get(*arg)) else {
                continue;
            };
            match self.eval(expr, &module_path, 0) {
                Ok(v) => self.place_value(r, cloud, &v, *how, &format!("{via} `{arg}`")),
                Err(why) => r.unknown.push(format!("{via}: `{arg}` {why}")),
            }
            return;
        }
        let args: Vec<&str> = p.region_args.iter().map(|(a, _)| *a).collect();
        r.unknown.push(format!(
            "no location attribute, and {via} sets no {} in the configuration (an environment variable is not recorded in the plan)",
            args.join(" or ")
        ));
    }

    /// The provider configuration for a `provider_config_key`, following
    /// inherited providers up the module tree.
    fn provider_config(&self, key: &str) -> Option<(String, &'a Object)> {
        let providers = self.providers?;
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
            if let Some(pc) = providers.get(&k).and_then(Value::as_object) {
                let configured = pc
                    .get("expressions")
                    .and_then(Value::as_object)
                    .is_some_and(|e| !e.is_empty());
                if configured || module.is_empty() {
                    return Some((k, pc));
                }
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
    fn eval(&self, expr: &Value, module: &[String], depth: usize) -> Result<String, String> {
        if depth > 32 {
            return Err("is defined through too many module levels".into());
        }
        if let Some(c) = expr.get("constant_value") {
            return c
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| "is not a string".into());
        }
        let refs: Vec<&str> = expr
            .get("references")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if refs.is_empty() {
            return Err("has no value in the configuration".into());
        }
        let var = refs[0]
            .strip_prefix("var.")
            .map(|v| v.split(['.', '[']).next().unwrap_or(v));
        let Some(var) = var.filter(|v| {
            refs.iter()
                .all(|r| r.strip_prefix("var.").is_some_and(|x| x.starts_with(v)))
        }) else {
            return Err(format!(
                "comes from {}, which the plan does not evaluate",
                refs.join(", ")
            ));
        };
        if module.is_empty() {
            return self
                .variables
                .and_then(|v| v.get(var))
                .and_then(|v| v.get("value"))
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| {
                    format!("comes from var.{var}, which has no string value in the plan")
                });
        }
        let (call, parent) = module.split_last().unwrap_or((&module[0], &[]));
        let argument = self
            .module(parent)
            .and_then(|m| m.get("module_calls"))
            .and_then(|c| c.get(call))
            .and_then(|c| c.get("expressions"))
            .and_then(|e| e.get(var));
        if let Some(arg) = argument {
            return self.eval(arg, parent, depth + 1);
        }
        self.module(module)
            .and_then(|m| m.get("variables"))
            .and_then(|v| v.get(var))
            .and_then(|v| v.get("default"))
            .and_then(Value::as_str)
            .map(str::to_string)
            .ok_or_else(|| {
                format!("comes from var.{var} of module.{call}, which has no value in the plan")
            })
    }
}

/// Index the managed resources of a configuration module and its calls.
fn index<'a>(
    module: &'a Value,
    path: &mut Vec<String>,
    out: &mut HashMap<(Vec<String>, &'a str), &'a Value>,
    depth: usize,
) {
    if depth > 64 {
        return;
    }
    for r in module
        .get("resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if r.get("mode").and_then(Value::as_str) == Some("data") {
            continue;
        }
        if let Some(address) = r.get("address").and_then(Value::as_str) {
            out.entry((path.clone(), address)).or_insert(r);
        }
    }
    for (name, call) in module
        .get("module_calls")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if let Some(m) = call.get("module") {
            path.push(name.clone());
            index(m, path, out, depth + 1);
            path.pop();
        }
    }
}

/// Whether the configuration sets the attribute's top-level argument or
/// block. Without a configuration entry, assume it does (fail closed).
fn set_in_config(config: Option<&Value>, attr: &Attr) -> bool {
    let Some(config) = config else {
        return true;
    };
    config
        .get("expressions")
        .and_then(Value::as_object)
        .is_some_and(|e| e.contains_key(&attr.path[0].name))
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
        catalog::parse_attr(&format!("{s}:region")).unwrap().path
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
}
