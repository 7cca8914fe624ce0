//! What `diff` and `apply` share on the command line: choosing machines (names, groups,
//! `--all`, `--tag`, `--type`) and showing check results — a line per machine and its
//! mismatches, with the machine's text (file contents, errors) escaped for the terminal.

use super::Context;
use crate::compliance::check::{CheckState, Checked};
use crate::compliance::plan::Mismatch;
use crate::error::Error;
use crate::exec::targets::{self, Selection};
use crate::fleet::MachineType;
use crate::output::{Color, escape_block, escape_line};

/// Which machines: names (machines or groups), or --all/--tag/--type.
#[derive(Debug, clap::Args)]
pub(crate) struct Selectors {
    /// Machines or groups
    machines: Vec<String>,
    /// Every machine of the fleet
    #[arg(long)]
    all: bool,
    /// Machines with this tag (repeat: all must match)
    #[arg(long, value_name = "TAG")]
    tag: Vec<String>,
    /// Only servers or only workstations
    #[arg(long = "type", value_name = "TYPE", value_parser = ["server", "workstation"])]
    kind: Option<String>,
}

impl Selectors {
    /// The machines chosen, in fleet.yaml order, each once.
    pub(crate) fn select<'f>(
        &self,
        fleet: &'f crate::fleet::Fleet,
    ) -> Result<Vec<&'f crate::fleet::Machine>, Error> {
        let by_flags = self.all || !self.tag.is_empty() || self.kind.is_some();
        let names: Vec<Option<String>> = if self.machines.is_empty() {
            vec![None]
        } else {
            self.machines.iter().cloned().map(Some).collect()
        };
        let mut chosen: Vec<&crate::fleet::Machine> = Vec::new();
        for name in names {
            let sel = Selection {
                name,
                all: self.all || (by_flags && !self.machines.is_empty()),
                tags: self.tag.clone(),
                kind: self.kind.as_deref().map(|k| {
                    if k == "server" {
                        MachineType::Server
                    } else {
                        MachineType::Workstation
                    }
                }),
            };
            for m in
                targets::select(fleet, &sel).map_err(|(msg, hint)| Error::config(msg).hint(hint))?
            {
                if !chosen.iter().any(|c| c.id == m.id) {
                    chosen.push(m);
                }
            }
        }
        Ok(chosen)
    }
}

/// The human report: a line per machine (`extra` may add to it) and its mismatches. What came
/// from the machine (diff lines, errors) is escaped: it cannot drive the terminal.
pub(crate) fn render(
    cx: &Context,
    results: &[Checked],
    stat: bool,
    extra: impl Fn(&Checked) -> Option<String>,
) -> String {
    let mut t = String::new();
    let width = results.iter().map(|c| c.id.len()).max().unwrap_or(0);
    for c in results {
        let (mark, color) = match c.state {
            CheckState::Compliant => ("✓ compliant".to_string(), Color::Green),
            CheckState::Drift => (
                format!(
                    "⚠ {} mismatch{}",
                    c.mismatches.len(),
                    if c.mismatches.len() == 1 { "" } else { "es" }
                ),
                Color::Yellow,
            ),
            CheckState::NotChecked => (
                format!(
                    "✗ not checked: {}",
                    escape_line(c.error.as_deref().unwrap_or("?"))
                ),
                Color::Red,
            ),
        };
        t.push_str(&format!(
            "{:width$}  {}{}\n",
            c.id,
            cx.out.paint(&mark, color),
            extra(c).map(|e| format!("  ({e})")).unwrap_or_default()
        ));
        if !stat {
            mismatch_lines(cx, &c.mismatches, &mut t);
        }
    }
    t
}

/// Each mismatch on its line; a content diff under it, coloured, every line escaped.
pub(crate) fn mismatch_lines(cx: &Context, mismatches: &[Mismatch], t: &mut String) {
    for m in mismatches {
        t.push_str(&format!("  {}\n", escape_line(&m.line())));
        if let Mismatch::ContentDiffers { diff, .. } = m {
            for line in diff.lines() {
                let color = match line.chars().next() {
                    Some('+') if !line.starts_with("+++") => Some(Color::Green),
                    Some('-') if !line.starts_with("---") => Some(Color::Red),
                    _ => None,
                };
                let line = format!("    {}", escape_block(line));
                t.push_str(&color.map_or(line.clone(), |c| cx.out.paint(&line, c)));
                t.push('\n');
            }
        }
    }
}
