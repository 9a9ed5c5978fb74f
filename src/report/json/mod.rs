//! `--format json`: the report of the contract (§5), schema version 1.
//!
//! This module converts the evaluated audit into the wire types of
//! [`v1`] and streams them; [`v1`] is also what earlier reports are read
//! back through (`--baseline`, `report --compare`, the run index).

pub mod bounded;
pub mod v1;

use v1::{Codes, Seq, Text};

use super::Audit;

const BASELINE_HOW: &str =
    "write a baseline with `residency check --format json --output residency-baseline.json`";

/// Read `--baseline FILE`: the findings of an earlier JSON report.
pub fn read_baseline(
    path: &std::path::Path,
) -> Result<crate::evaluate::baseline::Baseline, crate::diag::Diagnostic> {
    let src = bounded::Bounded::new(path);
    let how = |d: crate::diag::Diagnostic| {
        if d.message == "no such file or directory" {
            crate::diag::Diagnostic {
                message: "no such baseline file".into(),
                hint: Some(BASELINE_HOW.into()),
                ..d
            }
        } else {
            crate::diag::Diagnostic {
                hint: Some(BASELINE_HOW.into()),
                ..d
            }
        }
    };
    // Only the digests of the findings' identities are kept.
    let report: v1::ReportIn<v1::EntityShape, v1::KeyDigest> =
        v1::read_from(&src, Some(BASELINE_HOW)).map_err(how)?;
    let known = report.findings.into_iter().map(|k| k.0).collect();
    Ok(crate::evaluate::baseline::Baseline::new(
        src.file,
        report.generated_at,
        known,
    ))
}

/// The words of a finding: its messages in both languages and its
/// evidence lines, made ahead on a second thread while the first writes.
struct Words {
    en: String,
    ru: String,
    evidence: Vec<String>,
}

impl Words {
    fn of(f: &crate::evaluate::Finding) -> Self {
        Self {
            en: super::Lang::En.message(f).plain(),
            ru: super::Lang::Ru.message(f).plain(),
            evidence: f.evidence.iter().map(ToString::to_string).collect(),
        }
    }
}

/// A finding in the wire form, with its words.
fn finding_with(
    f: &crate::evaluate::Finding,
    w: Words,
) -> v1::Finding<'_, std::vec::IntoIter<String>> {
    v1::Finding {
        rule: f.rule.as_str(),
        severity: f.severity.as_str(),
        entity: &f.entity,
        countries: Codes(&f.countries),
        message: w.en,
        evidence: Seq::new(w.evidence.into_iter()),
        location: v1::Location {
            file: &f.location.file,
            line: f.location.line,
            column: f.location.column,
        },
        message_ru: w.ru,
        recipient_country: f.recipient_country,
    }
}

/// Findings the words thread keeps ready ahead of the writer (bounded
/// memory).
const WORDS_AHEAD: usize = 1024;

/// An entity in the wire form; its hosts and their addresses are streamed.
fn entity<'a>(
    a: &'a Audit,
    ei: usize,
    e: &'a crate::inventory::Entity,
    l: &'a crate::resolve::EntityLocation,
    pd: Option<&crate::evaluate::context::PdReason>,
) -> v1::Entity<'a, impl Iterator<Item = v1::Host<'a, impl Iterator<Item = v1::Address<'a>>>>> {
    let hosts = e.hosts.iter().zip(&l.hosts).map(|(h, r)| v1::Host {
        host: Text(&r.host),
        chain: &r.chain,
        addresses: Seq::new(r.addresses.iter().map(|x| v1::Address {
            ip: x.ip,
            country: x.country,
            source: &x.source,
        })),
        error: r.error.as_deref(),
        endpoint: h.endpoint.written.as_deref(),
        via: r.via.as_str(),
    });
    v1::Entity {
        id: &e.id,
        kind: e.kind().as_str(),
        countries: Codes(&l.countries),
        hosts: Seq::new(hosts),
        name: e.name.as_deref(),
        role: e.role().map(|r| r.as_str()),
        declared: l.declared,
        legal_country: l.legal,
        personal_data: pd.map(|r| r.label()),
        unknown: &l.unknown,
        terraform: a
            .resolved
            .terraform
            .as_ref()
            .map(|tf| {
                // The entity's own links (linear, not a scan of every
                // resource per entity).
                tf.links
                    .get(ei)
                    .into_iter()
                    .flatten()
                    .map(|&i| tf.resources[i].address.as_str())
                    .collect()
            })
            .unwrap_or_default(),
        seen_on_site: match &e.seen {
            crate::inventory::Seen::Declared => None,
            crate::inventory::Seen::Site(s) => Some(v1::SeenOnSite {
                page: &s.page,
                line: s.line,
            }),
        },
    }
}

fn terraform(tf: &crate::terraform::Terraform) -> v1::Terraform<'_> {
    v1::Terraform {
        plans: tf
            .plans
            .iter()
            .map(|p| v1::Plan {
                file: &p.file,
                terraform_version: p.terraform_version.as_deref(),
                resources: p.resources,
            })
            .collect(),
        resources: tf
            .relevant()
            .map(|(i, r)| v1::Resource {
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
                location: v1::Location {
                    file: &r.loc.file,
                    line: r.loc.line,
                    column: r.loc.column,
                },
            })
            .collect(),
        warnings: tf.warnings.iter().map(ToString::to_string).collect(),
    }
}

