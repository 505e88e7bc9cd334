//! [`TextIndex`]: the BM25 index over chunks. One long-lived reader in every
//! process; at most one writer, taken only by the leader process (tantivy's
//! own lock file backs this up). Changes are delete-then-add by chunk id and
//! become visible at an explicit [`TextIndex::commit`]; other processes'
//! readers pick commits up by themselves. The index is a cache of SQLite:
//! an unreadable or other-version index is wiped and rebuilt by the caller.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term};

use crate::error::{Error, ErrorKind, Result};

use super::collect::TopChunks;
use super::fields::{CHUNK_ID, Fields, SCHEMA_VERSION};
use super::query::{Rewrite, rewrite};
use super::{LIBRARY_SCOPE, Scope};

/// Memory for each indexing thread's buffer (tantivy's minimum is 15 MB).
const WRITER_HEAP_PER_THREAD: usize = 48_000_000;
/// Indexing threads: tokenising and stemming dominate ingestion time, and
/// tantivy spreads documents over its threads (measured: BENCHMARKS.md).
const WRITER_THREADS: usize = 2;
/// Fewest snippets worth a thread of their own (waking one costs ~10 µs).
const PARALLEL_SNIPPETS: usize = 2;
/// File in the index folder recording [`SCHEMA_VERSION`].
const VERSION_FILE: &str = "gogga-schema-version";

fn search_err(context: &str, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Search, format!("{context}: {e}"))
}

/// One chunk as the index sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexDoc {
    pub chunk_id: u64,
    pub document_id: String,
    /// `None`: the shared library.
    pub conversation_id: Option<String>,
    pub title: String,
    pub heading: String,
    pub text: String,
}

/// A short extract with the byte ranges that matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<(usize, usize)>,
}

/// The full-text index.
pub struct TextIndex {
    index: Index,
    fields: Fields,
    reader: IndexReader,
    parser: QueryParser,
    writer: Mutex<Option<IndexWriter<TantivyDocument>>>,
    dir: Option<PathBuf>,
    /// True when this open created the index afresh (it must be filled).
    created: bool,
}

impl std::fmt::Debug for TextIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextIndex").field("dir", &self.dir).field("created", &self.created).finish()
    }
}

impl TextIndex {
    /// An index in memory (tests).
    pub fn in_memory() -> Result<TextIndex> {
        let (schema, fields) = Fields::build();
        TextIndex::wrap(Index::create_in_ram(schema), fields, None, true)
    }

    /// Open the index in `dir` for reading; `None` if there is none yet.
    pub fn open_existing(dir: &Path) -> Result<Option<TextIndex>> {
        if !dir.join("meta.json").is_file() {
            return Ok(None);
        }
        let index =
            Index::open_in_dir(dir).map_err(|e| search_err(&format!("opening {}", dir.display()), e))?;
        let (_, fields) = Fields::build();
        TextIndex::wrap(index, fields, Some(dir.to_path_buf()), false).map(Some)
    }

