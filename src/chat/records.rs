//! Between the store's rows and the chat's types, both ways, and the order
//! a conversation is shown in. Guarantees: `to_row(from_row(r))` keeps
//! every field a [`Message`] has (the export round trip relies on it);
//! [`thread_order`] puts each user message before its answers, answers in
//! the order they were made, whatever order the rows were written in.

use super::types::{
    Citation, ConversationSummary, ErrorInfo, LanguageInfo, Message, Role, RouteInfo, Timing, Usage,
};
use super::usage::{tier_from_name, tier_name};
use crate::router::Lang;
use crate::store::{CitationRow, ConversationRow, MessageRow};

fn u32_of(v: i64) -> u32 {
    u32::try_from(v.max(0)).unwrap_or(u32::MAX)
}

/// A stored conversation as the list shows it.
pub fn summary(row: &ConversationRow) -> ConversationSummary {
    ConversationSummary {
        id: row.id.clone(),
        title: row.title.clone(),
        created_at: row.created_at,
        updated_at: row.updated_at,
        message_count: u32_of(row.message_count),
    }
}

/// The badge for a stored language code.
pub fn language_info(code: &str) -> Option<LanguageInfo> {
    Lang::from_code(code).map(|l| LanguageInfo { code: l.code().to_owned(), name: l.name().to_owned() })
}

/// A stored message as the chat's type.
pub fn message(row: &MessageRow) -> Message {
    let role = if row.role == "user" { Role::User } else { Role::Assistant };
    let route = match (row.tier.as_deref().and_then(tier_from_name), &row.layer, &row.model) {
        (Some(tier), Some(layer), Some(model)) => {
            Some(RouteInfo { tier, layer: layer.clone(), model: model.clone(), via_cepo: row.via_cepo })
        }
        _ => None,
    };
    let usage = match (row.tokens_in, row.tokens_out) {
        (Some(tin), Some(tout)) => Some(Usage {
            tokens_in: u32_of(tin),
            tokens_out: u32_of(tout),
            cost_usd: row.cost_usd.unwrap_or(0.0),
            cost_zar: row.cost_zar.unwrap_or(0.0),
            estimated: row.usage_estimated,
        }),
        _ => None,
    };
    let timing = row
        .total_ms
        .map(|total| Timing { first_token_ms: row.first_token_ms.map(u32_of), total_ms: u32_of(total) });
    let error = match (&row.error_code, &row.error_message) {
        (Some(code), message) => {
            Some(ErrorInfo { code: code.clone(), message: message.clone().unwrap_or_default() })
        }
        _ => None,
    };
    Message {
        id: row.id.clone(),
        conversation_id: row.conversation_id.clone(),
        role,
        content: row.content.clone(),
        thinking: row.thinking.clone(),
        created_at: row.created_at,
        reply_to: row.reply_to.clone(),
        route,
        language: row.language.as_deref().and_then(language_info),
        usage,
        timing,
        citations: row.citations.iter().map(citation).collect(),
        stopped: row.stopped,
        search_only: row.search_only,
        only_documents: row.only_documents,
        dropped_markers: u32_of(row.dropped_markers),
        error,
    }
}

fn citation(c: &CitationRow) -> Citation {
    Citation {
        marker: u32_of(c.marker),
        chunk_id: c.chunk_id,
        document_id: c.document_id.clone(),
        document_path: c.document_path.clone(),
        title: c.title.clone(),
        page: c.page.map(u32_of),
        heading: c.heading.clone(),
        snippet: c.snippet.clone(),
    }
}

