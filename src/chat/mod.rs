//! Chat with documents: the coordinator above router, gateway, search and
//! store. One turn goes: the user's typed text → the router (on that text
//! only) → retrieval over the library and this conversation's attachments
//! within the tier's budget → the prompt (persona, language, enhancements,
//! numbered passages; [`compose`]) → the model, streamed → thinking split
//! from the answer ([`thinking`]) → citations resolved ([`citations`]) →
//! the answer stored with route, usage, cost and timing.
//!
//! [`Chat`] holds what turns share: the store, the model and the document
//! seams ([`seams`]), the turns running now (for stop and double sends) and
//! the in-memory message search index. The shells call it through the
//! `Gogga` façade ([`facade`]): `send`, `stop`, `regenerate`,
//! `edit_and_resend`, conversations, `search_messages`, `passage`, `usage`,
//! `export_conversation` and `import_conversation`.
//!
//! Guarantees: a request id makes at most one answer (a duplicate while it
//! runs is refused as `Busy`; one after it finished replays the stored
//! answer without calling the model); a stopped or failed answer keeps the
//! text that had arrived; with no model configured every turn answers from
//! search alone and says so.

mod answer;
pub mod citations;
pub mod compose;
mod config;
mod conversations;
pub mod dates;
mod export;
mod facade;
mod library;
mod message_search;
mod model;
pub mod records;
pub mod seams;
pub mod thinking;
mod turn;
pub mod types;
pub mod usage;

#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::watch;

pub use config::{Budgets, ChatConfig, Price, Prices, TierBudget};
pub use export::{ExportFormat, ExportedConversation};
pub(crate) use library::LibraryRetrieve;
pub use model::GatewayModel;
pub use seams::{Model, ModelCall, ModelEvent, ModelStream, Retrieve, Retrieved};
pub use types::{
    Citation, ConversationDetail, ConversationHit, ConversationSummary, DayUsage, ErrorInfo, LanguageInfo,
    Message, Passage, Role, RouteInfo, SendRequest, SnippetPart, Source, TierUsage, Timing, TurnEnd,
    TurnEvent, TurnOptions, Usage, UsageReport,
};

use crate::error::{Error, ErrorKind, Result};
use crate::store::Store;

/// What chat turns share. Built once in `Gogga::open`.
pub struct Chat {
    store: Store,
    config: ChatConfig,
    model: Arc<dyn Model>,
    docs: Arc<dyn Retrieve>,
    /// Turns running now: request id → stop switch.
    running: Mutex<HashMap<String, watch::Sender<bool>>>,
    messages: message_search::MessageSearch,
}

impl std::fmt::Debug for Chat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Chat")
            .field("model_configured", &self.model.is_configured())
            .field("running", &lock(&self.running).len())
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // The map stays consistent under a panic (single inserts and removes).
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A turn registered as running; unregisters when dropped.
struct Running<'a> {
    chat: &'a Chat,
    request_id: String,
    stop: watch::Receiver<bool>,
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        lock(&self.chat.running).remove(&self.request_id);
    }
}

impl Chat {
    /// Chat over `store`, answering with `model` from `docs`.
    pub fn new(store: Store, config: ChatConfig, model: Arc<dyn Model>, docs: Arc<dyn Retrieve>) -> Chat {
        Chat {
            messages: message_search::MessageSearch::new(store.clone()),
            store,
            config,
            model,
            docs,
            running: Mutex::new(HashMap::new()),
        }
    }

    /// The chat config in use.
    pub fn config(&self) -> &ChatConfig {
        &self.config
    }

    /// Whether answers come from a model (else from search alone).
    pub fn model_configured(&self) -> bool {
        self.model.is_configured()
    }

    /// Mark `request_id` as running; a second one with the same id is `Busy`.
    fn register(&self, request_id: &str) -> Result<Running<'_>> {
        if request_id.trim().is_empty() {
            return Err(Error::invalid("a chat turn needs a request id"));
        }
        let mut running = lock(&self.running);
        if running.contains_key(request_id) {
            return Err(Error::new(
                ErrorKind::Busy,
                format!("request {request_id} is already being answered; wait for it or stop it"),
            ));
        }
        let (tx, rx) = watch::channel(false);
        running.insert(request_id.to_owned(), tx);
        Ok(Running { chat: self, request_id: request_id.to_owned(), stop: rx })
    }

    /// Stop the turn with this request id; false when none is running.
    pub fn stop(&self, request_id: &str) -> bool {
        match lock(&self.running).get(request_id) {
            Some(tx) => tx.send(true).is_ok(),
            None => false,
        }
    }
}
