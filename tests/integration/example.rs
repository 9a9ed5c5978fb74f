//! The bundled example: snapshots of its reports, and the committed schema.
//! Set `UPDATE_SNAPSHOTS=1` to rewrite the snapshot files after a reviewed change.

use std::path::Path;

use crate::common::*;

pub(crate) fn snapshot(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing snapshot {}: run with UPDATE_SNAPSHOTS=1",
            path.display()
        )
    });
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "snapshot {name} differs at line {}:\n  expected: {:?}\n  actual:   {:?}\n(UPDATE_SNAPSHOTS=1 rewrites it)",
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}

#[test]
fn example_json_snapshot() {
    let r = run(&["check", "inventory/", "--format", "json"]);
    assert_eq!(r.code, 1, "the example has critical findings: {}", r.stderr);
    snapshot("example.json", &r.stdout);
    let again = run(&["check", "inventory/", "--format", "json"]);
    assert_eq!(r.stdout, again.stdout, "byte-identical on the same inputs");
}

#[test]
fn example_table_snapshot() {
    let r = run(&["check", "inventory/"]);
    assert_eq!(r.code, 1);
    assert!(
        !r.stdout.contains('\u{1b}'),
        "no colour when NO_COLOR is set and stdout is a pipe"
    );
    snapshot("example.txt", &r.stdout);
}

#[test]
fn example_findings_are_the_expected_ones() {
    let r = run(&["check", "inventory/", "--format", "json"]).json();
    for (rule, entity) in [
        ("primary-outside-ru", "amplitude"),
        ("primary-outside-ru", "google-analytics"),
        ("undeclared-third-party", "google-analytics"),
        ("undeclared-third-party", "partner-market"),
        ("undeclared-cross-border", "analytics-dwh"),
        ("copy-abroad", "offsite-backups"),
        ("copy-abroad", "dialog-logs"),
        ("location-mismatch", "analytics-dwh"),
        ("non-adequate-country", "google-analytics"),
    ] {
        assert!(has(&r, rule, entity), "{rule} {entity}");
    }
    // inventory/waivers.yaml accepts the missing instruction annex for a while.
    assert!(!has(&r, "processor-without-instruction", "usedesk"));
    let waived = &r["waived"][0];
    assert_eq!(
        (&waived["rule"], &waived["entity"]),
        (
            &serde_json::json!("processor-without-instruction"),
            &serde_json::json!("usedesk")
        )
    );
    assert_eq!(waived["waiver"]["expires"], "2027-03-31");
    assert_eq!(r["summary"]["waived"], 1);
    assert!(!r.to_string().contains("S3cr3t-pass") && !r.to_string().contains("hunter2"));
    assert_eq!(r["summary"]["failed"], true);
    assert_eq!(r["generated_at"], "2026-11-25T00:00:00Z");
}

#[test]
fn committed_schema_is_current() {
    let r = run(&["schema"]);
    assert_eq!(r.code, 0);
    let committed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("inventory/schema.json"),
    )
    .unwrap();
    assert!(
        committed == r.stdout,
        "inventory/schema.json is stale: run `cargo run -- schema > inventory/schema.json`"
    );
    let schema: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(schema["additionalProperties"], false);
    assert!(schema["properties"]["databases"].is_object());
}

#[test]
fn example_files_point_editors_at_the_schema() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("inventory");
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "yaml") {
            let text = std::fs::read_to_string(&p).unwrap();
            assert!(
                text.starts_with("# yaml-language-server: $schema=./schema.json\n"),
                "{}",
                p.display()
            );
        }
    }
}
