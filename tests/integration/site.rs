//! `scan-site` and `check --site` against a real HTTP(S) server in the test
//! process serving pages that look like real sites, with the third-party
//! names served by the in-process DNS server (addresses the bundled GeoIP
//! places) — nothing leaves the machine. A trap listener on 127.0.0.2 is
//! both a third-party host the pages reference and the HTTP(S) proxy of
//! every run (NO_PROXY exempts the fixture site only), so any request the
//! tool made to a third party would be counted there.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use crate::common::*;

/// Third-party names of the fixture pages → addresses the bundled GeoIP
/// places (77.88.8.8 RU, 52.57.0.1 DE, 8.8.8.8 US, 65.21.1.1 FI).
const THIRD_PARTY_ZONE: &str = r#"
$ORIGIN .
$TTL 300
.                         IN SOA ns.test. admin.test. 1 3600 600 86400 60
.                         IN NS  ns.test.
ns.test.                  IN A   127.0.0.1
www.googletagmanager.com. IN A   8.8.8.8
www.google-analytics.com. IN A   8.8.8.8
fonts.googleapis.com.     IN A   8.8.8.8
fonts.gstatic.com.        IN A   8.8.8.8
www.google.com.           IN A   8.8.8.8
mc.yandex.ru.             IN A   77.88.8.8
cdn.amplitude.com.        IN A   8.8.8.8
api2.amplitude.com.       IN A   8.8.8.8
api.webforms.example.     IN A   52.57.0.1
code.jivo.ru.             IN A   77.88.8.8
jivosite.com.             IN A   77.88.8.8
csp.reports.example.      IN A   65.21.1.1
static.hotjar.com.        IN A   52.57.0.1
top-fwz1.mail.ru.         IN A   77.88.8.8
vk.com.                   IN A   77.88.8.8
partner.example.com.      IN A   65.21.1.1
"#;

fn dns() -> SocketAddr {
    static DNS: OnceLock<SocketAddr> = OnceLock::new();
    *DNS.get_or_init(|| serve_zone(THIRD_PARTY_ZONE))
}

/// Counts every connection made to 127.0.0.2:PORT.
struct Trap {
    port: u16,
    hits: Arc<AtomicUsize>,
}

/// The trap of every run: the proxy, and a third party of the pages.
fn trap() -> &'static Trap {
    static TRAP: OnceLock<Trap> = OnceLock::new();
    TRAP.get_or_init(new_trap)
}

fn new_trap() -> Trap {
    {
        let listener = TcpListener::bind("127.0.0.2:0").expect("bind 127.0.0.2");
        let port = listener.local_addr().unwrap().port();
        let hits = Arc::new(AtomicUsize::new(0));
        let h = hits.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                h.fetch_add(1, Ordering::SeqCst);
                drop(stream);
            }
        });
        Trap { port, hits }
    }
}

struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
    delay: Duration,
}

fn html(body: impl Into<String>) -> Reply {
    Reply {
        status: 200,
        headers: vec![("Content-Type", "text/html; charset=utf-8".into())],
        body: body.into().into_bytes(),
        delay: Duration::ZERO,
    }
}

fn redirect(status: u16, to: &str) -> Reply {
    Reply {
        status,
        headers: vec![("Location", to.into())],
        body: Vec::new(),
        delay: Duration::ZERO,
    }
}

const INDEX: &str = r#"<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="utf-8">
<title>Диалог Облако — чат-боты для бизнеса</title>
<!-- Google tag (gtag.js) -->
<script async src="https://www.googletagmanager.com/gtag/js?id=G-TEST123"></script>
<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){dataLayer.push(arguments);}
  gtag('js', new Date());
  gtag('config', 'G-TEST123');
</script>
<link rel="preconnect" href="https://fonts.googleapis.com">
<link rel="preconnect" href="https://fonts.gstatic.com" crossorigin>
<link href="https://fonts.googleapis.com/css2?family=Roboto:wght@400;700&amp;display=swap" rel="stylesheet">
<link rel="stylesheet" href="/static/site.css">
<!-- Yandex.Metrika counter -->
<script type="text/javascript">
   (function(m,e,t,r,i,k,a){m[i]=m[i]||function(){(m[i].a=m[i].a||[]).push(arguments)};
   m[i].l=1*new Date();
   for (var j = 0; j < document.scripts.length; j++) {if (document.scripts[j].src === r) { return; }}
   k=e.createElement(t),a=e.getElementsByTagName(t)[0],k.async=1,k.src=r,a.parentNode.insertBefore(k,a)})
   (window, document, "script", "https://mc.yandex.ru/metrika/tag.js", "ym");
   ym(96000001, "init", { clickmap:true, trackLinks:true, accurateTrackBounce:true, webvisor:true });
</script>
<noscript><div><img src="https://mc.yandex.ru/watch/96000001" style="position:absolute; left:-9999px;" alt="" /></div></noscript>
<!-- /Yandex.Metrika counter -->
</head>
<body>
<nav>
  <a href="/">Главная</a> <a href="/about">О компании</a> <a href="/contact#form">Контакты</a>
  <a href="/chat">Онлайн-чат</a> <a href="/old-page">Тарифы</a> <a href="https://vk.com/dialogcloud">Мы ВКонтакте</a>
  <a href="/docs/price.pdf">Прайс-лист (PDF)</a> <a href="mailto:hello@dialog.example">Почта</a>
</nav>
<main>
  <h1>Чат-боты для бизнеса</h1>
  <p>Все данные хранятся в Российской Федерации.</p>
  <form action="/subscribe" method="post"><input type="email" name="email"><button>Подписаться</button></form>
  <footer><a href="/loop-a">Архив</a> <a href="/big">Документация</a> <a href="/slow">Статус</a>
  <a href="/legacy">Старая версия</a> <a href="/partner">Партнёрам</a></footer>
</main>
<img src="http://127.0.0.2:TRAP_PORT/pixel.gif" width="1" height="1" alt="">
<script src="/static/app.js"></script>
</body>
</html>
"#;

