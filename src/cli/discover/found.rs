//! What every discover source ends with: the candidates as a table or `-o json`, and with
//! `--import`, their machine entries added to fleet.yaml in the work tree.

use super::Context;
use crate::discover::Candidate;
use crate::error::Error;

/// `--import` and the settings of the machines it adds (flattened into each source's flags).
#[derive(Debug, Default, clap::Args)]
pub(crate) struct ImportArgs {
    /// Add these candidates (by the id shown) to fleet.yaml in the work tree
    #[arg(long = "import", value_name = "ID", num_args = 1..)]
    pub(crate) import: Vec<String>,
}

/// Show the candidates; import the chosen ones.
pub(crate) fn finish(
    cx: &Context,
    candidates: &[Candidate],
    import: &ImportArgs,
) -> Result<(), Error> {
    if !import.import.is_empty() {
        return Err(Error::config("--import is not built yet"));
    }
    if cx.out.is_json() {
        return cx
            .out
            .json(&serde_json::json!({ "candidates": candidates }));
    }
    cx.out
        .print(&super::table::render(&cx.out, candidates, cx.now()))
}
