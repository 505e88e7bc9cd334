//! Restoring a backup from the desktop app. The core refuses to replace a
//! data folder that an open core uses, and the app's core is open while
//! the window is, so a restore is asked for now (after the archive
//! verified) and done on the next start, before the core opens: a small
//! file in the config folder names the archive. The data it replaces is
//! kept beside the restored folder (the core's `keep_previous`). A restore
//! that fails at start leaves the data as it was and is logged; the file
//! is removed either way so a bad archive cannot block every start.

use std::path::{Path, PathBuf};

use gogga::{Gogga, OpenOptions};

use crate::dto::IpcError;

/// The file that asks for a restore at the next start.
const PENDING: &str = "restore-pending";

/// Ask for `archive` to be restored when the app next starts.
pub fn request(config_dir: &Path, archive: &Path) -> Result<(), IpcError> {
    let absolute = std::path::absolute(archive)
        .map_err(|e| IpcError::invalid(format!("{} is not a usable path: {e}", archive.display())))?;
    std::fs::create_dir_all(config_dir)
        .and_then(|()| std::fs::write(config_dir.join(PENDING), absolute.display().to_string()))
        .map_err(|e| IpcError {
            code: "io".to_owned(),
            message: format!("could not ask for the restore: {e}"),
        })
}

/// The archive a restore was asked for, if any (and forget the request).
pub fn take(config_dir: &Path) -> Option<PathBuf> {
    let file = config_dir.join(PENDING);
    let text = std::fs::read_to_string(&file).ok()?;
    if let Err(e) = std::fs::remove_file(&file) {
        tracing::warn!(error = %e, "could not remove {}", file.display());
    }
    Some(PathBuf::from(text.trim())).filter(|p| !p.as_os_str().is_empty())
}

/// Restore the archive asked for in the last session, if any.
pub async fn apply_pending(options: &OpenOptions) {
    let Some(archive) = take(&options.paths.config_dir) else { return };
    match Gogga::restore_backup(options.clone(), archive.clone(), None, true).await {
        Ok(report) => tracing::info!(
            archive = %archive.display(),
            data_dir = %report.data_dir.display(),
            previous = ?report.previous,
            "restored the backup asked for in the last session"
        ),
        Err(e) => tracing::error!(archive = %archive.display(), "the restore asked for failed: {e}"),
    }
}
