//! The documents screen's commands: list documents (the library or one
//! conversation's attachments), import files and folders (returns once
//! queued; progress follows as `index-progress` and `document-status`
//! events), remove a document, watched folders, and the progress snapshot.

use std::path::PathBuf;

use tauri::State;

use crate::dto::{DocumentInfo, ImportReport, IndexProgress, IpcError, WatchedFolder};
use crate::state::Core;

/// Documents of the library (`conversationId` null) or of one conversation.
#[tauri::command]
pub async fn list_documents(
    core: State<'_, Core>,
    conversation_id: Option<String>,
) -> Result<Vec<DocumentInfo>, IpcError> {
    let docs = core.get()?.library_documents(conversation_id).await?;
    Ok(docs.into_iter().map(Into::into).collect())
}

/// Queue files and folders for import (into the library, or attached to a
/// conversation); paths left out are in the report with the reason.
#[tauri::command]
pub async fn import_paths(
    core: State<'_, Core>,
    paths: Vec<String>,
    conversation_id: Option<String>,
) -> Result<ImportReport, IpcError> {
    let paths = paths.into_iter().map(PathBuf::from).collect();
    Ok(core.get()?.queue_import(paths, conversation_id).await?.into())
}

/// Remove one document (its passages and vectors go with it).
#[tauri::command]
pub async fn remove_document(core: State<'_, Core>, document_id: String) -> Result<(), IpcError> {
    core.get()?.remove_documents(vec![document_id]).await?;
    Ok(())
}

/// Watched folders with their document counts.
#[tauri::command]
pub async fn list_watched_folders(core: State<'_, Core>) -> Result<Vec<WatchedFolder>, IpcError> {
    let folders = core.get()?.watched_folders().await?;
    Ok(folders.into_iter().map(Into::into).collect())
}

/// Watch a folder: it is scanned now and kept in step from then on.
#[tauri::command]
pub async fn add_watched_folder(core: State<'_, Core>, path: String) -> Result<WatchedFolder, IpcError> {
    let gogga = core.get()?;
    let report = gogga.watch_folder(PathBuf::from(path)).await?;
    // The folder as listed (with its id and count), found by its real path.
    let folders = gogga.watched_folders().await?;
    let folder = folders.into_iter().find(|f| f.path == report.folder);
    folder.map(Into::into).ok_or_else(|| IpcError {
        code: "internal".to_owned(),
        message: format!("{} was added but is not listed", report.folder),
    })
}

/// Stop watching a folder; its documents stay in the library.
#[tauri::command]
pub async fn remove_watched_folder(core: State<'_, Core>, folder_id: String) -> Result<(), IpcError> {
    Ok(core.get()?.unwatch_folder_id(&folder_id).await?)
}

/// Indexing progress now, or of the last run when nothing is running.
#[tauri::command]
pub async fn index_status(core: State<'_, Core>) -> Result<IndexProgress, IpcError> {
    Ok(core.get()?.index_progress().into())
}
