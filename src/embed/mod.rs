//! Embeddings, sole owner of fastembed and ort. This part finds the ONNX
//! Runtime library and the model files (setup's cache folder, the app's
//! bundled resources, or explicit paths) and checks that the runtime loads;
//! the embedder itself comes with the document-library issue.

mod assets;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use assets::{Assets, MODEL_FILES, ORT_VERSION, check_runtime};

/// The default model: all-MiniLM-L6-v2, 384 dimensions, mean pooling.
pub const DEFAULT_MODEL_ID: &str = "all-MiniLM-L6-v2";

/// `[embedding]` in config.toml.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EmbedConfig {
    /// Model id; its files live in `<models>/<id>/`.
    pub model: String,
    /// Explicit path of `libonnxruntime.so` (else found automatically).
    pub onnxruntime: Option<PathBuf>,
    /// Explicit model folder (else found automatically).
    pub model_dir: Option<PathBuf>,
}

impl Default for EmbedConfig {
    fn default() -> Self {
        EmbedConfig { model: DEFAULT_MODEL_ID.to_owned(), onnxruntime: None, model_dir: None }
    }
}
