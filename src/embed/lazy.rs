//! [`LazyEmbedder`]: the real model, loaded on first use and let go when
//! idle. The ONNX session is most of an idle app's memory (~150–250 MB with
//! its arena) and the app may never embed in a session, so construction
//! only checks that the runtime loads and the model files are there (errors
//! stay early and clear) and reads the dimension from `config.json`; the
//! first `embed` builds the session (about half a second), and
//! [`Embedder::release_idle`] drops it again after a quiet spell.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::error::Result;

use super::onnx::model_dimension;
use super::{Assets, EmbedConfig, Embedder, FastEmbedder, check_runtime};

/// A [`FastEmbedder`] behind a load-on-first-use cell.
#[derive(Debug)]
pub struct LazyEmbedder {
    model_id: String,
    dim: usize,
    assets: Assets,
    config: EmbedConfig,
    loaded: Mutex<Loaded>,
}

#[derive(Debug, Default)]
struct Loaded {
    model: Option<Arc<FastEmbedder>>,
    last_used: Option<Instant>,
    loads: u32,
}

impl LazyEmbedder {
    /// Check that `model_id` can be loaded from `assets` without loading
    /// it: the runtime library opens at a usable API level and the model
    /// folder has every file. Blocking (opens the runtime library once per
    /// process).
    pub fn new(assets: &Assets, model_id: &str, config: &EmbedConfig) -> Result<LazyEmbedder> {
        check_runtime(assets.require_runtime()?)?;
        let dim = model_dimension(assets.require_model(model_id)?)?;
        Ok(LazyEmbedder {
            model_id: model_id.to_owned(),
            dim,
            assets: assets.clone(),
            config: config.clone(),
            loaded: Mutex::new(Loaded::default()),
        })
    }

    /// Whether the model is in memory now.
    pub fn is_loaded(&self) -> bool {
        self.state().model.is_some()
    }

    /// How many times the model was built (tests: loads and reloads).
    pub fn loads(&self) -> u32 {
        self.state().loads
    }

    fn state(&self) -> MutexGuard<'_, Loaded> {
        self.loaded.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The model, building it if needed. The lock is held while building
    /// so concurrent first callers wait for one load instead of racing.
    fn model(&self) -> Result<Arc<FastEmbedder>> {
        let mut state = self.state();
        state.last_used = Some(Instant::now());
        if let Some(model) = &state.model {
            return Ok(Arc::clone(model));
        }
        let started = Instant::now();
        let model = Arc::new(FastEmbedder::load(&self.assets, &self.model_id, &self.config)?);
        state.loads += 1;
        tracing::info!(
            model = self.model_id,
            ms = started.elapsed().as_millis() as u64,
            "embedding model loaded"
        );
        state.model = Some(Arc::clone(&model));
        Ok(model)
    }
}

impl Embedder for LazyEmbedder {
    fn model_id(&self) -> &str {
        &self.model_id
    }

    fn dimension(&self) -> usize {
        self.dim
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        let model = self.model()?;
        let vectors = model.embed(texts);
        // Count the end of the work as use, so a long import is not
        // followed by an immediate unload and reload.
        self.state().last_used = Some(Instant::now());
        vectors
    }

    fn release_idle(&self, idle: Duration) -> bool {
        let mut state = self.state();
        let quiet = state.last_used.is_some_and(|t| t.elapsed() >= idle);
        // A caller still embedding holds its own Arc: dropping ours only
        // frees the session once that call ends.
        if quiet && state.model.take().is_some() {
            tracing::info!(model = self.model_id, "embedding model unloaded after being idle");
            return true;
        }
        false
    }
}
