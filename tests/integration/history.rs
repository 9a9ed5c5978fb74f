//! `residency report`: dated runs that are never overwritten, the index,
//! and what changed between two runs.

use std::path::Path;

use crate::common::*;

const BEFORE: &str = "version: 1
declarations: {cross_border_countries: [DE]}
databases:
  - {id: main, role: primary, hosts: [77.88.8.8], personal_data: {}}
  - {id: backup, role: backup, hosts: [52.57.0.1], personal_data: {}}
processors:
  - {id: crm, country: RU, hosts: [77.88.8.8], instruction: DPA 1}
transfers:
  - {from: main, to: crm}
";

// The backup moved from Germany to Finland, the CRM lost its instruction,
// and the analytics SDK is gone.
const AFTER: &str = "version: 1
declarations: {cross_border_countries: [DE]}
databases:
  - {id: main, role: primary, hosts: [77.88.8.8], personal_data: {}}
  - {id: backup, role: backup, hosts: [65.21.1.1], personal_data: {}}
processors:
  - {id: crm, country: RU, hosts: [77.88.8.8]}
transfers:
  - {from: main, to: crm}
";

fn report(dir: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["report", "inv", "--out", "reports", "--fail-on", "never"];
    args.extend_from_slice(extra);
    run_in(dir, &args)
}

fn runs(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir.join("reports"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().into_string().unwrap())
        .collect();
    v.sort();
    v
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn keys(v: &serde_json::Value) -> Vec<(String, String, String)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["entity"].as_str().unwrap().to_string(),
                f["countries"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_str().unwrap())
                    .collect::<Vec<_>>()
                    .join(","),
            )
        })
        .collect()
}

