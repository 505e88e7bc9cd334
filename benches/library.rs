//! Document-library benchmarks and the retrieval evaluation, as one
//! program (`harness = false`) with subcommands, driven by bench/library:
//!
//!   ingest DIR...             import without embeddings: MB/s, files, chunks, peak RSS
//!   passages DIR N OUT        write N passages (the library's own chunks) as JSON lines
//!   embed FILE [BATCH]        embed those passages with the real model: passages/s, peak RSS
//!   search DIR CHUNKS         build a library of CHUNKS chunks (hashed-word vectors),
//!                             then hybrid latency without and with query embedding,
//!                             and while a real import with real embeddings runs
//!   eval DIR CHUNK OVERLAP    PostgreSQL known-item evaluation: MRR@10, Recall@5
//!   stages CHUNKS [DATA]      a synthetic library of CHUNKS chunks (built in DATA, or
//!                             reused from it; a temporary folder if not given), then
//!                             hybrid search timed stage by stage (vector scan, BM25,
//!                             fusion, hit rows, snippets) and through the façade
//!
//! Everything goes through the `Gogga` façade, like the app; results print
//! as one JSON object per measurement.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use gogga::embed::{Assets, EmbedConfig, Embedder, FakeEmbedder, FastEmbedder};
use gogga::search::Fusion;
use gogga::{Config, Gogga, IndexOptions, Mode, OpenOptions, Paths, SearchOptions};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

#[path = "common/synthetic.rs"]
mod synthetic;

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn emit(value: serde_json::Value) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout(), "{value}");
}

fn options(root: &Path, config: Config) -> OpenOptions {
    let mut o = OpenOptions::under(root);
    o.paths.cache_dir = Paths::from_env().map(|p| p.cache_dir).unwrap_or_default();
    o.config = Some(config);
    o
}

fn bytes_under(paths: &[PathBuf]) -> u64 {
    let mut total = 0;
    let mut stack: Vec<PathBuf> = paths.to_vec();
    while let Some(p) = stack.pop() {
        match std::fs::metadata(&p) {
            Ok(m) if m.is_dir() => {
                stack.extend(std::fs::read_dir(&p).into_iter().flatten().flatten().map(|e| e.path()))
            }
            Ok(m) if gogga::ingest::walk::wanted(&p) => total += m.len(),
            _ => {}
        }
    }
    total
}

fn real_embedder() -> Res<Arc<dyn Embedder>> {
    let config = EmbedConfig::default();
    let cache = Paths::from_env()?.cache_dir;
    let assets = Assets::locate(&config, &cache, None);
    Ok(Arc::new(FastEmbedder::load(&assets, &config.model, &config)?))
}

async fn ingest(dirs: Vec<PathBuf>) -> Res<()> {
    let root = tempfile::tempdir()?;
    let mut config = Config::default();
    config.embedding.enabled = false;
    let g = Gogga::open(options(root.path(), config)).await?;
    let bytes = bytes_under(&dirs);
    let started = Instant::now();
    let report =
        g.index(dirs, IndexOptions { wait_for_embeddings: false, ..IndexOptions::default() }).await?;
    let secs = started.elapsed().as_secs_f64();
    emit(serde_json::json!({
        "bench": "ingest",
        "mb": bytes as f64 / 1e6,
        "seconds": secs,
        "mb_per_s": bytes as f64 / 1e6 / secs,
        "files": report.files.len(),
        "added": report.count("added"),
        "failed": report.count("failed"),
        "chunks": report.chunks_added,
        "peak_rss_mb": peak_rss_mb(),
    }));
    g.shutdown().await?;
    Ok(())
}

