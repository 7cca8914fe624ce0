//! Operations on the fleet as a whole: following the fleet repository's remote (`sync`).

pub(crate) mod git;
pub(crate) mod sync;
