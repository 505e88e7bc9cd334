//! [`QuantizedVectors`]: an int8 copy of every vector (one scale per
//! vector) with what it takes to bound its error, so the vector index can
//! scan a quarter of the bytes and still return exactly what a full f32
//! scan would. For a vector `v` stored as `s·c` (`c` in −127..=127) and a
//! query `q` stored as `t·d`, Cauchy–Schwarz gives
//!
//! ```text
//! |q·v − t·s·(d·c)| ≤ ‖q‖·‖v − s·c‖ + ‖q − t·d‖·‖s·c‖
//! ```
//!
//! so every approximate score comes with an interval that holds the exact
//! one. The scan (see [`super::VectorIndex::search`]) keeps only vectors
//! whose interval can reach the k-th best lower bound and scores those
//! exactly. Why: 100k × 384 f32 is 150 MB per query, more than this
//! machine's memory bandwidth serves in the 5 ms budget; int8 is 38 MB.
//! Its dot product runs with AVX2 where the CPU has it (`simd.rs`) and
//! otherwise as a portable loop LLVM vectorises with SSE2. Measured in
//! BENCHMARKS.md ("Search latency").

/// Largest code magnitude (−128 is never used, so negation is safe).
const MAX_CODE: f32 = 127.0;
/// Independent integer partial sums, so LLVM vectorises [`dot_i8`].
const LANES: usize = 32;
/// Added to every error bound: covers f32 rounding in the exact and the
/// approximate scores (both are ~1e-6 for unit vectors), many times over.
const SLACK: f32 = 1e-4;

/// How one vector was quantized.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Quant {
    /// `v ≈ scale · codes`.
    scale: f32,
    /// `‖v − scale·codes‖`, rounded up.
    residual: f32,
    /// `‖scale·codes‖`, rounded up.
    norm: f32,
}

/// Quantize `v` into `codes` (same length).
pub(crate) fn quantize(v: &[f32], codes: &mut [i8]) -> Quant {
    // `f32::max` skips NaN, so look for non-finite values first.
    let finite = v.iter().all(|x| x.is_finite());
    let max = v.iter().fold(0.0f32, |m, x| m.max(x.abs()));
    if !finite || max == 0.0 {
        // Zero, or not a number: no codes, and an error bound that is
        // either exact (zero vector) or infinite (always scored exactly).
        codes.fill(0);
        let residual = if finite { 0.0 } else { f32::INFINITY };
        return Quant { scale: 0.0, residual, norm: 0.0 };
    }
    let scale = max / MAX_CODE;
    let (mut residual, mut norm) = (0.0f64, 0.0f64);
    for (c, x) in codes.iter_mut().zip(v) {
        let q = (x / scale).round().clamp(-MAX_CODE, MAX_CODE);
        *c = q as i8;
        let back = f64::from(scale) * f64::from(q);
        residual += (f64::from(*x) - back).powi(2);
        norm += back * back;
    }
    // Computed in f64, rounded up when narrowed: the bound never shrinks.
    let up = |x: f64| (x.sqrt() as f32) * (1.0 + 1e-6);
    Quant { scale, residual: up(residual), norm: up(norm) }
}

/// Integer dot product of two equal-length code slices. Each product fits
/// an i16 (|c| ≤ 127) and each lane sums at most dim/32 of them.
#[inline]
pub(crate) fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
    let mut acc = [0i32; LANES];
    let (ca, ra) = a.as_chunks::<LANES>();
    let (cb, rb) = b.as_chunks::<LANES>();
    for (x, y) in ca.iter().zip(cb) {
        for i in 0..LANES {
            acc[i] += i32::from(i16::from(x[i]) * i16::from(y[i]));
        }
    }
    let mut tail = 0i32;
    for (x, y) in ra.iter().zip(rb) {
        tail += i32::from(*x) * i32::from(*y);
    }
    acc.iter().sum::<i32>() + tail
}

