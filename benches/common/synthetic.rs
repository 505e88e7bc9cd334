//! A deterministic synthetic library for benchmarks that need many chunks
//! when the Debian corpus (bench/setup) is not installed: Markdown files of
//! words drawn from a fixed vocabulary with a Zipf distribution (a head of
//! real English words, so "the" is everywhere and questions match, then
//! ~30,000 made-up words), built through the real `Gogga` façade with the
//! hashed-word `FakeEmbedder` (384 dimensions, as all-MiniLM-L6-v2: an
//! exact scan costs the same for any values). Same seed, same text, same
//! chunk count. A folder that already holds a finished library of at least
//! the wanted size is reused as is (a marker file says it was finished).
//! `GOGGA_BENCH_REAL_QUERY=1` (with an already built library) embeds
//! queries with the real model while keeping the stored vectors: the
//! query's embedding then costs what it costs in the app.

use std::path::Path;
use std::sync::Arc;

use gogga::embed::{Assets, EmbedConfig, Embedder, FakeEmbedder, LazyEmbedder};
use gogga::{Config, Gogga, IndexOptions, OpenOptions};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// The model id the synthetic library's vectors are stored under.
pub const FAKE_MODEL: &str = "fake-384";

/// Real words first (the most frequent), so typed questions match.
const HEAD: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "in",
    "is",
    "that",
    "for",
    "it",
    "as",
    "with",
    "be",
    "on",
    "not",
    "this",
    "by",
    "are",
    "or",
    "from",
    "at",
    "which",
    "an",
    "when",
    "can",
    "if",
    "all",
    "will",
    "any",
    "each",
    "data",
    "file",
    "system",
    "value",
    "table",
    "index",
    "query",
    "lease",
    "deposit",
    "tenant",
    "paid",
    "back",
    "what",
    "does",
    "say",
    "about",
    "time",
    "page",
    "server",
    "memory",
    "user",
    "process",
    "kernel",
    "device",
    "driver",
    "option",
    "default",
    "return",
    "error",
    "function",
    "buffer",
    "network",
    "address",
    "packet",
    "thread",
    "lock",
    "backup",
    "replica",
    "vacuum",
    "planner",
    "transaction",
    "commit",
    "column",
    "row",
    "schema",
    "payment",
    "contract",
    "landlord",
    "notice",
    "month",
    "rent",
    "agreement",
    "clause",
    "period",
    "refund",
    "damage",
    "inspection",
    "term",
];

/// A small xorshift generator: deterministic, no dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The vocabulary and its Zipf cumulative distribution.
pub struct Vocabulary {
    words: Vec<String>,
    cdf: Vec<f64>,
}

impl Vocabulary {
    pub fn new() -> Vocabulary {
        const SYLLABLES: &[&str] = &[
            "ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "ba", "de", "fo", "gu", "hi", "ja", "ko",
            "lu", "ma", "no", "pe", "qui", "ra", "si", "tu", "va", "we", "xo", "yi", "zu", "bre", "dro",
            "fla",
        ];
        let mut words: Vec<String> = HEAD.iter().map(|w| (*w).to_owned()).collect();
        let n = SYLLABLES.len();
        let mut i = 0usize;
        while words.len() < 30_000 {
            // Three or four syllables: distinct for every i below n^3.
            let mut w = String::new();
            let (a, b, c) = (i % n, (i / n) % n, (i / n / n) % n);
            w.push_str(SYLLABLES[a]);
            w.push_str(SYLLABLES[b]);
            w.push_str(SYLLABLES[c]);
            if i.is_multiple_of(3) {
                w.push_str(SYLLABLES[(a + b + c) % n]);
            }
            words.push(w);
            i += 1;
        }
        let mut cdf = Vec::with_capacity(words.len());
        let mut total = 0.0;
        for rank in 1..=words.len() {
            total += 1.0 / rank as f64;
            cdf.push(total);
        }
        for c in &mut cdf {
            *c /= total;
        }
        Vocabulary { words, cdf }
    }

    pub fn word(&self, rng: &mut Rng) -> &str {
        let u = rng.unit();
        let i = self.cdf.partition_point(|&c| c < u).min(self.words.len() - 1);
        &self.words[i]
    }

    fn sentence(&self, rng: &mut Rng, out: &mut String) {
        let n = 6 + (rng.next() % 14) as usize;
        for j in 0..n {
            let w = self.word(rng);
            if j == 0 {
                let mut cs = w.chars();
                if let Some(f) = cs.next() {
                    out.extend(f.to_uppercase());
                    out.push_str(cs.as_str());
                }
            } else {
                out.push(' ');
                out.push_str(w);
            }
        }
        out.push_str(". ");
    }
}

