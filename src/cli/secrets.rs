//! `homelabcmd secrets`: init, set, get, list, rm, recipients add|rm. Values come from stdin or
//! a prompt that does not echo, never from the command line, and are printed only by
//! `get --reveal`.

use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use age::secrecy::zeroize::Zeroizing;
use serde::Serialize;

use super::Context;
use crate::error::{Error, Kind};
use crate::fleet::{Snapshot, SourceOptions};
use crate::output::Table;
use crate::secrets::{self, Change, Editor, Origin, SecretError, Secrets};

/// Keep secrets encrypted in the fleet repository, for fleet.yaml's `secret:NAME`
///
/// secrets.yaml, beside fleet.yaml, lists the recipients (age public keys) and the secrets:
/// names in clear, each value encrypted with age on its own. These commands read and change
/// secrets.yaml in the work tree, for you to commit; with --rev, `get` and `list` read a
/// commit. The identity that decrypts is HOMELABCMD_ENCRYPTION_KEY (an AGE-SECRET-KEY-1…
/// string) if set, else $XDG_CONFIG_HOME/homelabcmd/identity.txt
/// (~/.config/homelabcmd/identity.txt).
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: SecretsCommand,
}

#[derive(Debug, clap::Subcommand)]
enum SecretsCommand {
    /// Create an age identity (unless there is one) and secrets.yaml with it as recipient
    ///
    /// The identity file is written with mode 0600 outside the repository; back it up.
    /// Neither file is ever overwritten: with an existing secrets.yaml, init only makes sure
    /// there is an identity and tells how to be added as a recipient.
    Init {
        /// A name for this identity among the recipients, e.g. you@laptop
        #[arg(long)]
        name: Option<String>,
    },
    /// Encrypt a value as NAME: read from stdin, or asked for twice (not echoed) on a terminal
    ///
    /// There is no value argument: command lines end up in shell history and `ps`. A value of
    /// one line loses its final line ending (what `echo` adds); a value of several lines (a
    /// private key) is kept exactly. Other secrets are left byte for byte as they were.
    Set {
        /// The secret's name, as fleet.yaml refers to it (`secret:NAME`)
        name: String,
        /// Not accepted: the value comes from stdin or the prompt, never from here
        #[arg(hide = true, value_name = "NO_VALUE_HERE")]
        stray: Vec<String>,
    },
    /// Tell whether NAME is set; print its value with --reveal
    Get {
        /// The secret's name
        name: String,
        /// Decrypt and print the value to stdout, as it is (plus a newline on a terminal)
        #[arg(long)]
        reveal: bool,
    },
    /// List the secrets' names and the recipients (no values)
    List,
    /// Remove the secret NAME
    Rm {
        /// The secret's name
        name: String,
    },
    /// Add or remove a recipient; every value is re-encrypted to the new set
    Recipients {
        #[command(subcommand)]
        command: RecipientsCommand,
    },
}

#[derive(Debug, clap::Subcommand)]
enum RecipientsCommand {
    /// Let another age identity decrypt: re-encrypt every value to it too
    ///
    /// Your own identity must be able to decrypt every value.
    Add {
        /// Its public key, age1… (`age-keygen -y IDENTITY` prints it)
        key: String,
        /// A name for it among the recipients, e.g. alex@desktop
        #[arg(long)]
        name: Option<String>,
    },
    /// Stop encrypting to a recipient: re-encrypt every value to the others
    ///
    /// The last recipient cannot be removed. Git history still holds what it could read:
    /// change those secrets themselves if it must lose them.
    Rm {
        /// The recipient's name or public key
        key_or_name: String,
    },
}

pub(crate) fn run(cx: &Context, args: Args) -> Result<(), Error> {
    match args.command {
        SecretsCommand::Init { name } => init(cx, name.as_deref()),
        SecretsCommand::Set { name, stray } => set(cx, &name, &stray),
        SecretsCommand::Get { name, reveal } => get(cx, &name, reveal),
        SecretsCommand::List => list(cx),
        SecretsCommand::Rm { name } => rm(cx, &name),
        SecretsCommand::Recipients { command } => match command {
            RecipientsCommand::Add { key, name } => recipients_add(cx, &key, name.as_deref()),
            RecipientsCommand::Rm { key_or_name } => recipients_rm(cx, &key_or_name),
        },
    }
}

const NEXT: &str = "Next: commit secrets.yaml (homelabcmd reads the committed fleet).\n";

