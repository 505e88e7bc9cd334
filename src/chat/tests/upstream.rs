//! Turns through the real model gateway against the scripted mock upstream
//! on 127.0.0.1 (hermetic): the router's model ids are mock scripts
//! (`cite`, `think`, `drip_ms_N`, `err_in_stream_after_N`, `script:…`), so
//! each test picks the upstream's behaviour through config, as a user
//! would pick a model.

use std::time::Duration;

use mock_upstream::MockUpstream;

use super::fakes::{FakeDocs, source};
use super::*;
use crate::gateway::{Gateway, GatewayConfig, KeyConfig, ProviderKind, RetryConfig, Secret};

struct Up {
    _dir: tempfile::TempDir,
    mock: MockUpstream,
    chat: Chat,
    router: Router,
}

fn gateway_config(base_url: &str) -> GatewayConfig {
    let mut c = GatewayConfig { primary: ProviderKind::Custom, ..GatewayConfig::default() };
    c.custom.base_url = Some(base_url.to_owned());
    c.custom.keys = vec![KeyConfig { name: "test".into(), key: Secret::new("sk-test") }];
    c.retry = RetryConfig { initial_ms: 5, max_ms: 20, jitter_ms: 5, ..RetryConfig::default() };
    c
}

/// A chat whose fast and free models are `model` on the mock.
async fn up(model: &str, docs: FakeDocs) -> Up {
    let mock = MockUpstream::start().await.unwrap();
    let config = gateway_config(&mock.base_url());
    let gateway = Gateway::builder(config.clone()).env(|_| None).build().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = crate::store::Store::open(&dir.path().join("g.db")).unwrap();
    let model_seam = Arc::new(GatewayModel::new(gateway, &config));
    let chat = Chat::new(store, ChatConfig::default(), model_seam, Arc::new(docs));
    let mut rc = RouterConfig::default();
    rc.models.fast = model.to_owned();
    rc.models.free = model.to_owned();
    Up { _dir: dir, mock, chat, router: Router::new(&rc, None).unwrap() }
}

impl Up {
    async fn send(&self, text: &str, id: &str) -> (Result<TurnEnd>, Vec<TurnEvent>) {
        let mut events = Vec::new();
        let end =
            self.chat.send(&self.router, request(None, text, id, jive()), &mut |e| events.push(e)).await;
        (end, events)
    }
}

#[tokio::test]
async fn citations_from_the_mock_resolve_to_chunks_and_pages() {
    let docs = FakeDocs::with(vec![
        source(31, "admin.txt", None, "Pretoria is the administrative capital."),
        source(32, "parliament.pdf", Some(12), "Parliament sits in Cape Town."),
    ]);
    let u = up("cite", docs).await;
    let m = done(u.send("Which are the capitals?", "r1").await.0);
    assert_eq!(
        m.content,
        "Pretoria is the administrative capital [1], and Cape Town the legislative one [2]."
    );
    let got: Vec<(u32, i64, Option<u32>)> =
        m.citations.iter().map(|c| (c.marker, c.chunk_id, c.page)).collect();
    assert_eq!(got, [(1, 31, None), (2, 32, Some(12))]);
    let usage = m.usage.unwrap();
    assert!(!usage.estimated, "the mock sends usage");
    assert_eq!(m.route.unwrap().model, "cite");
    let sent = &u.mock.requests()[0];
    assert_eq!(sent.request_id.as_deref(), Some("r1"), "the caller's request id travels upstream");
    assert!(sent.message_texts().last().unwrap().contains("[2] parliament.pdf (page 12)"));
}

#[tokio::test]
async fn an_invented_marker_from_the_mock_is_dropped_and_counted() {
    let u =
        up("script:Fact [1]|. Fiction [9].", FakeDocs::with(vec![source(1, "a.txt", None, "Fact.")])).await;
    let m = done(u.send("Tell me", "r1").await.0);
    assert_eq!((m.content.as_str(), m.dropped_markers), ("Fact [1]. Fiction.", 1));
}

