//! `gogga backup` and `gogga restore` as a user runs them: real process,
//! real folders; exit codes (0 ok, 1 failed, 2 usage) and messages checked.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test that cannot unwrap should fail loudly")]

use std::path::Path;
use std::process::{Command, Output};

fn gogga(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gogga"))
        .args(args)
        .env("GOGGA_DATA_DIR", root.join("data"))
        .env("GOGGA_CONFIG_DIR", root.join("config"))
        .env("GOGGA_CACHE_DIR", root.join("cache"))
        .output()
        .unwrap()
}

fn text(o: &Output) -> (String, String) {
    (String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

#[test]
fn backup_list_verify_restore_and_their_failures() {
    let root = tempfile::tempdir().unwrap();
    let nas = root.path().join("nas");
    let nas_s = nas.to_str().unwrap();

    // A missing folder: exit 1 and the reason.
    let o = gogga(root.path(), &["backup", "--to", nas_s]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).1.contains("does not exist"), "{:?}", text(&o));
    // No folder at all: exit 1, says how to give one.
    let o = gogga(root.path(), &["backup"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).1.contains("--to DIR"), "{:?}", text(&o));

    std::fs::create_dir(&nas).unwrap();
    let o = gogga(root.path(), &["backup", "--to", nas_s, "--json"]);
    assert!(o.status.success(), "{:?}", text(&o));
    let report: serde_json::Value = serde_json::from_str(text(&o).0.trim()).unwrap();
    let archive = nas.join(report["archive"].as_str().unwrap());
    let archive_s = archive.to_str().unwrap();

    let o = gogga(root.path(), &["backup", "list", nas_s]);
    assert!(o.status.success());
    assert!(text(&o).0.contains(report["archive"].as_str().unwrap()), "{:?}", text(&o));

    let o = gogga(root.path(), &["backup", "verify", archive_s]);
    assert!(o.status.success(), "{:?}", text(&o));
    assert!(text(&o).0.starts_with("ok: "));

    let o = gogga(root.path(), &["backup", "status", "--json"]);
    let status: serde_json::Value = serde_json::from_str(text(&o).0.trim()).unwrap();
    assert_eq!(status["last_success"]["archive"], report["archive"]);
    assert!(status["last_failure"]["message"].as_str().unwrap().contains("does not exist"));

    // A tampered copy: verify and restore exit 1; the good one restores.
    let mut bytes = std::fs::read(&archive).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    let bad = root.path().join("bad.tar.zst");
    std::fs::write(&bad, bytes).unwrap();
    for args in [vec!["backup", "verify", bad.to_str().unwrap()], vec!["restore", bad.to_str().unwrap()]] {
        let o = gogga(root.path(), &args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(text(&o).1.contains("archive refused"), "{args:?}: {:?}", text(&o));
    }
    let elsewhere = root.path().join("restored");
    let o = gogga(root.path(), &["restore", archive_s, "--data-dir", elsewhere.to_str().unwrap()]);
    assert!(o.status.success(), "{:?}", text(&o));
    assert!(elsewhere.join("gogga.db").exists());

    let o = gogga(root.path(), &["restore"]);
    assert_eq!(o.status.code(), Some(2), "missing ARCHIVE is bad usage");
}
