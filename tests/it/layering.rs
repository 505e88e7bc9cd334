//! Architecture invariants that a compiler cannot check: the core's
//! dependency tree has no shell frameworks, and shells never depend on the
//! engines the core owns.

use std::process::Command;

fn tree(package: &str, depth: Option<u32>) -> String {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.args(["tree", "-p", package, "-e", "normal", "--prefix", "none", "--format", "{p}"]);
    if let Some(d) = depth {
        cmd.args(["--depth", &d.to_string()]);
    }
    let out = cmd.current_dir(env!("CARGO_MANIFEST_DIR")).output().expect("cargo tree runs");
    assert!(out.status.success(), "cargo tree -p {package}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn crate_names(tree: &str) -> Vec<String> {
    tree.lines().filter_map(|l| l.split_whitespace().next()).map(str::to_owned).collect()
}

#[test]
fn the_core_knows_nothing_of_tauri_clap_or_anyhow() {
    let names = crate_names(&tree("gogga", None));
    assert!(names.iter().any(|n| n == "rusqlite"), "sanity: the tree lists the core's deps");
    for banned in ["tauri", "tauri-build", "wry", "clap", "anyhow"] {
        assert!(!names.iter().any(|n| n == banned), "the core depends on {banned}");
    }
}

#[test]
fn shells_use_only_the_facade() {
    for shell in ["gogga-cli", "gogga-desktop"] {
        let direct = crate_names(&tree(shell, Some(1)));
        assert!(direct.iter().any(|n| n == "gogga"), "{shell} must depend on the core");
        for engine in ["rusqlite", "tantivy", "reqwest", "fastembed", "ort", "keyring"] {
            assert!(!direct.iter().any(|n| n == engine), "{shell} depends on {engine} directly");
        }
    }
}