/// `out[i]` = the dot product of `query` with the `i`-th row of `rows`
/// (rows of `query.len()` codes, one per `out` slot).
/// With AVX2 when the CPU has it (see `simd.rs`), else the portable loop.
#[inline]
pub(crate) fn dot_block(query: &[i8], rows: &[i8], out: &mut [i32]) {
    if !super::simd::dot_block(query, rows, out) {
        portable_dot_block(query, rows, out);
    }
}

fn portable_dot_block(query: &[i8], rows: &[i8], out: &mut [i32]) {
    for (d, row) in out.iter_mut().zip(rows.chunks_exact(query.len())) {
        *d = dot_i8(query, row);
    }
}

/// A query prepared for scanning codes.
#[derive(Debug, Clone)]
pub(crate) struct QuantizedQuery {
    codes: Vec<i8>,
    quant: Quant,
    /// `‖q‖`, rounded up.
    norm: f32,
}

impl QuantizedQuery {
    pub(crate) fn new(q: &[f32]) -> QuantizedQuery {
        let mut codes = vec![0i8; q.len()];
        let quant = quantize(q, &mut codes);
        let norm = (q.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>().sqrt() as f32) * (1.0 + 1e-6);
        QuantizedQuery { codes, quant, norm }
    }

    pub(crate) fn codes(&self) -> &[i8] {
        &self.codes
    }

    /// Whether the bounds are meaningful: a query with a non-finite value
    /// or of zero length is scanned exactly instead (its bound could be
    /// `0 · ∞`).
    pub(crate) fn usable(&self) -> bool {
        self.norm > 0.0 && self.norm.is_finite() && self.quant.residual.is_finite()
    }

    /// The approximate score of a vector quantized as `v` whose codes
    /// dotted with this query's give `int_dot`, and the bound on its error.
    #[inline]
    pub(crate) fn estimate(&self, int_dot: i32, v: &Quant) -> (f32, f32) {
        let approx = self.quant.scale * v.scale * int_dot as f32;
        let err = self.norm * v.residual + self.quant.residual * v.norm + SLACK * (1.0 + self.norm * v.norm);
        (approx, err)
    }
}

/// Every vector's codes, contiguous, with its [`Quant`]; kept in the same
/// order as the f32 vectors by the index.
#[derive(Debug, Clone, Default)]
pub(crate) struct QuantizedVectors {
    dim: usize,
    codes: Vec<i8>,
    quants: Vec<Quant>,
}

impl QuantizedVectors {
    pub(crate) fn new(dim: usize) -> QuantizedVectors {
        QuantizedVectors { dim, codes: Vec::new(), quants: Vec::new() }
    }

    pub(crate) fn reserve(&mut self, n: usize) {
        self.codes.reserve(n * self.dim);
        self.quants.reserve(n);
    }

    pub(crate) fn push(&mut self, v: &[f32]) {
        let start = self.codes.len();
        self.codes.resize(start + self.dim, 0);
        let q = quantize(v, &mut self.codes[start..]);
        self.quants.push(q);
    }

    pub(crate) fn replace(&mut self, at: usize, v: &[f32]) {
        self.quants[at] = quantize(v, &mut self.codes[at * self.dim..(at + 1) * self.dim]);
    }

    /// Move the last vector into `at` and drop the last (as the index does).
    pub(crate) fn swap_remove(&mut self, at: usize) {
        let last = self.quants.len() - 1;
        if at != last {
            let (head, tail) = self.codes.split_at_mut(last * self.dim);
            head[at * self.dim..(at + 1) * self.dim].copy_from_slice(&tail[..self.dim]);
            self.quants[at] = self.quants[last];
        }
        self.quants.pop();
        self.codes.truncate(last * self.dim);
    }

    pub(crate) fn codes(&self) -> &[i8] {
        &self.codes
    }

    pub(crate) fn quant(&self, at: usize) -> &Quant {
        &self.quants[at]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(a: &[f32], b: &[f32]) -> f64 {
        a.iter().zip(b).map(|(x, y)| f64::from(*x) * f64::from(*y)).sum()
    }

    /// A deterministic xorshift sequence.
    fn xorshift(mut x: u64) -> impl FnMut() -> u64 {
        move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        }
    }

