//! Configuration compliance: what a machine's packs want (`plan`), what the machine holds
//! (`probe`, one SSH round trip), and the difference.

pub(crate) mod apply;
pub(crate) mod check;
pub(crate) mod execute;
pub(crate) mod lock;
pub(crate) mod plan;
pub(crate) mod probe;
pub(crate) mod run;
pub(crate) mod version;
