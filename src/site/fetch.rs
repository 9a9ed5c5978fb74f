//! HTTP for `scan-site`: reqwest over rustls (ring), a `User-Agent` that
//! names the tool, a total timeout per request, a size limit per page (the
//! body is streamed and reading stops at the limit), and redirects followed
//! by hand: same-site only, at most N, loops detected. Nothing here ever
//! requests a host of another site.

use std::collections::BTreeSet;
use std::error::Error as _;
use std::path::PathBuf;
use std::time::Duration;

use reqwest::header::{self, HeaderMap};
use url::Url;

use super::domain::registrable;

/// Sent with every request: who is asking, and that only HTML is read.
pub const USER_AGENT: &str = concat!(
    "residency/",
    env!("CARGO_PKG_VERSION"),
    " (152-FZ site audit; reads the site's own HTML only)"
);

/// How to fetch.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// For one request, from connecting to the end of the body.
    pub timeout: Duration,
    /// Bytes of a page read at most.
    pub max_bytes: usize,
    /// Redirects followed per page at most.
    pub max_redirects: usize,
    /// Extra trusted CAs (PEM files), for sites behind a private CA.
    pub ca_certs: Vec<PathBuf>,
}

/// Why the HTTP client could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("--ca-cert {}: {source}", .path.display())]
    ReadCa {
        path: PathBuf,
        source: crate::diag::ReadError,
    },
    #[error(
        "--ca-cert {}: no PEM certificate in the file (expected -----BEGIN CERTIFICATE-----)",
        .0.display()
    )]
    NoPem(PathBuf),
    /// The TLS setup failed; the text is the whole chain of causes.
    #[error("cannot set up HTTPS: {0}")]
    Tls(String),
}

/// The HTTP client. Errors name the CA file that could not be used.
pub fn client(opts: &FetchOptions) -> Result<reqwest::Client, ClientError> {
    // reqwest is built without a crypto provider of its own (no aws-lc);
    // ring is installed once per process. A second call finds it installed.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut builder = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .redirect(reqwest::redirect::Policy::none())
        .referer(false)
        .timeout(opts.timeout)
        .connect_timeout(opts.timeout);
    for path in &opts.ca_certs {
        // A CA bundle is small; 4 MiB is generous.
        let pem =
            crate::diag::read_limited(path, 4 << 20).map_err(|source| ClientError::ReadCa {
                path: path.clone(),
                source,
            })?;
        let certs = reqwest::Certificate::from_pem_bundle(&pem)
            .ok()
            .filter(|c| !c.is_empty())
            .ok_or_else(|| ClientError::NoPem(path.clone()))?;
        builder = builder.tls_certs_merge(certs);
    }
    builder.build().map_err(|e| ClientError::Tls(chain(&e)))
}

/// The response headers that matter for the audit.
#[derive(Debug, Clone, Default)]
pub struct Headers {
    pub content_type: Option<String>,
    pub csp: Vec<String>,
    pub csp_report_only: Vec<String>,
    pub link: Vec<String>,
    pub refresh: Option<String>,
}

impl Headers {
    fn from(h: &HeaderMap) -> Self {
        let all = |name: &str| -> Vec<String> {
            h.get_all(name)
                .iter()
                .filter_map(|v| v.to_str().ok().map(str::to_string))
                .collect()
        };
        Self {
            content_type: h
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(|s| s.trim().to_string()),
            csp: all("content-security-policy"),
            csp_report_only: all("content-security-policy-report-only"),
            link: all("link"),
            refresh: all("refresh").into_iter().next(),
        }
    }

    /// `text/html` or `application/xhtml+xml`; `None` when the server did
    /// not say.
    pub fn is_html(&self) -> Option<bool> {
        let ct = self.content_type.as_deref()?.to_ascii_lowercase();
        let essence = ct.split(';').next().unwrap_or("").trim();
        Some(matches!(essence, "text/html" | "application/xhtml+xml"))
    }

    /// The `charset=` of the Content-Type.
    pub fn charset(&self) -> Option<String> {
        let ct = self.content_type.as_deref()?.to_ascii_lowercase();
        let (_, cs) = ct.split_once("charset=")?;
        Some(
            cs.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches('"')
                .to_string(),
        )
    }
}

/// A page as the server gave it.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Headers,
    /// The body, up to the size limit; `None` when it is not HTML (not read).
    pub body: Option<Vec<u8>>,
    /// The page is larger than the limit: only the first bytes were read.
    pub truncated: bool,
}

/// What fetching one URL gave.
#[derive(Debug)]
pub enum Outcome {
    Page(Response),
    /// A redirect to another site: reported, never followed.
    OffSite {
        status: u16,
        to: Url,
    },
    Failed(String),
}

