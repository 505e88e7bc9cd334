//! `gogga usage [--days 30] [--json]`: tokens in and out and what they
//! cost (USD and Rand) today and on each of the last days, per tier, with
//! totals. Days start at midnight in `chat.day_offset_minutes` (SAST by
//! default).

use std::process::ExitCode;

use gogga::Gogga;
use gogga::chat::{DayUsage, TierUsage};

use crate::output;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many days, today included.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=3660))]
    days: u32,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

fn tier_name(t: &TierUsage) -> &'static str {
    match t.tier {
        Some(gogga::Tier::Free) => "FREE",
        Some(gogga::Tier::Jive) => "JIVE",
        Some(gogga::Tier::Jigga) => "JIGGA",
        None => "search only",
    }
}

fn row(label: &str, d: &DayUsage) -> String {
    format!(
        "{label:<24} {:>5} {:>10} {:>10} {:>11.6} {:>10.4}",
        d.messages, d.tokens_in, d.tokens_out, d.cost_usd, d.cost_zar
    )
}

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let gogga = Gogga::open(gogga::OpenOptions::from_env()?).await?;
    let report = gogga.usage(args.days).await?;
    if args.json {
        output::json(&report)?;
        return Ok(ExitCode::SUCCESS);
    }
    output::line(format!(
        "{:<24} {:>5} {:>10} {:>10} {:>11} {:>10}",
        "", "msgs", "tokens in", "tokens out", "USD", "ZAR"
    ));
    output::line(row(&format!("today {}", report.today.day), &report.today));
    for t in &report.today.tiers {
        output::line(tier_row(t));
    }
    output::line(format!("\nlast {} days (days with use):", report.days.len()));
    for d in report.days.iter().filter(|d| d.messages > 0) {
        output::line(row(&d.day, d));
    }
    output::line(row("total", &report.total));
    for t in &report.total.tiers {
        output::line(tier_row(t));
    }
    output::line(format!("(R{:.2} to the dollar)", report.usd_to_zar));
    Ok(ExitCode::SUCCESS)
}

/// One tier's line under a day or the total.
fn tier_row(t: &TierUsage) -> String {
    format!(
        "  {:<22} {:>5} {:>10} {:>10} {:>11.6} {:>10.4}",
        tier_name(t),
        t.messages,
        t.tokens_in,
        t.tokens_out,
        t.cost_usd,
        t.cost_zar
    )
}
