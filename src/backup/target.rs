//! The backup folder, seen through the few operations a backup performs on
//! it. Everything that touches the target goes through [`Target`], so a test
//! can count the operations (a handful, whatever the size: data is written
//! in [`WRITE_CHUNK`] pieces) or inject failures (a full disk), and a
//! benchmark can add network latency. [`FsTarget`] is the real folder, NFS
//! or SMB included; errors name the folder and say what to do.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};
use crate::store::fs_kind::{self, FsKind};

/// Bytes per write (and read) on the target: on NFS every call is a round
/// trip, so fewer, bigger calls.
pub const WRITE_CHUNK: usize = 8 << 20;

/// A file being written on the target.
pub trait TargetFile: Write + Send {
    /// Flush to stable storage (fsync).
    fn sync(&mut self) -> io::Result<()>;
}

/// The operations a backup performs on its folder.
pub trait Target: Send + Sync {
    /// The folder, for messages.
    fn describe(&self) -> String;
    /// Create `name`, which must not exist, and lock it against cleanup.
    fn create(&self, name: &str) -> io::Result<Box<dyn TargetFile>>;
    /// Open `name` for reading.
    fn open(&self, name: &str) -> io::Result<Box<dyn Read + Send>>;
    /// Rename within the folder, replacing nothing (the names are unique).
    fn rename(&self, from: &str, to: &str) -> io::Result<()>;
    /// Make renames and removals durable (fsync the folder).
    fn sync_dir(&self) -> io::Result<()>;
    /// Remove `name`.
    fn remove(&self, name: &str) -> io::Result<()>;
    /// File names in the folder.
    fn list(&self) -> io::Result<Vec<String>>;
    /// Remove `name` (a `.partial`) only if no live writer holds its lock.
    fn remove_if_abandoned(&self, name: &str) -> io::Result<bool>;
}

/// A real folder.
#[derive(Debug, Clone)]
pub struct FsTarget {
    dir: PathBuf,
}

impl FsTarget {
    /// Check that `dir` exists and is a folder; report its filesystem kind.
    pub fn new(dir: &Path) -> Result<(FsTarget, FsKind)> {
        match std::fs::metadata(dir) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => return Err(Error::invalid(format!("backup folder {} is not a folder", dir.display()))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(Error::not_found(format!(
                    "backup folder {} does not exist (is the network share mounted?)",
                    dir.display()
                )));
            }
            Err(e) => return Err(Error::io(format!("backup folder {}", dir.display()), e)),
        }
        let kind = fs_kind::probe(dir)?;
        Ok((FsTarget { dir: dir.to_path_buf() }, kind))
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

struct FsFile(File);

impl Write for FsFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl TargetFile for FsFile {
    fn sync(&mut self) -> io::Result<()> {
        self.0.sync_all()
    }
}

impl Target for FsTarget {
    fn describe(&self) -> String {
        self.dir.display().to_string()
    }

    fn create(&self, name: &str) -> io::Result<Box<dyn TargetFile>> {
        let file = OpenOptions::new().write(true).create_new(true).open(self.dir.join(name))?;
        // A lock the writer holds until it exits (or is killed): cleanup
        // only removes partial files nobody holds. Filesystems without locks
        // (some SMB mounts) just skip this protection.
        if let Err(e) = file.try_lock() {
            tracing::debug!(error = %e, "backup file lock not available");
        }
        Ok(Box::new(FsFile(file)))
    }

    fn open(&self, name: &str) -> io::Result<Box<dyn Read + Send>> {
        Ok(Box::new(File::open(self.dir.join(name))?))
    }

    fn rename(&self, from: &str, to: &str) -> io::Result<()> {
        std::fs::rename(self.dir.join(from), self.dir.join(to))
    }

    fn sync_dir(&self) -> io::Result<()> {
        File::open(&self.dir)?.sync_all()
    }

    fn remove(&self, name: &str) -> io::Result<()> {
        std::fs::remove_file(self.dir.join(name))
    }

    fn list(&self) -> io::Result<Vec<String>> {
        let mut names = Vec::new();
        for entry in std::fs::read_dir(&self.dir)? {
            if let Some(name) = entry?.file_name().to_str() {
                names.push(name.to_owned());
            }
        }
        Ok(names)
    }

    fn remove_if_abandoned(&self, name: &str) -> io::Result<bool> {
        let path = self.dir.join(name);
        let file = OpenOptions::new().write(true).open(&path)?;
        match file.try_lock() {
            Ok(()) => {
                std::fs::remove_file(&path)?;
                Ok(true)
            }
            Err(std::fs::TryLockError::WouldBlock) => Ok(false),
            // No lock support: fall back to age, one day old is abandoned.
            Err(std::fs::TryLockError::Error(_)) => {
                let age = file.metadata()?.modified()?.elapsed().unwrap_or_default();
                if age.as_secs() > 86_400 {
                    std::fs::remove_file(&path)?;
                    return Ok(true);
                }
                Ok(false)
            }
        }
    }
}

/// Turn an I/O error on the target into a message that says what to do.
pub fn target_error(target: &dyn Target, doing: &str, err: io::Error) -> Error {
    let folder = target.describe();
    let hint = match err.raw_os_error() {
        Some(code)
            if code == rustix::io::Errno::NOSPC.raw_os_error()
                || code == rustix::io::Errno::DQUOT.raw_os_error() =>
        {
            format!("the backup folder {folder} is full; free some space or choose another folder")
        }
        Some(code) if code == rustix::io::Errno::ROFS.raw_os_error() => {
            format!("the backup folder {folder} is read-only; mount it read-write or choose another folder")
        }
        _ if err.kind() == io::ErrorKind::PermissionDenied => {
            format!("no permission to write in the backup folder {folder}")
        }
        _ if err.kind() == io::ErrorKind::NotFound => {
            format!("the backup folder {folder} disappeared (was the network share unmounted?)")
        }
        _ => format!("the backup folder {folder} failed"),
    };
    Error::new(ErrorKind::Backup, format!("{hint} ({doing}: {err})")).with_source(err)
}
