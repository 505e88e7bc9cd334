//! Conversations, messages and their citations (migration 0004). Rows are
//! plain data (strings, integers): the chat coordinator turns them into its
//! own types. Guarantees: a message and its citations are written in one
//! transaction; every insert or edit of a message takes the next
//! `change_seq` (so in-memory search indexes can catch up); deleting a
//! conversation deletes its messages and citations (foreign keys cascade);
//! an edit drops the messages after the edited one in the same transaction.
//! All methods block: async callers go through `spawn::blocking`.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::Store;
use super::conversation_rows::{
    CONVERSATION_COLUMNS, MESSAGE_COLUMNS, citation_row, conversation_row, message_row, message_text,
};
pub use super::conversation_rows::{CitationRow, ConversationRow, MessageRow, MessageText, UsageRow};
use crate::error::{Error, Result};

fn load_conversation(c: &Connection, id: &str) -> Result<Option<ConversationRow>> {
    let sql = format!("SELECT {CONVERSATION_COLUMNS} FROM conversations c WHERE c.id = ?1");
    Ok(c.query_row(&sql, [id], conversation_row).optional()?)
}

fn missing_conversation(id: &str) -> Error {
    Error::not_found(format!("no conversation {id}"))
}

fn with_citations(c: &Connection, mut rows: Vec<MessageRow>) -> Result<Vec<MessageRow>> {
    let mut stmt = c.prepare_cached(
        "SELECT marker, chunk_id, document_id, document_path, title, page, heading, snippet \
         FROM citations WHERE message_id = ?1 ORDER BY marker",
    )?;
    for row in &mut rows {
        row.citations = stmt.query_map([&row.id], citation_row)?.collect::<rusqlite::Result<_>>()?;
    }
    Ok(rows)
}

fn next_change_seq(tx: &Transaction<'_>) -> Result<i64> {
    Ok(tx.query_row(
        "UPDATE message_changes SET value = value + 1 WHERE id = 1 RETURNING value",
        [],
        |r| r.get(0),
    )?)
}

fn insert_message_tx(tx: &Transaction<'_>, m: &MessageRow) -> Result<()> {
    let seq = next_change_seq(tx)?;
    let sql = format!(
        "INSERT INTO messages ({MESSAGE_COLUMNS}, change_seq) VALUES \
         (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, \
          ?23, ?24, ?25, ?26, ?27, ?28)"
    );
    tx.prepare_cached(&sql)?.execute(params![
        m.id,
        m.conversation_id,
        m.role,
        m.content,
        m.thinking,
        m.reply_to,
        m.request_id,
        m.tier,
        m.layer,
        m.model,
        m.via_cepo,
        m.language,
        m.tokens_in,
        m.tokens_out,
        m.cost_usd,
        m.cost_zar,
        m.usage_estimated,
        m.first_token_ms,
        m.total_ms,
        m.stopped,
        m.search_only,
        m.only_documents,
        m.dropped_markers,
        m.error_code,
        m.error_message,
        m.created_at,
        m.updated_at,
        seq,
    ])?;
    let mut cite = tx.prepare_cached(
        "INSERT INTO citations (message_id, marker, chunk_id, document_id, document_path, title, page, heading, \
         snippet) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for c in &m.citations {
        cite.execute(params![
            m.id,
            c.marker,
            c.chunk_id,
            c.document_id,
            c.document_path,
            c.title,
            c.page,
            c.heading,
            c.snippet
        ])?;
    }
    tx.execute(
        "UPDATE conversations SET updated_at = max(updated_at, ?2) WHERE id = ?1",
        params![m.conversation_id, m.updated_at],
    )?;
    Ok(())
}

