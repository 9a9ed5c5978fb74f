//! `residency init`: a starting inventory from what already exists — the
//! storage of Terraform plans or states, the third parties of the web
//! site, a list of database hosts or DSNs — with the organisation block to
//! fill in. Every file is schema-annotated and says in comments what to
//! check and fill; the result validates, so `residency check` runs on it
//! at once.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::{Failure, io, usage};
use crate::inventory::endpoint::{self, Endpoint, Host};
use crate::inventory::{Diagnostic, Inventory};
use crate::resolve::{self, HostResolution};
use crate::terraform::{self, Action, Resource};

#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// A Terraform plan or state as JSON (`terraform show -json PLANFILE`,
    /// or `terraform show -json` for the state); may be given several
    /// times. Each storage resource becomes a database entry.
    #[arg(long, value_name = "PLAN_OR_STATE.json")]
    pub terraform: Vec<PathBuf>,

    /// The web site (start URL; may be given more than once): each third
    /// party its pages load becomes a processor or partner entry.
    #[arg(long, value_name = "URL")]
    pub site: Vec<String>,

    /// A file of database hosts, one per line: host names, IP addresses,
    /// host:port or URLs/DSNs (`#` starts a comment). Each becomes a
    /// database entry, resolved and placed, with the evidence as comments;
    /// credentials are never written.
    #[arg(long, value_name = "FILE")]
    pub hosts: Option<PathBuf>,

    /// The directory to write the inventory to (created if missing; no
    /// existing file is ever overwritten).
    #[arg(long, value_name = "DIR", default_value = "inventory/")]
    pub out: PathBuf,

    /// Do not resolve the hosts and the site's third parties.
    #[arg(long, conflicts_with = "dns")]
    pub offline: bool,

    #[command(flatten)]
    pub crawl: super::SiteArgs,

    #[command(flatten)]
    pub lookup: super::lookup::LookupArgs,
}

/// The schema reference every written file starts with.
const SCHEMA_LINE: &str = "# yaml-language-server: $schema=./schema.json\n";

pub(super) fn init(args: &InitArgs) -> Result<ExitCode, Failure> {
    let epoch = crate::util::report_epoch().map_err(usage)?;
    let today = crate::util::rfc3339(epoch);
    let today = today.get(..10).unwrap_or(&today).to_string();
    // Read every input first: nothing is written when one is bad.
    let mut bad: Vec<Diagnostic> = Vec::new();
    let mut plans = Vec::new();
    for p in &args.terraform {
        match terraform::load(p) {
            Ok(plan) => plans.push(plan),
            Err(d) => bad.push(d),
        }
    }
    let host_lines = match &args.hosts {
        Some(f) => match read_hosts(f) {
            Ok(lines) => lines,
            Err(mut d) => {
                bad.append(&mut d);
                Vec::new()
            }
        },
        None => Vec::new(),
    };
    if !bad.is_empty() {
        return Err(super::problems_then(
            &bad,
            "in the inputs",
            "nothing was written",
        ));
    }

    let mut files: Vec<(&str, String)> = vec![("operator.yaml", operator(&today))];
    let mut ids = IdSet::default();
    let mut databases = String::new();
    for plan in &plans {
        databases.push_str(&from_plan(plan, &mut ids));
    }
    let needs_runtime = !host_lines.is_empty() || !args.site.is_empty();
    let runtime = if needs_runtime {
        Some(super::lookup::runtime(
            args.offline && args.site.is_empty(),
        )?)
    } else {
        None
    };
    let geo = if needs_runtime {
        Some(args.lookup.geoip()?)
    } else {
        None
    };
    let opts = args.lookup.options(args.offline);
    if let (Some(rt), Some(geo)) = (&runtime, &geo)
        && !host_lines.is_empty()
    {
        let hosts: Vec<Host> = host_lines
            .iter()
            .flat_map(|(_, eps)| eps.iter().map(|e| e.host.clone()))
            .collect();
        let (placed, _) = rt
            .block_on(resolve::resolve_hosts(&hosts, &[], &opts, geo))
            .map_err(io)?;
        databases.push_str(&from_hosts(&host_lines, &placed, args.offline, &mut ids));
    }
    files.push(("databases.yaml", databases_file(&databases, &today)));
    if let (Some(rt), Some(geo)) = (&runtime, &geo)
        && !args.site.is_empty()
    {
        let scan = super::site::read_site(rt, &args.site, &args.crawl)?;
        let mut inv = Inventory::default();
        let site = crate::site::merge(&mut inv, scan);
        let resolved = rt
            .block_on(resolve::resolve(&inv, &opts, geo, &|_, _| {}))
            .map_err(io)?;
        let generated_at = crate::util::rfc3339(epoch);
        let yaml = crate::report::suggest::yaml(&site, &inv, &resolved, &generated_at);
        let (yaml, unplaced) = comment_out_unknown_countries(&yaml);
        if unplaced > 0 {
            super::note(&format!(
                "note: {unplaced} third part{} of the site could not be placed: {} commented out in third-parties.yaml \
                 until you write the legal entity's country; `residency check --site URL` reports {} as unlisted meanwhile",
                if unplaced == 1 { "y" } else { "ies" },
                if unplaced == 1 { "it is" } else { "they are" },
                if unplaced == 1 { "it" } else { "them" },
            ));
        }
        files.push(("third-parties.yaml", format!("{SCHEMA_LINE}{yaml}")));
    }
    files.push(("schema.json", crate::inventory::raw::schema_json()));
    write_all(&args.out, &files)?;
    // The check to run next: with the same plans and site, so that their
    // regions and third parties count.
    let mut next = format!(
        "residency check {}",
        shell_word(&args.out.display().to_string())
    );
    for p in &args.terraform {
        next.push_str(&format!(
            " --terraform {}",
            shell_word(&p.display().to_string())
        ));
    }
    for u in &args.site {
        next.push_str(&format!(" --site {}", shell_word(u)));
    }
    super::note(&format!(
        "wrote {} files to {}: {}\nnext: fill in the FIXMEs (`grep -rn FIXME {}`), then run `{next}`",
        files.len(),
        args.out.display(),
        files.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", "),
        shell_word(&args.out.display().to_string()),
    ));
    Ok(ExitCode::SUCCESS)
}

