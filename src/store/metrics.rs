//! Metrics in the store: ingesting accepted heartbeats (all in one transaction per batch, so
//! nothing partial is ever stored), reading series back, the latest sample per machine, and
//! pruning: blocks older than 30 days become hourly rollups, rollups older than a year go.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, Transaction, params};

use super::series::{self, Point};
use super::{Store, StoreError};

/// How long samples are kept at full resolution.
pub(crate) const RAW_RETENTION_SECS: i64 = 30 * 86_400;
/// How long hourly rollups are kept.
pub(crate) const ROLLUP_RETENTION_SECS: i64 = 365 * 86_400;

/// One machine's accepted samples from one request.
#[derive(Debug, Clone)]
pub(crate) struct Ingest {
    pub(crate) machine_id: String,
    /// False for a machine that is not in fleet.yaml.
    pub(crate) registered: bool,
    pub(crate) agent_version: String,
    /// When the hub received it (unix seconds): the machine's `last_seen`.
    pub(crate) received: i64,
    pub(crate) points: Vec<Point>,
    /// The newest sample as JSON, with its time, for `status MACHINE`.
    pub(crate) latest: Option<(i64, String)>,
}

/// What happened to one `Ingest`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Stored {
    pub(crate) accepted: u32,
    pub(crate) duplicates: u32,
    /// When the hub heard from the machine before this request (None: never).
    pub(crate) previous_seen: Option<i64>,
}

/// An hour summarised: min, average and max of each metric, and how many samples.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Rollup {
    pub(crate) hour: i64,
    pub(crate) count: u32,
    /// [min, avg, max] of: cpu %, ram %, swap %, load1, fullest disk %, rx bytes/s, tx bytes/s.
    pub(crate) values: [[f32; 3]; 7],
}

