//! What crosses the IPC boundary, and nothing else. TypeScript types for the
//! UI are generated from these (ts-rs; `tests/bindings.rs` checks the files
//! in ui/src/ipc/bindings/ byte for byte), never written by hand. Each area
//! has its own file; the conversions from core types live next to the DTOs
//! and are pure (tested in `tests/dto.rs`).
//!
//! Rules that keep the generated TypeScript as committed: `camelCase`
//! fields, `u64` marked `#[ts(type = "number")]`, `Option<T>` as `T | null`,
//! and `//` (not `///`) comments on exported DTOs, since ts-rs copies doc
//! comments into the TypeScript.

mod backup;
mod chat;
mod library;
mod metrics;
mod settings;

pub use backup::{
    BackupCounts, BackupInfo, BackupRun, BackupSchedule, BackupStatus, RestoreReport, VerifyReport,
};
pub use chat::{
    ChatEvent, Citation, ConversationDetail, ConversationHit, ConversationSummary, ExportFormat, Language,
    Message, Passage, Role, Route, SnippetPart, Timing, TurnOptions, Usage, chunk_id, merge_snippet,
};
pub use library::{DocumentInfo, DocumentStatus, ImportReport, IndexProgress, PathProblem, WatchedFolder};
pub use metrics::{DayUsage, LatencyBucket, LatencySeries, Metrics, QueueStats, RetryCount};
pub use settings::{
    ApiKeyInfo, CepoSettings, KeyStorage, ProviderInfo, ProviderInput, ProviderKind, RouteMode, Settings,
    SettingsPatch, Theme, Tier, provider_by_id,
};

use serde::Serialize;
use ts_rs::TS;

/// Every command error: a stable code and a message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IpcError {
    pub code: String,
    pub message: String,
}

impl IpcError {
    /// An error of the core's `invalid_input` kind, made by the shell.
    pub fn invalid(message: impl Into<String>) -> IpcError {
        IpcError { code: gogga::ErrorKind::InvalidInput.code().to_owned(), message: message.into() }
    }

    /// A stored error (code and message as the core recorded them).
    pub(crate) fn stored(code: Option<String>, message: Option<String>) -> Option<IpcError> {
        match (code, message) {
            (None, None) => None,
            (code, message) => Some(IpcError {
                code: code.unwrap_or_else(|| "ingest".to_owned()),
                message: message.unwrap_or_default(),
            }),
        }
    }
}

impl From<gogga::Error> for IpcError {
    fn from(e: gogga::Error) -> Self {
        IpcError { code: e.code().to_owned(), message: e.to_string() }
    }
}

/// The status panel's facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppStatus {
    pub version: String,
    pub data_dir: String,
    pub config_file: String,
    pub schema_version: u32,
    #[ts(type = "number")]
    pub store_bytes: u64,
    pub model_id: String,
    pub model_ready: bool,
    /// What is missing for embeddings, if anything.
    pub model_problem: Option<String>,
}

impl From<gogga::AppStatus> for AppStatus {
    fn from(s: gogga::AppStatus) -> Self {
        AppStatus {
            version: s.version,
            data_dir: s.data_dir.display().to_string(),
            config_file: s.config_file.display().to_string(),
            schema_version: s.store.schema_version,
            store_bytes: s.store.size_bytes,
            model_ready: s.model.ready(),
            model_id: s.model.id,
            model_problem: s.model.problem,
        }
    }
}

// Times: the core keeps milliseconds since the Unix epoch; the contract
// sends RFC 3339 strings in UTC (`2026-03-02T08:00:00Z`), which the UI
// parses lazily.

/// Milliseconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ` (UTC).
pub fn rfc3339(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian
/// (Howard Hinnant's `civil_from_days`).
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// A count for the UI: saturates instead of wrapping (a `number` in JS).
pub(crate) fn count(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
