//! The document library across real processes (this `gogga` binary and
//! the core in the test process sharing one data folder), with the real
//! embedding model from setup's cache: one leader at a time while the CLI and another Gogga share a data
//! folder, a new leader when the old one dies, and crash safety — the
//! indexing process is killed with SIGKILL at several points and restarted
//! until done; then no chunk is lost, none has two vectors, and the
//! full-text index agrees with SQLite.

#![expect(clippy::unwrap_used, reason = "test helpers: a failed unwrap is the test failing")]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use gogga::ingest::leader::leader_pid;
use gogga::{Gogga, Mode, SearchOptions};

/// setup's cache folder, with the runtime and model in it.
fn real_cache() -> PathBuf {
    let cache = gogga::Paths::from_env().unwrap().cache_dir;
    assert!(
        cache.join("onnxruntime-1.24.4/libonnxruntime.so").is_file()
            && cache.join("models/all-MiniLM-L6-v2/model.onnx").is_file(),
        "the embedding runtime and model are not in {}: run scripts/setup first",
        cache.display()
    );
    cache
}

/// Options for the core in this process, on the same data folder.
fn options(root: &Path) -> gogga::OpenOptions {
    let mut o = gogga::OpenOptions::under(root);
    o.paths.cache_dir = real_cache();
    o.config = Some(gogga::Config::default());
    o
}

fn cli(root: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gogga"));
    c.args(args)
        .env("GOGGA_DATA_DIR", root.join("data"))
        .env("GOGGA_CONFIG_DIR", root.join("config"))
        .env("GOGGA_CACHE_DIR", real_cache())
        .stdin(Stdio::null());
    c
}

fn kill9(child: &mut Child) {
    let _ = Command::new("kill").args(["-9", &child.id().to_string()]).status();
    let _ = child.wait();
}

