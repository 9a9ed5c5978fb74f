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
    findings: Vec<Finding<'a>>,
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
                .map(|((e, l), pd)| Entity {
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
    message: &'a str,
    evidence: &'a [String],
    location: Location<'a>,
    // Addition.
    message_ru: &'a str,
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
    let entities = Entities(a);
    let findings = a
        .findings
        .iter()
        .map(|f| Finding {
            rule: f.rule,
            severity: f.severity,
            entity: &f.entity,
            countries: &f.countries,
            message: &f.message,
            evidence: &f.evidence,
            location: Location {
                file: &f.location.file,
                line: f.location.line,
                column: f.location.column,
            },
            message_ru: &f.message_ru,
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
    };
    serde_json::to_writer_pretty(&mut w, &report)?;
    w.write_all(b"\n")
}

fn display<T: std::fmt::Display, S: serde::Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}
