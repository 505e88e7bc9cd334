//! The router end to end, as tables: the original's false positives must
//! not come back, every category has true positives, the decision order of
//! PRODUCT.md §1 holds, and bad input gets a route, never a panic.

use std::path::Path;
use std::sync::LazyLock;

use super::*;

static DEFAULT: LazyLock<Router> = LazyLock::new(|| Router::new(&RouterConfig::default(), None).unwrap());

/// The defaults plus the substrings the original matched by accident, so
/// the boundary rule is tested against phrases that really are listed.
static WITH_TRAPS: LazyLock<Router> = LazyLock::new(|| {
    let traps = "[sa_language]\nadd = [\"rica\"]\n[image]\nadd = [\"art of\"]\n";
    Router::new(&RouterConfig::default(), Some((traps, Path::new("router.toml")))).unwrap()
});

fn phrases(router: &Router, text: &str) -> Vec<String> {
    router.classify(&UserText::typed(text)).hits.iter().map(|h| h.phrase.to_string()).collect()
}

fn route(text: &str, tier: Tier, manual: Override) -> Route {
    DEFAULT.route(&UserText::typed(text), tier, manual)
}

#[test]
fn substrings_inside_words_never_hit() {
    // (text, phrase that must not be hit, phrase that must be hit or "")
    let cases = [
        ("We live in South Africa and love it", "rica", ""),
        ("Please comment on my essay", "mme", ""),
        ("The farmer sold three ewes at the market", "ewe", ""),
        ("Make a chart of sales per month", "art of", "chart"),
        ("Help me design a database schema for a clinic", "design a logo", "database schema"),
        ("make me a sandwich", "make me", ""),
        ("Moloko is my surname", "molo", ""),
        ("The SWOT analysts met", "swot analysis", "swot"),
    ];
    for (text, absent, present) in cases {
        let got = phrases(&WITH_TRAPS, text);
        assert!(!got.iter().any(|p| p == absent), "{text:?} hit {absent:?}: {got:?}");
        if !present.is_empty() {
            assert!(got.iter().any(|p| p == present), "{text:?} missed {present:?}: {got:?}");
        }
    }
    // The same traps do hit as whole words: the boundary rule, not a missing phrase.
    for (text, phrase) in [
        ("Rica is coming", "rica"),
        ("Dumela mme", "mme"),
        ("Ewe, ndiyavuma", "ewe"),
        ("the art of war", "art of"),
    ] {
        assert!(phrases(&WITH_TRAPS, text).iter().any(|p| p == phrase), "{text:?} should hit {phrase:?}");
    }
}

#[test]
fn the_originals_non_image_requests_are_not_images() {
    for text in ["design a database schema", "make me a sandwich", "Draw a conclusion from these figures"] {
        let c = DEFAULT.classify(&UserText::typed(text));
        assert!(!c.has(Category::Image), "{text:?}: {c:?}");
        assert_ne!(route(text, Tier::Free, Override::Auto).layer, Layer::Image, "{text:?}");
    }
}

#[test]
fn every_category_has_true_positives() {
    use Category::*;
    let cases = [
        ("Explain photosynthesis in detail", ExtendedOutput, "in detail"),
        ("Write at least 2000 words on the Freedom Charter", ExtendedOutput, "at least 2000 words"),
        ("Give me a step-by-step guide to registering a company", ExtendedOutput, "step-by-step"),
        ("I need a comprehensive report on township tourism", ComplexOutput, "comprehensive report"),
        ("What are the pros and cons of solar geysers?", ComplexOutput, "pros and cons"),
        ("Draft a proposal for a community garden", DocumentAnalysis, "draft a proposal"),
        ("Do a SWOT analysis of my bakery", DocumentAnalysis, "swot analysis"),
        ("Write a legal opinion on this lease", DocumentAnalysis, "legal opinion"),
        ("Is my spaza shop compliant with POPIA?", Complex, "popia"),
        ("How does B-BBEE affect government tenders?", Complex, "b-bbee"),
        ("Calculate compound interest on R10 000 at 11%", Complex, "compound interest"),
        ("Help with the system design of a chat app", Complex, "system design"),
        ("Visualise my monthly spending", Complex, "visualise"),
        ("Sawubona Gogga!", SaLanguage, "sawubona"),
        ("Translate to Zulu: good morning", SaLanguage, "translate to zulu"),
        ("Dumela, o kae?", SaLanguage, "dumela"),
        ("Avuxeni! I need help", SaLanguage, "avuxeni"),
        ("Draw me a lion in the Kruger Park", Image, "draw me"),
        ("Create an image of Table Mountain at sunset", Image, "create an image"),
        ("Design a logo for my spaza shop", Image, "design a logo"),
        ("A picture of a braai, please", Image, "picture of"),
    ];
    for (text, category, phrase) in cases {
        let c = DEFAULT.classify(&UserText::typed(text));
        let hit = c.hits.iter().find(|h| &*h.phrase == phrase);
        assert!(hit.is_some_and(|h| h.categories.contains(category)), "{text:?} → {c:?}");
    }
}

