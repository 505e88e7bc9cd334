//! `gogga export CONVERSATION --format md|json [--output FILE]`: a
//! conversation as Markdown (citations as footnotes) or JSON (which
//! `gogga export --import FILE` reads back). Without `--output` the text
//! goes to stdout; with it the file is written whole or not at all.

use std::path::PathBuf;
use std::process::ExitCode;

use gogga::Gogga;
use gogga::chat::ExportFormat;

use crate::output;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Md,
    Markdown,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The conversation's id (see `gogga history`).
    #[arg(required_unless_present = "import")]
    conversation: Option<String>,
    /// Markdown or JSON.
    #[arg(long, value_enum, default_value = "md")]
    format: FormatArg,
    /// Write to this file instead of stdout.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Read a JSON export back in (the conversation must not exist yet).
    #[arg(long, conflicts_with_all = ["conversation", "output"])]
    import: Option<PathBuf>,
}

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let gogga = Gogga::open(gogga::OpenOptions::from_env()?).await?;
    if let Some(file) = &args.import {
        let c = gogga.import_conversation(file).await?;
        output::line(format!("imported {} ({}, {} messages)", c.id, c.title, c.message_count));
        return Ok(ExitCode::SUCCESS);
    }
    let Some(id) = args.conversation.as_deref() else {
        anyhow::bail!("name a conversation to export (see gogga history)");
    };
    let format = match args.format {
        FormatArg::Md | FormatArg::Markdown => ExportFormat::Markdown,
        FormatArg::Json => ExportFormat::Json,
    };
    match &args.output {
        Some(path) => {
            let written = gogga.export_conversation(id, format, path).await?;
            let _ = std::io::Write::write_all(
                &mut std::io::stderr(),
                format!("wrote {}\n", written.display()).as_bytes(),
            );
        }
        None => output::line(gogga.export_text(id, format).await?.trim_end()),
    }
    Ok(ExitCode::SUCCESS)
}