/// A word as a POSIX shell reads it: quoted unless plainly safe; control
/// characters dropped, as this goes to a terminal.
fn shell_word(s: &str) -> String {
    let s: String = s.chars().filter(|c| !c.is_control()).collect();
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-:=@%+,".contains(c))
    {
        s
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// The suggested entries whose country is unknown (`country: XX`, which
/// does not validate), commented out with a FIXME, so that the file
/// validates; and how many there were. A section left with no entry is
/// commented out too.
fn comment_out_unknown_countries(yaml: &str) -> (String, usize) {
    let lines: Vec<&str> = yaml.lines().collect();
    // Entries: from their leading comments to the line before the next
    // entry's comments, the next section or the end.
    let mut out: Vec<String> = Vec::with_capacity(lines.len() + 4);
    let mut count = 0;
    let mut i = 0;
    while i < lines.len() {
        let is_entry_start = |l: &str| l.starts_with("  - id:") || l.starts_with("  #");
        if !is_entry_start(lines[i]) {
            out.push(lines[i].to_string());
            i += 1;
            continue;
        }
        let start = i;
        while i < lines.len() && lines[i].starts_with("  #") {
            i += 1;
        }
        if i < lines.len() && lines[i].starts_with("  - id:") {
            i += 1;
        }
        while i < lines.len() && lines[i].starts_with("    ") {
            i += 1;
        }
        let entry = &lines[start..i];
        if entry.iter().any(|l| l.starts_with("    country: XX")) {
            count += 1;
            out.push(
                "  # FIXME: write the country of its legal entity in place of XX, then uncomment:"
                    .into(),
            );
            out.extend(entry.iter().map(|l| format!("# {l}")));
        } else {
            out.extend(entry.iter().map(|l| l.to_string()));
        }
    }
    // A section whose entries are all commented out would be `null`.
    let mut result: Vec<String> = Vec::with_capacity(out.len());
    for (n, l) in out.iter().enumerate() {
        let section = !l.starts_with([' ', '#']) && l.ends_with(':') && !l.is_empty();
        let empty = section
            && !out[n + 1..]
                .iter()
                .take_while(|x| x.is_empty() || x.starts_with([' ', '#']))
                .any(|x| x.starts_with("  - "));
        result.push(if empty { format!("# {l}") } else { l.clone() });
    }
    let mut text = result.join("\n");
    text.push('\n');
    (text, count)
}

/// The entries of a hosts file with their line numbers; every bad line is
/// a problem.
fn read_hosts(path: &Path) -> Result<Vec<(u32, Vec<Endpoint>)>, Vec<Diagnostic>> {
    let shown = path.display().to_string();
    let d = |line: Option<u32>, message: String| Diagnostic {
        file: Some(shown.clone()),
        pos: line.map(|line| crate::inventory::yaml::Pos { line, column: 1 }),
        message,
        hint: None,
        related: None,
    };
    let bytes = crate::diag::read_limited(path, 16 << 20).map_err(|e| {
        vec![d(
            None,
            match e {
                crate::diag::ReadError::TooLarge { .. } => "larger than 16 MiB".into(),
                e => e.to_string(),
            },
        )]
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let pos = crate::inventory::byte_pos(e.as_bytes(), e.utf8_error().valid_up_to());
        vec![Diagnostic {
            file: Some(shown.clone()),
            pos: Some(pos),
            message: "not UTF-8 text".into(),
            hint: None,
            related: None,
        }]
    })?;
    parse_hosts(&shown, &text)
}

/// The entries of a hosts file's text (see [`read_hosts`]).
fn parse_hosts(shown: &str, text: &str) -> Result<Vec<(u32, Vec<Endpoint>)>, Vec<Diagnostic>> {
    let d = |line: u32, message: String| Diagnostic {
        file: Some(shown.to_string()),
        pos: Some(crate::inventory::yaml::Pos { line, column: 1 }),
        message,
        hint: None,
        related: None,
    };
    let mut out = Vec::new();
    let mut bad = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        // `#` starts a comment, but not inside a URL (`…/db#frag` is rare;
        // a comment needs a space or the line start before it).
        let entry = match line
            .find(" #")
            .or_else(|| line.starts_with('#').then_some(0))
        {
            Some(c) => &line[..c],
            None => line,
        }
        .trim();
        if entry.is_empty() {
            continue;
        }
        match endpoint::parse(entry) {
            Ok(eps) if !eps.is_empty() => out.push((n, eps)),
            Ok(_) => bad.push(d(n, "no host in this entry".into())),
            Err(e) => bad.push(d(n, format!("invalid host: {e}"))),
        }
    }
    if bad.is_empty() { Ok(out) } else { Err(bad) }
}

/// Entity ids already taken, to keep generated ones unique.
#[derive(Default)]
struct IdSet(std::collections::BTreeSet<String>);

impl IdSet {
    /// A valid, unused id made of `parts` (`[a-z0-9][a-z0-9._-]*`).
    fn take(&mut self, parts: &[&str]) -> String {
        let mut base: String = parts
            .iter()
            .map(|p| slug(p))
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        if base.is_empty() {
            base = "db".into();
        }
        let mut id = base.clone();
        let mut n = 2;
        while !self.0.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }
}

/// Lower-case ASCII letters and digits, other runs as one `-`.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').chars().take(60).collect()
}

