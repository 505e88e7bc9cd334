//! `gogga backup --to DIR` (back up now), `gogga backup list DIR`,
//! `gogga backup verify ARCHIVE`, `gogga backup status`. A failed backup or
//! a refused archive exits 1 with the reason on stderr.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::output;

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    action: Option<Action>,
    /// Back up now into this folder (default: `folder` in [backup] of config.toml).
    #[arg(long, value_name = "DIR")]
    to: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// List the backups in a folder, newest first.
    List {
        dir: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Check an archive: checksums, database integrity, counts.
    Verify {
        archive: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Last success, last failure and the next scheduled backup.
    Status {
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.action {
        None => now(args.to, args.json).await,
        Some(Action::List { dir, json }) => list(dir, json).await,
        Some(Action::Verify { archive, json }) => verify(archive, json).await,
        Some(Action::Status { json }) => status(json).await,
    }
}

async fn now(to: Option<PathBuf>, json: bool) -> anyhow::Result<ExitCode> {
    let gogga = gogga::Gogga::open(gogga::OpenOptions::from_env()?).await?;
    let report = gogga.backup_now(to).await?;
    if json {
        output::json(&report)?;
    } else {
        output::line(format!("backed up to {}/{}", report.folder, report.archive));
        output::line(format!(
            "  {} ({}): {} MiB database → {} MiB archive in {:.1} s",
            report.folder,
            report.folder_kind,
            report.database_bytes >> 20,
            report.bytes >> 20,
            report.timings.total_ms as f64 / 1000.0
        ));
        output::line(format!("  counts: {}", counts(&report.manifest.counts)));
        for name in &report.pruned {
            output::line(format!("  removed old backup {name}"));
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn list(dir: PathBuf, json: bool) -> anyhow::Result<ExitCode> {
    let archives = gogga::Gogga::list_backups(dir).await?;
    if json {
        output::json(&archives)?;
        return Ok(ExitCode::SUCCESS);
    }
    if archives.is_empty() {
        output::line("no backups in this folder");
    }
    for a in &archives {
        let what = match (&a.manifest, &a.problem) {
            (_, Some(problem)) => format!("UNUSABLE: {problem}"),
            (Some(m), None) => {
                format!("{} · schema {} · {}", m.created_at, m.schema_version, counts(&m.counts))
            }
            (None, None) => "no manifest".to_owned(),
        };
        output::line(format!("{}  {} MiB  {what}", a.file_name, a.bytes >> 20));
    }
    Ok(ExitCode::SUCCESS)
}

async fn verify(archive: PathBuf, json: bool) -> anyhow::Result<ExitCode> {
    let report = gogga::Gogga::verify_backup(archive).await?;
    if json {
        output::json(&report)?;
    } else {
        output::line(format!("ok: {}", report.archive.display()));
        output::line(format!(
            "  made {} by Gogga {} · schema {} · sha256 {}",
            report.manifest.created_at,
            report.manifest.app_version,
            report.manifest.schema_version,
            report.sha256
        ));
        output::line(format!(
            "  checksums, integrity_check and counts match: {}",
            counts(&report.manifest.counts)
        ));
    }
    Ok(ExitCode::SUCCESS)
}

async fn status(json: bool) -> anyhow::Result<ExitCode> {
    let gogga = gogga::Gogga::open(gogga::OpenOptions::from_env()?).await?;
    let s = gogga.backup_status().await?;
    if json {
        output::json(&s)?;
        return Ok(ExitCode::SUCCESS);
    }
    let folder = match (&s.folder, &s.folder_kind) {
        (Some(f), Some(k)) => format!("{f} ({k})"),
        _ => "not set (use --to DIR, or folder in [backup])".to_owned(),
    };
    output::line(format!("folder:        {folder}"));
    output::line(format!("schedule:      every {} h, keep {}", s.every_hours, s.keep));
    match &s.last_success {
        Some(r) => output::line(format!("last success:  {} {}", r.at, r.archive.as_deref().unwrap_or(""))),
        None => output::line("last success:  never"),
    }
    if let Some(r) = &s.last_failure {
        output::line(format!("last failure:  {} {}", r.at, r.message));
    }
    output::line(format!("next run:      {}", s.next_run.as_deref().unwrap_or("not scheduled")));
    Ok(ExitCode::SUCCESS)
}

fn counts(counts: &std::collections::BTreeMap<String, u64>) -> String {
    counts.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ")
}
