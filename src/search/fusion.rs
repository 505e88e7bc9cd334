//! Fusing the BM25 and vector lists into one ranking. Two families:
//! weighted reciprocal-rank fusion (each list adds `w / (k + rank)`), and a
//! convex mix of scores normalised per query (each list's scores divided
//! by that list's best, so the top hit of each scores 1). Plain RRF gives a
//! weak retriever as much say as a strong one and can rank below the better
//! single list; which variant and weights are the default was decided on
//! the retrieval evaluation (BENCHMARKS.md, "Document library").

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// How two ranked lists become one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fusion {
    /// Σ weight / (k + rank), ranks from 1.
    Rrf { k: f32, bm25_weight: f32, vector_weight: f32 },
    /// (1 − w)·bm25/max_bm25 + w·cos/max_cos; a list missing a chunk adds 0.
    Convex { vector_weight: f32 },
}

impl Default for Fusion {
    /// Chosen on the PostgreSQL known-item evaluation (BENCHMARKS.md):
    /// the best MRR@10 of every variant, above BM25 alone; plain RRF was
    /// below BM25 there, as PRODUCT.md warns.
    fn default() -> Self {
        Fusion::Convex { vector_weight: 0.3 }
    }
}

/// One fused result.
#[derive(Debug, Clone, PartialEq)]
pub struct Fused {
    pub id: u64,
    pub score: f32,
    /// 1-based rank in each input list, if present there.
    pub bm25_rank: Option<u32>,
    pub vector_rank: Option<u32>,
}

/// Fuse `bm25` and `vector` (each best first) and keep the best `limit`.
pub fn fuse(bm25: &[(u64, f32)], vector: &[(u64, f32)], fusion: Fusion, limit: usize) -> Vec<Fused> {
    let mut by_id: HashMap<u64, Fused> = HashMap::with_capacity(bm25.len() + vector.len());
    let max_of = |list: &[(u64, f32)]| list.iter().map(|(_, s)| *s).fold(f32::NEG_INFINITY, f32::max);
    let (bm25_max, vector_max) = (max_of(bm25), max_of(vector));
    for (which, list) in [(0usize, bm25), (1, vector)] {
        for (rank0, (id, score)) in list.iter().enumerate() {
            let rank = rank0 as u32 + 1;
            let contribution = match fusion {
                Fusion::Rrf { k, bm25_weight, vector_weight } => {
                    let w = if which == 0 { bm25_weight } else { vector_weight };
                    w / (k + rank as f32)
                }
                Fusion::Convex { vector_weight } => {
                    let (w, max) = if which == 0 {
                        (1.0 - vector_weight, bm25_max)
                    } else {
                        (vector_weight, vector_max)
                    };
                    if max > 0.0 { w * (score / max).max(0.0) } else { 0.0 }
                }
            };
            let f =
                by_id.entry(*id).or_insert(Fused { id: *id, score: 0.0, bm25_rank: None, vector_rank: None });
            f.score += contribution;
            if which == 0 {
                f.bm25_rank = Some(rank);
            } else {
                f.vector_rank = Some(rank);
            }
        }
    }
    let mut out: Vec<Fused> = by_id.into_values().collect();
    // Ties: the better best rank, then the id, so results are stable.
    out.sort_by(|a, b| {
        b.score.total_cmp(&a.score).then_with(|| best_rank(a).cmp(&best_rank(b))).then(a.id.cmp(&b.id))
    });
    out.truncate(limit);
    out
}

fn best_rank(f: &Fused) -> u32 {
    f.bm25_rank.unwrap_or(u32::MAX).min(f.vector_rank.unwrap_or(u32::MAX))
}
