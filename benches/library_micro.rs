//! Criterion micro-benchmarks of the library's hot loops: the exact vector
//! scan (10k and 100k 384-d vectors; int8 with exact rescoring vs full f32), BM25 over an in-memory index,
//! fusion, and the chunker. Run: `cargo bench --bench library_micro`.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a benchmark stops on any setup failure")]

use criterion::{Criterion, criterion_group, criterion_main};
use gogga::ingest::chunk::{Block, Chunker};
use gogga::search::{Fusion, IndexDoc, Scope, TextIndex, VectorIndex, fuse};

fn unit(seed: u64, dim: usize) -> Vec<f32> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut v: Vec<f32> = (0..dim)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 40) as f32 / (1u64 << 24) as f32 - 0.5
        })
        .collect();
    gogga::embed::normalize(&mut v);
    v
}

fn vectors(c: &mut Criterion) {
    for n in [10_000usize, 100_000] {
        let mut index = VectorIndex::new("m", 384);
        index.reserve(n);
        for i in 0..n {
            index.upsert(i as u64, None, &unit(i as u64, 384));
        }
        let q = unit(u64::MAX, 384);
        let filter = index.filter(&Scope::library());
        // Top 50: what hybrid search asks of each retriever. The int8 scan
        // and the full f32 scan side by side (same results, see the tests).
        c.bench_function(&format!("vector top-50 of {n} (int8 scan + exact rescoring)"), |b| {
            b.iter(|| index.search(&q, 50, &filter))
        });
        c.bench_function(&format!("vector top-50 of {n} (full f32 scan)"), |b| {
            b.iter(|| index.search_full(&q, 50, &filter))
        });
    }
    let (a, b2) = (unit(1, 384), unit(2, 384));
    c.bench_function("dot 384", |b| {
        b.iter(|| gogga::search::dot(std::hint::black_box(&a), std::hint::black_box(&b2)))
    });
}

fn bm25(c: &mut Criterion) {
    let index = TextIndex::in_memory().unwrap();
    index.acquire_writer().unwrap();
    let words =
        ["index", "vacuum", "query", "table", "lock", "replica", "backup", "planner", "join", "tuple"];
    let docs: Vec<IndexDoc> = (0..20_000u64)
        .map(|i| IndexDoc {
            chunk_id: i,
            document_id: format!("d{}", i / 10),
            conversation_id: None,
            title: format!("doc {i}"),
            heading: words[(i % 10) as usize].to_owned(),
            text: (0..60).map(|j| words[((i * 7 + j * 3) % 10) as usize]).collect::<Vec<_>>().join(" "),
        })
        .collect();
    index.upsert(&docs).unwrap();
    index.commit().unwrap();
    c.bench_function("bm25 top-50 of 20k", |b| {
        b.iter(|| index.search("vacuum planner lock", &Scope::library(), 50).unwrap())
    });
    let l1: Vec<(u64, f32)> = (0..50).map(|i| (i, 50.0 - i as f32)).collect();
    let l2: Vec<(u64, f32)> = (25..75).map(|i| (i, 1.0 - i as f32 / 100.0)).collect();
    c.bench_function("fuse 50+50", |b| b.iter(|| fuse(&l1, &l2, Fusion::default(), 10)));
}

fn chunker(c: &mut Criterion) {
    let para = "The planner estimates the cost of each path and keeps the cheapest one. ".repeat(6);
    let mut group = c.benchmark_group("chunker");
    group.throughput(criterion::Throughput::Bytes((para.len() * 2000) as u64));
    group.bench_function("1000 chars, 150 overlap", |b| {
        b.iter(|| {
            let mut n = 0;
            let mut chunker = Chunker::new(1000, 150, |_| {
                n += 1;
                Ok(())
            });
            for i in 0..2000 {
                if i % 40 == 0 {
                    chunker.push(Block::heading(2, format!("Section {i}"))).unwrap();
                }
                chunker.push(Block::paragraph(para.clone())).unwrap();
            }
            chunker.finish().unwrap();
            n
        })
    });
    group.finish();
}

criterion_group!(benches, vectors, bm25, chunker);
criterion_main!(benches);
