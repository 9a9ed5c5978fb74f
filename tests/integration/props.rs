//! Property targets for the readers of earlier reports (`--baseline`,
//! `report --compare`, the runs of a history): JSON that is broken, of the
//! wrong shape or hostile never panics, and every error is located.

use proptest::prelude::*;

use residency::report::history::{Earlier, RunEntry};

const VALID: &str = r#"{"schema_version": 1, "generated_at": "2026-11-25T00:00:00Z",
 "fail_on": "high", "summary": {"critical": 0, "high": 1, "failed": true},
 "entities": [{"id": "db", "countries": ["DE"]}],
 "findings": [{"rule": "primary-outside-ru", "entity": "db", "countries": ["DE"],
   "severity": "high", "message": "m"}]}"#;

fn mutated() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec((any::<prop::sample::Index>(), any::<char>()), 0..6),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(edits, cut)| {
            let mut chars: Vec<char> = VALID.chars().collect();
            for (i, c) in edits {
                let i = i.index(chars.len());
                chars[i] = c;
            }
            chars.truncate(cut.index(chars.len() + 1).max(chars.len() / 2));
            chars.into_iter().collect()
        })
}

/// Both readers of a history run (the comparison's first pass and the
/// run index), streamed from a file as `report` reads them: the same
/// verdict, and an error names the file.
fn both_readers(text: &str) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("r.json");
    std::fs::write(&p, text).unwrap();
    let e = Earlier::read(&p);
    let r = RunEntry::read("run", &p);
    prop_assert_eq!(e.is_ok(), r.is_ok());
    if let Err(d) = e {
        prop_assert!(d.to_string().contains("r.json"), "{}", d);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn history_readers_never_panic(text in mutated()) {
        both_readers(&text)?;
    }

    #[test]
    fn baseline_errors_are_located(text in mutated()) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("b.json");
        std::fs::write(&p, &text).unwrap();
        if let Err(d) = residency::report::json::read_baseline(&p) {
            let shown = d.to_string();
            prop_assert!(shown.contains("b.json"), "{shown}");
            // A JSON syntax error has its line and column.
            if serde_json::from_str::<serde::de::IgnoredAny>(&text).is_err() {
                prop_assert!(d.pos.is_some(), "{shown}");
            }
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        both_readers(&text)?;
    }
}
