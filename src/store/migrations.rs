//! Append-only schema migrations. Migration N (1-based) is the N-th file in
//! `migrations/`; `PRAGMA user_version` records how many have run. Each runs
//! in its own transaction together with the version bump, so a crash leaves
//! the database at a whole version. A database newer than this binary is
//! refused rather than guessed at.

use rusqlite::Connection;

use crate::error::{Error, ErrorKind, Result};

/// Every migration, in order. Never edit or reorder a shipped entry; add one.
pub(crate) const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init", include_str!("../../migrations/0001_init.sql")),
    ("0002_library", include_str!("../../migrations/0002_library.sql")),
    ("0003_backups", include_str!("../../migrations/0003_backups.sql")),
    ("0004_conversations", include_str!("../../migrations/0004_conversations.sql")),
];

/// The schema version this binary writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// The schema version recorded in `conn`.
pub(crate) fn version(conn: &Connection) -> Result<u32> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get::<_, u32>(0))?)
}

/// Bring `conn` up to [`SCHEMA_VERSION`].
pub(crate) fn migrate(conn: &mut Connection) -> Result<u32> {
    migrate_to(conn, SCHEMA_VERSION)
}

/// Bring `conn` up to `target` (tests build old-schema files with this).
pub(crate) fn migrate_to(conn: &mut Connection, target: u32) -> Result<u32> {
    let current = version(conn)?;
    if current > SCHEMA_VERSION {
        return Err(Error::new(
            ErrorKind::Store,
            format!(
                "this database has schema version {current}, newer than this Gogga understands ({SCHEMA_VERSION}); \
                 update Gogga, or restore a backup made with this version"
            ),
        ));
    }
    for (index, (name, sql)) in MIGRATIONS.iter().enumerate().take(target as usize).skip(current as usize) {
        let next = index as u32 + 1;
        let tx = conn.transaction()?;
        tx.execute_batch(sql).map_err(|e| {
            Error::new(ErrorKind::Store, format!("migration {name} failed: {e}")).with_source(e)
        })?;
        tx.pragma_update(None, "user_version", next)?;
        tx.commit()?;
        tracing::info!(migration = name, version = next, "applied migration");
    }
    version(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migration_files_are_numbered_in_order_and_explain_why() {
        for (i, (name, sql)) in MIGRATIONS.iter().enumerate() {
            assert!(name.starts_with(&format!("{:04}_", i + 1)), "{name} is out of order");
            assert!(sql.trim_start().starts_with("-- Why:"), "{name} must open with a -- Why: comment");
        }
    }

    #[test]
    fn migrate_is_idempotent_and_refuses_newer() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), SCHEMA_VERSION);
        assert_eq!(migrate(&mut conn).unwrap(), SCHEMA_VERSION);
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
        let err = migrate(&mut conn).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Store);
        assert!(err.to_string().contains("newer"), "{err}");
    }
}
