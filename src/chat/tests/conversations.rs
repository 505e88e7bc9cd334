//! Conversation-level scenarios: regenerate keeps alternatives, edit
//! continues from the edit, history reaches the model, titles, message
//! search, usage per day, export and the JSON round trip, images answered
//! in text.

use super::fakes::{FakeDocs, FakeModel, Script, source};
use super::*;

#[tokio::test]
async fn regenerate_keeps_the_old_answer_and_edit_continues_from_the_edit() {
    let model = FakeModel::new(vec![
        Script::Chunks(vec!["First answer."], None),
        Script::Chunks(vec!["Second thought."], None),
        Script::Chunks(vec!["Follow-up answer."], None),
        Script::Chunks(vec!["Answer to the edit."], None),
    ]);
    let r = rig(model, FakeDocs::default());
    let a1 = done(r.send(request(None, "Question one", "r1", jive())).await.0);
    let conv = a1.conversation_id.clone();
    let mut events = Vec::new();
    let end = r.chat.regenerate(&r.router, &a1.id, "r2".into(), jive(), &mut |e| events.push(e)).await;
    let a2 = done(end);
    assert_eq!(a2.reply_to, a1.reply_to, "an alternative answers the same question");
    let a3 = done(r.send(request(Some(&conv), "Question two", "r3", jive())).await.0);

    let detail = r.chat.conversation(&conv).await.unwrap();
    let order: Vec<&str> = detail.messages.iter().map(|m| m.content.as_str()).collect();
    assert_eq!(
        order,
        ["Question one", "First answer.", "Second thought.", "Question two", "Follow-up answer."]
    );
    // The follow-up saw the latest alternative as history.
    let history: Vec<String> = r.model.calls()[2].direct.iter().map(|m| m.content.clone()).collect();
    assert_eq!(history[1..3], ["Question one".to_owned(), "Second thought.".to_owned()]);

    let q2 = a3.reply_to.clone().unwrap();
    let mut events = Vec::new();
    let end = r
        .chat
        .edit_and_resend(&r.router, &q2, "Question two, better", "r4".into(), jive(), &mut |e| events.push(e))
        .await;
    let a4 = done(end);
    match &events[0] {
        TurnEvent::Started { user_message, .. } => assert_eq!(user_message.content, "Question two, better"),
        other => panic!("{other:?}"),
    }
    let order: Vec<String> =
        r.chat.conversation(&conv).await.unwrap().messages.into_iter().map(|m| m.content).collect();
    assert_eq!(
        order,
        ["Question one", "First answer.", "Second thought.", "Question two, better", "Answer to the edit."]
    );
    assert_eq!(a4.reply_to.as_deref(), Some(q2.as_str()));
    let mut sink = |_| {};
    let err =
        r.chat.edit_and_resend(&r.router, &a4.id, "x", "r5".into(), jive(), &mut sink).await.unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::InvalidInput, "answers cannot be edited");
    let err = r.chat.regenerate(&r.router, "missing", "r6".into(), jive(), &mut sink).await.unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::NotFound);
}

#[tokio::test]
async fn the_first_exchange_titles_the_conversation_unless_named() {
    let r = rig(FakeModel::saying("ok", 3), FakeDocs::default());
    let long = "How do I register a small business with CIPC and SARS when I already have a job?\nDetails…";
    let m = done(r.send(request(None, long, "r1", jive())).await.0);
    let chat = &r.chat;
    let title = |id: String| async move { chat.conversation(&id).await.unwrap().conversation.title };
    let t = title(m.conversation_id.clone()).await;
    assert_eq!(t, "How do I register a small business with CIPC and SARS when…");
    assert!(t.chars().count() <= 60);
    done(r.send(request(Some(&m.conversation_id), "Another question", "r2", jive())).await.0);
    assert_eq!(title(m.conversation_id.clone()).await, t, "only the first exchange");

    let named = r.chat.create_conversation(Some("Tax".into())).await.unwrap();
    done(r.send(request(Some(&named.id), "What about VAT?", "r3", jive())).await.0);
    assert_eq!(title(named.id.clone()).await, "Tax");
    assert_eq!(
        r.chat.rename_conversation(&named.id, "  ").await.unwrap_err().kind(),
        crate::ErrorKind::InvalidInput
    );
    assert_eq!(r.chat.rename_conversation(&named.id, "VAT").await.unwrap().title, "VAT");
    r.chat.delete_conversation(&named.id).await.unwrap();
    assert_eq!(r.chat.delete_conversation(&named.id).await.unwrap_err().kind(), crate::ErrorKind::NotFound);
    assert_eq!(r.chat.conversations().await.unwrap().len(), 1);
}

#[tokio::test]
async fn message_search_finds_text_with_its_conversation_and_forgets_deleted_ones() {
    let r = rig(FakeModel::saying("The municipality bills monthly.", 3), FakeDocs::default());
    let a = done(r.send(request(None, "When do the municipal invoices arrive?", "r1", jive())).await.0);
    let b = done(r.send(request(None, "Something else entirely", "r2", jive())).await.0);
    let hits = r.chat.search_messages("invoice", 10).await.unwrap();
    assert_eq!(hits.len(), 1);
    let h = &hits[0];
    assert_eq!((h.conversation_id.as_str(), h.role), (a.conversation_id.as_str(), Role::User));
    assert_eq!(h.conversation_title, "When do the municipal invoices arrive?");
    let marked: Vec<&str> = h.snippet.iter().filter(|p| p.hit).map(|p| p.text.as_str()).collect();
    assert_eq!(marked, ["invoices"]);
    assert_eq!(r.chat.search_messages("municipality bills", 10).await.unwrap().len(), 2, "answers too");

    // Written after the index was built: found by the catch-up.
    done(r.send(request(Some(&b.conversation_id), "Zebra crossing rules", "r3", jive())).await.0);
    assert_eq!(r.chat.search_messages("zebra", 10).await.unwrap().len(), 1);
    r.chat.delete_conversation(&a.conversation_id).await.unwrap();
    assert!(r.chat.search_messages("invoice", 10).await.unwrap().is_empty());
    assert!(r.chat.search_messages("   ", 10).await.unwrap().is_empty());
}

