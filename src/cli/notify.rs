//! `homelabcmd notify test [TARGET]`: send a test message and show each receiver's answer.

use super::Context;
use crate::error::{Error, Kind};
use crate::notify::{Outcome, TestError, TestResult};
use crate::output::{Table, escape_line};

/// Notification targets (fleet.yaml `defaults.notify`, and SLACK_WEBHOOK_URL)
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: NotifyCommand,
}

#[derive(Debug, clap::Subcommand)]
enum NotifyCommand {
    /// Send a test message to every target, or to TARGET, and report the HTTP answer
    ///
    /// Exit 0 when every target accepted it, 3 when any did not.
    Test(TestArgs),
}

#[derive(Debug, clap::Args)]
struct TestArgs {
    /// The target's name: its `name` in fleet.yaml, else its kind (`slack`, `slack-2`, ...;
    /// `env-slack` for SLACK_WEBHOOK_URL)
    target: Option<String>,
}

pub(crate) fn run(cx: &Context, args: Args) -> Result<(), Error> {
    let NotifyCommand::Test(test) = args.command;
    let (snapshot, fleet) = cx.fleet()?;
    let runtime = super::runtime()?;
    let results = runtime
        .block_on(crate::notify::send_tests(
            &fleet,
            &snapshot,
            test.target.as_deref(),
            cx.now(),
        ))
        .map_err(test_error)?;
    render(cx, &results)?;
    let failed = results
        .iter()
        .filter(|r| !matches!(r.outcome, Ok(Outcome::Delivered { .. })))
        .count();
    if failed > 0 {
        return Err(Error::new(
            Kind::Partial,
            format!(
                "{failed} of {} targets did not accept the test message",
                results.len()
            ),
        ));
    }
    Ok(())
}

fn test_error(e: TestError) -> Error {
    match &e {
        TestError::UnknownTarget { name, known } => {
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            Error::config(e.to_string())
                .hint(crate::fleet::diagnostic::suggest(name, "targets", &known))
        }
        TestError::NoTargets => Error::config(e.to_string()).hint(
            "add e.g. `notify: [ { slack: secret:slack_webhook } ]` under `defaults` in fleet.yaml",
        ),
        TestError::Client(_) => Error::config(e.to_string()),
    }
}

/// (result word, detail) of one answer; the detail is the receiver's text, escaped.
fn describe(result: &TestResult) -> (&'static str, Option<u16>, String) {
    match &result.outcome {
        Ok(Outcome::Delivered { status }) => ("delivered", Some(*status), String::new()),
        Ok(Outcome::Retry { status, error, .. }) => ("unreachable", *status, escape_line(error)),
        Ok(Outcome::Rejected { status, error }) => ("refused", Some(*status), escape_line(error)),
        Err(e) => ("config_error", None, escape_line(&e.to_string())),
    }
}

fn render(cx: &Context, results: &[TestResult]) -> Result<(), Error> {
    if cx.out.is_json() {
        let rows: Vec<serde_json::Value> = results
            .iter()
            .map(|r| {
                let (result, status, detail) = describe(r);
                serde_json::json!({
                    "target": r.target, "kind": r.kind, "result": result,
                    "http_status": status, "detail": (!detail.is_empty()).then_some(detail),
                })
            })
            .collect();
        return cx.out.json(&rows);
    }
    let mut table = Table::new(&["TARGET", "KIND", "RESULT", "HTTP", "DETAIL"]);
    for r in results {
        let (result, status, detail) = describe(r);
        table.row(vec![
            r.target.clone(),
            r.kind.as_str().to_string(),
            result.to_string(),
            status.map_or_else(|| "-".into(), |s| s.to_string()),
            detail,
        ]);
    }
    cx.out.print(&table.render(&cx.out))
}
