//! Turn tests on a real SQLite file with a scripted model and a fixed set
//! of passages behind the chat's seams: what the router saw, what went
//! into the prompt, what streamed, what was stored, and how often the
//! model was called. (The same scenarios run through the real gateway and
//! the mock upstream in tests/it/chat.rs.)

mod conversations;
mod fakes;
mod turns;
mod upstream;

use std::sync::Arc;

use fakes::{FakeDocs, FakeModel};

use super::*;
use crate::router::{Router, RouterConfig, Tier};

/// A chat over a fresh store, with the default router.
struct Rig {
    _dir: tempfile::TempDir,
    chat: Chat,
    router: Router,
    model: Arc<FakeModel>,
    docs: Arc<FakeDocs>,
}

fn rig_with(model: FakeModel, docs: FakeDocs, config: ChatConfig) -> Rig {
    let dir = tempfile::tempdir().unwrap();
    let store = crate::store::Store::open(&dir.path().join("g.db")).unwrap();
    let model = Arc::new(model);
    let docs = Arc::new(docs);
    let chat = Chat::new(store, config, model.clone(), docs.clone());
    Rig { _dir: dir, chat, router: Router::new(&RouterConfig::default(), None).unwrap(), model, docs }
}

fn rig(model: FakeModel, docs: FakeDocs) -> Rig {
    rig_with(model, docs, ChatConfig::default())
}

fn jive() -> TurnOptions {
    TurnOptions { tier: Some(Tier::Jive), ..TurnOptions::default() }
}

fn request(conversation: Option<&str>, text: &str, id: &str, options: TurnOptions) -> SendRequest {
    SendRequest {
        conversation_id: conversation.map(str::to_owned),
        text: text.to_owned(),
        request_id: id.to_owned(),
        options,
    }
}

impl Rig {
    /// Send and collect every event.
    async fn send(&self, req: SendRequest) -> (Result<TurnEnd>, Vec<TurnEvent>) {
        let mut events = Vec::new();
        let end = self.chat.send(&self.router, req, &mut |e| events.push(e)).await;
        (end, events)
    }
}

/// The stored message of a `Done` (panics otherwise).
fn done(end: Result<TurnEnd>) -> Message {
    match end {
        Ok(TurnEnd::Done(m)) => m,
        other => panic!("expected Done, got {other:?}"),
    }
}

/// The concatenated text of the `Delta` (or `Thinking`) events.
fn streamed(events: &[TurnEvent], thinking: bool) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            TurnEvent::Delta { text } if !thinking => Some(text.as_str()),
            TurnEvent::Thinking { text } if thinking => Some(text.as_str()),
            _ => None,
        })
        .collect()
}
