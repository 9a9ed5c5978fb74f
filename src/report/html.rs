//! `--format html`: one self-contained page for management and inspectors.
//!
//! Inline CSS, no script, no font, no image, no link to anything: opening
//! the report makes no network request (a privacy tool must not leak its
//! readers). The template (`templates/report.html`) is compiled by askama,
//! which escapes every value; nothing here is marked safe, so an entity
//! named `<img src=x onerror=alert(1)>` is shown as those characters.
//! Prints to PDF: a print stylesheet keeps cards and findings whole.

use askama::Template;

use super::history::Changes;
use super::view::View;
use super::words::Message;
use super::{Audit, Lang};
use crate::evaluate::Severity;
use crate::reference::Country;

/// A run of text, shown as code when `code`.
pub struct Seg {
    pub code: bool,
    pub text: String,
}

fn segs(m: &Message) -> Vec<Seg> {
    m.parts()
        .map(|(code, t)| Seg {
            code,
            text: t.into_owned(),
        })
        .collect()
}

pub struct MetaRow {
    pub label: &'static str,
    pub value: String,
}

pub struct Card {
    pub class: &'static str,
    pub count: usize,
    pub label: String,
}

pub struct FindingView {
    pub severity_class: &'static str,
    pub severity: String,
    pub rule: &'static str,
    pub entity: String,
    pub countries: String,
    /// The recipient's jurisdiction, apart from the countries (territory).
    pub recipient: Option<String>,
    pub message: Vec<Seg>,
    pub law: String,
    pub fine: Option<String>,
    pub location: String,
    pub evidence: Vec<String>,
    /// For a waived finding: until when, who, why.
    pub waiver: Option<String>,
}

pub struct Group<'a> {
    pub class: &'static str,
    pub title: String,
    pub findings: Vec<FindingView>,
    /// In a large report: the findings of one rule and countries together.
    pub rules: Vec<RuleGroup<'a>>,
}

/// The findings of one rule in the same countries, their entities listed
/// (collapsed): how a report of 100,000 findings stays readable.
pub struct RuleGroup<'a> {
    pub severity_class: &'static str,
    pub severity: String,
    pub rule: &'static str,
    pub countries: String,
    pub description: &'static str,
    pub law: &'static str,
    pub fine: Option<&'static str>,
    pub summary: String,
    /// Its findings: the template lists their entities and locations as
    /// it writes them.
    pub findings: Vec<&'a crate::evaluate::Finding>,
}

/// Above this many findings, findings are grouped by rule and countries.
const FLAT_FINDINGS_MAX: usize = 200;
/// Above this many entity boxes, the map counts entities per country.
const MAP_NODES_MAX: usize = 48;

pub struct EntityRow {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub pd: String,
    pub countries: String,
    pub abroad: bool,
    pub how: String,
    pub unknown: Vec<String>,
}

pub struct RuleRow {
    pub id: &'static str,
    pub severity_class: &'static str,
    pub severity: String,
    pub count: usize,
    pub description: &'static str,
    pub law: &'static str,
    pub fine: &'static str,
}

pub struct ChangeItem {
    pub severity_class: &'static str,
    pub severity: String,
    pub rule: String,
    pub entity: String,
    pub countries: String,
    pub message: Vec<Seg>,
}

pub struct MovedRow {
    pub id: String,
    pub before: String,
    pub after: String,
}

pub struct ChangesView {
    pub against: String,
    pub when: String,
    pub no_change: bool,
    pub line: String,
    pub new: Vec<ChangeItem>,
    pub resolved: Vec<ChangeItem>,
    pub moved: Vec<MovedRow>,
}

// ---- the map ----

pub struct MapBox {
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
    pub class: &'static str,
    pub title: String,
    pub tag: String,
}

pub struct MapNode {
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
    pub class: &'static str,
    pub label: String,
    pub tip: String,
}

impl MapNode {
    /// A node of the standard size at (x, y).
    fn at(x: i32, y: i32, class: &'static str, label: String, tip: String) -> Self {
        Self {
            x,
            y,
            w: NODE_W,
            h: NODE_H,
            class,
            label,
            tip,
        }
    }
}

