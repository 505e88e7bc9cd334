//! Search tests on in-memory indexes: BM25 with scopes and snippets,
//! delete-then-add, exact vector search against a naive reference, and
//! fusion arithmetic.

use super::query::Rewrite;
use super::*;

fn doc(id: u64, conv: Option<&str>, heading: &str, text: &str) -> IndexDoc {
    IndexDoc {
        chunk_id: id,
        document_id: format!("d{id}"),
        conversation_id: conv.map(str::to_owned),
        title: format!("doc {id}"),
        heading: heading.to_owned(),
        text: text.to_owned(),
    }
}

fn filled() -> TextIndex {
    let index = TextIndex::in_memory().unwrap();
    index.acquire_writer().unwrap();
    index
        .upsert(&[
            doc(1, None, "Indexes", "A B-tree index speeds up equality and range queries on sorted data."),
            doc(2, None, "Vacuum", "VACUUM reclaims storage occupied by dead tuples."),
            doc(3, Some("conv-a"), "Notes", "My private notes mention the b-tree index too."),
            doc(4, Some("conv-b"), "Other", "Another conversation's b-tree index notes."),
        ])
        .unwrap();
    index.commit().unwrap();
    index
}

#[test]
fn bm25_finds_stemmed_words_within_scope() {
    let index = filled();
    let ids = |scope: &Scope| -> Vec<u64> {
        let mut v: Vec<u64> =
            index.search("indexes b-tree", scope, 10).unwrap().into_iter().map(|h| h.0).collect();
        v.sort_unstable();
        v
    };
    assert_eq!(ids(&Scope::library()), vec![1]);
    assert_eq!(ids(&Scope::conversation("conv-a")), vec![1, 3]);
    assert_eq!(ids(&Scope::conversation("nobody")), vec![1]);
    assert!(index.search("   ", &Scope::library(), 10).unwrap().is_empty());
    // Query syntax typed by people is never an error.
    assert!(index.search("\"unbalanced AND (", &Scope::library(), 10).is_ok());
}

#[test]
fn delete_then_add_replaces_a_chunk_and_deletes_are_committed() {
    let index = filled();
    assert_eq!(index.num_docs(), 4);
    index.delete_chunks(&[2]).unwrap();
    index.upsert(&[doc(2, None, "Vacuum", "Autovacuum runs in the background.")]).unwrap();
    index.commit().unwrap();
    assert_eq!(index.num_docs(), 4);
    assert!(index.search("reclaims", &Scope::library(), 10).unwrap().is_empty());
    assert_eq!(index.search("autovacuum", &Scope::library(), 10).unwrap()[0].0, 2);
    index.delete_chunks(&[1, 3]).unwrap();
    index.commit().unwrap();
    assert_eq!(index.chunk_ids().unwrap(), vec![2, 4]);
    index.delete_all().unwrap();
    index.commit().unwrap();
    assert_eq!(index.num_docs(), 0);
}

#[test]
fn a_reader_without_the_writer_cannot_write() {
    let index = TextIndex::in_memory().unwrap();
    let err = index.upsert(&[doc(1, None, "", "x")]).unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::Busy);
}

#[test]
fn snippets_highlight_query_words_or_fall_back_to_the_start() {
    let index = filled();
    let text = "A B-tree index speeds up equality and range queries on sorted data.";
    let other = "Nothing relevant here at all, just words that go on and on for a while.";
    let s = index.snippets("range queries", &[text, other], 40).unwrap();
    assert!(!s[0].highlights.is_empty());
    let marked: Vec<&str> = s[0].highlights.iter().map(|(a, b)| &s[0].text[*a..*b]).collect();
    assert!(marked.iter().any(|m| m.eq_ignore_ascii_case("range")), "{marked:?}");
    assert!(s[1].highlights.is_empty());
    assert!(s[1].text.starts_with("Nothing relevant"), "{}", s[1].text);
    assert!(s[1].text.chars().count() <= 41, "{}", s[1].text);
}

#[test]
fn dot_matches_a_naive_sum_for_every_length() {
    for len in [0usize, 1, 7, 31, 32, 33, 100, 384] {
        let a: Vec<f32> = (0..len).map(|i| (i as f32 * 0.37).sin()).collect();
        let b: Vec<f32> = (0..len).map(|i| (i as f32 * 0.11).cos()).collect();
        let naive: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!((dot(&a, &b) - naive).abs() < 1e-4, "len {len}");
    }
}

