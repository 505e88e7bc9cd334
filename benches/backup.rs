//! Backup benchmark (a plain program, `harness = false`): builds a ~1 GB
//! store of realistic rows once (documents, 1.5 KB text chunks cut from real
//! Rust sources, 384-d f32 vectors, conversations and messages), then, in one
//! run, side by side:
//!
//! - `cp` of the database file (+ `sync FILE`, since a backup fsyncs) to the
//!   target folder, against `gogga.backup_now(target)`: time and throughput
//!   in database bytes per second, and the ratio;
//! - read latency (point queries on chunks and messages from another
//!   connection, as chat and search will issue) idle, during `cp`, and
//!   during a backup: p50 / p99 and the ratio to idle.
//!
//! Run: `cargo bench -j2 --bench backup` (env: GOGGA_BENCH_DIR, default
//! /var/tmp/gogga-bench-backup; GOGGA_BENCH_TARGET, default DIR/target —
//! point it at a slow mount to measure a network folder; GOGGA_BENCH_MB,
//! default 1024; GOGGA_BENCH_SKIP_LATENCY=1 skips the latency part).
//! Results go into BENCHMARKS.md by hand.

#![expect(
    clippy::unwrap_used,
    clippy::print_stdout,
    reason = "a benchmark program: it prints its results and stops on any failure"
)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use gogga::{Gogga, OpenOptions};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::Connection;

