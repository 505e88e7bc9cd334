//! The durable job queue. A job is queued, leased by one worker for a
//! while (running), then done, failed or cancelled. A lease that runs out
//! (the worker's process died) puts the job back in the queue, and a new
//! leader takes back every job an earlier process was running at once;
//! `attempts` counts leases, so a job that keeps killing its worker is
//! given up on instead of looping. Jobs queued together share a `batch`
//! id, which a waiting caller (`gogga index`) polls.

use rusqlite::{Connection, params};

use crate::error::Result;

use super::{Store, now_ms};

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Queued,
    Running,
    Done,
    Failed,
    Cancelled,
}

impl JobState {
    fn parse(s: &str) -> JobState {
        match s {
            "queued" => JobState::Queued,
            "running" => JobState::Running,
            "done" => JobState::Done,
            "cancelled" => JobState::Cancelled,
            _ => JobState::Failed,
        }
    }

    /// Done, failed or cancelled.
    pub fn is_finished(self) -> bool {
        matches!(self, JobState::Done | JobState::Failed | JobState::Cancelled)
    }
}

/// A job row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRow {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub state: JobState,
    pub attempts: i64,
    pub outcome: Option<String>,
    pub error_code: Option<String>,
    pub error: Option<String>,
    pub batch: Option<String>,
}

/// A job to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJob {
    pub kind: String,
    pub payload: String,
    pub batch: Option<String>,
}

const JOB_COLUMNS: &str = "id, kind, payload, state, attempts, outcome, error_code, error, batch";

fn job_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<JobRow> {
    let state: String = r.get(3)?;
    Ok(JobRow {
        id: r.get(0)?,
        kind: r.get(1)?,
        payload: r.get(2)?,
        state: JobState::parse(&state),
        attempts: r.get(4)?,
        outcome: r.get(5)?,
        error_code: r.get(6)?,
        error: r.get(7)?,
        batch: r.get(8)?,
    })
}

/// Mark jobs done with their outcomes (inside a caller's transaction).
pub(crate) fn finish_in(conn: &Connection, done: &[(i64, String)]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "UPDATE jobs SET state = 'done', outcome = ?2, error_code = NULL, error = NULL, leased_by = NULL,
           lease_until = NULL, updated_at = ?3 WHERE id = ?1",
    )?;
    let now = now_ms();
    for (id, outcome) in done {
        stmt.execute(params![id, outcome, now])?;
    }
    Ok(())
}

/// Queue an `embed` job for a document unless one is already waiting.
pub(crate) fn enqueue_embed_in(conn: &Connection, document_id: &str) -> Result<()> {
    let payload = serde_json::json!({ "document_id": document_id }).to_string();
    let exists = conn
        .prepare_cached("SELECT 1 FROM jobs WHERE kind = 'embed' AND payload = ?1 AND state = 'queued'")?
        .exists([&payload])?;
    if !exists {
        conn.prepare_cached(
            "INSERT INTO jobs (kind, payload, created_at, updated_at) VALUES ('embed', ?1, ?2, ?2)",
        )?
        .execute(params![payload, now_ms()])?;
    }
    Ok(())
}

impl Store {
    /// Queue jobs; returns their ids in order.
    pub fn enqueue(&self, jobs: &[NewJob]) -> Result<Vec<i64>> {
        self.write(|tx| {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO jobs (kind, payload, batch, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
            )?;
            let now = now_ms();
            let mut ids = Vec::with_capacity(jobs.len());
            for j in jobs {
                stmt.execute(params![j.kind, j.payload, j.batch, now])?;
                ids.push(tx.last_insert_rowid());
            }
            Ok(ids)
        })
    }

    /// Queue a job unless one of the same kind and payload is already
    /// queued. Returns whether it was queued.
    pub fn enqueue_unique(&self, job: &NewJob) -> Result<bool> {
        self.write(|tx| {
            let exists = tx
                .prepare_cached("SELECT 1 FROM jobs WHERE kind = ?1 AND payload = ?2 AND state = 'queued'")?
                .exists(params![job.kind, job.payload])?;
            if exists {
                return Ok(false);
            }
            tx.prepare_cached(
                "INSERT INTO jobs (kind, payload, batch, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
            )?
            .execute(params![job.kind, job.payload, job.batch, now_ms()])?;
            Ok(true)
        })
    }

