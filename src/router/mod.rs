//! The tier router: pure code (no I/O) that classifies what the user typed,
//! in one pass, into a route (layer, model, budget, sampling, flags).
//! Filled in by the tier-router issue; this holds the types others use.

use serde::{Deserialize, Serialize};

use crate::error::Result;

/// The user's plan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    #[default]
    Free,
    Jive,
    Jigga,
}

/// A manual choice that beats the router.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Override {
    #[default]
    Auto,
    Fast,
    Max,
}

/// `[router]` in config.toml.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RouterConfig {
    /// The user's plan.
    pub plan: Tier,
    /// Auto / Fast / Max.
    #[serde(rename = "override")]
    pub manual: Override,
}

impl RouterConfig {
    /// Cross-field checks.
    pub fn validate(&self) -> Result<()> {
        Ok(())
    }
}
