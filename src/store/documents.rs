//! Documents and their chunks: the library's source of truth. Reads for the
//! document list and for ingestion's "has this file changed?" check, and
//! one batched write ([`Store::apply_ingest`]) that replaces documents,
//! records failures, removes documents and finishes their jobs in ONE
//! transaction, so a crash leaves either the old or the new state of every
//! file in the batch, never half of one.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::error::Result;

use super::{Store, now_ms};

/// Whether a document's text is in the library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocStatus {
    /// Extracted, chunked and indexed.
    Ready,
    /// The last import failed (`error` says why); chunks of an earlier good
    /// version, if any, are kept.
    Failed,
}

impl DocStatus {
    fn as_str(self) -> &'static str {
        match self {
            DocStatus::Ready => "ready",
            DocStatus::Failed => "failed",
        }
    }
}

/// One document row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRow {
    pub id: String,
    pub path: String,
    pub conversation_id: Option<String>,
    pub title: String,
    pub format: String,
    pub size_bytes: i64,
    pub mtime_ns: i64,
    pub content_hash: Option<Vec<u8>>,
    pub status: DocStatus,
    pub error_code: Option<String>,
    pub error: Option<String>,
    pub chunk_count: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// File facts a document row is written with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentMeta {
    pub path: String,
    pub conversation_id: Option<String>,
    pub title: String,
    pub format: String,
    pub size_bytes: i64,
    pub mtime_ns: i64,
}

/// A chunk to insert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewChunk {
    pub ordinal: i64,
    pub page: Option<i64>,
    pub heading: String,
    pub char_start: i64,
    pub char_end: i64,
    pub text: String,
    /// SHA-256 of the text that gets embedded (heading and passage).
    pub hash: Vec<u8>,
}

/// One change of an ingest batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IngestWrite {
    /// New or changed content: the document's chunks are replaced.
    Replace { meta: DocumentMeta, content_hash: Vec<u8>, chunks: Vec<NewChunk> },
    /// Same content as stored (hash equal): only size and mtime change.
    Touch { document_id: String, size_bytes: i64, mtime_ns: i64 },
    /// The file could not be imported; earlier chunks, if any, are kept.
    Fail { meta: DocumentMeta, code: String, message: String },
    /// The document leaves the library with its chunks.
    Remove { document_id: String },
}

/// What one [`IngestWrite`] did, for the index and vector updates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    pub document_id: Option<String>,
    /// Chunk ids that no longer exist.
    pub removed_chunks: Vec<i64>,
    /// Chunk ids inserted, in ordinal order.
    pub added_chunks: Vec<i64>,
}

pub(crate) const DOC_COLUMNS: &str = "id, path, conversation_id, title, format, size_bytes, mtime_ns, \
     content_hash, status, error_code, error, chunk_count, created_at, updated_at";

pub(crate) fn doc_from_row(r: &Row<'_>) -> rusqlite::Result<DocumentRow> {
    let status: String = r.get(8)?;
    Ok(DocumentRow {
        id: r.get(0)?,
        path: r.get(1)?,
        conversation_id: r.get(2)?,
        title: r.get(3)?,
        format: r.get(4)?,
        size_bytes: r.get(5)?,
        mtime_ns: r.get(6)?,
        content_hash: r.get(7)?,
        status: if status == "ready" { DocStatus::Ready } else { DocStatus::Failed },
        error_code: r.get(9)?,
        error: r.get(10)?,
        chunk_count: r.get(11)?,
        created_at: r.get(12)?,
        updated_at: r.get(13)?,
    })
}

fn by_path(conn: &Connection, path: &str, conversation: Option<&str>) -> Result<Option<DocumentRow>> {
    let sql = format!(
        "SELECT {DOC_COLUMNS} FROM documents WHERE path = ?1 AND ifnull(conversation_id, '') = ifnull(?2, '')"
    );
    Ok(conn.prepare_cached(&sql)?.query_row(params![path, conversation], doc_from_row).optional()?)
}

