//! Where API keys entered in the app are kept: never in config.toml, never
//! in the database (so never in a backup). The desktop keyring (Secret
//! Service, see [`KeyringItem`]) when the session has one; otherwise the
//! file `<config_dir>/keys.toml`, created with mode 0600 and replaced
//! atomically, and the settings screen says plainly which one is used.
//! Keys left in the file from a session without a keyring move into the
//! keyring (and the file goes) the first time a keyring is there.
//! `GOGGA_KEY_STORE=file|keyring` forces one (tests, or a user's choice).

use std::collections::BTreeMap;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::gateway::{ProviderKind, Secret};

use super::keyring::KeyringItem;

/// The keys of every provider, by provider then name.
pub type StoredKeys = BTreeMap<ProviderKind, BTreeMap<String, Secret>>;

/// Where keys are stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyStore {
    /// The desktop keyring; the path is the old key file to move from.
    Keyring(KeyringItem, PathBuf),
    /// A TOML file readable only by the user.
    File(PathBuf),
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    #[serde(default)]
    key: Vec<KeyEntry>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyEntry {
    provider: ProviderKind,
    name: String,
    secret: Secret,
}

impl KeyStore {
    /// The store for `config_dir`: the keyring if the session has one that
    /// answers, else the file (or what `GOGGA_KEY_STORE` says).
    pub fn for_config_dir(config_dir: &Path) -> KeyStore {
        match std::env::var("GOGGA_KEY_STORE").ok().as_deref().map(str::trim) {
            Some("file") => return KeyStore::file_in(config_dir),
            Some("keyring") => return KeyStore::keyring_in(config_dir),
            _ => {}
        }
        match KeyringItem::probe(config_dir) {
            Ok(item) => KeyStore::Keyring(item, key_file(config_dir)),
            Err(why) => {
                tracing::debug!(why, "no desktop keyring: API keys go to a 0600 file");
                KeyStore::file_in(config_dir)
            }
        }
    }

    /// The 0600 file in `config_dir`, whatever the session has.
    pub fn file_in(config_dir: &Path) -> KeyStore {
        KeyStore::File(key_file(config_dir))
    }

    /// The desktop keyring's item for `config_dir`, without probing it.
    pub fn keyring_in(config_dir: &Path) -> KeyStore {
        KeyStore::Keyring(KeyringItem::for_config_dir(config_dir), key_file(config_dir))
    }

    /// The key file's path when keys live in a file, for the settings screen.
    pub fn file(&self) -> Option<&Path> {
        match self {
            KeyStore::File(p) => Some(p),
            KeyStore::Keyring(..) => None,
        }
    }

    /// Whether keys live in the desktop keyring.
    pub fn is_keyring(&self) -> bool {
        matches!(self, KeyStore::Keyring(..))
    }

    /// Where the keys are, in words.
    pub fn describe(&self) -> String {
        match self {
            KeyStore::File(p) => format!("the file {} (mode 0600)", p.display()),
            KeyStore::Keyring(item, _) => item.describe(),
        }
    }

    /// Every stored key. No keys yet is an empty set; a key file others
    /// can read is refused (it would mean the keys leaked), as is a
    /// malformed one.
    pub fn load(&self) -> Result<StoredKeys> {
        match self {
            KeyStore::File(path) => match read_private(path)? {
                Some(text) => parse(&text, &path.display().to_string()),
                None => Ok(StoredKeys::new()),
            },
            KeyStore::Keyring(item, old_file) => {
                let mut keys = match item.read()? {
                    Some(text) => parse(&text, "the desktop keyring")?,
                    None => StoredKeys::new(),
                };
                if let Some(text) = read_private(old_file)? {
                    // Move: into the keyring first, then the file goes, so
                    // a failure in between leaves the keys in both places.
                    for (provider, named) in parse(&text, &old_file.display().to_string())? {
                        for (name, secret) in named {
                            keys.entry(provider).or_default().entry(name).or_insert(secret);
                        }
                    }
                    item.write(&render(&keys)?)?;
                    std::fs::remove_file(old_file)
                        .map_err(|e| Error::io(format!("removing {}", old_file.display()), e))?;
                    tracing::info!(file = %old_file.display(), "API keys moved into the desktop keyring");
                }
                Ok(keys)
            }
        }
    }

    /// Add or replace the key `name` of `provider`.
    pub fn set(&self, provider: ProviderKind, name: &str, secret: Secret) -> Result<()> {
        let name = name.trim();
        if name.is_empty() || name.len() > 64 || name.contains(['\n', ':', ',']) {
            return Err(Error::invalid("a key name needs 1 to 64 characters and no ':' ',' or newline"));
        }
        let mut keys = self.load()?;
        keys.entry(provider).or_default().insert(name.to_owned(), secret);
        self.save(&keys)
    }

    /// Remove the key `name` of `provider`; true when there was one.
    pub fn delete(&self, provider: ProviderKind, name: &str) -> Result<bool> {
        let mut keys = self.load()?;
        let removed = keys.get_mut(&provider).and_then(|m| m.remove(name)).is_some();
        if removed {
            self.save(&keys)?;
        }
        Ok(removed)
    }

