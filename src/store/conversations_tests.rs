//! Conversation store tests on real SQLite files: create/rename/delete,
//! message order, citations kept, idempotent request ids, edits dropping
//! what follows, change sequence for the search index, usage per day,
//! imports, and the query plans of the hot reads.

use super::*;

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("g.db")).unwrap();
    (dir, store)
}

fn msg(id: &str, conv: &str, role: &str, content: &str, at: i64) -> MessageRow {
    MessageRow {
        id: id.into(),
        conversation_id: conv.into(),
        role: role.into(),
        content: content.into(),
        created_at: at,
        updated_at: at,
        ..MessageRow::default()
    }
}

fn cite(marker: i64, chunk: i64) -> CitationRow {
    CitationRow {
        marker,
        chunk_id: chunk,
        document_id: "d1".into(),
        document_path: "/docs/a.pdf".into(),
        title: "A".into(),
        page: Some(3),
        heading: None,
        snippet: "snip".into(),
    }
}

#[test]
fn conversations_are_created_renamed_listed_and_deleted() {
    let (_d, s) = store();
    let a = s.create_conversation("a", None, 1_000).unwrap();
    assert!(a.title_auto);
    s.create_conversation("b", Some("Tax"), 2_000).unwrap();
    let ids: Vec<String> = s.conversations().unwrap().into_iter().map(|c| c.id).collect();
    assert_eq!(ids, ["b", "a"], "newest first");

    s.insert_message(&msg("m1", "a", "user", "hi", 3_000)).unwrap();
    let listed = s.conversations().unwrap();
    assert_eq!((listed[0].id.as_str(), listed[0].message_count), ("a", 1), "activity moves it up");

    assert!(s.set_auto_title("a", "Greeting").unwrap());
    assert!(!s.set_auto_title("a", "Again").unwrap(), "only the first exchange titles it");
    let renamed = s.rename_conversation("b", "Taxes 2026", 4_000).unwrap();
    assert_eq!((renamed.title.as_str(), renamed.title_auto), ("Taxes 2026", false));
    assert!(!s.set_auto_title("b", "auto").unwrap(), "a user's title is never replaced");
    assert_eq!(s.rename_conversation("zzz", "x", 1).unwrap_err().kind(), crate::ErrorKind::NotFound);

    assert_eq!(s.delete_conversation("a").unwrap(), Some(vec!["m1".to_owned()]));
    assert_eq!(s.delete_conversation("a").unwrap(), None);
    assert!(s.message("m1").unwrap().is_none(), "messages go with their conversation");
}

#[test]
fn messages_keep_order_fields_and_citations() {
    let (_d, s) = store();
    s.create_conversation("c", None, 0).unwrap();
    s.insert_message(&msg("u1", "c", "user", "question", 10)).unwrap();
    let mut answer = msg("a1", "c", "assistant", "answer [1] [2]", 10);
    answer.reply_to = Some("u1".into());
    answer.tier = Some("jive".into());
    answer.layer = Some("big".into());
    answer.model = Some("m".into());
    answer.tokens_in = Some(100);
    answer.tokens_out = Some(20);
    answer.cost_usd = Some(0.5);
    answer.stopped = true;
    answer.citations = vec![cite(2, 9), cite(1, 7)];
    s.insert_message(&answer).unwrap();
    s.insert_message(&msg("u2", "c", "user", "again", 10)).unwrap();

    let all = s.messages("c").unwrap();
    let ids: Vec<&str> = all.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["u1", "a1", "u2"], "insertion order even within one millisecond");
    let got = &all[1];
    let markers: Vec<i64> = got.citations.iter().map(|c| c.marker).collect();
    assert_eq!(markers, [1, 2]);
    let mut want = answer.clone();
    want.citations.sort_by_key(|c| c.marker);
    assert_eq!(got, &want);
    assert_eq!(s.message("a1").unwrap().as_ref(), Some(&want));
}

