//! One attempt against one provider with one key: send the request, turn an
//! error status into a [`Failure`] (with how long it asked us to wait), and
//! for a stream read SSE events up to the first token. The attempt ends
//! there: what follows belongs to the caller, so nothing after the first
//! token is ever retried. Then [`next_events`] reads the rest, chunk by
//! chunk (decoding: `wire`).

use std::future::poll_fn;
use std::pin::Pin;
use std::task::Poll;
use std::time::Duration;

use bytes::Bytes;
use futures_util::Stream;
use reqwest::header::{CONTENT_TYPE, HeaderValue};
use serde_json::Value;
use tokio::time::{Instant, Sleep};

use super::keys::{Lease, wait_from_headers};
use super::provider::Provider;
use super::reply::{Completion, StreamEvent};
use super::retry::{Failure, FailureKind};
use super::sse::Sse;
use super::wire::{Decoder, whole};

/// A limit too large to represent: about 30 years, i.e. no limit.
const FOREVER: Duration = Duration::from_secs(86_400 * 365 * 30);

/// A response body, the SSE events read from it so far, and the timer that
/// bounds each wait for more bytes.
pub(crate) struct Events {
    body: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>,
    sse: Sse,
    /// Armed once and moved only when it fires early (below): a fresh
    /// timeout per chunk would insert into and remove from tokio's timer
    /// wheel for every chunk of every answer.
    timer: Pin<Box<Sleep>>,
}

impl Events {
    fn new(body: impl Stream<Item = reqwest::Result<Bytes>> + Send + 'static, limit: Duration) -> Events {
        let timer = Box::pin(tokio::time::sleep(limit));
        Events { body: Box::pin(body), sse: Sse::default(), timer }
    }

    /// The next piece of the body, or `Err(())` when nothing came for `limit`.
    async fn read(&mut self, limit: Duration) -> Result<Option<reqwest::Result<Bytes>>, ()> {
        let now = Instant::now();
        let deadline = now.checked_add(limit).unwrap_or(now + FOREVER);
        if self.timer.deadline() > deadline {
            self.timer.as_mut().reset(deadline);
        }
        poll_fn(|cx| {
            if let Poll::Ready(piece) = self.body.as_mut().poll_next(cx) {
                return Poll::Ready(Ok(piece));
            }
            // The timer fired. At this wait's deadline that is a timeout; at
            // an earlier wait's (bytes came since), it is moved on to this
            // one: the only time it moves forward.
            while self.timer.as_mut().poll(cx).is_ready() {
                if self.timer.deadline() >= deadline {
                    return Poll::Ready(Err(()));
                }
                self.timer.as_mut().reset(deadline);
            }
            Poll::Pending
        })
        .await
    }
}

/// A successful attempt.
pub(crate) enum Opened {
    /// Events up to and including the first token, and the rest of the stream.
    Stream { head: Vec<StreamEvent>, rest: Events, decoder: Decoder },
    /// A whole (non-streamed) answer.
    Whole(Completion),
}

/// Limits of one attempt.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timeouts {
    pub(crate) first_byte: Duration,
    pub(crate) idle: Duration,
}

fn transport(err: &reqwest::Error, key: &str, what: &str) -> Failure {
    let kind = if err.is_connect() {
        FailureKind::Connect
    } else if err.is_timeout() {
        FailureKind::Timeout
    } else {
        FailureKind::Broken
    };
    // reqwest's message names the URL, never headers, so no key leaks here.
    Failure::new(kind, key, format!("{what}: {err}"))
}

fn redact(text: &str, lease: &Lease) -> String {
    match &lease.secret {
        Some(s) if !s.expose().is_empty() => text.replace(s.expose(), "***"),
        _ => text.to_owned(),
    }
}

