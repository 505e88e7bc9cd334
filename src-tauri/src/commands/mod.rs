//! Every command the webview may call, one file per area. Each is a few
//! lines: take the core from state, call one façade method, convert to a
//! DTO; errors cross as `{code, message}`. The handler list in lib.rs, the
//! list in build.rs and capabilities/default.json must agree (tested).
//!
//! Here: the app's status, the diagnostics screen's metrics (latency
//! histograms, retries and CePO fallbacks since this process opened the
//! core, tokens and cost per day, the embedding queue), and
//! `open_external`, which opens a link from rendered text in the system
//! browser after checking its scheme again (the UI checks too; the shell
//! does not trust it).

pub mod backup;
pub mod chat;
pub mod library;
pub mod settings;

use tauri::State;
use tauri_plugin_opener::OpenerExt;

use crate::dto::{AppStatus, IpcError, Metrics};
use crate::state::Core;

/// Version, folders, store and embedding-model status.
#[tauri::command]
pub async fn app_status(core: State<'_, Core>) -> Result<AppStatus, IpcError> {
    let status = core.get()?.status().await?;
    Ok(status.into())
}

/// Days of tokens and cost charted (today and the days before it).
const USAGE_DAYS: u32 = 30;

/// Everything the diagnostics screen charts.
#[tauri::command]
pub async fn get_metrics(core: State<'_, Core>) -> Result<Metrics, IpcError> {
    let gogga = core.get()?;
    let library = gogga.library_status().await?;
    let usage = gogga.usage(USAGE_DAYS).await?;
    let days = usage.days.iter().map(Into::into).collect();
    Ok(Metrics::new(core.opened_at_ms(), &gogga.metrics_snapshot(), &library, days))
}

/// Open an `http`, `https` or `mailto` link in the system's handler.
#[tauri::command]
pub async fn open_external(app: tauri::AppHandle, url: String) -> Result<(), IpcError> {
    let url = checked_external_url(&url)?;
    app.opener()
        .open_url(url.as_str(), None::<&str>)
        .map_err(|e| IpcError { code: "io".to_owned(), message: format!("could not open the link: {e}") })
}

/// The URL if it parses as an absolute `http`, `https` or `mailto` URL
/// (with a host for the web schemes); otherwise an `invalid_input` error.
pub fn checked_external_url(raw: &str) -> Result<url::Url, IpcError> {
    let trimmed = raw.trim();
    let url = url::Url::parse(trimmed).map_err(|e| IpcError::invalid(format!("not a valid link ({e})")))?;
    match url.scheme() {
        "http" | "https" if url.host_str().is_some_and(|h| !h.is_empty()) => Ok(url),
        "mailto" if !url.path().is_empty() => Ok(url),
        "http" | "https" | "mailto" => Err(IpcError::invalid("the link has no address")),
        other => Err(IpcError::invalid(format!(
            "links of the {other:?} kind are not opened; only http, https and mailto"
        ))),
    }
}
