//! The model gateway, sole owner of reqwest: OpenAI-compatible providers,
//! streaming, key rotation, retries, CePO, idempotency, metrics.
//! Filled in by the model-gateway issue.

use serde::{Deserialize, Serialize};

use crate::error::Result;

/// `[gateway]` in config.toml.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GatewayConfig {}

impl GatewayConfig {
    /// Cross-field checks.
    pub fn validate(&self) -> Result<()> {
        Ok(())
    }
}
