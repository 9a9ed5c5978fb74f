//! The `residency` binary: see [`residency::cli`].

/// A large audit allocates millions of small strings and vectors; mimalloc
/// (as ruff uses) takes less time and memory for them than the system
/// allocator (`benches/scale.sh`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    residency::cli::main()
}
