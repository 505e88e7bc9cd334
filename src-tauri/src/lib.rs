//! The Tauri shell: opens the core façade once, manages it as state,
//! forwards the core's events to the webview ([`events`]), registers the
//! dialog and opener plugins and the commands of [`commands`]. No logic
//! lives here: every command extracts state, calls one façade method and
//! converts the result to a DTO.
//!
//! `gogga-desktop --self-test` opens the core with the bundled resources,
//! prints its status as JSON and exits without a window: the installed-
//! package test uses it to prove the `.deb` carries a working runtime.

pub mod commands;
pub mod dto;
pub mod events;
pub mod restore;
mod state;
mod webview;

use std::process::ExitCode;

use tauri::Manager;

pub use state::Core;

/// Run the desktop app (or the self-test). Returns the process exit code.
pub fn main() -> ExitCode {
    webview::prepare_process();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("GOGGA_LOG"))
        .with_writer(std::io::stderr)
        .init();
    if std::env::args().any(|a| a == "--self-test") {
        return state::self_test();
    }
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .setup(|app| {
            webview::configure(app);
            let resource_dir = state::installed_resource_dir().or_else(|| app.path().resource_dir().ok());
            let handle = app.handle().clone();
            // Inside the runtime, so the forwarder task lives on it.
            let core = tauri::async_runtime::block_on(async move {
                let core = Core::open(resource_dir, true).await;
                if let Ok(gogga) = core.get() {
                    gogga::spawn::task(events::forward(handle, gogga.clone()));
                }
                core
            });
            app.manage(core);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_status,
            commands::open_external,
            commands::library::list_documents,
            commands::library::import_paths,
            commands::library::remove_document,
            commands::library::list_watched_folders,
            commands::library::add_watched_folder,
            commands::library::remove_watched_folder,
            commands::library::index_status,
            commands::settings::get_settings,
            commands::settings::update_settings,
            commands::settings::save_provider,
            commands::settings::remove_provider,
            commands::settings::set_api_key,
            commands::settings::delete_api_key,
            commands::get_metrics,
            commands::chat::send_message,
            commands::chat::regenerate_answer,
            commands::chat::edit_message,
            commands::chat::stop_turn,
            commands::chat::prepare_question,
            commands::chat::list_conversations,
            commands::chat::create_conversation,
            commands::chat::rename_conversation,
            commands::chat::delete_conversation,
            commands::chat::get_conversation,
            commands::chat::search_conversations,
            commands::chat::export_conversation,
            commands::chat::get_passage,
            commands::backup::backup_status,
            commands::backup::list_backups,
            commands::backup::backup_now,
            commands::backup::verify_backup,
            commands::backup::restore_backup,
            commands::backup::set_backup_schedule,
        ])
        .run(tauri::generate_context!());
    match app {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("Gogga Desktop failed: {e}");
            ExitCode::from(1)
        }
    }
}
