//! `gogga reindex`: rebuild the full-text index from SQLite (the source of
//! truth); the leader does it, whichever process that is.

use std::process::ExitCode;

use crate::output;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub async fn run(_args: Args) -> anyhow::Result<ExitCode> {
    let gogga = gogga::Gogga::open(gogga::OpenOptions::from_env()?).await?;
    let outcome = gogga.reindex().await;
    gogga.shutdown().await?;
    output::line(format!("reindexed: {}", outcome?));
    Ok(ExitCode::SUCCESS)
}
