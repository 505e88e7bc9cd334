//! `[router]` in config.toml: the plan, the manual override, the model ids,
//! the token budgets and the sampling per tier. Model ids live here and only
//! here (as defaults the user can change); the router code never names a
//! model. `validate()` refuses empty ids, zero budgets, an extended budget
//! below its base, and sampling values outside their ranges.

use serde::{Deserialize, Serialize};

use super::{Override, Tier};
use crate::error::{Error, Result};

/// `[router]` in config.toml.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RouterConfig {
    /// The user's plan.
    pub plan: Tier,
    /// Auto / Fast / Max.
    #[serde(rename = "override")]
    pub manual: Override,
    /// `[router.models]`: which model each layer calls.
    pub models: Models,
    /// `[router.tokens]`: `max_tokens` per layer, base and extended.
    pub tokens: TokenLimits,
    /// `[router.sampling]`: temperature and top_p, free and paid.
    pub sampling: SamplingConfig,
}

/// `[router.models]`: model ids as the provider spells them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Models {
    /// The FREE tier's text model.
    pub free: String,
    /// The paid tiers' fast model (qwen-3-32b class).
    pub fast: String,
    /// The paid tiers' big model (qwen-3-235b class).
    pub big: String,
    /// The image model (image requests).
    pub image: String,
}

impl Default for Models {
    fn default() -> Self {
        Models {
            free: "qwen-3-32b".to_owned(),
            fast: "qwen-3-32b".to_owned(),
            big: "qwen-3-235b-a22b-instruct-2507".to_owned(),
            image: "flux-1-schnell".to_owned(),
        }
    }
}

/// `[router.tokens]`: the `max_tokens` each route asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TokenLimits {
    /// FREE, whatever the message asks.
    pub free: u32,
    /// Paid tiers, fast model.
    pub fast: u32,
    /// Paid tiers, fast model, when the user asks for long output.
    pub fast_extended: u32,
    /// Paid tiers, big model.
    pub big: u32,
    /// Paid tiers, big model, long output or document analysis.
    pub big_extended: u32,
}

impl Default for TokenLimits {
    fn default() -> Self {
        TokenLimits { free: 2048, fast: 4096, fast_extended: 8000, big: 8000, big_extended: 32000 }
    }
}

/// `[router.sampling]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SamplingConfig {
    /// FREE temperature.
    pub free_temperature: f32,
    /// FREE top_p (none: the provider's default).
    pub free_top_p: Option<f32>,
    /// JIVE and JIGGA temperature.
    pub paid_temperature: f32,
    /// JIVE and JIGGA top_p.
    pub paid_top_p: Option<f32>,
}

impl Default for SamplingConfig {
    fn default() -> Self {
        SamplingConfig {
            free_temperature: 0.7,
            free_top_p: None,
            paid_temperature: 0.6,
            paid_top_p: Some(0.95),
        }
    }
}

impl RouterConfig {
    /// Cross-field checks; the message names the offending key.
    pub fn validate(&self) -> Result<()> {
        let m = &self.models;
        for (key, id) in [("free", &m.free), ("fast", &m.fast), ("big", &m.big), ("image", &m.image)] {
            if id.trim().is_empty() {
                return Err(Error::config(format!("router.models.{key} is empty: name a model id")));
            }
        }
        let t = &self.tokens;
        for (key, n) in [
            ("free", t.free),
            ("fast", t.fast),
            ("fast_extended", t.fast_extended),
            ("big", t.big),
            ("big_extended", t.big_extended),
        ] {
            if n == 0 {
                return Err(Error::config(format!("router.tokens.{key} must be at least 1")));
            }
        }
        for (key, base, ext) in [("fast", t.fast, t.fast_extended), ("big", t.big, t.big_extended)] {
            if ext < base {
                return Err(Error::config(format!(
                    "router.tokens.{key}_extended ({ext}) is below router.tokens.{key} ({base})"
                )));
            }
        }
        let s = &self.sampling;
        for (key, temp) in
            [("free_temperature", s.free_temperature), ("paid_temperature", s.paid_temperature)]
        {
            if !(0.0..=2.0).contains(&temp) {
                return Err(Error::config(format!("router.sampling.{key} = {temp} is outside 0..=2")));
            }
        }
        for (key, top_p) in [("free_top_p", s.free_top_p), ("paid_top_p", s.paid_top_p)] {
            if let Some(p) = top_p
                && !(p > 0.0 && p <= 1.0)
            {
                return Err(Error::config(format!("router.sampling.{key} = {p} is outside (0, 1]")));
            }
        }
        Ok(())
    }
}
