//! Issue 9: a gate that cannot be fooled. Each test reproduces a defect of
//! the independent attack and fails on the code before the fix: secrets
//! printed, inventory files skipped, temporary files followed, control
//! characters and workflow commands passed through, errors without a
//! position.

use std::path::Path;

use crate::common::*;

/// Every secret of the attack, as `hosts` entries (offline: what is shown
/// does not depend on DNS).
const LEAKS: &[(&str, &str)] = &[
    (
        "jdbc:sqlserver://mssql.example.ru:1433;user=sa;password=Leak1Sql",
        "Leak1Sql",
    ),
    ("postgres://u:Leak2/ss@pg.example.ru/db", "Leak2"),
    ("postgres://u:Leak3?ss@pg.example.ru/db", "Leak3"),
    ("app:Leak4@pg.example.ru:5432", "Leak4"),
    ("app:5432#Leak5@pg.example.ru", "Leak5"),
    (
        "https://s3.example.ru/b/k?X-Amz-Signature=Leak6sig&X-Amz-Date=1",
        "Leak6sig",
    ),
    (
        "https://app.example.ru/cb#access_token=Leak7tok&state=1",
        "Leak7tok",
    ),
    ("https://api.example.ru/v1?api-key=Leak8key", "Leak8key"),
    ("https://api.example.ru/v1?private_key=Leak9pk", "Leak9pk"),
    (
        "https://api.example.ru/v1?aws_secret_access_key=LeakAaws",
        "LeakAaws",
    ),
    ("https://api.example.ru/v1?jwt=LeakBjwt", "LeakBjwt"),
    ("https://api.example.ru/v1?session=LeakCses", "LeakCses"),
    ("host=pg.example.ru password='LeakD x' user=app", "LeakD"),
];

fn leaky_inventory() -> Inv {
    let mut y = String::from("version: 1\ndatabases:\n");
    for (i, (entry, _)) in LEAKS.iter().enumerate() {
        y.push_str(&format!(
            "  - id: db{i}\n    role: {}\n    hosts: [{entry:?}]\n    personal_data: {{}}\n",
            if i == 0 { "primary" } else { "replica" }
        ));
    }
    // Free text that quotes a DSN.
    y.push_str("waivers:\n  - {rule: location-unknown, entity: db1, reason: \"see postgres://ops:LeakEw@pg.example.ru/x\", approved_by: sec, expires: 2027-01-31}\n");
    Inv::one(&y)
}

fn assert_clean(what: &str, text: &str) {
    for (_, secret) in LEAKS {
        assert!(!text.contains(secret), "{what} shows `{secret}`:\n{text}");
    }
    assert!(
        !text.contains("LeakEw"),
        "{what} shows the waiver's DSN password"
    );
}

