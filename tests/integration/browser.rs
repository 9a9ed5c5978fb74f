//! The HTML report in a real browser: Debian's headless Chromium, driven
//! over the DevTools protocol. The page must make no network request, log
//! no console error, render hostile inventory text as text, give a
//! screenshot and print to PDF.
//!
//! `UPDATE_SNAPSHOTS=1` also rewrites `reports/example.png`, the picture
//! of the example report that the README shows.
//!
//! Chromium is `$CHROMIUM`, else `chromium` or `chromium-browser` on the
//! PATH. Without one, these tests are skipped with one line on stderr that
//! says what to install, so that `cargo test` passes on a machine with only
//! the Rust toolchain; `RESIDENCY_REQUIRE_CHROMIUM=1` (set by `.ci/run`)
//! makes a missing Chromium a failure instead.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::{Message, WebSocket};

use crate::common::*;

/// A headless Chromium with its DevTools socket; killed on drop.
struct Browser {
    child: Child,
    ws: WebSocket<TcpStream>,
    next_id: u64,
    session: String,
    /// Every event received so far.
    events: Vec<Value>,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The Chromium to run, if there is one (see the module doc).
fn chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMIUM").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|n| dir.join(n)))
        .find(|p| p.is_file())
}

/// The browser for a test, or `None` (after one line on stderr per run)
/// when there is none and `RESIDENCY_REQUIRE_CHROMIUM` is not set.
fn browser() -> Option<Browser> {
    static SAID: std::sync::Once = std::sync::Once::new();
    match chromium() {
        Some(exe) => Some(Browser::launch(&exe)),
        None if std::env::var_os("RESIDENCY_REQUIRE_CHROMIUM").is_some_and(|v| v == "1") => {
            panic!(
                "RESIDENCY_REQUIRE_CHROMIUM=1 but no Chromium: install Debian's `chromium` package or set CHROMIUM=/path/to/chromium"
            )
        }
        None => {
            SAID.call_once(|| {
                // Straight to the process's stderr: the test harness
                // captures `eprintln!`, and this line must be seen.
                use std::io::Write;
                let _ = writeln!(
                    std::io::stderr(),
                    "SKIPPED the browser tests (browser::*): no Chromium found. Install it to run them (Debian/Ubuntu: `apt-get install chromium`) or set CHROMIUM=/path/to/chromium."
                );
            });
            None
        }
    }
}

impl Browser {
    fn launch(exe: &Path) -> Self {
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new(exe)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--hide-scrollbars",
                // Belt and braces: even a request that slipped through
                // could not resolve a name.
                "--host-resolver-rules=MAP * ~NOTFOUND",
                "--remote-debugging-port=0",
                "--remote-allow-origins=*",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", exe.display()));
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(url) = line.split("DevTools listening on ").nth(1) {
                    let _ = tx.send(url.trim().to_string());
                }
            }
        });
        let url = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("chromium printed its DevTools URL");
        let hostport = url
            .strip_prefix("ws://")
            .and_then(|r| r.split('/').next())
            .unwrap()
            .to_string();
        let stream = TcpStream::connect(&hostport).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let (ws, _) = tungstenite::client(url.as_str(), stream).expect("DevTools handshake");
        let mut b = Self {
            child,
            ws,
            next_id: 0,
            session: String::new(),
            events: Vec::new(),
            _profile: profile,
        };
        let target = b.browser_call("Target.createTarget", json!({"url": "about:blank"}));
        let attached = b.browser_call(
            "Target.attachToTarget",
            json!({"targetId": target["targetId"], "flatten": true}),
        );
        b.session = attached["sessionId"].as_str().unwrap().to_string();
        for domain in [
            "Page.enable",
            "Network.enable",
            "Runtime.enable",
            "Log.enable",
        ] {
            b.call(domain, json!({}));
        }
        b
    }

    fn send(&mut self, method: &str, params: Value, session: bool) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if session {
            msg["sessionId"] = self.session.clone().into();
        }
        self.ws
            .send(Message::text(msg.to_string()))
            .expect("send to DevTools");
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            assert!(Instant::now() < deadline, "{method}: no answer");
            let m = self.ws.read().expect("read from DevTools");
            let Message::Text(t) = m else { continue };
            let v: Value = serde_json::from_str(t.as_str()).unwrap();
            if v["id"] == id {
                assert!(v.get("error").is_none(), "{method}: {}", v["error"]);
                return v["result"].clone();
            }
            self.events.push(v);
        }
    }

    fn browser_call(&mut self, method: &str, params: Value) -> Value {
        self.send(method, params, false)
    }

    fn call(&mut self, method: &str, params: Value) -> Value {
        self.send(method, params, true)
    }

    /// Wait for an event with this method.
    fn wait_for(&mut self, method: &str) {
        if self.events.iter().any(|e| e["method"] == method) {
            return;
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            assert!(Instant::now() < deadline, "no {method}");
            let Message::Text(t) = self.ws.read().expect("read from DevTools") else {
                continue;
            };
            let v: Value = serde_json::from_str(t.as_str()).unwrap();
            let done = v["method"] == method;
            self.events.push(v);
            if done {
                return;
            }
        }
    }

    fn eval(&mut self, expr: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": expr, "returnByValue": true}),
        );
        r["result"]["value"].clone()
    }
}

