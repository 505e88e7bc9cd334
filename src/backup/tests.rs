//! Backup unit tests on real SQLite files in temporary folders, with the
//! target wrapped to count its operations or to fail like a full, read-only
//! or missing network share.

use std::io::{self, Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::archive::{self, Sink};
use super::run::{self, RunOptions};
use super::target::{FsTarget, Target, TargetFile, WRITE_CHUNK};
use super::*;
use crate::config::Config;
use crate::error::ErrorKind;
use crate::event::Event;
use crate::{Gogga, OpenOptions};

async fn open(root: &Path, folder: Option<&Path>, keep: u32) -> Gogga {
    let backup =
        BackupConfig { folder: folder.map(Path::to_path_buf), every_hours: 0, keep, compression_level: 3 };
    let config = Config { backup, ..Config::default() };
    Gogga::open(OpenOptions { config: Some(config), ..OpenOptions::under(root) }).await.unwrap()
}

/// `docs` documents with 4 chunks each and a `blob`-byte random vector per
/// chunk, in the library's own tables (migration 0002).
fn populate(gogga: &Gogga, docs: usize, blob: usize) {
    gogga
        .store()
        .write(|tx| {
            for d in 0..docs {
                let doc = format!("doc-{d}");
                tx.execute(
                    "INSERT INTO documents (id, path, title, format, size_bytes, mtime_ns, status, created_at, updated_at)
                     VALUES (?1, ?2, ?1, 'md', 100, 0, 'ready', 0, 0)",
                    rusqlite::params![doc, format!("/docs/{d}.md")],
                )?;
                for c in 0..4_i64 {
                    let text = format!("chunk {c} of document {d}");
                    let hash = format!("{d}:{c}").into_bytes();
                    tx.execute(
                        "INSERT INTO chunks (document_id, ordinal, char_start, char_end, text, hash)
                         VALUES (?1, ?2, 0, ?3, ?4, ?5)",
                        rusqlite::params![doc, c, text.len() as i64, text, hash],
                    )?;
                    let mut vector = vec![0u8; blob];
                    rand::fill(&mut vector[..]);
                    tx.execute(
                        "INSERT INTO embeddings (model, hash, dim, vector) VALUES ('minilm', ?1, ?2, ?3)",
                        rusqlite::params![hash, (blob / 4) as i64, vector],
                    )?;
                }
            }
            Ok(())
        })
        .unwrap();
}

#[derive(Debug, Default)]
struct Ops {
    create: AtomicU64,
    write: AtomicU64,
    sync: AtomicU64,
    open: AtomicU64,
    read: AtomicU64,
    rename: AtomicU64,
    sync_dir: AtomicU64,
    remove: AtomicU64,
    list: AtomicU64,
}

impl Ops {
    fn get(c: &AtomicU64) -> u64 {
        c.load(Ordering::SeqCst)
    }
    /// Every operation but data reads and writes.
    fn metadata(&self) -> [u64; 7] {
        [&self.create, &self.sync, &self.open, &self.rename, &self.sync_dir, &self.remove, &self.list]
            .map(Ops::get)
    }
}

/// The real folder, counted; optionally failing writes after `budget`
/// bytes, or the fsync, with `errno`.
struct Counting {
    inner: FsTarget,
    ops: Arc<Ops>,
    budget: Option<u64>,
    fail_sync: bool,
    errno: i32,
}

impl Counting {
    fn new(dir: &Path) -> Counting {
        Counting {
            inner: FsTarget::new(dir).unwrap().0,
            ops: Arc::default(),
            budget: None,
            fail_sync: false,
            errno: 0,
        }
    }
}

struct CountingFile {
    inner: Box<dyn TargetFile>,
    ops: Arc<Ops>,
    left: Option<u64>,
    fail_sync: bool,
    errno: i32,
}

impl Write for CountingFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.ops.write.fetch_add(1, Ordering::SeqCst);
        if let Some(left) = &mut self.left {
            if (buf.len() as u64) > *left {
                return Err(io::Error::from_raw_os_error(self.errno));
            }
            *left -= buf.len() as u64;
        }
        self.inner.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl TargetFile for CountingFile {
    fn sync(&mut self) -> io::Result<()> {
        self.ops.sync.fetch_add(1, Ordering::SeqCst);
        if self.fail_sync {
            return Err(io::Error::from_raw_os_error(self.errno));
        }
        self.inner.sync()
    }
}

struct CountingReader(Box<dyn Read + Send>, Arc<Ops>);

impl Read for CountingReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.1.read.fetch_add(1, Ordering::SeqCst);
        self.0.read(buf)
    }
}

