//! A DNS server on loopback that misbehaves on purpose, and what `check`
//! does with each fault: finish within timeout × attempts, mark only the
//! affected hosts unknown with the reason, never panic, never guess.
//!
//! The server answers by the first label of the query name:
//! `ok` → A 77.88.8.8 (RU); `de` → A 52.57.0.1 (DE); `silent` → no answer;
//! `servfail`, `refused` → that rcode; `trunc` → TC over UDP, the answer
//! over TCP; `slow` → the answer after 400 ms; `loopa`/`loopb` → a CNAME
//! loop; `longN` → CNAME to `long(N+1)` up to 20 hops; `garbage` → bytes
//! that are not a DNS message; `stray` → CNAME to `strayt`, whose answer is
//! a CNAME for some *other* name; `dripN` → after 300 ms, CNAME to
//! `drip(N+1)` up to 15, then A (a slow walk past the per-name deadline).
//! Anything else → NXDOMAIN.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use hickory_server::proto::op::{Message, OpCode, ResponseCode};
use hickory_server::proto::rr::rdata::{A, CNAME};
use hickory_server::proto::rr::{Name, RData, Record, RecordType};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::*;

const ZONE: &str = "fault.test";

/// What the server was asked, for assertions on retries and fallbacks.
#[derive(Default)]
pub struct Counters {
    pub udp: AtomicUsize,
    pub tcp: AtomicUsize,
}

fn label(q: &Message) -> String {
    q.queries
        .first()
        .map(|q| q.name().to_string())
        .unwrap_or_default()
        .split('.')
        .next()
        .unwrap_or("")
        .to_string()
}

enum Reply {
    None,
    Bytes(Vec<u8>),
}

async fn answer(query: &[u8], tcp: bool) -> Reply {
    let Ok(q) = Message::from_vec(query) else {
        return Reply::None;
    };
    let mut r = Message::response(q.metadata.id, OpCode::Query);
    r.metadata.authoritative = true;
    r.queries = q.queries.clone();
    let qname = q
        .queries
        .first()
        .map(|q| q.name().clone())
        .unwrap_or_else(Name::root);
    let qtype = q.queries.first().map_or(RecordType::A, |q| q.query_type());
    let zone = |l: &str| Name::from_ascii(format!("{l}.{ZONE}.")).unwrap();
    let cname = |to: &str| Record::from_rdata(qname.clone(), 60, RData::CNAME(CNAME(zone(to))));
    let a = |ip: Ipv4Addr| Record::from_rdata(qname.clone(), 60, RData::A(A(ip)));
    let l = label(&q);
    match l.as_str() {
        "silent" => return Reply::None,
        "garbage" => return Reply::Bytes(vec![0xde, 0xad, 0xbe, 0xef, 0x00, 0x01]),
        "servfail" => r.metadata.response_code = ResponseCode::ServFail,
        "refused" => r.metadata.response_code = ResponseCode::Refused,
        "trunc" if !tcp => r.metadata.truncation = true,
        "slow" => {
            tokio::time::sleep(Duration::from_millis(400)).await;
            if qtype == RecordType::A {
                r.answers.push(a(Ipv4Addr::new(77, 88, 8, 8)));
            }
        }
        "ok" | "trunc" if qtype == RecordType::A => r.answers.push(a(Ipv4Addr::new(77, 88, 8, 8))),
        "de" if qtype == RecordType::A => r.answers.push(a(Ipv4Addr::new(52, 57, 0, 1))),
        "ok" | "trunc" | "de" => {}
        "stray" => r.answers.push(cname("strayt")),
        "strayt" => r.answers.push(Record::from_rdata(
            zone("elsewhere"),
            60,
            RData::CNAME(CNAME(zone("ok"))),
        )),
        l if l.starts_with("drip") => {
            tokio::time::sleep(Duration::from_millis(300)).await;
            let n: u32 = l[4..].parse().unwrap_or(0);
            if n < 15 {
                r.answers.push(cname(&format!("drip{}", n + 1)));
            } else if qtype == RecordType::A {
                r.answers.push(a(Ipv4Addr::new(77, 88, 8, 8)));
            }
        }
        "loopa" => r.answers.push(cname("loopb")),
        "loopb" => r.answers.push(cname("loopa")),
        l if l.starts_with("long") => {
            let n: u32 = l[4..].parse().unwrap_or(0);
            if n < 20 {
                r.answers.push(cname(&format!("long{}", n + 1)));
            } else if qtype == RecordType::A {
                r.answers.push(a(Ipv4Addr::new(77, 88, 8, 8)));
            }
        }
        _ => r.metadata.response_code = ResponseCode::NXDomain,
    }
    Reply::Bytes(r.to_vec().unwrap())
}

