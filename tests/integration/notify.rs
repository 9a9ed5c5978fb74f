//! `residency notify` and the rule `filing-outdated`: the drafts of the
//! example inventory (snapshots, read once by a person for legal Russian),
//! missing fields listed and never invented, and the rule against filings
//! that do or do not cover what the audit observes.

use crate::common::*;
use crate::example::snapshot;

/// `residency notify . --kind KIND --offline [--format FORMAT]` in a temp
/// inventory; exit 0 expected.
fn draft(inv: &Inv, kind: &str, format: Option<&str>) -> Run {
    let mut args = vec!["notify", ".", "--kind", kind, "--offline"];
    if let Some(f) = format {
        args.extend(["--format", f]);
    }
    let r = run_in(inv.dir.path(), &args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r
}

/// The inventory keys a draft asks to fill.
fn fill_keys(d: &serde_json::Value) -> Vec<String> {
    d["to_fill"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["key"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn example_cross_border_draft_snapshot() {
    let r = run(&[
        "notify",
        "inventory/",
        "--kind",
        "cross-border",
        "--offline",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .starts_with("**ЧЕРНОВИК — не подан в Роскомнадзор."),
        "the first line says it is a draft: {}",
        r.stdout.lines().next().unwrap_or_default()
    );
    snapshot("notify.cross-border.md", &r.stdout);
    let again = run(&[
        "notify",
        "inventory/",
        "--kind",
        "cross-border",
        "--offline",
    ]);
    assert_eq!(r.stdout, again.stdout, "byte-identical on the same inputs");
}

#[test]
fn example_change_draft_snapshot() {
    let r = run(&["notify", "inventory/", "--kind", "change", "--offline"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    snapshot("notify.change.md", &r.stdout);
}

#[test]
fn example_processing_draft_snapshot() {
    let r = run(&["notify", "inventory/", "--kind", "processing", "--offline"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    snapshot("notify.processing.md", &r.stdout);
}

#[test]
fn example_json_lists_the_missing_fields_and_invents_none() {
    let r = run(&[
        "notify",
        "inventory/",
        "--kind",
        "cross-border",
        "--offline",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let d = r.json();
    assert_eq!(d["draft"], true);
    assert_eq!(d["kind"], "cross-border");
    let keys = fill_keys(&d);
    // inventory/operator.yaml leaves these out on purpose.
    for key in [
        "organization.ogrn",
        "organization.legal_basis",
        "organization.data_categories",
        "organization.responsible.phones",
        "organization.responsible.postal_address",
        "organization.recipient_assessments",
        "databases[offsite-backups].operated_by",
    ] {
        assert!(keys.iter().any(|k| k == key), "{key} not listed: {keys:?}");
    }
    // What the inventory holds is not asked for, and what it lacks is null.
    assert!(!keys.iter().any(|k| k == "organization.inn"));
    assert_eq!(d["operator"]["inn"], "7804123456");
    assert_eq!(d["operator"]["ogrn"], serde_json::Value::Null);
    assert_eq!(d["legal_basis"], serde_json::Value::Null);
    assert_eq!(d["processing_notification"]["number"], "78-22-004512");
    // States grouped with their recipients, each traceable to evidence.
    let states: Vec<&str> = d["states"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["country"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["DE", "FI", "KZ", "US"]);
    let us = &d["states"][3];
    assert_eq!(us["adequate"], false);
    let ids: Vec<&str> = us["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["amplitude", "google-analytics"]);
    for r in us["recipients"].as_array().unwrap() {
        assert_eq!(r["assessed"], serde_json::Value::Null, "no date invented");
        assert_eq!(r["filed"], false);
        assert!(
            r["evidence"][0]["at"]
                .as_str()
                .unwrap()
                .starts_with("inventory/processors.yaml:")
        );
    }
    let kz = &d["states"][2]["recipients"][0];
    assert_eq!(kz["id"], "yandex-cloud");
    assert_eq!(kz["filed"], true);
    assert_eq!(kz["assessed"], "2023-02-10");
    // A database abroad whose operator is unknown has no invented recipient.
    assert_eq!(
        d["states"][0]["recipients"][0]["id"],
        serde_json::Value::Null
    );
}

#[test]
fn html_draft_is_one_escaped_page() {
    let inv = Inv::one(
        "version: 1\norganization:\n  name: \"ООО <script>alert(1)</script>\"\n  country: RU\nprocessors:\n  - {id: sdk, name: \"<b>Evil</b> & Co\", country: US, hosts: [52.34.10.10], collects_from_subjects: true}\n",
    );
    let r = draft(&inv, "cross-border", Some("html"));
    assert!(r.stdout.starts_with("<!DOCTYPE html>"));
    assert!(r.stdout.contains("<p class=\"draft\">ЧЕРНОВИК"));
    assert!(!r.stdout.contains("<script>"));
    assert!(r.stdout.contains("&lt;b&gt;Evil&lt;/b&gt; &amp; Co"));
    let md = draft(&inv, "cross-border", None);
    assert!(!md.stdout.contains("<script>"), "{}", md.stdout);
    // In the table the name is escaped; in the evidence it is a code span.
    assert!(
        md.stdout.contains("&lt;b&gt;Evil&lt;/b&gt; &amp; Co (sdk)"),
        "{}",
        md.stdout
    );
}

#[test]
fn english_and_output_file() {
    let inv = Inv::one("version: 1\norganization: {name: Op, country: RU}\n");
    let r = run_in(
        inv.dir.path(),
        &[
            "notify",
            ".",
            "--kind",
            "processing",
            "--offline",
            "--lang",
            "en",
            "-o",
            "draft.md",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    assert!(r.stderr.contains("wrote draft.md"), "{}", r.stderr);
    let text = std::fs::read_to_string(inv.dir.path().join("draft.md")).unwrap();
    assert!(text.starts_with("**DRAFT — not filed with Roskomnadzor."));
    assert!(text.contains("does not take place"), "no flows: {text}");
    assert!(text.contains("`organization.inn`"));
}

#[test]
fn notify_needs_a_kind_and_a_valid_inventory() {
    let r = run(&["notify", "inventory/", "--offline"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--kind"), "{}", r.stderr);
    let inv = Inv::one(
        "version: 1\nfilings:\n  - {kind: cross-border, date: 2023-02-30, countries: [KZ]}\n",
    );
    let r = run_in(
        inv.dir.path(),
        &["notify", ".", "--kind", "cross-border", "--offline"],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("inventory.yaml:3:32: `2023-02-30` is not a calendar date"),
        "{}",
        r.stderr
    );
}

// ---------------------------------------------------------------------------
// The inventory's filings: validation.

#[test]
fn filings_are_validated_with_positions() {
    let inv = Inv::one(
        "version: 1\norganization:\n  name: Op\n  country: RU\n  inn: \"12ab\"\n  recipient_assessments:\n    - {recipient: nobody, date: 2023-01-01}\nprocessors:\n  - {id: sdk, country: US}\ndatabases:\n  - {id: db}\nfilings:\n  - kind: cross-border\n    date: 2023-02-20\n    countries: [XX]\n    recipients: [db]\n    database_countries: [RU]\n  - kind: processing\n    date: 2022-11-15\n    countries: [US]\n  - {kind: change, date: 2024-01-01, colour: red}\n  - {kind: cross-border, date: 2024-01-01}\n",
    );
    let r = inv.check(&["--offline"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    for expected in [
        "inventory.yaml:5:8: `inn: 12ab` is not 10 or 12 digits",
        "inventory.yaml:7:19: assessed recipient `nobody` names no processor or partner",
        "inventory.yaml:15:17: `XX` is not an ISO 3166-1 alpha-2 country code",
        "inventory.yaml:16:18: filed recipient `db` is a database, not a processor or partner",
        "inventory.yaml:17:26: `database_countries` belongs to a processing or change filing",
        "inventory.yaml:20:17: `countries` belongs to a cross-border filing",
        "inventory.yaml:18:11: a processing filing states where the databases are",
        "inventory.yaml:21:",
        "unknown key `colour`",
        "inventory.yaml:22:12: a cross-border filing names the foreign states it covered",
    ] {
        assert!(
            r.stderr.contains(expected),
            "missing {expected:?} in:\n{}",
            r.stderr
        );
    }
}

// ---------------------------------------------------------------------------
// The rule.

const BASE: &str = "version: 1
organization: {name: Op, country: RU}
databases:
  - {id: main, role: primary, hosts: [77.88.8.8], personal_data: {categories: [email]}}
  - {id: copy, role: backup, hosts: [52.57.0.1], operated_by: s3, personal_data: {}}
processors:
  - {id: s3, country: DE, location: {country: DE}, instruction: DPA}
  - {id: sdk, country: US, hosts: [52.34.10.10], instruction: DPA}
transfers:
  - {from: main, to: sdk, categories: [email]}
";

fn audit(filings: &str) -> serde_json::Value {
    Inv::one(&format!("{BASE}{filings}")).check_json(&["--offline"])
}

fn outdated(r: &serde_json::Value) -> Vec<(String, Vec<String>)> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "filing-outdated")
        .map(|f| {
            (
                f["entity"].as_str().unwrap().to_string(),
                f["countries"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

fn first_outdated(r: &serde_json::Value) -> &serde_json::Value {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "filing-outdated")
        .expect("a filing-outdated finding")
}

const COVERING: &str = "filings:
  - {kind: processing, date: 2022-11-15, number: \"77-22-1\", database_countries: [RU, DE]}
  - {kind: cross-border, date: 2023-02-20, number: \"1\", countries: [DE, US], recipients: [s3, sdk]}
";

#[test]
fn filings_that_cover_everything_give_no_finding() {
    let r = audit(COVERING);
    assert_eq!(outdated(&r), Vec::<(String, Vec<String>)>::new());
    // Without any filing recorded the rule stays silent (undeclared-cross-border
    // does the rough job from declarations).
    let r = audit("");
    assert_eq!(outdated(&r), Vec::<(String, Vec<String>)>::new());
    assert!(has(&r, "undeclared-cross-border", "sdk"));
}

#[test]
fn a_moved_database_gives_one_finding() {
    // The backup moves from Germany to Finland (65.21.1.1).
    let moved = BASE.replace("hosts: [52.57.0.1]", "hosts: [65.21.1.1]");
    let r = Inv::one(&format!("{moved}{COVERING}")).check_json(&["--offline"]);
    assert_eq!(outdated(&r), [("copy".to_string(), vec!["FI".to_string()])]);
    let f = first_outdated(&r);
    let m = f["message"].as_str().unwrap();
    // Both filings are out of date: the database country (art. 22) and the state (art. 12).
    assert!(m.starts_with("database `copy`"), "{m}");
    assert!(m.contains("№ 77-22-1 of 2022-11-15"), "{m}");
    assert!(m.contains("do not name the state FI"), "{m}");
    assert_eq!(
        f["evidence"],
        serde_json::json!(["65.21.1.1 -> FI (geoip)"])
    );
}

#[test]
fn a_new_recipient_country_gives_one_finding() {
    let more = format!(
        "{BASE}  - {{from: main, to: crm, categories: [email]}}\npartners:\n  - {{id: crm, country: KZ, location: {{country: KZ}}, legal_basis: consent}}\n"
    );
    let r = Inv::one(&format!("{more}{COVERING}")).check_json(&["--offline"]);
    assert_eq!(outdated(&r), [("crm".to_string(), vec!["KZ".to_string()])]);
    let f = first_outdated(&r);
    assert_eq!(f["severity"], "high");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("the state KZ or the recipient `crm`"),
        "{}",
        f["message"]
    );
    assert_eq!(f["evidence"][0], "location.country -> KZ (declared)");
}

#[test]
fn a_new_recipient_in_a_filed_state_gives_one_finding() {
    let more = BASE.replace(
        "  - {id: sdk, country: US, hosts: [52.34.10.10], instruction: DPA}\n",
        "  - {id: sdk, country: US, hosts: [52.34.10.10], instruction: DPA}\n  - {id: sdk2, country: US, hosts: [52.34.10.11], instruction: DPA, collects_from_subjects: true}\n",
    );
    let r = Inv::one(&format!("{more}{COVERING}")).check_json(&["--offline"]);
    assert_eq!(outdated(&r), [("sdk2".to_string(), vec!["US".to_string()])]);
}

#[test]
fn a_database_that_cannot_be_placed_is_to_fill_never_russia() {
    let inv = Inv::one(
        "version: 1\norganization: {name: Op, country: RU}\ndatabases:\n  - {id: lost, hosts: [10.9.9.9], personal_data: {}}\nfilings:\n  - {kind: processing, date: 2022-11-15, database_countries: [RU]}\n",
    );
    let r = draft(&inv, "change", Some("json"));
    let d = r.json();
    assert_eq!(d["databases"][0]["unknown"], true);
    assert_eq!(d["databases"][0]["countries"], serde_json::json!([]));
    // Not "gone from Russia": where it is is unknown.
    assert_eq!(
        d["change"]["gone_database_countries"],
        serde_json::json!([])
    );
    let keys = fill_keys(&d);
    assert!(
        keys.iter().any(|k| k == "databases[lost].hosts / location"),
        "{keys:?}"
    );
    // The rule leaves it to location-unknown rather than guessing a country.
    let j = inv.check_json(&["--offline"]);
    assert!(has(&j, "location-unknown", "lost"));
    assert!(!has(&j, "filing-outdated", "lost"));
}

#[test]
fn a_recipient_placed_by_nothing_is_a_stated_presumption() {
    let inv = Inv::one(
        "version: 1\norganization: {name: Op, country: RU}\nprocessors:\n  - {id: sdk, country: US, collects_from_subjects: true, instruction: DPA}\n  - {id: ru-sdk, country: US, location: {country: RU}, collects_from_subjects: true, instruction: DPA}\n",
    );
    let r = draft(&inv, "cross-border", Some("json"));
    let d = r.json();
    let us = &d["states"][0];
    assert_eq!(us["country"], "US");
    // The foreign company whose servers are declared in Russia is not a
    // cross-border flow by territory; the one placed by nothing is presumed.
    assert_eq!(us["recipients"].as_array().unwrap().len(), 1);
    assert_eq!(us["recipients"][0]["id"], "sdk");
    assert_eq!(us["recipients"][0]["presumed"], true);
    let md = draft(&inv, "cross-border", None);
    assert!(
        md.stdout
            .contains("US (США) — презумпция: страна юридического лица получателя"),
        "{}",
        md.stdout
    );
}
