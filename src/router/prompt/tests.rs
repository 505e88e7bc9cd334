//! Prompt assembly: the persona is always there, the language instruction
//! only when confident and not English, the formal-report instruction on
//! document analysis, enhancements by tier and never through CePO, and re2
//! on text over 50 characters.

use std::sync::LazyLock;

use super::*;
use crate::router::{Lang, Override, Router, RouterConfig, Tier, UserText};

static ROUTER: LazyLock<Router> = LazyLock::new(|| Router::new(&RouterConfig::default(), None).unwrap());

fn route(text: &str, tier: Tier) -> Route {
    ROUTER.route(&UserText::typed(text), tier, Override::Auto)
}

fn english() -> LanguageGuess {
    LanguageGuess { lang: Lang::En, confidence: 0.95, mixed: vec![] }
}

const COT: &str = "<reflection>";
const PLAN: &str = "numbered plan";

#[test]
fn persona_is_always_there() {
    for tier in [Tier::Free, Tier::Jive, Tier::Jigga] {
        for via_cepo in [false, true] {
            let p = system_prompt_for(&route("hello", tier), &english(), via_cepo);
            for needle in
                ["You are Gogga", "proudly South African", "Rand", "SAST", "persona", "politely decline"]
            {
                assert!(p.contains(needle), "{tier:?} cepo={via_cepo}: missing {needle:?}");
            }
        }
    }
}

#[test]
fn language_instruction_only_when_confident_and_not_english() {
    let r = route("hello", Tier::Jive);
    let zu = LanguageGuess { lang: Lang::Zu, confidence: 0.9, mixed: vec![] };
    assert!(system_prompt(&r, &zu).contains("Reply in isiZulu"));
    let unsure = LanguageGuess { lang: Lang::Zu, confidence: 0.4, mixed: vec![] };
    assert!(!system_prompt(&r, &unsure).contains("Reply in"));
    assert!(!system_prompt(&r, &english()).contains("Reply in"));
    let mixed = LanguageGuess { lang: Lang::Tn, confidence: 0.8, mixed: vec![Lang::En] };
    let p = system_prompt(&r, &mixed);
    assert!(p.contains("Reply in Setswana") && p.contains("mix in English"), "{p}");
    // through CePO too: the language is not an enhancement
    assert!(system_prompt_for(&r, &zu, true).contains("Reply in isiZulu"));
}

#[test]
fn route_language_drives_assemble() {
    let typed = UserText::typed("Ngicela ungisize, angazi ukuthi ngenzeni ngemali yami");
    let r = ROUTER.route(&typed, Tier::Jive, Override::Auto);
    assert_eq!(r.language.lang, Lang::Zu);
    assert!(assemble(&typed, &r, false).system.contains("Reply in isiZulu"));
}

#[test]
fn formal_report_on_document_analysis_only() {
    assert!(
        system_prompt(&route("Draft a proposal for a tuck shop", Tier::Free), &english())
            .contains("formal report")
    );
    assert!(
        system_prompt_for(&route("Draft a proposal", Tier::Jive), &english(), true).contains("formal report")
    );
    assert!(!system_prompt(&route("Tell me a joke", Tier::Jive), &english()).contains("formal report"));
}

#[test]
fn enhancements_by_tier_and_none_through_cepo() {
    // (tier, via_cepo, cot_reflection, planning)
    let cases = [
        (Tier::Free, false, false, false),
        (Tier::Jive, false, true, false),
        (Tier::Jigga, false, true, true),
        (Tier::Jive, true, false, false),
        (Tier::Jigga, true, false, false),
    ];
    for (tier, via_cepo, cot, plan) in cases {
        let p =
            system_prompt_for(&route("How do I apply for a learner's licence?", tier), &english(), via_cepo);
        assert_eq!(p.contains(COT) && p.contains("<output>"), cot, "{tier:?} cepo={via_cepo}");
        assert_eq!(p.contains(PLAN), plan, "{tier:?} cepo={via_cepo}");
    }
    assert_eq!(
        system_prompt(&route("hi", Tier::Jigga), &english()),
        system_prompt_for(&route("hi", Tier::Jigga), &english(), false)
    );
}

#[test]
fn re2_repeats_long_user_text_on_direct_calls_only() {
    let fifty = "a".repeat(50);
    let fifty_one = "a".repeat(51);
    let emoji = "🦓".repeat(50); // 200 bytes, 50 characters
    let r = route("hello", Tier::Free);
    let cases = [
        (fifty.as_str(), false, false),
        (fifty_one.as_str(), false, true),
        (fifty_one.as_str(), true, false),
        (emoji.as_str(), false, false),
    ];
    for (text, via_cepo, repeated) in cases {
        let msg = user_message(&UserText::typed(text), &r, via_cepo);
        if repeated {
            assert_eq!(msg, format!("{text}\n\nRead the question again: {text}"));
        } else {
            assert_eq!(msg, text, "cepo={via_cepo}");
        }
    }
    let image = route("draw me a springbok leaping over a river at dawn, please", Tier::Jive);
    let text = UserText::typed("draw me a springbok leaping over a river at dawn, please");
    assert_eq!(user_message(&text, &image, false), text.as_str(), "no enhancements on image routes");
}
