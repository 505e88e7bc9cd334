//! `gogga chat-raw [--tier jive] [--model M] "hello"`: stream one answer
//! straight from the configured provider (no retrieval, no local
//! enhancements), for manual checks against a real account. The text goes
//! to stdout as it arrives; usage and the provider to stderr.

use std::io::Write;
use std::process::ExitCode;

use gogga::gateway::{RawChat, StreamEvent, partial_text};

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum TierArg {
    Free,
    Jive,
    Jigga,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The plan to call as (JIVE and JIGGA may go through CePO when enabled).
    #[arg(long, value_enum, default_value = "free")]
    tier: TierArg,
    /// The model id; defaults to GOGGA_MODEL or gateway.default_model.
    #[arg(long)]
    model: Option<String>,
    /// Most tokens to generate.
    #[arg(long, default_value_t = 1024)]
    max_tokens: u32,
    /// What to say.
    text: String,
}

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let gogga = gogga::Gogga::open(gogga::OpenOptions::from_env()?).await?;
    let tier = match args.tier {
        TierArg::Free => gogga::Tier::Free,
        TierArg::Jive => gogga::Tier::Jive,
        TierArg::Jigga => gogga::Tier::Jigga,
    };
    let raw = RawChat { tier, model: args.model, text: args.text, max_tokens: args.max_tokens };
    let mut stream = gogga.chat_raw(raw).await?;
    let mut out = std::io::stdout().lock();
    while let Some(event) = stream.next().await {
        match event {
            Ok(StreamEvent::Delta(text)) => {
                let _ = out.write_all(text.as_bytes());
                let _ = out.flush();
            }
            Ok(StreamEvent::Usage(u)) => {
                let _ =
                    writeln!(std::io::stderr(), "\n[tokens: {} in, {} out]", u.input_tokens, u.output_tokens);
            }
            Ok(StreamEvent::Done { finish_reason, provider, model, via_cepo }) => {
                let _ = writeln!(out);
                let via = if via_cepo { " via CePO" } else { "" };
                let reason = finish_reason.unwrap_or_else(|| "-".into());
                let _ = writeln!(std::io::stderr(), "[{} {model}{via}, finish: {reason}]", provider.name());
            }
            Err(e) => {
                let _ = writeln!(out);
                if let Some(p) = partial_text(&e) {
                    let _ = writeln!(
                        std::io::stderr(),
                        "[the answer broke off after {} characters]",
                        p.chars().count()
                    );
                }
                return Err(e.into());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
