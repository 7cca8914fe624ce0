//! How results reach the terminal: aligned tables, `-o json`, colour only on a TTY and never
//! with `NO_COLOR`/`--no-color`, warnings on stderr, and a closed pipe that is not an error.

use std::io::{IsTerminal, Write};

use serde::Serialize;

use crate::error::Error;
pub(crate) use crate::text::{escape_block, escape_line, remote_text};

/// `-o table|json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub(crate) enum Format {
    /// Aligned columns for people.
    #[default]
    Table,
    /// One JSON document, with the shape documented in the README.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Color {
    Green,
    Yellow,
    Red,
    Dim,
    Bold,
}

/// Where and how to print.
#[derive(Debug, Clone)]
pub(crate) struct Output {
    pub(crate) format: Format,
    pub(crate) color: bool,
    pub(crate) quiet: bool,
    /// `-v` given this many times.
    pub(crate) verbose: u8,
}

impl Output {
    pub(crate) fn new(format: Format, no_color: bool, quiet: bool, verbose: u8) -> Self {
        let env_says_no = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self {
            format,
            color: !no_color && !env_says_no && std::io::stdout().is_terminal(),
            quiet,
            verbose,
        }
    }

    pub(crate) fn is_json(&self) -> bool {
        self.format == Format::Json
    }

    /// Write text to stdout as is.
    pub(crate) fn print(&self, text: &str) -> Result<(), Error> {
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.flush()?;
        Ok(())
    }

    /// Write bytes to stdout exactly as they are (a machine's output sent to a file or pipe).
    pub(crate) fn print_bytes(&self, bytes: &[u8]) -> Result<(), Error> {
        let mut out = std::io::stdout().lock();
        out.write_all(bytes)?;
        out.flush()?;
        Ok(())
    }

    /// Write a value as pretty JSON and a newline.
    pub(crate) fn json<T: Serialize + ?Sized>(&self, value: &T) -> Result<(), Error> {
        let mut text = serde_json::to_string_pretty(value)
            .map_err(|e| Error::config(format!("cannot encode JSON: {e}")))?;
        text.push('\n');
        self.print(&text)
    }

    /// A `warning:` line (and its hints) on stderr, unless `-q`.
    pub(crate) fn warn(&self, message: &str, hints: &[&str]) {
        if self.quiet {
            return;
        }
        let mut text = format!("warning: {message}\n");
        for hint in hints {
            text.push_str(&format!("hint: {hint}\n"));
        }
        eprint!("{text}");
    }

    pub(crate) fn paint(&self, text: &str, color: Color) -> String {
        if !self.color || text.is_empty() {
            return text.to_string();
        }
        let code = match color {
            Color::Green => "32",
            Color::Yellow => "33",
            Color::Red => "31",
            Color::Dim => "2",
            Color::Bold => "1",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }
}

/// A table of left-aligned columns separated by two spaces, kubectl style: easy to read and
/// to cut with `awk`. Cells may carry a colour, applied after alignment.
#[derive(Debug, Default)]
pub(crate) struct Table {
    header: Vec<String>,
    rows: Vec<Vec<(String, Option<Color>)>>,
}

impl Table {
    pub(crate) fn new(header: &[&str]) -> Self {
        Self {
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub(crate) fn row(&mut self, cells: Vec<String>) {
        self.rows
            .push(cells.into_iter().map(|c| (c, None)).collect());
    }

    pub(crate) fn styled_row(&mut self, cells: Vec<(String, Option<Color>)>) {
        self.rows.push(cells);
    }

    pub(crate) fn render(&self, out: &Output) -> String {
        let cols = self.header.len();
        let width = |s: &str| s.chars().count();
        let mut widths: Vec<usize> = self.header.iter().map(|h| width(h)).collect();
        for row in &self.rows {
            for (i, (cell, _)) in row.iter().enumerate().take(cols) {
                widths[i] = widths[i].max(width(cell));
            }
        }
        let mut text = String::new();
        let line = |cells: Vec<(&str, Option<Color>)>, text: &mut String| {
            let mut buf = String::new();
            for (i, (cell, color)) in cells.iter().enumerate() {
                let pad = if i + 1 == cells.len() {
                    String::new()
                } else {
                    " ".repeat(widths[i] - width(cell) + 2)
                };
                match color {
                    Some(c) => buf.push_str(&out.paint(cell, *c)),
                    None => buf.push_str(cell),
                }
                buf.push_str(&pad);
            }
            text.push_str(buf.trim_end());
            text.push('\n');
        };
        line(
            self.header
                .iter()
                .map(|h| (h.as_str(), Some(Color::Bold)))
                .collect(),
            &mut text,
        );
        for row in &self.rows {
            line(
                row.iter().map(|(c, s)| (c.as_str(), *s)).collect(),
                &mut text,
            );
        }
        text
    }
}

/// `1.5 GiB`, `512 MiB`, `0 B`: binary units, one decimal.
pub(crate) fn bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// `45s`, `12m`, `5h`, `12d 4h`: a duration, coarsely.
pub(crate) fn duration(secs: u64) -> String {
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{}m", secs / 60),
        3600..86_400 => format!("{}h {}m", secs / 3600, secs % 3600 / 60),
        _ => format!("{}d {}h", secs / 86_400, secs % 86_400 / 3600),
    }
}

/// A progress bar on stderr when it is a terminal (and neither `-q` nor `-o json` was given);
/// otherwise nothing is drawn. Items are remote text, so they are escaped before drawing.
pub(crate) fn progress(out: &Output, what: &str) -> Box<dyn crate::progress::Progress> {
    if out.quiet || out.is_json() || !std::io::stderr().is_terminal() {
        return Box::new(crate::progress::Silent);
    }
    Box::new(Bar::new(what))
}

/// indicatif's bar behind the core's `Progress`.
#[derive(Debug)]
struct Bar(indicatif::ProgressBar);

impl Bar {
    fn new(what: &str) -> Self {
        let bar =
            indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
        let style =
            indicatif::ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                .progress_chars("=> ");
        bar.set_style(style);
        bar.set_prefix(what.to_string());
        Self(bar)
    }
}

impl crate::progress::Progress for Bar {
    fn start(&self, total: u64) {
        self.0.set_length(total);
    }
    fn step(&self, item: &str) {
        self.0.set_message(escape_line(item));
        self.0.inc(1);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}
