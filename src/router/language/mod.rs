//! Which of South Africa's eleven official languages the user wrote in.
//!
//! Three kinds of evidence, per word: the word itself (lists of frequent
//! and distinctive words per language), spelling and morphology (siSwati
//! "tf", Sepedi "š", Tshivenḓa's dotted letters, Nguni "ngi-"/"ndi-"…),
//! and, for words in no list, character trigram profiles built from sample
//! text. Evidence is summed per language; the guess is the best sum, and
//! the confidence is its softmax share, so it grows with the amount of
//! evidence: two or three telling words are needed to be confident.
//! Each telling word also votes for its best language; a second language
//! with a fifth of the votes (and at least two) is reported as mixed
//! (code-switching). South African loanwords used in English ("lekker",
//! "braai", "eish") are evidence for nothing, so English with loanwords
//! stays English. Text with too little to go on (under two words with
//! evidence, or under six letters) is English with confidence 0.
//!
//! Guarantees: never panics, whatever the text (empty, 1 MB, emoji, mixed
//! scripts); reads at most the first [`MAX_WORDS`] words; the tables are
//! built once, on first use, from the data in `lexicon.rs`.

mod lexicon;
mod model;
#[cfg(test)]
mod tests;

use std::fmt;

use serde::{Deserialize, Serialize};

use super::UserText;

/// How many words are read at most (the language shows in the first few).
pub const MAX_WORDS: usize = 400;

/// The confidence from which a guess counts as confident (language badge,
/// language instruction in the system prompt, Bantu routing).
pub const CONFIDENT: f32 = 0.6;

/// One of the eleven official languages of South Africa.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Lang {
    #[serde(rename = "en")]
    En,
    #[serde(rename = "af")]
    Af,
    #[serde(rename = "zu")]
    Zu,
    #[serde(rename = "xh")]
    Xh,
    #[serde(rename = "nso")]
    Nso,
    #[serde(rename = "tn")]
    Tn,
    #[serde(rename = "st")]
    St,
    #[serde(rename = "ts")]
    Ts,
    #[serde(rename = "ss")]
    Ss,
    #[serde(rename = "ve")]
    Ve,
    #[serde(rename = "nr")]
    Nr,
}

/// The number of languages.
pub(crate) const LANGS: usize = 11;

impl Lang {
    /// Every language, in this order (ties go to the earlier one).
    pub const ALL: [Lang; LANGS] = [
        Lang::En,
        Lang::Af,
        Lang::Zu,
        Lang::Xh,
        Lang::Nso,
        Lang::Tn,
        Lang::St,
        Lang::Ts,
        Lang::Ss,
        Lang::Ve,
        Lang::Nr,
    ];

    /// The ISO 639 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Af => "af",
            Lang::Zu => "zu",
            Lang::Xh => "xh",
            Lang::Nso => "nso",
            Lang::Tn => "tn",
            Lang::St => "st",
            Lang::Ts => "ts",
            Lang::Ss => "ss",
            Lang::Ve => "ve",
            Lang::Nr => "nr",
        }
    }

    /// The language's own name for itself.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Af => "Afrikaans",
            Lang::Zu => "isiZulu",
            Lang::Xh => "isiXhosa",
            Lang::Nso => "Sepedi",
            Lang::Tn => "Setswana",
            Lang::St => "Sesotho",
            Lang::Ts => "Xitsonga",
            Lang::Ss => "siSwati",
            Lang::Ve => "Tshivenḓa",
            Lang::Nr => "isiNdebele",
        }
    }

    /// The language with this code.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// Whether it is one of the nine Bantu languages.
    pub fn is_bantu(self) -> bool {
        !matches!(self, Lang::En | Lang::Af)
    }

    fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The detector's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LanguageGuess {
    /// The main language (English when there is too little to go on).
    pub lang: Lang,
    /// 0 to 1; 0 means no evidence at all. See [`CONFIDENT`].
    pub confidence: f32,
    /// Other languages mixed in (code-switching), most used first; empty
    /// when the text is in one language.
    pub mixed: Vec<Lang>,
}

impl LanguageGuess {
    /// English by default, for text with too little evidence.
    pub fn english_fallback() -> LanguageGuess {
        LanguageGuess { lang: Lang::En, confidence: 0.0, mixed: Vec::new() }
    }

    /// Whether the guess is sure enough to act on.
    pub fn is_confident(&self) -> bool {
        self.confidence >= CONFIDENT
    }
}

/// Guess the language of what the user typed.
pub fn detect(text: &UserText) -> LanguageGuess {
    model::Model::get().detect(text.as_str())
}
