//! The adversarial suite: what an attacker or an unlucky operator would try against the
//! edges — hostile exec parameters, hostile heartbeats and slow clients against the real hub,
//! hostile packs and fleet files, and machines that lie — each refused with its documented
//! exit code or HTTP status, with nothing stored or changed.

mod exec;
mod fleet;
mod hub;
mod packs;
