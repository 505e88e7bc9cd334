//! `gogga route` as a user runs it: the real binary, a real config folder
//! (config.toml and router.toml), text and JSON output, exit codes.

#![expect(clippy::unwrap_used, reason = "test helpers: a failed unwrap is a failed test")]

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

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn write_config(root: &Path, name: &str, text: &[u8]) {
    std::fs::create_dir_all(root.join("config")).unwrap();
    std::fs::write(root.join("config").join(name), text).unwrap();
}

#[test]
fn json_shows_route_phrases_and_language() {
    let root = tempfile::tempdir().unwrap();
    let v = json(&gogga(root.path(), &["route", "Explain POPIA in detail", "--tier", "jive", "--json"]));
    assert_eq!(v["route"]["layer"], "big");
    assert_eq!(v["route"]["reason"], "complex");
    assert_eq!(v["route"]["model"], "qwen-3-235b-a22b-instruct-2507");
    assert_eq!(v["route"]["max_tokens"], 32000);
    assert_eq!(v["route"]["enhancements"]["cot_reflection"], true);
    let categories = v["categories"].as_array().unwrap();
    assert!(categories.iter().any(|c| c["category"] == "complex" && c["phrases"][0] == "popia"), "{v}");
    assert!(categories.iter().any(|c| c["category"] == "extended_output"), "{v}");
    assert_eq!(v["hits"][0]["start"], 8);
    assert_eq!(v["language"]["lang"], "en");
}

#[test]
fn override_and_language() {
    let root = tempfile::tempdir().unwrap();
    let v = json(&gogga(
        root.path(),
        &["route", "Explain POPIA", "--tier", "jigga", "--override", "fast", "--json"],
    ));
    assert_eq!(
        (v["route"]["layer"].as_str(), v["route"]["reason"].as_str()),
        (Some("fast"), Some("override_fast"))
    );
    let v = json(&gogga(
        root.path(),
        &["route", "Ngicela ungisize, angazi ukuthi ngenzeni ngemali yami", "--tier", "jive", "--json"],
    ));
    assert_eq!(v["language"]["lang"], "zu", "{v}");
    assert!(v["language"]["confidence"].as_f64().unwrap() >= 0.6);
    assert_eq!(v["route"]["layer"], "big");
}

#[test]
fn text_output_names_everything() {
    let root = tempfile::tempdir().unwrap();
    let o = gogga(root.path(), &["route", "Draw me a protea", "--tier", "free"]);
    assert!(o.status.success());
    let out = String::from_utf8_lossy(&o.stdout);
    for needle in [
        "layer:        image (image)",
        "model:        flux-1-schnell",
        "max_tokens:   2048",
        "image",
        "\"draw me\"",
        "language:",
    ] {
        assert!(out.contains(needle), "missing {needle:?} in\n{out}");
    }
}

#[test]
fn plan_and_models_come_from_config() {
    let root = tempfile::tempdir().unwrap();
    write_config(
        root.path(),
        "config.toml",
        b"[router]\nplan = \"jigga\"\n[router.models]\nfast = \"my-fast\"\n",
    );
    let v = json(&gogga(root.path(), &["route", "What is a good name for a dog?", "--json"]));
    assert_eq!(v["route"]["tier"], "jigga");
    assert_eq!(v["route"]["model"], "my-fast");
    assert_eq!(v["route"]["enhancements"]["planning"], true);
}

#[test]
fn router_toml_edits_apply_and_errors_name_file_and_line() {
    let root = tempfile::tempdir().unwrap();
    write_config(root.path(), "router.toml", b"[image]\nadd = [\"doodle of\"]\n");
    let v = json(&gogga(root.path(), &["route", "A doodle of a hadeda", "--tier", "free", "--json"]));
    assert_eq!(v["route"]["layer"], "image");

    write_config(root.path(), "router.toml", b"# mine\n[imagez]\nadd = [\"x\"]\n");
    let o = gogga(root.path(), &["route", "hello", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("router.toml line 2") && err.contains("unknown category `imagez`"), "{err}");

    write_config(root.path(), "router.toml", b"[image]\nadd = [\"\xff\"]\n");
    let o = gogga(root.path(), &["route", "hello"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not UTF-8"));
}

#[test]
fn bad_usage_exits_2() {
    let root = tempfile::tempdir().unwrap();
    for args in [&["route"][..], &["route", "hi", "--tier", "gold"], &["route", "hi", "--override", "turbo"]]
    {
        assert_eq!(gogga(root.path(), args).status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn empty_and_emoji_messages_still_route() {
    let root = tempfile::tempdir().unwrap();
    for text in ["", "🇿🇦🦁😀", "こんにちは draw me"] {
        let v = json(&gogga(root.path(), &["route", text, "--tier", "jive", "--json"]));
        assert!(v["route"]["max_tokens"].as_u64().unwrap() > 0, "{text:?}: {v}");
    }
}
