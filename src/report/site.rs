//! The web site's part of a report (`scan-site`, `check --site`): the
//! pages read and the third parties found, with where each one is.

use comfy_table::{Cell, ContentArrangement, Table, presets};
use serde::Serialize;

use super::Lang;
use crate::inventory::Inventory;
use crate::reference::Country;
use crate::resolve::{EntityLocation, Resolved};
use crate::site::{SiteAudit, ThirdParty};

/// Where the entity linked to a third party is.
fn location<'a>(
    site: &SiteAudit,
    party: usize,
    inv: &Inventory,
    resolved: &'a Resolved,
) -> Option<&'a EntityLocation> {
    let link = site.link_of(party)?;
    let i = inv.position(&link.entity)?;
    resolved.locations.get(i)
}

#[derive(Serialize)]
pub struct SiteOut<'a> {
    roots: &'a [String],
    max_pages: usize,
    pages_read: usize,
    pages_not_read_in_full: usize,
    links_not_followed: usize,
    pages: Vec<PageOut<'a>>,
    third_parties: Vec<PartyOut<'a>>,
    /// Other sites the pages only name (no request): not findings.
    mentioned: Vec<SeenOut<'a>>,
    /// Hosts a Content-Security-Policy allows: permissions, not contacts.
    permitted: Vec<SeenOut<'a>>,
}

#[derive(Serialize)]
struct PageOut<'a> {
    url: &'a str,
    final_url: &'a str,
    redirects: &'a [String],
    status: Option<u16>,
    content_type: Option<&'a str>,
    bytes: usize,
    html: bool,
    problem: Option<&'a str>,
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct PartyOut<'a> {
    id: &'a str,
    service: Option<&'static str>,
    legal_entity: Option<&'static str>,
    legal_country: Option<Country>,
    /// Not in the catalogue: the owner a `--tracker-db` file gives.
    #[serde(skip_serializing_if = "Option::is_none")]
    named_by: Option<NamedOut<'a>>,
    receives: &'static str,
    collects: bool,
    source: Option<&'static str>,
    /// The inventory entity it is, or was added as.
    entity: Option<&'a str>,
    unlisted: bool,
    matched_by: Option<&'a str>,
    countries: Vec<Country>,
    hosts: Vec<HostOut>,
    seen: Vec<SeenOut<'a>>,
}

#[derive(Serialize)]
struct NamedOut<'a> {
    owner: &'a str,
    product: Option<&'a str>,
    category: Option<&'a str>,
    country: Option<Country>,
    /// The database file it comes from.
    file: &'a str,
    host: &'a str,
}

#[derive(Serialize)]
struct HostOut {
    host: String,
    countries: Vec<Country>,
    evidence: Vec<String>,
    error: Option<String>,
}

#[derive(Serialize)]
struct SeenOut<'a> {
    page: &'a str,
    line: Option<u32>,
    element: &'a str,
    host: &'a str,
    /// Only a `preconnect`/`dns-prefetch` hint (the IP address, nothing recorded).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    hint: bool,
}

fn seen_out(s: &crate::site::Sighting) -> SeenOut<'_> {
    SeenOut {
        page: &s.page,
        line: s.line,
        element: &s.element,
        host: &s.host,
        hint: s.hint,
    }
}

fn hosts_of(party: &ThirdParty, loc: Option<&EntityLocation>) -> Vec<HostOut> {
    // By host, once: a party may have thousands of hosts.
    let by_host: std::collections::HashMap<String, _> = loc
        .map(|l| {
            l.hosts
                .iter()
                .map(|r| (r.host.to_string(), r))
                .rev()
                .collect()
        })
        .unwrap_or_default();
    party
        .hosts
        .iter()
        .map(|h| {
            let r = by_host.get(h).copied();
            let mut countries: Vec<Country> = r
                .map(|r| r.addresses.iter().filter_map(|a| a.country).collect())
                .unwrap_or_default();
            countries.sort();
            countries.dedup();
            HostOut {
                host: h.clone(),
                countries,
                evidence: r
                    .map(|r| r.evidence().map(|e| e.to_string()).collect())
                    .unwrap_or_default(),
                error: match r {
                    Some(r) => r.error.as_ref().map(ToString::to_string),
                    None => Some("not resolved".into()),
                },
            }
        })
        .collect()
}

/// The site section of a JSON report.
pub(crate) fn json<'a>(
    site: &'a SiteAudit,
    inv: &'a Inventory,
    resolved: &'a Resolved,
) -> SiteOut<'a> {
    let scan = &site.scan;
    SiteOut {
        roots: &scan.roots,
        max_pages: scan.max_pages,
        pages_read: scan.pages_read(),
        pages_not_read_in_full: scan.pages.iter().filter(|p| p.problem.is_some()).count(),
        links_not_followed: scan.not_followed,
        pages: scan
            .pages
            .iter()
            .map(|p| PageOut {
                url: &p.url,
                final_url: &p.final_url,
                redirects: &p.redirects,
                status: p.status,
                content_type: p.content_type.as_deref(),
                bytes: p.bytes,
                html: p.html,
                problem: p.problem.as_deref(),
                note: p.note.as_deref(),
            })
            .collect(),
        third_parties: scan
            .third_parties
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let link = site.link_of(i);
                let loc = location(site, i, inv, resolved);
                PartyOut {
                    id: &p.id,
                    service: p.service.map(|s| s.name),
                    legal_entity: p.service.map(|s| s.legal_entity),
                    legal_country: p.service.map(|s| s.country),
                    named_by: p.named_by.as_ref().map(|n| NamedOut {
                        owner: &n.owner.name,
                        product: n.owner.product.as_deref(),
                        category: n.owner.category.as_deref(),
                        country: n.owner.country,
                        file: &n.file,
                        host: &n.host,
                    }),
                    receives: p.receives().as_str(),
                    collects: p.collects(),
                    source: p.service.map(|s| s.source),
                    entity: link.map(|l| l.entity.as_str()),
                    unlisted: link.is_some_and(|l| l.unlisted),
                    matched_by: link.and_then(|l| l.matched_by.as_deref()),
                    countries: loc
                        .map(|l| l.countries.iter().copied().collect())
                        .unwrap_or_default(),
                    hosts: hosts_of(p, loc),
                    seen: p.sightings.iter().map(seen_out).collect(),
                }
            })
            .collect(),
        mentioned: scan.mentioned.iter().map(seen_out).collect(),
        permitted: scan.permitted.iter().map(seen_out).collect(),
    }
}