/// Standard base64 (what DevTools returns images and PDFs in).
fn base64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let clean: Vec<u8> = s
        .bytes()
        .filter(|c| *c != b'=' && !c.is_ascii_whitespace())
        .collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let mut n: u32 = 0;
        for (i, c) in chunk.iter().enumerate() {
            n |= u32::from(val(*c)) << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}

/// Width and height of a PNG.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
    assert_eq!(&png[12..16], b"IHDR");
    let w = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(png[20..24].try_into().unwrap());
    (w, h)
}

struct Visit {
    requests: Vec<String>,
    problems: Vec<String>,
    dialogs: usize,
}

/// Open `page` in the browser and collect what it did.
fn visit(b: &mut Browser, page: &Path) -> Visit {
    b.call(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 1200, "height": 1400, "deviceScaleFactor": 1, "mobile": false}),
    );
    b.events.clear();
    let url = format!("file://{}", page.display());
    b.call("Page.navigate", json!({"url": url}));
    b.wait_for("Page.loadEventFired");
    // Anything deferred (fonts, lazy images) would start within this time.
    b.call(
        "Runtime.evaluate",
        json!({"expression": "new Promise(r => setTimeout(r, 300))", "awaitPromise": true}),
    );
    let mut requests = Vec::new();
    let mut problems = Vec::new();
    let mut dialogs = 0;
    for e in &b.events {
        match e["method"].as_str().unwrap_or("") {
            "Network.requestWillBeSent" => {
                requests.push(
                    e["params"]["request"]["url"]
                        .as_str()
                        .unwrap_or("")
                        .to_string(),
                );
            }
            "Runtime.exceptionThrown" => problems.push(e["params"].to_string()),
            "Runtime.consoleAPICalled"
                if matches!(
                    e["params"]["type"].as_str(),
                    Some("error" | "warning" | "assert")
                ) =>
            {
                problems.push(e["params"].to_string());
            }
            "Log.entryAdded" if e["params"]["entry"]["level"] == "error" => {
                problems.push(e["params"].to_string());
            }
            "Page.javascriptDialogOpening" => dialogs += 1,
            _ => {}
        }
    }
    Visit {
        requests,
        problems,
        dialogs,
    }
}

fn write_report(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let mut all = vec!["--format", "html", "--output"];
    let o = out.to_str().unwrap().to_string();
    all.push(&o);
    all.extend_from_slice(args);
    let mut cmd = vec!["check"];
    cmd.extend_from_slice(&all);
    let r = run(&cmd);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    out
}

fn assert_quiet(v: &Visit, page: &Path) {
    let own = format!("file://{}", page.display());
    let others: Vec<&String> = v.requests.iter().filter(|u| **u != own).collect();
    assert!(others.is_empty(), "the page requested {others:?}");
    assert_eq!(v.requests, [own], "exactly one request: the page itself");
    assert!(v.problems.is_empty(), "console: {:#?}", v.problems);
    assert_eq!(v.dialogs, 0, "no script ran");
}

