//! [`VectorIndex`]: every chunk's vector in one contiguous `Vec<f32>` plus
//! an int8 copy ([`QuantizedVectors`]), and an exact top-k search. Vectors
//! are unit length, so cosine is a dot product; [`dot`] keeps 32
//! independent partial sums so LLVM turns it into SIMD without
//! `-ffast-math` (a naive loop is ~9x slower because float addition may
//! not be reordered). The search scans the int8 codes (a quarter of the
//! memory traffic), each approximate score with a proven error bound, and
//! scores in f32 only the vectors whose bound can reach the top k: the
//! result is the same as a full f32 scan ([`VectorIndex::search_full`],
//! kept as the reference), several times faster at 100k vectors
//! (BENCHMARKS.md). Scores are computed a block at a time into a small
//! buffer; scope filtering happens only for vectors that could enter the
//! top k, so the hot loop stays branch-free. No approximate index below
//! ~1M chunks: no recall loss.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::ops::Range;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering as AtomicOrdering};

use super::quantized::{QuantizedQuery, QuantizedVectors, dot_block};
use super::{LIBRARY_SCOPE, Scope};

/// Partial sums kept apart so the loop vectorises.
const LANES: usize = 32;
/// Vectors scored per block (the score buffer stays in L1).
const BLOCK: usize = 256;
/// Fewest vectors worth a thread of their own: ~2 ms of scanning at 384
/// dimensions, against ~10 µs to wake a pool thread.
const MIN_PART: usize = 16_384;

/// Dot product of two equal-length slices.
#[inline]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0.0f32; LANES];
    let (ca, ra) = a.as_chunks::<LANES>();
    let (cb, rb) = b.as_chunks::<LANES>();
    for (x, y) in ca.iter().zip(cb) {
        for i in 0..LANES {
            acc[i] += x[i] * y[i];
        }
    }
    let mut tail = 0.0;
    for (x, y) in ra.iter().zip(rb) {
        tail += x * y;
    }
    acc.iter().sum::<f32>() + tail
}

/// Which scopes a search accepts, as the index's interned scope numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeFilter {
    allowed: [u32; 2],
}

impl ScopeFilter {
    fn accepts(&self, scope: u32) -> bool {
        scope == self.allowed[0] || scope == self.allowed[1]
    }
}

/// Vectors of one model, by chunk id.
#[derive(Debug, Clone)]
pub struct VectorIndex {
    model: String,
    dim: usize,
    ids: Vec<u64>,
    scopes: Vec<u32>,
    data: Vec<f32>,
    /// The same vectors in int8, same order (what the scan reads).
    codes: QuantizedVectors,
    position: HashMap<u64, usize>,
    scope_ids: HashMap<String, u32>,
}

/// A scored candidate; ordered so the heap's top is the worst kept.
#[derive(Debug, PartialEq)]
struct Candidate(f32, u64);
impl Eq for Candidate {}
impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: BinaryHeap is a max-heap, we want the lowest score on top.
        other.0.total_cmp(&self.0).then(self.1.cmp(&other.1))
    }
}

impl VectorIndex {
    /// An empty index for `model`'s `dim`-sized vectors.
    pub fn new(model: &str, dim: usize) -> VectorIndex {
        let mut scope_ids = HashMap::new();
        scope_ids.insert(LIBRARY_SCOPE.to_owned(), 0);
        VectorIndex {
            model: model.to_owned(),
            dim,
            ids: Vec::new(),
            scopes: Vec::new(),
            data: Vec::new(),
            codes: QuantizedVectors::new(dim),
            position: HashMap::new(),
            scope_ids,
        }
    }

    /// The model whose vectors these are.
    pub fn model(&self) -> &str {
        &self.model
    }

    /// Vector length.
    pub fn dimension(&self) -> usize {
        self.dim
    }

    /// How many vectors.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// No vectors at all.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Whether chunk `id` has a vector here.
    pub fn contains(&self, id: u64) -> bool {
        self.position.contains_key(&id)
    }

