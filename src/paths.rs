//! Where Gogga keeps things: the data folder (SQLite store, index), the
//! config folder and the cache folder (ONNX Runtime, the embedding model).
//! XDG defaults through `directories`; `GOGGA_DATA_DIR`, `GOGGA_CONFIG_DIR`
//! and `GOGGA_CACHE_DIR` override them (tests and portable installs).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The folders one Gogga instance uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    /// Live data: `gogga.db`, `index/`, lock files. Must be a local disk.
    pub data_dir: PathBuf,
    /// `config.toml` and `router.toml`.
    pub config_dir: PathBuf,
    /// Downloaded runtime and model files (fetched by `scripts/setup`).
    pub cache_dir: PathBuf,
}

impl Paths {
    /// Resolve the folders from the environment and XDG defaults.
    pub fn from_env() -> Result<Paths> {
        let dirs = directories::ProjectDirs::from("", "", "gogga")
            .ok_or_else(|| Error::config("cannot find the home folder: set HOME or GOGGA_DATA_DIR"))?;
        let pick = |var: &str, default: &Path| -> PathBuf {
            match std::env::var_os(var) {
                Some(v) if !v.is_empty() => PathBuf::from(v),
                _ => default.to_path_buf(),
            }
        };
        Ok(Paths {
            data_dir: pick("GOGGA_DATA_DIR", dirs.data_dir()),
            config_dir: pick("GOGGA_CONFIG_DIR", dirs.config_dir()),
            cache_dir: pick("GOGGA_CACHE_DIR", dirs.cache_dir()),
        })
    }

    /// All three folders under one root (tests, portable mode).
    pub fn under(root: &Path) -> Paths {
        Paths { data_dir: root.join("data"), config_dir: root.join("config"), cache_dir: root.join("cache") }
    }

    /// The SQLite store, the source of truth.
    pub fn database(&self) -> PathBuf {
        self.data_dir.join("gogga.db")
    }

    /// The tantivy index folder (rebuildable from the database).
    pub fn index_dir(&self) -> PathBuf {
        self.data_dir.join("index")
    }

    /// The user's config file.
    pub fn config_file(&self) -> PathBuf {
        self.config_dir.join("config.toml")
    }

    /// The user's router keyword overrides.
    pub fn router_file(&self) -> PathBuf {
        self.config_dir.join("router.toml")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn under_puts_everything_below_root() {
        let p = Paths::under(Path::new("/tmp/x"));
        assert_eq!(p.database(), PathBuf::from("/tmp/x/data/gogga.db"));
        assert_eq!(p.config_file(), PathBuf::from("/tmp/x/config/config.toml"));
        assert_eq!(p.index_dir(), PathBuf::from("/tmp/x/data/index"));
    }
}