    /// Remove every key of `provider`.
    pub fn delete_provider(&self, provider: ProviderKind) -> Result<()> {
        let mut keys = self.load()?;
        if keys.remove(&provider).is_some() {
            self.save(&keys)?;
        }
        Ok(())
    }

    fn save(&self, keys: &StoredKeys) -> Result<()> {
        match self {
            KeyStore::File(path) => {
                let header =
                    "# Gogga's API keys. Keep this file private (mode 0600); it is never backed up.\n";
                write_private(path, format!("{header}{}", render(keys)?).as_bytes())
            }
            KeyStore::Keyring(item, _) if keys.is_empty() => item.delete(),
            KeyStore::Keyring(item, _) => item.write(&render(keys)?),
        }
    }
}

fn key_file(config_dir: &Path) -> PathBuf {
    config_dir.join("keys.toml")
}

/// The key file's text; `None` when there is no file. Refused when other
/// users can read it.
fn read_private(path: &Path) -> Result<Option<String>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(format!("reading {}", path.display()), e)),
    };
    let mode = std::fs::metadata(path).map(|m| m.permissions().mode() & 0o777).unwrap_or(0);
    if mode & 0o077 != 0 {
        return Err(Error::config(format!(
            "{} is readable by other users (mode {mode:o}); run `chmod 600 {}`",
            path.display(),
            path.display()
        )));
    }
    Ok(Some(text))
}

fn parse(text: &str, origin: &str) -> Result<StoredKeys> {
    let file: KeyFile =
        toml::from_str(text).map_err(|e| Error::config(format!("{origin}: {}", e.to_string().trim_end())))?;
    let mut keys = StoredKeys::new();
    for entry in file.key {
        keys.entry(entry.provider).or_default().insert(entry.name, entry.secret);
    }
    Ok(keys)
}

fn render(keys: &StoredKeys) -> Result<String> {
    let file = KeyFile {
        key: keys
            .iter()
            .flat_map(|(p, m)| {
                m.iter().map(|(n, s)| KeyEntry { provider: *p, name: n.clone(), secret: s.clone() })
            })
            .collect(),
    };
    toml::to_string(&file).map_err(|e| Error::internal(format!("writing keys: {e}")))
}

/// Write `bytes` to `path` atomically with mode 0600.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().ok_or_else(|| Error::invalid(format!("{} has no folder", path.display())))?;
    std::fs::create_dir_all(dir).map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    let tmp = dir.join(format!(
        ".{}.{}",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("f"),
        crate::id::new_id()
    ));
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        std::fs::File::open(dir)?.sync_all()
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::new(ErrorKind::Io, format!("writing {}: {e}", path.display())).with_source(e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_in_a_private_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = KeyStore::file_in(dir.path());
        assert!(store.load().unwrap().is_empty());
        store.set(ProviderKind::Cerebras, "main", Secret::new("csk-1234567890")).unwrap();
        store.set(ProviderKind::Cerebras, "spare", Secret::new("csk-abc")).unwrap();
        store.set(ProviderKind::OpenRouter, "or", Secret::new("sk-or-1")).unwrap();
        let mode = std::fs::metadata(store.file().unwrap()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let keys = store.load().unwrap();
        assert_eq!(keys[&ProviderKind::Cerebras].len(), 2);
        assert_eq!(keys[&ProviderKind::Cerebras]["main"], Secret::new("csk-1234567890"));
        assert!(store.delete(ProviderKind::Cerebras, "main").unwrap());
        assert!(!store.delete(ProviderKind::Cerebras, "main").unwrap());
        store.delete_provider(ProviderKind::OpenRouter).unwrap();
        let keys = store.load().unwrap();
        assert_eq!(keys[&ProviderKind::Cerebras].keys().collect::<Vec<_>>(), ["spare"]);
        assert!(!keys.contains_key(&ProviderKind::OpenRouter));
    }

    #[test]
    fn a_world_readable_or_broken_file_is_refused_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let store = KeyStore::file_in(dir.path());
        let path = store.file().unwrap().to_path_buf();
        std::fs::write(&path, "[[key]]\nprovider = \"cerebras\"\nname = \"x\"\nsecret = \"s\"\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = store.load().unwrap_err().to_string();
        assert!(err.contains("chmod 600"), "{err}");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        std::fs::write(&path, "[[key]]\nprovider = \"nobody\"\n").unwrap();
        assert!(store.load().is_err());
    }

    #[test]
    fn bad_names_are_refused_and_secrets_never_print() {
        let dir = tempfile::tempdir().unwrap();
        let store = KeyStore::file_in(dir.path());
        for bad in ["", "   ", "a:b", "x,y"] {
            assert!(store.set(ProviderKind::Cerebras, bad, Secret::new("k")).is_err(), "{bad:?}");
        }
        let keys = StoredKeys::from([(
            ProviderKind::Cerebras,
            BTreeMap::from([("n".to_owned(), Secret::new("super-secret-value"))]),
        )]);
        assert!(!format!("{keys:?}").contains("super-secret-value"));
    }
}
