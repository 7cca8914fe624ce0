//! `homelabcmd audit`: list and filter the audit trail, `show` one entry, `verify` the hash
//! chain; and the hidden `audit append` that tests use to write entries.

use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use super::Context;
use crate::audit::{
    self, Action, AuditEntry, AuditFilter, AuditRecord, CapturedOutput, Redacted, Verification,
};
use crate::error::{Error, Kind};
use crate::fleet::parse_duration;
use crate::output::{Color, Table, escape_line, remote_text};

/// The audit trail: every exec, apply, trust and secret change, newest first.
///
/// Each entry records when, the local user, the machine, the command as run (secrets
/// redacted), its exit status, duration and output (at most 64 KiB), and the fleet commit.
/// Entries are hash-chained: `audit verify` finds an edited, deleted or reordered entry.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Option<AuditCommand>,

    #[command(flatten)]
    list: ListArgs,
}

#[derive(Debug, clap::Args)]
struct ListArgs {
    /// Only entries about this machine
    #[arg(long, value_name = "ID")]
    machine: Option<String>,

    /// Only entries of this kind
    #[arg(long, value_parser = action())]
    action: Option<Action>,

    /// Only entries from this recent period: 1h, 24h, 7d…
    #[arg(long, value_name = "DURATION", value_parser = since)]
    since: Option<u64>,

    /// At most this many entries (the newest)
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..))]
    limit: u32,
}

#[derive(Debug, clap::Subcommand)]
enum AuditCommand {
    /// One entry in full, with its output
    Show(ShowArgs),
    /// Check the hash chain: exit 0 when intact, 1 naming the first entry that was edited,
    /// deleted or reordered.
    ///
    /// Prints the head hash (the last entry's). Anyone able to write the database could
    /// rewrite the whole chain and the head; record the head elsewhere (a note, a commit) and
    /// pass it later as --expect-head to detect that too.
    Verify(VerifyArgs),
    /// Append an entry (for tests; real entries come from exec, apply and secrets)
    #[command(hide = true)]
    Append(AppendArgs),
}

#[derive(Debug, clap::Args)]
struct ShowArgs {
    /// The entry's id (the first column of `homelabcmd audit`)
    id: i64,
}

#[derive(Debug, clap::Args)]
struct VerifyArgs {
    /// A head hash printed by an earlier `audit verify`: it must still be the hash of an entry
    #[arg(long, value_name = "HASH", value_parser = head_hash)]
    expect_head: Option<audit::Hash>,
}

#[derive(Debug, clap::Args)]
struct AppendArgs {
    #[arg(long)]
    machine: Option<String>,
    #[arg(long, value_parser = action())]
    action: Action,
    #[arg(long)]
    name: String,
    /// The command as run, already redacted
    #[arg(long)]
    command: String,
    #[arg(long = "exit", value_name = "CODE", allow_negative_numbers = true)]
    exit_code: Option<i32>,
    #[arg(long, value_name = "MS")]
    duration_ms: Option<u64>,
    /// The command's output
    #[arg(long, value_name = "TEXT", conflicts_with = "out_file")]
    out_text: Option<String>,
    /// The command's output, read from a file
    #[arg(long, value_name = "PATH")]
    out_file: Option<PathBuf>,
    #[arg(long, value_name = "COMMIT")]
    fleet_commit: Option<String>,
    /// A secret value to redact from the command (repeat)
    #[arg(long, value_name = "VALUE")]
    secret: Vec<String>,
}

/// exec, apply, trust or secret.
fn action() -> impl clap::builder::TypedValueParser<Value = Action> {
    use clap::builder::{PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new(Action::ALL.map(Action::as_str))
        .map(|text: String| Action::parse(&text).expect("a listed action"))
}

fn since(text: &str) -> Result<u64, String> {
    match parse_duration(text) {
        Some(d) if d.as_secs() > 0 => Ok(d.as_secs()),
        Some(_) => Err("use a duration of at least 1s".into()),
        None => Err("write it like 1h, 24h or 7d".into()),
    }
}

fn head_hash(text: &str) -> Result<audit::Hash, String> {
    audit::parse_hex(text).ok_or_else(|| "write the 64 hex digits `audit verify` printed".into())
}

pub(crate) fn run(cx: &Context, args: Args) -> Result<(), Error> {
    match args.command {
        None => list(cx, args.list),
        Some(AuditCommand::Show(a)) => show(cx, a),
        Some(AuditCommand::Verify(a)) => verify(cx, a),
        Some(AuditCommand::Append(a)) => append(cx, a),
    }
}

/// One entry in `-o json`.
#[derive(Serialize)]
struct EntryJson<'a> {
    id: i64,
    time: String,
    user: &'a str,
    machine: Option<&'a str>,
    action: &'a str,
    name: &'a str,
    command: &'a str,
    exit_code: Option<i64>,
    duration_ms: Option<i64>,
    output_truncated: bool,
    output_omitted_bytes: i64,
    fleet_commit: Option<&'a str>,
    prev_hash: String,
    hash: String,
    /// `audit show` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    output: Option<String>,
}

