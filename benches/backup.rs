//! Backup benchmark (a plain program, `harness = false`): builds a ~1 GB
//! store of realistic rows once with bench/backup_store.py (documents, 1.5 KB
//! text chunks cut from real Rust sources, 384-d f32 vectors, conversations
//! and messages), then, in one run, side by side:
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
//! default 1024; GOGGA_BENCH_SKIP_LATENCY=1 skips the latency part;
//! GOGGA_BENCH_LEVEL sets the zstd level (default 1);
//! GOGGA_BENCH_INDEX=1 also measures rebuilding vs archiving a tantivy index).
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
    config.backup.compression_level =
        std::env::var("GOGGA_BENCH_LEVEL").ok().and_then(|v| v.parse().ok()).unwrap_or(1);
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

    if std::env::var_os("GOGGA_BENCH_INDEX").is_some() {
        index_cost(&db, &target, &dir);
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

/// Include the full-text index in backups, or rebuild it on restore? Build
/// a tantivy index of every chunk (what a rebuild costs), and pack it as a
/// backup would (what including it would cost on every backup).
fn index_cost(db: &Path, target: &Path, dir: &Path) {
    use tantivy::schema::{STORED, Schema, TEXT};
    let index_dir = dir.join("bench-index");
    let _ = std::fs::remove_dir_all(&index_dir);
    std::fs::create_dir_all(&index_dir).unwrap();
    let mut schema = Schema::builder();
    let id = schema.add_u64_field("chunk_id", STORED);
    let text = schema.add_text_field("text", TEXT);
    let index = tantivy::Index::create_in_dir(&index_dir, schema.build()).unwrap();
    let start = Instant::now();
    let mut writer: tantivy::IndexWriter = index.writer(256 << 20).unwrap();
    let c = Connection::open(db).unwrap();
    let mut stmt = c.prepare("SELECT id, text FROM chunks").unwrap();
    let mut rows = stmt.query([]).unwrap();
    let mut n = 0u64;
    while let Some(r) = rows.next().unwrap() {
        let (cid, body): (i64, String) = (r.get(0).unwrap(), r.get(1).unwrap());
        writer.add_document(tantivy::doc!(id => cid as u64, text => body)).unwrap();
        n += 1;
    }
    writer.commit().unwrap();
    writer.wait_merging_threads().unwrap();
    let rebuild = start.elapsed().as_secs_f64();
    let (mut bytes, mut files) = (0u64, 0u64);
    for e in std::fs::read_dir(&index_dir).unwrap().flatten() {
        bytes += e.metadata().unwrap().len();
        files += 1;
    }
    let start = Instant::now();
    let out = std::fs::File::create(target.join("index-only.tar.zst")).unwrap();
    let mut tar = tar::Builder::new(zstd::Encoder::new(out, 3).unwrap());
    tar.append_dir_all("index", &index_dir).unwrap();
    let file = tar.into_inner().unwrap().finish().unwrap();
    file.sync_all().unwrap();
    let packed = file.metadata().unwrap().len();
    let pack = start.elapsed().as_secs_f64();
    std::fs::remove_file(target.join("index-only.tar.zst")).unwrap();
    println!(
        "\nindex: rebuild {n} chunks in {rebuild:.1} s → {:.0} MiB in {files} files; \
         packing it into a backup would add {:.0} MiB and {pack:.1} s to every backup",
        mb_of(bytes),
        mb_of(packed)
    );
    std::fs::remove_dir_all(&index_dir).unwrap();
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

/// Build the store once with bench/backup_store.py (about `mb` MiB of
/// realistic rows); returns (chunks, messages).
fn generate(db: &Path, mb: u64) -> (u64, u64) {
    let count = |table: &str| -> u64 {
        let c = Connection::open(db).unwrap();
        let has: i64 = c
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [table],
                |r| r.get(0),
            )
            .unwrap();
        if has == 0 {
            return 0;
        }
        let n: i64 = c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap();
        n as u64
    };
    if count("chunks") == 0 {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/backup_store.py");
        let ok = Command::new("python3")
            .arg(script)
            .arg(db.parent().unwrap())
            .arg(mb.to_string())
            .status()
            .unwrap();
        assert!(ok.success(), "bench/backup_store.py failed");
    }
    (count("chunks"), count("messages"))
}
