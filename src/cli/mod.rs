//! The command line: global flags, the subcommands (one file each), and the `Context` that
//! resolves flags once into what handlers need (fleet snapshot, store, output, clock).

mod actions;
mod agent;
mod alerts;
mod apply;
mod audit;
mod check;
mod completions;
mod compliance;
mod cost;
mod db;
mod debug;
mod demo;
mod diff;
mod discover;
mod drift;
mod exec;
mod healthcheck;
mod history;
mod hosts;
mod init;
mod machines;
mod notify;
mod packs;
mod pause;
mod secrets;
mod serve;
mod status;
mod sync;
mod validate;

use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand};

use crate::error::{Error, Kind};
use crate::fleet::{self, Fleet, Snapshot, SourceOptions};
use crate::output::{Format, Output};
use crate::store::Store;

/// Manage a homelab fleet from the shell.
///
/// The fleet (machines, packs, the command whitelist) lives in a git repository as fleet.yaml
/// and packs/; homelabcmd reads it from the committed HEAD unless told otherwise.
#[derive(Debug, Parser)]
#[command(
    name = "homelabcmd",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Flags every subcommand takes.
#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// The fleet repository [default: the git repository around the current directory]
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        env = "HOMELABCMD_REPO",
        hide_env_values = true
    )]
    pub(crate) repo: Option<PathBuf>,

    /// Read the fleet at this commit, branch or tag [default: HEAD]
    #[arg(long, global = true, value_name = "REV", conflicts_with = "worktree")]
    pub(crate) rev: Option<String>,

    /// Read the fleet files on disk, with uncommitted changes, instead of a commit
    #[arg(long, global = true)]
    pub(crate) worktree: bool,

    /// The SQLite database [default: ./data/homelab.db]
    #[arg(
        long,
        global = true,
        value_name = "PATH",
        env = "HOMELAB_CMD_DATABASE_URL",
        hide_env_values = true
    )]
    pub(crate) db: Option<String>,

    /// Output format
    #[arg(short = 'o', long = "output", global = true, value_enum, default_value_t = Format::Table)]
    pub(crate) output: Format,

    /// Never colour the output (also: NO_COLOR=1)
    #[arg(long, global = true)]
    pub(crate) no_color: bool,

    /// Print less: no warnings, no summaries
    #[arg(short, long, global = true)]
    pub(crate) quiet: bool,

    /// Print more detail (repeat for more)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub(crate) verbose: u8,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    Init(init::Args),
    Validate(validate::Args),
    Status(status::Args),
    History(history::Args),
    Machines(machines::Args),
    Cost(cost::Args),
    Packs(packs::Args),
    Alerts(alerts::Args),
    Actions(actions::Args),
    Check(check::Args),
    Pause(pause::PauseArgs),
    Resume(pause::ResumeArgs),
    Diff(diff::Args),
    Apply(apply::Args),
    Sync(sync::Args),
    Compliance(compliance::Args),
    Exec(exec::Args),
    Discover(discover::Args),
    Hosts(hosts::Args),
    Audit(audit::Args),
    Notify(notify::Args),
    Serve(serve::Args),
    Healthcheck(healthcheck::Args),
    Demo(demo::Args),
    Agent(agent::Args),
    Db(db::Args),
    Secrets(secrets::Args),
    Completions(completions::Args),
    #[command(hide = true)]
    GenerateDocs(completions::DocsArgs),
    #[command(hide = true)]
    DebugFill(debug::Args),
}

