//! Chunk reads: the rows search hits are built from, the rows the full-text
//! index is (re)built from, every chunk id (the start-up check against the
//! index), and the chunks still waiting for a vector of a model. Id lists
//! go to SQLite as one JSON array (`json_each`), so a query never grows
//! with the number of ids.

use rusqlite::{Connection, params};

use crate::error::Result;

use super::Store;

/// A chunk with what the full-text index needs of its document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexChunk {
    pub id: i64,
    pub document_id: String,
    pub conversation_id: Option<String>,
    pub title: String,
    pub heading: String,
    pub text: String,
}

/// A chunk with its document, as a search hit shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HitRow {
    pub chunk_id: i64,
    pub document_id: String,
    pub conversation_id: Option<String>,
    pub path: String,
    pub title: String,
    pub format: String,
    pub page: Option<i64>,
    pub heading: String,
    pub char_start: i64,
    pub char_end: i64,
    pub text: String,
}

/// A chunk to embed: its id, text hash, heading and passage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingChunk {
    pub id: i64,
    pub document_id: String,
    pub conversation_id: Option<String>,
    pub hash: Vec<u8>,
    pub heading: String,
    pub text: String,
}

fn json_ids<T: serde::Serialize>(ids: &[T]) -> Result<String> {
    serde_json::to_string(ids).map_err(|e| crate::error::Error::internal(format!("encoding ids: {e}")))
}

const INDEX_SELECT: &str = "SELECT c.id, c.document_id, d.conversation_id, d.title, c.heading, c.text
     FROM chunks c JOIN documents d ON d.id = c.document_id";

fn index_chunk(r: &rusqlite::Row<'_>) -> rusqlite::Result<IndexChunk> {
    Ok(IndexChunk {
        id: r.get(0)?,
        document_id: r.get(1)?,
        conversation_id: r.get(2)?,
        title: r.get(3)?,
        heading: r.get(4)?,
        text: r.get(5)?,
    })
}