const ABOUT: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"><title>О компании</title>
<script type="text/javascript">
  (function(e,t){var n=e.amplitude||{_q:[],_iq:{}};var r=t.createElement("script")
  ;r.type="text/javascript";r.async=true
  ;r.src="https://cdn.amplitude.com/libs/amplitude-8.21.9-min.gz.js"
  ;var s=t.getElementsByTagName("script")[0];s.parentNode.insertBefore(r,s)
  ;e.amplitude=n})(window,document);
  amplitude.getInstance().init("a1b2c3d4e5f6", null, {includeUtm: true});
</script>
</head><body><h1>О компании</h1><a href="/">На главную</a> <a href="/about">О нас</a></body></html>
"#;

const CONTACT: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"><title>Контакты</title>
<script src="https://www.google.com/recaptcha/api.js" async defer></script>
</head><body>
<h1>Оставьте заявку</h1>
<form id="form" action="https://api.webforms.example/f/8a7b6c" method="post">
  <input name="name" placeholder="Имя"> <input name="phone" placeholder="Телефон">
  <div class="g-recaptcha" data-sitekey="6Lc_test"></div>
  <button type="submit">Отправить</button>
</form>
</body></html>
"#;

const CHAT: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"><title>Онлайн-чат</title></head>
<body><h1>Спросите нас</h1>
<script src="//code.jivo.ru/widget/AbCdEf123" async></script>
</body></html>
"#;

const CHAT_CSP: &str = "default-src 'self'; script-src 'self' 'unsafe-inline' https://code.jivo.ru https://www.googletagmanager.com; \
connect-src 'self' wss://*.jivosite.com https://api2.amplitude.com; img-src 'self' data: https://mc.yandex.ru; \
report-uri https://csp.reports.example/r/123";

const NEW_PAGE: &str = r#"<!doctype html>
<html><head><title>Тарифы</title>
<script>
    (function(h,o,t,j,a,r){
        h.hj=h.hj||function(){(h.hj.q=h.hj.q||[]).push(arguments)};
        h._hjSettings={hjid:3000001,hjsv:6};
        a=o.getElementsByTagName('head')[0];
        r=o.createElement('script');r.async=1;
        r.src=t+h._hjSettings.hjid+j+h._hjSettings.hjsv;
        a.appendChild(r);
    })(window,document,'https://static.hotjar.com/c/hotjar-','.js?sv=');
</script>
</head><body><h1>Тарифы</h1></body></html>
"#;

const FONTS_ONLY: &str = r#"<!doctype html><html><head><meta charset="utf-8"><title>Шрифты</title>
<link rel="preconnect" href="https://fonts.googleapis.com">
<link rel="preconnect" href="https://fonts.gstatic.com" crossorigin>
<link href="https://fonts.googleapis.com/css2?family=PT+Sans&display=swap" rel="stylesheet">
</head><body><p>Только шрифты.</p></body></html>
"#;

const RECAPTCHA_ONLY: &str = r#"<!doctype html><html><head><meta charset="utf-8">
<script src="https://www.google.com/recaptcha/api.js" async defer></script>
</head><body><form action="/send" method="post"><div class="g-recaptcha" data-sitekey="6Lc_test"></div></form></body></html>
"#;

/// Issue 10's reproducer (a byte offset inside `р`) among real-looking
/// Cyrillic comments, then a counter the scan must still find.
const CYRILLIC: &str = r#"<!doctype html><html><head><meta charset="utf-8">
<script>// привет // мир</script>
<script>
// обрабатываем изображения для lazy loading — см. https://habr.com/ru/articles/1/
var ссылка = 'https://пример.рф/'; /* комментарий // ещё */
</script>
<script src="https://mc.yandex.ru/metrika/tag.js"></script>
</head><body></body></html>
"#;

/// A Tilda export: lazy images in data-original, a form posting to a
/// third party through data-endpoint, a preconnect to the CDN, a mention.
const TILDA: &str = r#"<!doctype html><html><head><meta charset="utf-8">
<link rel="dns-prefetch" href="https://ws.tildacdn.com">
<script>var article = 'https://news.example.org/story';
var s = document.createElement('script'); s.src = '//' + 'cdn.loader.example.net' + '/l.js';</script>
</head><body>
<div class="t-bgimg" data-original="https://static.tildacdn.info/tild3234/photo.jpg"></div>
<form id="form1" action="" method="POST" data-endpoint="https://forms.collector.example:3554/submit/abc"><input name="phone"></form>
</body></html>
"#;

fn big_page() -> Vec<u8> {
    let mut s = String::from(
        "<!doctype html><html><head><title>Документация</title>\n\
         <script async src=\"https://top-fwz1.mail.ru/js/code.js\"></script>\n</head><body>\n",
    );
    while s.len() < 2 * 1024 * 1024 {
        s.push_str("<p>Раздел документации: настройка сценариев, интеграции, API.</p>\n");
    }
    s.push_str("<script src=\"https://tail.tracker.example/t.js\"></script></body></html>\n");
    s.into_bytes()
}

fn legacy_page() -> Vec<u8> {
    let mut b = b"<!doctype html><html><head><title>".to_vec();
    // windows-1251 text, served without a charset: not valid UTF-8.
    b.extend_from_slice(&[
        0xd1, 0xf2, 0xe0, 0xf0, 0xe0, 0xff, 0x20, 0xe2, 0xe5, 0xf0, 0xf1, 0xe8, 0xff,
    ]);
    b.extend_from_slice(
        b"</title>\n<script src=\"https://vk.com/js/api/openapi.js?169\"></script>\n\
          <script>VK.Retargeting.Init(\"VK-RTRG-1000001-abcde\"); VK.Retargeting.Hit();</script>\n\xff\xfe</head><body></body></html>\n",
    );
    b
}

