//! Embeddings, sole owner of fastembed and ort. [`Assets`] finds the ONNX
//! Runtime library and the model files (setup's cache folder, the app's
//! bundled resources, or explicit paths); [`FastEmbedder`] runs the model
//! (mean pooling, 256 tokens, as sentence-transformers does) in slices of
//! [`SLICE`] texts so memory stays bounded; [`LazyEmbedder`] loads it on
//! first use and lets it go when idle (what the app runs); [`FakeEmbedder`] is a
//! deterministic stand-in for unit tests. Callers see only the
//! [`Embedder`] trait; vectors come back L2-normalised, so cosine
//! similarity is a dot product.

mod assets;
mod fake;
mod lazy;
mod onnx;

use std::path::PathBuf;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

pub use assets::{Assets, MODEL_FILES, ORT_VERSION, check_runtime};
pub use fake::FakeEmbedder;
pub use lazy::{LazyEmbedder, QUERY_THREADS};
pub use onnx::FastEmbedder;

/// The default model: all-MiniLM-L6-v2, 384 dimensions, mean pooling.
pub const DEFAULT_MODEL_ID: &str = "all-MiniLM-L6-v2";

/// Texts handed to fastembed per call. fastembed keeps every inner batch's
/// hidden states until its `embed` call returns (2,000 texts in one call
/// peak above 1 GB), so larger inputs are cut into slices of this size.
pub const SLICE: usize = 64;

/// Turns texts into vectors. Implementations are thread-safe; `embed`
/// blocks (call it from a worker thread or `spawn::blocking`).
pub trait Embedder: Send + Sync + std::fmt::Debug {
    /// The id stored with every vector this embedder makes.
    fn model_id(&self) -> &str;
    /// Length of every vector.
    fn dimension(&self) -> usize;
    /// One L2-normalised vector per text, in order.
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>>;
    /// One vector for a search question: latency-bound, one short text.
    /// [`LazyEmbedder`] keeps a separate one-thread session for it.
    fn embed_query(&self, text: &str) -> Result<Vec<f32>> {
        self.embed(&[text])?.pop().ok_or_else(|| Error::internal("the embedder returned no vector"))
    }
    /// Get ready for an `embed_query` soon (the user started typing), so
    /// the question does not wait for a model load. Blocking.
    fn prepare_query(&self) -> Result<()> {
        Ok(())
    }
    /// Free the model's memory if it has not been used for `idle`; the
    /// next `embed` loads it again. Returns whether anything was freed.
    /// Embedders that hold nothing worth freeing keep the default.
    fn release_idle(&self, idle: Duration) -> bool {
        let _ = idle;
        false
    }
}

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
    /// `false`: import and keyword search only, no vectors.
    pub enabled: bool,
    /// Texts per model run (measured best on 2 cores: see BENCHMARKS.md).
    pub batch_size: usize,
    /// ONNX Runtime threads per model run (`None`: every core).
    pub threads: Option<usize>,
}

impl Default for EmbedConfig {
    fn default() -> Self {
        EmbedConfig {
            model: DEFAULT_MODEL_ID.to_owned(),
            onnxruntime: None,
            model_dir: None,
            enabled: true,
            batch_size: 16,
            threads: None,
        }
    }
}

impl EmbedConfig {
    /// Reject values that cannot work.
    pub fn validate(&self) -> Result<()> {
        if self.model.trim().is_empty() || self.model.contains(['/', '\\']) {
            return Err(Error::config(format!("embedding.model {:?} must be a plain model id", self.model)));
        }
        if !(1..=SLICE).contains(&self.batch_size) {
            return Err(Error::config(format!(
                "embedding.batch_size must be 1..={SLICE}, not {}",
                self.batch_size
            )));
        }
        if self.threads == Some(0) {
            return Err(Error::config("embedding.threads must be at least 1"));
        }
        Ok(())
    }
}

/// Scale `v` to unit length (a zero vector stays zero).
pub fn normalize(v: &mut [f32]) {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        for x in v {
            *x /= norm;
        }
    }
}

#[cfg(test)]
mod tests;
