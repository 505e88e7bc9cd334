//! `[chat]` in config.toml: the context budget of each tier (split between
//! system prompt, history, documents and the response), the prices that
//! turn tokens into money, the USD→ZAR rate, how many passages a turn may
//! use, the "only my documents" default and the day boundary for usage.
//! `validate()` refuses budgets whose parts do not fit their total and
//! prices or rates that are negative or not finite.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::router::{Layer, Tier};

/// `[chat]` in config.toml.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ChatConfig {
    /// `[chat.budget]`: tokens per tier.
    pub budget: Budgets,
    /// `[chat.prices]`: USD per million tokens.
    pub prices: Prices,
    /// Rand per US dollar, for showing costs in ZAR.
    pub usd_to_zar: f64,
    /// Answer only from the user's documents unless a turn says otherwise.
    pub only_documents: bool,
    /// Most passages one turn puts in the prompt (the budget may allow fewer).
    pub max_passages: usize,
    /// Passages a search-only answer shows.
    pub search_only_passages: usize,
    /// Minutes east of UTC where a usage day starts (SAST, UTC+2, by default).
    pub day_offset_minutes: i32,
}

impl Default for ChatConfig {
    fn default() -> Self {
        ChatConfig {
            budget: Budgets::default(),
            prices: Prices::default(),
            usd_to_zar: 18.5,
            only_documents: false,
            max_passages: 8,
            search_only_passages: 5,
            day_offset_minutes: 120,
        }
    }
}

/// `[chat.budget]`: one context budget per tier.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Budgets {
    pub free: TierBudget,
    pub jive: TierBudget,
    pub jigga: TierBudget,
}

impl Default for Budgets {
    fn default() -> Self {
        Budgets {
            free: TierBudget { total: 11_500, response: 2_048, documents: 4_500, system: 1_500 },
            jive: TierBudget { total: 21_000, response: 8_000, documents: 7_000, system: 2_000 },
            jigga: TierBudget { total: 30_500, response: 12_000, documents: 11_000, system: 2_500 },
        }
    }
}

impl Budgets {
    /// The budget of `tier`.
    pub fn of(&self, tier: Tier) -> TierBudget {
        match tier {
            Tier::Free => self.free,
            Tier::Jive => self.jive,
            Tier::Jigga => self.jigga,
        }
    }
}

/// One tier's context budget in tokens. The prompt (system, history,
/// documents, the user's message) gets `total` minus what is reserved for
/// the response; history takes what the others leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierBudget {
    /// Everything: prompt and response.
    pub total: u32,
    /// Most reserved for the response (less when the route asks for less).
    pub response: u32,
    /// Most the numbered passages may take.
    pub documents: u32,
    /// Most the system prompt (persona, instructions) is expected to take;
    /// a longer one is kept whole and shrinks documents and history.
    pub system: u32,
}

/// Price of one model class, USD per million tokens.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Price {
    pub input: f64,
    pub output: f64,
}

/// `[chat.prices]`: the fast class (FREE text and the paid fast model) and
/// the big class.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Prices {
    pub fast: Price,
    pub big: Price,
}

impl Default for Prices {
    fn default() -> Self {
        Prices { fast: Price { input: 0.40, output: 0.80 }, big: Price { input: 0.60, output: 1.20 } }
    }
}

impl Prices {
    /// The price of the model class a layer calls.
    pub fn for_layer(&self, layer: Layer) -> Price {
        match layer {
            Layer::Big => self.big,
            Layer::FreeText | Layer::Fast | Layer::Image => self.fast,
        }
    }
}

impl ChatConfig {
    /// Cross-field checks; the message names the offending key.
    pub fn validate(&self) -> Result<()> {
        for (name, b) in
            [("free", self.budget.free), ("jive", self.budget.jive), ("jigga", self.budget.jigga)]
        {
            if b.response == 0 || b.documents == 0 || b.system == 0 {
                return Err(Error::config(format!(
                    "chat.budget.{name}: response, documents and system must each be at least 1"
                )));
            }
            let parts = u64::from(b.response) + u64::from(b.documents) + u64::from(b.system);
            if parts >= u64::from(b.total) {
                return Err(Error::config(format!(
                    "chat.budget.{name}: response + documents + system ({parts}) must stay below total ({}) \
                     so history and the question have room",
                    b.total
                )));
            }
        }
        for (name, p) in [("fast", self.prices.fast), ("big", self.prices.big)] {
            for (part, v) in [("input", p.input), ("output", p.output)] {
                if !v.is_finite() || v < 0.0 {
                    return Err(Error::config(format!("chat.prices.{name}.{part} = {v} must be 0 or more")));
                }
            }
        }
        if !self.usd_to_zar.is_finite() || self.usd_to_zar <= 0.0 {
            return Err(Error::config(format!("chat.usd_to_zar = {} must be above 0", self.usd_to_zar)));
        }
        if !(1..=50).contains(&self.max_passages) {
            return Err(Error::config("chat.max_passages must be 1..=50"));
        }
        if !(1..=50).contains(&self.search_only_passages) {
            return Err(Error::config("chat.search_only_passages must be 1..=50"));
        }
        if !(-14 * 60..=14 * 60).contains(&self.day_offset_minutes) {
            return Err(Error::config("chat.day_offset_minutes must be within -840..=840"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn parse(text: &str) -> Result<Config> {
        Config::parse(text, std::path::Path::new("config.toml"))
    }

    #[test]
    fn defaults_follow_the_spec_and_validate() {
        let c = ChatConfig::default();
        c.validate().unwrap();
        assert_eq!(
            (c.budget.free.total, c.budget.jive.total, c.budget.jigga.total),
            (11_500, 21_000, 30_500)
        );
        assert_eq!(c.prices.for_layer(Layer::Fast), Price { input: 0.40, output: 0.80 });
        assert_eq!(c.prices.for_layer(Layer::Big), Price { input: 0.60, output: 1.20 });
        assert!(!c.only_documents);
    }

    #[test]
    fn bad_values_are_errors_naming_the_key() {
        let cases = [
            (
                "[chat.budget.free]\ntotal = 1000\nresponse = 500\ndocuments = 400\nsystem = 200",
                "chat.budget.free",
            ),
            ("[chat.prices.big]\ninput = -1.0\noutput = 1.0", "chat.prices.big.input"),
            ("[chat]\nusd_to_zar = 0.0", "chat.usd_to_zar"),
            ("[chat]\nmax_passages = 0", "chat.max_passages"),
            ("[chat]\nday_offset_minutes = 9999", "chat.day_offset_minutes"),
            ("[chat]\nonly_docs = true", "only_docs"),
        ];
        for (text, key) in cases {
            let err = parse(text).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(err.contains(key), "{text:?} gave {err:?}");
        }
    }

    #[test]
    fn a_partial_section_keeps_the_other_defaults() {
        let c = parse("[chat]\nonly_documents = true\nusd_to_zar = 17.0").unwrap().chat;
        assert!(c.only_documents);
        assert_eq!(c.usd_to_zar, 17.0);
        assert_eq!(c.budget, Budgets::default());
    }
}
