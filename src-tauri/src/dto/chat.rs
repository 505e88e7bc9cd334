//! The chat's DTOs: messages (route, language, usage, timing, citations,
//! flags), conversations, search hits, passages, turn options and the
//! events of a turn (`ChatEvent`, sent over a `tauri::ipc::Channel`),
//! converted from the core's chat types (`gogga::chat`). Chunk ids are
//! strings for the UI; times RFC 3339.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use gogga::chat as core;

use super::{IpcError, RouteMode, Tier, rfc3339};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    User,
    Assistant,
}

impl From<core::Role> for Role {
    fn from(r: core::Role) -> Self {
        match r {
            core::Role::User => Role::User,
            core::Role::Assistant => Role::Assistant,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Markdown,
    Json,
}

impl From<ExportFormat> for core::ExportFormat {
    fn from(f: ExportFormat) -> Self {
        match f {
            ExportFormat::Markdown => core::ExportFormat::Markdown,
            ExportFormat::Json => core::ExportFormat::Json,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConversationSummary {
    pub id: String,
    pub title: String,
    pub created_at: String,
    pub updated_at: String,
    pub message_count: u32,
}

impl From<core::ConversationSummary> for ConversationSummary {
    fn from(c: core::ConversationSummary) -> Self {
        ConversationSummary {
            id: c.id,
            title: c.title,
            created_at: rfc3339(c.created_at),
            updated_at: rfc3339(c.updated_at),
            message_count: c.message_count,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConversationDetail {
    pub conversation: ConversationSummary,
    pub messages: Vec<Message>,
}

impl From<core::ConversationDetail> for ConversationDetail {
    fn from(d: core::ConversationDetail) -> Self {
        ConversationDetail {
            conversation: d.conversation.into(),
            messages: d.messages.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SnippetPart {
    pub text: String,
    pub hit: bool,
}

/// Matched words separated only by spaces are one highlighted phrase
/// ("call recordings", not "call" and "recordings"); the text is unchanged.
pub fn merge_snippet(parts: Vec<core::SnippetPart>) -> Vec<SnippetPart> {
    let mut out: Vec<SnippetPart> = Vec::with_capacity(parts.len());
    let mut rest = parts.into_iter().peekable();
    while let Some(p) = rest.next() {
        let bridge = !p.hit
            && p.text.chars().all(char::is_whitespace)
            && out.last().is_some_and(|l| l.hit)
            && rest.peek().is_some_and(|n| n.hit);
        let hit = p.hit || bridge;
        match out.last_mut() {
            Some(last) if last.hit == hit => last.text.push_str(&p.text),
            _ => out.push(SnippetPart { text: p.text, hit }),
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConversationHit {
    pub conversation_id: String,
    pub conversation_title: String,
    pub message_id: String,
    pub role: Role,
    pub snippet: Vec<SnippetPart>,
    pub created_at: String,
}

impl From<core::ConversationHit> for ConversationHit {
    fn from(h: core::ConversationHit) -> Self {
        ConversationHit {
            conversation_id: h.conversation_id,
            conversation_title: h.conversation_title,
            message_id: h.message_id,
            role: h.role.into(),
            snippet: merge_snippet(h.snippet),
            created_at: rfc3339(h.created_at),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Route {
    pub tier: Tier,
    pub layer: String,
    pub model: String,
}

impl From<core::RouteInfo> for Route {
    fn from(r: core::RouteInfo) -> Self {
        Route { tier: r.tier.into(), layer: r.layer, model: r.model }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Language {
    pub code: String,
    pub name: String,
}

impl From<core::LanguageInfo> for Language {
    fn from(l: core::LanguageInfo) -> Self {
        Language { code: l.code, name: l.name }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    pub tokens_in: u32,
    pub tokens_out: u32,
    pub cost_usd: f64,
    pub cost_zar: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Timing {
    pub first_token_ms: Option<u32>,
    pub total_ms: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Citation {
    pub marker: u32,
    pub chunk_id: String,
    pub document_id: String,
    pub document_path: String,
    pub title: String,
    pub page: Option<u32>,
    pub snippet: String,
}

impl From<core::Citation> for Citation {
    fn from(c: core::Citation) -> Self {
        Citation {
            marker: c.marker,
            chunk_id: c.chunk_id.to_string(),
            document_id: c.document_id,
            document_path: c.document_path,
            title: c.title,
            page: c.page,
            snippet: c.snippet,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    pub id: String,
    pub conversation_id: String,
    pub role: Role,
    pub content: String,
    pub thinking: Option<String>,
    pub created_at: String,
    pub reply_to: Option<String>,
    pub route: Option<Route>,
    pub language: Option<Language>,
    pub usage: Option<Usage>,
    pub timing: Option<Timing>,
    pub citations: Vec<Citation>,
    pub stopped: bool,
    pub search_only: bool,
    pub only_documents: bool,
    pub error: Option<IpcError>,
}

impl From<core::Message> for Message {
    fn from(m: core::Message) -> Self {
        Message {
            id: m.id,
            conversation_id: m.conversation_id,
            role: m.role.into(),
            content: m.content,
            thinking: m.thinking,
            created_at: rfc3339(m.created_at),
            reply_to: m.reply_to,
            route: m.route.map(Into::into),
            language: m.language.map(Into::into),
            usage: m.usage.map(|u| Usage {
                tokens_in: u.tokens_in,
                tokens_out: u.tokens_out,
                cost_usd: u.cost_usd,
                cost_zar: u.cost_zar,
            }),
            timing: m.timing.map(|t| Timing { first_token_ms: t.first_token_ms, total_ms: t.total_ms }),
            citations: m.citations.into_iter().map(Into::into).collect(),
            stopped: m.stopped,
            search_only: m.search_only,
            only_documents: m.only_documents,
            error: m.error.map(|e| IpcError { code: e.code, message: e.message }),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TurnOptions {
    pub mode: RouteMode,
    pub only_documents: bool,
}

impl From<TurnOptions> for core::TurnOptions {
    // The plan is the configured one (the settings screen changes it).
    fn from(o: TurnOptions) -> Self {
        core::TurnOptions { mode: o.mode.into(), only_documents: Some(o.only_documents), tier: None }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "type", rename_all = "snake_case", rename_all_fields = "camelCase")]
pub enum ChatEvent {
    Started {
        request_id: String,
        user_message: Message,
        assistant_message_id: String,
        route: Option<Route>,
        language: Option<Language>,
        search_only: bool,
        notice: Option<String>,
    },
    Progress {
        note: String,
    },
    Delta {
        text: String,
    },
    Thinking {
        text: String,
    },
    Done {
        message: Message,
    },
    Error {
        error: IpcError,
        partial: Option<Message>,
    },
}

impl From<core::TurnEvent> for ChatEvent {
    fn from(e: core::TurnEvent) -> Self {
        match e {
            core::TurnEvent::Started {
                request_id,
                user_message,
                assistant_message_id,
                route,
                language,
                search_only,
                notice,
            } => ChatEvent::Started {
                request_id,
                user_message: user_message.into(),
                assistant_message_id,
                route: route.map(Into::into),
                language: language.map(Into::into),
                search_only,
                notice,
            },
            core::TurnEvent::Progress { note } => ChatEvent::Progress { note },
            core::TurnEvent::Thinking { text } => ChatEvent::Thinking { text },
            core::TurnEvent::Delta { text } => ChatEvent::Delta { text },
            core::TurnEvent::Done { message } => ChatEvent::Done { message: message.into() },
            core::TurnEvent::Error { error, partial } => ChatEvent::Error {
                error: IpcError { code: error.code, message: error.message },
                partial: partial.map(Into::into),
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Passage {
    pub chunk_id: String,
    pub document_id: String,
    pub document_path: String,
    pub title: String,
    pub page: Option<u32>,
    pub heading: Option<String>,
    pub text: String,
}

impl From<core::Passage> for Passage {
    fn from(p: core::Passage) -> Self {
        Passage {
            chunk_id: p.chunk_id.to_string(),
            document_id: p.document_id,
            document_path: p.document_path,
            title: p.title,
            page: p.page,
            heading: p.heading,
            text: p.text,
        }
    }
}

/// A chunk id from the UI (a decimal string).
pub fn chunk_id(id: &str) -> Result<i64, IpcError> {
    id.trim().parse().map_err(|_| IpcError::invalid(format!("{id:?} is not a passage id")))
}
