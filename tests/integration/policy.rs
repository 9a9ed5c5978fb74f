//! `residency policy` and `check --policy`: the reader on files and URLs
//! (a real HTTP server on loopback), the policy-* rules (a fire and a
//! no-fire test each), the example's contradictions, and bad input.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use crate::common::{Inv, findings, has, run};

/// A small inventory: a primary database in RU operated by a hosting
/// provider, an analytics processor in the US that collects from users,
/// and a partner in RU.
const INV: &str = "version: 1
databases:
  - {id: main-db, role: primary, hosts: [10.1.0.1], location: {country: RU}, operated_by: hoster, personal_data: {categories: [phone]}}
processors:
  - {id: hoster, name: ООО «Хостер», country: RU, location: {country: RU}, instruction: Договор № 1}
  - {id: amplitude, name: \"Amplitude, Inc.\", country: US, hosts: [52.34.10.10], instruction: DPA, collects_from_subjects: true}
partners:
  - {id: partner-x, name: ООО «Партнёр Икс», country: RU, location: {country: RU}, legal_basis: consent}
transfers:
  - {from: main-db, to: partner-x, categories: [phone], purpose: referral}
networks:
  - {cidr: 10.0.0.0/8, country: RU}
";

fn check(policy: &str, extra: &[&str]) -> serde_json::Value {
    let inv = Inv::new(&[("inv/inventory.yaml", INV), ("policy.md", policy)]);
    let mut args = vec!["--offline", "--policy", "policy.md", "--format", "json"];
    args.extend_from_slice(extra);
    let mut all = vec!["check", "inv"];
    all.extend_from_slice(&args);
    let r = crate::common::run_in(inv.dir.path(), &all);
    assert!(r.code == 0 || r.code == 1, "exit {}: {}", r.code, r.stderr);
    r.json()
}

fn policy_findings(j: &serde_json::Value) -> Vec<(String, String)> {
    findings(j)
        .into_iter()
        .filter(|(r, _)| r.starts_with("policy-"))
        .collect()
}

/// A policy that says exactly what the small inventory does.
const TRUE_POLICY: &str = "# Политика

Оператор передаёт данные хостинг-провайдерам и партнёрам.

Для аналитики используется Amplitude (Amplitude, Inc., США).

Данные, собираемые Amplitude, передаются в Соединённые Штаты Америки.
";

#[test]
fn a_policy_that_matches_reality_has_no_policy_findings() {
    let j = check(TRUE_POLICY, &[]);
    assert_eq!(policy_findings(&j), Vec::<(String, String)>::new());
    // The JSON report shows what was read, with verdicts.
    let p = &j["policy"][0];
    assert_eq!(p["source"], "policy.md");
    let st = p["statements"].as_array().unwrap();
    let hosting = st.iter().find(|s| s["id"] == "hosting").unwrap();
    assert_eq!(hosting["line"], 3);
    assert_eq!(hosting["status"], "confirmed");
    assert_eq!(hosting["entities"], serde_json::json!(["hoster"]));
    let us = st.iter().find(|s| s["kind"] == "country").unwrap();
    assert_eq!(us["countries"], serde_json::json!(["US"]));
    assert_eq!(us["entities"], serde_json::json!(["amplitude"]));
    // What the policy names counts as declared for the undeclared-* rules.
    assert!(!has(&j, "undeclared-third-party", "amplitude"));
    assert!(!has(&j, "undeclared-cross-border", "amplitude"));
}

#[test]
fn policy_contradicted_fires_on_a_localisation_claim_and_not_without_one() {
    let claim = format!(
        "{TRUE_POLICY}\nПерсональные данные граждан РФ хранятся в базах данных, находящихся на территории Российской Федерации.\n"
    );
    let j = check(&claim, &[]);
    assert_eq!(
        policy_findings(&j),
        [("policy-contradicted".to_string(), "amplitude".to_string())]
    );
    let f = &j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "policy-contradicted")
        .unwrap();
    let ev: Vec<&str> = f["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    assert!(
        ev[0].starts_with("privacy policy policy.md:9: «Персональные данные граждан РФ хранятся"),
        "{ev:?}"
    );
    assert!(
        ev.iter().any(|e| e.contains("52.34.10.10")),
        "the audit's evidence: {ev:?}"
    );
    assert!(f["message"].as_str().unwrap().contains("(policy.md:9)"));
    // Negated: not a claim, no finding.
    let negated =
        format!("{TRUE_POLICY}\nПерсональные данные не хранятся только на территории РФ.\n");
    assert!(policy_findings(&check(&negated, &[])).is_empty());
}

#[test]
fn policy_contradicted_fires_on_no_transfer_abroad() {
    let j = check(
        &format!(
            "{TRUE_POLICY}\nPersonal data is never transferred outside the Russian Federation.\n"
        ),
        &[],
    );
    assert!(has(&j, "policy-contradicted", "amplitude"));
    assert!(
        !has(&j, "policy-contradicted", "main-db"),
        "main-db is in Russia"
    );
}