/// The library's own chunks of DIR, first N, as JSON lines of strings.
async fn passages(dir: PathBuf, n: usize, out: PathBuf) -> Res<()> {
    let root = tempfile::tempdir()?;
    let mut config = Config::default();
    config.embedding.enabled = false;
    let g = Gogga::open(options(root.path(), config)).await?;
    g.index(vec![dir], IndexOptions { wait_for_embeddings: false, ..IndexOptions::default() }).await?;
    let texts = g.chunk_texts(n).await?;
    let mut lines = String::new();
    for t in &texts {
        lines.push_str(&serde_json::to_string(t)?);
        lines.push('\n');
    }
    std::fs::write(&out, lines)?;
    emit(serde_json::json!({ "bench": "passages", "count": texts.len(), "file": out }));
    g.shutdown().await?;
    Ok(())
}

async fn embed(file: PathBuf, batch: usize) -> Res<()> {
    let texts: Vec<String> =
        std::fs::read_to_string(&file)?.lines().map(serde_json::from_str).collect::<Result<_, _>>()?;
    let config = EmbedConfig { batch_size: batch, ..EmbedConfig::default() };
    let cache = Paths::from_env()?.cache_dir;
    let assets = Assets::locate(&config, &cache, None);
    let loading = Instant::now();
    let e = FastEmbedder::load(&assets, &config.model, &config)?;
    let load_s = loading.elapsed().as_secs_f64();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let started = Instant::now();
    // As the worker does: one `embed` call per SLICE texts.
    let mut count = 0;
    for slice in refs.chunks(gogga::embed::SLICE) {
        count += e.embed(slice)?.len();
    }
    let secs = started.elapsed().as_secs_f64();
    emit(serde_json::json!({
        "bench": "embed", "impl": "gogga (fastembed-rs)", "batch": batch, "passages": count,
        "seconds": secs, "passages_per_s": count as f64 / secs, "load_s": load_s, "peak_rss_mb": peak_rss_mb(),
    }));
    Ok(())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn summary(name: &str, mut ms: Vec<f64>, extra: serde_json::Value) {
    ms.sort_by(f64::total_cmp);
    let mut v = serde_json::json!({
        "bench": "search", "case": name, "queries": ms.len(),
        "p50_ms": percentile(&ms, 0.5), "p99_ms": percentile(&ms, 0.99), "max_ms": percentile(&ms, 1.0),
    });
    if let (Some(o), Some(e)) = (v.as_object_mut(), extra.as_object()) {
        o.extend(e.clone());
    }
    emit(v);
}

async fn search(dir: PathBuf, chunks: usize, busy: Option<PathBuf>) -> Res<()> {
    let root = tempfile::tempdir()?;
    // Hashed-word vectors of the model's width: the scan costs the same as
    // with real vectors, and 100k real embeddings would take hours here.
    let fake: Arc<dyn Embedder> = Arc::new(FakeEmbedder::new("fake-384", 384));
    let mut config = Config::default();
    config.library.chunk_chars = 1000;
    let g = Gogga::open(options(root.path(), config).with_embedder(fake)).await?;
    let built = Instant::now();
    g.index(vec![dir], IndexOptions::default()).await?;
    let status = g.library_status().await?;
    emit(serde_json::json!({
        "bench": "search-build", "chunks": status.chunks, "seconds": built.elapsed().as_secs_f64(),
        "peak_rss_mb": peak_rss_mb(),
    }));
    if (status.chunks as usize) < chunks {
        return Err(format!("only {} chunks (wanted {chunks}): give a bigger corpus", status.chunks).into());
    }
    let queries: Vec<String> = g
        .chunk_texts(400)
        .await?
        .iter()
        .step_by(2)
        .map(|t| t.split_whitespace().filter(|w| w.len() > 3).take(4).collect::<Vec<_>>().join(" "))
        .collect();
    let real = real_embedder()?;
    let opts = SearchOptions { limit: 10, mode: Mode::Hybrid, ..SearchOptions::default() };
    // Warm up (page cache, allocator).
    for q in queries.iter().take(20) {
        g.search(q, opts.clone()).await?;
    }
    let run = async |embed_query: bool| -> Res<Vec<f64>> {
        let mut ms = Vec::new();
        for q in &queries {
            let vector = g.embed_query(q).await?; // fake-384: the vector the library searches with
            let t = Instant::now();
            if embed_query {
                real.embed(&[q.as_str()])?; // the real model's cost of embedding a query
            }
            g.search_with_vector(q, vector, opts.clone()).await?;
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        Ok(ms)
    };
    let extra = serde_json::json!({ "chunks": status.chunks });
    summary("hybrid, query embedding excluded", run(false).await?, extra.clone());
    summary("hybrid, query embedding included", run(true).await?, extra.clone());
    if let Some(busy) = busy {
        // A real import with real embeddings in a second library, in this
        // process, while searching: the worst case on two cores.
        let other = tempfile::tempdir()?;
        let indexer = Gogga::open(options(other.path(), Config::default())).await?;
        let task = gogga::spawn::task({
            let indexer = indexer.clone();
            async move { indexer.index(vec![busy], IndexOptions::default()).await }
        });
        tokio::time::sleep(Duration::from_secs(5)).await;
        let ms = run(true).await?;
        let still_running = !task.is_finished();
        summary(
            "hybrid while indexing (embedding included)",
            ms,
            serde_json::json!({ "chunks": status.chunks, "indexing_ran_throughout": still_running }),
        );
        task.abort();
        indexer.shutdown().await?;
    }
    g.shutdown().await?;
    Ok(())
}

/// Hybrid search on a synthetic library, stage by stage (query vectors
/// made beforehand, as "embedding excluded" above).
async fn stages(chunks: usize, data: Option<PathBuf>) -> Res<()> {
    let temp = tempfile::tempdir()?;
    let root = data.unwrap_or_else(|| temp.path().to_path_buf());
    let built = Instant::now();
    let (g, have) = synthetic::open_library(&root, chunks, Config::default()).await?;
    emit(serde_json::json!({
        "bench": "stages-build", "chunks": have, "seconds": built.elapsed().as_secs_f64(),
        "peak_rss_mb": peak_rss_mb(), "data": root,
    }));
    // Vectors load in the background after open: wait for them, and for
    // the start-up checks, which would otherwise share the cores.
    g.embed_query("warm up").await?;
    synthetic::settle(&g).await?;
    let queries: Vec<String> = g
        .chunk_texts(400)
        .await?
        .iter()
        .step_by(2)
        .map(|t| t.split_whitespace().filter(|w| w.len() > 3).take(4).collect::<Vec<_>>().join(" "))
        .collect();
    let mut vectors = Vec::with_capacity(queries.len());
    for q in &queries {
        vectors.push(g.embed_query(q).await?);
    }
    let opts = SearchOptions { limit: 10, mode: Mode::Hybrid, ..SearchOptions::default() };
    for (q, v) in queries.iter().zip(&vectors).take(20) {
        g.search_timed(q, Some(v.clone()), opts.clone()).await?;
    }
    let names = ["vector", "scope", "bm25", "fusion", "rows", "snippets", "inner total", "façade"];
    let mut ms: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
    let rounds = 3;
    for _ in 0..rounds {
        for (q, v) in queries.iter().zip(&vectors) {
            let t = Instant::now();
            let (results, st) = g.search_timed(q, Some(v.clone()), opts.clone()).await?;
            let facade = t.elapsed();
            if results.hits.is_empty() {
                return Err(format!("no hits for {q:?}").into());
            }
            for (i, d) in [st.vector, st.scope, st.bm25, st.fusion, st.rows, st.snippets, st.total, facade]
                .iter()
                .enumerate()
            {
                ms[i].push(d.as_secs_f64() * 1000.0);
            }
        }
    }
    for (name, series) in names.iter().zip(ms) {
        summary(&format!("stage: {name}"), series, serde_json::json!({ "chunks": have }));
    }
    // The question benches/chat.rs asks: 13 words, most of them frequent.
    let question = "What does the lease say about the deposit and when it is paid back?";
    let vector = g.embed_query(question).await?;
    let mut ms: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
    for _ in 0..200 {
        let t = Instant::now();
        let (_, st) = g.search_timed(question, Some(vector.clone()), opts.clone()).await?;
        let facade = t.elapsed();
        for (i, d) in [st.vector, st.scope, st.bm25, st.fusion, st.rows, st.snippets, st.total, facade]
            .iter()
            .enumerate()
        {
            ms[i].push(d.as_secs_f64() * 1000.0);
        }
    }
    for (name, series) in names.iter().zip(ms) {
        summary(&format!("chat question: {name}"), series, serde_json::json!({ "chunks": have }));
    }
    // BM25 alone (no vector scan on the other core at the same time): what
    // the query rewrites in src/search/query.rs change.
    let bm25_only = SearchOptions { mode: Mode::Bm25, ..opts.clone() };
    let mut ms = Vec::new();
    for _ in 0..200 {
        let (_, st) = g.search_timed(question, None, bm25_only.clone()).await?;
        ms.push(st.bm25.as_secs_f64() * 1000.0);
    }
    summary("chat question, bm25 mode: bm25", ms, serde_json::json!({ "chunks": have }));
    g.shutdown().await?;
    Ok(())
}

/// "11.2.1. B-Tree" → "B-Tree"; "Chapter 11. Indexes" → "Indexes".
fn strip_number(title: &str) -> String {
    let t = title.trim();
    let t = t.strip_prefix("Chapter ").or_else(|| t.strip_prefix("Appendix ")).unwrap_or(t);
    let mut words = t.split_whitespace();
    let first = words.clone().next().unwrap_or("");
    let numbered = first.ends_with('.')
        && first
            .trim_end_matches('.')
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if numbered {
        words.next();
    }
    words.collect::<Vec<_>>().join(" ")
}

async fn eval(dir: PathBuf, chunk: usize, overlap: usize, every: usize) -> Res<()> {
    let root = tempfile::tempdir()?;
    // A deterministic share of the manual (every N-th page) keeps the
    // embedding time of one configuration to a few minutes here.
    let corpus = root.path().join("corpus");
    std::fs::create_dir(&corpus)?;
    let mut pages: Vec<PathBuf> = std::fs::read_dir(&dir)?.flatten().map(|e| e.path()).collect();
    pages.sort();
    for p in pages.iter().step_by(every.max(1)) {
        std::fs::copy(p, corpus.join(p.file_name().ok_or("no name")?))?;
    }
    let mut config = Config::default();
    config.library.chunk_chars = chunk;
    config.library.overlap_chars = overlap;
    let g = Gogga::open(options(root.path(), config)).await?;
    let started = Instant::now();
    let report = g.index(vec![corpus], IndexOptions::default()).await?;
    let index_s = started.elapsed().as_secs_f64();
    // Sections: chunks grouped by (file, last heading); queries are the
    // section titles that are unique in the corpus.
    let outline = g.chunk_outline().await?;
    let mut sections: std::collections::BTreeMap<(String, String), Vec<i64>> = Default::default();
    for (id, path, heading) in outline {
        let last = heading.rsplit(" > ").next().unwrap_or("").to_owned();
        if !last.is_empty() {
            sections.entry((path, last)).or_default().push(id);
        }
    }
    let mut by_title: std::collections::HashMap<String, usize> = Default::default();
    for (_, title) in sections.keys() {
        *by_title.entry(strip_number(title).to_lowercase()).or_default() += 1;
    }
    let items: Vec<(String, Vec<i64>)> = sections
        .into_iter()
        .map(|((_, title), ids)| (strip_number(&title), ids))
        .filter(|(q, _)| q.len() >= 4 && by_title.get(&q.to_lowercase()) == Some(&1))
        .collect();
    let variants: Vec<(String, Mode, Option<Fusion>)> = vec![
        ("bm25".into(), Mode::Bm25, None),
        ("vector".into(), Mode::Vector, None),
        (
            "rrf k=60".into(),
            Mode::Hybrid,
            Some(Fusion::Rrf { k: 60.0, bm25_weight: 1.0, vector_weight: 1.0 }),
        ),
        (
            "rrf k=60 bm25×2".into(),
            Mode::Hybrid,
            Some(Fusion::Rrf { k: 60.0, bm25_weight: 2.0, vector_weight: 1.0 }),
        ),
        (
            "rrf k=60 vector×2".into(),
            Mode::Hybrid,
            Some(Fusion::Rrf { k: 60.0, bm25_weight: 1.0, vector_weight: 2.0 }),
        ),
        ("convex w=0.3".into(), Mode::Hybrid, Some(Fusion::Convex { vector_weight: 0.3 })),
        ("convex w=0.5".into(), Mode::Hybrid, Some(Fusion::Convex { vector_weight: 0.5 })),
        ("convex w=0.7".into(), Mode::Hybrid, Some(Fusion::Convex { vector_weight: 0.7 })),
    ];
    let mut mrr = vec![0.0f64; variants.len()];
    let mut recall = vec![0.0f64; variants.len()];
    for (query, relevant) in &items {
        let vector = g.embed_query(query).await?;
        for (i, (_, mode, fusion)) in variants.iter().enumerate() {
            let opts = SearchOptions { limit: 10, mode: *mode, fusion: *fusion, ..SearchOptions::default() };
            let hits = g.search_with_vector(query, vector.clone(), opts).await?.hits;
            if let Some(rank) = hits.iter().position(|h| relevant.contains(&h.chunk_id)) {
                mrr[i] += 1.0 / (rank as f64 + 1.0);
            }
            let found = hits.iter().take(5).filter(|h| relevant.contains(&h.chunk_id)).count();
            recall[i] += found as f64 / relevant.len() as f64;
        }
    }
    let n = items.len().max(1) as f64;
    let status = g.library_status().await?;
    for (i, (name, _, _)) in variants.iter().enumerate() {
        emit(serde_json::json!({
            "bench": "eval", "chunk_chars": chunk, "overlap_chars": overlap, "variant": name,
            "queries": items.len(), "mrr_at_10": mrr[i] / n, "recall_at_5": recall[i] / n,
            "chunks": status.chunks, "files": report.files.len(), "index_and_embed_s": index_s,
        }));
    }
    g.shutdown().await?;
    Ok(())
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let arg =
        |i: usize| args.get(i).cloned().ok_or_else(|| format!("missing argument {i}; see the file header"));
    match args.first().map(String::as_str) {
        Some("ingest") => runtime.block_on(ingest(args[1..].iter().map(PathBuf::from).collect())),
        Some("passages") => runtime.block_on(passages(arg(1)?.into(), arg(2)?.parse()?, arg(3)?.into())),
        Some("embed") => runtime.block_on(embed(arg(1)?.into(), args.get(2).map_or(Ok(16), |b| b.parse())?)),
        Some("search") => {
            runtime.block_on(search(arg(1)?.into(), arg(2)?.parse()?, args.get(3).map(PathBuf::from)))
        }
        Some("stages") => runtime.block_on(stages(arg(1)?.parse()?, args.get(2).map(PathBuf::from))),
        Some("eval") => {
            let every = args.get(4).map_or(Ok(1), |e| e.parse())?;
            runtime.block_on(eval(arg(1)?.into(), arg(2)?.parse()?, arg(3)?.parse()?, every))
        }
        // `cargo bench` with no arguments (e.g. `cargo bench` over the
        // workspace) runs nothing heavy: the scripts pass subcommands.
        _ => {
            emit(serde_json::json!({ "bench": "library", "note": "see benches/library.rs for subcommands" }));
            Ok(())
        }
    }
}