/// A YAML double-quoted scalar.
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// A comment's text: no line break can end it early.
fn comment(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn operator(today: &str) -> String {
    format!(
        "{SCHEMA_LINE}#
# Written by `residency init` on {today}. Fill in every FIXME, then run
# `residency check` on this directory. The files of the directory are
# merged: this one says who the operator is and what it has declared; the
# others what it really runs.
version: 1

organization:
  name: \"FIXME: the operator's legal name\"  # as in the Roskomnadzor register of operators
  country: RU                                # the operator's jurisdiction

# What the operator has told Roskomnadzor (the notifications of 152-FZ
# art. 22 and art. 12) and its users (the privacy policy). Findings compare
# what runs against this: start from what the documents really say.
declarations:
  third_parties: []           # ids of the processors and partners named there
  cross_border_countries: []  # countries named in the art. 12 notification

# Address space GeoIP cannot place (RFC 1918, CGNAT, your own data centres):
# say where each private network is, or its hosts stay unknown.
# networks:
#   - cidr: 10.0.0.0/8
#     country: RU
#     site: FIXME data centre
"
    )
}

fn databases_file(entries: &str, today: &str) -> String {
    let mut s = format!(
        "{SCHEMA_LINE}#
# Written by `residency init` on {today}. For each database check the FIXMEs:
# its role (primary | replica | backup | cache | analytics | archive | log),
# what personal data it holds (remove `personal_data` only where it holds
# none), and `operated_by` (the id of the processor that hosts it).
version: 1
"
    );
    if entries.is_empty() {
        s.push_str(
            "\n# No database yet: `residency init --terraform PLAN.json` or `--hosts FILE`\n\
             # lists them, or write them by hand:\n\
             # databases:\n\
             #   - id: accounts-db\n\
             #     role: primary\n\
             #     hosts: [pg-accounts.example.ru]\n\
             #     personal_data: {categories: [full_name, phone]}\n",
        );
    } else {
        s.push_str("\ndatabases:\n");
        s.push_str(entries);
    }
    s
}

const PD_FIXME: &str = "    personal_data:  # FIXME: the categories it holds; remove the block only if it holds none\n      categories: []\n";

/// Database entries for the storage resources of a plan or state.
fn from_plan(plan: &terraform::Plan, ids: &mut IdSet) -> String {
    let mut out = String::new();
    for r in &plan.resources {
        let Some(storage) = r.storage else { continue };
        if r.action == Action::Delete {
            continue;
        }
        // `module.logs.aws_s3_bucket.main["eu"]` → logs-main-eu.
        let mut parts: Vec<&str> = Vec::new();
        for m in &r.parsed.modules {
            parts.push(&m.name);
            parts.extend(m.key.as_deref());
        }
        match &r.parsed.resource {
            Some(p) => {
                parts.push(&p.name);
                parts.extend(p.key.as_deref());
            }
            None => parts.push(&r.address),
        }
        let id = match r.residency_id.as_deref() {
            Some(tag) if slug(tag) == tag => ids.take(&[tag]),
            _ => ids.take(&parts),
        };
        let _ = writeln!(
            out,
            "\n  # {} `{}` ({}:{}:{}), {}.",
            comment(storage.kind),
            comment(&r.address),
            comment(&r.loc.file),
            r.loc.line,
            r.loc.column,
            action_words(r)
        );
        place_comments(&mut out, r);
        let _ = writeln!(out, "  - id: {}", q(&id));
        let _ = writeln!(
            out,
            "    name: {}",
            q(&format!("{} {}", storage.kind, r.address))
        );
        let _ = writeln!(
            out,
            "    role: {}  # FIXME: check the role",
            role_of(&r.rtype, storage.kind)
        );
        let _ = writeln!(out, "    engine: {}", q(&r.rtype));
        match r.places.as_slice() {
            [p, ..] if r.unknown.is_empty() => {
                let _ = writeln!(
                    out,
                    "    location: {{cloud: {}, region: {}}}",
                    p.cloud, p.region
                );
            }
            _ => {
                let _ = writeln!(
                    out,
                    "    # location: FIXME the plan does not say where it is: {{cloud: …, region: …}} or {{country: …}}"
                );
            }
        }
        let _ = writeln!(out, "    terraform: [{}]", q(&r.address));
        if r.personal_data == Some(false) {
            let _ = writeln!(
                out,
                "    # personal_data: its `{}` tag says it holds none",
                terraform::TAG_PD
            );
        } else {
            out.push_str(PD_FIXME);
        }
    }
    out
}

/// The role a resource type suggests; `primary` when nothing does (fail
/// closed: a primary outside Russia is the gravest case).
fn role_of(rtype: &str, kind: &str) -> &'static str {
    let t = format!("{rtype} {kind}").to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    if has(&["backup", "snapshot", "recovery"]) {
        "backup"
    } else if has(&["replica"]) {
        "replica"
    } else if has(&["elasticache", "redis", "memcache", "valkey", "cache"]) {
        "cache"
    } else if has(&[
        "bigquery",
        "redshift",
        "clickhouse",
        "warehouse",
        "analytics",
        "datalake",
    ]) {
        "analytics"
    } else if has(&["glacier", "archive"]) {
        "archive"
    } else if has(&["log_group", "logging", "log bucket", "log group"]) {
        "log"
    } else {
        "primary"
    }
}

