//! Search over the library: BM25 candidates from the full-text index,
//! vector candidates from the in-memory vectors, fused (see
//! [`crate::search::fuse`]), then turned into [`Hit`]s with one SQLite read
//! (paths, pages, headings, text) and snippets with highlights. Hybrid
//! search falls back to BM25 with a notice when vectors are unavailable;
//! vector-only search is then an error that says why.

use std::time::{Duration, Instant};

use crate::error::{Error, ErrorKind, Result};
use crate::search::{
    Fused, Fusion, Hit, Mode, SearchOptions, SearchResults, SearchTimings, SnippetMaker, fuse,
};

use super::library::{Library, VectorState};

/// Candidates taken from each retriever before fusion.
const DEPTH: usize = 50;
/// Snippet length in characters.
const SNIPPET_CHARS: usize = 220;
/// How long a search waits for vectors that are still loading.
const LOAD_WAIT: Duration = Duration::from_secs(60);

/// Why vector search cannot run right now, if it cannot.
pub(crate) fn vectors_unavailable(lib: &Library) -> Option<String> {
    match lib.wait_vectors(LOAD_WAIT) {
        VectorState::Ready => None,
        VectorState::Loading | VectorState::Idle => Some("vectors are still loading".into()),
        VectorState::Unavailable(why) => Some(why),
    }
}

/// Embed a query with the active model.
pub(crate) fn embed_query(lib: &Library, query: &str) -> Result<Vec<f32>> {
    if let Some(why) = vectors_unavailable(lib) {
        return Err(Error::new(ErrorKind::Embed, format!("vector search is unavailable: {why}")));
    }
    let embedder = lib
        .query_embedder()
        .ok_or_else(|| Error::new(ErrorKind::Embed, "vector search is unavailable: no query embedder"))?;
    embedder.embed_query(query)
}

/// Load what the next question's embedding needs; false when there is
/// no query embedder (keyword search only). Never waits for vectors.
pub(crate) fn prepare_query(lib: &Library) -> Result<bool> {
    let Some(embedder) = lib.query_embedder() else { return Ok(false) };
    embedder.prepare_query()?;
    Ok(true)
}

/// Chunk ids with scores, best first.
type Ranked = Vec<(u64, f32)>;

/// One retriever's candidates and the time of its two steps (embedding,
/// then the scan; the scope check, then BM25).
struct Retrieved<T> {
    hits: T,
    first: Duration,
    second: Duration,
}

/// Run a search; `query_vector` skips embedding the query (benchmarks).
pub(crate) fn search(
    lib: &Library,
    query: &str,
    options: &SearchOptions,
    fusion: Fusion,
    query_vector: Option<Vec<f32>>,
) -> Result<SearchResults> {
    search_timed(lib, query, options, fusion, query_vector).map(|(r, _)| r)
}