/// The row that stores `m` (`request_id` is not part of a [`Message`]).
pub fn row(m: &Message, request_id: Option<String>) -> MessageRow {
    MessageRow {
        id: m.id.clone(),
        conversation_id: m.conversation_id.clone(),
        role: m.role.as_str().to_owned(),
        content: m.content.clone(),
        thinking: m.thinking.clone(),
        reply_to: m.reply_to.clone(),
        request_id,
        tier: m.route.as_ref().map(|r| tier_name(r.tier).to_owned()),
        layer: m.route.as_ref().map(|r| r.layer.clone()),
        model: m.route.as_ref().map(|r| r.model.clone()),
        via_cepo: m.route.as_ref().is_some_and(|r| r.via_cepo),
        language: m.language.as_ref().map(|l| l.code.clone()),
        tokens_in: m.usage.as_ref().map(|u| i64::from(u.tokens_in)),
        tokens_out: m.usage.as_ref().map(|u| i64::from(u.tokens_out)),
        cost_usd: m.usage.as_ref().map(|u| u.cost_usd),
        cost_zar: m.usage.as_ref().map(|u| u.cost_zar),
        usage_estimated: m.usage.as_ref().is_some_and(|u| u.estimated),
        first_token_ms: m.timing.as_ref().and_then(|t| t.first_token_ms).map(i64::from),
        total_ms: m.timing.as_ref().map(|t| i64::from(t.total_ms)),
        stopped: m.stopped,
        search_only: m.search_only,
        only_documents: m.only_documents,
        dropped_markers: i64::from(m.dropped_markers),
        error_code: m.error.as_ref().map(|e| e.code.clone()),
        error_message: m.error.as_ref().map(|e| e.message.clone()),
        created_at: m.created_at,
        updated_at: m.created_at,
        citations: m
            .citations
            .iter()
            .map(|c| CitationRow {
                marker: i64::from(c.marker),
                chunk_id: c.chunk_id,
                document_id: c.document_id.clone(),
                document_path: c.document_path.clone(),
                title: c.title.clone(),
                page: c.page.map(i64::from),
                heading: c.heading.clone(),
                snippet: c.snippet.clone(),
            })
            .collect(),
    }
}

/// Messages in reading order: each user message, then its answers; an
/// answer whose question is gone stays where it was written.
pub fn thread_order(messages: Vec<Message>) -> Vec<Message> {
    let users: std::collections::HashSet<String> =
        messages.iter().filter(|m| m.role == Role::User).map(|m| m.id.clone()).collect();
    let (answers, rest): (Vec<Message>, Vec<Message>) =
        messages.into_iter().partition(|m| m.reply_to.as_ref().is_some_and(|r| users.contains(r)));
    let mut out = Vec::with_capacity(answers.len() + rest.len());
    let mut answers: Vec<Option<Message>> = answers.into_iter().map(Some).collect();
    for m in rest {
        let id = (m.role == Role::User).then(|| m.id.clone());
        out.push(m);
        if let Some(id) = id {
            for slot in answers.iter_mut() {
                if slot.as_ref().is_some_and(|a| a.reply_to.as_deref() == Some(id.as_str())) {
                    out.extend(slot.take());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(id: &str, role: Role, reply_to: Option<&str>) -> Message {
        Message {
            id: id.into(),
            conversation_id: "c".into(),
            role,
            content: id.into(),
            thinking: None,
            created_at: 0,
            reply_to: reply_to.map(str::to_owned),
            route: None,
            language: None,
            usage: None,
            timing: None,
            citations: Vec::new(),
            stopped: false,
            search_only: false,
            only_documents: false,
            dropped_markers: 0,
            error: None,
        }
    }

    #[test]
    fn answers_follow_their_question_in_the_order_made() {
        let written = vec![
            m("u1", Role::User, None),
            m("a1", Role::Assistant, Some("u1")),
            m("u2", Role::User, None),
            m("a2", Role::Assistant, Some("u2")),
            m("a1b", Role::Assistant, Some("u1")),
            m("lost", Role::Assistant, Some("gone")),
        ];
        let ids: Vec<String> = thread_order(written).into_iter().map(|m| m.id).collect();
        assert_eq!(ids, ["u1", "a1", "a1b", "u2", "a2", "lost"]);
    }

    #[test]
    fn a_full_message_survives_the_row_round_trip() {
        let mut full = m("a", Role::Assistant, Some("u"));
        full.thinking = Some("hm".into());
        full.route = Some(RouteInfo {
            tier: crate::Tier::Jigga,
            layer: "big".into(),
            model: "x".into(),
            via_cepo: true,
        });
        full.language = language_info("zu");
        full.usage =
            Some(Usage { tokens_in: 5, tokens_out: 6, cost_usd: 0.25, cost_zar: 4.5, estimated: true });
        full.timing = Some(Timing { first_token_ms: Some(7), total_ms: 8 });
        full.citations = vec![Citation {
            marker: 1,
            chunk_id: 9,
            document_id: "d".into(),
            document_path: "/p".into(),
            title: "t".into(),
            page: Some(2),
            heading: Some("h".into()),
            snippet: "s".into(),
        }];
        full.stopped = true;
        full.search_only = true;
        full.only_documents = true;
        full.dropped_markers = 3;
        full.error = Some(ErrorInfo { code: "upstream".into(), message: "boom".into() });
        assert_eq!(message(&row(&full, Some("r".into()))), full);
        assert_eq!(full.language.as_ref().map(|l| l.name.as_str()), Some("isiZulu"));
        let user = m("u", Role::User, None);
        assert_eq!(message(&row(&user, None)), user);
    }
}
