//! The two things a turn needs from below, as small traits: [`Model`]
//! (is a provider configured, stream one call, count tokens) and
//! [`Retrieve`] (passages for a question in a conversation's scope, one
//! passage by chunk id). The façade wires in the model gateway and the
//! document library; tests can wire in fakes. Keeping the turn behind
//! these seams is what lets it be tested without a network or a model.

use futures_util::future::BoxFuture;
use futures_util::stream::BoxStream;

use super::compose::PromptMessage;
use super::types::{Passage, Source};
use crate::error::Result;
use crate::router::Tier;

/// One model call, as the turn asks for it.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelCall {
    /// The caller's request id (the gateway's single flight keys on it).
    pub request_id: String,
    pub tier: Tier,
    pub model: String,
    pub max_tokens: u32,
    pub temperature: f32,
    pub top_p: Option<f32>,
    /// With the local enhancements.
    pub direct: Vec<PromptMessage>,
    /// Without them; None keeps CePO out.
    pub cepo: Option<Vec<PromptMessage>>,
}

/// One event of a streamed answer.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelEvent {
    /// More text.
    Delta(String),
    /// Tokens the provider counted.
    Usage { input: u32, output: u32 },
    /// The answer is complete.
    Done { model: String, via_cepo: bool },
}

/// A streamed answer; dropping it aborts the upstream call.
pub type ModelStream = BoxStream<'static, Result<ModelEvent>>;

/// The model side of a turn.
pub trait Model: Send + Sync {
    /// Whether any provider can be called (else: search-only answers).
    fn is_configured(&self) -> bool;
    /// Whether paid turns may go through CePO (answers arrive in one late chunk).
    fn cepo_enabled(&self) -> bool {
        false
    }
    /// Start a call; events arrive on the stream.
    fn stream(&self, call: ModelCall) -> BoxFuture<'static, Result<ModelStream>>;
    /// Tokens in `text` (for budgets and estimated usage).
    fn count_tokens(&self, text: &str) -> u32;
}

/// Passages found for a question.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Retrieved {
    /// Best first.
    pub sources: Vec<Source>,
    /// Why retrieval was partial (e.g. vectors still loading), if it was.
    pub notice: Option<String>,
}

/// The document side of a turn. Both methods block (SQLite, tantivy,
/// embeddings): call them through `spawn::blocking`.
pub trait Retrieve: Send + Sync {
    /// Up to `limit` passages for `query` from the library and the
    /// attachments of `conversation_id`, within about `token_budget` tokens.
    fn retrieve(
        &self,
        query: &str,
        conversation_id: &str,
        limit: usize,
        token_budget: usize,
    ) -> Result<Retrieved>;
    /// One passage, whole.
    fn passage(&self, chunk_id: i64) -> Result<Option<Passage>>;
}

/// No library: nothing is ever found (until one is wired in).
#[derive(Debug, Default)]
pub struct NoDocuments;

impl Retrieve for NoDocuments {
    fn retrieve(&self, _: &str, _: &str, _: usize, _: usize) -> Result<Retrieved> {
        Ok(Retrieved::default())
    }
    fn passage(&self, _: i64) -> Result<Option<Passage>> {
        Ok(None)
    }
}

/// No provider: every answer is search-only.
#[derive(Debug, Default)]
pub struct NoModel;

impl Model for NoModel {
    fn is_configured(&self) -> bool {
        false
    }
    fn stream(&self, _: ModelCall) -> BoxFuture<'static, Result<ModelStream>> {
        Box::pin(async {
            Err(crate::Error::new(crate::ErrorKind::NotConfigured, "no model provider is configured"))
        })
    }
    fn count_tokens(&self, text: &str) -> u32 {
        u32::try_from(text.len().div_ceil(4)).unwrap_or(u32::MAX)
    }
}
