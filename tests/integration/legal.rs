//! Territory vs recipient, banned recipients and the December 2026
//! reference data: each behaviour with a case where it fires and a close
//! case where it must not. Offline, with IP literals and declared
//! locations (77.88.8.8 is placed in RU, 52.57.0.1 in DE by the built-in
//! GeoIP database).

use crate::common::*;

const HEAD: &str = "version: 1\norganization: {name: Op, country: RU}\n";

fn audit(body: &str) -> serde_json::Value {
    Inv::one(&format!("{HEAD}{body}")).check_json(&["--offline"])
}

fn of<'a>(r: &'a serde_json::Value, rule: &str, entity: &str) -> &'a serde_json::Value {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule && f["entity"] == entity)
        .unwrap_or_else(|| panic!("no {rule} finding for {entity}: {:#}", r["findings"]))
}

fn rules_of(r: &serde_json::Value, entity: &str) -> Vec<String> {
    findings(r)
        .into_iter()
        .filter(|(_, e)| e == entity)
        .map(|(rule, _)| rule)
        .collect()
}

#[test]
fn a_foreign_company_with_russian_servers_is_a_recipient_not_a_place() {
    let r = audit(
        "processors:\n  - {id: us-on-ru, name: Example Inc., country: US, hosts: [77.88.8.8], collects_from_subjects: true, instruction: DPA}\n  - {id: us-on-de, name: Example Inc., country: US, hosts: [52.57.0.1], collects_from_subjects: true, instruction: DPA}\n  - {id: ru-on-ru, country: RU, hosts: [77.88.8.8], collects_from_subjects: true, instruction: DPA}\ndeclarations: {third_parties: [us-on-ru, us-on-de, ru-on-ru]}\n",
    );
    // Known territory is Russia only: no localisation or cross-border
    // finding, whatever the legal country; a low reminder instead.
    assert_eq!(rules_of(&r, "us-on-ru"), ["foreign-recipient"]);
    let f = of(&r, "foreign-recipient", "us-on-ru");
    assert_eq!(f["severity"], "low");
    assert_eq!(f["countries"], serde_json::json!(["RU"]));
    assert_eq!(f["recipient_country"], "US");
    assert!(
        f["message_ru"]
            .as_str()
            .unwrap()
            .contains("подтвердите, что данные обрабатываются только в России")
    );
    // The same company with servers in Germany: territory decides.
    let rules = rules_of(&r, "us-on-de");
    assert!(
        rules.contains(&"primary-outside-ru".to_string()),
        "{rules:?}"
    );
    assert!(
        !rules.contains(&"foreign-recipient".to_string()),
        "{rules:?}"
    );
    let f = of(&r, "primary-outside-ru", "us-on-de");
    assert_eq!(f["countries"], serde_json::json!(["DE"]));
    assert_eq!(f["recipient_country"], "US");
    // A Russian company on Russian servers: nothing.
    assert!(rules_of(&r, "ru-on-ru").is_empty());
    // The entity's countries are its territory; its jurisdiction is apart.
    let e = entity(&r, "us-on-ru");
    assert_eq!(e["countries"], serde_json::json!(["RU"]));
    assert_eq!(e["legal_country"], "US");
}

#[test]
fn a_foreign_sdk_with_no_territory_is_presumed_in_its_country() {
    let r = audit(
        "processors:\n  - {id: sdk, name: \"Example SDK, Inc.\", country: US, collects_from_subjects: true, instruction: DPA}\n  - {id: sdk-declared-ru, name: \"Example SDK, Inc.\", country: US, location: {country: RU}, collects_from_subjects: true, instruction: DPA}\ndeclarations: {third_parties: [sdk, sdk-declared-ru]}\n",
    );
    let f = of(&r, "primary-outside-ru", "sdk");
    assert_eq!(f["countries"], serde_json::json!(["US"]));
    let evidence = f["evidence"].to_string();
    assert!(
        evidence.contains("presumed from the legal entity: Example SDK, Inc. -> US"),
        "{evidence}"
    );
    assert!(evidence.contains("declare `location:` or `hosts:` to rebut"));
    assert!(f["message"].as_str().unwrap().contains("presumed"));
    assert!(f["message_ru"].as_str().unwrap().contains("презюмируется"));
    assert!(has(&r, "undeclared-cross-border", "sdk"));
    assert!(has(&r, "non-adequate-country", "sdk"));
    assert!(has(&r, "location-unknown", "sdk"));
    // Declaring where it is rebuts the presumption.
    assert_eq!(rules_of(&r, "sdk-declared-ru"), ["foreign-recipient"]);
}