impl Store {
    /// Create a conversation; `title: None` gives it a placeholder that the
    /// first exchange replaces.
    pub fn create_conversation(&self, id: &str, title: Option<&str>, now: i64) -> Result<ConversationRow> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO conversations (id, title, title_auto, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
                params![id, title.unwrap_or("New chat"), title.is_none(), now],
            )?;
            load_conversation(tx, id)?.ok_or_else(|| missing_conversation(id))
        })
    }

    /// One conversation, if it exists.
    pub fn conversation(&self, id: &str) -> Result<Option<ConversationRow>> {
        self.read(|c| load_conversation(c, id))
    }

    /// Every conversation, most recently active first.
    pub fn conversations(&self) -> Result<Vec<ConversationRow>> {
        self.read(|c| {
            let sql = format!(
                "SELECT {CONVERSATION_COLUMNS} FROM conversations c ORDER BY c.updated_at DESC, c.id DESC"
            );
            let mut stmt = c.prepare_cached(&sql)?;
            let rows = stmt.query_map([], conversation_row)?.collect::<rusqlite::Result<_>>()?;
            Ok(rows)
        })
    }

    /// Set a title chosen by the user (no automatic title replaces it).
    pub fn rename_conversation(&self, id: &str, title: &str, now: i64) -> Result<ConversationRow> {
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE conversations SET title = ?2, title_auto = 0, updated_at = ?3 WHERE id = ?1",
                params![id, title, now],
            )?;
            if n == 0 {
                return Err(missing_conversation(id));
            }
            load_conversation(tx, id)?.ok_or_else(|| missing_conversation(id))
        })
    }

    /// Set the automatic title, unless the user has named the conversation
    /// (or it was titled already). Whether it was set.
    pub fn set_auto_title(&self, id: &str, title: &str) -> Result<bool> {
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE conversations SET title = ?2, title_auto = 0 WHERE id = ?1 AND title_auto = 1",
                params![id, title],
            )?;
            Ok(n == 1)
        })
    }

    /// Delete a conversation with its messages and citations; the ids of
    /// the messages that went (for the search index). `None`: no such
    /// conversation.
    pub fn delete_conversation(&self, id: &str) -> Result<Option<Vec<String>>> {
        self.write(|tx| {
            let ids: Vec<String> = tx
                .prepare_cached("SELECT id FROM messages WHERE conversation_id = ?1")?
                .query_map([id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let n = tx.execute("DELETE FROM conversations WHERE id = ?1", [id])?;
            Ok((n == 1).then_some(ids))
        })
    }

    /// A conversation's messages in the order they were written, with citations.
    pub fn messages(&self, conversation_id: &str) -> Result<Vec<MessageRow>> {
        self.read(|c| {
            let sql =
                format!("SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ?1 ORDER BY rowid");
            let rows: Vec<MessageRow> = {
                let mut stmt = c.prepare_cached(&sql)?;
                stmt.query_map([conversation_id], message_row)?.collect::<rusqlite::Result<_>>()?
            };
            with_citations(c, rows)
        })
    }

    /// One message with its citations.
    pub fn message(&self, id: &str) -> Result<Option<MessageRow>> {
        self.read(|c| {
            let sql = format!("SELECT {MESSAGE_COLUMNS} FROM messages WHERE id = ?1");
            let row = c.query_row(&sql, [id], message_row).optional()?;
            Ok(with_citations(c, row.into_iter().collect())?.pop())
        })
    }

    /// The message of `role` a request made, if any (idempotent sends).
    pub fn message_by_request(&self, request_id: &str, role: &str) -> Result<Option<MessageRow>> {
        self.read(|c| {
            let sql = format!("SELECT {MESSAGE_COLUMNS} FROM messages WHERE request_id = ?1 AND role = ?2");
            let row = c.query_row(&sql, [request_id, role], message_row).optional()?;
            Ok(with_citations(c, row.into_iter().collect())?.pop())
        })
    }

    /// Store a message with its citations. The conversation must exist; a
    /// second message of the same role and request id is refused.
    pub fn insert_message(&self, m: &MessageRow) -> Result<()> {
        self.write(|tx| {
            if load_conversation(tx, &m.conversation_id)?.is_none() {
                return Err(missing_conversation(&m.conversation_id));
            }
            if let Some(request) = &m.request_id {
                let taken: Option<String> = tx
                    .query_row(
                        "SELECT id FROM messages WHERE request_id = ?1 AND role = ?2",
                        params![request, m.role],
                        |r| r.get(0),
                    )
                    .optional()?;
                if let Some(other) = taken {
                    return Err(Error::invalid(format!(
                        "request {request} already made {} message {other}",
                        m.role
                    )));
                }
            }
            insert_message_tx(tx, m)
        })
    }

    /// Create a conversation (titled from its first exchange) and store its
    /// first message, in one transaction (one fsync on the send path).
    pub fn insert_first_message(&self, m: &MessageRow) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO conversations (id, title, title_auto, created_at, updated_at) VALUES (?1, 'New chat', 1, ?2, ?2)",
                params![m.conversation_id, m.created_at],
            )?;
            insert_message_tx(tx, m)
        })
    }

    /// Store an answer and, when the conversation still waits for one, its
    /// automatic title, in one transaction.
    pub fn insert_answer(&self, m: &MessageRow, auto_title: &str) -> Result<()> {
        self.write(|tx| {
            if load_conversation(tx, &m.conversation_id)?.is_none() {
                return Err(missing_conversation(&m.conversation_id));
            }
            insert_message_tx(tx, m)?;
            tx.execute(
                "UPDATE conversations SET title = ?2, title_auto = 0 WHERE id = ?1 AND title_auto = 1",
                params![m.conversation_id, auto_title],
            )?;
            Ok(())
        })
    }

    /// Replace a user message's text and drop every message written after
    /// it in its conversation; the ids dropped.
    pub fn edit_user_message(&self, id: &str, content: &str, now: i64) -> Result<Vec<String>> {
        self.write(|tx| {
            let found: Option<(String, String, i64)> = tx
                .query_row("SELECT conversation_id, role, rowid FROM messages WHERE id = ?1", [id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .optional()?;
            let (conversation, role, rowid) =
                found.ok_or_else(|| Error::not_found(format!("no message {id}")))?;
            if role != "user" {
                return Err(Error::invalid("only a user message can be edited"));
            }
            let dropped: Vec<String> = tx
                .prepare_cached("SELECT id FROM messages WHERE conversation_id = ?1 AND rowid > ?2")?
                .query_map(params![conversation, rowid], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            tx.execute(
                "DELETE FROM messages WHERE conversation_id = ?1 AND rowid > ?2",
                params![conversation, rowid],
            )?;
            let seq = next_change_seq(tx)?;
            tx.execute(
                "UPDATE messages SET content = ?2, updated_at = ?3, change_seq = ?4 WHERE id = ?1",
                params![id, content, now, seq],
            )?;
            tx.execute(
                "UPDATE conversations SET updated_at = max(updated_at, ?2) WHERE id = ?1",
                params![conversation, now],
            )?;
            Ok(dropped)
        })
    }

    /// Messages inserted or edited after `change_seq`, oldest change first,
    /// at most `limit`, with their conversation's title.
    pub fn messages_changed_since(&self, change_seq: i64, limit: usize) -> Result<Vec<MessageText>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT m.id, m.conversation_id, c.title, m.role, m.content, m.created_at, m.change_seq \
                 FROM messages m JOIN conversations c ON c.id = m.conversation_id \
                 WHERE m.change_seq > ?1 ORDER BY m.change_seq LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![change_seq, limit as i64], message_text)?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// The current text of these messages (ids that no longer exist are left out).
    pub fn message_texts(&self, ids: &[String]) -> Result<Vec<MessageText>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT m.id, m.conversation_id, c.title, m.role, m.content, m.created_at, m.change_seq \
                 FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.id = ?1",
            )?;
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                if let Some(t) = stmt.query_row([id], message_text).optional()? {
                    out.push(t);
                }
            }
            Ok(out)
        })
    }

    /// Answers' usage per (day, tier) from `since` on; a day starts at
    /// midnight `offset_ms` east of UTC.
    pub fn usage_by_day(&self, since: i64, offset_ms: i64) -> Result<Vec<UsageRow>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT (created_at + ?2) / 86400000 AS day, tier, count(*), coalesce(sum(tokens_in), 0), \
                 coalesce(sum(tokens_out), 0), coalesce(sum(cost_usd), 0.0), coalesce(sum(cost_zar), 0.0) \
                 FROM messages WHERE role = 'assistant' AND created_at >= ?1 \
                 GROUP BY day, tier ORDER BY day, tier",
            )?;
            let rows = stmt.query_map(params![since, offset_ms], |r| {
                Ok(UsageRow {
                    day: r.get(0)?,
                    tier: r.get(1)?,
                    messages: r.get(2)?,
                    tokens_in: r.get(3)?,
                    tokens_out: r.get(4)?,
                    cost_usd: r.get(5)?,
                    cost_zar: r.get(6)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
    }

    /// Write a whole conversation (an import) in one transaction; an
    /// existing conversation with the same id is refused.
    pub fn import_conversation(&self, conversation: &ConversationRow, messages: &[MessageRow]) -> Result<()> {
        self.write(|tx| {
            if load_conversation(tx, &conversation.id)?.is_some() {
                return Err(Error::invalid(format!(
                    "conversation {} already exists; delete it first to import it again",
                    conversation.id
                )));
            }
            tx.execute(
                "INSERT INTO conversations (id, title, title_auto, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    conversation.id,
                    conversation.title,
                    conversation.title_auto,
                    conversation.created_at,
                    conversation.updated_at
                ],
            )?;
            for m in messages {
                if m.conversation_id != conversation.id {
                    return Err(Error::invalid(format!("message {} belongs to another conversation", m.id)));
                }
                insert_message_tx(tx, m)?;
            }
            // Inserting messages moves updated_at forward; keep the exported one.
            tx.execute(
                "UPDATE conversations SET updated_at = ?2 WHERE id = ?1",
                params![conversation.id, conversation.updated_at],
            )?;
            Ok(())
        })
    }
}

#[cfg(test)]
#[path = "conversations_tests.rs"]
mod tests;
