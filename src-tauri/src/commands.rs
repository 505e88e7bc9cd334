//! Every command the webview may call. Each is a few lines: take the core
//! from state, call one façade method, convert to a DTO. The list here, the
//! one in build.rs and capabilities/default.json must agree (tested).

use tauri::State;

use crate::dto::{AppStatus, IpcError};
use crate::state::Core;

/// Version, folders, store and embedding-model status.
#[tauri::command]
pub async fn app_status(core: State<'_, Core>) -> Result<AppStatus, IpcError> {
    let status = core.get()?.status().await?;
    Ok(status.into())
}