#[test]
fn the_presumption_is_for_recipients_with_no_territory_only() {
    let r = audit(
        "databases:\n  - {id: db, location: {country: RU}, personal_data: {}}\nprocessors:\n  - {id: backend, country: US, instruction: DPA}\n  - {id: backend-known, country: US, hosts: [52.57.0.1], instruction: DPA}\ntransfers:\n  - {from: db, to: backend}\n  - {from: db, to: backend-known}\ndeclarations: {third_parties: [backend, backend-known]}\n",
    );
    // Not collecting from users: no first recording, but a presumed transfer.
    assert!(!has(&r, "primary-outside-ru", "backend"));
    let f = of(&r, "undeclared-cross-border", "backend");
    assert_eq!(f["countries"], serde_json::json!(["US"]));
    assert!(
        f["evidence"]
            .to_string()
            .contains("presumed from the legal entity")
    );
    // With a known (foreign) territory, the territory is judged, not the
    // legal country.
    let f = of(&r, "undeclared-cross-border", "backend-known");
    assert_eq!(f["countries"], serde_json::json!(["DE"]));
    assert!(!f["evidence"].to_string().contains("presumed"));
    assert!(!has(&r, "non-adequate-country", "backend-known"));
}

#[test]
fn a_recipients_jurisdiction_keeps_its_declared_country_in_use() {
    let r = audit(
        "processors:\n  - {id: us-on-ru, country: US, hosts: [77.88.8.8], collects_from_subjects: true, instruction: DPA}\ndeclarations: {third_parties: [us-on-ru], cross_border_countries: [US, DE]}\n",
    );
    let unused: Vec<_> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "unused-declaration")
        .map(|f| f["countries"].clone())
        .collect();
    assert_eq!(unused, [serde_json::json!(["DE"])]);
}

#[test]
fn meta_is_a_banned_recipient_by_domain_name_and_service() {
    let r = audit(
        "partners:\n  - {id: fb-pixel, country: US, hosts: [connect.facebook.net], collects_from_subjects: true, legal_basis: consent}\n  - {id: look-alike, country: US, hosts: [notfacebook.com], collects_from_subjects: true, legal_basis: consent}\n  - {id: whatsapp, country: US, hosts: [web.whatsapp.com], collects_from_subjects: true, legal_basis: consent}\n  - {id: by-name, name: META PLATFORMS INC, country: US, collects_from_subjects: true, legal_basis: consent}\n  - {id: other-meta, name: Meta Platforms Ireland Limited, country: IE, collects_from_subjects: true, legal_basis: consent}\n  - {id: meta-pixel, country: US, collects_from_subjects: true, legal_basis: consent}\n  - {id: idle, name: \"Meta Platforms, Inc.\", country: US}\n",
    );
    let banned: Vec<_> = findings(&r)
        .into_iter()
        .filter(|(rule, _)| rule == "banned-recipient")
        .map(|(_, e)| e)
        .collect();
    // Not a subdomain, WhatsApp (outside the decision), another legal
    // entity, and an entity that receives no personal data: no finding.
    assert_eq!(banned, ["by-name", "fb-pixel", "meta-pixel"]);
    let f = of(&r, "banned-recipient", "fb-pixel");
    assert_eq!(f["severity"], "critical");
    assert_eq!(f["recipient_country"], "US");
    let ev = f["evidence"].to_string();
    assert!(
        ev.contains("matched by host connect.facebook.net (domain facebook.net)"),
        "{ev}"
    );
    assert!(
        ev.contains("21.03.2022") && ev.contains("20.06.2022"),
        "{ev}"
    );
    assert!(ev.contains("source: https://"), "{ev}");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("Decree No. 24 of 16.01.2023")
    );
    let ru = f["message_ru"].as_str().unwrap();
    assert!(
        ru.contains(
            "Meta Platforms, Inc. (признана экстремистской организацией, её деятельность в России запрещена)"
        ),
        "{ru}"
    );
    assert!(
        ru.contains("постановление Правительства РФ от 16.01.2023 № 24"),
        "{ru}"
    );
    assert!(
        of(&r, "banned-recipient", "by-name")["evidence"]
            .to_string()
            .contains("matched by legal entity «META PLATFORMS INC»")
    );
    assert!(
        of(&r, "banned-recipient", "meta-pixel")["evidence"]
            .to_string()
            .contains("matched by catalogue service `meta-pixel`")
    );
}

