//! Tauri's build step. The app's own commands are listed here so tauri-build
//! generates one `allow-<command>` permission each; capabilities/ grants
//! exactly those (a test checks that this list, the handler list in
//! src/commands.rs and the capability file agree).

const COMMANDS: &[&str] = &["app_status"];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .unwrap_or_else(|e| panic!("tauri-build failed: {e:#}"));
}
