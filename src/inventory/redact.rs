//! The one redaction function: every string that leaves the process
//! (every format, stderr, history, progress) goes through [`redact`].
//!
//! It is a scanner over free text, not a pattern replace, built on the
//! same parse of connection strings that finds the hosts to audit
//! ([`split_url`], [`split_userinfo`], [`kv_pairs`]):
//!
//! - URLs and JDBC URLs (`scheme://user:pass@host/…`): the user-info goes,
//!   even when the password holds `/`, `?`, `#`, `@` or `;`;
//! - `user:pass@host` without a scheme;
//! - `key=value` pairs whose *name* looks secret ([`SECRET_NAMES`]) in
//!   query strings, fragments (`#access_token=`), JDBC properties
//!   (`;password=`), libpq DSNs (`password='a b'`, quoted with `\`
//!   escapes), ODBC/ADO strings (`Pwd={a;b}}c}`, `Password="x"`).
//!
//! Over-redaction is preferred to a leak: a name that merely contains a
//! secret word (`authSource`) is redacted too.

/// Parts of parameter names whose values are secrets. A name matches when,
/// lower-cased, percent-decoded and with `-`, `.` and spaces read as `_`,
/// it contains one of these.
pub(crate) const SECRET_NAMES: &[&str] = &[
    "pass",       // password, passwd, passphrase, sslpassword
    "pwd",        // ODBC Pwd
    "secret",     // client_secret, aws_secret_access_key
    "token",      // access_token, id_token, X-Amz-Security-Token
    "key",        // key, api-key, apikey, private_key, sslkey, access_key
    "sig",        // sig, signature, X-Amz-Signature
    "credential", // X-Amz-Credential, credentials
    "session",    // session, sessionid
    "jwt",        // jwt, id_jwt
    "private",    // private, private_key
    "auth",       // auth, authorization, authtoken
    "cookie",     //
    "bearer",     //
    "salt",       //
    "hash",       //
    "otp",        //
];

/// What replaces a secret.
pub(crate) const MASK: &str = "***";

/// Whether a parameter name looks secret.
pub(crate) fn is_secret_name(name: &str) -> bool {
    let name = percent_decode(name.trim()).to_ascii_lowercase();
    let name: String = name
        .chars()
        .map(|c| if matches!(c, '-' | '.' | ' ') { '_' } else { c })
        .collect();
    SECRET_NAMES.iter().any(|s| name.contains(s))
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// A URL split at its user-info and authority (indices into the body, the
/// text after `scheme://`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UrlParts {
    /// The `@` that ends the user-info, if any.
    pub at: Option<usize>,
    /// Where the authority (the host list) ends.
    pub end: usize,
}

/// Where `://` ends a plausible scheme in `s` (`postgres`, `jdbc:mysql`,
/// `mongodb+srv`): letters first, then letters, digits, `+.-`; a `:`
/// only in JDBC's `jdbc:sub:protocol`. `app:p://x@h` is credentials.
pub(crate) fn url_scheme(s: &str) -> Option<usize> {
    let i = s.find("://")?;
    let scheme = &s[..i];
    let rest = match scheme.get(..5) {
        Some(p) if p.eq_ignore_ascii_case("jdbc:") => &scheme[5..],
        _ => scheme,
    };
    let ok = rest.split(':').all(|part| {
        part.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'))
    }) && (rest.len() != scheme.len() || !rest.contains(':'));
    ok.then_some(i)
}

/// Characters that end an authority; `;` too where properties follow it
/// (JDBC SQL Server: `sqlserver://h:1433;user=…;password=…`).
fn auth_end(scheme: &str) -> &'static [char] {
    if has_properties(scheme) {
        &['/', '?', '#', ';']
    } else {
        &['/', '?', '#']
    }
}

fn has_properties(scheme: &str) -> bool {
    let s = scheme.to_ascii_lowercase();
    s.ends_with("sqlserver") || s.ends_with("jtds")
}

