//! The chat's DTOs from the core's chat types, hermetically: messages keep
//! every field the UI shows (chunk ids as strings, times as RFC 3339, a
//! stored error as `{code, message}`), turn events have the wire shape of
//! CONTRACT.md (`type` tags, camelCase fields), turn options come in as the
//! UI sends them, and search snippets join adjacent matched words.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test that cannot unwrap should fail loudly")]

use gogga::chat as core;
use gogga_desktop::dto::{self, ChatEvent, RouteMode, merge_snippet};

fn message(role: core::Role) -> core::Message {
    core::Message {
        id: "m2".into(),
        conversation_id: "c1".into(),
        role,
        content: "Forty-two days [1].".into(),
        thinking: Some("check the policy".into()),
        created_at: 1_772_438_400_000,
        reply_to: Some("m1".into()),
        route: Some(core::RouteInfo {
            tier: gogga::Tier::Jive,
            layer: "fast".into(),
            model: "cite".into(),
            via_cepo: false,
        }),
        language: Some(core::LanguageInfo { code: "zu".into(), name: "isiZulu".into() }),
        usage: Some(core::Usage {
            tokens_in: 120,
            tokens_out: 8,
            cost_usd: 0.001,
            cost_zar: 0.018,
            estimated: true,
        }),
        timing: Some(core::Timing { first_token_ms: Some(300), total_ms: 900 }),
        citations: vec![core::Citation {
            marker: 1,
            chunk_id: 9_007_199_254_740_993,
            document_id: "d1".into(),
            document_path: "/docs/records-policy.md".into(),
            title: "Records policy".into(),
            page: Some(3),
            heading: Some("Retention".into()),
            snippet: "retention period is forty-two days".into(),
        }],
        stopped: true,
        search_only: false,
        only_documents: true,
        dropped_markers: 1,
        error: Some(core::ErrorInfo { code: "unavailable".into(), message: "the stream broke".into() }),
    }
}

#[test]
fn messages_keep_what_the_ui_shows() {
    let m = dto::Message::from(message(core::Role::Assistant));
    assert_eq!((m.created_at.as_str(), m.reply_to.as_deref()), ("2026-03-02T08:00:00Z", Some("m1")));
    let c = &m.citations[0];
    assert_eq!(c.chunk_id, "9007199254740993", "ids beyond 2^53 survive as strings");
    assert_eq!((c.marker, c.page, c.title.as_str()), (1, Some(3), "Records policy"));
    let route = m.route.as_ref().unwrap();
    assert_eq!((route.tier, route.layer.as_str(), route.model.as_str()), (dto::Tier::Jive, "fast", "cite"));
    assert_eq!(m.usage.as_ref().map(|u| (u.tokens_in, u.tokens_out)), Some((120, 8)));
    assert_eq!(m.timing.as_ref().map(|t| (t.first_token_ms, t.total_ms)), Some((Some(300), 900)));
    assert!(m.stopped && m.only_documents && !m.search_only);
    assert_eq!(m.error.as_ref().map(|e| e.code.as_str()), Some("unavailable"));
    let json = serde_json::to_value(&m).unwrap();
    assert_eq!(json["role"], "assistant");
    assert_eq!(json["language"], serde_json::json!({ "code": "zu", "name": "isiZulu" }));
    assert_eq!(json["usage"]["costZar"], 0.018);
    assert!(
        json.get("droppedMarkers").is_none() && json["usage"].get("estimated").is_none(),
        "only contract fields"
    );
}

