//! Embedder tests that need no runtime: the fake's properties and config
//! validation. The real model is exercised in tests/it/library_embed.rs.

use super::*;

fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[test]
fn fake_vectors_are_deterministic_normalised_and_word_based() {
    let e = FakeEmbedder::new("fake-a", 64);
    let v = e.embed(&["the quick brown fox", "the quick brown fox", "tax returns due in March", ""]).unwrap();
    assert_eq!(v.len(), 4);
    assert_eq!(v[0], v[1]);
    assert!((dot(&v[0], &v[0]) - 1.0).abs() < 1e-5);
    assert!(v[3].iter().all(|x| *x == 0.0), "no words, zero vector");
    let q = e.embed(&["brown fox"]).unwrap();
    assert!(dot(&q[0], &v[0]) > dot(&q[0], &v[2]), "shared words score higher");
    assert_eq!(e.texts_embedded(), 5);
}

#[test]
fn two_fake_models_disagree() {
    let a = FakeEmbedder::new("fake-a", 64).embed(&["hello world"]).unwrap();
    let b = FakeEmbedder::new("fake-b", 64).embed(&["hello world"]).unwrap();
    assert_ne!(a, b);
}

#[test]
fn config_validation_names_the_bad_value() {
    let ok = EmbedConfig::default();
    assert!(ok.validate().is_ok());
    let cases = [
        (EmbedConfig { batch_size: 0, ..ok.clone() }, "batch_size"),
        (EmbedConfig { batch_size: SLICE + 1, ..ok.clone() }, "batch_size"),
        (EmbedConfig { threads: Some(0), ..ok.clone() }, "threads"),
        (EmbedConfig { model: "../x".into(), ..ok.clone() }, "model"),
        (EmbedConfig { model: " ".into(), ..ok.clone() }, "model"),
    ];
    for (config, word) in cases {
        let err = config.validate().unwrap_err().to_string();
        assert!(err.contains(word), "{err}");
    }
}

#[test]
fn loading_without_runtime_or_model_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let assets = Assets {
        onnxruntime: None,
        model_dir: None,
        searched_runtime: vec![dir.path().join("libonnxruntime.so")],
        searched_model: vec![dir.path().join("models")],
    };
    let err = FastEmbedder::load(&assets, DEFAULT_MODEL_ID, &EmbedConfig::default()).unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::Embed);
    assert!(err.to_string().contains("libonnxruntime.so"), "{err}");
}