fn is_web(scheme: &str) -> bool {
    matches!(
        scheme.to_ascii_lowercase().as_str(),
        "http" | "https" | "ws" | "wss" | "ftp"
    )
}

/// Whether the `@` at `at` may sit in a parameter value (`?email=a@b`):
/// it follows a `?`, `#` or `;` and an `=`.
fn in_param_value(body: &str, at: usize, props: bool) -> Option<char> {
    let s = if props {
        body[..at].find(['?', '#', ';'])?
    } else {
        body[..at].find(['?', '#'])?
    };
    body[s + 1..at]
        .contains('=')
        .then(|| char::from(body.as_bytes()[s]))
}

/// Where the user-info and the authority of a URL body end.
///
/// Web URLs follow the WHATWG reading (the authority ends at the first
/// `/?#`) when that gives a valid host list. Otherwise — database URLs
/// with unencoded passwords, `postgres://u:p/ss@h/db` — the user-info
/// ends at the last `@` outside a parameter value that is followed by a
/// valid host list.
pub(crate) fn split_url(scheme: &str, body: &str, valid: &dyn Fn(&str) -> bool) -> UrlParts {
    let ends = auth_end(scheme);
    let props = has_properties(scheme);
    let rfc_end = body.find(ends).unwrap_or(body.len());
    let rfc = &body[..rfc_end];
    let rfc_at = rfc.rfind('@');
    let rfc_ok = valid(rfc_at.map_or(rfc, |a| &rfc[a + 1..]));
    let candidate = |skip_params: bool| {
        body.match_indices('@')
            .map(|(i, _)| i)
            .rev()
            .find_map(|at| {
                let after = &body[at + 1..];
                let end = after.find(ends).unwrap_or(after.len());
                // In a parameter value, an `@` ends the user-info only when
                // a path follows its host (`x?k=v@h/db`, not `?email=a@b`).
                // JDBC `;` properties never have a path, nor does a query
                // after one (`h/db?k=a@b/c`).
                match in_param_value(body, at, props) {
                    Some(';') if skip_params => return None,
                    Some(_) if skip_params && body[rfc_end..].starts_with('/') => return None,
                    Some(_) if skip_params && !after[end..].starts_with('/') => return None,
                    _ => {}
                }
                valid(&after[..end]).then_some(UrlParts {
                    at: Some(at),
                    end: at + 1 + end,
                })
            })
    };
    if is_web(scheme) && rfc_ok {
        // `https://medium.com/@user` is a path; `https://u:p/ss@h/` has a
        // password with a `/` in it. With credentials in sight (a `:` or
        // an `@` in the authority), the later `@` wins: better a wrong
        // host than a password shown.
        if (rfc_at.is_some() || rfc.contains(':'))
            && let Some(p) = candidate(true)
        {
            return p;
        }
        return UrlParts {
            at: rfc_at,
            end: rfc_end,
        };
    }
    if let Some(p) = candidate(true) {
        return p;
    }
    if rfc_ok {
        return UrlParts {
            at: rfc_at,
            end: rfc_end,
        };
    }
    if let Some(p) = candidate(false) {
        return p;
    }
    // Nothing valid: hide everything up to the last `@` (the host after it
    // is shown in the error).
    match body.rfind('@') {
        Some(at) => {
            let after = &body[at + 1..];
            UrlParts {
                at: Some(at),
                end: at + 1 + after.find(ends).unwrap_or(after.len()),
            }
        }
        None => UrlParts {
            at: None,
            end: rfc_end,
        },
    }
}

