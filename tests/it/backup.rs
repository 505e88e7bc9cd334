//! Backups end to end on real SQLite files and real folders: backup while
//! another connection writes, restore round trip, damaged and hostile
//! archives refused with the data folder byte-for-byte unchanged, restore
//! refused while a core is open, `kill -9` in the middle of a backup (a
//! real child process), and the schedule's run on start when overdue.
//!
//! Rows go into the library's real tables (migration 0002). Conversations
//! and messages use the chat migration's columns; `IF NOT EXISTS` creates a
//! compatible subset when that migration is absent.

#![expect(clippy::unwrap_used, reason = "test helpers stop the test on any failure")]

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use gogga::backup::manifest::trailer;
use gogga::{ErrorKind, Gogga, OpenOptions};
use rusqlite::Connection;
use sha2::{Digest, Sha256};

const LIVE_TABLES: &str = "
    CREATE TABLE IF NOT EXISTS conversations (
        id TEXT PRIMARY KEY NOT NULL, title TEXT NOT NULL,
        created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS messages (
        id TEXT PRIMARY KEY NOT NULL,
        conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        role TEXT NOT NULL, content TEXT NOT NULL,
        created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, change_seq INTEGER NOT NULL);";

fn connect(db: &Path) -> Connection {
    let c = Connection::open(db).unwrap();
    c.busy_timeout(Duration::from_secs(10)).unwrap();
    c.pragma_update(None, "foreign_keys", "ON").unwrap();
    c.execute_batch(LIVE_TABLES).unwrap();
    c
}

/// One document with 4 chunks and their vectors, one conversation with two
/// messages: all in one transaction, as the library and chat would write.
fn insert_batch(c: &mut Connection, n: u64, vector_bytes: usize) {
    let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).unwrap();
    let doc = format!("doc-{n}");
    tx.execute(
        "INSERT INTO documents (id, path, title, format, size_bytes, mtime_ns, status, created_at, updated_at)
         VALUES (?1, ?2, ?1, 'md', 100, 0, 'ready', 0, 0)",
        rusqlite::params![doc, format!("/docs/{n}.md")],
    )
    .unwrap();
    for ord in 0..4_i64 {
        let text = format!("Passage {ord} of document {n}: the quick brown fox. ").repeat(8);
        let hash = format!("{n}:{ord}").into_bytes();
        tx.execute(
            "INSERT INTO chunks (document_id, ordinal, char_start, char_end, text, hash)
             VALUES (?1, ?2, 0, ?3, ?4, ?5)",
            rusqlite::params![doc, ord, text.len() as i64, text, hash],
        )
        .unwrap();
        let mut vector = vec![0u8; vector_bytes];
        rand::fill(&mut vector[..]);
        tx.execute(
            "INSERT INTO embeddings (model, hash, dim, vector) VALUES ('minilm', ?1, ?2, ?3)",
            rusqlite::params![hash, (vector_bytes / 4) as i64, vector],
        )
        .unwrap();
    }
    let conv = format!("conv-{n}");
    tx.execute(
        "INSERT INTO conversations (id, title, created_at, updated_at) VALUES (?1, ?2, 0, 0)",
        rusqlite::params![conv, format!("chat {n}")],
    )
    .unwrap();
    for (i, role) in ["user", "assistant"].into_iter().enumerate() {
        tx.execute(
            "INSERT INTO messages (id, conversation_id, role, content, created_at, updated_at, change_seq)
             VALUES (?1, ?2, ?3, ?4, 0, 0, ?5)",
            rusqlite::params![
                format!("msg-{n}-{i}"),
                conv,
                role,
                format!("{role} says hello in chat {n}"),
                (n * 2) as i64 + i as i64
            ],
        )
        .unwrap();
    }
    tx.commit().unwrap();
}

