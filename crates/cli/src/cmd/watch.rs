//! `gogga watch PATH`: keep a folder in step with the library (added,
//! changed, deleted and renamed files), also after restarts. When this
//! process leads it watches until Ctrl-C, printing what it imports; when
//! another Gogga leads, that one watches and this command returns.
//! `--list` shows watched folders, `--stop` forgets one.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::output;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to watch.
    #[arg(required_unless_present = "list")]
    path: Option<PathBuf>,
    /// List watched folders.
    #[arg(long, conflicts_with = "stop")]
    list: bool,
    /// Stop watching PATH (its documents stay).
    #[arg(long)]
    stop: bool,
}

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let gogga = gogga::Gogga::open(gogga::OpenOptions::from_env()?).await?;
    if args.list {
        for f in gogga.folders().await? {
            output::line(f.path);
        }
        gogga.shutdown().await?;
        return Ok(ExitCode::SUCCESS);
    }
    let Some(path) = args.path else { return Ok(ExitCode::from(2)) };
    if args.stop {
        let was = gogga.unwatch_folder(path.clone()).await?;
        gogga.shutdown().await?;
        output::line(if was {
            format!("stopped watching {}", path.display())
        } else {
            "was not watched".into()
        });
        return Ok(if was { ExitCode::SUCCESS } else { ExitCode::from(1) });
    }
    let report = gogga.watch_folder(path).await?;
    // Leadership is decided in the background once the model is loaded:
    // wait until this process leads or another one is seen leading.
    let me = std::process::id();
    for _ in 0..1200 {
        if gogga.is_leader() || gogga.leader_pid().is_some_and(|pid| pid != me) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    if !gogga.is_leader() {
        let pid = report.leader_pid.map(|p| format!(" (pid {p})")).unwrap_or_default();
        output::line(format!("{} is watched by the running Gogga{pid}", report.folder));
        gogga.shutdown().await?;
        return Ok(ExitCode::SUCCESS);
    }
    output::line(format!("watching {} (Ctrl-C to stop)", report.folder));
    let mut events = gogga.subscribe();
    loop {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => break,
            event = events.recv() => match event {
                Ok(gogga::Event::FileFailed { path, code, message }) => {
                    output::line(format!("FAILED {path}: {message} ({code})"));
                }
                Ok(gogga::Event::IndexProgress { files_done, files_total, chunks_done, chunks_total, .. }) => {
                    output::line(format!("files {files_done}/{files_total} · chunks embedded {chunks_done}/{chunks_total}"));
                }
                Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(_) => break,
            },
        }
    }
    gogga.shutdown().await?;
    Ok(ExitCode::SUCCESS)
}
