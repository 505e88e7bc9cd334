//! Conversations as a whole: create, rename, delete, list, read (in
//! reading order, alternatives included), search their messages, usage
//! over days, and export / import. Each runs its blocking store or index
//! work through `spawn::blocking`. Inputs are checked first: an empty
//! title, an unknown id or an unreadable import file is an error that says
//! which, and nothing is changed.

use std::path::{Path, PathBuf};

use super::export::{ExportFormat, ExportedConversation, markdown, write_atomically};
use super::types::{ConversationDetail, ConversationHit, ConversationSummary, Passage, UsageReport};
use super::{Chat, dates, records, usage};
use crate::error::{Error, Result};
use crate::spawn::blocking;

/// Longest conversation title, in characters.
const MAX_TITLE_CHARS: usize = 200;
/// Most days a usage report covers.
const MAX_USAGE_DAYS: u32 = 3_660;

fn check_title(title: &str) -> Result<String> {
    let title = title.trim();
    if title.is_empty() {
        return Err(Error::invalid("a conversation title cannot be empty"));
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(Error::invalid(format!("a conversation title has at most {MAX_TITLE_CHARS} characters")));
    }
    Ok(title.to_owned())
}

impl Chat {
    /// A new, empty conversation; `None` titles it from its first exchange.
    pub async fn create_conversation(&self, title: Option<String>) -> Result<ConversationSummary> {
        let title = title.map(|t| check_title(&t)).transpose()?;
        let store = self.store.clone();
        let row = blocking(move || {
            store.create_conversation(&crate::id::new_id(), title.as_deref(), dates::now_ms())
        })
        .await?;
        Ok(records::summary(&row))
    }

    /// Give a conversation the user's title.
    pub async fn rename_conversation(&self, id: &str, title: &str) -> Result<ConversationSummary> {
        let title = check_title(title)?;
        let (store, id) = (self.store.clone(), id.to_owned());
        let row = blocking(move || store.rename_conversation(&id, &title, dates::now_ms())).await?;
        Ok(records::summary(&row))
    }

    /// Delete a conversation and its messages (its attached documents are
    /// the library's to remove).
    pub async fn delete_conversation(&self, id: &str) -> Result<()> {
        let (store, search, id) = (self.store.clone(), self.messages.clone(), id.to_owned());
        blocking(move || match store.delete_conversation(&id)? {
            Some(ids) => search.forget(&ids),
            None => Err(Error::not_found(format!("no conversation {id}"))),
        })
        .await
    }

    /// Every conversation, most recently active first.
    pub async fn conversations(&self) -> Result<Vec<ConversationSummary>> {
        let store = self.store.clone();
        let rows = blocking(move || store.conversations()).await?;
        Ok(rows.iter().map(records::summary).collect())
    }

    /// A conversation with all its messages in reading order.
    pub async fn conversation(&self, id: &str) -> Result<ConversationDetail> {
        let (store, id) = (self.store.clone(), id.to_owned());
        blocking(move || {
            let c =
                store.conversation(&id)?.ok_or_else(|| Error::not_found(format!("no conversation {id}")))?;
            let messages = store.messages(&id)?.iter().map(records::message).collect();
            Ok(ConversationDetail {
                conversation: records::summary(&c),
                messages: records::thread_order(messages),
            })
        })
        .await
    }

    /// Messages whose text has every word of `query`, best first.
    pub async fn search_messages(&self, query: &str, limit: usize) -> Result<Vec<ConversationHit>> {
        let (search, query) = (self.messages.clone(), query.to_owned());
        blocking(move || search.search(&query, limit.min(200))).await
    }

    /// A passage of a document, whole.
    pub async fn passage(&self, chunk_id: i64) -> Result<Passage> {
        let docs = self.docs.clone();
        blocking(move || {
            docs.passage(chunk_id)?.ok_or_else(|| Error::not_found(format!("no passage {chunk_id}")))
        })
        .await
    }

    /// Usage of today and the `days - 1` days before it.
    pub async fn usage(&self, days: u32) -> Result<UsageReport> {
        let days = days.clamp(1, MAX_USAGE_DAYS);
        let offset = self.config.day_offset_minutes;
        let rate = self.config.usd_to_zar;
        let today = dates::local_day(dates::now_ms(), offset);
        let since = (today - i64::from(days) + 1) * dates::DAY_MS - i64::from(offset) * 60_000;
        let store = self.store.clone();
        let rows = blocking(move || store.usage_by_day(since, i64::from(offset) * 60_000)).await?;
        Ok(usage::report(&rows, today, days, rate))
    }

    /// The conversation as Markdown or JSON text.
    pub async fn export_text(&self, id: &str, format: ExportFormat) -> Result<String> {
        let detail = self.conversation(id).await?;
        Ok(match format {
            ExportFormat::Markdown => markdown(&detail),
            ExportFormat::Json => {
                let file = ExportedConversation::new(detail, dates::now_ms());
                serde_json::to_string_pretty(&file)
                    .map_err(|e| Error::internal(format!("serializing the export: {e}")))?
            }
        })
    }

    /// Write the conversation to `path`; the path written.
    pub async fn export_conversation(&self, id: &str, format: ExportFormat, path: &Path) -> Result<PathBuf> {
        let text = self.export_text(id, format).await?;
        let path = path.to_path_buf();
        blocking(move || write_atomically(&path, &text).map(|()| path)).await
    }

    /// Read a JSON export and store it as it was (the conversation must
    /// not exist here yet).
    pub async fn import_conversation(&self, path: &Path) -> Result<ConversationSummary> {
        let (store, path) = (self.store.clone(), path.to_path_buf());
        blocking(move || {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
            let file = ExportedConversation::parse(&text)?;
            let (conversation, messages) = file.rows()?;
            store.import_conversation(&conversation, &messages)?;
            let row = store
                .conversation(&conversation.id)?
                .ok_or_else(|| Error::internal("the imported conversation is missing"))?;
            Ok(records::summary(&row))
        })
        .await
    }
}
