//! The README's copy-paste pipelines cannot rot: the GitHub Actions job,
//! the GitLab CI job and the pre-commit hook are read from the files the
//! README quotes verbatim, and every `residency` command in them runs here
//! against the example, in a directory laid out as the job expects
//! (`inventory/`, `tfplan.json`, `residency-baseline.json`). Installing
//! residency and running Terraform need the network and cloud credentials:
//! the test puts a fixture plan where `terraform show -json` would write it.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;
use crate::gate::*;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn yaml(path: &str) -> (String, serde_json::Value) {
    let text = std::fs::read_to_string(repo(path)).unwrap();
    let node = residency::inventory::yaml::parse(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    let v: serde_json::Value =
        residency::inventory::yaml::from_node(&node).unwrap_or_else(|e| panic!("{path}: {e}"));
    (text, v)
}

fn residency_lines(script: &str) -> Vec<String> {
    script
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("residency "))
        .map(str::to_string)
        .collect()
}

/// A job directory: the example, a plan where Terraform would write it,
/// and the committed baseline.
fn workspace(plan_fixture: &str) -> Inv {
    let inv = example();
    std::fs::copy(plan(plan_fixture), inv.path().join("tfplan.json")).unwrap();
    let r = run_at(
        &inv,
        &[
            "check",
            "inventory/",
            "--format",
            "json",
            "--output",
            "residency-baseline.json",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    inv
}

/// Run one pipeline command with `sh`, the built binary first on PATH.
fn sh(inv: &Inv, command: &str) -> Run {
    let bin_dir = Path::new(BIN).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("sh")
        .arg("-c")
        .arg(command)
        .current_dir(inv.path())
        .env_clear()
        .env("PATH", path)
        .env("SOURCE_DATE_EPOCH", "1795564800")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Check what a command left behind: the file it was told to write.
fn check_output(inv: &Inv, command: &str) {
    let Some(out) = command
        .split_whitespace()
        .skip_while(|w| *w != "--output")
        .nth(1)
    else {
        return;
    };
    let text = std::fs::read_to_string(inv.path().join(out))
        .unwrap_or_else(|e| panic!("{command}: {out}: {e}"));
    if command.contains("--format junit") {
        assert!(text.contains("<testsuite"), "{out}");
    } else {
        let v: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{out}: {e}"));
        if command.contains("--format sarif") {
            assert_eq!(v["version"], "2.1.0", "{out}");
        }
        if command.contains("--format gitlab") {
            assert!(
                v.as_array().is_some_and(|a| !a.is_empty()),
                "{out}: the example has findings"
            );
        }
    }
}

/// Run a job's commands; the exit code of the last (the gate).
fn run_job(inv: &Inv, commands: &[String]) -> i32 {
    assert!(!commands.is_empty());
    let mut last = None;
    for c in commands {
        let r = sh(inv, c);
        assert!(
            r.code == 0 || r.code == 1,
            "`{c}` exited {}: {}",
            r.code,
            r.stderr
        );
        if c.contains("--fail-on never") {
            assert_eq!(r.code, 0, "{c}");
        }
        check_output(inv, c);
        last = Some(r.code);
    }
    last.expect("the gate command ran")
}

#[test]
fn the_readme_quotes_the_pipeline_files_verbatim() {
    let readme = std::fs::read_to_string(repo("README.md")).unwrap();
    for f in [
        "docs/ci/github-actions.yml",
        "docs/ci/gitlab-ci.yml",
        "docs/ci/pre-commit-config.yaml",
        ".pre-commit-hooks.yaml",
    ] {
        let text = std::fs::read_to_string(repo(f)).unwrap();
        assert!(
            readme.contains(&text),
            "README.md does not quote {f} verbatim"
        );
    }
}

#[test]
fn github_actions_job() {
    let (_, v) = yaml("docs/ci/github-actions.yml");
    let steps = v["jobs"]["residency"]["steps"].as_array().unwrap();
    let commands: Vec<String> = steps
        .iter()
        .filter_map(|s| s["run"].as_str())
        .flat_map(residency_lines)
        .collect();
    assert_eq!(commands.len(), 2, "{commands:?}");
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .unwrap();
    assert_eq!(upload["with"]["sarif_file"], "residency.sarif");
    assert_eq!(
        v["jobs"]["residency"]["permissions"]["security-events"],
        "write"
    );
    // A compliant plan: green. The plan that moves accounts-db to Frankfurt: red,
    // with an error annotation naming the law and the resource.
    let inv = workspace("yandex.json");
    assert_eq!(run_job(&inv, &commands), 0);
    let inv = workspace("accounts-to-frankfurt.json");
    assert_eq!(run_job(&inv, &commands), 1);
    let gate = sh(&inv, commands.last().unwrap());
    assert!(
        gate.stdout.contains("::error file=inventory/databases.yaml,line=5,col=5,title=primary-outside-ru (critical)::primary database `accounts-db` records Russian citizens' personal data in DE: prohibited since 2025-07-01 (152-FZ art. 18 p. 5) (planned by Terraform: aws_db_instance.accounts)"),
        "{}",
        gate.stdout
    );
}

#[test]
fn gitlab_ci_job() {
    let (_, v) = yaml("docs/ci/gitlab-ci.yml");
    let job = &v["residency"];
    let commands: Vec<String> = job["script"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l.as_str())
        .flat_map(residency_lines)
        .collect();
    assert_eq!(commands.len(), 3, "{commands:?}");
    let reports = &job["artifacts"]["reports"];
    assert_eq!(reports["codequality"], "gl-code-quality-report.json");
    assert_eq!(reports["junit"], "residency-junit.xml");
    assert!(
        commands
            .iter()
            .any(|c| c.contains("--output gl-code-quality-report.json"))
    );
    assert_eq!(v["terraform-plan"]["artifacts"]["paths"][0], "tfplan.json");
    let inv = workspace("yandex.json");
    assert_eq!(run_job(&inv, &commands), 0);
    let inv = workspace("accounts-to-frankfurt.json");
    assert_eq!(run_job(&inv, &commands), 1);
    let report = std::fs::read_to_string(inv.path().join("gl-code-quality-report.json")).unwrap();
    assert!(
        report.contains("aws_db_instance.accounts"),
        "the Code Quality report names the resource"
    );
}

#[test]
fn pre_commit_hook() {
    let (_, hooks) = yaml(".pre-commit-hooks.yaml");
    let hook = &hooks[0];
    assert_eq!(hook["id"], "residency");
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["pass_filenames"], false);
    let entry = hook["entry"].as_str().unwrap();
    let args = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap().to_string())
            .collect()
    };
    let default = format!("{entry} {}", args(&hook["args"]).join(" "));
    let (_, config) = yaml("docs/ci/pre-commit-config.yaml");
    let user = &config["repos"][0]["hooks"][0];
    assert_eq!(user["id"], "residency");
    let configured = format!("{entry} {}", args(&user["args"]).join(" "));
    let inv = workspace("yandex.json");
    // The example has findings: the hook with its default arguments blocks the commit;
    // with the committed baseline, as configured in the README, it lets it through.
    assert_eq!(sh(&inv, &default).code, 1);
    assert_eq!(sh(&inv, &configured).code, 0, "{configured}");
    // A new undeclared processor blocks the commit again.
    write(
        &inv,
        "inventory/new.yaml",
        "version: 1\nprocessors:\n  - {id: new-crm, country: RU, location: {country: RU}, instruction: X, collects_from_subjects: true}\n",
    );
    let r = sh(&inv, &configured);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("undeclared-third-party"), "{}", r.stdout);
}
