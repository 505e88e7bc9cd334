//! The gateway's part of the `Gogga` façade: the metrics text (`gogga
//! metrics`, later `/metrics` of the server) and a raw chat call straight to
//! the configured provider (`gogga chat-raw`), with no retrieval and no
//! local enhancements.

use super::{ChatRequest, ChatStream, Gateway, Message};
use crate::error::{Error, ErrorKind, Result};
use crate::router::Tier;

/// What `chat_raw` should send.
#[derive(Debug, Clone)]
pub struct RawChat {
    pub tier: Tier,
    /// The model; `None` uses `GOGGA_MODEL` or `gateway.default_model`.
    pub model: Option<String>,
    pub text: String,
    pub max_tokens: u32,
}

impl crate::Gogga {
    /// The model gateway (for the chat coordinator); a cheap clone of the
    /// current one (settings changes swap it).
    pub(crate) fn gateway(&self) -> Gateway {
        self.inner.live.get().gateway
    }

    /// Every metric in Prometheus text format.
    pub fn metrics_text(&self) -> String {
        self.gateway().metrics_text()
    }

    /// Latency histograms, retries and CePO fallbacks, as numbers.
    pub fn metrics_snapshot(&self) -> super::MetricsSnapshot {
        self.gateway().metrics_handle().snapshot()
    }

    /// Whether a model provider is configured.
    pub fn model_configured(&self) -> bool {
        self.gateway().is_configured()
    }

    /// Send one user message to the configured provider and stream the
    /// answer. Sampling follows the plan: FREE 0.7; paid 0.6 with top_p 0.95.
    pub async fn chat_raw(&self, raw: RawChat) -> Result<ChatStream> {
        let gateway = self.gateway();
        let model = raw.model.or_else(|| gateway.default_model().map(str::to_owned)).ok_or_else(|| {
            Error::new(
                ErrorKind::NotConfigured,
                "no model to call: pass --model, set GOGGA_MODEL, or set gateway.default_model in config.toml",
            )
        })?;
        if raw.text.trim().is_empty() {
            return Err(Error::invalid("the message is empty"));
        }
        let messages = vec![Message::user(raw.text)];
        let mut req = ChatRequest::new(raw.tier, model, messages.clone());
        req.profile = "cli".into();
        req.max_tokens = raw.max_tokens;
        if raw.tier != Tier::Free {
            req.temperature = 0.6;
            req.top_p = Some(0.95);
            req.cepo_messages = Some(messages);
        }
        gateway.stream(req).await
    }
}
