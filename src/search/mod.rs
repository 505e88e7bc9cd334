//! Search, sole owner of tantivy: a BM25 index over chunks ([`TextIndex`],
//! one [`Fields`] schema, one writer held by the leader process, explicit
//! commits, one long-lived reader), exact cosine search over vectors held
//! in memory ([`VectorIndex`]), and the fusion of both ([`fuse`]). It knows
//! nothing of SQLite: ids in, ids and scores out. The library coordinator
//! (`ingest`) turns ids into [`Hit`]s with paths, pages and snippets.

mod collect;
mod fields;
mod fusion;
pub mod messages;
mod quantized;
mod query;
mod simd;
mod stem;
mod text;
mod vectors;

use serde::{Deserialize, Serialize};

pub use fields::Fields;
pub use fusion::{Fused, Fusion, fuse};
pub use text::{IndexDoc, Snippet, SnippetMaker, TextIndex};
pub use vectors::{ScopeFilter, VectorIndex, dot};

/// Which retriever answers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// BM25 and vectors fused (falls back to BM25 when vectors are unavailable).
    #[default]
    Hybrid,
    /// Keywords only.
    Bm25,
    /// Vectors only (an error when they are unavailable).
    Vector,
}

impl std::str::FromStr for Mode {
    type Err = crate::error::Error;
    fn from_str(s: &str) -> crate::error::Result<Mode> {
        match s {
            "hybrid" => Ok(Mode::Hybrid),
            "bm25" => Ok(Mode::Bm25),
            "vector" => Ok(Mode::Vector),
            other => Err(crate::error::Error::invalid(format!(
                "unknown search mode {other:?}: use hybrid, bm25 or vector"
            ))),
        }
    }
}

impl Mode {
    /// The mode's name as the CLI spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Hybrid => "hybrid",
            Mode::Bm25 => "bm25",
            Mode::Vector => "vector",
        }
    }
}

/// Which documents a search sees: the shared library always, plus the
/// attachments of one conversation when given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    pub conversation: Option<String>,
}

impl Scope {
    /// Only the shared library.
    pub fn library() -> Scope {
        Scope { conversation: None }
    }

    /// The library and the attachments of `conversation`.
    pub fn conversation(id: &str) -> Scope {
        Scope { conversation: Some(id.to_owned()) }
    }
}

/// The scope value tantivy and the vector index store for library chunks
/// (conversation ids are UUIDs, which never contain `#`).
pub const LIBRARY_SCOPE: &str = "#library";

/// How to search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchOptions {
    /// Hits to return at most.
    pub limit: usize,
    pub mode: Mode,
    pub scope: Scope,
    /// Stop adding hits once their text would pass this many tokens
    /// (about 4 characters each); the first hit is always kept.
    pub token_budget: Option<usize>,
    /// Override the configured fusion (evaluations compare them).
    pub fusion: Option<Fusion>,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            mode: Mode::Hybrid,
            scope: Scope::library(),
            token_budget: None,
            fusion: None,
        }
    }
}

/// One passage found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub chunk_id: i64,
    pub document_id: String,
    pub conversation_id: Option<String>,
    pub path: String,
    pub title: String,
    /// 1-based page, for PDFs.
    pub page: Option<u32>,
    /// Heading path, "Chapter > Section".
    pub heading: String,
    /// The whole passage.
    pub text: String,
    /// A short extract around the query words (plain text).
    pub snippet: String,
    /// Byte ranges of `snippet` that matched the query.
    pub highlights: Vec<(usize, usize)>,
    /// Fused score (higher is better; comparable within one search only).
    pub score: f32,
    /// 1-based rank in the BM25 and vector lists, when it was in them.
    pub bm25_rank: Option<u32>,
    pub vector_rank: Option<u32>,
}

/// What a search found and how.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchResults {
    pub hits: Vec<Hit>,
    /// The mode that actually ran (hybrid falls back to bm25).
    pub mode: Mode,
    /// Why the mode differs from the one asked for, if it does.
    pub notice: Option<String>,
}

/// Where one search spent its time, stage by stage (benchmarks and
/// diagnostics; not part of what a search returns).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct SearchTimings {
    /// Embedding the query (zero when a vector was given).
    pub embed: std::time::Duration,
    /// The exact vector scan.
    pub vector: std::time::Duration,
    /// Deciding whether the scope filter is needed.
    pub scope: std::time::Duration,
    /// The BM25 query.
    pub bm25: std::time::Duration,
    pub fusion: std::time::Duration,
    /// Reading the hits' rows from SQLite.
    pub rows: std::time::Duration,
    pub snippets: std::time::Duration,
    /// The whole search, these and the rest (building hits).
    pub total: std::time::Duration,
}

#[cfg(test)]
mod tests;
