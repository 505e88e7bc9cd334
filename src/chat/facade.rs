//! Chat on the `Gogga` façade, for every shell (the CLI's `ask`, `chat`,
//! `history`, `usage`, `export`; the desktop's chat commands). A turn takes
//! the caller's request id and an event sink, and resolves when the turn
//! has ended: `Err` only when it could not start (nothing was sent to the
//! sink), otherwise the same ending the sink received last.

use std::path::{Path, PathBuf};

use super::Chat;
use super::export::ExportFormat;
use super::types::{
    ConversationDetail, ConversationHit, ConversationSummary, Passage, SendRequest, TurnEnd, TurnEvent,
    TurnOptions, UsageReport,
};
use crate::app::Gogga;
use crate::error::Result;

impl Gogga {
    /// The chat coordinator.
    pub(crate) fn chat(&self) -> &Chat {
        &self.inner.chat
    }

    /// Send a message and stream the answer to `sink`.
    pub async fn send(&self, req: SendRequest, mut sink: impl FnMut(TurnEvent) + Send) -> Result<TurnEnd> {
        self.chat().send(&self.router(), req, &mut sink).await
    }

    /// Stop the turn with this request id (its partial answer is kept);
    /// false when nothing with that id is running.
    pub fn stop(&self, request_id: &str) -> bool {
        self.chat().stop(request_id)
    }

    /// Answer again: a new alternative to answer `message_id` (or a first
    /// answer, when it is a user message).
    pub async fn regenerate(
        &self,
        message_id: &str,
        request_id: String,
        options: TurnOptions,
        mut sink: impl FnMut(TurnEvent) + Send,
    ) -> Result<TurnEnd> {
        self.chat().regenerate(&self.router(), message_id, request_id, options, &mut sink).await
    }

    /// Edit a user message and continue the conversation from it.
    pub async fn edit_and_resend(
        &self,
        message_id: &str,
        text: &str,
        request_id: String,
        options: TurnOptions,
        mut sink: impl FnMut(TurnEvent) + Send,
    ) -> Result<TurnEnd> {
        self.chat().edit_and_resend(&self.router(), message_id, text, request_id, options, &mut sink).await
    }

    /// Every conversation, most recently active first.
    pub async fn conversations(&self) -> Result<Vec<ConversationSummary>> {
        self.chat().conversations().await
    }

    /// A new conversation; `None` titles it from its first exchange.
    pub async fn create_conversation(&self, title: Option<String>) -> Result<ConversationSummary> {
        self.chat().create_conversation(title).await
    }

    /// Rename a conversation.
    pub async fn rename_conversation(&self, id: &str, title: &str) -> Result<ConversationSummary> {
        self.chat().rename_conversation(id, title).await
    }

    /// Delete a conversation with its messages.
    pub async fn delete_conversation(&self, id: &str) -> Result<()> {
        self.chat().delete_conversation(id).await
    }

    /// A conversation with every message, oldest first, alternatives included.
    pub async fn conversation(&self, id: &str) -> Result<ConversationDetail> {
        self.chat().conversation(id).await
    }

    /// Full-text search over every conversation's messages.
    pub async fn search_messages(&self, query: &str, limit: usize) -> Result<Vec<ConversationHit>> {
        self.chat().search_messages(query, limit).await
    }

    /// The passage a citation points at.
    pub async fn passage(&self, chunk_id: i64) -> Result<Passage> {
        self.chat().passage(chunk_id).await
    }

    /// Tokens and cost of today and the days before it (`days` in all).
    pub async fn usage(&self, days: u32) -> Result<UsageReport> {
        self.chat().usage(days).await
    }

    /// A conversation as Markdown or JSON text.
    pub async fn export_text(&self, id: &str, format: ExportFormat) -> Result<String> {
        self.chat().export_text(id, format).await
    }

    /// Write a conversation to `path` as Markdown or JSON.
    pub async fn export_conversation(&self, id: &str, format: ExportFormat, path: &Path) -> Result<PathBuf> {
        self.chat().export_conversation(id, format, path).await
    }

    /// Store a conversation from a JSON export.
    pub async fn import_conversation(&self, path: &Path) -> Result<ConversationSummary> {
        self.chat().import_conversation(path).await
    }
}
