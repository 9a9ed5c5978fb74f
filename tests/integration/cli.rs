//! The command-line contract: exit codes, --fail-on, --output, --geoip,
//! rules and explain.

use std::path::Path;

use crate::common::*;

const FOREIGN_COPY: &str = "version: 1\ndatabases:\n  - {id: b, role: backup, hosts: [52.57.0.1], personal_data: {}}\ndeclarations: {cross_border_countries: [DE]}\n";

#[test]
fn exit_codes_follow_fail_on() {
    // One medium finding (copy-abroad).
    let inv = Inv::one(FOREIGN_COPY);
    assert_eq!(inv.check(&[]).code, 0, "default gate is high");
    assert_eq!(inv.check(&["--fail-on", "medium"]).code, 1);
    assert_eq!(inv.check(&["--fail-on", "info"]).code, 1);
    assert_eq!(inv.check(&["--fail-on", "critical"]).code, 0);
    assert_eq!(inv.check(&["--fail-on", "never"]).code, 0);
    let r = inv.check(&["--fail-on", "severe"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("severe"));
    assert_eq!(inv.check(&["--no-such-flag"]).code, 2);
    assert_eq!(run(&["check", "inventory/", "--fail-on", "never"]).code, 0);
}

#[test]
fn output_is_written_atomically_and_stdout_stays_clean() {
    let inv = Inv::new(&[("inv/a.yaml", FOREIGN_COPY)]);
    let r = run_in(
        &inv.path(),
        &[
            "check",
            "inv",
            "--format",
            "json",
            "--output",
            "out/report.json",
        ],
    );
    assert_eq!(r.code, 2, "missing directory is an error");
    std::fs::create_dir(inv.path().join("out")).unwrap();
    let r = run_in(
        &inv.path(),
        &[
            "check",
            "inv",
            "--format",
            "json",
            "--output",
            "out/report.json",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    assert!(r.stderr.contains("wrote out/report.json"));
    let text = std::fs::read_to_string(inv.path().join("out/report.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["schema_version"], 1);
    let leftovers: Vec<_> = std::fs::read_dir(inv.path().join("out")).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary file left behind");
}

#[test]
fn geoip_flag_accepts_both_layouts() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/geoip");
    let inv = Inv::one(
        "version: 1\ndatabases:\n  - {id: a, hosts: [198.51.100.7, 203.0.113.9, \"2001:db8:2::1\"]}\n  - {id: b, hosts: [100.64.0.1]}\n",
    );
    let expect = [
        ("country-code.mmdb", "NL"),
        ("geoip2-country.mmdb", "DE"),
        ("geoip2-city.mmdb", "FI"),
    ];
    for (file, country) in expect {
        let db = fixtures.join(file);
        let r = inv.check_json(&["--offline", "--geoip", db.to_str().unwrap()]);
        let a = entity(&r, "a");
        assert_eq!(a["hosts"][0]["addresses"][0]["country"], country, "{file}");
        assert_eq!(
            a["countries"],
            serde_json::json!(
                [country, "KZ", "US"]
                    .iter()
                    .collect::<std::collections::BTreeSet<_>>()
            ),
            "{file}"
        );
        assert!(r["geoip"]["source"].as_str().unwrap().contains(file));
        assert!(
            r["geoip"].get("attribution").is_none(),
            "NRO attribution is for the built-in database"
        );
    }
    // registered_country stands in where country is absent.
    let db = fixtures.join("geoip2-country.mmdb");
    let r = inv.check_json(&["--offline", "--geoip", db.to_str().unwrap()]);
    assert_eq!(entity(&r, "b")["countries"], serde_json::json!(["SE"]));
    let r = inv.check(&["--geoip", "no-such.mmdb"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no-such.mmdb"));
}

#[test]
fn version_names_the_data_and_its_attribution() {
    let r = run(&["--version"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.contains("nro.net") && r.stdout.contains("2026-06-17"),
        "{}",
        r.stdout
    );
}

#[test]
fn rules_and_explain() {
    let r = run(&["rules"]);
    assert_eq!(r.code, 0);
    for id in [
        "primary-outside-ru",
        "unused-declaration",
        "processor-without-instruction",
    ] {
        assert!(r.stdout.contains(id));
    }
    let r = run(&["explain", "copy-abroad"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("152-FZ art. 18 p. 5"), "{}", r.stdout);
    let r = run(&["explain", "copy-abroud"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("did you mean `copy-abroad`?"),
        "{}",
        r.stderr
    );
}

#[test]
fn colour_only_when_asked() {
    let inv = Inv::one(FOREIGN_COPY);
    let r = inv.check(&["--color", "always"]);
    assert!(r.stdout.contains('\u{1b}'), "forced colour");
    let r = inv.check(&[]);
    assert!(!r.stdout.contains('\u{1b}'));
}
