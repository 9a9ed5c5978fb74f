//! The catalogue of third-party services that web pages embed
//! (`data/site-services.tsv`, embedded in the binary): who runs each one,
//! in which country, what it receives from the visitor and whether it
//! records it, with the page the facts come from.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use crate::reference::Country;

/// Whether the service works on the operator's instruction or as an
/// operator in its own right; decides the inventory section of a
/// suggestion and the kind of entity the site scan adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Acts on the operator's instruction (ч. 3 ст. 6 152-ФЗ): a processor.
    Processor,
    /// Its own purposes and legal basis (Google reCAPTCHA, Maps, Fonts,
    /// YouTube, Meta, VK, ad networks): a third party (a partner in the
    /// inventory) that needs no instruction.
    Independent,
}

/// What the visitor's browser hands the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Receives {
    /// The IP address and request headers.
    Ip,
    /// Also cookies and device identifiers.
    IpCookies,
    /// What the visitor types into a form, with IP and cookies.
    Form,
}

impl Receives {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ip => "ip",
            Self::IpCookies => "ip+cookies",
            Self::Form => "form",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Self::Ip => "the visitor's IP address",
            Self::IpCookies => "the visitor's IP address and cookies",
            Self::Form => "what the visitor types into a form, with the IP address and cookies",
        }
    }

    pub fn describe_ru(self) -> &'static str {
        match self {
            Self::Ip => "IP-адрес посетителя",
            Self::IpCookies => "IP-адрес и cookie посетителя",
            Self::Form => "данные, которые посетитель вводит в форму, с IP-адресом и cookie",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "ip" => Some(Self::Ip),
            "ip+cookies" => Some(Self::IpCookies),
            "form" => Some(Self::Form),
            _ => None,
        }
    }
}

/// A host suffix, optionally narrowed to a path prefix
/// (`www.google.com/recaptcha`).
#[derive(Debug, Clone)]
pub struct Pattern {
    pub host: &'static str,
    pub path: &'static str,
}

impl Pattern {
    fn matches(&self, host: &str, path: &str) -> bool {
        let host_ok = host == self.host
            || (host.len() > self.host.len()
                && host.ends_with(self.host)
                && host.as_bytes()[host.len() - self.host.len() - 1] == b'.');
        host_ok && (self.path.is_empty() || path.starts_with(self.path))
    }

    /// How specific the pattern is: longer host, then a path.
    fn weight(&self) -> (usize, usize) {
        (self.host.len(), self.path.len())
    }
}

/// One service of the catalogue.
#[derive(Debug, Clone)]
pub struct Service {
    pub id: &'static str,
    pub name: &'static str,
    pub legal_entity: &'static str,
    pub country: Country,
    pub role: Role,
    pub receives: Receives,
    /// Records the visitor's data (a first recording), rather than only
    /// serving files.
    pub collects: bool,
    pub domains: Vec<Pattern>,
    /// Code fragments that identify the service in an inline script.
    pub snippets: Vec<&'static str>,
    /// Where the row's facts come from.
    pub source: &'static str,
    /// The legal entity was confirmed against a source (else it is the
    /// service's own statement, not re-checked).
    pub checked: bool,
}

impl PartialEq for Service {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for Service {}

const DATA: &str = include_str!("../../data/site-services.tsv");

fn parse_row(cols: &[&'static str]) -> Option<Service> {
    let [
        id,
        name,
        legal_entity,
        country,
        role,
        receives,
        collects,
        domains,
        snippets,
        source,
        checked,
    ] = cols
    else {
        return None;
    };
    let domains: Vec<Pattern> = domains
        .split_whitespace()
        .map(|d| match d.split_once('/') {
            Some((host, _)) => Pattern {
                host,
                path: &d[host.len()..],
            },
            None => Pattern { host: d, path: "" },
        })
        .collect();
    if domains.is_empty() {
        return None;
    }
    Some(Service {
        id,
        name,
        legal_entity,
        country: Country::parse(country)?,
        role: match *role {
            "processor" => Role::Processor,
            "independent" | "partner" => Role::Independent,
            _ => return None,
        },
        receives: Receives::parse(receives)?,
        collects: match *collects {
            "yes" => true,
            "no" => false,
            _ => return None,
        },
        domains,
        snippets: if *snippets == "-" {
            Vec::new()
        } else {
            snippets
                .split(" | ")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect()
        },
        source,
        checked: match *checked {
            "yes" => true,
            "no" => false,
            _ => return None,
        },
    })
}

/// Every service of the built-in catalogue, in file order. (A malformed
/// row is skipped; a unit test keeps the shipped file free of them.)
pub fn all() -> &'static [Service] {
    static ALL: OnceLock<Vec<Service>> = OnceLock::new();
    ALL.get_or_init(|| {
        crate::reference::tsv_rows(DATA)
            .filter_map(|(_, cols)| parse_row(&cols))
            .collect()
    })
}

/// The catalogue's domains by host suffix and its snippets in one
/// automaton: a lookup costs the labels of the host, a script's search one
/// pass over it, whatever the size of the catalogue.
struct Index {
    /// Host suffix → (order of the domain in the file, service, pattern).
    domains: HashMap<&'static str, Vec<(usize, &'static Service, &'static Pattern)>>,
    snippets: aho_corasick::AhoCorasick,
    /// For each snippet of the automaton: its service (index in [`all`]),
    /// its place in the service's list, the text.
    owners: Vec<(usize, usize, &'static str)>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut domains: HashMap<&'static str, Vec<_>> = HashMap::new();
        let mut order = 0;
        let mut owners = Vec::new();
        for (si, s) in all().iter().enumerate() {
            for p in &s.domains {
                domains.entry(p.host).or_default().push((order, s, p));
                order += 1;
            }
            for (ti, t) in s.snippets.iter().enumerate() {
                owners.push((si, ti, *t));
            }
        }
        let snippets = aho_corasick::AhoCorasick::new(owners.iter().map(|o| o.2))
            .expect("the catalogue's snippets build an automaton");
        Index {
            domains,
            snippets,
            owners,
        }
    })
}

