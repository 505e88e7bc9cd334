//! The `gogga` command line: parses arguments, opens the core façade, calls
//! one method per subcommand and prints the result. `main` owns exit codes:
//! 0 success, 1 the command failed (the reason on stderr), 2 bad usage.

mod cmd;
mod output;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Gogga: chat with your own documents, privately.
#[derive(Debug, Parser)]
#[command(name = "gogga", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show version, folders, store and embedding-model status.
    Status(cmd::status::Args),
    /// Check every piece Gogga needs and say what is missing.
    Doctor(cmd::doctor::Args),
    /// Show how a message would be routed: model, budget, phrases, language.
    Route(cmd::route::Args),
    /// Stream one answer straight from the configured model provider.
    ChatRaw(cmd::chat_raw::Args),
    /// Print the metrics in Prometheus text format.
    Metrics(cmd::metrics::Args),
    /// Import files and folders into the library.
    Index(cmd::index::Args),
    /// Keep a folder in step with the library.
    Watch(cmd::watch::Args),
    /// List or remove documents.
    Docs(cmd::docs::Args),
    /// Search the library.
    Search(cmd::search::Args),
    /// Rebuild the full-text index from the database.
    Reindex(cmd::reindex::Args),
    /// Back up now (`--to DIR`), or list, verify and check backups.
    Backup(cmd::backup::Args),
    /// Replace the data folder with a verified backup.
    Restore(cmd::restore::Args),
    /// Ask one question about your documents; the answer streams, then its sources.
    Ask(cmd::ask::Args),
    /// Chat interactively (Ctrl-C stops an answer, /quit or Ctrl-D leaves).
    Chat(cmd::chat::Args),
    /// List conversations, search their messages, or print one.
    History(cmd::history::Args),
    /// Tokens and cost (USD and Rand) today and over the last days.
    Usage(cmd::usage::Args),
    /// Export a conversation as Markdown or JSON (or import a JSON export).
    Export(cmd::export::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("GOGGA_LOG"))
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return output::fail(&anyhow::anyhow!("cannot start the async runtime: {e}")),
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Status(args) => cmd::status::run(args).await,
            Command::Doctor(args) => cmd::doctor::run(args).await,
            Command::Route(args) => cmd::route::run(args).await,
            Command::ChatRaw(args) => cmd::chat_raw::run(args).await,
            Command::Metrics(args) => cmd::metrics::run(args).await,
            Command::Index(args) => cmd::index::run(args).await,
            Command::Watch(args) => cmd::watch::run(args).await,
            Command::Docs(args) => cmd::docs::run(args).await,
            Command::Search(args) => cmd::search::run(args).await,
            Command::Reindex(args) => cmd::reindex::run(args).await,
            Command::Backup(args) => cmd::backup::run(args).await,
            Command::Restore(args) => cmd::restore::run(args).await,
            Command::Ask(args) => cmd::ask::run(args).await,
            Command::Chat(args) => cmd::chat::run(args).await,
            Command::History(args) => cmd::history::run(args).await,
            Command::Usage(args) => cmd::usage::run(args).await,
            Command::Export(args) => cmd::export::run(args).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => output::fail(&e),
    }
}