    /// Lease up to `limit` queued jobs of `kind` for `worker`, oldest
    /// first, for `lease_ms`; each lease counts as an attempt.
    pub fn lease_jobs(&self, kind: &str, worker: &str, lease_ms: i64, limit: usize) -> Result<Vec<JobRow>> {
        self.write(|tx| {
            let now = now_ms();
            let sql = format!(
                "UPDATE jobs SET state = 'running', leased_by = ?1, lease_until = ?2, attempts = attempts + 1,
                   updated_at = ?3
                 WHERE id IN (SELECT id FROM jobs WHERE state = 'queued' AND kind = ?4 AND not_before <= ?3
                              ORDER BY id LIMIT ?5)
                 RETURNING {JOB_COLUMNS}"
            );
            let mut rows = tx
                .prepare_cached(&sql)?
                .query_map(params![worker, now + lease_ms, now, kind, limit as i64], job_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            rows.sort_by_key(|j| j.id);
            Ok(rows)
        })
    }

    /// Keep `worker`'s leases on `ids` alive for another `lease_ms`.
    pub fn extend_leases(&self, ids: &[i64], worker: &str, lease_ms: i64) -> Result<()> {
        self.write(|tx| {
            let mut stmt = tx.prepare_cached(
                "UPDATE jobs SET lease_until = ?3 WHERE id = ?1 AND leased_by = ?2 AND state = 'running'",
            )?;
            let until = now_ms() + lease_ms;
            for id in ids {
                stmt.execute(params![id, worker, until])?;
            }
            Ok(())
        })
    }

    /// Mark jobs done with an outcome each.
    pub fn finish_jobs(&self, done: &[(i64, String)]) -> Result<()> {
        self.write(|tx| finish_in(tx, done))
    }

    /// A job failed: queue it again after `retry_at_ms` (if given and it
    /// has attempts left), else mark it failed with the reason.
    pub fn fail_job(&self, id: i64, code: &str, message: &str, retry_at_ms: Option<i64>) -> Result<()> {
        self.write(|tx| {
            let now = now_ms();
            match retry_at_ms {
                Some(at) => tx.execute(
                    "UPDATE jobs SET state = 'queued', not_before = ?2, error_code = ?3, error = ?4, leased_by = NULL,
                       lease_until = NULL, updated_at = ?5 WHERE id = ?1",
                    params![id, at, code, message, now],
                )?,
                None => tx.execute(
                    "UPDATE jobs SET state = 'failed', error_code = ?2, error = ?3, leased_by = NULL,
                       lease_until = NULL, updated_at = ?4 WHERE id = ?1",
                    params![id, code, message, now],
                )?,
            };
            Ok(())
        })
    }

    /// Put back in the queue every running job not leased by `me` (a new
    /// leader: their workers are gone) or whose lease ran out; jobs that
    /// used up `max_attempts` fail instead. Returns (requeued, failed).
    pub fn recover_jobs(&self, me: &str, max_attempts: i64) -> Result<(usize, usize)> {
        self.write(|tx| {
            let now = now_ms();
            let failed = tx.execute(
                "UPDATE jobs SET state = 'failed', error_code = 'gave_up',
                   error = 'gave up after ' || attempts || ' attempts: the worker stopped while running it each time',
                   leased_by = NULL, lease_until = NULL, updated_at = ?3
                 WHERE state = 'running' AND (leased_by IS NOT ?1 OR lease_until < ?2) AND attempts >= ?4",
                params![me, now, now, max_attempts],
            )?;
            let requeued = tx.execute(
                "UPDATE jobs SET state = 'queued', leased_by = NULL, lease_until = NULL, updated_at = ?3
                 WHERE state = 'running' AND (leased_by IS NOT ?1 OR lease_until < ?2)",
                params![me, now, now],
            )?;
            Ok((requeued, failed))
        })
    }

    /// How many jobs of a batch are not finished yet: a count on the
    /// batch index, so a caller waiting for thousands of files does not
    /// read every job row each time it looks.
    pub fn batch_unfinished(&self, batch: &str) -> Result<u64> {
        self.read(|c| {
            let n: i64 = c
                .prepare_cached(
                    "SELECT count(*) FROM jobs WHERE batch = ?1 AND state IN ('queued', 'running')",
                )?
                .query_row([batch], |r| r.get(0))?;
            Ok(n as u64)
        })
    }

    /// Every job of a batch, in order.
    pub fn batch_jobs(&self, batch: &str) -> Result<Vec<JobRow>> {
        self.read(|c| {
            let sql = format!("SELECT {JOB_COLUMNS} FROM jobs WHERE batch = ?1 ORDER BY id");
            Ok(c.prepare_cached(&sql)?
                .query_map([batch], job_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// One job.
    pub fn job(&self, id: i64) -> Result<Option<JobRow>> {
        use rusqlite::OptionalExtension;
        self.read(|c| {
            let sql = format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = ?1");
            Ok(c.prepare_cached(&sql)?.query_row([id], job_from_row).optional()?)
        })
    }

    /// Cancel the queued jobs of a batch; returns how many.
    pub fn cancel_batch(&self, batch: &str) -> Result<usize> {
        self.write(|tx| {
            Ok(tx.execute(
                "UPDATE jobs SET state = 'cancelled', updated_at = ?2 WHERE batch = ?1 AND state = 'queued'",
                params![batch, now_ms()],
            )?)
        })
    }

    /// Queued and running jobs per kind.
    pub fn queue_depth(&self) -> Result<Vec<(String, i64)>> {
        self.read(|c| {
            Ok(c.prepare_cached(
                "SELECT kind, count(*) FROM jobs WHERE state IN ('queued', 'running') GROUP BY kind ORDER BY kind",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// The earliest `not_before` of queued jobs (for a worker's next wake).
    pub fn next_job_due(&self) -> Result<Option<i64>> {
        self.read(|c| {
            Ok(c.prepare_cached("SELECT min(not_before) FROM jobs WHERE state = 'queued'")?
                .query_row([], |r| r.get(0))?)
        })
    }

    /// Forget finished jobs last touched before `before_ms`.
    pub fn prune_jobs(&self, before_ms: i64) -> Result<usize> {
        self.write(|tx| {
            Ok(tx.execute(
                "DELETE FROM jobs WHERE state IN ('done', 'failed', 'cancelled') AND updated_at < ?1",
                [before_ms],
            )?)
        })
    }
}
