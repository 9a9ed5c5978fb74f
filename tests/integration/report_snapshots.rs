//! Every report format in both languages, rendered in-process from one
//! evaluated fixture audit (the bundled example, offline, at a fixed date)
//! and compared with insta snapshots (`cargo insta review` after a
//! reviewed change). Plus the shape of a large HTML report.

use std::path::Path;

use residency::evaluate::{self, Context, FailOn, Summary, waivers};
use residency::inventory;
use residency::reference::adequacy::Adequacy;
use residency::report::{self, Audit, Lang};
use residency::resolve::{self, DnsOptions, GeoIp, Nameserver, Options};

const EPOCH: i64 = 1_795_564_800;

/// The audit of the inventory at `path`, offline, at the fixed report date.
fn fixture(path: &Path) -> Audit {
    let rules = evaluate::registry::waiver_rules();
    let inv = inventory::load_with(
        path,
        &inventory::LoadOptions {
            rules: &rules,
            today: EPOCH / 86_400,
        },
    )
    .unwrap_or_else(|d| panic!("{path:?}: {d:?}"));
    let geo = GeoIp::built_in().unwrap();
    let opts = Options {
        offline: true,
        dns: DnsOptions {
            nameserver: Nameserver::System,
            timeout: std::time::Duration::from_secs(1),
            attempts: 1,
        },
        concurrency: 1,
    };
    // Offline: nothing is awaited on the network.
    let resolved =
        futures::executor::block_on(resolve::resolve(&inv, &opts, &geo, &|_, _| {})).unwrap();
    let adequacy = Adequacy::built_in();
    let (findings, waived, pd) = {
        let cx = Context::new(&inv, &resolved, &adequacy).at(EPOCH);
        let all = evaluate::evaluate(&cx);
        let (f, w) = waivers::apply(&inv, cx.today, all, true);
        (f, w, cx.pd_reasons().to_vec())
    };
    let mut summary = Summary::of(&findings, FailOn::At(evaluate::Severity::High));
    summary.waived = waived.len();
    Audit {
        target: "inventory/".into(),
        inventory: inv,
        resolved,
        adequacy,
        findings,
        pd,
        summary,
        fail_on: FailOn::At(evaluate::Severity::High),
        epoch: EPOCH,
        generated_at: "2026-11-24T00:00:00Z".into(),
        geoip_stale: false,
        site: None,
        waived,
        waivers_applied: true,
        baseline: None,
        policies: Vec::new(),
    }
}

fn example() -> Audit {
    // Relative (cargo runs tests in the package root): the table pads its
    // cells to the paths' widths, so an absolute path would make the
    // snapshot depend on where the checkout is.
    fixture(Path::new("inventory"))
}

/// File paths in the reports are absolute here; show them relative.
fn relative(s: String) -> String {
    s.replace(concat!(env!("CARGO_MANIFEST_DIR"), "/"), "")
}

#[test]
fn every_format_in_both_languages() {
    let a = example();
    assert!(!a.findings.is_empty() && !a.waived.is_empty());
    for lang in [Lang::En, Lang::Ru] {
        let style = report::table::Style {
            color: false,
            width: 160,
            lang,
        };
        let l = lang.code();
        insta::assert_snapshot!(
            format!("table.{l}"),
            relative(report::table::render(&a, style))
        );
        insta::assert_snapshot!(
            format!("markdown.{l}"),
            relative(report::markdown::render(&a, lang, None))
        );
        insta::assert_snapshot!(
            format!("html.{l}"),
            relative(report::html::render(&a, lang, None))
        );
    }
    // One language: these carry both messages, or English only.
    insta::assert_snapshot!("json", relative(report::json::render(&a)));
    insta::assert_snapshot!("sarif", relative(report::sarif::render(&a)));
    insta::assert_snapshot!("junit", relative(report::junit::render(&a)));
    insta::assert_snapshot!("gitlab", relative(report::gitlab::render(&a)));
    insta::assert_snapshot!("github", relative(report::github::render(&a, Lang::En)));
    insta::assert_snapshot!("github.ru", relative(report::github::render(&a, Lang::Ru)));
}