#[test]
fn matching_ignores_ascii_case_and_reports_byte_spans() {
    let text = "Ngiyabonga! Can you DRAW ME a cat and explain POPIA — ḓo it in Detail?";
    let c = DEFAULT.classify(&UserText::typed(text));
    let got: Vec<(&str, &str)> = c.hits.iter().map(|h| (&*h.phrase, &text[h.start..h.end])).collect();
    assert_eq!(
        got,
        [
            ("ngiyabonga", "Ngiyabonga"),
            ("draw me", "DRAW ME"),
            ("popia", "POPIA"),
            ("in detail", "in Detail")
        ]
    );
}

#[test]
fn longest_phrase_per_start_and_overlapping_phrases_all_count() {
    let cases: &[(&str, &[&str])] = &[
        // two phrases overlapping: both found
        ("write a detailed report on water", &["write a detailed", "detailed report"]),
        // a longer phrase shadows its prefix at the same start
        ("an in depth analysis of rates", &["in depth analysis"]),
        ("a swot analysis please", &["swot analysis"]),
        // the longest is glued to the next word: the shorter one still counts
        ("a swot analysises", &["swot"]),
        // a phrase inside a longer one, starting later, is found too
        ("translate to zulu", &["translate to zulu", "zulu"]),
    ];
    for (text, want) in cases {
        assert_eq!(phrases(&DEFAULT, text), *want, "{text:?}");
    }
    // "in depth analysis" is listed in two categories; one hit counts for both.
    let c = DEFAULT.classify(&UserText::typed("an in depth analysis"));
    assert!(c.has(Category::ExtendedOutput) && c.has(Category::ComplexOutput), "{c:?}");
}

/// (tier, override, text) → (layer, reason, max_tokens)
#[test]
fn decision_order_of_the_product_spec() {
    use Layer::*;
    use Override::{Auto, Fast as ManualFast, Max};
    use Tier::*;
    let cases = [
        (Free, Auto, "Draw me a protea", Image, Reason::Image, 2048),
        (Free, Auto, "What does POPIA say about CCTV?", FreeText, Reason::FreeText, 2048),
        (Free, Auto, "Explain tides in detail", FreeText, Reason::FreeText, 2048),
        (Free, Max, "What does POPIA say about CCTV?", FreeText, Reason::FreeText, 2048),
        (Jive, Auto, "What does POPIA say about CCTV?", Big, Reason::Complex, 8000),
        (Jive, Auto, "Explain POPIA in detail", Big, Reason::Complex, 32000),
        (Jive, Auto, "Sawubona, ngicela usizo", Big, Reason::SaLanguage, 8000),
        (Jive, Auto, "Give me the pros and cons of renting", Big, Reason::ComplexOutput, 8000),
        (Jive, Auto, "What is a good name for a cat?", Fast, Reason::Default, 4096),
        (Jive, Auto, "Explain in detail how bread rises", Fast, Reason::Default, 8000),
        (Jive, Auto, "Draft a proposal for a bakery", Fast, Reason::Default, 8000),
        (Jigga, Auto, "Draft a proposal with a SWOT analysis on VAT", Big, Reason::Complex, 32000),
        (Jive, ManualFast, "What does POPIA say about CCTV?", Fast, Reason::OverrideFast, 4096),
        (Jigga, Max, "Hello", Big, Reason::OverrideMax, 8000),
        (Jigga, Max, "Hello, answer in depth", Big, Reason::OverrideMax, 32000),
        (Jive, Auto, "Draw me a protea", Image, Reason::Image, 4096),
        (Jive, ManualFast, "Draw me a protea", Fast, Reason::OverrideFast, 4096),
        // complex beats Bantu beats complex-output
        (Jive, Auto, "Sawubona, explain POPIA", Big, Reason::Complex, 8000),
        (Jive, Auto, "Sawubona, give me a full review", Big, Reason::SaLanguage, 8000),
        // no phrase, but confidently isiZulu
        (
            Jive,
            Auto,
            "Ngifuna ukwazi ukuthi imali yami ngingayonga kanjani",
            Big,
            Reason::SaLanguageDetected,
            8000,
        ),
    ];
    for (tier, manual, text, layer, reason, max_tokens) in cases {
        let r = route(text, tier, manual);
        assert_eq!(
            (r.layer, r.reason, r.max_tokens),
            (layer, reason, max_tokens),
            "{tier:?} {manual:?} {text:?}"
        );
    }
}

