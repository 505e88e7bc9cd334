//! Building the mock's answers: OpenAI-style error bodies, whole JSON
//! completions, and SSE bodies produced lazily step by step (so a slow drip
//! or a hang costs nothing until polled). A [`Guard`] travels with each
//! answer and counts a disconnect when it is dropped before the end.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::Response;
use hyper::body::Frame;
use serde_json::{Value, json};

use crate::State;
use crate::script::{Script, filler, word_chunks};

/// The body type of every mock response.
pub type Body = BoxBody<Bytes, BodyError>;
type BodyError = Box<dyn std::error::Error + Send + Sync>;

/// Counts a disconnect when dropped before [`Guard::finish`].
#[derive(Debug)]
pub(crate) struct Guard {
    state: Arc<State>,
    done: bool,
}

impl Guard {
    pub(crate) fn new(state: Arc<State>) -> Guard {
        Guard { state, done: false }
    }
    /// A second guard for the body; the caller's one is settled separately.
    pub(crate) fn clone_for_body(&self) -> Guard {
        Guard::new(Arc::clone(&self.state))
    }
    /// The response reached its end (or ended as scripted).
    pub(crate) fn finish(mut self) {
        self.done = true;
        self.state.completed.fetch_add(1, Ordering::SeqCst);
        self.state.changed.notify_waiters();
    }
    /// The headers went out; the body's guard watches from here on.
    pub(crate) fn handed_over(mut self) {
        self.done = true;
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if !self.done {
            self.state.disconnects.fetch_add(1, Ordering::SeqCst);
            self.state.changed.notify_waiters();
        }
    }
}

enum Step {
    Data(Bytes),
    Delay(Duration),
    /// Give hyper a turn (it flushes what it buffered) before going on.
    Yield,
    Break,
    Hang,
}

fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into()).map_err(|never| match never {}).boxed()
}

fn build(status: u16, content_type: &str, headers: &[(&str, String)], body: Body) -> Response<Body> {
    let mut builder = Response::builder().status(status).header("content-type", content_type);
    for (name, value) in headers {
        builder = builder.header(*name, value.as_str());
    }
    // Only fails on invalid header values, which the mock never produces.
    builder.body(body).unwrap_or_else(|_| Response::new(full("")))
}

/// A JSON response.
pub(crate) fn json(status: u16, value: &Value) -> Response<Body> {
    build(status, "application/json", &[], full(value.to_string()))
}

/// An OpenAI-style error response with extra headers.
pub(crate) fn error(status: u16, message: &str, headers: &[(&str, String)]) -> Response<Body> {
    let body = json!({"error": {"message": message, "type": "mock_error", "code": status}});
    build(status, "application/json", headers, full(body.to_string()))
}

/// The text of a message `content` (a string, or OpenAI content parts).
pub fn content_text(content: &Value) -> String {
    match content {
        Value::String(s) => s.clone(),
        Value::Array(parts) => parts.iter().filter_map(|p| p["text"].as_str()).collect(),
        _ => String::new(),
    }
}

fn last_user_text(body: &Value) -> String {
    body["messages"]
        .as_array()
        .and_then(|m| m.iter().rev().find(|m| m["role"] == "user"))
        .map(|m| content_text(&m["content"]))
        .unwrap_or_default()
}

fn usage(body: &Value, completion_tokens: usize) -> Value {
    let chars: usize = body["messages"]
        .as_array()
        .map(|m| m.iter().map(|m| content_text(&m["content"]).chars().count()).sum())
        .unwrap_or(0);
    let prompt = chars.div_ceil(4);
    json!({"prompt_tokens": prompt, "completion_tokens": completion_tokens,
           "total_tokens": prompt + completion_tokens})
}

fn time_info() -> Value {
    json!({"queue_time": 0.0001, "prompt_time": 0.0012, "completion_time": 0.0100,
           "total_time": 0.0113, "created": 1_700_000_000})
}

fn sse(value: &Value) -> Bytes {
    Bytes::from(format!("data: {value}\n\n"))
}

fn chunk(model: &str, delta: Value, finish: Option<&str>) -> Bytes {
    sse(&json!({"id": "chatcmpl-mock", "object": "chat.completion.chunk", "created": 1_700_000_000,
                "model": model, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}))
}

/// The SSE steps of a successful streamed answer, with `delay` before each
/// content chunk and an optional break after `break_after` chunks.
fn stream_steps(
    model: &str,
    body: &Value,
    parts: &[String],
    delay: Duration,
    break_after: Option<u32>,
) -> VecDeque<Step> {
    let mut steps = VecDeque::new();
    steps.push_back(Step::Data(chunk(model, json!({"role": "assistant", "content": ""}), None)));
    for (i, part) in parts.iter().enumerate() {
        if break_after.is_some_and(|n| i as u32 >= n) {
            steps.push_back(Step::Yield);
            steps.push_back(Step::Break);
            return steps;
        }
        if !delay.is_zero() {
            steps.push_back(Step::Delay(delay));
        }
        steps.push_back(Step::Data(chunk(model, json!({"content": part}), None)));
    }
    if break_after.is_some() {
        steps.push_back(Step::Yield);
        steps.push_back(Step::Break);
        return steps;
    }
    steps.push_back(Step::Data(chunk(model, json!({}), Some("stop"))));
    steps.push_back(Step::Data(sse(&json!({"id": "chatcmpl-mock", "object": "chat.completion.chunk",
        "created": 1_700_000_000, "model": model, "choices": [],
        "usage": usage(body, parts.len()), "time_info": time_info()}))));
    steps.push_back(Step::Data(Bytes::from_static(b"data: [DONE]\n\n")));
    steps
}

