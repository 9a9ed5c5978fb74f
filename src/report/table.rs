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

/// A table with these column headings.
fn headed(style: Style, headings: &[&str]) -> Table {
    let mut t = new_table(style);
    t.set_header(headings.iter().map(|h| cell(*h, style, None, true)));
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

/// Rows per findings table: a large report is written as a run of tables
/// of this many rows, each as soon as it is made.
const ROWS: usize = 500;

/// The terminal report.
pub fn render(a: &Audit<'_>, style: Style) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write(a, style, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Write the terminal report to `w`, a part at a time.
pub fn write(a: &Audit<'_>, style: Style, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let view = super::view::View::new(a, style.lang);
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
        let header = || {
            headed(
                style,
                &[
                    tx.severity,
                    tx.rule,
                    tx.entity,
                    tx.countries,
                    tx.finding_and_evidence,
                ],
            )
        };
        let mut t = header();
        for (i, f) in a.findings.iter().enumerate() {
            if i > 0 && i % ROWS == 0 {
                out.push_str(&t.to_string());
                out.push('\n');
                w.write_all(out.as_bytes())?;
                out.clear();
                t = header();
            }
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
        let mut t = headed(
            style,
            &[
                tx.severity,
                tx.rule,
                tx.entity,
                tx.countries,
                match lang {
                    super::Lang::En => "Finding and waiver",
                    super::Lang::Ru => "Замечание и принятый риск",
                },
            ],
        );
        for w in view.waived() {
            let f = w.row.finding;
            let mut details = w.row.message.plain();
            if let Some(v) = &w.note {
                details.push_str(&match lang {
                    super::Lang::En => format!(
                        "\n  waived until {} by {}: {}",
                        v.expires,
                        v.approved_by,
                        v.reason_text()
                    ),
                    super::Lang::Ru => format!(
                        "\n  принятый риск до {}, утвердил {}: {}",
                        v.expires,
                        v.approved_by,
                        v.reason_text()
                    ),
                });
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

    let mut t = headed(
        style,
        &[
            tx.entity,
            tx.kind,
            tx.personal_data,
            tx.countries,
            tx.how_placed,
        ],
    );
    for row in view.entities() {
        let mut how = row.how;
        if !row.unknown.is_empty() {
            how.push(format!("{} ({})", tx.unknown, row.unknown.len()));
        }
        let countries = if row.countries.is_empty() {
            tx.unknown.to_string()
        } else {
            row.countries
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        t.add_row(vec![
            cell(row.entity.id.clone(), style, None, false),
            cell(row.kind, style, None, false),
            cell(row.pd, style, None, false),
            cell(
                countries,
                style,
                if row.countries.iter().any(|c| !c.is_ru()) {
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
    if let Some(tf) = &a.resolved.terraform {
        let rows = super::terraform::storage_rows(tf, lang);
        if !rows.is_empty() {
            let mut t = new_table(style);
            t.set_header(
                super::terraform::headers(lang)
                    .iter()
                    .map(|h| cell(*h, style, None, true)),
            );
            for r in rows {
                let mut places = r.places.clone();
                for u in &r.unknown {
                    places.push_str(&format!("\n{}: {u}", super::terraform::unknown_word(lang)));
                }
                t.add_row(vec![
                    cell(r.address, style, None, false),
                    cell(r.kind, style, None, false),
                    cell(r.action, style, None, false),
                    cell(places, style, r.abroad.then_some(Color::Yellow), false),
                    cell(r.entities, style, None, false),
                ]);
            }
            out.push_str(super::terraform::title(lang));
            out.push('\n');
            out.push_str(&t.to_string());
            out.push_str("\n\n");
        }
    }

    let line = view.verdict;
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
    w.write_all(out.as_bytes())
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

fn cell_text(s: &str, color: Color) -> String {
    let code = match color {
        Color::Red => 31,
        Color::Green => 32,
        _ => 0,
    };
    format!("\x1b[1;{code}m{s}\x1b[0m")
}