#[test]
fn flags_sampling_and_models_come_from_the_decision_and_config() {
    let free = route("Draft a proposal", Tier::Free, Override::Max);
    assert!(free.flags.override_ignored && !free.flags.override_applied && free.flags.formal_report);
    assert_eq!((free.temperature, free.top_p), (0.7, None));
    let paid = route("Write an essay on Mandela", Tier::Jigga, Override::Auto);
    assert!(paid.flags.extended_output && !paid.flags.formal_report);
    assert_eq!((paid.temperature, paid.top_p), (0.6, Some(0.95)));

    let config = RouterConfig {
        models: Models { free: "f-1".into(), fast: "s-2".into(), big: "b-3".into(), image: "i-4".into() },
        tokens: TokenLimits { big_extended: 20000, ..TokenLimits::default() },
        ..RouterConfig::default()
    };
    let router = Router::new(&config, None).unwrap();
    let model = |text: &str, tier| router.route(&UserText::typed(text), tier, Override::Auto).model;
    assert_eq!(model("hi there", Tier::Free), "f-1");
    assert_eq!(model("hi there", Tier::Jive), "s-2");
    assert_eq!(model("popia", Tier::Jive), "b-3");
    assert_eq!(model("draw me a cat", Tier::Jive), "i-4");
    assert_eq!(
        router.route(&UserText::typed("popia in depth"), Tier::Jive, Override::Auto).max_tokens,
        20000
    );
}

#[test]
fn image_check_reads_the_first_200_characters_on_char_boundaries() {
    let prose = "Tell me about the Karoo. ".repeat(8); // 200 ASCII characters
    assert_eq!(prose.chars().count(), 200);
    let late = format!("{prose}draw me a sheep");
    let r = route(&late, Tier::Free, Override::Auto);
    assert_eq!(r.layer, Layer::FreeText);
    assert!(r.flags.image_phrase_too_late);

    // 4-byte characters: the limit counts characters, not bytes.
    let emoji_early = format!("{}draw me", "🦁".repeat(193)); // ends at character 200
    assert_eq!(route(&emoji_early, Tier::Free, Override::Auto).layer, Layer::Image);
    let emoji_late = format!("{}draw me", "🦁".repeat(194)); // ends at character 201
    assert_eq!(route(&emoji_late, Tier::Free, Override::Auto).layer, Layer::FreeText);

    assert_eq!(route::prefix_end("héllo", 2), 3);
    assert_eq!(route::prefix_end("hi", 200), 2);
    assert_eq!(route::prefix_end("", 200), 0);
}

