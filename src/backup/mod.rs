//! Backups: consistent snapshots packed into one verified archive, written
//! to any folder (an NFS or SMB share included), on demand or on a schedule
//! with retention, and verified restore.
//!
//! The pieces: [`run`] takes one backup (snapshot on local disk via the
//! store, check, pack, write with a handful of operations on the target,
//! read back, prune); [`archive`] is the file format (tar + zstd, manifest
//! first, SHA-256 trailer last, see [`manifest`]); [`target`] is the backup
//! folder behind a small trait (counted and failure-injected in tests);
//! [`restore`] verifies and restores; [`catalog`] lists a folder;
//! [`schedule`] runs backups every N hours and reports status; [`lock`]
//! keeps a restore from pulling the folder out from under a running core.
//! The façade methods are in `facade.rs`.
//!
//! Secrets are never in a backup: API keys live in the config folder and
//! the system keyring, which are not part of the data folder, and an
//! archive holds only the database (`gogga.db`) and its manifest.

pub mod archive;
pub mod catalog;
mod facade;
pub mod lock;
pub mod manifest;
pub mod restore;
pub mod run;
pub mod schedule;
pub mod target;
pub mod timestamp;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub use catalog::ArchiveInfo;
pub use manifest::Manifest;
pub use restore::{RestoreReport, RestoreRequest, VerifyReport};
pub use run::{BackupReport, Timings};
pub use schedule::{BackupStatus, RunSummary};

/// `[backup]` in config.toml.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BackupConfig {
    /// Where scheduled backups go (an absolute path; may be a network share).
    /// Unset: only `gogga backup --to DIR`.
    pub folder: Option<PathBuf>,
    /// Take a backup every this many hours while the app runs, and on start
    /// when one is overdue; 0 turns the schedule off.
    pub every_hours: u32,
    /// Keep the newest this many archives in the folder.
    pub keep: u32,
    /// zstd compression level, 1 (fast, the default: measured 2x faster
    /// than 3 for 7% more bytes) to 19 (small).
    pub compression_level: i32,
}

impl Default for BackupConfig {
    fn default() -> Self {
        BackupConfig { folder: None, every_hours: 24, keep: 7, compression_level: 1 }
    }
}

impl BackupConfig {
    /// Cross-field checks.
    pub fn validate(&self) -> Result<()> {
        if self.keep == 0 {
            return Err(Error::config("backup.keep must be at least 1 (the newest backup is always kept)"));
        }
        if self.every_hours > 24 * 366 {
            return Err(Error::config(
                "backup.every_hours is more than a year; use 0 to turn the schedule off",
            ));
        }
        if !(1..=19).contains(&self.compression_level) {
            return Err(Error::config("backup.compression_level must be between 1 and 19"));
        }
        if let Some(folder) = &self.folder
            && !folder.is_absolute()
        {
            return Err(Error::config(format!(
                "backup.folder must be an absolute path, not {}",
                folder.display()
            )));
        }
        Ok(())
    }
}

/// Per-core backup state (in `app::Inner`): the shared in-use lock on the
/// data folder, and whether a backup of this core is running.
#[derive(Debug)]
pub(crate) struct Runtime {
    pub(crate) _in_use: lock::Held,
    pub(crate) running: std::sync::atomic::AtomicBool,
}

impl Runtime {
    /// Take the data folder's in-use lock (shared).
    pub(crate) fn open(data_dir: &std::path::Path) -> Result<Runtime> {
        Ok(Runtime {
            _in_use: lock::in_use_shared(data_dir)?,
            running: std::sync::atomic::AtomicBool::new(false),
        })
    }
}

#[cfg(test)]
mod tests;
