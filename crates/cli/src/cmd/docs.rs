//! `gogga docs list|rm`: the documents in the library (status, chunks,
//! errors) and removing them by id, file path or folder path.

use std::process::ExitCode;

use crate::output;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: DocsCommand,
}

#[derive(Debug, clap::Subcommand)]
enum DocsCommand {
    /// List every document.
    List {
        /// One JSON object per document, per line.
        #[arg(long)]
        json: bool,
    },
    /// Remove documents by id, file path or folder path.
    Rm {
        #[arg(required = true)]
        targets: Vec<String>,
    },
}

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        DocsCommand::List { json } => {
            let gogga = gogga::Gogga::open(gogga::OpenOptions::from_env()?.without_workers()).await?;
            let docs = gogga.documents().await?;
            for d in &docs {
                if json {
                    output::json(d)?;
                } else {
                    let status = match (&d.error_code, &d.error) {
                        (Some(code), Some(e)) => format!("failed ({code}): {e}"),
                        _ => format!("{} chunks", d.chunks),
                    };
                    let scope = d
                        .conversation_id
                        .as_deref()
                        .map(|c| format!(" [conversation {c}]"))
                        .unwrap_or_default();
                    output::line(format!("{}  {:<5} {}{scope}  {status}", d.id, d.format, d.path));
                }
            }
            if !json {
                output::line(format!("{} documents", docs.len()));
            }
            Ok(ExitCode::SUCCESS)
        }
        DocsCommand::Rm { targets } => {
            let gogga = gogga::Gogga::open(gogga::OpenOptions::from_env()?).await?;
            let removed = gogga.remove_documents(targets).await;
            gogga.shutdown().await?;
            for d in removed? {
                output::line(format!("removed {}", d.path));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