fn unit(seed: u64, dim: usize) -> Vec<f32> {
    let mut x = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
    let mut v: Vec<f32> = (0..dim)
        .map(|_| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            ((x >> 40) as f32 / (1u64 << 24) as f32) - 0.5
        })
        .collect();
    crate::embed::normalize(&mut v);
    v
}

#[test]
fn vector_search_equals_a_brute_force_reference_with_scopes_and_removals() {
    let dim = 48;
    let mut index = VectorIndex::new("m", dim);
    for id in 0..1000u64 {
        let conv = if id % 10 == 0 { Some("c1") } else { None };
        assert!(index.upsert(id, conv, &unit(id, dim)));
    }
    assert!(!index.upsert(5000, None, &[1.0; 3]), "wrong length refused");
    for id in (0..1000).step_by(7) {
        assert!(index.remove(id));
    }
    assert!(!index.remove(7));
    index.upsert(3, None, &unit(99_999, dim)); // replace in place
    let q = unit(424_242, dim);
    for (scope, conv_ok) in [(Scope::library(), false), (Scope::conversation("c1"), true)] {
        let got = index.search(&q, 10, &index.filter(&scope));
        let mut want: Vec<(u64, f32)> = (0..1000u64)
            .filter(|id| id % 7 != 0)
            .filter(|id| conv_ok || id % 10 != 0)
            .map(|id| (id, dot(&q, &if id == 3 { unit(99_999, dim) } else { unit(id, dim) })))
            .collect();
        want.sort_by(|a, b| b.1.total_cmp(&a.1));
        want.truncate(10);
        let got_ids: Vec<u64> = got.iter().map(|h| h.0).collect();
        let want_ids: Vec<u64> = want.iter().map(|h| h.0).collect();
        assert_eq!(got_ids, want_ids, "scope {scope:?}");
    }
    assert_eq!(index.len(), 1000 - 143);
}

#[test]
fn rrf_and_convex_fusion_arithmetic() {
    let bm25 = [(1u64, 10.0f32), (2, 5.0)];
    let vector = [(2u64, 0.9f32), (3, 0.45)];
    let rrf = fuse(&bm25, &vector, Fusion::Rrf { k: 60.0, bm25_weight: 1.0, vector_weight: 1.0 }, 10);
    assert_eq!(rrf[0].id, 2, "in both lists wins");
    assert!((rrf[0].score - (1.0 / 62.0 + 1.0 / 61.0)).abs() < 1e-6);
    assert_eq!((rrf[0].bm25_rank, rrf[0].vector_rank), (Some(2), Some(1)));
    let convex = fuse(&bm25, &vector, Fusion::Convex { vector_weight: 0.25 }, 10);
    let score = |id| convex.iter().find(|f| f.id == id).unwrap().score;
    assert!((score(1) - 0.75).abs() < 1e-6);
    assert!((score(2) - (0.75 * 0.5 + 0.25)).abs() < 1e-6);
    assert!((score(3) - 0.125).abs() < 1e-6);
    assert_eq!(convex.iter().map(|f| f.id).collect::<Vec<_>>(), vec![1, 2, 3]);
    assert_eq!(fuse(&bm25, &[], Fusion::default(), 1).len(), 1);
}

#[test]
fn modes_parse_and_name_themselves() {
    for m in [Mode::Hybrid, Mode::Bm25, Mode::Vector] {
        assert_eq!(m.as_str().parse::<Mode>().unwrap(), m);
    }
    assert!("fuzzy".parse::<Mode>().unwrap_err().to_string().contains("hybrid"));
}

