//! `gogga doctor`: every check by name; exit code 1 if any fails.

use std::process::ExitCode;

use crate::output;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let options = gogga::OpenOptions::from_env()?;
    let report = gogga::doctor(options).await?;
    if args.json {
        output::json(&report)?;
    } else {
        for check in &report.checks {
            let mark = if check.ok { "ok  " } else { "FAIL" };
            output::line(format!("{mark} {:<16} {}", check.name, check.detail));
        }
    }
    Ok(if report.ok() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
