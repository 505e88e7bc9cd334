//! The mock speaks HTTP/1.1 as a raw client sees it: SSE framing with a
//! usage chunk and `[DONE]`, scripted failures per request id, and
//! disconnects observed when a client hangs up (before or after headers).
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::time::Duration;

use mock_upstream::MockUpstream;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn send(mock: &MockUpstream, body: &str, request_id: &str) -> TcpStream {
    let mut s = TcpStream::connect(mock.addr()).await.unwrap();
    let req = format!(
        "POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n\
         authorization: Bearer sk-test\r\nx-request-id: {request_id}\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await.unwrap();
    s
}

async fn roundtrip(mock: &MockUpstream, body: &str, request_id: &str) -> String {
    let mut s = send(mock, body, request_id).await;
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    out
}

#[tokio::test]
async fn echo_streams_sse_with_usage_and_done() {
    let mock = MockUpstream::start().await.unwrap();
    let body = r#"{"model":"echo","stream":true,"messages":[{"role":"user","content":"hello big world"}]}"#;
    let out = roundtrip(&mock, body, "r1").await;
    assert!(out.starts_with("HTTP/1.1 200"), "{out}");
    assert!(out.contains("text/event-stream"));
    for piece in [r#""content":"hello""#, r#""content":" big""#, r#""content":" world""#] {
        assert!(out.contains(piece), "missing {piece} in {out}");
    }
    assert!(out.contains(r#""finish_reason":"stop""#));
    assert!(out.contains(r#""completion_tokens":3"#) && out.contains("time_info"), "{out}");
    assert!(out.trim_end().ends_with("data: [DONE]\r\n0") || out.contains("data: [DONE]\n\n"), "{out}");
    assert_eq!(mock.calls("echo"), 1);
    let rec = &mock.requests()[0];
    assert_eq!(rec.bearer.as_deref(), Some("sk-test"));
    assert_eq!(rec.request_id.as_deref(), Some("r1"));
    assert_eq!(rec.message_texts(), vec!["hello big world".to_owned()]);
    assert_eq!(mock.completed(), 1);
    assert_eq!(mock.disconnects(), 0);
}

#[tokio::test]
async fn flaky_fails_n_times_per_request_id_then_succeeds() {
    let mock = MockUpstream::start().await.unwrap();
    let body = r#"{"model":"flaky_2","messages":[{"role":"user","content":"hi"}]}"#;
    let statuses: Vec<String> = {
        let mut v = Vec::new();
        for id in ["a", "a", "a", "b"] {
            v.push(roundtrip(&mock, body, id).await[9..12].to_owned());
        }
        v
    };
    assert_eq!(statuses, ["503", "503", "200", "503"]);
    assert_eq!(mock.calls("flaky_2"), 4);
}

#[tokio::test]
async fn retry_after_and_unknown_models() {
    let mock = MockUpstream::start().await.unwrap();
    let body = r#"{"model":"status_429_retry_after_3","messages":[]}"#;
    let first = roundtrip(&mock, body, "x").await;
    assert!(first.starts_with("HTTP/1.1 429") && first.contains("retry-after: 3"), "{first}");
    assert!(roundtrip(&mock, body, "x").await.starts_with("HTTP/1.1 200"));
    let unknown = roundtrip(&mock, r#"{"model":"gpt-9","messages":[]}"#, "y").await;
    assert!(unknown.starts_with("HTTP/1.1 404") && unknown.contains("gpt-9"), "{unknown}");
    let bad = roundtrip(&mock, "{nope", "z").await;
    assert!(bad.starts_with("HTTP/1.1 400"), "{bad}");
}

#[tokio::test]
async fn a_client_hanging_up_is_observed_as_a_disconnect() {
    let mock = MockUpstream::start().await.unwrap();
    for (model, expect_headers) in [("hang", true), ("slow_ms_60000", false), ("drip_ms_5", true)] {
        let before = mock.disconnects();
        let body =
            format!(r#"{{"model":"{model}","stream":true,"messages":[{{"role":"user","content":"x"}}]}}"#);
        let mut s = send(&mock, &body, model).await;
        mock.wait_for_calls(mock.total_calls().max(1)).await;
        if expect_headers {
            let mut buf = [0u8; 12];
            s.read_exact(&mut buf).await.unwrap();
            assert_eq!(&buf, b"HTTP/1.1 200");
        }
        drop(s);
        tokio::time::timeout(Duration::from_millis(100), mock.wait_for_disconnects(before + 1))
            .await
            .unwrap_or_else(|_| panic!("{model}: no disconnect seen within 100 ms"));
    }
}

#[tokio::test]
async fn err_in_stream_breaks_the_connection_after_n_chunks() {
    let mock = MockUpstream::start().await.unwrap();
    let body = r#"{"model":"err_in_stream_after_2","stream":true,"messages":[]}"#;
    let mut s = send(&mock, body, "e").await;
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw).await;
    let out = String::from_utf8_lossy(&raw);
    assert_eq!(out.matches(r#""content":"#).count(), 3, "role chunk + 2 words: {out}");
    assert!(!out.contains("[DONE]"), "{out}");
}
