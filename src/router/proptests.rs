//! Property: on random text built from keyword fragments (whole phrases,
//! halves of phrases, separators, letters that glue words, multi-byte
//! characters, random ASCII upper case), the automaton and the naive
//! per-phrase matcher return exactly the same hits. Run on the real
//! default sets and on a small set made of nested and overlapping phrases.

use std::path::Path;
use std::sync::LazyLock;

use proptest::prelude::*;

use super::keywords::KeywordSets;
use super::matcher::{NaiveMatcher, on_boundaries};
use super::{Router, RouterConfig, UserText};

/// Phrases that contain, prefix and overlap each other.
const NESTED: &str = r#"
[extended_output]
phrases = ["ab", "ab cd", "ha ha"]
[complex_output]
phrases = ["b", "cd ef", "ab"]
[document_analysis]
phrases = ["a", "a-b"]
[complex]
phrases = ["ab cd ef gh", "ef"]
[sa_language]
phrases = ["ḓa", "aḓa", "a ḓa"]
[image]
phrases = ["x-y", "y", "y z"]
"#;

struct Case {
    router: Router,
    naive: NaiveMatcher,
    fragments: Vec<String>,
}

fn case(sets: KeywordSets, extra: &[&str]) -> Case {
    let mut fragments = Vec::new();
    for (phrase, _) in sets.patterns() {
        let cuts: Vec<usize> = phrase.char_indices().map(|(i, _)| i).collect();
        if cuts.len() > 2 {
            let mid = cuts[cuts.len() / 2];
            fragments.push(phrase[..mid].to_owned());
            fragments.push(phrase[mid..].to_owned());
        }
        fragments.push(phrase);
    }
    fragments.extend(extra.iter().map(|s| (*s).to_owned()));
    let naive = NaiveMatcher::new(&sets);
    let router = Router::with_keywords(&RouterConfig::default(), sets).unwrap();
    Case { router, naive, fragments }
}

const SEPARATORS: &[&str] =
    &[" ", " ", " ", "  ", ",", ".", "-", "'", "\n", "s", "x", "1", "_", "é", "É", "ḓ", "😀"];

static DEFAULTS: LazyLock<Case> = LazyLock::new(|| case(KeywordSets::defaults().unwrap(), SEPARATORS));
static NESTED_CASE: LazyLock<Case> = LazyLock::new(|| {
    let sets = KeywordSets::parse(NESTED, Path::new("nested.toml")).unwrap();
    case(sets, &[" ", " ", "a", "b", "c", "d", "h", "A", "B", "-", "ḓ", "x", "y", "z", "é"])
});

fn text_from(fragments: &'static [String]) -> impl Strategy<Value = String> {
    prop::collection::vec((prop::sample::select(fragments), any::<bool>()), 0..24).prop_map(|parts| {
        parts.into_iter().map(|(f, upper)| if upper { f.to_ascii_uppercase() } else { f }).collect()
    })
}

fn agree(case: &Case, text: &str) -> Result<(), TestCaseError> {
    let fast = case.router.classify(&UserText::typed(text));
    let slow = case.naive.classify(text);
    prop_assert_eq!(&fast, &slow, "text {:?}", text);
    for hit in &fast.hits {
        prop_assert!(on_boundaries(text, hit.start, hit.end));
        prop_assert!(text[hit.start..hit.end].eq_ignore_ascii_case(&hit.phrase));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn automaton_agrees_with_naive_on_the_default_sets(text in text_from(&DEFAULTS.fragments)) {
        agree(&DEFAULTS, &text)?;
    }

    #[test]
    fn automaton_agrees_with_naive_on_nested_phrases(text in text_from(&NESTED_CASE.fragments)) {
        agree(&NESTED_CASE, &text)?;
    }
}

#[test]
fn nested_examples_by_hand() {
    // Known answers, so the property is not two copies of one mistake.
    let cases: &[(&str, &[&str])] = &[
        ("ab cd ef gh", &["ab cd ef gh", "cd ef", "ef"]),
        ("ab cd efx", &["ab cd"]),
        ("ab cdx", &["ab"]),
        ("ha ha ha", &["ha ha", "ha ha"]),
        ("x-y z", &["x-y", "y z"]),
        ("a-b", &["a-b", "b"]),
        ("aḓa ḓa", &["aḓa", "ḓa"]),
    ];
    for (text, want) in cases {
        let got: Vec<String> = NESTED_CASE
            .router
            .classify(&UserText::typed(*text))
            .hits
            .iter()
            .map(|h| h.phrase.to_string())
            .collect();
        assert_eq!(got, *want, "{text:?}");
        assert_eq!(NESTED_CASE.naive.classify(text), NESTED_CASE.router.classify(&UserText::typed(*text)));
    }
}