/// Write Markdown files of about `chars` characters in all into `dir`,
/// file numbers from `first`; returns the next file number.
pub fn write_corpus(dir: &Path, first: usize, chars: usize, seed: u64) -> Res<usize> {
    std::fs::create_dir_all(dir)?;
    let vocab = Vocabulary::new();
    let mut written = 0usize;
    let mut file = first;
    while written < chars {
        let mut rng = Rng::new(seed ^ (file as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
        let mut text = format!("# Document {file}: {} {}\n\n", vocab.word(&mut rng), vocab.word(&mut rng));
        // About 100 KB per file, sections of a few paragraphs.
        while text.len() < 100_000 {
            text.push_str(&format!("## {} {} {}\n\n", vocab.word(&mut rng), vocab.word(&mut rng), file));
            for _ in 0..(2 + rng.next() % 5) {
                for _ in 0..(3 + rng.next() % 6) {
                    vocab.sentence(&mut rng, &mut text);
                }
                text.push_str("\n\n");
            }
        }
        written += text.len();
        std::fs::write(dir.join(format!("doc-{file:05}.md")), text)?;
        file += 1;
    }
    Ok(file)
}

/// Wait until the library's start-up work is over (leadership taken, the
/// index checked against SQLite, queues empty), so measurements do not
/// share the cores with it.
pub async fn settle(g: &Gogga) -> Res<()> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(300);
    while !g.is_leader() {
        if std::time::Instant::now() > deadline {
            return Err("the library never became leader".into());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    if !g.wait_idle(std::time::Duration::from_secs(300)).await? {
        return Err("the library's queue never emptied".into());
    }
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    Ok(())
}

/// The real model under the fake model's id: the library keeps using its
/// stored vectors, and every query pays the real embedding time.
#[derive(Debug)]
struct RealQueries(LazyEmbedder);

impl Embedder for RealQueries {
    fn model_id(&self) -> &str {
        FAKE_MODEL
    }
    fn dimension(&self) -> usize {
        self.0.dimension()
    }
    fn embed(&self, texts: &[&str]) -> gogga::Result<Vec<Vec<f32>>> {
        self.0.embed(texts)
    }
    fn embed_query(&self, text: &str) -> gogga::Result<Vec<f32>> {
        self.0.embed_query(text)
    }
}

/// Open options under `root` with `config` and the fake embedder (or, with
/// `GOGGA_BENCH_REAL_QUERY=1`, the real model for queries).
pub fn options(root: &Path, config: Config) -> Res<OpenOptions> {
    let fake: Arc<dyn Embedder> = if std::env::var_os("GOGGA_BENCH_REAL_QUERY").is_some() {
        let embed = EmbedConfig::default();
        let cache = gogga::Paths::from_env()?.cache_dir;
        let real = LazyEmbedder::new(&Assets::locate(&embed, &cache, None), &embed.model, &embed)?;
        Arc::new(RealQueries(real))
    } else {
        Arc::new(FakeEmbedder::new(FAKE_MODEL, 384))
    };
    let mut o = OpenOptions::under(root);
    o.config = Some(config);
    Ok(o.with_embedder(fake))
}

/// Open the library under `root`, filling it with synthetic documents
/// (in `root/corpus-N`, kept: they are the documents) until it holds at least `chunks` chunks, each with a
/// fake vector. Reused when a previous run finished it. Returns the
/// façade and the chunk count.
pub async fn open_library(root: &Path, chunks: usize, config: Config) -> Res<(Gogga, i64)> {
    let marker = root.join(format!("synthetic-{chunks}.done"));
    let g = Gogga::open(options(root, config)?).await?;
    if marker.is_file() {
        let have = g.library_status().await?.chunks;
        if have as usize >= chunks {
            return Ok((g, have));
        }
    }
    let mut next = 0usize;
    let mut round = 0;
    loop {
        let have = g.library_status().await?.chunks as usize;
        if have >= chunks {
            break;
        }
        // About 650 new characters per chunk (measured: paragraphs end
        // chunks early); the loop tops up what is missing.
        let batch = root.join(format!("corpus-{round}"));
        next = write_corpus(&batch, next, (chunks - have) * 650 + 20_000, 0x5EED)?;
        let report = g
            .index(vec![batch.clone()], IndexOptions { wait_for_embeddings: true, ..IndexOptions::default() })
            .await?;
        if report.has_failures() {
            return Err(format!("{} files failed to import", report.count("failed")).into());
        }
        round += 1;
        if round > 5 {
            return Err("the synthetic library does not grow".into());
        }
    }
    std::fs::write(&marker, b"")?;
    let have = g.library_status().await?.chunks;
    Ok((g, have))
}
