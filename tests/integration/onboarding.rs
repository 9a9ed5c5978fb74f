//! From a fresh clone to an audit of one's own systems: `init`, the
//! config file `residency.toml`, shell completions and the man page.
//! (`init --site` on the fixture site is in site.rs, beside its server.)

use std::path::Path;

use crate::common::*;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn init_from_a_terraform_plan_writes_an_inventory_that_check_runs_on() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("inv");
    let plan = repo().join("tests/fixtures/terraform/aws.json");
    let r = run_in(
        tmp.path(),
        &[
            "init",
            "--terraform",
            plan.to_str().unwrap(),
            "--out",
            "inv",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("then run `residency check"),
        "{}",
        r.stderr
    );
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["databases.yaml", "operator.yaml", "schema.json"]);
    for yaml in ["databases.yaml", "operator.yaml"] {
        assert!(
            read(&out.join(yaml)).starts_with("# yaml-language-server: $schema=./schema.json\n"),
            "{yaml} names the schema"
        );
    }
    let schema = run(&["schema"]);
    assert_eq!(read(&out.join("schema.json")), schema.stdout);
    let db = read(&out.join("databases.yaml"));
    // Each storage resource: its address as the link, its cloud and region.
    assert!(
        db.contains(
            "  - id: \"sessions\"\n    name: \"DynamoDB table aws_dynamodb_table.sessions\"\n"
        ),
        "{db}"
    );
    assert!(
        db.contains("terraform: [\"aws_dynamodb_table.sessions\"]"),
        "{db}"
    );
    assert!(
        db.contains("location: {cloud: aws, region: eu-central-1}"),
        "{db}"
    );
    assert!(
        db.contains("# Where: aws eu-west-1 = IE (from `replica[].region_name`)"),
        "{db}"
    );
    assert!(
        db.contains("location: {cloud: aws, region: us-east-1}"),
        "{db}"
    );
    // A resource the plan cannot place is left to fill in, never guessed.
    assert!(db.contains("# location: FIXME"), "{db}");
    let op = read(&out.join("operator.yaml"));
    assert!(
        op.contains("name: \"FIXME: the operator's legal name\""),
        "{op}"
    );

    // The inventory validates and check judges it at once, plan included.
    let c = run_in(
        tmp.path(),
        &[
            "check",
            "inv",
            "--offline",
            "--format",
            "json",
            "--terraform",
            plan.to_str().unwrap(),
        ],
    );
    assert_eq!(c.code, 1, "{}", c.stderr);
    let report = c.json();
    assert!(
        has(&report, "primary-outside-ru", "sessions"),
        "{}",
        c.stdout
    );
    assert_eq!(
        entity(&report, "sessions")["countries"],
        serde_json::json!(["DE", "IE"])
    );
    // No storage resource of the plan is left unlisted.
    assert!(
        !findings(&report)
            .iter()
            .any(|(rule, _)| rule == "unlisted-storage"),
        "{:?}",
        findings(&report)
    );
}

#[test]
fn init_never_overwrites_and_reads_every_input_first() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("inv")).unwrap();
    std::fs::write(tmp.path().join("inv/operator.yaml"), "mine\n").unwrap();
    let r = run_in(tmp.path(), &["init", "--out", "inv"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("operator.yaml exists already"),
        "{}",
        r.stderr
    );
    assert_eq!(read(&tmp.path().join("inv/operator.yaml")), "mine\n");
    assert!(
        !tmp.path().join("inv/databases.yaml").exists(),
        "nothing written"
    );

    // A bad plan and a bad hosts line: both named, nothing written.
    std::fs::write(tmp.path().join("plan.json"), "{\"format_version\": ").unwrap();
    std::fs::write(
        tmp.path().join("hosts.txt"),
        "# db hosts\nok.example.ru\nbad host!\n",
    )
    .unwrap();
    let r = run_in(
        tmp.path(),
        &[
            "init",
            "--terraform",
            "plan.json",
            "--hosts",
            "hosts.txt",
            "--out",
            "new",
        ],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("plan.json:1:"), "{}", r.stderr);
    assert!(
        r.stderr.contains("hosts.txt:3:1: invalid host"),
        "{}",
        r.stderr
    );
    assert!(!tmp.path().join("new").exists());
}