/// Send one request; for a stream, read up to the first token.
pub(crate) async fn attempt(
    provider: &Provider,
    url: &str,
    lease: &Lease,
    request_id: &str,
    body: &Bytes,
    stream: bool,
    t: Timeouts,
) -> Result<Opened, Failure> {
    let name = provider.kind.name();
    let client =
        provider.client().map_err(|e| Failure::new(FailureKind::NotConfigured, &lease.name, e.message()))?;
    let mut req = client
        .post(url)
        .header("x-request-id", request_id)
        .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
        .body(body.clone());
    if let Some(secret) = &lease.secret {
        req = req.bearer_auth(secret.expose());
    }
    if stream {
        req = req.header("accept", "text/event-stream");
    }
    let resp = match tokio::time::timeout(t.first_byte, req.send()).await {
        Err(_) => {
            return Err(Failure::new(
                FailureKind::Timeout,
                &lease.name,
                format!("{name} did not answer within {:?}", t.first_byte),
            ));
        }
        Ok(Err(e)) => return Err(transport(&e, &lease.name, &format!("calling {name}"))),
        Ok(Ok(r)) => r,
    };
    let status = resp.status();
    if !status.is_success() {
        let wait = wait_from_headers(resp.headers());
        let text =
            tokio::time::timeout(t.idle, resp.text()).await.ok().and_then(Result::ok).unwrap_or_default();
        let detail = serde_json::from_str::<Value>(&text)
            .ok()
            .and_then(|v| v["error"]["message"].as_str().map(str::to_owned))
            .unwrap_or_else(|| text.chars().take(200).collect());
        let mut f = Failure::new(
            FailureKind::Status(status.as_u16()),
            &lease.name,
            redact(&format!("{name} answered {status} (key {}): {detail}", lease.name), lease),
        );
        f.retry_after = wait;
        return Err(f);
    }
    if !stream {
        let bytes = match tokio::time::timeout(t.first_byte, resp.bytes()).await {
            Err(_) => {
                return Err(Failure::new(
                    FailureKind::Timeout,
                    &lease.name,
                    format!("{name}: the answer stalled"),
                ));
            }
            Ok(Err(e)) => return Err(transport(&e, &lease.name, &format!("reading {name}'s answer"))),
            Ok(Ok(b)) => b,
        };
        let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
            Failure::new(
                FailureKind::Malformed,
                &lease.name,
                format!("{name} sent an answer that is not JSON: {e}"),
            )
        })?;
        return whole(provider.kind, &value)
            .map(Opened::Whole)
            .map_err(|m| Failure::new(FailureKind::Malformed, &lease.name, m));
    }
    let mut rest = Events::new(resp.bytes_stream(), t.first_byte);
    let mut decoder = Decoder::default();
    let mut head = Vec::new();
    loop {
        let seen = head.len();
        match next_events(&mut rest, &mut decoder, t.first_byte, name, &mut head).await {
            Err(mut f) => {
                f.key_name.clone_from(&lease.name);
                return Err(f);
            }
            Ok(false) => return Ok(Opened::Stream { head, rest, decoder }),
            Ok(true) => {
                let first_token = head[seen..].iter().any(|e| matches!(e, StreamEvent::Delta(_)));
                if first_token || decoder.done {
                    return Ok(Opened::Stream { head, rest, decoder });
                }
            }
        }
    }
}

/// Decode the next SSE event into `out`, reading the body (each read within
/// `limit`) only when no whole event is buffered: `Ok(false)` at the end of
/// the body.
pub(crate) async fn next_events(
    events: &mut Events,
    decoder: &mut Decoder,
    limit: Duration,
    name: &str,
    out: &mut Vec<StreamEvent>,
) -> Result<bool, Failure> {
    if decoder.done {
        return Ok(false);
    }
    loop {
        match events.sse.next_data() {
            Some(Ok(data)) => {
                return decoder
                    .decode(data, out)
                    .map(|()| true)
                    .map_err(|(kind, m)| Failure::new(kind, "", m));
            }
            Some(Err(e)) => {
                let m = format!("{name} sent a malformed stream: {e}");
                return Err(Failure::new(FailureKind::Malformed, "", m));
            }
            None => {}
        }
        match events.read(limit).await {
            Err(()) => {
                let m = format!("{name} sent nothing for {limit:?}");
                return Err(Failure::new(FailureKind::Timeout, "", m));
            }
            Ok(None) if decoder.finish_reason.is_some() => return Ok(false),
            Ok(None) => {
                let m = format!("{name} ended the stream before it was complete");
                return Err(Failure::new(FailureKind::Broken, "", m));
            }
            Ok(Some(Err(e))) => return Err(transport(&e, "", &format!("{name}'s stream broke"))),
            Ok(Some(Ok(bytes))) => events.sse.feed(&bytes),
        }
    }
}
