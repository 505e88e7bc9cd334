//! The library through the `Gogga` façade with fake embedders, on real
//! SQLite and tantivy files in a temporary folder: import, search in every
//! mode and scope, nothing embedded twice, model changes, leadership
//! handover inside one process, start-up repair, folder watching, and
//! working without any embedder.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::embed::{Embedder, FakeEmbedder};
use crate::search::{Mode, Scope, SearchOptions};
use crate::{Config, Gogga, IndexOptions, OpenOptions};

const DIM: usize = 64;

async fn open_with(root: &Path, embedders: Vec<Arc<dyn Embedder>>, config: Config) -> Gogga {
    let mut o = OpenOptions::under(root);
    o.config = Some(config);
    for e in embedders {
        o = o.with_embedder(e);
    }
    Gogga::open(o).await.unwrap()
}

async fn open(root: &Path, fake: &FakeEmbedder) -> Gogga {
    open_with(root, vec![Arc::new(fake.clone())], Config::default()).await
}

async fn until(what: &str, timeout: Duration, mut check: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting for: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn leader(g: &Gogga) {
    until("leadership", Duration::from_secs(10), async || g.is_leader()).await;
}

fn opts(mode: Mode) -> SearchOptions {
    SearchOptions { mode, ..SearchOptions::default() }
}

async fn paths(g: &Gogga, q: &str, mode: Mode) -> Vec<String> {
    let r = g.search(q, opts(mode)).await.unwrap();
    r.hits
        .into_iter()
        .map(|h| Path::new(&h.path).file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

const GARDEN: &str = "# Garden\n\n## Tomatoes\n\nTomatoes need full sun and staking.\n\n## Compost\n\nCompost turns kitchen scraps into soil.\n";

#[tokio::test]
async fn import_search_and_nothing_embedded_twice() {
    let root = tempfile::tempdir().unwrap();
    let docs = root.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    let garden = write(&docs, "garden.md", GARDEN);
    write(&docs, "sport.txt", "Rugby practice moves to Thursday evening.\n");
    std::fs::write(docs.join("blob.txt"), [0u8, 1, 2, 3, 0, 5].repeat(50)).unwrap();
    let fake = FakeEmbedder::new("fake-a", DIM);
    let g = open(root.path(), &fake).await;
    let mut events = g.subscribe();
    let report = g.index(vec![docs.clone()], IndexOptions::default()).await.unwrap();
    assert_eq!((report.count("added"), report.count("failed")), (2, 1), "{report:#?}");
    let failed = report.files.iter().find(|f| f.outcome == "failed").unwrap();
    assert_eq!(failed.code.as_deref(), Some("binary"));
    assert_eq!(report.chunks_added, 3);
    assert_eq!(report.embeddings_pending, 0);
    assert_eq!(fake.texts_embedded(), 3, "each chunk once");
    let mut saw = (false, false);
    while let Ok(e) = events.try_recv() {
        match e {
            crate::Event::IndexProgress { .. } => saw.0 = true,
            crate::Event::FileFailed { code, .. } => saw.1 |= code == "binary",
            _ => {}
        }
    }
    assert_eq!(saw, (true, true), "progress and the failure were reported as events");

    for mode in [Mode::Bm25, Mode::Vector, Mode::Hybrid] {
        assert_eq!(paths(&g, "compost kitchen scraps", mode).await[0], "garden.md", "{mode:?}");
        assert_eq!(paths(&g, "rugby thursday", mode).await[0], "sport.txt", "{mode:?}");
    }
    let hit = &g.search("compost", opts(Mode::Bm25)).await.unwrap().hits[0];
    assert_eq!(hit.heading, "Garden > Compost");
    assert!(hit.highlights.iter().any(|(a, b)| hit.snippet[*a..*b].eq_ignore_ascii_case("compost")));

    // (Searches embed their query: count what an import embeds around it.)
    // Again: nothing read, nothing embedded.
    let before = fake.texts_embedded();
    let again = g.index(vec![docs.clone()], IndexOptions::default()).await.unwrap();
    assert_eq!(again.count("unchanged"), 2);
    assert_eq!(fake.texts_embedded(), before);
    // One section edited: only that chunk is embedded.
    std::fs::write(&garden, GARDEN.replace("kitchen scraps", "garden waste")).unwrap();
    let edit = g.index(vec![garden.clone()], IndexOptions::default()).await.unwrap();
    assert_eq!(edit.count("updated"), 1);
    assert_eq!(fake.texts_embedded(), before + 1);
    assert_eq!(paths(&g, "waste", Mode::Bm25).await, vec!["garden.md"]);
    assert!(paths(&g, "kitchen", Mode::Bm25).await.is_empty());
    // A copy under another name reuses every vector.
    std::fs::copy(&garden, docs.join("copy.md")).unwrap();
    let before = fake.texts_embedded();
    g.index(vec![docs.join("copy.md")], IndexOptions::default()).await.unwrap();
    assert_eq!(fake.texts_embedded(), before);
    assert_eq!(g.library().store.meta("library.vectors_redone").unwrap(), None);
    let mut both = paths(&g, "waste", Mode::Bm25).await;
    both.sort();
    assert_eq!(both, vec!["copy.md", "garden.md"]);
    let vector = paths(&g, "compost turns garden waste into soil", Mode::Vector).await;
    assert_eq!(
        vector[..2].iter().filter(|p| *p == "copy.md" || *p == "garden.md").count(),
        2,
        "the copy has vectors too"
    );

    let removed = g.remove_documents(vec![garden.display().to_string()]).await.unwrap();
    assert_eq!(removed.len(), 1);
    assert_eq!(paths(&g, "waste", Mode::Bm25).await, vec!["copy.md"]);
    assert!(!paths(&g, "waste", Mode::Hybrid).await.contains(&"garden.md".to_owned()));
    assert!(g.remove_documents(vec!["/no/such/doc".into()]).await.is_err());
    let status = g.library_status().await.unwrap();
    assert_eq!((status.documents, status.failed_documents, status.chunks_without_vectors), (3, 1, 0));
    assert!(status.leader);
    assert_eq!(status.vector_search, "ready");
    g.shutdown().await.unwrap();
}

#[tokio::test]
async fn attachments_are_searchable_only_in_their_conversation() {
    let root = tempfile::tempdir().unwrap();
    let g = open(root.path(), &FakeEmbedder::new("fake-a", DIM)).await;
    let lib = write(root.path(), "lib.txt", "The shared library mentions zebras.\n");
    let att = write(root.path(), "att.txt", "The attachment mentions zebras and lions.\n");
    g.index(vec![lib], IndexOptions::default()).await.unwrap();
    let options = IndexOptions { conversation: Some("conv-1".into()), ..IndexOptions::default() };
    g.index(vec![att], options).await.unwrap();
    for mode in [Mode::Bm25, Mode::Vector, Mode::Hybrid] {
        let scoped = |c: Option<&str>| SearchOptions {
            mode,
            scope: Scope { conversation: c.map(str::to_owned) },
            ..SearchOptions::default()
        };
        let names = async |o: SearchOptions| -> Vec<String> {
            let mut v: Vec<String> =
                g.search("zebras", o).await.unwrap().hits.into_iter().map(|h| h.path).collect();
            v.sort();
            v.iter().map(|p| Path::new(p).file_name().unwrap().to_string_lossy().into_owned()).collect()
        };
        assert_eq!(names(scoped(None)).await, vec!["lib.txt"], "{mode:?}");
        assert_eq!(names(scoped(Some("conv-1"))).await, vec!["att.txt", "lib.txt"], "{mode:?}");
        assert_eq!(names(scoped(Some("conv-2"))).await, vec!["lib.txt"], "{mode:?}");
    }
    g.shutdown().await.unwrap();
}

/// An embedder that waits at a gate before every call (the test opens it).
#[derive(Debug)]
struct Gated {
    inner: FakeEmbedder,
    open: Arc<(Mutex<bool>, Condvar)>,
}

impl Embedder for Gated {
    fn model_id(&self) -> &str {
        self.inner.model_id()
    }
    fn dimension(&self) -> usize {
        self.inner.dimension()
    }
    fn embed(&self, texts: &[&str]) -> crate::Result<Vec<Vec<f32>>> {
        let (lock, cond) = &*self.open;
        let guard = lock.lock().unwrap();
        let _open = cond.wait_while(guard, |open| !*open).unwrap();
        self.inner.embed(texts)
    }
}

#[tokio::test]
async fn a_model_change_reembeds_in_the_background_while_search_serves_the_old_vectors() {
    let root = tempfile::tempdir().unwrap();
    let a = FakeEmbedder::new("fake-a", DIM);
    let g = open(root.path(), &a).await;
    let doc = write(
        root.path(),
        "doc.md",
        "# Penguins\n\nPenguins live in the cold south.\n\n# Camels\n\nCamels cross hot deserts.\n",
    );
    g.index(vec![doc], IndexOptions::default()).await.unwrap();
    g.shutdown().await.unwrap();
    drop(g);

    let gate = Arc::new((Mutex::new(false), Condvar::new()));
    let b = Gated { inner: FakeEmbedder::new("fake-b", DIM), open: Arc::clone(&gate) };
    let g = open_with(root.path(), vec![Arc::new(b), Arc::new(a.clone())], Config::default()).await;
    leader(&g).await;
    // fake-b is stuck at the gate: search still answers from fake-a.
    let status = g.library_status().await.unwrap();
    assert_eq!((status.active_model.as_str(), status.target_model.as_str()), ("fake-a", "fake-b"));
    assert_eq!(paths(&g, "camels deserts", Mode::Vector).await[0], "doc.md");
    let before = g.search("camels deserts", opts(Mode::Vector)).await.unwrap();
    assert!(before.notice.is_none());
    // Open the gate: once every chunk has a fake-b vector, search moves.
    {
        let (lock, cond) = &*gate;
        *lock.lock().unwrap() = true;
        cond.notify_all();
    }
    // The switch is published first, then the old vectors are pruned.
    until("the switch to fake-b and the pruning of fake-a", Duration::from_secs(20), async || {
        let s = g.library_status().await.unwrap();
        s.active_model == "fake-b" && s.vectors == vec![("fake-b".to_owned(), 2)]
    })
    .await;
    assert_eq!(paths(&g, "camels deserts", Mode::Vector).await[0], "doc.md");
    g.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_second_instance_queues_work_and_takes_over_when_the_leader_stops() {
    let root = tempfile::tempdir().unwrap();
    let fake = FakeEmbedder::new("fake-a", DIM);
    let first = open(root.path(), &fake).await;
    leader(&first).await;
    let second = open(root.path(), &fake).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(!second.is_leader(), "exactly one leader");
    assert_eq!(second.leader_pid(), Some(std::process::id()));
    // The follower queues; the leader does the work; the follower sees it.
    let one = write(root.path(), "one.txt", "Follower queued this about walruses.\n");
    let report = second.index(vec![one], IndexOptions::default()).await.unwrap();
    assert_eq!(report.count("added"), 1);
    until("the follower sees the new chunk", Duration::from_secs(10), async || {
        paths(&second, "walruses", Mode::Hybrid).await == ["one.txt"]
    })
    .await;
    first.shutdown().await.unwrap();
    leader(&second).await;
    let two = write(root.path(), "two.txt", "The new leader indexed this about narwhals.\n");
    second.index(vec![two], IndexOptions::default()).await.unwrap();
    assert_eq!(paths(&second, "narwhals", Mode::Vector).await[0], "two.txt");
    second.shutdown().await.unwrap();
}

#[tokio::test]
async fn start_up_repairs_the_index_from_sqlite_and_reindex_rebuilds_it() {
    let root = tempfile::tempdir().unwrap();
    let fake = FakeEmbedder::new("fake-a", DIM);
    let g = open(root.path(), &fake).await;
    let doc = write(root.path(), "doc.md", GARDEN);
    g.index(vec![doc], IndexOptions::default()).await.unwrap();
    assert_eq!(g.reindex().await.unwrap(), "2 chunks indexed");
    g.shutdown().await.unwrap();
    drop(g);
    // The index loses a chunk behind our back (a crash between commits).
    let index_dir = root.path().join("data/index");
    {
        let index = crate::search::TextIndex::open_or_create(&index_dir).unwrap();
        index.acquire_writer().unwrap();
        let first = index.chunk_ids().unwrap()[0];
        index.delete_chunks(&[first]).unwrap();
        index.commit().unwrap();
        assert_eq!(index.num_docs(), 1);
    }
    let g = open(root.path(), &fake).await;
    leader(&g).await;
    assert_eq!(paths(&g, "tomatoes", Mode::Bm25).await, vec!["doc.md"]);
    assert_eq!(paths(&g, "compost", Mode::Bm25).await, vec!["doc.md"]);
    g.shutdown().await.unwrap();
    drop(g);
    // The whole index gone: rebuilt from SQLite.
    std::fs::remove_dir_all(&index_dir).unwrap();
    let g = open(root.path(), &fake).await;
    leader(&g).await;
    assert_eq!(paths(&g, "compost", Mode::Bm25).await, vec!["doc.md"]);
    assert_eq!(fake.texts_embedded(), 2, "repairs never re-embed");
    g.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_watched_folder_follows_additions_changes_renames_and_deletions() {
    let root = tempfile::tempdir().unwrap();
    let folder = root.path().join("watched");
    std::fs::create_dir(&folder).unwrap();
    write(&folder, "before.txt", "Written before watching: hedgehogs.\n");
    let g = open(root.path(), &FakeEmbedder::new("fake-a", DIM)).await;
    leader(&g).await;
    let report = g.watch_folder(folder.clone()).await.unwrap();
    assert!(report.watching_here);
    let found = async |q: &str| paths(&g, q, Mode::Bm25).await;
    until("the initial scan", Duration::from_secs(10), async || found("hedgehogs").await == ["before.txt"])
        .await;
    write(&folder, "new.txt", "Added while watching: porcupines.\n");
    until("an added file", Duration::from_secs(10), async || found("porcupines").await == ["new.txt"]).await;
    write(&folder, "new.txt", "Changed while watching: armadillos.\n");
    until("a changed file", Duration::from_secs(10), async || {
        found("armadillos").await == ["new.txt"] && found("porcupines").await.is_empty()
    })
    .await;
    std::fs::rename(folder.join("new.txt"), folder.join("renamed.txt")).unwrap();
    until("a renamed file", Duration::from_secs(10), async || found("armadillos").await == ["renamed.txt"])
        .await;
    std::fs::remove_file(folder.join("renamed.txt")).unwrap();
    until("a deleted file", Duration::from_secs(10), async || found("armadillos").await.is_empty()).await;
    g.shutdown().await.unwrap();
    drop(g);
    // Changes made while no Gogga ran are caught by the start-up rescan.
    write(&folder, "offline.txt", "Written while closed: pangolins.\n");
    std::fs::remove_file(folder.join("before.txt")).unwrap();
    let g = open(root.path(), &FakeEmbedder::new("fake-a", DIM)).await;
    let found = async |q: &str| paths(&g, q, Mode::Bm25).await;
    until("the start-up rescan", Duration::from_secs(10), async || {
        found("pangolins").await == ["offline.txt"] && found("hedgehogs").await.is_empty()
    })
    .await;
    assert_eq!(g.folders().await.unwrap().len(), 1);
    assert!(g.unwatch_folder(folder).await.unwrap());
    g.shutdown().await.unwrap();
}

#[tokio::test]
async fn without_an_embedder_import_and_keyword_search_still_work() {
    let root = tempfile::tempdir().unwrap();
    let mut config = Config::default();
    config.embedding.model = "no-such-model".into();
    let g = open_with(root.path(), Vec::new(), config).await;
    let doc = write(root.path(), "doc.txt", "Keyword search still finds aardvarks.\n");
    let report = g.index(vec![doc], IndexOptions::default()).await.unwrap();
    assert_eq!(report.count("added"), 1);
    assert_eq!(report.embeddings_pending, 1);
    assert!(report.embeddings_note.as_deref().unwrap_or_default().contains("unavailable"), "{report:?}");
    let hybrid = g.search("aardvarks", SearchOptions::default()).await.unwrap();
    assert_eq!((hybrid.mode, hybrid.hits.len()), (Mode::Bm25, 1));
    assert!(hybrid.notice.unwrap().contains("unavailable"));
    let err = g.search("aardvarks", opts(Mode::Vector)).await.unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::Embed);
    assert!(g.library_status().await.unwrap().vector_search.starts_with("unavailable"));
    g.shutdown().await.unwrap();
}

#[tokio::test]
async fn token_budget_limits_hits_but_keeps_the_first() {
    let root = tempfile::tempdir().unwrap();
    let g = open(root.path(), &FakeEmbedder::new("fake-a", DIM)).await;
    let mut text = String::new();
    for i in 0..5 {
        text.push_str(&format!("# Part {i}\n\nOtters {}\n\n", "swim and play. ".repeat(20)));
    }
    let doc = write(root.path(), "otters.md", &text);
    g.index(vec![doc], IndexOptions::default()).await.unwrap();
    let all = g.search("otters", opts(Mode::Bm25)).await.unwrap().hits.len();
    assert_eq!(all, 5);
    let some = SearchOptions { token_budget: Some(200), ..opts(Mode::Bm25) };
    assert_eq!(g.search("otters", some).await.unwrap().hits.len(), 2);
    let tiny = SearchOptions { token_budget: Some(1), ..opts(Mode::Bm25) };
    assert_eq!(g.search("otters", tiny).await.unwrap().hits.len(), 1);
    g.shutdown().await.unwrap();
}
