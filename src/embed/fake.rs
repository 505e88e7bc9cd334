//! A deterministic embedder for unit tests: a hashed bag of words (each
//! lower-cased word adds ±1 to one of `dim` buckets), normalised. Texts that
//! share words get similar vectors, so retrieval tests mean something, and
//! nothing is loaded or downloaded.

use crate::error::Result;

use super::{Embedder, normalize};

/// Hashed bag-of-words vectors; `model_id` names the variant so tests can
/// switch "models".
#[derive(Debug, Clone)]
pub struct FakeEmbedder {
    model_id: String,
    dim: usize,
    calls: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl FakeEmbedder {
    /// A fake of `dim` dimensions named `model_id`.
    pub fn new(model_id: &str, dim: usize) -> FakeEmbedder {
        FakeEmbedder { model_id: model_id.to_owned(), dim: dim.max(1), calls: Default::default() }
    }

    /// How many texts it has embedded (tests check nothing is embedded twice).
    pub fn texts_embedded(&self) -> usize {
        self.calls.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn one(&self, text: &str) -> Vec<f32> {
        let mut v = vec![0.0f32; self.dim];
        for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
            // FNV-1a over the lower-cased word, seeded by the model id so two
            // fake models disagree.
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for b in self.model_id.bytes().chain(std::iter::once(0)).chain(word.to_lowercase().bytes()) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
            let bucket = (h % self.dim as u64) as usize;
            v[bucket] += if (h >> 63) == 0 { 1.0 } else { -1.0 };
        }
        normalize(&mut v);
        v
    }
}

impl Embedder for FakeEmbedder {
    fn model_id(&self) -> &str {
        &self.model_id
    }

    fn dimension(&self) -> usize {
        self.dim
    }

    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        self.calls.fetch_add(texts.len(), std::sync::atomic::Ordering::Relaxed);
        Ok(texts.iter().map(|t| self.one(t)).collect())
    }
}