async fn until(what: &str, timeout: Duration, mut check: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn write_corpus(dir: &Path, files: usize, sections: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let topics = ["rivers", "mountains", "markets", "schools", "clinics", "farms", "harbours", "railways"];
    for f in 0..files {
        let mut text = format!("# Report {f}\n\n");
        for s in 0..sections {
            let topic = topics[(f + s) % topics.len()];
            text.push_str(&format!(
                "## Section {s}\n\nReport {f} section {s} describes the {topic} of district {f}: \
                 visits, budgets and plans for item {s} in year {}.\n\n",
                2000 + f * 7 + s
            ));
        }
        std::fs::write(dir.join(format!("report-{f:03}.md")), text).unwrap();
    }
}

#[tokio::test]
async fn one_leader_at_a_time_across_processes_and_a_new_one_when_it_dies() {
    let root = tempfile::tempdir().unwrap();
    let folder = root.path().join("watched");
    std::fs::create_dir(&folder).unwrap();
    // Process A: `gogga watch` leads.
    let mut a = cli(root.path(), &["watch", folder.to_str().unwrap()]).stdout(Stdio::null()).spawn().unwrap();
    let data = root.path().join("data");
    until("process A leads", Duration::from_secs(60), async || leader_pid(&data) == Some(a.id())).await;
    let me = Gogga::open(options(root.path())).await.unwrap();
    assert!(!me.is_leader(), "this process is a follower while A leads");
    // Process B: `gogga index` queues its file; A does the work; B reports it.
    let one = root.path().join("one.txt");
    std::fs::write(&one, "Queued by process B about the Orange River.\n").unwrap();
    let b = cli(root.path(), &["index", one.to_str().unwrap()]).output().unwrap();
    assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    assert!(
        String::from_utf8_lossy(&b.stdout).starts_with("1 added"),
        "{}",
        String::from_utf8_lossy(&b.stdout)
    );
    assert_eq!(me.leader_pid(), Some(a.id()), "B never took over");
    // A watches the folder: a new file there becomes searchable here.
    std::fs::write(folder.join("two.txt"), "Dropped into the watched folder about Table Mountain.\n")
        .unwrap();
    until("the watched file", Duration::from_secs(60), async || {
        let r =
            me.search("Table Mountain", SearchOptions { mode: Mode::Bm25, ..SearchOptions::default() }).await;
        r.is_ok_and(|r| r.hits.first().is_some_and(|h| h.path.ends_with("two.txt")))
    })
    .await;
    // A dies without cleaning up: this process takes over.
    kill9(&mut a);
    until("this process leads", Duration::from_secs(30), async || me.is_leader()).await;
    assert_eq!(me.leader_pid(), Some(std::process::id()));
    // Now the CLI is the follower and this process does its work.
    let three = root.path().join("three.txt");
    std::fs::write(&three, "Imported after the hand-over about the Karoo.\n").unwrap();
    let c = cli(root.path(), &["index", three.to_str().unwrap()]).output().unwrap();
    assert!(c.status.success(), "{}", String::from_utf8_lossy(&c.stderr));
    let hits = me.search("Karoo", SearchOptions::default()).await.unwrap();
    assert!(hits.hits[0].path.ends_with("three.txt"));
    assert!(me.check_index().await.unwrap().agrees());
    me.shutdown().await.unwrap();
}

#[tokio::test]
async fn killing_the_indexer_at_any_point_loses_nothing_and_embeds_nothing_twice() {
    let root = tempfile::tempdir().unwrap();
    let corpus = root.path().join("corpus");
    let (files, sections) = (40, 6);
    write_corpus(&corpus, files, sections);
    let follower = Gogga::open(options(root.path()).without_workers()).await.unwrap();
    let status = async || follower.library_status().await.unwrap();
    let index = || {
        let mut c = cli(root.path(), &["index", corpus.to_str().unwrap()]);
        c.stdout(Stdio::null()).stderr(Stdio::null());
        c
    };
    // Kill points: right away, after the first documents are stored, after
    // the first vectors, and half way through the vectors.
    let total = (files * sections) as i64;
    let points: [(&str, i64, i64); 4] = [
        ("at start", -1, -1),
        ("documents stored", 1, -1),
        ("first vectors", 0, 1),
        ("half the vectors", 0, total / 2),
    ];
    let mut killed = 0;
    for (what, docs, vectors) in points {
        let mut child = index().spawn().unwrap();
        let started = Instant::now();
        loop {
            if child.try_wait().unwrap().is_some() {
                break; // finished before this point: nothing left to kill
            }
            let s = status().await;
            let stored: i64 = s.vectors.iter().map(|(_, n)| *n).sum();
            let reached = if docs < 0 {
                started.elapsed() > Duration::from_millis(300)
            } else {
                s.documents >= docs && stored >= vectors
            };
            if reached {
                kill9(&mut child);
                killed += 1;
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(120), "kill point {what} never reached");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    assert!(killed >= 3, "the indexer was killed only {killed} times");
    let done = index().status().unwrap();
    assert!(done.success(), "the final run failed");
    let s = status().await;
    assert_eq!((s.documents, s.failed_documents, s.chunks), (files as i64, 0, total), "{s:?}");
    assert_eq!(s.chunks_without_vectors, 0);
    assert_eq!(s.vectors, vec![("all-MiniLM-L6-v2".to_owned(), total)], "one vector per distinct text");
    assert_eq!(s.vectors_redone, 0, "no text was embedded twice into the store");
    assert!(s.queue.is_empty(), "{:?}", s.queue);
    for d in follower.documents().await.unwrap() {
        assert_eq!(d.chunks, sections as i64, "{}", d.path);
    }
    let check = follower.check_index().await.unwrap();
    assert!(check.agrees(), "{check:?}");
    assert_eq!(check.sqlite_chunks, total as usize);
    let hits = follower.search("district 17 railways", SearchOptions::default()).await.unwrap();
    assert!(
        hits.hits[0].path.ends_with("report-017.md") || hits.hits[0].text.contains("railways"),
        "{:?}",
        hits.hits[0].path
    );
}