/// A lazily produced body that walks `steps`; `guard` settles at the end.
fn stepped(steps: VecDeque<Step>, guard: Guard) -> Body {
    let stream = futures_util::stream::unfold((steps, Some(guard)), |(mut steps, mut guard)| async move {
        loop {
            match steps.pop_front() {
                None => {
                    if let Some(g) = guard.take() {
                        g.finish();
                    }
                    return None;
                }
                Some(Step::Delay(d)) => tokio::time::sleep(d).await,
                Some(Step::Yield) => tokio::task::yield_now().await,
                Some(Step::Data(b)) => return Some((Ok(Frame::data(b)), (steps, guard))),
                Some(Step::Break) => {
                    if let Some(g) = guard.take() {
                        g.finish();
                    }
                    let err: BodyError = "scripted break in the stream".into();
                    return Some((Err(err), (steps, guard)));
                }
                Some(Step::Hang) => std::future::pending::<()>().await,
            }
        }
    });
    BodyExt::boxed(StreamBody::new(stream))
}

fn success(model: &str, body: &Value, parts: Vec<String>, delay: Duration, guard: Guard) -> Response<Body> {
    if body["stream"].as_bool().unwrap_or(false) {
        let steps = stream_steps(model, body, &parts, delay, None);
        build(200, "text/event-stream", &[("cache-control", "no-cache".into())], stepped(steps, guard))
    } else {
        let mut completion = json!({"id": "chatcmpl-mock", "object": "chat.completion",
            "created": 1_700_000_000, "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": parts.concat()},
                         "finish_reason": "stop"}],
            "usage": usage(body, parts.len()), "time_info": time_info()});
        if body.get("optillm_approach").is_some() {
            completion["approach"] = body["optillm_approach"].clone();
        }
        guard.finish();
        json(200, &completion)
    }
}

/// The answer of `script` to attempt number `attempt` of this request.
pub(crate) async fn answer(
    script: Script,
    attempt: u32,
    model: &str,
    body: &Value,
    guard: Guard,
) -> Response<Body> {
    let echo = || word_chunks(&last_user_text(body));
    let streamed = body["stream"].as_bool().unwrap_or(false);
    let settle = |g: Guard, r: Response<Body>| {
        g.finish();
        r
    };
    match script {
        Script::Echo => success(model, body, echo(), Duration::ZERO, guard),
        Script::SlowMs(ms) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            success(model, body, echo(), Duration::ZERO, guard)
        }
        Script::RateLimitedRetryAfter(secs) if attempt == 1 => {
            settle(guard, error(429, "rate limited", &[("retry-after", secs.to_string())]))
        }
        Script::RateLimitedReset(secs) if attempt == 1 => settle(
            guard,
            error(429, "rate limited", &[("x-ratelimit-reset-tokens-minute", format!("{secs}.0"))]),
        ),
        Script::RateLimitedRetryAfter(_) | Script::RateLimitedReset(_) => {
            success(model, body, echo(), Duration::ZERO, guard)
        }
        Script::RateLimitedAlways => settle(guard, error(429, "rate limited", &[])),
        Script::Status(code) => settle(guard, error(code, "scripted status", &[])),
        Script::Flaky(n) if attempt <= n => settle(guard, error(503, "flaky: try again", &[])),
        Script::Flaky(_) => success(model, body, echo(), Duration::ZERO, guard),
        Script::ErrInStreamAfter(n) => {
            let parts = if streamed { filler(n + 5) } else { Vec::new() };
            let steps = if streamed {
                stream_steps(model, body, &parts, Duration::ZERO, Some(n))
            } else {
                VecDeque::from([
                    Step::Data(Bytes::from_static(b"{\"id\": \"chatcmpl-mock\", \"choi")),
                    Step::Yield,
                    Step::Break,
                ])
            };
            build(
                200,
                if streamed { "text/event-stream" } else { "application/json" },
                &[],
                stepped(steps, guard),
            )
        }
        Script::StallAfter(n) => {
            // The steps of an answer that breaks after `n` chunks, with the
            // break replaced by silence.
            let mut steps = stream_steps(model, body, &filler(n), Duration::ZERO, Some(n));
            steps.pop_back();
            steps.push_back(Step::Hang);
            build(200, "text/event-stream", &[], stepped(steps, guard))
        }
        Script::MalformedSse => {
            let steps = if streamed {
                VecDeque::from([
                    Step::Data(Bytes::from_static(
                        b"data: {\"choices\": [{\"delta\": {\"content\": \"ok\n\n",
                    )),
                    Step::Data(Bytes::from_static(b"data: [DONE]\n\n")),
                ])
            } else {
                VecDeque::from([Step::Data(Bytes::from_static(b"{\"choices\": [{\"message\": "))])
            };
            build(
                200,
                if streamed { "text/event-stream" } else { "application/json" },
                &[],
                stepped(steps, guard),
            )
        }
        Script::Hang => build(200, "text/event-stream", &[], stepped(VecDeque::from([Step::Hang]), guard)),
        Script::DripMs(ms) => success(model, body, filler(2_000), Duration::from_millis(ms), guard),
        Script::Chunks(parts) => success(model, body, parts, Duration::ZERO, guard),
        Script::Words(n) => success(model, body, filler(n), Duration::ZERO, guard),
    }
}