/// Parse the command line and run the subcommand.
pub(crate) fn run() -> Result<(), Error> {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = e.exit_code();
            // --help and --version print to stdout and succeed; usage errors exit 2.
            e.print()?;
            return if code == 0 {
                Ok(())
            } else {
                Err(Error::new(Kind::Config, ""))
            };
        }
    };
    crate::logging::init(cli.global.verbose);
    let cx = Context::new(cli.global)?;
    match cli.command {
        Command::Init(args) => init::run(&cx, args),
        Command::Validate(args) => validate::run(&cx, args),
        Command::Status(args) => status::run(&cx, args),
        Command::History(args) => history::run(&cx, args),
        Command::Machines(args) => machines::run(&cx, args),
        Command::Cost(args) => cost::run(&cx, args),
        Command::Packs(args) => packs::run(&cx, args),
        Command::Alerts(args) => alerts::run(&cx, args),
        Command::Actions(args) => actions::run(&cx, args),
        Command::Check(args) => check::run(&cx, args),
        Command::Pause(args) => pause::pause(&cx, args),
        Command::Resume(args) => pause::resume(&cx, args),
        Command::Diff(args) => diff::run(&cx, args),
        Command::Apply(args) => apply::run(&cx, args),
        Command::Sync(args) => sync::run(&cx, args),
        Command::Compliance(args) => compliance::run(&cx, args),
        Command::Exec(args) => exec::run(&cx, args),
        Command::Discover(args) => discover::run(&cx, args),
        Command::Hosts(args) => hosts::run(&cx, args),
        Command::Audit(args) => audit::run(&cx, args),
        Command::Notify(args) => notify::run(&cx, args),
        Command::Serve(args) => serve::run(&cx, args),
        Command::Healthcheck(args) => healthcheck::run(&cx, args),
        Command::Demo(args) => demo::run(&cx, args),
        Command::Agent(args) => agent::run(&cx, args),
        Command::Db(args) => db::run(&cx, args),
        Command::Secrets(args) => secrets::run(&cx, args),
        Command::Completions(args) => completions::run(&cx, args),
        Command::GenerateDocs(args) => completions::generate_docs(args),
        Command::DebugFill(args) => debug::run(&cx, args),
    }
}

/// Everything handlers need, resolved once from the global flags.
#[derive(Debug)]
pub(crate) struct Context {
    pub(crate) out: Output,
    source: SourceOptions,
    db: PathBuf,
    cwd: PathBuf,
    /// secrets.yaml, decrypted lazily (by `secret`) at most once.
    secrets: std::cell::OnceCell<Result<crate::secrets::Secrets, String>>,
}

impl Context {
    fn new(global: GlobalArgs) -> Result<Self, Error> {
        let cwd = std::env::current_dir()
            .map_err(|e| Error::config(format!("cannot read the current directory: {e}")))?;
        Ok(Self {
            out: Output::new(global.output, global.no_color, global.quiet, global.verbose),
            source: SourceOptions {
                repo: global.repo,
                rev: global.rev,
                worktree: global.worktree,
            },
            db: db_path(global.db.as_deref()),
            cwd,
            secrets: std::cell::OnceCell::new(),
        })
    }

    pub(crate) fn cwd(&self) -> &Path {
        &self.cwd
    }

    pub(crate) fn source(&self) -> &SourceOptions {
        &self.source
    }

    pub(crate) fn db(&self) -> &Path {
        &self.db
    }

    /// The directory holding the database (and the hub's key).
    pub(crate) fn data_dir(&self) -> &Path {
        self.db
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    }

    /// Open the fleet repository (at the commit, or the work tree) without reading it.
    pub(crate) fn snapshot(&self) -> Result<Snapshot, Error> {
        Ok(Snapshot::open(&self.source, &self.cwd)?)
    }

    /// Read and validate the fleet; warn when the work tree differs from the commit read.
    /// The work-tree check (a `git status`) runs on a second thread while the fleet loads.
    pub(crate) fn fleet(&self) -> Result<(Snapshot, Fleet), Error> {
        let snapshot = self.snapshot()?;
        let check = (!self.out.quiet)
            .then(|| snapshot.dirty_check(fleet::TRACKED_PATHS))
            .flatten();
        let (loaded, dirty) = std::thread::scope(|scope| {
            let dirty = check.map(|c| scope.spawn(move || c.run()));
            let loaded = fleet::load(&snapshot);
            (
                loaded,
                dirty.and_then(|t| t.join().ok()).unwrap_or_default(),
            )
        });
        self.warn_dirty(&snapshot, &dirty);
        Ok((snapshot, loaded?))
    }

    fn warn_dirty(&self, snapshot: &Snapshot, dirty: &[String]) {
        if dirty.is_empty() {
            return;
        }
        let mut names = dirty.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
        if dirty.len() > 5 {
            names.push_str(&format!(" and {} more", dirty.len() - 5));
        }
        let verb = if dirty.len() == 1 {
            "differs"
        } else {
            "differ"
        };
        self.out.warn(
            &format!(
                "{names} {verb} in the work tree from {}; reading the commit",
                snapshot.describe()
            ),
            &["pass --worktree to read the uncommitted files, or commit them"],
        );
    }

