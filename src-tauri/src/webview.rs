//! How the chat window's WebKitGTK view is set up. `GOGGA_WEBVIEW_COMPOSITING=off`
//! turns accelerated compositing off: WebKit then keeps no GL context
//! (Mesa's llvmpipe where there is no GPU), which saves about 75 MB in the
//! web process and ~0.3 s of start-up (BENCHMARKS.md, "Desktop app"). It is
//! not the default: with it, WebKitWebDriver's screenshots of the Documents
//! and Backups screens never completed in the E2E run (cause not found), and
//! a mode the E2E cannot drive is not one we ship by default.

use tauri::Manager;

/// Apply the settings to the `main` window's view (Linux only; elsewhere
/// the platform's webview is left as it is).
pub fn configure<R: tauri::Runtime>(app: &tauri::App<R>) {
    if std::env::var("GOGGA_WEBVIEW_COMPOSITING").map_or(true, |v| v.trim() != "off") {
        return;
    }
    let Some(window) = app.get_webview_window("main") else { return };
    #[cfg(target_os = "linux")]
    if let Err(e) = window.with_webview(|view| {
        use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
        if let Some(settings) = WebViewExt::settings(&view.inner()) {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    }) {
        tracing::warn!("could not configure the webview: {e}");
    }
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}
