//! The event forwarder on Tauri's mock runtime over a real core (SQLite and
//! tantivy in a temporary folder, a fake embedder): importing a folder
//! makes `index-progress` events no closer than the throttle allows, ends
//! with one `running: false` event carrying the run's totals, and sends a
//! `document-status` event for every imported document.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test that cannot unwrap should fail loudly")]

use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use gogga_desktop::events::{DOCUMENT_STATUS, INDEX_PROGRESS, forward};
use tauri::Listener;

const FILES: usize = 150;
/// The throttle's gap, less a little for when the listener ran (events are
/// emitted on the forwarder's task, timestamps taken in the listener).
const MIN_GAP_CHECK: Duration = Duration::from_millis(240);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_is_throttled_ends_with_the_totals_and_documents_report_their_status() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    for i in 0..FILES {
        let text = format!("# Note {i}\n\nThe note number {i} is about topic {}.\n", i % 7);
        std::fs::write(docs.join(format!("note-{i:03}.md")), text).unwrap();
    }
    let mut options = gogga::OpenOptions::under(&dir.path().join("root"));
    options.config = Some(gogga::Config::default());
    let options = options.with_embedder(Arc::new(gogga::embed::FakeEmbedder::new("fake-events", 32)));
    let gogga = gogga::Gogga::open(options).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !gogga.is_leader() {
        assert!(Instant::now() < deadline, "never became the leader");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let app =
        tauri::test::mock_builder().build(tauri::test::mock_context(tauri::test::noop_assets())).unwrap();
    let (progress_tx, progress_rx) = mpsc::channel();
    app.listen_any(INDEX_PROGRESS, move |e| {
        let p: serde_json::Value = serde_json::from_str(e.payload()).unwrap();
        let _ = progress_tx.send((Instant::now(), p));
    });
    let (docs_tx, docs_rx) = mpsc::channel();
    app.listen_any(DOCUMENT_STATUS, move |e| {
        let d: serde_json::Value = serde_json::from_str(e.payload()).unwrap();
        let _ = docs_tx.send(d);
    });
    gogga::spawn::task(forward(app.handle().clone(), gogga.clone()));

    let mut raw = gogga.subscribe();
    let queued = gogga.queue_import(vec![docs.clone()], None).await.unwrap();
    assert_eq!(queued.accepted, FILES);

    // Every progress event until the final one.
    let mut running = Vec::new();
    let last = loop {
        let (at, p) =
            progress_rx.recv_timeout(Duration::from_secs(60)).expect("no final progress event in 60 s");
        if p["running"] == false {
            break p;
        }
        running.push(at);
    };
    assert_eq!(last["filesTotal"], FILES, "{last}");
    assert_eq!(last["filesDone"], FILES, "{last}");
    assert_eq!(last["filesFailed"], 0, "{last}");
    assert!(last["etaSecs"].is_null());
    assert_eq!(last["chunksDone"], last["chunksTotal"], "every passage got its vector: {last}");
    for pair in running.windows(2) {
        let gap = pair[1].duration_since(pair[0]);
        assert!(gap >= MIN_GAP_CHECK, "two progress events {gap:?} apart (at most 4 per second)");
    }
    let mut raw_count = 0;
    while let Ok(e) = raw.try_recv() {
        raw_count += usize::from(matches!(e, gogga::Event::IndexProgress { .. }));
    }
    eprintln!("{raw_count} progress events from the core, {} forwarded before the final one", running.len());
    assert!(raw_count > running.len(), "the throttle dropped nothing ({raw_count} from the core)");

    // Each document reported (ids unique; status ready or still embedding).
    let mut seen = std::collections::BTreeMap::new();
    while let Ok(d) = docs_rx.recv_timeout(Duration::from_secs(2)) {
        let status = d["status"].as_str().unwrap().to_owned();
        assert!(status == "ready" || status == "embedding", "{d}");
        seen.insert(d["id"].as_str().unwrap().to_owned(), status);
    }
    assert_eq!(seen.len(), FILES, "a document-status event for every imported document");
}
