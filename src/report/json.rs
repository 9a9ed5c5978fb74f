//! `--format json`: the report of the contract (§5), schema version 1.
//!
//! The wire types below are frozen: they are converted from the internal
//! types, never derived from them, so that refactoring cannot change what
//! CI scripts read. Additions are allowed; renames are not.

use serde::Serialize;

use super::Audit;
use crate::evaluate::Summary;
use crate::reference::Country;
use crate::resolve::Address;

#[derive(Serialize)]
struct Report<'a, 'b> {
    schema_version: u32,
    tool: Tool,
    generated_at: &'a str,
    geoip: GeoIp<'a>,
    entities: Entities<'a, 'b>,
    findings: Findings<'a>,
    summary: Summary,
    // Additions to the contract.
    fail_on: &'static str,
    adequacy: AdequacyOut<'a>,
    resolution: Resolution,
    inventory: InventoryOut,
    /// What changed since an earlier run (`residency report` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    changes: Option<&'a super::history::Changes>,
    #[serde(skip_serializing_if = "Option::is_none")]
    site: Option<super::site::SiteOut<'a>>,
    /// The privacy policies (`--policy`): statements with their verdicts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    policy: Vec<super::policy::PolicyOut<'a>>,
    waived: Vec<WaivedOut<'a>>,
    waivers: WaiversOut,
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<BaselineOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    terraform: Option<TerraformOut<'a>>,
}

#[derive(Serialize)]
struct WaivedOut<'a> {
    #[serde(flatten)]
    finding: Finding<'a>,
    waiver: WaiverOut<'a>,
}

#[derive(Serialize)]
struct WaiverOut<'a> {
    rule: &'a str,
    entity: &'a str,
    #[serde(skip_serializing_if = "<[Country]>::is_empty")]
    countries: &'a [Country],
    reason: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason_code: Option<&'static str>,
    approved_by: &'a str,
    expires: String,
    location: Location<'a>,
}

#[derive(Serialize)]
struct WaiversOut {
    /// False with `--no-waivers`.
    applied: bool,
    /// Waivers in the inventory.
    defined: usize,
}

#[derive(Serialize)]
struct BaselineOut<'a> {
    file: &'a str,
    generated_at: Option<&'a str>,
    /// Current findings left out because the baseline has them.
    known: usize,
    /// Baseline findings that no longer occur.
    fixed: usize,
}

#[derive(Serialize)]
struct TerraformOut<'a> {
    plans: Vec<PlanOut<'a>>,
    /// Storage resources, and resources linked to an entity.
    resources: Vec<ResourceOut<'a>>,
    warnings: Vec<String>,
}

#[derive(Serialize)]
struct PlanOut<'a> {
    file: &'a str,
    terraform_version: Option<&'a str>,
    resources: usize,
}

#[derive(Serialize)]
struct ResourceOut<'a> {
    address: &'a str,
    #[serde(rename = "type")]
    rtype: &'a str,
    action: &'static str,
    storage: Option<&'static str>,
    countries: Vec<Country>,
    regions: Vec<String>,
    unknown: &'a [String],
    entities: &'a [String],
    location: Location<'a>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct GeoIp<'a> {
    source: &'a str,
    build_date: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    attribution: Option<&'static str>,
}

#[derive(Serialize)]
struct Entity<'a> {
    id: &'a str,
    kind: &'static str,
    countries: Vec<Country>,
    hosts: Hosts<'a>,
    // Additions.
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    role: Option<&'static str>,
    declared: Option<Country>,
    #[serde(skip_serializing_if = "Option::is_none")]
    legal_country: Option<Country>,
    /// holds | receives | collects, or null: the entity has no Russian citizens' PD.
    personal_data: Option<&'static str>,
    unknown: &'a [String],
    /// Planned Terraform resources linked to it (with `--terraform`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    terraform: Vec<&'a str>,
}

/// An entity's hosts, serialized as they are produced (not collected).
struct Hosts<'a>(
    &'a crate::inventory::Entity,
    &'a crate::resolve::EntityLocation,
);

