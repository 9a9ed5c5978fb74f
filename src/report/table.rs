//! `--format table`: what a compliance officer reads at a terminal.
//!
//! Findings grouped worst first, then where each entity's data is, then a
//! one-line verdict. Colour only when asked for (the caller decides from
//! the terminal, `--color` and `NO_COLOR`).

use std::collections::BTreeSet;
use std::io::{self, Write};

use comfy_table::{
    Attribute, Cell, Color, ColumnConstraint, ContentArrangement, Table, Width, presets,
};

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

/// A cell's text as shown: text from outside never reaches the terminal
/// raw (issue 9); long unbroken words are broken and a cell is bounded
/// (comfy-table's wrapping of one long word is quadratic).
fn escaped(text: &str) -> String {
    crate::escape::cell(text, 60, 20_000)
}

fn cell(text: impl Into<String>, style: Style, color: Option<Color>, bold: bool) -> Cell {
    let mut c = Cell::new(escaped(&text.into()));
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

/// Rows per part: the findings are written as a run of tables of this
/// many rows, each as soon as it is made; the other tables are drawn
/// whole but written in parts of this many rows ([`write_table`]).
const ROWS: usize = 500;

/// One cell to be: its text (escaped when the cell is made), colour and
/// whether bold.
type Spec = (String, Option<Color>, bool);

/// Write the table of `rows()` under `headings`, byte for byte as
/// comfy-table draws it whole, but [`ROWS`] rows at a time: a small table
/// is drawn whole; a larger one gets the column widths the whole table
/// would have (from the lines that decide them, see [`widths`]) and is
/// drawn in parts of that width, the parts' own borders and headings
/// left out. `rows` is called again for each pass.
fn write_table<R>(
    w: &mut dyn Write,
    style: Style,
    headings: &[&str],
    rows: impl Fn() -> R,
) -> io::Result<()>
where
    R: Iterator<Item = Vec<Spec>>,
{
    write_parts(w, style, headings, rows, ROWS)
}

/// [`write_table`], `part` rows at a time.
fn write_parts<R>(
    w: &mut dyn Write,
    style: Style,
    headings: &[&str],
    rows: impl Fn() -> R,
    part: usize,
) -> io::Result<()>
where
    R: Iterator<Item = Vec<Spec>>,
{
    let headed = |fixed: Option<&[u16]>| {
        let mut t = headed(style, headings);
        if let Some(widths) = fixed {
            t.set_constraints(
                widths
                    .iter()
                    .map(|w| ColumnConstraint::Absolute(Width::Fixed(*w))),
            );
        }
        t
    };
    let add = |t: &mut Table, row: Vec<Spec>| {
        t.add_row(
            row.into_iter()
                .map(|(text, color, bold)| cell(text, style, color, bold)),
        );
    };
    let mut all = rows();
    let mut t = headed(None);
    for row in all.by_ref().take(part) {
        add(&mut t, row);
    }
    if t.row_count() < part {
        return w.write_all(t.to_string().as_bytes());
    }
    let widths = widths(style, headings, rows());
    let mut all = rows().peekable();
    let mut first = true;
    while all.peek().is_some() {
        let mut t = headed(Some(&widths));
        for row in all.by_ref().take(part) {
            add(&mut t, row);
        }
        let last = all.peek().is_none();
        let lines: Vec<String> = t.lines().collect();
        // Past the header separator for every part but the first; the
        // bottom border only for the last.
        let from = if first {
            0
        } else {
            lines
                .iter()
                .position(|l| l.starts_with('╞'))
                .map_or(0, |i| i + 1)
        };
        let to = if last {
            lines.len()
        } else {
            lines.len().saturating_sub(1)
        };
        for line in lines.get(from..to).unwrap_or_default() {
            if !first {
                w.write_all(b"\n")?;
            }
            w.write_all(line.as_bytes())?;
            first = false;
        }
    }
    Ok(())
}

/// The column widths (padding included) comfy-table gives the table of
/// `rows` under `headings`, found by laying out a small table instead:
/// its arrangement depends on each column's lines only through the
/// widest line and the widest part of each line once split at a width,
/// so every distinct line is kept but for words of printable ASCII,
/// where the longest stands for all (split at a width `w`, such a word's
/// widest part is `min(len, w)`).
fn widths(style: Style, headings: &[&str], rows: impl Iterator<Item = Vec<Spec>>) -> Vec<u16> {
    let n = headings.len();
    let mut longest_word = vec![String::new(); n];
    let mut other: Vec<BTreeSet<String>> = vec![BTreeSet::new(); n];
    for row in rows {
        for (c, (text, _, _)) in row.iter().enumerate().take(n) {
            for line in escaped(text).split('\n') {
                if !line.is_empty() && line.bytes().all(|b| b.is_ascii_graphic()) {
                    if line.len() > longest_word[c].len() {
                        longest_word[c] = line.to_string();
                    }
                } else {
                    other[c].insert(line.to_string());
                }
            }
        }
    }
    let columns: Vec<Vec<String>> = longest_word
        .into_iter()
        .zip(other)
        .map(|(word, other)| {
            (!word.is_empty())
                .then_some(word)
                .into_iter()
                .chain(other)
                .collect()
        })
        .collect();
    let plain = Style {
        color: false,
        ..style
    };
    let mut t = headed(plain, headings);
    let height = columns.iter().map(Vec::len).max().unwrap_or(0);
    for i in 0..height {
        t.add_row(
            columns
                .iter()
                .map(|c| Cell::new(c.get(i).map_or("", String::as_str))),
        );
    }
    // The top border, `┌───┬──┐`: a run of `─` per column.
    let top = t.lines().next().unwrap_or_default();
    top.trim_start_matches('┌')
        .trim_end_matches('┐')
        .split('┬')
        .map(|run| u16::try_from(run.chars().count()).unwrap_or(u16::MAX))
        .collect()
}

/// The terminal report.
pub fn render(a: &Audit, style: Style) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write(a, style, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Write the terminal report to `w`, a part at a time.
pub fn write(a: &Audit, style: Style, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let view = super::view::View::new(a, style.lang);
    let mut out = String::new();
    let inv = &a.inventory;
    let lang = style.lang;
    let tx = lang.text();
    out.push_str(&format!(
        "residency {} — {} ({} {} {})\n",
        env!("CARGO_PKG_VERSION"),
        a.target,
        lang.entities(inv.entities.len()),
        tx.in_files,
        lang.files(inv.files.len()),
    ));
    out.push_str(&format!(
        "GeoIP: {} ({} {}){} · {}: {} · {}\n",
        a.resolved.geoip_source,
        tx.geoip_built,
        a.resolved.geoip_build_date,
        if a.geoip_stale {
            format!(" — {}", tx.geoip_old)
        } else {
            String::new()
        },
        tx.adequacy_short,
        lang.stored(&a.adequacy.list, &a.adequacy.list_ru),
        if a.resolved.offline {
            tx.offline.to_string()
        } else {
            lang.dns_short(a.resolved.stats.names, a.resolved.stats.failed)
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
            out.push_str(tx.no_new_findings);
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
            let countries = countries_text(&f.countries, "?");
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

    if let Some(site) = &a.site {
        out.push_str(&super::site::summary(site));
        out.push('\n');
        out.push_str(&super::site::table(
            site,
            &a.inventory,
            &a.resolved,
            style.width,
            true,
        ));
        out.push('\n');
    }

    out.push_str(&super::policy::table(a, style.lang, style.width));

    if !a.waived.is_empty() {
        out.push_str(tx.waived_table);
        out.push('\n');
        w.write_all(out.as_bytes())?;
        out.clear();
        let headings = [
            tx.severity,
            tx.rule,
            tx.entity,
            tx.countries,
            tx.finding_and_waiver,
        ];
        let rows = || {
            view.waived().map(|v| {
                let f = v.row.finding;
                let mut details = v.row.message.plain();
                if let Some(note) = &v.note {
                    details.push_str("\n  ");
                    details.push_str(&lang.waived_by(
                        &note.expires,
                        note.approved_by,
                        &note.reason_text(),
                    ));
                    details.push_str(&format!("\n  {} {}", tx.at, note.loc));
                }
                vec![
                    (lang.severity(f.severity).to_uppercase(), None, false),
                    (f.rule.as_str().to_string(), None, false),
                    (f.entity.to_string(), None, false),
                    (countries_text(&f.countries, "?"), None, false),
                    (details, None, false),
                ]
            })
        };
        write_table(w, style, &headings, rows)?;
        w.write_all(b"\n\n")?;
    }

    out.push_str(tx.where_data_is);
    out.push('\n');
    w.write_all(out.as_bytes())?;
    out.clear();
    let headings = [
        tx.entity,
        tx.kind,
        tx.personal_data,
        tx.countries,
        tx.how_placed,
    ];
    let rows = || {
        view.entities().map(|row| {
            let mut how = row.how;
            if !row.unknown.is_empty() {
                how.push(format!("{} ({})", tx.unknown, row.unknown.len()));
            }
            let countries = countries_text(&row.countries, tx.unknown);
            let abroad = row.countries.iter().any(|c| !c.is_ru());
            vec![
                (row.entity.id.to_string(), None, false),
                (row.kind, None, false),
                (row.pd.to_string(), None, false),
                (countries, abroad.then_some(Color::Yellow), false),
                (how.join(", "), None, false),
            ]
        })
    };
    write_table(w, style, &headings, rows)?;
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

/// `DE US`, or `none` for no country.
fn countries_text(countries: &[crate::reference::Country], none: &str) -> String {
    if countries.is_empty() {
        none.to_string()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The table drawn whole, as comfy-table does.
    fn whole(style: Style, headings: &[&str], rows: &[Vec<Spec>]) -> String {
        let mut t = headed(style, headings);
        for row in rows {
            t.add_row(
                row.iter()
                    .map(|(text, color, bold)| cell(text.clone(), style, *color, *bold)),
            );
        }
        t.to_string()
    }

    fn parts(style: Style, headings: &[&str], rows: &[Vec<Spec>], part: usize) -> String {
        let mut out = Vec::new();
        write_parts(&mut out, style, headings, || rows.iter().cloned(), part).unwrap();
        String::from_utf8(out).unwrap()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 256, failure_persistence: None, ..Default::default() })]

        /// However the rows are cut into parts, the bytes are those of the
        /// whole table: words, spaces, wide and combining characters,
        /// line breaks, long words, at any width, in colour or not.
        #[test]
        fn a_table_in_parts_is_the_whole_table(
            rows in proptest::collection::vec(
                proptest::collection::vec(
                    ("([a-z0-9.:-]{0,12}|[ \n]|[жё漢]{1,3}|e\u{301}|x{50,90}){0,6}", proptest::bool::ANY),
                    3,
                ),
                0..14,
            ),
            part in 1usize..5,
            width in 20u16..200,
            color in proptest::bool::ANY,
        ) {
            let style = Style { color, width, lang: Lang::En };
            let rows: Vec<Vec<Spec>> = rows
                .into_iter()
                .map(|r| {
                    r.into_iter()
                        .map(|(t, yellow)| (t, yellow.then_some(Color::Yellow), false))
                        .collect()
                })
                .collect();
            let headings = ["Entity", "Kind of it", "Countries"];
            proptest::prop_assert_eq!(parts(style, &headings, &rows, part), whole(style, &headings, &rows));
        }
    }
}
