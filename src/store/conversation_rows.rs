//! The row types of conversations, messages and citations, the column
//! lists every query selects, and the mappers from a SQLite row. Plain data
//! (strings, integers): the chat coordinator turns them into its own types.

use rusqlite::Row;

/// One conversation with its message count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationRow {
    pub id: String,
    pub title: String,
    /// The title will be taken from the first exchange.
    pub title_auto: bool,
    pub created_at: i64,
    pub updated_at: i64,
    pub message_count: i64,
}

/// One stored message with its citations.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MessageRow {
    pub id: String,
    pub conversation_id: String,
    /// `user` or `assistant`.
    pub role: String,
    pub content: String,
    pub thinking: Option<String>,
    pub reply_to: Option<String>,
    pub request_id: Option<String>,
    pub tier: Option<String>,
    pub layer: Option<String>,
    pub model: Option<String>,
    pub via_cepo: bool,
    pub language: Option<String>,
    pub tokens_in: Option<i64>,
    pub tokens_out: Option<i64>,
    pub cost_usd: Option<f64>,
    pub cost_zar: Option<f64>,
    pub usage_estimated: bool,
    pub first_token_ms: Option<i64>,
    pub total_ms: Option<i64>,
    pub stopped: bool,
    pub search_only: bool,
    pub only_documents: bool,
    pub dropped_markers: i64,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub citations: Vec<CitationRow>,
}

/// A citation as stored: a snapshot of the passage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CitationRow {
    pub marker: i64,
    pub chunk_id: i64,
    pub document_id: String,
    pub document_path: String,
    pub title: String,
    pub page: Option<i64>,
    pub heading: Option<String>,
    pub snippet: String,
}

/// A message as the search index sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageText {
    pub id: String,
    pub conversation_id: String,
    pub conversation_title: String,
    pub role: String,
    pub content: String,
    pub created_at: i64,
    pub change_seq: i64,
}

/// Usage of one (day, tier): `day` counts days since the epoch in the
/// caller's day offset; `tier` is None for answers with no model.
#[derive(Debug, Clone, PartialEq)]
pub struct UsageRow {
    pub day: i64,
    pub tier: Option<String>,
    pub messages: i64,
    pub tokens_in: i64,
    pub tokens_out: i64,
    pub cost_usd: f64,
    pub cost_zar: f64,
}

pub(super) const CONVERSATION_COLUMNS: &str = "c.id, c.title, c.title_auto, c.created_at, c.updated_at, \
     (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id)";

pub(super) const MESSAGE_COLUMNS: &str = "id, conversation_id, role, content, thinking, reply_to, request_id, tier, layer, \
     model, via_cepo, language, tokens_in, tokens_out, cost_usd, cost_zar, usage_estimated, first_token_ms, \
     total_ms, stopped, search_only, only_documents, dropped_markers, error_code, error_message, created_at, \
     updated_at";

pub(super) fn conversation_row(r: &Row<'_>) -> rusqlite::Result<ConversationRow> {
    Ok(ConversationRow {
        id: r.get(0)?,
        title: r.get(1)?,
        title_auto: r.get(2)?,
        created_at: r.get(3)?,
        updated_at: r.get(4)?,
        message_count: r.get(5)?,
    })
}

pub(super) fn message_row(r: &Row<'_>) -> rusqlite::Result<MessageRow> {
    Ok(MessageRow {
        id: r.get(0)?,
        conversation_id: r.get(1)?,
        role: r.get(2)?,
        content: r.get(3)?,
        thinking: r.get(4)?,
        reply_to: r.get(5)?,
        request_id: r.get(6)?,
        tier: r.get(7)?,
        layer: r.get(8)?,
        model: r.get(9)?,
        via_cepo: r.get(10)?,
        language: r.get(11)?,
        tokens_in: r.get(12)?,
        tokens_out: r.get(13)?,
        cost_usd: r.get(14)?,
        cost_zar: r.get(15)?,
        usage_estimated: r.get(16)?,
        first_token_ms: r.get(17)?,
        total_ms: r.get(18)?,
        stopped: r.get(19)?,
        search_only: r.get(20)?,
        only_documents: r.get(21)?,
        dropped_markers: r.get(22)?,
        error_code: r.get(23)?,
        error_message: r.get(24)?,
        created_at: r.get(25)?,
        updated_at: r.get(26)?,
        citations: Vec::new(),
    })
}

pub(super) fn citation_row(r: &Row<'_>) -> rusqlite::Result<CitationRow> {
    Ok(CitationRow {
        marker: r.get(0)?,
        chunk_id: r.get(1)?,
        document_id: r.get(2)?,
        document_path: r.get(3)?,
        title: r.get(4)?,
        page: r.get(5)?,
        heading: r.get(6)?,
        snippet: r.get(7)?,
    })
}

pub(super) fn message_text(r: &Row<'_>) -> rusqlite::Result<MessageText> {
    Ok(MessageText {
        id: r.get(0)?,
        conversation_id: r.get(1)?,
        conversation_title: r.get(2)?,
        role: r.get(3)?,
        content: r.get(4)?,
        created_at: r.get(5)?,
        change_seq: r.get(6)?,
    })
}