impl Target for Counting {
    fn describe(&self) -> String {
        self.inner.describe()
    }
    fn create(&self, name: &str) -> io::Result<Box<dyn TargetFile>> {
        self.ops.create.fetch_add(1, Ordering::SeqCst);
        if self.budget == Some(0) && self.errno != 0 && !self.fail_sync {
            return Err(io::Error::from_raw_os_error(self.errno));
        }
        let inner = self.inner.create(name)?;
        Ok(Box::new(CountingFile {
            inner,
            ops: self.ops.clone(),
            left: self.budget,
            fail_sync: self.fail_sync,
            errno: self.errno,
        }))
    }
    fn open(&self, name: &str) -> io::Result<Box<dyn Read + Send>> {
        self.ops.open.fetch_add(1, Ordering::SeqCst);
        Ok(Box::new(CountingReader(self.inner.open(name)?, self.ops.clone())))
    }
    fn rename(&self, from: &str, to: &str) -> io::Result<()> {
        self.ops.rename.fetch_add(1, Ordering::SeqCst);
        self.inner.rename(from, to)
    }
    fn sync_dir(&self) -> io::Result<()> {
        self.ops.sync_dir.fetch_add(1, Ordering::SeqCst);
        self.inner.sync_dir()
    }
    fn remove(&self, name: &str) -> io::Result<()> {
        self.ops.remove.fetch_add(1, Ordering::SeqCst);
        self.inner.remove(name)
    }
    fn list(&self) -> io::Result<Vec<String>> {
        self.ops.list.fetch_add(1, Ordering::SeqCst);
        self.inner.list()
    }
    fn remove_if_abandoned(&self, name: &str) -> io::Result<bool> {
        self.inner.remove_if_abandoned(name)
    }
}

fn backup_with(gogga: &Gogga, target: &dyn Target, keep: u32) -> crate::Result<BackupReport> {
    run::run(gogga.store(), &gogga.paths().data_dir, target, "local", RunOptions { keep, level: 3 })
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[tokio::test]
async fn the_target_sees_a_handful_of_operations_whatever_the_size() {
    let mut seen = Vec::new();
    for docs in [2usize, 2_000] {
        let root = tempfile::tempdir().unwrap();
        let out = tempfile::tempdir().unwrap();
        let gogga = open(root.path(), None, 3).await;
        populate(&gogga, docs, 4096); // 2,000 docs: ~33 MB of random vectors
        let target = Counting::new(out.path());
        let report = backup_with(&gogga, &target, 3).unwrap();
        let ops = &target.ops;
        let chunks = report.bytes.div_ceil(WRITE_CHUNK as u64);
        // One create, one fsync, one rename, one folder fsync, one open to
        // read back, two listings (stale partials, retention), no removal.
        assert_eq!(ops.metadata(), [1, 1, 1, 1, 1, 0, 2], "docs={docs}");
        let writes = Ops::get(&ops.write);
        assert!(writes <= chunks + 1, "docs={docs}: {writes} writes for {chunks} chunks of 8 MiB");
        let reads = Ops::get(&ops.read);
        assert!(reads <= chunks + 2, "docs={docs}: {reads} reads for {chunks} chunks");
        seen.push((report.bytes, writes));
    }
    assert!(seen[1].0 > 3 * WRITE_CHUNK as u64, "the big store spans several chunks: {seen:?}");
    assert!(seen[1].1 > 1, "sanity: writes grow with size, in chunks: {seen:?}");
}

#[tokio::test]
async fn a_full_target_gives_a_clear_error_and_no_file_under_the_final_name() {
    let root = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let gogga = open(root.path(), None, 3).await;
    populate(&gogga, 400, 4096);
    let enospc = rustix::io::Errno::NOSPC.raw_os_error();
    let erofs = rustix::io::Errno::ROFS.raw_os_error();
    // (budget, fail at fsync, errno, expected words): ENOSPC mid-write,
    // ENOSPC reported only at fsync (as NFS does), read-only at create.
    let cases = [
        (Some(1u64 << 20), false, enospc, "is full"),
        (None, true, enospc, "is full"),
        (Some(0), false, erofs, "read-only"),
    ];
    for (budget, fail_sync, errno, words) in cases {
        let target = Counting { budget, fail_sync, errno, ..Counting::new(out.path()) };
        let err = backup_with(&gogga, &target, 3).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Backup, "{err}");
        assert!(err.to_string().contains(words), "{words}: {err}");
        assert!(err.to_string().contains(&out.path().display().to_string()), "names the folder: {err}");
        assert_eq!(names(out.path()), Vec::<String>::new(), "{words}: nothing left behind");
    }
    assert!(!gogga.paths().data_dir.join(run::STAGING).exists(), "staging removed after failures");
    // The same folder works once the disk has room again.
    backup_with(&gogga, &Counting::new(out.path()), 3).unwrap();
    assert_eq!(names(out.path()).len(), 1);
}