#[test]
fn a_request_id_makes_one_message_per_role() {
    let (_d, s) = store();
    s.create_conversation("c", None, 0).unwrap();
    let mut a = msg("a1", "c", "assistant", "x", 1);
    a.request_id = Some("req".into());
    s.insert_message(&a).unwrap();
    let mut twin = msg("a2", "c", "assistant", "y", 2);
    twin.request_id = Some("req".into());
    let err = s.insert_message(&twin).unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::InvalidInput, "{err}");
    assert_eq!(s.message_by_request("req", "assistant").unwrap().map(|m| m.id), Some("a1".into()));
    assert_eq!(s.messages("c").unwrap().len(), 1, "nothing half-written");
    let mut user = msg("u1", "c", "user", "x", 1);
    user.request_id = Some("req".into());
    s.insert_message(&user).unwrap();
}

#[test]
fn a_message_for_a_missing_conversation_is_refused() {
    let (_d, s) = store();
    let err = s.insert_message(&msg("m", "nope", "user", "x", 1)).unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::NotFound);
}

#[test]
fn editing_drops_what_followed_and_bumps_the_change_sequence() {
    let (_d, s) = store();
    s.create_conversation("c", None, 0).unwrap();
    for (id, role) in [("u1", "user"), ("a1", "assistant"), ("u2", "user"), ("a2", "assistant")] {
        s.insert_message(&msg(id, "c", role, id, 1)).unwrap();
    }
    let before = s.messages_changed_since(0, 100).unwrap();
    assert_eq!(before.iter().map(|m| m.change_seq).collect::<Vec<_>>(), [1, 2, 3, 4]);
    let dropped = s.edit_user_message("u2", "better question", 5).unwrap();
    assert_eq!(dropped, ["a2"]);
    let after = s.messages_changed_since(4, 100).unwrap();
    assert_eq!(after.len(), 1);
    assert_eq!(
        (after[0].id.as_str(), after[0].content.as_str(), after[0].change_seq),
        ("u2", "better question", 5)
    );
    let ids: Vec<String> = s.messages("c").unwrap().into_iter().map(|m| m.id).collect();
    assert_eq!(ids, ["u1", "a1", "u2"]);
    s.delete_conversation("c").unwrap();
    s.create_conversation("d", None, 0).unwrap();
    s.insert_message(&msg("n1", "d", "user", "after a delete", 7)).unwrap();
    let next = s.messages_changed_since(5, 100).unwrap();
    assert_eq!(next.iter().map(|m| m.change_seq).collect::<Vec<_>>(), [6], "never reused after deletes");
    s.insert_message(&msg("a1", "d", "assistant", "a1", 8)).unwrap();
    assert_eq!(s.edit_user_message("zz", "x", 6).unwrap_err().kind(), crate::ErrorKind::NotFound);
}

#[test]
fn usage_is_grouped_by_local_day_and_tier() {
    let (_d, s) = store();
    s.create_conversation("c", None, 0).unwrap();
    const DAY: i64 = 86_400_000;
    const TWO_HOURS: i64 = 7_200_000;
    // 23:00 UTC on day 10 is 01:00 SAST on day 11.
    let rows = [
        ("a", 10 * DAY + 23 * 3_600_000, "jive", 100, 10, 0.001),
        ("b", 11 * DAY + 3_600_000, "jive", 50, 5, 0.002),
        ("c", 11 * DAY + 3_600_000, "free", 7, 3, 0.0),
        ("d", 9 * DAY, "jive", 1, 1, 0.0),
    ];
    for (id, at, tier, tin, tout, usd) in rows {
        let mut m = msg(id, "c", "assistant", "x", at);
        m.tier = Some(tier.into());
        m.tokens_in = Some(tin);
        m.tokens_out = Some(tout);
        m.cost_usd = Some(usd);
        m.cost_zar = Some(usd * 18.0);
        s.insert_message(&m).unwrap();
    }
    s.insert_message(&msg("u", "c", "user", "not counted", 11 * DAY)).unwrap();
    let got = s.usage_by_day(10 * DAY, TWO_HOURS).unwrap();
    let summary: Vec<(i64, Option<&str>, i64, i64, i64)> =
        got.iter().map(|r| (r.day, r.tier.as_deref(), r.messages, r.tokens_in, r.tokens_out)).collect();
    assert_eq!(summary, [(11, Some("free"), 1, 7, 3), (11, Some("jive"), 2, 150, 15)]);
    assert!((got[1].cost_usd - 0.003).abs() < 1e-12);
}

