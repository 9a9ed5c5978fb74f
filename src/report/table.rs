//! `--format table`: what a compliance officer reads at a terminal.
//!
//! Findings grouped worst first, then where each entity's data is, then a
//! one-line verdict. Colour only when asked for (the caller decides from
//! the terminal, `--color` and `NO_COLOR`).

use comfy_table::{Attribute, Cell, Color, ContentArrangement, Table, presets};

use super::{Audit, Lang};
use crate::evaluate::Severity;

/// Rendering options the caller decides.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Total width to wrap to.
    pub width: u16,
    /// Headings, messages and labels.
    pub lang: Lang,
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
    // Text from outside never reaches the terminal raw (issue 9).
    // Long unbroken words are broken and a cell is bounded: comfy-table's
    // wrapping of one long word is quadratic.
    let text = crate::escape::cell(&text.into(), 60, 20_000);
    let mut c = Cell::new(text);
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
    let lang = style.lang;
    let tx = lang.text();
    let en = lang == Lang::En;
    let in_files = if en { "in" } else { "в" };
    out.push_str(&format!(
        "residency {} — {} ({} {in_files} {})\n",
        env!("CARGO_PKG_VERSION"),
        a.target,
        lang.entities(inv.entities.len()),
        lang.files(inv.files.len()),
    ));
    out.push_str(&format!(
        "GeoIP: {} ({} {}){} · {}: {} · {}\n",
        a.resolved.geoip_source,
        if en { "built" } else { "сборка" },
        a.resolved.geoip_build_date,
        if a.geoip_stale {
            format!(" — {}", tx.geoip_old)
        } else {
            String::new()
        },
        if en {
            "adequacy"
        } else {
            "перечень с адекватной защитой"
        },
        a.adequacy.name(!en),
        if a.resolved.offline {
            tx.offline.to_string()
        } else if en {
            format!(
                "DNS: {} names, {} failed",
                a.resolved.stats.names, a.resolved.stats.failed
            )
        } else {
            format!(
                "DNS: имён {}, ошибок {}",
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
    if let Some(w) = a.dns_warning_in(lang) {
        out.push_str(&format!("\n{}: {w}\n", tx.warning));
    }
    out.push('\n');

    if a.findings.is_empty() {
        if a.baseline.is_some() {
            out.push_str(match lang {
                super::Lang::En => "No new findings.",
                super::Lang::Ru => "Новых замечаний нет.",
            });
        } else {
            out.push_str(tx.no_findings);
        }
        out.push_str("\n\n");
    } else {
        let mut t = new_table(style);
        t.set_header(vec![
            cell(tx.severity, style, None, true),
            cell(tx.rule, style, None, true),
            cell(tx.entity, style, None, true),
            cell(tx.countries, style, None, true),
            cell(tx.finding_and_evidence, style, None, true),
        ]);
        for f in a.findings {
            let mut details = lang.message(f).plain();
            for ev in &f.evidence {
                details.push_str(&format!("\n  {ev}"));
            }
            details.push_str(&format!("\n  {} {}", tx.at, f.location));
            let countries = countries_text(&f.countries);
            t.add_row(vec![
                cell(
                    lang.severity(f.severity).to_uppercase(),
                    style,
                    Some(severity_color(f.severity)),
                    true,
                ),
                cell(f.rule.as_str(), style, None, false),
                cell(f.entity.clone(), style, None, false),
                cell(countries, style, None, false),
                cell(details, style, None, false),
            ]);
        }
        out.push_str(&t.to_string());
        out.push_str("\n\n");
    }

    if let Some(site) = a.site {
        out.push_str(&super::site::summary(site));
        out.push('\n');
        out.push_str(&super::site::table(
            site,
            a.inventory,
            a.resolved,
            style.width,
            true,
        ));
        out.push('\n');
    }

    out.push_str(&super::policy::table(a, style.lang, style.width));

    if !a.waived.is_empty() {
        let mut t = new_table(style);
        t.set_header(vec![
            cell(tx.severity, style, None, true),
            cell(tx.rule, style, None, true),
            cell(tx.entity, style, None, true),
            cell(tx.countries, style, None, true),
            cell(
                match lang {
                    super::Lang::En => "Finding and waiver",
                    super::Lang::Ru => "Замечание и принятый риск",
                },
                style,
                None,
                true,
            ),
        ]);
        for w in a.waived {
            let f = &w.finding;
            let mut details = lang.message(f).plain();
            if let Some(v) = a.inventory.waivers.get(w.waiver) {
                details.push_str(&match lang {
                    super::Lang::En => format!(
                        "\n  waived until {} by {}: {}",
                        v.expires_text(),
                        v.approved_by,
                        v.reason
                    ),
                    super::Lang::Ru => format!(
                        "\n  принятый риск до {}, утвердил {}: {}",
                        v.expires_text(),
                        v.approved_by,
                        v.reason
                    ),
                });
                if let Some(code) = v.reason_code {
                    details.push_str(&format!(" ({})", code.citation()));
                }
                details.push_str(&format!("\n  {} {}", tx.at, v.loc));
            }
            t.add_row(vec![
                cell(lang.severity(f.severity).to_uppercase(), style, None, false),
                cell(f.rule.as_str(), style, None, false),
                cell(f.entity.clone(), style, None, false),
                cell(countries_text(&f.countries), style, None, false),
                cell(details, style, None, false),
            ]);
        }
        out.push_str(match lang {
            super::Lang::En => "Waived (accepted risks: reported, not failing)\n",
            super::Lang::Ru => "Принятые риски (waivers: отражены, проверку не проваливают)\n",
        });
        out.push_str(&t.to_string());
        out.push_str("\n\n");
    }

    let mut t = new_table(style);
    t.set_header(vec![
        cell(tx.entity, style, None, true),
        cell(tx.kind, style, None, true),
        cell(tx.personal_data, style, None, true),
        cell(tx.countries, style, None, true),
        cell(tx.how_placed, style, None, true),
    ]);
    for ((e, l), pd) in inv.entities.iter().zip(&a.resolved.locations).zip(a.pd) {
        let mut how: Vec<String> = l.evidence.iter().map(|ev| ev.source.to_string()).collect();
        how.sort();
        how.dedup();
        if !l.unknown.is_empty() {
            how.push(format!("{} ({})", tx.unknown, l.unknown.len()));
        }
        let countries = if l.countries.is_empty() {
            tx.unknown.to_string()
        } else {
            l.countries
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let kind = lang.kind_role(e.kind, e.role);
        let pd = pd.as_ref().map_or("", |p| lang.pd_label(p));
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
    out.push_str(tx.where_data_is);
    out.push('\n');
    out.push_str(&t.to_string());
    out.push_str("\n\n");

    let line = verdict(a, lang);
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
pub fn verdict(a: &Audit<'_>, lang: super::Lang) -> String {
    use super::Lang::{En, Ru};
    let s = &a.summary;
    let tx = lang.text();
    let counts = lang.severity_counts(&a.severity_counts());
    let verdict = if s.failed { tx.failed } else { tx.passed };
    let total = s.total();
    let findings = match (a.baseline.is_some(), lang) {
        (false, _) => lang.findings(total),
        (true, En) => format!("{total} new finding{}", if total == 1 { "" } else { "s" }),
        (true, Ru) => format!("новых замечаний: {total}"),
    };
    let mut line = format!(
        "{verdict}: {findings}{} ({}: --fail-on {})",
        if counts.is_empty() {
            String::new()
        } else {
            format!(": {counts}")
        },
        tx.gate,
        a.fail_on.as_str()
    );
    if s.waived > 0 {
        line.push_str(&match lang {
            En => format!("; {} waived", s.waived),
            Ru => format!("; принятых рисков: {}", s.waived),
        });
    }
    if !a.waivers_applied && !a.inventory.waivers.is_empty() {
        line.push_str(match lang {
            En => "; waivers not applied (--no-waivers)",
            Ru => "; принятые риски не учтены (--no-waivers)",
        });
    }
    if let Some(b) = a.baseline {
        line.push_str(&match lang {
            En => format!(
                "; {} known finding{} from baseline {} left out",
                b.known,
                if b.known == 1 { "" } else { "s" },
                b.file
            ),
            Ru => format!(
                "; известных по базовому отчёту {} не учтено: {}",
                b.file, b.known
            ),
        });
        if b.fixed > 0 {
            line.push_str(&match lang {
                En => format!(", {} fixed since", b.fixed),
                Ru => format!(", исправлено с тех пор: {}", b.fixed),
            });
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