#[test]
fn the_int8_scan_returns_exactly_what_the_full_f32_scan_returns() {
    let dim = 384;
    let mut index = VectorIndex::new("m", dim);
    // Clustered vectors (a shared direction plus a little noise) make many
    // scores fall inside each other's error bounds; duplicates make ties.
    let centre = unit(7, dim);
    let near = |seed: u64| {
        let noise = unit(seed, dim);
        let mut v: Vec<f32> = centre.iter().zip(&noise).map(|(c, n)| c + 0.15 * n).collect();
        crate::embed::normalize(&mut v);
        v
    };
    for id in 0..3000u64 {
        let v = if id % 3 == 0 { near(id) } else { unit(id, dim) };
        let conv = if id % 11 == 0 { Some("c1") } else { None };
        assert!(index.upsert(id, conv, &v));
    }
    for id in 3000..3010u64 {
        assert!(index.upsert(id, None, &near(3))); // ten copies of chunk 3
    }
    for id in (0..3000).step_by(13) {
        assert!(index.remove(id));
    }
    index.upsert(5, None, &near(123_456)); // replaced in place
    let attached = (0..3000u64).filter(|id| id % 13 != 0 && id % 11 == 0).count();
    for (seed, k) in [(1u64, 1usize), (2, 10), (3, 50), (4, 200), (5, 5000)] {
        let queries = [unit(1_000_000 + seed, dim), near(2_000_000 + seed), near(3)];
        for q in &queries {
            for scope in [Scope::library(), Scope::conversation("c1")] {
                let filter = index.filter(&scope);
                let fast = index.search(q, k, &filter);
                let full = index.search_full(q, k, &filter);
                assert_eq!(fast, full, "k {k}, scope {scope:?}");
                // Scanned in parts on several threads: the same, to the bit.
                for parts in [2, 3, 7, 64] {
                    let split = index.search_in_parts(q, k, &filter, parts);
                    assert_eq!(split, full, "k {k}, scope {scope:?}, {parts} parts");
                }
                let in_scope = index.len() - if scope.conversation.is_none() { attached } else { 0 };
                assert_eq!(fast.len(), k.min(in_scope));
            }
        }
    }
    // Another thread's floor can be as high as the exact k-th best score
    // (never higher): a thread starting from it still finds the same top k,
    // ties at the k-th place included.
    for k in [1usize, 4, 10, 11, 50] {
        for q in [near(3), near(2_000_001), unit(1_000_001, dim)] {
            let filter = index.filter(&Scope::library());
            let full = index.search_full(&q, k, &filter);
            let kth = full[k - 1].1;
            assert_eq!(index.search_from_floor(&q, k, &filter, kth), full, "k {k}");
            // Sensitivity: a floor above the k-th best loses it.
            assert_ne!(index.search_from_floor(&q, k, &filter, kth + 0.1), full, "k {k}");
        }
    }
    // The copies of chunk 3 tie: the lower ids come first.
    let top = index.search(&near(3), 4, &index.filter(&Scope::library()));
    assert_eq!(top.iter().map(|h| h.0).collect::<Vec<_>>(), vec![3, 3000, 3001, 3002]);
}

#[test]
fn snippets_cut_on_several_threads_match_those_cut_one_by_one() {
    let index = filled();
    let texts = [
        "A B-tree index speeds up equality and range queries on sorted data.",
        "Nothing relevant here at all, just words that go on and on for a while.",
        "Range queries again, and an index.",
        "VACUUM reclaims storage occupied by dead tuples.",
        "Queries, queries: range after range.",
    ];
    let maker = index.snippet_maker("range queries index", 40).unwrap();
    let together = maker.make(&texts);
    let one_by_one: Vec<Snippet> = texts.iter().flat_map(|t| maker.make(&[t])).collect();
    assert_eq!(together, one_by_one);
    assert_eq!(together.len(), 5);
    assert!(!together[2].highlights.is_empty());
}

#[test]
fn a_query_that_is_zero_or_not_a_number_still_searches() {
    let mut index = VectorIndex::new("m", 4);
    index.upsert(1, None, &[1.0, 0.0, 0.0, 0.0]);
    index.upsert(2, None, &[0.0, 1.0, 0.0, 0.0]);
    let filter = index.filter(&Scope::library());
    let zero = index.search(&[0.0; 4], 2, &filter);
    assert_eq!(zero, index.search_full(&[0.0; 4], 2, &filter));
    assert_eq!(zero.len(), 2);
    let nan = index.search(&[f32::NAN, 1.0, 0.0, 0.0], 2, &filter);
    assert_eq!(nan, index.search_full(&[f32::NAN, 1.0, 0.0, 0.0], 2, &filter));
}

