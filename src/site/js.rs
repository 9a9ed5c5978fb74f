//! URLs in an inline script: a small lexer (strings, template literals,
//! comments, regular-expression literals) in one pass over the bytes, then
//! string literals joined where the code concatenates them
//! (`'//' + 'host' + '/x.js'`, `('https:' == p ? 'https://ssl' : 'http://www') + '.google-analytics.com/ga.js'`,
//! `"https://" + d + "/x"` with `d` assigned a literal earlier), and each
//! URL classed by its context: in a loading context (`s.src =`,
//! `createElement`, `sendBeacon`, `fetch`, `XMLHttpRequest`, `import()`,
//! `new Image`, a loader's arguments `(window, document, 'script', URL)`,
//! a `.js`/`.css` file) the browser contacts it; anywhere else (an article
//! link, a comment, a plain string) the script only *mentions* it.
//!
//! Everything works on bytes and slices only at ASCII bytes or at the ends
//! of what it scanned, so no input can split a character; every loop moves
//! forward and every look-around is bounded, so time is linear in the code.

use std::collections::HashMap;

/// How far back a loading keyword is looked for (bytes, within the statement).
const CONTEXT: usize = 200;
/// Longest expression between two `+` that is skipped as an unknown part.
const GAP: usize = 80;
/// Longest URL taken from a script.
const MAX_URL: usize = 2048;

/// One URL a script contains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JsUrl {
    pub url: String,
    /// The browser is made to contact it (else it is only mentioned).
    pub load: bool,
    /// Found in a comment.
    pub comment: bool,
}

/// A string literal or a comment of the script.
struct Lit {
    start: usize,
    end: usize,
    text: String,
    comment: bool,
}

/// Stands for a part of a concatenation whose value is not known.
const UNKNOWN: char = '\u{1}';

