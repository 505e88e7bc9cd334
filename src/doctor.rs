//! `gogga doctor`: checks each piece Gogga needs, by name, without opening
//! the app (so it still reports when opening would fail). Each check says
//! what is wrong and how to fix it; the report fails if any check fails.

use std::path::Path;

use serde::Serialize;

use crate::app::OpenOptions;
use crate::embed::{Assets, check_runtime};
use crate::store::fs_kind;

/// One check's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// Short name: "config", "data folder", "onnx runtime", ...
    pub name: &'static str,
    pub ok: bool,
    /// What was found, or what is wrong and how to fix it.
    pub detail: String,
}

/// All checks, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DoctorReport {
    pub checks: Vec<Check>,
}

impl DoctorReport {
    /// True when every check passed.
    pub fn ok(&self) -> bool {
        self.checks.iter().all(|c| c.ok)
    }
}

/// Shared libraries the desktop shell needs (WebKitGTK 4.1).
const WEBKIT_LIBS: [&str; 2] = ["libwebkit2gtk-4.1.so.0", "libjavascriptcoregtk-4.1.so.0"];
const LIB_DIRS: [&str; 4] =
    ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib"];

/// Run every check. Blocking (file system, dlopen): call off the executor.
pub fn run(options: &OpenOptions) -> DoctorReport {
    let mut checks = Vec::new();
    let mut push = |name, result: Result<String, String>| {
        let (ok, detail) = match result {
            Ok(d) => (true, d),
            Err(d) => (false, d),
        };
        checks.push(Check { name, ok, detail });
    };

    let resolved = options.resolve();
    push(
        "config",
        match &resolved {
            Ok(_) => Ok(format!("{} (missing keys use defaults)", options.paths.config_file().display())),
            Err(e) => Err(e.to_string()),
        },
    );
    let (config, paths) = match resolved {
        Ok(pair) => pair,
        Err(_) => (crate::config::Config::default(), options.paths.clone()),
    };

    push("data folder", check_data_dir(&paths.data_dir));

    let assets = Assets::locate(&config.embedding, &paths.cache_dir, options.resource_dir.as_deref());
    push(
        "onnx runtime",
        assets.require_runtime().map_err(|e| e.to_string()).and_then(|p| {
            check_runtime(p).map(|()| format!("loads from {}", p.display())).map_err(|e| e.to_string())
        }),
    );
    push(
        "embedding model",
        match assets.require_model(&config.embedding.model) {
            Ok(dir) => Ok(format!("{} in {}", config.embedding.model, dir.display())),
            Err(e) => {
                // Name the exact missing files of the most likely folder.
                let expected = paths.cache_dir.join("models").join(&config.embedding.model);
                let missing = Assets::missing_model_files(&expected);
                if expected.is_dir() && !missing.is_empty() {
                    Err(format!(
                        "{} is missing {}; run scripts/setup",
                        expected.display(),
                        missing.join(", ")
                    ))
                } else {
                    Err(e.to_string())
                }
            }
        },
    );
    push("webkit", check_webkit());

    DoctorReport { checks }
}

fn check_data_dir(dir: &Path) -> Result<String, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let probe = dir.join(format!(".doctor-{}", crate::id::new_id()));
    std::fs::write(&probe, b"ok").map_err(|e| format!("{} is not writable: {e}", dir.display()))?;
    let _ = std::fs::remove_file(&probe);
    fs_kind::ensure_local(dir).map_err(|e| e.to_string())?;
    Ok(format!("{} (writable, local disk)", dir.display()))
}

fn check_webkit() -> Result<String, String> {
    for dir in LIB_DIRS {
        if WEBKIT_LIBS.iter().all(|lib| Path::new(dir).join(lib).exists()) {
            return Ok(format!("WebKitGTK 4.1 in {dir}"));
        }
    }
    Err("WebKitGTK 4.1 not found (the desktop app needs it): apt-get install libwebkit2gtk-4.1-0".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_root_reports_missing_model_and_runtime_by_name() {
        if std::env::var_os("GOGGA_ORT_DYLIB").is_some() || std::env::var_os("GOGGA_MODEL_DIR").is_some() {
            return; // the environment points at real assets; the integration test covers this
        }
        let dir = tempfile::tempdir().unwrap();
        let report = run(&OpenOptions::under(dir.path()));
        let by_name = |n: &str| report.checks.iter().find(|c| c.name == n).cloned().unwrap();
        assert!(by_name("config").ok);
        assert!(by_name("data folder").ok, "{:?}", by_name("data folder"));
        assert!(!by_name("onnx runtime").ok);
        assert!(by_name("onnx runtime").detail.contains("libonnxruntime.so"));
        assert!(!by_name("embedding model").ok);
        assert!(!report.ok());
    }

    #[test]
    fn a_broken_config_is_reported_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        let options = OpenOptions::under(dir.path());
        std::fs::create_dir_all(&options.paths.config_dir).unwrap();
        std::fs::write(options.paths.config_file(), "nonsense_key = 1\n").unwrap();
        let report = run(&options);
        let config = &report.checks[0];
        assert!(!config.ok);
        assert!(config.detail.contains("nonsense_key"), "{}", config.detail);
        assert!(report.checks.iter().any(|c| c.name == "data folder" && c.ok));
    }
}