/// Every row of every table but `meta` and `jobs`, in order: equal dumps
/// mean identical data. Those two are the running core's bookkeeping (the
/// library thread writes them at start, racing the test's reads).
fn dump(db: &Path) -> String {
    let c = Connection::open(db).unwrap();
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type='table' AND name NOT IN ('meta', 'jobs') ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut out = String::new();
    for t in tables {
        // Sorted in Rust: some tables are WITHOUT ROWID.
        let mut stmt = c.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let cols = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                Ok((0..cols).map(|i| format!("{:?}", r.get_ref(i).unwrap())).collect::<Vec<_>>().join("|"))
            })
            .unwrap();
        let mut rows: Vec<String> = rows.map(Result::unwrap).collect();
        rows.sort();
        for row in rows {
            out.push_str(&format!("{t}: {row}\n"));
        }
    }
    out
}

/// Equal dumps, or a failure naming the first rows that differ (short).
fn assert_same_rows(before: &str, after: &str) {
    let short = |l: &str| l.chars().take(160).collect::<String>();
    let lost: Vec<String> = before.lines().filter(|l| !after.contains(*l)).take(3).map(short).collect();
    let new: Vec<String> = after.lines().filter(|l| !before.contains(*l)).take(3).map(short).collect();
    assert!(before == after, "rows differ after the round trip: lost {lost:#?}, new {new:#?}");
}

/// A hash of every file (name and bytes) under `dir`.
fn folder_hash(dir: &Path) -> String {
    fn walk(dir: &Path, base: &Path, h: &mut Sha256) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for p in entries {
            h.update(p.strip_prefix(base).unwrap().to_string_lossy().as_bytes());
            if p.is_dir() {
                walk(&p, base, h);
            } else {
                h.update(std::fs::read(&p).unwrap());
            }
        }
    }
    let mut h = Sha256::new();
    walk(dir, dir, &mut h);
    hex::encode(h.finalize())
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_another_connection_writes_restores_consistent() {
    let root = tempfile::tempdir().unwrap();
    let nas = root.path().join("nas");
    std::fs::create_dir(&nas).unwrap();
    let gogga = Gogga::open(OpenOptions::under(root.path())).await.unwrap();
    let db = gogga.paths().database();
    let mut c = connect(&db);
    for n in 0..600 {
        insert_batch(&mut c, n, 8192); // ~20 MB, so the backup takes a while
    }
    let stop = Arc::new(AtomicBool::new(false));
    let commits = Arc::new(AtomicU64::new(0));
    let writer = {
        let (stop, commits) = (stop.clone(), commits.clone());
        gogga::spawn::thread("test-writer", move || {
            let mut n = 1_000_000;
            while !stop.load(Ordering::SeqCst) {
                insert_batch(&mut c, n, 1536);
                commits.fetch_add(1, Ordering::SeqCst);
                n += 1;
            }
        })
        .unwrap()
    };
    while commits.load(Ordering::SeqCst) < 3 {
        tokio::time::sleep(Duration::from_millis(2)).await; // let the writer get going
    }
    let before = commits.load(Ordering::SeqCst);
    let report = gogga.backup_now(Some(nas.clone())).await.unwrap();
    let during = commits.load(Ordering::SeqCst) - before;
    stop.store(true, Ordering::SeqCst);
    writer.join().unwrap();
    assert!(during > 0, "the writer committed while the backup ran");

    let counts = &report.manifest.counts;
    assert!(counts["documents"] >= 600 + before, "{counts:?}");
    assert_eq!(counts["chunks"], 4 * counts["documents"], "whole transactions only: {counts:?}");
    assert_eq!(counts["embeddings"], counts["chunks"]);
    assert_eq!(counts["messages"], 2 * counts["conversations"]);

    let restored = root.path().join("restored");
    let r = Gogga::restore_backup(
        OpenOptions::under(root.path()),
        nas.join(&report.archive),
        Some(restored.clone()),
        false,
    )
    .await
    .unwrap();
    assert!(r.index_rebuild && r.previous.is_none());
    let c = Connection::open(restored.join("gogga.db")).unwrap();
    let q = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(q("SELECT count(*) FROM chunks WHERE document_id NOT IN (SELECT id FROM documents)"), 0);
    assert_eq!(
        q(
            "SELECT count(*) FROM documents d WHERE (SELECT count(*) FROM chunks WHERE document_id = d.id) != 4"
        ),
        0
    );
    assert_eq!(
        q("SELECT count(*) FROM messages WHERE conversation_id NOT IN (SELECT id FROM conversations)"),
        0
    );
    assert_eq!(c.prepare("PRAGMA foreign_key_check").unwrap().query_map([], |_| Ok(())).unwrap().count(), 0);
    for (table, want) in counts {
        assert_eq!(q(&format!("SELECT count(*) FROM {table}")) as u64, *want, "{table}");
    }
}

