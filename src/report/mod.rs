//! Stage 4: pure renderers. Each format is a function of one [`Audit`], so
//! no two formats can disagree; none of them touches the network or disk.

pub mod json;
pub mod site;
pub mod suggest;
pub mod table;

use crate::evaluate::context::PdReason;
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
    /// The web site's third parties (`--site`), merged into the inventory.
    pub site: Option<&'a crate::site::SiteAudit>,
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
}