fn route(path: &str, trap_port: u16) -> Reply {
    match path {
        "/" => html(INDEX.replace("TRAP_PORT", &trap_port.to_string())),
        "/about" => html(ABOUT),
        "/contact" => html(CONTACT),
        "/chat" => {
            let mut r = html(CHAT);
            r.headers.push(("Content-Security-Policy", CHAT_CSP.into()));
            r
        }
        "/old-page" => redirect(301, "/moved"),
        "/moved" => redirect(302, "http://127.0.0.1/new-page-placeholder"),
        "/new-page" => html(NEW_PAGE),
        "/loop-a" => redirect(302, "/loop-b"),
        "/loop-b" => redirect(302, "/loop-a"),
        "/big" => Reply {
            body: big_page(),
            ..html("")
        },
        "/slow" => Reply {
            delay: Duration::from_secs(4),
            ..html(
                "<html><body><script src=\"https://slow.tracker.example/s.js\"></script></body></html>",
            )
        },
        "/legacy" => Reply {
            status: 200,
            headers: vec![("Content-Type", "text/html".into())],
            body: legacy_page(),
            delay: Duration::ZERO,
        },
        "/docs/price.pdf" => Reply {
            status: 200,
            headers: vec![("Content-Type", "application/pdf".into())],
            body: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n<script src=https://pdf.tracker.example/x.js>"
                .to_vec(),
            delay: Duration::ZERO,
        },
        "/partner" => redirect(302, "https://partner.example.com/offer?ref=dialog"),
        // Pages not linked from the home page, scanned one by one.
        "/fonts-only" => html(FONTS_ONLY),
        "/recaptcha-only" => html(RECAPTCHA_ONLY),
        "/cyrillic" => html(CYRILLIC),
        "/hint-only" => html(
            "<html><head><link rel=\"preconnect\" href=\"https://edge.hinted.example\"></head></html>",
        ),
        "/tilda" => html(TILDA),
        "/unknown-tracker" => html(
            "<html><head><script src=\"https://px.adco-cdn.example/p.js\"></script>\
             <script src=\"https://t.pixcdn.example/t.js\"></script></head><body></body></html>",
        ),
        _ => Reply {
            status: 404,
            ..html("<html><body><h1>Не найдено</h1></body></html>")
        },
    }
}

/// The fixture site: every request it got, as `METHOD PATH`.
struct Site {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<String>>>,
}

impl Site {
    fn url(&self, scheme: &str) -> String {
        format!("{scheme}://{}/", self.addr)
    }

    fn requests(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

fn serve_one<S: Read + Write>(mut stream: S, port: u16, log: &Mutex<Vec<String>>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 65536 {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let head = String::from_utf8_lossy(&buf);
    let mut first = head.lines().next().unwrap_or("").split_whitespace();
    let method = first.next().unwrap_or("").to_string();
    let path = first.next().unwrap_or("/").to_string();
    log.lock().unwrap().push(format!("{method} {path}"));
    let mut reply = route(&path, trap().port);
    if path == "/moved" {
        // Absolute same-site Location with the real port.
        reply.headers = vec![("Location", format!("http://127.0.0.1:{port}/new-page"))];
    }
    std::thread::sleep(reply.delay);
    let reason = match reply.status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        404 => "Not Found",
        _ => "Status",
    };
    let mut out = format!("HTTP/1.1 {} {reason}\r\n", reply.status);
    for (k, v) in &reply.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        reply.body.len()
    ));
    let _ = stream.write_all(out.as_bytes());
    let _ = stream.write_all(&reply.body);
    let _ = stream.flush();
}

fn start(tls: Option<Arc<rustls::ServerConfig>>) -> Site {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let log = Arc::new(Mutex::new(Vec::new()));
    let l = log.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let l = l.clone();
            let tls = tls.clone();
            std::thread::spawn(move || {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
                match tls {
                    None => serve_one(stream, addr.port(), &l),
                    Some(cfg) => {
                        let Ok(conn) = rustls::ServerConnection::new(cfg) else {
                            return;
                        };
                        serve_one(rustls::StreamOwned::new(conn, stream), addr.port(), &l);
                    }
                }
            });
        }
    });
    Site { addr, log }
}

fn http_site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| start(None))
}

/// A test CA (PEM) and an HTTPS fixture site with a certificate it signed
/// for 127.0.0.1.
fn https_site() -> &'static (Site, String) {
    static SITE: OnceLock<(Site, String)> = OnceLock::new();
    SITE.get_or_init(|| {
        use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
        let ca_key = KeyPair::generate().unwrap();
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "residency test CA");
        let ca_cert = ca.self_signed(&ca_key).unwrap();
        let issuer = Issuer::new(ca, ca_key);
        let leaf_key = KeyPair::generate().unwrap();
        let leaf = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
            .unwrap()
            .signed_by(&leaf_key, &issuer)
            .unwrap();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let cfg = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                vec![leaf.der().clone()],
                rustls::pki_types::PrivateKeyDer::Pkcs8(leaf_key.serialize_der().into()),
            )
            .unwrap();
        (start(Some(Arc::new(cfg))), ca_cert.pem())
    })
}

/// Run the binary in `dir` with a scrubbed environment whose proxy is the
/// trap (only the fixture site, 127.0.0.1, is reached directly).
fn run_trapped(dir: &Path, args: &[&str]) -> Run {
    run_proxied(dir, args, trap().port)
}