/// The service a URL with this host and path belongs to: the most
/// specific matching domain wins (on a tie, the later row).
pub fn lookup(host: &str, path: &str) -> Option<&'static Service> {
    let ix = index();
    let mut best: Option<((usize, usize), usize, &'static Service)> = None;
    let suffixes = std::iter::once(host).chain(
        host.char_indices()
            .filter(|(_, c)| *c == '.')
            .map(|(i, _)| &host[i + 1..]),
    );
    for suffix in suffixes {
        for (order, s, p) in ix.domains.get(suffix).into_iter().flatten() {
            if p.matches(host, path) {
                let key = (p.weight(), *order);
                if best.is_none_or(|(w, o, _)| (w, o) < key) {
                    best = Some((key.0, key.1, s));
                }
            }
        }
    }
    best.map(|(_, _, s)| s)
}

/// The service with this id.
pub fn by_id(id: &str) -> Option<&'static Service> {
    all().iter().find(|s| s.id == id)
}

/// The catalogue services whose snippets occur in an inline script, each
/// with the fragment that matched (the first of its list that occurs), in
/// catalogue order. A fragment starting with a letter must not continue an
/// identifier (`ym(` matches `ym(1, "init")`, not `rhythm(`).
pub fn snippets_in(code: &str) -> Vec<(&'static Service, &'static str)> {
    let ix = index();
    let mut found: BTreeMap<usize, (usize, &'static str)> = BTreeMap::new();
    let bytes = code.as_bytes();
    for m in ix.snippets.find_overlapping_iter(code) {
        let (si, ti, token) = ix.owners[m.pattern().as_usize()];
        let starts_ident = token.bytes().next().is_some_and(is_ident);
        let continues_ident = m.start() > 0 && is_ident(bytes[m.start() - 1]);
        if starts_ident && continues_ident {
            continue;
        }
        let e = found.entry(si).or_insert((ti, token));
        if ti < e.0 {
            *e = (ti, token);
        }
    }
    found
        .into_iter()
        .map(|(si, (_, token))| (&all()[si], token))
        .collect()
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_catalogue_is_complete_and_well_formed() {
        let rows = crate::reference::tsv_rows(DATA).count();
        assert_eq!(
            all().len(),
            rows,
            "a row of data/site-services.tsv is malformed"
        );
        assert!(rows >= 250, "{rows} services");
        let mut ids: Vec<_> = all().iter().map(|s| s.id).collect();
        ids.sort_unstable();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate ids");
        for s in all() {
            assert!(
                s.id.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
                    && s.id.bytes().all(|b| b.is_ascii_lowercase()
                        || b.is_ascii_digit()
                        || b"-._".contains(&b)),
                "{}: id",
                s.id
            );
            assert!(s.source.starts_with("https://"), "{}: source", s.id);
            assert!(!s.legal_entity.is_empty() && !s.name.is_empty(), "{}", s.id);
            for d in &s.domains {
                assert_eq!(
                    crate::site::domain::clean_host(d.host).as_deref(),
                    Some(d.host),
                    "{}: {}",
                    s.id,
                    d.host
                );
            }
        }
        // Russian and foreign services both.
        assert!(all().iter().filter(|s| s.country.is_ru()).count() >= 80);
        assert!(all().iter().filter(|s| !s.country.is_ru()).count() >= 120);
        for id in [
            "yandex-metrica",
            "vk",
            "top-mail-ru",
            "jivo",
            "bitrix24",
            "amocrm",
            "calltouch",
            "roistat",
            "carrot-quest",
            "tilda-forms",
            "google-analytics",
            "google-tag-manager",
            "google-ads",
            "recaptcha",
            "google-fonts",
            "amplitude",
            "mixpanel",
            "segment",
            "hotjar",
            "microsoft-clarity",
            "meta-pixel",
            "tiktok-pixel",
            "linkedin-insight",
            "intercom",
            "zendesk",
            "hubspot",
            "sentry",
            "cdnjs",
            "cloudflare-web-analytics",
            "jsdelivr",
            "unpkg",
            // The Runet (issue 10).
            "liveinternet",
            "uptolike",
            "bitrix-analytics",
            "tilda-cdn",
            "yandex-static",
            "vk-ads",
            "comagic",
            "envybox",
            "marquiz",
            "flocktory",
            "jivochat",
            "getcourse",
        ] {
            assert!(by_id(id).is_some(), "{id} missing");
        }
    }

    #[test]
    fn roles_and_collection_as_the_legal_review_found_them() {
        let s = |id| by_id(id).unwrap();
        // Services with their own purposes need no instruction (review D5).
        for id in [
            "recaptcha",
            "google-maps",
            "google-fonts",
            "google",
            "youtube",
            "meta-pixel",
            "vk",
        ] {
            assert_eq!(s(id).role, Role::Independent, "{id}");
        }
        assert_eq!(s("google-analytics").role, Role::Processor);
        // File delivery is not a first recording (review D4).
        for id in [
            "google-fonts",
            "google-tag-manager",
            "tilda-cdn",
            "yandex-static",
            "cdnjs",
        ] {
            assert!(!s(id).collects, "{id}");
        }
        // VK widgets are run by ООО «В Контакте», VK Ads and Top@Mail.ru by ООО «ВК» (review C5, C6).
        assert!(s("vk").legal_entity.starts_with("ООО «В Контакте»"));
        assert!(s("vk").legal_entity.contains("1079847035179"));
        assert!(s("vk-ads").legal_entity.starts_with("ООО «ВК»"));
        assert!(s("top-mail-ru").legal_entity.starts_with("ООО «ВК»"));
        assert_eq!(lookup("vk.com", "/rtrg").map(|s| s.id), Some("vk-ads"));
        assert_eq!(
            lookup("vk.com", "/widget_comments.php").map(|s| s.id),
            Some("vk")
        );
        // Rows the review could not verify stay marked.
        assert!(!s("bitrix24").checked && !s("calltouch").checked);
        assert!(s("yandex-metrica").checked);
        // Every Tilda CDN host, and the Yandex static hosts.
        for h in [
            "static.tildacdn.com",
            "static.tildacdn.info",
            "static.tildacdn.one",
            "thb.tildacdn.com",
        ] {
            assert_eq!(lookup(h, "/x.css").map(|s| s.id), Some("tilda-cdn"), "{h}");
        }
        assert_eq!(
            lookup("forms.tildacdn.com", "/").map(|s| s.id),
            Some("tilda-forms")
        );
        for h in ["yandex.st", "yastatic.net"] {
            assert_eq!(
                lookup(h, "/jquery/x.js").map(|s| s.id),
                Some("yandex-static"),
                "{h}"
            );
        }
        assert_eq!(
            lookup("yandex.st", "/share/share.js").map(|s| s.id),
            Some("yandex-share")
        );
    }

    #[test]
    fn the_most_specific_domain_wins() {
        let id = |h, p| lookup(h, p).map(|s| s.id);
        assert_eq!(
            id("mc.yandex.ru", "/metrika/tag.js"),
            Some("yandex-metrica")
        );
        assert_eq!(id("yandex.ru", "/"), Some("yandex"));
        assert_eq!(id("yastatic.net", "/x.js"), Some("yandex-static"));
        assert_eq!(
            id("region1.google-analytics.com", "/g/collect"),
            Some("google-analytics")
        );
        assert_eq!(id("www.google.com", "/recaptcha/api.js"), Some("recaptcha"));
        assert_eq!(id("www.google.com", "/maps/embed"), Some("google-maps"));
        assert_eq!(id("www.google.com", "/search"), Some("google"));
        assert_eq!(
            id("fonts.gstatic.com", "/s/roboto.woff2"),
            Some("google-fonts")
        );
        assert_eq!(
            id("www.gstatic.com", "/recaptcha/releases/x.js"),
            Some("recaptcha")
        );
        assert_eq!(id("cdn.amplitude.com", "/libs/a.js"), Some("amplitude"));
        assert_eq!(id("api.eu.amplitude.com", "/"), Some("amplitude"));
        // A suffix matches at a label boundary only.
        assert_eq!(id("notamplitude.com", "/"), None);
        assert_eq!(id("tracker.example", "/"), None);
    }

    #[test]
    fn snippets_match_at_identifier_boundaries() {
        let ids =
            |code: &str| -> Vec<&str> { snippets_in(code).iter().map(|(s, _)| s.id).collect() };
        assert_eq!(
            ids(
                "window.dataLayer = []; function gtag(){dataLayer.push(arguments)} gtag('config', 'G-TEST1');"
            ),
            ["google-analytics"]
        );
        assert_eq!(
            ids(r#"ym(96000001, "init", {webvisor: true});"#),
            ["yandex-metrica"]
        );
        assert!(ids("function rhythm(x) { return x }").is_empty());
        assert_eq!(ids("amplitude.getInstance().init('KEY')"), ["amplitude"]);
        assert_eq!(
            ids("fbq('init', '123'); ttq.load('C1');"),
            ["meta-pixel", "tiktok-pixel"]
        );
    }
}
