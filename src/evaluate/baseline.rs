//! `--baseline report.json`: the findings of an earlier JSON report are
//! known; only findings not in it fail the gate. A finding is the same when
//! its rule, entity and countries are (messages, evidence and positions may
//! change). Counted as a multiset: two known findings cover two current ones.

use std::collections::BTreeMap;

use super::{Finding, FindingKey};

/// An earlier report's findings.
#[derive(Debug, Clone)]
pub struct Baseline {
    pub file: String,
    pub generated_at: Option<String>,
    known: Vec<FindingKey>,
}

/// What applying a baseline left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaselineSummary {
    pub file: String,
    pub generated_at: Option<String>,
    /// Current findings left out because the baseline has them.
    pub known: usize,
    /// Baseline findings that no longer occur.
    pub fixed: usize,
}

impl Baseline {
    /// The findings of an earlier report (read by `report::json::v1`).
    pub fn new(file: String, generated_at: Option<String>, known: Vec<FindingKey>) -> Self {
        Self {
            file,
            generated_at,
            known,
        }
    }

    /// The findings not in the baseline, and what was left out.
    pub fn apply(&self, findings: Vec<Finding>) -> (Vec<Finding>, BaselineSummary) {
        let mut left: BTreeMap<&FindingKey, usize> = BTreeMap::new();
        for k in &self.known {
            *left.entry(k).or_default() += 1;
        }
        let mut known = 0;
        let mut new = Vec::new();
        for f in findings {
            let k = f.key();
            match left.get_mut(&k) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    known += 1;
                }
                _ => new.push(f),
            }
        }
        let summary = BaselineSummary {
            file: self.file.clone(),
            generated_at: self.generated_at.clone(),
            known,
            fixed: left.values().sum(),
        };
        (new, summary)
    }
}
