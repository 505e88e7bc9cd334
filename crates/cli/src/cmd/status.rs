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
    let gogga = gogga::Gogga::open(gogga::OpenOptions::from_env()?).await?;
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
    }
    Ok(ExitCode::SUCCESS)
}