impl Serialize for Hosts<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.hosts.iter().zip(&self.1.hosts).map(|(h, r)| Host {
            host: &r.host,
            chain: &r.chain,
            addresses: &r.addresses,
            error: r.error.as_deref(),
            endpoint: h.endpoint.written.as_deref(),
            via: r.via,
        }))
    }
}

/// All entities, serialized as they are produced.
struct Entities<'a, 'b>(&'b Audit<'a>);

impl Serialize for Entities<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let a = self.0;
        s.collect_seq(
            a.inventory
                .entities
                .iter()
                .zip(&a.resolved.locations)
                .zip(a.pd)
                .enumerate()
                .map(|(ei, ((e, l), pd))| Entity {
                    id: &e.id,
                    kind: e.kind.as_str(),
                    countries: l.countries.iter().copied().collect(),
                    hosts: Hosts(e, l),
                    name: e.name.as_deref(),
                    role: e.role.map(|r| r.as_str()),
                    declared: l.declared,
                    legal_country: l.legal,
                    personal_data: pd.as_ref().map(|r| r.label()),
                    unknown: &l.unknown,
                    terraform: a
                        .resolved
                        .terraform
                        .as_ref()
                        .map(|tf| {
                            // The entity's own links (linear, not a scan of
                            // every resource per entity).
                            tf.links
                                .get(ei)
                                .into_iter()
                                .flatten()
                                .map(|&i| tf.resources[i].address.as_str())
                                .collect()
                        })
                        .unwrap_or_default(),
                }),
        )
    }
}

#[derive(Serialize)]
struct Host<'a> {
    #[serde(serialize_with = "display")]
    host: &'a crate::inventory::Host,
    chain: &'a [String],
    addresses: &'a [Address],
    error: Option<&'a str>,
    // Additions.
    #[serde(skip_serializing_if = "Option::is_none")]
    endpoint: Option<&'a str>,
    via: crate::resolve::Via,
}

#[derive(Serialize)]
struct Finding<'a> {
    rule: &'static str,
    severity: crate::evaluate::Severity,
    entity: &'a str,
    countries: &'a [Country],
    message: String,
    evidence: &'a [crate::evaluate::Evidence],
    location: Location<'a>,
    // Addition.
    message_ru: String,
    /// Addition: the recipient's jurisdiction (its legal country), kept
    /// apart from `countries` (territory).
    #[serde(skip_serializing_if = "Option::is_none")]
    recipient_country: Option<Country>,
}

#[derive(Serialize)]
struct Location<'a> {
    file: &'a str,
    line: u32,
    column: u32,
}

#[derive(Serialize)]
struct AdequacyOut<'a> {
    list: &'a str,
    date: &'a str,
    /// Addition: the day the list was last confirmed as operative.
    #[serde(skip_serializing_if = "str::is_empty")]
    confirmed: &'a str,
    countries: usize,
}

#[derive(Serialize)]
struct Resolution {
    offline: bool,
    names: usize,
    failed: usize,
    queries: u64,
    /// Set when most lookups failed: the findings reflect DNS, not the estate.
    #[serde(skip_serializing_if = "Option::is_none")]
    warning: Option<String>,
}

#[derive(Serialize)]
struct InventoryOut {
    files: Vec<String>,
}

fn finding<'a>(f: &'a crate::evaluate::Finding) -> Finding<'a> {
    Finding {
        rule: f.rule.as_str(),
        severity: f.severity,
        entity: &f.entity,
        countries: &f.countries,
        message: super::Lang::En.message(f).plain(),
        evidence: &f.evidence,
        location: Location {
            file: &f.location.file,
            line: f.location.line,
            column: f.location.column,
        },
        message_ru: super::Lang::Ru.message(f).plain(),
        recipient_country: f.recipient_country,
    }
}