#[tokio::test]
async fn retention_keeps_exactly_k_newest_after_a_verified_backup() {
    let root = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let gogga = open(root.path(), Some(out.path()), 2).await;
    populate(&gogga, 3, 64);
    // A foreign file and an archive of another name pattern are never pruned.
    std::fs::write(out.path().join("notes.txt"), "mine").unwrap();
    let mut made = Vec::new();
    for _ in 0..4 {
        made.push(gogga.backup_now(None).await.unwrap().archive);
    }
    let mut want = made[2..].to_vec();
    want.push("notes.txt".to_owned());
    want.sort();
    assert_eq!(names(out.path()), want);
    let listed = Gogga::list_backups(out.path().to_path_buf()).await.unwrap();
    assert_eq!(
        listed.iter().map(|a| a.file_name.clone()).collect::<Vec<_>>(),
        vec![made[3].clone(), made[2].clone()]
    );
    assert!(listed.iter().all(|a| a.problem.is_none() && a.manifest.is_some()), "{listed:?}");
}

#[tokio::test]
async fn secrets_and_the_index_are_never_in_an_archive() {
    let root = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let gogga = open(root.path(), None, 3).await;
    populate(&gogga, 3, 64);
    let secret = "sk-live-0123456789abcdef-SECRET";
    let config_dir = &gogga.paths().config_dir;
    std::fs::create_dir_all(config_dir).unwrap();
    std::fs::write(config_dir.join("config.toml"), format!("[gateway]\napi_key = \"{secret}\"\n")).unwrap();
    std::fs::create_dir_all(gogga.paths().index_dir()).unwrap();
    std::fs::write(gogga.paths().index_dir().join("meta.json"), "{}").unwrap();
    let report = gogga.backup_now(Some(out.path().to_path_buf())).await.unwrap();
    let members: Vec<&str> = report.manifest.members.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(members, ["gogga.db"]);
    assert!(report.manifest.excluded.iter().any(|e| e.contains("API keys")));
    let mut plain = Vec::new();
    zstd::Decoder::new(std::fs::File::open(out.path().join(&report.archive)).unwrap())
        .unwrap()
        .read_to_end(&mut plain)
        .unwrap();
    assert!(!plain.windows(secret.len()).any(|w| w == secret.as_bytes()), "the key leaked into the archive");
    let mut tar = tar::Archive::new(plain.as_slice());
    let entries: Vec<String> =
        tar.entries().unwrap().map(|e| e.unwrap().path().unwrap().display().to_string()).collect();
    assert_eq!(entries, ["manifest.json", "gogga.db"]);
}