impl Store {
    /// The chunks `ids` (those that still exist) for the full-text index.
    pub fn index_chunks(&self, ids: &[i64]) -> Result<Vec<IndexChunk>> {
        let ids = json_ids(ids)?;
        self.read(|c| {
            let sql = format!("{INDEX_SELECT} WHERE c.id IN (SELECT value FROM json_each(?1)) ORDER BY c.id");
            Ok(c.prepare_cached(&sql)?
                .query_map([ids], index_chunk)?
                .collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// Visit every chunk in id order, `page` rows per read transaction (so
    /// a rebuild never holds one long read open).
    pub fn for_each_index_chunk(
        &self,
        page: usize,
        mut visit: impl FnMut(Vec<IndexChunk>) -> Result<()>,
    ) -> Result<()> {
        let mut after = 0i64;
        loop {
            let rows = self.read(|c| {
                let sql = format!("{INDEX_SELECT} WHERE c.id > ?1 ORDER BY c.id LIMIT ?2");
                Ok(c.prepare_cached(&sql)?
                    .query_map(params![after, page as i64], index_chunk)?
                    .collect::<rusqlite::Result<Vec<_>>>()?)
            })?;
            let Some(last) = rows.last() else { return Ok(()) };
            after = last.id;
            visit(rows)?;
        }
    }

    /// Every chunk id, ascending.
    pub fn all_chunk_ids(&self) -> Result<Vec<i64>> {
        self.read(|c| {
            Ok(c.prepare_cached("SELECT id FROM chunks ORDER BY id")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?)
        })
    }

    /// Hits for `ids`, in the order of `ids`; ids that no longer exist
    /// are left out (a reader may be a moment behind the store).
    pub fn hit_rows(&self, ids: &[i64]) -> Result<Vec<HitRow>> {
        let json = json_ids(ids)?;
        let mut rows = self.read(|c| {
            Ok(c.prepare_cached(
                "SELECT c.id, c.document_id, d.conversation_id, d.path, d.title, d.format, c.page, c.heading,
                        c.char_start, c.char_end, c.text
                 FROM chunks c JOIN documents d ON d.id = c.document_id
                 WHERE c.id IN (SELECT value FROM json_each(?1))",
            )?
            .query_map([json], |r| {
                Ok(HitRow {
                    chunk_id: r.get(0)?,
                    document_id: r.get(1)?,
                    conversation_id: r.get(2)?,
                    path: r.get(3)?,
                    title: r.get(4)?,
                    format: r.get(5)?,
                    page: r.get(6)?,
                    heading: r.get(7)?,
                    char_start: r.get(8)?,
                    char_end: r.get(9)?,
                    text: r.get(10)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?)
        })?;
        let order: std::collections::HashMap<i64, usize> =
            ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        rows.sort_by_key(|r| order.get(&r.chunk_id).copied().unwrap_or(usize::MAX));
        Ok(rows)
    }

    /// Up to `limit` chunks of `documents` with id above `after` and no
    /// vector of `model` yet, in id order (a cursor keeps a huge document's
    /// backlog linear and its memory bounded).
    pub fn pending_chunks(
        &self,
        documents: &[String],
        model: &str,
        after: i64,
        limit: usize,
    ) -> Result<Vec<PendingChunk>> {
        let docs = json_ids(documents)?;
        self.read(|c| pending_in(c, &docs, model, after, limit))
    }

    /// Documents that have at least one chunk without a vector of `model`
    /// (the start-up backstop that re-queues lost embedding work).
    pub fn documents_missing_vectors(&self, model: &str) -> Result<Vec<String>> {
        self.read(|c| {
            Ok(c.prepare_cached(
                "SELECT DISTINCT c.document_id FROM chunks c
                 WHERE NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.model = ?1 AND e.hash = c.hash)",
            )?
            .query_map([model], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?)
        })
    }

    /// (chunk id, document path, heading path) of every chunk (outlines,
    /// evaluations).
    pub fn chunk_outline(&self) -> Result<Vec<(i64, String, String)>> {
        self.read(|c| {
            Ok(c.prepare("SELECT c.id, d.path, c.heading FROM chunks c JOIN documents d ON d.id = c.document_id ORDER BY c.id")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// The first `limit` chunks as (heading, text), in id order.
    pub fn chunk_texts(&self, limit: usize) -> Result<Vec<(String, String)>> {
        self.read(|c| {
            Ok(c.prepare("SELECT heading, text FROM chunks ORDER BY id LIMIT ?1")?
                .query_map([limit as i64], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// How many chunks of `documents` have no vector of `model`.
    pub fn count_pending_chunks(&self, documents: &[String], model: &str) -> Result<i64> {
        let docs = json_ids(documents)?;
        self.read(|c| {
            Ok(c.prepare_cached(
                "SELECT count(*) FROM chunks c WHERE c.document_id IN (SELECT value FROM json_each(?1))
                   AND NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.model = ?2 AND e.hash = c.hash)",
            )?
            .query_row(params![docs, model], |r| r.get(0))?)
        })
    }

    /// How many chunks have no vector of `model`.
    pub fn count_missing_vectors(&self, model: &str) -> Result<i64> {
        self.read(|c| {
            Ok(c.prepare_cached(
                "SELECT count(*) FROM chunks c
                 WHERE NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.model = ?1 AND e.hash = c.hash)",
            )?
            .query_row([model], |r| r.get(0))?)
        })
    }
}

fn pending_in(
    c: &Connection,
    docs: &str,
    model: &str,
    after: i64,
    limit: usize,
) -> Result<Vec<PendingChunk>> {
    Ok(c.prepare_cached(
        "SELECT c.id, c.document_id, d.conversation_id, c.hash, c.heading, c.text
         FROM chunks c JOIN documents d ON d.id = c.document_id
         WHERE c.document_id IN (SELECT value FROM json_each(?1)) AND c.id > ?3
           AND NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.model = ?2 AND e.hash = c.hash)
         ORDER BY c.id LIMIT ?4",
    )?
    .query_map(params![docs, model, after, limit as i64], |r| {
        Ok(PendingChunk {
            id: r.get(0)?,
            document_id: r.get(1)?,
            conversation_id: r.get(2)?,
            hash: r.get(3)?,
            heading: r.get(4)?,
            text: r.get(5)?,
        })
    })?
    .collect::<rusqlite::Result<Vec<_>>>()?)
}
