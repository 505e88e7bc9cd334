//! The SQLite store, sole owner of rusqlite and the source of truth for
//! everything Gogga keeps (the tantivy index and in-memory vectors are
//! rebuilt from it). One writer connection behind a mutex, a small pool of
//! reader connections; WAL so readers never wait for the writer. Every
//! connection gets the same PRAGMAs. All methods block: async callers go
//! through [`crate::spawn::blocking`].
//!
//! The database must live on a local filesystem (see [`fs_kind`]).

mod chunks;
mod conversation_rows;
mod conversations;
mod documents;
mod embeddings;
mod folders;
pub mod fs_kind;
mod jobs;
mod migrations;
pub mod snapshot;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::{Connection, OpenFlags, Transaction};

use crate::error::{Error, ErrorKind, Result};

pub use chunks::{HitRow, IndexChunk, PendingChunk};
pub use conversations::{CitationRow, ConversationRow, MessageRow, MessageText, UsageRow};
pub use documents::{Applied, DocStatus, DocumentMeta, DocumentRow, IngestWrite, NewChunk};
pub use embeddings::{ChunkVector, decode_vector, encode_vector};
pub use folders::{FolderRow, LibraryCounts};
pub use jobs::{JobRow, JobState, NewJob};
pub use migrations::SCHEMA_VERSION;

/// How many idle reader connections are kept open.
const READER_POOL: usize = 4;

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        let kind = match &e {
            rusqlite::Error::QueryReturnedNoRows => ErrorKind::NotFound,
            rusqlite::Error::SqliteFailure(f, _)
                if matches!(
                    f.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) =>
            {
                ErrorKind::Busy
            }
            _ => ErrorKind::Store,
        };
        Error::new(kind, format!("database: {e}")).with_source(e)
    }
}

/// Handle to the store; cheap to clone, shared by every part of the core.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    /// A connection kept only to read `PRAGMA data_version`.
    watcher: Mutex<Option<Connection>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.inner.path).finish()
    }
}

/// Facts about the store for status screens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreInfo {
    pub path: PathBuf,
    pub schema_version: u32,
    pub size_bytes: u64,
}

impl Store {
    /// Open (creating if needed) the database at `path`, refusing network
    /// filesystems and databases newer than this binary, and migrate it.
    pub fn open(path: &Path) -> Result<Store> {
        let dir = path.parent().ok_or_else(|| Error::invalid(format!("{} has no folder", path.display())))?;
        std::fs::create_dir_all(dir).map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
        fs_kind::ensure_local(dir)?;
        let mut writer = open_connection(path)?;
        migrations::migrate(&mut writer)?;
        Ok(Store {
            inner: Arc::new(Inner {
                path: path.to_path_buf(),
                writer: Mutex::new(writer),
                readers: Mutex::new(Vec::new()),
                watcher: Mutex::new(None),
            }),
        })
    }

    /// Open an existing database file read-only without migrating it
    /// (backup verification inspects archives this way).
    pub fn inspect(path: &Path) -> Result<StoreInfo> {
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        Ok(StoreInfo {
            path: path.to_path_buf(),
            schema_version: migrations::version(&conn)?,
            size_bytes: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
        })
    }

    /// Where the database file is.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Schema version and size.
    pub fn info(&self) -> Result<StoreInfo> {
        let schema_version = self.read(migrations::version)?;
        let size_bytes = ["", "-wal"]
            .iter()
            .filter_map(|suffix| {
                let mut p = self.inner.path.clone().into_os_string();
                p.push(suffix);
                std::fs::metadata(p).ok()
            })
            .map(|m| m.len())
            .sum();
        Ok(StoreInfo { path: self.inner.path.clone(), schema_version, size_bytes })
    }

    /// Run `f` on a reader connection (never blocked by the writer).
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn = match lock(&self.inner.readers).pop() {
            Some(conn) => conn,
            None => open_connection(&self.inner.path)?,
        };
        let result = f(&conn);
        let mut pool = lock(&self.inner.readers);
        if pool.len() < READER_POOL {
            pool.push(conn);
        }
        result
    }

    /// Run `f` in one write transaction; it commits only if `f` succeeds.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = lock(&self.inner.writer);
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }
}

/// Milliseconds since the Unix epoch (the store's timestamps).
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding a connection leaves it usable (SQLite rolls back
    // the open transaction when the Transaction drops), so poisoning is
    // not a reason to stop serving.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Open one connection with the PRAGMAs every connection must have.
fn open_connection(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path).map_err(|e| {
        Error::new(ErrorKind::Store, format!("opening {}: {e}", path.display())).with_source(e)
    })?;
    // WAL: readers never block the writer. synchronous=FULL: a committed
    // transaction survives power loss (data must never be lost). A busy
    // timeout so the CLI and the app can share the file.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "busy_timeout", 5000)?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.pragma_update(None, "cache_size", -16_000)?;
    // Query planner stability: without it, a statement whose plan could
    // depend on a bound value (a LIMIT ?, a partial index) is re-prepared
    // every time the statement cache hands it out again, because the
    // cache clears its bindings. Measured: about 10 % of the ingest
    // worker's time went to re-preparing. Our plans never depend on values.
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    Ok(conn)
}

#[cfg(test)]
mod tests;
