//! The one managed piece of state: the opened core, or the reason it could
//! not open (shown in the window instead of a crash). The app opens it with
//! the backup schedule running, after applying a restore asked for in the
//! last session ([`crate::restore`]); `--self-test` opens it plainly.

use std::path::PathBuf;
use std::process::ExitCode;

use gogga::{Gogga, OpenOptions};

use crate::dto::IpcError;
pub use crate::restore::request as request_restore;

/// The core façade as the commands see it, and when it was opened (the
/// start of this process's metrics).
pub struct Core(Result<Gogga, IpcError>, i64);

impl Core {
    /// Open the core with the app's bundled resources folder; `app` runs
    /// the backup schedule and applies a pending restore first.
    pub async fn open(resource_dir: Option<PathBuf>, app: bool) -> Core {
        let opened = async {
            let options = OpenOptions::from_env()?.with_resource_dir(resource_dir).with_backup_schedule(app);
            if app {
                crate::restore::apply_pending(&options).await;
            }
            Gogga::open(options).await
        }
        .await;
        if let Err(e) = &opened {
            tracing::error!("cannot open the Gogga core: {e}");
        }
        Core(opened.map_err(IpcError::from), crate::dto::now_ms())
    }

    /// The façade, or the error that kept it from opening.
    pub fn get(&self) -> Result<&Gogga, IpcError> {
        self.0.as_ref().map_err(Clone::clone)
    }

    /// When the core was opened (milliseconds since the Unix epoch).
    pub fn opened_at_ms(&self) -> i64 {
        self.1
    }
}

/// Resources live next to the binary in the installed layout
/// (`/usr/lib/Gogga/` for the `.deb`); find them without a window.
pub(crate) fn installed_resource_dir() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let name = exe.file_name()?.to_owned();
    let prefix = exe.parent()?.parent()?;
    [prefix.join("lib").join("Gogga"), prefix.join("lib").join(name)]
        .into_iter()
        .find(|p| p.join("onnxruntime").is_dir())
}

/// `--self-test`: open the core with the bundled resources, load ONNX
/// Runtime, print the status as JSON; exit 0 only when embeddings can run.
pub fn self_test() -> ExitCode {
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(_) => return ExitCode::from(1),
    };
    rt.block_on(async {
        let core = Core::open(installed_resource_dir(), false).await;
        let status = match core.get() {
            Ok(g) => g.status().await.map_err(IpcError::from),
            Err(e) => Err(e),
        };
        match status {
            Ok(status) => {
                let runtime_loads = status.model.onnxruntime.as_deref().map(gogga::embed::check_runtime);
                let ready = status.model.ready() && matches!(runtime_loads, Some(Ok(())));
                let line = serde_json::to_string(&crate::dto::AppStatus::from(status)).unwrap_or_default();
                use std::io::Write;
                let _ = writeln!(std::io::stdout(), "{line}");
                if ready { ExitCode::SUCCESS } else { ExitCode::from(1) }
            }
            Err(e) => {
                tracing::error!("self-test failed: {}: {}", e.code, e.message);
                ExitCode::from(1)
            }
        }
    })
}
