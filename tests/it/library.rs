//! The document library with the real embedding model (setup's cache), on
//! real files: every fixture format (tests/data/library/, made by
//! make_fixtures.py) imports or fails alone with its reason, and the real
//! model's vectors mean something. Shared helpers for the other
//! `library_*` modules live here.

use std::path::{Path, PathBuf};

use gogga::embed::{Assets, EmbedConfig, Embedder, FastEmbedder, LazyEmbedder};
use gogga::{Gogga, IndexOptions, Mode, OpenOptions, Paths, SearchOptions};

/// setup's cache folder, with the runtime and model in it.
pub fn real_cache() -> PathBuf {
    let cache = Paths::from_env().unwrap().cache_dir;
    assert!(
        cache.join("onnxruntime-1.24.4/libonnxruntime.so").is_file()
            && cache.join("models/all-MiniLM-L6-v2/model.onnx").is_file(),
        "the embedding runtime and model are not in {}: run scripts/setup first",
        cache.display()
    );
    cache
}

/// Options for a data folder under `root` using the real cache.
pub fn options(root: &Path) -> OpenOptions {
    let mut o = OpenOptions::under(root);
    o.paths.cache_dir = real_cache();
    o.config = Some(gogga::Config::default());
    o
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/library")
}

fn cos(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[test]
fn the_real_model_gives_normalised_vectors_that_mean_something() {
    let config = EmbedConfig::default();
    let assets = Assets::locate(&config, &real_cache(), None);
    let e = FastEmbedder::load(&assets, "all-MiniLM-L6-v2", &config).unwrap();
    assert_eq!((e.model_id(), e.dimension()), ("all-MiniLM-L6-v2", 384));
    let texts = ["A dog runs in the park.", "A puppy plays on the grass.", "The tax return is due in March."];
    let v = e.embed(&texts).unwrap();
    for x in &v {
        assert!((cos(x, x) - 1.0).abs() < 1e-3, "unit length");
    }
    assert!(cos(&v[0], &v[1]) > cos(&v[0], &v[2]) + 0.2, "{} vs {}", cos(&v[0], &v[1]), cos(&v[0], &v[2]));
    // More texts than one slice; a text's vector does not depend on its batch.
    let many: Vec<String> =
        (0..100).map(|i| format!("Sentence number {i} about rivers and hills.")).collect();
    let refs: Vec<&str> = many.iter().map(String::as_str).collect();
    let all = e.embed(&refs).unwrap();
    assert_eq!(all.len(), 100);
    let alone = e.embed(&refs[70..71]).unwrap();
    assert!(cos(&alone[0], &all[70]) > 0.999, "{}", cos(&alone[0], &all[70]));
}

/// What the app runs: nothing is loaded until the first embedding, the
/// idle release frees it, and the reload gives the same vectors.
#[test]
fn the_lazy_model_loads_on_first_use_and_reloads_after_an_idle_release() {
    let config = EmbedConfig::default();
    let assets = Assets::locate(&config, &real_cache(), None);
    let lazy = LazyEmbedder::new(&assets, "all-MiniLM-L6-v2", &config).unwrap();
    assert_eq!((lazy.dimension(), lazy.is_loaded(), lazy.loads()), (384, false, 0));
    assert!(!lazy.release_idle(std::time::Duration::ZERO), "nothing to release before first use");
    let first = lazy.embed(&["Rent is due on the first day of the month."]).unwrap();
    assert_eq!((lazy.is_loaded(), lazy.loads()), (true, 1));
    assert!(!lazy.release_idle(std::time::Duration::from_secs(3600)), "used just now");
    assert!(lazy.is_loaded());
    assert!(lazy.release_idle(std::time::Duration::ZERO));
    assert!(!lazy.is_loaded());
    let again = lazy.embed(&["Rent is due on the first day of the month."]).unwrap();
    assert_eq!(lazy.loads(), 2);
    assert!(cos(&first[0], &again[0]) > 0.9999);
    // A question goes to its own one-thread session (a third load), and
    // gets the same vector as the bulk session gives the same text.
    let question = lazy.embed_query("Rent is due on the first day of the month.").unwrap();
    assert_eq!(lazy.loads(), 3);
    assert!(cos(&first[0], &question) > 0.9999);
    lazy.embed_query("When is rent due?").unwrap();
    assert_eq!(lazy.loads(), 3, "the question session is kept while in use");
    assert!(lazy.release_idle(std::time::Duration::ZERO));
    assert!(!lazy.is_loaded(), "both sessions are freed when idle");
    // Preparing (the user started typing) loads the question session
    // ahead; the question then finds it loaded.
    lazy.prepare_query().unwrap();
    assert_eq!((lazy.is_loaded(), lazy.loads()), (true, 4));
    lazy.embed_query("Is the deposit paid back?").unwrap();
    assert_eq!(lazy.loads(), 4);
}

#[test]
fn a_missing_model_is_an_error_naming_it() {
    let config = EmbedConfig { model: "no-such-model".into(), ..EmbedConfig::default() };
    let assets = Assets::locate(&config, &real_cache(), None);
    let err = FastEmbedder::load(&assets, "no-such-model", &config).unwrap_err();
    assert_eq!(err.kind(), gogga::ErrorKind::Embed);
    assert!(err.to_string().contains("no-such-model"), "{err}");
    // The lazy one says so up front, not at the first embedding.
    let err = LazyEmbedder::new(&assets, "no-such-model", &config).unwrap_err();
    assert!(err.to_string().contains("no-such-model"), "{err}");
}

#[tokio::test]
async fn every_fixture_format_imports_and_bad_files_fail_alone_with_their_reason() {
    let root = tempfile::tempdir().unwrap();
    let docs = root.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e != "py") {
            std::fs::copy(&path, docs.join(path.file_name().unwrap())).unwrap();
        }
    }
    let g = Gogga::open(options(root.path())).await.unwrap();
    let report = g.index(vec![docs.clone()], IndexOptions::default()).await.unwrap();
    let outcome = |name: &str| {
        let f =
            report.files.iter().find(|f| f.path.ends_with(name)).unwrap_or_else(|| panic!("{name} missing"));
        (f.outcome.clone(), f.code.clone().unwrap_or_default())
    };
    for name in [
        "report.pdf",
        "letter.docx",
        "minutes.odt",
        "page.html",
        "table.csv",
        "latin1.txt",
        "utf16.txt",
        "notes.md",
    ] {
        assert_eq!(outcome(name), ("added".to_owned(), String::new()), "{name}");
    }
    for (name, code) in [
        ("binary.txt", "binary"),
        ("empty.txt", "empty"),
        ("encrypted.pdf", "encrypted"),
        ("corrupt.pdf", "corrupt"),
    ] {
        assert_eq!(outcome(name), ("failed".to_owned(), code.to_owned()), "{name}");
    }
    assert!(report.has_failures());
    assert_eq!(report.embeddings_pending, 0, "{:?}", report.embeddings_note);

    // (query, file, page, heading) for the best hybrid hit.
    let cases: &[(&str, &str, Option<u32>, &str)] = &[
        ("kudu crossed the fence", "report.pdf", Some(2), ""),
        ("rooibos harvest", "report.pdf", Some(1), ""),
        ("water pressure in Ward 7", "letter.docx", None, "Water supply"),
        ("inspect the reservoir valve", "letter.docx", None, "Water supply > Requested action"),
        ("committee new bibs", "minutes.odt", None, "Netball club"),
        ("inverter batteries stage 4", "page.html", None, "Load shedding guide"),
        ("capital of the Western Cape", "table.csv", None, ""),
        ("crème brûlée koeksisters", "latin1.txt", None, ""),
        ("Drakensberg hiking", "utf16.txt", None, ""),
        ("when to light the charcoal", "notes.md", None, "Braai checklist > Fire"),
    ];
    for (query, file, page, heading) in cases {
        let hits = g.search(query, SearchOptions::default()).await.unwrap();
        assert_eq!(hits.mode, Mode::Hybrid);
        let top = &hits.hits[0];
        assert!(top.path.ends_with(file), "{query}: {}", top.path);
        assert_eq!((top.page, top.heading.as_str()), (*page, *heading), "{query}");
    }
    // Meaning, not words: the vector side finds the pump.
    let v = g
        .search(
            "the water pump at the well must be repaired before the cold season",
            SearchOptions { mode: Mode::Vector, ..SearchOptions::default() },
        )
        .await
        .unwrap();
    assert!(
        v.hits[..3].iter().any(|h| h.path.ends_with("report.pdf") && h.page == Some(2)),
        "{:?}",
        v.hits.iter().map(|h| &h.path).collect::<Vec<_>>()
    );
    // Document titles come from the files where they have one.
    let docs = g.documents().await.unwrap();
    let title = |n: &str| docs.iter().find(|d| d.path.ends_with(n)).unwrap().title.clone();
    assert_eq!(title("letter.docx"), "Letter to the municipality");
    assert_eq!(title("minutes.odt"), "Netball club minutes");
    assert_eq!(title("page.html"), "Load shedding guide");
    assert!(g.check_index().await.unwrap().agrees());
    g.shutdown().await.unwrap();
}
