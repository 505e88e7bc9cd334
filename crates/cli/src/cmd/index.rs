//! `gogga index PATH...`: import files and folders, with a progress line on
//! a terminal and a summary at the end listing every file that failed and
//! why. Exit code 1 when any file failed (the others are imported all the
//! same), so scripts notice; unsupported files met while walking a folder
//! are skipped, not failures. Ctrl-C cancels the files still queued.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use gogga::ingest::IndexOptions;

use crate::output;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files and folders to import (folders recursively).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Attach the files to this conversation instead of the shared library.
    #[arg(long)]
    conversation: Option<String>,
    /// Return once the files are indexed, without waiting for embeddings.
    #[arg(long)]
    no_wait: bool,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let gogga = gogga::Gogga::open(gogga::OpenOptions::from_env()?).await?;
    let batch = gogga::id::new_id();
    let options = IndexOptions {
        conversation: args.conversation,
        wait_for_embeddings: !args.no_wait,
        batch: Some(batch.clone()),
    };
    let progress = (!args.json && std::io::stderr().is_terminal()).then(|| progress_task(gogga.subscribe()));
    let result = tokio::select! {
        r = gogga.index(args.paths, options) => Some(r),
        _ = tokio::signal::ctrl_c() => None,
    };
    if let Some(p) = progress {
        p.abort();
        err(format_args!("\r\x1b[2K"));
    }
    let Some(result) = result else {
        let cancelled = gogga.cancel_index(&batch).await?;
        err(format_args!("cancelled: {cancelled} queued files left out; files already imported stay\n"));
        gogga.shutdown().await?;
        return Ok(ExitCode::from(1));
    };
    let report = result?;
    gogga.shutdown().await?;
    if args.json {
        output::json(&report)?;
    } else {
        output::line(format!(
            "{} added, {} updated, {} unchanged, {} removed, {} skipped, {} failed · {} chunks · {:.1} s",
            report.count("added"),
            report.count("updated"),
            report.count("unchanged"),
            report.count("removed"),
            report.count("skipped"),
            report.count("failed"),
            report.chunks_added,
            report.elapsed_ms as f64 / 1000.0
        ));
        if let Some(note) = &report.embeddings_note {
            output::line(format!("embeddings: {} chunks pending ({note})", report.embeddings_pending));
        }
        for f in report.files.iter().filter(|f| f.outcome == "failed") {
            output::line(format!(
                "FAILED {}: {} ({})",
                f.path,
                f.message.as_deref().unwrap_or("failed"),
                f.code.as_deref().unwrap_or("error")
            ));
        }
    }
    Ok(if report.has_failures() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn err(text: std::fmt::Arguments<'_>) {
    let mut e = std::io::stderr().lock();
    let _ = e.write_fmt(text);
    let _ = e.flush();
}

/// Draw one progress line on stderr from the core's progress events.
fn progress_task(mut events: tokio::sync::broadcast::Receiver<gogga::Event>) -> tokio::task::JoinHandle<()> {
    gogga::spawn::task(async move {
        loop {
            match events.recv().await {
                Ok(gogga::Event::IndexProgress {
                    files_done,
                    files_total,
                    chunks_done,
                    chunks_total,
                    chunks_per_sec,
                    eta_secs,
                    ..
                }) => {
                    let width = 24usize;
                    let (done, total) = if chunks_total > 0 {
                        (chunks_done, chunks_total)
                    } else {
                        (files_done, files_total)
                    };
                    let filled =
                        if total > 0 { (done as usize * width / total as usize).min(width) } else { 0 };
                    let eta = eta_secs.map(|s| format!(" · ETA {:.0} s", s)).unwrap_or_default();
                    err(format_args!(
                        "\r\x1b[2K[{}{}] files {files_done}/{files_total} · embedded {chunks_done}/{chunks_total} · {chunks_per_sec:.1}/s{eta}",
                        "#".repeat(filled),
                        " ".repeat(width - filled)
                    ));
                }
                Ok(gogga::Event::FileFailed { path, code, .. }) => {
                    err(format_args!("\r\x1b[2Kfailed ({code}): {path}\n"));
                }
                Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(_) => break,
            }
        }
    })
}
