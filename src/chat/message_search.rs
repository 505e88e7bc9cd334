//! Full-text search over conversations: the in-memory
//! [`MessageIndex`](crate::search::messages::MessageIndex), built on first
//! use and brought up to date from the store's change sequence before each
//! search (so messages written by another process, e.g. the CLI while the
//! app runs, are found too). Hits are read back from SQLite: a message
//! deleted elsewhere drops out, and snippets come from the current text.
//! All methods block.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use super::types::{ConversationHit, Role, SnippetPart};
use crate::error::Result;
use crate::search::messages::{MessageDoc, MessageIndex};
use crate::store::Store;

/// Messages read from the store per catch-up step.
const CATCH_UP_BATCH: usize = 2_000;
/// Snippet length in characters.
const SNIPPET_CHARS: usize = 160;

/// Cheap to clone; clones share the index.
#[derive(Clone)]
pub(crate) struct MessageSearch {
    store: Store,
    /// Built on first use; the mutex also serialises catch-ups.
    index: Arc<Mutex<Option<Arc<MessageIndex>>>>,
}

impl MessageSearch {
    pub(crate) fn new(store: Store) -> MessageSearch {
        MessageSearch { store, index: Arc::new(Mutex::new(None)) }
    }

    /// The index, created if needed and caught up with the store.
    fn current(&self) -> Result<Arc<MessageIndex>> {
        let mut guard = self.index.lock().unwrap_or_else(PoisonError::into_inner);
        let index = match guard.as_ref() {
            Some(i) => Arc::clone(i),
            None => {
                let i = Arc::new(MessageIndex::new()?);
                *guard = Some(Arc::clone(&i));
                i
            }
        };
        loop {
            let changed = self.store.messages_changed_since(index.high_water(), CATCH_UP_BATCH)?;
            let Some(last) = changed.last().map(|m| m.change_seq) else { break };
            let docs: Vec<MessageDoc> =
                changed.into_iter().map(|m| MessageDoc { id: m.id, text: m.content }).collect();
            index.upsert(&docs, last)?;
        }
        Ok(index)
    }

    /// Forget deleted messages now (if the index exists; else nothing to do).
    pub(crate) fn forget(&self, ids: &[String]) -> Result<()> {
        let guard = self.index.lock().unwrap_or_else(PoisonError::into_inner);
        match guard.as_ref() {
            Some(index) => index.delete(ids),
            None => Ok(()),
        }
    }

    /// Messages matching every word of `query`, best first.
    pub(crate) fn search(&self, query: &str, limit: usize) -> Result<Vec<ConversationHit>> {
        if query.trim().is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let index = self.current()?;
        // Over-fetch: hits deleted by another process drop out below.
        let found = index.search(query, limit * 2 + 10)?;
        let ids: Vec<String> = found.iter().map(|(id, _)| id.clone()).collect();
        let mut texts: HashMap<String, crate::store::MessageText> =
            self.store.message_texts(&ids)?.into_iter().map(|t| (t.id.clone(), t)).collect();
        let mut hits = Vec::with_capacity(limit);
        for (id, score) in found {
            let Some(t) = texts.remove(&id) else { continue };
            let snippet = index
                .snippet(query, &t.content, SNIPPET_CHARS)?
                .into_iter()
                .map(|(text, hit)| SnippetPart { text, hit })
                .collect();
            hits.push(ConversationHit {
                conversation_id: t.conversation_id,
                conversation_title: t.conversation_title,
                message_id: t.id,
                role: if t.role == "user" { Role::User } else { Role::Assistant },
                snippet,
                created_at: t.created_at,
                score,
            });
            if hits.len() == limit {
                break;
            }
        }
        Ok(hits)
    }
}