    /// Reserve room for `n` more vectors.
    pub fn reserve(&mut self, n: usize) {
        self.ids.reserve(n);
        self.scopes.reserve(n);
        self.data.reserve(n * self.dim);
        self.codes.reserve(n);
        self.position.reserve(n);
    }

    fn scope_id(&mut self, conversation: Option<&str>) -> u32 {
        let key = conversation.unwrap_or(LIBRARY_SCOPE);
        if let Some(id) = self.scope_ids.get(key) {
            return *id;
        }
        let id = self.scope_ids.len() as u32;
        self.scope_ids.insert(key.to_owned(), id);
        id
    }

    /// Add or replace chunk `id`'s vector. A vector of the wrong length is
    /// refused (returns false).
    pub fn upsert(&mut self, id: u64, conversation: Option<&str>, vector: &[f32]) -> bool {
        if vector.len() != self.dim {
            return false;
        }
        let scope = self.scope_id(conversation);
        match self.position.get(&id) {
            Some(&at) => {
                self.data[at * self.dim..(at + 1) * self.dim].copy_from_slice(vector);
                self.codes.replace(at, vector);
                self.scopes[at] = scope;
            }
            None => {
                self.position.insert(id, self.ids.len());
                self.ids.push(id);
                self.scopes.push(scope);
                self.data.extend_from_slice(vector);
                self.codes.push(vector);
            }
        }
        true
    }

    /// Remove chunk `id` (swapping the last vector into its place).
    pub fn remove(&mut self, id: u64) -> bool {
        let Some(at) = self.position.remove(&id) else { return false };
        let last = self.ids.len() - 1;
        if at != last {
            let moved = self.ids[last];
            self.ids[at] = moved;
            self.scopes[at] = self.scopes[last];
            let (head, tail) = self.data.split_at_mut(last * self.dim);
            head[at * self.dim..(at + 1) * self.dim].copy_from_slice(&tail[..self.dim]);
            self.position.insert(moved, at);
        }
        self.codes.swap_remove(at);
        self.ids.pop();
        self.scopes.pop();
        self.data.truncate(last * self.dim);
        true
    }

    /// The filter for `scope` (a conversation never seen matches nothing
    /// beyond the library).
    pub fn filter(&self, scope: &Scope) -> ScopeFilter {
        let conv = scope.conversation.as_deref().and_then(|c| self.scope_ids.get(c)).copied().unwrap_or(0);
        ScopeFilter { allowed: [0, conv] }
    }

    /// The `k` chunks most similar to `query` within `filter`, best first
    /// (ties: lower id first): exactly what [`VectorIndex::search_full`]
    /// returns, by scanning the int8 codes and rescoring in f32 only the
    /// vectors whose error bound can reach the k-th best lower bound. A
    /// large index is scanned on all cores at once, each thread taking
    /// blocks until none are left and sharing its floor (see [`Shared`]):
    /// each thread's exact top k, merged, is the exact top k of the whole,
    /// because the order (score, then id) is total.
    pub fn search(&self, query: &[f32], k: usize, filter: &ScopeFilter) -> Vec<(u64, f32)> {
        self.search_in_parts(query, k, filter, parts_for(self.ids.len()))
    }

    /// As [`VectorIndex::search`], on `parts` threads (tests force the
    /// split on small indexes).
    pub(super) fn search_in_parts(
        &self,
        query: &[f32],
        k: usize,
        filter: &ScopeFilter,
        parts: usize,
    ) -> Vec<(u64, f32)> {
        if query.len() != self.dim || k == 0 || self.ids.is_empty() {
            return Vec::new();
        }
        let q = QuantizedQuery::new(query);
        if !q.usable() {
            return self.search_full(query, k, filter);
        }
        let threads = parts.clamp(1, self.ids.len().div_ceil(BLOCK));
        let shared = Shared::new();
        let scan = |_| self.scan(query, &q, k, filter, &shared);
        let heaps = if threads == 1 {
            vec![scan(0)]
        } else {
            // If the threads cannot run, everything is scanned here: the
            // answer never depends on threads (a panic would recur here
            // and reach the caller as it did before the split).
            crate::spawn::map_parts((0..threads).collect(), scan)
                .unwrap_or_else(|_| vec![self.scan(query, &q, k, filter, &Shared::new())])
        };
        let mut merged: BinaryHeap<Candidate> = BinaryHeap::with_capacity(k + 1);
        for c in heaps.into_iter().flatten() {
            merged.push(c);
            if merged.len() > k {
                merged.pop();
            }
        }
        sorted(merged)
    }

