//! Wire types shared by the homelabcmd hub and its agent (serde only). Filled in by the
//! monitoring work; the crate exists now so the workspace has its final shape.

/// The version of the heartbeat protocol this crate speaks.
pub const PROTOCOL_VERSION: u32 = 1;
