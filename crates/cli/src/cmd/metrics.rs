//! `gogga metrics`: this process's metrics in Prometheus text format (the
//! names and labels a scraper of the server mode will see).

use std::process::ExitCode;

use crate::output;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub async fn run(_args: Args) -> anyhow::Result<ExitCode> {
    let gogga = gogga::Gogga::open(gogga::OpenOptions::from_env()?).await?;
    let text = gogga.metrics_text();
    output::line(text.trim_end());
    Ok(ExitCode::SUCCESS)
}