#[test]
fn turn_events_have_the_contract_wire_shape() {
    let user = message(core::Role::User);
    let cases = [
        (
            core::TurnEvent::Started {
                request_id: "r1".into(),
                user_message: user.clone(),
                assistant_message_id: "m2".into(),
                route: None,
                language: None,
                search_only: true,
                notice: Some("No model is set up".into()),
            },
            "started",
            vec![
                "requestId",
                "userMessage",
                "assistantMessageId",
                "route",
                "language",
                "searchOnly",
                "notice",
            ],
        ),
        (core::TurnEvent::Progress { note: "searching".into() }, "progress", vec!["note"]),
        (core::TurnEvent::Delta { text: "Forty".into() }, "delta", vec!["text"]),
        (core::TurnEvent::Thinking { text: "hmm".into() }, "thinking", vec!["text"]),
        (core::TurnEvent::Done { message: message(core::Role::Assistant) }, "done", vec!["message"]),
        (
            core::TurnEvent::Error {
                error: core::ErrorInfo { code: "rate_limited".into(), message: "slow down".into() },
                partial: None,
            },
            "error",
            vec!["error", "partial"],
        ),
    ];
    for (event, tag, fields) in cases {
        let json = serde_json::to_value(ChatEvent::from(event)).unwrap();
        let obj = json.as_object().unwrap();
        assert_eq!(obj["type"], tag);
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).filter(|k| *k != "type").collect();
        let mut want = fields.clone();
        keys.sort_unstable();
        want.sort_unstable();
        assert_eq!(keys, want, "{tag}");
    }
    let json = serde_json::to_value(ChatEvent::from(core::TurnEvent::Error {
        error: core::ErrorInfo { code: "rate_limited".into(), message: "slow down".into() },
        partial: Some(message(core::Role::Assistant)),
    }))
    .unwrap();
    assert_eq!(json["error"], serde_json::json!({ "code": "rate_limited", "message": "slow down" }));
    assert_eq!(json["partial"]["id"], "m2");
}

#[test]
fn turn_options_come_in_as_the_ui_sends_them() {
    let o: dto::TurnOptions = serde_json::from_str(r#"{"mode":"max","onlyDocuments":true}"#).unwrap();
    assert_eq!(o.mode, RouteMode::Max);
    let core: core::TurnOptions = o.into();
    assert_eq!((core.mode, core.only_documents, core.tier), (gogga::Override::Max, Some(true), None));
    assert!(serde_json::from_str::<dto::TurnOptions>(r#"{"mode":"turbo","onlyDocuments":false}"#).is_err());
}

#[test]
fn adjacent_matched_words_are_one_highlighted_phrase() {
    let part = |text: &str, hit: bool| core::SnippetPart { text: text.into(), hit };
    let show = |parts: Vec<dto::SnippetPart>| -> Vec<(String, bool)> {
        parts.into_iter().map(|p| (p.text, p.hit)).collect()
    };
    type Case = (Vec<core::SnippetPart>, Vec<(&'static str, bool)>);
    let cases: Vec<Case> = vec![
        (
            vec![
                part("How long are ", false),
                part("call", true),
                part(" ", false),
                part("recordings", true),
                part(" kept?", false),
            ],
            vec![("How long are ", false), ("call recordings", true), (" kept?", false)],
        ),
        (
            vec![part("call", true), part(" and ", false), part("recordings", true)],
            vec![("call", true), (" and ", false), ("recordings", true)],
        ),
        (
            vec![part(" ", false), part("call", true), part(" ", false)],
            vec![(" ", false), ("call", true), (" ", false)],
        ),
        (vec![part("no match", false)], vec![("no match", false)]),
        (vec![], vec![]),
    ];
    for (input, want) in cases {
        let text: String = input.iter().map(|p| p.text.as_str()).collect();
        let got = show(merge_snippet(input));
        assert_eq!(got.iter().map(|(t, _)| t.as_str()).collect::<String>(), text, "the text is unchanged");
        let want: Vec<(String, bool)> = want.into_iter().map(|(t, h)| (t.to_owned(), h)).collect();
        assert_eq!(got, want);
    }
}

#[test]
fn passage_ids_must_be_numbers() {
    assert_eq!(dto::chunk_id("42").unwrap(), 42);
    assert_eq!(dto::chunk_id(" 9007199254740993 ").unwrap(), 9_007_199_254_740_993);
    for bad in ["", "abc", "4.2", "1e3", "99999999999999999999"] {
        assert_eq!(dto::chunk_id(bad).unwrap_err().code, "invalid_input", "{bad:?}");
    }
    let p = dto::Passage::from(core::Passage {
        chunk_id: 7,
        document_id: "d1".into(),
        document_path: "/docs/a.pdf".into(),
        title: "A".into(),
        page: Some(2),
        heading: None,
        text: "The passage.".into(),
    });
    assert_eq!((p.chunk_id.as_str(), p.page, p.heading), ("7", Some(2), None));
}
