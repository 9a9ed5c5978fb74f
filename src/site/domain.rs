//! Which hosts are third parties: the registrable domain ("eTLD+1") of a
//! host, from the public suffix list compiled into the `psl` crate.

use std::net::IpAddr;

/// The registrable domain of `host` (`www.google-analytics.com` →
/// `google-analytics.com`, `a.b.example.co.uk` → `example.co.uk`). An IP
/// address, a single-label name (`localhost`) or a public suffix itself is
/// its own site.
pub(crate) fn registrable(host: &str) -> String {
    let h = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .trim_end_matches('.')
        .to_ascii_lowercase();
    if h.parse::<IpAddr>().is_ok() || !h.contains('.') {
        return h;
    }
    match psl::domain_str(&h) {
        Some(d) => d.to_string(),
        None => h,
    }
}

/// Whether `a` and `b` belong to the same site (same registrable domain;
/// scheme and port do not matter).
pub(crate) fn same_site(a: &str, b: &str) -> bool {
    registrable(a) == registrable(b)
}

/// A host name as it may appear in an inventory: lower case, no brackets
/// or trailing dot, and made of characters a host name or an IP address can
/// have.
pub(crate) fn clean_host(host: &str) -> Option<String> {
    let h = host
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .trim_end_matches('.')
        .to_ascii_lowercase();
    if h.is_empty() || h.len() > 253 {
        return None;
    }
    if h.parse::<IpAddr>().is_ok() {
        return Some(h);
    }
    let ok = h.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    });
    ok.then_some(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registrable_domains_come_from_the_public_suffix_list() {
        assert_eq!(
            registrable("www.google-analytics.com"),
            "google-analytics.com"
        );
        assert_eq!(
            registrable("region1.google-analytics.com"),
            "google-analytics.com"
        );
        assert_eq!(registrable("mc.yandex.ru"), "yandex.ru");
        assert_eq!(registrable("shop.example.co.uk"), "example.co.uk");
        assert_eq!(registrable("a.b.example.com.ru"), "example.com.ru");
        // Private suffixes of the list: two GitHub Pages sites are different sites.
        assert_eq!(registrable("alice.github.io"), "alice.github.io");
        assert!(!same_site("alice.github.io", "bob.github.io"));
        assert_eq!(registrable("WWW.Example.RU."), "example.ru");
        assert_eq!(registrable("127.0.0.1"), "127.0.0.1");
        assert_eq!(registrable("[::1]"), "::1");
        assert_eq!(registrable("localhost"), "localhost");
        assert!(same_site("www.example.ru", "shop.example.ru"));
        assert!(!same_site("example.ru", "example.com"));
        assert!(!same_site("127.0.0.1", "127.0.0.2"));
    }

    #[test]
    fn clean_hosts() {
        assert_eq!(
            clean_host("WWW.Example.ru.").as_deref(),
            Some("www.example.ru")
        );
        assert_eq!(clean_host("[2001:db8::1]").as_deref(), Some("2001:db8::1"));
        assert_eq!(clean_host("bad host"), None);
        assert_eq!(clean_host(""), None);
        assert_eq!(clean_host("a..b"), None);
    }
}