#[test]
fn the_banned_list_is_replaceable_and_checked() {
    let list = "# list: Test list\n# date: 2027-01-01\nid\tlegal_name\taliases\tcountry\tservices\tdomains\tdecision\tdecision_ru\tground\tground_ru\tnote_ru\tsources\tsource_date\nx\tExample Corp.\t-\tUS\t-\texample.com\tbanned by a test court\tзапрещена тестовым судом\ta ground\tоснование\t\thttps://example.org/decision\t2027-01-01\n";
    let inv = Inv::new(&[
        (
            "inv/a.yaml",
            "version: 1\npartners:\n  - {id: ex, country: US, hosts: [api.example.com], collects_from_subjects: true, legal_basis: consent}\n  - {id: fb, country: US, hosts: [connect.facebook.net], collects_from_subjects: true, legal_basis: consent}\n",
        ),
        ("list.tsv", list),
        ("bad.tsv", &list.replace("\tUS\t-", "\tXX\t-")),
    ]);
    let args = |file| {
        [
            "check",
            "inv",
            "--offline",
            "--format",
            "json",
            "--banned",
            file,
        ]
    };
    let r = run_in(&inv.path(), &args("list.tsv")).json();
    assert!(has(&r, "banned-recipient", "ex"));
    assert!(!has(&r, "banned-recipient", "fb"));
    let built_in = run_in(
        &inv.path(),
        &["check", "inv", "--offline", "--format", "json"],
    )
    .json();
    assert!(!has(&built_in, "banned-recipient", "ex"));
    assert!(has(&built_in, "banned-recipient", "fb"));
    let bad = run_in(&inv.path(), &args("bad.tsv"));
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(
        bad.stderr
            .contains("bad.tsv:4: `XX` is not an ISO 3166-1 alpha-2 code"),
        "{}",
        bad.stderr
    );
    assert!(bad.stdout.is_empty());
}