fn chunk_ids(conn: &Connection, document_id: &str) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM chunks WHERE document_id = ?1 ORDER BY ordinal")?;
    let ids = stmt.query_map([document_id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(ids)
}

/// A document row written by [`upsert_doc`].
struct Upserted {
    id: String,
    /// False when the row was inserted just now: it has no chunks yet.
    existed: bool,
}

/// Insert or update the document row for `meta`.
fn upsert_doc(
    conn: &Connection,
    meta: &DocumentMeta,
    hash: Option<&[u8]>,
    status: DocStatus,
    error: Option<(&str, &str)>,
    chunk_count: Option<i64>,
) -> Result<Upserted> {
    let now = now_ms();
    let existing = by_path(conn, &meta.path, meta.conversation_id.as_deref())?;
    let (code, message) = match error {
        Some((c, m)) => (Some(c), Some(m)),
        None => (None, None),
    };
    match existing {
        Some(doc) => {
            conn.prepare_cached(
                "UPDATE documents SET title = ?2, format = ?3, size_bytes = ?4, mtime_ns = ?5,
                   content_hash = coalesce(?6, content_hash), status = ?7, error_code = ?8, error = ?9,
                   chunk_count = coalesce(?10, chunk_count), updated_at = ?11 WHERE id = ?1",
            )?
            .execute(params![
                doc.id,
                meta.title,
                meta.format,
                meta.size_bytes,
                meta.mtime_ns,
                hash,
                status.as_str(),
                code,
                message,
                chunk_count,
                now
            ])?;
            Ok(Upserted { id: doc.id, existed: true })
        }
        None => {
            let id = crate::id::new_id();
            conn.prepare_cached(
                "INSERT INTO documents (id, path, conversation_id, title, format, size_bytes, mtime_ns,
                   content_hash, status, error_code, error, chunk_count, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
            )?
            .execute(params![
                id,
                meta.path,
                meta.conversation_id,
                meta.title,
                meta.format,
                meta.size_bytes,
                meta.mtime_ns,
                hash,
                status.as_str(),
                code,
                message,
                chunk_count.unwrap_or(0),
                now
            ])?;
            Ok(Upserted { id, existed: false })
        }
    }
}

impl Store {
    /// The document for `path` in a scope (`None`: the shared library).
    pub fn document_by_path(&self, path: &str, conversation: Option<&str>) -> Result<Option<DocumentRow>> {
        self.read(|c| by_path(c, path, conversation))
    }

    /// One document by id.
    pub fn document(&self, id: &str) -> Result<Option<DocumentRow>> {
        self.read(|c| {
            let sql = format!("SELECT {DOC_COLUMNS} FROM documents WHERE id = ?1");
            Ok(c.prepare_cached(&sql)?.query_row([id], doc_from_row).optional()?)
        })
    }

    /// Documents, newest first; `conversation`: `None` lists every scope.
    pub fn documents(&self, conversation: Option<Option<&str>>) -> Result<Vec<DocumentRow>> {
        self.read(|c| {
            let rows = match conversation {
                None => {
                    let sql = format!("SELECT {DOC_COLUMNS} FROM documents ORDER BY path");
                    c.prepare(&sql)?.query_map([], doc_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?
                }
                Some(conv) => {
                    let sql = format!(
                        "SELECT {DOC_COLUMNS} FROM documents WHERE ifnull(conversation_id, '') = ifnull(?1, '') ORDER BY path"
                    );
                    c.prepare(&sql)?.query_map([conv], doc_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?
                }
            };
            Ok(rows)
        })
    }

    /// Library documents whose path starts with `prefix` (a folder path
    /// ending in `/`): a range scan on the path index.
    pub fn documents_under(&self, prefix: &str) -> Result<Vec<DocumentRow>> {
        // Every string starting with `prefix` sorts in [prefix, prefix + U+10FFFF).
        let upper = format!("{prefix}\u{10FFFF}");
        self.read(|c| {
            let sql = format!(
                "SELECT {DOC_COLUMNS} FROM documents WHERE path >= ?1 AND path < ?2 AND conversation_id IS NULL"
            );
            let rows = c
                .prepare_cached(&sql)?
                .query_map(params![prefix, upper], doc_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    /// Apply an ingest batch in one transaction and mark `done_jobs` done
    /// with their outcomes; with `embed_jobs`, every document whose chunks
    /// were replaced gets an `embed` job in the same transaction (so new
    /// chunks are never left without queued embedding work). Returns what
    /// each write changed.
    pub fn apply_ingest(
        &self,
        writes: &[IngestWrite],
        done_jobs: &[(i64, String)],
        embed_jobs: bool,
    ) -> Result<Vec<Applied>> {
        self.write(|tx| {
            let mut applied = Vec::with_capacity(writes.len());
            for write in writes {
                let a = apply_one(tx, write)?;
                if embed_jobs
                    && matches!(write, IngestWrite::Replace { .. })
                    && let Some(id) = &a.document_id
                {
                    super::jobs::enqueue_embed_in(tx, id)?;
                }
                applied.push(a);
            }
            super::jobs::finish_in(tx, done_jobs)?;
            Ok(applied)
        })
    }
}

impl Store {
    /// Replace one document's chunks with `chunks` read from a stream (a
    /// very large file), in one transaction, finishing `done_job` with it.
    pub fn replace_streamed(
        &self,
        meta: &DocumentMeta,
        content_hash: &[u8],
        chunks: &mut dyn Iterator<Item = Result<NewChunk>>,
        done_job: Option<(i64, String)>,
        embed_job: bool,
    ) -> Result<Applied> {
        self.write(|tx| {
            let doc = upsert_doc(tx, meta, Some(content_hash), DocStatus::Ready, None, None)?;
            let removed = drop_chunks(tx, &doc)?;
            let id = doc.id;
            let mut added = Vec::new();
            let mut insert = tx.prepare_cached(
                "INSERT INTO chunks (document_id, ordinal, page, heading, char_start, char_end, text, hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for c in chunks {
                let c = c?;
                insert.execute(params![
                    id,
                    c.ordinal,
                    c.page,
                    c.heading,
                    c.char_start,
                    c.char_end,
                    c.text,
                    c.hash
                ])?;
                added.push(tx.last_insert_rowid());
            }
            tx.execute(
                "UPDATE documents SET chunk_count = ?2 WHERE id = ?1",
                params![id, added.len() as i64],
            )?;
            if let Some(job) = done_job {
                super::jobs::finish_in(tx, &[job])?;
            }
            if embed_job {
                super::jobs::enqueue_embed_in(tx, &id)?;
            }
            Ok(Applied { document_id: Some(id), removed_chunks: removed, added_chunks: added })
        })
    }
}

/// Delete the chunks of a document about to get new ones; returns their
/// ids. A document inserted in this transaction has none: skipping the
/// lookup and the delete is most of a first import's document cost.
fn drop_chunks(conn: &Connection, doc: &Upserted) -> Result<Vec<i64>> {
    if !doc.existed {
        return Ok(Vec::new());
    }
    let removed = chunk_ids(conn, &doc.id)?;
    conn.prepare_cached("DELETE FROM chunks WHERE document_id = ?1")?.execute([&doc.id])?;
    Ok(removed)
}

fn apply_one(conn: &Connection, write: &IngestWrite) -> Result<Applied> {
    match write {
        IngestWrite::Replace { meta, content_hash, chunks } => {
            let doc = upsert_doc(
                conn,
                meta,
                Some(content_hash),
                DocStatus::Ready,
                None,
                Some(chunks.len() as i64),
            )?;
            let removed = drop_chunks(conn, &doc)?;
            let id = doc.id;
            let mut added = Vec::with_capacity(chunks.len());
            let mut insert = conn.prepare_cached(
                "INSERT INTO chunks (document_id, ordinal, page, heading, char_start, char_end, text, hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for c in chunks {
                insert.execute(params![
                    id,
                    c.ordinal,
                    c.page,
                    c.heading,
                    c.char_start,
                    c.char_end,
                    c.text,
                    c.hash
                ])?;
                added.push(conn.last_insert_rowid());
            }
            Ok(Applied { document_id: Some(id), removed_chunks: removed, added_chunks: added })
        }
        IngestWrite::Touch { document_id, size_bytes, mtime_ns } => {
            conn.prepare_cached(
                "UPDATE documents SET size_bytes = ?2, mtime_ns = ?3, status = 'ready', error_code = NULL,
                   error = NULL, updated_at = ?4 WHERE id = ?1",
            )?
            .execute(params![document_id, size_bytes, mtime_ns, now_ms()])?;
            Ok(Applied { document_id: Some(document_id.clone()), ..Applied::default() })
        }
        IngestWrite::Fail { meta, code, message } => {
            let doc = upsert_doc(conn, meta, None, DocStatus::Failed, Some((code, message)), None)?;
            Ok(Applied { document_id: Some(doc.id), ..Applied::default() })
        }
        IngestWrite::Remove { document_id } => {
            let removed = chunk_ids(conn, document_id)?;
            conn.prepare_cached("DELETE FROM documents WHERE id = ?1")?.execute([document_id])?;
            Ok(Applied {
                document_id: Some(document_id.clone()),
                removed_chunks: removed,
                added_chunks: vec![],
            })
        }
    }
}
