//! `--baseline report.json`: the findings of an earlier JSON report are
//! known; only findings not in it fail the gate. A finding is the same when
//! its rule, entity and countries are (messages, evidence and positions may
//! change). Counted as a multiset: two known findings cover two current ones.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::{Finding, FindingKey};
use crate::inventory::Diagnostic;
use crate::inventory::yaml::Pos;

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

#[derive(Deserialize)]
struct Report {
    schema_version: u32,
    generated_at: Option<String>,
    findings: Vec<ReportFinding>,
}

#[derive(Deserialize)]
struct ReportFinding {
    rule: String,
    entity: String,
    #[serde(default)]
    countries: Vec<String>,
}

const HOW: &str =
    "write a baseline with `residency check --format json --output residency-baseline.json`";

/// Read a baseline: a JSON report of `residency check --format json`.
pub fn load(path: &Path) -> Result<Baseline, Diagnostic> {
    let file = path.display().to_string();
    let err = |pos: Option<Pos>, message: String, hint: Option<&str>| Diagnostic {
        file: Some(file.clone()),
        pos,
        message,
        hint: hint.map(str::to_string),
    };
    let text = match crate::diag::read_text(path, crate::diag::MAX_REPORT_BYTES) {
        Ok(t) => t,
        Err(d) if d.message == "no such file or directory" => {
            return Err(err(None, "no such baseline file".into(), Some(HOW)));
        }
        Err(d) => {
            return Err(Diagnostic {
                hint: Some(HOW.into()),
                ..d
            });
        }
    };
    let report: Report = serde_json::from_str(&text).map_err(|e| {
        crate::diag::json_error(&file, &e, "not a residency JSON report", Some(HOW))
    })?;
    if report.schema_version != 1 {
        return Err(err(
            None,
            format!(
                "report schema_version {} is not one this tool reads (1)",
                report.schema_version
            ),
            Some(HOW),
        ));
    }
    Ok(Baseline {
        file,
        generated_at: report.generated_at,
        known: report
            .findings
            .iter()
            .map(|f| FindingKey::new(&f.rule, &f.entity, f.countries.iter().cloned()))
            .collect(),
    })
}

impl Baseline {
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