    /// Open the index in `dir`, creating it, or wiping and re-creating it
    /// when it is unreadable or of another schema version. Only the leader
    /// calls this. [`TextIndex::created`] says whether it must be filled.
    pub fn open_or_create(dir: &Path) -> Result<TextIndex> {
        let (schema, fields) = Fields::build();
        let version_ok = std::fs::read_to_string(dir.join(VERSION_FILE))
            .is_ok_and(|v| v.trim() == SCHEMA_VERSION.to_string());
        if version_ok
            && let Ok(index) = Index::open_in_dir(dir)
            && index.schema() == schema
        {
            return TextIndex::wrap(index, fields, Some(dir.to_path_buf()), false);
        }
        if dir.exists() {
            tracing::warn!(dir = %dir.display(), "full-text index unreadable or of another version: rebuilding it");
            std::fs::remove_dir_all(dir).map_err(|e| Error::io(format!("removing {}", dir.display()), e))?;
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
        let index = Index::create_in_dir(dir, schema).map_err(|e| search_err("creating the index", e))?;
        std::fs::write(dir.join(VERSION_FILE), SCHEMA_VERSION.to_string())
            .map_err(|e| Error::io(format!("writing {}", dir.join(VERSION_FILE).display()), e))?;
        TextIndex::wrap(index, fields, Some(dir.to_path_buf()), true)
    }

    fn wrap(index: Index, fields: Fields, dir: Option<PathBuf>, created: bool) -> Result<TextIndex> {
        // Same analysis as the built-in `en_stem`, memoised (see stem.rs).
        index.tokenizers().register(super::stem::EN_STEM, super::stem::analyzer());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()
            .map_err(|e| search_err("opening the index reader", e))?;
        let mut parser = QueryParser::for_index(&index, vec![fields.title, fields.heading, fields.text]);
        parser.set_field_boost(fields.heading, 1.5);
        Ok(TextIndex { index, fields, reader, parser, writer: Mutex::new(None), dir, created })
    }

    /// Whether this open created an empty index.
    pub fn created(&self) -> bool {
        self.created
    }

    /// Take the writer (the leader does, once). Another process holding it
    /// is a `Busy` error.
    pub fn acquire_writer(&self) -> Result<()> {
        let mut guard = self.lock_writer();
        if guard.is_none() {
            let threads =
                std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, WRITER_THREADS);
            let writer = self
                .index
                .writer_with_num_threads(threads, WRITER_HEAP_PER_THREAD * threads)
                .map_err(|e| {
                    let kind = if matches!(e, tantivy::TantivyError::LockFailure(..)) {
                        ErrorKind::Busy
                    } else {
                        ErrorKind::Search
                    };
                    Error::new(kind, format!("taking the index writer: {e}"))
                })?;
            *guard = Some(writer);
        }
        Ok(())
    }

    /// Give the writer up (a leader stepping down), dropping what was not
    /// committed; another process can take it at once.
    pub fn release_writer(&self) {
        if let Some(mut w) = self.lock_writer().take() {
            let _ = w.rollback();
        }
    }

    fn lock_writer(&self) -> std::sync::MutexGuard<'_, Option<IndexWriter<TantivyDocument>>> {
        self.writer.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn with_writer<T>(&self, f: impl FnOnce(&mut IndexWriter<TantivyDocument>) -> Result<T>) -> Result<T> {
        let mut guard = self.lock_writer();
        match guard.as_mut() {
            Some(w) => f(w),
            None => Err(Error::new(ErrorKind::Busy, "this process does not hold the index writer")),
        }
    }

    /// Add chunks; visible after [`TextIndex::commit`]. Chunk ids are
    /// never reused (SQLite AUTOINCREMENT) and never added twice, so no
    /// delete-before-add is needed: a delete per added chunk would make
    /// every commit look each id up in every segment.
    pub fn upsert(&self, docs: &[IndexDoc]) -> Result<()> {
        self.with_writer(|w| {
            for d in docs {
                let mut doc = TantivyDocument::default();
                doc.add_u64(self.fields.chunk_id, d.chunk_id);
                doc.add_text(self.fields.document_id, &d.document_id);
                doc.add_text(self.fields.scope, d.conversation_id.as_deref().unwrap_or(LIBRARY_SCOPE));
                doc.add_text(self.fields.title, &d.title);
                doc.add_text(self.fields.heading, &d.heading);
                doc.add_text(self.fields.text, &d.text);
                w.add_document(doc).map_err(|e| search_err("adding to the index", e))?;
            }
            Ok(())
        })
    }

    /// Remove chunks by id.
    pub fn delete_chunks(&self, ids: &[u64]) -> Result<()> {
        self.with_writer(|w| {
            for id in ids {
                w.delete_term(Term::from_field_u64(self.fields.chunk_id, *id));
            }
            Ok(())
        })
    }

    /// Remove everything (a rebuild refills it before committing).
    pub fn delete_all(&self) -> Result<()> {
        self.with_writer(|w| {
            w.delete_all_documents().map(|_| ()).map_err(|e| search_err("clearing the index", e))
        })
    }

    /// Make every change so far durable and visible to readers.
    pub fn commit(&self) -> Result<()> {
        self.with_writer(|w| w.commit().map(|_| ()).map_err(|e| search_err("committing the index", e)))?;
        self.reader.reload().map_err(|e| search_err("reloading the index reader", e))
    }

    /// Drop uncommitted changes.
    pub fn rollback(&self) -> Result<()> {
        self.with_writer(|w| w.rollback().map(|_| ()).map_err(|e| search_err("rolling back the index", e)))
    }