#[test]
fn regions_and_providers_added_in_december_2026_place_the_data() {
    let cases = [
        ("aws", "eusc-de-east-1", "DE"),
        ("gcp", "asia-southeast3", "TH"),
        ("vk", "kz", "KZ"),
        ("vk", "kz-ast", "KZ"),
        ("timeweb", "tr-1", "TR"),
        ("timeweb", "us-2", "US"),
        ("timeweb", "fi-1", "FI"),
        ("oracle", "eu-frankfurt-1", "DE"),
        ("oci", "me-jeddah-1", "SA"),
        ("mts", "ru-central1", "RU"),
        ("cloudru", "ru.AZ-1", "RU"),
        ("vk", "ru-msk", "RU"),
    ];
    let body: String = cases
        .iter()
        .enumerate()
        .map(|(i, (p, region, _))| {
            format!(
                "  - {{id: r{i}, role: replica, location: {{cloud: {p}, region: {region}}}, personal_data: {{}}}}\n"
            )
        })
        .collect();
    let r = audit(&format!("databases:\n{body}"));
    for (i, (p, region, country)) in cases.iter().enumerate() {
        let id = format!("r{i}");
        assert_eq!(
            entity(&r, &id)["countries"],
            serde_json::json!([country]),
            "{p} {region}"
        );
        // Abroad: a copy abroad; in Russia: none.
        assert_eq!(
            has(&r, "copy-abroad", &id),
            *country != "RU",
            "{p} {region}"
        );
    }
    // A region the table does not have is an error, never a guess.
    let bad = Inv::one(&format!(
        "{HEAD}databases:\n  - {{id: x, location: {{cloud: oracle, region: eu-frankfurt-9}}}}\n"
    ))
    .check(&["--offline"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
}

#[test]
fn non_adequate_country_names_the_confirmation_date_and_unlisted_territories() {
    let r = audit(
        "databases:\n  - {id: hk, role: backup, location: {country: HK}, personal_data: {}}\n  - {id: us, role: backup, location: {country: US}, personal_data: {}}\n  - {id: kz, role: backup, location: {country: KZ}, personal_data: {}}\n",
    );
    let f = of(&r, "non-adequate-country", "hk");
    let m = f["message"].as_str().unwrap();
    assert!(m.contains("last confirmed 2026-08-27"), "{m}");
    assert!(m.contains("HK: not named separately in the list"), "{m}");
    assert!(
        m.contains("152-FZ art. 12 p. 2, 10, 11 (p. 5 point 2)"),
        "{m}"
    );
    let ru = f["message_ru"].as_str().unwrap();
    assert!(ru.contains("не включено"), "{ru}");
    assert!(ru.contains("ч. 2, 10, 11 ст. 12 152-ФЗ"), "{ru}");
    assert!(!ru.contains("адекватн") || ru.contains("обеспечивающих адекватную защиту"));
    let us = of(&r, "non-adequate-country", "us")["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(!us.contains("not named separately"), "{us}");
    assert!(!has(&r, "non-adequate-country", "kz"));
}

/// One page on loopback that loads the Meta pixel; answers until the
/// test process ends (every read and write has a deadline).
fn pixel_site() -> std::net::SocketAddr {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut s = stream;
            let _ = s.set_read_timeout(Some(std::time::Duration::from_secs(5)));
            let _ = s.set_write_timeout(Some(std::time::Duration::from_secs(5)));
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let body = "<!doctype html><html><head><script>!function(f,b,e,v,n,t,s){}(window,document,'script','https://connect.facebook.net/en_US/fbevents.js');fbq('init', '123');</script></head><body><p>Привет</p></body></html>";
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    addr
}

#[test]
fn a_page_with_the_meta_pixel_is_a_banned_recipient_by_catalogue_service() {
    let dns = serve_zone(
        "$ORIGIN .\n$TTL 300\n. IN SOA ns.test. admin.test. 1 3600 600 86400 60\n. IN NS ns.test.\nns.test. IN A 127.0.0.1\nconnect.facebook.net. IN A 8.8.8.8\n",
    )
    .to_string();
    let site = format!("http://{}/", pixel_site());
    let inv = Inv::one(&format!(
        "{HEAD}databases:\n  - {{id: db, location: {{country: RU}}, personal_data: {{}}}}\n"
    ));
    let r = inv.check(&[
        "--format",
        "json",
        "--site",
        &site,
        "--dns",
        &dns,
        "--timeout",
        "0.5",
        "--attempts",
        "1",
        "--page-timeout",
        "5",
    ]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let r = r.json();
    let f = of(&r, "banned-recipient", "meta-pixel");
    assert!(
        f["evidence"]
            .to_string()
            .contains("matched by catalogue service `meta-pixel`"),
        "{:#}",
        f["evidence"]
    );
    assert_eq!(f["recipient_country"], "US");
}
