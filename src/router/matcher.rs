//! Phrase matching on word boundaries: one Aho-Corasick automaton
//! (leftmost-longest, ASCII case-insensitive) over every phrase of every
//! category, built once; and [`NaiveMatcher`], the obvious per-phrase loop
//! with the same semantics, kept as the reference the automaton is tested
//! and benchmarked against.
//!
//! The semantics, exactly: a phrase occurs at `[start, end)` when the text
//! there equals it up to ASCII case and no word is glued to either end (the
//! characters on both sides of each edge are not both letters or digits).
//! At every start position the LONGEST occurring phrase counts (a hit);
//! shorter phrases at the same start are shadowed, phrases starting later
//! are found even when they overlap an earlier hit. Hits come in order of
//! start. So "south africa" never hits "rica", "comment" never hits "mme",
//! and "write a detailed report" hits both "write a detailed" and
//! "detailed report".

use std::collections::HashMap;
use std::sync::Arc;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};
use serde::Serialize;

use super::keywords::{Category, CategorySet, KeywordSets};
use crate::error::{Error, Result};

/// One phrase found in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hit {
    /// The phrase as listed (lowercase).
    #[serde(serialize_with = "serialize_phrase")]
    pub phrase: Arc<str>,
    /// Byte offset where it starts in the text.
    pub start: usize,
    /// Byte offset just past its end.
    pub end: usize,
    /// Every category that lists the phrase.
    pub categories: CategorySet,
}

fn serialize_phrase<S: serde::Serializer>(phrase: &Arc<str>, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(phrase)
}

/// What one pass over the text found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Classification {
    /// The hits, in order of start.
    pub hits: Vec<Hit>,
}

impl Classification {
    /// Every category hit at least once.
    pub fn categories(&self) -> CategorySet {
        self.hits.iter().fold(CategorySet::EMPTY, |acc, h| acc.union(h.categories))
    }

    /// Whether `category` was hit.
    pub fn has(&self, category: Category) -> bool {
        self.hits.iter().any(|h| h.categories.contains(category))
    }

    /// The hits of one category.
    pub fn hits_of(&self, category: Category) -> impl Iterator<Item = &Hit> {
        self.hits.iter().filter(move |h| h.categories.contains(category))
    }

    /// The distinct phrases of one category, in order of first hit.
    pub fn phrases_of(&self, category: Category) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for hit in self.hits_of(category) {
            if !out.contains(&&*hit.phrase) {
                out.push(&hit.phrase);
            }
        }
        out
    }
}

/// Letters and digits glue words together; everything else separates them.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Whether `[start, end)` has no word glued to either edge. Offsets that
/// are not char boundaries count as glued (never a hit, never a panic).
pub(crate) fn on_boundaries(text: &str, start: usize, end: usize) -> bool {
    let (Some(before), Some(inside), Some(after)) =
        (text.get(..start), text.get(start..end), text.get(end..))
    else {
        return false;
    };
    let glued = |a: Option<char>, b: Option<char>| matches!((a, b), (Some(a), Some(b)) if is_word_char(a) && is_word_char(b));
    !glued(before.chars().next_back(), inside.chars().next())
        && !glued(inside.chars().next_back(), after.chars().next())
}

/// The automaton over all phrases, with what each pattern id means.
pub(crate) struct PhraseMatcher {
    automaton: AhoCorasick,
    phrases: Vec<Arc<str>>,
    categories: Vec<CategorySet>,
    /// For each pattern, the other patterns that are its prefixes, longest
    /// first: when the longest match at a start is glued to the next word,
    /// a shorter phrase at the same start may still end on a boundary.
    prefixes: Vec<Vec<usize>>,
}