    /// The store, created if missing.
    pub(crate) fn store(&self) -> Result<Store, Error> {
        Ok(Store::open(&self.db)?)
    }

    /// The store if it exists: read-only commands never create one.
    pub(crate) fn existing_store(&self) -> Result<Option<Store>, Error> {
        Ok(Store::open_existing(&self.db)?)
    }

    /// The pinned host keys of the fleet, from the same commit (or work tree) as the fleet.
    pub(crate) fn known_hosts(
        &self,
        snapshot: &Snapshot,
    ) -> crate::remote::known_hosts::KnownHosts {
        let (known, bad) = crate::remote::known_hosts::KnownHosts::from_snapshot(snapshot);
        if !bad.is_empty() {
            let lines: Vec<String> = bad.iter().map(|n| n.to_string()).collect();
            self.out.warn(
                &format!(
                    "known_hosts: line {} is not `HOST KEYTYPE KEY`; ignored",
                    lines.join(", ")
                ),
                &[],
            );
        }
        known
    }

    /// A decrypted secret (an SSH key, a sudo password) from the snapshot's secrets.yaml.
    /// The secrets file is read once per command, on the first use.
    pub(crate) fn secret(
        &self,
        snapshot: &Snapshot,
        name: &str,
    ) -> Result<std::sync::Arc<String>, crate::remote::RemoteError> {
        crate::secrets::for_ssh(&self.secrets, snapshot, name)
    }

    /// Now, in unix seconds (fixed by `HOMELABCMD_NOW` in tests).
    pub(crate) fn now(&self) -> i64 {
        crate::clock::now().as_second()
    }
}

/// Hold the fleet lock (beside the database) so that two `diff` or `apply` runs — say, cron
/// and a person — never work on the machines at once. Released when the file is dropped.
pub(crate) fn lock(cx: &Context) -> Result<std::fs::File, Error> {
    use crate::compliance::lock::{LockError, hold};
    hold(cx.data_dir()).map_err(|e| match &e {
        LockError::Busy(path) => Error::new(Kind::Partial, e.to_string()).hint(format!(
            "it holds {}; try again when it is done",
            path.display()
        )),
        LockError::Io { .. } => Error::config(e.to_string()),
    })
}

/// A tokio runtime for commands that talk to machines (two worker threads: the machine has two
/// cores and the work is I/O).
pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::config(format!("cannot start the async runtime: {e}")))
}

/// `--db` / `HOMELAB_CMD_DATABASE_URL` accept a path or the PRD's `sqlite:///path` URL.
fn db_path(value: Option<&str>) -> PathBuf {
    let value = value
        .filter(|v| !v.is_empty())
        .unwrap_or("./data/homelab.db");
    let path = value
        .strip_prefix("sqlite:///")
        .or_else(|| value.strip_prefix("sqlite://"))
        .or_else(|| value.strip_prefix("sqlite:"))
        .unwrap_or(value);
    PathBuf::from(path)
}

/// Find a machine by id, or say which ids exist.
pub(crate) fn machine<'f>(fleet: &'f Fleet, id: &str) -> Result<&'f fleet::Machine, Error> {
    fleet.machine(id).ok_or_else(|| {
        let ids: Vec<&str> = fleet.machines.iter().map(|m| m.id.as_str()).collect();
        Error::config(format!("unknown machine `{id}`"))
            .hint(fleet::diagnostic::suggest(id, "machines", &ids))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls() {
        assert_eq!(db_path(None), PathBuf::from("./data/homelab.db"));
        assert_eq!(
            db_path(Some("sqlite:///./data/x.db")),
            PathBuf::from("./data/x.db")
        );
        assert_eq!(
            db_path(Some("sqlite:////var/lib/h.db")),
            PathBuf::from("/var/lib/h.db")
        );
        assert_eq!(db_path(Some("/tmp/h.db")), PathBuf::from("/tmp/h.db"));
    }

    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
