//! Verify an archive, and restore one into a data folder.
//!
//! Verify extracts the members into a scratch folder (under the system temp
//! folder, `TMPDIR`), checking every checksum on the way, then opens the
//! database read-only, runs `PRAGMA integrity_check` and
//! `foreign_key_check`, and compares app identity, schema version and row
//! counts with the manifest.
//!
//! Restore does the same into a NEW folder beside the data folder (same
//! parent, so same filesystem), migrates it to this build's schema, fsyncs
//! it, and only then swaps: data → `.data.before-restore-…`, new → data,
//! parent fsynced. If the second rename fails the first is undone. The old
//! data is removed after the swap (or kept with `keep_previous`). Anything
//! refused leaves the data folder exactly as it was. The full-text index is
//! not in archives: the restored folder has no `index/`, and the library
//! rebuilds it from SQLite when it finds none at start-up.
//!
//! A restore needs the data folder to itself: it takes `in-use.lock`
//! exclusive and is refused while any core (the desktop app, another
//! command) has the folder open. The desktop app restores by closing its
//! core, calling restore, and opening again.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::archive::{self, Sink, Verified};
use super::lock;
use super::manifest::{APP, DATABASE_NAME, Manifest, refused};
use super::run::ensure_database_member;
use super::target::WRITE_CHUNK;
use crate::error::{Error, ErrorKind, Result};
use crate::store::snapshot::{Check, DatabaseReport, inspect_file};
use crate::store::{SCHEMA_VERSION, Store};

/// What `gogga backup verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    pub archive: PathBuf,
    pub bytes: u64,
    pub sha256: String,
    pub manifest: Manifest,
    /// "ok", after integrity_check, foreign_key_check and the count comparison.
    pub integrity: String,
}

/// What to restore where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreRequest {
    pub archive: PathBuf,
    /// The data folder to replace (created if missing).
    pub data_dir: PathBuf,
    /// Keep the replaced data beside the new one instead of removing it.
    pub keep_previous: bool,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RestoreReport {
    pub data_dir: PathBuf,
    pub archive: PathBuf,
    pub manifest: Manifest,
    /// The restored database's schema, before and after migrating it.
    pub schema_from: u32,
    pub schema_to: u32,
    /// Where the replaced data was kept (with `keep_previous`).
    pub previous: Option<PathBuf>,
    /// The index is not in archives: the library rebuilds it at start-up.
    pub index_rebuild: bool,
}

/// Check an archive fully; see the module doc.
pub fn verify(archive: &Path) -> Result<VerifyReport> {
    let scratch = Scratch::create(&std::env::temp_dir(), "gogga-verify")?;
    let verified = extract(archive, &scratch.0)?;
    check_database(&scratch.0, &verified.manifest)?;
    Ok(VerifyReport {
        archive: archive.to_path_buf(),
        bytes: verified.bytes,
        sha256: verified.sha256,
        manifest: verified.manifest,
        integrity: "ok".to_owned(),
    })
}

/// Restore `req.archive` into `req.data_dir`; see the module doc.
pub fn restore(req: &RestoreRequest) -> Result<RestoreReport> {
    let data_dir = &req.data_dir;
    let (parent, base) = match (data_dir.parent(), data_dir.file_name().and_then(|n| n.to_str())) {
        (Some(p), Some(b)) if !p.as_os_str().is_empty() => (p.to_path_buf(), b.to_owned()),
        _ => return Err(Error::invalid(format!("{} cannot be a data folder", data_dir.display()))),
    };
    if data_dir.exists() && !data_dir.is_dir() {
        return Err(Error::invalid(format!("{} is not a folder", data_dir.display())));
    }
    std::fs::create_dir_all(&parent).map_err(|e| Error::io(format!("creating {}", parent.display()), e))?;
    crate::store::fs_kind::ensure_local(&parent)?;
    let _exclusive = lock::in_use_exclusive(data_dir)?;

    let id = crate::id::new_id();
    let tag = &id[id.len() - 8..];
    let staging = Scratch::create_named(parent.join(format!(".{base}.restore-{tag}")))?;
    let verified = extract(&req.archive, &staging.0)?;
    let db = check_database(&staging.0, &verified.manifest)?;
    // Bring it to this build's schema now, so the swap installs a folder
    // that opens; Store::open also refuses network filesystems.
    let schema_to = Store::open(&staging.0.join(DATABASE_NAME))?.info()?.schema_version;
    sync_tree(&staging.0)?;

    let aside = parent.join(format!(".{base}.before-restore-{tag}"));
    let had_previous = swap(data_dir, &staging.0, &aside)?;
    staging.disarm(); // it is the data folder now
    let previous = match (had_previous, req.keep_previous) {
        (true, true) => Some(aside),
        (true, false) => {
            if let Err(e) = std::fs::remove_dir_all(&aside) {
                tracing::warn!(error = %e, folder = %aside.display(), "could not remove the replaced data");
            }
            None
        }
        (false, _) => None,
    };
    Ok(RestoreReport {
        data_dir: data_dir.clone(),
        archive: req.archive.clone(),
        manifest: verified.manifest,
        schema_from: db.schema_version,
        schema_to,
        previous,
        index_rebuild: true,
    })
}