pub struct MapArrow {
    pub d: String,
    pub class: &'static str,
    pub tip: String,
}

pub struct Map {
    pub width: i32,
    pub height: i32,
    pub boxes: Vec<MapBox>,
    pub nodes: Vec<MapNode>,
    pub arrows: Vec<MapArrow>,
    pub title: String,
}

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a> {
    t: &'static super::i18n::Text,
    lang: &'static str,
    title: String,
    heading: String,
    failed: bool,
    verdict: String,
    warning: Option<String>,
    meta: Vec<MetaRow>,
    cards: Vec<Card>,
    map: Map,
    changes: Option<ChangesView>,
    groups: Vec<Group<'a>>,
    no_findings: bool,
    /// The heading of the accepted risks, shown apart from the findings
    /// that count (the findings: [`Page::waived_findings`]).
    waived: Option<String>,
    /// "Policy vs reality" (`--policy`): title, column heads, rows.
    policy: Option<PolicyView>,
    /// What the long lists are made from, a row at a time as the page is
    /// written ([`Page::entity_rows`], [`Page::waived_findings`]).
    view: &'a View<'a>,
    /// Storage resources of the Terraform plans and states.
    tf_title: &'static str,
    tf_headers: [&'static str; 5],
    tf_storage: Vec<super::terraform::StorageRow>,
    rules: Vec<RuleRow>,
    footer: &'a str,
}

impl Page<'_> {
    /// The rows of "where the data is", each made as it is written.
    fn entity_rows(&self) -> impl Iterator<Item = EntityRow> + '_ {
        let lang = self.view.lang;
        self.view.entities().map(move |r| EntityRow {
            id: r.entity.id.clone(),
            name: r.entity.name.clone().unwrap_or_default(),
            kind: r.kind,
            pd: r.pd.to_string(),
            countries: lang.country_list(&r.countries),
            abroad: r.abroad,
            how: r.how.join(", "),
            unknown: r.unknown.iter().map(ToString::to_string).collect(),
        })
    }

    /// The waived findings, each made as it is written.
    fn waived_findings(&self) -> impl Iterator<Item = FindingView> + '_ {
        let lang = self.view.lang;
        self.view.waived().map(move |w| {
            let mut v = finding_view(lang, w.row.finding);
            let tx = lang.text();
            v.waiver = w.note.map(|x| {
                format!(
                    "{} {}, {} {}: {} — {}",
                    tx.until,
                    x.expires,
                    tx.approved_by,
                    x.approved_by,
                    x.reason_text(),
                    x.loc
                )
            });
            v
        })
    }
}

fn finding_view(lang: Lang, f: &crate::evaluate::Finding) -> FindingView {
    let m = f.rule.meta();
    FindingView {
        severity_class: sev_class(f.severity),
        severity: lang.severity(f.severity).to_string(),
        rule: f.rule.as_str(),
        entity: f.entity.clone(),
        countries: lang.country_list(&f.countries),
        recipient: f.recipient_country.map(|c| lang.country_list(&[c])),
        message: segs(&lang.message(f)),
        law: lang.law(m).to_string(),
        fine: lang.fine(m).map(str::to_string),
        location: f.location.to_string(),
        evidence: f.evidence.iter().map(ToString::to_string).collect(),
        waiver: None,
    }
}

/// The "Policy vs reality" section of the page.
pub struct PolicyView {
    pub title: &'static str,
    pub heads: [&'static str; 4],
    /// (place, says, verdict, verdict class, sentence).
    pub rows: Vec<(String, String, String, &'static str, String)>,
}

fn policy_view(a: &Audit, lang: Lang) -> Option<PolicyView> {
    if a.policies.is_empty() {
        return None;
    }
    let (title, heads) = (lang.text().policy_title, lang.text().policy_heads);
    let rows = super::policy::rows(a)
        .iter()
        .map(|r| {
            (
                format!("{}:{}", r.policy.source, r.statement.line),
                super::policy::says(&r.statement.claim, lang),
                r.verdict(lang),
                r.status.as_str(),
                r.statement.sentence.clone(),
            )
        })
        .collect();
    Some(PolicyView { title, heads, rows })
}

fn sev_class(s: Severity) -> &'static str {
    match s {
        Severity::Critical => "critical",
        Severity::High => "high",
        Severity::Medium => "medium",
        Severity::Low => "low",
        Severity::Info => "info",
    }
}

/// Truncate a label to `max` characters, with an ellipsis.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max - 1).collect();
        t.push('…');
        t
    }
}

