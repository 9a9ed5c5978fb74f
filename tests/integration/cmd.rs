//! The command-line corpus of `tests/cmd/` (trycmd): one case per command
//! line, `<case>.toml` (the arguments, `status.code`, `env.inherit = false`),
//! `<case>.in/` (the input files, and the working directory of the run) and
//! the expected `<case>.stdout` and `<case>.stderr`, compared whole.
//!
//! - `rules`, `explain` (en, ru, an unknown id) and `--help` of every command;
//! - every rule of `residency rules`: `<rule>-fires` and `<rule>-near-miss`,
//!   offline (IP literals placed by the bundled GeoIP database, declared
//!   locations, small Terraform plans, policies, filings and waivers), in
//!   `--format github`: one line per finding with its rule in `title=`;
//! - every validation error of the inventory, waiver, filing, plan, config,
//!   baseline, policy and adequacy-list readers: `error-*`, exit 2.
//!
//! Two rules cannot be driven offline: `unlisted-third-party` and
//! `unscanned-page` need `check --site` to read real pages. Both, firing and
//! not, are covered against the fixture site served on loopback by
//! `check_site_reports_foreign_first_recording_and_undeclared_transfers` in
//! tests/integration/site.rs ([`SITE_ONLY`]).
//!
//! Each run starts from an empty environment (no proxy, no LANG, no
//! RESIDENCY_*: `env.inherit = false`, which [`every_case_is_complete`]
//! checks) plus the report date, NO_COLOR and a terminal width for `--help`.
//! After a reviewed change: `TRYCMD=overwrite cargo test --test integration cmd`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::{BIN, run};

/// Rules that only a site scan can fire (see the module comment).
const SITE_ONLY: &[&str] = &["unlisted-third-party", "unscanned-page"];

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cmd")
}

/// The case names (`<case>.toml`), sorted.
fn cases() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .expect("tests/cmd")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".toml").map(str::to_string))
        .collect();
    names.sort();
    names
}

fn read(name: &str) -> String {
    std::fs::read_to_string(dir().join(name)).unwrap_or_else(|e| panic!("tests/cmd/{name}: {e}"))
}

#[test]
fn cmd_cases() {
    trycmd::TestCases::new()
        .register_bin("residency", Path::new(BIN))
        .env("SOURCE_DATE_EPOCH", "1795564800")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .timeout(Duration::from_secs(120))
        .case(dir().join("*.toml"));
}

/// No case that checks nothing: trycmd skips the comparison of a missing
/// `.stdout` or `.stderr` and takes a missing status for success.
#[test]
fn every_case_is_complete() {
    let names = cases();
    assert!(names.len() > 100, "only {} cases", names.len());
    for n in &names {
        let toml = read(&format!("{n}.toml"));
        for line in ["bin.name = \"residency\"", "env.inherit = false"] {
            assert!(toml.lines().any(|l| l == line), "{n}.toml lacks `{line}`");
        }
        let code = toml
            .lines()
            .find_map(|l| l.strip_prefix("status.code = "))
            .unwrap_or_else(|| panic!("{n}.toml has no `status.code`"));
        let code: i32 = code
            .parse()
            .unwrap_or_else(|_| panic!("{n}.toml: status.code {code}"));
        assert!(
            toml.lines().any(|l| l.starts_with("args = [")),
            "{n}.toml has no args"
        );
        for ext in ["stdout", "stderr"] {
            assert!(
                dir().join(format!("{n}.{ext}")).is_file(),
                "{n}.{ext} is missing: `TRYCMD=overwrite cargo test --test integration cmd` writes it"
            );
        }
        assert!(dir().join(format!("{n}.in")).is_dir(), "{n}.in/ is missing");
        let (out, err) = (read(&format!("{n}.stdout")), read(&format!("{n}.stderr")));
        assert!(
            !(out.is_empty() && err.is_empty()),
            "{n}: expects no output at all"
        );
        if n.starts_with("error-") {
            assert_eq!(code, 2, "{n}: a validation error exits 2");
            assert_eq!(out, "", "{n}: nothing but the errors is written");
            assert!(err.starts_with("error: "), "{n}: {err}");
        }
    }
    // Nothing stray: every other file belongs to a case.
    let known: BTreeSet<&str> = names.iter().map(String::as_str).collect();
    for e in std::fs::read_dir(dir()).unwrap() {
        let f = e.unwrap().file_name().to_string_lossy().into_owned();
        let stem = f.rsplit_once('.').map_or(f.as_str(), |(stem, _)| stem);
        assert!(known.contains(stem), "tests/cmd/{f} belongs to no case");
    }
}

/// The rule ids, from `residency rules` (the first column).
fn rule_ids() -> Vec<String> {
    let r = run(&["rules"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ids: Vec<String> = r
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix("│ "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|id| *id != "Rule")
        .map(str::to_string)
        .collect();
    assert!(ids.len() > 20, "{}", r.stdout);
    ids
}

/// Every rule has a case that fires it and a near miss that does not.
#[test]
fn every_rule_has_a_fire_and_a_near_miss_case() {
    let ids = rule_ids();
    for s in SITE_ONLY {
        assert!(ids.iter().any(|i| i == s), "{s} is no rule any more");
    }
    let names = cases();
    for id in &ids {
        let (fires, near) = (format!("{id}-fires"), format!("{id}-near-miss"));
        if SITE_ONLY.contains(&id.as_str()) {
            assert!(
                !names.contains(&fires),
                "{id} has a case now: drop it from SITE_ONLY"
            );
            continue;
        }
        let title = format!("title={id} (");
        for (case, fired) in [(&fires, true), (&near, false)] {
            assert!(names.contains(case), "tests/cmd/{case}.toml is missing");
            let toml = read(&format!("{case}.toml"));
            for flag in ["\"--offline\"", "\"github\""] {
                assert!(toml.contains(flag), "{case}: runs without {flag}");
            }
            let out = read(&format!("{case}.stdout"));
            assert_eq!(
                out.lines().any(|l| l.contains(&title)),
                fired,
                "{case}.stdout:\n{out}"
            );
        }
    }
}