fn run_proxied(dir: &Path, args: &[&str], proxy_port: u16) -> Run {
    let proxy = format!("http://127.0.0.2:{proxy_port}");
    let out = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("SOURCE_DATE_EPOCH", "1795564800")
        .env("NO_COLOR", "1")
        .env("HTTP_PROXY", &proxy)
        .env("HTTPS_PROXY", &proxy)
        .env("ALL_PROXY", &proxy)
        .env("NO_PROXY", "127.0.0.1")
        .output()
        .expect("run residency");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The common crawl options: a small page limit and a short timeout so
/// the big and slow pages are reported.
fn crawl_args(dns: &str) -> Vec<String> {
    [
        "--dns",
        dns,
        "--max-page-size",
        "256K",
        "--page-timeout",
        "1",
        "--max-pages",
        "50",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// One scan of the HTTP fixture site, shared by the tests below.
fn scanned() -> &'static (serde_json::Value, usize) {
    static SCAN: OnceLock<(serde_json::Value, usize)> = OnceLock::new();
    SCAN.get_or_init(|| {
        let site = http_site();
        let dns = dns().to_string();
        let before = trap().hits.load(Ordering::SeqCst);
        let url = site.url("http");
        let mut args = vec!["scan-site", url.as_str(), "--format", "json"];
        let extra = crawl_args(&dns);
        args.extend(extra.iter().map(String::as_str));
        let r = run_trapped(repo(), &args);
        assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
        let after = trap().hits.load(Ordering::SeqCst);
        (r.json(), after - before)
    })
}

fn party<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["site"]["third_parties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("no third party {id}: {:#}", report["site"]["third_parties"]))
}

fn hosts(p: &serde_json::Value) -> Vec<String> {
    p["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["host"].as_str().unwrap().to_string())
        .collect()
}

fn seen(p: &serde_json::Value) -> Vec<(String, u64, String)> {
    p["seen"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["page"].as_str().unwrap().to_string(),
                s["line"].as_u64().unwrap_or(0),
                s["element"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn finds_the_third_parties_with_their_pages_and_elements() {
    let (r, _) = scanned();
    let base = http_site().url("http");
    let ids: Vec<&str> = r["site"]["third_parties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "127.0.0.2",
            "amplitude",
            "example.com",
            "google-analytics",
            "google-fonts",
            "google-tag-manager",
            "hotjar",
            "jivo",
            "recaptcha",
            "reports.example",
            "top-mail-ru",
            "vk",
            "vk-ads",
            "webforms.example",
            "yandex-metrica",
        ],
        "{:#}",
        r["site"]
    );

    // GA4: named by its inline gtag('config') snippet, on the home page; a
    // snippet never adds a host the page does not contain (issue 10 §3).
    let ga = party(r, "google-analytics");
    assert_eq!(ga["legal_entity"], "Google LLC");
    assert_eq!(ga["legal_country"], "US");
    assert_eq!(ga["collects"], true);
    assert!(hosts(ga).is_empty(), "{ga:#}");
    assert_eq!(
        seen(ga),
        [(
            base.clone(),
            8,
            "inline <script>: gtag('config'".to_string()
        )]
    );
    assert_eq!(ga["seen"][0]["host"], "");

    // GTM: the gtag.js loader; the CSP of the chat page only permits it.
    let gtm = party(r, "google-tag-manager");
    let gtm_seen = seen(gtm);
    assert_eq!(
        gtm_seen,
        [(
            base.clone(),
            7,
            "<script src=\"https://www.googletagmanager.com/gtag/js?id=G-TEST123\">".to_string()
        )]
    );
    assert_eq!(gtm["collects"], false, "a tag manager delivers files");
    let permitted: Vec<(String, String)> = r["site"]["permitted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["host"].as_str().unwrap().to_string(),
                p["element"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(permitted.contains(&(
        "www.googletagmanager.com".into(),
        "Content-Security-Policy: script-src https://www.googletagmanager.com".into()
    )));
    assert!(permitted.contains(&(
        "jivosite.com".into(),
        "Content-Security-Policy: connect-src wss://*.jivosite.com".into()
    )));

    // Yandex Metrica: the counter snippet, its tag.js URL and the noscript pixel.
    let ym = party(r, "yandex-metrica");
    assert_eq!(hosts(ym), ["mc.yandex.ru"]);
    assert_eq!(ym["countries"], serde_json::json!(["RU"]));
    let ym_seen: Vec<String> = seen(ym)
        .into_iter()
        .map(|s| format!("{} {}", s.1, s.2))
        .collect();
    assert!(
        ym_seen.contains(&"19 inline <script>: https://mc.yandex.ru/metrika/tag.js".to_string()),
        "{ym_seen:#?}"
    );
    assert!(
        ym_seen.contains(&"19 inline <script>: metrika/tag.js".to_string()),
        "{ym_seen:#?}"
    );
    assert!(
        ym_seen.contains(
            &"27 <img src=\"https://mc.yandex.ru/watch/96000001\"> (in <noscript>)".to_string()
        ),
        "{ym_seen:#?}"
    );

    // Google Fonts: preconnects (hints: the IP address only) and the stylesheet.
    let fonts = party(r, "google-fonts");
    assert_eq!(hosts(fonts), ["fonts.googleapis.com", "fonts.gstatic.com"]);
    assert_eq!(fonts["collects"], false);
    assert!(
        fonts["seen"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["hint"] == true && s["host"] == "fonts.gstatic.com")
    );
    assert!(seen(fonts).iter().any(|s| s.1 == 16
        && s.2.starts_with(
            "<link rel=\"stylesheet\" href=\"https://fonts.googleapis.com/css2?family=Roboto"
        )));

    // Amplitude on /about: the SDK URL inside the loader and the init call.
    let amp = party(r, "amplitude");
    assert_eq!(
        hosts(amp),
        ["cdn.amplitude.com"],
        "a CSP source is no contact"
    );
    let amp_seen = seen(amp);
    assert!(amp_seen.contains(&(
        format!("{base}about"),
        3,
        "inline <script>: amplitude.getInstance().init(".to_string()
    )));
    assert!(amp_seen.iter().any(
        |s| s.2 == "inline <script>: https://cdn.amplitude.com/libs/amplitude-8.21.9-min.gz.js"
    ));

    // A form posting to a foreign endpoint that no catalogue knows.
    let form = party(r, "webforms.example");
    assert_eq!(form["service"], serde_json::Value::Null);
    assert_eq!(form["receives"], "form");
    assert_eq!(form["collects"], true, "unknown: fail closed");
    assert_eq!(form["countries"], serde_json::json!(["DE"]));
    assert_eq!(
        seen(form),
        [(
            format!("{base}contact"),
            6,
            "<form action=\"https://api.webforms.example/f/8a7b6c\">".to_string()
        )]
    );
    assert_eq!(hosts(party(r, "recaptcha")), ["www.google.com"]);

    // The chat widget and the CSP header of its page.
    let jivo = party(r, "jivo");
    assert_eq!(hosts(jivo), ["code.jivo.ru"]);
    assert!(
        seen(jivo)
            .iter()
            .any(|s| s.2 == "<script src=\"http://code.jivo.ru/widget/AbCdEf123\">")
    );
    let report_uri = party(r, "reports.example");
    assert_eq!(
        seen(report_uri)[0].2,
        "Content-Security-Policy: report-uri https://csp.reports.example/r/123"
    );
    assert_eq!(report_uri["countries"], serde_json::json!(["FI"]));

    // Links and same-site resources are not third parties; IP literals are.
    assert!(!ids.contains(&"dialog.example"));
    let trap_party = party(r, "127.0.0.2");
    assert_eq!(seen(trap_party)[0].1, 43);
}

#[test]
fn pages_redirects_limits_and_encodings() {
    let (r, _) = scanned();
    let base = http_site().url("http");
    let pages = r["site"]["pages"].as_array().unwrap();
    let page = |path: &str| {
        pages
            .iter()
            .find(|p| p["url"] == format!("{base}{path}"))
            .unwrap_or_else(|| panic!("no page {path}: {pages:#?}"))
    };
    // Breadth first, in link order; fragments and mailto: dropped; the PDF is listed, not read.
    let urls: Vec<&str> = pages.iter().map(|p| p["url"].as_str().unwrap()).collect();
    assert_eq!(
        urls.iter()
            .map(|u| u.trim_start_matches(&base))
            .collect::<Vec<_>>(),
        [
            "",
            "about",
            "contact",
            "chat",
            "old-page",
            "docs/price.pdf",
            "loop-a",
            "big",
            "slow",
            "legacy",
            "partner"
        ]
    );
    // A redirect chain is followed to its page, whose third parties are found.
    let old = page("old-page");
    assert_eq!(old["final_url"], format!("{base}new-page"));
    assert_eq!(
        old["redirects"],
        serde_json::json!([format!("{base}moved"), format!("{base}new-page")])
    );
    assert!(
        seen(party(r, "hotjar"))
            .iter()
            .any(|s| s.0 == format!("{base}new-page"))
    );
    // A loop is detected.
    assert_eq!(
        page("loop-a")["problem"],
        "redirect loop: /loop-a -> /loop-b -> /loop-a"
    );
    // A page larger than the limit: the beginning is read, the rest is not.
    let big = page("big");
    assert_eq!(big["bytes"], 256 * 1024);
    assert!(
        big["problem"]
            .as_str()
            .unwrap()
            .starts_with("larger than 262144 bytes")
    );
    assert!(
        seen(party(r, "top-mail-ru"))
            .iter()
            .any(|s| s.0 == format!("{base}big"))
    );
    assert!(
        !r["site"]["third_parties"]
            .to_string()
            .contains("tail.tracker.example")
    );
    // A slow page times out.
    assert_eq!(
        page("slow")["problem"],
        "timed out after 1 s (--page-timeout)"
    );
    assert!(
        !r["site"]["third_parties"]
            .to_string()
            .contains("slow.tracker.example")
    );
    // Invalid UTF-8 is read with replacement characters, and said so.
    let legacy = page("legacy");
    assert_eq!(legacy["problem"], serde_json::Value::Null);
    assert!(
        legacy["note"]
            .as_str()
            .unwrap()
            .starts_with("not valid UTF-8")
    );
    let vk: Vec<String> = seen(party(r, "vk")).into_iter().map(|s| s.2).collect();
    assert_eq!(
        vk,
        ["<script src=\"https://vk.com/js/api/openapi.js?169\">"]
    );
    // The retargeting call names VK Ads (ООО «ВК»), not the widgets' operator.
    let ads = party(r, "vk-ads");
    assert_eq!(seen(ads)[0].2, "inline <script>: VK.Retargeting");
    assert!(hosts(ads).is_empty());
    // Not HTML: listed, not read.
    let pdf = page("docs/price.pdf");
    assert_eq!(pdf["html"], false);
    assert_eq!(pdf["note"], "not HTML (application/pdf): not read");
    assert!(
        !r["site"]["third_parties"]
            .to_string()
            .contains("pdf.tracker.example")
    );
    // A redirect to another site is reported, not followed.
    let partner = party(r, "example.com");
    assert_eq!(
        seen(partner)[0].2,
        "HTTP 302 redirect to https://partner.example.com/offer?ref=dialog"
    );
    assert_eq!(r["site"]["pages_not_read_in_full"], 3);
    assert_eq!(r["site"]["links_not_followed"], 0);
}

#[test]
fn never_requests_a_third_party() {
    let (_, trap_hits) = scanned();
    assert_eq!(*trap_hits, 0, "a request reached a third party (the trap)");
    // The fixture site saw page requests only: never its scripts, styles or images.
    let requests = http_site().requests();
    for r in &requests {
        assert!(r.starts_with("GET /"), "{r}");
        assert!(!r.contains("/static/"), "fetched a resource: {r}");
    }
    for path in [
        "/",
        "/about",
        "/contact",
        "/chat",
        "/old-page",
        "/moved",
        "/new-page",
        "/loop-a",
        "/loop-b",
        "/big",
        "/slow",
        "/legacy",
        "/docs/price.pdf",
        "/partner",
    ] {
        assert!(
            requests.iter().any(|r| r == &format!("GET {path}")),
            "{path} not requested: {requests:?}"
        );
    }
}

#[test]
fn the_trap_catches_requests_that_leave_the_site() {
    // The control for `never_requests_a_third_party`: a site that is not
    // 127.0.0.1 goes through the proxy, i.e. to the trap.
    let own = new_trap();
    let r = run_proxied(
        repo(),
        &[
            "scan-site",
            "http://www.google-analytics.com/",
            "--no-resolve",
            "--page-timeout",
            "2",
        ],
        own.port,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(own.hits.load(Ordering::SeqCst) > 0);
}

#[test]
fn https_with_a_private_ca() {
    let (site, ca_pem) = https_site();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ca.pem"), ca_pem).unwrap();
    let url = site.url("https");
    let r = run_trapped(
        dir.path(),
        &[
            "scan-site",
            &url,
            "--no-resolve",
            "--max-pages",
            "3",
            "--ca-cert",
            "ca.pem",
            "--format",
            "json",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let j = r.json();
    assert_eq!(j["site"]["pages"][0]["status"], 200);
    assert!(
        seen(party(&j, "google-analytics"))[0]
            .0
            .starts_with("https://127.0.0.1:")
    );

    let r = run_trapped(
        dir.path(),
        &["scan-site", &url, "--no-resolve", "--max-pages", "1"],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--ca-cert"), "{}", r.stderr);
    assert!(r.stdout.is_empty());

    std::fs::write(dir.path().join("not-a-cert.pem"), "hello").unwrap();
    let r = run_trapped(
        dir.path(),
        &["scan-site", &url, "--ca-cert", "not-a-cert.pem"],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("not-a-cert.pem: no PEM certificate"),
        "{}",
        r.stderr
    );
}

const INVENTORY: &str = "version: 1
organization: {name: ООО «Диалог Облако», country: RU}
declarations:
  third_parties: [metrica]
networks:
  - {cidr: 127.0.0.0/8, country: RU, site: test loopback}
databases:
  - {id: accounts-db, hosts: [77.88.8.8], personal_data: {categories: [phone]}}
processors:
  - {id: metrica, name: ООО «Яндекс», country: RU, hosts: [mc.yandex.ru], instruction: Оферта}
";

fn check_site(inv: &Inv, extra: &[&str]) -> Run {
    let dns = dns().to_string();
    let url = http_site().url("http");
    let mut args = vec!["check", ".", "--site", url.as_str()];
    let crawl = crawl_args(&dns);
    args.extend(crawl.iter().map(String::as_str));
    args.extend_from_slice(extra);
    run_trapped(inv.dir.path(), &args)
}

fn finding<'a>(r: &'a serde_json::Value, rule: &str, entity: &str) -> &'a serde_json::Value {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule && f["entity"] == entity)
        .unwrap_or_else(|| panic!("no {rule} for {entity}: {:#?}", findings(r)))
}

#[test]
fn check_site_reports_foreign_first_recording_and_undeclared_transfers() {
    let inv = Inv::one(INVENTORY);
    let r = check_site(&inv, &["--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let j = r.json();
    let base = http_site().url("http");

    // Google Analytics and Amplitude: unlisted, recording abroad, not notified.
    for id in ["google-analytics", "amplitude"] {
        for rule in [
            "unlisted-third-party",
            "primary-outside-ru",
            "undeclared-cross-border",
            "undeclared-third-party",
        ] {
            assert!(has(&j, rule, id), "{rule} {id}: {:#?}", findings(&j));
        }
    }
    let ga = finding(&j, "unlisted-third-party", "google-analytics");
    assert_eq!(ga["severity"], "high");
    assert!(ga["message"].as_str().unwrap().contains(&format!(
        "loaded at {base} line 8 by inline <script>: gtag('config'"
    )));
    assert!(
        ga["message_ru"]
            .as_str()
            .unwrap()
            .contains("загружается на")
    );
    assert_eq!(ga["location"]["file"], base);
    assert_eq!(ga["location"]["line"], 8);
    // The entity it was added as is an observation, not a declaration.
    assert_eq!(
        entity(&j, "google-analytics")["seen_on_site"],
        serde_json::json!({"page": base, "line": 8})
    );
    assert!(
        entity(&j, "metrica").get("seen_on_site").is_none(),
        "listed: declared"
    );
    let first = finding(&j, "primary-outside-ru", "google-analytics");
    assert_eq!(first["severity"], "critical");
    let ev: Vec<&str> = first["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    // Named by its snippet only: no host of it on the page, so its place
    // is presumed from its legal entity's country (issue 12 §1).
    assert!(
        ev.iter().any(
            |e| e.starts_with("presumed from the legal entity: Google LLC")
                && e.contains("-> US (legal-entity)")
        ),
        "{ev:#?}"
    );
    assert!(
        ev.contains(
            &format!("on the site: {base} line 8: inline <script>: gtag('config'").as_str()
        ),
        "{ev:#?}"
    );
    let amp = finding(&j, "undeclared-cross-border", "amplitude");
    assert!(
        amp["evidence"]
            .to_string()
            .contains(&format!("on the site: {base}about line 3"))
    );

    // The form posting abroad: an unknown partner that records data in DE.
    assert!(has(&j, "unlisted-third-party", "webforms.example"));
    assert!(has(&j, "primary-outside-ru", "webforms.example"));
    // Yandex Metrica matches the inventory's processor by host: its
    // observations are added there, and it is no unlisted third party.
    assert!(!has(&j, "unlisted-third-party", "yandex-metrica"));
    assert!(!has(&j, "unlisted-third-party", "metrica"));
    let metrica = entity(&j, "metrica");
    assert_eq!(metrica["personal_data"], "collects");
    assert_eq!(metrica["countries"], serde_json::json!(["RU"]));
    let link = j["site"]["third_parties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "yandex-metrica")
        .unwrap();
    assert_eq!(link["entity"], "metrica");
    assert_eq!(link["unlisted"], false);
    assert_eq!(link["matched_by"], "host mc.yandex.ru");
    // Pages that could not be read fail closed.
    for path in ["loop-a", "big", "slow"] {
        let f = finding(&j, "unscanned-page", &format!("{base}{path}"));
        assert_eq!(f["severity"], "high");
    }
    assert!(!has(&j, "unscanned-page", &format!("{base}legacy")));
    // Nothing was requested from a third party.
    assert_eq!(
        trap_hits_during(|| {
            let _ = check_site(&inv, &["--format", "json"]);
        }),
        0
    );
}

fn trap_hits_during(f: impl FnOnce()) -> usize {
    let before = trap().hits.load(Ordering::SeqCst);
    f();
    trap().hits.load(Ordering::SeqCst) - before
}

#[test]
fn the_table_report_has_a_site_section() {
    let inv = Inv::one(INVENTORY);
    let r = check_site(&inv, &[]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("Site: http://127.0.0.1:"), "{}", r.stdout);
    assert!(r.stdout.contains("UNLISTED (added as"), "{}", r.stdout);
    assert!(r.stdout.contains("(seen on the site)"), "{}", r.stdout);
    assert!(r.stdout.contains("not read in full: "), "{}", r.stdout);
    assert!(r.stdout.contains("unlisted-third-party"));
}

#[test]
fn suggest_prints_entries_that_validate_and_list_the_third_parties() {
    let inv = Inv::one(INVENTORY);
    let r = check_site(&inv, &["--suggest"]);
    assert_eq!(r.code, 1, "the gate still speaks: {}", r.stderr);
    let yaml = &r.stdout;
    assert!(yaml.starts_with("# Suggested by residency"), "{yaml}");
    assert!(yaml.contains("\nversion: 1\n"));
    // Named by its snippet only: no host is invented for it.
    assert!(yaml.contains("  - id: \"google-analytics\"\n    name: \"Google LLC (Google Analytics (GA4, Universal Analytics))\"\n    country: US\n    collects_from_subjects: true\n"), "{yaml}");
    assert!(!yaml.contains("www.google-analytics.com"), "{yaml}");
    assert!(yaml.contains("  - id: \"amplitude\""));
    assert!(yaml.contains("  - id: \"webforms.example\""));
    assert!(
        yaml.contains("    country: DE  # where its hosts are (GeoIP)"),
        "{yaml}"
    );
    assert!(!yaml.contains("id: \"metrica\"") && !yaml.contains("id: \"yandex-metrica\""));

    // Pasted into the inventory, it validates and ends every unlisted-third-party finding.
    std::fs::write(inv.dir.path().join("site.yaml"), yaml).unwrap();
    let r = check_site(&inv, &["--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let j = r.json();
    assert!(
        !findings(&j)
            .iter()
            .any(|(rule, _)| rule == "unlisted-third-party"),
        "{:#?}",
        findings(&j)
    );
    // The entries are judged as declared ones now: still recorded abroad, still not notified.
    assert!(has(&j, "primary-outside-ru", "google-analytics"));
    assert!(has(&j, "undeclared-third-party", "amplitude"));
    assert!(has(&j, "processor-without-instruction", "google-analytics"));
    let link = j["site"]["third_parties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "google-analytics")
        .unwrap();
    assert_eq!(link["matched_by"], "id google-analytics");

    // scan-site --suggest without an inventory suggests every third party.
    let dns = dns().to_string();
    let url = http_site().url("http");
    let r = run_trapped(
        inv.dir.path(),
        &[
            "scan-site",
            &url,
            "--suggest",
            "--dns",
            &dns,
            "--max-pages",
            "1",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("  - id: \"yandex-metrica\""),
        "{}",
        r.stdout
    );
}

#[test]
fn the_example_inventory_gets_the_sites_evidence() {
    let dns = dns().to_string();
    let url = http_site().url("http");
    let mut args = vec![
        "check",
        "inventory/",
        "--site",
        url.as_str(),
        "--format",
        "json",
    ];
    let crawl = crawl_args(&dns);
    args.extend(crawl.iter().map(String::as_str));
    let r = run_trapped(repo(), &args);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let j = r.json();
    // Both are in the example inventory under the catalogue's ids: matched, not unlisted.
    assert!(!has(&j, "unlisted-third-party", "google-analytics"));
    assert!(!has(&j, "unlisted-third-party", "amplitude"));
    let f = finding(&j, "primary-outside-ru", "google-analytics");
    assert!(f["evidence"].to_string().contains("on the site: "), "{f:#}");
    let hosts: Vec<String> = entity(&j, "amplitude")["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["host"].as_str().unwrap().to_string())
        .collect();
    // The CSP's api2.amplitude.com is a permission, not an observation.
    assert_eq!(hosts, ["52.34.10.10", "cdn.amplitude.com"]);
}

#[test]
fn bad_input_exits_2_with_a_message() {
    let inv = Inv::one(INVENTORY);
    for (args, msg) in [
        (
            vec!["scan-site", "ftp://example.ru/"],
            "only http:// and https://",
        ),
        (vec!["scan-site", "http://"], "not a URL"),
        (
            vec!["scan-site", "http://127.0.0.1:1/", "--no-resolve"],
            "could not read the site",
        ),
        (
            vec!["scan-site", "http://x.example/", "--max-page-size", "lots"],
            "expected a size",
        ),
        (
            vec!["scan-site", "http://x.example/", "--ca-cert", "missing.pem"],
            "--ca-cert missing.pem: no such file",
        ),
        (
            vec!["check", ".", "--site", "http://127.0.0.1:1/", "--offline"],
            "cannot be used with",
        ),
        (vec!["check", ".", "--suggest"], "--site"),
    ] {
        let r = run_trapped(inv.dir.path(), &args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(msg), "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
    }
}

/// `scan-site` of one page of the fixture site.
fn scan_page(path: &str, extra: &[&str]) -> Run {
    let dns = dns().to_string();
    let url = format!("{}{path}", http_site().url("http"));
    let mut args = vec!["scan-site", url.as_str(), "--format", "json", "--dns", &dns];
    args.extend_from_slice(&["--max-pages", "1"]);
    args.extend_from_slice(extra);
    run_trapped(repo(), &args)
}

/// `check --site` of one page of the fixture site.
fn check_page(inv: &Inv, path: &str) -> serde_json::Value {
    let dns = dns().to_string();
    let url = format!("{}{path}", http_site().url("http"));
    let args = [
        "check",
        ".",
        "--site",
        &url,
        "--dns",
        &dns,
        "--max-pages",
        "1",
        "--format",
        "json",
    ];
    let r = run_trapped(inv.dir.path(), &args);
    assert!(r.code == 0 || r.code == 1, "{}\n{}", r.stdout, r.stderr);
    r.json()
}

fn rules_for(j: &serde_json::Value, entity: &str) -> Vec<String> {
    j["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["entity"] == entity)
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_fonts_only_page_is_a_transfer_not_a_first_recording() {
    let inv = Inv::one(INVENTORY);
    let j = check_page(&inv, "fonts-only");
    let rules = rules_for(&j, "google-fonts");
    // Still a third party…
    assert!(
        rules.contains(&"unlisted-third-party".to_string()),
        "{rules:?}"
    );
    // …but Google Fonts records nothing and needs no instruction (issue 12 §2).
    assert!(
        !rules.contains(&"primary-outside-ru".to_string()),
        "{rules:?}"
    );
    assert!(
        !rules.contains(&"processor-without-instruction".to_string()),
        "{rules:?}"
    );
    // …yet it receives the visitors' IP addresses in the US: a
    // cross-border transfer to a recipient the operator must declare.
    assert!(
        rules.contains(&"undeclared-cross-border".to_string()),
        "{rules:?}"
    );
    let e = entity(&j, "google-fonts");
    assert_ne!(e["personal_data"], "collects", "{e:#}");
}

#[test]
fn recaptcha_is_an_independent_operator_without_an_instruction() {
    let inv = Inv::one(INVENTORY);
    let j = check_page(&inv, "recaptcha-only");
    let rules = rules_for(&j, "recaptcha");
    assert!(
        rules.contains(&"unlisted-third-party".to_string()),
        "{rules:?}"
    );
    assert!(
        !rules.contains(&"processor-without-instruction".to_string()),
        "{rules:?}"
    );
    // A collecting service abroad is still a first recording there.
    assert!(
        rules.contains(&"primary-outside-ru".to_string()),
        "{rules:?}"
    );
}

#[test]
fn cyrillic_comments_in_scripts_do_not_stop_the_scan() {
    let r = scan_page("cyrillic", &[]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    let j = r.json();
    assert_eq!(j["site"]["pages"][0]["problem"], serde_json::Value::Null);
    assert_eq!(hosts(party(&j, "yandex-metrica")), ["mc.yandex.ru"]);
    // The links in comments and plain strings are mentions, not contacts.
    let mentioned: Vec<&str> = j["site"]["mentioned"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["host"].as_str().unwrap())
        .collect();
    assert_eq!(mentioned, ["habr.com"], "{:#}", j["site"]);
    assert_eq!(j["site"]["third_parties"].as_array().unwrap().len(), 1);
}

#[test]
fn tilda_lazy_images_form_endpoints_hints_and_mentions() {
    let r = scan_page("tilda", &[]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let j = r.json();
    // The form's data goes where data-endpoint says: a transfer of what visitors type.
    let form = party(&j, "collector.example");
    assert_eq!(form["receives"], "form");
    assert_eq!(
        seen(form)[0].2,
        "<form data-endpoint=\"https://forms.collector.example:3554/submit/abc\">"
    );
    // The lazy image and the dns-prefetch hint are the Tilda CDN, which records nothing.
    let cdn = party(&j, "tilda-cdn");
    assert_eq!(hosts(cdn), ["static.tildacdn.info", "ws.tildacdn.com"]);
    assert_eq!(cdn["collects"], false);
    assert_eq!(
        cdn["legal_entity"],
        "АО «Тильда Паблишинг» (Tilda Publishing JSC)"
    );
    // A loader assembled from pieces is found; an article link is only mentioned.
    assert_eq!(
        seen(party(&j, "example.net"))[0].2,
        "inline <script>: https://cdn.loader.example.net/l.js"
    );
    assert_eq!(j["site"]["mentioned"][0]["host"], "news.example.org");
    assert!(
        !j["site"]["third_parties"]
            .to_string()
            .contains("news.example.org")
    );
}

#[test]
fn a_preconnect_alone_transfers_the_ip_address_only() {
    let j = scan_page("hint-only", &[]).json();
    let p = party(&j, "hinted.example");
    // Unknown (fail closed) yet only connected to: the IP address, nothing recorded.
    assert_eq!(p["receives"], "ip");
    assert_eq!(p["collects"], false);
    assert_eq!(p["seen"][0]["hint"], true);
}

#[test]
fn tracker_db_names_hosts_the_catalogue_lacks() {
    let fixtures = repo().join("tests/fixtures/site");
    for (file, host, owner, country) in [
        (
            "disconnect-services.json",
            "px.adco-cdn.example",
            "AdCo",
            serde_json::Value::Null,
        ),
        (
            "trackerdb-export.json",
            "t.pixcdn.example",
            "PixCo Ltd",
            serde_json::json!("GB"),
        ),
    ] {
        let path = fixtures.join(file);
        let r = scan_page("unknown-tracker", &["--tracker-db", path.to_str().unwrap()]);
        assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
        let j = r.json();
        let p = j["site"]["third_parties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["hosts"][0]["host"] == host)
            .unwrap_or_else(|| panic!("{host}: {:#}", j["site"]));
        assert_eq!(p["service"], serde_json::Value::Null, "not the catalogue's");
        assert_eq!(p["named_by"]["owner"], owner, "{p:#}");
        assert_eq!(p["named_by"]["country"], country);
        assert!(p["named_by"]["file"].as_str().unwrap().ends_with(file));
    }
    // Without the file, the same hosts are unknown.
    let j = scan_page("unknown-tracker", &[]).json();
    assert!(!j.to_string().contains("named_by"));
    // A file of another shape is an input error naming it.
    let bad = scan_page("unknown-tracker", &["--tracker-db", "Cargo.toml"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("--tracker-db Cargo.toml"),
        "{}",
        bad.stderr
    );
}

/// `residency init --site` (the onboarding tests are in onboarding.rs;
/// this one needs the fixture site).
#[test]
fn init_from_the_site_writes_third_parties_that_check_runs_on() {
    let tmp = tempfile::tempdir().unwrap();
    let dns = dns().to_string();
    let url = http_site().url("http");
    let r = run_trapped(
        tmp.path(),
        &[
            "init",
            "--site",
            &url,
            "--dns",
            &dns,
            "--max-pages",
            "1",
            "--out",
            "inv",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let yaml = std::fs::read_to_string(tmp.path().join("inv/third-parties.yaml")).unwrap();
    assert!(
        yaml.starts_with("# yaml-language-server: $schema=./schema.json\n# Suggested by residency"),
        "{yaml}"
    );
    assert!(yaml.contains("  - id: \"yandex-metrica\""), "{yaml}");
    assert!(yaml.contains("  - id: \"google-analytics\""), "{yaml}");
    // A party no one can place has no country to write: left to fill in,
    // commented out so that the file validates.
    assert!(
        yaml.contains("  # FIXME: write the country of its legal entity in place of XX, then uncomment:\n#   # 127.0.0.2: not in the catalogue."),
        "{yaml}"
    );
    assert!(yaml.contains("\n#   - id: \"127.0.0.2\"\n"), "{yaml}");
    assert!(
        r.stderr
            .contains("1 third party of the site could not be placed"),
        "{}",
        r.stderr
    );
    // The result validates; check judges the third parties at once.
    let r = run_trapped(
        tmp.path(),
        &["check", "inv", "--dns", &dns, "--format", "json"],
    );
    assert_eq!(r.code, 1, "{}\n{yaml}", r.stderr);
    let j = r.json();
    assert!(
        has(&j, "primary-outside-ru", "google-analytics"),
        "{}",
        r.stdout
    );
    assert!(
        has(&j, "undeclared-third-party", "yandex-metrica"),
        "{}",
        r.stdout
    );
}