/// One page with the redirects that led to it.
#[derive(Debug)]
pub struct Fetched {
    /// The URL asked for, then each redirect target followed.
    pub chain: Vec<Url>,
    pub outcome: Outcome,
}

impl Fetched {
    pub fn final_url(&self) -> &Url {
        // The chain starts with the requested URL: never empty.
        &self.chain[self.chain.len() - 1]
    }
}

/// Fetch `url`, following redirects within `sites` (registrable domains).
pub async fn fetch(
    client: &reqwest::Client,
    url: Url,
    sites: &BTreeSet<String>,
    opts: &FetchOptions,
) -> Fetched {
    let mut chain = vec![url];
    loop {
        let current = chain[chain.len() - 1].clone();
        let resp = match client
            .get(current.clone())
            .header(
                header::ACCEPT,
                "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
            )
            .send()
            .await
        {
            Ok(r) => r,
            Err(e) => {
                return Fetched {
                    chain,
                    outcome: Outcome::Failed(describe(&e, opts)),
                };
            }
        };
        let status = resp.status().as_u16();
        if resp.status().is_redirection()
            && let Some(location) = resp.headers().get(header::LOCATION)
        {
            let next = location
                .to_str()
                .ok()
                .and_then(|l| current.join(l.trim()).ok());
            let Some(mut next) = next.filter(|u| matches!(u.scheme(), "http" | "https")) else {
                return Fetched {
                    chain,
                    outcome: Outcome::Failed(format!(
                        "HTTP {status} redirect with an unusable Location"
                    )),
                };
            };
            next.set_fragment(None);
            if !sites.contains(&registrable(next.host_str().unwrap_or(""))) {
                return Fetched {
                    chain,
                    outcome: Outcome::OffSite { status, to: next },
                };
            }
            if chain.contains(&next) {
                let mut shown: Vec<String> = chain.iter().map(|u| u.path().to_string()).collect();
                shown.push(next.path().to_string());
                return Fetched {
                    chain,
                    outcome: Outcome::Failed(format!("redirect loop: {}", shown.join(" -> "))),
                };
            }
            if chain.len() > opts.max_redirects {
                return Fetched {
                    chain,
                    outcome: Outcome::Failed(format!(
                        "more than {} redirects (--max-redirects)",
                        opts.max_redirects
                    )),
                };
            }
            chain.push(next);
            continue;
        }
        let headers = Headers::from(resp.headers());
        if headers.is_html() == Some(false) {
            // Not a page: the body is not read (the connection is dropped).
            return Fetched {
                chain,
                outcome: Outcome::Page(Response {
                    status,
                    headers,
                    body: None,
                    truncated: false,
                }),
            };
        }
        let (body, truncated) = match read_limited(resp, opts.max_bytes).await {
            Ok(b) => b,
            Err(e) => {
                return Fetched {
                    chain,
                    outcome: Outcome::Failed(describe(&e, opts)),
                };
            }
        };
        // No Content-Type: markup is taken for HTML, anything else is not.
        let sniffed_html = headers.is_html().unwrap_or_else(|| {
            body.iter()
                .find(|b| !b.is_ascii_whitespace())
                .is_some_and(|b| *b == b'<')
        });
        return Fetched {
            chain,
            outcome: Outcome::Page(Response {
                status,
                headers,
                body: sniffed_html.then_some(body),
                truncated,
            }),
        };
    }
}

/// Read at most `max` bytes of the body; `true` when there was more.
async fn read_limited(
    mut resp: reqwest::Response,
    max: usize,
) -> Result<(Vec<u8>, bool), reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await? {
        let room = max - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok((body, true));
        }
        body.extend_from_slice(&chunk);
        if body.len() == max {
            // Exactly at the limit: one more chunk tells whether there is more.
            return Ok((body, resp.chunk().await?.is_some_and(|c| !c.is_empty())));
        }
    }
    Ok((body, false))
}

/// The causes of an error, outermost first, without reqwest's generic
/// "error sending request" wrapper.
fn chain(e: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut src = e.source();
    while let Some(s) = src {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        src = s.source();
    }
    if parts.is_empty() {
        e.to_string()
    } else {
        parts.join(": ")
    }
}

fn describe(e: &reqwest::Error, opts: &FetchOptions) -> String {
    if e.is_timeout() {
        return format!(
            "timed out after {} s (--page-timeout)",
            opts.timeout.as_secs_f64()
        );
    }
    let mut msg = chain(e);
    if msg.contains("certificate") || msg.contains("UnknownIssuer") {
        msg.push_str(" (a site behind a private CA? trust it with --ca-cert FILE)");
    }
    msg
}
