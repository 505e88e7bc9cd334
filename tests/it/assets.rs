//! The real embedding runtime and model from setup's cache: doctor passes
//! with them, and names each piece when it is taken away. `make test` runs
//! scripts/setup first; without it these tests fail and say so.

use std::path::{Path, PathBuf};

use gogga::{OpenOptions, Paths};

fn real_cache() -> PathBuf {
    let cache = Paths::from_env().unwrap().cache_dir;
    assert!(
        cache.join("onnxruntime-1.24.4/libonnxruntime.so").is_file(),
        "ONNX Runtime is not in {}: run scripts/setup first",
        cache.display()
    );
    cache
}

fn options(root: &Path, cache: &Path) -> OpenOptions {
    let mut o = OpenOptions::under(root);
    o.paths.cache_dir = cache.to_path_buf();
    o
}

fn check<'a>(report: &'a gogga::DoctorReport, name: &str) -> &'a gogga::Check {
    report.checks.iter().find(|c| c.name == name).unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[tokio::test]
async fn doctor_passes_with_the_real_runtime_and_names_what_is_removed() {
    let cache = real_cache();
    let root = tempfile::tempdir().unwrap();
    let report = gogga::doctor(options(root.path(), &cache)).await.unwrap();
    for name in ["config", "data folder", "onnx runtime", "embedding model"] {
        assert!(check(&report, name).ok, "{name}: {}", check(&report, name).detail);
    }

    // A private copy of the cache, then take pieces away one at a time.
    let mine = root.path().join("cache");
    copy_dir(&cache.join("models"), &mine.join("models"));
    std::fs::remove_file(mine.join("models/all-MiniLM-L6-v2/model.onnx")).unwrap();
    let report = gogga::doctor(options(root.path(), &mine)).await.unwrap();
    let model = check(&report, "embedding model");
    assert!(!model.ok);
    assert!(model.detail.contains("model.onnx"), "{}", model.detail);
    let runtime = check(&report, "onnx runtime");
    assert!(!runtime.ok);
    assert!(runtime.detail.contains("libonnxruntime.so"), "{}", runtime.detail);
    assert!(!report.ok());
}

#[tokio::test]
async fn status_reports_the_model_ready_with_the_real_cache() {
    let cache = real_cache();
    let root = tempfile::tempdir().unwrap();
    let gogga = gogga::Gogga::open(options(root.path(), &cache)).await.unwrap();
    let status = gogga.status().await.unwrap();
    assert!(status.model.ready(), "{:?}", status.model.problem);
    assert_eq!(status.store.schema_version, gogga::store::SCHEMA_VERSION);
    assert_eq!(status.data_dir, root.path().join("data"));
}
