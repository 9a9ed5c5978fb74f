//! Stage 1b: the operator's web site → the third parties its pages make
//! the visitor's browser contact.
//!
//! The pages are fetched from the start URLs and same-site links (at most
//! `max_pages`), read as HTML (`extract`) with their response headers,
//! and every host of another registrable domain (`domain`) is recorded
//! with the page and element that loads it, matched against the
//! [`catalogue`] of known services. Only the operator's own pages are
//! requested: a third-party resource is never fetched, so the audit sends
//! nobody's data anywhere. [`merge`] adds the result to an inventory, so
//! the hosts are resolved and judged like every other entity.

pub mod catalogue;
pub(crate) mod domain;
pub(crate) mod extract;
pub mod fetch;
pub(crate) mod js;
pub mod merge;
pub mod trackerdb;

use std::collections::{BTreeMap, BTreeSet, HashSet};

use futures::StreamExt;
use url::Url;

use catalogue::Service;
use domain::{clean_host, registrable};
use extract::{Kind, Ref, Target, show_url};
pub use fetch::FetchOptions;
pub use merge::{Link, SiteAudit, merge};

/// How to crawl.
#[derive(Debug, Clone)]
pub struct Options {
    pub fetch: FetchOptions,
    /// Pages fetched at most (start URLs included).
    pub max_pages: usize,
    /// Pages fetched at once.
    pub parallel: usize,
    /// A tracker database (`--tracker-db`) naming hosts the catalogue lacks.
    pub tracker_db: Option<std::sync::Arc<trackerdb::TrackerDb>>,
}

/// The owner a `--tracker-db` file gives for a host the catalogue lacks.
#[derive(Debug, Clone)]
pub struct NamedBy {
    pub owner: trackerdb::Owner,
    /// The database file, as given.
    pub file: String,
    /// The host it was looked up by.
    pub host: String,
}

/// Where one third party shows up.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Sighting {
    /// Index of the page in [`SiteScan::pages`].
    pub page_index: usize,
    /// The page (final URL, as shown).
    pub page: String,
    /// Line of the element; `None` for a header or a redirect.
    pub line: Option<u32>,
    /// The element, e.g. `<script src="https://…">`.
    pub element: String,
    /// The host it points at; empty for a service recognised only by its
    /// inline snippet (no host of it on the page).
    pub host: String,
    /// What the visitor types into a form goes there.
    pub form: bool,
    /// Only a `preconnect`/`dns-prefetch` hint: the host sees the IP address.
    pub hint: bool,
}

impl Sighting {
    /// `https://example.ru/ line 12: <script src="…">`.
    pub fn describe(&self) -> String {
        match self.line {
            Some(l) => format!("{} line {l}: {}", self.page, self.element),
            None => format!("{}: {}", self.page, self.element),
        }
    }
}

/// A third party the site uses: a catalogue service, or an unknown
/// registrable domain.
#[derive(Debug, Clone)]
pub struct ThirdParty {
    /// The catalogue id, or the registrable domain of an unknown host.
    pub id: String,
    pub service: Option<&'static Service>,
    /// Not in the catalogue, but named by `--tracker-db`.
    pub named_by: Option<NamedBy>,
    pub hosts: BTreeSet<String>,
    /// Sorted by page, line and element.
    pub sightings: Vec<Sighting>,
}

impl ThirdParty {
    /// Only connection hints point at it (`preconnect`, `dns-prefetch`).
    pub fn hints_only(&self) -> bool {
        self.sightings.iter().all(|s| s.hint)
    }

    /// Whether the visitor's data is recorded there (a first recording):
    /// the catalogue says so, or (fail closed) the host is unknown. A party
    /// the page only pre-connects to receives the IP address (a transfer)
    /// but records nothing.
    pub fn collects(&self) -> bool {
        !self.hints_only() && self.service.is_none_or(|s| s.collects)
    }

    /// What it receives: the catalogue's answer; for an unknown host, form
    /// data when a form posts there, else IP address and cookies; only the
    /// IP address for a connection hint.
    pub fn receives(&self) -> catalogue::Receives {
        if self.hints_only() {
            return catalogue::Receives::Ip;
        }
        match self.service {
            Some(s) if self.sightings.iter().any(|x| x.form) => {
                s.receives.max(catalogue::Receives::Form)
            }
            Some(s) => s.receives,
            None if self.sightings.iter().any(|s| s.form) => catalogue::Receives::Form,
            None => catalogue::Receives::IpCookies,
        }
    }

