//! Chat with documents: a coordinator over router, gateway, search and
//! store. Filled in by the chat issue.

use serde::{Deserialize, Serialize};

use crate::error::Result;

/// `[chat]` in config.toml.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ChatConfig {}

impl ChatConfig {
    /// Cross-field checks.
    pub fn validate(&self) -> Result<()> {
        Ok(())
    }
}