#[test]
fn enhancements_per_tier_and_never_through_cepo() {
    let e = |tier| route("What is the capital of Limpopo?", tier, Override::Auto).enhancements;
    assert_eq!(e(Tier::Free), Enhancements { re2: true, cot_reflection: false, planning: false });
    assert_eq!(e(Tier::Jive), Enhancements { re2: true, cot_reflection: true, planning: false });
    assert_eq!(e(Tier::Jigga), Enhancements { re2: true, cot_reflection: true, planning: true });
    let r = route("What is the capital of Limpopo?", Tier::Jigga, Override::Auto);
    assert_eq!(r.enhancements_for(true), Enhancements::NONE);
    assert_eq!(r.enhancements_for(false), r.enhancements);
    assert!(r.cepo_eligible());
    let image = route("draw me a kudu", Tier::Jigga, Override::Auto);
    assert_eq!(image.enhancements, Enhancements::NONE);
    assert!(!image.cepo_eligible());
    assert!(!route("hello there", Tier::Free, Override::Auto).cepo_eligible());
}

#[test]
fn bad_input_gets_a_route_never_a_panic() {
    let megabyte = "Please explain POPIA in detail and draw me a chart. ".repeat(20_000);
    let no_spaces = "x".repeat(1 << 20);
    let cases = [
        "",
        " ",
        "\0\0\0",
        "😀🇿🇦👍🏽\u{200d}",
        "こんにちは POPIA Привет draw me مرحبا",
        "e\u{301}draw me\u{301}",
        megabyte.as_str(),
        no_spaces.as_str(),
    ];
    for text in cases {
        for tier in [Tier::Free, Tier::Jive, Tier::Jigga] {
            let r = route(text, tier, Override::Auto);
            assert!(r.max_tokens > 0 && !r.model.is_empty());
        }
    }
    assert!(DEFAULT.classify(&UserText::typed("")).hits.is_empty());
    let big = DEFAULT.classify(&UserText::typed(&megabyte));
    assert_eq!(big.hits_of(Category::Complex).count(), 2 * 20_000, "popia and chart in every sentence");
    assert!(DEFAULT.classify(&UserText::typed(&no_spaces)).hits.is_empty());
}

#[test]
fn only_the_typed_text_is_classified() {
    // Chat builds the augmented prompt itself; the router only ever sees
    // the UserText, so a passage full of legal words changes nothing.
    let typed = UserText::typed("Summarise what my landlord wrote");
    let passage = "The lessee's POPIA obligations under the Constitution and the Companies Act...";
    let r = DEFAULT.route(&typed, Tier::Jive, Override::Auto);
    assert_eq!(r.layer, Layer::Fast);
    let augmented = prompt::user_message(&typed, &r, false) + "\n\n[1] " + passage;
    assert!(augmented.contains("POPIA"), "the passage is in the prompt, not in the routing");
}

#[test]
fn invalid_config_is_refused_with_the_key_named() {
    let mut config = RouterConfig::default();
    config.models.big = " ".into();
    let err = Router::new(&config, None).unwrap_err();
    assert!(err.to_string().contains("router.models.big"), "{err}");
    let mut config = RouterConfig::default();
    config.tokens.fast_extended = 100;
    assert!(Router::new(&config, None).unwrap_err().to_string().contains("fast_extended"));
    let mut config = RouterConfig::default();
    config.sampling.paid_top_p = Some(1.5);
    assert!(Router::new(&config, None).unwrap_err().to_string().contains("paid_top_p"));
}

#[test]
fn router_config_parses_from_config_toml() {
    let text =
        "[router]\nplan = \"jigga\"\n[router.models]\nbig = \"other-235b\"\n[router.tokens]\nfree = 1000\n";
    let config = crate::Config::parse(text, Path::new("config.toml")).unwrap();
    assert_eq!(config.router.plan, Tier::Jigga);
    assert_eq!(config.router.models.big, "other-235b");
    assert_eq!(config.router.models.fast, Models::default().fast, "unset keys keep their defaults");
    assert_eq!(config.router.tokens.free, 1000);
    let err = crate::Config::parse("[router.models]\nhuge = \"x\"\n", Path::new("config.toml")).unwrap_err();
    assert!(err.to_string().contains("huge"), "{err}");
}

#[test]
fn debug_output_is_a_summary_not_the_automaton() {
    let shown = format!("{:?}", *DEFAULT);
    assert!(shown.contains("PhraseMatcher") && shown.contains("SaLanguage"), "{shown}");
    assert!(shown.len() < 2_000, "{} bytes of Debug", shown.len());
}