    /// A display name: the service, or the domain.
    pub fn name(&self) -> String {
        match self.service {
            Some(s) => format!("{} ({})", s.name, s.legal_entity),
            None => match &self.named_by {
                Some(n) => format!("{} ({}, per {})", self.id, n.owner.name, n.file),
                None => format!("{} (not in the catalogue)", self.id),
            },
        }
    }
}

/// One URL fetched.
#[derive(Debug, Clone)]
pub struct Page {
    /// As requested (shown: credentials redacted).
    pub url: String,
    /// After same-site redirects.
    pub final_url: String,
    /// Each redirect target followed.
    pub redirects: Vec<String>,
    pub status: Option<u16>,
    pub content_type: Option<String>,
    /// Bytes of the body read.
    pub bytes: usize,
    /// Read as HTML.
    pub html: bool,
    /// Why the page was not read in full: its third parties are unknown.
    pub problem: Option<String>,
    /// Anything else worth knowing (not HTML, not valid UTF-8, …).
    pub note: Option<String>,
}

/// The result of a crawl.
#[derive(Debug, Clone, Default)]
pub struct SiteScan {
    /// The start URLs (shown).
    pub roots: Vec<String>,
    pub pages: Vec<Page>,
    /// Sorted by id.
    pub third_parties: Vec<ThirdParty>,
    /// Other sites' URLs the pages only name (a script's article link, a
    /// comment, `data-href`): no request, so no finding. Hosts that are
    /// also contacted are left out. Sorted.
    pub mentioned: Vec<Sighting>,
    /// Hosts a Content-Security-Policy allows: permissions, not contacts
    /// (all of them, contacted or not). Sorted.
    pub permitted: Vec<Sighting>,
    /// Distinct same-site links left unread because of `max_pages`.
    pub not_followed: usize,
    pub max_pages: usize,
}

impl SiteScan {
    /// Pages read as HTML, completely or not.
    pub fn pages_read(&self) -> usize {
        self.pages.iter().filter(|p| p.html).count()
    }
}

/// Parse a start URL: `http(s)://…`; a bare `example.ru` means
/// `https://example.ru/`.
/// Why a start URL cannot be scanned (the URL as shown: credentials
/// hidden).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RootError {
    #[error("`{shown}` is not a URL: {why}")]
    NotUrl { shown: String, why: url::ParseError },
    #[error("`{0}`: only http:// and https:// sites can be scanned")]
    NotHttp(String),
    #[error("`{0}` names no host")]
    NoHost(String),
}