#[tokio::test]
async fn restore_round_trip_gives_identical_rows() {
    let root = tempfile::tempdir().unwrap();
    let nas = root.path().join("nas");
    std::fs::create_dir(&nas).unwrap();
    let options = || OpenOptions::under(root.path());
    let gogga = Gogga::open(options()).await.unwrap();
    let db = gogga.paths().database();
    let data_dir = gogga.paths().data_dir.clone();
    let mut c = connect(&db);
    for n in 0..50 {
        insert_batch(&mut c, n, 1536);
    }
    drop(c);
    let before = dump(&db);
    let report = gogga.backup_now(Some(nas.clone())).await.unwrap();
    // Change everything after the backup; the restore must undo it.
    let mut c = connect(&db);
    c.execute_batch("DELETE FROM documents WHERE id % 2 = 0; UPDATE messages SET content = 'edited';")
        .unwrap();
    insert_batch(&mut c, 999, 1536);
    drop(c);
    std::fs::create_dir_all(gogga.paths().index_dir()).unwrap();
    gogga.shutdown().await.unwrap(); // the library thread ends before the folder is compared
    drop(gogga);
    assert_ne!(dump(&db), before);

    let r = Gogga::restore_backup(options(), nas.join(&report.archive), None, true).await.unwrap();
    assert_eq!(r.data_dir, data_dir);
    let previous = r.previous.unwrap();
    assert!(previous.join("gogga.db").exists(), "kept aside on request");
    assert!(!data_dir.join("index").exists(), "the index is left to be rebuilt");
    let after = dump(&data_dir.join("gogga.db"));
    assert_same_rows(&before, &after);
    // And the restored folder opens as a normal store.
    let gogga = Gogga::open(options()).await.unwrap();
    assert_eq!(gogga.status().await.unwrap().store.schema_version, gogga::store::SCHEMA_VERSION);
}

#[tokio::test]
async fn restore_is_refused_while_a_core_has_the_folder_open() {
    let root = tempfile::tempdir().unwrap();
    let nas = root.path().join("nas");
    std::fs::create_dir(&nas).unwrap();
    let gogga = Gogga::open(OpenOptions::under(root.path())).await.unwrap();
    let report = gogga.backup_now(Some(nas.clone())).await.unwrap();
    // The library's threads stop (they would write to the folder on their
    // own); the core stays open and keeps the folder in use.
    gogga.shutdown().await.unwrap();
    let hash = folder_hash(&gogga.paths().data_dir);
    let err = Gogga::restore_backup(OpenOptions::under(root.path()), nas.join(&report.archive), None, false)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Busy);
    assert!(err.to_string().contains("quit it"), "{err}");
    assert_eq!(folder_hash(&gogga.paths().data_dir), hash);
}

// ---- hostile and damaged archives ----

struct Member {
    name: Vec<u8>,
    kind: tar::EntryType,
    link: Option<&'static str>,
    data: Vec<u8>,
}

fn unpack(archive: &[u8]) -> (serde_json::Value, Vec<Member>) {
    let mut plain = Vec::new();
    zstd::Decoder::new(archive).unwrap().read_to_end(&mut plain).unwrap();
    let mut tar = tar::Archive::new(plain.as_slice());
    let mut manifest = None;
    let mut members = Vec::new();
    for e in tar.entries().unwrap() {
        let mut e = e.unwrap();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        let name = e.path_bytes().into_owned();
        if name == b"manifest.json" {
            manifest = Some(serde_json::from_slice(&data).unwrap());
        } else {
            members.push(Member { name, kind: e.header().entry_type(), link: None, data });
        }
    }
    (manifest.unwrap(), members)
}

