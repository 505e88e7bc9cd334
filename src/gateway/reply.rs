//! What the gateway answers: a [`ChatStream`] of [`StreamEvent`]s (text
//! deltas, usage, one final `Done`), or a whole [`Completion`]. An error
//! after the first delta carries the text received so far as an
//! [`Interrupted`] source (see [`partial_text`]).

use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::Stream;
use serde::{Deserialize, Serialize};

use super::flight::Reader;
use super::provider::ProviderKind;
use crate::error::{Error, Result};

/// Cerebras' `time_info` (seconds), when the provider sends it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TimeInfo {
    pub queue_time: Option<f64>,
    pub prompt_time: Option<f64>,
    pub completion_time: Option<f64>,
    pub total_time: Option<f64>,
}

/// Tokens in and out of one call.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    pub input_tokens: u32,
    pub output_tokens: u32,
    pub time_info: Option<TimeInfo>,
}

/// One event of a streamed answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum StreamEvent {
    /// More answer text.
    Delta(String),
    /// Token counts (usually once, near the end).
    Usage(Usage),
    /// The answer is complete; always the last event.
    Done {
        finish_reason: Option<String>,
        /// Who answered.
        provider: ProviderKind,
        /// The model id sent upstream.
        model: String,
        /// Whether CePO answered (so the local enhancements were not used).
        via_cepo: bool,
    },
}

/// A whole answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Completion {
    pub text: String,
    pub usage: Option<Usage>,
    pub finish_reason: Option<String>,
    pub provider: ProviderKind,
    pub model: String,
    pub via_cepo: bool,
}

impl Completion {
    /// The events a stream of this completion carries.
    pub(crate) fn into_events(self) -> Vec<StreamEvent> {
        let mut events = Vec::with_capacity(3);
        if !self.text.is_empty() {
            events.push(StreamEvent::Delta(self.text));
        }
        if let Some(u) = self.usage {
            events.push(StreamEvent::Usage(u));
        }
        events.push(StreamEvent::Done {
            finish_reason: self.finish_reason,
            provider: self.provider,
            model: self.model,
            via_cepo: self.via_cepo,
        });
        events
    }

    /// Fold events back into a completion (`None` without a `Done`).
    pub(crate) fn from_events(events: &[StreamEvent]) -> Option<Completion> {
        let mut text = String::new();
        let mut usage = None;
        for e in events {
            match e {
                StreamEvent::Delta(d) => text.push_str(d),
                StreamEvent::Usage(u) => usage = Some(u.clone()),
                StreamEvent::Done { finish_reason, provider, model, via_cepo } => {
                    return Some(Completion {
                        text,
                        usage,
                        finish_reason: finish_reason.clone(),
                        provider: *provider,
                        model: model.clone(),
                        via_cepo: *via_cepo,
                    });
                }
            }
        }
        None
    }
}

/// The source of an error that ended a stream after text had been sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interrupted {
    /// The text received before the error.
    pub partial: String,
}

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the answer broke off after {} characters", self.partial.chars().count())
    }
}

impl std::error::Error for Interrupted {}

/// The text that had arrived before `err` ended a stream, if any had.
pub fn partial_text(err: &Error) -> Option<&str> {
    let source = std::error::Error::source(err)?;
    source.downcast_ref::<Interrupted>().map(|i| i.partial.as_str())
}

/// A streamed answer. Dropping it (the user pressed stop) aborts the
/// upstream call unless an identical request still listens.
pub struct ChatStream {
    inner: Reader,
}

impl std::fmt::Debug for ChatStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChatStream")
    }
}

impl ChatStream {
    pub(crate) fn new(inner: Reader) -> ChatStream {
        ChatStream { inner }
    }

    /// The next event; `None` after `Done` or an error.
    pub async fn next(&mut self) -> Option<Result<StreamEvent>> {
        futures_util::StreamExt::next(&mut self.inner).await
    }

    /// Read to the end into a [`Completion`].
    pub async fn collect(mut self) -> Result<Completion> {
        let mut events = Vec::new();
        while let Some(event) = self.next().await {
            events.push(event?);
        }
        Completion::from_events(&events).ok_or_else(|| Error::internal("the stream ended without Done"))
    }
}

impl Stream for ChatStream {
    type Item = Result<StreamEvent>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.inner).poll_next(cx)
    }
}
