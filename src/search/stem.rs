//! `en_stem` with a memo: the same analysis as tantivy's built-in `en_stem`
//! (split on non-alphanumerics, drop tokens over 40 bytes, lowercase,
//! Snowball English stemming), registered under the same name so the
//! schema, the stored index and every query stay exactly as they were.
//!
//! Why: profiling ingestion showed the Snowball stemmer at about 15 % of
//! all CPU time, spent stemming the same few thousand words over and over
//! (prose repeats its vocabulary). Stemming is a pure function of the
//! lowercased word, so each analyzer remembers the stems it computed. An
//! analyzer is cloned per field and per indexing segment, so a memo lives
//! as long as one segment and is never shared between threads.

use std::collections::HashMap;

use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};

/// The name tantivy's schema refers to; ours replaces the built-in one.
pub const EN_STEM: &str = "en_stem";

/// Tokens longer than this (bytes) are dropped, as tantivy's `en_stem` does.
const MAX_TOKEN_BYTES: usize = 40;

/// Past this many distinct words the memo starts again (bounded memory:
/// at most a few MB per analyzer).
const MEMO_WORDS: usize = 200_000;

/// The analyzer to register as [`EN_STEM`].
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(MemoStemmer)
        .build()
}

/// Token filter: English stemming through a per-analyzer memo.
#[derive(Clone, Copy, Debug)]
struct MemoStemmer;

impl TokenFilter for MemoStemmer {
    type Tokenizer<T: Tokenizer> = MemoStemFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MemoStemFilter<T> {
        MemoStemFilter { inner: tokenizer, memo: Memo::new() }
    }
}

/// The stems computed so far and the real stemmer for new words.
struct Memo {
    stems: HashMap<String, String>,
    stemmer: TextAnalyzer,
}

impl Memo {
    fn new() -> Memo {
        // One whole word in, its stem out: tantivy's own Snowball filter.
        let stemmer =
            TextAnalyzer::builder(RawTokenizer::default()).filter(Stemmer::new(Language::English)).build();
        Memo { stems: HashMap::new(), stemmer }
    }

    /// Replace `word` by its stem.
    fn stem_in_place(&mut self, word: &mut String) {
        if let Some(stem) = self.stems.get(word.as_str()) {
            word.clone_from(stem);
            return;
        }
        let stem = {
            let mut stream = self.stemmer.token_stream(word);
            if stream.advance() { stream.token().text.clone() } else { word.clone() }
        };
        if self.stems.len() >= MEMO_WORDS {
            self.stems.clear();
        }
        self.stems.insert(std::mem::replace(word, stem.clone()), stem);
    }
}

impl Clone for Memo {
    /// A clone starts empty: memos are never shared between analyzers.
    fn clone(&self) -> Memo {
        Memo::new()
    }
}

#[derive(Clone)]
struct MemoStemFilter<T> {
    inner: T,
    memo: Memo,
}

impl<T: Tokenizer> Tokenizer for MemoStemFilter<T> {
    type TokenStream<'a> = MemoStemStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        MemoStemStream { tail: self.inner.token_stream(text), memo: &mut self.memo }
    }
}

struct MemoStemStream<'a, T> {
    tail: T,
    memo: &'a mut Memo,
}

impl<T: TokenStream> TokenStream for MemoStemStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        self.memo.stem_in_place(&mut self.tail.token_mut().text);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(mut a: TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut out = Vec::new();
        let mut s = a.token_stream(text);
        while s.advance() {
            let t = s.token();
            out.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        out
    }

    fn builtin() -> TextAnalyzer {
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build()
    }

    #[test]
    fn same_tokens_as_tantivys_en_stem() {
        let texts = [
            "Running runners ran; the RUNNING of the bulls. Connections connected connecting.",
            "pg_dump --no-owner: max_connections=100, shared_buffers 128MB (écoles, Straße, naïve)",
            "",
            "a aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa b",
            "Generalizations generalization generalized generalizes — «quoted» 日本語 テキスト",
        ];
        // One analyzer for every text, so later texts hit the memo.
        let mut memo = analyzer();
        for text in texts {
            for _ in 0..2 {
                let mut mine = Vec::new();
                let mut s = memo.token_stream(text);
                while s.advance() {
                    let t = s.token();
                    mine.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
                }
                assert_eq!(mine, tokens(builtin(), text), "{text}");
            }
        }
    }

    #[test]
    fn memo_is_bounded() {
        let mut memo = Memo::new();
        for i in 0..(MEMO_WORDS + 10) {
            let mut w = format!("word{i}s");
            memo.stem_in_place(&mut w);
        }
        assert!(memo.stems.len() <= MEMO_WORDS);
        let mut w = "connections".to_owned();
        memo.stem_in_place(&mut w);
        assert_eq!(w, "connect");
    }
}
