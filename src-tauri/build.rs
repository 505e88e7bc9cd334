//! Tauri's build step. The app's own commands are listed here so tauri-build
//! generates one `allow-<command>` permission each; capabilities/ grants
//! exactly those (a test checks that this list, the handler list in
//! src/lib.rs and the capability file agree).

const COMMANDS: &[&str] = &[
    "app_status",
    "open_external",
    "list_documents",
    "import_paths",
    "remove_document",
    "list_watched_folders",
    "add_watched_folder",
    "remove_watched_folder",
    "index_status",
    "get_settings",
    "update_settings",
    "save_provider",
    "remove_provider",
    "set_api_key",
    "delete_api_key",
    "get_metrics",
    "send_message",
    "regenerate_answer",
    "edit_message",
    "stop_turn",
    "prepare_question",
    "list_conversations",
    "create_conversation",
    "rename_conversation",
    "delete_conversation",
    "get_conversation",
    "search_conversations",
    "export_conversation",
    "get_passage",
    "backup_status",
    "list_backups",
    "backup_now",
    "verify_backup",
    "restore_backup",
    "set_backup_schedule",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .unwrap_or_else(|e| panic!("tauri-build failed: {e:#}"));
}
