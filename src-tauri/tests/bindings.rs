//! The TypeScript bindings in ui/src/ipc/bindings are generated from the
//! DTOs; this test regenerates them and fails when the committed files are
//! stale, so the UI can never disagree with the Rust side.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test that cannot unwrap should fail loudly")]

use ts_rs::TS;

#[test]
fn committed_bindings_match_the_dtos() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/ipc/bindings");
    let cfg = ts_rs::Config::default();
    let cases = [
        ("AppStatus.ts", gogga_desktop::dto::AppStatus::export_to_string(&cfg)),
        ("IpcError.ts", gogga_desktop::dto::IpcError::export_to_string(&cfg)),
    ];
    let regenerate = std::env::var_os("UPDATE_BINDINGS").is_some();
    for (file, generated) in cases {
        let generated = generated.unwrap();
        let path = dir.join(file);
        if regenerate {
            std::fs::write(&path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            committed, generated,
            "{file} is stale: run UPDATE_BINDINGS=1 cargo test -p gogga-desktop"
        );
    }
}
