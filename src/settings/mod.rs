//! Settings the desktop app edits: the plan, the default override, theme,
//! CePO, the data folder, providers and their API keys. Reading gives a
//! [`SettingsView`] without secrets (keys show as a name and a hint);
//! changes are validated, written to config.toml atomically and applied to
//! the running core (router and gateway are rebuilt; the data folder only
//! takes effect after a restart, and the view says so). Keys entered in the
//! app go to the [`KeyStore`], never to config.toml or the database.

mod facade;
mod keyring;
pub mod keystore;

use std::path::PathBuf;

use serde::Serialize;

pub use keyring::{KeyringItem, SERVICE as KEYRING_SERVICE};
pub use keystore::{KeyStore, StoredKeys};

use crate::config::{Config, Theme};
use crate::gateway::{GatewayConfig, KeyConfig, ProviderKind};
use crate::router::{Override, Tier};

/// What the settings screen shows. Never contains a secret.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SettingsView {
    pub providers: Vec<ProviderView>,
    pub plan: Tier,
    pub default_mode: Override,
    pub cepo_enabled: bool,
    pub cepo_url: String,
    pub theme: Theme,
    /// The data folder the config asks for (may differ from the one in use).
    pub data_dir: PathBuf,
    /// The data folder changed: it takes effect after a restart.
    pub restart_required: bool,
    /// Whether keys typed into the app go to the desktop keyring.
    pub key_in_keyring: bool,
    /// Where keys typed into the app are kept, in words.
    pub key_location: String,
    /// The key file, when keys live in a file (empty with the keyring).
    pub key_file: PathBuf,
    /// A problem reading the key file, if any (keys there are not used).
    pub key_problem: Option<String>,
}

/// One provider as the settings screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProviderView {
    pub kind: ProviderKind,
    pub label: &'static str,
    /// Empty when none is set (the custom provider needs one).
    pub base_url: String,
    /// Called (as primary or fallback).
    pub enabled: bool,
    pub keyless: bool,
    pub keys: Vec<KeyView>,
}

/// A key without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyView {
    pub name: String,
    /// The last four characters, e.g. "…9f3a".
    pub hint: String,
    /// Where it comes from: "app" (the key file), "config" or "environment".
    pub source: &'static str,
}

/// A change to the simple settings; `None` leaves a value as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SettingsPatch {
    pub plan: Option<Tier>,
    pub default_mode: Option<Override>,
    pub cepo_enabled: Option<bool>,
    pub cepo_url: Option<String>,
    pub theme: Option<Theme>,
    pub data_dir: Option<PathBuf>,
}

/// A change to one provider.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderUpdate {
    pub kind: ProviderKind,
    /// `None` or empty: the provider's default (none for custom).
    pub base_url: Option<String>,
    pub enabled: bool,
    pub keyless: bool,
}

/// People-facing name of a provider.
pub fn label(kind: ProviderKind) -> &'static str {
    match kind {
        ProviderKind::Cerebras => "Cerebras",
        ProviderKind::OpenRouter => "OpenRouter",
        ProviderKind::Custom => "OpenAI-compatible server",
    }
}

/// The last four characters of a secret, the only part ever shown.
pub(crate) fn hint(secret: &str) -> String {
    let tail: String = secret.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    format!("…{tail}")
}

/// The gateway config with the app's stored keys added after the config
/// file's own (a stored key replaces a config key of the same name). The
/// environment still beats both (applied inside the gateway).
pub(crate) fn effective_gateway(config: &GatewayConfig, stored: &StoredKeys) -> GatewayConfig {
    let mut out = config.clone();
    for kind in ProviderKind::ALL {
        let Some(keys) = stored.get(&kind) else { continue };
        let pc = out.provider_mut(kind);
        for (name, secret) in keys {
            pc.keys.retain(|k| &k.name != name);
            pc.keys.push(KeyConfig { name: name.clone(), key: secret.clone() });
        }
    }
    out
}

/// Apply `patch` to `config` (pure; validation happens on save).
pub(crate) fn patched(config: &Config, patch: &SettingsPatch) -> Config {
    let mut c = config.clone();
    if let Some(plan) = patch.plan {
        c.router.plan = plan;
    }
    if let Some(mode) = patch.default_mode {
        c.router.manual = mode;
    }
    if let Some(on) = patch.cepo_enabled {
        c.gateway.cepo.enabled = on;
    }
    if let Some(url) = &patch.cepo_url {
        c.gateway.cepo.url = url.trim().to_owned();
    }
    if let Some(theme) = patch.theme {
        c.theme = theme;
    }
    if let Some(dir) = &patch.data_dir {
        c.data_dir = Some(dir.clone());
    }
    c
}

/// Apply a provider update: base URL, keyless, and whether it is called
/// (enabled providers are the primary and the fallback).
pub(crate) fn with_provider(config: &Config, update: &ProviderUpdate) -> crate::Result<Config> {
    let mut c = config.clone();
    let g = &mut c.gateway;
    let pc = g.provider_mut(update.kind);
    pc.base_url = update.base_url.as_deref().map(str::trim).filter(|u| !u.is_empty()).map(str::to_owned);
    pc.keyless = update.keyless;
    let kind = update.kind;
    if update.enabled {
        if g.primary != kind && g.fallback != Some(kind) {
            g.fallback = Some(kind);
        }
    } else if g.fallback == Some(kind) {
        g.fallback = None;
    } else if g.primary == kind {
        match g.fallback.take() {
            Some(next) => g.primary = next,
            None => {
                return Err(crate::Error::invalid(
                    "one provider must stay enabled; remove its keys instead to answer from your documents only",
                ));
            }
        }
    }
    Ok(c)
}

#[cfg(test)]
mod tests;
