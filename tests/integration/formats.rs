//! Every format on the example, in both languages: snapshots, and what each
//! consumer needs — SARIF valid against the official 2.1.0 schema with the
//! right YAML lines, JUnit well-formed with the expected counts, Markdown
//! and HTML escaping whatever an inventory holds.

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::*;
use crate::example::snapshot;

fn example(args: &[&str]) -> Run {
    let mut all = vec!["check", "inventory/"];
    all.extend_from_slice(args);
    let r = run(&all);
    assert_eq!(r.code, 1, "the example fails the gate: {}", r.stderr);
    r
}

#[test]
fn snapshots_of_every_format_in_both_languages() {
    for (name, args) in [
        ("example.ru.txt", &["--lang", "ru"][..]),
        ("example.md", &["--format", "markdown"][..]),
        (
            "example.ru.md",
            &["--format", "markdown", "--lang", "ru"][..],
        ),
        ("example.html", &["--format", "html"][..]),
        ("example.ru.html", &["--format", "html", "--lang", "ru"][..]),
        ("example.sarif", &["--format", "sarif"][..]),
        ("example.junit.xml", &["--format", "junit"][..]),
    ] {
        let r = example(args);
        snapshot(name, &r.stdout);
        assert_eq!(r.stdout, example(args).stdout, "{name}: byte-identical");
    }
}

#[test]
fn english_table_is_unchanged_by_lang_en() {
    assert_eq!(example(&[]).stdout, example(&["--lang", "en"]).stdout);
}

