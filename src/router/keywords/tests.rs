//! The keyword data and the user's `router.toml`: the defaults are sane and
//! the sizes the product asks for; edits work; every kind of bad file is an
//! error naming the file and the line.

use std::path::Path;

use super::*;

fn edited(text: &str) -> Result<KeywordSets> {
    let mut sets = KeywordSets::defaults()?;
    sets.apply_overrides(text, Path::new("/home/u/.config/gogga/router.toml"))?;
    Ok(sets)
}

#[test]
fn defaults_load_with_the_sizes_of_the_spec() {
    let sets = KeywordSets::defaults().unwrap();
    // PRODUCT.md §1: ~40 / 20 / 50 / 60 / 80 / 40.
    let minimum = [
        (Category::ExtendedOutput, 40),
        (Category::ComplexOutput, 20),
        (Category::DocumentAnalysis, 50),
        (Category::Complex, 60),
        (Category::SaLanguage, 80),
        (Category::Image, 40),
    ];
    for (category, min) in minimum {
        let n = sets.phrases(category).len();
        assert!(n >= min, "{category}: {n} phrases, want at least {min}");
    }
}

#[test]
fn default_phrases_are_clean() {
    let sets = KeywordSets::defaults().unwrap();
    for category in Category::ALL {
        for p in sets.phrases(category) {
            assert_eq!(p, &p.to_ascii_lowercase(), "{category}: {p:?}");
            assert_eq!(p, p.trim(), "{category}: {p:?}");
            assert!(!p.contains("  "), "{category}: {p:?}");
            let edge_ok = p.chars().next().is_some_and(char::is_alphanumeric)
                && p.chars().next_back().is_some_and(char::is_alphanumeric);
            assert!(edge_ok, "{category}: {p:?} should start and end with a letter or digit");
        }
    }
}

#[test]
fn users_add_and_remove_phrases() {
    let sets = edited("[image]\nadd = [\"Doodle Of\"]\nremove = [\"picture of\"]\n").unwrap();
    assert!(sets.phrases(Category::Image).contains(&"doodle of".to_owned()), "stored lowercase");
    assert!(!sets.phrases(Category::Image).contains(&"picture of".to_owned()));
    // remove then add in one table: present
    let sets = edited("[complex]\nremove = [\"vat\"]\nadd = [\"vat\"]\n").unwrap();
    assert!(sets.phrases(Category::Complex).contains(&"vat".to_owned()));
    // an empty file, comments only, and empty tables change nothing
    let defaults = KeywordSets::defaults().unwrap();
    for text in ["", "# nothing\n", "[image]\n", "[image]\nadd = []\n"] {
        assert_eq!(edited(text).unwrap(), defaults, "{text:?}");
    }
}

#[test]
fn the_same_phrase_in_two_categories_counts_for_both() {
    let sets = edited("[image]\nadd = [\"popia\"]\n").unwrap();
    let (_, cats) = sets.patterns().into_iter().find(|(p, _)| p == "popia").unwrap();
    assert!(cats.contains(Category::Complex) && cats.contains(Category::Image));
    // and one pattern only: the automaton sees each phrase once
    assert_eq!(sets.patterns().iter().filter(|(p, _)| p == "popia").count(), 1);
    // a duplicate inside one category is kept once
    let sets = edited("[image]\nadd = [\"draw me\", \"DRAW ME\"]\n").unwrap();
    assert_eq!(sets.phrases(Category::Image).iter().filter(|p| *p == "draw me").count(), 1);
}

#[test]
fn bad_files_are_errors_with_file_and_line() {
    // (file, what the message must say, line)
    let cases = [
        ("[imag]\nadd = [\"x\"]\n", "unknown category `imag`", 1),
        ("\n\n[image]\nad = [\"x\"]\n", "unknown key `ad` in `image`", 4),
        ("[image]\nadd = [\"fine\",\n  \"  \"]\n", "empty phrase in `image.add`", 3),
        ("[image]\nadd = [\"\"]\n", "empty phrase", 2),
        ("[image]\nremove = [\"no such phrase\"]\n", "\"no such phrase\" is not a phrase of `image`", 2),
        ("[image]\nadd = \"draw\"\n", "`image.add` must be a list of phrases", 2),
        ("[image]\nadd = [1]\n", "`image.add` holds integer", 2),
        ("image = 3\n", "`image` must be a table", 1),
        ("[image]\nadd = [\n", "unclosed array", 2),
        ("[image]\n[image]\n", "", 2),
        ("phrases = [\"x\"]\n", "unknown category `phrases`", 1),
    ];
    for (text, says, line) in cases {
        let err = edited(text).unwrap_err();
        let msg = err.to_string();
        assert_eq!(err.kind(), crate::ErrorKind::Config);
        assert!(msg.contains("/home/u/.config/gogga/router.toml"), "{text:?}: {msg}");
        assert!(msg.contains(&format!("line {line}:")), "{text:?}: want line {line}: {msg}");
        assert!(msg.contains(says), "{text:?}: want {says:?}: {msg}");
    }
}

#[test]
fn non_utf8_is_an_error_with_line_and_offset() {
    let bytes = b"[image]\nadd = [\"caf\xe9\"]\n";
    let err = decode_user_file(bytes, Path::new("router.toml")).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("router.toml line 2: not UTF-8") && msg.contains("offset 19"), "{msg}");
    assert_eq!(decode_user_file(b"[image]\n", Path::new("r")).unwrap(), "[image]\n");
}

#[test]
fn a_full_keyword_file_must_name_every_category() {
    let err = KeywordSets::parse("[image]\nphrases = [\"x\"]\n", Path::new("k.toml")).unwrap_err();
    assert!(err.to_string().contains("the category `extended_output` is missing"), "{err}");
    let err = KeywordSets::parse("[image]\nadd = [\"x\"]\n", Path::new("k.toml")).unwrap_err();
    assert!(err.to_string().contains("unknown key `add`"), "{err}");
}

#[test]
fn category_sets_and_names() {
    let set: CategorySet = [Category::Image, Category::Complex].into_iter().collect();
    assert_eq!(set.iter().collect::<Vec<_>>(), [Category::Complex, Category::Image]);
    assert_eq!(serde_json::to_string(&set).unwrap(), r#"["complex","image"]"#);
    assert!(CategorySet::EMPTY.is_empty());
    for c in Category::ALL {
        assert_eq!(Category::from_name(c.name()), Some(c));
        assert_eq!(serde_json::to_string(&c).unwrap(), format!("\"{}\"", c.name()));
    }
}
