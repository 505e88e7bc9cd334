//! The settings screen's commands: read the settings, patch the simple
//! ones, save or remove a provider, and set or delete an API key. Every
//! change is validated and applied by the core and answered with the new
//! settings; secrets go in once and never come back out.

use tauri::State;

use crate::dto::{IpcError, ProviderInput, Settings, SettingsPatch, provider_by_id};
use crate::state::Core;

/// The settings as the screen shows them (no secrets).
#[tauri::command]
pub async fn get_settings(core: State<'_, Core>) -> Result<Settings, IpcError> {
    Ok(core.get()?.settings().await?.into())
}

/// Change plan, default mode, CePO, theme or data folder (null: unchanged).
#[tauri::command]
pub async fn update_settings(core: State<'_, Core>, patch: SettingsPatch) -> Result<Settings, IpcError> {
    Ok(core.get()?.update_settings(patch.into()).await?.into())
}

/// Change a provider's base URL and whether it is used; keys are untouched.
#[tauri::command]
pub async fn save_provider(core: State<'_, Core>, provider: ProviderInput) -> Result<Settings, IpcError> {
    let gogga = core.get()?;
    // The screen does not edit "keyless": keep what the config says.
    let current = gogga.settings().await?;
    let kind = provider.kind()?;
    let keyless = current.providers.iter().any(|p| p.kind == kind && p.keyless);
    Ok(gogga.save_provider(provider.to_update(keyless)?).await?.into())
}

/// Stop using a provider, forget its base URL and delete its stored keys.
#[tauri::command]
pub async fn remove_provider(core: State<'_, Core>, provider_id: String) -> Result<Settings, IpcError> {
    let kind = provider_by_id(&provider_id)?;
    Ok(core.get()?.remove_provider(kind).await?.into())
}

/// Store an API key for a provider under a name.
#[tauri::command]
pub async fn set_api_key(
    core: State<'_, Core>,
    provider_id: String,
    name: String,
    secret: String,
) -> Result<Settings, IpcError> {
    let kind = provider_by_id(&provider_id)?;
    Ok(core.get()?.set_api_key(kind, name, secret).await?.into())
}

/// Delete an API key stored by the app.
#[tauri::command]
pub async fn delete_api_key(
    core: State<'_, Core>,
    provider_id: String,
    name: String,
) -> Result<Settings, IpcError> {
    let kind = provider_by_id(&provider_id)?;
    Ok(core.get()?.delete_api_key(kind, name).await?.into())
}
