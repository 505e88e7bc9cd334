//! `gogga chat [--conversation ID] [--tier jive] [--only-docs]`: an
//! interactive conversation in the terminal. Each line you type is sent;
//! the answer streams back with its sources; the conversation is stored,
//! so `gogga history` shows it later and `--conversation` continues it.
//! Ctrl-C stops the answer being written, never the program; leave with
//! `/quit` or Ctrl-D. `/new` starts a new conversation.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use gogga::Gogga;
use gogga::chat::SendRequest;
use tokio::sync::mpsc;

use super::ask::{Printer, TurnArgs, turn_with_ctrl_c};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Continue this conversation (default: a new one).
    #[arg(long)]
    conversation: Option<String>,
    #[command(flatten)]
    turn: TurnArgs,
}

fn prompt() {
    let mut out = std::io::stdout().lock();
    let _ = write!(out, "\nyou> ");
    let _ = out.flush();
}

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let gogga = Gogga::open(gogga::OpenOptions::from_env()?).await?;
    let mut conversation = args.conversation.clone();
    if let Some(id) = &conversation {
        let detail = gogga.conversation(id).await?;
        let mut err = std::io::stderr().lock();
        let _ = writeln!(
            err,
            "[continuing \"{}\", {} messages]",
            detail.conversation.title,
            detail.messages.len()
        );
    }
    if !gogga.model_configured() {
        let _ = writeln!(
            std::io::stderr(),
            "[no model is set up: answers are the best passages from your documents]"
        );
    }
    // Load the question embedder while the first question is typed. A
    // failure here is reported by the question itself, so it is dropped.
    let warm = gogga.clone();
    gogga::spawn::task(async move {
        let _ = warm.prepare_question().await;
    });
    // Lines come from a thread so Ctrl-C can be watched while we wait.
    let (tx, mut lines) = mpsc::unbounded_channel::<String>();
    gogga::spawn::thread("stdin", move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    })?;
    let options = args.turn.options();
    loop {
        prompt();
        let line = tokio::select! {
            line = lines.recv() => line,
            signal = tokio::signal::ctrl_c() => {
                signal?;
                let _ = writeln!(std::io::stderr(), "\n[nothing to stop: type /quit or press Ctrl-D to leave]");
                continue;
            }
        };
        let Some(line) = line else { break };
        let text = line.trim();
        match text {
            "" => continue,
            "/quit" | "/exit" => break,
            "/new" => {
                conversation = None;
                let _ = writeln!(std::io::stderr(), "[a new conversation starts with your next message]");
                continue;
            }
            _ => {}
        }
        let req = SendRequest {
            conversation_id: conversation.clone(),
            text: text.to_owned(),
            request_id: gogga::id::new_id(),
            options: options.clone(),
        };
        let mut printer = Printer::new(true, args.turn.show_thinking());
        let _ = write!(std::io::stdout().lock(), "gogga> ");
        match turn_with_ctrl_c(&gogga, req, &mut printer).await {
            Ok(_) => conversation = printer.conversation.or(conversation),
            Err(e) => {
                let _ = writeln!(std::io::stderr(), "gogga: {e}");
            }
        }
    }
    let _ = writeln!(std::io::stdout().lock());
    Ok(ExitCode::SUCCESS)
}
