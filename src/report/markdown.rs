//! `--format markdown`: a report that renders on GitHub and GitLab.
//!
//! Summary, findings by severity with their evidence chains and law
//! citations, where each entity is, and the rules with their fines.
//! Everything from the inventory or the network is escaped: it can neither
//! break a table nor inject HTML (GitHub renders inline HTML).

use std::io::{self, Write};

use super::history::Changes;
use super::view::View;
use super::words::Message;
use super::{Audit, Lang};
use crate::evaluate::Severity;

/// Escape text for Markdown (inline, table cells included).
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' | '!' => {
                out.push('\\');
                out.push(ch);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A code span that holds `s` literally, whatever backticks it contains.
pub fn code(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let longest = clean.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if clean.starts_with('`') || clean.ends_with('`') || clean.is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{clean}{pad}{fence}")
}

/// [`code`] for a table cell: GFM splits cells at `|` before it parses
/// code spans, so a pipe must be escaped even there.
pub fn cell_code(s: &str) -> String {
    code(s).replace('|', "\\|")
}

/// A message, its code parts as code.
pub fn message(m: &Message) -> String {
    m.parts()
        .map(|(is_code, s)| if is_code { code(&s) } else { text(&s) })
        .collect()
}

/// The Markdown report; `changes` adds the comparison with an earlier run.
pub fn render(a: &Audit, lang: Lang, changes: Option<&Changes>) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write(a, lang, changes, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Write the Markdown report to `w`, a finding or a row at a time.
pub fn write(
    a: &Audit,
    lang: Lang,
    changes: Option<&Changes>,
    o: &mut dyn Write,
) -> io::Result<()> {
    let tx = lang.text();
    let inv = &a.inventory;
    match a.organization() {
        Some(org) => {
            writeln!(o, "# {}: {}\n", tx.title, text(org))?;
        }
        None => {
            writeln!(o, "# {}\n", tx.title)?;
        }
    }
    let view = View::new(a, lang);
    writeln!(o, "**{}**\n", text(&view.verdict))?;
    if let Some(w) = a.dns_warning_in(lang) {
        writeln!(o, "> **{}:** {}\n", tx.warning, text(&w))?;
    }

    writeln!(o, "| | |\n|---|---|")?;
    if let Some(org) = &inv.organization {
        writeln!(
            o,
            "| {} | {} ({}) |",
            tx.operator,
            text(&org.name),
            lang.country_name(org.country)
        )?;
    }
    writeln!(
        o,
        "| {} | {} ({} {} {}) |",
        tx.inventory,
        cell_code(&a.target),
        lang.entities(inv.entities.len()),
        tx.in_files,
        lang.files(inv.files.len())
    )?;
    writeln!(o, "| {} | {} |", tx.generated, text(&a.generated_at))?;
    writeln!(
        o,
        "| {} | residency {} |",
        tx.tool,
        env!("CARGO_PKG_VERSION")
    )?;
    writeln!(
        o,
        "| {} | {} ({}){} |",
        tx.geoip,
        text(&a.resolved.geoip_source),
        text(&a.resolved.geoip_build_date),
        if a.geoip_stale {
            format!(" — **{}**", text(tx.geoip_old))
        } else {
            String::new()
        }
    )?;
    writeln!(
        o,
        "| {} | {} ({} {}) |",
        tx.adequacy,
        text(lang.stored(&a.adequacy.list, &a.adequacy.list_ru)),
        a.adequacy.len(),
        tx.states
    )?;
    let dns = if a.resolved.offline {
        tx.offline.to_string()
    } else {
        lang.dns_stats(a.resolved.stats.names, a.resolved.stats.failed)
    };
    writeln!(o, "| {} | {} |\n", tx.dns, dns)?;

    writeln!(o, "## {}\n", tx.summary)?;
    writeln!(o, "| {} | {} |\n|---|---:|", tx.severity, tx.count)?;
    for (sev, n) in a.severity_counts() {
        writeln!(o, "| {} | {n} |", lang.severity(sev))?;
    }
    let abroad = a.countries_abroad();
    writeln!(
        o,
        "\n**{}:** {}\n",
        tx.countries_abroad,
        if abroad.is_empty() {
            tx.none.to_string()
        } else {
            lang.country_list(&abroad)
        }
    )?;

    if let Some(c) = changes {
        render_changes(o, lang, c)?;
    }

    writeln!(o, "## {}\n", tx.findings)?;
    if a.findings.is_empty() {
        writeln!(o, "{}\n", tx.no_findings)?;
    }
    for sev in Severity::ALL {
        let group = || a.findings.iter().filter(move |f| f.severity == sev);
        let n = group().count();
        if n == 0 {
            continue;
        }
        writeln!(o, "### {} ({})\n", lang.severity_group(sev), n)?;
        for f in group() {
            let meta = Some(f.rule.meta());
            writeln!(
                o,
                "#### {} · {} · {}\n",
                code(f.rule.as_str()),
                code(&f.entity),
                if f.countries.is_empty() {
                    tx.unknown.to_string()
                } else {
                    super::words::list(&f.countries)
                }
            )?;
            writeln!(o, "{}\n", message(&lang.message(f)))?;
            if !f.countries.is_empty() {
                writeln!(
                    o,
                    "- **{}:** {}",
                    tx.countries,
                    lang.country_list(&f.countries)
                )?;
            }
            if let Some(c) = f.recipient_country {
                writeln!(o, "- **{}:** {}", tx.recipient, lang.country_list(&[c]))?;
            }
            if let Some(m) = meta {
                writeln!(o, "- **{}:** {}", tx.law, text(lang.law(m)))?;
                if let Some(fine) = lang.fine(m) {
                    writeln!(o, "- **{}:** {}", tx.fine, text(fine))?;
                }
            }
            writeln!(
                o,
                "- **{}:** {}",
                tx.location,
                code(&f.location.to_string())
            )?;
            if !f.evidence.is_empty() {
                writeln!(o, "- **{}:**", tx.evidence)?;
                for ev in &f.evidence {
                    writeln!(o, "  - {}", code(&ev.to_string()))?;
                }
            }
            o.write_all(b"\n")?;
        }
    }

    render_waived(o, &view)?;
    o.write_all(super::policy::markdown(a, lang).as_bytes())?;

    writeln!(o, "## {}\n", tx.where_data_is)?;
    writeln!(
        o,
        "| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
        tx.entity, tx.kind, tx.personal_data, tx.countries, tx.how_placed
    )?;
    for row in view.entities() {
        let mut how: Vec<String> = row.how.iter().map(|h| text(h)).collect();
        for u in row.unknown {
            how.push(format!("{}: {}", tx.unknown, text(&u.to_string())));
        }
        let name = row
            .entity
            .name
            .as_deref()
            .map(|n| format!(" — {}", text(n)))
            .unwrap_or_default();
        writeln!(
            o,
            "| {}{} | {} | {} | {} | {} |",
            code(&row.entity.id),
            name,
            row.kind,
            row.pd,
            lang.country_list(&row.countries),
            how.join("; ")
        )?;
    }
    o.write_all(b"\n")?;

    if let Some(tf) = &a.resolved.terraform {
        let rows = super::terraform::storage_rows(tf, lang);
        if !rows.is_empty() {
            let h = super::terraform::headers(lang);
            writeln!(o, "## {} ({})\n", super::terraform::title(lang), rows.len())?;
            writeln!(
                o,
                "| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
                h[0], h[1], h[2], h[3], h[4]
            )?;
            for r in rows {
                let mut places = text(&r.places);
                for u in &r.unknown {
                    places.push_str(&format!(
                        "<br>{}: {}",
                        super::terraform::unknown_word(lang),
                        text(u)
                    ));
                }
                writeln!(
                    o,
                    "| {} | {} | {} | {} | {} |",
                    cell_code(&r.address),
                    text(r.kind),
                    r.action,
                    places,
                    text(&r.entities)
                )?;
            }
            o.write_all(b"\n")?;
        }
    }

    writeln!(o, "## {}\n", tx.rules)?;
    writeln!(
        o,
        "| {} | {} | {} | {} | {} | {} |\n|---|---|---:|---|---|---|",
        tx.rule, tx.severity, tx.count, tx.description, tx.law, tx.fine
    )?;
    for r in view.rules() {
        writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} |",
            code(r.meta.id),
            lang.severity(r.meta.severity),
            r.count,
            text(r.description),
            text(r.law),
            text(r.fine)
        )?;
    }
    writeln!(o, "\n{}\n", tx.explain)?;
    writeln!(
        o,
        "---\n\n_{}_ {}",
        text(tx.not_advice),
        text(tx.attribution)
    )
}

