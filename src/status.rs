//! `AppStatus`: version, folders, store and embedding-model readiness, the
//! facts `gogga status` prints and the desktop shows on its status panel.

use std::path::PathBuf;

use serde::Serialize;

use crate::app::Gogga;
use crate::error::Result;

/// What the core reports about itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppStatus {
    /// The app's version.
    pub version: String,
    /// Live data folder.
    pub data_dir: PathBuf,
    /// The config file (it may not exist: defaults apply).
    pub config_file: PathBuf,
    /// The store's schema version and size.
    pub store: StoreStatus,
    /// The embedding model and runtime.
    pub model: ModelStatus,
    /// Documents, chunks, queue depth, vectors and embedding rate.
    pub library: crate::ingest::LibraryStatus,
}

/// The SQLite store, summarised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoreStatus {
    pub path: PathBuf,
    pub schema_version: u32,
    pub size_bytes: u64,
}

/// Whether embeddings can run, and if not, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModelStatus {
    pub id: String,
    pub onnxruntime: Option<PathBuf>,
    pub model_dir: Option<PathBuf>,
    /// `None` when both are present; else what is missing.
    pub problem: Option<String>,
}

impl ModelStatus {
    /// Both the runtime and the model files were found.
    pub fn ready(&self) -> bool {
        self.problem.is_none()
    }
}

pub(crate) fn collect(gogga: &Gogga) -> Result<AppStatus> {
    let info = gogga.store().info()?;
    let assets = &gogga.inner.assets;
    let model_id = gogga.config().embedding.model.clone();
    let problem = assets
        .require_runtime()
        .err()
        .or_else(|| assets.require_model(&model_id).err())
        .map(|e| e.to_string());
    Ok(AppStatus {
        version: crate::VERSION.to_owned(),
        data_dir: gogga.paths().data_dir.clone(),
        config_file: gogga.paths().config_file(),
        store: StoreStatus {
            path: info.path,
            schema_version: info.schema_version,
            size_bytes: info.size_bytes,
        },
        model: ModelStatus {
            id: model_id,
            onnxruntime: assets.onnxruntime.clone(),
            model_dir: assets.model_dir.clone(),
            problem,
        },
        library: crate::ingest::facade_status(gogga)?,
    })
}