#[test]
fn flattened_and_merged_queries_find_the_same_chunks_with_the_same_scores() {
    let index = TextIndex::in_memory().unwrap();
    index.acquire_writer().unwrap();
    let words = ["index", "vacuum", "query", "table", "lock", "replica", "backup", "planner", "the", "of"];
    let docs: Vec<IndexDoc> = (0..400u64)
        .map(|i| IndexDoc {
            chunk_id: i,
            document_id: format!("d{}", i / 10),
            conversation_id: None,
            title: format!("doc {i} {}", words[(i % 7) as usize]),
            heading: words[(i % 10) as usize].to_owned(),
            text: (0..(20 + i % 30))
                .map(|j| words[((i * 7 + j * j * 3) % 10) as usize])
                .collect::<Vec<_>>()
                .join(" "),
        })
        .collect();
    index.upsert(&docs).unwrap();
    index.commit().unwrap();
    let clauses = |q: &str| {
        let parsed = index.parsed(q, Rewrite::Exact).unwrap();
        let b = parsed.downcast_ref::<tantivy::query::BooleanQuery>().expect("a boolean query");
        assert!(
            b.clauses().iter().all(|(_, c)| c.downcast_ref::<tantivy::query::BooleanQuery>().is_none()),
            "one flat union of (word, field) terms"
        );
        b.clauses().len()
    };
    assert_eq!(clauses("vacuum planner lock"), 9, "three words in three fields");
    assert_eq!(clauses("the lock the THE locks"), 6, "repeats (and stems) merged");
    for q in [
        "vacuum planner lock",
        "the of index",
        "backup",
        "Replica TABLE query the",
        "the lock the the index of the",
        "vacuum vacuum",
        "\"vacuum planner\" lock",
        "+lock -backup the",
        "b-tree vacuum",
    ] {
        let got = index.search_rewritten(q, Rewrite::Exact, 50).unwrap();
        let want = index.search_unrewritten(q, 50).unwrap();
        assert_eq!(got.len(), want.len(), "{q}");
        for (g, w) in got.iter().zip(&want) {
            assert!((g.1 - w.1).abs() <= 1e-4 * w.1.abs().max(1.0), "{q}: {g:?} vs {w:?}");
        }
        // Same chunks (the order of exact ties may differ).
        let mut a: Vec<u64> = got.iter().map(|h| h.0).collect();
        let mut b: Vec<u64> = want.iter().map(|h| h.0).collect();
        let last = want.last().map_or(0.0, |h| h.1);
        let unsure = |l: &[(u64, f32)]| {
            l.iter().filter(|h| (h.1 - last).abs() <= 1e-4).map(|h| h.0).collect::<Vec<_>>()
        };
        a.retain(|id| !unsure(&got).contains(id));
        b.retain(|id| !unsure(&want).contains(id));
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b, "{q}");
    }
}

#[test]
fn very_common_terms_leave_the_query_only_when_rarer_ones_remain() {
    let index = TextIndex::in_memory().unwrap();
    index.acquire_writer().unwrap();
    // "plain" is in every passage, "deposit" in every tenth, "lease" in
    // every seventh; titles and headings are empty.
    let docs: Vec<IndexDoc> = (0..200u64)
        .map(|i| {
            let mut text = format!("plain words number {i} plain");
            if i % 10 == 0 {
                text.push_str(" deposit");
            }
            if i % 7 == 0 {
                text.push_str(" lease lease");
            }
            IndexDoc { title: String::new(), heading: String::new(), ..doc(i, None, "", &text) }
        })
        .collect();
    index.upsert(&docs).unwrap();
    index.commit().unwrap();
    let ids = |q: &str, how: Rewrite| -> Vec<u64> {
        let mut v: Vec<u64> = index.search_rewritten(q, how, 500).unwrap().into_iter().map(|h| h.0).collect();
        v.sort_unstable();
        v
    };
    // "plain" is dropped: only passages with a rarer word match, ranked
    // by those words alone.
    let with_rare: Vec<u64> = (0..200).filter(|i| i % 10 == 0 || i % 7 == 0).collect();
    assert_eq!(ids("plain deposit lease", Rewrite::DropCommon), with_rare);
    assert_eq!(ids("plain deposit lease", Rewrite::Exact), (0..200).collect::<Vec<_>>());
    let dropped = index.search_rewritten("plain deposit lease", Rewrite::DropCommon, 500).unwrap();
    let rare_only = index.search_rewritten("deposit lease", Rewrite::Exact, 500).unwrap();
    assert_eq!(dropped, rare_only);
    // Only common words (or rare words found nowhere): nothing is dropped.
    assert_eq!(ids("plain", Rewrite::DropCommon), (0..200).collect::<Vec<_>>());
    assert_eq!(ids("plain unheard", Rewrite::DropCommon), (0..200).collect::<Vec<_>>());
    // The library's own search drops them too.
    assert_eq!(index.search_filtered("plain deposit lease", None, 500).unwrap(), dropped);
}
