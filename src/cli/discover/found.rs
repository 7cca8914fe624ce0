//! What every discover source ends with: the candidates as a table or `-o json`, and with
//! `--import`, their machine entries added to fleet.yaml in the work tree.

use super::Context;
use crate::discover::import::{self, ImportError, Imported, Settings};
use crate::discover::{Candidate, sshcheck};
use crate::error::{Error, Kind};
use crate::fleet::MachineType;
use crate::output::escape_line;

/// How long a chosen candidate's host key may take to learn when its source did not ask.
const KEY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// `--import` and the settings of the machines it adds (flattened into each source's flags).
#[derive(Debug, Default, clap::Args)]
pub(crate) struct ImportArgs {
    /// Add these candidates (by the id shown) to fleet.yaml in the work tree, for review
    #[arg(long = "import", value_name = "ID", num_args = 1..)]
    pub(crate) import: Vec<String>,
    /// The imported machines' type
    #[arg(long = "type", value_enum, value_name = "TYPE", requires = "import")]
    pub(crate) kind: Option<TypeArg>,
    /// The imported machines' power draw in watts, for the electricity cost
    #[arg(long = "tdp", value_name = "W", requires = "import",
          value_parser = clap::value_parser!(u32).range(0..=5000))]
    pub(crate) tdp: Option<u32>,
    /// Packs to assign to the imported machines (from packs/)
    #[arg(
        long,
        value_name = "PACK,…",
        value_delimiter = ',',
        requires = "import"
    )]
    pub(crate) packs: Vec<String>,
    /// Tags for the imported machines
    #[arg(long, value_name = "TAG,…", value_delimiter = ',', requires = "import")]
    pub(crate) tags: Vec<String>,
}

/// `--type`: what `type:` the imported machines get.
#[derive(Debug, Clone, Copy, Default, clap::ValueEnum)]
pub(crate) enum TypeArg {
    /// Always on; offline when its agent stops reporting
    #[default]
    Server,
    /// On only sometimes; never offline, only "last seen"
    Workstation,
}

/// Show the candidates; import the chosen ones.
pub(crate) fn finish(
    cx: &Context,
    candidates: &[Candidate],
    import: &ImportArgs,
) -> Result<(), Error> {
    if !import.import.is_empty() {
        return run_import(cx, candidates, import);
    }
    if cx.out.is_json() {
        return cx
            .out
            .json(&serde_json::json!({ "candidates": candidates }));
    }
    cx.out
        .print(&super::table::render(&cx.out, candidates, cx.now()))
}

fn run_import(cx: &Context, candidates: &[Candidate], args: &ImportArgs) -> Result<(), Error> {
    let settings = Settings {
        ids: args.import.clone(),
        kind: match args.kind.unwrap_or_default() {
            TypeArg::Server => MachineType::Server,
            TypeArg::Workstation => MachineType::Workstation,
        },
        tdp_w: args.tdp,
        packs: args.packs.clone(),
        tags: args.tags.clone(),
    };
    // A network probe read banners only: learn the chosen hosts' keys now, to pin them.
    let mut candidates = candidates.to_vec();
    super::super::runtime()?.block_on(sshcheck::complete_keys(
        &mut candidates,
        &args.import,
        KEY_TIMEOUT,
    ));
    let done = import::import(cx.source(), cx.cwd(), &candidates, &settings).map_err(error)?;
    if cx.out.is_json() {
        cx.out.json(&done)?;
    } else {
        cx.out.print(&report(&done))?;
    }
    for a in done.added.iter().filter(|a| a.fingerprint.is_none()) {
        let id = escape_line(&a.id);
        cx.out.warn(
            &format!("`{id}` was imported without a pinned host key: no SSH key was found for it"),
            &[&format!(
                "pin it with `homelabcmd --worktree hosts trust {id}` (or after committing)"
            )],
        );
    }
    Ok(())
}

/// The machines added and the diff to review (remote text escaped).
fn report(done: &Imported) -> String {
    let mut text = String::new();
    for a in &done.added {
        let key = match (&a.fingerprint, a.pinned) {
            (Some(fp), true) => format!("host key {fp} pinned"),
            (Some(fp), false) => format!("host key {fp} was pinned already"),
            (None, _) => "no host key pinned".into(),
        };
        text.push_str(&format!(
            "added {} ({}): {key}\n",
            escape_line(&a.id),
            escape_line(&a.address)
        ));
    }
    text.push('\n');
    text.push_str(&crate::text::escape_block(&done.diff));
    text.push_str(&format!(
        "\n{} changed in the work tree (not committed): review the diff, then commit\n",
        if done.diff.contains("b/known_hosts") {
            "fleet.yaml and known_hosts"
        } else {
            "fleet.yaml"
        }
    ));
    text
}

fn error(e: ImportError) -> Error {
    let hints = e.hints();
    let kind = match e {
        ImportError::KeyChanged { .. } => Kind::Refused,
        _ => Kind::Config,
    };
    let message = crate::text::escape_line(&e.to_string());
    let details = match &e {
        ImportError::Fleet(crate::fleet::LoadError::Invalid(invalid))
        | ImportError::Edited(crate::fleet::LoadError::Invalid(invalid)) => Some(invalid.render()),
        ImportError::Fleet(crate::fleet::LoadError::Source(s))
        | ImportError::Edited(crate::fleet::LoadError::Source(s)) => Some(s.to_string()),
        _ => None,
    };
    let mut err = Error::new(kind, message).hints(hints);
    if let Some(details) = details {
        err = err.details(crate::text::escape_block(&details));
    }
    err
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::import::Added;

    #[test]
    fn refusals_exit_2_and_a_changed_key_exits_4() {
        let e = error(ImportError::Exists { id: "nas".into() });
        assert_eq!(e.exit_code(), 2);
        assert_eq!(
            e.message,
            "`nas` is already a machine in fleet.yaml; importing never replaces one"
        );
        let e = error(ImportError::Unknown {
            id: "x\u{1b}[2J".into(),
            valid: vec!["a".into(), "b".into()],
        });
        assert_eq!(e.exit_code(), 2);
        assert_eq!(e.message, "no candidate `x\\u{1b}[2J` was found");
        assert_eq!(e.hints, vec!["candidates: a, b".to_string()]);
        let e = error(ImportError::KeyChanged {
            id: "pi".into(),
            host: "10.0.0.2".into(),
            pinned: "SHA256:a".into(),
            offered: "SHA256:b".into(),
        });
        assert_eq!(e.exit_code(), 4);
    }

    #[test]
    fn the_report_lists_the_machines_and_the_escaped_diff() {
        let done = Imported {
            added: vec![
                Added {
                    id: "nas".into(),
                    name: "NAS".into(),
                    address: "10.0.0.2".into(),
                    fingerprint: Some("SHA256:abc".into()),
                    pinned: true,
                },
                Added {
                    id: "pi".into(),
                    name: "pi".into(),
                    address: "pi.lan".into(),
                    fingerprint: None,
                    pinned: false,
                },
            ],
            file: "/r/fleet.yaml".into(),
            known_hosts: "/r/known_hosts".into(),
            diff: "diff --git a/fleet.yaml b/fleet.yaml\n+    name: \u{1b}[31m\n".into(),
        };
        assert_eq!(
            report(&done),
            "added nas (10.0.0.2): host key SHA256:abc pinned\n\
             added pi (pi.lan): no host key pinned\n\
             \n\
             diff --git a/fleet.yaml b/fleet.yaml\n\
             +    name: \\u{1b}[31m\n\
             \n\
             fleet.yaml changed in the work tree (not committed): review the diff, then commit\n"
        );
    }
}
