//! Store tests on real SQLite files in temporary folders.

use super::*;
use crate::store::{DocStatus, DocumentMeta, IngestWrite, JobState, NewChunk, NewJob};

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
        // A version-1 file has no library tables.
        assert!(conn.prepare("SELECT 1 FROM documents").is_err());
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.info().unwrap().schema_version, SCHEMA_VERSION);
    let kept: String = store
        .read(|c| Ok(c.query_row("SELECT value FROM meta WHERE key='kept'", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(kept, "yes");
    // ... and after the upgrade through 0002 the library works on it.
    let applied = store.apply_ingest(&[replace("/d/a.txt", &["one", "two"])], &[], true).unwrap();
    assert_eq!(applied[0].added_chunks.len(), 2);
    assert_eq!(store.library_counts().unwrap().chunks, 2);
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

// ---- the library's tables -------------------------------------------------

fn meta(path: &str) -> DocumentMeta {
    DocumentMeta {
        path: path.into(),
        conversation_id: None,
        title: path.rsplit('/').next().unwrap_or(path).into(),
        format: "txt".into(),
        size_bytes: 10,
        mtime_ns: 1,
    }
}

fn chunk(i: i64, text: &str) -> NewChunk {
    NewChunk {
        ordinal: i,
        page: None,
        heading: String::new(),
        char_start: 0,
        char_end: text.len() as i64,
        text: text.into(),
        hash: text.as_bytes().to_vec(),
    }
}

fn replace(path: &str, texts: &[&str]) -> IngestWrite {
    IngestWrite::Replace {
        meta: meta(path),
        content_hash: texts.concat().into_bytes(),
        chunks: texts.iter().enumerate().map(|(i, t)| chunk(i as i64, t)).collect(),
    }
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("g.db")).unwrap();
    (dir, store)
}

#[test]
fn replace_touch_fail_remove_in_one_batch() {
    let (_d, s) = store();
    let a = s.apply_ingest(&[replace("/d/a.txt", &["alpha", "beta"])], &[], true).unwrap();
    let doc = a[0].document_id.clone().unwrap();
    assert_eq!(s.document_by_path("/d/a.txt", None).unwrap().unwrap().chunk_count, 2);
    // A new version replaces the chunks (ids never reused) and keeps the id.
    let b = s.apply_ingest(&[replace("/d/a.txt", &["alpha", "gamma", "delta"])], &[], true).unwrap();
    assert_eq!(b[0].document_id.as_deref(), Some(doc.as_str()));
    assert_eq!(b[0].removed_chunks, a[0].added_chunks);
    assert!(b[0].added_chunks.iter().all(|id| *id > a[0].added_chunks[1]));
    // A failure records the reason and keeps the last good chunks.
    s.apply_ingest(
        &[IngestWrite::Fail { meta: meta("/d/a.txt"), code: "corrupt".into(), message: "bad".into() }],
        &[],
        true,
    )
    .unwrap();
    let row = s.document(&doc).unwrap().unwrap();
    assert_eq!(
        (row.status, row.error_code.as_deref(), row.chunk_count),
        (DocStatus::Failed, Some("corrupt"), 3)
    );
    s.apply_ingest(
        &[IngestWrite::Touch { document_id: doc.clone(), size_bytes: 99, mtime_ns: 5 }],
        &[],
        true,
    )
    .unwrap();
    let row = s.document(&doc).unwrap().unwrap();
    assert_eq!((row.status, row.size_bytes, row.error), (DocStatus::Ready, 99, None));
    // Removing cascades to the chunks; deleting the newest chunk ids and
    // inserting again never hands out an old id (AUTOINCREMENT).
    let max_before = *b[0].added_chunks.last().unwrap();
    s.apply_ingest(&[IngestWrite::Remove { document_id: doc }], &[], true).unwrap();
    assert_eq!(s.all_chunk_ids().unwrap(), Vec::<i64>::new());
    let c = s.apply_ingest(&[replace("/d/b.txt", &["x"])], &[], true).unwrap();
    assert!(c[0].added_chunks[0] > max_before);
    // Each replaced document queued one embedding job (not one per version).
    let embed = s.queue_depth().unwrap().into_iter().find(|(k, _)| k == "embed").unwrap().1;
    assert_eq!(embed, 2);
}

#[test]
fn the_same_path_in_the_library_and_a_conversation_are_two_documents() {
    let (_d, s) = store();
    let mut attached = meta("/d/a.txt");
    attached.conversation_id = Some("conv-1".into());
    let writes = [
        replace("/d/a.txt", &["one"]),
        IngestWrite::Replace { meta: attached, content_hash: vec![1], chunks: vec![chunk(0, "one")] },
    ];
    let a = s.apply_ingest(&writes, &[], false).unwrap();
    assert_ne!(a[0].document_id, a[1].document_id);
    assert_eq!(s.documents(Some(None)).unwrap().len(), 1);
    assert_eq!(s.documents(Some(Some("conv-1"))).unwrap().len(), 1);
    assert!(s.document_by_path("/d/a.txt", Some("conv-1")).unwrap().is_some());
    let hits = s.hit_rows(&[a[1].added_chunks[0], a[0].added_chunks[0], 999]).unwrap();
    assert_eq!(hits.len(), 2, "unknown ids are left out");
    assert_eq!(hits[0].conversation_id.as_deref(), Some("conv-1"), "order of the ids asked");
}

#[test]
fn documents_under_is_a_prefix_range() {
    let (_d, s) = store();
    s.apply_ingest(
        &[replace("/w/a.txt", &["1"]), replace("/w/sub/b.txt", &["2"]), replace("/wx/c.txt", &["3"])],
        &[],
        false,
    )
    .unwrap();
    let paths: Vec<String> = s.documents_under("/w/").unwrap().into_iter().map(|d| d.path).collect();
    assert_eq!(paths, vec!["/w/a.txt", "/w/sub/b.txt"]);
}

#[test]
fn vectors_are_stored_once_per_model_and_text() {
    let (_d, s) = store();
    let a = s.apply_ingest(&[replace("/d/a.txt", &["same", "same", "other"])], &[], true).unwrap();
    let doc = a[0].document_id.clone().unwrap();
    let pending = s.pending_chunks(std::slice::from_ref(&doc), "m1", 0, 10).unwrap();
    assert_eq!(pending.len(), 3);
    assert_eq!(s.count_pending_chunks(std::slice::from_ref(&doc), "m1").unwrap(), 3);
    assert_eq!(s.put_vectors("m1", &[(b"same".to_vec(), vec![1.0, 0.0])]).unwrap(), 1);
    // Both chunks with that text now have it; one chunk is left.
    assert_eq!(s.count_missing_vectors("m1").unwrap(), 1);
    assert_eq!(s.chunk_vectors("m1", &a[0].added_chunks).unwrap().len(), 2);
    // Storing it again is refused and counted as redone work.
    assert_eq!(s.put_vectors("m1", &[(b"same".to_vec(), vec![1.0, 0.0])]).unwrap(), 0);
    assert_eq!(s.meta("library.vectors_redone").unwrap().as_deref(), Some("1"));
    // Another model has its own vectors; pruning keeps only the chosen.
    s.put_vectors("m2", &[(b"other".to_vec(), vec![0.0, 1.0])]).unwrap();
    assert_eq!(s.vector_counts().unwrap(), vec![("m1".to_owned(), 1), ("m2".to_owned(), 1)]);
    assert_eq!(s.documents_missing_vectors("m2").unwrap(), vec![doc.clone()]);
    assert_eq!(s.prune_vectors(&["m2"]).unwrap(), 1);
    assert_eq!(s.vector_counts().unwrap(), vec![("m2".to_owned(), 1)]);
    // A cursor walks a big backlog in pages.
    let page = s.pending_chunks(&[doc], "m2", 0, 1).unwrap();
    assert_eq!(page.len(), 1);
}

#[test]
fn vectors_since_picks_up_new_vectors_and_new_chunks_with_known_text() {
    let (_d, s) = store();
    s.apply_ingest(&[replace("/d/a.txt", &["one"])], &[], true).unwrap();
    let marks = s.vector_marks().unwrap();
    s.put_vectors("m", &[(b"one".to_vec(), vec![1.0])]).unwrap();
    let (rows, v, c) = s.vectors_since("m", marks.0, marks.1).unwrap();
    assert_eq!(rows.len(), 1);
    // A new document whose text already has a vector: found by chunk id.
    s.apply_ingest(&[replace("/d/b.txt", &["one"])], &[], true).unwrap();
    let (rows, _, _) = s.vectors_since("m", v, c).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].vector, vec![1.0]);
}

