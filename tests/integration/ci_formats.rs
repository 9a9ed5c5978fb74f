//! `--format gitlab` (Code Quality) and `--format github` (annotations).

use std::collections::BTreeSet;

use crate::common::*;
use crate::gate::*;

#[test]
fn gitlab_code_quality_report() {
    let r = run(&["check", "inventory/", "--format", "gitlab"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let issues: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let issues = issues.as_array().unwrap();
    let json = run(&["check", "inventory/", "--format", "json"]).json();
    assert_eq!(issues.len(), json["findings"].as_array().unwrap().len());
    let mut fingerprints = BTreeSet::new();
    for i in issues {
        for key in ["description", "check_name", "fingerprint", "severity"] {
            assert!(i[key].is_string(), "{key} in {i}");
        }
        assert!(
            ["info", "minor", "major", "critical", "blocker"]
                .contains(&i["severity"].as_str().unwrap())
        );
        let path = i["location"]["path"].as_str().unwrap();
        assert!(
            path.starts_with("inventory/") && path.ends_with(".yaml"),
            "{path}"
        );
        assert!(i["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        assert!(
            fingerprints.insert(i["fingerprint"].as_str().unwrap().to_string()),
            "unique"
        );
        assert_eq!(i["fingerprint"].as_str().unwrap().len(), 32);
    }
    let amplitude = issues
        .iter()
        .find(|i| {
            i["check_name"] == "primary-outside-ru"
                && i["description"].as_str().unwrap().contains("amplitude")
        })
        .unwrap();
    assert_eq!(amplitude["severity"], "blocker");
    assert_eq!(amplitude["location"]["path"], "inventory/processors.yaml");
    assert_eq!(amplitude["location"]["lines"]["begin"], 29);
    assert!(
        amplitude["content"]["body"]
            .as_str()
            .unwrap()
            .contains("residency explain primary-outside-ru")
    );
    // Stable: same fingerprints on the next run.
    let again = run(&["check", "inventory/", "--format", "gitlab"]);
    assert_eq!(r.stdout, again.stdout);
    // With the current state as baseline: an empty report.
    let inv = example();
    run_at(
        &inv,
        &[
            "check",
            "inventory/",
            "--format",
            "json",
            "--output",
            "b.json",
        ],
    );
    let r = run_at(
        &inv,
        &[
            "check",
            "inventory/",
            "--format",
            "gitlab",
            "--baseline",
            "b.json",
        ],
    );
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout, "[]\n");
}

#[test]
fn github_annotations() {
    let r = run(&["check", "inventory/", "--format", "github"]);
    assert_eq!(r.code, 1);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(
        lines.contains(&"::error file=inventory/processors.yaml,line=29,col=5,title=primary-outside-ru (critical)::`amplitude`, which collects personal data directly from users, records Russian citizens' personal data in US: a first recording abroad as practitioners and Roskomnadzor's monitoring treat it, prohibited since 2025-07-01 (152-FZ art. 18 p. 5)%0A  52.34.10.10 -> US (geoip)%0A`residency explain primary-outside-ru` says how to fix it."),
        "{}",
        r.stdout
    );
    // Medium findings below the gate are warnings, not errors.
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("::warning file=inventory/databases.yaml")
                && l.contains("title=copy-abroad (medium)"))
    );
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with("::") || l.starts_with("FAILED: "))
    );
    assert!(
        lines.last().unwrap().starts_with("FAILED: 21 findings"),
        "{:?}",
        lines.last()
    );
    // Waived findings are notices.
    let inv = example();
    write(
        &inv,
        "inventory/waivers.yaml",
        "version: 1\nwaivers:\n  - {rule: copy-abroad, entity: offsite-backups, reason: Moving to ru-9, approved_by: DPO, expires: 2027-01-31}\n",
    );
    let r = run_at(&inv, &["check", "inventory/", "--format", "github"]);
    assert!(
        r.stdout.lines().any(|l| l.starts_with("::notice file=inventory/databases.yaml")
            && l.contains("::Waived until 2027-01-31 (approved by DPO: Moving to ru-9): backup database `offsite-backups`")),
        "{}",
        r.stdout
    );
}
