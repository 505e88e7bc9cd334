//! Leader election between processes sharing one data folder (the desktop
//! app and the CLI may run at once): an exclusive lock on
//! `<data>/leader.lock` (std's `File::try_lock`, an OS advisory lock that
//! the kernel drops when the process exits, however it exits). The holder
//! owns the index writer and runs the workers; the others queue jobs and
//! read. The holder writes its pid into the file so others can say who
//! leads.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The held lock; dropping it (or exiting) lets another process lead.
#[derive(Debug)]
pub struct LeaderLock {
    file: File,
    path: PathBuf,
}

/// The lock file's path in a data folder.
pub fn lock_path(data_dir: &Path) -> PathBuf {
    data_dir.join("leader.lock")
}

impl LeaderLock {
    /// Take the lock if nobody holds it; `None` when another process does.
    pub fn try_acquire(data_dir: &Path) -> Result<Option<LeaderLock>> {
        let path = lock_path(data_dir);
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io(format!("opening {}", path.display()), e))?;
        match file.try_lock() {
            Ok(()) => {
                let mut lock = LeaderLock { file, path };
                lock.write_pid()?;
                Ok(Some(lock))
            }
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(Error::io(format!("locking {}", path.display()), e)),
        }
    }

    fn write_pid(&mut self) -> Result<()> {
        let pid = std::process::id().to_string();
        let io = |e| Error::io(format!("writing {}", self.path.display()), e);
        self.file.set_len(0).map_err(io)?;
        self.file.seek(SeekFrom::Start(0)).map_err(io)?;
        self.file.write_all(pid.as_bytes()).map_err(io)?;
        Ok(())
    }
}

/// The pid of the leading process, if one leads now (the file keeps the
/// last leader's pid after it exits, so the lock itself is checked).
pub fn leader_pid(data_dir: &Path) -> Option<u32> {
    let path = lock_path(data_dir);
    let file = OpenOptions::new().read(true).open(&path).ok()?;
    match file.try_lock_shared() {
        Ok(()) => None, // nobody holds it exclusively: no leader
        Err(_) => std::fs::read_to_string(&path).ok()?.trim().parse().ok(),
    }
}
