//! The backups screen's commands: status, the archives in the configured
//! folder, back up now (resolves when the archive is written and
//! verified), verify an archive, restore one, and change the schedule.
//!
//! A restore cannot replace the data folder under the running core, so
//! `restore_backup` verifies the archive now (a damaged one is refused
//! with the reason) and asks for it to be restored on the next start,
//! before the core opens (see `state::apply_pending_restore`); the report
//! says a restart is required.

use std::path::PathBuf;

use gogga::Gogga;
use tauri::State;

use crate::dto::{BackupInfo, BackupSchedule, BackupStatus, IpcError, RestoreReport, VerifyReport};
use crate::state::{Core, request_restore};

/// Folder, schedule, last success and failure, next run.
#[tauri::command]
pub async fn backup_status(core: State<'_, Core>) -> Result<BackupStatus, IpcError> {
    Ok(core.get()?.backup_status().await?.into())
}

/// The archives in the configured folder, newest first (none without a folder).
#[tauri::command]
pub async fn list_backups(core: State<'_, Core>) -> Result<Vec<BackupInfo>, IpcError> {
    let Some(folder) = core.get()?.config().backup.folder.clone() else { return Ok(Vec::new()) };
    let archives = Gogga::list_backups(folder).await?;
    Ok(archives.iter().filter_map(BackupInfo::from_archive).collect())
}

/// Back up to the configured folder now.
#[tauri::command]
pub async fn backup_now(core: State<'_, Core>) -> Result<BackupInfo, IpcError> {
    let report = core.get()?.backup_now(None).await?;
    Ok(BackupInfo::from_report(&report))
}

/// Check an archive completely; a damaged one is `ok: false` with problems.
#[tauri::command]
pub async fn verify_backup(path: String) -> Result<VerifyReport, IpcError> {
    let result = Gogga::verify_backup(PathBuf::from(&path)).await;
    Ok(VerifyReport::from_result(path, result))
}

/// Verify an archive and restore it when the app next starts.
#[tauri::command]
pub async fn restore_backup(core: State<'_, Core>, path: String) -> Result<RestoreReport, IpcError> {
    let archive = PathBuf::from(&path);
    Gogga::verify_backup(archive.clone()).await?;
    request_restore(&core.get()?.paths().config_dir, &archive)?;
    Ok(RestoreReport {
        message: format!(
            "{path} is verified. Restart Gogga to restore it: your current data is kept beside the restored data."
        ),
        restart_required: true,
    })
}

/// Change the backup folder, how often backups run and how many are kept.
#[tauri::command]
pub async fn set_backup_schedule(
    core: State<'_, Core>,
    schedule: BackupSchedule,
) -> Result<BackupStatus, IpcError> {
    let gogga = core.get()?;
    let folder = schedule.folder.filter(|f| !f.trim().is_empty()).map(PathBuf::from);
    gogga.set_backup_schedule(folder, schedule.every_hours.unwrap_or(0), schedule.keep).await?;
    Ok(gogga.backup_status().await?.into())
}
