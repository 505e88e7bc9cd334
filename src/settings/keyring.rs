//! The desktop's keyring (the freedesktop Secret Service: GNOME Keyring,
//! KWallet, KeePassXC), sole owner of the `keyring` crate. All of one
//! profile's keys are kept as a single keyring item — service
//! [`SERVICE`], account `keys:<config folder>` — holding the same TOML the
//! fallback file holds, so two profiles (or two test folders) never see
//! each other's keys and one read gets them all.
//!
//! Only tried when the session has a D-Bus address: without one, libdbus
//! would try to autolaunch a bus of its own, which on a headless machine
//! either fails slowly or starts a keyring that then waits on a prompt.

use std::path::Path;

use crate::error::{Error, ErrorKind, Result};

/// The keyring item's service name.
pub const SERVICE: &str = "gogga-desktop";

/// One profile's item in the desktop keyring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyringItem {
    account: String,
}

impl KeyringItem {
    /// The item for the profile whose config folder is `config_dir`.
    pub fn for_config_dir(config_dir: &Path) -> KeyringItem {
        KeyringItem { account: format!("keys:{}", config_dir.display()) }
    }

    /// The item if this session has a keyring that answers, else why not
    /// (for the log and the settings screen).
    pub fn probe(config_dir: &Path) -> std::result::Result<KeyringItem, String> {
        if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none_or(|v| v.is_empty()) {
            return Err("no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set)".into());
        }
        let item = KeyringItem::for_config_dir(config_dir);
        match item.read() {
            Ok(_) => Ok(item),
            Err(e) => Err(e.to_string()),
        }
    }

    /// A label for the settings screen.
    pub fn describe(&self) -> String {
        format!("the desktop keyring (Secret Service), item \"{SERVICE}\" / \"{}\"", self.account)
    }

    fn entry(&self) -> Result<keyring::Entry> {
        keyring::Entry::new(SERVICE, &self.account).map_err(|e| keyring_error("opening", &e))
    }

    /// The stored text, `None` when there is no item yet.
    pub fn read(&self) -> Result<Option<String>> {
        match self.entry()?.get_password() {
            Ok(text) => Ok(Some(text)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error("reading", &e)),
        }
    }

    /// Replace the stored text.
    pub fn write(&self, text: &str) -> Result<()> {
        self.entry()?.set_password(text).map_err(|e| keyring_error("writing", &e))
    }

    /// Remove the item (no item is fine).
    pub fn delete(&self) -> Result<()> {
        match self.entry()?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keyring_error("deleting", &e)),
        }
    }
}

fn keyring_error(what: &str, e: &keyring::Error) -> Error {
    // keyring's errors never contain the secret itself, only the failure.
    Error::new(ErrorKind::Io, format!("{what} the API keys in the desktop keyring: {e}"))
}
