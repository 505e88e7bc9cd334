//! The detector's tables (built once from `lexicon.rs`) and the scoring:
//! words → per-language evidence → guess, confidence and mixed languages.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use super::lexicon::{NEUTRAL, RULES, Rule, SAMPLES, Spot, WORDS};
use super::{LANGS, Lang, LanguageGuess, MAX_WORDS};

/// Evidence of a word found in a language's word list.
const LIST_WEIGHT: f32 = 3.0;
/// Most evidence the trigram profiles give one word not in any list.
const TRIGRAM_WEIGHT: f32 = 1.5;
/// How sharply the trigram posterior separates languages.
const TRIGRAM_SHARPNESS: f32 = 2.0;
/// Add-α smoothing of the trigram counts.
const ALPHA: f32 = 0.5;
/// Scale of the softmax that turns summed evidence into a confidence.
const TEMPERATURE: f32 = 1.5;
/// A word votes when its best language leads the rest by this much.
const VOTE_MARGIN: f32 = 0.5;
/// Longer "words" are not words (base64, a URL, a run of letters).
const MAX_WORD_CHARS: usize = 48;
/// Below this many words with evidence, or letters, fall back to English.
const MIN_WORDS: usize = 2;
const MIN_LETTERS: usize = 6;
/// A second language is "mixed in" with this share of the votes, and at
/// least `MIN_MIXED_VOTES` votes.
const MIXED_SHARE: f32 = 0.2;
const MIN_MIXED_VOTES: u32 = 2;

type Scores = [f32; LANGS];

/// The built tables.
#[derive(Debug)]
pub(super) struct Model {
    /// Word → bit mask of the languages that list it.
    words: HashMap<&'static str, u16>,
    neutral: HashSet<&'static str>,
    /// Trigram → log-probability per language.
    trigrams: HashMap<[char; 3], Scores>,
    /// Log-probability of a trigram a language never showed.
    unseen: Scores,
}

static MODEL: LazyLock<Model> = LazyLock::new(Model::build);

impl Model {
    pub(super) fn get() -> &'static Model {
        &MODEL
    }

    fn build() -> Model {
        let mut words: HashMap<&'static str, u16> = HashMap::new();
        for (lang, list) in WORDS {
            for word in list.split_whitespace() {
                *words.entry(word).or_default() |= 1 << lang.index();
            }
        }
        let neutral = NEUTRAL.split_whitespace().collect();

        let mut counts: HashMap<[char; 3], [u32; LANGS]> = HashMap::new();
        let mut totals = [0u32; LANGS];
        let mut add = |lang: Lang, word: &str| {
            for t in trigrams(word) {
                counts.entry(t).or_default()[lang.index()] += 1;
                totals[lang.index()] += 1;
            }
        };
        for (lang, text) in SAMPLES.iter().chain(WORDS) {
            for word in tokens(text) {
                add(*lang, &word);
            }
        }
        let distinct = counts.len() as f32;
        let denominator: Scores = std::array::from_fn(|i| totals[i] as f32 + ALPHA * distinct);
        let unseen = std::array::from_fn(|i| (ALPHA / denominator[i]).ln());
        let trigrams = counts
            .into_iter()
            .map(|(t, c)| (t, std::array::from_fn(|i| ((c[i] as f32 + ALPHA) / denominator[i]).ln())))
            .collect();
        Model { words, neutral, trigrams, unseen }
    }

    /// Per-language evidence for one lowercase word.
    fn evidence(&self, word: &str) -> Scores {
        let mut e = [0.0; LANGS];
        let listed = self.words.get(word).copied().unwrap_or(0);
        for lang in Lang::ALL {
            if listed & (1 << lang.index()) != 0 {
                e[lang.index()] += LIST_WEIGHT;
            }
        }
        let chars = word.chars().count();
        for rule in RULES {
            if chars >= rule.min_chars && matches(rule, word) {
                for lang in rule.langs {
                    e[lang.index()] += rule.weight;
                }
            }
        }
        if listed == 0 {
            let posterior = self.trigram_posterior(word);
            for (i, p) in posterior.iter().enumerate() {
                e[i] += TRIGRAM_WEIGHT * p;
            }
        }
        e
    }

    fn trigram_posterior(&self, word: &str) -> Scores {
        let mut lp = [0.0f32; LANGS];
        let mut n = 0usize;
        for t in trigrams(word) {
            let row = self.trigrams.get(&t).unwrap_or(&self.unseen);
            for i in 0..LANGS {
                lp[i] += row[i];
            }
            n += 1;
        }
        if n == 0 {
            return [0.0; LANGS];
        }
        let scaled: Scores = std::array::from_fn(|i| TRIGRAM_SHARPNESS * lp[i] / n as f32);
        softmax(&scaled)
    }

    pub(super) fn detect(&self, text: &str) -> LanguageGuess {
        let mut total: Scores = [0.0; LANGS];
        let mut per_word: Vec<Scores> = Vec::new();
        let mut letters = 0usize;
        for word in tokens(text).take(MAX_WORDS) {
            let chars = word.chars().count();
            if !(2..=MAX_WORD_CHARS).contains(&chars) || self.neutral.contains(word.as_str()) {
                continue;
            }
            let e = self.evidence(&word);
            if e.iter().all(|v| *v <= 0.0) {
                continue;
            }
            letters += chars;
            for i in 0..LANGS {
                total[i] += e[i];
            }
            per_word.push(e);
        }
        if per_word.len() < MIN_WORDS || letters < MIN_LETTERS {
            return LanguageGuess::english_fallback();
        }
        let top = best(&total, &total);
        let confidence = softmax(&total.map(|s| s / TEMPERATURE))[top];

        let mut votes = [0u32; LANGS];
        for e in &per_word {
            let winner = best(e, &total);
            let runner_up = (0..LANGS).filter(|&i| e[i] < e[winner]).map(|i| e[i]).fold(0.0f32, f32::max);
            if e[winner] - runner_up >= VOTE_MARGIN {
                votes[winner] += 1;
            }
        }
        let all_votes: u32 = votes.iter().sum();
        let mut mixed: Vec<usize> = (0..LANGS)
            .filter(|&i| i != top)
            .filter(|&i| votes[i] >= MIN_MIXED_VOTES && votes[i] as f32 >= MIXED_SHARE * all_votes as f32)
            .collect();
        mixed.sort_by(|a, b| votes[*b].cmp(&votes[*a]).then(a.cmp(b)));
        LanguageGuess {
            lang: Lang::ALL[top],
            confidence: if confidence.is_finite() { confidence } else { 0.0 },
            mixed: mixed.into_iter().map(|i| Lang::ALL[i]).collect(),
        }
    }
}

