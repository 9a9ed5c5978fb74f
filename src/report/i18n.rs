//! The words of the human-readable reports (table, Markdown, HTML) in
//! English and Russian. Finding messages come from `words`; rule
//! descriptions from the rules (`description`/`description_ru`); the fine
//! ranges from the rule pages ([`crate::evaluate::RuleMeta::fine`]).

use crate::evaluate::context::PdReason;
use crate::evaluate::{RuleMeta, Severity};
use crate::inventory::{EntityKind, ReasonCode, Role};
use crate::policy::Claim;
use crate::reference::Country;

/// The language of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Ru,
}

impl Lang {
    /// A GitHub annotation's last line: where to read how to fix it.
    pub fn explain_hint(self, rule: &str) -> String {
        match self {
            Self::En => format!("`residency explain {rule}` says how to fix it."),
            Self::Ru => format!("Как исправить: `residency explain {rule} --lang ru`."),
        }
    }

    /// Before the message of a waived finding's GitHub annotation.
    pub fn waived_prefix(self, expires: &str, approved_by: &str, reason: &str) -> String {
        match self {
            Self::En => format!("Waived until {expires} (approved by {approved_by}: {reason}): "),
            Self::Ru => {
                format!("Принятый риск до {expires} (утвердил {approved_by}: {reason}): ")
            }
        }
    }

    /// Of a text stored in both languages (an earlier run's message, the
    /// adequacy list's name), the one in this language; English where the
    /// Russian one is missing.
    pub fn stored<'t>(self, en: &'t str, ru: &'t str) -> &'t str {
        match self {
            Self::Ru if !ru.is_empty() => ru,
            _ => en,
        }
    }