    /// Pick up commits made by another process now (instead of shortly).
    pub fn reload(&self) -> Result<()> {
        self.reader.reload().map_err(|e| search_err("reloading the index reader", e))
    }

    /// Every chunk id in the index (live documents), ascending.
    pub fn chunk_ids(&self) -> Result<Vec<u64>> {
        let searcher = self.reader.searcher();
        let mut ids = Vec::with_capacity(searcher.num_docs() as usize);
        for segment in searcher.segment_readers() {
            let column =
                segment.fast_fields().u64(CHUNK_ID).map_err(|e| search_err("reading chunk ids", e))?;
            for doc in segment.doc_ids_alive() {
                if let Some(id) = column.first(doc) {
                    ids.push(id);
                }
            }
        }
        ids.sort_unstable();
        Ok(ids)
    }

    /// How many chunks the reader sees.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    fn parse(&self, query: &str, searcher: &Searcher, how: Rewrite) -> Option<Box<dyn Query>> {
        if query.trim().is_empty() {
            return None;
        }
        // Lenient: a stray quote or colon in what someone typed is text,
        // never an error.
        let (q, _errors) = self.parser.parse_query_lenient(query);
        Some(rewrite(q, searcher, how))
    }

    fn scope_query(&self, scope: &Scope) -> Box<dyn Query> {
        let term = |v: &str| -> (Occur, Box<dyn Query>) {
            let t = Term::from_field_text(self.fields.scope, v);
            (Occur::Should, Box::new(TermQuery::new(t, IndexRecordOption::Basic)))
        };
        let mut clauses = vec![term(LIBRARY_SCOPE)];
        if let Some(c) = &scope.conversation {
            clauses.push(term(c));
        }
        Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(clauses)), 0.0))
    }

    /// The best `limit` chunks for `query` within `scope`: (chunk id, BM25).
    pub fn search(&self, query: &str, scope: &Scope, limit: usize) -> Result<Vec<(u64, f32)>> {
        self.search_filtered(query, Some(scope), limit)
    }

    /// As [`TextIndex::search`]; `None` skips the scope filter, for a
    /// library without attachments (everything is in scope then, and the
    /// filter would only add a walk of the scope's posting list).
    pub fn search_filtered(
        &self,
        query: &str,
        scope: Option<&Scope>,
        limit: usize,
    ) -> Result<Vec<(u64, f32)>> {
        let searcher = self.reader.searcher();
        let Some(q) = self.parse(query, &searcher, Rewrite::DropCommon) else { return Ok(Vec::new()) };
        if limit == 0 {
            return Ok(Vec::new());
        }
        let query: Box<dyn Query> = match scope {
            Some(scope) => {
                Box::new(BooleanQuery::new(vec![(Occur::Must, q), (Occur::Must, self.scope_query(scope))]))
            }
            None => q,
        };
        self.top(&searcher, &*query, limit)
    }

    /// Run `query`: the best `limit` (chunk id, score), every match scored
    /// (see [`TopChunks`] for why not tantivy's pruning collector).
    fn top(&self, searcher: &Searcher, query: &dyn Query, limit: usize) -> Result<Vec<(u64, f32)>> {
        searcher.search(query, &TopChunks::new(limit)).map_err(|e| search_err("searching", e))
    }

    /// Extracts of `texts` around the words of `query`, `max_chars` long;
    /// a text without a match gives its start.
    pub fn snippets(&self, query: &str, texts: &[&str], max_chars: usize) -> Result<Vec<Snippet>> {
        Ok(self.snippet_maker(query, max_chars)?.make(texts))
    }

    /// What [`TextIndex::snippets`] prepares for `query` (parsing it and
    /// looking up its words' statistics), kept to cut snippets later: a
    /// search prepares it while the vector scan runs.
    pub fn snippet_maker(&self, query: &str, max_chars: usize) -> Result<SnippetMaker> {
        let searcher = self.reader.searcher();
        let generator = match self.parse(query, &searcher, Rewrite::DropCommon) {
            Some(q) => {
                let mut g = SnippetGenerator::create(&searcher, &*q, self.fields.text)
                    .map_err(|e| search_err("building snippets", e))?;
                g.set_max_num_chars(max_chars);
                Some(g)
            }
            None => None,
        };
        Ok(SnippetMaker { generator, max_chars })
    }
}

