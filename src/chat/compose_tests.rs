//! Prompt composition: enhancements exactly once (direct vs CePO lists),
//! numbered passages within the documents budget, history newest first
//! within what is left, markers stripped from old answers.

use super::*;
use crate::router::{Override, Router, RouterConfig, Tier};

/// One token per 4 bytes, rounded up (close enough for budgets in tests).
fn count(text: &str) -> u32 {
    text.len().div_ceil(4) as u32
}

fn route(text: &str, tier: Tier) -> Route {
    Router::new(&RouterConfig::default(), None).unwrap().route(&UserText::typed(text), tier, Override::Auto)
}

fn source(i: usize, words: usize) -> Source {
    Source {
        chunk_id: i as i64,
        document_id: format!("d{i}"),
        path: format!("/d/{i}.txt"),
        title: format!("T{i}"),
        page: i.is_multiple_of(2).then_some(i as u32),
        heading: String::new(),
        text: vec!["word"; words].join(" "),
        snippet: String::new(),
    }
}

fn budget(total: u32, documents: u32) -> TierBudget {
    TierBudget { total, response: 1_000, documents, system: 500 }
}

fn input<'a>(route: &'a Route, typed: &'a UserText, history: &'a [(Role, String)]) -> ComposeInput<'a> {
    ComposeInput {
        route,
        typed,
        only_documents: false,
        candidates: vec![source(1, 10), source(2, 10)],
        history,
        budget: budget(20_000, 5_000),
        max_passages: 8,
    }
}

#[test]
fn enhancements_go_into_the_direct_list_only() {
    let text = "Please explain how the municipal rates on my house are worked out in detail for me";
    let typed = UserText::typed(text);
    let r = route(text, Tier::Jigga);
    let c = compose(input(&r, &typed, &[]), &count);
    let direct_system = &c.direct[0].content;
    let cepo = c.cepo.as_ref().expect("paid text routes may use CePO");
    assert!(direct_system.contains("<output>"), "cot_reflection in the direct system prompt");
    assert!(!cepo[0].content.contains("<output>"), "never enhance twice");
    let direct_user = &c.direct.last().unwrap().content;
    let cepo_user = &cepo.last().unwrap().content;
    assert!(direct_user.contains(prompt::RE2_PROMPT));
    assert!(!cepo_user.contains(prompt::RE2_PROMPT));
    assert!(direct_user.contains("[1] T1") && cepo_user.contains("[1] T1"), "passages in both");
    assert!(direct_system.contains("cite every passage") && cepo[0].content.contains("cite every passage"));

    let free = route(text, Tier::Free);
    assert_eq!(compose(input(&free, &typed, &[]), &count).cepo, None, "FREE never goes through CePO");
}

#[test]
fn passages_are_numbered_and_fit_the_documents_budget() {
    let typed = UserText::typed("what does it say?");
    let r = route("what does it say?", Tier::Jive);
    let mut i = input(&r, &typed, &[]);
    // 100 words ≈ 125 tokens each; a 2,000-word passage never fits 400.
    i.candidates = vec![source(1, 100), source(2, 2_000), source(3, 100), source(4, 100)];
    i.budget = budget(20_000, 400);
    let c = compose(i, &count);
    let ids: Vec<i64> = c.sources.iter().map(|s| s.chunk_id).collect();
    assert_eq!(ids, [1, 3, 4], "too big is skipped, rank order kept");
    let user = &c.direct.last().unwrap().content;
    assert!(
        user.contains("[1] T1\n") && user.contains("[2] T3\n") && user.contains("[3] T4 (page 4)\n"),
        "{user}"
    );
    assert!(user.ends_with("Message:\nwhat does it say?"), "{user}");

    let mut few = input(&r, &typed, &[]);
    few.max_passages = 1;
    assert_eq!(compose(few, &count).sources.len(), 1);
}

#[test]
fn no_passages_means_no_cite_instruction_and_a_plain_message() {
    let typed = UserText::typed("hello");
    let r = route("hello", Tier::Free);
    let mut i = input(&r, &typed, &[]);
    i.candidates.clear();
    let c = compose(i, &count);
    assert!(!c.direct[0].content.contains("square brackets"));
    assert_eq!(c.direct.last().unwrap().content, "hello");
}

#[test]
fn only_documents_forbids_outside_knowledge() {
    let typed = UserText::typed("what is the fee?");
    let r = route("what is the fee?", Tier::Jive);
    let mut i = input(&r, &typed, &[]);
    i.only_documents = true;
    let c = compose(i, &count);
    assert!(c.direct[0].content.contains("do not use outside knowledge"));
    assert!(c.cepo.unwrap()[0].content.contains("do not use outside knowledge"));
}

#[test]
fn history_keeps_the_newest_that_fit_without_old_markers() {
    let typed = UserText::typed("and then?");
    let r = route("and then?", Tier::Free);
    let long = vec!["old"; 4_000].join(" ");
    let history = vec![
        (Role::User, long),
        (Role::Assistant, "ancient answer".to_owned()),
        (Role::User, "first question".to_owned()),
        (Role::Assistant, "Pretoria [1], Cape Town [2].".to_owned()),
    ];
    let mut i = input(&r, &typed, &history);
    i.budget = budget(4_000, 200);
    let c = compose(i, &count);
    let middle: Vec<(PromptRole, &str)> =
        c.direct[1..c.direct.len() - 1].iter().map(|m| (m.role, m.content.as_str())).collect();
    assert_eq!(
        middle,
        [
            (PromptRole::Assistant, "ancient answer"),
            (PromptRole::User, "first question"),
            (PromptRole::Assistant, "Pretoria, Cape Town.")
        ],
        "the 4,000-word message does not fit and stops the walk back"
    );
    assert_eq!(c.history_used, 3);
    assert!(c.prompt_tokens <= 4_000 - 1_000, "{}", c.prompt_tokens);
}