#[test]
fn vector_blobs_are_little_endian_f32() {
    let v = vec![1.0f32, -2.5, 0.125];
    let bytes = encode_vector(&v);
    assert_eq!(&bytes[..4], &1.0f32.to_le_bytes());
    assert_eq!(decode_vector(&bytes, 3), Some(v));
    assert_eq!(decode_vector(&bytes, 4), None);
}

fn job(kind: &str, payload: &str, batch: Option<&str>) -> NewJob {
    NewJob { kind: kind.into(), payload: payload.into(), batch: batch.map(str::to_owned) }
}

#[test]
fn jobs_lease_finish_fail_retry_and_recover_after_a_crash() {
    let (_d, s) = store();
    let ids = s
        .enqueue(&[job("ingest", "a", Some("b1")), job("ingest", "b", Some("b1")), job("embed", "c", None)])
        .unwrap();
    assert!(!s.enqueue_unique(&job("embed", "c", None)).unwrap(), "already queued");
    let leased = s.lease_jobs("ingest", "w1", 60_000, 10).unwrap();
    assert_eq!(leased.iter().map(|j| j.id).collect::<Vec<_>>(), ids[..2].to_vec());
    assert!(leased.iter().all(|j| j.attempts == 1 && j.state == JobState::Running));
    assert!(
        s.lease_jobs("ingest", "w2", 60_000, 10).unwrap().is_empty(),
        "leased jobs are not handed out twice"
    );
    s.finish_jobs(&[(ids[0], "added:3".into())]).unwrap();
    // A retry later: back in the queue, not due yet.
    s.fail_job(ids[1], "changed", "changed while read", Some(now_ms() + 60_000)).unwrap();
    assert!(s.lease_jobs("ingest", "w1", 60_000, 10).unwrap().is_empty());
    s.fail_job(ids[1], "changed", "changed while read", Some(0)).unwrap();
    // The worker dies holding it: a new leader takes it back at once.
    assert_eq!(s.lease_jobs("ingest", "w1", 60_000, 10).unwrap().len(), 1);
    assert_eq!(s.recover_jobs("w2", 3).unwrap(), (1, 0));
    let again = s.lease_jobs("ingest", "w2", 60_000, 10).unwrap();
    assert_eq!(again[0].attempts, 3);
    // A job whose every attempt killed its worker is given up on.
    assert_eq!(s.recover_jobs("w3", 3).unwrap(), (0, 1));
    let batch = s.batch_jobs("b1").unwrap();
    assert_eq!(s.batch_unfinished("b1").unwrap(), 0);
    assert_eq!(batch[0].outcome.as_deref(), Some("added:3"));
    assert_eq!((batch[1].state, batch[1].error_code.as_deref()), (JobState::Failed, Some("gave_up")));
    assert!(batch.iter().all(|j| j.state.is_finished()));
    assert_eq!(s.queue_depth().unwrap(), vec![("embed".to_owned(), 1)]);
    // Cancelling touches only queued jobs; pruning only finished ones.
    s.enqueue(&[job("ingest", "z", Some("b2"))]).unwrap();
    assert_eq!(s.batch_unfinished("b2").unwrap(), 1);
    assert_eq!(s.cancel_batch("b2").unwrap(), 1);
    assert_eq!(s.batch_unfinished("b2").unwrap(), 0);
    assert_eq!(s.prune_jobs(now_ms() + 1).unwrap(), 3);
}

