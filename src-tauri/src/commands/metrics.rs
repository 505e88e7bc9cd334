//! The diagnostics screen's command: the gateway's latency histograms,
//! retries and CePO fallbacks since this process opened the core, tokens
//! and cost per day, and the embedding queue.

use tauri::State;

use crate::dto::{IpcError, Metrics};
use crate::state::Core;

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