#[tokio::test]
async fn a_missing_folder_fails_loudly_and_the_failure_is_the_status() {
    let root = tempfile::tempdir().unwrap();
    let gone = root.path().join("nas-not-mounted");
    let gogga = open(root.path(), Some(&gone), 3).await;
    let mut events = gogga.subscribe();
    let err = gogga.backup_now(None).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(err.to_string().contains("does not exist"), "{err}");
    match events.recv().await.unwrap() {
        Event::Backup { ok: false, path: None, message } => {
            assert!(message.contains("does not exist"), "{message}")
        }
        other => panic!("expected a failed backup event, got {other:?}"),
    }
    let status = gogga.backup_status().await.unwrap();
    assert!(status.last_success.is_none());
    let failure = status.last_failure.unwrap();
    assert!(failure.message.contains("does not exist"), "{}", failure.message);
    assert!(status.folder_kind.unwrap().starts_with("unreachable"));
    assert_eq!(status.next_run, None, "schedule off (every_hours = 0)");

    // Now it exists: success, recorded, announced with the archive's path.
    std::fs::create_dir(&gone).unwrap();
    let report = gogga.backup_now(None).await.unwrap();
    match events.recv().await.unwrap() {
        Event::Backup { ok: true, path: Some(p), .. } => {
            assert_eq!(p, gone.join(&report.archive).display().to_string())
        }
        other => panic!("expected a backup event, got {other:?}"),
    }
    let status = gogga.backup_status().await.unwrap();
    assert_eq!(status.last_success.unwrap().archive, Some(report.archive));
    assert_eq!(status.folder_kind.as_deref(), Some("local"));
}

#[tokio::test]
async fn no_folder_configured_is_a_clear_error() {
    let root = tempfile::tempdir().unwrap();
    let gogga = open(root.path(), None, 3).await;
    let err = gogga.backup_now(None).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotConfigured);
    assert!(err.to_string().contains("--to"), "{err}");
}

#[tokio::test]
async fn an_archive_reads_back_whole_and_any_flipped_byte_is_caught() {
    let root = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let gogga = open(root.path(), None, 3).await;
    populate(&gogga, 20, 256);
    let report = gogga.backup_now(Some(out.path().to_path_buf())).await.unwrap();
    let bytes = std::fs::read(out.path().join(&report.archive)).unwrap();
    let ok = archive::read(bytes.as_slice(), Sink::Discard).unwrap();
    assert_eq!(ok.manifest, report.manifest);
    assert_eq!(ok.sha256, report.sha256);
    assert_eq!(archive::checksum(bytes.as_slice()).unwrap(), report.sha256);
    assert_eq!(ok.manifest.counts["chunks"], 80);
    // Flip one bit at spread positions: manifest, payload, trailer.
    let len = bytes.len();
    for at in [20, len / 3, len / 2, len - 70, len - 30, len - 1] {
        let mut bad = bytes.clone();
        bad[at] ^= 0x10;
        let err = archive::read(bad.as_slice(), Sink::Discard).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Backup, "byte {at}: {err}");
        assert!(err.to_string().starts_with("archive refused"), "byte {at}: {err}");
        // The cheap read-back check a backup does before pruning sees it too.
        assert!(archive::checksum(bad.as_slice()).is_err(), "byte {at}");
    }
    for cut in [len - 1, len - 56, len / 2, 100, 0] {
        let err = archive::read(&bytes[..cut], Sink::Discard).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Backup, "cut at {cut}: {err}");
    }
}

#[test]
fn config_defaults_and_validation() {
    let d = BackupConfig::default();
    assert_eq!((d.every_hours, d.keep, d.compression_level, d.folder.clone()), (24, 7, 1, None));
    assert!(d.validate().is_ok());
    let bad = [
        BackupConfig { keep: 0, ..d.clone() },
        BackupConfig { compression_level: 0, ..d.clone() },
        BackupConfig { every_hours: 100_000, ..d.clone() },
        BackupConfig { folder: Some("relative/dir".into()), ..d.clone() },
    ];
    for c in bad {
        assert_eq!(c.validate().unwrap_err().kind(), ErrorKind::Config, "{c:?}");
    }
    let parsed =
        Config::parse("[backup]\nfolder = \"/mnt/nas\"\nevery_hours = 6\nkeep = 3\n", Path::new("c.toml"))
            .unwrap();
    assert_eq!(parsed.backup.every_hours, 6);
    assert!(Config::parse("[backup]\nkeepp = 3\n", Path::new("c.toml")).is_err());
}