/// `user:pass@host…` (or Oracle's `user/pass@host…`) without a scheme:
/// the `@` that ends the user-info. Only text with a `:` or `/` before it
/// counts (a bare `a@b` is an address, not a credential); the last `@`
/// followed by a valid host wins.
pub(crate) fn split_userinfo(s: &str, valid: &dyn Fn(&str) -> bool) -> Option<usize> {
    let first_colon = s.find([':', '/'])?;
    let ats: Vec<usize> = s.match_indices('@').map(|(i, _)| i).collect();
    let last = *ats.last()?;
    if first_colon > last {
        return None;
    }
    ats.iter()
        .rev()
        .copied()
        .find(|&at| {
            let after = &s[at + 1..];
            valid(&after[..after.find(['/', '?', '#']).unwrap_or(after.len())])
        })
        .or(Some(last))
}

/// One `key=value` of a connection string, with byte ranges into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pair {
    pub key: String,
    /// The value, unquoted.
    pub value: String,
    /// The value as written (with its quotes).
    pub raw: std::ops::Range<usize>,
}

/// The pairs of a libpq (`k=v k='v w'`) or ODBC/ADO (`K=v;K={v;w};K="v"`)
/// connection string. `;` anywhere makes it ODBC-style; otherwise pairs
/// are separated by white space. `None` when it is not such a string.
pub(crate) fn kv_pairs(s: &str) -> Option<Vec<Pair>> {
    if !s.contains('=') {
        return None;
    }
    let odbc = has_unquoted_semicolon(s);
    let b = s.as_bytes();
    let mut pairs = Vec::new();
    let mut i = 0;
    let n = b.len();
    let sep = |c: u8| {
        if odbc {
            c == b';'
        } else {
            c.is_ascii_whitespace()
        }
    };
    while i < n {
        while i < n && (sep(b[i]) || b[i].is_ascii_whitespace()) {
            i += 1;
        }
        if i >= n {
            break;
        }
        let key_start = i;
        while i < n && b[i] != b'=' && !(odbc && b[i] == b';') {
            if !odbc && b[i].is_ascii_whitespace() {
                // libpq allows `key = value`.
                let mut j = i;
                while j < n && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                if j < n && b[j] == b'=' {
                    i = j;
                    break;
                }
                return None;
            }
            i += 1;
        }
        if i >= n || b[i] != b'=' {
            return None;
        }
        let key = s[key_start..i].trim().to_string();
        i += 1;
        if !odbc {
            while i < n && b[i].is_ascii_whitespace() {
                i += 1;
            }
        }
        let (value, end) = read_value(s, i, odbc);
        pairs.push(Pair {
            key,
            value,
            raw: i..end,
        });
        i = end;
    }
    (!pairs.is_empty()).then_some(pairs)
}

/// A `;` outside `'…'` (libpq quoting, `\` escapes) makes a string
/// ODBC/ADO-style.
fn has_unquoted_semicolon(s: &str) -> bool {
    let mut quoted = false;
    let mut escaped = false;
    for c in s.bytes() {
        match c {
            _ if escaped => escaped = false,
            b'\\' if quoted => escaped = true,
            b'\'' => quoted = !quoted,
            b';' if !quoted => return true,
            _ => {}
        }
    }
    false
}

/// A value starting at `i`: quoted (`'…'` with `\` escapes, `"…"` with
/// `""`, `{…}` with `}}`) or bare up to the separator.
fn read_value(s: &str, i: usize, odbc: bool) -> (String, usize) {
    let b = s.as_bytes();
    let n = b.len();
    match b.get(i) {
        Some(&q @ (b'\'' | b'"')) => {
            let mut out = Vec::new();
            let mut j = i + 1;
            while j < n {
                if b[j] == b'\\' && q == b'\'' && j + 1 < n {
                    out.push(b[j + 1]);
                    j += 2;
                } else if b[j] == q {
                    if odbc && j + 1 < n && b[j + 1] == q {
                        out.push(q);
                        j += 2;
                    } else {
                        return (String::from_utf8_lossy(&out).into_owned(), j + 1);
                    }
                } else {
                    out.push(b[j]);
                    j += 1;
                }
            }
            // Unterminated: the rest is the value.
            (String::from_utf8_lossy(&out).into_owned(), n)
        }
        Some(b'{') if odbc => {
            let mut out = Vec::new();
            let mut j = i + 1;
            while j < n {
                if b[j] == b'}' {
                    if j + 1 < n && b[j + 1] == b'}' {
                        out.push(b'}');
                        j += 2;
                        continue;
                    }
                    return (String::from_utf8_lossy(&out).into_owned(), j + 1);
                }
                out.push(b[j]);
                j += 1;
            }
            (String::from_utf8_lossy(&out).into_owned(), n)
        }
        _ => {
            let mut j = i;
            while j < n
                && !(if odbc {
                    b[j] == b';'
                } else {
                    b[j].is_ascii_whitespace()
                })
            {
                j += 1;
            }
            (s[i..j].trim_end().to_string(), j)
        }
    }
}