#[test]
fn example_report_in_chromium() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(mut b) = browser() else { return };
    for lang in ["en", "ru"] {
        let page = write_report(
            tmp.path(),
            &format!("example.{lang}.html"),
            &["inventory/", "--lang", lang],
        );
        let v = visit(&mut b, &page);
        assert_quiet(&v, &page);
        let facts = b.eval(
            "JSON.stringify({svg: document.querySelectorAll('section.map svg').length,
                             boxes: document.querySelectorAll('svg g.country').length,
                             arrows: document.querySelectorAll('svg path.flow').length,
                             findings: document.querySelectorAll('article.finding:not(.waived)').length,
                             lang: document.documentElement.lang,
                             width: document.documentElement.scrollWidth,
                             title: document.querySelector('h1').textContent})",
        );
        let f: Value = serde_json::from_str(facts.as_str().unwrap()).unwrap();
        assert_eq!(f["svg"], 1);
        assert_eq!(f["boxes"], 5, "RU, DE, FI, KZ, US");
        assert!(f["arrows"].as_u64().unwrap() >= 8, "{f}");
        // One card per finding of the JSON report (waived ones are listed apart).
        let json = crate::common::run(&["check", "inventory/", "--format", "json"]).json();
        assert_eq!(f["findings"], json["findings"].as_array().unwrap().len());
        assert_eq!(f["lang"], lang);
        assert!(
            f["width"].as_u64().unwrap() <= 1200,
            "no horizontal scroll: {f}"
        );
        if lang == "ru" {
            assert!(
                f["title"]
                    .as_str()
                    .unwrap()
                    .starts_with("Аудит локализации")
            );
        }

        let shot = b.call(
            "Page.captureScreenshot",
            json!({"format": "png", "clip": {"x": 0, "y": 0, "width": 1200, "height": 1400, "scale": 1},
                   "captureBeyondViewport": true}),
        );
        let png = base64(shot["data"].as_str().unwrap());
        assert_eq!(png_size(&png), (1200, 1400));
        assert!(png.len() > 50_000, "a real picture, not a blank page");
        if lang == "en" && std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
            std::fs::write(
                Path::new(env!("CARGO_MANIFEST_DIR")).join("reports/example.png"),
                &png,
            )
            .unwrap();
        }

        let pdf = b.call(
            "Page.printToPDF",
            json!({"printBackground": true, "preferCSSPageSize": true}),
        );
        let pdf = base64(pdf["data"].as_str().unwrap());
        assert!(pdf.starts_with(b"%PDF-"), "prints to PDF");
        let pages = pdf.windows(10).filter(|w| w == b"/Type /Pag").count()
            + pdf.windows(9).filter(|w| w == b"/Type/Pag").count();
        assert!(pages >= 2, "the findings continue on later pages");
    }
    let committed =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("reports/example.png"))
            .expect("reports/example.png is committed (UPDATE_SNAPSHOTS=1 writes it)");
    assert_eq!(png_size(&committed), (1200, 1400));
}

#[test]
fn hostile_names_stay_text_in_chromium() {
    let hostile = "<img src=x onerror=alert(1)>";
    let inv = Inv::one(&format!(
        "version: 1
organization: {{name: \"</title><script>alert(2)</script>\", country: RU}}
networks:
  - {{cidr: 10.0.0.0/8, country: US, site: \"<svg onload=alert(3)>\"}}
processors:
  - id: evil
    name: \"{hostile}\"
    country: US
    hosts: [10.1.2.3]
    collects_from_subjects: true
partners:
  - id: partner
    name: \"\\\" onmouseover=\\\"alert(4)\"
    country: RU
    location: {{country: RU}}
transfers:
  - {{from: evil, to: partner, purpose: \"<b>bold</b> & <i>x</i>\"}}
"
    ));
    let page = inv.path().join("page.html");
    let r = inv.check(&["--format", "html", "--output", page.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let Some(mut b) = browser() else { return };
    let v = visit(&mut b, &page);
    assert_quiet(&v, &page);
    let facts = b.eval(
        "JSON.stringify({imgs: document.querySelectorAll('img').length,
                         scripts: document.querySelectorAll('script').length,
                         bold: document.querySelectorAll('b, i').length,
                         svgs: document.querySelectorAll('svg').length,
                         handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
                         text: document.body.innerText,
                         title: document.title})",
    );
    let f: Value = serde_json::from_str(facts.as_str().unwrap()).unwrap();
    assert_eq!(f["imgs"], 0, "the name did not become an element");
    assert_eq!(f["scripts"], 0);
    assert_eq!(f["bold"], 0);
    assert_eq!(f["svgs"], 1, "only the map");
    assert_eq!(f["handlers"], 0, "no event handler attribute anywhere");
    let text = f["text"].as_str().unwrap();
    assert!(text.contains(hostile), "shown as text");
    assert!(text.contains("<svg onload=alert(3)>"));
    assert!(
        f["title"]
            .as_str()
            .unwrap()
            .contains("</title><script>alert(2)</script>")
    );
    // The map's tooltips carry the names as text too.
    let tips =
        b.eval("[...document.querySelectorAll('svg title')].map(t => t.textContent).join('\\n')");
    assert!(tips.as_str().unwrap().contains(hostile));
    assert!(tips.as_str().unwrap().contains("<b>bold</b> & <i>x</i>"));
}
