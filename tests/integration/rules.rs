//! Every rule: a case where it fires and a close case where it must not.
//! Offline, with IP literals and declared locations (DNS is covered in dns.rs).

use crate::common::*;

const HEAD: &str = "version: 1\norganization: {name: Op, country: RU}\n";

fn audit(body: &str) -> serde_json::Value {
    Inv::one(&format!("{HEAD}{body}")).check_json(&["--offline"])
}

fn only(r: &serde_json::Value, rule: &str) -> Vec<String> {
    findings(r)
        .into_iter()
        .filter(|(ru, _)| ru == rule)
        .map(|(_, e)| e)
        .collect()
}

#[test]
fn primary_outside_ru() {
    let r = audit(
        "databases:\n  - {id: de, role: primary, hosts: [52.57.0.1], personal_data: {}}\n  - {id: ru, role: primary, hosts: [77.88.8.8], personal_data: {}}\n  - {id: not-citizens, role: primary, hosts: [52.57.0.1], personal_data: {ru_citizens: false}}\n  - {id: no-pd, role: primary, hosts: [52.57.0.1]}\n  - {id: default-role, hosts: [52.57.0.1], personal_data: {}}\n",
    );
    assert_eq!(only(&r, "primary-outside-ru"), ["de", "default-role"]);
    let r = audit(
        "processors:\n  - {id: sdk, country: US, collects_from_subjects: true, instruction: DPA}\n  - {id: backend, country: US, instruction: DPA}\n  - {id: ru-widget, country: RU, location: {country: RU}, collects_from_subjects: true, instruction: X}\n",
    );
    assert_eq!(only(&r, "primary-outside-ru"), ["sdk"]);
}

#[test]
fn copy_abroad() {
    let r = audit(
        "databases:\n  - {id: replica-de, role: replica, hosts: [52.57.0.1], personal_data: {}}\n  - {id: backup-ru, role: backup, hosts: [77.88.8.8], personal_data: {}}\n  - {id: primary-de, role: primary, hosts: [52.57.0.1], personal_data: {}}\n  - {id: cache-de-nopd, role: cache, hosts: [52.57.0.1]}\n",
    );
    assert_eq!(only(&r, "copy-abroad"), ["replica-de"]);
}

#[test]
fn location_unknown() {
    let r = audit(
        "databases:\n  - {id: nowhere, personal_data: {}}\n  - {id: unplaced, hosts: [10.9.9.9], personal_data: {}}\n  - {id: nowhere-nopd}\n  - {id: declared, location: {country: RU}, personal_data: {}}\nprocessors:\n  - {id: receiver, country: RU, instruction: X}\n  - {id: idle, country: RU}\ntransfers:\n  - {from: nowhere, to: receiver}\ndeclarations: {third_parties: [receiver, idle]}\n",
    );
    assert_eq!(
        only(&r, "location-unknown"),
        ["nowhere", "receiver", "unplaced"]
    );
}

#[test]
fn location_mismatch() {
    let r = audit(
        "databases:\n  - {id: moved, hosts: [65.21.1.1], location: {country: RU}}\n  - {id: honest, hosts: [77.88.8.8], location: {cloud: yandex, region: ru-central1}}\n  - {id: only-declared, location: {country: DE}}\n",
    );
    assert_eq!(only(&r, "location-mismatch"), ["moved"]);
    let f = &r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "location-mismatch")
        .unwrap();
    assert_eq!(f["countries"], serde_json::json!(["FI"]));
    assert_eq!(f["severity"], "medium");
}

#[test]
fn undeclared_third_party() {
    let r = audit(
        "databases:\n  - {id: db, location: {country: RU}, personal_data: {}, operated_by: host}\n  - {id: nopd, location: {country: RU}}\nprocessors:\n  - {id: host, country: RU, location: {country: RU}, instruction: X}\n  - {id: mailer, country: RU, location: {country: RU}, instruction: X}\n  - {id: chained, country: RU, location: {country: RU}, instruction: X}\n  - {id: declared, country: RU, location: {country: RU}, instruction: X}\n  - {id: gets-nothing-personal, country: RU, location: {country: RU}}\npartners:\n  - {id: partner, country: RU, location: {country: RU}}\ntransfers:\n  - {from: db, to: mailer}\n  - {from: mailer, to: chained}\n  - {from: db, to: declared}\n  - {from: db, to: partner}\n  - {from: nopd, to: gets-nothing-personal}\ndeclarations: {third_parties: [declared]}\n",
    );
    assert_eq!(
        only(&r, "undeclared-third-party"),
        ["chained", "host", "mailer", "partner"]
    );
}

