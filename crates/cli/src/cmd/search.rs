//! `gogga search "query"`: the best passages, hybrid by default. Text shows
//! rank, path, page, heading, score and the snippet with its matches in
//! [brackets] (bold on a terminal); `--json` prints one JSON object per
//! line (path, chunk id, page, score, snippet, ...).

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use gogga::search::{Mode, Scope, SearchOptions};

use crate::output;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// What to look for.
    query: String,
    /// How many passages.
    #[arg(long, short = 'k', default_value_t = 10)]
    limit: usize,
    /// hybrid, bm25 or vector.
    #[arg(long, default_value = "hybrid")]
    mode: Mode,
    /// Also search this conversation's attachments.
    #[arg(long)]
    conversation: Option<String>,
    /// One JSON object per hit, per line.
    #[arg(long)]
    json: bool,
}

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let gogga = gogga::Gogga::open(gogga::OpenOptions::from_env()?.without_workers()).await?;
    let options = SearchOptions {
        limit: args.limit,
        mode: args.mode,
        scope: Scope { conversation: args.conversation },
        ..SearchOptions::default()
    };
    let results = gogga.search(&args.query, options).await?;
    if let Some(notice) = &results.notice {
        let _ = writeln!(std::io::stderr(), "note: {notice}");
    }
    if args.json {
        for hit in &results.hits {
            output::json(&serde_json::json!({
                "path": hit.path,
                "chunk_id": hit.chunk_id,
                "document_id": hit.document_id,
                "page": hit.page,
                "heading": hit.heading,
                "score": hit.score,
                "snippet": hit.snippet,
                "highlights": hit.highlights,
                "mode": results.mode.as_str(),
            }))?;
        }
    } else {
        let (open, close) = if std::io::stdout().is_terminal() { ("\x1b[1m", "\x1b[0m") } else { ("[", "]") };
        if results.hits.is_empty() {
            output::line("no passages found");
        }
        for (i, hit) in results.hits.iter().enumerate() {
            let page = hit.page.map(|p| format!(" p. {p}")).unwrap_or_default();
            let heading =
                if hit.heading.is_empty() { String::new() } else { format!(" › {}", hit.heading) };
            output::line(format!("{:>2}. {}{page}{heading}  ({:.3})", i + 1, hit.path, hit.score));
            output::line(format!(
                "    {}",
                mark(&hit.snippet, &hit.highlights, open, close).replace('\n', " ")
            ));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `text` with each highlighted byte range wrapped in `open`/`close`.
fn mark(text: &str, ranges: &[(usize, usize)], open: &str, close: &str) -> String {
    let mut out = String::with_capacity(text.len() + ranges.len() * 8);
    let mut at = 0;
    for &(a, b) in ranges {
        if a < at || b > text.len() || !text.is_char_boundary(a) || !text.is_char_boundary(b) {
            continue;
        }
        out.push_str(&text[at..a]);
        out.push_str(open);
        out.push_str(&text[a..b]);
        out.push_str(close);
        at = b;
    }
    out.push_str(&text[at..]);
    out
}
