//! One backup, start to finish, on a blocking thread:
//!
//! 1. take the data folder's backup lock; clear a stale staging folder;
//! 2. snapshot the live store into `<data>/backup-staging/` (local disk,
//!    online backup API, one read transaction: the app keeps writing);
//! 3. check the snapshot (`quick_check`, foreign keys, app identity) and
//!    count its rows; hash it;
//! 4. write `<name>.partial` on the target (one create, 8 MiB writes, one
//!    fsync), rename it to `<name>`, fsync the folder;
//! 5. read the archive back from the target and check its SHA-256 (the
//!    bytes there are the bytes written; on NFS the client cache may serve
//!    this read, so the durable guarantee is the fsync: the server's COMMIT);
//! 6. only then prune archives beyond the newest `keep`.
//!
//! Any failure removes the partial file (a killed process leaves one that
//! the next backup removes, as its lock died with the process); no file
//! ever appears under the final name unless complete and fsynced.

use std::path::Path;
use std::time::Instant;

use serde::Serialize;

use super::archive;
use super::lock;
use super::manifest::{self, APP, DATABASE_NAME, EXCLUDED, FORMAT, Manifest};
use super::target::{Target, target_error};
use super::timestamp;
use crate::error::{Error, ErrorKind, Result};
use crate::store::Store;
use crate::store::snapshot::{Check, inspect_file};

/// Archive file names: `gogga-backup-20260131T120000.123Z-1a2b3c4d.tar.zst`.
pub const PREFIX: &str = "gogga-backup-";
pub const SUFFIX: &str = ".tar.zst";
/// Written under this suffix until complete.
pub const PARTIAL: &str = ".partial";
/// The local staging folder inside the data folder.
pub const STAGING: &str = "backup-staging";

/// How to run one backup.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    /// Keep this many archives (the newest) after a verified backup.
    pub keep: u32,
    /// zstd level.
    pub level: i32,
}

/// What a finished backup did, for the CLI, the UI and benchmarks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupReport {
    /// The folder (as given) and its filesystem kind ("local", "NFS", ...).
    pub folder: String,
    pub folder_kind: String,
    /// The archive's file name in that folder.
    pub archive: String,
    /// Archive size on the target.
    pub bytes: u64,
    /// Size of the snapshot (the database) before compression.
    pub database_bytes: u64,
    /// SHA-256 of the archive (before its trailer).
    pub sha256: String,
    pub manifest: Manifest,
    /// Older archives removed by retention.
    pub pruned: Vec<String>,
    pub timings: Timings,
}

/// Milliseconds per phase.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Timings {
    pub snapshot_ms: u64,
    pub check_ms: u64,
    pub hash_ms: u64,
    pub write_ms: u64,
    pub verify_ms: u64,
    pub prune_ms: u64,
    pub total_ms: u64,
}

/// Run one backup of `store` (whose folder is `data_dir`) to `target`.
pub fn run(
    store: &Store,
    data_dir: &Path,
    target: &dyn Target,
    kind: &str,
    opts: RunOptions,
) -> Result<BackupReport> {
    let _lock = lock::backup(data_dir)?;
    let staging = data_dir.join(STAGING);
    if staging.exists() {
        std::fs::remove_dir_all(&staging)
            .map_err(|e| Error::io(format!("clearing {}", staging.display()), e))?;
    }
    std::fs::create_dir_all(&staging).map_err(|e| Error::io(format!("creating {}", staging.display()), e))?;
    let result = run_staged(store, &staging, target, kind, opts);
    if let Err(e) = std::fs::remove_dir_all(&staging) {
        tracing::warn!(error = %e, folder = %staging.display(), "could not remove the backup staging folder");
    }
    result
}