#[test]
fn undeclared_cross_border_and_non_adequate() {
    let r = audit(
        "declarations: {cross_border_countries: [DE]}\ndatabases:\n  - {id: de, role: backup, hosts: [52.57.0.1], personal_data: {}}\n  - {id: fi, role: backup, hosts: [65.21.1.1], personal_data: {}}\n  - {id: us-nopd, hosts: [8.8.8.8]}\nprocessors:\n  - {id: us, country: US, location: {country: US}, instruction: X, collects_from_subjects: true}\n",
    );
    assert_eq!(only(&r, "undeclared-cross-border"), ["fi", "us"]);
    // DE and FI are on RKN Order 128; the US is not.
    assert_eq!(only(&r, "non-adequate-country"), ["us"]);
}

#[test]
fn adequacy_list_is_replaceable() {
    let inv = Inv::new(&[
        (
            "inv/a.yaml",
            "version: 1\ndatabases:\n  - {id: fi, role: backup, hosts: [65.21.1.1], personal_data: {}}\n",
        ),
        (
            "list.tsv",
            "# list: Test list\n# date: 2027-01-01\ncode\tadequate_rkn128\nFI\tno\nDE\tyes\n",
        ),
    ]);
    let r = run_in(
        &inv.path(),
        &[
            "check",
            "inv",
            "--offline",
            "--format",
            "json",
            "--adequacy",
            "list.tsv",
        ],
    );
    let r = r.json();
    assert!(has(&r, "non-adequate-country", "fi"));
    assert_eq!(r["adequacy"]["list"], "Test list");
}

#[test]
fn processor_without_instruction() {
    let r = audit(
        "databases:\n  - {id: db, location: {country: RU}, personal_data: {}}\nprocessors:\n  - {id: bare, country: RU, location: {country: RU}}\n  - {id: signed, country: RU, location: {country: RU}, instruction: Contract 1}\n  - {id: idle, country: RU, location: {country: RU}}\npartners:\n  - {id: partner, country: RU, location: {country: RU}}\ntransfers:\n  - {from: db, to: bare}\n  - {from: db, to: signed}\n  - {from: db, to: partner}\ndeclarations: {third_parties: [bare, signed, partner, idle]}\n",
    );
    assert_eq!(only(&r, "processor-without-instruction"), ["bare"]);
}

#[test]
fn unused_declaration() {
    let r = audit(
        "declarations: {third_parties: [used, unused], cross_border_countries: [DE, KZ]}\ndatabases:\n  - {id: db, role: backup, hosts: [52.57.0.1], personal_data: {}}\nprocessors:\n  - {id: used, country: RU, location: {country: RU}, instruction: X}\n  - {id: unused, country: RU, location: {country: RU}}\ntransfers:\n  - {from: db, to: used}\n",
    );
    assert_eq!(only(&r, "unused-declaration"), ["declarations", "unused"]);
    let kz = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["entity"] == "declarations")
        .unwrap();
    assert_eq!(kz["countries"], serde_json::json!(["KZ"]));
}

#[test]
fn findings_carry_location_and_sorted_order() {
    let r = audit(
        "databases:\n  - {id: b, role: backup, hosts: [52.57.0.1], personal_data: {}}\n  - {id: a, role: primary, hosts: [52.57.0.1], personal_data: {}}\n",
    );
    let fs = r["findings"].as_array().unwrap();
    assert_eq!(fs[0]["rule"], "primary-outside-ru");
    assert_eq!(fs[0]["location"]["line"], 5);
    assert_eq!(fs[0]["location"]["column"], 5);
    assert_eq!(fs[0]["location"]["file"], "./inventory.yaml");
    let sev: Vec<_> = fs.iter().map(|f| f["severity"].as_str().unwrap()).collect();
    let rank = |s: &str| {
        ["critical", "high", "medium", "low", "info"]
            .iter()
            .position(|x| *x == s)
            .unwrap()
    };
    assert!(sev.windows(2).all(|w| rank(w[0]) <= rank(w[1])), "{sev:?}");
}
