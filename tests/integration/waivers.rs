//! `waivers:`: accepted risks with an owner and an expiry date. Waived
//! findings are listed and counted but never fail; expired waivers fail
//! again with `waiver-expired`; unused ones are `waiver-unused`;
//! `--no-waivers` shows everything. The report date is 2026-11-25
//! (`SOURCE_DATE_EPOCH` of the test harness).

use crate::common::*;
use crate::gate::*;

const FRANKFURT_WAIVER: &str = "# yaml-language-server: $schema=./schema.json
version: 1
waivers:
  - rule: primary-outside-ru
    entity: accounts-db
    countries: [DE]
    reason: Frankfurt branch accounts, processed under an international treaty
    reason_code: art6-1-2
    approved_by: A. Ivanova, DPO
    expires: EXPIRES
";

/// The example with a baseline of its current state, DE notified for
/// cross-border transfer, and the plan that moves accounts-db to Frankfurt.
fn frankfurt_with_waiver(expires: &str) -> Inv {
    let inv = example();
    let r = run_at(
        &inv,
        &[
            "check",
            "inventory/",
            "--format",
            "json",
            "--output",
            "baseline.json",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    // The art. 12 notification now names Germany.
    edit(
        &inv,
        "inventory/operator.yaml",
        "cross_border_countries: [KZ]",
        "cross_border_countries: [KZ, DE]",
    );
    // And the filings on record say so: the change notification and the
    // cross-border notification cover Germany and Selectel.
    for (from, to) in [
        ("countries: [KZ]", "countries: [KZ, DE]"),
        (
            "recipients: [yandex-cloud]",
            "recipients: [yandex-cloud, selectel]",
        ),
        ("database_countries: [RU]", "database_countries: [RU, DE]"),
    ] {
        edit(&inv, "inventory/filings.yaml", from, to);
    }
    write(
        &inv,
        "inventory/waivers.yaml",
        &FRANKFURT_WAIVER.replace("EXPIRES", expires),
    );
    inv
}

fn gate(inv: &Inv, extra: &[&str]) -> Run {
    let p = plan("accounts-to-frankfurt.json");
    let mut args = vec![
        "check",
        "inventory/",
        "--baseline",
        "baseline.json",
        "--terraform",
        &p,
    ];
    args.extend_from_slice(extra);
    run_at(inv, &args)
}

#[test]
fn a_valid_waiver_turns_the_gate_green_and_is_reported_as_waived() {
    let inv = frankfurt_with_waiver("2027-05-31");
    let r = gate(&inv, &["--format", "json"]);
    assert_eq!(
        r.code, 0,
        "green with the waiver: {}\n{}",
        r.stderr, r.stdout
    );
    let j = r.json();
    assert!(failing(&j).is_empty(), "{:?}", failing(&j));
    assert!(finding(&j, "primary-outside-ru", "accounts-db").is_none());
    let waived = j["waived"].as_array().unwrap();
    assert_eq!(waived.len(), 1, "{waived:#?}");
    assert_eq!(waived[0]["rule"], "primary-outside-ru");
    assert_eq!(waived[0]["entity"], "accounts-db");
    assert_eq!(waived[0]["waiver"]["reason_code"], "art6-1-2");
    assert_eq!(waived[0]["waiver"]["approved_by"], "A. Ivanova, DPO");
    assert_eq!(waived[0]["waiver"]["expires"], "2027-05-31");
    assert_eq!(
        waived[0]["waiver"]["location"]["file"],
        "inventory/waivers.yaml"
    );
    assert_eq!(waived[0]["waiver"]["location"]["line"], 4);
    assert_eq!(j["summary"]["waived"], 1);
    assert_eq!(
        j["waivers"],
        serde_json::json!({"applied": true, "defined": 1})
    );
    // Declaring DE fixed the baseline's undeclared-cross-border and
    // filing-outdated for offsite-backups.
    assert_eq!(j["baseline"]["fixed"], 2, "{}", j["baseline"]);
    // The terminal shows the waived finding apart, with its approval.
    let r = gate(&inv, &[]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout
            .contains("Waived (accepted risks: reported, not failing)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("waived until 2027-05-31 by A. Ivanova, DPO"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("152-FZ art. 6 p. 1 point 2"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("; 1 waived;"), "{}", r.stdout);
}

#[test]
fn an_expired_waiver_turns_it_red_again() {
    let inv = frankfurt_with_waiver("2026-10-31");
    let r = gate(&inv, &["--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let j = r.json();
    assert_eq!(
        failing(&j),
        [
            ("primary-outside-ru".to_string(), "accounts-db".to_string()),
            ("waiver-expired".to_string(), "accounts-db".to_string())
        ]
    );
    let f = finding(&j, "waiver-expired", "accounts-db").unwrap();
    assert_eq!(f["severity"], "high");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("expired on 2026-10-31 (approved by A. Ivanova, DPO")
    );
    assert!(
        f["message_ru"]
            .as_str()
            .unwrap()
            .contains("истёк 31.10.2026")
    );
    assert_eq!(f["location"]["file"], "inventory/waivers.yaml");
    assert_eq!(j["waived"], serde_json::json!([]));
    // The expiry day itself is still covered.
    let inv = frankfurt_with_waiver("2026-11-25");
    assert_eq!(gate(&inv, &[]).code, 0);
}

#[test]
fn no_waivers_shows_everything() {
    let inv = frankfurt_with_waiver("2027-05-31");
    let r = gate(&inv, &["--format", "json", "--no-waivers"]);
    assert_eq!(r.code, 1);
    let j = r.json();
    assert!(finding(&j, "primary-outside-ru", "accounts-db").is_some());
    assert_eq!(j["waived"], serde_json::json!([]));
    assert_eq!(j["waivers"]["applied"], false);
    assert_eq!(j["summary"]["waived"], 0);
    let r = gate(&inv, &["--no-waivers"]);
    assert!(
        r.stdout.contains("waivers not applied (--no-waivers)"),
        "{}",
        r.stdout
    );
}

#[test]
fn unused_waivers_star_and_countries() {
    let inv = Inv::one(
        "version: 1
databases:
  - {id: de-copy, role: backup, hosts: [52.57.0.1], personal_data: {}}
  - {id: fi-copy, role: backup, hosts: [65.21.1.1], personal_data: {}}
declarations: {cross_border_countries: [DE, FI]}
waivers:
  - {rule: copy-abroad, entity: '*', countries: [DE], reason: Notified copies, approved_by: DPO, expires: 2027-01-31}
  - {rule: copy-abroad, entity: fi-copy, countries: [SE], reason: Wrong country, approved_by: DPO, expires: 2027-01-31}
  - {rule: processor-without-instruction, entity: de-copy, reason: Nothing to waive, approved_by: DPO, expires: 2027-01-31}
  - {rule: location-mismatch, entity: de-copy, reason: Long expired, approved_by: DPO, expires: 2025-01-31}
",
    );
    let r = inv.check_json(&["--offline", "--fail-on", "low"]);
    // `*` limited to DE waives de-copy only.
    let waived: Vec<_> = r["waived"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["entity"].as_str().unwrap())
        .collect();
    assert_eq!(waived, ["de-copy"]);
    assert!(
        has(&r, "copy-abroad", "fi-copy"),
        "FI is not covered by a waiver for SE"
    );
    let mut unused: Vec<_> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "waiver-unused")
        .map(|f| {
            (
                f["entity"].as_str().unwrap(),
                f["location"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    unused.sort();
    assert_eq!(unused, [("de-copy", 9), ("fi-copy", 8)]);
    // An expired waiver is waiver-expired, not also waiver-unused.
    assert!(has(&r, "waiver-expired", "de-copy"));
    let low = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "waiver-unused")
        .unwrap();
    assert_eq!(low["severity"], "low");
    // Unused waivers do not fail the default gate.
    assert_eq!(
        inv.check(&["--offline", "--fail-on", "high"]).code,
        1,
        "waiver-expired is high"
    );
}

#[test]
fn waivers_are_validated_with_positions_and_hints() {
    let inv = Inv::new(&[
        (
            "inv/a.yaml",
            "version: 1\ndatabases:\n  - {id: accounts-db, location: {country: RU}, personal_data: {}}\n",
        ),
        (
            "inv/waivers.yaml",
            "version: 1
waivers:
  - {rule: primary-outside-r, entity: accounts-db, reason: x, approved_by: y, expires: 2027-01-01}
  - {rule: primary-outside-ru, entity: accounts-db, reason: x, approved_by: y, expires: 2027-01-01}
  - {rule: copy-abroad, entity: acounts-db, reason: x, approved_by: y, expires: 2027-01-01}
  - {rule: copy-abroad, entity: accounts-db, reason: x, approved_by: y, expires: 2027-11-26}
  - {rule: copy-abroad, entity: accounts-db, countries: [DE], reason: x, approved_by: y, expires: 2027-11-25}
  - {rule: copy-abroad, entity: accounts-db, reason: x, approved_by: y, expires: 2027-02-30}
  - {rule: copy-abroad, entity: accounts-db, reason: x, approved_by: y}
  - {rule: waiver-expired, entity: '*', reason: x, approved_by: y, expires: 2027-01-01}
  - {rule: location-unknown, entity: '*', reason: ' ', approved_by: y, expires: 2027-01-01}
  - {rule: copy-abroad, entity: accounts-db, reason: x, approved_by: y, expires: 2027-01-01, reason_code: art6-1-5}
  - {rule: location-mismatch, entity: accounts-db, reason: x, approved_by: y, expires: 2027-01-01}
  - {rule: location-mismatch, entity: accounts-db, reason: z, approved_by: y, expires: 2027-01-02}
  - {rule: non-adequate-country, entity: accounts-db, countries: [XX], reason: x, approved_by: y, expires: 2027-01-01}
  - {rule: unlisted-storage, entity: 'aws_s3_bucket', reason: x, approved_by: y, expires: 2027-01-01}
  - {rule: copy-abroad, entity: accounts-db, reason: x, approved_by: y, expires: 2027-01-01, owner: z}
",
        ),
    ]);
    let r = run_in(&inv.path(), &["check", "inv"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(r.stdout, "");
    let f = "inv/waivers.yaml";
    for e in [
        format!(
            "{f}:3:12: unknown rule `primary-outside-r` in a waiver\n  = help: did you mean `primary-outside-ru`?"
        ),
        format!("{f}:4:5: a waiver of primary-outside-ru needs `reason_code`"),
        "art6-1-2 (152-FZ art. 6 p. 1 point 2)".to_string(),
        format!(
            "{f}:5:33: waiver names no entity `acounts-db`\n  = help: did you mean `accounts-db`?"
        ),
        format!(
            "{f}:6:82: waiver expires 2027-11-26, more than one year after the report date 2026-11-25"
        ),
        "expire it on or before 2027-11-25".to_string(),
        format!("{f}:8:82: `2027-02-30` is not a calendar date"),
        format!("{f}:9:5: missing required key `expires`"),
        format!("{f}:10:12: `waiver-expired` cannot be waived"),
        format!("{f}:11:51: `reason` is empty: say why the risk is accepted"),
        format!("{f}:12:107: unknown value `art6-1-5`"),
        format!(
            "{f}:14:5: duplicate waiver: `location-mismatch` on `accounts-db` is already waived at {f}:13:5"
        ),
        format!("{f}:15:67: `XX` is not an ISO 3166-1 alpha-2 country code"),
        format!("{f}:16:38: an unlisted-storage waiver names a Terraform resource address"),
        format!("{f}:17:94: unknown key `owner`"),
    ] {
        let messages = r.stderr_messages();
        assert!(messages.contains(&e), "expected `{e}` in\n{}", r.stderr);
    }
    // The waiver with expiry exactly one year ahead (line 7) is valid.
    assert!(!r.stderr.contains(&format!("{f}:7:")), "{}", r.stderr);
}

#[test]
fn the_schema_documents_waivers_and_terraform() {
    let r = run(&["schema"]);
    let schema: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let waiver = &schema["$defs"]["RawWaiver"];
    let required: Vec<_> = waiver["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for k in ["rule", "entity", "reason", "approved_by", "expires"] {
        assert!(required.contains(&k), "{k} required: {required:?}");
    }
    assert!(schema["$defs"]["RawDatabase"]["properties"]["terraform"].is_object());
    assert!(schema.to_string().contains("art6-1-8"));
}
