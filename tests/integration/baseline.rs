//! `--baseline report.json`: adopt the gate on a messy estate. Only
//! findings not in the baseline (rule + entity + countries) fail; the run
//! says how many known ones it left out.

use crate::common::*;
use crate::gate::*;

fn with_baseline() -> Inv {
    let inv = example();
    let r = run_at(
        &inv,
        &[
            "check",
            "inventory/",
            "--format",
            "json",
            "--output",
            "residency-baseline.json",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    inv
}

fn baseline_count(inv: &Inv) -> usize {
    let text = std::fs::read_to_string(inv.path().join("residency-baseline.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["findings"].as_array().unwrap().len()
}

#[test]
fn the_example_passes_against_its_own_report() {
    let inv = with_baseline();
    let known = baseline_count(&inv);
    assert_eq!(known, 21, "the example's findings, less the waived one");
    let r = run_at(
        &inv,
        &[
            "check",
            "inventory/",
            "--baseline",
            "residency-baseline.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    assert_eq!(j["findings"], serde_json::json!([]));
    assert_eq!(j["summary"]["baseline_known"], known);
    assert_eq!(j["summary"]["failed"], false);
    assert_eq!(j["baseline"]["known"], known);
    assert_eq!(j["baseline"]["fixed"], 0);
    assert_eq!(j["baseline"]["generated_at"], "2026-11-25T00:00:00Z");
    // Machine formats on stdout get the count on stderr.
    assert!(
        r.stderr.contains(&format!(
            "{known} known findings from baseline residency-baseline.json left out"
        )),
        "{}",
        r.stderr
    );
    let r = run_at(
        &inv,
        &[
            "check",
            "inventory/",
            "--baseline",
            "residency-baseline.json",
        ],
    );
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("No new findings."), "{}", r.stdout);
    assert!(
        r.stdout.contains(&format!("PASSED: 0 new findings (gate: --fail-on high); 1 waived; {known} known findings from baseline residency-baseline.json left out")),
        "{}",
        r.stdout
    );
}

#[test]
fn one_new_foreign_processor_fails_with_exactly_one_new_finding() {
    let inv = with_baseline();
    let known = baseline_count(&inv);
    write(
        &inv,
        "inventory/new-processor.yaml",
        "version: 1
processors:
  - id: kaspi-sms
    name: Kaspi SMS gateway (Almaty)
    country: KZ
    location: {country: KZ}
    instruction: DPA 2026-11-01
transfers:
  - {from: accounts-db, to: kaspi-sms, categories: [phone], purpose: SMS codes}
filings:
  - {kind: cross-border, date: 2026-11-01, countries: [KZ], recipients: [kaspi-sms]}
",
    );
    let r = run_at(
        &inv,
        &[
            "check",
            "inventory/",
            "--baseline",
            "residency-baseline.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let j = r.json();
    assert_eq!(
        findings(&j),
        [(
            "undeclared-third-party".to_string(),
            "kaspi-sms".to_string()
        )]
    );
    assert_eq!(j["summary"]["baseline_known"], known);
    assert_eq!(j["summary"]["high"], 1);
}

#[test]
fn matching_is_by_rule_entity_and_countries() {
    let inv = with_baseline();
    // analytics-dwh moves from Helsinki to Frankfurt: the same rules on the
    // same entity, but other countries, are new findings.
    edit(
        &inv,
        "inventory/databases.yaml",
        "hosts: [65.21.1.1]",
        "hosts: [52.57.0.1]",
    );
    let r = run_at(
        &inv,
        &[
            "check",
            "inventory/",
            "--baseline",
            "residency-baseline.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(r.code, 1);
    let j = r.json();
    let mut new = findings(&j);
    new.sort();
    assert_eq!(
        new,
        [
            ("copy-abroad".to_string(), "analytics-dwh".to_string()),
            ("filing-outdated".to_string(), "analytics-dwh".to_string()),
            ("location-mismatch".to_string(), "analytics-dwh".to_string()),
            (
                "undeclared-cross-border".to_string(),
                "analytics-dwh".to_string()
            ),
        ]
    );
    assert_eq!(j["baseline"]["fixed"], 4, "the FI findings are gone");
}

#[test]
fn bad_baselines_are_input_errors_and_never_overwritten() {
    let inv = with_baseline();
    write(
        &inv,
        "broken.json",
        "{\n  \"schema_version\": 1,\n  \"findings\": [\n    {\"rule\": 1}\n",
    );
    write(&inv, "v2.json", "{\"schema_version\": 2, \"findings\": []}");
    for (file, expected) in [
        ("missing.json", "missing.json: no such baseline file"),
        (
            "broken.json",
            "broken.json:4:14: not a residency JSON report: invalid type",
        ),
        (
            "v2.json",
            "v2.json: report schema_version 2 is not one this tool reads",
        ),
    ] {
        let r = run_at(&inv, &["check", "inventory/", "--baseline", file]);
        assert_eq!(r.code, 2, "{file}: {}", r.stderr);
        assert!(
            r.stderr.contains(expected),
            "{file}: expected `{expected}` in\n{}",
            r.stderr
        );
        assert!(
            r.stderr.contains("--output residency-baseline.json"),
            "says how to make one"
        );
    }
    let before = std::fs::read(inv.path().join("residency-baseline.json")).unwrap();
    let r = run_at(
        &inv,
        &[
            "check",
            "inventory/",
            "--baseline",
            "residency-baseline.json",
            "--format",
            "json",
            "--output",
            "./residency-baseline.json",
        ],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("would overwrite"), "{}", r.stderr);
    assert_eq!(
        std::fs::read(inv.path().join("residency-baseline.json")).unwrap(),
        before
    );
}
