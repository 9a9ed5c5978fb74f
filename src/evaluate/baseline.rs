//! `--baseline report.json`: the findings of an earlier JSON report are
//! known; only findings not in it fail the gate. A finding is the same when
//! its rule, entity and countries are (messages, evidence and positions may
//! change). Counted as a multiset: two known findings cover two current ones.

use std::collections::HashMap;

use super::Finding;

/// An earlier report's findings, by identity ([`super::FindingKey::digest`]).
#[derive(Debug, Clone)]
pub struct Baseline {
    pub file: String,
    pub generated_at: Option<String>,
    known: Vec<u128>,
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
    /// The findings of an earlier report (read by `report::json::v1`), as
    /// the digests of their keys.
    pub fn new(file: String, generated_at: Option<String>, known: Vec<u128>) -> Self {
        Self {
            file,
            generated_at,
            known,
        }
    }

    /// The findings not in the baseline, and what was left out.
    pub fn apply(&self, mut findings: Vec<Finding>) -> (Vec<Finding>, BaselineSummary) {
        let mut left: HashMap<u128, usize> = HashMap::with_capacity(self.known.len());
        for k in &self.known {
            *left.entry(*k).or_default() += 1;
        }
        let mut known = 0;
        // In place: the findings that stay keep their order.
        findings.retain(|f| match left.get_mut(&f.key().digest()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                known += 1;
                false
            }
            _ => true,
        });
        let summary = BaselineSummary {
            file: self.file.clone(),
            generated_at: self.generated_at.clone(),
            known,
            fixed: left.values().sum(),
        };
        (findings, summary)
    }
}
