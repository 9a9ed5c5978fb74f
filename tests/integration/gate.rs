//! Helpers for the CI-gate tests (Terraform plans, waivers, baselines,
//! pipelines): the plan fixtures and a copy of the bundled example.

use std::path::{Path, PathBuf};

use crate::common::*;

/// Absolute path of a plan fixture in tests/fixtures/terraform/.
pub fn plan(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/terraform")
        .join(name)
        .display()
        .to_string()
}

/// A temporary copy of the example: `inventory/*.yaml` (and its schema).
pub fn example() -> Inv {
    let inv = Inv::new(&[]);
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("inventory");
    let dst = inv.path().join("inventory");
    std::fs::create_dir_all(&dst).unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dst.join(p.file_name().unwrap())).unwrap();
    }
    inv
}

/// Run `residency ARGS` in the directory of `inv`.
pub fn run_at(inv: &Inv, args: &[&str]) -> Run {
    run_in(&inv.path(), args)
}

/// Write a file below the directory of `inv`.
pub fn write(inv: &Inv, name: &str, text: &str) -> PathBuf {
    let p = inv.path().join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    p
}

/// Replace `from` by `to` in a file of `inv` (the text must occur).
pub fn edit(inv: &Inv, name: &str, from: &str, to: &str) {
    let p = inv.path().join(name);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{name} has no `{from}`");
    std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
}

/// The findings of a JSON report with this rule and entity.
pub fn finding<'a>(
    r: &'a serde_json::Value,
    rule: &str,
    entity: &str,
) -> Option<&'a serde_json::Value> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule && f["entity"] == entity)
}

/// Findings at or above high (what fails the default gate).
pub fn failing(r: &serde_json::Value) -> Vec<(String, String)> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "critical" || f["severity"] == "high")
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["entity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}
