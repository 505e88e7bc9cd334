//! `gogga ask`, `chat`, `history`, `usage` and `export` as a user runs
//! them: the real binary, a real data folder, a config pointing at the
//! scripted mock upstream on 127.0.0.1; output, stored results and exit
//! codes checked. Ctrl-C is a real SIGINT sent to the process.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test helpers: a failed unwrap is a failed test")]

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use mock_upstream::MockUpstream;

/// The mock on a runtime that lives as long as the test.
struct Mock {
    _rt: tokio::runtime::Runtime,
    mock: MockUpstream,
}

fn mock() -> Mock {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let mock = rt.block_on(MockUpstream::start()).unwrap();
    Mock { _rt: rt, mock }
}

fn setup(root: &Path, base_url: Option<&str>, fast: &str) {
    let dir = root.join("config");
    std::fs::create_dir_all(&dir).unwrap();
    let gateway = match base_url {
        Some(url) => format!(
            "[gateway]\nprimary = \"custom\"\n[gateway.custom]\nbase_url = \"{url}\"\nkeys = [{{ name = \"t\", key = \"sk-t\" }}]\n"
        ),
        None => String::new(),
    };
    let text = format!("{gateway}[router]\nplan = \"jive\"\n[router.models]\nfast = \"{fast}\"\n");
    std::fs::write(dir.join("config.toml"), text).unwrap();
}

fn command(root: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gogga"));
    c.args(args)
        .env("GOGGA_DATA_DIR", root.join("data"))
        .env("GOGGA_CONFIG_DIR", root.join("config"))
        .env("GOGGA_CACHE_DIR", root.join("cache"))
        .env_remove("GOGGA_MODEL");
    c
}

fn gogga(root: &Path, args: &[&str]) -> Output {
    command(root, args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn ask_streams_the_answer_and_history_usage_and_export_show_it() {
    let m = mock();
    let root = tempfile::tempdir().unwrap();
    setup(root.path(), Some(&m.mock.base_url()), "think");
    let o = gogga(root.path(), &["ask", "What is the answer to everything?", "--thinking"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout).trim(), "It is 42.", "thinking stays off stdout");
    let err = text(&o.stderr);
    assert!(err.contains("Let me check the sources.") && err.contains("tokens in"), "{err}");

    let o = gogga(root.path(), &["ask", "A second question", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["message"]["content"], "It is 42.");
    assert_eq!(v["message"]["route"]["tier"], "jive");

    let o = gogga(root.path(), &["history", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);
    let first = list[1]["id"].as_str().unwrap().to_owned();
    assert_eq!(list[1]["title"], "What is the answer to everything?");
    let o = gogga(root.path(), &["history", "--search", "everything"]);
    assert!(text(&o.stdout).contains("»everything«"), "{}", text(&o.stdout));
    let o = gogga(root.path(), &["history", &first]);
    assert!(text(&o.stdout).contains("It is 42."));

    let o = gogga(root.path(), &["usage"]);
    let out = text(&o.stdout);
    assert!(o.status.success() && out.contains("today") && out.contains("JIVE"), "{out}");
    let o = gogga(root.path(), &["usage", "--json", "--days", "7"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["days"].as_array().unwrap().len(), 7);
    assert_eq!(v["today"]["messages"], 2);

    let o = gogga(root.path(), &["export", &first, "--format", "md"]);
    assert!(text(&o.stdout).starts_with("# What is the answer to everything?"));
    let file = root.path().join("c.json");
    let o = gogga(root.path(), &["export", &first, "--format", "json", "-o", file.to_str().unwrap()]);
    assert!(o.status.success() && file.exists());
    let o = gogga(root.path(), &["export", "--import", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "already there");
    assert!(text(&o.stderr).contains("already exists"));
    let o = gogga(root.path(), &["export", "no-such-id"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("no conversation"));
    let o = gogga(root.path(), &["export", &first, "--format", "pdf"]);
    assert_eq!(o.status.code(), Some(2), "bad usage");
    assert_eq!(m.mock.total_calls(), 2);
}

#[test]
fn ask_with_no_model_answers_from_search_and_says_so() {
    let root = tempfile::tempdir().unwrap();
    setup(root.path(), None, "echo");
    let o = gogga(root.path(), &["ask", "Where is my lease?"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).starts_with("No model is set up"), "{}", text(&o.stdout));
    assert!(text(&o.stderr).contains("No model is set up"));
}

#[test]
fn ctrl_c_in_chat_stops_the_answer_not_the_program() {
    let m = mock();
    let root = tempfile::tempdir().unwrap();
    setup(root.path(), Some(&m.mock.base_url()), "drip_ms_20");
    let mut child = command(root.path(), &["chat"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "tell me a very long story").unwrap();
    // Wait for the answer to be streaming: the mock's words reach stdout.
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    while !String::from_utf8_lossy(&seen).contains("ipsum") {
        std::io::Read::read_exact(&mut stdout, &mut byte).unwrap();
        seen.push(byte[0]);
    }
    let status = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    // Still alive: it takes another line, then leaves on /quit.
    writeln!(stdin, "/quit").unwrap();
    drop(stdin);
    let mut rest = String::new();
    for line in stdout.lines() {
        rest.push_str(&line.unwrap());
        rest.push('\n');
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "exit {:?}: {}", out.status, text(&out.stderr));
    assert!(text(&out.stderr).contains("[stopped]"), "{}", text(&out.stderr));
    let o = gogga(root.path(), &["history", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let id = list[0]["id"].as_str().unwrap();
    let o = gogga(root.path(), &["history", id, "--json"]);
    let detail: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let answer = &detail["messages"][1];
    assert_eq!(answer["stopped"], true);
    let words = answer["content"].as_str().unwrap().split_whitespace().count();
    assert!((2..10_000).contains(&words), "partial answer kept: {words} words");
}
