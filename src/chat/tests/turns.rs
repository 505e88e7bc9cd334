//! One scenario per test: routing, citations, stop, double send, thinking,
//! search-only, only-my-documents, errors, regenerate, edit, titles,
//! message search, usage, and the export round trip.

use std::sync::atomic::Ordering;

use tokio::sync::mpsc;

use super::fakes::{FakeDocs, FakeModel, Script, source};
use super::*;
use crate::router::RouterConfig;

const BIG_WORDS: &str = "The constitutional court heard the litigation on POPIA and B-BBEE compliance, a \
    comprehensive report with detailed analysis of compound interest and system design.";

#[tokio::test]
async fn the_router_never_sees_retrieved_text() {
    let r = rig(
        FakeModel::saying("Pretoria.", 2),
        FakeDocs::with(vec![source(1, "law.pdf", Some(4), BIG_WORDS)]),
    );
    let (end, events) = r.send(request(None, "What is the capital?", "r1", jive())).await;
    let m = done(end);
    let models = RouterConfig::default().models;
    let call = &r.model.calls()[0];
    assert_eq!(call.model, models.fast, "a passage full of big-model words does not change the route");
    assert_eq!(m.route.as_ref().map(|r| r.layer.as_str()), Some("fast"));
    assert!(call.direct.last().unwrap().content.contains("POPIA"), "the passage went into the prompt");
    match &events[0] {
        TurnEvent::Started { route: Some(route), .. } => assert_eq!(route.model, models.fast),
        other => panic!("{other:?}"),
    }
    // The same words typed by the user do go to the big model.
    let (end, _) = r.send(request(Some(&m.conversation_id), BIG_WORDS, "r2", jive())).await;
    assert_eq!(done(end).route.map(|r| r.layer), Some("big".to_owned()));
    assert_eq!(r.model.calls()[1].model, models.big, "typed words do route");
}

#[tokio::test]
async fn citations_resolve_to_the_right_chunk_and_page_and_invented_markers_are_dropped() {
    let docs = FakeDocs::with(vec![
        source(11, "a.txt", None, "Pretoria is the administrative capital."),
        source(22, "b.pdf", Some(7), "Cape Town is the legislative capital."),
    ]);
    let model =
        FakeModel::new(vec![Script::Chunks(vec!["Cape Town makes laws [2]", ". Mars is red [5]."], None)]);
    let r = rig(model, docs);
    let (end, events) = r.send(request(None, "Which city makes the laws?", "r1", jive())).await;
    let m = done(end);
    assert_eq!(m.content, "Cape Town makes laws [2]. Mars is red.");
    assert_eq!(m.dropped_markers, 1);
    assert_eq!(m.citations.len(), 1);
    let c = &m.citations[0];
    assert_eq!((c.marker, c.chunk_id, c.page, c.document_path.as_str()), (2, 22, Some(7), "/docs/b.pdf"));
    assert_eq!(streamed(&events, false), "Cape Town makes laws [2]. Mars is red [5].", "deltas are raw");
    let reread = r.chat.conversation(&m.conversation_id).await.unwrap();
    assert_eq!(reread.messages[1], m, "citations survive being stored");
    let usage = m.usage.unwrap();
    assert!(usage.estimated, "no provider usage: counted locally");
    assert!(usage.tokens_in > 0 && usage.cost_usd > 0.0 && usage.cost_zar > usage.cost_usd);
    assert_eq!(r.chat.passage(22).await.unwrap().page, Some(7));
    assert_eq!(r.chat.passage(99).await.unwrap_err().kind(), crate::ErrorKind::NotFound);
}

#[tokio::test]
async fn stop_aborts_upstream_and_keeps_the_partial_answer() {
    let (feed, rx) = mpsc::unbounded_channel();
    let r = rig(FakeModel::new(vec![Script::Fed(rx)]), FakeDocs::default());
    let (seen_tx, mut seen) = mpsc::unbounded_channel();
    let mut sink = |e| {
        let _ = seen_tx.send(e);
    };
    let send = r.chat.send(&r.router, request(None, "Tell me a long story", "r1", jive()), &mut sink);
    let drive = async {
        feed.send(Ok(ModelEvent::Delta("Once upon".into()))).unwrap();
        while let Some(e) = seen.recv().await {
            if matches!(e, TurnEvent::Delta { .. }) {
                break;
            }
        }
        assert!(r.chat.stop("r1"), "the turn is running");
        assert!(!r.chat.stop("other"), "nothing else is");
    };
    let (end, ()) = tokio::join!(send, drive);
    let m = done(end);
    assert!(m.stopped);
    assert_eq!(m.content, "Once upon");
    assert!(r.model.dropped.load(Ordering::SeqCst), "the stream was dropped: upstream aborted");
    assert!(!r.chat.stop("r1"), "finished turns cannot be stopped");
    assert!(m.usage.unwrap().estimated);
    drop(feed);
}

