//! Classification speed: the one Aho-Corasick pass against the naive
//! per-phrase loop (ASCII-lowercase, then `str::find` for every phrase with
//! the same boundary rule), on the same keyword sets, in the same run, for
//! messages of 100 B, 2 KB and 100 KB. Also the whole `route` (classify,
//! language detection, decision) for the same messages.
//!
//! `cargo bench --bench router -- --warm-up-time 1 --measurement-time 3`

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a benchmark stops on any setup failure")]

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use gogga::router::{NaiveMatcher, Override, Router, RouterConfig, Tier, UserText};

/// Chat-like English with a few phrases from the sets, cut to `bytes` on a
/// character boundary.
fn message(bytes: usize) -> String {
    const PARAGRAPH: &str = "Hi Gogga, I run a small catering business in Durban and I want to understand \
        what POPIA means for the customer list I keep in a spreadsheet. Can you explain in detail what I \
        must do, and whether I need to register with anyone? My sister says the rules are different for \
        companies that also do deliveries to Pietermaritzburg. Also, what is the difference between a \
        sole proprietor and a company when it comes to tax, and should I speak to an accountant about \
        VAT before the end of February? Ngiyabonga for the help so far; the last answer was lekker. ";
    let mut text = String::with_capacity(bytes + PARAGRAPH.len());
    while text.len() < bytes {
        text.push_str(PARAGRAPH);
    }
    let mut cut = bytes;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text.truncate(cut);
    text
}

fn router() -> Router {
    match Router::new(&RouterConfig::default(), None) {
        Ok(r) => r,
        Err(e) => panic!("the default router must build: {e}"),
    }
}

fn classify(c: &mut Criterion) {
    let router = router();
    let naive = NaiveMatcher::new(router.keywords());
    let mut group = c.benchmark_group("classify");
    for (label, size) in [("100B", 100), ("2KB", 2 * 1024), ("100KB", 100 * 1024)] {
        let text = message(size);
        let typed = UserText::typed(text.clone());
        assert_eq!(router.classify(&typed), naive.classify(&text), "both matchers must agree before timing");
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::new("automaton", label), &typed, |b, t| {
            b.iter(|| router.classify(black_box(t)))
        });
        group.bench_with_input(BenchmarkId::new("naive", label), &text, |b, t| {
            b.iter(|| naive.classify(black_box(t)))
        });
    }
    group.finish();
}

fn route(c: &mut Criterion) {
    let router = router();
    let mut group = c.benchmark_group("route");
    for (label, size) in [("100B", 100), ("2KB", 2 * 1024), ("100KB", 100 * 1024)] {
        let typed = UserText::typed(message(size));
        group.throughput(Throughput::Bytes(typed.as_str().len() as u64));
        group.bench_with_input(BenchmarkId::new("route", label), &typed, |b, t| {
            b.iter(|| router.route(black_box(t), Tier::Jive, Override::Auto))
        });
    }
    group.finish();
}

criterion_group!(benches, classify, route);
criterion_main!(benches);
