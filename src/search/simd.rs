//! The int8 dot products of the vector scan with AVX2, when the CPU has it
//! (checked at run time; std caches the answer). The portable loop in
//! `quantized.rs` compiles to SSE2, which widens every byte to 16 bits
//! before multiplying; AVX2's `vpmaddubsw` multiplies 32 byte pairs and
//! adds neighbours in one instruction, so the scan stops being bound by
//! arithmetic and runs at the speed memory delivers the codes (measured:
//! BENCHMARKS.md, "Search latency").
//!
//! The only `unsafe` in the crate: the intrinsics need the CPU feature the
//! run-time check proved, and the loads read within the slices' bounds.
//! Results are identical to the portable loop for codes in −127..=127 (the
//! quantizer never makes −128), which the tests check on every length.
#![allow(unsafe_code)]

#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::{
    __m256i, _mm_add_epi32, _mm_cvtsi128_si32, _mm_shuffle_epi32, _mm256_add_epi32, _mm256_castsi256_si128,
    _mm256_extracti128_si256, _mm256_loadu_si256, _mm256_madd_epi16, _mm256_maddubs_epi16, _mm256_set1_epi16,
    _mm256_setzero_si256, _mm256_sign_epi8,
};

/// Bytes per AVX2 register.
#[cfg(target_arch = "x86_64")]
const WIDTH: usize = 32;

/// `out[i]` = the dot product of `query` with the `i`-th row of `rows`,
/// with AVX2; `false` (nothing written) when the CPU lacks it.
pub(super) fn dot_block(query: &[i8], rows: &[i8], out: &mut [i32]) -> bool {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2 (checked just above).
        unsafe { dot_block_avx2(query, rows, out) };
        return true;
    }
    let _ = (query, rows, out);
    false
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn dot_block_avx2(query: &[i8], rows: &[i8], out: &mut [i32]) {
    if query.is_empty() {
        out.fill(0);
        return;
    }
    for (d, row) in out.iter_mut().zip(rows.chunks_exact(query.len())) {
        *d = dot_avx2(query, row);
    }
}

/// One dot product: 32 byte pairs per step, the rest one by one.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn dot_avx2(a: &[i8], b: &[i8]) -> i32 {
    let n = a.len().min(b.len());
    let steps = n / WIDTH;
    let ones = _mm256_set1_epi16(1);
    let mut acc = _mm256_setzero_si256();
    for s in 0..steps {
        let at = s * WIDTH;
        // SAFETY: `at + WIDTH <= n`, within both slices; unaligned loads.
        let (x, y) = unsafe {
            (
                _mm256_loadu_si256(a.as_ptr().add(at).cast::<__m256i>()),
                _mm256_loadu_si256(b.as_ptr().add(at).cast::<__m256i>()),
            )
        };
        // vpmaddubsw takes unsigned × signed bytes: |x| × (y with x's
        // sign) is the same product. Each pair sum is at most 2·127·127 =
        // 32,258, inside i16, so it never saturates.
        let pairs = _mm256_maddubs_epi16(_mm256_sign_epi8(x, x), _mm256_sign_epi8(y, x));
        acc = _mm256_add_epi32(acc, _mm256_madd_epi16(pairs, ones));
    }
    let half = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256::<1>(acc));
    let quarter = _mm_add_epi32(half, _mm_shuffle_epi32::<0b01_00_11_10>(half));
    let one = _mm_add_epi32(quarter, _mm_shuffle_epi32::<0b10_11_00_01>(quarter));
    let mut sum = _mm_cvtsi128_si32(one);
    for i in steps * WIDTH..n {
        sum += i32::from(a[i]) * i32::from(b[i]);
    }
    sum
}
