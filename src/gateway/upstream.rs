//! One attempt against one provider with one key: send the request, turn an
//! error status into a [`Failure`] (with how long it asked us to wait), and
//! for a stream read SSE events up to the first token. The attempt ends
//! there: what follows belongs to the caller, so nothing after the first
//! token is ever retried. Also the decoding of OpenAI-style chunks and
//! bodies (content deltas, finish reason, usage with Cerebras' `time_info`,
//! in-stream `error` objects).

use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use reqwest::header::{CONTENT_TYPE, HeaderValue};
use serde_json::Value;

use super::keys::{Lease, wait_from_headers};
use super::provider::{Provider, ProviderKind};
use super::reply::{Completion, StreamEvent, TimeInfo, Usage};
use super::retry::{Failure, FailureKind};
use super::sse::Sse;

/// A response body and the SSE events read from it so far.
pub(crate) struct Events {
    body: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>,
    sse: Sse,
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
    let mut rest = Events { body: Box::pin(resp.bytes_stream()), sse: Sse::default() };
    let mut decoder = Decoder::default();
    let mut head = Vec::new();
    loop {
        match next_event(&mut rest, &mut decoder, t.first_byte, name).await {
            Err(mut f) => {
                f.key_name.clone_from(&lease.name);
                return Err(f);
            }
            Ok(None) => return Ok(Opened::Stream { head, rest, decoder }),
            Ok(Some(events)) => {
                let first_token = events.iter().any(|e| matches!(e, StreamEvent::Delta(_)));
                head.extend(events);
                if first_token || decoder.done {
                    return Ok(Opened::Stream { head, rest, decoder });
                }
            }
        }
    }
}

/// Decode the next SSE event, reading the body (each read within `limit`)
/// only when no whole event is buffered: `Ok(None)` at the end of the body.
pub(crate) async fn next_event(
    events: &mut Events,
    decoder: &mut Decoder,
    limit: Duration,
    name: &str,
) -> Result<Option<Vec<StreamEvent>>, Failure> {
    if decoder.done {
        return Ok(None);
    }
    loop {
        match events.sse.next_data() {
            Some(Ok(data)) => {
                return decoder.decode(data).map(Some).map_err(|(kind, m)| Failure::new(kind, "", m));
            }
            Some(Err(e)) => {
                let m = format!("{name} sent a malformed stream: {e}");
                return Err(Failure::new(FailureKind::Malformed, "", m));
            }
            None => {}
        }
        match tokio::time::timeout(limit, events.body.next()).await {
            Err(_) => {
                let m = format!("{name} sent nothing for {limit:?}");
                return Err(Failure::new(FailureKind::Timeout, "", m));
            }
            Ok(None) if decoder.finish_reason.is_some() => return Ok(None),
            Ok(None) => {
                let m = format!("{name} ended the stream before it was complete");
                return Err(Failure::new(FailureKind::Broken, "", m));
            }
            Ok(Some(Err(e))) => return Err(transport(&e, "", &format!("{name}'s stream broke"))),
            Ok(Some(Ok(bytes))) => events.sse.feed(&bytes),
        }
    }
}

#[derive(serde::Deserialize)]
struct Chunk<'a> {
    #[serde(borrow, default)]
    choices: Vec<Choice<'a>>,
    #[serde(default)]
    usage: Option<RawUsage>,
    #[serde(default)]
    time_info: Option<TimeInfo>,
    #[serde(default)]
    error: Option<Value>,
}

#[derive(serde::Deserialize)]
struct Choice<'a> {
    #[serde(borrow, default)]
    delta: Delta<'a>,
    #[serde(borrow, default)]
    finish_reason: Option<std::borrow::Cow<'a, str>>,
}

#[derive(serde::Deserialize, Default)]
struct Delta<'a> {
    #[serde(borrow, default)]
    content: Option<std::borrow::Cow<'a, str>>,
}

#[derive(serde::Deserialize)]
struct RawUsage {
    #[serde(default)]
    prompt_tokens: Option<u32>,
    #[serde(default)]
    completion_tokens: Option<u32>,
    #[serde(default)]
    time_info: Option<TimeInfo>,
}

/// Decodes OpenAI-style chunks, remembering the finish reason.
#[derive(Debug, Default)]
pub(crate) struct Decoder {
    pub(crate) finish_reason: Option<String>,
    pub(crate) done: bool,
}

