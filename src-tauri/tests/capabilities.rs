//! Least privilege, checked: the commands registered with
//! `generate_handler!`, the list tauri-build makes permissions for, and the
//! permissions the capability file grants must be the same set, and the
//! capability grants nothing broad (no fs, shell, http or opener scopes):
//! besides our own commands only core events and the two native file
//! dialogs (which hand back paths, never file contents).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test that cannot unwrap should fail loudly")]

use std::collections::BTreeSet;
use std::path::Path;

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

/// The identifiers inside the first `[...]` after `marker`.
fn list_after(text: &str, marker: &str) -> BTreeSet<String> {
    let start = text.find(marker).unwrap_or_else(|| panic!("{marker} not found")) + marker.len();
    let rest = &text[start..];
    let open = rest.find('[').unwrap();
    let close = rest.find(']').unwrap();
    rest[open + 1..close]
        .split(',')
        .map(|s| s.trim().trim_matches('"').rsplit("::").next().unwrap_or("").to_owned())
        .filter(|s| !s.is_empty())
        .collect()
}

#[test]
fn handlers_build_list_and_capability_agree() {
    let handlers = list_after(&read("src/lib.rs"), "generate_handler!");
    let built = list_after(&read("build.rs"), "const COMMANDS: &[&str] = &");
    let cap: serde_json::Value = serde_json::from_str(&read("capabilities/default.json")).unwrap();
    let perms: Vec<String> =
        cap["permissions"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_owned()).collect();
    let granted: BTreeSet<String> =
        perms.iter().filter_map(|p| p.strip_prefix("allow-")).map(|p| p.replace('-', "_")).collect();
    assert!(!handlers.is_empty());
    assert_eq!(handlers, built, "generate_handler! and build.rs COMMANDS differ");
    assert_eq!(handlers, granted, "capabilities/default.json grants a different set");
    const EXTRA: [&str; 3] = ["core:event:default", "dialog:allow-open", "dialog:allow-save"];
    for p in &perms {
        let allowed = p.starts_with("allow-") || EXTRA.contains(&p.as_str());
        assert!(allowed, "capability grants {p}: only our own commands, core events and the file dialogs");
    }
    for extra in EXTRA {
        assert!(perms.iter().any(|p| p == extra), "the UI needs {extra}");
    }
}

#[test]
fn csp_is_strict() {
    let conf: serde_json::Value = serde_json::from_str(&read("tauri.conf.json")).unwrap();
    let csp = &conf["app"]["security"]["csp"];
    assert_eq!(csp["script-src"], "'self'", "no inline or remote scripts");
    assert_eq!(csp["object-src"], "'none'");
    assert!(!csp.to_string().contains("unsafe-eval"));
    assert_eq!(
        conf["bundle"]["targets"],
        serde_json::json!(["deb", "rpm"]),
        "never \"all\": AppImage needs GitHub"
    );
}
