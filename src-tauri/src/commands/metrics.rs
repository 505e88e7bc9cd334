//! The diagnostics screen's command: the gateway's latency histograms,
//! retries and CePO fallbacks since this process opened the core, tokens
//! and cost per day, and the embedding queue.

use tauri::State;

use crate::dto::{IpcError, Metrics};
use crate::state::Core;

/// Everything the diagnostics screen charts.
#[tauri::command]
pub async fn get_metrics(core: State<'_, Core>) -> Result<Metrics, IpcError> {
    let gogga = core.get()?;
    let library = gogga.library_status().await?;
    Ok(Metrics::new(core.opened_at_ms(), &gogga.metrics_snapshot(), &library, Vec::new()))
}
