//! The backup methods of the [`Gogga`] façade, the ones the CLI and the
//! desktop's backups screen call. Every method runs its blocking work off
//! the async executor. `backup_now` records each attempt in the store and
//! announces it as an `Event::Backup` — a failure is never silent. `list`,
//! `verify` and `restore` need no open core (a restore must not have one).

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use super::catalog::{self, ArchiveInfo};
use super::restore::{self, RestoreReport, RestoreRequest, VerifyReport};
use super::run::{self, BackupReport, RunOptions};
use super::schedule::{self, BackupStatus};
use super::target::FsTarget;
use super::timestamp;
use crate::app::{Gogga, OpenOptions};
use crate::error::{Error, ErrorKind, Result};
use crate::event::Event;
use crate::store::fs_kind::FsKind;
use crate::store::snapshot::BackupRunRow;

impl Gogga {
    /// Back up now to `to`, or to the configured folder.
    pub async fn backup_now(&self, to: Option<PathBuf>) -> Result<BackupReport> {
        let this = self.clone();
        crate::spawn::blocking(move || this.backup_blocking(to)).await
    }

    /// Last success, last failure, next scheduled run.
    pub async fn backup_status(&self) -> Result<BackupStatus> {
        let this = self.clone();
        crate::spawn::blocking(move || this.backup_status_blocking()).await
    }

    /// The archives in `dir`, newest first (no open core needed).
    pub async fn list_backups(dir: PathBuf) -> Result<Vec<ArchiveInfo>> {
        crate::spawn::blocking(move || catalog::list(&dir)).await
    }

    /// Check an archive completely (no open core needed).
    pub async fn verify_backup(archive: PathBuf) -> Result<VerifyReport> {
        crate::spawn::blocking(move || restore::verify(&archive)).await
    }

    /// Replace the data folder of `options` (or `data_dir`) with `archive`.
    /// Refused while any core has that folder open: close yours first.
    pub async fn restore_backup(
        options: OpenOptions,
        archive: PathBuf,
        data_dir: Option<PathBuf>,
        keep_previous: bool,
    ) -> Result<RestoreReport> {
        crate::spawn::blocking(move || {
            let data_dir = match data_dir {
                Some(d) => d,
                None => options.resolve()?.1.data_dir,
            };
            restore::restore(&RestoreRequest { archive, data_dir, keep_previous })
        })
        .await
    }

    fn backup_blocking(&self, to: Option<PathBuf>) -> Result<BackupReport> {
        let config = &self.config().backup;
        let Some(folder) = to.or_else(|| config.folder.clone()) else {
            let err = Error::new(
                ErrorKind::NotConfigured,
                "no backup folder is set: choose one in Backups (or pass --to DIR to `gogga backup`)",
            );
            self.inner.events.emit(Event::Backup { ok: false, path: None, message: err.to_string() });
            return Err(err);
        };
        let runtime = &self.inner.backup;
        if runtime.running.swap(true, Ordering::SeqCst) {
            return Err(Error::new(
                ErrorKind::Busy,
                "a backup is already running; try again when it is done",
            ));
        }
        let started_at = timestamp::now_unix();
        let opts = RunOptions { keep: config.keep, level: config.compression_level };
        let result = FsTarget::new(&folder).and_then(|(target, kind)| {
            run::run(self.store(), &self.paths().data_dir, &target, &kind_name(kind), opts)
        });
        runtime.running.store(false, Ordering::SeqCst);
        let (ok, archive, bytes, message) = match &result {
            Ok(r) => (
                true,
                Some(r.archive.clone()),
                Some(r.bytes),
                format!("backed up to {}", folder.join(&r.archive).display()),
            ),
            Err(e) => (false, None, None, format!("backup to {} failed: {e}", folder.display())),
        };
        let row = BackupRunRow {
            id: crate::id::new_id(),
            started_at,
            finished_at: timestamp::now_unix(),
            ok,
            target: folder.display().to_string(),
            archive: archive.clone(),
            bytes,
            message: message.clone(),
        };
        if let Err(e) = self.store().record_backup_run(&row) {
            tracing::warn!(error = %e, "could not record the backup outcome");
        }
        if ok {
            tracing::info!(%message, "backup done");
        } else {
            tracing::warn!(%message, "backup failed");
        }
        let path = archive.map(|a| folder.join(a).display().to_string());
        self.inner.events.emit(Event::Backup { ok, path, message });
        result
    }

    /// When the schedule runs next, from the store alone: the scheduler
    /// must not touch the (maybe hung) network folder just to decide.
    pub(crate) async fn backup_due(&self) -> Result<Option<i64>> {
        let this = self.clone();
        crate::spawn::blocking(move || {
            let config = &this.config().backup;
            let (success, failure) = this.store().last_backup_runs()?;
            Ok(config.folder.as_ref().and_then(|_| {
                schedule::next_due(
                    config.every_hours,
                    success.as_ref().map(|r| r.finished_at),
                    failure.as_ref().map(|r| r.finished_at),
                    timestamp::now_unix(),
                )
            }))
        })
        .await
    }

    fn backup_status_blocking(&self) -> Result<BackupStatus> {
        let config = &self.config().backup;
        let (success, failure) = self.store().last_backup_runs()?;
        let folder_kind = config.folder.as_ref().map(|f| match FsTarget::new(f) {
            Ok((_, kind)) => kind_name(kind),
            Err(e) => format!("unreachable: {e}"),
        });
        let next = config.folder.as_ref().and_then(|_| {
            schedule::next_due(
                config.every_hours,
                success.as_ref().map(|r| r.finished_at),
                failure.as_ref().map(|r| r.finished_at),
                timestamp::now_unix(),
            )
        });
        Ok(BackupStatus {
            folder: config.folder.as_ref().map(|f| f.display().to_string()),
            folder_kind,
            every_hours: config.every_hours,
            keep: config.keep,
            running: self.inner.backup.running.load(Ordering::SeqCst),
            last_success: success.map(Into::into),
            last_failure: failure.map(Into::into),
            next_run: next.map(timestamp::rfc3339),
            next_run_unix: next,
        })
    }
}

fn kind_name(kind: FsKind) -> String {
    match kind {
        FsKind::Local => "local".to_owned(),
        FsKind::Network(name) => name.to_owned(),
    }
}