#[tokio::test]
async fn a_stop_before_the_first_token_still_ends_with_a_stored_stopped_answer() {
    let (_feed, rx) = mpsc::unbounded_channel();
    let r = rig(FakeModel::new(vec![Script::Fed(rx)]), FakeDocs::default());
    // Stopped as soon as it is registered: before the model is called.
    let mut sink = |_| {};
    let send = r.chat.send(&r.router, request(None, "hi", "r1", jive()), &mut sink);
    let stop = async {
        while !r.chat.stop("r1") {
            tokio::task::yield_now().await;
        }
    };
    let (end, ()) = tokio::join!(send, stop);
    let m = done(end);
    assert!(m.stopped && m.content.is_empty());
    assert_eq!(r.chat.conversation(&m.conversation_id).await.unwrap().messages.len(), 2);
}

#[tokio::test]
async fn a_double_send_makes_one_call_and_one_message() {
    let (feed, rx) = mpsc::unbounded_channel();
    let r = rig(FakeModel::new(vec![Script::Fed(rx)]), FakeDocs::default());
    let first = r.send(request(None, "hello", "same", jive()));
    let second = async {
        while r.model.calls().is_empty() {
            tokio::task::yield_now().await;
        }
        let twin = r.send(request(None, "hello", "same", jive())).await;
        feed.send(Ok(ModelEvent::Delta("Hi!".into()))).unwrap();
        feed.send(Ok(ModelEvent::Done { model: "m".into(), via_cepo: false })).unwrap();
        drop(feed);
        twin
    };
    let ((end, _), (twin, twin_events)) = tokio::join!(first, second);
    let m = done(end);
    let err = twin.unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::Busy, "{err}");
    assert!(twin_events.is_empty(), "a refused turn sends nothing");

    // Sent again after it finished: the stored answer is replayed.
    let (again, events) = r.send(request(None, "hello", "same", jive())).await;
    assert_eq!(done(again), m);
    assert!(matches!(events.first(), Some(TurnEvent::Started { .. })) && events.len() == 2);
    assert_eq!(r.model.calls().len(), 1, "one upstream call");
    let all = r.chat.conversations().await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].message_count, 2, "one question, one answer");
}

#[tokio::test]
async fn thinking_split_across_chunks_is_kept_apart() {
    let chunks = vec!["<thi", "nk>Let me check the sources.</th", "ink>", "It is 42."];
    let r = rig(FakeModel::new(vec![Script::Chunks(chunks, Some((30, 12)))]), FakeDocs::default());
    let (end, events) = r.send(request(None, "What is the answer?", "r1", jive())).await;
    let m = done(end);
    assert_eq!(m.content, "It is 42.");
    assert_eq!(m.thinking.as_deref(), Some("Let me check the sources."));
    assert_eq!(streamed(&events, true), "Let me check the sources.");
    assert_eq!(streamed(&events, false), "It is 42.");
    let u = m.usage.unwrap();
    assert_eq!((u.tokens_in, u.tokens_out, u.estimated), (30, 12, false), "the provider's counts win");
    // Fast-model price: 30 × 0.40 + 12 × 0.80 per million.
    assert!((u.cost_usd - 0.0000216).abs() < 1e-12, "{}", u.cost_usd);
}