/// The text with every credential replaced by `***`. Safe (and cheap, one
/// pass) on anything: an endpoint, an error message, a whole report line.
pub fn redact(text: &str) -> String {
    // A whole connection string (a `hosts` entry) is read with its quoting.
    if let Some(pairs) = kv_pairs(text)
        && url_scheme(text).is_none()
        && pairs.iter().all(|p| plausible_key(&p.key))
    {
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for p in &pairs {
            if is_secret_name(&p.key) {
                out.push_str(&text[last..p.raw.start]);
                out.push_str(MASK);
                last = p.raw.end;
            }
        }
        out.push_str(&text[last..]);
        return redact_words(&out);
    }
    redact_words(text)
}

fn plausible_key(k: &str) -> bool {
    !k.is_empty()
        && k.len() <= 64
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ' ' | ':' | '%'))
}

/// Characters that end a word of free text.
fn ends_word(c: char) -> bool {
    c.is_whitespace() || matches!(c, '`' | '"' | '<' | '>')
}

/// Free text: each word that is a URL or `user:pass@host` is redacted as
/// such; elsewhere every secret `key=value` is.
fn redact_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        let start = rest.find(|c: char| !ends_word(c)).unwrap_or(rest.len());
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        if rest.is_empty() {
            break;
        }
        let end = word_end(rest);
        let word = &rest[..end];
        let pairs = redact_pairs(word);
        if let Some(i) = url_scheme(word) {
            out.push_str(&redact_url(word, i));
        } else if pairs != word {
            out.push_str(&pairs);
        } else if let Some(at) = split_userinfo(word, &|h| super::endpoint::valid_hostlist(h)) {
            out.push_str(MASK);
            out.push_str(&word[at..]);
        } else {
            out.push_str(word);
        }
        rest = &rest[end..];
    }
    out
}

/// The end of the word at the start of `s`: at a word-ending character,
/// except inside a quoted value after `=` (`password='a b'`, `{a b}`).
fn word_end(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'=' && i + 1 < b.len() && matches!(b[i + 1], b'\'' | b'"' | b'{') {
            let close = match b[i + 1] {
                b'{' => b'}',
                q => q,
            };
            let mut j = i + 2;
            while j < b.len() {
                if b[j] == b'\\' && close == b'\'' {
                    j += 2;
                    continue;
                }
                if b[j] == close {
                    // `}}` and `""` are an escaped closer (ODBC/ADO).
                    if close != b'\'' && b.get(j + 1) == Some(&close) {
                        j += 2;
                        continue;
                    }
                    break;
                }
                j += 1;
            }
            i = (j + 1).min(b.len());
            continue;
        }
        if c < 0x80 && ends_word(c as char) {
            return i;
        }
        if c >= 0x80 {
            let ch = s[i..].chars().next().unwrap_or(' ');
            if ends_word(ch) {
                return i;
            }
            i += ch.len_utf8();
            continue;
        }
        i += 1;
    }
    b.len()
}