#[test]
fn policy_omits_recipient_fires_and_categories_cover() {
    // No partners category: partner-x is omitted; the hosting category covers hoster.
    let j = check(
        "Данные передаются хостинг-провайдерам и Amplitude в США.\n",
        &[],
    );
    assert_eq!(
        policy_findings(&j),
        [(
            "policy-omits-recipient".to_string(),
            "partner-x".to_string()
        )]
    );
    // A category listing its members covers those only.
    let j = check(
        "Данные передаются хостинг-провайдерам, партнёрам и системам аналитики Яндекс.Метрика (Россия) и ... в США.\n",
        &[],
    );
    assert!(
        has(&j, "policy-omits-recipient", "amplitude"),
        "{:?}",
        policy_findings(&j)
    );
    assert!(!has(&j, "policy-omits-recipient", "partner-x"));
    assert!(!has(&j, "policy-omits-recipient", "hoster"));
}

#[test]
fn policy_omits_country_fires_and_not_when_named_in_any_case() {
    let j = check(
        "Данные передаются хостинг-провайдерам, партнёрам и Amplitude.\n",
        &[],
    );
    assert_eq!(
        policy_findings(&j),
        [("policy-omits-country".to_string(), "amplitude".to_string())]
    );
    for named in ["США", "Соединённых Штатах", "the United States", "USA"] {
        let j = check(
            &format!("Данные передаются хостинг-провайдерам, партнёрам и Amplitude ({named}).\n"),
            &[],
        );
        assert!(
            policy_findings(&j).is_empty(),
            "{named}: {:?}",
            policy_findings(&j)
        );
    }
}

#[test]
fn policy_stale_fires_at_the_policy_line_and_not_for_what_is_found() {
    let j = check(
        &format!(
            "{TRUE_POLICY}\nМы используем Гугл Аналитикс; данные хранятся также в Германии.\n"
        ),
        &[],
    );
    let stale: Vec<_> = policy_findings(&j);
    assert_eq!(
        stale,
        [
            ("policy-stale".to_string(), "country:DE".to_string()),
            ("policy-stale".to_string(), "google-analytics".to_string())
        ]
    );
    let f = j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["entity"] == "google-analytics")
        .unwrap();
    assert_eq!(f["severity"], "low");
    assert_eq!(f["location"]["file"], "policy.md");
    assert_eq!(f["location"]["line"], 9);
    // TRUE_POLICY names Amplitude and the US, both found: no stale finding.
    assert!(policy_findings(&check(TRUE_POLICY, &[])).is_empty());
}

#[test]
fn without_policy_no_policy_rule_runs() {
    let r = run(&["check", "inventory/", "--offline", "--format", "json"]);
    assert!(policy_findings(&r.json()).is_empty());
    assert!(r.json().get("policy").is_none());
}

/// `check inventory/ --offline --policy inventory/policy.md ARGS`.
fn example(args: &[&str]) -> crate::common::Run {
    let mut all = vec![
        "check",
        "inventory/",
        "--offline",
        "--policy",
        "inventory/policy.md",
    ];
    all.extend_from_slice(args);
    run(&all)
}