const SCHEMA: &str = "
    CREATE TABLE IF NOT EXISTS documents (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, sha256 TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS chunks (id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE, ord INTEGER NOT NULL, text TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS chunks_by_document ON chunks (document_id, ord);
    CREATE TABLE IF NOT EXISTS embeddings (chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
        model TEXT NOT NULL, vector BLOB NOT NULL);
    CREATE TABLE IF NOT EXISTS conversations (id INTEGER PRIMARY KEY, title TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        role TEXT NOT NULL, content TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS messages_by_conversation ON messages (conversation_id);";

fn main() {
    let dir = PathBuf::from(
        std::env::var("GOGGA_BENCH_DIR").unwrap_or_else(|_| "/var/tmp/gogga-bench-backup".into()),
    );
    let target =
        std::env::var("GOGGA_BENCH_TARGET").map(PathBuf::from).unwrap_or_else(|_| dir.join("target"));
    let mb: u64 = std::env::var("GOGGA_BENCH_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(1024);
    std::fs::create_dir_all(&target).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let mut config = gogga::Config::default();
    config.backup.keep = 1;
    config.backup.every_hours = 0;
    let options = OpenOptions { config: Some(config), ..OpenOptions::under(&dir) };
    let gogga = rt.block_on(Gogga::open(options)).unwrap();
    let db = gogga.paths().database();
    let (chunks, messages) = generate(&db, mb);
    let db_bytes = std::fs::metadata(&db).unwrap().len();
    println!(
        "store: {} ({:.0} MiB, {chunks} chunks, {messages} messages); target: {}",
        db.display(),
        mb_of(db_bytes),
        target.display()
    );

    // Warm the page cache the same way for both sides.
    let _ = std::fs::read(&db).map(|b| b.len());
    let cp = |t: &Path| -> f64 {
        let dest = t.join("cp-copy.db");
        let start = Instant::now();
        assert!(Command::new("cp").arg(&db).arg(&dest).status().unwrap().success());
        assert!(Command::new("sync").arg(&dest).status().unwrap().success());
        let secs = start.elapsed().as_secs_f64();
        std::fs::remove_file(&dest).unwrap();
        secs
    };
    let backup = |t: &Path| -> (f64, gogga::backup::BackupReport) {
        let start = Instant::now();
        let report = rt.block_on(gogga.backup_now(Some(t.to_path_buf()))).unwrap();
        (start.elapsed().as_secs_f64(), report)
    };

    println!(
        "\n| run | cp + fsync (s) | backup (s) | cp MiB/s | backup MiB/s (db bytes) | backup / cp throughput | archive MiB |"
    );
    println!("|---|---|---|---|---|---|---|");
    for run in 1..=2 {
        let c = cp(&target);
        let (b, report) = backup(&target);
        println!(
            "| {run} | {c:.2} | {b:.2} | {:.0} | {:.0} | {:.2}x | {:.0} |",
            mb_of(db_bytes) / c,
            mb_of(db_bytes) / b,
            c / b,
            mb_of(report.bytes)
        );
        let t = report.timings;
        println!(
            "|   | phases (ms): snapshot {} · check {} · hash {} · write {} · read back {} · prune {} |  |  |  |  |  |",
            t.snapshot_ms, t.check_ms, t.hash_ms, t.write_ms, t.verify_ms, t.prune_ms
        );
    }

    if std::env::var_os("GOGGA_BENCH_SKIP_LATENCY").is_some() {
        return;
    }
    // Read latency from another connection: idle, during cp, during backup.
    println!("\n| reads from another connection | queries | p50 (ms) | p99 (ms) | p99 / idle p99 |");
    println!("|---|---|---|---|---|");
    let idle = measure(&db, chunks, messages, || std::thread::sleep(Duration::from_secs(8)));
    let row = |name: &str, l: &[f64]| {
        println!(
            "| {name} | {} | {:.3} | {:.3} | {:.2}x |",
            l.len(),
            pct(l, 50.0),
            pct(l, 99.0),
            pct(l, 99.0) / pct(&idle, 99.0)
        );
    };
    row("idle (8 s)", &idle);
    let during_cp = measure(&db, chunks, messages, || {
        cp(&target);
    });
    row("during cp + fsync", &during_cp);
    let during_backup = measure(&db, chunks, messages, || {
        backup(&target);
    });
    row("during backup", &during_backup);
}

/// Latencies (ms) of a point-query loop on its own connection while `work` runs.
fn measure(db: &Path, chunks: u64, messages: u64, work: impl FnOnce()) -> Vec<f64> {
    let stop = Arc::new(AtomicBool::new(false));
    let out = Arc::new(std::sync::Mutex::new(Vec::new()));
    let reader = {
        let (db, stop, out) = (db.to_path_buf(), stop.clone(), out.clone());
        gogga::spawn::thread("bench-reader", move || {
            let c = Connection::open(&db).unwrap();
            let mut rng = StdRng::seed_from_u64(7);
            let mut lat = Vec::new();
            let mut chunk_q =
                c.prepare("SELECT length(text), document_id FROM chunks WHERE id = ?1").unwrap();
            let mut msg_q =
                c.prepare("SELECT role, content FROM messages WHERE conversation_id = ?1").unwrap();
            while !stop.load(Ordering::SeqCst) {
                let start = Instant::now();
                let _: (i64, i64) = chunk_q
                    .query_row([rng.random_range(1..=chunks as i64)], |r| Ok((r.get(0)?, r.get(1)?)))
                    .unwrap();
                let n = msg_q
                    .query_map([rng.random_range(1..=(messages / 20) as i64)], |_| Ok(()))
                    .unwrap()
                    .count();
                std::hint::black_box(n);
                lat.push(start.elapsed().as_secs_f64() * 1000.0);
                std::thread::sleep(Duration::from_millis(2)); // a busy user, not a flood
            }
            *out.lock().unwrap() = lat;
        })
        .unwrap()
    };
    std::thread::sleep(Duration::from_millis(200));
    work();
    stop.store(true, Ordering::SeqCst);
    reader.join().unwrap();
    let mut all = std::mem::take(&mut *out.lock().unwrap());
    all.sort_by(f64::total_cmp);
    all
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p / 100.0).round() as usize]
}

fn mb_of(bytes: u64) -> f64 {
    bytes as f64 / (1 << 20) as f64
}

/// Build the store once (about `mb` MiB); returns (chunks, messages).
fn generate(db: &Path, mb: u64) -> (u64, u64) {
    let mut c = Connection::open(db).unwrap();
    c.execute_batch(SCHEMA).unwrap();
    let have: i64 = c.query_row("SELECT count(*) FROM chunks", [], |r| r.get(0)).unwrap();
    let msgs: i64 = c.query_row("SELECT count(*) FROM messages", [], |r| r.get(0)).unwrap();
    if have > 0 {
        return (have as u64, msgs as u64);
    }
    let corpus = corpus(64 << 20);
    let mut rng = StdRng::seed_from_u64(42);
    // ~3.2 KB per chunk with its vector and index entries.
    let chunks_total = mb * 1024 * 1024 / 3200;
    let per_doc = 40;
    let started = Instant::now();
    let mut chunk_id = 0i64;
    for d in 0..chunks_total / per_doc {
        let tx = c.transaction().unwrap();
        tx.execute(
            "INSERT INTO documents (path, sha256) VALUES (?1, ?2)",
            [format!("/home/me/docs/{d}.md"), format!("{d:064x}")],
        )
        .unwrap();
        let doc = tx.last_insert_rowid();
        for ord in 0..per_doc as i64 {
            let len = rng.random_range(1200..1800);
            let at = rng.random_range(0..corpus.len() - len);
            let text = String::from_utf8_lossy(&corpus[at..at + len]).into_owned();
            tx.execute(
                "INSERT INTO chunks (document_id, ord, text) VALUES (?1, ?2, ?3)",
                rusqlite::params![doc, ord, text],
            )
            .unwrap();
            chunk_id += 1;
            let vector: Vec<u8> = (0..384)
                .flat_map(|_| ((0..4).map(|_| rng.random::<f32>()).sum::<f32>() - 2.0).to_le_bytes())
                .collect();
            tx.execute(
                "INSERT INTO embeddings (chunk_id, model, vector) VALUES (?1, 'all-MiniLM-L6-v2', ?2)",
                rusqlite::params![chunk_id, vector],
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    let conversations = 2000;
    let tx = c.transaction().unwrap();
    for conv in 0..conversations {
        tx.execute("INSERT INTO conversations (title) VALUES (?1)", [format!("chat {conv}")]).unwrap();
        let id = tx.last_insert_rowid();
        for m in 0..20 {
            let len = rng.random_range(200..1000);
            let at = rng.random_range(0..corpus.len() - len);
            let role = if m % 2 == 0 { "user" } else { "assistant" };
            tx.execute(
                "INSERT INTO messages (conversation_id, role, content) VALUES (?1, ?2, ?3)",
                rusqlite::params![id, role, String::from_utf8_lossy(&corpus[at..at + len]).into_owned()],
            )
            .unwrap();
        }
    }
    tx.commit().unwrap();
    c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    println!("generated {chunk_id} chunks in {:.0} s", started.elapsed().as_secs_f64());
    (chunk_id as u64, conversations * 20)
}

/// Real text: Rust sources from the local cargo registry.
fn corpus(bytes: usize) -> Vec<u8> {
    let home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
    let mut out = Vec::with_capacity(bytes);
    let mut stack = vec![PathBuf::from(home).join(".cargo/registry/src")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs" || x == "md") {
                if let Ok(b) = std::fs::read(&p) {
                    out.extend_from_slice(&b);
                }
                if out.len() >= bytes {
                    return out;
                }
            }
        }
    }
    assert!(out.len() > 1 << 20, "need some real text under ~/.cargo/registry/src");
    out
}