    /// One thread's share of a search: blocks taken from `shared` until
    /// none are left, and the exact top `k` among those (see
    /// [`Self::search`]).
    fn scan(
        &self,
        query: &[f32],
        q: &QuantizedQuery,
        k: usize,
        filter: &ScopeFilter,
        shared: &Shared,
    ) -> BinaryHeap<Candidate> {
        // Pass 1: a lower bound on the k-th best score (`floor`, only
        // rises: this thread's k-th best lower bound or another thread's,
        // whichever is higher) and every vector whose upper bound reached
        // it when seen.
        let mut lows: BinaryHeap<Candidate> = BinaryHeap::with_capacity(k + 1);
        let mut floor = f32::NEG_INFINITY;
        let mut maybe: Vec<(usize, f32)> = Vec::with_capacity(4 * k);
        let mut dots = [0i32; BLOCK];
        let codes = self.codes.codes();
        while let Some(range) = shared.take(self.ids.len()) {
            floor = floor.max(shared.floor());
            let n = range.len();
            dot_block(q.codes(), &codes[range.start * self.dim..range.end * self.dim], &mut dots[..n]);
            for (i, &d) in dots[..n].iter().enumerate() {
                let at = range.start + i;
                let (approx, err) = q.estimate(d, self.codes.quant(at));
                let high = approx + err;
                // Not below the floor; a NaN bound is kept, never dropped.
                if high.partial_cmp(&floor) != Some(Ordering::Less) && filter.accepts(self.scopes[at]) {
                    maybe.push((at, high));
                    let low = approx - err;
                    if low > floor {
                        lows.push(Candidate(low, self.ids[at]));
                        if lows.len() > k {
                            lows.pop();
                        }
                        // Entries made before the floor rose can leave the
                        // k-th below it: the floor never drops.
                        if lows.len() == k && lows.peek().is_some_and(|c| c.0 > floor) {
                            floor = lows.peek().map_or(floor, |c| c.0);
                            shared.raise(floor);
                        }
                    }
                }
            }
        }
        // Pass 2: exact scores for those still above the floor.
        let floor = floor.max(shared.floor());
        let mut heap: BinaryHeap<Candidate> = BinaryHeap::with_capacity(k + 1);
        for (at, high) in maybe {
            if high < floor {
                continue;
            }
            let score = dot(query, &self.data[at * self.dim..(at + 1) * self.dim]);
            if score.is_nan() {
                continue; // as `search_full`: a NaN never compares above anything
            }
            heap.push(Candidate(score, self.ids[at]));
            if heap.len() > k {
                heap.pop();
            }
        }
        heap
    }

    /// The reference search: every vector scored in f32. Same results as
    /// [`VectorIndex::search`], about four times the memory traffic
    /// (tests and benchmarks compare the two).
    pub fn search_full(&self, query: &[f32], k: usize, filter: &ScopeFilter) -> Vec<(u64, f32)> {
        if query.len() != self.dim || k == 0 || self.ids.is_empty() {
            return Vec::new();
        }
        let mut heap: BinaryHeap<Candidate> = BinaryHeap::with_capacity(k + 1);
        let mut threshold = f32::NEG_INFINITY;
        let mut scores = [0.0f32; BLOCK];
        for (block, rows) in self.data.chunks(BLOCK * self.dim).enumerate() {
            let n = rows.len() / self.dim;
            for (s, row) in scores.iter_mut().zip(rows.chunks_exact(self.dim)) {
                *s = dot(query, row);
            }
            let base = block * BLOCK;
            for (i, &score) in scores[..n].iter().enumerate() {
                // `>=`: ties at the threshold enter, and the heap keeps the
                // lower ids, so ties never depend on the storage order.
                if score >= threshold && filter.accepts(self.scopes[base + i]) {
                    heap.push(Candidate(score, self.ids[base + i]));
                    if heap.len() > k {
                        heap.pop();
                    }
                    if heap.len() == k {
                        threshold = heap.peek().map_or(f32::NEG_INFINITY, |c| c.0);
                    }
                }
            }
        }
        sorted(heap)
    }
}