impl<'a> EntryJson<'a> {
    fn new(e: &'a AuditEntry, output: Option<&[u8]>) -> Self {
        Self {
            id: e.id,
            time: crate::clock::rfc3339(e.time),
            user: &e.user,
            machine: e.machine.as_deref(),
            action: &e.action,
            name: &e.name,
            command: &e.command,
            exit_code: e.exit_code,
            duration_ms: e.duration_ms,
            output_truncated: e.output_omitted > 0,
            output_omitted_bytes: e.output_omitted,
            fleet_commit: e.fleet_commit.as_deref(),
            prev_hash: audit::hex(&e.prev_hash),
            hash: audit::hex(&e.hash),
            output: output.map(|o| String::from_utf8_lossy(o).into_owned()),
        }
    }
}

fn list(cx: &Context, args: ListArgs) -> Result<(), Error> {
    let filter = AuditFilter {
        machine: args.machine,
        action: args.action,
        since: args.since.map(|s| cx.now() - s as i64),
        limit: args.limit,
    };
    let (entries, total) = match cx.existing_store()? {
        Some(store) => store.audit_list(&filter)?,
        None => (Vec::new(), 0),
    };
    if cx.out.is_json() {
        #[derive(Serialize)]
        struct Doc<'a> {
            entries: Vec<EntryJson<'a>>,
            total: u64,
        }
        return cx.out.json(&Doc {
            entries: entries.iter().map(|e| EntryJson::new(e, None)).collect(),
            total,
        });
    }
    if entries.is_empty() {
        if cx.out.quiet {
            return Ok(());
        }
        let filtered =
            filter.machine.is_some() || filter.action.is_some() || filter.since.is_some();
        return cx.out.print(if filtered {
            "no audit entries match\n"
        } else {
            "no audit entries yet\n"
        });
    }
    let mut table = Table::new(&[
        "ID", "TIME", "USER", "MACHINE", "ACTION", "NAME", "EXIT", "DURATION", "COMMAND",
    ]);
    for e in &entries {
        let exit = match e.exit_code {
            Some(0) => ("0".to_string(), None),
            Some(code) => (code.to_string(), Some(Color::Red)),
            None => ("-".to_string(), Some(Color::Dim)),
        };
        table.styled_row(vec![
            (e.id.to_string(), None),
            (crate::clock::rfc3339(e.time), None),
            (escape_line(&e.user), None),
            (escape_line(e.machine.as_deref().unwrap_or("-")), None),
            (escape_line(&e.action), None),
            (escape_line(&e.name), None),
            exit,
            (e.duration_ms.map_or_else(|| "-".into(), millis), None),
            (escape_line(&e.command), None),
        ]);
    }
    let mut text = table.render(&cx.out);
    if total > entries.len() as u64 && !cx.out.quiet {
        text.push_str(&format!(
            "{} newest of {total} entries; --limit N for more\n",
            entries.len()
        ));
    }
    cx.out.print(&text)
}

fn show(cx: &Context, args: ShowArgs) -> Result<(), Error> {
    let found = match cx.existing_store()? {
        Some(store) => store.audit_entry(args.id)?,
        None => None,
    };
    let Some((e, output)) = found else {
        return Err(
            Error::config(format!("there is no audit entry {}", args.id))
                .hint("`homelabcmd audit` lists the entries with their ids"),
        );
    };
    if cx.out.is_json() {
        return cx.out.json(&EntryJson::new(&e, Some(&output)));
    }
    let title = format!(
        "entry {}: {} {}{}",
        e.id,
        escape_line(&e.action),
        escape_line(&e.name),
        e.machine
            .as_deref()
            .map(|m| format!(" on {}", escape_line(m)))
            .unwrap_or_default()
    );
    let mut t = format!("{}\n", cx.out.paint(&title, Color::Bold));
    let exit = match e.exit_code {
        Some(code) if code != 0 => cx.out.paint(&code.to_string(), Color::Red),
        Some(code) => code.to_string(),
        None => "none".into(),
    };
    let rows = [
        ("time", crate::clock::rfc3339(e.time)),
        ("user", escape_line(&e.user)),
        ("machine", escape_line(e.machine.as_deref().unwrap_or("-"))),
        ("action", escape_line(&e.action)),
        ("name", escape_line(&e.name)),
        ("command", escape_line(&e.command)),
        ("exit code", exit),
        ("duration", e.duration_ms.map_or_else(|| "-".into(), millis)),
        (
            "fleet commit",
            escape_line(e.fleet_commit.as_deref().unwrap_or("-")),
        ),
        ("hash", audit::hex(&e.hash)),
        ("prev hash", audit::hex(&e.prev_hash)),
    ];
    for (label, value) in rows {
        t.push_str(&format!("{label:<13} {value}\n"));
    }
    if output.is_empty() {
        t.push_str("output        none\n");
    } else {
        if e.output_omitted > 0 {
            t.push_str(&format!(
                "output ({} bytes omitted from the middle):\n",
                e.output_omitted
            ));
        } else {
            t.push_str("output:\n");
        }
        t.push_str(&remote_text(&output));
        if !t.ends_with('\n') {
            t.push('\n');
        }
    }
    cx.out.print(&t)
}

