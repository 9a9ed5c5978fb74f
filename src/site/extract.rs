//! Reading a page: what it makes the visitor's browser contact.
//!
//! The HTML goes through html5ever's WHATWG tokenizer (the tokenizer of a
//! browser's parser, with the raw-text rules for `script`, `style`,
//! `iframe`, … that the tree builder would apply), so comments, attribute
//! quoting, character references and script bodies are read the way a
//! browser reads them, and every element keeps its line number. Content of
//! `<noscript>` is read as markup: it is what a visitor without scripts
//! loads (the counters' fallback pixels).
//!
//! Inline scripts are searched for URL literals and for the catalogue's
//! well-known snippets (`gtag('config'`, `ym(`, `fbq('init'`, …); style
//! sheets for `url(…)` and `@import`. The `Content-Security-Policy` and
//! `Link` headers are read by [`csp`] and [`link_header`].

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use url::Url;

use super::catalogue::{self, Service};
use super::domain::clean_host;
use crate::inventory::endpoint::redact;

/// Inline script or style text searched per element (bytes); the rest of a
/// longer one is not searched.
const MAX_INLINE: usize = 1 << 20;

/// What a reference points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    Url(Url),
    /// A host without a URL: a CSP source (`*.` stripped).
    Host(String),
    /// A catalogue service recognised by its inline snippet.
    Service(&'static Service),
}

/// How the page relates to what a reference names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    /// The browser loads it or sends data to it.
    Contact,
    /// A `preconnect`/`dns-prefetch` hint: the browser connects (the host
    /// sees the visitor's IP address) but sends no request it records.
    Hint,
    /// Only named: a URL in a script that is not in a loading context, a
    /// comment, a link inside a string, a `data-href`.
    Mention,
    /// Allowed by a Content-Security-Policy: a permission, not a contact.
    Permit,
}

/// One thing the page makes the browser contact (or allows it to).
#[derive(Debug, Clone)]
pub(crate) struct Ref {
    pub target: Target,
    pub kind: Kind,
    /// Line of the element; `None` for a response header.
    pub line: Option<u32>,
    /// The element as a user would search for it in the page source.
    pub element: String,
    /// The visitor's form input goes there.
    pub form: bool,
}

/// What one HTML document references.
#[derive(Debug, Default)]
pub(crate) struct Extracted {
    pub refs: Vec<Ref>,
    /// Navigation within reach of a visitor: `a`/`area` links, frames,
    /// `meta` refresh (crawled when same-site).
    pub links: Vec<Url>,
    /// The charset a `<meta>` declares.
    pub charset: Option<String>,
}

/// A URL as shown in evidence: credentials and secret parameters
/// redacted, at most 150 characters.
pub(crate) fn show_url(url: &str) -> String {
    // Control characters (a terminal escape in a hostile page) never reach a report.
    let s: String = redact(url)
        .chars()
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect();
    match s.char_indices().nth(150) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}

struct Raw {
    url: String,
    line: u32,
    /// `script src` → `<script src="URL">`; with `inline`, `inline <script>` → `inline <script>: URL`.
    desc: String,
    inline: bool,
    form: bool,
    /// A navigation link (crawled when same-site).
    nav: bool,
    /// A resource the browser loads or sends data to (or a hint, or a mention).
    load: bool,
    kind: Kind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum TextKind {
    Script,
    Style,
}

struct Text {
    kind: TextKind,
    line: u32,
    buf: String,
}

struct State {
    page: Url,
    /// 0 for the page; 1 for markup inside a script's string.
    depth: u8,
    base: Option<String>,
    raws: Vec<Raw>,
    services: Vec<(&'static Service, &'static str, u32)>,
    csp: Vec<(String, u32)>,
    text: Option<Text>,
    noscript: u32,
    charset: Option<String>,
}

struct Sink(RefCell<State>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        let line = u32::try_from(line).unwrap_or(u32::MAX);
        let mut st = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) => match tag.kind {
                TagKind::StartTag => return st.start(&tag, line),
                TagKind::EndTag => st.end(&tag),
            },
            Token::CharacterTokens(t) => {
                if let Some(text) = &mut st.text
                    && text.buf.len() < MAX_INLINE
                {
                    text.buf.push_str(&t);
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }

    fn end(&self) {
        self.0.borrow_mut().finish_text();
    }
}

fn attr(tag: &Tag, name: &str) -> Option<String> {
    tag.attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| a.value.to_string())
}