const NODE_W: i32 = 240;
const NODE_H: i32 = 26;
const NODE_GAP: i32 = 8;
const BOX_PAD: i32 = 12;
const BOX_HEAD: i32 = 40;
const BOX_W: i32 = NODE_W + 2 * BOX_PAD;
const MARGIN: i32 = 16;
const LANE: i32 = 190;

/// What a box shows: one entity, or how many entities of a class.
#[derive(Clone, Copy)]
enum Member {
    One(usize),
    Count(&'static str, usize),
}

/// Node classes, worst first.
const CLASSES: [&str; 7] = ["critical", "high", "medium", "low", "info", "ok", "nopd"];

/// What a class of nodes means, for a grouped map.
fn class_label(lang: Lang, class: &str) -> String {
    match class {
        "ok" => lang.text().map_no_finding.to_string(),
        "nopd" => lang.text().map_no_pd.to_string(),
        c => Severity::ALL
            .into_iter()
            .find(|s| sev_class(*s) == c)
            .map_or_else(|| c.to_string(), |s| lang.severity(s).to_string()),
    }
}

/// The findings of one severity, grouped by rule and countries, in rule
/// order, each with its entities.
fn rule_groups<'a>(view: &View<'a>, sev: Severity) -> Vec<RuleGroup<'a>> {
    let lang = view.lang;
    let mut by: std::collections::BTreeMap<
        (&'static str, &'a [Country]),
        Vec<&'a crate::evaluate::Finding>,
    > = std::collections::BTreeMap::new();
    for f in view.audit.findings.iter().filter(|f| f.severity == sev) {
        by.entry((f.rule.as_str(), &f.countries))
            .or_default()
            .push(f);
    }
    by.into_iter()
        .map(|((rule, countries), fs)| {
            let m = fs[0].rule.meta();
            RuleGroup {
                severity_class: sev_class(sev),
                severity: lang.severity(sev).to_string(),
                rule,
                countries: lang.country_list(countries),
                description: lang.description(m),
                law: lang.law(m),
                fine: lang.fine(m),
                summary: lang.entities(fs.len()),
                findings: fs,
            }
        })
        .collect()
}

