//! Resolution through a real DNS server on loopback.

use crate::common::*;

fn inv_with(hosts: &[&str], extra: &str) -> Inv {
    let list = hosts
        .iter()
        .map(|h| format!("\"{h}\""))
        .collect::<Vec<_>>()
        .join(", ");
    Inv::one(&format!(
        "version: 1\n{extra}databases:\n  - id: db\n    role: primary\n    hosts: [{list}]\n    personal_data: {{}}\n"
    ))
}

fn check(inv: &Inv) -> serde_json::Value {
    let addr = serve_zone(ZONE).to_string();
    inv.check_json(&["--dns", &addr, "--timeout", "2"])
}

#[test]
fn cname_chain_is_recorded_hop_by_hop() {
    let r = check(&inv_with(&["www.audit.test"], ""));
    let host = &entity(&r, "db")["hosts"][0];
    assert_eq!(
        host["chain"],
        serde_json::json!(["www.audit.test", "alias1.audit.test", "lb.audit.test"])
    );
    assert_eq!(
        host["addresses"],
        serde_json::json!([{"ip": "65.21.1.1", "country": "FI", "source": "geoip"}])
    );
    assert_eq!(host["error"], serde_json::Value::Null);
    let f = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "primary-outside-ru")
        .unwrap();
    assert_eq!(
        f["evidence"][0],
        "www.audit.test -> alias1.audit.test -> lb.audit.test -> 65.21.1.1 -> FI (geoip)"
    );
}

