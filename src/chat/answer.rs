//! Answering one stored user message: route the typed text, announce the
//! turn (`Started`), retrieve passages, then either answer from search
//! alone (no model configured), say the documents hold nothing (only my
//! documents, nothing found), or compose the prompt and stream the model —
//! thinking and answer separated, stop honoured at any point (dropping the
//! stream aborts the upstream call) — and store the answer with its
//! citations, usage, cost and timing. Never fails after `Started`: a
//! failure becomes a `TurnEvent::Error`, with the partial answer stored
//! when any text had arrived.

use std::time::Instant;

use futures_util::StreamExt;
use tokio::sync::watch;

use super::citations::resolve;
use super::compose::{ComposeInput, compose};
use super::records;
use super::seams::{ModelCall, ModelEvent, Retrieved};
use super::thinking::{Piece, Splitter};
use super::turn::Sink;
use super::types::{
    ErrorInfo, LanguageInfo, Message, Role, RouteInfo, Source, Timing, TurnEnd, TurnEvent, TurnOptions, Usage,
};
use super::usage::cost;
use super::{Chat, Running, dates};
use crate::error::{Error, Result};
use crate::router::{Enhancements, Lang, Layer, Override, Route, Router, Tier, UserText};
use crate::spawn::blocking;

/// What `Started` and a search-only answer say when no model is set.
pub const NO_MODEL_NOTICE: &str = "No model is set up: here are the best passages from your documents.";
const IMAGE_NOTICE: &str = "Image generation is not available here yet: answering in text.";
const NOTHING_IN_DOCUMENTS: &str =
    "Your documents do not contain anything about this, so I cannot answer it from them.";

/// One turn to answer.
pub(super) struct Turn<'a> {
    pub router: &'a Router,
    pub user: Message,
    pub request_id: String,
    pub options: TurnOptions,
    pub running: Running<'a>,
}

/// What came back from the model.
#[derive(Default)]
struct Streamed {
    splitter: Splitter,
    raw: String,
    usage: Option<(u32, u32)>,
    done: Option<(String, bool)>,
    first_token_ms: Option<u32>,
    stopped: bool,
    error: Option<Error>,
}

/// The layer's name as the router serializes it.
pub fn layer_name(layer: Layer) -> &'static str {
    match layer {
        Layer::FreeText => "free_text",
        Layer::Fast => "fast",
        Layer::Big => "big",
        Layer::Image => "image",
    }
}

/// The route for the typed text; an image route becomes the tier's text
/// route (with a notice) until image generation exists.
fn text_route(router: &Router, typed: &UserText, tier: Tier, mode: Override) -> (Route, Option<String>) {
    let route = router.route(typed, tier, mode);
    if route.layer != Layer::Image {
        return (route, None);
    }
    let c = router.config();
    let (layer, model, max_tokens) = match tier {
        Tier::Free => (Layer::FreeText, c.models.free.clone(), c.tokens.free),
        Tier::Jive | Tier::Jigga => (Layer::Fast, c.models.fast.clone(), c.tokens.fast),
    };
    let route = Route { layer, model, max_tokens, enhancements: Enhancements::for_tier(tier), ..route };
    (route, Some(IMAGE_NOTICE.to_owned()))
}

fn ms_since(t: Instant) -> u32 {
    u32::try_from(t.elapsed().as_millis()).unwrap_or(u32::MAX)
}

/// Round money to nano-units so a JSON export reads back to the same value.
fn round_money(v: f64) -> f64 {
    (v * 1e9).round() / 1e9
}

