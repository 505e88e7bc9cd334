//! Consistent copies and read-only inspection of SQLite files, for backups.
//!
//! [`Store::snapshot_to`] copies the live database with SQLite's online
//! backup API, in steps, from a connection that holds ONE read transaction
//! for the whole copy: in WAL mode that pins a single point in time (so the
//! copy is consistent: every chunk has its document) while the app's writer
//! keeps committing, and the backup never restarts because of those writes.
//! The copy is switched to a rollback journal so it is one self-contained
//! file. [`inspect_file`] opens any database file read-only and immutable
//! (no -wal/-shm created, nothing written) to report its schema version, app
//! identity, integrity, foreign-key violations and row counts. The backup
//! status rows (`backup_runs`) are read and written here because the store
//! is the only owner of SQL.

use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use super::{Store, migrations, open_connection};
use crate::error::{Error, ErrorKind, Result};

/// Pages copied per backup step (4 MiB with 4 KiB pages): big enough that
/// the per-step overhead vanishes, small enough that progress is smooth.
const PAGES_PER_STEP: i32 = 1024;

/// The tables whose row counts a backup manifest records. A table that does
/// not exist (yet) counts 0, so archives from every schema compare.
pub const COUNTED_TABLES: &[&str] = &["documents", "chunks", "embeddings", "conversations", "messages"];

/// How much was copied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SnapshotStats {
    pub pages: u64,
    pub page_size: u64,
    /// Steps that found the source busy and were retried.
    pub busy_retries: u64,
}

/// What [`inspect_file`] found in a database file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseReport {
    /// `PRAGMA user_version`.
    pub schema_version: u32,
    /// `meta.app`, the application that made the file (`"gogga"`).
    pub app: Option<String>,
    /// Problems reported by the integrity check; empty when it said "ok".
    pub integrity_problems: Vec<String>,
    /// Rows that `PRAGMA foreign_key_check` reports.
    pub foreign_key_violations: u64,
    /// Rows in each of [`COUNTED_TABLES`].
    pub counts: BTreeMap<String, u64>,
}

impl DatabaseReport {
    /// Integrity ok and no dangling references.
    pub fn is_sound(&self) -> bool {
        self.integrity_problems.is_empty() && self.foreign_key_violations == 0
    }
}

/// How thoroughly [`inspect_file`] checks the b-trees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// `PRAGMA quick_check`: every page and record, not index contents. O(N).
    Quick,
    /// `PRAGMA integrity_check`: also every index against its table.
    Full,
}

impl Store {
    /// Copy the live database into a new file at `dest` (which must not
    /// exist), consistently, while other connections keep writing.
    /// `progress(done_pages, total_pages)` is called after every step.
    pub fn snapshot_to(&self, dest: &Path, mut progress: impl FnMut(u64, u64)) -> Result<SnapshotStats> {
        if dest.exists() {
            return Err(Error::invalid(format!("snapshot target {} already exists", dest.display())));
        }
        let source = open_connection(self.path())?;
        // One read transaction for the whole copy: WAL readers never block
        // the writer, and the backup sees one unchanging snapshot.
        source.execute_batch("BEGIN DEFERRED")?;
        source.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))?;
        let mut target = Connection::open(dest)?;
        // A scratch file we delete on failure: no journal, no fsync needed.
        target.pragma_update(None, "journal_mode", "OFF")?;
        target.pragma_update(None, "synchronous", "OFF")?;
        let mut stats = SnapshotStats { pages: 0, page_size: 0, busy_retries: 0 };
        {
            let backup = Backup::new(&source, &mut target)?;
            loop {
                match backup.step(PAGES_PER_STEP)? {
                    StepResult::Done => break,
                    StepResult::More => {}
                    // Only our own target could be locked; retry briefly.
                    _ => {
                        stats.busy_retries += 1;
                        if stats.busy_retries > 1000 {
                            return Err(Error::new(
                                ErrorKind::Busy,
                                "the database stayed locked during the snapshot",
                            ));
                        }
                        std::thread::sleep(std::time::Duration::from_millis(5));
                    }
                }
                let p = backup.progress();
                let total = u64::try_from(p.pagecount).unwrap_or(0);
                progress(total.saturating_sub(u64::try_from(p.remaining).unwrap_or(0)), total);
                stats.pages = total;
            }
        }
        source.execute_batch("COMMIT")?;
        // One self-contained file: the source's WAL flag is copied with page
        // 1, so switch the copy to a rollback journal.
        target.pragma_update(None, "journal_mode", "DELETE")?;
        let pragma = |name: &str| -> Result<u64> {
            let v: i64 = target.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))?;
            Ok(u64::try_from(v).unwrap_or(0))
        };
        stats.page_size = pragma("page_size")?;
        stats.pages = pragma("page_count")?;
        Ok(stats)
    }

    /// Row counts of [`COUNTED_TABLES`] in the live store.
    pub fn counts(&self) -> Result<BTreeMap<String, u64>> {
        self.read(counts)
    }

    /// Record one finished backup attempt (kept: the newest 200).
    pub fn record_backup_run(&self, run: &BackupRunRow) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO backup_runs (id, started_at, finished_at, ok, target, archive, bytes, message)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    run.id,
                    run.started_at,
                    run.finished_at,
                    run.ok,
                    run.target,
                    run.archive,
                    run.bytes.map(|b| i64::try_from(b).unwrap_or(i64::MAX)),
                    run.message
                ],
            )?;
            tx.execute(
                "DELETE FROM backup_runs WHERE id NOT IN
                 (SELECT id FROM backup_runs ORDER BY finished_at DESC, id DESC LIMIT 200)",
                [],
            )?;
            Ok(())
        })
    }

    /// The newest successful and the newest failed backup attempt.
    pub fn last_backup_runs(&self) -> Result<(Option<BackupRunRow>, Option<BackupRunRow>)> {
        self.read(|c| {
            let pick = |ok: bool| -> Result<Option<BackupRunRow>> {
                Ok(c.query_row(
                    "SELECT id, started_at, finished_at, ok, target, archive, bytes, message
                     FROM backup_runs WHERE ok = ?1 ORDER BY finished_at DESC, id DESC LIMIT 1",
                    [ok],
                    |r| {
                        Ok(BackupRunRow {
                            id: r.get(0)?,
                            started_at: r.get(1)?,
                            finished_at: r.get(2)?,
                            ok: r.get(3)?,
                            target: r.get(4)?,
                            archive: r.get(5)?,
                            bytes: r.get::<_, Option<i64>>(6)?.map(|b| u64::try_from(b).unwrap_or(0)),
                            message: r.get(7)?,
                        })
                    },
                )
                .optional()?)
            };
            Ok((pick(true)?, pick(false)?))
        })
    }
}

