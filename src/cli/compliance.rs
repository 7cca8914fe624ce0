//! `homelabcmd compliance`: the fleet's compliance with its packs, from the newest `diff` or
//! `apply` of each machine — without connecting again.

use serde::Serialize;

use super::Context;
use crate::error::Error;
use crate::fleet::MachineType;
use crate::monitor::state::ago;
use crate::output::{Color, Table};

/// Show each machine's compliance with its packs as last checked by `diff` or `apply`.
///
/// Nothing connects: run `homelabcmd diff --all` (e.g. from cron) to refresh it.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {}

#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: MachineType,
    packs: &'a [String],
    /// compliant, drift, not_checked, or never_checked
    state: &'a str,
    mismatches: serde_json::Value,
    checked_at: Option<String>,
    fleet_commit: Option<&'a str>,
    error: Option<&'a str>,
}

pub(crate) fn run(cx: &Context, _args: Args) -> Result<(), Error> {
    let (_, fleet) = cx.fleet()?;
    let records = match cx.existing_store()? {
        Some(store) => store.compliance()?,
        None => Default::default(),
    };
    let now = cx.now();
    let rows: Vec<Row<'_>> = fleet
        .machines
        .iter()
        .filter(|m| !m.packs.is_empty())
        .map(|m| {
            let r = records.get(&m.id);
            Row {
                id: &m.id,
                kind: m.kind,
                packs: &m.packs,
                state: r.map_or("never_checked", |r| r.state.as_str()),
                mismatches: r
                    .and_then(|r| serde_json::from_str(&r.mismatches).ok())
                    .unwrap_or(serde_json::Value::Array(Vec::new())),
                checked_at: r.map(|r| crate::clock::rfc3339(r.checked_at)),
                fleet_commit: r.and_then(|r| r.fleet_commit.as_deref()),
                error: r.and_then(|r| r.error.as_deref()),
            }
        })
        .collect();
    let count = |state: &str| rows.iter().filter(|r| r.state == state).count();
    if cx.out.is_json() {
        return cx.out.json(&serde_json::json!({
            "summary": {
                "compliant": count("compliant"),
                "drift": count("drift"),
                "not_checked": count("not_checked"),
                "never_checked": count("never_checked"),
            },
            "machines": rows,
        }));
    }
    let mut table = Table::new(&[
        "MACHINE",
        "TYPE",
        "PACKS",
        "COMPLIANCE",
        "CHECKED",
        "COMMIT",
    ]);
    for r in &rows {
        let n = r.mismatches.as_array().map_or(0, Vec::len);
        let (state, color) = match r.state {
            "compliant" => ("✓ compliant".to_string(), Some(Color::Green)),
            "drift" => (
                format!("⚠ {n} mismatch{}", if n == 1 { "" } else { "es" }),
                Some(Color::Yellow),
            ),
            "not_checked" => (
                format!("✗ not checked: {}", r.error.unwrap_or("?")),
                Some(Color::Red),
            ),
            _ => ("never checked".to_string(), Some(Color::Dim)),
        };
        let checked = records
            .get(r.id)
            .map_or("-".to_string(), |rec| ago(now - rec.checked_at));
        table.styled_row(vec![
            (r.id.to_string(), None),
            (
                if r.kind == MachineType::Server {
                    "server"
                } else {
                    "workstation"
                }
                .to_string(),
                None,
            ),
            (r.packs.join(","), None),
            (state, color),
            (checked, None),
            (
                r.fleet_commit
                    .map_or("-".to_string(), |c| c.chars().take(7).collect()),
                None,
            ),
        ]);
    }
    let mut text = table.render(&cx.out);
    text.push_str(&format!(
        "\n{} compliant · {} drift · {} not checked · {} never checked\n",
        count("compliant"),
        count("drift"),
        count("not_checked"),
        count("never_checked")
    ));
    cx.out.print(&text)
}