/// A URL word: user-info hidden, secret parameters of the query, the
/// fragment and JDBC `;` properties hidden.
fn redact_url(word: &str, sep: usize) -> String {
    let scheme = &word[..sep];
    let scheme_name = scheme.rsplit(':').next().unwrap_or(scheme);
    let body = &word[sep + 3..];
    let parts = split_url(scheme_name, body, &|h| super::endpoint::valid_hostlist(h));
    let mut out = String::with_capacity(word.len());
    out.push_str(&word[..sep + 3]);
    let host_start = match parts.at {
        Some(at) => {
            out.push_str(MASK);
            out.push('@');
            at + 1
        }
        None => 0,
    };
    out.push_str(&body[host_start..parts.end]);
    out.push_str(&redact_pairs(&body[parts.end..]));
    out
}

/// `key=value` pairs anywhere in a word (a query, a fragment, `;`
/// properties, a lone `password=x`): secret values hidden. A value ends
/// at `&`, `;` or `#` after a `?`/`#`, at `;` elsewhere, or at its
/// closing quote.
fn redact_pairs(word: &str) -> String {
    let b = word.as_bytes();
    let mut out = String::with_capacity(word.len());
    let mut last = 0;
    let mut in_query = false;
    let mut key_start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'?' | b'#' => {
                in_query = true;
                key_start = i + 1;
            }
            b'&' | b';' | b',' | b'(' | b'[' | b'\'' => key_start = i + 1,
            b'/' if !in_query => key_start = i + 1,
            b'=' => {
                let key = &word[key_start..i];
                if !key.is_empty() && is_secret_name(key) {
                    let end = value_end(word, i + 1, in_query);
                    out.push_str(&word[last..i + 1]);
                    out.push_str(MASK);
                    last = end;
                    i = end;
                    key_start = end;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    out.push_str(&word[last..]);
    out
}

fn value_end(word: &str, i: usize, in_query: bool) -> usize {
    let b = word.as_bytes();
    if matches!(b.get(i), Some(b'\'' | b'"' | b'{')) {
        return read_value(word, i, true).1;
    }
    let mut j = i;
    while j < b.len() {
        let c = b[j];
        if c == b';' || (in_query && (c == b'&' || c == b'#')) {
            break;
        }
        j += 1;
    }
    j
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gone(input: &str, secret: &str) -> String {
        let out = redact(input);
        assert!(
            !out.contains(secret),
            "`{secret}` shown in `{out}` (from `{input}`)"
        );
        out
    }

    #[test]
    fn the_reported_leaks() {
        assert_eq!(
            gone(
                "jdbc:sqlserver://h:1433;user=sa;password=Hunter2",
                "Hunter2"
            ),
            "jdbc:sqlserver://h:1433;user=sa;password=***"
        );
        assert_eq!(
            gone("postgres://u:p/ss@h/db", "p/ss"),
            "postgres://***@h/db"
        );
        assert_eq!(
            gone("postgres://u:p?ss@h/db", "p?ss"),
            "postgres://***@h/db"
        );
        assert_eq!(gone("app:5432#x@host", "5432#x"), "***@host");
        assert_eq!(
            gone("app:s3cret@db.example.ru:5432", "s3cret"),
            "***@db.example.ru:5432"
        );
        gone(
            "https://b.s3.amazonaws.com/k?X-Amz-Signature=abcdef123&X-Amz-Date=1",
            "abcdef123",
        );
        assert_eq!(
            gone(
                "https://app.example.ru/cb#access_token=tok123&state=1",
                "tok123"
            ),
            "https://app.example.ru/cb#access_token=***&state=1"
        );
        for k in [
            "api-key",
            "private_key",
            "aws_secret_access_key",
            "jwt",
            "session",
        ] {
            gone(
                &format!("https://h.example/x?a=1&{k}=zz9secret"),
                "zz9secret",
            );
        }
        assert_eq!(
            gone("host=db.example.ru password='a b' user=x", "a b"),
            "host=db.example.ru password=*** user=x"
        );
        assert_eq!(
            gone("Server=h;Pwd={a;b}}c};Database=d", "a;b"),
            "Server=h;Pwd=***;Database=d"
        );
        gone("Data Source=h;Password=\"x;y\";", "x;y");
        // Oracle's `user/password@host` (EZConnect) without a scheme.
        assert_eq!(
            gone("app/secret@db.example.ru", "secret"),
            "***@db.example.ru"
        );
        assert_eq!(
            gone("scott/tiger@db.example.ru:1521/orcl", "tiger"),
            "***@db.example.ru:1521/orcl"
        );
    }

    #[test]
    fn free_text_is_scanned() {
        assert_eq!(
            gone("cannot reach `postgres://a:pw1@h/db` (password=pw2)", "pw"),
            // A bare value runs to the end of the word: better one `)` too many hidden.
            "cannot reach `postgres://***@h/db` (password=***"
        );
        assert_eq!(super::url_scheme("jdbc:sqlserver://h"), Some(14));
        assert_eq!(super::url_scheme("mongodb+srv://h"), Some(11));
        assert_eq!(super::url_scheme("app:p://x@h"), None);
        // Ordinary text is untouched.
        for s in [
            "see https://example.org/a?b=c#d",
            "mail admin@example.ru",
            "a = b; c",
            "https://medium.com/@user/post",
        ] {
            assert_eq!(redact(s), s);
        }
    }

    #[test]
    fn secret_names() {
        for k in [
            "X-Amz-Signature",
            "X%2DAmz%2DCredential",
            "sslpassword",
            "client_secret",
        ] {
            assert!(is_secret_name(k), "{k}");
        }
        for k in ["host", "sslmode", "dbname", "user", "port", "state"] {
            assert!(!is_secret_name(k), "{k}");
        }
    }
}

/// Property tests: secrets drawn at random, in every position a
/// connection string can hold one, never appear in what is shown — the
/// redacted text, the endpoint display or a parse error — and the host
/// audited is the one after the credentials.
#[cfg(test)]
mod props {
    use proptest::prelude::*;

    use super::redact;
    use crate::inventory::endpoint::{Host, parse};

    /// Three markers spread over the secret: none may survive.
    const MARKS: [&str; 3] = ["QZJ", "QZK", "QZL"];

    fn secret(chars: &'static str) -> impl Strategy<Value = String> {
        let pick = proptest::sample::select(chars.chars().collect::<Vec<_>>());
        (
            proptest::collection::vec(pick.clone(), 0..6),
            proptest::collection::vec(pick, 0..6),
        )
            .prop_map(|(a, b)| {
                let a: String = a.into_iter().collect();
                let b: String = b.into_iter().collect();
                format!("{}{a}{}{b}{}", MARKS[0], MARKS[1], MARKS[2])
            })
    }

    /// What a URL password may hold unencoded (no white space).
    const USERINFO: &str = "abcXYZ019/?#@:;=&%!~*$^()[]{}',.+-_";
    /// A query/fragment/property value (its separators excluded).
    const PARAM: &str = "abcXYZ019/?@:=%!~*$^()[]{}',.+-_";
    /// Quoted values: anything, quotes and separators included.
    const QUOTED: &str = "abcXYZ019 /?#@:;=&%!~*$^()[]{}'\",.+-_\\";

    fn name() -> impl Strategy<Value = String> {
        proptest::sample::select(vec![
            "password",
            "pwd",
            "Password",
            "secret",
            "token",
            "key",
            "X-Amz-Signature",
            "X-Amz-Credential",
            "access_token",
            "api-key",
            "private_key",
            "aws_secret_access_key",
            "jwt",
            "session",
            "auth",
            "sslpassword",
        ])
        .prop_map(str::to_string)
    }

    fn host() -> impl Strategy<Value = String> {
        proptest::sample::select(vec!["db.example.ru", "h", "10.0.0.5", "pg-1.internal"])
            .prop_map(str::to_string)
    }

    fn check(input: &str, expect_host: Option<&str>) -> Result<(), TestCaseError> {
        let mut shown = vec![redact(input)];
        match parse(input) {
            Ok(eps) => {
                if let Some(h) = expect_host {
                    prop_assert!(
                        eps.iter().any(|e| match &e.host {
                            Host::Name(n) => n == h,
                            Host::Ip(ip) => ip.to_string() == h,
                        }),
                        "{input}: audits {:?}",
                        eps
                    );
                }
                shown.extend(eps.iter().map(|e| e.display()));
            }
            Err(e) => shown.push(e.to_string()),
        }
        for s in shown {
            for m in MARKS {
                prop_assert!(!s.contains(m), "secret shown: `{s}` from `{input}`");
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn url_passwords(s in secret(USERINFO), h in host(), scheme in proptest::sample::select(vec!["postgres", "mysql", "mongodb", "redis", "https", "jdbc:postgresql", "amqp"])) {
            check(&format!("{scheme}://app:{s}@{h}:5432/db?sslmode=require"), Some(&h))?;
            // A bare token before `@` (no `user:`): web URLs read `/` as the
            // path's start (`https://medium.com/@user`), and `x?k=v@h/db`
            // is honestly ambiguous (host `x`, a query value `v@h/db`); so
            // database schemes only, and no `?`, `#`, `;` in the token.
            let bare: String = s.chars().filter(|c| !matches!(c, '?' | '#' | ';')).collect();
            if !scheme.starts_with("http") {
                check(&format!("{scheme}://{bare}@{h}/db"), Some(&h))?;
                check(&format!("{scheme}://{bare}@{h}"), Some(&h))?;
            }
        }

        #[test]
        fn schemeless_user_pass_at_host(s in secret(USERINFO), h in host()) {
            check(&format!("app:{s}@{h}:5432"), Some(&h))?;
            check(&format!("note: app:{s}@{h} is the primary"), None)?;
            // Oracle's user/password@host.
            check(&format!("app/{s}@{h}:1521/orcl"), Some(&h))?;
        }

        #[test]
        fn query_fragment_and_property_values(s in secret(PARAM), k in name(), h in host()) {
            check(&format!("https://{h}/x?a=1&{k}={s}&b=2"), Some(&h))?;
            check(&format!("https://{h}/cb#{k}={s}&state=1"), Some(&h))?;
            check(&format!("postgres://{h}/db?{k}={s}"), Some(&h))?;
            check(&format!("jdbc:sqlserver://{h}:1433;user=sa;{k}={s};encrypt=true"), Some(&h))?;
            check(&format!("Server={h};Database=d;{k}={s}"), Some(&h))?;
            check(&format!("see {k}={s}"), None)?;
        }

        #[test]
        fn quoted_values(s in secret(QUOTED), k in name(), h in host()) {
            let libpq = s.replace('\\', "\\\\").replace('\'', "\\'");
            check(&format!("host={h} port=5432 {k}='{libpq}' dbname=x"), Some(&h))?;
            let odbc = s.replace('}', "}}");
            check(&format!("Driver={{SQL Server}};Server={h};{k}={{{odbc}}};Database=d"), Some(&h))?;
            let ado = s.replace('"', "\"\"");
            check(&format!("Data Source={h};{k}=\"{ado}\";Initial Catalog=x"), Some(&h))?;
            check(&format!("jdbc:sqlserver://{h}:1433;user=sa;{k}={{{odbc}}}"), Some(&h))?;
        }

        /// Anything at all: no panic, and the output is never longer than
        /// the input by more than the masks added.
        #[test]
        fn never_panics(s in "\\PC{0,80}") {
            let out = redact(&s);
            prop_assert!(out.len() <= s.len() + 4 * s.len().max(1));
            let _ = parse(&s);
        }
    }
}
