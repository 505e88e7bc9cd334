//! How the chat window's WebKitGTK view is set up. By default accelerated
//! compositing is off (WebKit's `HardwareAccelerationPolicy::Never`): WebKit
//! then runs no GL compositor (on Mesa's llvmpipe where there is no GPU),
//! which saves about 70 MB in the web process and ~0.3 s of start-up
//! (BENCHMARKS.md, "Desktop app"). The app draws text, borders and a few
//! short CSS transitions, which WebKit's non-composited path paints on the
//! CPU without trouble. `GOGGA_WEBVIEW_COMPOSITING=on` gives WebKit its own
//! default back (compositing on demand), for a machine where that looks or
//! scrolls better. [`prepare_process`] also sets WebKitGTK's own
//! environment switches for that mode before GTK starts.
//!
//! `GOGGA_WEBVIEW_CONSOLE=1` copies the page's console messages to the
//! app's stderr (WebKit's own switch): for debugging, and for timing a cold
//! start without WebDriver (the UI writes `gogga:chat-first-paint <ms>`
//! when the chat screen first paints; `bench/desktop-coldstart.mjs`).
//!
//! WebDriver note: without compositing, WebKitGTK answers a screenshot only
//! after the page's next real paint, and a page where nothing changes never
//! paints again, so the E2E harness makes the page repaint while it waits
//! (`ui/e2e/webdriver.mjs`). Users never take that path.

use tauri::Manager;

/// The environment variable that chooses the compositing mode.
pub const COMPOSITING_VAR: &str = "GOGGA_WEBVIEW_COMPOSITING";

/// The environment variable that copies the page's console to stderr
/// (WebKit's setting is named for stdout; it writes to stderr).
pub const CONSOLE_VAR: &str = "GOGGA_WEBVIEW_CONSOLE";

/// Whether the web view may use accelerated compositing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compositing {
    /// Never composite: CPU painting, no GL context in the web process.
    Off,
    /// Leave WebKit's own policy (compositing when a page asks for it).
    WebKitDefault,
}

impl Compositing {
    /// Read the mode from the variable's value: `on` gives WebKit's default;
    /// unset, `off` or anything else gives `Off` (an unknown value is logged,
    /// so a typo does not silently change the mode the user asked for).
    pub fn from_value(value: Option<&str>) -> Self {
        match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            Some("on") => Self::WebKitDefault,
            None | Some("off" | "") => Self::Off,
            Some(other) => {
                tracing::warn!("{COMPOSITING_VAR}={other} is neither on nor off; compositing stays off");
                Self::Off
            }
        }
    }

    /// The mode the environment asks for.
    pub fn from_env() -> Self {
        Self::from_value(std::env::var(COMPOSITING_VAR).ok().as_deref())
    }
}

/// WebKitGTK's own switches for the mode `Off` stands for, set in the
/// process environment before GTK and WebKit start (the web and network
/// processes inherit them): no compositing from the first frame (the view's
/// policy is only applied after the page has started loading), and no
/// DMA-BUF renderer, so frames reach the window through shared memory, as
/// on a machine without a GPU. Together 10 MB less PSS (web process 121 →
/// 115 MB, app 104 → 100; BENCHMARKS.md).
#[cfg(target_os = "linux")]
const WEBKIT_SWITCHES_WHEN_OFF: [&str; 2] =
    ["WEBKIT_DISABLE_COMPOSITING_MODE", "WEBKIT_DISABLE_DMABUF_RENDERER"];

/// Call first thing in `main`, before any thread is started: sets
/// [`WEBKIT_SWITCHES_WHEN_OFF`] when compositing is off, leaving any value
/// the user has set alone.
pub fn prepare_process() {
    if Compositing::from_env() != Compositing::Off {
        return;
    }
    #[cfg(target_os = "linux")]
    for name in WEBKIT_SWITCHES_WHEN_OFF {
        // g_setenv is not thread-safe; this runs before the app starts any
        // thread (tracing, tokio and GTK come after).
        if let Err(e) = webkit2gtk::glib::setenv(name, "1", false) {
            tracing::warn!("could not set {name}: {e}");
        }
    }
}

/// Apply the settings to the `main` window's view (Linux only; elsewhere
/// the platform's webview is left as it is).
pub fn configure<R: tauri::Runtime>(app: &tauri::App<R>) {
    let compositing = Compositing::from_env();
    let console = std::env::var(CONSOLE_VAR).is_ok_and(|v| v.trim() == "1");
    if compositing == Compositing::WebKitDefault && !console {
        return;
    }
    let Some(window) = app.get_webview_window("main") else { return };
    #[cfg(target_os = "linux")]
    if let Err(e) = window.with_webview(move |view| {
        use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
        if let Some(settings) = WebViewExt::settings(&view.inner()) {
            if compositing == Compositing::Off {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
            if console {
                settings.set_enable_write_console_messages_to_stdout(true);
            }
        }
    }) {
        tracing::warn!("could not configure the webview: {e}");
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (window, console);
}

#[cfg(test)]
mod tests {
    use super::Compositing;

    #[test]
    fn compositing_is_off_unless_asked_for() {
        assert_eq!(Compositing::from_value(None), Compositing::Off);
        assert_eq!(Compositing::from_value(Some("off")), Compositing::Off);
        assert_eq!(Compositing::from_value(Some("")), Compositing::Off);
        assert_eq!(Compositing::from_value(Some("yes please")), Compositing::Off);
    }

    #[test]
    fn on_gives_webkit_its_default_back() {
        assert_eq!(Compositing::from_value(Some("on")), Compositing::WebKitDefault);
        assert_eq!(Compositing::from_value(Some(" ON ")), Compositing::WebKitDefault);
    }
}
