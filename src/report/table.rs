//! `--format table`: what a compliance officer reads at a terminal.
//!
//! Findings grouped worst first, then where each entity's data is, then a
//! one-line verdict. Colour only when asked for (the caller decides from
//! the terminal, `--color` and `NO_COLOR`).

use comfy_table::{Attribute, Cell, Color, ContentArrangement, Table, presets};

use super::Audit;
use crate::evaluate::Severity;
use crate::evaluate::context::PdReason;

/// Rendering options the caller decides.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Total width to wrap to.
    pub width: u16,
}

fn severity_color(s: Severity) -> Color {
    match s {
        Severity::Critical => Color::Magenta,
        Severity::High => Color::Red,
        Severity::Medium => Color::Yellow,
        Severity::Low => Color::Cyan,
        Severity::Info => Color::Grey,
    }
}

fn new_table(style: Style) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_width(style.width);
    if style.color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    t
}

fn cell(text: impl Into<String>, style: Style, color: Option<Color>, bold: bool) -> Cell {
    let mut c = Cell::new(text.into());
    if style.color {
        if let Some(color) = color {
            c = c.fg(color);
        }
        if bold {
            c = c.add_attribute(Attribute::Bold);
        }
    }
    c
}

/// The terminal report.
pub fn render(a: &Audit<'_>, style: Style) -> String {
    let mut out = String::new();
    let inv = a.inventory;
    out.push_str(&format!(
        "residency {} — {} ({} entities in {} file{})\n",
        env!("CARGO_PKG_VERSION"),
        a.target,
        inv.entities.len(),
        inv.files.len(),
        if inv.files.len() == 1 { "" } else { "s" }
    ));
    out.push_str(&format!(
        "GeoIP: {} (built {}){} · adequacy: {} · {}\n",
        a.resolved.geoip_source,
        a.resolved.geoip_build_date,
        if a.geoip_stale {
            " — OLD, pass a newer database with --geoip"
        } else {
            ""
        },
        a.adequacy.list,
        if a.resolved.offline {
            "offline: host names not resolved".to_string()
        } else {
            format!(
                "DNS: {} names, {} failed",
                a.resolved.stats.names, a.resolved.stats.failed
            )
        }
    ));
    if let Some(tf) = &a.resolved.terraform {
        let files: Vec<&str> = tf.plans.iter().map(|p| &*p.file).collect();
        let storage = tf.resources.iter().filter(|r| r.storage.is_some()).count();
        let linked = tf.owners.iter().filter(|o| !o.is_empty()).count();
        out.push_str(&format!(
            "Terraform: {} ({} resources, {storage} storage, {linked} linked to entities, {} unlisted)\n",
            files.join(", "),
            tf.resources.len(),
            tf.unclaimed.len()
        ));
    }
    if let Some(w) = a.dns_warning() {
        out.push_str(&format!("\nWARNING: {w}\n"));
    }
    out.push('\n');

    if a.findings.is_empty() {
        out.push_str(if a.baseline.is_some() {
            "No new findings.\n\n"
        } else {
            "No findings.\n\n"
        });
    } else {
        let mut t = new_table(style);
        t.set_header(vec![
            cell("Severity", style, None, true),
            cell("Rule", style, None, true),
            cell("Entity", style, None, true),
            cell("Countries", style, None, true),
            cell("Finding and evidence", style, None, true),
        ]);
        for f in a.findings {
            let mut details = f.message.clone();
            for ev in &f.evidence {
                details.push_str("\n  ");
                details.push_str(ev);
            }
            details.push_str(&format!("\n  at {}", f.location));
            let countries = countries_text(&f.countries);
            t.add_row(vec![
                cell(
                    f.severity.as_str().to_uppercase(),
                    style,
                    Some(severity_color(f.severity)),
                    true,
                ),
                cell(f.rule, style, None, false),
                cell(f.entity.clone(), style, None, false),
                cell(countries, style, None, false),
                cell(details, style, None, false),
            ]);
        }
        out.push_str(&t.to_string());
        out.push_str("\n\n");
    }

    if !a.waived.is_empty() {
        let mut t = new_table(style);
        t.set_header(vec![
            cell("Severity", style, None, true),
            cell("Rule", style, None, true),
            cell("Entity", style, None, true),
            cell("Countries", style, None, true),
            cell("Finding and waiver", style, None, true),
        ]);
        for w in a.waived {
            let f = &w.finding;
            let mut details = f.message.clone();
            if let Some(v) = a.inventory.waivers.get(w.waiver) {
                details.push_str(&format!(
                    "\n  waived until {} by {}: {}",
                    v.expires_text(),
                    v.approved_by,
                    v.reason
                ));
                if let Some(code) = v.reason_code {
                    details.push_str(&format!(" ({})", code.citation()));
                }
                details.push_str(&format!("\n  waiver at {}", v.loc));
            }
            t.add_row(vec![
                cell(f.severity.as_str().to_uppercase(), style, None, false),
                cell(f.rule, style, None, false),
                cell(f.entity.clone(), style, None, false),
                cell(countries_text(&f.countries), style, None, false),
                cell(details, style, None, false),
            ]);
        }
        out.push_str("Waived (accepted risks: reported, not failing)\n");
        out.push_str(&t.to_string());
        out.push_str("\n\n");
    }

    let mut t = new_table(style);
    t.set_header(vec![
        cell("Entity", style, None, true),
        cell("Kind", style, None, true),
        cell("Personal data", style, None, true),
        cell("Countries", style, None, true),
        cell("How placed", style, None, true),
    ]);
    for ((e, l), pd) in inv.entities.iter().zip(&a.resolved.locations).zip(a.pd) {
        let mut how: Vec<String> = l.evidence.iter().map(|ev| ev.source.clone()).collect();
        how.sort();
        how.dedup();
        if !l.unknown.is_empty() {
            how.push(format!("unknown ({})", l.unknown.len()));
        }
        let countries = if l.countries.is_empty() {
            "unknown".to_string()
        } else {
            l.countries
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let kind = match e.role {
            Some(r) => format!("{} ({})", e.kind.as_str(), r.as_str()),
            None => e.kind.as_str().to_string(),
        };
        let pd = pd.as_ref().map_or("", PdReason::label);
        t.add_row(vec![
            cell(e.id.clone(), style, None, false),
            cell(kind, style, None, false),
            cell(pd, style, None, false),
            cell(
                countries,
                style,
                if l.countries.iter().any(|c| !c.is_ru()) {
                    Some(Color::Yellow)
                } else {
                    None
                },
                false,
            ),
            cell(how.join(", "), style, None, false),
        ]);
    }
    out.push_str("Where the data is\n");
    out.push_str(&t.to_string());
    out.push_str("\n\n");

    let line = verdict(a);
    if style.color {
        let color = if a.summary.failed {
            Color::Red
        } else {
            Color::Green
        };
        out.push_str(&format!("{}\n", cell_text(&line, color)));
    } else {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn countries_text(countries: &[crate::reference::Country]) -> String {
    if countries.is_empty() {
        "?".to_string()
    } else {
        countries
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The one-line verdict: `FAILED: 3 findings: 1 critical, 2 high (gate:
/// --fail-on high); 1 waived; 21 known from baseline b.json left out`.
pub fn verdict(a: &Audit<'_>) -> String {
    let s = &a.summary;
    let counts: Vec<String> = Severity::ALL
        .iter()
        .filter(|sev| s.count(**sev) > 0)
        .map(|sev| format!("{} {}", s.count(*sev), sev.as_str()))
        .collect();
    let verdict = if s.failed { "FAILED" } else { "PASSED" };
    let mut line = format!(
        "{verdict}: {} {}finding{}{} (gate: --fail-on {})",
        s.total(),
        if a.baseline.is_some() { "new " } else { "" },
        if s.total() == 1 { "" } else { "s" },
        if counts.is_empty() {
            String::new()
        } else {
            format!(": {}", counts.join(", "))
        },
        a.fail_on.as_str()
    );
    if s.waived > 0 {
        line.push_str(&format!("; {} waived", s.waived));
    }
    if !a.waivers_applied && !a.inventory.waivers.is_empty() {
        line.push_str("; waivers not applied (--no-waivers)");
    }
    if let Some(b) = a.baseline {
        line.push_str(&format!(
            "; {} known finding{} from baseline {} left out",
            b.known,
            if b.known == 1 { "" } else { "s" },
            b.file
        ));
        if b.fixed > 0 {
            line.push_str(&format!(", {} fixed since", b.fixed));
        }
    }
    line
}

fn cell_text(s: &str, color: Color) -> String {
    let code = match color {
        Color::Red => 31,
        Color::Green => 32,
        _ => 0,
    };
    format!("\x1b[1;{code}m{s}\x1b[0m")
}