#[test]
fn the_example_policy_is_contradicted_by_the_example_audit() {
    let r = example(&["--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let j = r.json();
    for e in [
        "offsite-backups",
        "analytics-dwh",
        "dialog-logs",
        "amplitude",
        "google-analytics",
    ] {
        assert!(has(&j, "policy-contradicted", e), "{e}");
        assert!(has(&j, "policy-omits-country", e), "{e}");
    }
    assert!(has(&j, "policy-omits-recipient", "google-analytics"));
    for e in [
        "selectel",
        "yandex-cloud",
        "unisender",
        "usedesk",
        "amplitude",
        "partner-market",
    ] {
        assert!(
            !has(&j, "policy-omits-recipient", e),
            "{e} is named or covered"
        );
    }
    assert!(has(&j, "policy-stale", "yandex-metrica"));
    // The inventory loader reads *.yaml only: policy.md is not an inventory file.
    let files = j["inventory"]["files"].as_array().unwrap();
    assert!(files.iter().all(|f| !f.as_str().unwrap().ends_with(".md")));
    // The table and Markdown reports have the section.
    let md = example(&["--format", "markdown", "--lang", "en"]);
    assert!(md.stdout.contains("## Policy vs reality"), "{}", md.stdout);
    assert!(md.stdout.contains("| inventory/policy.md:32 | says personal data is not transferred abroad | CONTRADICTED: amplitude, analytics-dwh, dialog-logs, google-analytics, offsite-backups |"));
    let html = example(&["--format", "html", "--lang", "ru"]);
    assert!(html.stdout.contains("<h2>Политика и реальность</h2>"));
    // SARIF: the policy file is an artifact, its lines related locations.
    let sarif = example(&["--format", "sarif"]).json();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let c = results
        .iter()
        .find(|r| r["ruleId"] == "policy-contradicted")
        .unwrap();
    assert_eq!(
        c["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "inventory/policy.md"
    );
    assert_eq!(
        c["relatedLocations"][0]["physicalLocation"]["region"]["startLine"],
        32
    );
    let s = results
        .iter()
        .find(|r| r["ruleId"] == "policy-stale")
        .unwrap();
    assert_eq!(
        s["locations"][0]["physicalLocation"]["region"]["startLine"],
        42
    );
}

#[test]
fn the_policy_command_shows_statements_of_an_html_policy_with_headings() {
    let inv = Inv::new(&[(
        "privacy.html",
        "<!doctype html><html><head><title>Политика</title></head><body>\n<h2>4. Хранение</h2>\n<p>Персональные данные хранятся на серверах в России\nи не передаются за пределы РФ.</p>\n<h2>5. Получатели</h2>\n<p>ООО «Яндекс» (сервис Яндекс.Метрика).</p>\n</body></html>\n",
    )]);
    let r = crate::common::run_in(
        inv.dir.path(),
        &["policy", "privacy.html", "--format", "json"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    assert_eq!(j["format"], "html");
    let st: Vec<(u64, &str, &str)> = j["statements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["line"].as_u64().unwrap(),
                s["kind"].as_str().unwrap(),
                s["heading"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        st,
        [
            (3, "localisation", "4. Хранение"),
            (3, "no-transfer", "4. Хранение"),
            (6, "recipient", "5. Получатели"),
            (6, "recipient", "5. Получатели"),
        ]
    );
    let table = crate::common::run_in(inv.dir.path(), &["policy", "privacy.html"]);
    assert!(
        table.stdout.contains("claims localisation"),
        "{}",
        table.stdout
    );
}

#[test]
fn non_text_and_unreadable_policies_exit_2() {
    let inv = Inv::new(&[("inv/inventory.yaml", INV)]);
    std::fs::write(
        inv.dir.path().join("policy.bin"),
        [0x7f, b'E', b'L', b'F', 0, 1, 2, 0xff],
    )
    .unwrap();
    std::fs::write(
        inv.dir.path().join("policy.docx"),
        b"PK\x03\x04\x14\x00rest",
    )
    .unwrap();
    for (args, needle) in [
        (
            vec!["policy", "policy.bin"],
            "policy.bin: not a text file (a NUL byte at offset 4)",
        ),
        (
            vec!["check", "inv", "--offline", "--policy", "policy.bin"],
            "policy.bin: not a text file",
        ),
        (
            vec!["check", "inv", "--offline", "--policy", "policy.docx"],
            "policy.docx: a ZIP archive (DOCX",
        ),
        (
            vec!["policy", "missing.md"],
            "missing.md: no such policy file",
        ),
        (
            vec![
                "check",
                "inv",
                "--offline",
                "--policy",
                "https://example.ru/privacy",
            ],
            "a URL cannot be fetched with --offline",
        ),
    ] {
        let r = crate::common::run_in(inv.dir.path(), &args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(needle), "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?}");
    }
}

/// Serve `body` as `content_type` to every request on loopback (a real
/// HTTP/1.1 server on a thread; each connection has a read deadline).
fn serve(body: &'static str, content_type: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
            let mut buf = [0u8; 4096];
            let mut req = Vec::new();
            while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                match s.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => req.extend_from_slice(&buf[..n]),
                }
            }
            let path = String::from_utf8_lossy(&req)
                .split_whitespace()
                .nth(1)
                .unwrap_or("")
                .to_string();
            let reply = if path == "/privacy" {
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                )
            } else {
                "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .to_string()
            };
            let _ = s.write_all(reply.as_bytes());
        }
    });
    format!("http://{addr}")
}

#[test]
fn a_policy_by_url_from_a_local_server() {
    let base = serve(
        "<html><body><h1>Privacy</h1>\n<p>We store personal data on servers in Russia.</p>\n<p>We use Google Analytics (Google LLC, USA).</p></body></html>",
        "text/html; charset=utf-8",
    );
    let url = format!("{base}/privacy");
    let r = run(&["policy", &url, "--format", "json", "--page-timeout", "10"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    assert_eq!(j["source"], url.as_str());
    let kinds: Vec<(u64, &str)> = j["statements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["line"].as_u64().unwrap(), s["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            (2, "localisation"),
            (3, "recipient"),
            (3, "recipient"),
            (3, "country")
        ]
    );
    // check --policy URL: the contradiction cites the URL and line.
    let inv = Inv::new(&[("inventory.yaml", INV)]);
    let r = inv.check(&["--policy", &url, "--format", "json", "--dns", "127.0.0.1:9"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let j = r.json();
    assert!(has(&j, "policy-contradicted", "amplitude"));
    assert!(
        has(&j, "policy-stale", "Google Analytics") || has(&j, "policy-stale", "google-analytics"),
        "{:?}",
        policy_findings(&j)
    );
    // A missing page is an error, not an empty policy.
    let r = run(&["policy", &format!("{base}/nope")]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("HTTP 404"), "{}", r.stderr);
}
