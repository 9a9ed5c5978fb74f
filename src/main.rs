//! The `residency` binary: see [`residency::cli`].

fn main() -> std::process::ExitCode {
    residency::cli::main()
}
