//! Stage 4: pure renderers. Each format is a function of one [`Audit`], so
//! no two formats can disagree; none of them touches the network or disk.

pub mod github;
pub mod gitlab;
pub mod json;
pub mod table;

use crate::evaluate::baseline::BaselineSummary;
use crate::evaluate::context::PdReason;
use crate::evaluate::waivers::Waived;
use crate::evaluate::{FailOn, Finding, Summary};
use crate::inventory::Inventory;
use crate::reference::adequacy::Adequacy;
use crate::resolve::Resolved;

/// Everything a report shows: the evaluated result of one run.
pub struct Audit<'a> {
    /// The path the user gave, as shown in headings.
    pub target: String,
    pub inventory: &'a Inventory,
    pub resolved: &'a Resolved,
    pub adequacy: &'a Adequacy,
    pub findings: &'a [Finding],
    /// Per entity (inventory order): why it has Russian citizens' PD.
    pub pd: &'a [Option<PdReason>],
    pub summary: Summary,
    pub fail_on: FailOn,
    /// RFC 3339, from `SOURCE_DATE_EPOCH` when set.
    pub generated_at: String,
    /// Whether the GeoIP database is more than a year older than the report.
    pub geoip_stale: bool,
    /// Findings set aside by waivers: listed, counted, not failing.
    pub waived: &'a [Waived],
    /// Whether waivers were applied (false with `--no-waivers`).
    pub waivers_applied: bool,
    /// What `--baseline` left out, when one was given.
    pub baseline: Option<&'a BaselineSummary>,
}

impl Audit<'_> {
    /// A plain-language warning when most DNS lookups failed, so that a CI
    /// log reader does not take the resulting findings for facts about the
    /// infrastructure.
    pub fn dns_warning(&self) -> Option<String> {
        let s = &self.resolved.stats;
        if s.names == 0 || s.failed * 2 <= s.names {
            return None;
        }
        let reasons: Vec<String> = s
            .failures
            .iter()
            .take(3)
            .map(|(r, n)| format!("{n}× {r}"))
            .collect();
        Some(format!(
            "DNS failed for {} of {} host names ({}): the nameserver may be down or unreachable; the location-unknown findings below reflect that, not the infrastructure",
            s.failed,
            s.names,
            reasons.join(", ")
        ))
    }
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    /// GitLab Code Quality (`artifacts:reports:codequality`).
    Gitlab,
    /// GitHub Actions workflow commands: annotations on the PR diff.
    Github,
}

/// Path of a finding's file as CI systems want it: relative, `/`-separated,
/// without a leading `./`.
pub(crate) fn ci_path(file: &str) -> String {
    let p = file.replace('\\', "/");
    let mut p = p.as_str();
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    p.to_string()
}