/// The fleet directory in the work tree, for commands that change secrets.yaml.
fn worktree(cx: &Context, command: &'static str) -> Result<PathBuf, Error> {
    if cx.source().rev.is_some() {
        return Err(SecretError::ReadOnlyRev(command).into());
    }
    let opts = SourceOptions {
        worktree: true,
        ..cx.source().clone()
    };
    Ok(Snapshot::open(&opts, cx.cwd())?.root().to_path_buf())
}

/// The snapshot `get` and `list` read: the work tree, or the commit --rev names.
fn snapshot(cx: &Context) -> Result<Snapshot, Error> {
    let opts = SourceOptions {
        worktree: cx.source().rev.is_none(),
        ..cx.source().clone()
    };
    Ok(Snapshot::open(&opts, cx.cwd())?)
}

/// A path as the operator would type it: relative to the current directory when inside it.
fn shown(cx: &Context, path: &Path) -> String {
    path.strip_prefix(cx.cwd())
        .ok()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Record a change of the secrets (never a value) in the audit trail.
fn audit(cx: &Context, name: &str, command: String) -> Result<(), Error> {
    let record = crate::audit::AuditRecord {
        action: crate::audit::Action::Secret,
        machine: None,
        name: name.to_string(),
        command: crate::audit::Redacted::new(command),
        exit_code: None,
        duration: None,
        output: crate::audit::CapturedOutput::new(),
        fleet_commit: None, // a change in the work tree, not yet committed
    };
    cx.store()?
        .audit_append(&record, cx.now(), &crate::audit::local_user())?;
    Ok(())
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn init(cx: &Context, name: Option<&str>) -> Result<(), Error> {
    let root = worktree(cx, "init")?;
    let now = crate::clock::rfc3339(cx.now());
    let report = secrets::init(&root, name, &now)?;
    audit(cx, "secrets.yaml", "secrets init".into())?;
    let file = shown(cx, &report.file);
    if cx.out.is_json() {
        let path = match &report.origin {
            Origin::File(path) => Some(path.display().to_string()),
            Origin::Env => None,
        };
        return cx.out.json(&serde_json::json!({
            "identity": {
                "source": if path.is_some() { "file" } else { "env" },
                "path": path,
                "created": report.identity_created,
                "public_key": report.public_key,
            },
            "file": report.file.display().to_string(),
            "created": report.file_created,
            "recipient": report.recipient,
        }));
    }
    if cx.out.quiet {
        return Ok(());
    }
    let mut text = match (&report.origin, report.identity_created) {
        (Origin::File(path), true) => format!(
            "Created an age identity in {} (mode 0600): back it up, without it the secrets cannot be decrypted.\n",
            path.display()
        ),
        (origin, _) => format!("Using the age identity in {}.\n", origin.describe()),
    };
    text.push_str(&format!("Public key: {}\n", report.public_key));
    if report.file_created {
        text.push_str(&format!(
            "Created {file} with this identity as its recipient.\n"
        ));
        text.push_str(
            "Next: add secrets with `homelabcmd secrets set NAME`, and commit secrets.yaml.\n",
        );
    } else if report.recipient {
        text.push_str(&format!(
            "{file} already lists this identity as a recipient: nothing to change.\n"
        ));
    } else {
        text.push_str(&format!(
            "{file} exists, and this identity is not one of its recipients.\nNext: ask a recipient to run `homelabcmd secrets recipients add {}` and commit it.\n",
            report.public_key
        ));
    }
    cx.out.print(&text)
}

fn set(cx: &Context, name: &str, stray: &[String]) -> Result<(), Error> {
    if !stray.is_empty() {
        // Never repeat what was given: it may be the value.
        return Err(Error::config(
            "`secrets set` takes no value on the command line: it would stay in shell history and `ps`",
        )
        .hint(format!(
            "pipe it in: `homelabcmd secrets set {name} < FILE`, or run it on a terminal to be asked for it"
        )));
    }
    let root = worktree(cx, "set")?;
    let mut editor = Editor::open(&root)?;
    if let Some(why) = secrets::check_name(name) {
        return Err(SecretError::BadName {
            name: name.to_string(),
            why,
        }
        .into());
    }
    let value = read_value(name)?;
    let change = editor.set(name, &value)?;
    drop(value);
    editor.save()?;
    // Never the value: it is already dropped.
    audit(cx, name, format!("secrets set {name}"))?;
    let recipients = editor.file().recipients.len();
    let file = shown(cx, editor.path());
    if cx.out.is_json() {
        return cx.out.json(&Changed {
            name,
            change,
            file: editor.path(),
            recipients,
        });
    }
    if cx.out.quiet {
        return Ok(());
    }
    let (verb, prep) = match change {
        Change::Updated => ("Updated", "in"),
        _ => ("Added", "to"),
    };
    cx.out.print(&format!(
        "{verb} secret `{name}` {prep} {file}, encrypted to {}.\n{NEXT}",
        plural(recipients, "recipient")
    ))
}

#[derive(Serialize)]
struct Changed<'a> {
    name: &'a str,
    change: Change,
    file: &'a Path,
    recipients: usize,
}

fn get(cx: &Context, name: &str, reveal: bool) -> Result<(), Error> {
    let snapshot = snapshot(cx)?;
    let secrets = Secrets::load(&snapshot)?;
    if !reveal {
        if !secrets.contains(name) {
            return Err(SecretError::Unknown {
                name: name.to_string(),
                known: secrets.names().map(str::to_string).collect(),
            }
            .into());
        }
        if cx.out.is_json() {
            return cx
                .out
                .json(&serde_json::json!({ "name": name, "exists": true }));
        }
        if cx.out.quiet {
            return Ok(());
        }
        return cx.out.print(&format!(
            "Secret `{name}` is set, encrypted to {}.\nPrint it with `homelabcmd secrets get {name} --reveal`.\n",
            plural(secrets.recipients().len(), "recipient")
        ));
    }
    let value = secrets.get(name)?;
    // The value as it is, whatever -o says; a newline after it only for a person.
    let mut out = std::io::stdout().lock();
    out.write_all(value.expose())?;
    if out.is_terminal() && !value.expose().ends_with(b"\n") {
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

fn list(cx: &Context) -> Result<(), Error> {
    let snapshot = snapshot(cx)?;
    let secrets = Secrets::load(&snapshot)?;
    let names: Vec<&str> = secrets.names().collect();
    if cx.out.is_json() {
        return cx.out.json(&serde_json::json!({
            "secrets": names,
            "recipients": secrets.recipients(),
        }));
    }
    let mut text = String::new();
    if names.is_empty() {
        text.push_str("No secrets yet: add one with `homelabcmd secrets set NAME`.\n");
    } else {
        let mut table = Table::new(&["SECRET"]);
        for name in &names {
            table.row(vec![name.to_string()]);
        }
        text.push_str(&table.render(&cx.out));
    }
    let mut table = Table::new(&["RECIPIENT", "KEY"]);
    for r in secrets.recipients() {
        table.row(vec![
            r.name.clone().unwrap_or_else(|| "-".into()),
            r.key.clone(),
        ]);
    }
    text.push('\n');
    text.push_str(&table.render(&cx.out));
    cx.out.print(&text)
}

fn rm(cx: &Context, name: &str) -> Result<(), Error> {
    let root = worktree(cx, "rm")?;
    let mut editor = Editor::open(&root)?;
    editor.remove(name)?;
    editor.save()?;
    audit(cx, name, format!("secrets rm {name}"))?;
    if cx.out.is_json() {
        return cx.out.json(&Changed {
            name,
            change: Change::Removed,
            file: editor.path(),
            recipients: editor.file().recipients.len(),
        });
    }
    if cx.out.quiet {
        return Ok(());
    }
    cx.out.print(&format!(
        "Removed secret `{name}` from {}.\nIts value stays in git history: change the secret itself if it must stop working.\n{NEXT}",
        shown(cx, editor.path())
    ))
}

#[derive(Serialize)]
struct RecipientChange<'a> {
    recipient: &'a secrets::Recipient,
    change: Change,
    reencrypted: usize,
    recipients: usize,
    file: &'a Path,
}

fn recipients_add(cx: &Context, key: &str, name: Option<&str>) -> Result<(), Error> {
    let root = worktree(cx, "recipients add")?;
    let mut editor = Editor::open(&root)?;
    let (recipient, change, reencrypted) = editor.add_recipient(key, name)?;
    if change == Change::Added {
        editor.save()?;
        audit(
            cx,
            "secrets.yaml",
            format!(
                "secrets recipients add {}, {reencrypted} values re-encrypted",
                recipient.label()
            ),
        )?;
    }
    let recipients = editor.file().recipients.len();
    if cx.out.is_json() {
        return cx.out.json(&RecipientChange {
            recipient: &recipient,
            change,
            reencrypted,
            recipients,
            file: editor.path(),
        });
    }
    if cx.out.quiet {
        return Ok(());
    }
    if change == Change::Unchanged {
        return cx.out.print(&format!(
            "{} is already a recipient: nothing to change.\n",
            recipient.label()
        ));
    }
    cx.out.print(&format!(
        "Added recipient {}; re-encrypted {} to {}.\n{NEXT}",
        recipient.label(),
        plural(reencrypted, "secret"),
        plural(recipients, "recipient")
    ))
}

fn recipients_rm(cx: &Context, which: &str) -> Result<(), Error> {
    let root = worktree(cx, "recipients rm")?;
    let mut editor = Editor::open(&root)?;
    let (recipient, reencrypted) = editor.remove_recipient(which)?;
    editor.save()?;
    audit(
        cx,
        "secrets.yaml",
        format!(
            "secrets recipients rm {}, {reencrypted} values re-encrypted",
            recipient.label()
        ),
    )?;
    let recipients = editor.file().recipients.len();
    if cx.out.is_json() {
        return cx.out.json(&RecipientChange {
            recipient: &recipient,
            change: Change::Removed,
            reencrypted,
            recipients,
            file: editor.path(),
        });
    }
    if cx.out.quiet {
        return Ok(());
    }
    cx.out.print(&format!(
        "Removed recipient {}; re-encrypted {} to {}.\nGit history still holds what it could decrypt: change those secrets themselves if it must lose them.\n{NEXT}",
        recipient.label(),
        plural(reencrypted, "secret"),
        plural(recipients, "recipient")
    ))
}

/// The value for `set`: all of stdin when it is not a terminal, else asked for twice
/// without echo. One line loses its line ending; more lines are kept exactly.
fn read_value(name: &str) -> Result<Zeroizing<Vec<u8>>, Error> {
    let stdin = std::io::stdin();
    let value = if stdin.is_terminal() {
        ask_twice(name)?
    } else {
        let mut buf = Zeroizing::new(Vec::with_capacity(16 * 1024));
        stdin.lock().read_to_end(&mut buf)?;
        let body_len = buf
            .strip_suffix(b"\n")
            .map(|b| b.strip_suffix(b"\r").unwrap_or(b).len());
        if let Some(len) = body_len
            && !buf[..len].contains(&b'\n')
        {
            buf.truncate(len);
        }
        buf
    };
    if value.is_empty() {
        return Err(Error::config("the value is empty; nothing was changed").hint(format!(
            "pipe it in: `homelabcmd secrets set {name} < FILE`, or run it on a terminal to be asked for it"
        )));
    }
    Ok(value)
}

/// Ask for the value twice on the terminal with echo off (newlines still show), then put the
/// terminal back as it was.
fn ask_twice(name: &str) -> Result<Zeroizing<Vec<u8>>, Error> {
    use rustix::termios::{self, LocalModes, OptionalActions};
    let stdin = std::io::stdin();
    let terminal_error =
        |e: rustix::io::Errno| Error::config(format!("cannot turn off echo on the terminal: {e}"));
    let saved = termios::tcgetattr(&stdin).map_err(terminal_error)?;
    let mut quiet = saved.clone();
    quiet.local_modes.remove(LocalModes::ECHO);
    quiet.local_modes.insert(LocalModes::ECHONL);
    termios::tcsetattr(&stdin, OptionalActions::Now, &quiet).map_err(terminal_error)?;
    let first = read_line(&stdin, &format!("Value for `{name}` (not shown): "));
    let second = first.is_ok().then(|| read_line(&stdin, "The same again: "));
    let _ = termios::tcsetattr(&stdin, OptionalActions::Now, &saved);
    let (first, second) = (first?, second.expect("asked after a first answer")?);
    if first != second {
        return Err(Error::config("the two values differ; nothing was changed"));
    }
    Ok(first)
}

/// Print `label` on stderr and read one line from the terminal, without its line ending.
fn read_line(stdin: &std::io::Stdin, label: &str) -> Result<Zeroizing<Vec<u8>>, Error> {
    eprint!("{label}");
    let mut line = Zeroizing::new(Vec::with_capacity(1024));
    if stdin.lock().read_until(b'\n', &mut line)? == 0 {
        return Err(Error::config("no value was given; nothing was changed"));
    }
    let len = line
        .strip_suffix(b"\n")
        .map_or(line.len(), |b| b.strip_suffix(b"\r").unwrap_or(b).len());
    line.truncate(len);
    Ok(line)
}

impl From<SecretError> for Error {
    fn from(e: SecretError) -> Self {
        let kind = if e.is_refusal() {
            Kind::Refused
        } else {
            Kind::Config
        };
        let details = e.details();
        let mut error = Error::new(kind, e.to_string()).hints(e.hints());
        if let Some(details) = details {
            error = error.details(details);
        }
        error
    }
}