/// Pack a (tampered) archive with checksums that are all CORRECT, so only
/// the property under test can make it fail.
fn pack(mut manifest: serde_json::Value, members: &[Member]) -> Vec<u8> {
    let listed: Vec<gogga::backup::manifest::Member> = members
        .iter()
        .map(|m| gogga::backup::manifest::Member {
            path: String::from_utf8_lossy(&m.name).into_owned(),
            size: m.data.len() as u64,
            sha256: hex::encode(Sha256::digest(&m.data)),
        })
        .collect();
    manifest["payload_sha256"] = gogga::backup::manifest::payload_digest(&listed).into();
    manifest["members"] = serde_json::to_value(&listed).unwrap();
    let json = serde_json::to_vec(&manifest).unwrap();
    let mut builder = tar::Builder::new(Vec::new());
    let raw = |name: &[u8], kind: tar::EntryType, size: usize, link: Option<&str>| {
        let mut h = tar::Header::new_old();
        h.as_old_mut().name[..name.len()].copy_from_slice(name);
        h.set_size(size as u64);
        h.set_mode(0o600);
        h.set_entry_type(kind);
        if let Some(l) = link {
            h.set_link_name(l).unwrap();
        }
        h.set_cksum();
        h
    };
    builder
        .append(&raw(b"manifest.json", tar::EntryType::Regular, json.len(), None), json.as_slice())
        .unwrap();
    for m in members {
        builder.append(&raw(&m.name, m.kind, m.data.len(), m.link), m.data.as_slice()).unwrap();
    }
    let mut out = zstd::encode_all(builder.into_inner().unwrap().as_slice(), 3).unwrap();
    let digest: [u8; 32] = Sha256::digest(&out).into();
    let len = out.len() as u64;
    out.extend_from_slice(&trailer::encode(&digest, len));
    out
}

#[tokio::test]
async fn damaged_or_hostile_archives_are_refused_and_the_data_is_untouched() {
    let root = tempfile::tempdir().unwrap();
    let nas = root.path().join("nas");
    std::fs::create_dir(&nas).unwrap();
    let gogga = Gogga::open(OpenOptions::under(root.path())).await.unwrap();
    let data_dir = gogga.paths().data_dir.clone();
    let mut c = connect(&gogga.paths().database());
    for n in 0..20 {
        insert_batch(&mut c, n, 1536);
    }
    drop(c);
    let report = gogga.backup_now(Some(nas.clone())).await.unwrap();
    gogga.shutdown().await.unwrap(); // the library thread ends before the folder is compared
    drop(gogga);
    let good = std::fs::read(nas.join(&report.archive)).unwrap();
    let (manifest, members) = unpack(&good);
    assert_eq!(unpack(&pack(manifest.clone(), &members)).1.len(), 1, "sanity: the repacker round-trips");

    let with = |edit: &dyn Fn(&mut serde_json::Value, &mut Vec<Member>)| {
        let (mut m, mut members) = unpack(&good);
        edit(&mut m, &mut members);
        pack(m, &members)
    };
    let mut flipped = good.clone();
    flipped[good.len() / 2] ^= 0x01;
    let schema = gogga::store::SCHEMA_VERSION;
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("truncated", good[..good.len() * 2 / 3].to_vec(), "truncated"),
        ("truncated end marker", good[..good.len() - 20].to_vec(), "archive refused"),
        ("flipped byte", flipped, "archive refused"),
        ("appended junk", [good.as_slice(), b"junk"].concat(), "archive refused"),
        ("path traversal", with(&|_, ms| ms[0].name = b"../../outside.db".to_vec()), "escape"),
        ("absolute path", with(&|_, ms| ms[0].name = b"/tmp/gogga.db".to_vec()), "escape"),
        (
            "symlink member",
            with(&|_, ms| {
                ms.insert(
                    0,
                    Member {
                        name: b"evil".to_vec(),
                        kind: tar::EntryType::Symlink,
                        link: Some("/etc"),
                        data: vec![],
                    },
                )
            }),
            "not a regular file",
        ),
        (
            "hardlink member",
            with(&|_, ms| {
                ms.insert(
                    0,
                    Member {
                        name: b"evil".to_vec(),
                        kind: tar::EntryType::Link,
                        link: Some("gogga.db"),
                        data: vec![],
                    },
                )
            }),
            "not a regular file",
        ),
        (
            "newer schema",
            with(&|m, ms| {
                m["schema_version"] = (schema + 1).into();
                ms[0].data[60..64].copy_from_slice(&(schema + 1).to_be_bytes());
            }),
            "newer",
        ),
        (
            "newer database behind an honest-looking manifest",
            with(&|_, ms| ms[0].data[60..64].copy_from_slice(&(schema + 1).to_be_bytes())),
            "newer",
        ),
        ("another app", with(&|m, _| m["app"] = "notgogga".into()), "not by Gogga"),
        ("counts that lie", with(&|m, _| m["counts"]["documents"] = 999.into()), "differ from the manifest"),
        ("not an archive", b"hello, I am a text file".to_vec(), "archive refused"),
    ];
    let hash = folder_hash(&data_dir);
    let parent = names(root.path());
    for (what, bytes, words) in cases {
        let path = root.path().join("bad.tar.zst");
        std::fs::write(&path, &bytes).unwrap();
        let err = Gogga::verify_backup(path.clone()).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Backup, "{what}: {err}");
        assert!(err.to_string().contains(words), "{what}: expected {words:?} in {err}");
        let err = Gogga::restore_backup(OpenOptions::under(root.path()), path.clone(), None, false)
            .await
            .unwrap_err();
        assert!(err.to_string().contains(words), "{what}: expected {words:?} in {err}");
        assert_eq!(folder_hash(&data_dir), hash, "{what}: the data folder changed");
        std::fs::remove_file(&path).unwrap();
        assert_eq!(names(root.path()), parent, "{what}: nothing left beside the data folder");
        assert!(!root.path().join("outside.db").exists());
    }
    // The untouched good archive still verifies and restores.
    let ok = Gogga::verify_backup(nas.join(&report.archive)).await.unwrap();
    assert_eq!(ok.manifest.counts["documents"], 20);
    Gogga::restore_backup(OpenOptions::under(root.path()), nas.join(&report.archive), None, false)
        .await
        .unwrap();
}