/// Lay out the map: Russia on the left with the operator and everything
/// kept at home; each other country a box on the right (two columns when
/// there are many), an "unknown" box last; entities placed in each of
/// their countries; transfers and direct collection as arrows.
fn map(view: &View<'_>) -> Map {
    let a = view.audit;
    let lang = view.lang;
    let tx = lang.text();
    let inv = &a.inventory;
    // Which box each entity is drawn in: its countries, or "unknown".
    #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
    enum Place {
        Home,
        Abroad(Country),
        Unknown,
    }
    let mut places: Vec<Place> = vec![Place::Home];
    let per_entity: Vec<Vec<Place>> = a
        .resolved
        .locations
        .iter()
        .map(|l| {
            if l.countries.is_empty() {
                vec![Place::Unknown]
            } else {
                l.countries
                    .iter()
                    .map(|c| {
                        if c.is_ru() {
                            Place::Home
                        } else {
                            Place::Abroad(*c)
                        }
                    })
                    .collect()
            }
        })
        .collect();
    let mut members_of: std::collections::BTreeMap<Place, Vec<usize>> =
        std::collections::BTreeMap::new();
    members_of.insert(Place::Home, Vec::new());
    for (i, ps) in per_entity.iter().enumerate() {
        for p in ps {
            members_of.entry(*p).or_default().push(i);
        }
    }
    places = members_of.keys().copied().collect();
    let has_operator = inv.organization.is_some();
    // Many entities: one node per kind of entity in each box, with a count.
    let grouped = per_entity.iter().map(Vec::len).sum::<usize>() > MAP_NODES_MAX;
    let class_of_entity = |i: usize| {
        let has_pd = a.pd[i].is_some();
        match (has_pd, view.worst(&inv.entities[i].id)) {
            (_, Some(s)) => sev_class(s),
            (true, None) => "ok",
            (false, None) => "nopd",
        }
    };
    // Per place: the node of each entity, or of each class when grouped.
    let members = |p: Place| -> Vec<Member> {
        let ids = members_of.get(&p).map_or(&[][..], Vec::as_slice);
        if !grouped {
            return ids.iter().map(|&i| Member::One(i)).collect();
        }
        let mut by_class: std::collections::BTreeMap<(usize, &'static str), usize> =
            std::collections::BTreeMap::new();
        for &i in ids {
            let class = class_of_entity(i);
            let rank = CLASSES
                .iter()
                .position(|c| *c == class)
                .unwrap_or(CLASSES.len());
            *by_class.entry((rank, class)).or_default() += 1;
        }
        by_class
            .into_iter()
            .map(|((_, class), n)| Member::Count(class, n))
            .collect()
    };
    let box_height = |n: usize| BOX_HEAD + (n as i32) * (NODE_H + NODE_GAP) - NODE_GAP + BOX_PAD;
    let others: Vec<Place> = places
        .iter()
        .copied()
        .filter(|p| *p != Place::Home)
        .collect();
    let columns = if others.len() > 4 { 2 } else { 1 };
    let col_x = |c: usize| MARGIN + BOX_W + LANE + (c as i32) * (BOX_W + 40);
    let mut col_y = vec![MARGIN; columns];
    let mut boxes = Vec::new();
    let mut nodes = Vec::new();
    // (entity index, place) → node centre-left/right anchor.
    // Per entity: (place, x_left, x_right, y_mid) of each of its nodes.
    let mut anchors: Vec<Vec<(Place, i32, i32, i32)>> = vec![Vec::new(); inv.entities.len()];
    // When grouped: (place, class) → its node's anchor.
    let mut group_anchor: std::collections::HashMap<(Place, &'static str), (i32, i32, i32)> =
        std::collections::HashMap::new();
    let mut operator_anchor: Option<(i32, i32)> = None;
    let mut layout_box =
        |p: Place, x: i32, y: i32, boxes: &mut Vec<MapBox>, nodes: &mut Vec<MapNode>| -> i32 {
            let ids = members(p);
            let extra = usize::from(p == Place::Home && has_operator);
            let h = box_height((ids.len() + extra).max(1));
            let (class, title, tag) = match p {
                Place::Home => (
                    "home",
                    lang.country(crate::reference::country::RU),
                    tx.tag_home.to_string(),
                ),
                Place::Abroad(c) => {
                    let adequate = a.adequacy.is_adequate(c);
                    (
                        if adequate { "abroad" } else { "nonadequate" },
                        lang.country(c),
                        if adequate {
                            tx.tag_abroad.to_string()
                        } else {
                            tx.tag_nonadequate.to_string()
                        },
                    )
                }
                Place::Unknown => (
                    "unknown",
                    tx.unknown.to_string(),
                    tx.tag_unknown.to_string(),
                ),
            };
            boxes.push(MapBox {
                x,
                y,
                w: BOX_W,
                h,
                class,
                title: clip(&title, 30),
                tag: clip(&tag, 42),
            });
            let mut ny = y + BOX_HEAD;
            if p == Place::Home
                && let Some(org) = &inv.organization
            {
                nodes.push(MapNode {
                    x: x + BOX_PAD,
                    y: ny,
                    w: NODE_W,
                    h: NODE_H,
                    class: "operator",
                    label: clip(&format!("{}: {}", tx.map_operator, org.name), 28),
                    tip: format!("{}: {}", tx.operator, org.name),
                });
                operator_anchor = Some((x + BOX_PAD + NODE_W, ny + NODE_H / 2));
                ny += NODE_H + NODE_GAP;
            }
            for m in ids {
                let i = match m {
                    Member::One(i) => i,
                    Member::Count(class, n) => {
                        let label = format!("{n} × {}", class_label(lang, class));
                        nodes.push(MapNode::at(
                            x + BOX_PAD,
                            ny,
                            class,
                            clip(&label, 32),
                            format!("{} — {}", lang.entities(n), class_label(lang, class)),
                        ));
                        group_anchor.insert(
                            (p, class),
                            (x + BOX_PAD, x + BOX_PAD + NODE_W, ny + NODE_H / 2),
                        );
                        ny += NODE_H + NODE_GAP;
                        continue;
                    }
                };
                let e = &inv.entities[i];
                let class = class_of_entity(i);
                let mut tip = format!("{} — {}", e.id, lang.kind_role(e.kind(), e.role()));
                if let Some(n) = &e.name {
                    tip.push_str(&format!(" — {n}"));
                }
                if let Some(pd) = &a.pd[i] {
                    tip.push_str(&format!(" — {}", lang.pd_describe(pd)));
                }
                nodes.push(MapNode::at(x + BOX_PAD, ny, class, clip(&e.id, 32), tip));
                anchors[i].push((p, x + BOX_PAD, x + BOX_PAD + NODE_W, ny + NODE_H / 2));
                ny += NODE_H + NODE_GAP;
            }
            h
        };
    let home_h = layout_box(Place::Home, MARGIN, MARGIN, &mut boxes, &mut nodes);
    for p in others {
        let c = (0..columns).min_by_key(|c| col_y[*c]).unwrap_or(0);
        let h = layout_box(p, col_x(c), col_y[c], &mut boxes, &mut nodes);
        col_y[c] += h + 20;
    }
    // Room on the right for arrows that loop between boxes of a column.
    let width = col_x(columns - 1) + BOX_W + MARGIN + 60;
    let height =
        (MARGIN + home_h + MARGIN).max(col_y.iter().copied().max().unwrap_or(0) - 20 + MARGIN);

    let mut arrows = Vec::new();
    let index = |id: &str| inv.position(id);
    // The nodes an entity is drawn as: its own, or its class's in each box.
    let nodes_of = |i: usize| -> Vec<(Place, i32, i32, i32)> {
        if grouped {
            let class = class_of_entity(i);
            per_entity[i]
                .iter()
                .filter_map(|p| {
                    group_anchor
                        .get(&(*p, class))
                        .map(|&(l, r, y)| (*p, l, r, y))
                })
                .collect()
        } else {
            anchors[i].clone()
        }
    };
    let mut drawn: std::collections::HashSet<(i32, i32, i32, i32)> =
        std::collections::HashSet::new();
    let class_of = |p: Place| match p {
        Place::Home => "local",
        Place::Abroad(c) if a.adequacy.is_adequate(c) => "cross",
        Place::Abroad(_) => "danger",
        Place::Unknown => "unknownflow",
    };
    for t in &inv.transfers {
        let (Some(from), Some(to)) = (index(&t.from), index(&t.to)) else {
            continue;
        };
        let tip = match &t.purpose {
            Some(p) => format!("{} → {}: {p}", t.from, t.to),
            None => format!("{} → {}", t.from, t.to),
        };
        for (pf, fl, fr, fy) in nodes_of(from) {
            for (pt, tl, tr, ty) in nodes_of(to) {
                if grouped && !drawn.insert((fl, fy, tl, ty)) {
                    continue;
                }
                let d = if fl == tl {
                    // Same column: loop out to the right of the box.
                    let bulge = fr + BOX_PAD + 12 + (ty - fy).abs() / 8;
                    format!("M{fr},{fy} C{bulge},{fy} {bulge},{ty} {},{ty}", tr + 4)
                } else if fl < tl {
                    let mid = (fr + tl) / 2;
                    format!("M{fr},{fy} C{mid},{fy} {mid},{ty} {},{ty}", tl - 4)
                } else {
                    let mid = (fl + tr) / 2;
                    format!("M{fl},{fy} C{mid},{fy} {mid},{ty} {},{ty}", tr + 4)
                };
                let class = if pf == pt && pt == Place::Home {
                    "local"
                } else {
                    class_of(pt)
                };
                arrows.push(MapArrow {
                    d,
                    class,
                    tip: tip.clone(),
                });
            }
        }
    }
    if let Some((ox, oy)) = operator_anchor {
        for (i, e) in inv.entities.iter().enumerate() {
            if !e.collects_from_subjects() {
                continue;
            }
            for (p, l, r, y) in nodes_of(i) {
                if grouped && !drawn.insert((ox, oy, l, y)) {
                    continue;
                }
                let d = if p == Place::Home {
                    let bulge = ox + BOX_PAD + 12 + (y - oy).abs() / 8;
                    format!("M{ox},{oy} C{bulge},{oy} {bulge},{y} {},{y}", r + 4)
                } else {
                    let mid = (ox + l) / 2;
                    format!("M{ox},{oy} C{mid},{oy} {mid},{y} {},{y}", l - 4)
                };
                arrows.push(MapArrow {
                    d,
                    class: if p == Place::Home {
                        "collect"
                    } else {
                        "collect danger"
                    },
                    tip: format!("{} → {}", tx.map_collects, e.id),
                });
            }
        }
    }
    Map {
        width,
        height,
        boxes,
        nodes,
        arrows,
        title: tx.where_data_goes.to_string(),
    }
}

fn changes_view(lang: Lang, c: &Changes) -> ChangesView {
    let tx = lang.text();
    let item = |i: &super::history::Item| {
        let sev = i.severity.parse::<Severity>().ok();
        ChangeItem {
            severity_class: sev.map_or("info", sev_class),
            severity: sev.map_or(i.severity.clone(), |s| lang.severity(s).to_string()),
            rule: i.key.rule.clone(),
            entity: i.key.entity.clone(),
            countries: if i.key.countries.is_empty() {
                tx.unknown.to_string()
            } else {
                i.key.countries.join(", ")
            },
            message: segs(&Message::from_plain(lang.stored(&i.message, &i.message_ru))),
        }
    };
    let show = |v: &Option<Vec<String>>| match v {
        None => "—".to_string(),
        Some(v) if v.is_empty() => tx.unknown.to_string(),
        Some(v) => v.join(", "),
    };
    ChangesView {
        against: c.against.clone(),
        when: c.against_generated_at.clone(),
        no_change: c.no_change,
        line: c.one_line(lang),
        new: c.new.iter().map(item).collect(),
        resolved: c.resolved.iter().map(item).collect(),
        moved: c
            .entities_changed
            .iter()
            .map(|m| MovedRow {
                id: m.id.clone(),
                before: show(&m.before),
                after: show(&m.after),
            })
            .collect(),
    }
}

/// The HTML report; `changes` adds the comparison with an earlier run.
pub fn render(a: &Audit, lang: Lang, changes: Option<&Changes>) -> String {
    let mut out = Vec::new();
    match write(a, lang, changes, &mut out) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(e) => format!("<!doctype html><title>error</title><p>{e}</p>\n"),
    }
}

/// Write the HTML report to `w`, the long lists a row at a time.
pub fn write(
    a: &Audit,
    lang: Lang,
    changes: Option<&Changes>,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let tx = lang.text();
    let inv = &a.inventory;
    let s = &a.summary;
    let view = View::new(a, lang);
    let verdict = view.verdict.clone();
    let mut meta = Vec::new();
    if let Some(org) = &inv.organization {
        meta.push(MetaRow {
            label: tx.operator,
            value: format!("{} ({})", org.name, lang.country_name(org.country)),
        });
    }
    meta.push(MetaRow {
        label: tx.inventory,
        value: format!(
            "{} ({} {} {})",
            a.target,
            lang.entities(inv.entities.len()),
            tx.in_files,
            lang.files(inv.files.len())
        ),
    });
    meta.push(MetaRow {
        label: tx.generated,
        value: a.generated_at.clone(),
    });
    meta.push(MetaRow {
        label: tx.tool,
        value: format!("residency {}", env!("CARGO_PKG_VERSION")),
    });
    meta.push(MetaRow {
        label: tx.geoip,
        value: format!(
            "{} ({}){}",
            a.resolved.geoip_source,
            a.resolved.geoip_build_date,
            if a.geoip_stale {
                format!(" — {}", tx.geoip_old)
            } else {
                String::new()
            }
        ),
    });
    meta.push(MetaRow {
        label: tx.adequacy,
        value: format!(
            "{} ({} {})",
            lang.stored(&a.adequacy.list, &a.adequacy.list_ru),
            a.adequacy.len(),
            tx.states
        ),
    });
    meta.push(MetaRow {
        label: tx.dns,
        value: if a.resolved.offline {
            tx.offline.to_string()
        } else {
            lang.dns_stats(a.resolved.stats.names, a.resolved.stats.failed)
        },
    });

    let mut cards: Vec<Card> = a
        .severity_counts()
        .into_iter()
        .map(|(sev, n)| Card {
            class: sev_class(sev),
            count: n,
            label: lang.severity_group(sev).to_lowercase(),
        })
        .collect();
    cards.push(Card {
        class: "neutral",
        count: inv.entities.len(),
        label: tx.entities_card.to_string(),
    });
    cards.push(Card {
        class: "neutral",
        count: a.countries_abroad().len(),
        label: tx.abroad_card.to_string(),
    });

    let flat = a.findings.len() <= FLAT_FINDINGS_MAX;
    let groups = Severity::ALL
        .iter()
        .filter_map(|sev| {
            let n = a.summary.count(*sev);
            if n == 0 {
                return None;
            }
            let (findings, rules) = if flat {
                (
                    a.findings
                        .iter()
                        .filter(|f| f.severity == *sev)
                        .map(|f| finding_view(lang, f))
                        .collect(),
                    Vec::new(),
                )
            } else {
                (Vec::new(), rule_groups(&view, *sev))
            };
            Some(Group {
                class: sev_class(*sev),
                title: format!("{} ({n})", lang.severity_group(*sev)),
                findings,
                rules,
            })
        })
        .collect();
    let waived = (!a.waived.is_empty()).then(|| format!("{} ({})", tx.waived_html, a.waived.len()));

    let rules = view
        .rules()
        .map(|r| RuleRow {
            id: r.meta.id,
            severity_class: sev_class(r.meta.severity),
            severity: lang.severity(r.meta.severity).to_string(),
            count: r.count,
            description: r.description,
            law: r.law,
            fine: r.fine,
        })
        .collect();

    let heading = match a.organization() {
        Some(org) => format!("{}: {org}", tx.title),
        None => tx.title.to_string(),
    };
    let page = Page {
        t: tx,
        lang: lang.code(),
        title: format!("{heading} — {}", a.generated_at),
        heading,
        failed: s.failed,
        verdict,
        warning: a.dns_warning_in(lang),
        meta,
        cards,
        map: map(&view),
        changes: changes.map(|c| changes_view(lang, c)),
        groups,
        no_findings: a.findings.is_empty(),
        waived,
        policy: policy_view(a, lang),
        view: &view,
        tf_title: super::terraform::title(lang),
        tf_headers: super::terraform::headers(lang),
        tf_storage: a
            .resolved
            .terraform
            .as_ref()
            .map(|tf| super::terraform::storage_rows(tf, lang))
            .unwrap_or_default(),
        rules,
        footer: tx.attribution,
    };
    let mut w = LastByte {
        inner: w,
        last: None,
    };
    page.write_into(&mut w)?;
    if w.last != Some(b'\n') {
        w.inner.write_all(b"\n")?;
    }
    Ok(())
}

/// A writer that remembers the last byte written through it.
struct LastByte<'w> {
    inner: &'w mut dyn std::io::Write,
    last: Option<u8>,
}

impl std::io::Write for LastByte<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        if n > 0 {
            self.last = Some(buf[n - 1]);
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
