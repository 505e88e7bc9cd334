//! What a caller asks the gateway: [`ChatRequest`] with two message lists.
//! The chat coordinator builds `direct_messages` WITH its local enhancements
//! (re2, cot_reflection, planning) and `cepo_messages` WITHOUT them (None
//! when CePO must not be used); the gateway picks one list per call, so the
//! enhancements are applied exactly once and the gateway never needs to
//! know what they are.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::router::Tier;

/// Who said a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    System,
    User,
    Assistant,
}

/// One chat message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub role: Role,
    pub content: String,
}

impl Message {
    pub fn system(content: impl Into<String>) -> Message {
        Message { role: Role::System, content: content.into() }
    }
    pub fn user(content: impl Into<String>) -> Message {
        Message { role: Role::User, content: content.into() }
    }
    pub fn assistant(content: impl Into<String>) -> Message {
        Message { role: Role::Assistant, content: content.into() }
    }
}

/// One chat call.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatRequest {
    /// The client's id for this request (a double click sends it twice).
    pub request_id: String,
    /// Whose request (part of the idempotency key).
    pub profile: String,
    /// The plan: CePO is only for JIVE and JIGGA.
    pub tier: Tier,
    /// The model id (rewritten per provider by `[gateway.<provider>.models]`).
    pub model: String,
    /// Most tokens to generate (Cerebras charges it up front).
    pub max_tokens: u32,
    pub temperature: f32,
    pub top_p: Option<f32>,
    /// Messages with the local enhancements, for a direct call.
    pub direct_messages: Vec<Message>,
    /// Messages without them, for CePO; None keeps CePO out of it.
    pub cepo_messages: Option<Vec<Message>>,
    /// A media request: its idempotent reply is kept an hour, not 5 minutes.
    pub media: bool,
}

impl ChatRequest {
    /// A request with a fresh id, profile `default`, 1024 tokens,
    /// temperature 0.7 and no CePO list.
    pub fn new(tier: Tier, model: impl Into<String>, messages: Vec<Message>) -> ChatRequest {
        ChatRequest {
            request_id: crate::id::new_id(),
            profile: "default".into(),
            tier,
            model: model.into(),
            max_tokens: 1024,
            temperature: 0.7,
            top_p: None,
            direct_messages: messages,
            cepo_messages: None,
            media: false,
        }
    }

    /// `chat:{profile}:{request_id}`.
    pub fn idempotency_key(&self) -> String {
        format!("chat:{}:{}", self.profile, self.request_id)
    }

    /// Refuse requests no provider could answer, saying what is wrong.
    pub(crate) fn check(&self) -> Result<()> {
        if self.request_id.trim().is_empty() {
            return Err(Error::invalid("a chat request needs a request id"));
        }
        if self.model.trim().is_empty() {
            return Err(Error::invalid("a chat request needs a model id"));
        }
        if self.direct_messages.is_empty() {
            return Err(Error::invalid("a chat request needs at least one message"));
        }
        if self.cepo_messages.as_ref().is_some_and(Vec::is_empty) {
            return Err(Error::invalid("cepo_messages is empty: pass None to skip CePO"));
        }
        if self.max_tokens == 0 {
            return Err(Error::invalid("max_tokens must be greater than 0"));
        }
        if !(0.0..=2.0).contains(&self.temperature) || self.top_p.is_some_and(|p| !(0.0..=1.0).contains(&p)) {
            return Err(Error::invalid("temperature must be in 0..=2 and top_p in 0..=1"));
        }
        Ok(())
    }
}
