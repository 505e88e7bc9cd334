//! [`FastEmbedder`]: fastembed's user-defined model over ONNX Runtime,
//! loaded from local files only (never a hub). ONNX Runtime is loaded with
//! `ort::init_from` first, so a missing or too-old library is an `Embed`
//! error rather than ort's panic; the model is set to mean pooling and 256
//! tokens (as sentence-transformers runs all-MiniLM-L6-v2: fastembed's
//! defaults would silently give CLS pooling and 512). Inputs are cut into
//! slices of [`SLICE`] texts per fastembed call to bound memory, and a
//! panic inside the runtime becomes an error.

use std::path::Path;
use std::sync::Mutex;

use fastembed::{InitOptionsUserDefined, Pooling, TextEmbedding, TokenizerFiles, UserDefinedEmbeddingModel};

use crate::error::{Error, ErrorKind, Result};

use super::{Assets, EmbedConfig, Embedder, SLICE, check_runtime};

/// Tokens per text, as sentence-transformers uses for this model.
pub const MAX_TOKENS: usize = 256;

/// The real model, loaded from disk.
pub struct FastEmbedder {
    model_id: String,
    dim: usize,
    batch_size: usize,
    model: Mutex<TextEmbedding>,
}

impl std::fmt::Debug for FastEmbedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FastEmbedder").field("model_id", &self.model_id).field("dim", &self.dim).finish()
    }
}

fn embed_err(message: String) -> Error {
    Error::new(ErrorKind::Embed, message)
}

fn read(dir: &Path, name: &str) -> Result<Vec<u8>> {
    let path = dir.join(name);
    std::fs::read(&path).map_err(|e| Error::io(format!("reading model file {}", path.display()), e))
}

impl FastEmbedder {
    /// Load `model_id` with the runtime and files `assets` found. Blocking
    /// (reads ~25 MB and builds an ONNX session): call off the executor.
    pub fn load(assets: &Assets, model_id: &str, config: &EmbedConfig) -> Result<FastEmbedder> {
        let runtime = assets.require_runtime()?;
        let dir = assets.require_model(model_id)?;
        check_runtime(runtime)?;
        let dim = hidden_size(&read(dir, "config.json")?)?;
        let tokenizer = TokenizerFiles {
            tokenizer_file: read(dir, "tokenizer.json")?,
            config_file: read(dir, "config.json")?,
            special_tokens_map_file: read(dir, "special_tokens_map.json")?,
            tokenizer_config_file: read(dir, "tokenizer_config.json")?,
        };
        let model =
            UserDefinedEmbeddingModel::new(read(dir, "model.onnx")?, tokenizer).with_pooling(Pooling::Mean);
        let mut options = InitOptionsUserDefined::new().with_max_length(MAX_TOKENS);
        if let Some(threads) = config.threads {
            options = options.with_intra_threads(threads);
        }
        let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            TextEmbedding::try_new_from_user_defined(model, options)
        }));
        let model = match built {
            Ok(Ok(m)) => m,
            Ok(Err(e)) => return Err(embed_err(format!("loading {model_id} from {}: {e}", dir.display()))),
            Err(_) => return Err(embed_err(format!("ONNX Runtime crashed while loading {model_id}"))),
        };
        Ok(FastEmbedder {
            model_id: model_id.to_owned(),
            dim,
            batch_size: config.batch_size.clamp(1, SLICE),
            model: Mutex::new(model),
        })
    }
}

/// The vector length of the model in `dir`, from its config.json (cheap:
/// no session is built).
pub(super) fn model_dimension(dir: &Path) -> Result<usize> {
    hidden_size(&read(dir, "config.json")?)
}

/// `hidden_size` from a model's config.json.
fn hidden_size(config: &[u8]) -> Result<usize> {
    let value: serde_json::Value = serde_json::from_slice(config)
        .map_err(|e| embed_err(format!("model config.json is not JSON: {e}")))?;
    value
        .get("hidden_size")
        .and_then(serde_json::Value::as_u64)
        .map(|d| d as usize)
        .ok_or_else(|| embed_err("model config.json has no hidden_size".to_owned()))
}

impl Embedder for FastEmbedder {
    fn model_id(&self) -> &str {
        &self.model_id
    }

    fn dimension(&self) -> usize {
        self.dim
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        let mut out = Vec::with_capacity(texts.len());
        let mut model = self.model.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for slice in texts.chunks(SLICE) {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                model.embed(slice, Some(self.batch_size))
            }));
            let vectors = match result {
                Ok(Ok(v)) => v,
                Ok(Err(e)) => return Err(embed_err(format!("embedding with {}: {e}", self.model_id))),
                Err(_) => {
                    return Err(embed_err(format!("ONNX Runtime crashed embedding with {}", self.model_id)));
                }
            };
            if let Some(bad) = vectors.iter().find(|v| v.len() != self.dim) {
                return Err(embed_err(format!(
                    "{} gave a {}-dimensional vector, expected {}",
                    self.model_id,
                    bad.len(),
                    self.dim
                )));
            }
            out.extend(vectors);
        }
        Ok(out)
    }
}