/// `<link rel>` values that only open a connection (DNS lookup, TCP/TLS):
/// the host sees the visitor's IP address, nothing is requested.
const HINT_RELS: &[&str] = &["preconnect", "dns-prefetch"];

/// `<link rel>` values whose `href` the browser contacts by itself.
const LOADING_RELS: &[&str] = &[
    "stylesheet",
    "preconnect",
    "dns-prefetch",
    "preload",
    "modulepreload",
    "prefetch",
    "prerender",
    "icon",
    "apple-touch-icon",
    "apple-touch-icon-precomposed",
    "mask-icon",
    "manifest",
];

impl State {
    fn push(&mut self, url: String, line: u32, desc: impl Into<String>, form: bool) {
        self.raws.push(Raw {
            url,
            line,
            desc: desc.into(),
            inline: false,
            form,
            nav: false,
            load: true,
            kind: Kind::Contact,
        });
    }

    fn push_attr(&mut self, tag: &Tag, name: &str, line: u32) {
        if let Some(v) = attr(tag, name) {
            let desc = format!("{} {name}", &*tag.name);
            self.push(v, line, desc, false);
        }
    }

    fn push_srcset(&mut self, tag: &Tag, line: u32, name: &str) {
        if let Some(v) = attr(tag, name) {
            for candidate in v.split(',') {
                if let Some(u) = candidate.split_whitespace().next()
                    && !u.starts_with("data:")
                {
                    let desc = format!("{} {name}", &*tag.name);
                    self.push(u.to_string(), line, desc, false);
                }
            }
        }
    }

    fn nav(&mut self, url: String, line: u32) {
        self.raws.push(Raw {
            url,
            line,
            desc: String::new(),
            inline: false,
            form: false,
            nav: true,
            load: false,
            kind: Kind::Contact,
        });
    }