/// One line on what was read.
pub(crate) fn summary(site: &SiteAudit) -> String {
    summary_in(site, Lang::En)
}

/// [`summary`] in the given language.
pub(crate) fn summary_in(site: &SiteAudit, lang: Lang) -> String {
    let scan = &site.scan;
    let problems = scan.pages.iter().filter(|p| p.problem.is_some()).count();
    let mut s = lang.site_summary(
        &scan.roots.join(", "),
        scan.pages_read(),
        problems,
        scan.third_parties.len(),
    );
    let distinct = |v: &[crate::site::Sighting]| {
        v.iter()
            .map(|s| s.host.as_str())
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    };
    let (mentioned, permitted) = (distinct(&scan.mentioned), distinct(&scan.permitted));
    if mentioned > 0 {
        s.push_str(&lang.site_mentioned_count(mentioned));
    }
    if permitted > 0 {
        s.push_str(&lang.site_permitted_count(permitted));
    }
    if scan.not_followed > 0 {
        s.push_str(&lang.site_not_followed(scan.not_followed, scan.max_pages));
    }
    s
}

/// The third parties as a table, `width` columns wide.
pub(crate) fn table(
    site: &SiteAudit,
    inv: &Inventory,
    resolved: &Resolved,
    width: u16,
    with_inventory: bool,
) -> String {
    table_in(site, inv, resolved, width, with_inventory, Lang::En)
}

/// [`table`] in the given language.
pub(crate) fn table_in(
    site: &SiteAudit,
    inv: &Inventory,
    resolved: &Resolved,
    width: u16,
    with_inventory: bool,
    lang: Lang,
) -> String {
    let tx = lang.text();
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    t.set_content_arrangement(ContentArrangement::Dynamic);
    t.set_width(width);
    t.force_no_tty();
    let [party_h, receives_h, hosts_h, inventory_h, seen_h] = tx.site_headers;
    let mut header = vec![party_h, receives_h, hosts_h];
    if with_inventory {
        header.push(inventory_h);
    }
    header.push(seen_h);
    t.set_header(header);
    for (i, p) in site.scan.third_parties.iter().enumerate() {
        let loc = location(site, i, inv, resolved);
        let hosts: Vec<String> = hosts_of(p, loc)
            .into_iter()
            .map(|h| {
                let c = if h.countries.is_empty() {
                    if resolved.offline {
                        tx.site_not_resolved.to_string()
                    } else {
                        tx.unknown.to_string()
                    }
                } else {
                    h.countries
                        .iter()
                        .map(Country::as_str)
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                format!("{} → {c}", h.host)
            })
            .collect();
        let who = match p.service {
            Some(s) => format!("{}\n{} ({})", s.name, s.legal_entity, s.country),
            None => format!(
                "{}\n{}",
                p.id,
                lang.site_not_in_catalogue(
                    p.named_by
                        .as_ref()
                        .map(|n| (n.owner.name.as_str(), n.file.as_str()))
                )
            ),
        };
        let receives = format!(
            "{}{}",
            p.receives().as_str(),
            if p.collects() { tx.site_records } else { "" }
        );
        let mut seen: Vec<String> = p.sightings.iter().take(2).map(|s| s.describe()).collect();
        if p.sightings.len() > 2 {
            seen.push(lang.site_more(p.sightings.len() - 2, false));
        }
        let mut row = vec![
            Cell::new(who),
            Cell::new(receives),
            Cell::new(hosts.join("\n")),
        ];
        if with_inventory {
            let link = site.link_of(i);
            row.push(Cell::new(match link {
                Some(l) if l.unlisted => lang.site_unlisted(&l.entity),
                Some(l) => l.entity.clone(),
                None => String::new(),
            }));
        }
        row.push(Cell::new(seen.join("\n")));
        t.add_row(row);
    }
    let mut out = t.to_string();
    out.push('\n');
    for p in site.scan.pages.iter().filter(|p| p.problem.is_some()) {
        out.push_str(&lang.site_not_read(&p.url, p.problem.as_deref().unwrap_or("")));
        out.push('\n');
    }
    for (what, list) in [
        (tx.site_mentioned, &site.scan.mentioned),
        (tx.site_permitted, &site.scan.permitted),
    ] {
        // The first sighting of each host, by host.
        let mut first: std::collections::BTreeMap<&str, &crate::site::Sighting> =
            std::collections::BTreeMap::new();
        for s in list.iter() {
            first.entry(s.host.as_str()).or_insert(s);
        }
        let hosts: Vec<&crate::site::Sighting> = first.into_values().collect();
        if hosts.is_empty() {
            continue;
        }
        out.push_str(&lang.site_other(what));
        out.push('\n');
        for s in hosts.iter().take(20) {
            out.push_str(&format!("  {} — {}\n", s.host, s.describe()));
        }
        if hosts.len() > 20 {
            out.push_str(&format!("  {}\n", lang.site_more(hosts.len() - 20, true)));
        }
    }
    out
}