#[test]
fn language_comes_from_the_locale() {
    let with_env = |var: &str, val: &str| {
        let out = std::process::Command::new(BIN)
            .args(["check", "inventory/", "--format", "markdown"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_clear()
            .env("SOURCE_DATE_EPOCH", "1795564800")
            .env(var, val)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(with_env("LANG", "ru_RU.UTF-8").starts_with("# Аудит локализации"));
    assert!(with_env("LC_ALL", "ru_RU.UTF-8").starts_with("# Аудит локализации"));
    assert!(with_env("LANG", "de_DE.UTF-8").starts_with("# Personal data residency audit"));
    assert!(with_env("LANG", "C").starts_with("# Personal data residency audit"));
}

#[test]
fn russian_reports_are_russian_with_law_and_fines() {
    let md = example(&["--format", "markdown", "--lang", "ru"]).stdout;
    for s in [
        "## Замечания",
        "### Критические (2)",
        "**Норма:** ч. 5 ст. 18 152-ФЗ",
        "**Штраф (ст. 13.11 КоАП РФ):** юридические лица — 1–6 млн руб. (ч. 8), повторно 6–18 млн руб. (ч. 9); должностные лица — 100–200 тыс. / 500–800 тыс. руб.; граждане — 30–50 тыс. / 50–100 тыс. руб.",
        "US (США)",
        "записывает персональные данные граждан РФ в US",
        "## Где находятся данные",
        "НЕ ПРОЙДЕН",
    ] {
        assert!(md.contains(s), "missing {s:?}");
    }
    assert!(!md.contains("Findings") && !md.contains("records Russian citizens"));
    let en = example(&["--format", "markdown"]).stdout;
    assert!(en.contains("**Fine (KoAP art. 13.11):** legal entities 1–6 M RUB (part 8), repeat 6–18 M RUB (part 9); officials 100–200 k / 500–800 k RUB; citizens 30–50 k / 50–100 k RUB"));
    assert!(en.contains("**Law:** 152-FZ art. 18 p. 5"));
    let table = example(&["--lang", "ru"]).stdout;
    assert!(table.contains("КРИТИЧЕСКОЕ"));
    assert!(table.contains("НЕ ПРОЙДЕН: 21 замечание: 2 критических, 11 высоких, 8 средних"));
}

fn sarif_validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sarif/sarif-schema-2.1.0.json"),
        )
        .unwrap(),
    )
    .unwrap();
    // Formats asserted too: `uri-reference` for locations, `date-time`.
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn schema_errors(v: &jsonschema::Validator, doc: &serde_json::Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn sarif_is_valid_and_points_at_the_yaml_lines() {
    let validator = sarif_validator();
    let r = example(&["--format", "sarif"]);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let errors = schema_errors(&validator, &doc);
    assert!(errors.is_empty(), "{errors:#?}");

    // The validator does reject a broken log.
    let mut broken = doc.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    broken["version"] = "2.0.0".into();
    assert!(schema_errors(&validator, &broken).len() >= 2);

    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    // Every rule `residency rules` lists, once.
    let listed = crate::common::run(&["rules"]).stdout;
    let registered = listed
        .lines()
        .filter(|l| l.starts_with("│ ") && !l.starts_with("│ Rule"))
        .count();
    assert!(registered >= 9, "{listed}");
    assert_eq!(ids.len(), registered);
    assert_eq!(unique.len(), registered, "one descriptor per rule id");
    for r in rules {
        let help = r["help"]["markdown"].as_str().unwrap();
        assert!(help.starts_with(&format!("# {}", r["id"].as_str().unwrap())));
        assert!(help.contains("## How to fix"));
    }
    let all = run["results"].as_array().unwrap();
    let json = example(&["--format", "json"]).json();
    // Waived findings come last, suppressed with the waiver's justification.
    let waived = json["waived"].as_array().unwrap();
    assert!(!waived.is_empty(), "the example has a waiver");
    let (results, suppressed) = all.split_at(all.len() - waived.len());
    for (res, w) in suppressed.iter().zip(waived) {
        assert_eq!(res["ruleId"], w["rule"]);
        assert_eq!(res["suppressions"][0]["kind"], "external");
        let why = res["suppressions"][0]["justification"].as_str().unwrap();
        assert!(
            why.contains(w["waiver"]["approved_by"].as_str().unwrap()),
            "{why}"
        );
    }
    assert!(results.iter().all(|r| r.get("suppressions").is_none()));
    assert_eq!(results.len(), json["findings"].as_array().unwrap().len());
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (res, f) in results.iter().zip(json["findings"].as_array().unwrap()) {
        let rule = res["ruleId"].as_str().unwrap();
        assert_eq!(rule, f["rule"]);
        assert_eq!(ids[res["ruleIndex"].as_u64().unwrap() as usize], rule);
        let level = res["level"].as_str().unwrap();
        let expected = match f["severity"].as_str().unwrap() {
            "critical" | "high" => "error",
            "medium" => "warning",
            _ => "note",
        };
        assert_eq!(level, expected);
        let loc = &res["locations"][0]["physicalLocation"];
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            uri.starts_with("inventory/"),
            "relative to the repository: {uri}"
        );
        let line = loc["region"]["startLine"].as_u64().unwrap() as usize;
        let col = loc["region"]["startColumn"].as_u64().unwrap() as usize;
        let text = std::fs::read_to_string(root.join(uri)).unwrap();
        let at = text.lines().nth(line - 1).unwrap();
        let entity = f["entity"].as_str().unwrap();
        assert!(
            at[col - 1..].contains(&format!("id: {entity}")),
            "{rule} {entity}: line {line} col {col} is {at:?}"
        );
    }
    let amp = results
        .iter()
        .find(|r| r["ruleId"] == "primary-outside-ru" && r["properties"]["entity"] == "amplitude")
        .unwrap();
    assert_eq!(
        amp["locations"][0]["physicalLocation"]["region"]["startLine"],
        29
    );
}

#[test]
fn sarif_of_a_hostile_inventory_is_still_valid() {
    let inv = Inv::new(&[(
        "my inv/inventory.yaml",
        "version: 1\nprocessors:\n  - {id: x, name: \"<img src=x onerror=alert(1)> \\\" \\\\ \\u0001\", country: US, collects_from_subjects: true}\n",
    )]);
    let r = run_in(&inv.path(), &["check", "my inv", "--format", "sarif"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let errors = schema_errors(&sarif_validator(), &doc);
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(
        doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "my%20inv/inventory.yaml"
    );
}

#[test]
fn junit_is_well_formed_with_one_case_per_entity() {
    let json = example(&["--format", "json"]).json();
    let entities: Vec<String> = json["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    for (gate, failing) in [
        ("high", &["high", "critical"][..]),
        ("never", &[][..]),
        ("medium", &["medium", "high", "critical"][..]),
    ] {
        let r = run(&[
            "check",
            "inventory/",
            "--format",
            "junit",
            "--fail-on",
            gate,
        ]);
        let doc = roxmltree::Document::parse(&r.stdout).expect("well-formed XML");
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "testsuites");
        let cases: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        let names: Vec<&str> = cases.iter().map(|c| c.attribute("name").unwrap()).collect();
        assert_eq!(names, entities, "one case per entity, in inventory order");
        let expected: BTreeSet<&str> = json["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| failing.contains(&f["severity"].as_str().unwrap()))
            .map(|f| f["entity"].as_str().unwrap())
            .collect();
        let failed: BTreeSet<&str> = cases
            .iter()
            .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
            .map(|c| c.attribute("name").unwrap())
            .collect();
        assert_eq!(failed, expected, "--fail-on {gate}");
        assert_eq!(
            root.attribute("tests"),
            Some(entities.len().to_string().as_str())
        );
        assert_eq!(
            root.attribute("failures"),
            Some(expected.len().to_string().as_str())
        );
        let suite = root.first_element_child().unwrap();
        assert_eq!(suite.attribute("failures"), root.attribute("failures"));
        let amplitude = cases
            .iter()
            .find(|c| c.attribute("name") == Some("amplitude"))
            .unwrap();
        assert_eq!(
            amplitude.attribute("classname"),
            Some("residency.processor")
        );
        assert_eq!(amplitude.attribute("line"), Some("29"));
    }
}

#[test]
fn junit_and_markdown_escape_hostile_names() {
    let hostile = "<img src=x onerror=alert(1)> & ]]> | `x` *y*";
    let inv = Inv::one(&format!(
        "version: 1\nprocessors:\n  - id: evil\n    name: {hostile:?}\n    country: US\n    collects_from_subjects: true\n"
    ));
    let r = inv.check(&["--format", "junit"]);
    let doc = roxmltree::Document::parse(&r.stdout).expect("well-formed XML");
    let failure = doc
        .descendants()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert!(
        failure.text().unwrap().contains(hostile),
        "the text survives intact"
    );
    let md = inv.check(&["--format", "markdown"]).stdout;
    for line in md.lines().filter(|l| l.contains("<img")) {
        // Code spans show their content literally, HTML included.
        assert!(
            line.starts_with("  - ``"),
            "raw HTML outside a code span: {line}"
        );
    }
    assert!(md.contains("&lt;img src=x onerror=alert(1)&gt; &amp; \\]\\]&gt; \\| \\`x\\` \\*y\\*"));
    let html = inv.check(&["--format", "html"]).stdout;
    assert!(!html.contains("<img"), "no raw tag in HTML");
    assert!(
        html.contains("&#60;img src=x onerror=alert(1)&#62;")
            || html.contains("&lt;img src=x onerror=alert(1)&gt;")
    );
}

#[test]
fn html_is_self_contained() {
    for lang in ["en", "ru"] {
        let html = example(&["--format", "html", "--lang", lang]).stdout;
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains(&format!("<html lang=\"{lang}\">")));
        assert!(html.contains("<svg"), "the map is inline");
        for external in [
            "<script",
            "<link",
            "<img",
            "@import",
            "url(http",
            "src=",
            "href=\"http",
        ] {
            assert!(!html.contains(external), "{lang}: {external}");
        }
        // The only absolute URLs are XML namespaces.
        let urls: Vec<&str> = html
            .match_indices("://")
            .map(|(i, _)| i.saturating_sub(5))
            .map(|i| &html[i..(i + 30).min(html.len())])
            .collect();
        assert!(
            urls.iter()
                .all(|u| u.starts_with("\"http://www.w3.org/2000/svg\"")),
            "{urls:?}"
        );
    }
}