    /// BCP 47 tag for `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Ru => "ru",
        }
    }

    pub fn text(self) -> &'static Text {
        match self {
            Self::En => &EN,
            Self::Ru => &RU,
        }
    }

    pub fn severity(self, s: Severity) -> &'static str {
        match (self, s) {
            (Self::En, _) => s.as_str(),
            (Self::Ru, Severity::Critical) => "критическое",
            (Self::Ru, Severity::High) => "высокое",
            (Self::Ru, Severity::Medium) => "среднее",
            (Self::Ru, Severity::Low) => "низкое",
            (Self::Ru, Severity::Info) => "информация",
        }
    }

    /// Plural heading of a severity group: "Critical", "Критические".
    pub fn severity_group(self, s: Severity) -> &'static str {
        match (self, s) {
            (Self::En, Severity::Critical) => "Critical",
            (Self::En, Severity::High) => "High",
            (Self::En, Severity::Medium) => "Medium",
            (Self::En, Severity::Low) => "Low",
            (Self::En, Severity::Info) => "Info",
            (Self::Ru, Severity::Critical) => "Критические",
            (Self::Ru, Severity::High) => "Высокие",
            (Self::Ru, Severity::Medium) => "Средние",
            (Self::Ru, Severity::Low) => "Низкие",
            (Self::Ru, Severity::Info) => "Информационные",
        }
    }

    pub fn kind(self, k: EntityKind) -> &'static str {
        match (self, k) {
            (Self::En, _) => k.as_str(),
            (Self::Ru, EntityKind::Database) => "база данных",
            (Self::Ru, EntityKind::Processor) => "обработчик",
            (Self::Ru, EntityKind::Partner) => "партнёр",
        }
    }

    pub fn role(self, r: Role) -> &'static str {
        match (self, r) {
            (Self::En, _) => r.as_str(),
            (Self::Ru, Role::Primary) => "основная",
            (Self::Ru, Role::Replica) => "реплика",
            (Self::Ru, Role::Backup) => "резервная копия",
            (Self::Ru, Role::Cache) => "кеш",
            (Self::Ru, Role::Analytics) => "аналитика",
            (Self::Ru, Role::Archive) => "архив",
            (Self::Ru, Role::Log) => "журнал",
        }
    }

    /// "database (primary)", "база данных (основная)".
    pub fn kind_role(self, k: EntityKind, r: Option<Role>) -> String {
        match r {
            Some(r) => format!("{} ({})", self.kind(k), self.role(r)),
            None => self.kind(k).to_string(),
        }
    }

    /// The kind of an entity the inventory does not list, seen on the
    /// site: "partner (seen on the site)".
    pub fn kind_seen_on_site(self, k: EntityKind) -> String {
        match self {
            Self::En => format!("{} (seen on the site)", self.kind(k)),
            Self::Ru => format!("{} (обнаружен на сайте)", self.kind(k)),
        }
    }

    /// holds / receives / collects.
    pub fn pd_label(self, pd: &PdReason) -> &'static str {
        match (self, pd) {
            (Self::En, _) => pd.label(),
            (Self::Ru, PdReason::Holds) => "хранит",
            (Self::Ru, PdReason::Transfer { .. } | PdReason::Operates { .. }) => "получает",
            (Self::Ru, PdReason::CollectsFromSubjects) => "собирает",
            (Self::Ru, PdReason::SiteVisitors) => "получает IP",
        }
    }

    pub fn pd_describe(self, pd: &PdReason) -> String {
        match self {
            Self::En => pd.describe(),
            Self::Ru => super::words::ru::pd(pd),
        }
    }

    pub fn country_name(self, c: Country) -> &'static str {
        match self {
            Self::En => c.name_en(),
            Self::Ru => c.name_ru(),
        }
    }

    /// "US (United States)".
    pub fn country(self, c: Country) -> String {
        format!("{} ({})", c.as_str(), self.country_name(c))
    }

    /// "DE (Germany), US (United States)"; "unknown" for none.
    pub fn country_list(self, cs: &[Country]) -> String {
        if cs.is_empty() {
            return self.text().unknown.to_string();
        }
        cs.iter()
            .map(|c| self.country(*c))
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn description(self, m: &RuleMeta) -> &'static str {
        match self {
            Self::En => m.description,
            Self::Ru => m.description_ru,
        }
    }

    pub fn law(self, m: &RuleMeta) -> &'static str {
        match self {
            Self::En => m.law,
            Self::Ru => m.law_ru,
        }
    }

    pub fn fine(self, m: &RuleMeta) -> Option<&'static str> {
        match self {
            Self::En => m.fine(),
            Self::Ru => m.fine_ru(),
        }
    }

    /// The finding's message in this language (see `report::words`).
    pub fn message(self, f: &crate::evaluate::Finding) -> super::words::Message {
        super::words::message(f, self)
    }

    /// "3 host names looked up, 1 failed".
    pub fn dns_stats(self, names: usize, failed: usize) -> String {
        match self {
            Self::En => format!("{names} host names looked up, {failed} failed"),
            Self::Ru => format!("имён хостов запрошено: {names}, без ответа: {failed}"),
        }
    }

    /// "17 findings", "17 замечаний".
    pub fn count(self, n: usize, en: (&str, &str), ru: (&str, &str, &str)) -> String {
        match self {
            Self::En => format!("{n} {}", if n == 1 { en.0 } else { en.1 }),
            Self::Ru => format!("{n} {}", plural_ru(n, ru)),
        }
    }

    pub fn findings(self, n: usize) -> String {
        self.count(
            n,
            ("finding", "findings"),
            ("замечание", "замечания", "замечаний"),
        )
    }

    pub fn entities(self, n: usize) -> String {
        self.count(n, ("entity", "entities"), ("объект", "объекта", "объектов"))
    }

    pub fn files(self, n: usize) -> String {
        self.count(n, ("file", "files"), ("файле", "файлах", "файлах"))
    }

    /// "2 critical, 6 high", "2 критических, 6 высоких".
    pub fn severity_counts(self, counts: &[(Severity, usize)]) -> String {
        counts
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(s, n)| match self {
                Self::En => format!("{n} {}", s.as_str()),
                Self::Ru => format!("{n} {}", severity_adjective_ru(*s, *n)),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Sentences with arguments, one `match` per phrase (the renderers only
/// call these).
impl Lang {
    /// A finding's facts in words, without the planned resources (see
    /// [`Lang::message`]).
    pub(crate) fn facts(self, f: &crate::evaluate::Finding) -> super::words::Message {
        match self {
            Self::En => super::words::en::message(f),
            Self::Ru => super::words::ru::message(f),
        }
    }

    /// The site section's first line: "Site: https://a.example — 3 pages
    /// read, 0 not read in full, 2 third parties".
    pub fn site_summary(self, roots: &str, read: usize, problems: usize, parties: usize) -> String {
        match self {
            Self::En => format!(
                "Site: {roots} — {} read, {problems} not read in full, {}",
                self.count(read, ("page", "pages"), ("", "", "")),
                self.count(parties, ("third party", "third parties"), ("", "", "")),
            ),
            Self::Ru => format!(
                "Сайт: {roots} — прочитано страниц: {read}, не полностью: {problems}, третьих лиц: {parties}"
            ),
        }
    }

    /// "; 2 other hosts only mentioned (not contacted)".
    pub fn site_mentioned_count(self, n: usize) -> String {
        match self {
            Self::En => format!(
                "; {n} other host{} only mentioned (not contacted)",
                if n == 1 { "" } else { "s" }
            ),
            Self::Ru => format!("; других хостов только упомянуто (без обращения): {n}"),
        }
    }

    /// "; 1 host only allowed by a Content-Security-Policy".
    pub fn site_permitted_count(self, n: usize) -> String {
        match self {
            Self::En => format!(
                "; {n} host{} only allowed by a Content-Security-Policy",
                if n == 1 { "" } else { "s" }
            ),
            Self::Ru => format!("; хостов только разрешено Content-Security-Policy: {n}"),
        }
    }

    /// "; 4 same-site links not followed (--max-pages 20)".
    pub fn site_not_followed(self, n: usize, max_pages: usize) -> String {
        match self {
            Self::En => format!(
                "; {n} same-site link{} not followed (--max-pages {max_pages})",
                if n == 1 { "" } else { "s" }
            ),
            Self::Ru => {
                format!("; ссылок на тот же сайт не пройдено: {n} (--max-pages {max_pages})")
            }
        }
    }

    /// A third party no catalogue names: "not in the catalogue", with the
    /// owner a `--tracker-db` file gives.
    pub fn site_not_in_catalogue(self, named: Option<(&str, &str)>) -> String {
        match (self, named) {
            (Self::En, None) => "not in the catalogue".into(),
            (Self::En, Some((owner, file))) => {
                format!("not in the catalogue; {owner} per --tracker-db {file}")
            }
            (Self::Ru, None) => "нет в каталоге".into(),
            (Self::Ru, Some((owner, file))) => {
                format!("нет в каталоге; {owner} по --tracker-db {file}")
            }
        }
    }

    /// "… 3 more", "… 3 more (--format json lists them all)".
    pub fn site_more(self, n: usize, in_json: bool) -> String {
        match (self, in_json) {
            (Self::En, false) => format!("… {n} more"),
            (Self::En, true) => format!("… {n} more (--format json lists them all)"),
            (Self::Ru, false) => format!("… ещё {n}"),
            (Self::Ru, true) => format!("… ещё {n} (все — в --format json)"),
        }
    }

    /// A third party the inventory lacks: "UNLISTED (added as ga)".
    pub fn site_unlisted(self, entity: &str) -> String {
        match self {
            Self::En => format!("UNLISTED (added as {entity})"),
            Self::Ru => format!("НЕ В ИНВЕНТАРИЗАЦИИ (добавлено как {entity})"),
        }
    }

    /// "not read in full: URL — why".
    pub fn site_not_read(self, url: &str, why: &str) -> String {
        match self {
            Self::En => format!("not read in full: {url} — {why}"),
            Self::Ru => format!("прочитано не полностью: {url} — {why}"),
        }
    }

    /// "Other sites only mentioned (no request):".
    pub fn site_other(self, what: &str) -> String {
        match self {
            Self::En => format!("Other sites {what}:"),
            Self::Ru => format!("Другие сайты {what}:"),
        }
    }

    /// The fixed words of the notification drafts (`residency notify`).
    pub(crate) fn notify(self) -> &'static super::words::notify::NotifyText {
        match self {
            Self::En => &super::words::notify::EN,
            Self::Ru => &super::words::notify::RU,
        }
    }

    /// A rule's page (`residency explain`).
    pub fn doc(self, m: &RuleMeta) -> &'static str {
        match self {
            Self::En => m.doc_en,
            Self::Ru => m.doc_ru,
        }
    }

    /// A waiver's legal reason code: "152-FZ art. 6 p. 1 point 2".
    pub fn citation(self, c: ReasonCode) -> &'static str {
        match self {
            Self::En => c.citation(),
            Self::Ru => c.citation_ru(),
        }
    }

    /// What a privacy-policy statement says.
    pub fn claim(self, c: &Claim) -> String {
        match self {
            Self::En => c.describe(),
            Self::Ru => super::words::ru::claim(c),
        }
    }

    /// " (planned by Terraform: a, b)", appended to a finding's message.
    pub fn planned_by_terraform(self, list: &str) -> String {
        match self {
            Self::En => format!(" (planned by Terraform: {list})"),
            Self::Ru => format!(" (по плану Terraform: {list})"),
        }
    }

    /// "+2 new, −1 resolved, 1 moved": a run against the one before.
    pub fn run_change(self, new: usize, resolved: usize, moved: usize) -> String {
        match self {
            Self::En => format!("+{new} new, −{resolved} resolved, {moved} moved"),
            Self::Ru => format!("+{new} новых, −{resolved} устранено, {moved} со сменой стран"),
        }
    }

    /// "2 new, 1 resolved, 1 entity with other countries".
    pub fn changes_line(self, new: usize, resolved: usize, moved: usize) -> String {
        match self {
            Self::En => format!(
                "{new} new, {resolved} resolved, {} with other countries",
                self.entities(moved)
            ),
            Self::Ru => {
                format!("новых {new}, устранено {resolved}, объектов со сменой стран {moved}")
            }
        }
    }

    /// "1 run", "12 runs".
    pub fn runs(self, n: usize) -> String {
        self.count(n, ("run", "runs"), ("запуск", "запуска", "запусков"))
    }

    /// The warning when most DNS lookups failed; `reasons`: "3× timeout, …".
    pub fn dns_warning(self, failed: usize, names: usize, reasons: &str) -> String {
        match self {
            Self::En => format!(
                "DNS failed for {failed} of {names} host names ({reasons}): the nameserver may be down or unreachable; the location-unknown findings below reflect that, not the infrastructure"
            ),
            Self::Ru => format!(
                "DNS не ответил для {failed} из {names} имён хостов ({reasons}): сервер имён, возможно, недоступен; замечания location-unknown ниже отражают это, а не инфраструктуру"
            ),
        }
    }

    /// The verdict's count against a baseline: "3 new findings".
    pub fn new_findings(self, n: usize) -> String {
        match self {
            Self::En => format!("{n} new finding{}", if n == 1 { "" } else { "s" }),
            Self::Ru => format!("новых замечаний: {n}"),
        }
    }

    /// "2 waived".
    pub fn waived(self, n: usize) -> String {
        match self {
            Self::En => format!("{n} waived"),
            Self::Ru => format!("принятых рисков: {n}"),
        }
    }

    /// "21 known findings from baseline b.json left out".
    pub fn baseline_left_out(self, known: usize, file: &str) -> String {
        match self {
            Self::En => format!(
                "{known} known finding{} from baseline {file} left out",
                if known == 1 { "" } else { "s" }
            ),
            Self::Ru => format!("известных по базовому отчёту {file} не учтено: {known}"),
        }
    }

    /// "3 fixed since" (the baseline).
    pub fn fixed_since(self, n: usize) -> String {
        match self {
            Self::En => format!("{n} fixed since"),
            Self::Ru => format!("исправлено с тех пор: {n}"),
        }
    }
}

