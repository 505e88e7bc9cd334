//! The three ways a turn starts — send a message, regenerate an answer,
//! edit a user message and answer again — and what they share: checking
//! the text, registering the request id (a duplicate while it runs is
//! `Busy`), and replaying a request that was already answered (the stored
//! answer is sent again as `Started` + `Done`; the model is not called).
//! Everything before `Started` that fails is returned as an error, so a
//! shell can reject the command and give the typed text back; after
//! `Started`, failures arrive as a `TurnEvent::Error`.

use super::answer::Turn;
use super::records;
use super::types::{Message, Role, SendRequest, TurnEnd, TurnEvent, TurnOptions};
use super::{Chat, Running, dates};
use crate::error::{Error, Result};
use crate::router::Router;
use crate::spawn::blocking;
use crate::store::MessageRow;

/// Where a turn's events go.
pub type Sink<'a> = &'a mut (dyn FnMut(TurnEvent) + Send);

/// Longest message accepted, in characters.
pub const MAX_TEXT_CHARS: usize = 100_000;

/// The text to store: trimmed, not empty, not absurdly long.
fn check_text(text: &str) -> Result<String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::invalid("the message is empty"));
    }
    let chars = text.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(Error::invalid(format!(
            "the message has {chars} characters; the most is {MAX_TEXT_CHARS} (attach long text as a document instead)"
        )));
    }
    Ok(text.to_owned())
}

impl Chat {
    /// Send `req.text` (into a new conversation when `req.conversation_id`
    /// is None) and answer it.
    pub async fn send(&self, router: &Router, req: SendRequest, sink: Sink<'_>) -> Result<TurnEnd> {
        let text = check_text(&req.text)?;
        let running = self.register(&req.request_id)?;
        if let Some(end) = self.replay(&req.request_id, sink).await? {
            return Ok(end);
        }
        let store = self.store.clone();
        let request_id = req.request_id.clone();
        let wanted = req.conversation_id.clone();
        let user = blocking(move || {
            // The question was stored but never answered (a crash, a failed
            // call): answer the stored one instead of storing it twice.
            if let Some(u) = store.message_by_request(&request_id, Role::User.as_str())? {
                if wanted.as_ref().is_some_and(|w| *w != u.conversation_id) {
                    return Err(Error::invalid(format!(
                        "request {request_id} belongs to another conversation"
                    )));
                }
                return Ok(u);
            }
            let now = dates::now_ms();
            let mut row = MessageRow {
                id: crate::id::new_id(),
                conversation_id: String::new(),
                role: Role::User.as_str().to_owned(),
                content: text,
                request_id: Some(request_id),
                created_at: now,
                updated_at: now,
                ..MessageRow::default()
            };
            match wanted {
                Some(id) => {
                    row.conversation_id = id;
                    store.insert_message(&row)?;
                }
                None => {
                    row.conversation_id = crate::id::new_id();
                    store.insert_first_message(&row)?;
                }
            }
            Ok(row)
        })
        .await?;
        self.run(router, records::message(&user), req.request_id, req.options, running, sink).await
    }

    /// Answer again: `message_id` is an answer (a new alternative to it is
    /// made; the old one stays) or a user message (answered afresh).
    pub async fn regenerate(
        &self,
        router: &Router,
        message_id: &str,
        request_id: String,
        options: TurnOptions,
        sink: Sink<'_>,
    ) -> Result<TurnEnd> {
        let running = self.register(&request_id)?;
        if let Some(end) = self.replay(&request_id, sink).await? {
            return Ok(end);
        }
        let store = self.store.clone();
        let id = message_id.to_owned();
        let user = blocking(move || {
            let m = store.message(&id)?.ok_or_else(|| Error::not_found(format!("no message {id}")))?;
            if m.role == Role::User.as_str() {
                return Ok(m);
            }
            let question = match &m.reply_to {
                Some(q) => store.message(q)?,
                None => None,
            };
            question.ok_or_else(|| Error::invalid(format!("answer {id} has no question to answer again")))
        })
        .await?;
        self.run(router, records::message(&user), request_id, options, running, sink).await
    }

    /// Replace a user message's text, drop everything after it, and answer
    /// the new text.
    pub async fn edit_and_resend(
        &self,
        router: &Router,
        message_id: &str,
        text: &str,
        request_id: String,
        options: TurnOptions,
        sink: Sink<'_>,
    ) -> Result<TurnEnd> {
        let text = check_text(text)?;
        let running = self.register(&request_id)?;
        if let Some(end) = self.replay(&request_id, sink).await? {
            return Ok(end);
        }
        let store = self.store.clone();
        let search = self.messages.clone();
        let id = message_id.to_owned();
        let user = blocking(move || {
            let dropped = store.edit_user_message(&id, &text, dates::now_ms())?;
            search.forget(&dropped)?;
            store.message(&id)?.ok_or_else(|| Error::not_found(format!("no message {id}")))
        })
        .await?;
        self.run(router, records::message(&user), request_id, options, running, sink).await
    }

    async fn run(
        &self,
        router: &Router,
        user: Message,
        request_id: String,
        options: TurnOptions,
        running: Running<'_>,
        sink: Sink<'_>,
    ) -> Result<TurnEnd> {
        Ok(self.answer(Turn { router, user, request_id, options, running }, sink).await)
    }

    /// Send the stored answer of `request_id` again, if there is one.
    async fn replay(&self, request_id: &str, sink: Sink<'_>) -> Result<Option<TurnEnd>> {
        let store = self.store.clone();
        let rid = request_id.to_owned();
        let found = blocking(move || {
            let Some(answer) = store.message_by_request(&rid, Role::Assistant.as_str())? else {
                return Ok(None);
            };
            let question = match &answer.reply_to {
                Some(q) => store.message(q)?,
                None => None,
            };
            Ok(question.map(|q| (q, answer)))
        })
        .await?;
        let Some((question, answer)) = found else { return Ok(None) };
        let (question, answer) = (records::message(&question), records::message(&answer));
        sink(TurnEvent::Started {
            request_id: request_id.to_owned(),
            user_message: question,
            assistant_message_id: answer.id.clone(),
            route: answer.route.clone(),
            language: answer.language.clone(),
            search_only: answer.search_only,
            notice: Some("This request was answered already: here is the stored answer.".to_owned()),
        });
        let end = match answer.error.clone() {
            Some(error) => {
                sink(TurnEvent::Error { error: error.clone(), partial: Some(answer.clone()) });
                TurnEnd::Failed { error, partial: Some(answer) }
            }
            None => {
                sink(TurnEvent::Done { message: answer.clone() });
                TurnEnd::Done(answer)
            }
        };
        Ok(Some(end))
    }
}