/// Resolve when the stop switch is on (never, if its sender is gone).
async fn stopped(rx: &mut watch::Receiver<bool>) {
    loop {
        if *rx.borrow_and_update() {
            return;
        }
        if rx.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// The search-only answer: a line that no model is set, then the passages.
fn search_only_text(sources: &[Source]) -> String {
    if sources.is_empty() {
        return "No model is set up, and your documents have nothing that matches this question. Add documents, \
                or set up a model in Settings to get written answers."
            .to_owned();
    }
    let mut text = String::from("No model is set up, so here are the best passages from your documents:");
    for (i, s) in sources.iter().enumerate() {
        let page = s.page.map(|p| format!(", page {p}")).unwrap_or_default();
        let snippet = s.snippet.split_whitespace().collect::<Vec<_>>().join(" ");
        text.push_str(&format!("\n\n[{}] **{}**{page}: {snippet}", i + 1, s.title));
    }
    text
}

impl Chat {
    pub(super) async fn answer(&self, turn: Turn<'_>, sink: Sink<'_>) -> TurnEnd {
        let clock = Instant::now();
        let Turn { router, user, request_id, options, mut running } = turn;
        let tier = options.tier.unwrap_or(router.config().plan);
        let only_documents = options.only_documents.unwrap_or(self.config.only_documents);
        // The router sees what the user typed, and nothing else.
        let typed = UserText::typed(user.content.clone());
        let (route, mut notice) = text_route(router, &typed, tier, options.mode);
        let search_only = !self.model.is_configured();
        if search_only {
            notice = Some(NO_MODEL_NOTICE.to_owned());
        }
        let guess = &route.language;
        let language = (guess.is_confident() && guess.lang != Lang::En)
            .then(|| LanguageInfo { code: guess.lang.code().to_owned(), name: guess.lang.name().to_owned() });
        let route_info = RouteInfo {
            tier,
            layer: layer_name(route.layer).to_owned(),
            model: route.model.clone(),
            via_cepo: false,
        };
        let mut draft = Message {
            id: crate::id::new_id(),
            conversation_id: user.conversation_id.clone(),
            role: Role::Assistant,
            content: String::new(),
            thinking: None,
            created_at: 0,
            reply_to: Some(user.id.clone()),
            route: (!search_only).then(|| route_info.clone()),
            language: language.clone(),
            usage: None,
            timing: None,
            citations: Vec::new(),
            stopped: false,
            search_only,
            only_documents,
            dropped_markers: 0,
            error: None,
        };
        sink(TurnEvent::Started {
            request_id: request_id.clone(),
            user_message: user.clone(),
            assistant_message_id: draft.id.clone(),
            route: draft.route.clone(),
            language,
            search_only,
            notice,
        });

        sink(TurnEvent::Progress { note: "Searching your documents…".to_owned() });
        let budget = self.config.budget.of(tier);
        let limit = if search_only { self.config.search_only_passages } else { self.config.max_passages };
        let retrieved = {
            let docs = self.docs.clone();
            let (query, conversation) = (user.content.clone(), user.conversation_id.clone());
            blocking(move || docs.retrieve(&query, &conversation, limit, budget.documents as usize)).await
        };
        let retrieved = match retrieved {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!(error = %e, "retrieval failed; answering without documents");
                let note =
                    format!("Searching your documents failed ({}); answering without them.", e.message());
                sink(TurnEvent::Progress { note });
                Retrieved::default()
            }
        };
        if let Some(note) = retrieved.notice {
            sink(TurnEvent::Progress { note });
        }

        if search_only || (only_documents && retrieved.sources.is_empty()) {
            draft.content = if search_only {
                search_only_text(&retrieved.sources)
            } else {
                NOTHING_IN_DOCUMENTS.to_owned()
            };
            if search_only {
                draft.citations =
                    retrieved.sources.iter().enumerate().map(|(i, s)| s.citation(i as u32 + 1)).collect();
            }
            draft.route = None;
            draft.timing = Some(Timing { first_token_ms: None, total_ms: ms_since(clock) });
            sink(TurnEvent::Delta { text: draft.content.clone() });
            return self.finish(draft, &request_id, &user, None, sink).await;
        }

        let history = match self.history_before(&user).await {
            Ok(h) => h,
            Err(e) => return fail(sink, e, None),
        };
        let count = |t: &str| self.model.count_tokens(t);
        let composed = compose(
            ComposeInput {
                route: &route,
                typed: &typed,
                only_documents,
                candidates: retrieved.sources,
                history: &history,
                budget,
                max_passages: self.config.max_passages,
            },
            &count,
        );
        if !composed.sources.is_empty() {
            let n = composed.sources.len();
            let note = format!("Found {n} passage{} in your documents.", if n == 1 { "" } else { "s" });
            sink(TurnEvent::Progress { note });
        }
        if composed.cepo.is_some() && self.model.cepo_enabled() {
            let note = "Thinking it through with CePO: the answer arrives in one piece.".to_owned();
            sink(TurnEvent::Progress { note });
        }
        let call = ModelCall {
            request_id: request_id.clone(),
            tier,
            model: route.model.clone(),
            max_tokens: route.max_tokens,
            temperature: route.temperature,
            top_p: route.top_p,
            direct: composed.direct,
            cepo: composed.cepo,
        };
        let out = self.stream(call, &mut running.stop, clock, sink).await;

        let answer = out.splitter.answer().trim_end();
        let resolved = resolve(answer, &composed.sources);
        draft.content = resolved.content;
        draft.citations = resolved.citations;
        draft.dropped_markers = resolved.dropped;
        let thinking = out.splitter.thinking().trim();
        draft.thinking = (!thinking.is_empty()).then(|| thinking.to_owned());
        draft.stopped = out.stopped;
        if let Some((model, via_cepo)) = out.done {
            draft.route = Some(RouteInfo { model, via_cepo, ..route_info });
        }
        draft.timing = Some(Timing { first_token_ms: out.first_token_ms, total_ms: ms_since(clock) });
        if let Some(e) = out.error {
            if out.raw.is_empty() {
                return fail(sink, e, None);
            }
            draft.error = Some(ErrorInfo::from(&e));
        }
        let (tokens_in, tokens_out, estimated) = match out.usage {
            Some((i, o)) => (i, o, false),
            None => (composed.prompt_tokens, count(&out.raw), true),
        };
        let (usd, zar) =
            cost(self.config.prices.for_layer(route.layer), tokens_in, tokens_out, self.config.usd_to_zar);
        draft.usage = Some(Usage {
            tokens_in,
            tokens_out,
            cost_usd: round_money(usd),
            cost_zar: round_money(zar),
            estimated,
        });
        let error = draft.error.clone();
        self.finish(draft, &request_id, &user, error, sink).await
    }

    /// Call the model and forward its text until it ends, fails or is stopped.
    async fn stream(
        &self,
        call: ModelCall,
        stop: &mut watch::Receiver<bool>,
        clock: Instant,
        sink: Sink<'_>,
    ) -> Streamed {
        let mut out = Streamed::default();
        let start = self.model.stream(call);
        let mut stream = tokio::select! {
            biased;
            () = stopped(stop) => {
                out.stopped = true;
                return out;
            }
            s = start => match s {
                Ok(s) => s,
                Err(e) => {
                    out.error = Some(e);
                    return out;
                }
            },
        };
        loop {
            tokio::select! {
                biased;
                () = stopped(stop) => {
                    out.stopped = true;
                    break;
                }
                item = stream.next() => match item {
                    None => break,
                    Some(Ok(ModelEvent::Delta(text))) => {
                        if out.first_token_ms.is_none() && !text.is_empty() {
                            out.first_token_ms = Some(ms_since(clock));
                        }
                        out.raw.push_str(&text);
                        for piece in out.splitter.push(&text) {
                            sink(piece_event(piece));
                        }
                    }
                    Some(Ok(ModelEvent::Usage { input, output })) => out.usage = Some((input, output)),
                    Some(Ok(ModelEvent::Done { model, via_cepo })) => out.done = Some((model, via_cepo)),
                    Some(Err(e)) => {
                        out.error = Some(e);
                        break;
                    }
                },
            }
        }
        // Dropping the stream aborts the upstream call (stop).
        drop(stream);
        for piece in out.splitter.finish() {
            sink(piece_event(piece));
        }
        out
    }

    /// Earlier messages of the conversation, oldest first: each question
    /// with its latest non-empty answer.
    async fn history_before(&self, user: &Message) -> Result<Vec<(Role, String)>> {
        let store = self.store.clone();
        let conversation = user.conversation_id.clone();
        let rows = blocking(move || store.messages(&conversation)).await?;
        let ordered = records::thread_order(rows.iter().map(records::message).collect());
        let mut history = Vec::new();
        let mut answer: Option<String> = None;
        for m in ordered {
            if m.role == Role::User {
                history.extend(answer.take().map(|a| (Role::Assistant, a)));
                if m.id == user.id {
                    return Ok(history);
                }
                history.push((Role::User, m.content));
            } else if !m.content.trim().is_empty() {
                answer = Some(m.content);
            }
        }
        history.extend(answer.map(|a| (Role::Assistant, a)));
        Ok(history)
    }

    /// Store the answer, title the conversation from its first exchange,
    /// and send the terminal event.
    async fn finish(
        &self,
        mut draft: Message,
        request_id: &str,
        user: &Message,
        error: Option<ErrorInfo>,
        sink: Sink<'_>,
    ) -> TurnEnd {
        draft.created_at = dates::now_ms();
        let row = records::row(&draft, Some(request_id.to_owned()));
        let store = self.store.clone();
        let title = title_from(&user.content);
        let stored = blocking(move || {
            store.insert_answer(&row, &title)?;
            Ok(records::message(&row))
        })
        .await;
        match (stored, error) {
            (Ok(message), None) => {
                sink(TurnEvent::Done { message: message.clone() });
                TurnEnd::Done(message)
            }
            (Ok(message), Some(error)) => {
                sink(TurnEvent::Error { error: error.clone(), partial: Some(message.clone()) });
                TurnEnd::Failed { error, partial: Some(message) }
            }
            (Err(e), _) => fail(sink, e, None),
        }
    }
}

fn piece_event(piece: Piece) -> TurnEvent {
    match piece {
        Piece::Answer(text) => TurnEvent::Delta { text },
        Piece::Thinking(text) => TurnEvent::Thinking { text },
    }
}

fn fail(sink: Sink<'_>, e: Error, partial: Option<Message>) -> TurnEnd {
    let error = ErrorInfo::from(&e);
    sink(TurnEvent::Error { error: error.clone(), partial: partial.clone() });
    TurnEnd::Failed { error, partial }
}

/// A title from the first question: its first line, at most 60 characters,
/// cut at a word.
pub fn title_from(text: &str) -> String {
    const MAX: usize = 60;
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let words: Vec<&str> = line.split_whitespace().collect();
    let mut title = String::new();
    for w in words {
        // One character stays free for the ellipsis.
        if title.chars().count() + w.chars().count() + 1 > MAX - 1 {
            if title.is_empty() {
                title = w.chars().take(MAX - 1).collect();
            }
            title.push('…');
            break;
        }
        if !title.is_empty() {
            title.push(' ');
        }
        title.push_str(w);
    }
    if title.is_empty() { "New chat".to_owned() } else { title }
}
