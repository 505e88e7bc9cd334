//! The desktop's library views through the `Gogga` façade, with a fake
//! embedder on real SQLite and tantivy files: an import returns once
//! queued (proved with the workers paused), the run's end is announced
//! and kept, documents carry their stage, folders their counts.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use crate::embed::FakeEmbedder;
use crate::ingest::DocumentStage;
use crate::{Config, Event, Gogga, OpenOptions};

async fn open(root: &Path) -> Gogga {
    let mut o = OpenOptions::under(root);
    o.config = Some(Config::default());
    let g = Gogga::open(o.with_embedder(Arc::new(FakeEmbedder::new("fake-view", 32)))).await.unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !g.is_leader() {
        assert!(std::time::Instant::now() < deadline, "never became the leader");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    g
}

/// The next `IndexIdle` on the bus (within 30 s).
async fn idle(rx: &mut tokio::sync::broadcast::Receiver<Event>) -> Event {
    tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            match rx.recv().await {
                Ok(e @ Event::IndexIdle { .. }) => return e,
                Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(e) => panic!("bus closed: {e}"),
            }
        }
    })
    .await
    .expect("no IndexIdle within 30 s")
}

#[tokio::test]
async fn import_returns_once_queued_and_the_run_end_is_announced_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(docs.join("a.md"), "# A\n\nApples grow on trees.\n").unwrap();
    std::fs::write(docs.join("b.txt"), "Bananas are yellow.\n").unwrap();
    std::fs::write(docs.join("c.bin"), [0u8, 159, 146, 150, 0, 1]).unwrap();
    let g = open(&dir.path().join("root")).await;
    let mut rx = g.subscribe();

    // With the workers paused, an import that waited would never return.
    g.pause_indexing(true);
    let missing = dir.path().join("missing.md");
    let q = tokio::time::timeout(
        Duration::from_secs(10),
        g.queue_import(vec![docs.clone(), missing.clone()], None),
    )
    .await
    .expect("queue_import waited for the workers")
    .unwrap();
    assert_eq!(q.accepted, 2, "{q:?}");
    let skipped: Vec<_> =
        q.skipped.iter().map(|s| (s.path.rsplit('/').next().unwrap(), s.code.as_str())).collect();
    assert!(skipped.contains(&("c.bin", "skipped")), "{skipped:?}");
    assert!(skipped.iter().any(|(p, code)| *p == "missing.md" && *code != "skipped"), "{skipped:?}");
    assert!(q.skipped.iter().all(|s| !s.message.is_empty()), "every left-out path says why");
    assert!(g.library_documents(None).await.unwrap().is_empty(), "nothing imported while paused");
    assert!(!g.index_progress().running);

    g.pause_indexing(false);
    let Event::IndexIdle { files_done, files_total, files_failed, .. } = idle(&mut rx).await else {
        unreachable!()
    };
    assert_eq!((files_done, files_total, files_failed), (2, 2, 0));
    let p = g.index_progress();
    assert!(!p.running, "{p:?}");
    assert_eq!((p.files_done, p.files_total), (2, 2), "the last run is kept after the queue emptied");

    let listed = g.library_documents(None).await.unwrap();
    let stages: Vec<_> = listed.iter().map(|d| (d.title.as_str(), d.stage)).collect();
    assert_eq!(stages.len(), 2, "{stages:?}");
    assert!(
        listed.iter().all(|d| d.stage == DocumentStage::Ready && d.chunks > 0 && d.added_at > 0),
        "{listed:?}"
    );
    assert!(g.library_documents(Some("no-such-conversation".into())).await.unwrap().is_empty());
    assert_eq!(g.documents_changed_since(0).await.unwrap().len(), 2);
    assert!(g.documents_changed_since(i64::MAX).await.unwrap().is_empty());

    assert_eq!(g.queue_import(Vec::new(), None).await.unwrap_err().kind(), crate::ErrorKind::InvalidInput);
}

#[tokio::test]
async fn a_binary_file_named_explicitly_is_a_failed_document_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("blob.bin");
    std::fs::write(&bin, [0u8, 159, 146, 150, 0, 1, 2, 3, 255, 0]).unwrap();
    let g = open(&dir.path().join("root")).await;
    let mut rx = g.subscribe();
    let q = g.queue_import(vec![bin], None).await.unwrap();
    assert_eq!(q.accepted, 1, "a file named explicitly is tried: {q:?}");
    let Event::IndexIdle { files_failed, .. } = idle(&mut rx).await else { unreachable!() };
    assert_eq!(files_failed, 1);
    let listed = g.library_documents(None).await.unwrap();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0].stage, DocumentStage::Failed);
    assert!(listed[0].error.as_deref().is_some_and(|e| !e.is_empty()), "{listed:?}");
}

#[tokio::test]
async fn watched_folders_count_their_documents_and_unwatch_by_id() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("watched");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(docs.join("a.md"), "# A\n\nApples.\n").unwrap();
    let g = open(&dir.path().join("root")).await;
    let mut rx = g.subscribe();
    g.watch_folder(docs.clone()).await.unwrap();
    idle(&mut rx).await;
    let folders = g.watched_folders().await.unwrap();
    assert_eq!(folders.len(), 1);
    assert_eq!(folders[0].documents, 1);
    let listed = g.library_documents(None).await.unwrap();
    assert_eq!(listed[0].folder_id.as_deref(), Some(folders[0].id.as_str()));
    assert_eq!(g.unwatch_folder_id("nope").await.unwrap_err().kind(), crate::ErrorKind::NotFound);
    g.unwatch_folder_id(&folders[0].id).await.unwrap();
    assert!(g.watched_folders().await.unwrap().is_empty());
    assert_eq!(g.library_documents(None).await.unwrap().len(), 1, "its documents stay");
}