#[test]
fn every_format_names_the_waivers_legal_ground_in_its_language() {
    // The formats used to disagree: the reason code's citation was English
    // in the Russian table and missing from SARIF and GitHub output.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("inv.yaml"),
        "version: 1\ndatabases:\n  - id: registry\n    role: primary\n    hosts: [52.57.0.1]\n    personal_data:\n      categories: [email]\nwaivers:\n  - rule: primary-outside-ru\n    entity: registry\n    reason: treaty data exchange\n    reason_code: art6-1-2\n    approved_by: DPO\n    expires: 2027-03-31\n",
    )
    .unwrap();
    let a = fixture(dir.path());
    assert_eq!(a.waived.len(), 1, "{:?}", a.findings);
    let code = a.inventory.waivers[0].reason_code.unwrap();
    assert_ne!(code.citation(), code.citation_ru());
    let style = |lang| report::table::Style {
        color: false,
        width: 400,
        lang,
    };
    for (name, out) in [
        ("table", report::table::render(&a, style(Lang::En))),
        ("markdown", report::markdown::render(&a, Lang::En, None)),
        ("html", report::html::render(&a, Lang::En, None)),
        ("sarif", report::sarif::render(&a)),
        ("github", report::github::render(&a, Lang::En)),
    ] {
        assert!(out.contains(code.citation()), "{name}: {out}");
    }
    for (name, out) in [
        ("table", report::table::render(&a, style(Lang::Ru))),
        ("markdown", report::markdown::render(&a, Lang::Ru, None)),
        ("html", report::html::render(&a, Lang::Ru, None)),
        ("github", report::github::render(&a, Lang::Ru)),
    ] {
        assert!(out.contains(code.citation_ru()), "{name}: {out}");
        assert!(!out.contains(code.citation()), "{name}: English citation");
    }
}

#[test]
fn a_large_html_report_groups_the_map_and_the_findings() {
    let dir = tempfile::tempdir().unwrap();
    let mut yaml = String::from("version: 1\ndatabases:\n");
    // 150 primary databases in Germany and the US: 2-3 findings each.
    for i in 0..150 {
        let ip = if i % 2 == 0 { "52.57.0.1" } else { "8.8.8.8" };
        yaml.push_str(&format!(
            "  - id: db-{i:03}\n    role: primary\n    hosts: [{ip}]\n    personal_data:\n      categories: [email]\n"
        ));
    }
    std::fs::write(dir.path().join("db.yaml"), yaml).unwrap();
    let a = fixture(dir.path());
    assert!(a.findings.len() > 200, "{}", a.findings.len());
    let html = report::html::render(&a, Lang::En, None);
    // Findings: one article per (rule, countries), entities listed inside.
    let mut groups: Vec<(&str, &[residency::reference::Country])> = a
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.countries.as_slice()))
        .collect();
    groups.sort();
    groups.dedup();
    assert_eq!(
        html.matches("<article class=\"finding").count(),
        groups.len()
    );
    assert_eq!(html.matches("<details>").count(), groups.len());
    for i in [0, 77, 149] {
        assert!(
            html.contains(&format!("<li><code>db-{i:03}</code>")),
            "db-{i:03}"
        );
    }
    // The map: a node per class per country, not one per database.
    let nodes = html.matches("<g class=\"node").count();
    assert!(nodes < 10, "{nodes} map nodes");
    assert!(html.contains("75 × critical"), "counts per country");
}

#[test]
fn help_of_every_command() {
    // Flags and their help are public API: a change shows up in review.
    let top = crate::common::run(&["--help"]);
    assert_eq!(top.code, 0, "{}", top.stderr);
    insta::assert_snapshot!("help", top.stdout);
    for cmd in [
        "check",
        "resolve",
        "report",
        "scan-site",
        "schema",
        "rules",
        "explain",
    ] {
        let r = crate::common::run(&[cmd, "--help"]);
        assert_eq!(r.code, 0, "{cmd}: {}", r.stderr);
        insta::assert_snapshot!(format!("help.{cmd}"), r.stdout);
    }
}