#[test]
fn two_runs_then_an_edit() {
    let inv = Inv::new(&[("inv/inventory.yaml", BEFORE)]);
    let d = inv.path();

    let first = report(&d, &[]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(runs(&d), ["2026-11-25-000000"]);
    assert!(first.stdout.contains("first run"), "{}", first.stdout);
    for f in ["report.html", "report.md", "report.json"] {
        assert!(d.join("reports/2026-11-25-000000").join(f).is_file(), "{f}");
    }
    let first_json = read(&d, "reports/2026-11-25-000000/report.json");
    let first_html = read(&d, "reports/2026-11-25-000000/report.html");
    let v: serde_json::Value = serde_json::from_str(&first_json).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert!(
        v.get("changes").is_none(),
        "nothing to compare the first run with"
    );

    // Same inputs, same second: a new run beside the first, which stays.
    let second = report(&d, &[]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert_eq!(runs(&d), ["2026-11-25-000000", "2026-11-25-000000-2"]);
    assert!(
        second
            .stdout
            .contains("compared with 2026-11-25-000000: no change"),
        "{}",
        second.stdout
    );
    assert_eq!(
        read(&d, "reports/2026-11-25-000000/report.json"),
        first_json
    );
    assert_eq!(
        read(&d, "reports/2026-11-25-000000/report.html"),
        first_html
    );
    let md = read(&d, "reports/2026-11-25-000000-2/report.md");
    assert!(md.contains("## Changes since the previous run"));
    assert!(
        md.contains("No change: the same findings and the same countries as `2026-11-25-000000`")
    );
    let html = read(&d, "reports/2026-11-25-000000-2/report.html");
    assert!(html.contains("No change"));
    let v: serde_json::Value =
        serde_json::from_str(&read(&d, "reports/2026-11-25-000000-2/report.json")).unwrap();
    assert_eq!(v["changes"]["no_change"], true);
    assert_eq!(v["changes"]["against"], "2026-11-25-000000");

    let index = read(&d, "reports/index.md");
    assert!(index.contains("[2026-11-25-000000](2026-11-25-000000/report.md)"));
    assert!(index.contains("[2026-11-25-000000-2](2026-11-25-000000-2/report.md)"));
    assert!(index.contains("first run") && index.contains("no change"));
    let newest = index.find("000000-2](").unwrap();
    let oldest = index.find("000000](").unwrap();
    assert!(newest < oldest, "newest first");
    let index_html = read(&d, "reports/index.html");
    assert!(index_html.contains("href=\"2026-11-25-000000-2/report.html\""));

    // Edit the inventory: the diff lists exactly what changed.
    std::fs::write(d.join("inv/inventory.yaml"), AFTER).unwrap();
    let before: serde_json::Value = serde_json::from_str(&first_json).unwrap();
    let third = report(&d, &[]);
    assert_eq!(third.code, 0, "{}", third.stderr);
    assert_eq!(runs(&d).len(), 3);
    let v: serde_json::Value =
        serde_json::from_str(&read(&d, "reports/2026-11-25-000000-3/report.json")).unwrap();
    let c = &v["changes"];
    assert_eq!(c["against"], "2026-11-25-000000-2");
    assert_eq!(c["no_change"], false);
    let s = |t: &[(&str, &str, &str)]| {
        t.iter()
            .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
            .collect::<Vec<_>>()
    };
    let mut new = keys(&c["new"]);
    new.sort();
    assert_eq!(
        new,
        s(&[
            ("copy-abroad", "backup", "FI"),
            ("processor-without-instruction", "crm", "RU"),
            ("undeclared-cross-border", "backup", "FI"),
            ("unused-declaration", "declarations", "DE"),
        ])
    );
    let mut resolved = keys(&c["resolved"]);
    resolved.sort();
    assert_eq!(resolved, s(&[("copy-abroad", "backup", "DE")]));
    for k in &resolved {
        assert!(keys(&before["findings"]).contains(k));
    }
    // The resolved finding keeps its words, read again from the earlier
    // report (only the resolved ones are).
    let earlier = before["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "copy-abroad" && f["entity"] == "backup")
        .unwrap();
    assert_eq!(c["resolved"][0]["message"], earlier["message"]);
    assert_eq!(c["resolved"][0]["message_ru"], earlier["message_ru"]);
    assert_eq!(c["resolved"][0]["severity"], earlier["severity"]);
    assert!(!earlier["message"].as_str().unwrap().is_empty());
    let moved = c["entities_changed"].as_array().unwrap();
    assert_eq!(moved.len(), 1);
    assert_eq!(moved[0]["id"], "backup");
    assert_eq!(moved[0]["before"], serde_json::json!(["DE"]));
    assert_eq!(moved[0]["after"], serde_json::json!(["FI"]));
    assert!(
        third
            .stdout
            .contains("4 new, 1 resolved, 1 entity with other countries"),
        "{}",
        third.stdout
    );
    let md = read(&d, "reports/2026-11-25-000000-3/report.md");
    assert!(md.contains("### New findings (4)"));
    assert!(md.contains("### Resolved findings (1)"));
    assert!(md.contains("| `backup` | DE | FI |"));
    assert!(read(&d, "reports/index.md").contains("+4 new, −1 resolved, 1 moved"));

    // --compare: against any earlier JSON report instead.
    let fourth = report(
        &d,
        &[
            "--compare",
            "reports/2026-11-25-000000/report.json",
            "--lang",
            "ru",
        ],
    );
    assert_eq!(fourth.code, 0, "{}", fourth.stderr);
    let v: serde_json::Value =
        serde_json::from_str(&read(&d, "reports/2026-11-25-000000-4/report.json")).unwrap();
    assert_eq!(
        v["changes"]["against"],
        "reports/2026-11-25-000000/report.json"
    );
    assert_eq!(keys(&v["changes"]["new"]).len(), 4);
    let md = read(&d, "reports/2026-11-25-000000-4/report.md");
    assert!(md.contains("## Изменения с предыдущего запуска"));
    assert!(md.contains("### Новые замечания (4)"));
    assert!(read(&d, "reports/index.md").starts_with("# История аудитов"));
    // No temporary directory or file is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(d.join("reports"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().into_string().unwrap())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn bad_input_writes_nothing() {
    let inv = Inv::new(&[("inv/inventory.yaml", BEFORE)]);
    let d = inv.path();
    std::fs::write(d.join("not-a-report.json"), "{\"hello\": 1}").unwrap();
    let r = report(&d, &["--compare", "not-a-report.json"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not-a-report.json"), "{}", r.stderr);
    assert!(!d.join("reports").exists(), "nothing written");
    let r = report(&d, &["--compare", "missing.json"]);
    assert_eq!(r.code, 2);
    std::fs::write(d.join("inv/inventory.yaml"), "version: 2\n").unwrap();
    let r = report(&d, &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("inventory.yaml:1:"), "{}", r.stderr);
    assert!(!d.join("reports").exists(), "nothing written");
    std::fs::write(d.join("inv/inventory.yaml"), BEFORE).unwrap();
    std::fs::write(d.join("file"), "").unwrap();
    let r = run_in(&d, &["report", "inv", "--out", "file"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not a directory"), "{}", r.stderr);
}

#[test]
fn exit_codes_follow_the_gate_like_check() {
    let inv = Inv::new(&[("inv/inventory.yaml", AFTER)]);
    let d = inv.path();
    // Highest finding: undeclared-third-party (high).
    assert_eq!(
        run_in(&d, &["report", "inv", "--out", "r"]).code,
        1,
        "default gate high"
    );
    assert_eq!(
        run_in(
            &d,
            &["report", "inv", "--out", "r", "--fail-on", "critical"]
        )
        .code,
        0
    );
    // A broken earlier run is left out of the history, not fatal.
    std::fs::create_dir(d.join("r/2020-01-01-000000")).unwrap();
    std::fs::write(d.join("r/2020-01-01-000000/report.json"), "garbage").unwrap();
    let r = run_in(&d, &["report", "inv", "--out", "r"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("left out of the history"), "{}", r.stderr);
    assert!(r.stdout.contains("(3 runs)"), "{}", r.stdout);
}

#[test]
fn the_example_report_runs_offline() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("reports");
    let r = run(&[
        "report",
        "inventory/",
        "--offline",
        "--out",
        out.to_str().unwrap(),
        "--lang",
        "ru",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let html = std::fs::read_to_string(out.join("2026-11-25-000000/report.html")).unwrap();
    assert!(html.contains("<html lang=\"ru\">"));
    assert!(html.contains("Куда уходят данные"));
}
