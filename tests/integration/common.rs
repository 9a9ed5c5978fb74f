//! Test harness: run the built binary, write inventories to temp dirs, and
//! serve DNS zones from a real authoritative server (hickory-server) on
//! loopback.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, OnceLock};

use hickory_server::Server;
use hickory_server::proto::rr::LowerName;
use hickory_server::proto::serialize::txt::Parser;
use hickory_server::store::in_memory::InMemoryZoneHandler;
use hickory_server::zone_handler::{AxfrPolicy, Catalog, ZoneHandler, ZoneType};

pub const BIN: &str = env!("CARGO_BIN_EXE_residency");

/// A run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stderr without the source snippets of diagnostics: the gutter lines
    /// (`  |`, `5 | text`, ` ::: file:line:column`) and the empty line after
    /// each snippet go, `= help:` keeps its usual indent. What a diagnostic
    /// says, for tests of the message rather than the snippet.
    pub fn stderr_messages(&self) -> String {
        let mut out = String::new();
        for line in self.stderr.lines() {
            let t = line.trim_start();
            let gutter = t.starts_with('|')
                || t.starts_with(":::")
                || t.split_once(" |")
                    .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            if gutter || t.is_empty() {
                continue;
            }
            if t.starts_with("= ") {
                out.push_str("  ");
                out.push_str(t);
            } else {
                out.push_str(line);
            }
            out.push('\n');
        }
        out
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", self.stdout, self.stderr))
    }
}

/// Run `residency ARGS` in `dir` with a scrubbed environment.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out: Output = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("SOURCE_DATE_EPOCH", "1795564800")
        .env("NO_COLOR", "1")
        .output()
        .expect("run residency");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Run in the repository root.
pub fn run(args: &[&str]) -> Run {
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// A temporary inventory directory.
pub struct Inv {
    pub dir: tempfile::TempDir,
}

impl Inv {
    pub fn new(files: &[(&str, &str)]) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        for (name, text) in files {
            let p = dir.path().join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        Self { dir }
    }

    pub fn one(text: &str) -> Self {
        Self::new(&[("inventory.yaml", text)])
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    /// `residency check <dir> ARGS...` from inside the temp dir (so paths
    /// in messages are relative: `inv/…`).
    pub fn check(&self, args: &[&str]) -> Run {
        let mut all = vec!["check", "."];
        all.extend_from_slice(args);
        run_in(self.dir.path(), &all)
    }

    pub fn check_json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["--format", "json"];
        all.extend_from_slice(args);
        let r = self.check(&all);
        assert!(r.code == 0 || r.code == 1, "exit {}: {}", r.code, r.stderr);
        r.json()
    }
}

/// (rule, entity) of every finding of a JSON report.
pub fn findings(report: &serde_json::Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["entity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

pub fn has(report: &serde_json::Value, rule: &str, entity: &str) -> bool {
    findings(report)
        .iter()
        .any(|(r, e)| r == rule && e == entity)
}

pub fn entity<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("no entity {id}"))
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime")
    })
}

/// A UDP socket and a TCP listener on the same free loopback port (the
/// UDP port the OS picks may be taken for TCP: try again).
pub async fn bind_pair() -> (tokio::net::UdpSocket, tokio::net::TcpListener) {
    for _ in 0..50 {
        let udp = tokio::net::UdpSocket::bind("127.0.0.1:0")
            .await
            .expect("udp");
        if let Ok(tcp) = tokio::net::TcpListener::bind(udp.local_addr().unwrap()).await {
            return (udp, tcp);
        }
    }
    panic!("no free port for UDP and TCP together");
}

/// Run a future on the shared test runtime (servers spawned in it keep
/// running for the rest of the test process).
pub fn runtime_block_on<F: std::future::Future>(f: F) -> F::Output {
    runtime().block_on(f)
}

/// Serve an RFC 1035 zone (with $ORIGIN and SOA) on 127.0.0.1, UDP and TCP,
/// on a free port, for the rest of the test process.
pub fn serve_zone(zone_text: &str) -> SocketAddr {
    let zone_text = zone_text.to_string();
    runtime().block_on(async move {
        let (origin, records) = Parser::new(&zone_text, None, None)
            .parse()
            .expect("zone parses");
        let zone = InMemoryZoneHandler::<hickory_server::net::runtime::TokioRuntimeProvider>::new(
            origin.clone(),
            records,
            ZoneType::Primary,
            AxfrPolicy::Deny,
        )
        .expect("zone");
        let mut catalog = Catalog::new();
        catalog.upsert(
            LowerName::from(&origin),
            vec![Arc::new(zone) as Arc<dyn ZoneHandler>],
        );
        let (udp, tcp) = bind_pair().await;
        let addr = udp.local_addr().unwrap();
        let mut server = Server::new(catalog);
        server.register_socket(udp);
        server.register_listener(tcp, std::time::Duration::from_secs(5), 64);
        // The server lives as long as the test process.
        Box::leak(Box::new(server));
        addr
    })
}

/// The test zone: addresses chosen so the bundled GeoIP database places
/// them (77.88.8.8 RU, 52.57.0.1 DE, 8.8.8.8 US, 65.21.1.1 FI, …).
pub const ZONE: &str = r#"
$ORIGIN audit.test.
$TTL 300
@        IN SOA ns.audit.test. admin.audit.test. 1 3600 600 86400 60
@        IN NS  ns.audit.test.
ns       IN A   127.0.0.1
ru-db    IN A   77.88.8.8
de-db    IN A   52.57.0.1
us-api   IN A   8.8.8.8
v6only   IN AAAA 2a02:6b8::feed:ff
dual     IN A   77.88.8.8
dual     IN AAAA 2a02:6b8::feed:ff
split    IN A   77.88.8.8
split    IN AAAA 2001:4860:4860::8888
www      IN CNAME alias1
alias1   IN CNAME lb
lb       IN A   65.21.1.1
private  IN A   10.10.1.5
dangling IN CNAME gone
"#;

/// Every `.rs` file below `dir`, appended to `out`.
pub fn rust_sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}
