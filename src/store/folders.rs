//! Watched folders, small key/value facts (the active embedding model, the
//! leader's last embedding rate) and the library's counts for status
//! screens.

use rusqlite::{OptionalExtension, params};

use crate::error::Result;

use super::{Store, now_ms};

/// A folder the library keeps in step with.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FolderRow {
    pub id: String,
    pub path: String,
    pub added_at: i64,
    pub last_scan_at: Option<i64>,
}

/// Counts for `gogga status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct LibraryCounts {
    pub documents: i64,
    pub failed_documents: i64,
    pub chunks: i64,
    pub folders: i64,
    /// Jobs queued or running, per kind.
    pub queue: Vec<(String, i64)>,
    /// Stored vectors per model id.
    pub vectors: Vec<(String, i64)>,
}

impl Store {
    /// Add a watched folder (idempotent); returns its row.
    pub fn add_folder(&self, path: &str) -> Result<FolderRow> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO folders (id, path, added_at) VALUES (?1, ?2, ?3) ON CONFLICT (path) DO NOTHING",
                params![crate::id::new_id(), path, now_ms()],
            )?;
            Ok(tx.query_row(
                "SELECT id, path, added_at, last_scan_at FROM folders WHERE path = ?1",
                [path],
                |r| {
                    Ok(FolderRow {
                        id: r.get(0)?,
                        path: r.get(1)?,
                        added_at: r.get(2)?,
                        last_scan_at: r.get(3)?,
                    })
                },
            )?)
        })
    }

    /// Stop watching a folder; returns whether it was watched.
    pub fn remove_folder(&self, path: &str) -> Result<bool> {
        self.write(|tx| Ok(tx.execute("DELETE FROM folders WHERE path = ?1", [path])? > 0))
    }

    /// Every watched folder.
    pub fn folders(&self) -> Result<Vec<FolderRow>> {
        self.read(|c| {
            Ok(c.prepare_cached("SELECT id, path, added_at, last_scan_at FROM folders ORDER BY path")?
                .query_map([], |r| {
                    Ok(FolderRow {
                        id: r.get(0)?,
                        path: r.get(1)?,
                        added_at: r.get(2)?,
                        last_scan_at: r.get(3)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// Record that a folder was fully scanned now.
    pub fn folder_scanned(&self, path: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute("UPDATE folders SET last_scan_at = ?2 WHERE path = ?1", params![path, now_ms()])?;
            Ok(())
        })
    }

    /// A value from the `meta` table.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        self.read(|c| {
            Ok(c.prepare_cached("SELECT value FROM meta WHERE key = ?1")?
                .query_row([key], |r| r.get(0))
                .optional()?)
        })
    }

    /// Set a value in the `meta` table.
    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )?;
            Ok(())
        })
    }

    /// Documents, chunks, folders, queue depth and vectors per model.
    pub fn library_counts(&self) -> Result<LibraryCounts> {
        let queue = self.queue_depth()?;
        let vectors = self.vector_counts()?;
        self.read(|c| {
            let (documents, failed_documents): (i64, i64) = c.query_row(
                "SELECT count(*), count(*) FILTER (WHERE status = 'failed') FROM documents",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            let chunks = c.query_row("SELECT count(*) FROM chunks", [], |r| r.get(0))?;
            let folders = c.query_row("SELECT count(*) FROM folders", [], |r| r.get(0))?;
            Ok(LibraryCounts { documents, failed_documents, chunks, folders, queue, vectors })
        })
    }

    /// Whether any document is attached to a conversation (searches of a
    /// library without attachments need no scope filter).
    pub fn has_attachments(&self) -> Result<bool> {
        self.read(|c| {
            Ok(c.prepare_cached("SELECT EXISTS (SELECT 1 FROM documents WHERE conversation_id IS NOT NULL)")?
                .query_row([], |r| r.get(0))?)
        })
    }

    /// SQLite's `data_version` on a connection kept for this: it changes
    /// when another process commits, so readers know to refresh.
    pub fn data_version(&self) -> Result<i64> {
        let mut guard = super::lock(&self.inner.watcher);
        if guard.is_none() {
            *guard = Some(super::open_connection(&self.inner.path)?);
        }
        match guard.as_ref() {
            Some(conn) => Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?),
            None => Err(crate::error::Error::internal("data_version connection missing")),
        }
    }
}
