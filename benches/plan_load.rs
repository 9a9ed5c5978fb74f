//! Plan loading alone: time and peak memory of `terraform::load` for each
//! file given, without the rest of the audit (whose reports grow with the
//! number of resources). Run by benches/terraform-scale.sh:
//! `cargo bench --bench plan-load -- FILE...`.

// A benchmark's table is its output.
#![allow(clippy::disallowed_macros)]

use std::time::Instant;

/// Peak resident set size of this process so far, in KiB (Linux).
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let files: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let base = peak_kib();
    for f in files {
        let bytes = std::fs::metadata(&f).map(|m| m.len()).unwrap_or(0);
        let start = Instant::now();
        let result = residency::terraform::load(std::path::Path::new(&f));
        let secs = start.elapsed().as_secs_f64();
        let peak = peak_kib();
        match result {
            Ok(plan) => println!(
                "{f}\t{bytes}\t{}\t{secs:.3}\t{}\t{:.2}",
                plan.resources.len(),
                peak,
                (peak.saturating_sub(base) * 1024) as f64 / bytes.max(1) as f64
            ),
            Err(d) => println!("{f}\t{bytes}\terror: {d}"),
        }
    }
}