fn terraform<'a>(tf: &'a crate::terraform::Terraform) -> TerraformOut<'a> {
    TerraformOut {
        plans: tf
            .plans
            .iter()
            .map(|p| PlanOut {
                file: &p.file,
                terraform_version: p.terraform_version.as_deref(),
                resources: p.resources,
            })
            .collect(),
        resources: tf
            .relevant()
            .map(|(i, r)| ResourceOut {
                address: &r.address,
                rtype: &r.rtype,
                action: r.action.as_str(),
                storage: r.storage.map(|s| s.kind),
                countries: r.countries(),
                regions: r
                    .places
                    .iter()
                    .map(|p| format!("{}/{}", p.cloud, p.region))
                    .collect(),
                unknown: &r.unknown,
                entities: &tf.owners[i],
                location: Location {
                    file: &r.loc.file,
                    line: r.loc.line,
                    column: r.loc.column,
                },
            })
            .collect(),
        warnings: tf.warnings.iter().map(ToString::to_string).collect(),
    }
}

/// The JSON report, pretty-printed, with a final newline.
pub fn render(a: &Audit<'_>) -> String {
    render_run(a, None)
}

/// The JSON report with what changed since an earlier run, as
/// `residency report` writes it.
pub fn render_run(a: &Audit<'_>, changes: Option<&super::history::Changes>) -> String {
    let mut buf = Vec::new();
    // Writing to a Vec cannot fail, and the output is UTF-8 by construction.
    let _ = write(a, changes, &mut buf);
    String::from_utf8(buf).unwrap_or_default()
}

/// Stream the JSON report to `w` (a large estate's report is never held
/// in memory whole).
pub fn write(
    a: &Audit<'_>,
    changes: Option<&super::history::Changes>,
    mut w: impl std::io::Write,
) -> std::io::Result<()> {
    let tf = a.resolved.terraform.as_ref();
    let entities = Entities(a);
    let findings = Findings(a.findings);
    let waived = a
        .waived
        .iter()
        .filter_map(|w| {
            let v = a.inventory.waivers.get(w.waiver)?;
            Some(WaivedOut {
                finding: finding(&w.finding),
                waiver: WaiverOut {
                    rule: &v.rule,
                    entity: v.target.as_str(),
                    countries: &v.countries,
                    reason: &v.reason,
                    reason_code: v.reason_code.map(|c| c.as_str()),
                    approved_by: &v.approved_by,
                    expires: v.expires_text(),
                    location: Location {
                        file: &v.loc.file,
                        line: v.loc.line,
                        column: v.loc.column,
                    },
                },
            })
        })
        .collect();
    let report = Report {
        schema_version: 1,
        tool: Tool {
            name: "residency",
            version: env!("CARGO_PKG_VERSION"),
        },
        generated_at: &a.generated_at,
        geoip: GeoIp {
            source: &a.resolved.geoip_source,
            build_date: &a.resolved.geoip_build_date,
            attribution: (a.resolved.geoip_source == crate::resolve::geoip::BUILT_IN_NAME)
                .then_some(crate::resolve::geoip::BUILT_IN_ATTRIBUTION),
        },
        entities,
        findings,
        summary: a.summary,
        fail_on: a.fail_on.as_str(),
        adequacy: AdequacyOut {
            list: &a.adequacy.list,
            date: &a.adequacy.date,
            confirmed: &a.adequacy.confirmed,
            countries: a.adequacy.len(),
        },
        resolution: Resolution {
            offline: a.resolved.offline,
            names: a.resolved.stats.names,
            failed: a.resolved.stats.failed,
            queries: a.resolved.stats.queries,
            warning: a.dns_warning(),
        },
        inventory: InventoryOut {
            files: a
                .inventory
                .files
                .iter()
                .map(|p| p.display().to_string())
                .collect(),
        },
        changes,
        site: a
            .site
            .map(|site| super::site::json(site, a.inventory, a.resolved)),
        policy: super::policy::json(a),
        waived,
        waivers: WaiversOut {
            applied: a.waivers_applied,
            defined: a.inventory.waivers.len(),
        },
        baseline: a.baseline.map(|b| BaselineOut {
            file: &b.file,
            generated_at: b.generated_at.as_deref(),
            known: b.known,
            fixed: b.fixed,
        }),
        terraform: tf.map(terraform),
    };
    serde_json::to_writer_pretty(&mut w, &report)?;
    w.write_all(b"\n")
}

/// The findings, each made (with its messages) while it is written.
struct Findings<'a>(&'a [crate::evaluate::Finding]);

impl Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(finding))
    }
}

fn display<T: std::fmt::Display, S: serde::Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}
