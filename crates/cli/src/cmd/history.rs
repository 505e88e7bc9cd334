//! `gogga history`: your conversations, newest first.
//! `gogga history --search "text"` finds messages containing every word
//! (matches shown between » «); `gogga history ID` prints one conversation.
//! `--json` prints JSON instead of text.

use std::process::ExitCode;

use gogga::Gogga;
use gogga::chat::dates::rfc3339;
use gogga::chat::{Message, Role};

use crate::output;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print this conversation in full.
    conversation: Option<String>,
    /// Find messages containing every word of this text.
    #[arg(long, conflicts_with = "conversation")]
    search: Option<String>,
    /// Most conversations or hits to list.
    #[arg(long, default_value_t = 50)]
    limit: usize,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let gogga = Gogga::open(gogga::OpenOptions::from_env()?).await?;
    if let Some(id) = &args.conversation {
        let detail = gogga.conversation(id).await?;
        if args.json {
            output::json(&detail)?;
        } else {
            output::line(format!("# {} ({})", detail.conversation.title, detail.conversation.id));
            for m in &detail.messages {
                print_message(m);
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(query) = &args.search {
        let hits = gogga.search_messages(query, args.limit).await?;
        if args.json {
            output::json(&hits)?;
        } else if hits.is_empty() {
            output::line(format!("no message contains \"{query}\""));
        } else {
            for h in &hits {
                let snippet: String = h
                    .snippet
                    .iter()
                    .map(|p| if p.hit { format!("»{}«", p.text) } else { p.text.clone() })
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                let who = if h.role == Role::User { "you" } else { "gogga" };
                output::line(format!(
                    "{}  {}  [{}]",
                    h.conversation_id,
                    h.conversation_title,
                    rfc3339(h.created_at)
                ));
                output::line(format!("    {who}: {snippet}"));
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let list: Vec<_> = gogga.conversations().await?.into_iter().take(args.limit).collect();
    if args.json {
        output::json(&list)?;
    } else if list.is_empty() {
        output::line("no conversations yet: try gogga ask \"…\" or gogga chat");
    } else {
        for c in &list {
            output::line(format!(
                "{}  {}  {:>3} messages  {}",
                c.id,
                rfc3339(c.updated_at),
                c.message_count,
                c.title
            ));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_message(m: &Message) {
    let who = match m.role {
        Role::User => "you".to_owned(),
        Role::Assistant => match &m.route {
            Some(r) => format!("gogga ({})", r.model),
            None if m.search_only => "gogga (search only)".to_owned(),
            None => "gogga".to_owned(),
        },
    };
    let mut flags = Vec::new();
    if m.stopped {
        flags.push("stopped".to_owned());
    }
    if let Some(e) = &m.error {
        flags.push(format!("broke off: {}", e.message));
    }
    let flags = if flags.is_empty() { String::new() } else { format!(" [{}]", flags.join("; ")) };
    output::line(format!("\n{who} · {}{flags}", rfc3339(m.created_at)));
    output::line(m.content.trim_end());
    for c in &m.citations {
        let page = c.page.map(|p| format!(", page {p}")).unwrap_or_default();
        output::line(format!("  [{}] {}{page} — {}", c.marker, c.title, c.document_path));
    }
}
