//! Finding the embedding runtime and model on disk. Search order, first hit
//! wins: explicit paths (environment `GOGGA_ORT_DYLIB` / `ORT_DYLIB_PATH` /
//! `GOGGA_MODEL_DIR`, then config), the app's bundled resources (the
//! installed `.deb`), then setup's cache folder. A missing piece is reported
//! by name so `gogga doctor` can say exactly what to fetch.

use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};

use super::EmbedConfig;

/// The ONNX Runtime version setup fetches and the app bundles.
pub const ORT_VERSION: &str = "1.24.4";

/// Files a model folder must hold.
pub const MODEL_FILES: [&str; 5] =
    ["model.onnx", "tokenizer.json", "config.json", "special_tokens_map.json", "tokenizer_config.json"];

/// Where the runtime and model were found (or would be expected).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assets {
    /// `libonnxruntime.so`, if found.
    pub onnxruntime: Option<PathBuf>,
    /// The model folder, if found with all of [`MODEL_FILES`].
    pub model_dir: Option<PathBuf>,
    /// Where the runtime was looked for, for error messages.
    pub searched_runtime: Vec<PathBuf>,
    /// Where the model was looked for.
    pub searched_model: Vec<PathBuf>,
}

impl Assets {
    /// Look for the runtime and `config.model` in the usual places.
    /// `resource_dir` is the desktop app's bundled resources folder, if any.
    pub fn locate(config: &EmbedConfig, cache_dir: &Path, resource_dir: Option<&Path>) -> Assets {
        let env_path = |var: &str| std::env::var_os(var).filter(|v| !v.is_empty()).map(PathBuf::from);
        let mut ort_candidates: Vec<PathBuf> = Vec::new();
        ort_candidates.extend(env_path("GOGGA_ORT_DYLIB"));
        ort_candidates.extend(env_path("ORT_DYLIB_PATH"));
        ort_candidates.extend(config.onnxruntime.clone());
        if let Some(res) = resource_dir {
            ort_candidates.push(res.join("onnxruntime").join("libonnxruntime.so"));
        }
        ort_candidates.push(cache_dir.join(format!("onnxruntime-{ORT_VERSION}")).join("libonnxruntime.so"));
        let onnxruntime = ort_candidates.iter().find(|p| p.is_file()).cloned();

        let mut model_candidates: Vec<PathBuf> = Vec::new();
        model_candidates.extend(env_path("GOGGA_MODEL_DIR"));
        model_candidates.extend(config.model_dir.clone());
        if let Some(res) = resource_dir {
            model_candidates.push(res.join("models").join(&config.model));
        }
        model_candidates.push(cache_dir.join("models").join(&config.model));
        let model_dir =
            model_candidates.iter().find(|p| MODEL_FILES.iter().all(|f| p.join(f).is_file())).cloned();

        Assets { onnxruntime, model_dir, searched_runtime: ort_candidates, searched_model: model_candidates }
    }

    /// The runtime path, or an `Embed` error saying where we looked.
    pub fn require_runtime(&self) -> Result<&Path> {
        self.onnxruntime.as_deref().ok_or_else(|| {
            Error::new(
                ErrorKind::Embed,
                format!(
                    "ONNX Runtime (libonnxruntime.so {ORT_VERSION}) not found; run `make run` or scripts/setup, or set GOGGA_ORT_DYLIB (looked in: {})",
                    list(&self.searched_runtime)
                ),
            )
        })
    }

    /// The model folder, or an `Embed` error naming the missing files.
    pub fn require_model(&self, model: &str) -> Result<&Path> {
        self.model_dir.as_deref().ok_or_else(|| {
            Error::new(
                ErrorKind::Embed,
                format!(
                    "embedding model {model} not found (needs {}); run scripts/setup or set GOGGA_MODEL_DIR (looked in: {})",
                    MODEL_FILES.join(", "),
                    list(&self.searched_model)
                ),
            )
        })
    }

    /// Model files missing from `dir` (for doctor).
    pub fn missing_model_files(dir: &Path) -> Vec<&'static str> {
        MODEL_FILES.iter().copied().filter(|f| !dir.join(f).is_file()).collect()
    }
}

fn list(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}

/// Load ONNX Runtime from `path` (once per process) and check its API level.
/// Returns an error instead of the panic ort would give on first use.
pub fn check_runtime(path: &Path) -> Result<()> {
    match ort::init_from(path) {
        // The builder is dropped: fastembed creates the environment later;
        // what matters here is that the library loaded at a usable API level.
        Ok(_builder) => Ok(()),
        Err(e) => Err(Error::new(
            ErrorKind::Embed,
            format!("ONNX Runtime at {} cannot be used: {e}", path.display()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_cache_layout_and_reports_missing_pieces() {
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path();
        let config = EmbedConfig::default();
        let none = Assets::locate(&config, cache, None);
        // The environment may point elsewhere on a dev machine; only check
        // the cache candidates when it does not.
        if std::env::var_os("GOGGA_ORT_DYLIB").is_none() && std::env::var_os("ORT_DYLIB_PATH").is_none() {
            assert!(none.onnxruntime.is_none());
            let err = none.require_runtime().unwrap_err().to_string();
            assert!(err.contains("libonnxruntime.so"), "{err}");
        }
        let model = cache.join("models").join(&config.model);
        std::fs::create_dir_all(&model).unwrap();
        for f in &MODEL_FILES[..4] {
            std::fs::write(model.join(f), b"x").unwrap();
        }
        assert_eq!(Assets::missing_model_files(&model), vec!["tokenizer_config.json"]);
        if std::env::var_os("GOGGA_MODEL_DIR").is_none() {
            assert!(Assets::locate(&config, cache, None).model_dir.is_none());
            std::fs::write(model.join("tokenizer_config.json"), b"x").unwrap();
            assert_eq!(Assets::locate(&config, cache, None).model_dir, Some(model));
        }
    }

    #[test]
    fn a_file_that_is_not_a_library_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let fake = dir.path().join("libonnxruntime.so");
        std::fs::write(&fake, b"not a shared object").unwrap();
        let err = check_runtime(&fake).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Embed);
    }
}
