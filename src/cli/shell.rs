//! `residency completions SHELL` and `residency man`: shell completions
//! and the man page, generated from the same clap definitions as `--help`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::{Cli, Failure, io};

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell: bash, zsh, fish, powershell or elvish.
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Debug, Args)]
pub(crate) struct ManArgs {
    /// Write residency.1 and one page per subcommand (residency-check.1,
    /// …) into this directory instead of printing residency.1.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// The completion script for `shell`, on stdout.
pub(super) fn completions(args: &CompletionsArgs) -> Result<ExitCode, Failure> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "residency", &mut out);
    super::print(&String::from_utf8_lossy(&out));
    Ok(ExitCode::SUCCESS)
}

/// The man page (roff) on stdout, or every page into `--out`.
pub(super) fn man(args: &ManArgs) -> Result<ExitCode, Failure> {
    let cmd = Cli::command();
    match &args.out {
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .and_then(|()| clap_mangen::generate_to(cmd, dir))
                .map_err(|e| {
                    io(format!(
                        "cannot write the man pages to {}: {e}",
                        dir.display()
                    ))
                })?;
            super::note(&format!("wrote the man pages to {}", dir.display()));
        }
        None => {
            let mut out = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut out)
                .map_err(|e| io(format!("cannot render the man page: {e}")))?;
            super::print(&String::from_utf8_lossy(&out));
        }
    }
    Ok(ExitCode::SUCCESS)
}
