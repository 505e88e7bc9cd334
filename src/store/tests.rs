//! Store tests on real SQLite files in temporary folders.

use super::*;

#[test]
fn open_creates_migrates_and_reopens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub").join("gogga.db");
    let store = Store::open(&path).unwrap();
    let info = store.info().unwrap();
    assert_eq!(info.schema_version, SCHEMA_VERSION);
    assert!(info.size_bytes > 0);
    let app: String =
        store.read(|c| Ok(c.query_row("SELECT value FROM meta WHERE key='app'", [], |r| r.get(0))?)).unwrap();
    assert_eq!(app, "gogga");
    drop(store);
    assert_eq!(Store::open(&path).unwrap().info().unwrap().schema_version, SCHEMA_VERSION);
}

#[test]
fn every_connection_has_wal_and_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("g.db")).unwrap();
    let (mode, fk): (String, i64) = store
        .read(|c| {
            let mode = c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
            let fk = c.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
            Ok((mode, fk))
        })
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(fk, 1);
}

#[test]
fn a_failed_write_rolls_back() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("g.db")).unwrap();
    let res: Result<()> = store.write(|tx| {
        tx.execute("INSERT INTO meta (key, value) VALUES ('k', 'v')", [])?;
        Err(Error::invalid("changed my mind"))
    });
    assert!(res.is_err());
    let n: i64 = store
        .read(|c| Ok(c.query_row("SELECT count(*) FROM meta WHERE key='k'", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(n, 0);
}

#[test]
fn an_old_schema_file_is_upgraded_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let mut conn = open_connection(&path).unwrap();
        migrations::migrate_to(&mut conn, 1).unwrap();
        conn.execute("INSERT INTO meta (key, value) VALUES ('kept', 'yes')", []).unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.info().unwrap().schema_version, SCHEMA_VERSION);
    let kept: String = store
        .read(|c| Ok(c.query_row("SELECT value FROM meta WHERE key='kept'", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(kept, "yes");
}

#[test]
fn a_newer_database_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 7).unwrap();
    }
    let err = Store::open(&path).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Store);
    assert!(err.to_string().contains("newer"), "{err}");
    assert_eq!(Store::inspect(&path).unwrap().schema_version, SCHEMA_VERSION + 7);
}

#[test]
fn readers_see_committed_writes_while_the_writer_is_busy() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("g.db")).unwrap();
    store.write(|tx| Ok(tx.execute("INSERT INTO meta (key, value) VALUES ('a', '1')", [])?)).unwrap();
    let guard = lock(&store.inner.writer); // a long write elsewhere
    let n: i64 = store.read(|c| Ok(c.query_row("SELECT count(*) FROM meta", [], |r| r.get(0))?)).unwrap();
    drop(guard);
    assert!(n >= 3);
}