fn extract(archive: &Path, into: &Path) -> Result<Verified> {
    let file = File::open(archive).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::not_found(format!("no archive at {}", archive.display())),
        _ => Error::io(format!("opening {}", archive.display()), e),
    })?;
    let verified = archive::read(BufReader::with_capacity(WRITE_CHUNK, file), Sink::ExtractTo(into))?;
    ensure_database_member(&verified.manifest)?;
    Ok(verified)
}

/// The database inside must match what the manifest promised.
fn check_database(dir: &Path, manifest: &Manifest) -> Result<DatabaseReport> {
    let db = inspect_file(&dir.join(DATABASE_NAME), Check::Full)
        .map_err(|e| refused(format!("its database cannot be read: {e}")))?;
    if db.app.as_deref() != Some(APP) {
        return Err(refused(format!(
            "its database belongs to {:?}, not to Gogga",
            db.app.unwrap_or_default()
        )));
    }
    if db.schema_version > SCHEMA_VERSION {
        return Err(refused(format!(
            "its database has schema version {}, newer than this Gogga understands ({SCHEMA_VERSION}); update Gogga",
            db.schema_version
        )));
    }
    if db.schema_version != manifest.schema_version {
        return Err(refused("its database's schema version differs from the manifest"));
    }
    if !db.integrity_problems.is_empty() {
        return Err(refused(format!(
            "its database failed the integrity check: {}",
            db.integrity_problems.join("; ")
        )));
    }
    if db.foreign_key_violations > 0 {
        return Err(refused(format!("its database has {} broken references", db.foreign_key_violations)));
    }
    if db.counts != manifest.counts {
        return Err(refused(format!(
            "row counts {:?} differ from the manifest's {:?}",
            db.counts, manifest.counts
        )));
    }
    Ok(db)
}

/// Put `staging` in place of `data_dir`, keeping the old one at `aside`
/// until the new one is there. Returns whether there was an old one.
fn swap(data_dir: &Path, staging: &Path, aside: &Path) -> Result<bool> {
    let had_previous = data_dir.exists();
    if had_previous {
        std::fs::rename(data_dir, aside).map_err(|e| {
            Error::new(ErrorKind::Backup, format!("could not move the current data aside: {e}"))
                .with_source(e)
        })?;
    }
    if let Err(e) = std::fs::rename(staging, data_dir) {
        if had_previous && let Err(undo) = std::fs::rename(aside, data_dir) {
            return Err(Error::new(
                ErrorKind::Backup,
                format!(
                    "restore failed ({e}) and the current data could not be put back ({undo}); it is safe at {}",
                    aside.display()
                ),
            ));
        }
        return Err(Error::new(
            ErrorKind::Backup,
            format!("could not move the restored data into place: {e}"),
        )
        .with_source(e));
    }
    if let Some(parent) = data_dir.parent() {
        File::open(parent)
            .and_then(|d| d.sync_all())
            .map_err(|e| Error::io("flushing the data folder's parent", e))?;
    }
    Ok(had_previous)
}

fn sync_tree(dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(format!("reading {}", dir.display()), e))? {
        let path = entry.map_err(|e| Error::io("reading the restored folder", e))?.path();
        if path.is_dir() {
            sync_tree(&path)?;
        } else {
            File::open(&path)
                .and_then(|f| f.sync_all())
                .map_err(|e| Error::io(format!("flushing {}", path.display()), e))?;
        }
    }
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| Error::io(format!("flushing {}", dir.display()), e))
}

/// A folder removed on drop unless disarmed.
struct Scratch(PathBuf, bool);

impl Scratch {
    fn create(parent: &Path, prefix: &str) -> Result<Scratch> {
        let id = crate::id::new_id();
        Scratch::create_named(parent.join(format!("{prefix}-{id}")))
    }

    fn create_named(path: PathBuf) -> Result<Scratch> {
        std::fs::create_dir(&path).map_err(|e| Error::io(format!("creating {}", path.display()), e))?;
        Ok(Scratch(path, true))
    }

    fn disarm(mut self) {
        self.1 = false;
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if !self.1 {
            return;
        }
        if let Err(e) = std::fs::remove_dir_all(&self.0) {
            tracing::warn!(error = %e, folder = %self.0.display(), "could not remove a scratch folder");
        }
    }
}
