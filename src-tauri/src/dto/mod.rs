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

// Dates and the clock are the core's (one conversion for every shell).
pub use gogga::chat::dates::{now_ms, rfc3339};

/// A count for the UI: saturates instead of wrapping (a `number` in JS).
pub(crate) fn count(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
