//! API keys in a real desktop keyring: a private D-Bus session with GNOME
//! Keyring's Secret Service (`dbus-run-session`, `gnome-keyring-daemon`,
//! installed by `scripts/setup test`), in a throw-away home folder. The
//! parent test starts that session and runs the child test inside it, so
//! the keyring's environment never leaks into the other tests.

use std::path::{Path, PathBuf};
use std::process::Command;

use gogga::gateway::{ProviderKind, Secret};
use gogga::settings::{KeyStore, KeyringItem};
use gogga::{Gogga, OpenOptions};

const CHILD_ROOT: &str = "GOGGA_TEST_KEYRING_ROOT";

fn has(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn api_keys_go_to_the_desktop_keyring_when_there_is_one() {
    for program in ["dbus-run-session", "gnome-keyring-daemon"] {
        assert!(has(program), "{program} is missing: `scripts/setup test` installs dbus and gnome-keyring");
    }
    let home = tempfile::tempdir().unwrap();
    // The keyring's password comes from stdin; `--unlock` creates and
    // unlocks the login keyring, so nothing prompts.
    let script = r#"eval "$(printf %s test-password | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null
exec "$0" keyring::keyring_child --exact --ignored --test-threads=1 --nocapture"#;
    let out = Command::new("dbus-run-session")
        .args(["--", "sh", "-c", script])
        .arg(std::env::current_exe().unwrap())
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_RUNTIME_DIR", home.path())
        .env_remove("GOGGA_KEY_STORE")
        .env(CHILD_ROOT, home.path())
        .output()
        .unwrap();
    let text = format!("{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "the keyring child failed:\n{text}");
    assert!(text.contains("1 passed"), "the child test did not run:\n{text}");
}

/// Runs inside the private session started above.
#[test]
#[ignore = "run by api_keys_go_to_the_desktop_keyring_when_there_is_one inside its own D-Bus session"]
fn keyring_child() {
    let root = PathBuf::from(std::env::var(CHILD_ROOT).expect("run by the parent test"));
    let config_dir = root.join("config");
    std::fs::create_dir_all(&config_dir).unwrap();
    let old_file = config_dir.join("keys.toml");

    // A key saved while there was no keyring sits in the 0600 file...
    KeyStore::file_in(&config_dir)
        .set(ProviderKind::OpenRouter, "old", Secret::new("sk-or-old-key"))
        .unwrap();
    assert!(old_file.is_file());

    // ...and moves into the keyring the first time one answers.
    let store = KeyStore::for_config_dir(&config_dir);
    assert!(store.is_keyring(), "the session's keyring was not found: {}", store.describe());
    let keys = store.load().unwrap();
    assert_eq!(keys[&ProviderKind::OpenRouter]["old"], Secret::new("sk-or-old-key"));
    assert!(!old_file.exists(), "the file is removed once its keys are in the keyring");

    store.set(ProviderKind::Cerebras, "main", Secret::new("csk-secret-123456")).unwrap();
    assert!(!old_file.exists(), "with a keyring, keys never touch the file");
    let raw = KeyringItem::for_config_dir(&config_dir).read().unwrap().unwrap();
    assert!(raw.contains("csk-secret-123456") && raw.contains("sk-or-old-key"));

    // Another profile's folder is another keyring item.
    let other = root.join("other-profile");
    assert!(KeyStore::for_config_dir(&other).load().unwrap().is_empty());

    // Through the core, as the app does: the view says keyring, shows a
    // hint only, and deleting works.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let mut options = OpenOptions::under(&root.join("app"));
        options.paths.config_dir = config_dir.clone();
        let gogga = Gogga::open(options).await.unwrap();
        let view = gogga.settings().await.unwrap();
        assert!(view.key_in_keyring, "{}", view.key_location);
        assert_eq!(view.key_file, Path::new(""));
        let shown = format!("{view:?}");
        assert!(!shown.contains("csk-secret-123456"), "the view holds no secret");
        let view = gogga.delete_api_key(ProviderKind::Cerebras, "main".into()).await.unwrap();
        assert!(view.key_problem.is_none());
    });
    let left = KeyStore::for_config_dir(&config_dir).load().unwrap();
    assert!(!left.contains_key(&ProviderKind::Cerebras));
    assert_eq!(left[&ProviderKind::OpenRouter].len(), 1);
    KeyStore::for_config_dir(&config_dir).delete_provider(ProviderKind::OpenRouter).unwrap();
    assert_eq!(KeyringItem::for_config_dir(&config_dir).read().unwrap(), None, "no keys, no item");
}