/// One row of `backup_runs`: times are Unix seconds (UTC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupRunRow {
    pub id: String,
    pub started_at: i64,
    pub finished_at: i64,
    pub ok: bool,
    pub target: String,
    pub archive: Option<String>,
    pub bytes: Option<u64>,
    pub message: String,
}

/// Open `path` read-only and immutable and report what is in it. Nothing is
/// written next to it (no -wal, no -shm), so this is safe on files just
/// extracted from an untrusted archive.
pub fn inspect_file(path: &Path, check: Check) -> Result<DatabaseReport> {
    let conn = open_immutable(path)?;
    // A file that is not SQLite fails here, with SQLite's own reason.
    let schema_version = migrations::version(&conn)?;
    let pragma = match check {
        Check::Quick => "PRAGMA quick_check",
        Check::Full => "PRAGMA integrity_check",
    };
    let mut stmt = conn.prepare(pragma)?;
    let mut integrity_problems: Vec<String> =
        stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<_>>()?;
    if integrity_problems.len() == 1 && integrity_problems[0] == "ok" {
        integrity_problems.clear();
    }
    let foreign_key_violations =
        conn.prepare("PRAGMA foreign_key_check")?.query_map([], |_| Ok(()))?.count() as u64;
    let app = if table_exists(&conn, "meta")? {
        conn.query_row("SELECT value FROM meta WHERE key = 'app'", [], |r| r.get(0)).optional()?
    } else {
        None
    };
    Ok(DatabaseReport {
        schema_version,
        app,
        integrity_problems,
        foreign_key_violations,
        counts: counts(&conn)?,
    })
}

fn open_immutable(path: &Path) -> Result<Connection> {
    let uri = format!("file:{}?immutable=1", uri_path(path));
    let flags =
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    Connection::open_with_flags(uri, flags).map_err(|e| {
        Error::new(ErrorKind::Store, format!("opening {} read-only: {e}", path.display())).with_source(e)
    })
}

/// Percent-encode the characters that mean something in a SQLite URI.
fn uri_path(path: &Path) -> String {
    let mut out = String::new();
    for c in path.to_string_lossy().chars() {
        match c {
            '%' | '?' | '#' => out.push_str(&format!("%{:02X}", c as u32)),
            _ => out.push(c),
        }
    }
    out
}

fn table_exists(conn: &Connection, name: &str) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", [name], |_| Ok(()))
        .optional()?
        .is_some())
}

fn counts(conn: &Connection) -> Result<BTreeMap<String, u64>> {
    let mut out = BTreeMap::new();
    for table in COUNTED_TABLES {
        let n = if table_exists(conn, table)? {
            // Names come from the constant list above, never from input.
            conn.query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| r.get::<_, i64>(0))?
        } else {
            0
        };
        out.insert((*table).to_owned(), u64::try_from(n).unwrap_or(0));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_paths_escape_what_sqlite_would_parse() {
        assert_eq!(uri_path(Path::new("/tmp/a?b#c%d/x.db")), "/tmp/a%3Fb%23c%25d/x.db");
    }

    #[test]
    fn inspect_counts_rows_and_reports_identity() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("g.db")).unwrap();
        store
            .write(|tx| {
                tx.execute_batch(
                    "INSERT INTO documents (id, path, title, format, size_bytes, mtime_ns, status, created_at, updated_at)
                     VALUES ('d1', '/a.md', 'a', 'md', 1, 0, 'ready', 0, 0);",
                )?;
                Ok(())
            })
            .unwrap();
        let snap = dir.path().join("copy.db");
        let stats = store.snapshot_to(&snap, |_, _| {}).unwrap();
        assert!(stats.pages > 0);
        let report = inspect_file(&snap, Check::Full).unwrap();
        assert_eq!(report.app.as_deref(), Some("gogga"));
        assert_eq!(report.schema_version, crate::store::SCHEMA_VERSION);
        assert_eq!(report.counts["documents"], 1);
        assert_eq!(report.counts["messages"], 0);
        assert!(report.is_sound(), "{report:?}");
        // The copy is one self-contained file and inspecting it wrote nothing.
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert!(!names.iter().any(|n| n.to_string_lossy().starts_with("copy.db-")), "{names:?}");
        assert!(store.snapshot_to(&snap, |_, _| {}).is_err(), "never overwrites");
    }

    #[test]
    fn a_file_that_is_not_sqlite_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("junk.db");
        std::fs::write(&p, vec![7u8; 8192]).unwrap();
        assert!(inspect_file(&p, Check::Quick).is_err());
    }
}
