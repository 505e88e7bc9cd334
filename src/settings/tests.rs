//! Settings: the pure config edits, and the façade on a real core with a
//! real config folder (no network: providers are only resolved).

use super::*;
use crate::gateway::Secret;
use crate::{Gogga, OpenOptions};

#[test]
fn stored_keys_join_config_keys_and_replace_same_names() {
    let mut g = GatewayConfig::default();
    g.cerebras.keys.push(KeyConfig { name: "a".into(), key: Secret::new("from-config") });
    g.cerebras.keys.push(KeyConfig { name: "b".into(), key: Secret::new("b-config") });
    let stored = StoredKeys::from([(
        ProviderKind::Cerebras,
        std::collections::BTreeMap::from([
            ("b".to_owned(), Secret::new("b-app")),
            ("c".to_owned(), Secret::new("c-app")),
        ]),
    )]);
    let out = effective_gateway(&g, &stored);
    let names: Vec<_> = out.cerebras.keys.iter().map(|k| (k.name.as_str(), k.key.clone())).collect();
    assert_eq!(
        names,
        vec![("a", Secret::new("from-config")), ("b", Secret::new("b-app")), ("c", Secret::new("c-app"))]
    );
    assert!(out.openrouter.keys.is_empty());
}

#[test]
fn enabling_and_disabling_providers_moves_primary_and_fallback() {
    let c = Config::default();
    assert_eq!(c.gateway.primary, ProviderKind::Cerebras);
    let on = |kind, enabled| ProviderUpdate { kind, base_url: None, enabled, keyless: false };
    let c = with_provider(&c, &on(ProviderKind::OpenRouter, true)).unwrap();
    assert_eq!(
        (c.gateway.primary, c.gateway.fallback),
        (ProviderKind::Cerebras, Some(ProviderKind::OpenRouter))
    );
    let c = with_provider(&c, &on(ProviderKind::Cerebras, false)).unwrap();
    assert_eq!((c.gateway.primary, c.gateway.fallback), (ProviderKind::OpenRouter, None));
    let err = with_provider(&c, &on(ProviderKind::OpenRouter, false)).unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::InvalidInput);
    let custom = ProviderUpdate {
        kind: ProviderKind::Custom,
        base_url: Some(" http://127.0.0.1:11434/v1 ".into()),
        enabled: true,
        keyless: true,
    };
    let c = with_provider(&c, &custom).unwrap();
    assert_eq!(c.gateway.custom.base_url.as_deref(), Some("http://127.0.0.1:11434/v1"));
    assert!(c.gateway.custom.keyless);
    assert_eq!(c.gateway.fallback, Some(ProviderKind::Custom));
}

#[test]
fn hints_show_only_the_last_four_characters() {
    assert_eq!(hint("csk-abcdef9f3a"), "…9f3a");
    assert_eq!(hint("ab"), "…ab");
}

async fn open(root: &std::path::Path) -> Gogga {
    let options = OpenOptions { workers: false, ..OpenOptions::under(root) };
    Gogga::open(options).await.unwrap()
}

#[tokio::test]
async fn changes_are_saved_applied_and_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let gogga = open(dir.path()).await;
    let view = gogga.settings().await.unwrap();
    assert_eq!(view.plan, Tier::Free);
    assert!(!gogga.model_configured() || std::env::var_os("CEREBRAS_API_KEY").is_some());

    let patch =
        SettingsPatch { plan: Some(Tier::Jigga), theme: Some(Theme::Dark), ..SettingsPatch::default() };
    let view = gogga.update_settings(patch).await.unwrap();
    assert_eq!((view.plan, view.theme), (Tier::Jigga, Theme::Dark));
    // Applied to the running core: the router now routes for JIGGA.
    assert_eq!(gogga.route("hello there", None, None).route.tier, Tier::Jigga);

    let view =
        gogga.set_api_key(ProviderKind::Cerebras, "main".into(), "csk-secret-9f3a".into()).await.unwrap();
    let cerebras = view.providers.iter().find(|p| p.kind == ProviderKind::Cerebras).unwrap();
    assert_eq!(cerebras.keys.iter().find(|k| k.source == "app").map(|k| k.hint.as_str()), Some("…9f3a"));
    assert!(gogga.model_configured(), "a stored key makes the provider usable at once");
    let config_text = std::fs::read_to_string(gogga.paths().config_file()).unwrap();
    assert!(config_text.contains("jigga"));
    assert!(!config_text.contains("csk-secret"), "keys typed into the app never go to config.toml");
    drop(gogga);

    let gogga = open(dir.path()).await;
    let view = gogga.settings().await.unwrap();
    assert_eq!(view.plan, Tier::Jigga);
    assert!(gogga.model_configured());
    let view = gogga.delete_api_key(ProviderKind::Cerebras, "main".into()).await.unwrap();
    assert!(view.providers.iter().all(|p| p.keys.iter().all(|k| k.source != "app")));
}