#[test]
fn no_format_and_no_stream_shows_a_credential() {
    let inv = leaky_inventory();
    for format in [
        "table", "json", "markdown", "html", "sarif", "junit", "gitlab", "github",
    ] {
        let r = inv.check(&["--offline", "--format", format]);
        assert!(r.code == 0 || r.code == 1, "{format}: {}", r.stderr);
        assert_clean(format, &r.stdout);
        assert_clean(&format!("{format} stderr"), &r.stderr);
    }
    // The hosts audited are the ones after the credentials.
    let r = inv.check_json(&["--offline"]);
    let text = r.to_string();
    assert!(!text.contains("\"app\""), "`app:5432#x@host` audits `app`");
    assert_eq!(
        entity(&r, "db4")["hosts"][0]["host"],
        "pg.example.ru",
        "{}",
        entity(&r, "db4")
    );
    // History: the run directory and its index.
    let r = run_in(
        &inv.path(),
        &[
            "report",
            "inventory.yaml",
            "--offline",
            "--out",
            "out",
            "--fail-on",
            "never",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_clean("report stderr", &r.stderr);
    for f in walk_files(&inv.path().join("out")) {
        assert_clean(
            &f.display().to_string(),
            &std::fs::read_to_string(&f).unwrap(),
        );
    }
}

fn walk_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk_files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn an_error_never_shows_a_credential() {
    let inv = Inv::one(
        "version: 1\ndatabases:\n  - {id: a, hosts: [\"jdbc:sqlserver://bad_host!:1433;password=LeakFerr\"], personal_data: {}}\n",
    );
    let r = inv.check(&["--offline"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!r.stderr.contains("LeakFerr"), "{}", r.stderr);
    assert!(r.stderr.contains("./inventory.yaml:3:"), "{}", r.stderr);
}

const PRIMARY_ABROAD: &str = "version: 1\ndatabases:\n  - {id: abroad, role: primary, hosts: [52.57.0.1], personal_data: {}}\n";

fn check_fails_with(inv: &Inv, expected: &str) -> String {
    let r = inv.check(&["--offline", "--format", "json"]);
    assert_eq!(r.code, 2, "a skipped file lets the gate pass: {}", r.stderr);
    assert!(
        r.stderr.contains(expected),
        "expected `{expected}` in:\n{}",
        r.stderr
    );
    r.stderr
}

#[test]
fn files_deeper_than_the_limit_are_an_error_not_a_skip() {
    let deep: String = (0..65).map(|i| format!("d{i}/")).collect();
    let inv = Inv::new(&[
        ("ok.yaml", "version: 1\n"),
        (&format!("{deep}abroad.yaml"), PRIMARY_ABROAD),
    ]);
    check_fails_with(&inv, "more than 64 directories deep");
}

#[cfg(unix)]
#[test]
fn symlinked_directories_loops_and_fifos_are_errors() {
    let outside = Inv::new(&[("abroad.yaml", PRIMARY_ABROAD)]);
    let inv = Inv::new(&[("ok.yaml", "version: 1\n")]);
    std::os::unix::fs::symlink(outside.path(), inv.path().join("linked")).unwrap();
    check_fails_with(&inv, "linked: a symlinked directory");

    let inv = Inv::new(&[("ok.yaml", "version: 1\n")]);
    std::os::unix::fs::symlink("loop.yaml", inv.path().join("loop.yaml")).unwrap();
    check_fails_with(&inv, "loop.yaml: a symlink that cannot be followed");

    let inv = Inv::new(&[("ok.yaml", "version: 1\n")]);
    let fifo = inv.path().join("pipe.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo");
    check_fails_with(&inv, "pipe.yaml: not a regular file");
}

/// Every file the command line can name is read through the one bounded
/// reader: a FIFO is refused at once (exit 2, the file named), never waited
/// on. Each run has a deadline: a run that blocks fails the test.
#[test]
fn every_file_option_refuses_a_fifo_instead_of_waiting() {
    let inv = Inv::one("version: 1\n");
    let fifo = inv.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo");
    let f = fifo.to_str().unwrap();
    let dir = inv.path();
    let d = dir.to_str().unwrap().to_string();
    let d = d.as_str();
    let cases: &[&[&str]] = &[
        &["check", d, "--offline", "--adequacy", f],
        &["check", d, "--offline", "--banned", f],
        &["check", d, "--offline", "--terraform", f],
        &["check", d, "--offline", "--baseline", f],
        &["check", d, "--geoip", f],
        &["check", d, "--offline", "--policy", f],
        &["--config", f, "rules"],
        &["policy", f],
        &["init", "--offline", "--hosts", f, "--out", "new"],
        &["scan-site", "https://127.0.0.1:9/", "--ca-cert", f],
        &["scan-site", "https://127.0.0.1:9/", "--tracker-db", f],
    ];
    for args in cases {
        let mut child = std::process::Command::new(BIN)
            .args(*args)
            .current_dir(&dir)
            .env_clear()
            .env("SOURCE_DATE_EPOCH", "1795564800")
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{args:?}: still waiting on the FIFO after 30 s");
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        };
        let mut err = String::new();
        std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
        assert_eq!(status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("pipe") && err.contains("not a regular file"),
            "{args:?}: {err}"
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_symlink_to_proc_cannot_pass_the_size_limit() {
    // /proc files say they are empty; the old check read metadata only.
    // /proc/self/pagemap is far larger than 16 MiB when read.
    let inv = Inv::new(&[("ok.yaml", "version: 1\n")]);
    std::os::unix::fs::symlink("/proc/self/pagemap", inv.path().join("big.yaml")).unwrap();
    let start = std::time::Instant::now();
    let e = check_fails_with(&inv, "big.yaml:");
    assert!(e.contains("file too large"), "{e}");
    assert!(start.elapsed() < std::time::Duration::from_secs(30));
}

#[test]
fn a_file_too_large_is_located() {
    let mut text = String::from("version: 1\n");
    let line = format!("# {}\n", "x".repeat(1022));
    while text.len() <= 16 * 1024 * 1024 {
        text.push_str(&line);
    }
    let inv = Inv::one(&text);
    let e = check_fails_with(&inv, "./inventory.yaml:16370:6: file too large");
    assert!(e.contains("file too large"), "{e}");
}

#[cfg(unix)]
#[test]
fn output_never_writes_through_a_planted_temporary_name() {
    let inv = Inv::one("version: 1\n");
    let victim = inv.path().join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    // The old temporary names were `.<name>.<pid>.tmp`: plant a wide range.
    for pid in 1..=4096 {
        let _ =
            std::os::unix::fs::symlink(&victim, inv.path().join(format!(".out.json.{pid}.tmp")));
    }
    for _ in 0..3 {
        let r = inv.check(&["--offline", "--format", "json", "--output", "out.json"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert!(
        std::fs::read_to_string(inv.path().join("out.json"))
            .unwrap()
            .contains("schema_version")
    );
}

const HOSTILE: &str = "version: 1\ndatabases:\n  - {id: db, name: \"evil\\e[31mRED\\a\\rX\", role: primary, hosts: [52.57.0.1], personal_data: {}}\nwaivers:\n  - {rule: primary-outside-ru, entity: db, countries: [DE], reason_code: art6-1-2, reason: \"ok\\n::error file=x::forged\\n##[warning]old\\e]0;title\\a\", approved_by: \"sec\\u202e\", expires: 2027-01-31}\n";

#[test]
fn control_characters_and_workflow_commands_are_escaped() {
    let inv = Inv::one(HOSTILE);
    for format in ["table", "github", "junit", "markdown", "gitlab", "html"] {
        let r = inv.check(&["--offline", "--format", format, "--fail-on", "never"]);
        assert_eq!(r.code, 0, "{format}: {}", r.stderr);
        for bad in ['\x1b', '\x07', '\r', '\u{202e}'] {
            assert!(
                !r.stdout.contains(bad),
                "{format} passes {bad:?} raw:\n{}",
                r.stdout
            );
        }
        for line in r.stdout.lines() {
            let t = line.trim_start();
            assert!(
                !t.starts_with("::error file=x") && !t.starts_with("##["),
                "{format}: a line reads as a workflow command: {line}"
            );
        }
    }
}

#[test]
fn file_names_in_errors_are_escaped() {
    let inv = Inv::new(&[("bad\x1b[2J\nforged: ok.yaml", "version: 3\n")]);
    let r = inv.check(&["--offline"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!r.stderr.contains('\x1b'), "{}", r.stderr);
    assert!(
        r.stderr.contains("bad\\x1b[2J\\nforged: ok.yaml"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.lines().any(|l| l.starts_with("forged")),
        "{}",
        r.stderr
    );
}

#[test]
fn an_earlier_report_cannot_inject_into_the_html() {
    let inv = Inv::one(PRIMARY_ABROAD);
    let hostile = r#"{"schema_version": 1, "generated_at": "x", "entities": [],
      "findings": [{"rule": "gone-rule", "entity": "e\u001b[31m", "countries": ["DE"],
                    "severity": "high", "message": "old \u001b]0;pwn\u0007 postgres://u:LeakGhist@h/db"}]}"#;
    std::fs::write(inv.path().join("before.json"), hostile).unwrap();
    let r = run_in(
        &inv.path(),
        &[
            "report",
            "inventory.yaml",
            "--offline",
            "--out",
            "out",
            "--compare",
            "before.json",
            "--fail-on",
            "never",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    for f in walk_files(&inv.path().join("out")) {
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(
            !text.contains('\x1b') && !text.contains('\x07'),
            "{}: raw escapes",
            f.display()
        );
        assert!(
            !text.contains("LeakGhist"),
            "{}: shows a password",
            f.display()
        );
    }
}

#[test]
fn baseline_and_compare_errors_are_located() {
    let inv = Inv::one(PRIMARY_ABROAD);
    std::fs::write(
        inv.path().join("bad.json"),
        "{\n  \"schema_version\": 1,\n  oops\n}\n",
    )
    .unwrap();
    let r = inv.check(&["--offline", "--baseline", "bad.json"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("bad.json:3:3:"), "{}", r.stderr);
    let r = run_in(
        &inv.path(),
        &[
            "report",
            "inventory.yaml",
            "--offline",
            "--out",
            "out",
            "--compare",
            "bad.json",
        ],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("bad.json:3:3:"), "{}", r.stderr);
    std::fs::write(inv.path().join("bin.json"), b"{\"a\": \"\xff\"}").unwrap();
    let r = inv.check(&["--offline", "--baseline", "bin.json"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("bin.json:1:8: not UTF-8 text"),
        "{}",
        r.stderr
    );
}