/// Accepted risks: each waived finding with who accepted it, why and until when.
fn render_waived(o: &mut dyn Write, view: &View<'_>) -> io::Result<()> {
    let (a, lang) = (view.audit, view.lang);
    if a.waived.is_empty() {
        return Ok(());
    }
    let tx = lang.text();
    let (title, until, by, at) = (
        tx.waived_markdown,
        tx.waived_until,
        tx.approved_by,
        tx.waiver_at,
    );
    writeln!(o, "## {title} ({})\n", a.waived.len())?;
    for w in view.waived() {
        let f = w.row.finding;
        writeln!(
            o,
            "- {} · {} · {} — {}",
            lang.severity(f.severity),
            code(f.rule.as_str()),
            code(&f.entity),
            message(&w.row.message)
        )?;
        if let Some(v) = &w.note {
            writeln!(
                o,
                "  - {until} {}, {by} {}: {}{}",
                v.expires,
                text(v.approved_by),
                text(v.reason),
                v.citation
                    .map(|c| format!(" ({})", text(c)))
                    .unwrap_or_default()
            )?;
            writeln!(o, "  - {at} {}", code(&v.loc.to_string()))?;
        }
    }
    o.write_all(b"\n")
}

fn render_changes(o: &mut dyn Write, lang: Lang, c: &Changes) -> io::Result<()> {
    let tx = lang.text();
    writeln!(o, "## {}\n", tx.changes)?;
    let when = if c.against_generated_at.is_empty() {
        String::new()
    } else {
        format!(" ({})", text(&c.against_generated_at))
    };
    if c.no_change {
        writeln!(o, "{} {}{when}.\n", tx.no_change, code(&c.against))?;
        return Ok(());
    }
    writeln!(
        o,
        "{} {}{when}: {}.\n",
        tx.compared_with,
        code(&c.against),
        c.one_line(lang)
    )?;
    for (title, items) in [
        (tx.new_findings, &c.new),
        (tx.resolved_findings, &c.resolved),
    ] {
        writeln!(o, "### {} ({})\n", title, items.len())?;
        if items.is_empty() {
            writeln!(o, "{}\n", tx.none)?;
            continue;
        }
        for i in items {
            let msg = lang.stored(&i.message, &i.message_ru);
            let sev = i
                .severity
                .parse::<Severity>()
                .map_or(text(&i.severity), |s| lang.severity(s).to_string());
            writeln!(
                o,
                "- **{}** {} · {} · {}: {}",
                sev,
                code(&i.key.rule),
                code(&i.key.entity),
                if i.key.countries.is_empty() {
                    tx.unknown.to_string()
                } else {
                    text(&i.key.countries.join(", "))
                },
                message(&Message::from_plain(msg))
            )?;
        }
        o.write_all(b"\n")?;
    }
    writeln!(
        o,
        "### {} ({})\n",
        tx.moved_entities,
        c.entities_changed.len()
    )?;
    if c.entities_changed.is_empty() {
        writeln!(o, "{}\n", tx.none)?;
        return Ok(());
    }
    writeln!(
        o,
        "| {} | {} | {} |\n|---|---|---|",
        tx.entity, tx.before, tx.after
    )?;
    let show = |v: &Option<Vec<String>>| match v {
        None => "—".to_string(),
        Some(v) if v.is_empty() => tx.unknown.to_string(),
        Some(v) => text(&v.join(", ")),
    };
    for m in &c.entities_changed {
        writeln!(
            o,
            "| {} | {} | {} |",
            code(&m.id),
            show(&m.before),
            show(&m.after)
        )?;
    }
    o.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    #[test]
    fn hostile_text_cannot_escape() {
        assert_eq!(
            super::text("<img src=x onerror=alert(1)> | a"),
            "&lt;img src=x onerror=alert(1)&gt; \\| a"
        );
        assert_eq!(super::code("a`b|c"), "``a`b|c``");
        assert_eq!(super::cell_code("a|b"), "`a\\|b`");
        assert_eq!(super::code("`x"), "`` `x ``");
        assert_eq!(
            super::message(&super::Message::from_plain("database `db` is <b>")),
            "Database `db` is &lt;b&gt;"
        );
    }
}
