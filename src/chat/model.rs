//! The model seam over the real gateway: a turn's [`ModelCall`] becomes a
//! gateway `ChatRequest` (direct messages with the local enhancements,
//! CePO messages without them), the gateway's stream events become
//! [`ModelEvent`]s, and token counts come from the gateway's LRU-cached
//! counter. Dropping the returned stream drops the gateway's, which aborts
//! the upstream call.

use std::sync::Arc;

use futures_util::StreamExt;
use futures_util::future::BoxFuture;

use super::compose::{PromptMessage, PromptRole};
use super::seams::{Model, ModelCall, ModelEvent, ModelStream};
use crate::error::Result;
use crate::gateway::{ChatRequest, Gateway, GatewayConfig, Message, Role, StreamEvent};
use crate::live::LiveCell;

/// The idempotency profile of chat turns (`chat:{profile}:{request_id}`).
pub const PROFILE: &str = "chat";

/// [`Model`] backed by the model gateway.
#[derive(Debug, Clone)]
pub struct GatewayModel(Source);

/// Where the gateway comes from.
#[derive(Debug, Clone)]
enum Source {
    /// One gateway for the model's life (tests).
    Fixed { gateway: Gateway, cepo: bool },
    /// The running core's current gateway: a settings change (a new key, a
    /// provider switched on) applies to the next turn without a restart.
    Live(Arc<LiveCell>),
}

impl GatewayModel {
    pub fn new(gateway: Gateway, config: &GatewayConfig) -> GatewayModel {
        GatewayModel(Source::Fixed { gateway, cepo: config.cepo.enabled })
    }

    pub(crate) fn live(cell: Arc<LiveCell>) -> GatewayModel {
        GatewayModel(Source::Live(cell))
    }

    fn current(&self) -> (Gateway, bool) {
        match &self.0 {
            Source::Fixed { gateway, cepo } => (gateway.clone(), *cepo),
            Source::Live(cell) => {
                let live = cell.get();
                (live.gateway, live.config.gateway.cepo.enabled)
            }
        }
    }
}

fn messages(list: Vec<PromptMessage>) -> Vec<Message> {
    list.into_iter()
        .map(|m| Message {
            role: match m.role {
                PromptRole::System => Role::System,
                PromptRole::User => Role::User,
                PromptRole::Assistant => Role::Assistant,
            },
            content: m.content,
        })
        .collect()
}

fn event(e: StreamEvent) -> ModelEvent {
    match e {
        StreamEvent::Delta(text) => ModelEvent::Delta(text),
        StreamEvent::Usage(u) => ModelEvent::Usage { input: u.input_tokens, output: u.output_tokens },
        StreamEvent::Done { model, via_cepo, .. } => ModelEvent::Done { model, via_cepo },
    }
}

impl Model for GatewayModel {
    fn is_configured(&self) -> bool {
        self.current().0.is_configured()
    }

    fn cepo_enabled(&self) -> bool {
        self.current().1
    }

    fn stream(&self, call: ModelCall) -> BoxFuture<'static, Result<ModelStream>> {
        let gateway = self.current().0;
        Box::pin(async move {
            let req = ChatRequest {
                request_id: call.request_id,
                profile: PROFILE.to_owned(),
                tier: call.tier,
                model: call.model,
                max_tokens: call.max_tokens,
                temperature: call.temperature,
                top_p: call.top_p,
                direct_messages: messages(call.direct),
                cepo_messages: call.cepo.map(messages),
                media: false,
            };
            let stream = gateway.stream(req).await?;
            Ok(stream.map(|item| item.map(event)).boxed())
        })
    }

    fn count_tokens(&self, text: &str) -> u32 {
        self.current().0.tokens().count(text)
    }
}