#[test]
fn an_import_is_whole_or_nothing() {
    let (_d, s) = store();
    let conv = ConversationRow {
        id: "c".into(),
        title: "Imported".into(),
        title_auto: false,
        created_at: 5,
        updated_at: 9,
        message_count: 2,
    };
    let mut a = msg("a", "c", "assistant", "x [1]", 7);
    a.citations = vec![cite(1, 3)];
    let msgs = [msg("u", "c", "user", "q", 6), a];
    s.import_conversation(&conv, &msgs).unwrap();
    assert_eq!(s.conversation("c").unwrap(), Some(conv.clone()));
    assert_eq!(s.messages("c").unwrap(), msgs);
    assert_eq!(s.import_conversation(&conv, &msgs).unwrap_err().kind(), crate::ErrorKind::InvalidInput);

    let other = ConversationRow { id: "d".into(), ..conv };
    let bad = [msg("v", "d", "user", "q", 1), msg("w", "elsewhere", "user", "q", 1)];
    assert!(s.import_conversation(&other, &bad).is_err());
    assert_eq!(s.conversation("d").unwrap(), None, "rolled back");
}

#[test]
fn hot_reads_use_indexes() {
    let (_d, s) = store();
    let plans = [
        ("SELECT id FROM messages WHERE conversation_id = 'x' ORDER BY rowid", "messages_conversation"),
        ("SELECT id FROM messages WHERE request_id = 'r' AND role = 'assistant'", "messages_request"),
        ("SELECT id FROM messages WHERE change_seq > 5 ORDER BY change_seq", "messages_change"),
        ("SELECT count(*) FROM messages WHERE role = 'assistant' AND created_at >= 5", "messages_usage"),
        ("SELECT id FROM conversations ORDER BY updated_at DESC, id DESC", "conversations_updated"),
    ];
    for (sql, index) in plans {
        let plan: Vec<String> = s
            .read(|c| {
                let mut stmt = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
                let rows = stmt.query_map([], |r| r.get::<_, String>(3))?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            })
            .unwrap();
        assert!(plan.iter().any(|p| p.contains(index)), "{sql}: {plan:?}");
        assert!(!plan.iter().any(|p| p.contains("TEMP B-TREE")), "{sql} sorts: {plan:?}");
    }
}

#[test]
fn a_first_message_creates_its_conversation_and_an_answer_titles_it_once() {
    let (_d, s) = store();
    s.insert_first_message(&msg("u1", "c", "user", "Where is the deposit?", 5)).unwrap();
    let c = s.conversation("c").unwrap().unwrap();
    assert_eq!((c.title.as_str(), c.title_auto, c.message_count, c.created_at), ("New chat", true, 1, 5));
    s.insert_answer(&msg("a1", "c", "assistant", "In the trust account.", 6), "Where is the deposit?")
        .unwrap();
    s.insert_answer(&msg("a2", "c", "assistant", "Again.", 7), "Other title").unwrap();
    let c = s.conversation("c").unwrap().unwrap();
    assert_eq!((c.title.as_str(), c.title_auto, c.message_count), ("Where is the deposit?", false, 3));
    let err = s.insert_answer(&msg("a3", "gone", "assistant", "x", 8), "t").unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::NotFound);
    assert!(s.insert_first_message(&msg("u2", "c", "user", "dup conversation", 9)).is_err());
    assert_eq!(s.messages("c").unwrap().len(), 3, "the failed insert left nothing");
}