#[tokio::test]
async fn an_invalid_change_leaves_file_and_core_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let gogga = open(dir.path()).await;
    gogga.update_settings(SettingsPatch { plan: Some(Tier::Jive), ..Default::default() }).await.unwrap();
    let before = std::fs::read_to_string(gogga.paths().config_file()).unwrap();
    let bad = ProviderUpdate {
        kind: ProviderKind::Custom,
        base_url: Some("ftp://nope".into()),
        enabled: true,
        keyless: true,
    };
    let err = gogga.save_provider(bad).await.unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::Config, "{err}");
    assert_eq!(std::fs::read_to_string(gogga.paths().config_file()).unwrap(), before);
    assert_eq!(gogga.settings().await.unwrap().plan, Tier::Jive);
}

#[tokio::test]
async fn a_new_data_folder_asks_for_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let gogga = open(dir.path()).await;
    let elsewhere = dir.path().join("elsewhere");
    let view = gogga
        .update_settings(SettingsPatch { data_dir: Some(elsewhere.clone()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(view.data_dir, elsewhere);
    assert_eq!(view.restart_required, std::env::var_os("GOGGA_DATA_DIR").is_none());
}

#[tokio::test]
async fn removing_a_provider_disables_it_forgets_its_url_and_deletes_its_keys() {
    let dir = tempfile::tempdir().unwrap();
    let gogga = open(dir.path()).await;
    let on = ProviderUpdate {
        kind: ProviderKind::OpenRouter,
        base_url: Some("http://127.0.0.1:9/v1".into()),
        enabled: true,
        keyless: false,
    };
    gogga.save_provider(on).await.unwrap();
    gogga.set_api_key(ProviderKind::OpenRouter, "main".into(), "or-secret-1234".into()).await.unwrap();
    let view = gogga.remove_provider(ProviderKind::OpenRouter).await.unwrap();
    let or = view.providers.iter().find(|p| p.kind == ProviderKind::OpenRouter).unwrap();
    assert!(!or.enabled);
    assert!(or.keys.iter().all(|k| k.source != "app"), "its stored keys are deleted: {:?}", or.keys);
    assert_eq!(
        or.base_url,
        ProviderKind::OpenRouter.default_base_url().unwrap_or_default(),
        "back to the default"
    );
    // Cerebras is now the only enabled provider: removing it is refused
    // and changes nothing.
    let before = std::fs::read_to_string(gogga.paths().config_file()).unwrap();
    let err = gogga.remove_provider(ProviderKind::Cerebras).await.unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::InvalidInput, "{err}");
    assert_eq!(std::fs::read_to_string(gogga.paths().config_file()).unwrap(), before);
}

#[tokio::test]
async fn the_backup_schedule_is_saved_and_a_relative_folder_refused() {
    let dir = tempfile::tempdir().unwrap();
    let gogga = open(dir.path()).await;
    let folder = dir.path().join("backups");
    gogga.set_backup_schedule(Some(folder.clone()), 6, 3).await.unwrap();
    let b = &gogga.config().backup;
    assert_eq!((b.folder.as_deref(), b.every_hours, b.keep), (Some(folder.as_path()), 6, 3));
    let err = gogga.set_backup_schedule(Some("relative/dir".into()), 6, 3).await.unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::Config, "{err}");
    assert_eq!(gogga.config().backup.folder.as_deref(), Some(folder.as_path()), "unchanged");
    drop(gogga);
    assert_eq!(open(dir.path()).await.config().backup.every_hours, 6, "saved");
}