#[test]
fn an_expired_lease_is_requeued_even_for_the_same_worker() {
    let (_d, s) = store();
    s.enqueue(&[job("ingest", "a", None)]).unwrap();
    s.lease_jobs("ingest", "w1", -1, 1).unwrap(); // already expired
    assert_eq!(s.recover_jobs("w1", 3).unwrap(), (1, 0));
}

#[test]
fn folders_meta_and_counts() {
    let (_d, s) = store();
    let f = s.add_folder("/w").unwrap();
    assert_eq!(s.add_folder("/w").unwrap().id, f.id, "idempotent");
    s.folder_scanned("/w").unwrap();
    assert!(s.folders().unwrap()[0].last_scan_at.is_some());
    s.set_meta("k", "1").unwrap();
    s.set_meta("k", "2").unwrap();
    assert_eq!(s.meta("k").unwrap().as_deref(), Some("2"));
    s.apply_ingest(&[replace("/w/a.txt", &["a"])], &[], false).unwrap();
    let counts = s.library_counts().unwrap();
    assert_eq!((counts.documents, counts.chunks, counts.folders), (1, 1, 1));
    assert!(s.remove_folder("/w").unwrap());
    assert!(!s.remove_folder("/w").unwrap());
}

#[test]
fn data_version_moves_when_another_connection_commits() {
    let (_d, s) = store();
    let before = s.data_version().unwrap();
    assert_eq!(s.data_version().unwrap(), before);
    s.set_meta("x", "y").unwrap();
    assert_ne!(s.data_version().unwrap(), before);
}

