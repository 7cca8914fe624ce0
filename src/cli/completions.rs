//! `homelabcmd completions SHELL`, and the hidden `generate-docs DIR` that writes the committed
//! completions/ and man/ from the clap tree (a test checks they are current).

use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_complete::Shell;

use super::{Cli, Context};
use crate::error::Error;

/// Print a shell completion script.
///
/// bash: homelabcmd completions bash > ~/.local/share/bash-completion/completions/homelabcmd
/// zsh:  homelabcmd completions zsh > ~/.zfunc/_homelabcmd
/// fish: homelabcmd completions fish > ~/.config/fish/completions/homelabcmd.fish
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The shell
    #[arg(value_parser = ["bash", "zsh", "fish"])]
    shell: String,
}

/// Write completions/ and man/ under DIR.
#[derive(Debug, clap::Args)]
pub(crate) struct DocsArgs {
    dir: PathBuf,
}

const SHELLS: &[(Shell, &str)] = &[
    (Shell::Bash, "homelabcmd.bash"),
    (Shell::Zsh, "_homelabcmd"),
    (Shell::Fish, "homelabcmd.fish"),
];

fn script(shell: Shell) -> Vec<u8> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "homelabcmd", &mut buf);
    buf
}

pub(crate) fn run(cx: &Context, args: Args) -> Result<(), Error> {
    let shell = match args.shell.as_str() {
        "bash" => Shell::Bash,
        "zsh" => Shell::Zsh,
        _ => Shell::Fish,
    };
    cx.out.print(&String::from_utf8_lossy(&script(shell)))
}

pub(crate) fn generate_docs(args: DocsArgs) -> Result<(), Error> {
    let write = |path: &Path, bytes: &[u8]| -> Result<(), Error> {
        std::fs::write(path, bytes)
            .map_err(|e| Error::config(format!("cannot write {}: {e}", path.display())))
    };
    let completions = args.dir.join("completions");
    let man = args.dir.join("man");
    for dir in [&completions, &man] {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::config(format!("cannot create {}: {e}", dir.display())))?;
    }
    for (shell, file) in SHELLS {
        write(&completions.join(file), &script(*shell))?;
    }
    clap_mangen::generate_to(Cli::command(), &man)
        .map_err(|e| Error::config(format!("cannot write man pages: {e}")))
}
