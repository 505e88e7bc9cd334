//! OpenAI-style answers on the wire: streamed chunks (content deltas, the
//! finish reason, usage with Cerebras' `time_info`, in-stream `error`
//! objects) and whole non-streamed bodies.
//!
//! [`Decoder::decode`] runs for every chunk of every answer, so it borrows
//! from the chunk's text, reads only the first choice (chat APIs send one)
//! without collecting the array, and appends to the caller's buffer: a chunk
//! costs one allocation, the delta's own text.

use std::borrow::Cow;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde_json::Value;

use super::provider::ProviderKind;
use super::reply::{Completion, StreamEvent, TimeInfo, Usage};
use super::retry::FailureKind;

#[derive(Deserialize)]
struct Chunk<'a> {
    #[serde(borrow, default)]
    choices: FirstChoice<'a>,
    #[serde(default)]
    usage: Option<RawUsage>,
    #[serde(default)]
    time_info: Option<TimeInfo>,
    #[serde(default)]
    error: Option<Value>,
}

#[derive(Deserialize)]
struct Choice<'a> {
    #[serde(borrow, default)]
    delta: Delta<'a>,
    #[serde(borrow, default)]
    finish_reason: Option<Cow<'a, str>>,
}

#[derive(Deserialize, Default)]
struct Delta<'a> {
    #[serde(borrow, default)]
    content: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct RawUsage {
    #[serde(default)]
    prompt_tokens: Option<u32>,
    #[serde(default)]
    completion_tokens: Option<u32>,
    #[serde(default)]
    time_info: Option<TimeInfo>,
}

/// The first element of `choices`; the rest are skipped unread.
#[derive(Default)]
struct FirstChoice<'a>(Option<Choice<'a>>);

impl<'de: 'a, 'a> Deserialize<'de> for FirstChoice<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct First<'a>(PhantomData<Choice<'a>>);
        impl<'de: 'a, 'a> Visitor<'de> for First<'a> {
            type Value = FirstChoice<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an array of choices")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<FirstChoice<'a>, A::Error> {
                let first = seq.next_element::<Choice<'a>>()?;
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(FirstChoice(first))
            }
        }
        d.deserialize_seq(First(PhantomData))
    }
}

/// Decodes OpenAI-style chunks, remembering the finish reason.
#[derive(Debug, Default)]
pub(crate) struct Decoder {
    pub(crate) finish_reason: Option<String>,
    pub(crate) done: bool,
}

impl Decoder {
    /// Append the events in one SSE `data:` payload to `out`.
    pub(crate) fn decode(
        &mut self,
        data: &str,
        out: &mut Vec<StreamEvent>,
    ) -> Result<(), (FailureKind, String)> {
        let data = data.trim();
        if data == "[DONE]" {
            self.done = true;
            return Ok(());
        }
        if data.is_empty() {
            return Ok(());
        }
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
        if let Some(choice) = chunk.choices.0 {
            if let Some(text) = choice.delta.content.filter(|t| !t.is_empty()) {
                out.push(StreamEvent::Delta(text.into_owned()));
            }
            if let Some(reason) = choice.finish_reason {
                self.finish_reason = Some(reason.into_owned());
            }
        }
        if let Some(u) = chunk.usage {
            let time_info = chunk.time_info.or(u.time_info);
            out.push(StreamEvent::Usage(Usage {
                input_tokens: u.prompt_tokens.unwrap_or(0),
                output_tokens: u.completion_tokens.unwrap_or(0),
                time_info,
            }));
        }
        Ok(())
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

    fn decode(d: &mut Decoder, data: &str) -> Result<Vec<StreamEvent>, (FailureKind, String)> {
        let mut out = Vec::new();
        d.decode(data, &mut out).map(|()| out)
    }

    #[test]
    fn decodes_deltas_finish_usage_and_time_info() {
        let mut d = Decoder::default();
        let role =
            r#"{"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"#;
        assert_eq!(decode(&mut d, role).unwrap(), vec![]);
        let text = r#"{"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}"#;
        assert_eq!(decode(&mut d, text).unwrap(), vec![StreamEvent::Delta("Hi".into())]);
        let fin = r#"{"choices":[{"index":0,"delta":{},"finish_reason":"length"}]}"#;
        assert_eq!(decode(&mut d, fin).unwrap(), vec![]);
        assert_eq!(d.finish_reason.as_deref(), Some("length"));
        let usage = r#"{"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":3},"time_info":{"total_time":0.5}}"#;
        let ev = decode(&mut d, usage).unwrap();
        let StreamEvent::Usage(u) = &ev[0] else { panic!("{ev:?}") };
        assert_eq!((u.input_tokens, u.output_tokens), (12, 3));
        assert_eq!(u.time_info.as_ref().and_then(|t| t.total_time), Some(0.5));
        assert_eq!(decode(&mut d, "[DONE]").unwrap(), vec![]);
        assert!(d.done);
    }

    #[test]
    fn only_the_first_choice_counts_and_escapes_are_decoded() {
        let mut d = Decoder::default();
        let two = r#"{"choices":[{"delta":{"content":"a\"b\u00e9\n"}},{"delta":{"content":"other"},"finish_reason":"stop"}]}"#;
        assert_eq!(decode(&mut d, two).unwrap(), vec![StreamEvent::Delta("a\"bé\n".into())]);
        assert_eq!(d.finish_reason, None, "the second choice's finish reason is not ours");
        // Events append to what the caller already holds.
        let mut out = vec![StreamEvent::Delta("x".into())];
        d.decode(r#"{"choices":[{"delta":{"content":"y"}}]}"#, &mut out).unwrap();
        assert_eq!(out, vec![StreamEvent::Delta("x".into()), StreamEvent::Delta("y".into())]);
    }

    #[test]
    fn malformed_and_error_events_fail_clearly() {
        let mut d = Decoder::default();
        let (kind, msg) = decode(&mut d, r#"{"choices": [{"delta": {"content": "ok"#).unwrap_err();
        assert_eq!(kind, FailureKind::Malformed);
        assert!(msg.contains("not JSON"), "{msg}");
        let (kind, msg) = decode(&mut d, r#"{"choices": {"delta": {}}}"#).unwrap_err();
        assert_eq!((kind, msg.contains("array of choices")), (FailureKind::Malformed, true), "{msg}");
        let (kind, msg) = decode(&mut d, r#"{"error":{"message":"overloaded","code":503}}"#).unwrap_err();
        assert_eq!((kind, msg.contains("overloaded")), (FailureKind::Status(503), true));
    }
}
