//! The on-disk sample buffer: `{state_dir}/spool/` holds one JSON file per sample, named by a
//! zero-padded increasing number so that name order is age order. Every sample is written here
//! (atomically) before it is sent, and removed only once the hub has taken it, so a restart or
//! an unreachable hub loses nothing; past `buffer_max` samples the oldest are dropped.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use homelabcmd_proto::Sample;

use crate::atomic;
use crate::log::log;

#[derive(Debug)]
pub(crate) struct Spool {
    dir: PathBuf,
    /// The number the next sample gets.
    next: u64,
    max: usize,
}

impl Spool {
    /// Creates the directory if needed and clears temporary files left by a crash.
    pub(crate) fn open(state_dir: &Path, max: usize) -> io::Result<Spool> {
        let dir = state_dir.join("spool");
        fs::create_dir_all(&dir)?;
        for entry in fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.to_string_lossy().ends_with(atomic::TMP_SUFFIX) {
                let _ = fs::remove_file(&path);
            }
        }
        let mut spool = Spool {
            dir,
            next: 0,
            max: max.max(1),
        };
        spool.next = spool.ids()?.last().map_or(0, |last| last + 1);
        Ok(spool)
    }

    fn path(&self, id: u64) -> PathBuf {
        self.dir.join(format!("{id:020}.json"))
    }

    /// Stores a sample (durably), then drops the oldest ones beyond the bound.
    pub(crate) fn push(&mut self, sample: &Sample) -> io::Result<u64> {
        let id = self.next;
        let json = serde_json::to_vec(sample).map_err(io::Error::other)?;
        atomic::write(&self.path(id), &json)?;
        self.next = id + 1;
        let ids = self.ids()?;
        if ids.len() > self.max {
            let excess = &ids[..ids.len() - self.max];
            self.remove(excess)?;
            log!(
                "buffer full ({} samples): dropped the oldest {}",
                self.max,
                excess.len()
            );
        }
        Ok(id)
    }

    /// The stored samples' numbers, oldest first.
    pub(crate) fn ids(&self) -> io::Result<Vec<u64>> {
        let mut ids = Vec::new();
        for entry in fs::read_dir(&self.dir)? {
            let name = entry?.file_name();
            let Some(stem) = name.to_str().and_then(|n| n.strip_suffix(".json")) else {
                continue;
            };
            if stem.len() == 20
                && stem.bytes().all(|b| b.is_ascii_digit())
                && let Ok(id) = stem.parse()
            {
                ids.push(id);
            }
        }
        ids.sort_unstable();
        Ok(ids)
    }

    pub(crate) fn len(&self) -> io::Result<usize> {
        Ok(self.ids()?.len())
    }

    /// Up to `limit` samples, oldest first. Files that cannot be read as a sample are removed
    /// (and logged): they would block the buffer forever.
    pub(crate) fn oldest(&self, limit: usize) -> io::Result<Vec<(u64, Sample)>> {
        let mut out = Vec::new();
        for id in self.ids()? {
            if out.len() >= limit {
                break;
            }
            let path = self.path(id);
            let parsed = fs::read(&path).and_then(|bytes| {
                serde_json::from_slice::<Sample>(&bytes).map_err(io::Error::other)
            });
            match parsed {
                Ok(sample) => out.push((id, sample)),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => {
                    log!(
                        "dropping unreadable buffered sample {}: {e}",
                        path.display()
                    );
                    let _ = fs::remove_file(&path);
                }
            }
        }
        Ok(out)
    }

    /// Removes samples; ones already gone are fine.
    pub(crate) fn remove(&self, ids: &[u64]) -> io::Result<()> {
        for &id in ids {
            match fs::remove_file(self.path(id)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::TempDir;

    fn sample(secs: i64) -> Sample {
        Sample {
            time: homelabcmd_proto::time::format_rfc3339(secs),
            cpu_percent: 1.5,
            memory: Default::default(),
            filesystems: vec![],
            network: vec![],
            load: Default::default(),
            uptime_secs: 10,
            os: Default::default(),
            updates: Default::default(),
            services: vec![],
            docker: Default::default(),
        }
    }

    #[test]
    fn write_list_oldest_first_delete() {
        let dir = TempDir::new("spool");
        let mut spool = Spool::open(dir.path(), 100).unwrap();
        for t in 0..12 {
            spool.push(&sample(1_700_000_000 + t)).unwrap();
        }
        assert_eq!(spool.ids().unwrap(), (0..12).collect::<Vec<_>>());
        assert!(dir.path().join("spool/00000000000000000011.json").is_file());
        let batch = spool.oldest(5).unwrap();
        assert_eq!(batch.len(), 5);
        assert_eq!(batch[0].1, sample(1_700_000_000));
        assert_eq!(batch[4].0, 4);
        spool.remove(&[0, 1, 2, 3, 4]).unwrap();
        spool.remove(&[3]).unwrap(); // already gone: fine
        assert_eq!(spool.oldest(100).unwrap()[0].0, 5);
        assert_eq!(spool.len().unwrap(), 7);
    }

    #[test]
    fn bounded_drops_oldest() {
        let dir = TempDir::new("spool-bound");
        let mut spool = Spool::open(dir.path(), 3).unwrap();
        for t in 0..5 {
            spool.push(&sample(t)).unwrap();
        }
        assert_eq!(spool.ids().unwrap(), vec![2, 3, 4]);
    }

    #[test]
    fn survives_reopen_and_skips_garbage() {
        let dir = TempDir::new("spool-reopen");
        {
            let mut spool = Spool::open(dir.path(), 10).unwrap();
            spool.push(&sample(1)).unwrap();
            spool.push(&sample(2)).unwrap();
        }
        let spool_dir = dir.path().join("spool");
        fs::write(spool_dir.join("00000000000000000001.json.tmp"), "half").unwrap();
        fs::write(spool_dir.join("notes.txt"), "x").unwrap();
        let mut spool = Spool::open(dir.path(), 10).unwrap();
        assert!(!spool_dir.join("00000000000000000001.json.tmp").exists());
        assert_eq!(spool.push(&sample(3)).unwrap(), 2, "numbering continues");
        fs::write(spool_dir.join("00000000000000000000.json"), "{broken").unwrap();
        let all = spool.oldest(10).unwrap();
        assert_eq!(
            all.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
            vec![1, 2]
        );
        assert!(!spool_dir.join("00000000000000000000.json").exists());
        assert_eq!(all[1].1, sample(3));
    }
}