fn lex(code: &[u8]) -> Vec<Lit> {
    let mut out = Vec::new();
    let mut i = 0;
    // The last significant byte before `i` outside literals (for regexes).
    let mut prev: u8 = b';';
    while i < code.len() {
        let b = code[i];
        match b {
            b'\'' | b'"' | b'`' => {
                let start = i;
                let mut text = Vec::new();
                i += 1;
                while i < code.len() {
                    let c = code[i];
                    if c == b {
                        i += 1;
                        break;
                    }
                    if c == b'\n' && b != b'`' {
                        break;
                    }
                    if c == b'\\' && i + 1 < code.len() {
                        let n = code[i + 1];
                        match n {
                            b'n' | b'r' | b't' => text.push(b' '),
                            b'u' | b'x' => text.push(UNKNOWN as u8),
                            _ => text.push(n),
                        }
                        i += 2;
                        continue;
                    }
                    if b == b'`' && c == b'$' && code.get(i + 1) == Some(&b'{') {
                        // `${…}`: an unknown part, up to the matching brace.
                        let mut depth = 0usize;
                        while i < code.len() {
                            match code[i] {
                                b'{' => depth += 1,
                                b'}' => {
                                    depth -= 1;
                                    if depth == 0 {
                                        i += 1;
                                        break;
                                    }
                                }
                                _ => {}
                            }
                            i += 1;
                        }
                        text.push(UNKNOWN as u8);
                        continue;
                    }
                    text.push(c);
                    i += 1;
                }
                out.push(Lit {
                    start,
                    end: i,
                    text: String::from_utf8_lossy(&text).into_owned(),
                    comment: false,
                });
                prev = b'a';
            }
            b'/' if code.get(i + 1) == Some(&b'/') => {
                let start = i;
                let end = code[i..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(code.len(), |p| i + p);
                out.push(Lit {
                    start,
                    end,
                    text: String::from_utf8_lossy(&code[i + 2..end]).into_owned(),
                    comment: true,
                });
                i = end;
            }
            b'/' if code.get(i + 1) == Some(&b'*') => {
                let start = i;
                let end = code[i + 2..]
                    .windows(2)
                    .position(|w| w == b"*/")
                    .map_or(code.len(), |p| i + 2 + p + 2);
                let body_end = end.saturating_sub(2).max(i + 2).min(code.len());
                out.push(Lit {
                    start,
                    end,
                    text: String::from_utf8_lossy(&code[i + 2..body_end]).into_owned(),
                    comment: true,
                });
                i = end;
            }
            b'/' if b"(,=:[!&|?{};+-*%<>~^".contains(&prev) => {
                // A regular-expression literal: to the closing `/` on the line.
                i += 1;
                let mut class = false;
                while i < code.len() && code[i] != b'\n' {
                    match code[i] {
                        b'\\' => i += 1,
                        b'[' => class = true,
                        b']' => class = false,
                        b'/' if !class => break,
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
                prev = b'a';
            }
            _ => {
                if !b.is_ascii_whitespace() {
                    prev = b;
                }
                i += 1;
            }
        }
    }
    out
}

/// What joins two literals: `Some(None)` a bare `+` (or `) +`), `Some(Some(id))`
/// `+ expr +` (an identifier or an unknown expression), `None` no concatenation.
fn joint(gap: &[u8]) -> Option<Option<&[u8]>> {
    let t = gap.trim_ascii();
    if t == b"+" || (t.first() == Some(&b')') && t[1..].trim_ascii() == b"+") {
        return Some(None);
    }
    let inner = t.strip_prefix(b"+")?.strip_suffix(b"+")?.trim_ascii();
    if inner.is_empty() || inner.len() > GAP || inner.iter().any(|&c| c == b';' || c == b'\n') {
        return None;
    }
    Some(Some(inner))
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$'
}

/// The identifier assigned by `ident = ` (or `ident: `) just before `at`.
fn assigned_to(code: &[u8], at: usize) -> Option<&[u8]> {
    let before = code[..at].trim_ascii_end();
    let (&op, rest) = before.split_last()?;
    if op != b'=' && op != b':' {
        return None;
    }
    if op == b'=' && rest.last().is_some_and(|c| b"=!<>+-*/".contains(c)) {
        return None;
    }
    let rest = rest.trim_ascii_end();
    let n = rest.iter().rev().take_while(|&&c| is_ident(c)).count();
    (n > 0 && n <= 64).then(|| &rest[rest.len() - n..])
}

/// Keywords of a loading context (compared in lower case).
const LOADERS: &[&[u8]] = &[
    b"src",
    b"createelement",
    b"sendbeacon",
    b"fetch(",
    b".open(",
    b"xmlhttprequest",
    b"import(",
    b"image(",
    b"new image",
    b"ajax",
    b"getscript",
    b"getjson",
    b"$.get",
    b"$.post",
    b".load(",
    b"url:",
    b"url =",
    b"url=",
    b"url\":",
    b"url':",
    b"endpoint",
    b"insertbefore",
    b"appendchild",
    b"'script'",
    b"\"script\"",
    b"iframe",
    b"stylesheet",
    b"require(",
    b"loadscript",
    b"websocket(",
    b"eventsource(",
];

/// Whether the statement before `at` loads what follows.
fn loading_context(code: &[u8], at: usize) -> bool {
    let from = at.saturating_sub(CONTEXT);
    let window = &code[from..at];
    let start = window
        .iter()
        .rposition(|&c| c == b';' || c == b'}' || c == b'{')
        .map_or(0, |p| p + 1);
    // A loader's arguments follow its body's `}`: `})(window, document, 'script', URL)`.
    let window = if window[start..].trim_ascii_start().starts_with(b")(") || start == 0 {
        window
    } else {
        &window[start..]
    };
    let lower = window.to_ascii_lowercase();
    let loads = LOADERS
        .iter()
        .any(|k| lower.windows(k.len()).any(|w| w == *k));
    // `location.href = '…'` navigates; `link.href = '…'` loads.
    let end = lower.trim_ascii_end();
    let href = end.ends_with(b".href =") || end.ends_with(b".href=");
    loads || (href && !lower.windows(8).any(|w| w == b"location"))
}

/// Whether a URL names a file the browser would load by itself.
fn resource_path(url: &str) -> bool {
    let path = url
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    [
        ".js", ".mjs", ".css", ".woff", ".woff2", ".gif", ".png", ".svg",
    ]
    .iter()
    .any(|e| path.ends_with(e))
}

/// Absolute URLs in a text (a literal or a joined concatenation):
/// `scheme://host…` or `//host…` at the start, or after a quote, `=`, `(`
/// or a space. A host must end in a known public suffix (or be an IP
/// address), so `"//1.2.3"` or `'//' + 'script.js'` are not taken for hosts.
pub(crate) fn urls_in(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = find(&b[from..], b"//") {
        let at = from + p;
        from = at + 2;
        let scheme_len = [b"https:".as_slice(), b"http:", b"wss:", b"ws:"]
            .into_iter()
            .find(|s| at >= s.len() && b[at - s.len()..at].eq_ignore_ascii_case(s))
            .map(<[u8]>::len);
        let head = at - scheme_len.unwrap_or(0);
        let starts = head == 0
            || matches!(
                b[head - 1],
                b'\'' | b'"' | b'`' | b'=' | b'(' | b' ' | b'\t' | b'>' | b','
            );
        if !starts || (scheme_len.is_none() && head != 0 && b[head - 1] == b' ') {
            continue;
        }
        let rest = &b[at + 2..];
        let host_end = rest
            .iter()
            .take(300)
            .position(|&c| !(c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b':' | b'_')))
            .unwrap_or(rest.len().min(300));
        let hostport = &rest[..host_end];
        let host = hostport.split(|&c| c == b':').next().unwrap_or(b"");
        let Ok(host) = std::str::from_utf8(host) else {
            continue;
        };
        let Some(host) = super::domain::clean_host(host) else {
            continue;
        };
        let known = host.parse::<std::net::IpAddr>().is_ok()
            || psl::suffix(host.as_bytes()).is_some_and(|s| s.is_known());
        if !host.contains('.') || !known {
            continue;
        }
        let path_len = rest[host_end..]
            .iter()
            .take(MAX_URL)
            .position(|&c| {
                c.is_ascii_whitespace()
                    || matches!(c, b'\'' | b'"' | b'`' | b')' | b'<' | b'>' | b'\\')
                    || c == UNKNOWN as u8
            })
            .unwrap_or(rest[host_end..].len().min(MAX_URL));
        let end = at + 2 + host_end + path_len;
        let scheme = match scheme_len {
            Some(n) => String::from_utf8_lossy(&b[at - n..at]).into_owned(),
            None => "https:".to_string(),
        };
        // `end` is at an ASCII byte or a cut inside the path: lossy keeps it safe.
        let url = format!(
            "{scheme}//{}",
            String::from_utf8_lossy(&b[at + 2..end]).trim_end_matches('\u{fffd}')
        );
        out.push(url);
        from = from.max(at + 2 + host_end);
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A joined concatenation: its text, where it starts, and its parts.
struct Chain {
    start: usize,
    text: String,
    comment: bool,
}

fn chains(code: &[u8], lits: Vec<Lit>) -> Vec<Chain> {
    let mut values: HashMap<Vec<u8>, String> = HashMap::new();
    let mut out: Vec<Chain> = Vec::new();
    let mut last_end: Option<usize> = None;
    for lit in lits {
        if lit.comment {
            out.push(Chain {
                start: lit.start,
                text: lit.text,
                comment: true,
            });
            last_end = None;
            continue;
        }
        let joined = last_end.and_then(|e| joint(&code[e..lit.start]));
        match (joined, out.last_mut()) {
            (Some(part), Some(chain)) if !chain.comment => {
                if let Some(expr) = part {
                    match values.get(expr) {
                        Some(v) if chain.text.len() + v.len() <= MAX_URL => chain.text.push_str(v),
                        _ => chain.text.push(UNKNOWN),
                    }
                }
                if chain.text.len() + lit.text.len() <= MAX_URL {
                    chain.text.push_str(&lit.text);
                }
            }
            _ => {
                if let Some(id) = assigned_to(code, lit.start)
                    && lit.text.len() <= 300
                {
                    values.insert(id.to_vec(), lit.text.clone());
                }
                out.push(Chain {
                    start: lit.start,
                    text: lit.text,
                    comment: false,
                });
            }
        }
        last_end = Some(lit.end);
    }
    out
}

/// The URLs of an inline script, in order, each once (the first context wins
/// a load over a mention).
#[cfg(test)]
pub(crate) fn urls(code: &str) -> Vec<JsUrl> {
    urls_with(code, |_| None)
}

/// Like [`urls`]; `html` reads a literal that holds markup
/// (`document.write('<script src=…>')`) and returns its loaded and linked
/// URLs, or `None` to search it as text.
pub(crate) fn urls_with(
    code: &str,
    html: impl Fn(&str) -> Option<(Vec<String>, Vec<String>)>,
) -> Vec<JsUrl> {
    let bytes = code.as_bytes();
    let mut out: Vec<JsUrl> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut push = |url: String, load: bool, comment: bool| match seen.get(&url) {
        Some(&i) => {
            if load && !out[i].load {
                out[i].load = true;
                out[i].comment = false;
            }
        }
        None => {
            seen.insert(url.clone(), out.len());
            out.push(JsUrl { url, load, comment });
        }
    };
    for chain in chains(bytes, lex(bytes)) {
        if chain.comment {
            for u in urls_in(&chain.text) {
                push(u, false, true);
            }
            continue;
        }
        // An unknown part becomes a space: it can never complete a host.
        if chain.text.contains('<')
            && let Some((loads, links)) = html(&chain.text.replace(UNKNOWN, " "))
        {
            for u in loads {
                push(u, true, false);
            }
            for u in links {
                push(u, false, false);
            }
            continue;
        }
        let context = loading_context(bytes, chain.start);
        for u in urls_in(&chain.text) {
            let load = context || resource_path(&u);
            push(u, load, false);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loads(code: &str) -> Vec<String> {
        urls(code)
            .into_iter()
            .filter(|u| u.load)
            .map(|u| u.url)
            .collect()
    }

    fn mentions(code: &str) -> Vec<String> {
        urls(code)
            .into_iter()
            .filter(|u| !u.load)
            .map(|u| u.url)
            .collect()
    }

    #[test]
    fn cyrillic_comments_do_not_split_characters() {
        // The reproducer of issue 10: a byte offset inside `р`.
        assert!(urls("// привет // мир").is_empty());
        assert!(urls("var a = 'приhttps://вет'; // ж//ж https: //").is_empty());
        assert_eq!(
            mentions("/* см. https://пример.рф и https://docs.example.org/x */"),
            ["https://docs.example.org/x"]
        );
    }

    #[test]
    fn concatenated_loaders() {
        assert_eq!(
            loads(
                "var s = document.createElement('script'); s.src = '//' + 'cdn.loader.example.com' + '/x.js';"
            ),
            ["https://cdn.loader.example.com/x.js"]
        );
        // The legacy Google Analytics loader.
        assert_eq!(
            loads(
                "var ga = document.createElement('script'); ga.type = 'text/javascript'; ga.async = true;\n\
                   ga.src = ('https:' == document.location.protocol ? 'https://ssl' : 'http://www') + '.google-analytics.com/ga.js';"
            ),
            ["http://www.google-analytics.com/ga.js"]
        );
        // UpToLike: a scheme chosen by a ternary, then the host.
        assert_eq!(
            loads(
                "s.src = ('https:' == window.location.protocol ? 'https://' : 'http://') + 'w.uptolike.com/widgets/v1/uptolike.js';"
            ),
            ["http://w.uptolike.com/widgets/v1/uptolike.js"]
        );
        // A variable assigned a literal earlier.
        assert_eq!(
            loads(
                "var d = 'mod.calltouch.ru'; var s = document.createElement('script'); s.src = \"https://\" + d + \"/init.js?id=\" + id;"
            ),
            ["https://mod.calltouch.ru/init.js?id="]
        );
        // An unknown host is not guessed.
        assert!(loads("s.src = \"https://\" + host + \"/x.js\";").is_empty());
        // LiveInternet: a counter image with the referrer appended.
        assert_eq!(
            loads(
                "new Image().src = \"//counter.yadro.ru/hit?r\" + escape(document.referrer) + \";\" + Math.random();"
            ),
            ["https://counter.yadro.ru/hit?r"]
        );
        assert_eq!(
            loads(
                "navigator.sendBeacon('https://collect.example.net/b', data); fetch(\"https://api.example.io/v1/e\");"
            ),
            [
                "https://collect.example.net/b",
                "https://api.example.io/v1/e"
            ]
        );
        assert_eq!(
            loads(
                "(function(m,e,t,r,i,k,a){k.src=r})(window, document, \"script\", \"https://mc.yandex.ru/metrika/tag.js\", \"ym\");"
            ),
            ["https://mc.yandex.ru/metrika/tag.js"]
        );
        assert_eq!(
            loads("var cfg = {\"endpoint\": \"https:\\/\\/api.example-crm.io\\/v1\"};"),
            ["https://api.example-crm.io/v1"]
        );
    }

    #[test]
    fn mentions_are_not_loads() {
        let code = "var article = 'https://news.example.com/story';\n\
                    // see http://docs.example.org/\n\
                    var t = `<a href=\"https://${x}.example.com\">`; location.href = 'https://shop.example.com/';";
        assert!(loads(code).is_empty(), "{:?}", loads(code));
        assert_eq!(
            mentions(code),
            [
                "https://news.example.com/story",
                "http://docs.example.org/",
                "https://shop.example.com/"
            ]
        );
        // A file the browser loads is a load wherever it appears.
        assert_eq!(
            loads("var lib = 'https://cdn.example.net/lib.js';"),
            ["https://cdn.example.net/lib.js"]
        );
    }

    #[test]
    fn regexes_and_odd_literals() {
        assert!(urls("var r = /'/g; var u = \"x\";").is_empty());
        assert!(urls("var v = \"//1.2.3\"; var s = '//' + 'script.js';").is_empty());
        assert_eq!(
            loads("x = /\\/\\//; s.src = 'https://a.example.com/x';"),
            ["https://a.example.com/x"]
        );
        for s in [
            "'",
            "\"\\",
            "`${",
            "`${{",
            "/*",
            "//",
            "/",
            "a + + 'x'",
            "'\\u",
        ] {
            let _ = urls(s);
        }
    }
}