fn action_words(r: &Resource) -> &'static str {
    match r.action {
        Action::Create => "to be created",
        Action::Update => "to be updated",
        Action::Replace => "to be replaced",
        Action::NoOp | Action::Delete => "as it is",
        Action::InState => "deployed",
    }
}

fn place_comments(out: &mut String, r: &Resource) {
    for p in &r.places {
        let _ = writeln!(
            out,
            "  # Where: {} {} = {} (from {})",
            p.cloud,
            p.region,
            p.country,
            comment(&p.via)
        );
    }
    for u in &r.unknown {
        let _ = writeln!(out, "  # Unknown: {}", comment(u));
    }
}

/// Database entries for the hosts file, each with where its hosts were
/// placed.
fn from_hosts(
    lines: &[(u32, Vec<Endpoint>)],
    placed: &[HostResolution],
    offline: bool,
    ids: &mut IdSet,
) -> String {
    let mut out = String::new();
    for (line, eps) in lines {
        let first = &eps[0];
        let written = first.display();
        let label = match &first.host {
            Host::Name(n) => n.split('.').next().unwrap_or(n).to_string(),
            Host::Ip(ip) => ip.to_string(),
        };
        let id = ids.take(&[&label]);
        let _ = writeln!(
            out,
            "\n  # From the hosts file, line {line}: {}",
            comment(&written)
        );
        let mut countries = std::collections::BTreeSet::new();
        let mut private = false;
        for ep in eps {
            let Some(p) = placed.iter().find(|p| p.host == ep.host) else {
                continue;
            };
            if offline && matches!(ep.host, Host::Name(_)) {
                let _ = writeln!(out, "  # {}: not resolved (--offline)", ep.host);
                continue;
            }
            for a in &p.addresses {
                let chain = if p.chain.len() > 1 {
                    format!("{} -> ", comment(&p.chain.join(" -> ")))
                } else if matches!(ep.host, Host::Name(_)) {
                    format!("{} -> ", ep.host)
                } else {
                    String::new()
                };
                let at = a.country.map_or("??".to_string(), |c| c.to_string());
                let _ = writeln!(
                    out,
                    "  # {chain}{} -> {at} ({})",
                    a.ip,
                    comment(&a.source.to_string())
                );
                match a.country {
                    Some(c) => {
                        countries.insert(c);
                    }
                    None => private = true,
                }
            }
            if let Some(e) = &p.error {
                let _ = writeln!(out, "  # {}: unknown: {}", ep.host, comment(&e.to_string()));
            }
        }
        if private {
            let _ = writeln!(
                out,
                "  # FIXME: an address no database places: add its network to `networks:` in operator.yaml"
            );
        }
        if countries.iter().any(|c| !c.is_ru()) {
            let _ = writeln!(
                out,
                "  # Outside Russia: {}",
                countries
                    .iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        let _ = writeln!(out, "  - id: {}", q(&id));
        let _ = writeln!(out, "    role: primary  # FIXME: check the role");
        if let Some(engine) = engine_of(&written) {
            let _ = writeln!(out, "    engine: {engine}");
        }
        let hosts: Vec<String> = eps.iter().map(|e| q(&host_port(e))).collect();
        let _ = writeln!(out, "    hosts: [{}]", hosts.join(", "));
        out.push_str(PD_FIXME);
    }
    out
}

/// `host`, `host:port` or `[v6]:port`: never the credentials of a DSN.
fn host_port(e: &Endpoint) -> String {
    match (&e.host, e.port) {
        (h, None) => h.to_string(),
        (Host::Ip(std::net::IpAddr::V6(ip)), Some(p)) => format!("[{ip}]:{p}"),
        (h, Some(p)) => format!("{h}:{p}"),
    }
}

/// The engine a DSN's scheme names.
fn engine_of(written: &str) -> Option<&'static str> {
    let scheme = written.split_once("://")?.0.to_ascii_lowercase();
    let scheme = scheme.strip_prefix("jdbc:").unwrap_or(&scheme);
    Some(match scheme {
        "postgres" | "postgresql" => "postgresql",
        "mysql" | "mariadb" => "mysql",
        "mongodb" | "mongodb+srv" => "mongodb",
        "redis" | "rediss" => "redis",
        "clickhouse" => "clickhouse",
        "amqp" | "amqps" => "rabbitmq",
        "sqlserver" => "sqlserver",
        _ => return None,
    })
}

/// Write every file into `dir`, or none: an existing file is never
/// overwritten.
fn write_all(dir: &Path, files: &[(&str, String)]) -> Result<(), Failure> {
    let taken: Vec<String> = files
        .iter()
        .map(|(n, _)| dir.join(n))
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .collect();
    if !taken.is_empty() {
        return Err(usage(format!(
            "{} exist{} already; `residency init` never overwrites a file\n  \
             = help: choose another directory with --out DIR, or move the files away",
            taken.join(", "),
            if taken.len() == 1 { "s" } else { "" }
        )));
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| io(format!("cannot create {}: {e}", dir.display())))?;
    for (name, text) in files {
        let path = dir.join(name);
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| io(format!("cannot create {}: {e}", path.display())))?;
        f.write_all(text.as_bytes())
            .and_then(|()| f.flush())
            .map_err(|e| io(format!("cannot write {}: {e}", path.display())))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_lines_comments_and_errors() {
        let text =
            "# databases\n\npg.example.ru  # main\npostgres://u:pw@10.0.0.5:5432/db\nnot a host!\n";
        let err = parse_hosts("h.txt", text).unwrap_err();
        assert_eq!(err.len(), 1);
        assert!(
            err[0].to_string().starts_with("h.txt:5:1: invalid host"),
            "{}",
            err[0]
        );
        let ok = parse_hosts(
            "h.txt",
            "pg.example.ru  # main\npostgres://u:pw@10.0.0.5:5432/db\n",
        )
        .unwrap();
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[0].0, 1);
        assert_eq!(host_port(&ok[1].1[0]), "10.0.0.5:5432");
        assert_eq!(engine_of(&ok[1].1[0].display()), Some("postgresql"));
    }

    #[test]
    fn hostile_hosts_text_never_panics() {
        let text = "a\u{0}b\n[::1\n\u{202e}x.ru\n#\n  #  \nhttp://[\n::::\nx\u{1b}[31m\n\u{10ffff}";
        for (i, _) in text.char_indices() {
            let _ = parse_hosts("h", &text[..i]);
        }
    }

    #[test]
    fn roles_from_resource_types() {
        assert_eq!(
            role_of("aws_elasticache_cluster", "ElastiCache cluster"),
            "cache"
        );
        assert_eq!(role_of("aws_db_instance", "RDS DB instance"), "primary");
        assert_eq!(
            role_of("google_bigquery_dataset", "BigQuery dataset"),
            "analytics"
        );
        assert_eq!(
            role_of("yandex_mdb_clickhouse_cluster", "Managed ClickHouse"),
            "analytics"
        );
        assert_eq!(role_of("aws_backup_vault", "Backup vault"), "backup");
    }

    #[test]
    fn ids_are_valid_and_unique() {
        let mut ids = IdSet::default();
        assert_eq!(ids.take(&["Main DB", "0"]), "main-db-0");
        assert_eq!(ids.take(&["main_db", "0"]), "main-db-0-2");
        assert_eq!(ids.take(&["Ёлка", ""]), "db");
        assert_eq!(ids.take(&["--"]), "db-2");
    }

    #[test]
    fn unknown_countries_are_commented_out_with_their_section() {
        let yaml = "version: 1\n\nprocessors:\n  # A: known\n  - id: \"a\"\n    country: US\n\npartners:\n  # B: not in the catalogue.\n  - id: \"b\"\n    country: XX  # FIXME\n    hosts: [\"b.example\"]\n";
        let (out, n) = comment_out_unknown_countries(yaml);
        assert_eq!(n, 1);
        assert!(
            out.contains("processors:\n  # A: known\n  - id: \"a\"\n"),
            "{out}"
        );
        assert!(out.contains("# partners:\n"), "{out}");
        assert!(
            out.contains(
                "#   - id: \"b\"\n#     country: XX  # FIXME\n#     hosts: [\"b.example\"]\n"
            ),
            "{out}"
        );
    }
}