impl Store {
    /// Store a batch of requests in one transaction; all or nothing.
    pub(crate) fn ingest(&mut self, batch: &[Ingest]) -> Result<Vec<Stored>, StoreError> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| super::classify(&path, &e))?;
        let mut results = Vec::with_capacity(batch.len());
        for item in batch {
            results.push(ingest_one(&tx, item).map_err(|e| super::classify(&path, &e))?);
        }
        tx.commit().map_err(|e| super::classify(&path, &e))?;
        Ok(results)
    }

    /// The newest sample of every machine: id -> (time, JSON).
    pub(crate) fn latest_samples(&self) -> Result<HashMap<String, (i64, String)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT machine_id, time, sample FROM machine_latest")
            .map_err(|e| self.error(&e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, (r.get(1)?, r.get(2)?))))
            .and_then(|rows| rows.collect::<Result<HashMap<_, _>, _>>())
            .map_err(|e| self.error(&e))?;
        Ok(rows)
    }

    /// The samples of one machine with `from <= time < to`, oldest first.
    pub(crate) fn points(
        &self,
        machine_id: &str,
        from: i64,
        to: i64,
    ) -> Result<Vec<Point>, StoreError> {
        let mut out = Vec::new();
        self.each_block(machine_id, from, to, |hour, data| {
            let points = series::decode(hour, data)?;
            out.extend(points.into_iter().filter(|p| p.time >= from && p.time < to));
            Some(())
        })?;
        Ok(out)
    }

    /// Only the times of those samples (cheaper than `points` by the points not built).
    pub(crate) fn sample_times(
        &self,
        machine_id: &str,
        from: i64,
        to: i64,
    ) -> Result<Vec<i64>, StoreError> {
        let mut out = Vec::new();
        self.each_block(machine_id, from, to, |hour, data| {
            let times = series::decode_times(hour, data)?;
            out.extend(times.into_iter().filter(|&t| t >= from && t < to));
            Some(())
        })?;
        Ok(out)
    }

    /// Each stored block of one machine that may hold samples of `from..to`, oldest first;
    /// `each` gives None for a block it cannot decode.
    fn each_block(
        &self,
        machine_id: &str,
        from: i64,
        to: i64,
        mut each: impl FnMut(i64, &[u8]) -> Option<()>,
    ) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT b.hour, b.data FROM metric_blocks b JOIN machine_keys k ON k.key = b.key
                 WHERE k.machine_id = ?1 AND b.hour >= ?2 AND b.hour < ?3 ORDER BY b.hour",
            )
            .map_err(|e| self.error(&e))?;
        let blocks = stmt
            .query_map(params![machine_id, series::hour_of(from), to], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.error(&e))?;
        for (hour, data) in blocks {
            each(hour, &data).ok_or_else(|| StoreError::Corrupt {
                path: self.path.clone(),
                detail: format!("the metrics block of {machine_id} at {hour} cannot be decoded"),
            })?;
        }
        Ok(())
    }

    /// The hourly rollups of one machine with `from <= hour < to`, oldest first.
    pub(crate) fn rollups(
        &self,
        machine_id: &str,
        from: i64,
        to: i64,
    ) -> Result<Vec<Rollup>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT r.hour, r.data FROM metric_rollups r JOIN machine_keys k ON k.key = r.key
                 WHERE k.machine_id = ?1 AND r.hour >= ?2 AND r.hour < ?3 ORDER BY r.hour",
            )
            .map_err(|e| self.error(&e))?;
        let rows = stmt
            .query_map(params![machine_id, from, to], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.error(&e))?;
        Ok(rows
            .into_iter()
            .filter_map(|(hour, data)| Rollup::decode(hour, &data))
            .collect())
    }

    /// The time of the oldest sample the store holds of any machine (an hourly rollup counts
    /// from its hour): where the hub's history begins. None when it holds none.
    pub(crate) fn first_sample_time(&self) -> Result<Option<i64>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT k.key,
                   (SELECT min(hour) FROM metric_rollups r WHERE r.key = k.key),
                   (SELECT min(hour) FROM metric_blocks b WHERE b.key = k.key)
                 FROM machine_keys k",
            )
            .map_err(|e| self.error(&e))?;
        let firsts = stmt
            .query_map([], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, Option<i64>>(1)?, r.get(2)?))
            })
            .and_then(|rows| rows.collect::<Result<Vec<(i64, Option<i64>, Option<i64>)>, _>>())
            .map_err(|e| self.error(&e))?;
        let rollup = firsts.iter().filter_map(|f| f.1).min();
        let Some(hour) = firsts.iter().filter_map(|f| f.2).min() else {
            return Ok(rollup);
        };
        if rollup.is_some_and(|r| r <= hour) {
            return Ok(rollup);
        }
        // The oldest blocks start at `hour`; their first points say when within it.
        let mut first: Option<i64> = None;
        let mut block = self
            .conn
            .prepare_cached("SELECT data FROM metric_blocks WHERE key = ?1 AND hour = ?2")
            .map_err(|e| self.error(&e))?;
        for (key, _, _) in firsts.iter().filter(|f| f.2 == Some(hour)) {
            let data: Vec<u8> = block
                .query_row(params![key, hour], |r| r.get(0))
                .map_err(|e| self.error(&e))?;
            let t = series::decode(hour, &data)
                .and_then(|points| points.first().map(|p| p.time))
                .unwrap_or(hour);
            first = Some(first.map_or(t, |f| f.min(t)));
        }
        Ok(first.or(Some(hour)))
    }

    /// Turn blocks older than 30 days into rollups and drop rollups older than a year.
    /// Works in slices of `limit` blocks so the writer is never held long; returns how many
    /// blocks it rolled up (call again while it returns `limit`).
    pub(crate) fn prune(&mut self, now: i64, limit: usize) -> Result<usize, StoreError> {
        let path = self.path.clone();
        let err = |e: rusqlite::Error| super::classify(&path, &e);
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(err)?;
        let cutoff = series::hour_of(now - RAW_RETENTION_SECS);
        let old: Vec<(i64, i64, Vec<u8>)> = {
            let mut stmt = tx
                .prepare_cached(
                    "SELECT key, hour, data FROM metric_blocks WHERE hour < ?1 LIMIT ?2",
                )
                .map_err(err)?;
            stmt.query_map(params![cutoff, limit as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(err)?
        };
        for (key, hour, data) in &old {
            if let Some(points) = series::decode(*hour, data)
                && let Some(rollup) = Rollup::of(*hour, &points)
            {
                tx.execute(
                    "INSERT OR REPLACE INTO metric_rollups (key, hour, data) VALUES (?1, ?2, ?3)",
                    params![key, hour, rollup.encode()],
                )
                .map_err(err)?;
            }
            tx.execute(
                "DELETE FROM metric_blocks WHERE key = ?1 AND hour = ?2",
                params![key, hour],
            )
            .map_err(err)?;
        }
        tx.execute(
            "DELETE FROM metric_rollups WHERE hour < ?1",
            params![now - ROLLUP_RETENTION_SECS],
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(old.len())
    }
}

fn machine_key(tx: &Transaction<'_>, machine_id: &str) -> rusqlite::Result<i64> {
    if let Some(key) = tx
        .prepare_cached("SELECT key FROM machine_keys WHERE machine_id = ?1")?
        .query_row([machine_id], |r| r.get(0))
        .optional()?
    {
        return Ok(key);
    }
    tx.prepare_cached("INSERT INTO machine_keys (machine_id) VALUES (?1)")?
        .execute([machine_id])?;
    Ok(tx.last_insert_rowid())
}

fn ingest_one(tx: &Transaction<'_>, item: &Ingest) -> rusqlite::Result<Stored> {
    let key = machine_key(tx, &item.machine_id)?;
    let mut stored = Stored {
        previous_seen: tx
            .prepare_cached("SELECT last_seen FROM machine_state WHERE machine_id = ?1")?
            .query_row([&item.machine_id], |r| r.get::<_, Option<i64>>(0))
            .optional()?
            .flatten(),
        ..Stored::default()
    };
    let mut by_hour: Vec<(i64, Vec<&Point>)> = Vec::new();
    for p in &item.points {
        let hour = series::hour_of(p.time);
        match by_hour.iter_mut().find(|(h, _)| *h == hour) {
            Some((_, ps)) => ps.push(p),
            None => by_hour.push((hour, vec![p])),
        }
    }
    for (hour, new) in by_hour {
        let existing: Option<Vec<u8>> = tx
            .prepare_cached("SELECT data FROM metric_blocks WHERE key = ?1 AND hour = ?2")?
            .query_row(params![key, hour], |r| r.get(0))
            .optional()?;
        let mut points = match existing {
            Some(data) => series::decode(hour, &data).ok_or_else(|| {
                rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT),
                    Some(format!(
                        "the metrics block of {} at {hour} cannot be decoded",
                        item.machine_id
                    )),
                )
            })?,
            None => Vec::new(),
        };
        for p in new {
            if series::insert(&mut points, p.clone()) {
                stored.accepted += 1;
            } else {
                stored.duplicates += 1;
            }
        }
        tx.prepare_cached(
            "INSERT INTO metric_blocks (key, hour, data) VALUES (?1, ?2, ?3)
             ON CONFLICT (key, hour) DO UPDATE SET data = excluded.data",
        )?
        .execute(params![key, hour, series::encode(hour, &points)])?;
    }
    if let Some((time, json)) = &item.latest {
        tx.prepare_cached(
            "INSERT INTO machine_latest (machine_id, time, sample) VALUES (?1, ?2, ?3)
             ON CONFLICT (machine_id) DO UPDATE SET time = excluded.time, sample = excluded.sample
             WHERE excluded.time >= machine_latest.time",
        )?
        .execute(params![item.machine_id, time, json])?;
    }
    tx.prepare_cached(
        "INSERT INTO machine_state (machine_id, first_seen, last_seen, agent_version, registered)
         VALUES (?1, ?2, ?2, ?3, ?4)
         ON CONFLICT (machine_id) DO UPDATE SET
           first_seen = coalesce(min(machine_state.first_seen, excluded.first_seen), excluded.first_seen),
           last_seen = max(coalesce(machine_state.last_seen, 0), excluded.last_seen),
           agent_version = excluded.agent_version,
           registered = excluded.registered",
    )?
    .execute(params![item.machine_id, item.received, item.agent_version, item.registered])?;
    Ok(stored)
}

