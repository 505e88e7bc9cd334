//! The backups screen's DTOs, converted from the core's backup types
//! (`gogga::backup`): status with the last success and failure, archives
//! with their manifest's counts, verification (a damaged archive is a
//! report with problems, not an error) and the schedule input.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::count;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupCounts {
    pub documents: u32,
    pub chunks: u32,
    pub conversations: u32,
    pub messages: u32,
}

impl From<&BTreeMap<String, u64>> for BackupCounts {
    fn from(c: &BTreeMap<String, u64>) -> Self {
        let n = |table: &str| count(c.get(table).copied().unwrap_or(0));
        BackupCounts {
            documents: n("documents"),
            chunks: n("chunks"),
            conversations: n("conversations"),
            messages: n("messages"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupInfo {
    pub path: String,
    pub created_at: String,
    #[ts(type = "number")]
    pub size_bytes: u64,
    pub app_version: String,
    pub schema_version: u32,
    pub counts: BackupCounts,
}

impl BackupInfo {
    /// An archive in a folder; `None` when its manifest could not be read
    /// (such an archive cannot be restored; `verify_backup` says why).
    pub fn from_archive(a: &gogga::backup::ArchiveInfo) -> Option<BackupInfo> {
        let m = a.manifest.as_ref()?;
        Some(BackupInfo::new(a.path.display().to_string(), a.bytes, m))
    }

    /// A backup just written.
    pub fn from_report(r: &gogga::backup::BackupReport) -> BackupInfo {
        let path = std::path::Path::new(&r.folder).join(&r.archive);
        BackupInfo::new(path.display().to_string(), r.bytes, &r.manifest)
    }

    fn new(path: String, size_bytes: u64, m: &gogga::backup::Manifest) -> BackupInfo {
        BackupInfo {
            path,
            created_at: m.created_at.clone(),
            size_bytes,
            app_version: m.app_version.clone(),
            schema_version: m.schema_version,
            counts: (&m.counts).into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupRun {
    pub at: String,
    pub path: Option<String>,
    pub message: String,
}

impl From<gogga::backup::RunSummary> for BackupRun {
    fn from(r: gogga::backup::RunSummary) -> Self {
        let path = r.archive.map(|a| std::path::Path::new(&r.folder).join(a).display().to_string());
        BackupRun { at: r.at, path, message: r.message }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupStatus {
    pub folder: Option<String>,
    pub every_hours: Option<u32>,
    pub keep: u32,
    pub running: bool,
    pub last_success: Option<BackupRun>,
    pub last_failure: Option<BackupRun>,
    pub next_run_at: Option<String>,
}

impl From<gogga::backup::BackupStatus> for BackupStatus {
    // `every_hours` 0 is the core's "schedule off": null for the UI.
    fn from(s: gogga::backup::BackupStatus) -> Self {
        BackupStatus {
            folder: s.folder,
            every_hours: Some(s.every_hours).filter(|h| *h > 0),
            keep: s.keep,
            running: s.running,
            last_success: s.last_success.map(Into::into),
            last_failure: s.last_failure.map(Into::into),
            next_run_at: s.next_run,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupSchedule {
    pub folder: Option<String>,
    pub every_hours: Option<u32>,
    pub keep: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VerifyReport {
    pub path: String,
    pub ok: bool,
    pub problems: Vec<String>,
    pub counts: Option<BackupCounts>,
}

impl VerifyReport {
    /// The core's verdict: a report when the archive checked out, its
    /// error (damaged, unreadable, not a Gogga archive) as a problem.
    pub fn from_result(path: String, r: Result<gogga::backup::VerifyReport, gogga::Error>) -> VerifyReport {
        match r {
            Ok(v) => VerifyReport {
                path,
                ok: v.integrity == "ok",
                problems: Some(v.integrity).filter(|i| i != "ok").into_iter().collect(),
                counts: Some((&v.manifest.counts).into()),
            },
            Err(e) => VerifyReport { path, ok: false, problems: vec![e.message().to_owned()], counts: None },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RestoreReport {
    pub message: String,
    pub restart_required: bool,
}
