//! What crosses the IPC boundary, and nothing else. TypeScript types for the
//! UI are generated from these (ts-rs, into ui/src/ipc/bindings/ by
//! `cargo test -p gogga-desktop`), never written by hand.

use serde::Serialize;
use ts_rs::TS;

/// Every command error: a stable code and a message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IpcError {
    pub code: String,
    pub message: String,
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
