//! `gogga restore ARCHIVE [--data-dir DIR]`: verify the archive, restore it
//! into a new folder, then swap it in for the data folder. Refused (exit 1,
//! nothing changed) for a damaged or foreign archive, a newer schema, or
//! while Gogga (the desktop app or another command) has the folder open.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::output;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The archive (`gogga-backup-….tar.zst`).
    archive: PathBuf,
    /// The data folder to replace (default: the one Gogga uses).
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Keep the replaced data beside the restored folder.
    #[arg(long)]
    keep_previous: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let options = gogga::OpenOptions::from_env()?;
    let report =
        gogga::Gogga::restore_backup(options, args.archive, args.data_dir, args.keep_previous).await?;
    if args.json {
        output::json(&report)?;
    } else {
        output::line(format!("restored {} into {}", report.archive.display(), report.data_dir.display()));
        output::line(format!(
            "  backup of {} · schema {} → {}",
            report.manifest.created_at, report.schema_from, report.schema_to
        ));
        if let Some(previous) = &report.previous {
            output::line(format!("  the replaced data is kept at {}", previous.display()));
        }
        if report.index_rebuild {
            output::line("  the search index is rebuilt from the database when Gogga starts");
        }
    }
    Ok(ExitCode::SUCCESS)
}
