//! Restoring from the desktop app, on a real core in a temporary folder: a
//! backup is taken, the library changes, a restore is asked for, and the
//! next start (before the core opens) brings the backed-up library back;
//! a restore asked for while the core is still open does nothing to the
//! data, and the request is used once.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test that cannot unwrap should fail loudly")]

use std::path::Path;
use std::sync::Arc;

fn options(root: &Path) -> gogga::OpenOptions {
    let mut o = gogga::OpenOptions::under(root);
    o.config = Some(gogga::Config::default());
    o.with_embedder(Arc::new(gogga::embed::FakeEmbedder::new("fake-restore", 32)))
}

async fn documents(root: &Path) -> Vec<String> {
    let g = gogga::Gogga::open(options(root).without_workers()).await.unwrap();
    let mut titles: Vec<String> =
        g.library_documents(None).await.unwrap().into_iter().map(|d| d.title).collect();
    titles.sort();
    titles
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restore_asked_for_is_applied_at_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    let backups = dir.path().join("backups");
    std::fs::create_dir(&backups).unwrap();
    let first = dir.path().join("first.md");
    std::fs::write(&first, "# First\n\nKept in the backup.\n").unwrap();
    let second = dir.path().join("second.md");
    std::fs::write(&second, "# Second\n\nAdded after the backup.\n").unwrap();

    let archive = {
        let g = gogga::Gogga::open(options(&root)).await.unwrap();
        g.index(vec![first], gogga::IndexOptions::default()).await.unwrap();
        let report = g.backup_now(Some(backups.clone())).await.unwrap();
        g.index(vec![second], gogga::IndexOptions::default()).await.unwrap();
        // While this core is open the data folder cannot be replaced: the
        // request waits for the next start.
        gogga_desktop::restore::request(&g.paths().config_dir, &backups.join(&report.archive)).unwrap();
        g.shutdown().await.unwrap();
        backups.join(report.archive)
    };
    assert!(archive.is_file());
    assert_eq!(documents(&root).await, ["first.md", "second.md"], "nothing restored before the restart");

    gogga_desktop::restore::apply_pending(&options(&root)).await;
    assert_eq!(documents(&root).await, ["first.md"], "the backed-up library is back");
    assert_eq!(
        gogga_desktop::restore::take(&options(&root).paths.config_dir),
        None,
        "the request is used up"
    );

    // Nothing asked: a start changes nothing.
    gogga_desktop::restore::apply_pending(&options(&root)).await;
    assert_eq!(documents(&root).await, ["first.md"]);
}
