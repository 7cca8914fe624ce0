//! Progress of a long operation (a scan, an install over many machines), told by the core as
//! it goes and drawn, or not, by whoever called it. The core never knows about terminals.

/// What the core tells about a long operation.
pub(crate) trait Progress: Send + Sync {
    /// `total` steps are ahead (machines, addresses, devices).
    fn start(&self, total: u64);
    /// One step is done; `item` names it (a machine id, an address).
    fn step(&self, item: &str);
    /// Everything is done (or given up); the drawing, if any, is cleared.
    fn finish(&self);
}

/// Progress nobody watches: for `-o json`, `-q`, a pipe, `serve` and tests.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Silent;

impl Progress for Silent {
    fn start(&self, _total: u64) {}
    fn step(&self, _item: &str) {}
    fn finish(&self) {}
}