#[cfg(test)]
impl VectorIndex {
    /// [`VectorIndex::search`] on one thread whose floor another thread
    /// has already raised to `floor` (tests: the highest valid floor is
    /// the exact k-th best score itself).
    pub(super) fn search_from_floor(
        &self,
        query: &[f32],
        k: usize,
        filter: &ScopeFilter,
        floor: f32,
    ) -> Vec<(u64, f32)> {
        let q = QuantizedQuery::new(query);
        let shared = Shared::new();
        shared.raise(floor);
        sorted(self.scan(query, &q, k, filter, &shared))
    }
}

/// What the threads of one search share: the next block to scan, and the
/// highest k-th best lower bound any of them has found. Any thread's floor
/// is backed by k vectors whose exact scores reach it, so every thread may
/// drop what falls below it: the threads prune like one scan, and a thread
/// that starts late (its core was busy) just takes fewer blocks.
struct Shared {
    next: AtomicUsize,
    /// An `f32` as [`ordered`] bits, so `fetch_max` keeps the highest.
    floor: AtomicU32,
}

impl Shared {
    fn new() -> Shared {
        Shared { next: AtomicUsize::new(0), floor: AtomicU32::new(ordered(f32::NEG_INFINITY)) }
    }

    /// The next unscanned block of an index of `len` vectors, if any.
    fn take(&self, len: usize) -> Option<Range<usize>> {
        let start = self.next.fetch_add(1, AtomicOrdering::Relaxed).saturating_mul(BLOCK);
        (start < len).then(|| start..(start + BLOCK).min(len))
    }

    fn floor(&self) -> f32 {
        unordered(self.floor.load(AtomicOrdering::Relaxed))
    }

    fn raise(&self, floor: f32) {
        self.floor.fetch_max(ordered(floor), AtomicOrdering::Relaxed);
    }
}

/// `x`'s bits, mapped so unsigned order is `f32::total_cmp` order.
fn ordered(x: f32) -> u32 {
    let b = x.to_bits();
    if b >> 31 == 1 { !b } else { b | 1 << 31 }
}

/// The inverse of [`ordered`].
fn unordered(b: u32) -> f32 {
    f32::from_bits(if b >> 31 == 1 { b & !(1 << 31) } else { !b })
}

/// How many parts to scan `n` vectors in: one per core, but none smaller
/// than [`MIN_PART`] (a thread costs tens of microseconds to start).
fn parts_for(n: usize) -> usize {
    crate::spawn::cores().min(n / MIN_PART).max(1)
}

/// The heap's candidates, best first, ties by id.
fn sorted(heap: BinaryHeap<Candidate>) -> Vec<(u64, f32)> {
    let mut out: Vec<(u64, f32)> = heap.into_iter().map(|c| (c.1, c.0)).collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_map_to_bits_in_the_same_order_and_back() {
        let xs = [f32::NEG_INFINITY, -1e30, -1.0, -1e-40, -0.0, 0.0, 1e-40, 0.5, 1.0, 3e38, f32::INFINITY];
        for pair in xs.windows(2) {
            assert!(ordered(pair[0]) < ordered(pair[1]), "{pair:?}");
        }
        for x in xs {
            assert_eq!(unordered(ordered(x)).to_bits(), x.to_bits());
        }
        let shared = Shared::new();
        shared.raise(0.25);
        shared.raise(-0.5);
        assert_eq!(shared.floor(), 0.25, "the floor never drops");
        assert_eq!(shared.take(300), Some(0..BLOCK));
        assert_eq!(shared.take(300), Some(BLOCK..300));
        assert_eq!(shared.take(300), None);
    }
}
