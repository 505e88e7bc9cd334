//! Token counts for context budgets: [`TokenCounter`] keeps an LRU of 1000
//! entries (hash of the text → count) in front of [`estimate`], so history
//! and passages counted again on every turn cost a hash, not a scan.
//!
//! No Qwen tokenizer ships offline, so [`estimate`] approximates a BPE
//! tokenizer of the Qwen family and leans towards *over*counting, because a
//! budget that overflows costs more than one that leaves a little room:
//! - a run of ASCII letters is one token up to 8 letters, plus one per
//!   further 4 ("the" 1, "because" 1, "information" 2, "internationalization" 4);
//! - every digit is a token (Qwen splits numbers into single digits);
//! - every ASCII punctuation or symbol is a token;
//! - a single space before a word is free (BPE merges it into the word);
//!   each newline is one token, and each 4 further spaces or tabs one more;
//! - a CJK, kana or hangul character is a token;
//! - other non-ASCII letters (é, ŝ, emoji…) count as one token per 2 UTF-8
//!   bytes of their run, since byte-level BPE splits them finely.
//!
//! On English prose this gives about 1.2–1.35 tokens per word, close to
//! what BPE tokenizers report (~1.3).

use std::hash::{Hash, Hasher};
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};

use lru::LruCache;

/// How many texts the cache remembers.
pub const CACHE_ENTRIES: usize = 1000;

/// Estimate the tokens of `text` (see the module documentation).
pub fn estimate(text: &str) -> u32 {
    #[derive(PartialEq, Clone, Copy)]
    enum Run {
        None,
        Ascii,
        Other,
        Space,
    }
    let mut tokens: u64 = 0;
    let mut run = Run::None;
    let mut run_len: u64 = 0;
    let flush = |run: Run, len: u64, tokens: &mut u64| match run {
        Run::Ascii => *tokens += 1 + len.saturating_sub(5) / 4,
        Run::Other => *tokens += len.div_ceil(2),
        Run::Space => *tokens += len.saturating_sub(1) / 4,
        Run::None => {}
    };
    for ch in text.chars() {
        let kind = if ch.is_ascii_alphabetic() {
            Run::Ascii
        } else if ch == ' ' || ch == '\t' {
            Run::Space
        } else if is_cjk(ch) || ch.is_ascii() {
            Run::None
        } else if ch.is_whitespace() {
            Run::Space
        } else {
            Run::Other
        };
        if kind != run {
            flush(run, run_len, &mut tokens);
            run = kind;
            run_len = 0;
        }
        match kind {
            Run::Ascii | Run::Space => run_len += 1,
            Run::Other => run_len += ch.len_utf8() as u64,
            // A digit, a symbol, a newline or a CJK character: one token each.
            Run::None => tokens += 1,
        }
    }
    flush(run, run_len, &mut tokens);
    u32::try_from(tokens).unwrap_or(u32::MAX)
}

fn is_cjk(ch: char) -> bool {
    matches!(ch as u32,
        0x3040..=0x30FF      // hiragana, katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified
        | 0xAC00..=0xD7AF    // hangul
        | 0xF900..=0xFAFF) // CJK compatibility
}

/// The LRU of counts. Cheap to share; every method takes `&self`.
#[derive(Debug)]
pub struct TokenCounter {
    cache: Mutex<LruCache<(u64, usize), u32>>,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl Default for TokenCounter {
    fn default() -> Self {
        TokenCounter::new()
    }
}

impl TokenCounter {
    /// A counter remembering [`CACHE_ENTRIES`] texts.
    pub fn new() -> TokenCounter {
        let cap = NonZeroUsize::new(CACHE_ENTRIES).unwrap_or(NonZeroUsize::MIN);
        TokenCounter {
            cache: Mutex::new(LruCache::new(cap)),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// Tokens in `text`, from the cache when it was counted recently.
    pub fn count(&self, text: &str) -> u32 {
        // SipHash with fixed keys: stable within and across runs. The length
        // is part of the key, so a collision needs equal length and hash.
        let mut h = std::hash::DefaultHasher::new();
        text.hash(&mut h);
        let key = (h.finish(), text.len());
        if let Some(n) = self.cache.lock().unwrap_or_else(PoisonError::into_inner).get(&key).copied() {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return n;
        }
        let n = estimate(text);
        self.misses.fetch_add(1, Ordering::Relaxed);
        self.cache.lock().unwrap_or_else(PoisonError::into_inner).put(key, n);
        n
    }

    /// (cache hits, cache misses) so far.
    pub fn stats(&self) -> (u64, u64) {
        (self.hits.load(Ordering::Relaxed), self.misses.load(Ordering::Relaxed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_follow_the_documented_rules() {
        let cases = [
            ("", 0),
            ("hello", 1),
            ("hello world", 2),
            ("Hello, world!", 4),
            ("information", 2),
            ("internationalization", 4),
            ("12345", 5),
            ("R1 250.00", 8),
            ("你好世界", 4),
            ("a\nb", 3),
            ("x        y", 3),
            ("café", 2),
        ];
        for (text, want) in cases {
            assert_eq!(estimate(text), want, "{text:?}");
        }
    }

    #[test]
    fn english_prose_is_near_bpe_ratios_and_counts_grow_with_text() {
        let prose = "The Constitution of South Africa is the supreme law of the country. It provides \
                     the legal foundation for the existence of the republic, sets out the rights and \
                     duties of its citizens, and defines the structure of the government.";
        let words = prose.split_whitespace().count() as f64;
        let ratio = f64::from(estimate(prose)) / words;
        assert!((1.1..=1.45).contains(&ratio), "{ratio} tokens per word");
        let mut text = String::new();
        let mut last = 0;
        for word in prose.split(' ') {
            text.push_str(word);
            text.push(' ');
            let n = estimate(&text);
            assert!(n >= last, "adding {word:?} lowered the count");
            last = n;
        }
    }

    #[test]
    fn the_cache_hits_and_evicts_the_least_recent() {
        let c = TokenCounter::new();
        assert_eq!(c.count("hello world"), 2);
        assert_eq!(c.count("hello world"), 2);
        assert_eq!(c.stats(), (1, 1));
        for i in 0..CACHE_ENTRIES {
            c.count(&format!("text {i}"));
        }
        let (hits, misses) = c.stats();
        c.count("hello world");
        assert_eq!(c.stats(), (hits, misses + 1), "1000 newer texts evicted it");
        c.count(&format!("text {}", CACHE_ENTRIES - 1));
        assert_eq!(c.stats().0, hits + 1, "a recent text is still cached");
    }
}