    fn start(&mut self, tag: &Tag, line: u32) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        let mut result = TokenSinkResult::Continue;
        match name {
            "base" if self.base.is_none() => self.base = attr(tag, "href"),
            "script" => {
                self.finish_text();
                if attr(tag, "src").is_some() {
                    self.push_attr(tag, "src", line);
                } else {
                    let ty = attr(tag, "type").unwrap_or_default().to_ascii_lowercase();
                    if !matches!(ty.trim(), "application/ld+json" | "application/json") {
                        self.text = Some(Text {
                            kind: TextKind::Script,
                            line,
                            buf: String::new(),
                        });
                    }
                }
                result = TokenSinkResult::RawData(RawKind::ScriptData);
            }
            "style" => {
                self.finish_text();
                self.text = Some(Text {
                    kind: TextKind::Style,
                    line,
                    buf: String::new(),
                });
                result = TokenSinkResult::RawData(RawKind::Rawtext);
            }
            "iframe" | "frame" => {
                self.push_attr(tag, "src", line);
                for a in ["src", "data-src"] {
                    if let Some(v) = attr(tag, a) {
                        self.nav(v, line);
                    }
                }
                if name == "iframe" {
                    result = TokenSinkResult::RawData(RawKind::Rawtext);
                }
            }
            "img" => {
                self.push_attr(tag, "src", line);
                self.push_srcset(tag, line, "srcset");
            }
            "embed" | "track" => self.push_attr(tag, "src", line),
            "object" => self.push_attr(tag, "data", line),
            "video" | "audio" => {
                self.push_attr(tag, "src", line);
                self.push_attr(tag, "poster", line);
            }
            "source" => {
                self.push_attr(tag, "src", line);
                self.push_srcset(tag, line, "srcset");
            }
            "input" | "button" => {
                if name == "input"
                    && attr(tag, "type").is_some_and(|t| t.eq_ignore_ascii_case("image"))
                {
                    self.push_attr(tag, "src", line);
                }
                if let Some(v) = attr(tag, "formaction") {
                    self.push(v, line, format!("{name} formaction"), true);
                }
            }
            "link" => {
                let rel = attr(tag, "rel").unwrap_or_default().to_ascii_lowercase();
                if rel.split_whitespace().any(|r| LOADING_RELS.contains(&r))
                    && let Some(href) = attr(tag, "href")
                {
                    let rel = rel
                        .split_whitespace()
                        .filter(|r| LOADING_RELS.contains(r))
                        .collect::<Vec<_>>()
                        .join(" ");
                    let hint = rel.split_whitespace().all(|r| HINT_RELS.contains(&r));
                    self.push(href, line, format!("link rel=\"{rel}\" href"), false);
                    if hint && let Some(r) = self.raws.last_mut() {
                        r.kind = Kind::Hint;
                    }
                }
            }
            "form" => {
                if let Some(action) = attr(tag, "action") {
                    self.push(action, line, "form action", true);
                }
            }
            "a" | "area" => {
                if let Some(href) = attr(tag, "href") {
                    self.nav(href, line);
                }
            }
            "meta" => self.meta(tag, line),
            "noscript" => self.noscript += 1,
            "title" | "textarea" => result = TokenSinkResult::RawData(RawKind::Rcdata),
            "xmp" | "noembed" | "noframes" => result = TokenSinkResult::RawData(RawKind::Rawtext),
            "plaintext" => result = TokenSinkResult::Plaintext,
            _ => {}
        }
        self.data_attrs(tag, line);
        if let Some(style) = attr(tag, "style") {
            let name = if name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                name
            } else {
                "element"
            };
            for u in css_urls(&style) {
                self.raws.push(Raw {
                    url: u,
                    line,
                    desc: format!("<{name} style>"),
                    inline: true,
                    form: false,
                    nav: false,
                    load: true,
                    kind: Kind::Contact,
                });
            }
        }
        if self.noscript > 0 && name != "noscript" {
            for r in self.raws.iter_mut().rev().take_while(|r| r.line == line) {
                if r.load && !r.desc.ends_with("(in <noscript>)") {
                    r.desc.push_str(" (in <noscript>)");
                }
            }
        }
        result
    }

    /// `data-*` attributes holding an absolute URL: what lazy loaders
    /// (`data-src`, `data-original`, `data-bg`, …) load, where form
    /// builders send the form (`data-endpoint`, Tilda's and others'), or,
    /// for any other name (`data-href`), a mention.
    fn data_attrs(&mut self, tag: &Tag, line: u32) {
        const LOADS: &[&str] = &[
            "src",
            "original",
            "bg",
            "background",
            "lazy",
            "image",
            "img",
            "thumb",
            "poster",
            "main",
            "iframe",
            "video",
            "audio",
            "font",
            "script",
            "style",
            "css",
        ];
        const FORMS: &[&str] = &["endpoint", "action", "submit", "formurl", "form-url"];
        for a in &tag.attrs {
            let name: &str = &a.name.local;
            let Some(key) = name.strip_prefix("data-") else {
                continue;
            };
            let v = a.value.trim();
            let lower = v.get(..8).unwrap_or(v).to_ascii_lowercase();
            if !(lower.starts_with("http://")
                || lower.starts_with("https://")
                || lower.starts_with("//")
                || lower.starts_with("ws://")
                || lower.starts_with("wss://"))
            {
                continue;
            }
            let tag_name: &str = &tag.name;
            if key.contains("srcset") {
                self.push_srcset(tag, line, name);
            } else if FORMS.iter().any(|k| key.contains(k)) {
                self.push(v.to_string(), line, format!("{tag_name} {name}"), true);
            } else {
                self.push(v.to_string(), line, format!("{tag_name} {name}"), false);
                if !LOADS.iter().any(|k| key.contains(k))
                    && let Some(r) = self.raws.last_mut()
                {
                    r.kind = Kind::Mention;
                }
            }
        }
    }

    fn meta(&mut self, tag: &Tag, line: u32) {
        if let Some(cs) = attr(tag, "charset") {
            self.charset.get_or_insert(cs.trim().to_string());
        }
        let equiv = attr(tag, "http-equiv")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let content = attr(tag, "content").unwrap_or_default();
        match equiv.trim() {
            "refresh" => {
                if let Some(target) = refresh_target(&content) {
                    self.push(
                        target.clone(),
                        line,
                        "meta http-equiv=\"refresh\" content",
                        false,
                    );
                    self.nav(target, line);
                }
            }
            "content-security-policy" => self.csp.push((content, line)),
            "content-type" => {
                if let Some((_, cs)) = content.to_ascii_lowercase().split_once("charset=") {
                    self.charset.get_or_insert(cs.trim().to_string());
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: &Tag) {
        match &*tag.name {
            "script" | "style" => self.finish_text(),
            "noscript" => self.noscript = self.noscript.saturating_sub(1),
            _ => {}
        }
    }

    fn finish_text(&mut self) {
        let Some(text) = self.text.take() else {
            return;
        };
        let mut end = text.buf.len().min(MAX_INLINE);
        while !text.buf.is_char_boundary(end) {
            end -= 1;
        }
        let code = &text.buf[..end];
        match text.kind {
            TextKind::Script => {
                let (page, depth) = (&self.page, self.depth);
                let markup = |m: &str| {
                    (depth == 0).then(|| {
                        let e = read(m, page, 1);
                        let mut loads = Vec::new();
                        let mut links: Vec<String> =
                            e.links.iter().map(|u| u.as_str().to_string()).collect();
                        for r in e.refs {
                            if let Target::Url(u) = r.target {
                                match r.kind {
                                    Kind::Contact | Kind::Hint => loads.push(u.into()),
                                    Kind::Mention | Kind::Permit => links.push(u.into()),
                                }
                            }
                        }
                        (loads, links)
                    })
                };
                for u in super::js::urls_with(code, markup) {
                    self.raws.push(Raw {
                        url: u.url,
                        line: text.line,
                        desc: if u.comment {
                            "inline <script> comment".into()
                        } else {
                            "inline <script>".into()
                        },
                        inline: true,
                        form: false,
                        nav: false,
                        load: true,
                        kind: if u.load { Kind::Contact } else { Kind::Mention },
                    });
                }
                for (service, token) in catalogue::snippets_in(code) {
                    self.services.push((service, token, text.line));
                }
            }
            TextKind::Style => {
                for u in css_urls(code) {
                    self.raws.push(Raw {
                        url: u,
                        line: text.line,
                        desc: "<style>".into(),
                        inline: true,
                        form: false,
                        nav: false,
                        load: true,
                        kind: Kind::Contact,
                    });
                }
            }
        }
    }
}

/// Read an HTML document fetched from `page`.
pub(crate) fn html(text: &str, page: &Url) -> Extracted {
    read(text, page, 0)
}

fn read(text: &str, page: &Url, depth: u8) -> Extracted {
    let sink = Sink(RefCell::new(State {
        page: page.clone(),
        depth,
        base: None,
        raws: Vec::new(),
        services: Vec::new(),
        csp: Vec::new(),
        text: None,
        noscript: 0,
        charset: None,
    }));
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from(text));
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    let st = tokenizer.sink.0.into_inner();

    let base = st
        .base
        .as_deref()
        .and_then(|b| page.join(b.trim()).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .unwrap_or_else(|| page.clone());
    let mut out = Extracted {
        charset: st.charset,
        ..Extracted::default()
    };
    for raw in st.raws {
        let Ok(mut url) = base.join(raw.url.trim()) else {
            continue;
        };
        if raw.nav {
            if matches!(url.scheme(), "http" | "https") {
                url.set_fragment(None);
                out.links.push(url);
            }
            continue;
        }
        if !raw.load || !matches!(url.scheme(), "http" | "https" | "ws" | "wss") {
            continue;
        }
        let shown = show_url(url.as_str());
        let element = if raw.inline {
            format!("{}: {shown}", raw.desc)
        } else {
            match raw.desc.split_once(" (in <noscript>)") {
                Some((d, _)) => format!("<{d}=\"{shown}\"> (in <noscript>)"),
                None => format!("<{}=\"{shown}\">", raw.desc),
            }
        };
        out.refs.push(Ref {
            target: Target::Url(url),
            kind: raw.kind,
            line: Some(raw.line),
            element,
            form: raw.form,
        });
    }
    for (service, token, line) in st.services {
        out.refs.push(Ref {
            target: Target::Service(service),
            kind: Kind::Contact,
            line: Some(line),
            element: format!("inline <script>: {token}"),
            form: false,
        });
    }
    for (policy, line) in st.csp {
        out.refs.extend(csp(
            &policy,
            page,
            "<meta http-equiv=\"Content-Security-Policy\">",
            Some(line),
        ));
    }
    out
}

/// The URL of a `refresh` (`5; url=https://…`), if it names one.
pub(crate) fn refresh_target(content: &str) -> Option<String> {
    let (_, rest) = content.split_once([';', ','])?;
    let rest = rest.trim_start();
    // `get`: the first four bytes may end inside a character.
    let rest = match rest.get(..4) {
        Some(p) if p.eq_ignore_ascii_case("url=") => &rest[4..],
        _ => rest,
    };
    let url = rest.trim().trim_matches(['\'', '"']).trim();
    (!url.is_empty()).then(|| url.to_string())
}

/// `url(…)` and `@import "…"` targets of a style sheet.
pub(crate) fn css_urls(css: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lower = css.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("url(") {
        let start = from + i + 4;
        let Some(len) = css[start..].find(')') else {
            break;
        };
        let u = css[start..start + len]
            .trim()
            .trim_matches(['\'', '"'])
            .trim();
        if !u.is_empty() && !u.starts_with("data:") {
            out.push(u.to_string());
        }
        from = start + len;
    }
    from = 0;
    while let Some(i) = lower[from..].find("@import") {
        let start = from + i + 7;
        let rest = css[start..].trim_start();
        from = start;
        if let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'')
            && let Some(end) = rest[1..].find(q)
        {
            out.push(rest[1..1 + end].to_string());
        }
    }
    out
}

/// CSP directives whose sources are not places the page sends the visitor
/// to or loads from.
const CSP_SKIP: &[&str] = &[
    "frame-ancestors",
    "base-uri",
    "sandbox",
    "plugin-types",
    "report-to",
    "require-trusted-types-for",
    "trusted-types",
    "upgrade-insecure-requests",
    "block-all-mixed-content",
];

/// The hosts a Content-Security-Policy allows (and its `report-uri`
/// endpoints), from a header or a `<meta>`; `label` names where it was.
pub(crate) fn csp(policy: &str, page: &Url, label: &str, line: Option<u32>) -> Vec<Ref> {
    let mut out = Vec::new();
    for directive in policy.split(';') {
        let mut tokens = directive.split_whitespace();
        let Some(name) = tokens.next() else { continue };
        let name = name.to_ascii_lowercase();
        if CSP_SKIP.contains(&name.as_str()) {
            continue;
        }
        for token in tokens {
            if name == "report-uri" {
                if let Ok(u) = page.join(token) {
                    // Violation reports are sent there: a contact.
                    out.push(Ref {
                        element: format!("{label} {name} {}", show_url(u.as_str())),
                        target: Target::Url(u),
                        kind: Kind::Contact,
                        line,
                        form: false,
                    });
                }
                continue;
            }
            let element = format!("{label} {name} {}", show_url(token));
            if token.starts_with('\'') || token == "*" {
                continue;
            }
            let rest = match token.split_once("://") {
                Some((_, r)) => r,
                None if token.ends_with(':') => continue, // a scheme source: `https:`, `data:`
                None => token,
            };
            let hostport = rest.split('/').next().unwrap_or("");
            let host = if hostport.starts_with('[') {
                hostport.split_once(']').map_or(hostport, |(h, _)| h)
            } else {
                hostport.split(':').next().unwrap_or("")
            };
            let host = host.strip_prefix("*.").unwrap_or(host);
            if let Some(h) = clean_host(host).filter(|h| h.contains('.') || h.contains(':')) {
                out.push(Ref {
                    target: Target::Host(h),
                    kind: Kind::Permit,
                    line,
                    element,
                    form: false,
                });
            }
        }
    }
    out
}

/// The targets of a `Link` response header with a loading `rel`.
pub(crate) fn link_header(value: &str, page: &Url) -> Vec<Ref> {
    let mut out = Vec::new();
    let mut rest = value;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>') else {
            break;
        };
        let target = &rest[open + 1..open + close];
        let after = &rest[open + close + 1..];
        let params_end = after.find('<').unwrap_or(after.len());
        let params = after[..params_end].to_ascii_lowercase();
        rest = &after[params_end..];
        let rel = params
            .split(';')
            .filter_map(|p| p.trim().strip_prefix("rel="))
            .map(|r| r.trim_matches(['"', ',', ' ']).to_string())
            .next()
            .unwrap_or_default();
        if !rel.split_whitespace().any(|r| LOADING_RELS.contains(&r)) {
            continue;
        }
        if let Ok(u) = page.join(target.trim()) {
            out.push(Ref {
                element: format!("Link: <{}>; rel={rel}", show_url(u.as_str())),
                target: Target::Url(u),
                kind: if rel.split_whitespace().all(|r| HINT_RELS.contains(&r)) {
                    Kind::Hint
                } else {
                    Kind::Contact
                },
                line: None,
                form: false,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> Url {
        Url::parse("https://www.example.ru/shop/").unwrap()
    }

    fn urls(e: &Extracted) -> Vec<(String, u32, String)> {
        e.refs
            .iter()
            .filter_map(|r| match &r.target {
                Target::Url(u) => Some((u.to_string(), r.line.unwrap_or(0), r.element.clone())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn elements_that_load_resources_with_their_lines() {
        let html = r#"<!doctype html>
<html><head>
<link rel="preconnect" href="https://fonts.gstatic.com" crossorigin>
<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Roboto">
<link rel="canonical" href="https://other.example/">
<script async src="https://www.googletagmanager.com/gtag/js?id=G-TEST1"></script>
</head><body>
<!-- <script src="https://commented.example/x.js"></script> -->
<img src="/logo.png" srcset="https://cdn.example.net/a.png 1x, https://cdn.example.net/b.png 2x">
<iframe src="https://www.youtube.com/embed/xyz"></iframe>
<form action="https://forms.hsforms.com/submit" method="post"><input name=phone></form>
<a href="/about#team">About</a> <a href="https://vk.com/club1">VK</a>
<noscript><div><img src="https://mc.yandex.ru/watch/96000001" style="position:absolute" alt=""></div></noscript>
</body></html>"#;
        let e = super::html(html, &page());
        let got = urls(&e);
        let find = |u: &str| got.iter().find(|g| g.0.starts_with(u)).cloned();
        assert_eq!(find("https://fonts.gstatic.com/").unwrap().1, 3);
        let css = find("https://fonts.googleapis.com/").unwrap();
        assert_eq!(css.1, 4);
        assert!(
            css.2
                .starts_with("<link rel=\"stylesheet\" href=\"https://fonts.googleapis.com/css2"),
            "{}",
            css.2
        );
        assert!(
            find("https://other.example").is_none(),
            "canonical is not loaded"
        );
        let gtm = find("https://www.googletagmanager.com/").unwrap();
        assert_eq!(
            (gtm.1, gtm.2.as_str()),
            (
                6,
                "<script src=\"https://www.googletagmanager.com/gtag/js?id=G-TEST1\">"
            )
        );
        assert!(
            find("https://commented.example").is_none(),
            "comments are not markup"
        );
        assert_eq!(find("https://www.example.ru/logo.png").unwrap().1, 9);
        assert!(find("https://cdn.example.net/b.png").is_some());
        assert_eq!(find("https://www.youtube.com/").unwrap().1, 10);
        let form = e.refs.iter().find(|r| r.form).unwrap();
        assert_eq!(
            form.element,
            "<form action=\"https://forms.hsforms.com/submit\">"
        );
        assert!(find("https://vk.com").is_none(), "a link is not a load");
        let pixel = find("https://mc.yandex.ru/").unwrap();
        assert_eq!(pixel.1, 13);
        assert!(pixel.2.ends_with("(in <noscript>)"), "{}", pixel.2);
        let links: Vec<_> = e.links.iter().map(Url::as_str).collect();
        assert!(links.contains(&"https://www.example.ru/about"), "{links:?}");
        assert!(links.contains(&"https://vk.com/club1"));
        assert!(links.contains(&"https://www.youtube.com/embed/xyz"));
    }

    #[test]
    fn inline_snippets_and_url_literals() {
        let html = r#"<html><head>
<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){dataLayer.push(arguments);}
  gtag('js', new Date());
  gtag('config', 'G-TEST1');
</script>
<script type="text/javascript">
   (function(m,e,t,r,i,k,a){m[i]=m[i]||function(){(m[i].a=m[i].a||[]).push(arguments)};
   k=e.createElement(t),a=e.getElementsByTagName(t)[0],k.async=1,k.src=r,a.parentNode.insertBefore(k,a)})
   (window, document, "script", "https://mc.yandex.ru/metrika/tag.js", "ym");
   ym(96000001, "init", {clickmap:true, webvisor:true});
   var cfg = {"endpoint": "https:\/\/api.example-crm.io\/v1"}; // see http://docs.example.org/
   var v = "//1.2.3"; var s = '//' + 'script.js'; if (a < b) { x = "</div>"; }
</script>
<script type="application/ld+json">{"sameAs": ["https://twitter.com/acme"]}</script>
<style>@import url("https://fonts.googleapis.com/css?family=PT+Sans"); .x{background:url('/bg.png')}</style>
</head><body style="background: url(https://img.example-cdn.net/bg.jpg)"></body></html>"#;
        let e = super::html(html, &page());
        let services: Vec<_> = e
            .refs
            .iter()
            .filter_map(|r| match r.target {
                Target::Service(s) => Some((s.id, r.line.unwrap())),
                _ => None,
            })
            .collect();
        assert_eq!(services, [("google-analytics", 2), ("yandex-metrica", 8)]);
        let got = urls(&e);
        let hosts: Vec<_> = got
            .iter()
            .map(|g| Url::parse(&g.0).unwrap().host_str().unwrap().to_string())
            .collect();
        assert_eq!(
            hosts,
            [
                "mc.yandex.ru",
                "api.example-crm.io",
                "docs.example.org",
                "fonts.googleapis.com",
                "www.example.ru",
                "img.example-cdn.net"
            ]
        );
        assert_eq!(
            got[0].2,
            "inline <script>: https://mc.yandex.ru/metrika/tag.js"
        );
        assert_eq!(
            got[3].2,
            "<style>: https://fonts.googleapis.com/css?family=PT+Sans"
        );
        assert_eq!(got[5].2, "<body style>: https://img.example-cdn.net/bg.jpg");
    }

    #[test]
    fn base_href_meta_refresh_meta_csp_and_charset() {
        let html = r#"<html><head><meta charset="windows-1251">
<base href="https://static.example.ru/v2/">
<meta http-equiv="refresh" content="5; URL='https://partner.example.com/landing'">
<meta http-equiv="Content-Security-Policy" content="script-src 'self' https://*.jivosite.com">
</head><body><script src="app.js"></script></body></html>"#;
        let e = super::html(html, &page());
        assert_eq!(e.charset.as_deref(), Some("windows-1251"));
        let got = urls(&e);
        assert!(
            got.iter()
                .any(|g| g.0 == "https://static.example.ru/v2/app.js")
        );
        assert!(
            got.iter()
                .any(|g| g.0 == "https://partner.example.com/landing" && g.1 == 3)
        );
        assert!(
            e.links
                .iter()
                .any(|u| u.as_str() == "https://partner.example.com/landing")
        );
        assert!(e.refs.iter().any(|r| r.target == Target::Host("jivosite.com".into())
            && r.element == "<meta http-equiv=\"Content-Security-Policy\"> script-src https://*.jivosite.com"
            && r.line == Some(4)));
    }

    #[test]
    fn content_security_policy_sources() {
        let refs = csp(
            "default-src 'self'; script-src 'self' 'nonce-abc' https://*.google-analytics.com mc.yandex.ru:443 https: data: *; \
             connect-src wss://*.jivosite.com https://api2.amplitude.com/2/httpapi; frame-ancestors https://embedder.example; \
             report-uri /csp?token=secret https://csp.report-collector.example/r",
            &page(),
            "Content-Security-Policy:",
            None,
        );
        let targets: Vec<String> = refs
            .iter()
            .map(|r| match &r.target {
                Target::Host(h) => h.clone(),
                Target::Url(u) => u.to_string(),
                Target::Service(s) => s.id.to_string(),
            })
            .collect();
        assert_eq!(
            targets,
            [
                "google-analytics.com",
                "mc.yandex.ru",
                "jivosite.com",
                "api2.amplitude.com",
                "https://www.example.ru/csp?token=secret",
                "https://csp.report-collector.example/r"
            ]
        );
        assert_eq!(
            refs[0].element,
            "Content-Security-Policy: script-src https://*.google-analytics.com"
        );
        assert!(
            refs[4].element.ends_with("/csp?token=***"),
            "{}",
            refs[4].element
        );
    }

    #[test]
    fn link_headers() {
        let refs = link_header(
            "<https://fonts.gstatic.com>; rel=preconnect; crossorigin, </style.css>; rel=\"preload\"; as=style, <https://x.example/next>; rel=next",
            &page(),
        );
        let urls: Vec<_> = refs
            .iter()
            .map(|r| match &r.target {
                Target::Url(u) => u.to_string(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(
            urls,
            [
                "https://fonts.gstatic.com/",
                "https://www.example.ru/style.css"
            ]
        );
        assert_eq!(
            refs[0].element,
            "Link: <https://fonts.gstatic.com/>; rel=preconnect"
        );
    }

    #[test]
    fn shown_urls_are_redacted_cut_and_free_of_control_characters() {
        assert_eq!(
            show_url("https://maps.googleapis.com/maps/api/js?key=AIzaSECRET&callback=init"),
            "https://maps.googleapis.com/maps/api/js?key=***&callback=init"
        );
        assert_eq!(
            show_url("https://x.example/\u{1b}[31m"),
            "https://x.example/\u{fffd}[31m"
        );
        assert_eq!(show_url(&"a".repeat(400)).chars().count(), 151);
    }

    #[test]
    fn refresh_and_css() {
        assert_eq!(refresh_target("0;url=/next").as_deref(), Some("/next"));
        assert_eq!(refresh_target("30").as_deref(), None);
        assert_eq!(
            css_urls(
                "@import 'a.css'; b { background: URL( \"x.png\" ) } c{background:url(data:image/png;base64,AA)}"
            ),
            ["x.png", "a.css"]
        );
    }

    /// Every reference as `line target element`, then every link.
    fn summary(e: &Extracted) -> Vec<String> {
        let mut out: Vec<String> = e
            .refs
            .iter()
            .map(|r| {
                let target = match &r.target {
                    Target::Url(u) => u.to_string(),
                    Target::Host(h) => format!("host {h}"),
                    Target::Service(s) => format!("service {}", s.id),
                };
                format!("{} {target} {}", r.line.unwrap_or(0), r.element)
            })
            .collect();
        out.extend(e.links.iter().map(|u| format!("link {u}")));
        out
    }

    #[test]
    fn hostile_markup_yields_what_it_names_and_nothing_else() {
        let cases: &[(&str, &[&str])] = &[
            ("", &[]),
            ("<", &[]),
            ("<script>", &[]),
            ("<script src=", &[]),
            ("<style>url(", &[]),
            ("<a href=\"javascript:alert(1)\">", &[]),
            ("<img srcset=\",,,\">", &[]),
            ("<meta http-equiv=refresh content=\";url=\">", &[]),
            ("<iframe src=//[::1]:99999/>", &[]),
            (
                "\u{feff}<plaintext><script src=https://x.example/a.js>",
                &[],
            ),
            // A URL in an inline script counts, inside SVG too.
            (
                "<svg><script>var u='//evil.example.com/x'</script></svg>",
                &["1 https://evil.example.com/x inline <script>: https://evil.example.com/x"],
            ),
            (
                "<SCRIPT SRC=https://cdn.example.net/a.js></SCRIPT>",
                &["1 https://cdn.example.net/a.js <script src=\"https://cdn.example.net/a.js\">"],
            ),
            (
                "<!-- <script src=https://hidden.example/x.js></script> -->",
                &[],
            ),
            (
                "<textarea><script src=https://t.example/x.js></script></textarea>",
                &[],
            ),
            // A NUL and a terminal escape reach no report: replaced, then percent-encoded.
            (
                "<img src=\"https://a.example/\u{0}\u{1b}[31mx.png\">",
                &[
                    "1 https://a.example/%EF%BF%BD%1B[31mx.png <img src=\"https://a.example/%EF%BF%BD%1B[31mx.png\">",
                ],
            ),
            (
                "<a href=https://partner.example/ >x\n<a href=/about>",
                &[
                    "link https://partner.example/",
                    "link https://www.example.ru/about",
                ],
            ),
        ];
        for (html, expected) in cases {
            let e = super::html(html, &page());
            assert_eq!(summary(&e), *expected, "{html:?}");
            assert_eq!(e.charset, None, "{html:?}");
        }
    }
}
