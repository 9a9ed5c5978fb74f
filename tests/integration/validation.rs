//! Every validation error of the contract (§1): exit 2, file:line:column,
//! all problems at once, nothing on stdout.

use crate::common::*;

/// Check that the inventory is rejected with each expected `file:line:col: …` fragment.
fn rejects(files: &[(&str, &str)], expected: &[&str]) -> String {
    let inv = Inv::new(files);
    let r = inv.check(&[]);
    assert_eq!(r.code, 2, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    assert_eq!(r.stdout, "", "nothing but the errors is written");
    for e in expected {
        assert!(r.stderr.contains(e), "expected `{e}` in:\n{}", r.stderr);
    }
    r.stderr
}

const V: &str = "version: 1\n";

#[test]
fn missing_path_and_empty_directory() {
    let r = run(&["check", "does/not/exist"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("does/not/exist: no such file or directory"),
        "{}",
        r.stderr
    );
    let inv = Inv::new(&[("notes.txt", "hello")]);
    let r = inv.check(&[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("holds no *.yaml or *.yml file"),
        "{}",
        r.stderr
    );
}

#[test]
fn not_utf8_and_binary() {
    let inv = Inv::new(&[]);
    std::fs::write(inv.path().join("a.yaml"), b"version: 1\nname: \xff\xfe\n").unwrap();
    std::fs::write(inv.path().join("b.yml"), b"version: 1\n\x00\x01\x02").unwrap();
    let r = inv.check(&[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("./a.yaml:2:7: not UTF-8 text"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("./b.yml:2:1: binary file"),
        "{}",
        r.stderr
    );
}

#[test]
fn yaml_syntax() {
    rejects(
        &[("a.yaml", "version: 1\ndatabases: [\n  {id: x\n")],
        &["./a.yaml:"],
    );
    rejects(
        &[("a.yaml", "version: 1\nversion: 1\n")],
        &["./a.yaml:2:1: YAML: duplicate mapping key"],
    );
}

#[test]
fn wrong_types() {
    rejects(
        &[(
            "a.yaml",
            "version: 1\ndatabases:\n  - id: db\n    hosts: 5\n",
        )],
        &["./a.yaml:4:12: invalid type: integer `5`, expected a list"],
    );
    rejects(
        &[(
            "a.yaml",
            "version: 1\nprocessors:\n  - id: p\n    country: RU\n    collects_from_subjects: maybe\n",
        )],
        &["./a.yaml:5:29: invalid type"],
    );
    rejects(
        &[("a.yaml", "version: 1\ndatabases: {}\n")],
        &["./a.yaml:2:12: expected a list"],
    );
}

#[test]
fn unknown_keys_with_hints() {
    let err = rejects(
        &[(
            "a.yaml",
            "version: 1\ndatabases:\n  - id: db\n    hostz: [a.example.ru]\n    role: primery\nprocesors: []\n",
        )],
        &[
            "./a.yaml:4:5: unknown key `hostz`",
            "did you mean `hosts`?",
            "./a.yaml:6:1: unknown key `procesors`",
            "did you mean `processors`?",
        ],
    );
    assert!(
        !err.contains("primery"),
        "one error per entity: the first one"
    );
}

#[test]
fn unknown_enum_values_with_hints() {
    rejects(
        &[(
            "a.yaml",
            "version: 1\ndatabases:\n  - id: db\n    role: primery\n",
        )],
        &[
            "./a.yaml:4:11: unknown value `primery`",
            "did you mean `primary`?",
        ],
    );
}

#[test]
fn missing_required_keys() {
    rejects(
        &[(
            "a.yaml",
            "version: 1\nprocessors:\n  - id: amplitude\n    name: Amplitude\n",
        )],
        &["./a.yaml:3:5: missing required key `country`"],
    );
    rejects(
        &[("a.yaml", "databases: []\n")],
        &["./a.yaml:1:1: missing required key `version`"],
    );
    rejects(&[("a.yaml", "")], &["./a.yaml:1:1: empty file"]);
}

#[test]
fn wrong_version() {
    rejects(
        &[("a.yaml", "version: 2\n")],
        &["./a.yaml:1:10: unsupported inventory version"],
    );
}

#[test]
fn duplicate_ids_across_files() {
    rejects(
        &[
            ("a.yaml", "version: 1\ndatabases:\n  - id: db\n"),
            (
                "b/c.yaml",
                "version: 1\nprocessors:\n  - {id: db, country: RU}\n",
            ),
        ],
        &["./b/c.yaml:3:5: duplicate id `db`: already used at ./a.yaml:3:5"],
    );
}

#[test]
fn dangling_references() {
    rejects(
        &[(
            "a.yaml",
            "version: 1\ndeclarations:\n  third_parties: [amplitud]\ndatabases:\n  - {id: db, operated_by: nobody}\nprocessors:\n  - {id: amplitude, country: US}\ntransfers:\n  - {from: db, to: amplitde}\n",
        )],
        &[
            "./a.yaml:3:19: declared third party `amplitud` names no processor or partner",
            "did you mean `amplitude`?",
            "./a.yaml:5:5: `operated_by: nobody` names no entity",
            "./a.yaml:9:20: transfer names no entity `amplitde`",
        ],
    );
}

#[test]
fn invalid_country_cidr_ip_hostname() {
    rejects(
        &[(
            "a.yaml",
            "version: 1\nnetworks:\n  - {cidr: 10.0.0.0/33, country: RU}\n  - {cidr: 10.1.0.0/16, country: UK}\ndatabases:\n  - id: db\n    hosts: [999.1.1.1, -bad-.example.ru, \"postgres://u:pw@host_ok.example.ru:99999/x\"]\n",
        )],
        &[
            "./a.yaml:3:12: `10.0.0.0/33` is not a CIDR network",
            "./a.yaml:4:34: `UK` is not an ISO 3166-1 alpha-2 country code",
            "the ISO code of the United Kingdom is `GB`",
            "./a.yaml:7:13: invalid host: `999.1.1.1` is not a valid IP address",
            "./a.yaml:7:24: invalid host: `-bad-.example.ru` is not a valid host name",
            "./a.yaml:7:42: invalid host: `99999` is not a port number (in `postgres://***@host_ok.example.ru:99999/x`)",
        ],
    );
}

#[test]
fn unknown_cloud_and_region() {
    rejects(
        &[(
            "a.yaml",
            "version: 1\ndatabases:\n  - {id: a, location: {cloud: yandex, region: ru-centrl1}}\n  - {id: b, location: {cloud: amazon-cloud, region: eu-central-1}}\n  - {id: c, location: {cloud: aws}}\n",
        )],
        &[
            "./a.yaml:3:47: unknown region `ru-centrl1` for cloud `yandex`",
            "did you mean `ru-central1`?",
            "./a.yaml:4:31: unknown cloud provider `amazon-cloud`",
            "`location.cloud` needs a `region`",
        ],
    );
}

#[test]
fn organization_and_declarations_in_one_file_only() {
    rejects(
        &[
            (
                "a.yaml",
                "version: 1\norganization: {name: A, country: RU}\n",
            ),
            (
                "b.yaml",
                "version: 1\norganization: {name: B, country: RU}\n",
            ),
        ],
        &["./b.yaml:2:1: `organization` is already given at ./a.yaml:2:1"],
    );
}

#[test]
fn every_error_of_every_file_at_once() {
    let err = rejects(
        &[
            (
                "a.yaml",
                "version: 1\ndatabases:\n  - {id: one, hostz: []}\n  - {id: two, location: {country: XX}}\n",
            ),
            (
                "b.yaml",
                "version: 1\npartners:\n  - {id: Bad Id, country: RU}\n",
            ),
        ],
        &[
            "./a.yaml:3:15: unknown key `hostz`",
            "./a.yaml:4:35: `XX` is not",
            "./b.yaml:3:10: invalid id `Bad Id`",
            "3 problems in the inventory",
        ],
    );
    assert!(
        err.find("./a.yaml").unwrap() < err.find("./b.yaml").unwrap(),
        "sorted by file"
    );
}

#[test]
fn alias_bomb_and_deep_nesting_are_stopped_by_their_budgets() {
    let mut bomb = String::from("version: 1\na: &a [x,x,x,x,x,x,x,x,x,x]\n");
    for i in 1..12 {
        let (p, c) = ((b'a' + i - 1) as char, (b'a' + i) as char);
        bomb.push_str(&format!(
            "{c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n"
        ));
    }
    let deep = format!("version: 1\ndatabases: {}\n", "[".repeat(50_000));
    // Not a timing assertion (benchmarks measure time): the budgets, not
    // the machine, must be what stops each document, so the error names
    // the limit that was hit.
    for (text, limit) in [
        (bomb, "alias replay limit exceeded"),
        (deep, "recursion limit exceeded"),
    ] {
        let inv = Inv::one(&text);
        let r = inv.check(&[]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(r.stderr.contains("./inventory.yaml:"), "{}", r.stderr);
        assert!(r.stderr.contains(limit), "{}", r.stderr);
    }
}

#[test]
fn nothing_is_written_on_invalid_input() {
    let inv = Inv::new(&[("inv/a.yaml", "version: 3\n")]);
    let r = run_in(
        &inv.path(),
        &[
            "check",
            "inv",
            "--output",
            "report.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(r.code, 2);
    assert!(!inv.path().join("report.json").exists());
}

#[test]
fn v_is_fine() {
    // A minimal valid inventory: no findings, exit 0.
    let inv = Inv::one(V);
    let r = inv.check(&[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("PASSED: 0 findings"), "{}", r.stdout);
}

#[test]
fn errors_show_the_line_with_a_caret_redacted_and_escaped() {
    let inv = Inv::new(&[
        (
            "a.yaml",
            "version: 1\ndatabases:\n  - id: db\n    hosts: [b.example.com]\n",
        ),
        (
            "b.yaml",
            "version: 1\ndatabases:\n  - id: db\n    hosts: [c.example.com]\n  - {id: x, hosts: [\"postgres://u:hunter2@10.0.0.1/x\u{202e}\"], regon: 1}\n",
        ),
    ]);
    let r = inv.check(&[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    // The caret stays under `regon` although the password before it is
    // masked and the bidi override escaped; the duplicate points back at
    // its first use in the other file.
    let want = "\
error: ./b.yaml:3:5: duplicate id `db`: already used at ./a.yaml:3:5
  |
3 |   - id: db
  |     ^
  |
 ::: ./a.yaml:3:5
  |
3 |   - id: db
  |     - first used here

error: ./b.yaml:5:58: unknown key `regon`
  |
5 |   - {id: x, hosts: [\"postgres://***@10.0.0.1/x\\u{202e}\"], regon: 1}
  |                                                           ^
  |
  = help: expected one of: id, name, role, engine, hosts, location, operated_by, personal_data, terraform

error: 2 problems in the inventory; nothing was evaluated
";
    assert_eq!(r.stderr, want);
    assert!(!r.stderr.contains("hunter2"));
}