#[test]
fn init_places_the_hosts_of_a_list_with_the_evidence() {
    let dns = serve_zone(ZONE).to_string();
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("hosts.txt"),
        "# our databases\n\
         postgres://app:S3cret@ru-db.audit.test:5432/accounts\n\
         www.audit.test   # the CNAME chain\n\
         10.10.1.5\n\
         \n\
         redis://de-db.audit.test\n",
    )
    .unwrap();
    let r = run_in(
        tmp.path(),
        &[
            "init",
            "--hosts",
            "hosts.txt",
            "--dns",
            &dns,
            "--out",
            "inv",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let db = read(&tmp.path().join("inv/databases.yaml"));
    assert!(
        !db.contains("S3cret"),
        "credentials are never written: {db}"
    );
    for want in [
        "  # From the hosts file, line 2: postgres://***@ru-db.audit.test:5432/accounts\n",
        "  # ru-db.audit.test -> 77.88.8.8 -> RU (geoip)\n",
        "  - id: \"ru-db\"\n",
        "    engine: postgresql\n",
        "    hosts: [\"ru-db.audit.test:5432\"]\n",
        "  # www.audit.test -> alias1.audit.test -> lb.audit.test -> 65.21.1.1 -> FI (geoip)\n",
        "  # Outside Russia: FI\n",
        "  # 10.10.1.5 -> ?? (unplaced)\n",
        "  # FIXME: an address no database places: add its network to `networks:` in operator.yaml\n",
        "  - id: \"de-db\"\n    role: primary  # FIXME: check the role\n    engine: redis\n",
    ] {
        assert!(db.contains(want), "missing {want:?} in\n{db}");
    }
    let c = run_in(
        tmp.path(),
        &["check", "inv", "--dns", &dns, "--format", "json"],
    );
    assert_eq!(c.code, 1, "{}", c.stderr);
    let report = c.json();
    assert!(has(&report, "primary-outside-ru", "de-db"), "{}", c.stdout);
    assert!(
        has(&report, "location-unknown", "10-10-1-5"),
        "{}",
        c.stdout
    );
}

#[test]
fn config_file_sets_defaults_that_flags_override() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("conf")).unwrap();
    std::fs::write(
        tmp.path().join("conf/residency.toml"),
        "# team settings\n\
         inventory = \"../inv\"\n\
         fail-on = \"never\"\n\
         lang = \"ru\"\n\
         offline = true\n\
         \n\
         [dns]\n\
         timeout = 0.5\n",
    )
    .unwrap();
    let inv = repo().join("inventory");
    std::os::unix::fs::symlink(&inv, tmp.path().join("inv")).unwrap();
    // Found in the working directory; its relative paths are the file's.
    let r = run_in(&tmp.path().join("conf"), &["check"]);
    assert_eq!(r.code, 0, "fail-on never: {}", r.stderr);
    assert!(r.stdout.contains("Критичность"), "lang ru: {}", r.stdout);
    // A flag wins over the file.
    let r = run_in(
        &tmp.path().join("conf"),
        &["check", "--fail-on", "high", "--lang", "en"],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("Where the data is"), "{}", r.stdout);
    // --config from elsewhere.
    let r = run_in(tmp.path(), &["check", "--config", "conf/residency.toml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // `config` shows each value and where it came from.
    let r = run_in(&tmp.path().join("conf"), &["config"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for want in [
        "fail-on = \"never\"  # from residency.toml:3:1\n",
        "offline = true  # from residency.toml:5:1\n",
        "[dns]\n",
        "timeout = 0.5  # from residency.toml:8:1\n",
        "attempts = 2  # default\n",
        "report-dir = \"reports/\"  # default\n",
    ] {
        assert!(r.stdout.contains(want), "missing {want:?} in\n{}", r.stdout);
    }
    // Without a file: the defaults.
    let r = run_in(tmp.path(), &["config"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("no residency.toml here"), "{}", r.stdout);
    assert!(
        r.stdout.contains("fail-on = \"high\"  # default\n"),
        "{}",
        r.stdout
    );
}

#[test]
fn config_file_errors_are_located_with_a_hint() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("residency.toml"),
        "fail_on = \"high\"\nlang = \"de\"\ntimeout = 3\n[dns]\nservr = \"127.0.0.1\"\nattempts = \"two\"\n",
    )
    .unwrap();
    let r = run_in(tmp.path(), &["check"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    for want in [
        "error: residency.toml:1:1: unknown key `fail_on`\n  = help: did you mean `fail-on`?",
        "error: residency.toml:2:8: `lang`: `de` is not one of ru, en",
        "error: residency.toml:3:1: unknown key `timeout`\n  = help: `timeout` belongs in the [dns] table: `dns.timeout`",
        "error: residency.toml:5:1: unknown key `dns.servr`\n  = help: did you mean `dns.server`?",
        "error: residency.toml:6:12: `dns.attempts`: expected a whole number, found a string",
        "error: 5 problems in the config file; nothing was run",
    ] {
        let messages = r.stderr_messages();
        assert!(messages.contains(want), "missing {want:?} in\n{}", r.stderr);
    }
    assert!(r.stdout.is_empty());

    std::fs::write(tmp.path().join("bad.toml"), "inventory = [\n").unwrap();
    let r = run_in(tmp.path(), &["config", "--config", "bad.toml"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("error: bad.toml:"), "{}", r.stderr);
    assert!(r.stderr.contains("not TOML"), "{}", r.stderr);
    let r = run_in(tmp.path(), &["rules", "--config", "missing.toml"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("missing.toml: no such config file"),
        "{}",
        r.stderr
    );
}

/// Every subcommand the binary has, from its help.
fn subcommands() -> Vec<String> {
    let help = run(&["--help"]).stdout;
    let list = help
        .split("Commands:\n")
        .nth(1)
        .and_then(|s| s.split("\n\n").next())
        .expect("a Commands section");
    let names: Vec<String> = list
        .lines()
        // A command starts its line; its description may wrap below it.
        .filter_map(|l| l.strip_prefix("  ").filter(|r| !r.starts_with(' ')))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "help")
        .map(str::to_string)
        .collect();
    for want in ["check", "init", "config", "completions", "man"] {
        assert!(names.iter().any(|n| n == want), "{want} in {names:?}");
    }
    names
}

#[test]
fn completions_for_every_shell_name_every_subcommand() {
    let subs = subcommands();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let r = run(&["completions", shell]);
        assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
        for s in &subs {
            assert!(
                r.stdout.contains(s.as_str()),
                "{shell} completion lacks {s}"
            );
        }
        assert!(r.stdout.contains("fail-on"), "{shell} completes flags");
    }
    let r = run(&["completions", "tcsh"]);
    assert_eq!(r.code, 2);
}

#[test]
fn man_pages_cover_every_subcommand() {
    let subs = subcommands();
    let r = run(&["man"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with(".ie \\n(.g .ds Aq"),
        "roff: {}",
        &r.stdout[..80.min(r.stdout.len())]
    );
    assert!(r.stdout.contains(".TH residency 1"), "{}", r.stdout);
    for s in &subs {
        let roff = s.replace('-', "\\-");
        assert!(
            r.stdout.contains(&format!("residency\\-{roff}(1)")),
            "man page lists {s}"
        );
    }
    let tmp = tempfile::tempdir().unwrap();
    let r = run_in(tmp.path(), &["man", "--out", "man"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for s in &subs {
        let page = read(&tmp.path().join(format!("man/residency-{s}.1")));
        assert!(page.contains(&format!(".TH residency-{s} 1")), "{page}");
    }
    assert!(read(&tmp.path().join("man/residency-check.1")).contains("fail\\-on"));
}

#[test]
fn the_readme_config_example_is_a_valid_config() {
    let readme = read(&repo().join("README.md"));
    let example = readme
        .split("```toml\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .expect("README has a ```toml block");
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("residency.toml"), example).unwrap();
    let r = run_in(tmp.path(), &["config"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Every key the README shows is set from the file: none is defaulted.
    assert!(!r.stdout.contains("# default"), "{}", r.stdout);
    assert!(!r.stdout.contains("(default:"), "{}", r.stdout);
}
