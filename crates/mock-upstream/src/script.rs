//! What the mock does for a model name. Tests pick a behaviour by naming the
//! model, so a scenario needs no setup calls: `echo`, `slow_ms_250`,
//! `flaky_2`, `status_429_retry_after_1`, `err_in_stream_after_3`, ...
//! Failure counts (`flaky_N`, the 429 scripts) are kept per model *and*
//! request id (the `x-request-id` header), so every logical request sees the
//! same script and retries of it advance through it.

/// One model's behaviour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Script {
    /// Answer with the last user message, split into word chunks.
    Echo,
    /// Wait this many ms before the response headers, then echo.
    SlowMs(u64),
    /// First attempt: 429 with `Retry-After: N` (seconds); then echo.
    RateLimitedRetryAfter(u64),
    /// First attempt: 429 with `x-ratelimit-reset-tokens-minute: N`; then echo.
    RateLimitedReset(u64),
    /// Always 429 without any timing header.
    RateLimitedAlways,
    /// Always this HTTP status with an OpenAI-style error body.
    Status(u16),
    /// The first N attempts answer 503; then echo.
    Flaky(u32),
    /// Stream N content chunks, then break the connection (no `[DONE]`).
    ErrInStreamAfter(u32),
    /// Stream N content chunks, then nothing more, the connection kept open
    /// (an upstream that stalls mid-answer).
    StallAfter(u32),
    /// A 200 whose first SSE event is not JSON.
    MalformedSse,
    /// Send 200 headers, then nothing, forever.
    Hang,
    /// Stream one word every N ms, 10,000 words (a long answer to stop).
    DripMs(u64),
    /// Stream exactly these chunks (from `script:a|b|c`, `cite`, `think`).
    Chunks(Vec<String>),
    /// Stream N words of filler text.
    Words(u32),
}

impl Script {
    /// The script for a model name; `None` for an unknown name (answered 404).
    pub fn parse(model: &str) -> Option<Script> {
        if let Some(rest) = model.strip_prefix("script:") {
            return Some(Script::Chunks(rest.split('|').map(str::to_owned).collect()));
        }
        let num = |prefix: &str| model.strip_prefix(prefix).and_then(|n| n.parse::<u64>().ok());
        let script = match model {
            "echo" => Script::Echo,
            "malformed_sse" => Script::MalformedSse,
            "hang" => Script::Hang,
            "status_429" => Script::RateLimitedAlways,
            "cite" => Script::Chunks(chunks(&[
                "Pretoria is the administrative capital",
                " [1], and Cape Town the legislative one",
                " [2].",
            ])),
            "think" => {
                Script::Chunks(chunks(&["<thi", "nk>Let me check the sources.</th", "ink>", "It is 42."]))
            }
            _ => {
                if let Some(n) = num("slow_ms_") {
                    Script::SlowMs(n)
                } else if let Some(n) = num("status_429_retry_after_") {
                    Script::RateLimitedRetryAfter(n)
                } else if let Some(n) = num("status_429_reset_") {
                    Script::RateLimitedReset(n)
                } else if let Some(n) = num("flaky_") {
                    Script::Flaky(u32::try_from(n).ok()?)
                } else if let Some(n) = num("err_in_stream_after_") {
                    Script::ErrInStreamAfter(u32::try_from(n).ok()?)
                } else if let Some(n) = num("stall_after_") {
                    Script::StallAfter(u32::try_from(n).ok()?)
                } else if let Some(n) = num("drip_ms_") {
                    Script::DripMs(n)
                } else if let Some(n) = num("words_") {
                    Script::Words(u32::try_from(n).ok()?)
                } else if let Some(n) = num("status_") {
                    Script::Status(u16::try_from(n).ok().filter(|c| (100..600).contains(c))?)
                } else {
                    return None;
                }
            }
        };
        Some(script)
    }
}

fn chunks(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| (*s).to_owned()).collect()
}

/// Split text into word chunks, each word keeping its leading space, the
/// way real providers stream a few characters at a time.
pub fn word_chunks(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for ch in text.chars() {
        if ch.is_whitespace() && !current.trim().is_empty() {
            out.push(std::mem::take(&mut current));
        }
        current.push(ch);
    }
    match out.last_mut() {
        Some(last) if current.trim().is_empty() => last.push_str(&current),
        _ if !current.is_empty() => out.push(current),
        _ => {}
    }
    out
}

/// `n` words of filler, chunked.
pub fn filler(n: u32) -> Vec<String> {
    const WORDS: [&str; 8] = ["lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipiscing", "elit"];
    (0..n as usize).map(|i| if i == 0 { WORDS[0].to_owned() } else { format!(" {}", WORDS[i % 8]) }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_to_scripts() {
        let cases: &[(&str, Option<Script>)] = &[
            ("echo", Some(Script::Echo)),
            ("slow_ms_250", Some(Script::SlowMs(250))),
            ("status_429_retry_after_2", Some(Script::RateLimitedRetryAfter(2))),
            ("status_429_reset_7", Some(Script::RateLimitedReset(7))),
            ("status_429", Some(Script::RateLimitedAlways)),
            ("status_400", Some(Script::Status(400))),
            ("status_999", None),
            ("flaky_3", Some(Script::Flaky(3))),
            ("err_in_stream_after_2", Some(Script::ErrInStreamAfter(2))),
            ("drip_ms_5", Some(Script::DripMs(5))),
            ("stall_after_4", Some(Script::StallAfter(4))),
            ("words_3", Some(Script::Words(3))),
            ("script:a|b", Some(Script::Chunks(vec!["a".into(), "b".into()]))),
            ("gpt-4", None),
            ("slow_ms_x", None),
        ];
        for (name, want) in cases {
            assert_eq!(&Script::parse(name), want, "{name}");
        }
    }

    #[test]
    fn word_chunks_keep_every_character() {
        let text = "  hello  big world ";
        let parts = word_chunks(text);
        assert_eq!(parts.concat(), text);
        assert_eq!(parts.len(), 3, "{parts:?}");
        assert_eq!(filler(3).concat(), "lorem ipsum dolor");
    }
}