fn changed(i: &super::history::Item) -> v1::ChangedFinding<'_> {
    v1::ChangedFinding {
        rule: &i.key.rule,
        entity: &i.key.entity,
        countries: &i.key.countries,
        severity: &i.severity,
        message: &i.message,
        message_ru: &i.message_ru,
    }
}

fn changes(c: &super::history::Changes) -> v1::Changes<'_> {
    v1::Changes {
        against: &c.against,
        against_generated_at: &c.against_generated_at,
        new: c.new.iter().map(changed).collect(),
        resolved: c.resolved.iter().map(changed).collect(),
        entities_changed: c
            .entities_changed
            .iter()
            .map(|m| v1::Moved {
                id: &m.id,
                before: m.before.as_deref(),
                after: m.after.as_deref(),
            })
            .collect(),
        no_change: c.no_change,
    }
}

/// The JSON report, pretty-printed, with a final newline.
pub fn render(a: &Audit) -> String {
    render_run(a, None)
}

/// The JSON report with what changed since an earlier run, as
/// `residency report` writes it.
pub fn render_run(a: &Audit, changes: Option<&super::history::Changes>) -> String {
    let mut buf = Vec::new();
    // Writing to a Vec cannot fail, and the output is UTF-8 by construction.
    let _ = write(a, changes, &mut buf);
    String::from_utf8(buf).unwrap_or_default()
}

/// Stream the JSON report to `w` (a large estate's report is never held
/// in memory whole).
pub fn write(
    a: &Audit,
    changed: Option<&super::history::Changes>,
    w: impl std::io::Write,
) -> std::io::Result<()> {
    let entities = a
        .inventory
        .entities
        .iter()
        .zip(&a.resolved.locations)
        .zip(&a.pd)
        .enumerate()
        .map(|(ei, ((e, l), pd))| entity(a, ei, e, l, pd.as_ref()));
    let waived = a.waived.iter().filter_map(|w| {
        let v = a.inventory.waivers.get(w.waiver)?;
        Some(v1::Waived {
            finding: finding_with(&w.finding, Words::of(&w.finding)),
            waiver: v1::Waiver {
                rule: &v.rule,
                entity: v.target.as_str(),
                countries: Codes(&v.countries),
                reason: &v.reason,
                reason_code: v.reason_code.map(|c| c.as_str()),
                approved_by: &v.approved_by,
                expires: v.expires_text(),
                location: v1::Location {
                    file: &v.loc.file,
                    line: v.loc.line,
                    column: v.loc.column,
                },
            },
        })
    });
    // A second core makes the words of the findings (messages, evidence
    // lines) while this one writes; the order is the findings' own.
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Words>(WORDS_AHEAD);
        let all = &a.findings;
        scope.spawn(move || {
            for f in all {
                if tx.send(Words::of(f)).is_err() {
                    break; // the writer stopped (an error): stop too
                }
            }
        });
        let ready = rx.into_iter();
        let s = &a.summary;
        let report = v1::Report {
            schema_version: v1::SCHEMA_VERSION,
            tool: v1::Tool {
                name: "residency",
                version: env!("CARGO_PKG_VERSION"),
            },
            generated_at: &a.generated_at,
            geoip: v1::GeoIp {
                source: &a.resolved.geoip_source,
                build_date: &a.resolved.geoip_build_date,
                attribution: (a.resolved.geoip_source == crate::resolve::geoip::BUILT_IN_NAME)
                    .then_some(crate::resolve::geoip::BUILT_IN_ATTRIBUTION),
            },
            entities: Seq::new(entities),
            findings: Seq::new(
                a.findings
                    .iter()
                    .zip(ready)
                    .map(|(f, w)| finding_with(f, w)),
            ),
            summary: v1::Summary {
                critical: s.critical,
                high: s.high,
                medium: s.medium,
                low: s.low,
                info: s.info,
                failed: s.failed,
                waived: s.waived,
                baseline_known: s.baseline_known,
            },
            fail_on: a.fail_on.as_str(),
            adequacy: v1::Adequacy {
                list: &a.adequacy.list,
                date: &a.adequacy.date,
                confirmed: &a.adequacy.confirmed,
                countries: a.adequacy.len(),
            },
            resolution: v1::Resolution {
                offline: a.resolved.offline,
                names: a.resolved.stats.names,
                failed: a.resolved.stats.failed,
                queries: a.resolved.stats.queries,
                warning: a.dns_warning(),
            },
            inventory: v1::InventoryFiles {
                files: a
                    .inventory
                    .files
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect(),
            },
            changes: changed.map(changes),
            site: a
                .site
                .as_ref()
                .map(|site| super::site::json(site, &a.inventory, &a.resolved)),
            policy: super::policy::json(a),
            waived: Seq::new(waived),
            waivers: v1::Waivers {
                applied: a.waivers_applied,
                defined: a.inventory.waivers.len(),
            },
            baseline: a.baseline.as_ref().map(|b| v1::Baseline {
                file: &b.file,
                generated_at: b.generated_at.as_deref(),
                known: b.known,
                fixed: b.fixed,
            }),
            terraform: a.resolved.terraform.as_ref().map(terraform),
        };
        // serde writes token by token: buffer them here, where the writer's
        // type is known, rather than behind the caller's `dyn Write`.
        use std::io::Write as _;
        let mut w = std::io::BufWriter::with_capacity(1 << 16, w);
        serde_json::to_writer_pretty(&mut w, &report)?;
        w.write_all(b"\n")?;
        w.flush()
    })
}
