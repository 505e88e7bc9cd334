//! `impl Gogga` for settings: read the view, change simple settings,
//! providers and keys. Every change is validated, saved, then applied to
//! the running core through [`Gogga::reconfigure`]; a change that does not
//! validate leaves both the file and the running core as they were.

use crate::app::Gogga;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::gateway::{ProviderKind, Secret};
use std::path::{Path, PathBuf};

use super::{KeyStore, KeyView, ProviderUpdate, ProviderView, SettingsPatch, SettingsView, hint, label};

impl Gogga {
    /// The settings as the settings screen shows them (no secrets).
    pub async fn settings(&self) -> Result<SettingsView> {
        let this = self.clone();
        crate::spawn::blocking(move || Ok(this.settings_blocking())).await
    }

    /// Change simple settings (plan, default mode, CePO, theme, data folder).
    pub async fn update_settings(&self, patch: SettingsPatch) -> Result<SettingsView> {
        let next = super::patched(&self.config(), &patch);
        self.save_and_apply(next).await
    }

    /// Change one provider's base URL, keyless flag and whether it is used.
    pub async fn save_provider(&self, update: ProviderUpdate) -> Result<SettingsView> {
        let next = super::with_provider(&self.config(), &update)?;
        self.save_and_apply(next).await
    }

    /// Store an API key typed into the app (never in config.toml).
    pub async fn set_api_key(
        &self,
        provider: ProviderKind,
        name: String,
        secret: String,
    ) -> Result<SettingsView> {
        let secret = secret.trim().to_owned();
        if secret.is_empty() {
            return Err(Error::invalid("the key is empty"));
        }
        let store = self.key_store_lookup();
        crate::spawn::blocking(move || store().set(provider, &name, Secret::new(secret))).await?;
        self.save_and_apply((*self.config()).clone()).await
    }

    /// Forget an API key stored by the app.
    pub async fn delete_api_key(&self, provider: ProviderKind, name: String) -> Result<SettingsView> {
        let store = self.key_store_lookup();
        let removed = crate::spawn::blocking(move || store().delete(provider, &name)).await?;
        if !removed {
            return Err(Error::not_found(
                "no such key stored by the app (keys from config.toml or the environment are changed there)",
            ));
        }
        self.save_and_apply((*self.config()).clone()).await
    }

    /// Remove a provider: stop calling it, forget its base URL and delete
    /// the keys stored for it by the app. The last enabled provider cannot
    /// be removed (the error says what to do instead).
    pub async fn remove_provider(&self, provider: ProviderKind) -> Result<SettingsView> {
        let update = ProviderUpdate { kind: provider, base_url: None, enabled: false, keyless: false };
        let next = super::with_provider(&self.config(), &update)?;
        next.validate()?;
        let store = self.key_store_lookup();
        crate::spawn::blocking(move || store().delete_provider(provider)).await?;
        self.save_and_apply(next).await
    }

    /// Change the backup folder (`None`: none), how often scheduled backups
    /// run (0: never) and how many archives are kept; saved like every
    /// other setting and picked up by the running schedule.
    pub async fn set_backup_schedule(
        &self,
        folder: Option<PathBuf>,
        every_hours: u32,
        keep: u32,
    ) -> Result<()> {
        let mut next = (*self.config()).clone();
        next.backup.folder = folder;
        next.backup.every_hours = every_hours;
        next.backup.keep = keep;
        self.save_and_apply(next).await.map(|_| ())
    }

    /// The key store for this core's config folder. Blocking (it may ask
    /// the desktop keyring over D-Bus): call from blocking work.
    pub(crate) fn key_store(&self) -> KeyStore {
        KeyStore::for_config_dir(&self.paths().config_dir)
    }

    /// [`Self::key_store`] as a closure to run inside blocking work.
    fn key_store_lookup(&self) -> impl FnOnce() -> KeyStore + Send + 'static {
        let dir = self.paths().config_dir.clone();
        move || KeyStore::for_config_dir(&dir)
    }

    async fn save_and_apply(&self, next: Config) -> Result<SettingsView> {
        let this = self.clone();
        crate::spawn::blocking(move || {
            next.validate()?;
            this.reconfigure(next, true)?;
            Ok(this.settings_blocking())
        })
        .await
    }

    fn settings_blocking(&self) -> SettingsView {
        let config = self.config();
        let store = self.key_store();
        let (stored, key_problem) = match store.load() {
            Ok(keys) => (keys, None),
            Err(e) => (Default::default(), Some(e.to_string())),
        };
        let env = |var: &str| std::env::var(var).ok().filter(|v| !v.trim().is_empty());
        let g = &config.gateway;
        let providers = ProviderKind::ALL
            .iter()
            .map(|&kind| {
                let pc = g.provider(kind);
                let mut keys: Vec<KeyView> = pc
                    .keys
                    .iter()
                    .map(|k| KeyView { name: k.name.clone(), hint: hint(k.key.expose()), source: "config" })
                    .collect();
                for (name, secret) in stored.get(&kind).into_iter().flatten() {
                    keys.retain(|k| &k.name != name);
                    keys.push(KeyView { name: name.clone(), hint: hint(secret.expose()), source: "app" });
                }
                let (_, list_var, key_var) = kind.env_names();
                if list_var.and_then(env).is_some() || key_var.and_then(env).is_some() {
                    keys.push(KeyView {
                        name: "environment".into(),
                        hint: "(set outside Gogga)".into(),
                        source: "environment",
                    });
                }
                ProviderView {
                    kind,
                    label: label(kind),
                    base_url: pc
                        .base_url
                        .clone()
                        .or_else(|| kind.default_base_url().map(str::to_owned))
                        .unwrap_or_default(),
                    enabled: g.primary == kind || g.fallback == Some(kind),
                    keyless: pc.keyless,
                    keys,
                }
            })
            .collect();
        let data_dir = config.data_dir.clone().unwrap_or_else(|| self.paths().data_dir.clone());
        SettingsView {
            providers,
            plan: config.router.plan,
            default_mode: config.router.manual,
            cepo_enabled: g.cepo.enabled,
            cepo_url: g.cepo.url.clone(),
            theme: config.theme,
            restart_required: std::env::var_os("GOGGA_DATA_DIR").is_none()
                && data_dir != self.paths().data_dir,
            data_dir,
            key_in_keyring: store.is_keyring(),
            key_location: store.describe(),
            key_file: store.file().map(Path::to_path_buf).unwrap_or_default(),
            key_problem,
        }
    }
}