fn run_staged(
    store: &Store,
    staging: &Path,
    target: &dyn Target,
    kind: &str,
    opts: RunOptions,
) -> Result<BackupReport> {
    let started = Instant::now();
    let mut t = Timings::default();
    let created_ms = timestamp::now_millis();
    let created_unix = created_ms.div_euclid(1000);

    let snapshot = staging.join(DATABASE_NAME);
    let phase = Instant::now();
    store.snapshot_to(&snapshot, |_, _| {})?;
    t.snapshot_ms = ms(phase);

    let phase = Instant::now();
    let report = inspect_file(&snapshot, Check::Quick)?;
    if !report.is_sound() {
        return Err(Error::new(
            ErrorKind::Store,
            format!(
                "the live database failed its check ({} problems, {} broken references: {}); \
                 no backup was written — run `gogga doctor`",
                report.integrity_problems.len(),
                report.foreign_key_violations,
                report.integrity_problems.first().map_or("", String::as_str)
            ),
        ));
    }
    if report.app.as_deref() != Some(APP) {
        return Err(Error::new(
            ErrorKind::Store,
            "the live database does not say it belongs to Gogga (meta.app)",
        ));
    }
    t.check_ms = ms(phase);

    let phase = Instant::now();
    let files = vec![(DATABASE_NAME.to_owned(), snapshot.clone())];
    let (members, payload_sha256) = archive::describe_members(&files)?;
    let database_bytes = members.iter().map(|m| m.size).sum();
    let manifest = Manifest {
        format: FORMAT,
        app: APP.to_owned(),
        app_version: crate::VERSION.to_owned(),
        schema_version: report.schema_version,
        created_at: timestamp::rfc3339(created_unix),
        created_unix,
        counts: report.counts,
        members,
        payload_sha256,
        excluded: EXCLUDED.iter().map(|s| (*s).to_owned()).collect(),
    };
    let manifest_json = manifest.to_json()?;
    t.hash_ms = ms(phase);

    let id = crate::id::new_id();
    let name = format!("{PREFIX}{}-{}{SUFFIX}", timestamp::compact_millis(created_ms), &id[id.len() - 8..]);
    let partial = format!("{name}{PARTIAL}");
    remove_abandoned_partials(target);

    let phase = Instant::now();
    let written = match archive::write(target, &partial, &manifest_json, &files, created_unix, opts.level) {
        Ok(w) => w,
        Err(e) => {
            // Best effort: a full disk may refuse even this; the next
            // backup removes what is left (its lock is gone).
            let _cleanup = target.remove(&partial);
            return Err(e);
        }
    };
    if let Err(e) = target.rename(&partial, &name) {
        let _cleanup = target.remove(&partial);
        return Err(target_error(target, "renaming the archive into place", e));
    }
    target.sync_dir().map_err(|e| target_error(target, "flushing the folder", e))?;
    t.write_ms = ms(phase);

    // Prune only after this one reads back from the target, byte for byte
    // what was written (the snapshot itself was checked before packing;
    // `verify` re-checks everything down to the database).
    let phase = Instant::now();
    let reread = target
        .open(&name)
        .map_err(|e| target_error(target, "reading the archive back", e))
        .and_then(archive::checksum);
    match reread {
        Ok(sha) if sha == written.sha256 => {}
        Ok(_) => {
            return Err(bad_readback(target, &name, "it reads back different from what was written".into()));
        }
        Err(e) => return Err(bad_readback(target, &name, e.to_string())),
    }
    t.verify_ms = ms(phase);

    let phase = Instant::now();
    let pruned = prune(target, opts.keep)?;
    t.prune_ms = ms(phase);
    t.total_ms = ms(started);
    Ok(BackupReport {
        folder: target.describe(),
        folder_kind: kind.to_owned(),
        archive: name,
        bytes: written.bytes,
        database_bytes,
        sha256: written.sha256,
        manifest,
        pruned,
        timings: t,
    })
}

fn bad_readback(target: &dyn Target, name: &str, why: String) -> Error {
    // A corrupt archive must not count as a backup nor push out good ones.
    let _cleanup = target.remove(name);
    Error::new(
        ErrorKind::Backup,
        format!("the new backup failed verification on {} and was removed: {why}", target.describe()),
    )
}

/// Archives in the folder, oldest first (names sort by UTC time).
pub fn archive_names(names: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> =
        names.into_iter().filter(|n| n.starts_with(PREFIX) && n.ends_with(SUFFIX)).collect();
    out.sort();
    out
}

/// Remove all but the newest `keep` archives.
fn prune(target: &dyn Target, keep: u32) -> Result<Vec<String>> {
    let names = archive_names(target.list().map_err(|e| target_error(target, "listing the folder", e))?);
    let excess = names.len().saturating_sub(keep.max(1) as usize);
    let mut removed = Vec::new();
    for name in names.into_iter().take(excess) {
        target.remove(&name).map_err(|e| target_error(target, "removing an old archive", e))?;
        removed.push(name);
    }
    if !removed.is_empty() {
        target.sync_dir().map_err(|e| target_error(target, "flushing the folder", e))?;
    }
    Ok(removed)
}

fn remove_abandoned_partials(target: &dyn Target) {
    let Ok(names) = target.list() else { return };
    for name in names.into_iter().filter(|n| n.starts_with(PREFIX) && n.ends_with(PARTIAL)) {
        match target.remove_if_abandoned(&name) {
            Ok(true) => tracing::info!(file = %name, "removed an abandoned partial backup"),
            Ok(false) => {}
            Err(e) => tracing::warn!(file = %name, error = %e, "could not check a partial backup"),
        }
    }
}

fn ms(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// Check `manifest` and the module constants agree (used by verify).
pub(crate) fn ensure_database_member(manifest: &Manifest) -> Result<()> {
    if manifest.members.iter().any(|m| m.path == DATABASE_NAME) {
        Ok(())
    } else {
        Err(manifest::refused("the archive has no database"))
    }
}