impl Rollup {
    /// Summarise the samples of one hour; None when there are none.
    pub(crate) fn of(hour: i64, points: &[Point]) -> Option<Self> {
        if points.is_empty() {
            return None;
        }
        let mut acc = [[f32::MAX, 0.0, f32::MIN]; 7];
        let mut counts = [0u32; 7];
        let mut add = |i: usize, v: f64| {
            let v = v as f32;
            acc[i][0] = acc[i][0].min(v);
            acc[i][1] += v;
            acc[i][2] = acc[i][2].max(v);
            counts[i] += 1;
        };
        for (n, p) in points.iter().enumerate() {
            add(0, p.cpu_permille as f64 / 10.0);
            add(1, percent(p.mem_used, p.mem_total));
            add(2, percent(p.swap_used, p.swap_total));
            add(3, p.load[0] as f64 / 100.0);
            if let Some(d) = p
                .disks
                .iter()
                .map(|d| percent(d.used, d.size))
                .reduce(f64::max)
            {
                add(4, d);
            }
            if let Some((rx, tx)) = n.checked_sub(1).and_then(|i| rates(&points[i], p)) {
                add(5, rx);
                add(6, tx);
            }
        }
        let mut values = [[0.0; 3]; 7];
        for i in 0..7 {
            if counts[i] > 0 {
                values[i] = [acc[i][0], acc[i][1] / counts[i] as f32, acc[i][2]];
            }
        }
        Some(Self {
            hour,
            count: points.len() as u32,
            values,
        })
    }

    fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4 + 7 * 12);
        out.extend_from_slice(&self.count.to_le_bytes());
        for v in self.values.iter().flatten() {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out
    }

    fn decode(hour: i64, data: &[u8]) -> Option<Self> {
        if data.len() != 4 + 7 * 12 {
            return None;
        }
        let f = |i: usize| {
            f32::from_le_bytes(data[4 + i * 4..8 + i * 4].try_into().unwrap_or_default())
        };
        let mut values = [[0.0; 3]; 7];
        for (i, v) in values.iter_mut().flatten().enumerate() {
            *v = f(i);
        }
        Some(Self {
            hour,
            count: u32::from_le_bytes(data[..4].try_into().ok()?),
            values,
        })
    }
}

/// `part` of `whole` in percent (0 when `whole` is 0).
pub(crate) fn percent(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    }
}

/// Bytes per second received and sent between two samples; None across a counter reset.
pub(crate) fn rates(before: &Point, after: &Point) -> Option<(f64, f64)> {
    let dt = (after.time - before.time) as f64;
    if dt <= 0.0 || after.net_rx < before.net_rx || after.net_tx < before.net_tx {
        return None;
    }
    // Counters are stored in KiB.
    Some((
        (after.net_rx - before.net_rx) as f64 * 1024.0 / dt,
        (after.net_tx - before.net_tx) as f64 * 1024.0 / dt,
    ))
}
