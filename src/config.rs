//! Typed, strict configuration (`~/.config/gogga/config.toml`). Every table
//! denies unknown keys, so a typo is an error that names the key and line
//! instead of a silently ignored setting. Each module owns the type of its own
//! section (router, gateway, embedding, library, chat, backup); this file
//! only puts them together and validates the whole at load.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The whole configuration. Missing keys take their defaults.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Where the live data is kept; `GOGGA_DATA_DIR` beats it.
    pub data_dir: Option<PathBuf>,
    /// Light, dark, or follow the system.
    pub theme: Theme,
    /// Plan, models, keyword overrides and manual override.
    pub router: crate::router::RouterConfig,
    /// Providers, keys, retries, CePO, caches.
    pub gateway: crate::gateway::GatewayConfig,
    /// Embedding runtime and model.
    pub embedding: crate::embed::EmbedConfig,
    /// Chunking and watched folders.
    pub library: crate::ingest::LibraryConfig,
    /// Budgets, prices, modes.
    pub chat: crate::chat::ChatConfig,
    /// Backup folder, schedule, retention.
    pub backup: crate::backup::BackupConfig,
}

/// The UI theme.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    Light,
    Dark,
    #[default]
    System,
}

impl Config {
    /// Parse config text; `origin` names the file in error messages.
    pub fn parse(text: &str, origin: &Path) -> Result<Config> {
        let config: Config = toml::from_str(text)
            .map_err(|e| Error::config(format!("{}: {}", origin.display(), e.to_string().trim_end())))?;
        config.validate().map_err(|e| Error::config(format!("{}: {}", origin.display(), e.message())))?;
        Ok(config)
    }

    /// Load `path`, or the defaults when the file does not exist.
    pub fn load(path: &Path) -> Result<Config> {
        match std::fs::read(path) {
            Ok(bytes) => {
                let text = String::from_utf8(bytes).map_err(|e| {
                    Error::config(format!(
                        "{}: not UTF-8 text (invalid byte at offset {})",
                        path.display(),
                        e.utf8_error().valid_up_to()
                    ))
                })?;
                Config::parse(&text, path)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(Error::io(format!("reading {}", path.display()), e)),
        }
    }

    /// Cross-field checks that serde cannot express.
    pub fn validate(&self) -> Result<()> {
        self.router.validate()?;
        self.gateway.validate()?;
        self.embedding.validate()?;
        self.library.validate()?;
        self.chat.validate()?;
        self.backup.validate()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config> {
        Config::parse(text, Path::new("config.toml"))
    }

    #[test]
    fn empty_file_gives_defaults() {
        assert_eq!(parse("").ok(), Some(Config::default()));
    }

    #[test]
    fn unknown_keys_are_errors_naming_the_key() {
        for (text, key) in [("colour = 1", "colour"), ("[router]\nplann = \"free\"", "plann")] {
            let err = parse(text).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(err.contains(key), "{text:?} gave {err:?}");
            assert!(err.contains("config.toml"), "{err}");
        }
    }

    #[test]
    fn theme_parses() {
        assert_eq!(parse("theme = \"dark\"").map(|c| c.theme).ok(), Some(Theme::Dark));
        assert!(parse("theme = \"purple\"").is_err());
    }

    #[test]
    fn missing_file_is_defaults_and_non_utf8_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Config::load(&dir.path().join("nope.toml")).ok(), Some(Config::default()));
        let bad = dir.path().join("bad.toml");
        std::fs::write(&bad, b"theme = \"\xff\"").unwrap();
        let err = Config::load(&bad).unwrap_err();
        assert!(err.to_string().contains("not UTF-8"), "{err}");
    }
}