#[tokio::test]
async fn thinking_split_across_chunks_by_the_mock_is_separated() {
    let u = up("think", FakeDocs::default()).await;
    let (end, events) = u.send("What is it?", "r1").await;
    let m = done(end);
    assert_eq!((m.content.as_str(), m.thinking.as_deref()), ("It is 42.", Some("Let me check the sources.")));
    assert_eq!(streamed(&events, false), "It is 42.");
}

#[tokio::test]
async fn stop_disconnects_from_the_upstream_and_keeps_the_partial_answer() {
    let u = up("drip_ms_5", FakeDocs::default()).await;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut sink = |e| {
        let _ = tx.send(e);
    };
    let send = u.chat.send(&u.router, request(None, "Go on and on", "r1", jive()), &mut sink);
    let stop = async {
        let mut text = String::new();
        while let Some(e) = rx.recv().await {
            if let TurnEvent::Delta { text: t } = e {
                text.push_str(&t);
                if text.split_whitespace().count() >= 3 {
                    break;
                }
            }
        }
        assert!(u.chat.stop("r1"));
    };
    let (end, ()) = tokio::join!(send, stop);
    let m = done(end);
    assert!(m.stopped);
    assert!(m.content.split_whitespace().count() >= 3, "{}", m.content);
    assert!(m.content.split_whitespace().count() < 10_000, "it did not run to the end");
    tokio::time::timeout(Duration::from_secs(5), u.mock.wait_for_disconnects(1))
        .await
        .expect("the upstream saw the client hang up");
}

#[tokio::test]
async fn a_double_send_reaches_the_upstream_once() {
    let u = up("slow_ms_150", FakeDocs::default()).await;
    let first = u.send("hello there", "same");
    let second = async {
        u.mock.wait_for_calls(1).await;
        u.send("hello there", "same").await
    };
    let ((end, _), (twin, _)) = tokio::join!(first, second);
    let m = done(end);
    assert_eq!(twin.unwrap_err().kind(), crate::ErrorKind::Busy);
    let (again, _) = u.send("hello there", "same").await;
    assert_eq!(done(again), m, "replayed from the store");
    assert_eq!(u.mock.total_calls(), 1);
    let c = u.chat.conversation(&m.conversation_id).await.unwrap();
    assert_eq!(c.messages.len(), 2);
}

#[tokio::test]
async fn a_broken_stream_keeps_the_partial_answer_with_the_error() {
    let u = up("err_in_stream_after_3", FakeDocs::default()).await;
    let (end, events) = u.send("one two three four five six", "r1").await;
    let Ok(TurnEnd::Failed { error, partial: Some(p) }) = end else { panic!("{end:?}") };
    assert!(!p.content.is_empty());
    assert_eq!(p.error.as_ref(), Some(&error));
    assert!(matches!(events.last(), Some(TurnEvent::Error { partial: Some(_), .. })));
    assert_eq!(u.mock.total_calls(), 1, "never retried after the first token");
}

#[tokio::test]
async fn with_no_key_the_answer_comes_from_search_alone() {
    let gateway = Gateway::builder(GatewayConfig::default()).env(|_| None).build().unwrap();
    assert!(!gateway.is_configured());
    let dir = tempfile::tempdir().unwrap();
    let store = crate::store::Store::open(&dir.path().join("g.db")).unwrap();
    let docs = FakeDocs::with(vec![source(9, "lease.pdf", Some(3), "The deposit is two months' rent.")]);
    let chat = Chat::new(
        store,
        ChatConfig::default(),
        Arc::new(GatewayModel::new(gateway, &GatewayConfig::default())),
        Arc::new(docs),
    );
    let router = Router::new(&RouterConfig::default(), None).unwrap();
    let mut events = Vec::new();
    let end = chat
        .send(&router, request(None, "How big is the deposit?", "r1", jive()), &mut |e| events.push(e))
        .await;
    let m = done(end);
    assert!(m.search_only && m.content.starts_with("No model is set up"));
    assert_eq!(m.citations[0].chunk_id, 9);
    assert!(matches!(&events[0], TurnEvent::Started { search_only: true, route: None, .. }));
}