/// Cuts snippets for one query (see [`TextIndex::snippet_maker`]).
pub struct SnippetMaker {
    generator: Option<SnippetGenerator>,
    max_chars: usize,
}

impl SnippetMaker {
    /// Extracts of `texts` around the query's words; a text without a
    /// match gives its start. Several texts are cut on all cores at once
    /// (~0.1 ms per 1,000-character text, mostly tokenising it).
    pub fn make(&self, texts: &[&str]) -> Vec<Snippet> {
        let cores = crate::spawn::cores();
        if texts.len() < 2 * PARALLEL_SNIPPETS || cores < 2 {
            return self.make_here(texts);
        }
        let parts: Vec<&[&str]> = texts.chunks(texts.len().div_ceil(cores)).collect();
        match crate::spawn::map_parts(parts, |part| self.make_here(part)) {
            Ok(parts) => parts.into_iter().flatten().collect(),
            Err(_) => self.make_here(texts),
        }
    }

    fn make_here(&self, texts: &[&str]) -> Vec<Snippet> {
        texts
            .iter()
            .map(|text| {
                let snippet = self.generator.as_ref().map(|g| g.snippet(text));
                match snippet {
                    Some(s) if !s.is_empty() && !s.highlighted().is_empty() => Snippet {
                        text: s.fragment().to_owned(),
                        highlights: s.highlighted().iter().map(|r| (r.start, r.end)).collect(),
                    },
                    _ => Snippet { text: leading(text, self.max_chars), highlights: Vec::new() },
                }
            })
            .collect()
    }
}

#[cfg(test)]
impl TextIndex {
    /// The parser's query as it is, before any [`rewrite`], run without a
    /// scope (tests compare it with the rewritten ones).
    pub(super) fn search_unrewritten(&self, query: &str, limit: usize) -> Result<Vec<(u64, f32)>> {
        let (q, _errors) = self.parser.parse_query_lenient(query);
        self.top(&self.reader.searcher(), &*q, limit)
    }

    /// As [`TextIndex::search_filtered`] without a scope, rewritten `how`.
    pub(super) fn search_rewritten(
        &self,
        query: &str,
        how: Rewrite,
        limit: usize,
    ) -> Result<Vec<(u64, f32)>> {
        let searcher = self.reader.searcher();
        let q = self.parse(query, &searcher, how).ok_or_else(|| search_err("parsing", "empty query"))?;
        self.top(&searcher, &*q, limit)
    }

    /// `query` as [`TextIndex::search_filtered`] rewrites it, collected by
    /// tantivy's pruning `TopDocs` (tests compare it with [`TopChunks`]).
    pub(super) fn search_pruning(&self, query: &str, limit: usize) -> Result<Vec<(u64, f32)>> {
        let searcher = self.reader.searcher();
        let q = self
            .parse(query, &searcher, Rewrite::DropCommon)
            .ok_or_else(|| search_err("parsing", "empty"))?;
        let top = searcher
            .search(&*q, &tantivy::collector::TopDocs::with_limit(limit).order_by_score())
            .map_err(|e| search_err("searching", e))?;
        top.into_iter()
            .map(|(score, addr)| {
                let ids = searcher.segment_reader(addr.segment_ord).fast_fields().u64(CHUNK_ID);
                let id = ids.map_err(|e| search_err("chunk ids", e))?.first(addr.doc_id);
                Ok((id.ok_or_else(|| search_err("chunk ids", "missing"))?, score))
            })
            .collect()
    }

    /// The query search runs for `query` (tests look at its shape).
    pub(super) fn parsed(&self, query: &str, how: Rewrite) -> Option<Box<dyn Query>> {
        self.parse(query, &self.reader.searcher(), how)
    }
}

/// The first `max_chars` characters of `text`, cut at a word boundary.
fn leading(text: &str, max_chars: usize) -> String {
    let text = text.trim();
    match text.char_indices().nth(max_chars) {
        None => text.to_owned(),
        Some((cut, _)) => {
            let head = &text[..cut];
            let end = head.rfind(char::is_whitespace).filter(|&i| i > cut / 2).unwrap_or(cut);
            format!("{}…", head[..end].trim_end())
        }
    }
}
