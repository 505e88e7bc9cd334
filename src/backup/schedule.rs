//! Scheduled backups and backup status. While a core is open with
//! `OpenOptions::backup_schedule` (the desktop app), a backup folder
//! configured and `every_hours > 0`, a task wakes when the next
//! backup is due — right away on start when one is overdue — and runs it
//! like "backup now" does, so its failures are recorded and announced the
//! same way (an `Event::Backup { ok: false, .. }` with the reason). After a
//! failure it tries again after an hour (or `every_hours`, if shorter).
//! The task holds only a weak reference: it never keeps a closed core
//! alive. It re-reads the wall clock at least every five minutes, so a
//! laptop that slept past the due time backs up soon after waking.

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;

use super::timestamp;
use crate::app::Gogga;
use crate::store::snapshot::BackupRunRow;

/// After a failed scheduled run, wait at most this long before the next.
const RETRY_SECS: i64 = 3600;
/// Re-check the wall clock at least this often while waiting.
const MAX_NAP_SECS: i64 = 300;

/// The backups screen and `gogga backup status`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupStatus {
    /// The configured folder and its filesystem kind ("local", "NFS", ...,
    /// or why it cannot be reached).
    pub folder: Option<String>,
    pub folder_kind: Option<String>,
    pub every_hours: u32,
    pub keep: u32,
    /// A backup of this core is running now.
    pub running: bool,
    pub last_success: Option<RunSummary>,
    pub last_failure: Option<RunSummary>,
    /// When the schedule runs next (None: no folder or schedule off).
    pub next_run: Option<String>,
    pub next_run_unix: Option<i64>,
}

/// One recorded attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunSummary {
    pub at: String,
    pub at_unix: i64,
    pub folder: String,
    pub archive: Option<String>,
    pub bytes: Option<u64>,
    /// What happened: the archive made, or the reason it failed.
    pub message: String,
}

impl From<BackupRunRow> for RunSummary {
    fn from(r: BackupRunRow) -> Self {
        RunSummary {
            at: timestamp::rfc3339(r.finished_at),
            at_unix: r.finished_at,
            folder: r.target,
            archive: r.archive,
            bytes: r.bytes,
            message: r.message,
        }
    }
}

/// When the next scheduled backup is due (Unix seconds), or None when the
/// schedule is off. Never backed up: now. A failure newer than the last
/// success pushes the next try at least `min(every, 1 h)` past it.
pub fn next_due(
    every_hours: u32,
    last_success: Option<i64>,
    last_failure: Option<i64>,
    now: i64,
) -> Option<i64> {
    if every_hours == 0 {
        return None;
    }
    let every = i64::from(every_hours) * 3600;
    let mut due = last_success.map_or(now, |s| s + every);
    if let Some(f) = last_failure
        && last_success.is_none_or(|s| f > s)
    {
        due = due.max(f + every.min(RETRY_SECS));
    }
    Some(due)
}

/// Start the schedule for this core, if configured.
pub(crate) fn start(gogga: &Gogga) {
    let config = &gogga.config().backup;
    if config.folder.is_none() || config.every_hours == 0 {
        return;
    }
    let weak = Arc::downgrade(&gogga.inner);
    crate::spawn::task(async move {
        loop {
            let Some(inner) = weak.upgrade() else { return };
            let due = match (Gogga { inner }).backup_due().await {
                Ok(due) => due,
                Err(e) => {
                    tracing::warn!(error = %e, "backup schedule: cannot read the status");
                    Some(timestamp::now_unix() + RETRY_SECS)
                }
            };
            let Some(due) = due else { return };
            let wait = due - timestamp::now_unix();
            if wait > 0 {
                tokio::time::sleep(Duration::from_secs(wait.min(MAX_NAP_SECS).unsigned_abs())).await;
                continue;
            }
            let Some(inner) = weak.upgrade() else { return };
            // The outcome is recorded and announced by backup_now itself.
            if let Err(e) = (Gogga { inner }).backup_now(None).await {
                tracing::warn!(error = %e, "scheduled backup failed");
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_due_table() {
        let h = 3600;
        let now = 1_000_000;
        type Case = (u32, Option<i64>, Option<i64>, Option<i64>);
        let cases: &[Case] = &[
            (0, None, None, None),                                        // schedule off
            (24, None, None, Some(now)),                                  // never: now (overdue on start)
            (24, Some(now - h), None, Some(now + 23 * h)),                // fresh
            (24, Some(now - 30 * h), None, Some(now - 6 * h)),            // overdue: in the past = run now
            (24, Some(now - 30 * h), Some(now - 10), Some(now - 10 + h)), // failed just now: retry in 1 h
            (24, Some(now - h), Some(now - 2 * h), Some(now + 23 * h)),   // old failure, newer success
            (1, None, Some(now - 60), Some(now - 60 + h)), // never succeeded, failed: retry later
        ];
        for (every, ok, fail, want) in cases {
            assert_eq!(next_due(*every, *ok, *fail, now), *want, "every={every} ok={ok:?} fail={fail:?}");
        }
    }
}