impl PhraseMatcher {
    /// Build the one automaton over every phrase of every category.
    pub(crate) fn new(sets: &KeywordSets) -> Result<PhraseMatcher> {
        let patterns = sets.patterns();
        let build = |kind| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .ascii_case_insensitive(true)
                .kind(kind)
                .build(patterns.iter().map(|(p, _)| p.as_str()))
        };
        // A DFA is fastest for a few hundred phrases; a user file with a
        // huge list may exceed its size limit, then the library picks.
        let automaton = build(Some(AhoCorasickKind::DFA))
            .or_else(|_| build(None))
            .map_err(|e| Error::internal(format!("cannot build the keyword automaton: {e}")))?;
        let by_text: HashMap<&str, usize> =
            patterns.iter().enumerate().map(|(i, (p, _))| (p.as_str(), i)).collect();
        let prefixes = patterns
            .iter()
            .map(|(p, _)| {
                let mut ids: Vec<usize> =
                    p.char_indices().skip(1).filter_map(|(i, _)| by_text.get(&p[..i]).copied()).collect();
                ids.reverse();
                ids
            })
            .collect();
        let (phrases, categories) = patterns.into_iter().map(|(p, c)| (Arc::<str>::from(p), c)).unzip();
        Ok(PhraseMatcher { automaton, phrases, categories, prefixes })
    }

    /// One left-to-right pass. After each candidate start the search goes on
    /// from the next byte, so overlapping later phrases are found too; the
    /// automaton never reports a match starting inside a character, because
    /// no pattern begins with a UTF-8 continuation byte.
    pub(crate) fn classify(&self, text: &str) -> Classification {
        let mut hits = Vec::new();
        let mut pos = 0;
        while pos < text.len() {
            let Some(m) = self.automaton.find(Input::new(text).range(pos..)) else {
                break;
            };
            let (start, end, id) = (m.start(), m.end(), m.pattern().as_usize());
            let chosen = if on_boundaries(text, start, end) {
                Some(id)
            } else {
                // Glued at the start means glued for every phrase starting here.
                self.prefixes[id]
                    .iter()
                    .copied()
                    .find(|&q| on_boundaries(text, start, start + self.phrases[q].len()))
            };
            if let Some(q) = chosen {
                hits.push(Hit {
                    phrase: Arc::clone(&self.phrases[q]),
                    start,
                    end: start + self.phrases[q].len(),
                    categories: self.categories[q],
                });
            }
            pos = start + 1;
        }
        Classification { hits }
    }
}

impl std::fmt::Debug for PhraseMatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The automaton's own Debug prints every state: far too much.
        f.debug_struct("PhraseMatcher")
            .field("phrases", &self.phrases.len())
            .field("kind", &self.automaton.kind())
            .finish()
    }
}

/// The reference matcher: ASCII-lowercase the text, then look for every
/// phrase everywhere with `str::find`, keep occurrences on word boundaries,
/// and keep the longest per start. O(text × phrases): the automaton must
/// agree with it exactly, and beat it (see `benches/router.rs`).
#[derive(Debug, Clone)]
pub struct NaiveMatcher {
    patterns: Vec<(Arc<str>, CategorySet)>,
}

impl NaiveMatcher {
    /// The same phrases the automaton is built from.
    pub fn new(sets: &KeywordSets) -> NaiveMatcher {
        NaiveMatcher { patterns: sets.patterns().into_iter().map(|(p, c)| (Arc::from(p), c)).collect() }
    }

    /// Every hit, by the definition in this module's header.
    pub fn classify(&self, text: &str) -> Classification {
        // ASCII lowercasing keeps every byte offset where it was.
        let lower = text.to_ascii_lowercase();
        let mut found: Vec<(usize, usize, usize)> = Vec::new();
        for (i, (phrase, _)) in self.patterns.iter().enumerate() {
            let step = phrase.chars().next().map_or(1, char::len_utf8);
            let mut from = 0;
            while let Some(at) = lower.get(from..).and_then(|rest| rest.find(&**phrase)) {
                let start = from + at;
                if on_boundaries(text, start, start + phrase.len()) {
                    found.push((start, phrase.len(), i));
                }
                from = start + step;
            }
        }
        // Longest first within a start, then keep the first of each start.
        found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        found.dedup_by_key(|f| f.0);
        let hits = found
            .into_iter()
            .map(|(start, len, i)| Hit {
                phrase: Arc::clone(&self.patterns[i].0),
                start,
                end: start + len,
                categories: self.patterns[i].1,
            })
            .collect();
        Classification { hits }
    }
}