impl Decoder {
    /// The events in one SSE `data:` payload.
    pub(crate) fn decode(&mut self, data: &str) -> Result<Vec<StreamEvent>, (FailureKind, String)> {
        let data = data.trim();
        if data == "[DONE]" {
            self.done = true;
            return Ok(Vec::new());
        }
        if data.is_empty() {
            return Ok(Vec::new());
        }
        // A typed, borrowing parse: this runs for every chunk of every answer.
        let chunk: Chunk<'_> = serde_json::from_str(data).map_err(|e| {
            (FailureKind::Malformed, format!("a stream event is not JSON ({e}): {:.80}", data))
        })?;
        if let Some(err) = chunk.error.filter(|e| !e.is_null()) {
            let msg = err["message"].as_str().unwrap_or("unknown error");
            let code = err["code"].as_u64().and_then(|c| u16::try_from(c).ok()).unwrap_or(502);
            return Err((
                FailureKind::Status(code),
                format!("the provider reported an error in the stream: {msg}"),
            ));
        }
        let mut events = Vec::new();
        if let Some(choice) = chunk.choices.into_iter().next() {
            if let Some(text) = choice.delta.content.filter(|t| !t.is_empty()) {
                events.push(StreamEvent::Delta(text.into_owned()));
            }
            if let Some(reason) = choice.finish_reason {
                self.finish_reason = Some(reason.into_owned());
            }
        }
        if let Some(u) = chunk.usage {
            let time_info = chunk.time_info.or(u.time_info);
            events.push(StreamEvent::Usage(Usage {
                input_tokens: u.prompt_tokens.unwrap_or(0),
                output_tokens: u.completion_tokens.unwrap_or(0),
                time_info,
            }));
        }
        Ok(events)
    }
}

fn usage(v: &Value) -> Option<Usage> {
    let u = v.get("usage").filter(|u| u.is_object())?;
    let n = |f: &str| u[f].as_u64().and_then(|x| u32::try_from(x).ok()).unwrap_or(0);
    let ti = v.get("time_info").or_else(|| u.get("time_info")).filter(|t| t.is_object());
    Some(Usage {
        input_tokens: n("prompt_tokens"),
        output_tokens: n("completion_tokens"),
        time_info: ti.map(|t| TimeInfo {
            queue_time: t["queue_time"].as_f64(),
            prompt_time: t["prompt_time"].as_f64(),
            completion_time: t["completion_time"].as_f64(),
            total_time: t["total_time"].as_f64(),
        }),
    })
}

/// A non-streamed answer body.
pub(crate) fn whole(kind: ProviderKind, v: &Value) -> Result<Completion, String> {
    let choice =
        v["choices"].get(0).ok_or_else(|| format!("{} sent an answer without choices", kind.name()))?;
    let text = choice["message"]["content"]
        .as_str()
        .ok_or_else(|| format!("{} sent an answer without message content", kind.name()))?;
    Ok(Completion {
        text: text.to_owned(),
        usage: usage(v),
        finish_reason: choice["finish_reason"].as_str().map(str::to_owned),
        provider: kind,
        model: v["model"].as_str().unwrap_or_default().to_owned(),
        via_cepo: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_deltas_finish_usage_and_time_info() {
        let mut d = Decoder::default();
        let role =
            r#"{"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"#;
        assert_eq!(d.decode(role).unwrap(), vec![]);
        let text = r#"{"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}"#;
        assert_eq!(d.decode(text).unwrap(), vec![StreamEvent::Delta("Hi".into())]);
        let fin = r#"{"choices":[{"index":0,"delta":{},"finish_reason":"length"}]}"#;
        assert_eq!(d.decode(fin).unwrap(), vec![]);
        assert_eq!(d.finish_reason.as_deref(), Some("length"));
        let usage = r#"{"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":3},"time_info":{"total_time":0.5}}"#;
        let ev = d.decode(usage).unwrap();
        let StreamEvent::Usage(u) = &ev[0] else { panic!("{ev:?}") };
        assert_eq!((u.input_tokens, u.output_tokens), (12, 3));
        assert_eq!(u.time_info.as_ref().and_then(|t| t.total_time), Some(0.5));
        assert_eq!(d.decode("[DONE]").unwrap(), vec![]);
        assert!(d.done);
    }

    #[test]
    fn malformed_and_error_events_fail_clearly() {
        let mut d = Decoder::default();
        let (kind, msg) = d.decode(r#"{"choices": [{"delta": {"content": "ok"#).unwrap_err();
        assert_eq!(kind, FailureKind::Malformed);
        assert!(msg.contains("not JSON"), "{msg}");
        let (kind, msg) = d.decode(r#"{"error":{"message":"overloaded","code":503}}"#).unwrap_err();
        assert_eq!((kind, msg.contains("overloaded")), (FailureKind::Status(503), true));
    }
}