/// The index with the highest score; ties go to the higher `tiebreak`,
/// then to the earlier language.
fn best(scores: &Scores, tiebreak: &Scores) -> usize {
    let mut top = 0;
    for i in 1..LANGS {
        let better = scores[i] > scores[top] || (scores[i] == scores[top] && tiebreak[i] > tiebreak[top]);
        if better {
            top = i;
        }
    }
    top
}

fn softmax(x: &Scores) -> Scores {
    let max = x.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exp: Scores = x.map(|v| (v - max).exp());
    let sum: f32 = exp.iter().sum();
    exp.map(|v| v / sum)
}

fn matches(rule: &Rule, word: &str) -> bool {
    match rule.spot {
        Spot::Prefix(p) => word.starts_with(p),
        Spot::Suffix(s) => word.ends_with(s),
        Spot::Contains(s) => word.contains(s),
        Spot::AnyChar(set) => word.chars().any(|c| set.contains(c)),
        Spot::ClickQ => {
            let mut chars = word.chars().peekable();
            while let Some(c) = chars.next() {
                if c == 'q' && chars.peek() != Some(&'u') {
                    return true;
                }
            }
            false
        }
    }
}

/// Lowercase words: runs of letters, with an apostrophe kept between two
/// letters (Xitsonga "n'wana", English "don't").
pub(super) fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
    let mut chars = text.chars().peekable();
    std::iter::from_fn(move || {
        let mut word = String::new();
        while let Some(c) = chars.next() {
            let apostrophe = matches!(c, '\'' | '’') && !word.is_empty();
            if c.is_alphabetic() {
                word.extend(c.to_lowercase());
            } else if apostrophe && chars.peek().is_some_and(|n| n.is_alphabetic()) {
                word.push('\'');
            } else if !word.is_empty() {
                return Some(word);
            }
        }
        (!word.is_empty()).then_some(word)
    })
}

/// Character trigrams of a word padded with a space on each side.
fn trigrams(word: &str) -> impl Iterator<Item = [char; 3]> {
    let padded: Vec<char> = std::iter::once(' ').chain(word.chars()).chain(std::iter::once(' ')).collect();
    (0..padded.len().saturating_sub(2)).map(move |i| [padded[i], padded[i + 1], padded[i + 2]])
}
