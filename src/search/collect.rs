//! [`TopChunks`]: the tantivy collector behind BM25 search. It scores every
//! document that matches and keeps the best `limit` as (chunk id, score).
//!
//! Why not tantivy's `TopDocs`: its score-ordered collection runs
//! block-max WAND over a union of terms, and on our three-field queries
//! that was slower than scoring every match, never much faster: the
//! 13-word chat question at 100k chunks 9.5–11.9 ms → 2.4 ms p50, 598
//! PostgreSQL section titles 109 → 71 ms in all, the worst single title
//! +0.08 ms, identical scores in every case (BENCHMARKS.md, "Search
//! latency"). Scoring every match costs at most the query's posting lists,
//! which the common-term rewrite in `query.rs` keeps short. It also reads
//! each segment's chunk-id column once instead of once per hit.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::fields::CHUNK_ID;

/// The best `limit` chunks of a query: (chunk id, score), best first,
/// equal scores by the lower chunk id. Where equal scores straddle the
/// cut, which are kept follows the index's layout (the same on every run
/// over the same index).
pub(super) struct TopChunks {
    limit: usize,
}

impl TopChunks {
    pub(super) fn new(limit: usize) -> TopChunks {
        TopChunks { limit }
    }
}

/// A scored document, ordered by score (total order: NaN sorts lowest),
/// then by the lower document number first.
#[derive(Clone, Copy)]
struct Scored {
    score: Score,
    doc: DocId,
}

impl Ord for Scored {
    fn cmp(&self, other: &Self) -> Ordering {
        self.score.total_cmp(&other.score).then_with(|| other.doc.cmp(&self.doc))
    }
}

impl PartialOrd for Scored {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Scored {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Scored {}

/// One segment's share: a min-heap of the best `limit` seen so far.
pub(super) struct SegmentTop {
    limit: usize,
    heap: BinaryHeap<Reverse<Scored>>,
    ids: Column<u64>,
}

impl SegmentCollector for SegmentTop {
    type Fruit = Vec<(u64, Score)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let candidate = Scored { score, doc };
        if self.heap.len() < self.limit {
            self.heap.push(Reverse(candidate));
        } else if let Some(mut worst) = self.heap.peek_mut()
            && candidate > worst.0
        {
            // Replacing the top of the heap re-sifts once, on drop.
            worst.0 = candidate;
        }
    }

    fn harvest(self) -> Self::Fruit {
        // A document without a chunk id cannot be turned into a hit.
        self.heap.into_iter().filter_map(|Reverse(s)| self.ids.first(s.doc).map(|id| (id, s.score))).collect()
    }
}

impl Collector for TopChunks {
    type Fruit = Vec<(u64, Score)>;
    type Child = SegmentTop;

    fn for_segment(&self, _: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<SegmentTop> {
        let ids = segment.fast_fields().u64(CHUNK_ID)?;
        Ok(SegmentTop { limit: self.limit, heap: BinaryHeap::with_capacity(self.limit + 1), ids })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, segments: Vec<Vec<(u64, Score)>>) -> tantivy::Result<Self::Fruit> {
        let mut all: Vec<(u64, Score)> = segments.into_iter().flatten().collect();
        all.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        all.truncate(self.limit);
        Ok(all)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{IndexDoc, TextIndex};

    fn doc(id: u64, heading: &str, text: String) -> IndexDoc {
        IndexDoc {
            chunk_id: id,
            document_id: format!("d{}", id / 5),
            conversation_id: None,
            title: String::new(),
            heading: heading.to_owned(),
            text,
        }
    }

    #[test]
    fn every_match_scored_gives_what_the_pruning_collector_gives() {
        let index = TextIndex::in_memory().unwrap();
        index.acquire_writer().unwrap();
        let words =
            ["lease", "deposit", "paid", "back", "the", "tenant", "rent", "notice", "month", "damage"];
        // Three commits (three segments) and deletions: both collectors see
        // several segments and dead documents.
        for batch in 0..3u64 {
            let docs: Vec<IndexDoc> = (batch * 300..(batch + 1) * 300)
                .map(|i| {
                    let text = (0..(5 + i % 40)).map(|j| words[((i * 13 + j * j) % 10) as usize]);
                    doc(i, words[(i % 10) as usize], text.collect::<Vec<_>>().join(" "))
                })
                .collect();
            index.upsert(&docs).unwrap();
            index.commit().unwrap();
        }
        index.delete_chunks(&(0..900).step_by(7).collect::<Vec<u64>>()).unwrap();
        index.commit().unwrap();
        for q in
            ["lease deposit", "what does the lease say about the deposit", "damage", "rent rent notice", "x"]
        {
            for limit in [1, 10, 50, 2000] {
                let ours = index.search_filtered(q, None, limit).unwrap();
                let theirs = index.search_pruning(q, limit).unwrap();
                assert_eq!(ours.len(), theirs.len(), "{q} {limit}");
                for (a, b) in ours.iter().zip(&theirs) {
                    assert!((a.1 - b.1).abs() <= 1e-4 * b.1.abs().max(1.0), "{q} {limit}: {a:?} vs {b:?}");
                }
                assert!(ours.iter().all(|h| h.0 % 7 != 0), "deleted chunks never come back");
                // Best first; equal scores by the lower chunk id.
                assert!(ours.windows(2).all(|w| w[0].1 > w[1].1 || (w[0].1 == w[1].1 && w[0].0 < w[1].0)));
            }
        }
    }

    #[test]
    fn equal_scores_come_out_by_chunk_id() {
        let index = TextIndex::in_memory().unwrap();
        index.acquire_writer().unwrap();
        for part in [[5u64, 8, 3], [1, 9, 4]] {
            let docs: Vec<IndexDoc> = part.iter().map(|&i| doc(i, "", "same words here".into())).collect();
            index.upsert(&docs).unwrap();
            index.commit().unwrap();
        }
        let ids = |limit| -> Vec<u64> {
            index.search_filtered("words", None, limit).unwrap().into_iter().map(|h| h.0).collect()
        };
        assert_eq!(ids(4), vec![1, 3, 4, 5]);
        // Six tied chunks and a cut at two: the same two every time.
        let two = ids(2);
        assert!(two.len() == 2 && two[0] < two[1], "{two:?}");
        assert!((0..5).all(|_| ids(2) == two));
        assert!(index.search_filtered("words", None, 0).unwrap().is_empty());
    }
}
