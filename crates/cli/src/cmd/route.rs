//! `gogga route "message"`: what the router would do with a message — the
//! route (layer, model, budget, sampling, enhancements, flags), the
//! categories with their matched phrases, and the language with its
//! confidence. Text by default, one line of JSON with `--json`.

use std::process::ExitCode;

use crate::output;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The message, as the user would type it.
    message: String,
    /// The plan to route for (default: `router.plan` in config).
    #[arg(long, value_enum)]
    tier: Option<TierArg>,
    /// A manual choice that beats the router (default: `router.override`).
    #[arg(long = "override", value_enum)]
    manual: Option<OverrideArg>,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum TierArg {
    Free,
    Jive,
    Jigga,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum OverrideArg {
    Auto,
    Fast,
    Max,
}

pub async fn run(args: Args) -> anyhow::Result<ExitCode> {
    let gogga = gogga::Gogga::open(gogga::OpenOptions::from_env()?).await?;
    let tier = args.tier.map(|t| match t {
        TierArg::Free => gogga::Tier::Free,
        TierArg::Jive => gogga::Tier::Jive,
        TierArg::Jigga => gogga::Tier::Jigga,
    });
    let manual = args.manual.map(|m| match m {
        OverrideArg::Auto => gogga::Override::Auto,
        OverrideArg::Fast => gogga::Override::Fast,
        OverrideArg::Max => gogga::Override::Max,
    });
    let report = gogga.route(&args.message, tier, manual);
    if args.json {
        output::json(&report)?;
        return Ok(ExitCode::SUCCESS);
    }
    let r = &report.route;
    output::line(format!("tier:         {}", json_name(&r.tier)?));
    output::line(format!("layer:        {} ({})", json_name(&r.layer)?, json_name(&r.reason)?));
    output::line(format!("model:        {}", r.model));
    output::line(format!("max_tokens:   {}", r.max_tokens));
    let top_p = r.top_p.map_or_else(|| "-".to_owned(), |p| p.to_string());
    output::line(format!("sampling:     temperature {} · top_p {top_p}", r.temperature));
    let e = r.enhancements;
    let names: Vec<&str> = [("re2", e.re2), ("cot_reflection", e.cot_reflection), ("planning", e.planning)]
        .into_iter()
        .filter_map(|(n, on)| on.then_some(n))
        .collect();
    output::line(format!("enhancements: {} (none via CePO)", list_or_none(&names)));
    let f = r.flags;
    let flags: Vec<&str> = [
        ("extended_output", f.extended_output),
        ("formal_report", f.formal_report),
        ("override_applied", f.override_applied),
        ("override_ignored", f.override_ignored),
        ("image_phrase_too_late", f.image_phrase_too_late),
    ]
    .into_iter()
    .filter_map(|(n, on)| on.then_some(n))
    .collect();
    output::line(format!("flags:        {}", list_or_none(&flags)));
    if report.categories.is_empty() {
        output::line("categories:   none");
    } else {
        output::line("categories:");
        for c in &report.categories {
            let phrases: Vec<String> = c.phrases.iter().map(|p| format!("\"{p}\"")).collect();
            output::line(format!("  {:<18} {}", json_name(&c.category)?, phrases.join(", ")));
        }
    }
    let lang = &report.language;
    let mut language = format!(
        "language:     {} ({}) · confidence {:.2}",
        lang.lang.name(),
        lang.lang.code(),
        lang.confidence
    );
    if !lang.mixed.is_empty() {
        let mixed: Vec<&str> = lang.mixed.iter().map(|l| l.code()).collect();
        language.push_str(&format!(" · mixed with {}", mixed.join(", ")));
    }
    output::line(language);
    Ok(ExitCode::SUCCESS)
}

/// The name a value has in JSON (enums serialize as snake_case strings).
fn json_name<T: serde::Serialize>(value: &T) -> anyhow::Result<String> {
    Ok(serde_json::to_value(value)?.as_str().unwrap_or_default().to_owned())
}

fn list_or_none(items: &[&str]) -> String {
    if items.is_empty() { "none".to_owned() } else { items.join(", ") }
}