#[tokio::test]
async fn usage_counts_today_per_tier() {
    let model = FakeModel::new(vec![
        Script::Chunks(vec!["a"], Some((1_000, 500))),
        Script::Chunks(vec!["b"], Some((2_000, 1_000))),
    ]);
    let r = rig(model, FakeDocs::default());
    done(r.send(request(None, "one", "r1", jive())).await.0);
    let free = TurnOptions { tier: Some(Tier::Free), ..TurnOptions::default() };
    done(r.send(request(None, "two", "r2", free)).await.0);
    let report = r.chat.usage(30).await.unwrap();
    assert_eq!(report.days.len(), 30);
    let today = &report.today;
    assert_eq!((today.messages, today.tokens_in, today.tokens_out), (2, 3_000, 1_500));
    // Fast-class prices: (3000 × 0.40 + 1500 × 0.80) / 1e6 USD.
    assert!((today.cost_usd - 0.0024).abs() < 1e-12, "{}", today.cost_usd);
    assert!((today.cost_zar - 0.0024 * 18.5).abs() < 1e-9);
    let tiers: Vec<(Option<Tier>, u64)> = today.tiers.iter().map(|t| (t.tier, t.tokens_in)).collect();
    assert_eq!(tiers, [(Some(Tier::Free), 2_000), (Some(Tier::Jive), 1_000)]);
    assert_eq!(report.total.messages, 2);
}

#[tokio::test]
async fn a_json_export_imported_again_equals_the_stored_conversation() {
    let docs = FakeDocs::with(vec![source(7, "a.pdf", Some(3), "Fact.")]);
    let model = FakeModel::new(vec![
        Script::Chunks(vec!["<think>hm</think>It is so [1]."], Some((9, 4))),
        Script::FailAfter(vec!["Half"]),
    ]);
    let r = rig(model, docs);
    let m = done(r.send(request(None, "Is it so?", "r1", jive())).await.0);
    let conv = m.conversation_id.clone();
    let _ = r.send(request(Some(&conv), "And then?", "r2", jive())).await;
    let before = r.chat.conversation(&conv).await.unwrap();
    assert_eq!(before.messages.len(), 4);

    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("c.json");
    assert_eq!(r.chat.export_conversation(&conv, ExportFormat::Json, &json).await.unwrap(), json);
    let err = r.chat.import_conversation(&json).await.unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::InvalidInput, "it exists already: {err}");
    r.chat.delete_conversation(&conv).await.unwrap();
    let summary = r.chat.import_conversation(&json).await.unwrap();
    assert_eq!(summary, before.conversation);
    assert_eq!(r.chat.conversation(&conv).await.unwrap(), before);

    let md = r.chat.export_text(&conv, ExportFormat::Markdown).await.unwrap();
    assert!(md.starts_with("# Is it so?\n"), "{md}");
    assert!(md.contains("It is so [^2-1]."), "{md}");
    assert!(md.contains("[^2-1]: a.pdf, page 3 — `/docs/a.pdf` — “Fact.”"), "{md}");
    assert!(md.contains("<details><summary>Thinking</summary>\n\nhm\n\n</details>"), "{md}");
    assert!(md.contains("*(the answer broke off: the connection broke)*"), "{md}");

    let bad = dir.path().join("bad.json");
    for (text, says) in [
        ("{", "not a JSON"),
        ("{\"format\":\"x\"}", "not a Gogga"),
        ("{\"format\":\"gogga-conversation\",\"version\":9}", "version 9"),
    ] {
        std::fs::write(&bad, text).unwrap();
        let err = r.chat.import_conversation(&bad).await.unwrap_err();
        assert!(err.to_string().contains(says), "{text}: {err}");
    }
    let missing = r.chat.export_conversation("nope", ExportFormat::Json, &dir.path().join("x.json")).await;
    assert_eq!(missing.unwrap_err().kind(), crate::ErrorKind::NotFound);
    assert!(!dir.path().join("x.json").exists());
}

#[tokio::test]
async fn an_image_request_is_answered_in_text_with_a_notice() {
    let r = rig(FakeModel::saying("I can describe it.", 1), FakeDocs::default());
    let free = TurnOptions { tier: Some(Tier::Free), ..TurnOptions::default() };
    let (end, events) = r.send(request(None, "Draw me a picture of a lion", "r1", free)).await;
    let m = done(end);
    assert_eq!(m.route.map(|r| r.layer), Some("free_text".to_owned()));
    assert_eq!(r.model.calls()[0].model, crate::router::RouterConfig::default().models.free);
    assert!(
        matches!(&events[0], TurnEvent::Started { notice: Some(n), .. } if n.contains("Image generation"))
    );
}