#[tokio::test]
async fn with_no_model_the_answer_is_the_best_passages() {
    let docs = FakeDocs::with(vec![source(5, "rates.pdf", Some(2), "Rates are due on the 7th.")]);
    let r = rig(FakeModel::none(), docs);
    let (end, events) = r.send(request(None, "When are rates due?", "r1", TurnOptions::default())).await;
    let m = done(end);
    match &events[0] {
        TurnEvent::Started { search_only, route, notice, .. } => {
            assert!(*search_only && route.is_none());
            assert!(notice.as_deref().unwrap().contains("No model is set up"));
        }
        other => panic!("{other:?}"),
    }
    assert!(m.search_only && m.route.is_none() && m.usage.is_none());
    assert!(m.content.starts_with("No model is set up"), "{}", m.content);
    assert!(m.content.contains("[1] **rates.pdf**, page 2: Rates are due on the 7th."), "{}", m.content);
    assert_eq!(m.citations.iter().map(|c| c.chunk_id).collect::<Vec<_>>(), [5]);
    assert!(r.model.calls().is_empty());
}

#[tokio::test]
async fn only_my_documents_with_nothing_found_says_so_without_a_call() {
    let r = rig(FakeModel::saying("never", 1), FakeDocs::default());
    let options = TurnOptions { only_documents: Some(true), ..jive() };
    let m = done(r.send(request(None, "What is my ID number?", "r1", options)).await.0);
    assert!(m.only_documents && m.content.contains("do not contain"));
    assert!(r.model.calls().is_empty());

    let docs = FakeDocs::with(vec![source(1, "id.txt", None, "ID 123")]);
    let r = rig(FakeModel::saying("It is 123 [1].", 1), docs);
    let options = TurnOptions { only_documents: Some(true), ..jive() };
    let m = done(r.send(request(None, "What is my ID number?", "r2", options)).await.0);
    assert_eq!(m.citations.len(), 1);
    assert!(r.model.calls()[0].direct[0].content.contains("do not use outside knowledge"));
}

#[tokio::test]
async fn errors_keep_partial_text_or_store_nothing() {
    let model = FakeModel::new(vec![Script::FailAfter(vec!["Half an"]), Script::Refuse]);
    let r = rig(model, FakeDocs::default());
    let (end, events) = r.send(request(None, "q1", "r1", jive())).await;
    let Ok(TurnEnd::Failed { error, partial: Some(p) }) = end else { panic!("{end:?}") };
    assert_eq!((error.code.as_str(), p.content.as_str()), ("upstream", "Half an"));
    assert_eq!(p.error.as_ref(), Some(&error));
    assert!(matches!(events.last(), Some(TurnEvent::Error { partial: Some(_), .. })));

    let conv = p.conversation_id.clone();
    let (end, events) = r.send(request(Some(&conv), "q2", "r2", jive())).await;
    let Ok(TurnEnd::Failed { error, partial: None }) = end else { panic!("{end:?}") };
    assert_eq!(error.code, "unavailable");
    assert!(matches!(events.last(), Some(TurnEvent::Error { partial: None, .. })));
    let stored = r.chat.conversation(&conv).await.unwrap().messages;
    let roles: Vec<Role> = stored.iter().map(|m| m.role).collect();
    assert_eq!(roles, [Role::User, Role::Assistant, Role::User], "the failed question stays, unanswered");
}

#[tokio::test]
async fn bad_input_is_refused_before_anything_starts() {
    let r = rig(FakeModel::saying("x", 1), FakeDocs::default());
    let cases = [
        (request(None, "   ", "r1", jive()), crate::ErrorKind::InvalidInput),
        (request(None, "hi", "", jive()), crate::ErrorKind::InvalidInput),
        (request(Some("nope"), "hi", "r3", jive()), crate::ErrorKind::NotFound),
        (request(None, &"x".repeat(100_001), "r4", jive()), crate::ErrorKind::InvalidInput),
    ];
    for (req, kind) in cases {
        let (end, events) = r.send(req).await;
        assert_eq!(end.unwrap_err().kind(), kind);
        assert!(events.is_empty());
    }
    assert!(r.chat.conversations().await.unwrap().is_empty(), "nothing was stored");
}

#[tokio::test]
async fn retrieval_sees_the_typed_text_and_the_conversation_and_a_failure_is_a_note() {
    let docs = FakeDocs { fail: true, ..FakeDocs::default() };
    let r = rig(FakeModel::saying("ok", 1), docs);
    let (end, events) = r.send(request(None, "find my lease", "r1", jive())).await;
    let m = done(end);
    assert_eq!(r.docs.queries.lock().unwrap()[0], ("find my lease".to_owned(), m.conversation_id.clone()));
    assert!(events.iter().any(|e| matches!(e, TurnEvent::Progress { note } if note.contains("failed"))));
}