// ---- kill -9 in the middle of a backup ----

const CHILD_ROOT: &str = "GOGGA_BACKUP_TEST_CHILD_ROOT";

#[test]
#[ignore = "helper, not a test: kill_9_during_a_backup runs it as a child process and kills it"]
fn backup_child_process() {
    let root = PathBuf::from(std::env::var(CHILD_ROOT).expect("run by kill_9_during_a_backup"));
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let gogga = Gogga::open(OpenOptions::under(&root)).await.unwrap();
        gogga.backup_now(Some(root.join("nas"))).await.unwrap();
    });
}

#[tokio::test]
async fn kill_9_during_a_backup_leaves_no_archive_and_the_next_backup_succeeds() {
    let root = tempfile::tempdir().unwrap();
    let nas = root.path().join("nas");
    std::fs::create_dir(&nas).unwrap();
    {
        let gogga = Gogga::open(OpenOptions::under(root.path())).await.unwrap();
        let mut c = connect(&gogga.paths().database());
        for n in 0..2500 {
            insert_batch(&mut c, n, 12_000); // ~120 MB of vectors that do not compress
        }
    }
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["backup::backup_child_process", "--exact", "--ignored", "--test-threads=1"])
        .env(CHILD_ROOT, root.path())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let killed_while_writing = loop {
        let partial = names(&nas).into_iter().find(|n| n.ends_with(".partial"));
        if let Some(p) = partial
            && std::fs::metadata(nas.join(&p)).map(|m| m.len()).unwrap_or(0) > 0
        {
            child.kill().unwrap(); // SIGKILL
            break true;
        }
        if child.try_wait().unwrap().is_some() || Instant::now() > deadline {
            break false;
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    child.wait().unwrap();
    assert!(
        killed_while_writing,
        "the child must be killed while it writes (it finished or timed out first)"
    );
    let left = names(&nas);
    assert!(left.iter().all(|n| n.ends_with(".partial")), "no file under a final name: {left:?}");
    assert_eq!(left.len(), 1);

    let gogga = Gogga::open(OpenOptions::under(root.path())).await.unwrap();
    let report = gogga.backup_now(Some(nas.clone())).await.unwrap();
    assert_eq!(names(&nas), vec![report.archive.clone()], "the abandoned partial was cleaned up");
    assert_eq!(report.manifest.counts["documents"], 2500);
    assert!(!gogga.paths().data_dir.join("backup-staging").exists());
    Gogga::verify_backup(nas.join(&report.archive)).await.unwrap();
}

// ---- the schedule ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_overdue_backup_runs_on_start_and_the_next_is_scheduled() {
    let root = tempfile::tempdir().unwrap();
    let nas = root.path().join("nas");
    std::fs::create_dir(&nas).unwrap();
    let mut config = gogga::Config::default();
    config.backup.folder = Some(nas.clone());
    config.backup.every_hours = 6;
    let options = OpenOptions { config: Some(config), ..OpenOptions::under(root.path()) };
    let gogga = Gogga::open(options.with_backup_schedule(true)).await.unwrap();
    // Never backed up: overdue, so the schedule runs one now. Wait for it.
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        let s = gogga.backup_status().await.unwrap();
        if s.last_success.is_some() || s.last_failure.is_some() || Instant::now() > deadline {
            break s;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let success = status.last_success.clone().expect("the overdue backup ran and succeeded");
    assert!(status.last_failure.is_none(), "{status:?}");
    assert_eq!(names(&nas), vec![success.archive.clone().unwrap()]);
    assert_eq!(status.next_run_unix, Some(success.at_unix + 6 * 3600));
    let counts: BTreeMap<String, u64> =
        Gogga::list_backups(nas).await.unwrap()[0].manifest.clone().unwrap().counts;
    assert_eq!(counts.len(), 5);
}

// ---- what a user sees after a restore ----

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_restore_search_and_conversations_are_the_same() {
    let root = tempfile::tempdir().unwrap();
    let nas = root.path().join("nas");
    std::fs::create_dir(&nas).unwrap();
    let docs = root.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(
        docs.join("lease.md"),
        "# Lease\n\nThe tenant gives one calendar month of notice in writing.\n",
    )
    .unwrap();
    std::fs::write(
        docs.join("deposit.md"),
        "# Deposit\n\nThe deposit is paid back within 14 days with interest.\n",
    )
    .unwrap();
    let options = || crate::library::options(root.path());
    let gogga = Gogga::open(options()).await.unwrap();
    let report = gogga.index(vec![docs.clone()], gogga::IndexOptions::default()).await.unwrap();
    assert!(!report.has_failures(), "{report:?}");
    let conversation = gogga.create_conversation(Some("Lease questions".into())).await.unwrap();
    let query = |g: Gogga| async move {
        let found = g.search("notice in writing", gogga::SearchOptions::default()).await.unwrap();
        found.hits.iter().map(|h| (h.path.clone(), h.chunk_id, h.text.clone())).collect::<Vec<_>>()
    };
    let before = query(gogga.clone()).await;
    assert!(before.first().is_some_and(|h| h.0.ends_with("lease.md")), "{before:?}");
    let conversations = gogga.conversations().await.unwrap();
    let backup = gogga.backup_now(Some(nas.clone())).await.unwrap();
    // Afterwards the library loses a document; the restore brings it back.
    let removed = gogga.remove_documents(vec![docs.join("lease.md").display().to_string()]).await.unwrap();
    assert_eq!(removed.len(), 1);
    assert_ne!(query(gogga.clone()).await, before);
    gogga.delete_conversation(&conversation.id).await.unwrap();
    gogga.shutdown().await.unwrap();
    drop(gogga);

    Gogga::restore_backup(options(), nas.join(&backup.archive), None, false).await.unwrap();
    let restored = Gogga::open(options()).await.unwrap();
    // The index is rebuilt from SQLite at start-up (polled, with a deadline).
    let deadline = Instant::now() + Duration::from_secs(120);
    while !restored.check_index().await.is_ok_and(|c| c.agrees() && c.sqlite_chunks > 0) {
        assert!(Instant::now() < deadline, "the index was not rebuilt after the restore");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(query(restored.clone()).await, before);
    assert_eq!(restored.conversations().await.unwrap(), conversations);
}
