//! `en_stem`, fused and memoised: the same analysis as tantivy's built-in
//! `en_stem` (split on non-alphanumerics, drop tokens of 40 bytes or more,
//! lowercase, Snowball English stemming), registered under the same name
//! so the schema, the stored index and every query stay exactly as they
//! were (a test compares the tokens with tantivy's own chain).
//!
//! Why: profiling ingestion showed analysis at about a third of all CPU
//! time. The Snowball stemmer was ~15 %, stemming the same few thousand
//! words over and over (prose repeats its vocabulary), so each analyzer
//! remembers the stem of every word it has seen. The word as it appears in
//! the text is the key, so a word seen before is neither copied into the
//! token, lowercased, nor hashed with SipHash (Fx: the keys are short and
//! come from local files): one lookup and one copy of its stem. An analyzer
//! is cloned per field and per indexing segment, so a memo lives as long
//! as one segment and is never shared between threads.

use rustc_hash::FxHashMap;

use tantivy::tokenizer::{Language, RawTokenizer, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer};

/// The name tantivy's schema refers to; ours replaces the built-in one.
pub const EN_STEM: &str = "en_stem";

/// Tokens this long or longer (bytes) are dropped, as tantivy's `en_stem`
/// does.
const MAX_TOKEN_BYTES: usize = 40;

/// Past this many distinct words the memo starts again (bounded memory:
/// at most a few MB per analyzer).
const MEMO_WORDS: usize = 200_000;

/// The analyzer to register as [`EN_STEM`].
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::from(EnStem::default())
}

/// Tokenizer, lowercaser and stemmer in one pass.
#[derive(Clone, Default)]
struct EnStem {
    token: Token,
    memo: Memo,
}

impl Tokenizer for EnStem {
    type TokenStream<'a> = EnStemStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> EnStemStream<'a> {
        self.token.reset();
        EnStemStream { text, chars: text.char_indices(), token: &mut self.token, memo: &mut self.memo }
    }
}

struct EnStemStream<'a> {
    text: &'a str,
    chars: std::str::CharIndices<'a>,
    token: &'a mut Token,
    memo: &'a mut Memo,
}

impl TokenStream for EnStemStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            let Some(start) = self.chars.by_ref().find(|(_, c)| c.is_alphanumeric()).map(|(i, _)| i) else {
                return false;
            };
            let end =
                self.chars.by_ref().find(|(_, c)| !c.is_alphanumeric()).map_or(self.text.len(), |(i, _)| i);
            // A dropped long word still takes its position, as it does
            // in tantivy's chain (the tokenizer numbers, the filter drops).
            self.token.position = self.token.position.wrapping_add(1);
            if end - start >= MAX_TOKEN_BYTES {
                continue;
            }
            self.token.offset_from = start;
            self.token.offset_to = end;
            self.memo.stem_into(&self.text[start..end], &mut self.token.text);
            return true;
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

/// The stems computed so far, by the word as written, and the real
/// stemmer for new words.
struct Memo {
    stems: FxHashMap<String, String>,
    stemmer: TextAnalyzer,
}

impl Default for Memo {
    fn default() -> Memo {
        // One whole word in, its stem out: tantivy's own Snowball filter.
        let stemmer =
            TextAnalyzer::builder(RawTokenizer::default()).filter(Stemmer::new(Language::English)).build();
        Memo { stems: FxHashMap::default(), stemmer }
    }
}

impl Memo {
    /// Set `out` to the stem of `word` lowercased.
    fn stem_into(&mut self, word: &str, out: &mut String) {
        out.clear();
        if let Some(stem) = self.stems.get(word) {
            out.push_str(stem);
            return;
        }
        // Lowercase as tantivy's `LowerCaser` does: char by char, no
        // final-sigma rule.
        if word.is_ascii() {
            out.push_str(word);
            out.make_ascii_lowercase();
        } else {
            out.extend(word.chars().flat_map(char::to_lowercase));
        }
        let stem = {
            let mut stream = self.stemmer.token_stream(out);
            if stream.advance() { stream.token().text.clone() } else { out.clone() }
        };
        if self.stems.len() >= MEMO_WORDS {
            self.stems.clear();
        }
        out.clone_from(&stem);
        self.stems.insert(word.to_owned(), stem);
    }
}

impl Clone for Memo {
    /// A clone starts empty: memos are never shared between analyzers.
    fn clone(&self) -> Memo {
        Memo::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{LowerCaser, RemoveLongFilter, SimpleTokenizer};

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
            "The the THE tHe Connections CONNECTIONS ÉCOLES Écoles écoles ΣΊΣΥΦΟΣ İstanbul ǅemal",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa x éééééééééééééééééééé y",
            "trailing word",
            "  ...leading punctuation, 42 numbers 3.14 and_underscores",
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

    proptest::proptest! {
        /// Any text, analysed twice by one analyzer (the second time from
        /// the memo), gives tantivy's tokens.
        #[test]
        fn same_tokens_for_any_text(text in "([a-zA-Z]{1,12}|[ÉéßΣİǅ日]{1,3}|[ _.,;:-]{1,3}|[0-9]{1,3}|a{38,42}){0,40}") {
            let mut memo = analyzer();
            let expected = tokens(builtin(), &text);
            for _ in 0..2 {
                let mut mine = Vec::new();
                let mut s = memo.token_stream(&text);
                while s.advance() {
                    let t = s.token();
                    mine.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
                }
                proptest::prop_assert_eq!(&mine, &expected);
            }
        }
    }

    #[test]
    fn memo_is_bounded() {
        let mut memo = Memo::default();
        let mut out = String::new();
        for i in 0..(MEMO_WORDS + 10) {
            memo.stem_into(&format!("word{i}s"), &mut out);
        }
        assert!(memo.stems.len() <= MEMO_WORDS);
        memo.stem_into("Connections", &mut out);
        assert_eq!(out, "connect");
        // A hit gives the same stem as the miss did.
        memo.stem_into("Connections", &mut out);
        assert_eq!(out, "connect");
    }
}