/// Start the faulty server on 127.0.0.1 (UDP and TCP, same port).
pub fn faulty_server() -> (SocketAddr, Arc<Counters>) {
    let counters = Arc::new(Counters::default());
    let c = counters.clone();
    let addr = runtime_block_on(async move {
        let (udp, tcp) = bind_pair().await;
        let udp = Arc::new(udp);
        let addr = udp.local_addr().unwrap();
        let (uc, tc) = (c.clone(), c);
        tokio::spawn(async move {
            let mut buf = vec![0u8; 4096];
            loop {
                let Ok((n, peer)) = udp.recv_from(&mut buf).await else {
                    return;
                };
                uc.udp.fetch_add(1, Ordering::Relaxed);
                let query = buf[..n].to_vec();
                let udp = udp.clone();
                tokio::spawn(async move {
                    if let Reply::Bytes(b) = answer(&query, false).await {
                        let _ = udp.send_to(&b, peer).await;
                    }
                });
            }
        });
        tokio::spawn(async move {
            loop {
                let Ok((mut s, _)) = tcp.accept().await else {
                    return;
                };
                tc.tcp.fetch_add(1, Ordering::Relaxed);
                tokio::spawn(async move {
                    loop {
                        let mut len = [0u8; 2];
                        if s.read_exact(&mut len).await.is_err() {
                            return;
                        }
                        let mut q = vec![0u8; u16::from_be_bytes(len) as usize];
                        if s.read_exact(&mut q).await.is_err() {
                            return;
                        }
                        if let Reply::Bytes(b) = answer(&q, true).await {
                            let _ = s.write_all(&(b.len() as u16).to_be_bytes()).await;
                            let _ = s.write_all(&b).await;
                        }
                    }
                });
            }
        });
        addr
    });
    (addr, counters)
}

fn inventory(hosts: &[&str]) -> Inv {
    let mut y = String::from("version: 1\ndatabases:\n");
    for (i, h) in hosts.iter().enumerate() {
        y.push_str(&format!(
            "  - {{id: db{i}, hosts: [\"{h}.{ZONE}\"], personal_data: {{}}}}\n"
        ));
    }
    Inv::one(&y)
}