#[test]
fn aaaa_only_and_dual_stack_names() {
    let r = check(&inv_with(&["v6only.audit.test", "dual.audit.test"], ""));
    let hosts = &entity(&r, "db")["hosts"];
    assert_eq!(hosts[0]["addresses"][0]["ip"], "2a02:6b8::feed:ff");
    assert_eq!(hosts[0]["addresses"][0]["country"], "RU");
    let ips: Vec<_> = hosts[1]["addresses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["ip"].as_str().unwrap())
        .collect();
    assert_eq!(ips, ["77.88.8.8", "2a02:6b8::feed:ff"]);
    assert_eq!(entity(&r, "db")["countries"], serde_json::json!(["RU"]));
    assert!(findings(&r).is_empty(), "{:?}", findings(&r));
}

#[test]
fn a_foreign_aaaa_record_is_seen() {
    // The A record is in Russia, the AAAA record in the US: both count.
    let r = check(&inv_with(&["split.audit.test"], ""));
    assert_eq!(
        entity(&r, "db")["countries"],
        serde_json::json!(["RU", "US"])
    );
    assert!(has(&r, "primary-outside-ru", "db"));
}

#[test]
fn nxdomain_is_unknown_never_russia() {
    let r = check(&inv_with(&["nx.audit.test"], ""));
    let e = entity(&r, "db");
    assert_eq!(e["countries"], serde_json::json!([]));
    assert!(
        e["hosts"][0]["error"]
            .as_str()
            .unwrap()
            .contains("NXDOMAIN"),
        "{e}"
    );
    assert!(has(&r, "location-unknown", "db"));
    assert!(!has(&r, "primary-outside-ru", "db"));
}

#[test]
fn dangling_cname_keeps_the_chain_up_to_the_failure() {
    let r = check(&inv_with(&["dangling.audit.test"], ""));
    let host = &entity(&r, "db")["hosts"][0];
    assert_eq!(
        host["chain"],
        serde_json::json!(["dangling.audit.test", "gone.audit.test"])
    );
    assert!(host["error"].as_str().unwrap().contains("DNS"), "{host}");
    assert!(has(&r, "location-unknown", "db"));
}

#[test]
fn private_address_needs_a_network() {
    let r = check(&inv_with(&["private.audit.test"], ""));
    assert!(has(&r, "location-unknown", "db"));
    assert!(
        entity(&r, "db")["hosts"][0]["error"]
            .as_str()
            .unwrap()
            .contains("no network or GeoIP record for 10.10.1.5")
    );

    let nets = "networks:\n  - cidr: 10.10.0.0/16\n    country: DE\n    site: wide\n  - cidr: 10.10.1.0/24\n    country: RU\n    site: Selectel SPb-1\n";
    let r = check(&inv_with(&["private.audit.test"], nets));
    let a = &entity(&r, "db")["hosts"][0]["addresses"][0];
    assert_eq!(a["country"], "RU", "the most specific network wins");
    assert_eq!(a["source"], "network:Selectel SPb-1");
    assert!(findings(&r).is_empty(), "{:?}", findings(&r));
}

#[test]
fn dsn_credentials_never_appear() {
    let inv = inv_with(
        &["postgres://app:Sup3rS3cret@de-db.audit.test:5432/acc?password=Other5ecret"],
        "",
    );
    let addr = serve_zone(ZONE).to_string();
    for format in ["json", "table"] {
        let r = inv.check(&["--dns", &addr, "--format", format]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        for secret in ["Sup3rS3cret", "Other5ecret"] {
            assert!(
                !r.stdout.contains(secret) && !r.stderr.contains(secret),
                "{format} leaks {secret}"
            );
        }
        assert!(r.stdout.contains("de-db.audit.test"));
    }
    let r = inv.check_json(&["--dns", &addr]);
    assert_eq!(
        entity(&r, "db")["hosts"][0]["endpoint"],
        "postgres://***@de-db.audit.test:5432/acc?password=***"
    );
    assert!(has(&r, "primary-outside-ru", "db"));
}

#[test]
fn each_name_is_resolved_once() {
    let inv = Inv::one(
        "version: 1\ndatabases:\n  - id: a\n    hosts: [ru-db.audit.test, ru-db.audit.test:5432]\n  - id: b\n    hosts: [ru-db.audit.test]\n",
    );
    let addr = serve_zone(ZONE).to_string();
    let r = inv.check_json(&["--dns", &addr]);
    assert_eq!(r["resolution"]["names"], 1);
}

#[test]
fn offline_resolves_nothing_but_literals_and_declared_locations_stand_in() {
    let inv = Inv::one(
        "version: 1\ndatabases:\n  - id: declared\n    hosts: [ru-db.audit.test]\n    location: {country: RU}\n    personal_data: {}\n  - id: bare\n    hosts: [ru-db.audit.test]\n    personal_data: {}\n  - id: literal\n    hosts: [52.57.0.1]\n    personal_data: {}\n",
    );
    let r = inv.check_json(&["--offline"]);
    assert_eq!(r["resolution"]["names"], 0);
    assert!(
        !has(&r, "location-unknown", "declared"),
        "declared location stands in offline"
    );
    assert!(
        has(&r, "location-unknown", "bare"),
        "a bare host name offline is unknown"
    );
    assert!(has(&r, "primary-outside-ru", "literal"));
}

#[test]
fn a_dead_nameserver_is_bounded_and_said_plainly() {
    // A UDP port nothing listens on: every query times out.
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr = sock.local_addr().unwrap().to_string();
    drop(sock);
    let inv = inv_with(&["ru-db.audit.test", "de-db.audit.test"], "");
    let start = std::time::Instant::now();
    let r = inv.check(&["--dns", &addr, "--timeout", "0.3", "--attempts", "1"]);
    assert!(start.elapsed() < std::time::Duration::from_secs(20));
    assert_eq!(r.code, 1, "unknown location fails the gate: {}", r.stderr);
    assert!(
        r.stdout
            .contains("WARNING: DNS failed for 2 of 2 host names"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("location-unknown"));
    let j = inv.check_json(&["--dns", &addr, "--timeout", "0.3", "--attempts", "1"]);
    assert!(
        j["resolution"]["warning"]
            .as_str()
            .unwrap()
            .contains("DNS failed for 2 of 2"),
        "{}",
        j["resolution"]
    );
}

#[test]
fn resolve_prints_the_whole_chain() {
    let addr = serve_zone(ZONE).to_string();
    let r = run(&[
        "resolve",
        "www.audit.test",
        "postgres://u:Secr3t@dual.audit.test/db",
        "--dns",
        &addr,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("chain    www.audit.test -> alias1.audit.test -> lb.audit.test"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("65.21.1.1"), "{}", r.stdout);
    assert!(r.stdout.contains("FI Finland (geoip)"), "{}", r.stdout);
    assert!(r.stdout.contains("2a02:6b8::feed:ff"));
    assert!(!r.stdout.contains("Secr3t"));
    let r = run(&[
        "resolve",
        "nx.audit.test",
        "--dns",
        &addr,
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 1, "an unplaced host exits 1");
    assert!(r.json()[0]["error"].as_str().unwrap().contains("NXDOMAIN"));
}