/// As [`search`], with where the time went (a few clock reads: cheap
/// enough to record on every search).
pub(crate) fn search_timed(
    lib: &Library,
    query: &str,
    options: &SearchOptions,
    fusion: Fusion,
    query_vector: Option<Vec<f32>>,
) -> Result<(SearchResults, SearchTimings)> {
    let started = Instant::now();
    let mut timings = SearchTimings::default();
    let limit = options.limit.max(1);
    let depth = DEPTH.max(limit * 2);
    let mut mode = options.mode;
    let mut notice = None;
    // The vector side (embedding and scan) and BM25 run at once: a search
    // takes the slower of the two instead of their sum.
    let index = lib.index();
    let vector_side = || -> Option<Retrieved<Result<Ranked>>> {
        if mode == Mode::Bm25 {
            return None;
        }
        let t = Instant::now();
        let vector = match query_vector {
            Some(v) => Ok(v),
            None => embed_query(lib, query),
        };
        let embed = t.elapsed();
        let t = Instant::now();
        let hits = vector.map(|v| {
            let guard = lib.vectors.read().unwrap_or_else(std::sync::PoisonError::into_inner);
            guard
                .as_ref()
                .map_or_else(Vec::new, |index| index.search(&v, depth, &index.filter(&options.scope)))
        });
        Some(Retrieved { hits, first: embed, second: t.elapsed() })
    };
    let bm25_side = || -> Result<Option<Retrieved<(Ranked, SnippetMaker)>>> {
        let Some(i) = index.as_ref().filter(|_| mode != Mode::Vector) else { return Ok(None) };
        let t = Instant::now();
        let filter = lib.store.has_attachments()?.then_some(&options.scope);
        let scope = t.elapsed();
        let t = Instant::now();
        let hits = i.search_filtered(query, filter, depth)?;
        // Prepared here, while the vector scan runs, and used at the end.
        let snippets = i.snippet_maker(query, SNIPPET_CHARS)?;
        Ok(Some(Retrieved { hits: (hits, snippets), first: scope, second: t.elapsed() }))
    };
    let (vector_side, bm25_side) = match mode {
        Mode::Hybrid => crate::spawn::join(vector_side, bm25_side)?,
        Mode::Bm25 | Mode::Vector => (vector_side(), bm25_side()),
    };
    let mut vector_hits = Vec::new();
    if let Some(Retrieved { hits, first, second }) = vector_side {
        timings.embed = first;
        timings.vector = second;
        match hits {
            Ok(hits) => vector_hits = hits,
            Err(e) if mode == Mode::Vector => return Err(e),
            Err(e) => {
                mode = Mode::Bm25;
                notice = Some(format!("{}; showing keyword results only", e.message()));
            }
        }
    }
    let (bm25_hits, snippet_maker) = match bm25_side? {
        Some(Retrieved { hits: (hits, maker), first, second }) => {
            timings.scope = first;
            timings.bm25 = second;
            (hits, Some(maker))
        }
        None if mode != Mode::Vector => {
            notice = Some("the full-text index is not ready yet".into());
            (Vec::new(), None)
        }
        None => (Vec::new(), None),
    };
    let t = Instant::now();
    let fused: Vec<Fused> = match mode {
        Mode::Bm25 => {
            fuse(&bm25_hits, &[], Fusion::Rrf { k: 0.0, bm25_weight: 1.0, vector_weight: 0.0 }, depth)
        }
        Mode::Vector => {
            fuse(&[], &vector_hits, Fusion::Rrf { k: 0.0, bm25_weight: 0.0, vector_weight: 1.0 }, depth)
        }
        Mode::Hybrid => fuse(&bm25_hits, &vector_hits, fusion, depth),
    };
    let single = |f: &Fused| -> f32 {
        match mode {
            Mode::Bm25 => bm25_hits.iter().find(|(id, _)| *id == f.id).map_or(0.0, |h| h.1),
            Mode::Vector => vector_hits.iter().find(|(id, _)| *id == f.id).map_or(0.0, |h| h.1),
            Mode::Hybrid => f.score,
        }
    };
    timings.fusion = t.elapsed();
    // Over-fetch: a chunk deleted since the index was read drops out here.
    let t = Instant::now();
    let wanted: Vec<i64> = fused.iter().take(limit + 10).map(|f| f.id as i64).collect();
    let rows = lib.store.hit_rows(&wanted)?;
    timings.rows = t.elapsed();
    let t = Instant::now();
    let texts: Vec<&str> = rows.iter().take(limit).map(|r| r.text.as_str()).collect();
    let snippets = match (snippet_maker, &index) {
        (Some(maker), _) => maker.make(&texts),
        (None, Some(i)) => i.snippets(query, &texts, SNIPPET_CHARS)?,
        (None, None) => Vec::new(),
    };
    timings.snippets = t.elapsed();
    let mut hits = Vec::with_capacity(limit);
    let mut tokens = 0usize;
    for (i, row) in rows.into_iter().take(limit).enumerate() {
        let f = fused.iter().find(|f| f.id as i64 == row.chunk_id);
        let cost = row.text.len().div_ceil(4);
        if let Some(budget) = options.token_budget
            && !hits.is_empty()
            && tokens + cost > budget
        {
            break;
        }
        tokens += cost;
        let (snippet, highlights) = match snippets.get(i) {
            Some(s) => (s.text.clone(), s.highlights.clone()),
            None => (row.text.chars().take(SNIPPET_CHARS).collect(), Vec::new()),
        };
        hits.push(Hit {
            chunk_id: row.chunk_id,
            document_id: row.document_id,
            conversation_id: row.conversation_id,
            path: row.path,
            title: row.title,
            page: row.page.and_then(|p| u32::try_from(p).ok()),
            heading: row.heading,
            text: row.text,
            snippet,
            highlights,
            score: f.map_or(0.0, single),
            bm25_rank: f.and_then(|f| f.bm25_rank),
            vector_rank: f.and_then(|f| f.vector_rank),
        });
    }
    timings.total = started.elapsed();
    Ok((SearchResults { hits, mode, notice }, timings))
}