/// The hot queries use their indexes (no full table scans).
#[test]
fn hot_queries_use_indexes() {
    let (_d, s) = store();
    let plan = |sql: &str| -> String {
        s.read(|c| {
            let mut stmt = c.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
            let rows =
                stmt.query_map([], |r| r.get::<_, String>(3))?.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows.join(" | "))
        })
        .unwrap()
    };
    let cases: &[(&str, &str, &str)] = &[
        // (what, query, index that must appear)
        (
            "document by path",
            "SELECT id FROM documents WHERE path = 'x' AND ifnull(conversation_id, '') = ifnull(NULL, '')",
            "documents_path_scope",
        ),
        (
            "folder documents",
            "SELECT id FROM documents WHERE path >= '/a/' AND path < '/a0'",
            "documents_path_scope",
        ),
        (
            "chunks of a document",
            "SELECT id FROM chunks WHERE document_id = 'd' ORDER BY ordinal",
            "chunks_document",
        ),
        ("chunk by id", "SELECT text FROM chunks WHERE id IN (1, 2, 3)", "INTEGER PRIMARY KEY"),
        (
            "vector of a text",
            "SELECT 1 FROM embeddings WHERE model = 'm' AND hash = x'00'",
            "embeddings_model_hash",
        ),
        ("chunks with a text", "SELECT id FROM chunks WHERE hash = x'00'", "chunks_hash"),
        (
            "next jobs",
            "SELECT id FROM jobs WHERE state = 'queued' AND kind = 'ingest' AND not_before <= 5 ORDER BY id LIMIT 9",
            "jobs_queued",
        ),
        (
            "duplicate job",
            "SELECT 1 FROM jobs WHERE kind = 'embed' AND payload = 'p' AND state = 'queued'",
            "jobs_queued_payload",
        ),
        ("batch progress", "SELECT id FROM jobs WHERE batch = 'b' ORDER BY id", "jobs_batch"),
        ("expired leases", "SELECT id FROM jobs WHERE state = 'running' AND lease_until < 5", "jobs_running"),
    ];
    for (what, sql, index) in cases {
        let p = plan(sql);
        assert!(p.contains(index), "{what}: expected {index} in plan: {p}");
    }
}