fn verify(cx: &Context, args: VerifyArgs) -> Result<(), Error> {
    let report = match cx.existing_store()? {
        Some(store) => audit::verify(&store, args.expect_head.as_ref())?,
        None => audit::Verification {
            entries: 0,
            head: None,
            expected_at: None,
            problem: args.expect_head.map(|h| audit::Problem {
                entry: None,
                kind: audit::ProblemKind::ExpectedHeadMissing,
                message: format!(
                    "the expected head {} is not in the log (there is no database)",
                    audit::hex(&h)
                ),
            }),
        },
    };
    if cx.out.is_json() {
        cx.out
            .json(&verify_json(&report, args.expect_head.as_ref()))?;
    } else if report.problem.is_none() && !cx.out.quiet {
        let mut t = format!(
            "ok: {} {}, chain intact\n",
            report.entries,
            if report.entries == 1 {
                "entry"
            } else {
                "entries"
            }
        );
        if let Some((id, hash)) = &report.head {
            t.push_str(&format!("head: {} (entry {id})\n", audit::hex(hash)));
        }
        if let Some(id) = report.expected_at {
            t.push_str(&format!("expected head: entry {id}\n"));
        }
        cx.out.print(&t)?;
    }
    match &report.problem {
        None => Ok(()),
        Some(p) => {
            let err = Error::new(Kind::Findings, format!("audit chain broken: {}", p.message));
            Err(match p.entry {
                Some(n) if n > 1 => err.hint(format!("the entries before entry {n} are intact")),
                _ => err,
            })
        }
    }
}

fn verify_json(report: &Verification, expect: Option<&audit::Hash>) -> serde_json::Value {
    serde_json::json!({
        "ok": report.problem.is_none(),
        "entries": report.entries,
        "head": report.head.as_ref().map(|(id, hash)| serde_json::json!({"id": id, "hash": audit::hex(hash)})),
        "expected_head": expect.map(|h| serde_json::json!({"hash": audit::hex(h), "id": report.expected_at})),
        "problem": report.problem,
    })
}

fn append(cx: &Context, args: AppendArgs) -> Result<(), Error> {
    let bytes = match (&args.out_text, &args.out_file) {
        (Some(text), _) => text.as_bytes().to_vec(),
        (None, Some(path)) => std::fs::read(path)
            .map_err(|e| Error::config(format!("cannot read {}: {e}", path.display())))?,
        (None, None) => Vec::new(),
    };
    let record = AuditRecord {
        action: args.action,
        machine: args.machine,
        name: args.name,
        command: if args.secret.is_empty() {
            Redacted::new(args.command)
        } else {
            let secrets: Vec<&str> = args.secret.iter().map(String::as_str).collect();
            Redacted::scrub(&args.command, &secrets)
        },
        exit_code: args.exit_code,
        duration: args.duration_ms.map(Duration::from_millis),
        output: CapturedOutput::from(&bytes[..]),
        fleet_commit: args.fleet_commit,
    };
    let id = cx
        .store()?
        .audit_append(&record, cx.now(), &audit::local_user())?;
    if cx.out.is_json() {
        return cx.out.json(&serde_json::json!({ "id": id }));
    }
    cx.out.print(&format!("{id}\n"))
}

/// `350ms`, `1.2s`, `3m`: a duration in milliseconds, coarsely.
fn millis(ms: i64) -> String {
    match ms {
        ..1000 => format!("{ms}ms"),
        1000..60_000 => format!("{:.1}s", ms as f64 / 1000.0),
        _ => crate::output::duration(ms as u64 / 1000),
    }
}
