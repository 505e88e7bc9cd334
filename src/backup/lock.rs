//! Advisory locks on files in the (local) data folder, so processes that
//! share it agree on who may do what. Every open `Gogga` holds a SHARED lock
//! on `in-use.lock`; a restore needs it EXCLUSIVE, so it is refused while
//! the desktop app or another command has the store open, and an open is
//! refused while a restore swaps the folder. `backup.lock` is exclusive to
//! one running backup per data folder (the scheduler and `gogga backup` may
//! both try). Locks die with their process, `kill -9` included.

use std::fs::{File, OpenOptions};
use std::path::Path;

use crate::error::{Error, ErrorKind, Result};

/// The lock file every open core holds shared.
pub const IN_USE: &str = "in-use.lock";
/// The lock file a running backup holds exclusive.
pub const BACKUP: &str = "backup.lock";

/// A held lock; released on drop.
#[derive(Debug)]
pub struct Held {
    _file: File,
}

/// Take `data_dir/in-use.lock` shared (an open core).
pub fn in_use_shared(data_dir: &Path) -> Result<Held> {
    let file = open(data_dir, IN_USE, true)?;
    match file.try_lock_shared() {
        Ok(()) => Ok(Held { _file: file }),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::new(
            ErrorKind::Busy,
            format!(
                "a restore is replacing the data folder {}; try again when it is done",
                data_dir.display()
            ),
        )),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::io(format!("locking {}", data_dir.display()), e)),
    }
}

/// Take `data_dir/in-use.lock` exclusive (a restore). `Ok(None)` when the
/// folder has never been opened by a core (no lock file), so nothing is
/// created in a folder a refused restore must leave untouched.
pub fn in_use_exclusive(data_dir: &Path) -> Result<Option<Held>> {
    if !data_dir.join(IN_USE).exists() {
        return Ok(None);
    }
    let file = open(data_dir, IN_USE, false)?;
    match file.try_lock() {
        Ok(()) => Ok(Some(Held { _file: file })),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::new(
            ErrorKind::Busy,
            format!(
                "Gogga is running on {} (the desktop app or another command); quit it, then restore",
                data_dir.display()
            ),
        )),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::io(format!("locking {}", data_dir.display()), e)),
    }
}

/// Take `data_dir/backup.lock` exclusive (one backup at a time).
pub fn backup(data_dir: &Path) -> Result<Held> {
    let file = open(data_dir, BACKUP, true)?;
    match file.try_lock() {
        Ok(()) => Ok(Held { _file: file }),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::new(
            ErrorKind::Busy,
            "another backup of this data folder is running; try again when it is done",
        )),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::io(format!("locking {}", data_dir.display()), e)),
    }
}

fn open(data_dir: &Path, name: &str, create: bool) -> Result<File> {
    if create {
        std::fs::create_dir_all(data_dir)
            .map_err(|e| Error::io(format!("creating {}", data_dir.display()), e))?;
    }
    let path = data_dir.join(name);
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(create)
        .truncate(false)
        .open(&path)
        .map_err(|e| Error::io(format!("opening {}", path.display()), e))
}
