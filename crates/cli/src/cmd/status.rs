//! `gogga status`: the same facts as the desktop's status panel.

use std::process::ExitCode;

use crate::output;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let gogga = gogga::Gogga::open(gogga::OpenOptions::from_env()?.without_workers()).await?;
    let status = gogga.status().await?;
    if args.json {
        output::json(&status)?;
    } else {
        output::line(format!("Gogga {}", status.version));
        output::line(format!("data folder:  {}", status.data_dir.display()));
        output::line(format!("config file:  {}", status.config_file.display()));
        output::line(format!(
            "store:        schema {} · {} KiB · {}",
            status.store.schema_version,
            status.store.size_bytes / 1024,
            status.store.path.display()
        ));
        match &status.model.problem {
            None => output::line(format!("embeddings:   {} ready", status.model.id)),
            Some(p) => output::line(format!("embeddings:   not ready: {p}")),
        }
        let lib = &status.library;
        output::line(format!(
            "library:      {} documents ({} failed) · {} chunks · {} watched folders",
            lib.documents, lib.failed_documents, lib.chunks, lib.folders
        ));
        let queue: Vec<String> = lib.queue.iter().map(|(k, n)| format!("{k} {n}")).collect();
        output::line(format!(
            "queue:        {}",
            if queue.is_empty() { "empty".to_owned() } else { queue.join(" · ") }
        ));
        let vectors: Vec<String> = lib.vectors.iter().map(|(m, n)| format!("{m} {n}")).collect();
        output::line(format!(
            "vectors:      {} · {} chunks waiting · search uses {}{}",
            if vectors.is_empty() { "none".to_owned() } else { vectors.join(" · ") },
            lib.chunks_without_vectors,
            lib.active_model,
            if lib.target_model != lib.active_model {
                format!(" (moving to {})", lib.target_model)
            } else {
                String::new()
            }
        ));
        match lib.embed_rate {
            Some(r) => output::line(format!("embedding:    {r:.1} chunks/s")),
            None => output::line("embedding:    idle"),
        }
        match lib.leader_pid {
            Some(pid) => output::line(format!("leader:       pid {pid}")),
            None => output::line("leader:       none running"),
        }
    }
    Ok(ExitCode::SUCCESS)
}