pub fn parse_root(s: &str) -> Result<Url, RootError> {
    let text = if s.contains("://") {
        s.to_string()
    } else {
        format!("https://{s}")
    };
    let mut url = Url::parse(&text).map_err(|why| RootError::NotUrl {
        shown: show_url(s),
        why,
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(RootError::NotHttp(show_url(s)));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(RootError::NoHost(show_url(s)));
    }
    url.set_fragment(None);
    Ok(url)
}

#[derive(Default)]
struct Found {
    parties: BTreeMap<String, ThirdParty>,
    mentioned: Vec<Sighting>,
    permitted: Vec<Sighting>,
}

impl Found {
    fn add(&mut self, r: &Ref, page_index: usize, page: &Url) {
        let page_host = page.host_str().unwrap_or("");
        let (host, service) = match &r.target {
            Target::Url(u) => {
                let Some(host) = u.host_str().and_then(clean_host) else {
                    return;
                };
                let service = catalogue::lookup(&host, u.path());
                (host, service)
            }
            Target::Host(h) => (h.clone(), catalogue::lookup(h, "")),
            // A snippet names its service but adds no host.
            Target::Service(s) => (String::new(), Some(*s)),
        };
        if !host.is_empty() && domain::same_site(&host, page_host) {
            return;
        }
        let sighting = Sighting {
            page_index,
            page: show_url(page.as_str()),
            line: r.line,
            element: r.element.clone(),
            host: host.clone(),
            form: r.form,
            hint: r.kind == Kind::Hint,
        };
        match r.kind {
            Kind::Mention => return self.mentioned.push(sighting),
            Kind::Permit => return self.permitted.push(sighting),
            Kind::Contact | Kind::Hint => {}
        }
        let id = service.map_or_else(|| registrable(&host), |s| s.id.to_string());
        let party = self
            .parties
            .entry(id.clone())
            .or_insert_with(|| ThirdParty {
                id,
                service,
                named_by: None,
                hosts: BTreeSet::new(),
                sightings: Vec::new(),
            });
        if !host.is_empty() {
            party.hosts.insert(host);
        }
        party.sightings.push(sighting);
    }

    /// The third parties, and the hosts only mentioned and only permitted.
    fn finish(self) -> (Vec<ThirdParty>, Vec<Sighting>, Vec<Sighting>) {
        let parties: Vec<ThirdParty> = self
            .parties
            .into_values()
            .map(|mut p| {
                p.sightings.sort();
                p.sightings.dedup();
                p
            })
            .collect();
        let contacted: HashSet<&str> = parties
            .iter()
            .flat_map(|p| p.hosts.iter().map(String::as_str))
            .collect();
        let only = |mut v: Vec<Sighting>| {
            v.retain(|s| !contacted.contains(s.host.as_str()));
            v.sort();
            v.dedup();
            v
        };
        let mentioned = only(self.mentioned);
        // Every permission is listed, contacted or not: the policy as read.
        let mut permitted = self.permitted;
        permitted.sort();
        permitted.dedup();
        (parties, mentioned, permitted)
    }
}

/// Decode a page: the charset of the header, else of a `<meta>`, else
/// UTF-8 (invalid bytes replaced, and said so).
fn decode(
    body: &[u8],
    header_charset: Option<&str>,
    page: &Url,
) -> (String, extract::Extracted, Option<String>) {
    let by_label = |label: &str| encoding_rs::Encoding::for_label(label.trim().as_bytes());
    if let Some(enc) = header_charset.and_then(by_label) {
        let (text, _, bad) = enc.decode(body);
        let e = extract::html(&text, page);
        let note = bad.then(|| format!("not valid {}: undecodable bytes replaced", enc.name()));
        return (text.into_owned(), e, note);
    }
    let (text, _, bad) = encoding_rs::UTF_8.decode(body);
    let e = extract::html(&text, page);
    if let Some(enc) = e.charset.as_deref().and_then(by_label)
        && enc != encoding_rs::UTF_8
    {
        let (text, _, bad) = enc.decode(body);
        let e = extract::html(&text, page);
        let note = bad.then(|| format!("not valid {}: undecodable bytes replaced", enc.name()));
        return (text.into_owned(), e, note);
    }
    let note = bad
        .then(|| "not valid UTF-8: invalid bytes replaced (U+FFFD); the rest was read".to_string());
    (text.into_owned(), e, note)
}

/// Crawl the site from `roots` and collect its third parties.
pub async fn scan(roots: &[Url], opts: &Options) -> Result<SiteScan, fetch::ClientError> {
    let client = fetch::client(&opts.fetch)?;
    let sites: BTreeSet<String> = roots
        .iter()
        .map(|u| registrable(u.host_str().unwrap_or("")))
        .collect();
    let mut seen: HashSet<String> = HashSet::new();
    let mut level: Vec<Url> = Vec::new();
    for r in roots {
        if seen.insert(r.as_str().to_string()) {
            level.push(r.clone());
        }
    }
    let mut planned = level.len();
    let mut scan = SiteScan {
        roots: roots.iter().map(|u| show_url(u.as_str())).collect(),
        max_pages: opts.max_pages,
        ..SiteScan::default()
    };
    let mut found = Found::default();
    while !level.is_empty() {
        // In order (deterministic), and each page is read as it arrives:
        // at most `parallel` bodies are held at once.
        let mut fetched = futures::stream::iter(std::mem::take(&mut level).into_iter().map(|u| {
            let client = &client;
            let sites = &sites;
            async move { fetch::fetch(client, u, sites, &opts.fetch).await }
        }))
        .buffered(opts.parallel.max(1));
        let mut next = Vec::new();
        while let Some(f) = fetched.next().await {
            for u in &f.chain {
                seen.insert(u.as_str().to_string());
            }
            let index = scan.pages.len();
            let final_url = f.final_url().clone();
            let mut page = Page {
                url: show_url(f.chain[0].as_str()),
                final_url: show_url(final_url.as_str()),
                redirects: f.chain[1..].iter().map(|u| show_url(u.as_str())).collect(),
                status: None,
                content_type: None,
                bytes: 0,
                html: false,
                problem: None,
                note: None,
            };
            let mut links = Vec::new();
            match f.outcome {
                fetch::Outcome::Failed(reason) => page.problem = Some(reason),
                fetch::Outcome::OffSite { status, to } => {
                    page.status = Some(status);
                    page.note = Some(format!(
                        "redirects to another site ({}): not followed",
                        show_url(to.as_str())
                    ));
                    let r = Ref {
                        element: format!("HTTP {status} redirect to {}", show_url(to.as_str())),
                        target: Target::Url(to),
                        kind: Kind::Contact,
                        line: None,
                        form: false,
                    };
                    found.add(&r, index, &final_url);
                }
                fetch::Outcome::Page(resp) => {
                    page.status = Some(resp.status);
                    page.content_type = resp.headers.content_type.clone();
                    let mut refs = Vec::new();
                    for (policy, label) in resp
                        .headers
                        .csp
                        .iter()
                        .map(|p| (p, "Content-Security-Policy:"))
                        .chain(
                            resp.headers
                                .csp_report_only
                                .iter()
                                .map(|p| (p, "Content-Security-Policy-Report-Only:")),
                        )
                    {
                        refs.extend(extract::csp(policy, &final_url, label, None));
                    }
                    for l in &resp.headers.link {
                        refs.extend(extract::link_header(l, &final_url));
                    }
                    if let Some(target) = resp
                        .headers
                        .refresh
                        .as_deref()
                        .and_then(extract::refresh_target)
                        && let Ok(u) = final_url.join(&target)
                    {
                        refs.push(Ref {
                            element: format!("Refresh: {}", show_url(u.as_str())),
                            target: Target::Url(u.clone()),
                            kind: Kind::Contact,
                            line: None,
                            form: false,
                        });
                        links.push(u);
                    }
                    match resp.body {
                        None => {
                            page.note = Some(format!(
                                "not HTML ({}): not read",
                                resp.headers
                                    .content_type
                                    .as_deref()
                                    .unwrap_or("no Content-Type")
                            ));
                        }
                        Some(body) => {
                            page.html = true;
                            page.bytes = body.len();
                            // A defect of the extractor must cost this page, not
                            // the scan: the page is reported as not read.
                            let read =
                                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                                    decode(&body, resp.headers.charset().as_deref(), &final_url)
                                }));
                            let Ok((_, extracted, note)) = read else {
                                page.problem = Some(
                                    "could not be parsed (an internal error of the page reader): \
                                     its third parties are unknown"
                                        .into(),
                                );
                                for r in &refs {
                                    found.add(r, index, &final_url);
                                }
                                scan.pages.push(page);
                                continue;
                            };
                            page.note = note;
                            refs.extend(extracted.refs);
                            links.extend(extracted.links);
                            if resp.truncated {
                                page.problem = Some(format!(
                                    "larger than {} bytes (--max-page-size): only the beginning was read",
                                    opts.fetch.max_bytes
                                ));
                            } else if resp.status >= 500 {
                                page.problem = Some(format!(
                                    "HTTP {}: the server's error page was read, not the page",
                                    resp.status
                                ));
                            }
                        }
                    }
                    for r in &refs {
                        found.add(r, index, &final_url);
                    }
                }
            }
            for mut link in links {
                link.set_fragment(None);
                let same = link
                    .host_str()
                    .is_some_and(|h| sites.contains(&registrable(h)));
                if !same || !seen.insert(link.as_str().to_string()) {
                    continue;
                }
                if planned < opts.max_pages {
                    planned += 1;
                    next.push(link);
                } else {
                    scan.not_followed += 1;
                }
            }
            scan.pages.push(page);
        }
        level = next;
    }
    (scan.third_parties, scan.mentioned, scan.permitted) = found.finish();
    if let Some(db) = &opts.tracker_db {
        for p in scan
            .third_parties
            .iter_mut()
            .filter(|p| p.service.is_none())
        {
            p.named_by = p.hosts.iter().find_map(|h| {
                db.lookup(h).map(|owner| NamedBy {
                    owner: owner.clone(),
                    file: db.file.clone(),
                    host: h.clone(),
                })
            });
        }
    }
    Ok(scan)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Every encoding a page may declare (the WHATWG set `encoding_rs`
    /// implements, which is what the fetcher accepts by label).
    const CHARSETS: &[&encoding_rs::Encoding] = &[
        encoding_rs::UTF_8,
        encoding_rs::UTF_16LE,
        encoding_rs::UTF_16BE,
        encoding_rs::WINDOWS_1251,
        encoding_rs::KOI8_R,
        encoding_rs::KOI8_U,
        encoding_rs::IBM866,
        encoding_rs::ISO_8859_5,
        encoding_rs::X_MAC_CYRILLIC,
        encoding_rs::WINDOWS_1252,
        encoding_rs::WINDOWS_1250,
        encoding_rs::ISO_8859_2,
        encoding_rs::GBK,
        encoding_rs::GB18030,
        encoding_rs::BIG5,
        encoding_rs::SHIFT_JIS,
        encoding_rs::EUC_JP,
        encoding_rs::ISO_2022_JP,
        encoding_rs::EUC_KR,
        encoding_rs::X_USER_DEFINED,
        encoding_rs::REPLACEMENT,
    ];

    /// Pieces real pages are made of, so that random pages reach the
    /// scripts, styles, attributes and policies, not only text.
    const PIECES: &[&str] = &[
        "<script>",
        "</script>",
        "<script src=\"",
        "<style>",
        "</style>",
        "<img data-original=\"",
        "<form data-endpoint=\"",
        "<link rel=preconnect href=",
        "<meta http-equiv=\"Content-Security-Policy\" content=\"script-src ",
        "<meta http-equiv=refresh content=\"0;url=",
        "<base href=\"",
        "<noscript>",
        "\"",
        "'",
        "`",
        "${",
        "}",
        "//",
        "/*",
        "*/",
        "/",
        "\\",
        "https://",
        "http:",
        "://",
        "mc.yandex.ru/",
        ".google-analytics.com/ga.js",
        " + ",
        ") + ",
        "s.src = ",
        "document.write('<script src=",
        "url(",
        "@import '",
        "ym(",
        "gtag('config'",
        "привет",
        " мир ",
        "р",
        "ж",
        "\u{1}",
        "\u{feff}",
        "😀",
        "\n",
        ";",
        "=",
    ];

    fn page() -> Url {
        Url::parse("https://www.example.ru/").unwrap()
    }

    fn pieces() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof![
                prop::sample::select(PIECES).prop_map(str::to_string),
                any::<String>(),
            ],
            0..40,
        )
        .prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 128,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Arbitrary bytes, read in every charset (by header and by `<meta>`).
        #[test]
        fn any_bytes_in_any_charset_are_read(body in prop::collection::vec(any::<u8>(), 0..2048)) {
            for cs in CHARSETS {
                let _ = decode(&body, Some(cs.name()), &page());
            }
            let _ = decode(&body, None, &page());
        }

        /// Page-like Unicode: markup, scripts, concatenations, comments and
        /// multi-byte characters in every position.
        #[test]
        fn page_like_text_is_read(text in pieces(), cs in prop::sample::select(CHARSETS)) {
            let e = extract::html(&text, &page());
            for r in &e.refs {
                if let Target::Url(u) = &r.target {
                    prop_assert!(matches!(u.scheme(), "http" | "https" | "ws" | "wss"));
                }
            }
            let _ = js::urls(&text);
            let _ = extract::css_urls(&text);
            let _ = extract::refresh_target(&text);
            let _ = extract::csp(&text, &page(), "Content-Security-Policy:", None);
            let _ = extract::link_header(&text, &page());
            // Encoded in one of the charsets, declared by the header or by a `<meta>`.
            let (bytes, _, _) = cs.encode(&text);
            let _ = decode(&bytes, Some(cs.name()), &page());
            let meta = format!("<meta charset=\"{}\">{text}", cs.name());
            let (bytes, _, _) = cs.encode(&meta);
            let _ = decode(&bytes, None, &page());
        }

        /// A URL in a loading context is found whatever surrounds it.
        #[test]
        fn a_loader_is_found_among_any_text(before in pieces(), after in pieces()) {
            let code = format!("{before}\n;s.src = 'https://cdn.found.example.com/x.js';\n{after}");
            // The text around may open a string or a comment that swallows
            // the loader; only when it does not is it required.
            let plain = !before.contains(['\'', '"', '`', '/', '\\', '\u{1}']);
            let found = js::urls(&code).iter().any(|u| u.url == "https://cdn.found.example.com/x.js" && u.load);
            prop_assert!(found || !plain);
        }
    }

    #[test]
    fn the_issue_10_reproducer() {
        let e = extract::html("<script>// привет // мир</script>", &page());
        assert!(e.refs.is_empty());
    }
}