    #[test]
    fn the_bound_holds_for_random_and_awkward_vectors() {
        let mut bits = xorshift(0x1234_5678_9abc_def1);
        let mut next = move || (bits() >> 40) as f32 / (1u64 << 24) as f32 - 0.5;
        let mut vectors: Vec<Vec<f32>> = (0..300).map(|_| (0..77).map(|_| next()).collect()).collect();
        // One huge component (coarse scale for the rest), all zero, tiny.
        let mut spike = vec![0.001f32; 77];
        spike[3] = 50.0;
        vectors.push(spike);
        vectors.push(vec![0.0; 77]);
        vectors.push(vec![1e-30; 77]);
        for q in &vectors {
            let query = QuantizedQuery::new(q);
            for v in &vectors {
                let mut codes = vec![0i8; v.len()];
                let quant = quantize(v, &mut codes);
                let (approx, err) = query.estimate(dot_i8(query.codes(), &codes), &quant);
                let truth = exact(q, v);
                assert!(
                    (f64::from(approx) - truth).abs() <= f64::from(err),
                    "approx {approx} err {err} truth {truth}"
                );
                assert!(err < 0.05 * (1.0 + (exact(q, q) * exact(v, v)).sqrt() as f32) + 1e-3);
            }
        }
    }

    #[test]
    fn a_vector_that_is_not_a_number_gets_an_infinite_bound() {
        let mut codes = vec![0i8; 3];
        let quant = quantize(&[f32::NAN, 1.0, 0.0], &mut codes);
        let query = QuantizedQuery::new(&[1.0, 0.0, 0.0]);
        let (_, err) = query.estimate(dot_i8(query.codes(), &codes), &quant);
        assert!(err.is_infinite());
    }

    #[test]
    fn integer_dot_matches_a_plain_sum_for_every_length() {
        for len in [0usize, 1, 31, 32, 33, 384, 1000] {
            let a: Vec<i8> = (0..len).map(|i| ((i * 37) % 255) as i8).collect();
            let b: Vec<i8> = (0..len).map(|i| ((i * 91 + 5) % 255) as i8).collect();
            let a: Vec<i8> = a.iter().map(|x| (*x).max(-127)).collect();
            let b: Vec<i8> = b.iter().map(|x| (*x).max(-127)).collect();
            let want: i64 = a.iter().zip(&b).map(|(x, y)| i64::from(*x) * i64::from(*y)).sum();
            assert_eq!(i64::from(dot_i8(&a, &b)), want, "len {len}");
        }
    }

    #[test]
    fn block_dots_match_a_plain_sum_at_every_length_and_at_the_extremes() {
        let mut bits = xorshift(0x9e37_79b9_7f4a_7c15);
        let mut code = move || (((bits() >> 32) % 255) as i32 - 127) as i8; // −127..=127
        for dim in [1usize, 7, 31, 32, 33, 64, 95, 384, 385] {
            let query: Vec<i8> = (0..dim).map(|_| code()).collect();
            let mut rows: Vec<i8> = (0..dim * 9).map(|_| code()).collect();
            // Rows of all +127 and all −127 against a query of the same:
            // the largest pair sums vpmaddubsw can see.
            let extremes: Vec<i8> = [127i8, -127].iter().flat_map(|&c| vec![c; dim]).collect();
            rows.extend(&extremes);
            for q in [query.clone(), vec![127; dim], vec![-127; dim]] {
                let n = rows.len() / dim;
                let want: Vec<i32> = rows
                    .chunks_exact(dim)
                    .map(|r| r.iter().zip(&q).map(|(a, b)| i32::from(*a) * i32::from(*b)).sum())
                    .collect();
                let mut got = vec![i32::MIN; n];
                dot_block(&q, &rows, &mut got);
                assert_eq!(got, want, "dim {dim}");
                let mut portable = vec![i32::MIN; n];
                portable_dot_block(&q, &rows, &mut portable);
                assert_eq!(portable, want, "dim {dim}");
            }
        }
    }
}
