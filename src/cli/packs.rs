//! `homelabcmd packs` and `packs show NAME`: the config packs and what each resolves to.

use serde::Serialize;

use super::Context;
use crate::error::Error;
use crate::fleet::diagnostic::suggest;
use crate::fleet::pack::{self, FileContent, Resolved};
use crate::output::{Color, Table};

/// List the config packs, or show one resolved with everything it inherits.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Option<PacksCommand>,
}

#[derive(Debug, clap::Subcommand)]
enum PacksCommand {
    /// Show a pack resolved: every file, directory and package, and the pack it comes from
    Show {
        /// The pack's name (its file name in packs/, without .yaml)
        name: String,
    },
}

pub(crate) fn run(cx: &Context, args: Args) -> Result<(), Error> {
    match args.command {
        None => list(cx),
        Some(PacksCommand::Show { name }) => show(cx, &name),
    }
}

#[derive(Serialize)]
struct PackRow<'a> {
    name: &'a str,
    description: Option<&'a str>,
    extends: &'a [String],
    files: usize,
    directories: usize,
    packages: usize,
    /// Machines that have this pack, directly or through a pack that extends it.
    machines: Vec<&'a str>,
}

fn list(cx: &Context) -> Result<(), Error> {
    let (_, fleet) = cx.fleet()?;
    let rows: Vec<PackRow<'_>> = fleet
        .packs
        .values()
        .map(|p| PackRow {
            name: &p.name,
            description: p.description.as_deref(),
            extends: &p.extends,
            files: p.files.len(),
            directories: p.directories.len(),
            packages: p.packages.len(),
            machines: fleet
                .machines
                .iter()
                .filter(|m| pack::linearize(&fleet.packs, &m.packs).contains(&p.name))
                .map(|m| m.id.as_str())
                .collect(),
        })
        .collect();
    if cx.out.is_json() {
        #[derive(Serialize)]
        struct Doc<'a> {
            packs: Vec<PackRow<'a>>,
        }
        return cx.out.json(&Doc { packs: rows });
    }
    let mut table = Table::new(&[
        "NAME",
        "EXTENDS",
        "FILES",
        "DIRS",
        "PACKAGES",
        "MACHINES",
        "DESCRIPTION",
    ]);
    for r in &rows {
        table.row(vec![
            r.name.to_string(),
            or_dash(r.extends.join(",")),
            r.files.to_string(),
            r.directories.to_string(),
            r.packages.to_string(),
            r.machines.len().to_string(),
            r.description.unwrap_or("").to_string(),
        ]);
    }
    cx.out.print(&table.render(&cx.out))
}

fn show(cx: &Context, name: &str) -> Result<(), Error> {
    let (_, fleet) = cx.fleet()?;
    let Some(pack) = fleet.packs.get(name) else {
        let names: Vec<&str> = fleet.packs.keys().map(String::as_str).collect();
        return Err(
            Error::config(format!("unknown pack `{name}`")).hint(suggest(name, "packs", &names))
        );
    };
    let resolved = pack::resolve(&fleet.packs, std::slice::from_ref(&pack.name)).map_err(|c| {
        Error::config(format!(
            "packs `{}` and `{}` both set `{}`",
            c.first, c.second, c.what
        ))
    })?;
    if cx.out.is_json() {
        #[derive(Serialize)]
        struct Doc<'a> {
            name: &'a str,
            description: Option<&'a str>,
            file: &'a str,
            #[serde(flatten)]
            resolved: &'a Resolved<'a>,
        }
        return cx.out.json(&Doc {
            name: &pack.name,
            description: pack.description.as_deref(),
            file: &pack.file,
            resolved: &resolved,
        });
    }
    let mut text = format!(
        "{}  ({})\n",
        cx.out.paint(&pack.name, Color::Bold),
        pack.file
    );
    if let Some(d) = &pack.description {
        text.push_str(&format!("{d}\n"));
    }
    text.push_str(&format!("inherits: {}\n", resolved.chain.join(" -> ")));
    let mut files = Table::new(&["PATH", "MODE", "CONTENT", "FROM"]);
    for f in &resolved.files {
        let content = match &f.item.content {
            FileContent::Source(s) => format!("packs/{s}"),
            FileContent::Inline(t) => format!("inline, {} bytes", t.len()),
        };
        files.row(vec![
            f.item.path.clone(),
            mode(f.item.mode),
            content,
            f.from.to_string(),
        ]);
    }
    let mut dirs = Table::new(&["PATH", "MODE", "FROM"]);
    for d in &resolved.directories {
        dirs.row(vec![
            d.item.path.clone(),
            mode(d.item.mode),
            d.from.to_string(),
        ]);
    }
    let mut packages = Table::new(&["PACKAGE", "VERSION", "FROM"]);
    for p in &resolved.packages {
        let version = p
            .item
            .version
            .as_ref()
            .map_or_else(|| "any".to_string(), |c| c.to_string());
        packages.row(vec![p.item.name.clone(), version, p.from.to_string()]);
    }
    for (title, count, table) in [
        ("files", resolved.files.len(), files),
        ("directories", resolved.directories.len(), dirs),
        ("packages", resolved.packages.len(), packages),
    ] {
        text.push_str(&format!("\n{title} ({count}):\n"));
        if count > 0 {
            text.push_str(&indent(&table.render(&cx.out)));
        }
    }
    let mut text: String = text
        .lines()
        .map(|l| format!("{}\n", l.trim_end()))
        .collect();
    while text.contains("\n\n\n") {
        text = text.replace("\n\n\n", "\n\n");
    }
    cx.out.print(&text)
}

fn mode(mode: Option<u32>) -> String {
    mode.map_or_else(|| "-".to_string(), |m| format!("{m:04o}"))
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("  {l}\n")).collect()
}

fn or_dash(s: String) -> String {
    if s.is_empty() { "-".into() } else { s }
}