/// The Russian plural form for `n`: (1, 2–4, 5+).
pub fn plural_ru<'a>(n: usize, forms: (&'a str, &'a str, &'a str)) -> &'a str {
    let (n10, n100) = (n % 10, n % 100);
    if n10 == 1 && n100 != 11 {
        forms.0
    } else if (2..=4).contains(&n10) && !(12..=14).contains(&n100) {
        forms.1
    } else {
        forms.2
    }
}

fn severity_adjective_ru(s: Severity, n: usize) -> &'static str {
    let forms = match s {
        Severity::Critical => ("критическое", "критических", "критических"),
        Severity::High => ("высокое", "высоких", "высоких"),
        Severity::Medium => ("среднее", "средних", "средних"),
        Severity::Low => ("низкое", "низких", "низких"),
        Severity::Info => ("информационное", "информационных", "информационных"),
    };
    plural_ru(n, forms)
}

/// Fixed words of the reports.
pub struct Text {
    pub title: &'static str,
    pub passed: &'static str,
    pub failed: &'static str,
    pub gate: &'static str,
    pub no_findings: &'static str,
    pub inventory: &'static str,
    pub operator: &'static str,
    pub generated: &'static str,
    pub tool: &'static str,
    pub geoip: &'static str,
    pub geoip_old: &'static str,
    pub adequacy: &'static str,
    pub states: &'static str,
    pub dns: &'static str,
    pub offline: &'static str,
    pub warning: &'static str,
    pub summary: &'static str,
    pub findings: &'static str,
    pub severity: &'static str,
    pub rule: &'static str,
    pub entity: &'static str,
    pub countries: &'static str,
    /// A finding's recipient's jurisdiction (its legal country).
    pub recipient: &'static str,
    pub finding_and_evidence: &'static str,
    pub evidence: &'static str,
    pub location: &'static str,
    pub waiver: &'static str,
    pub law: &'static str,
    pub fine: &'static str,
    pub where_data_is: &'static str,
    pub where_data_goes: &'static str,
    pub kind: &'static str,
    pub personal_data: &'static str,
    pub how_placed: &'static str,
    pub unknown: &'static str,
    pub rules: &'static str,
    pub description: &'static str,
    pub count: &'static str,
    pub at: &'static str,
    pub entities_card: &'static str,
    pub abroad_card: &'static str,
    pub countries_abroad: &'static str,
    pub changes: &'static str,
    pub no_change: &'static str,
    pub new_findings: &'static str,
    pub resolved_findings: &'static str,
    pub moved_entities: &'static str,
    pub before: &'static str,
    pub after: &'static str,
    pub none: &'static str,
    pub compared_with: &'static str,
    pub history: &'static str,
    pub run: &'static str,
    pub total: &'static str,
    pub verdict: &'static str,
    pub change: &'static str,
    pub first_run: &'static str,
    // Report sections outside the main renderers (terraform, policy, index,
    // history, view's verdict, `residency report`).
    /// A run or a comparison that changed nothing.
    pub no_change_short: &'static str,
    pub terraform_title: &'static str,
    /// Resource, kind, action, places, entities.
    pub terraform_headers: [&'static str; 5],
    pub policy_title: &'static str,
    /// Line, says, verdict, sentence.
    pub policy_headers: [&'static str; 4],
    pub claim_confirmed: &'static str,
    pub claim_contradicted: &'static str,
    pub claim_not_found: &'static str,
    pub claim_noted: &'static str,
    pub waivers_not_applied: &'static str,
    pub wrote: &'static str,
    pub history_label: &'static str,
    pub compared_with_lower: &'static str,
    /// The site section: third party, receives, hosts → countries,
    /// inventory, seen on the site.
    pub site_headers: [&'static str; 5],
    pub site_not_resolved: &'static str,
    pub site_records: &'static str,
    pub site_mentioned: &'static str,
    pub site_permitted: &'static str,
    pub map_home: &'static str,
    pub tag_home: &'static str,
    pub tag_abroad: &'static str,
    pub tag_nonadequate: &'static str,
    pub tag_unknown: &'static str,
    pub map_abroad: &'static str,
    pub map_nonadequate: &'static str,
    pub map_unknown: &'static str,
    pub map_transfer: &'static str,
    pub map_collects: &'static str,
    pub map_no_pd: &'static str,
    pub map_operator: &'static str,
    pub explain: &'static str,
    pub not_advice: &'static str,
    pub attribution: &'static str,
    // ---- h-stream (issue 11 §2): words of the table, Markdown and HTML
    // renderers that were inline in them. ----
    /// Between a count of entities and of files: "12 entities in 3 files".
    pub in_files: &'static str,
    /// Before the GeoIP database's build date in the table.
    pub geoip_built: &'static str,
    /// The adequacy list, in the table's second line.
    pub adequacy_short: &'static str,
    /// The table's findings with a baseline and none new.
    pub no_new_findings: &'static str,
    /// A class of map nodes: entities with PD and no finding.
    pub map_no_finding: &'static str,
    /// Heading of the table's waived findings.
    pub waived_table: &'static str,
    /// Heading of the Markdown waived findings (then the count).
    pub waived_markdown: &'static str,
    /// Heading of the HTML waived findings (then the count).
    pub waived_html: &'static str,
    /// Column of the table's waived findings.
    pub finding_and_waiver: &'static str,
    /// Markdown: "waived until DATE, approved by WHO: reason".
    pub waived_until: &'static str,
    /// HTML: "until DATE, approved by WHO: reason — where".
    pub until: &'static str,
    /// Before who approved a waiver.
    pub approved_by: &'static str,
    /// Markdown: where the waiver is written.
    pub waiver_at: &'static str,
    /// Column heads of the policy section (HTML): line, says, verdict, sentence.
    pub policy_heads: [&'static str; 4],
}

pub static EN: Text = Text {
    title: "Personal data residency audit",
    passed: "PASSED",
    failed: "FAILED",
    gate: "gate",
    no_findings: "No findings.",
    inventory: "Inventory",
    operator: "Operator",
    generated: "Generated",
    tool: "Tool",
    geoip: "GeoIP",
    geoip_old: "OLD, pass a newer database with --geoip",
    adequacy: "Adequacy list",
    states: "states",
    dns: "DNS",
    offline: "offline: host names not resolved",
    warning: "WARNING",
    summary: "Summary",
    findings: "Findings",
    severity: "Severity",
    rule: "Rule",
    entity: "Entity",
    countries: "Countries",
    recipient: "Recipient's jurisdiction (legal entity, not a place)",
    finding_and_evidence: "Finding and evidence",
    evidence: "Evidence",
    location: "Location",
    waiver: "Waiver",
    law: "Law",
    fine: "Fine (KoAP art. 13.11)",
    where_data_is: "Where the data is",
    where_data_goes: "Where the data goes",
    kind: "Kind",
    personal_data: "Personal data",
    how_placed: "How placed",
    unknown: "unknown",
    rules: "Rules",
    description: "What it flags",
    count: "Findings",
    at: "at",
    entities_card: "entities",
    abroad_card: "countries abroad",
    countries_abroad: "Countries abroad",
    changes: "Changes since the previous run",
    no_change: "No change: the same findings and the same countries as",
    new_findings: "New findings",
    resolved_findings: "Resolved findings",
    moved_entities: "Entities whose countries changed",
    before: "before",
    after: "now",
    none: "none",
    compared_with: "Compared with",
    history: "Audit history",
    run: "Run",
    total: "Total",
    verdict: "Gate",
    change: "Change",
    first_run: "first run",
    no_change_short: "no change",
    terraform_title: "Storage in the Terraform plans",
    terraform_headers: ["Resource", "Kind", "Action", "Places", "Entities"],
    policy_title: "Policy vs reality",
    policy_headers: ["Line", "Says", "Verdict", "Sentence"],
    claim_confirmed: "confirmed",
    claim_contradicted: "CONTRADICTED",
    claim_not_found: "not found",
    claim_noted: "noted",
    waivers_not_applied: "waivers not applied (--no-waivers)",
    wrote: "wrote",
    history_label: "history:",
    compared_with_lower: "compared with",
    site_headers: [
        "Third party",
        "Receives",
        "Hosts → countries",
        "Inventory",
        "Seen on the site",
    ],
    site_not_resolved: "not resolved",
    site_records: ", records",
    site_mentioned: "only mentioned (no request)",
    site_permitted: "only allowed by a Content-Security-Policy (a permission, not a contact)",
    map_home: "Russia: the operator and everything kept at home",
    tag_home: "home: no cross-border transfer",
    tag_abroad: "abroad · on the adequacy list",
    tag_nonadequate: "abroad · not on the adequacy list",
    tag_unknown: "never assumed to be Russia",
    map_abroad: "abroad, on the adequacy list",
    map_nonadequate: "abroad, NOT on the adequacy list",
    map_unknown: "location unknown (never assumed to be Russia)",
    map_transfer: "transfer (inventory: transfers)",
    map_collects: "users send data directly (collects_from_subjects)",
    map_no_pd: "no personal data of Russian citizens",
    map_operator: "Operator",
    explain: "`residency explain RULE` prints a rule's page: what it checks, why, how to fix it.",
    not_advice: "This report is the output of an automated audit, not legal advice.",
    attribution: "GeoIP: ip-location-db geo-whois-asn-country (CC0-1.0), built from RIR data by the Number Resource Organization (nro.net), CC BY 4.0.",
    // ---- h-stream ----
    in_files: "in",
    geoip_built: "built",
    adequacy_short: "adequacy",
    no_new_findings: "No new findings.",
    map_no_finding: "no finding",
    waived_table: "Waived (accepted risks: reported, not failing)",
    waived_markdown: "Waived findings (accepted risks: reported, not failing)",
    waived_html: "Waived findings — accepted risks, not failing",
    finding_and_waiver: "Finding and waiver",
    waived_until: "waived until",
    until: "until",
    approved_by: "approved by",
    waiver_at: "waiver at",
    policy_heads: ["Line", "Says", "Verdict", "Sentence"],
};

pub static RU: Text = Text {
    title: "Аудит локализации персональных данных",
    passed: "ПРОЙДЕН",
    failed: "НЕ ПРОЙДЕН",
    gate: "порог",
    no_findings: "Замечаний нет.",
    inventory: "Инвентаризация",
    operator: "Оператор",
    generated: "Сформирован",
    tool: "Инструмент",
    geoip: "GeoIP",
    geoip_old: "УСТАРЕЛА, укажите более новую базу в --geoip",
    adequacy: "Перечень государств с адекватной защитой",
    states: "государств",
    dns: "DNS",
    offline: "без сети: имена хостов не разрешались",
    warning: "ВНИМАНИЕ",
    summary: "Сводка",
    findings: "Замечания",
    severity: "Критичность",
    rule: "Правило",
    entity: "Объект",
    countries: "Страны",
    recipient: "Юрисдикция получателя (страна юридического лица, а не место нахождения данных)",
    finding_and_evidence: "Замечание и доказательства",
    evidence: "Доказательства",
    location: "Место в инвентаризации",
    waiver: "Принятый риск",
    law: "Норма",
    fine: "Штраф (ст. 13.11 КоАП РФ)",
    where_data_is: "Где находятся данные",
    where_data_goes: "Куда уходят данные",
    kind: "Тип",
    personal_data: "Персональные данные",
    how_placed: "Как определено",
    unknown: "неизвестно",
    rules: "Правила",
    description: "Что выявляет",
    count: "Замечаний",
    at: "в",
    entities_card: "объектов",
    abroad_card: "стран за рубежом",
    countries_abroad: "Страны за рубежом",
    changes: "Изменения с предыдущего запуска",
    no_change: "Без изменений: те же замечания и те же страны, что и в",
    new_findings: "Новые замечания",
    resolved_findings: "Устранённые замечания",
    moved_entities: "Объекты, у которых изменились страны",
    before: "было",
    after: "стало",
    none: "нет",
    compared_with: "Сравнение с",
    history: "История аудитов",
    run: "Запуск",
    total: "Всего",
    verdict: "Порог",
    change: "Изменения",
    first_run: "первый запуск",
    no_change_short: "без изменений",
    terraform_title: "Хранилища в планах Terraform",
    terraform_headers: ["Ресурс", "Тип", "Действие", "Место", "Сущности"],
    policy_title: "Политика и реальность",
    policy_headers: ["Строка", "Утверждение", "Вывод", "Предложение"],
    claim_confirmed: "подтверждено",
    claim_contradicted: "ОПРОВЕРГНУТО",
    claim_not_found: "не найдено",
    claim_noted: "к сведению",
    waivers_not_applied: "принятые риски не учтены (--no-waivers)",
    wrote: "записан",
    history_label: "история:",
    compared_with_lower: "сравнение с",
    site_headers: [
        "Третье лицо",
        "Получает",
        "Хосты → страны",
        "Инвентаризация",
        "Где на сайте",
    ],
    site_not_resolved: "не разрешалось",
    site_records: ", записывает",
    site_mentioned: "только упомянуты (без запроса)",
    site_permitted: "только разрешены Content-Security-Policy (разрешение, а не обращение)",
    map_home: "Россия: оператор и всё, что хранится в стране",
    tag_home: "в России: не трансграничная передача",
    tag_abroad: "за рубежом · включена в перечень",
    tag_nonadequate: "за рубежом · не включена в перечень",
    tag_unknown: "не считается Россией",
    map_abroad: "за рубежом, государство включено в перечень с адекватной защитой",
    map_nonadequate: "за рубежом, государство не включено в перечень с адекватной защитой",
    map_unknown: "место неизвестно (никогда не считается Россией)",
    map_transfer: "передача (раздел transfers)",
    map_collects: "пользователи передают данные напрямую (collects_from_subjects)",
    map_no_pd: "нет персональных данных граждан РФ",
    map_operator: "Оператор",
    explain: "`residency explain RULE --lang ru` выводит страницу правила: что проверяется, почему, как исправить.",
    not_advice: "Отчёт сформирован автоматизированным аудитом и не является юридической консультацией.",
    attribution: "GeoIP: ip-location-db geo-whois-asn-country (CC0-1.0), на основе данных RIR от Number Resource Organization (nro.net), CC BY 4.0.",
    // ---- h-stream ----
    in_files: "в",
    geoip_built: "сборка",
    adequacy_short: "перечень с адекватной защитой",
    no_new_findings: "Новых замечаний нет.",
    map_no_finding: "без замечаний",
    waived_table: "Принятые риски (waivers: отражены, проверку не проваливают)",
    waived_markdown: "Принятые риски (waivers: отражены, проверку не проваливают)",
    waived_html: "Принятые риски (waivers): отражены, проверку не проваливают",
    finding_and_waiver: "Замечание и принятый риск",
    waived_until: "принятый риск до",
    until: "до",
    approved_by: "утвердил",
    waiver_at: "запись о принятом риске в",
    policy_heads: ["Строка", "Утверждение", "Вывод", "Предложение"],
};

// ---- h-stream (issue 11 §2): sentences of the table that were inline in it. ----
impl Lang {
    /// The table's DNS statistics: "DNS: 3 names, 1 failed".
    pub fn dns_short(self, names: usize, failed: usize) -> String {
        match self {
            Self::En => format!("DNS: {names} names, {failed} failed"),
            Self::Ru => format!("DNS: имён {names}, ошибок {failed}"),
        }
    }

    /// A waiver under a waived finding in the table: "waived until DATE by
    /// WHO: REASON".
    pub fn waived_by(self, expires: &str, approved_by: &str, reason: &str) -> String {
        match self {
            Self::En => format!("waived until {expires} by {approved_by}: {reason}"),
            Self::Ru => format!("принятый риск до {expires}, утвердил {approved_by}: {reason}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_plurals() {
        let f = ("замечание", "замечания", "замечаний");
        assert_eq!(plural_ru(1, f), "замечание");
        assert_eq!(plural_ru(21, f), "замечание");
        assert_eq!(plural_ru(3, f), "замечания");
        assert_eq!(plural_ru(11, f), "замечаний");
        assert_eq!(plural_ru(14, f), "замечаний");
        assert_eq!(plural_ru(17, f), "замечаний");
        assert_eq!(Lang::Ru.findings(2), "2 замечания");
        assert_eq!(Lang::En.findings(1), "1 finding");
        assert_eq!(Lang::En.runs(1), "1 run");
        assert_eq!(Lang::En.runs(3), "3 runs");
        assert_eq!(Lang::Ru.runs(22), "22 запуска");
    }

    #[test]
    fn site_summary_counts() {
        assert_eq!(
            Lang::En.site_summary("https://a.example", 1, 0, 1),
            "Site: https://a.example — 1 page read, 0 not read in full, 1 third party"
        );
        assert_eq!(
            Lang::En.site_summary("https://a.example", 3, 1, 2),
            "Site: https://a.example — 3 pages read, 1 not read in full, 2 third parties"
        );
        assert_eq!(
            Lang::Ru.site_summary("https://a.example", 3, 1, 2),
            "Сайт: https://a.example — прочитано страниц: 3, не полностью: 1, третьих лиц: 2"
        );
    }
}
