//! The prompt of one turn, within the tier's token budget: the router's
//! system prompt (persona, language, formal report, local enhancements)
//! plus the chat's document instructions; then as much history as fits,
//! newest kept first; then the user's message with the numbered passages
//! before it. Two lists are built: `direct` with the local enhancements and
//! `cepo` without them (None when the route may not use CePO), so the
//! gateway applies the enhancements exactly once.
//!
//! Budget (see [`super::config::TierBudget`]): the response reserve is the
//! route's `max_tokens` capped at the tier's `response`; the system prompt
//! and the user's message are kept whole; passages take at most
//! `documents` (in rank order, a passage too big is skipped, never cut);
//! history takes what is left. Passages go into the prompt only — the
//! router classified the typed text before any of this ran.

use super::citations::strip_markers;
use super::config::TierBudget;
use super::types::{Role, Source};
use crate::router::{Route, UserText, prompt};

/// Who says a prompt message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptRole {
    System,
    User,
    Assistant,
}

/// One message of the prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PromptMessage {
    pub role: PromptRole,
    pub content: String,
}

impl PromptMessage {
    fn new(role: PromptRole, content: String) -> PromptMessage {
        PromptMessage { role, content }
    }
}

const CITE: &str = "\
Documents: the user's message may begin with numbered passages from the user's own documents. Use them \
where they help, and cite every passage you use with its number in square brackets right after the \
statement it supports, like [1] or [2][3]. Cite only numbers that are listed; never invent a citation. \
If the passages do not cover the question, say so and answer from general knowledge.";

const ONLY_DOCUMENTS: &str = "\
Documents only: answer only from the numbered passages at the start of the user's message; do not use \
outside knowledge. Cite every passage you use with its number in square brackets, like [1]. If the \
passages do not contain the answer, say plainly that the user's documents do not say, and do not guess.";

/// What goes into one turn's prompt.
#[derive(Debug, Clone)]
pub struct ComposeInput<'a> {
    pub route: &'a Route,
    pub typed: &'a UserText,
    pub only_documents: bool,
    /// Retrieved passages, best first.
    pub candidates: Vec<Source>,
    /// Earlier messages, oldest first.
    pub history: &'a [(Role, String)],
    pub budget: TierBudget,
    pub max_passages: usize,
}

/// The prompt, ready for the model.
#[derive(Debug, Clone, PartialEq)]
pub struct Composed {
    /// With the local enhancements.
    pub direct: Vec<PromptMessage>,
    /// Without them; None keeps CePO out.
    pub cepo: Option<Vec<PromptMessage>>,
    /// The passages in the prompt; marker n is `sources[n - 1]`.
    pub sources: Vec<Source>,
    /// History messages kept.
    pub history_used: usize,
    /// Tokens of the direct prompt (estimate).
    pub prompt_tokens: u32,
}

/// A passage as the prompt shows it.
fn passage_block(n: usize, s: &Source) -> String {
    let mut head = format!("[{n}] {}", s.title);
    if let Some(p) = s.page {
        head.push_str(&format!(" (page {p})"));
    }
    if !s.heading.is_empty() {
        head.push_str(&format!(" — {}", s.heading));
    }
    format!("{head}\n{}", s.text.trim())
}

fn system_text(route: &Route, via_cepo: bool, only_documents: bool, with_passages: bool) -> String {
    let mut system = prompt::system_prompt_for(route, &route.language, via_cepo);
    if only_documents {
        system.push_str("\n\n");
        system.push_str(ONLY_DOCUMENTS);
    } else if with_passages {
        system.push_str("\n\n");
        system.push_str(CITE);
    }
    system
}

fn user_text(blocks: &[String], question: String) -> String {
    if blocks.is_empty() {
        return question;
    }
    format!("Passages:\n\n{}\n\nMessage:\n{question}", blocks.join("\n\n"))
}

/// Build the prompt; `count` counts tokens.
pub fn compose(input: ComposeInput<'_>, count: &dyn Fn(&str) -> u32) -> Composed {
    let ComposeInput { route, typed, only_documents, candidates, history, budget, max_passages } = input;
    let with_candidates = !candidates.is_empty();
    let system = system_text(route, false, only_documents, with_candidates);
    let question = prompt::user_message(typed, route, false);
    let reserve = route.max_tokens.min(budget.response);
    let mut room =
        budget.total.saturating_sub(reserve).saturating_sub(count(&system)).saturating_sub(count(&question));

    let mut documents_room = budget.documents.min(room);
    let mut sources = Vec::new();
    let mut blocks = Vec::new();
    for source in candidates {
        if sources.len() >= max_passages {
            break;
        }
        let block = passage_block(sources.len() + 1, &source);
        let cost = count(&block) + 2;
        if cost <= documents_room {
            documents_room -= cost;
            room -= cost;
            blocks.push(block);
            sources.push(source);
        }
    }
    // The cite instruction only when passages made it in.
    let system = if with_candidates && sources.is_empty() && !only_documents {
        system_text(route, false, only_documents, false)
    } else {
        system
    };

    let mut kept = Vec::new();
    for (role, text) in history.iter().rev() {
        let content = match role {
            Role::User => text.trim().to_owned(),
            Role::Assistant => strip_markers(text),
        };
        if content.is_empty() {
            continue;
        }
        let cost = count(&content) + 4;
        if cost > room {
            break;
        }
        room -= cost;
        let role = if *role == Role::User { PromptRole::User } else { PromptRole::Assistant };
        kept.push(PromptMessage::new(role, content));
    }
    kept.reverse();
    let history_used = kept.len();

    let build = |system: String, question: String| {
        let mut messages = Vec::with_capacity(kept.len() + 2);
        messages.push(PromptMessage::new(PromptRole::System, system));
        messages.extend(kept.iter().cloned());
        messages.push(PromptMessage::new(PromptRole::User, user_text(&blocks, question)));
        messages
    };
    let direct = build(system, question);
    let cepo = route.cepo_eligible().then(|| {
        let system = system_text(route, true, only_documents, !sources.is_empty());
        build(system, prompt::user_message(typed, route, true))
    });
    let prompt_tokens = direct.iter().map(|m| count(&m.content) + 4).sum();
    Composed { direct, cepo, sources, history_used, prompt_tokens }
}

#[cfg(test)]
#[path = "compose_tests.rs"]
mod tests;
