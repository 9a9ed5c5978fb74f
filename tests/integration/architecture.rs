//! The pipeline only points one way: inventory → terraform → site →
//! resolve → evaluate → report → cli (terraform, site and policy are input stages
//! beside the inventory: they may read it, never the other way round). A
//! stage may use `reference`/`util` and earlier stages only.

use std::path::Path;

const STAGES: &[&str] = &[
    "inventory",
    "terraform",
    "site",
    "policy",
    "resolve",
    "evaluate",
    "report",
    "cli",
];

use crate::common::rust_sources as sources;

#[test]
fn no_stage_uses_a_later_one() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut violations = Vec::new();
    for (i, stage) in STAGES.iter().enumerate() {
        let mut files = Vec::new();
        sources(&src.join(stage), &mut files);
        assert!(!files.is_empty(), "src/{stage} exists");
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            for later in &STAGES[i + 1..] {
                for pat in [
                    format!("crate::{later}::"),
                    format!("crate::{later};"),
                    format!("crate::{later}::{{"),
                ] {
                    if text.contains(&pat) {
                        violations.push(format!("{} uses {later}", f.display()));
                    }
                }
            }
        }
    }
    let mut reference = Vec::new();
    sources(&src.join("reference"), &mut reference);
    for f in reference {
        let text = std::fs::read_to_string(&f).unwrap();
        for stage in STAGES {
            if text.contains(&format!("crate::{stage}")) {
                violations.push(format!("{} (reference) uses {stage}", f.display()));
            }
        }
    }
    assert!(violations.is_empty(), "{violations:#?}");
}

/// The leaf modules every stage may use (`diag`: problems with the input
/// and their rendering; `escape`) use no stage: outside their tests they
/// name no `crate::<stage>` (the redaction is handed to `diag`).
#[test]
fn leaf_modules_use_no_stage() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut violations = Vec::new();
    for leaf in ["diag.rs", "escape.rs"] {
        let text = std::fs::read_to_string(src.join(leaf)).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for stage in STAGES {
            if code.contains(&format!("crate::{stage}")) {
                violations.push(format!("src/{leaf} uses {stage}"));
            }
        }
    }
    assert!(violations.is_empty(), "{violations:#?}");
}