/// Run check against the faulty server with 0.5 s × 2 tries; the bound per
/// name is 2 × (0.5 × 2 + 0.1) = 2.2 s; one name at a time makes the whole
/// run's bound names × 2.2 s (plus start-up).
fn check_faulty(hosts: &[&str]) -> (serde_json::Value, Duration) {
    let (addr, _) = faulty_server();
    let inv = inventory(hosts);
    let start = Instant::now();
    let r = inv.check(&[
        "--dns",
        &addr.to_string(),
        "--timeout",
        "0.5",
        "--attempts",
        "2",
        "--format",
        "json",
    ]);
    let took = start.elapsed();
    assert!(r.code == 0 || r.code == 1, "exit {}: {}", r.code, r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    (r.json(), took)
}

fn host_of(r: &serde_json::Value, i: usize) -> &serde_json::Value {
    &entity(r, &format!("db{i}"))["hosts"][0]
}

fn assert_unknown(r: &serde_json::Value, i: usize, reason: &str) {
    let h = host_of(r, i);
    let err = h["error"]
        .as_str()
        .unwrap_or_else(|| panic!("db{i} has no error: {h}"));
    assert!(
        err.contains(reason),
        "db{i}: expected `{reason}` in `{err}`"
    );
    assert!(
        has(r, "location-unknown", &format!("db{i}")),
        "db{i} is location-unknown"
    );
    assert_eq!(
        entity(r, &format!("db{i}"))["countries"],
        serde_json::json!([]),
        "nothing guessed"
    );
}

fn assert_resolved(r: &serde_json::Value, i: usize, country: &str) {
    let h = host_of(r, i);
    assert_eq!(h["error"], serde_json::Value::Null, "db{i}: {h}");
    assert_eq!(
        entity(r, &format!("db{i}"))["countries"],
        serde_json::json!([country]),
        "db{i}"
    );
}

#[test]
fn no_answer_times_out_within_the_bound() {
    let (r, took) = check_faulty(&["silent", "ok"]);
    assert_unknown(&r, 0, "timeout");
    assert_resolved(&r, 1, "RU");
    assert!(took < Duration::from_secs(2 * 3 + 5), "took {took:?}");
}

#[test]
fn servfail_and_refused_are_reported_as_such() {
    let (r, _) = check_faulty(&["servfail", "refused", "de"]);
    assert_unknown(&r, 0, "SERVFAIL");
    assert_unknown(&r, 1, "REFUSED");
    assert_resolved(&r, 2, "DE");
    assert!(has(&r, "primary-outside-ru", "db2"));
}

#[test]
fn truncated_udp_falls_back_to_tcp() {
    let (addr, counters) = faulty_server();
    let inv = inventory(&["trunc"]);
    let r = inv.check(&[
        "--dns",
        &addr.to_string(),
        "--timeout",
        "1",
        "--format",
        "json",
    ]);
    let r = r.json();
    assert_resolved(&r, 0, "RU");
    assert!(counters.tcp.load(Ordering::Relaxed) >= 1, "TCP was used");
}

#[test]
fn a_slow_answer_within_the_timeout_is_used() {
    let (r, _) = check_faulty(&["slow"]);
    assert_resolved(&r, 0, "RU");
}

#[test]
fn cname_loop_and_overlong_chain_are_unknown() {
    let (r, took) = check_faulty(&["loopa", "long0", "ok"]);
    assert_unknown(&r, 0, "DNS");
    assert_unknown(&r, 1, "DNS");
    assert_resolved(&r, 2, "RU");
    assert!(took < Duration::from_secs(3 * 3 + 5), "took {took:?}");
    let chain = host_of(&r, 1)["chain"].as_array().unwrap().len();
    assert!(
        chain > 1,
        "the chain up to the failure is kept: {}",
        host_of(&r, 1)
    );
}

#[test]
fn malformed_answers_are_unknown() {
    let (r, took) = check_faulty(&["garbage", "ok"]);
    assert_unknown(&r, 0, "DNS");
    assert_resolved(&r, 1, "RU");
    assert!(took < Duration::from_secs(2 * 3 + 5), "took {took:?}");
}

#[test]
fn retries_are_bounded() {
    // A silent name with 3 attempts: at most 3 tries each of A and AAAA
    // (no retry storm), and the run ends within its bound.
    let (addr, counters) = faulty_server();
    let inv = inventory(&["silent"]);
    let start = Instant::now();
    let r = inv.check(&[
        "--dns",
        &addr.to_string(),
        "--timeout",
        "0.3",
        "--attempts",
        "3",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 1);
    assert!(start.elapsed() < Duration::from_secs(2 * 2 + 5));
    let udp = counters.udp.load(Ordering::Relaxed);
    assert!(
        (2..=6).contains(&udp),
        "{udp} UDP queries for one silent name"
    );
    assert_eq!(r.json()["resolution"]["queries"], 6);
}

#[test]
fn fault_reasons_are_specific() {
    let (r, _) = check_faulty(&["loopa", "long0", "garbage", "silent"]);
    let errs: Vec<String> = (0..4)
        .map(|i| host_of(&r, i)["error"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(errs[0].contains("loop"), "{}", errs[0]);
    assert!(errs[1].contains("longer than 16"), "{}", errs[1]);
    // hickory drops undecodable replies and keeps waiting: a malformed
    // answer ends as a timeout.
    assert!(errs[2].contains("timeout"), "{}", errs[2]);
    assert!(errs[3].contains("timeout"), "{}", errs[3]);
}

/// `check` with a hard deadline: a hang fails the test instead of stalling it.
fn check_within(hosts: &[&str], limit: Duration) -> (serde_json::Value, Duration) {
    let (addr, _) = faulty_server();
    let inv = inventory(hosts);
    let start = Instant::now();
    let mut child = std::process::Command::new(BIN)
        .args(["check", ".", "--dns", &addr.to_string()])
        .args(["--timeout", "0.5", "--attempts", "2", "--format", "json"])
        .current_dir(inv.path())
        .env_clear()
        .env("SOURCE_DATE_EPOCH", "1795564800")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run residency");
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("check of {hosts:?} still running after {limit:?}: a hang");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let took = start.elapsed();
    let out = child.wait_with_output().expect("output");
    let code = out.status.code().unwrap_or(-1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(code == 0 || code == 1, "exit {code}: {stderr}");
    let json = serde_json::from_slice(&out.stdout).expect("JSON report");
    (json, took)
}

#[test]
fn a_cname_target_answered_for_another_name_ends_instead_of_spinning() {
    // Before: the walk re-read the cached answer for `strayt` forever at
    // 100 % of a core, and --timeout did not apply.
    let (r, _) = check_within(&["stray", "ok"], Duration::from_secs(20));
    assert_unknown(&r, 0, "some other name");
    assert_eq!(
        host_of(&r, 0)["chain"],
        serde_json::json!(["stray.fault.test", "strayt.fault.test"])
    );
    assert_resolved(&r, 1, "RU");
}

#[test]
fn a_slow_long_chain_stops_at_the_per_name_deadline() {
    // 16 hops of 300 ms each (4.8 s) against a deadline of
    // 2 × (0.5 × 2 + 0.1) = 2.2 s: the name is unknown, the run ends.
    let (r, took) = check_within(&["drip0", "ok"], Duration::from_secs(30));
    assert_unknown(&r, 0, "deadline of 2.2 s");
    assert_resolved(&r, 1, "RU");
    assert!(took < Duration::from_secs(2 + 4), "took {took:?}");
}

#[test]
fn help_states_the_resolution_deadline() {
    let r = run(&["check", "--help"]);
    let text = r.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("⌈names ÷ concurrency⌉ × that + 1 s"),
        "{}",
        r.stdout
    );
}
