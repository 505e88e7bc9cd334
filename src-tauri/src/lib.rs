//! The Tauri shell: opens the core façade once, manages it as state, and
//! registers the commands of [`commands`]. No logic lives here: every command
//! extracts state, calls one façade method and converts the result to a DTO.
//!
//! `gogga-desktop --self-test` opens the core with the bundled resources,
//! prints its status as JSON and exits without a window: the installed-
//! package test uses it to prove the `.deb` carries a working runtime.

pub mod commands;
pub mod dto;
mod state;

use std::process::ExitCode;

use tauri::Manager;

pub use state::Core;

/// Run the desktop app (or the self-test). Returns the process exit code.
pub fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("GOGGA_LOG"))
        .with_writer(std::io::stderr)
        .init();
    if std::env::args().any(|a| a == "--self-test") {
        return state::self_test();
    }
    let app = tauri::Builder::default()
        .setup(|app| {
            let resource_dir = state::installed_resource_dir().or_else(|| app.path().resource_dir().ok());
            let core = tauri::async_runtime::block_on(Core::open(resource_dir));
            app.manage(core);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![commands::app_status])
        .run(tauri::generate_context!());
    match app {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("Gogga Desktop failed: {e}");
            ExitCode::from(1)
        }
    }
}
