//! `gogga ask "question" [--tier jive] [--mode max] [--only-docs] [--json]`:
//! one question answered from your documents. The answer streams to stdout
//! as it arrives, then the sources it cites; notes (searching, no model
//! set) go to stderr. Ctrl-C stops the answer and keeps what arrived.
//! `--json` prints the stored answer as one line of JSON instead.
//! Also holds what `gogga chat` shares: the turn options and the printer.

use std::io::Write;
use std::process::ExitCode;

use gogga::chat::{Message, SendRequest, TurnEnd, TurnEvent, TurnOptions};
use gogga::{Gogga, Override, Tier};

use crate::output;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum TierArg {
    Free,
    Jive,
    Jigga,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ModeArg {
    Auto,
    Fast,
    Max,
}

/// How to answer (shared with `gogga chat`).
#[derive(Debug, Clone, clap::Args)]
pub struct TurnArgs {
    /// The plan to answer as (default: `router.plan` in config).
    #[arg(long, value_enum)]
    tier: Option<TierArg>,
    /// Auto lets the router choose; fast or max overrides it.
    #[arg(long, value_enum, default_value = "auto")]
    mode: ModeArg,
    /// Answer only from your documents, never from general knowledge.
    #[arg(long)]
    only_docs: bool,
    /// Show the model's thinking (on stderr) as it streams.
    #[arg(long)]
    thinking: bool,
}

impl TurnArgs {
    /// Whether to show thinking.
    pub fn show_thinking(&self) -> bool {
        self.thinking
    }

    pub fn options(&self) -> TurnOptions {
        TurnOptions {
            mode: match self.mode {
                ModeArg::Auto => Override::Auto,
                ModeArg::Fast => Override::Fast,
                ModeArg::Max => Override::Max,
            },
            only_documents: self.only_docs.then_some(true),
            tier: self.tier.map(|t| match t {
                TierArg::Free => Tier::Free,
                TierArg::Jive => Tier::Jive,
                TierArg::Jigga => Tier::Jigga,
            }),
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The question.
    question: String,
    /// Continue this conversation (default: a new one).
    #[arg(long)]
    conversation: Option<String>,
    #[command(flatten)]
    turn: TurnArgs,
    /// Print the stored answer as JSON instead of streaming text.
    #[arg(long)]
    json: bool,
}

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let gogga = Gogga::open(gogga::OpenOptions::from_env()?).await?;
    let req = SendRequest {
        conversation_id: args.conversation,
        text: args.question,
        request_id: gogga::id::new_id(),
        options: args.turn.options(),
    };
    let mut printer = Printer::new(!args.json, args.turn.thinking);
    let end = turn_with_ctrl_c(&gogga, req, &mut printer).await?;
    if args.json {
        let (message, error) = match &end {
            TurnEnd::Done(m) => (Some(m), None),
            TurnEnd::Failed { error, partial } => (partial.as_ref(), Some(error)),
        };
        output::json(&serde_json::json!({ "message": message, "error": error, "notice": printer.notice }))?;
    }
    Ok(exit_code(&end))
}

/// 0 for an answer (stopped included), 1 for a failure.
pub fn exit_code(end: &TurnEnd) -> ExitCode {
    match end {
        TurnEnd::Done(_) => ExitCode::SUCCESS,
        TurnEnd::Failed { .. } => ExitCode::from(1),
    }
}

/// Run one turn; Ctrl-C stops the answer (not the program).
pub async fn turn_with_ctrl_c(
    gogga: &Gogga,
    req: SendRequest,
    printer: &mut Printer,
) -> anyhow::Result<TurnEnd> {
    let request_id = req.request_id.clone();
    let send = gogga.send(req, |e| printer.event(e));
    tokio::pin!(send);
    loop {
        tokio::select! {
            end = &mut send => return Ok(end?),
            signal = tokio::signal::ctrl_c() => {
                signal?;
                gogga.stop(&request_id);
            }
        }
    }
}

/// Prints a turn as it happens.
#[derive(Debug, Default)]
pub struct Printer {
    /// Print deltas (false: stay quiet until the end).
    pub stream: bool,
    /// Print thinking to stderr.
    pub thinking: bool,
    /// The notice `Started` carried.
    pub notice: Option<String>,
    /// The conversation of the last turn.
    pub conversation: Option<String>,
    in_thinking: bool,
}

impl Printer {
    /// A printer that streams (`stream`) and maybe shows thinking.
    pub fn new(stream: bool, thinking: bool) -> Printer {
        Printer { stream, thinking, ..Printer::default() }
    }

    pub fn event(&mut self, event: TurnEvent) {
        let mut out = std::io::stdout().lock();
        let mut err = std::io::stderr().lock();
        match event {
            TurnEvent::Started { notice, user_message, route, .. } => {
                self.conversation = Some(user_message.conversation_id);
                if self.stream {
                    if let Some(n) = &notice {
                        let _ = writeln!(err, "[{n}]");
                    }
                    if let Some(r) = route {
                        let _ = writeln!(err, "[{} · {}]", r.layer, r.model);
                    }
                }
                self.notice = notice;
            }
            TurnEvent::Progress { note } if self.stream => {
                let _ = writeln!(err, "[{note}]");
            }
            TurnEvent::Thinking { text } if self.stream && self.thinking => {
                if !self.in_thinking {
                    let _ = write!(err, "[thinking] ");
                    self.in_thinking = true;
                }
                let _ = write!(err, "{text}");
            }
            TurnEvent::Delta { text } if self.stream => {
                if self.in_thinking {
                    let _ = writeln!(err);
                    self.in_thinking = false;
                }
                let _ = out.write_all(text.as_bytes());
                let _ = out.flush();
            }
            TurnEvent::Done { message } if self.stream => {
                let _ = writeln!(out);
                print_footer(&mut out, &mut err, &message);
            }
            TurnEvent::Error { error, partial } if self.stream => {
                let _ = writeln!(out);
                let _ = writeln!(err, "gogga: {} ({})", error.message, error.code);
                if let Some(p) = partial {
                    let _ = writeln!(
                        err,
                        "[the answer broke off; the {} characters above were kept]",
                        p.content.chars().count()
                    );
                }
            }
            _ => {}
        }
    }
}

/// Sources and usage after an answer.
fn print_footer(out: &mut impl Write, err: &mut impl Write, m: &Message) {
    if m.stopped {
        let _ = writeln!(err, "[stopped]");
    }
    if !m.citations.is_empty() {
        let _ = writeln!(out, "\nSources:");
        for c in &m.citations {
            let page = c.page.map(|p| format!(", page {p}")).unwrap_or_default();
            let _ = writeln!(out, "  [{}] {}{page} — {}", c.marker, c.title, c.document_path);
        }
    }
    if let Some(u) = &m.usage {
        let est = if u.estimated { " (estimated)" } else { "" };
        let _ = writeln!(
            err,
            "[{} tokens in, {} out{est} · ${:.5} · R{:.4}]",
            u.tokens_in, u.tokens_out, u.cost_usd, u.cost_zar
        );
    }
}
