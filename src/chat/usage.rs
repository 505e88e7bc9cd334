//! Money and usage: the cost of one answer from its tokens and the price of
//! its model class (USD per million tokens, shown in Rand at the configured
//! rate), and the usage report (today, each of the last days, totals, per
//! tier) from the store's per-day sums. Costs are fixed when an answer is
//! stored, so changing prices later never rewrites history.

use super::config::Price;
use super::dates::day_string;
use super::types::{DayUsage, TierUsage, UsageReport};
use crate::router::Tier;
use crate::store::UsageRow;

/// (USD, ZAR) for `tokens_in` and `tokens_out` at `price`.
pub fn cost(price: Price, tokens_in: u32, tokens_out: u32, usd_to_zar: f64) -> (f64, f64) {
    let usd = (f64::from(tokens_in) * price.input + f64::from(tokens_out) * price.output) / 1_000_000.0;
    (usd, usd * usd_to_zar)
}

/// The name a tier has in the store.
pub fn tier_name(tier: Tier) -> &'static str {
    match tier {
        Tier::Free => "free",
        Tier::Jive => "jive",
        Tier::Jigga => "jigga",
    }
}

/// The tier a stored name means.
pub fn tier_from_name(name: &str) -> Option<Tier> {
    match name {
        "free" => Some(Tier::Free),
        "jive" => Some(Tier::Jive),
        "jigga" => Some(Tier::Jigga),
        _ => None,
    }
}

fn empty_day(day: String) -> DayUsage {
    DayUsage {
        day,
        messages: 0,
        tokens_in: 0,
        tokens_out: 0,
        cost_usd: 0.0,
        cost_zar: 0.0,
        tiers: Vec::new(),
    }
}

fn add(day: &mut DayUsage, tier: Option<Tier>, messages: u32, tin: u64, tout: u64, usd: f64, zar: f64) {
    day.messages += messages;
    day.tokens_in += tin;
    day.tokens_out += tout;
    day.cost_usd += usd;
    day.cost_zar += zar;
    match day.tiers.iter_mut().find(|t| t.tier == tier) {
        Some(t) => {
            t.messages += messages;
            t.tokens_in += tin;
            t.tokens_out += tout;
            t.cost_usd += usd;
            t.cost_zar += zar;
        }
        None => day.tiers.push(TierUsage {
            tier,
            messages,
            tokens_in: tin,
            tokens_out: tout,
            cost_usd: usd,
            cost_zar: zar,
        }),
    }
}

/// The report for the `days` days ending with day number `today`.
pub fn report(rows: &[UsageRow], today: i64, days: u32, usd_to_zar: f64) -> UsageReport {
    let first = today - i64::from(days.max(1)) + 1;
    let mut list: Vec<DayUsage> = (first..=today).map(|d| empty_day(day_string(d))).collect();
    let mut total = empty_day(format!("{}..{}", day_string(first), day_string(today)));
    for r in rows.iter().filter(|r| (first..=today).contains(&r.day)) {
        let tier = r.tier.as_deref().and_then(tier_from_name);
        let values = (
            u32::try_from(r.messages).unwrap_or(u32::MAX),
            u64::try_from(r.tokens_in).unwrap_or(0),
            u64::try_from(r.tokens_out).unwrap_or(0),
            r.cost_usd,
            r.cost_zar,
        );
        if let Some(day) = list.get_mut((r.day - first) as usize) {
            add(day, tier, values.0, values.1, values.2, values.3, values.4);
        }
        add(&mut total, tier, values.0, values.1, values.2, values.3, values.4);
    }
    for d in list.iter_mut().chain(std::iter::once(&mut total)) {
        d.tiers.sort_by_key(|t| t.tier.map_or(0, |t| t as u8 + 1));
    }
    let today_usage = list.last().cloned().unwrap_or_else(|| empty_day(day_string(today)));
    UsageReport { today: today_usage, days: list, total, usd_to_zar }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cost_follows_the_price_per_million() {
        let fast = Price { input: 0.40, output: 0.80 };
        let (usd, zar) = cost(fast, 1_000_000, 500_000, 18.0);
        assert!((usd - 0.80).abs() < 1e-12, "{usd}");
        assert!((zar - 14.4).abs() < 1e-9, "{zar}");
        let big = Price { input: 0.60, output: 1.20 };
        let (usd, _) = cost(big, 2_000, 1_000, 18.0);
        assert!((usd - 0.0024).abs() < 1e-12, "{usd}");
        assert_eq!(cost(big, 0, 0, 18.0), (0.0, 0.0));
    }

    fn row(day: i64, tier: Option<&str>, n: i64, tin: i64, tout: i64, usd: f64) -> UsageRow {
        UsageRow {
            day,
            tier: tier.map(str::to_owned),
            messages: n,
            tokens_in: tin,
            tokens_out: tout,
            cost_usd: usd,
            cost_zar: usd * 18.0,
        }
    }

    #[test]
    fn the_report_has_every_day_per_tier_and_totals() {
        let rows = [
            row(97, Some("jive"), 9, 9, 9, 9.0),
            row(98, Some("jive"), 2, 100, 10, 0.5),
            row(98, Some("free"), 1, 7, 3, 0.0),
            row(100, None, 1, 0, 0, 0.0),
            row(100, Some("jigga"), 1, 50, 50, 1.0),
        ];
        let r = report(&rows, 100, 3, 18.0);
        let days: Vec<(&str, u32, u64)> =
            r.days.iter().map(|d| (d.day.as_str(), d.messages, d.tokens_in)).collect();
        assert_eq!(days, [("1970-04-09", 3, 107), ("1970-04-10", 0, 0), ("1970-04-11", 2, 50)]);
        assert_eq!(r.today.day, "1970-04-11");
        let tiers: Vec<Option<Tier>> = r.days[0].tiers.iter().map(|t| t.tier).collect();
        assert_eq!(tiers, [Some(Tier::Free), Some(Tier::Jive)]);
        assert_eq!(
            (r.total.messages, r.total.tokens_in, r.total.tokens_out),
            (5, 157, 63),
            "day 97 is outside"
        );
        assert!((r.total.cost_usd - 1.5).abs() < 1e-12);
        assert_eq!(r.total.tiers.len(), 4);
    }
}
