//! The `gogga` binary as a user runs it: real process, real data folder,
//! exit codes and output checked.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test that cannot unwrap should fail loudly")]

use std::path::Path;
use std::process::{Command, Output};

fn gogga(root: &Path, cache: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gogga"))
        .args(args)
        .env("GOGGA_DATA_DIR", root.join("data"))
        .env("GOGGA_CONFIG_DIR", root.join("config"))
        .env("GOGGA_CACHE_DIR", cache)
        .env_remove("GOGGA_ORT_DYLIB")
        .env_remove("ORT_DYLIB_PATH")
        .env_remove("GOGGA_MODEL_DIR")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn help_and_version() {
    let root = tempfile::tempdir().unwrap();
    let o = gogga(root.path(), root.path(), &["--help"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("doctor"));
    let o = gogga(root.path(), root.path(), &["--version"]);
    assert!(stdout(&o).starts_with("gogga "), "{}", stdout(&o));
    let o = gogga(root.path(), root.path(), &["no-such-command"]);
    assert_eq!(o.status.code(), Some(2), "bad usage exits 2");
}

#[test]
fn status_json_describes_the_data_folder() {
    let root = tempfile::tempdir().unwrap();
    let o = gogga(root.path(), &root.path().join("empty-cache"), &["status", "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(v["data_dir"], root.path().join("data").display().to_string());
    assert!(v["store"]["schema_version"].as_u64().unwrap() >= 1);
    assert!(v["model"]["problem"].as_str().unwrap().contains("libonnxruntime.so"));
}

#[test]
fn doctor_with_an_empty_cache_names_the_missing_pieces_and_exits_1() {
    let root = tempfile::tempdir().unwrap();
    let o = gogga(root.path(), &root.path().join("empty-cache"), &["doctor"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("FAIL onnx runtime"), "{out}");
    assert!(out.contains("libonnxruntime.so"), "{out}");
    assert!(out.contains("FAIL embedding model"), "{out}");
    assert!(out.contains("ok   data folder"), "{out}");
}

#[test]
fn a_broken_config_fails_status_with_the_key_named() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("config")).unwrap();
    std::fs::write(root.path().join("config/config.toml"), "[router]\nplan = \"gold\"\n").unwrap();
    let o = gogga(root.path(), root.path(), &["status"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("config.toml") && err.contains("gold"), "{err}");
}
