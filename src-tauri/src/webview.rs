//! How the chat window's WebKitGTK view is set up. Accelerated
//! compositing is turned off: the chat screen is text and a few panels, and
//! with compositing on WebKit keeps a GL context (Mesa's llvmpipe where
//! there is no GPU) that costs about 75 MB in the web process and slows the
//! first paint (BENCHMARKS.md, "Desktop app"). `GOGGA_WEBVIEW_GPU=1` keeps
//! WebKit's default for anyone who wants it.

use tauri::Manager;

/// Apply the settings to the `main` window's view (Linux only; elsewhere
/// the platform's webview is left as it is).
pub fn configure<R: tauri::Runtime>(app: &tauri::App<R>) {
    if std::env::var_os("GOGGA_WEBVIEW_GPU").is_some_and(|v| v == "1") {
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
