//! Vectors: one per (model, chunk text hash), stored as little-endian f32
//! BLOBs. Keyed by hash so identical text is embedded once and an edited
//! file keeps the vectors of the passages it did not change; the model id
//! is part of the key, so vectors of two models live side by side while
//! the library moves from one to the other.

use rusqlite::params;

use crate::error::{Error, ErrorKind, Result};

use super::Store;

/// A vector of a chunk, as loaded into the in-memory index.
#[derive(Debug, Clone, PartialEq)]
pub struct ChunkVector {
    pub chunk_id: i64,
    pub conversation_id: Option<String>,
    pub vector: Vec<f32>,
}

/// Encode a vector as little-endian f32 bytes.
pub fn encode_vector(v: &[f32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(v.len() * 4);
    for x in v {
        out.extend_from_slice(&x.to_le_bytes());
    }
    out
}

/// Decode little-endian f32 bytes; `None` if the length is not `dim * 4`.
pub fn decode_vector(bytes: &[u8], dim: usize) -> Option<Vec<f32>> {
    if bytes.len() != dim * 4 {
        return None;
    }
    Some(bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect())
}

impl Store {
    /// Store vectors of `model` for text hashes; a hash that already has
    /// one keeps it (so a retried batch never duplicates work or rows).
    pub fn put_vectors(&self, model: &str, vectors: &[(Vec<u8>, Vec<f32>)]) -> Result<usize> {
        self.write(|tx| {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO embeddings (model, hash, dim, vector) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (model, hash) DO NOTHING",
            )?;
            let mut added = 0;
            for (hash, v) in vectors {
                added += stmt.execute(params![model, hash, v.len() as i64, encode_vector(v)])?;
            }
            // Work done twice (a vector computed for a hash that already had
            // one) is counted, so tests and status can show it never happens.
            let redone = vectors.len() - added;
            if redone > 0 {
                tx.execute(
                    "INSERT INTO meta (key, value) VALUES ('library.vectors_redone', ?1)
                     ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + ?1",
                    [redone as i64],
                )?;
            }
            Ok(added)
        })
    }

    /// Every chunk's vector of `model`, with the chunk's scope, in chunk
    /// order, handed over `page` rows at a time.
    pub fn for_each_chunk_vector(
        &self,
        model: &str,
        page: usize,
        mut visit: impl FnMut(Vec<ChunkVector>) -> Result<()>,
    ) -> Result<()> {
        let mut after = 0i64;
        loop {
            let rows = self.read(|c| {
                let mut stmt = c.prepare_cached(
                    "SELECT c.id, d.conversation_id, e.dim, e.vector
                     FROM chunks c JOIN documents d ON d.id = c.document_id
                     JOIN embeddings e ON e.model = ?1 AND e.hash = c.hash
                     WHERE c.id > ?2 ORDER BY c.id LIMIT ?3",
                )?;
                let rows = stmt.query_map(params![model, after, page as i64], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, Option<String>>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, Vec<u8>>(3)?,
                    ))
                })?;
                let mut out = Vec::new();
                for row in rows {
                    let (chunk_id, conversation_id, dim, bytes) = row?;
                    let vector = decode_vector(&bytes, dim as usize).ok_or_else(|| {
                        Error::new(
                            ErrorKind::Store,
                            format!("vector of chunk {chunk_id} has {} bytes, not {dim}×4", bytes.len()),
                        )
                    })?;
                    out.push(ChunkVector { chunk_id, conversation_id, vector });
                }
                Ok(out)
            })?;
            let Some(last) = rows.last() else { return Ok(()) };
            after = last.chunk_id;
            visit(rows)?;
        }
    }

    /// Vectors of `model` that appeared since a refresh: those stored after
    /// embedding row `after_vector`, and those of chunks inserted after
    /// chunk `after_chunk` (whose text already had a vector). Returns the
    /// rows and the new (vector, chunk) high-water marks.
    pub fn vectors_since(
        &self,
        model: &str,
        after_vector: i64,
        after_chunk: i64,
    ) -> Result<(Vec<ChunkVector>, i64, i64)> {
        self.read(|c| {
            let (max_vector, max_chunk): (i64, i64) = c.query_row(
                "SELECT (SELECT ifnull(max(id), 0) FROM embeddings), (SELECT ifnull(max(id), 0) FROM chunks)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let mut out = Vec::new();
            let sqls = [
                "SELECT c.id, d.conversation_id, e.dim, e.vector FROM embeddings e
                 JOIN chunks c ON c.hash = e.hash JOIN documents d ON d.id = c.document_id
                 WHERE e.model = ?1 AND e.id > ?2 AND e.id <= ?3",
                "SELECT c.id, d.conversation_id, e.dim, e.vector FROM chunks c
                 JOIN documents d ON d.id = c.document_id
                 JOIN embeddings e ON e.model = ?1 AND e.hash = c.hash
                 WHERE c.id > ?2 AND c.id <= ?3",
            ];
            for (sql, after, upto) in [(sqls[0], after_vector, max_vector), (sqls[1], after_chunk, max_chunk)]
            {
                let mut stmt = c.prepare_cached(sql)?;
                let rows = stmt.query_map(params![model, after, upto], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, Option<String>>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, Vec<u8>>(3)?,
                    ))
                })?;
                for row in rows {
                    let (chunk_id, conversation_id, dim, bytes) = row?;
                    if let Some(vector) = decode_vector(&bytes, dim as usize) {
                        out.push(ChunkVector { chunk_id, conversation_id, vector });
                    }
                }
            }
            Ok((out, max_vector, max_chunk))
        })
    }

    /// The highest embedding and chunk ids (refresh high-water marks).
    pub fn vector_marks(&self) -> Result<(i64, i64)> {
        self.read(|c| {
            Ok(c.query_row(
                "SELECT (SELECT ifnull(max(id), 0) FROM embeddings), (SELECT ifnull(max(id), 0) FROM chunks)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
    }

    /// Vectors of `model` for chunk ids (those that have one).
    pub fn chunk_vectors(&self, model: &str, ids: &[i64]) -> Result<Vec<ChunkVector>> {
        let json = serde_json::to_string(ids).map_err(|e| Error::internal(format!("encoding ids: {e}")))?;
        self.read(|c| {
            let mut stmt = c.prepare_cached(
                "SELECT c.id, d.conversation_id, e.dim, e.vector
                 FROM chunks c JOIN documents d ON d.id = c.document_id
                 JOIN embeddings e ON e.model = ?1 AND e.hash = c.hash
                 WHERE c.id IN (SELECT value FROM json_each(?2))",
            )?;
            let rows = stmt.query_map(params![model, json], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, Vec<u8>>(3)?,
                ))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (chunk_id, conversation_id, dim, bytes) = row?;
                if let Some(vector) = decode_vector(&bytes, dim as usize) {
                    out.push(ChunkVector { chunk_id, conversation_id, vector });
                }
            }
            Ok(out)
        })
    }

    /// Hashes among `hashes` that already have a vector of `model`.
    pub fn hashes_with_vectors(
        &self,
        model: &str,
        hashes: &[Vec<u8>],
    ) -> Result<std::collections::HashSet<Vec<u8>>> {
        self.read(|c| {
            let mut stmt = c.prepare_cached("SELECT 1 FROM embeddings WHERE model = ?1 AND hash = ?2")?;
            let mut found = std::collections::HashSet::new();
            for h in hashes {
                if stmt.exists(params![model, h])? {
                    found.insert(h.clone());
                }
            }
            Ok(found)
        })
    }

    /// Count of stored vectors per model.
    pub fn vector_counts(&self) -> Result<Vec<(String, i64)>> {
        self.read(|c| {
            Ok(c.prepare_cached("SELECT model, count(*) FROM embeddings GROUP BY model ORDER BY model")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// Delete vectors no chunk uses any more, and every vector of models
    /// other than `keep`. Returns how many rows went.
    pub fn prune_vectors(&self, keep: &[&str]) -> Result<usize> {
        let keep =
            serde_json::to_string(keep).map_err(|e| Error::internal(format!("encoding models: {e}")))?;
        self.write(|tx| {
            let other = tx.execute("DELETE FROM embeddings WHERE model NOT IN (SELECT value FROM json_each(?1))", [&keep])?;
            let orphan = tx.execute(
                "DELETE FROM embeddings WHERE NOT EXISTS (SELECT 1 FROM chunks c WHERE c.hash = embeddings.hash)",
                [],
            )?;
            Ok(other + orphan)
        })
    }
}
