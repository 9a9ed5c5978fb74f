//! Stage 4: pure renderers. Each format is a function of one [`Audit`], so
//! no two formats can disagree; none of them touches the network or disk.

pub mod github;
pub mod gitlab;
pub mod history;
pub mod html;
pub mod i18n;
pub(crate) mod index;
pub mod json;
pub mod junit;
pub mod markdown;
pub(crate) mod notify;
pub(crate) mod policy;
pub mod sarif;
pub(crate) mod site;
pub(crate) mod suggest;
pub mod table;
pub mod terraform;
pub mod view;
pub(crate) mod words;

pub use i18n::Lang;

use crate::evaluate::baseline::BaselineSummary;
use crate::evaluate::context::PdReason;
use crate::evaluate::waivers::Waived;
use crate::evaluate::{FailOn, Finding, Summary};
use crate::inventory::Inventory;
use crate::reference::adequacy::Adequacy;
use crate::resolve::Resolved;

/// Everything a report shows: the evaluated result of one run, owned.
pub struct Audit {
    /// The path the user gave, as shown in headings.
    pub target: String,
    pub inventory: Inventory,
    pub resolved: Resolved,
    pub adequacy: Adequacy,
    pub findings: Vec<Finding>,
    /// Per entity (inventory order): why it has Russian citizens' PD.
    pub pd: Vec<Option<PdReason>>,
    pub summary: Summary,
    pub fail_on: FailOn,
    /// The report's time (seconds since 1970), from `SOURCE_DATE_EPOCH`
    /// when set.
    pub epoch: i64,
    /// `epoch` in RFC 3339.
    pub generated_at: String,
    /// Whether the GeoIP database is more than a year older than the report.
    pub geoip_stale: bool,
    /// The web site's third parties (`--site`), merged into the inventory.
    pub site: Option<crate::site::SiteAudit>,
    /// The privacy policies read (`--policy`).
    pub policies: Vec<crate::policy::Policy>,
    /// Findings set aside by waivers: listed, counted, not failing.
    pub waived: Vec<Waived>,
    /// Whether waivers were applied (false with `--no-waivers`).
    pub waivers_applied: bool,
    /// What `--baseline` left out, when one was given.
    pub baseline: Option<BaselineSummary>,
}

impl Audit {
    /// A plain-language warning when most DNS lookups failed, so that a CI
    /// log reader does not take the resulting findings for facts about the
    /// infrastructure.
    pub fn dns_warning(&self) -> Option<String> {
        self.dns_warning_in(Lang::En)
    }

    /// [`Audit::dns_warning`] in the given language.
    pub fn dns_warning_in(&self, lang: Lang) -> Option<String> {
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
        Some(lang.dns_warning(s.failed, s.names, &reasons.join(", ")))
    }

    /// The organisation's name, when the inventory has one.
    pub fn organization(&self) -> Option<&str> {
        self.inventory
            .organization
            .as_ref()
            .map(|o| o.name.as_str())
    }

    /// Non-RU countries any entity's data is in, sorted.
    pub fn countries_abroad(&self) -> Vec<crate::reference::Country> {
        let mut all: Vec<_> = self
            .resolved
            .locations
            .iter()
            .flat_map(|l| l.countries.iter().copied())
            .filter(|c| !c.is_ru())
            .collect();
        all.sort();
        all.dedup();
        all
    }

    /// (severity, count) for every severity, most severe first.
    pub fn severity_counts(&self) -> Vec<(crate::evaluate::Severity, usize)> {
        crate::evaluate::Severity::ALL
            .iter()
            .map(|s| (*s, self.summary.count(*s)))
            .collect()
    }
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
