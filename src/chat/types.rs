//! The chat's data as the shells see it: messages (with route, language,
//! usage, timing, citations and flags), conversations, search hits,
//! passages, usage reports, and the events of a turn. These carry
//! everything the desktop's IPC contract needs (ui/src/ipc/CONTRACT.md);
//! the shells only rename fields and format times. Times are milliseconds
//! since the Unix epoch; [`super::dates::rfc3339`] formats them.

use serde::{Deserialize, Serialize};

use crate::router::{Override, Tier};

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    User,
    Assistant,
}

impl Role {
    /// The name stored in SQLite.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Assistant => "assistant",
        }
    }
}

/// How an answer was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteInfo {
    pub tier: Tier,
    /// `free_text`, `fast`, `big` (or `image`), as the router names layers.
    pub layer: String,
    /// The model id sent upstream.
    pub model: String,
    /// CePO answered (so the local enhancements were left out).
    pub via_cepo: bool,
}

/// A language badge (only for confident, non-English text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LanguageInfo {
    /// ISO 639 code, e.g. `zu`.
    pub code: String,
    /// The language's own name, e.g. `isiZulu`.
    pub name: String,
}

/// Tokens and money of one answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    pub tokens_in: u32,
    pub tokens_out: u32,
    pub cost_usd: f64,
    pub cost_zar: f64,
    /// Counted locally (the provider sent no usage, e.g. a stopped answer).
    pub estimated: bool,
}

/// How long an answer took, from the moment it was sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timing {
    pub first_token_ms: Option<u32>,
    pub total_ms: u32,
}

/// A resolved citation: marker `[n]` → the passage it points at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Citation {
    pub marker: u32,
    pub chunk_id: i64,
    pub document_id: String,
    pub document_path: String,
    pub title: String,
    /// 1-based, for PDFs.
    pub page: Option<u32>,
    pub heading: Option<String>,
    pub snippet: String,
}

/// An error as stored with a message and sent to the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorInfo {
    /// [`crate::Error::code`].
    pub code: String,
    pub message: String,
}

impl From<&crate::Error> for ErrorInfo {
    fn from(e: &crate::Error) -> Self {
        ErrorInfo { code: e.code().to_owned(), message: e.message().to_owned() }
    }
}

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub id: String,
    pub conversation_id: String,
    pub role: Role,
    /// The answer text (for an assistant) or what the user typed.
    pub content: String,
    /// Thinking, reflection and plan sections (collapsed in the UI).
    pub thinking: Option<String>,
    pub created_at: i64,
    /// An answer: the user message it answers. Several answers to one
    /// message are alternatives (regenerate).
    pub reply_to: Option<String>,
    /// None for user messages and search-only answers.
    pub route: Option<RouteInfo>,
    pub language: Option<LanguageInfo>,
    pub usage: Option<Usage>,
    pub timing: Option<Timing>,
    /// By marker.
    pub citations: Vec<Citation>,
    /// The user stopped it; `content` is what had arrived.
    pub stopped: bool,
    /// Answered from search alone (no model configured).
    pub search_only: bool,
    /// Asked with "answer only from my documents".
    pub only_documents: bool,
    /// Markers in the model's answer that pointed at no passage (removed).
    pub dropped_markers: u32,
    /// The call failed after some text had arrived; `content` is that text.
    pub error: Option<ErrorInfo>,
}

/// A conversation in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationSummary {
    pub id: String,
    pub title: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub message_count: u32,
}

/// A conversation with every message, oldest first; each user message is
/// followed by its answers (alternatives in the order they were made).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversationDetail {
    pub conversation: ConversationSummary,
    pub messages: Vec<Message>,
}

/// A piece of a search snippet; `hit` marks the matched words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnippetPart {
    pub text: String,
    pub hit: bool,
}

/// A message that matched a full-text search over conversations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConversationHit {
    pub conversation_id: String,
    pub conversation_title: String,
    pub message_id: String,
    pub role: Role,
    pub snippet: Vec<SnippetPart>,
    pub created_at: i64,
    pub score: f32,
}

/// A passage of a document, whole (a citation opened).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passage {
    pub chunk_id: i64,
    pub document_id: String,
    pub document_path: String,
    pub title: String,
    pub page: Option<u32>,
    pub heading: Option<String>,
    pub text: String,
}

/// A passage retrieved for a turn, numbered in the prompt.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub chunk_id: i64,
    pub document_id: String,
    pub path: String,
    pub title: String,
    pub page: Option<u32>,
    pub heading: String,
    pub text: String,
    /// Around the words of the question.
    pub snippet: String,
}

impl Source {
    /// The citation of this passage as marker `n`.
    pub fn citation(&self, marker: u32) -> Citation {
        Citation {
            marker,
            chunk_id: self.chunk_id,
            document_id: self.document_id.clone(),
            document_path: self.path.clone(),
            title: self.title.clone(),
            page: self.page,
            heading: (!self.heading.is_empty()).then(|| self.heading.clone()),
            snippet: self.snippet.clone(),
        }
    }
}

/// How to answer one turn.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TurnOptions {
    /// Auto, Fast or Max (a manual choice beats the router).
    pub mode: Override,
    /// Answer only from the user's documents; None: `chat.only_documents`.
    pub only_documents: Option<bool>,
    /// The plan; None: `router.plan`.
    pub tier: Option<Tier>,
}

/// Send a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendRequest {
    /// None starts a new conversation (titled from this exchange).
    pub conversation_id: Option<String>,
    pub text: String,
    /// The caller's id: sending twice with one id makes one message.
    pub request_id: String,
    pub options: TurnOptions,
}

/// What happens during a turn, in order: one `Started`, any number of
/// `Progress`, `Thinking` and `Delta`, then one `Done` or `Error`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TurnEvent {
    Started {
        request_id: String,
        /// The stored user message (for an edit, with its new text).
        user_message: Message,
        /// The id the answer will have.
        assistant_message_id: String,
        /// None in search-only mode.
        route: Option<RouteInfo>,
        language: Option<LanguageInfo>,
        search_only: bool,
        /// Something to tell the user up front (no model set, text instead of an image).
        notice: Option<String>,
    },
    /// A short note while nothing streams (searching, CePO thinking).
    Progress { note: String },
    /// Thinking text.
    Thinking { text: String },
    /// Answer text.
    Delta { text: String },
    /// The stored answer (possibly stopped).
    Done { message: Message },
    /// The turn failed; `partial` is the stored answer when text had arrived.
    Error { error: ErrorInfo, partial: Option<Message> },
}

/// How a turn ended (what `Done` or `Error` said).
#[derive(Debug, Clone, PartialEq)]
pub enum TurnEnd {
    Done(Message),
    Failed { error: ErrorInfo, partial: Option<Message> },
}

/// Usage of one tier on one day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TierUsage {
    /// None: answers made without a model (search only).
    pub tier: Option<Tier>,
    pub messages: u32,
    pub tokens_in: u64,
    pub tokens_out: u64,
    pub cost_usd: f64,
    pub cost_zar: f64,
}

/// Usage of one day (`YYYY-MM-DD` in the configured day offset).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayUsage {
    pub day: String,
    pub messages: u32,
    pub tokens_in: u64,
    pub tokens_out: u64,
    pub cost_usd: f64,
    pub cost_zar: f64,
    pub tiers: Vec<TierUsage>,
}

/// `gogga usage`: today and each of the last days (oldest first, days
/// without use included), and the totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UsageReport {
    pub today: DayUsage,
    pub days: Vec<DayUsage>,
    pub total: DayUsage,
    pub usd_to_zar: f64,
}
