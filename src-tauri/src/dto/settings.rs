//! The settings screen's DTOs and their conversions to and from the core's
//! settings types (`gogga::settings`). A provider's id is the core's name
//! for its kind (`cerebras`, `openrouter`, `custom`): the core has one
//! provider of each kind. Secrets never appear here: keys are a name and a
//! hint of their last four characters.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use gogga::gateway::ProviderKind as CoreKind;

use super::IpcError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "UPPERCASE")]
pub enum Tier {
    Free,
    Jive,
    Jigga,
}

impl From<gogga::Tier> for Tier {
    fn from(t: gogga::Tier) -> Self {
        match t {
            gogga::Tier::Free => Tier::Free,
            gogga::Tier::Jive => Tier::Jive,
            gogga::Tier::Jigga => Tier::Jigga,
        }
    }
}

impl From<Tier> for gogga::Tier {
    fn from(t: Tier) -> Self {
        match t {
            Tier::Free => gogga::Tier::Free,
            Tier::Jive => gogga::Tier::Jive,
            Tier::Jigga => gogga::Tier::Jigga,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum RouteMode {
    Auto,
    Fast,
    Max,
}

impl From<gogga::Override> for RouteMode {
    fn from(o: gogga::Override) -> Self {
        match o {
            gogga::Override::Auto => RouteMode::Auto,
            gogga::Override::Fast => RouteMode::Fast,
            gogga::Override::Max => RouteMode::Max,
        }
    }
}

impl From<RouteMode> for gogga::Override {
    fn from(m: RouteMode) -> Self {
        match m {
            RouteMode::Auto => gogga::Override::Auto,
            RouteMode::Fast => gogga::Override::Fast,
            RouteMode::Max => gogga::Override::Max,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    Light,
    Dark,
    System,
}

impl From<gogga::config::Theme> for Theme {
    fn from(t: gogga::config::Theme) -> Self {
        match t {
            gogga::config::Theme::Light => Theme::Light,
            gogga::config::Theme::Dark => Theme::Dark,
            gogga::config::Theme::System => Theme::System,
        }
    }
}

impl From<Theme> for gogga::config::Theme {
    fn from(t: Theme) -> Self {
        match t {
            Theme::Light => gogga::config::Theme::Light,
            Theme::Dark => gogga::config::Theme::Dark,
            Theme::System => gogga::config::Theme::System,
        }
    }
}

// Where keys typed into the app are kept: the desktop keyring when the
// session has one, else a 0600 file in the config folder (and the settings
// screen says so).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum KeyStorage {
    Keyring,
    File,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProviderKind {
    Cerebras,
    Openrouter,
    OpenaiCompatible,
}

impl From<CoreKind> for ProviderKind {
    fn from(k: CoreKind) -> Self {
        match k {
            CoreKind::Cerebras => ProviderKind::Cerebras,
            CoreKind::OpenRouter => ProviderKind::Openrouter,
            CoreKind::Custom => ProviderKind::OpenaiCompatible,
        }
    }
}

impl From<ProviderKind> for CoreKind {
    fn from(k: ProviderKind) -> Self {
        match k {
            ProviderKind::Cerebras => CoreKind::Cerebras,
            ProviderKind::Openrouter => CoreKind::OpenRouter,
            ProviderKind::OpenaiCompatible => CoreKind::Custom,
        }
    }
}

/// The core's provider for a provider id (the kind's name).
pub fn provider_by_id(id: &str) -> Result<CoreKind, IpcError> {
    CoreKind::ALL.into_iter().find(|k| k.name() == id).ok_or_else(|| {
        IpcError::invalid(format!("no provider has id {id:?} (cerebras, openrouter or custom)"))
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyInfo {
    pub name: String,
    pub hint: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProviderInfo {
    pub id: String,
    pub kind: ProviderKind,
    pub label: String,
    pub base_url: String,
    pub enabled: bool,
    pub keys: Vec<ApiKeyInfo>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProviderInput {
    pub id: String,
    pub kind: ProviderKind,
    pub label: String,
    pub base_url: String,
    pub enabled: bool,
}

impl ProviderInput {
    /// The core's provider this input changes: the one with its id, of the
    /// kind it says. The core keeps one provider of each kind, so a new id
    /// is refused (saying which provider to edit) rather than silently
    /// changing the existing one.
    pub fn kind(&self) -> Result<CoreKind, IpcError> {
        let kind = provider_by_id(&self.id).map_err(|_| {
            let existing = CoreKind::from(self.kind);
            IpcError::invalid(format!(
                "Gogga keeps one provider of each kind: change the {} provider (id {:?}) instead of adding {:?}",
                gogga::settings::label(existing),
                existing.name(),
                self.id
            ))
        })?;
        if ProviderKind::from(kind) != self.kind {
            return Err(IpcError::invalid(format!(
                "the provider {:?} is not of the kind {:?}",
                self.id, self.kind
            )));
        }
        Ok(kind)
    }

    /// The core's update; the keyless flag, which the screen does not
    /// edit, is kept as it was.
    pub fn to_update(&self, keyless: bool) -> Result<gogga::settings::ProviderUpdate, IpcError> {
        Ok(gogga::settings::ProviderUpdate {
            kind: self.kind()?,
            base_url: Some(self.base_url.clone()),
            enabled: self.enabled,
            keyless,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CepoSettings {
    pub enabled: bool,
    pub endpoint: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    pub providers: Vec<ProviderInfo>,
    pub plan: Tier,
    pub default_mode: RouteMode,
    pub cepo: CepoSettings,
    pub theme: Theme,
    pub data_dir: String,
    pub restart_required: bool,
    pub key_storage: KeyStorage,
    pub key_file: Option<String>,
}

impl From<gogga::settings::SettingsView> for Settings {
    fn from(v: gogga::settings::SettingsView) -> Self {
        let key_file = v.key_file.display().to_string();
        Settings {
            providers: v
                .providers
                .into_iter()
                .map(|p| ProviderInfo {
                    id: p.kind.name().to_owned(),
                    kind: p.kind.into(),
                    label: p.label.to_owned(),
                    base_url: p.base_url,
                    enabled: p.enabled,
                    keys: p.keys.into_iter().map(|k| ApiKeyInfo { name: k.name, hint: k.hint }).collect(),
                })
                .collect(),
            plan: v.plan.into(),
            default_mode: v.default_mode.into(),
            cepo: CepoSettings {
                enabled: v.cepo_enabled,
                endpoint: Some(v.cepo_url).filter(|u| !u.trim().is_empty()),
            },
            theme: v.theme.into(),
            data_dir: v.data_dir.display().to_string(),
            restart_required: v.restart_required,
            key_storage: if v.key_in_keyring { KeyStorage::Keyring } else { KeyStorage::File },
            key_file: Some(key_file).filter(|f| !f.is_empty()),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsPatch {
    pub plan: Option<Tier>,
    pub default_mode: Option<RouteMode>,
    pub cepo: Option<CepoSettings>,
    pub theme: Option<Theme>,
    pub data_dir: Option<String>,
}

impl From<SettingsPatch> for gogga::settings::SettingsPatch {
    // `null` leaves a value unchanged; a CePO change with a null endpoint
    // keeps the endpoint.
    fn from(p: SettingsPatch) -> Self {
        gogga::settings::SettingsPatch {
            plan: p.plan.map(Into::into),
            default_mode: p.default_mode.map(Into::into),
            cepo_enabled: p.cepo.as_ref().map(|c| c.enabled),
            cepo_url: p.cepo.and_then(|c| c.endpoint),
            theme: p.theme.map(Into::into),
            data_dir: p.data_dir.map(Into::into),
        }
    }
}
