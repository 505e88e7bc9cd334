//! The shell's pure pieces, hermetically: conversions from the core's types
//! to the DTOs the UI reads (and from the UI's inputs back), times as RFC
//! 3339, the scheme check of `open_external`, and the `index-progress`
//! throttle. Each table says what an input gets.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a test that cannot unwrap should fail loudly")]

use std::time::{Duration, Instant};

use gogga_desktop::commands::checked_external_url;
use gogga_desktop::dto::{self, DocumentStatus, IndexProgress, KeyStorage, ProviderKind, Tier};
use gogga_desktop::events::{MIN_GAP, Throttle};

#[test]
fn times_are_rfc3339_utc() {
    let cases = [
        (0, "1970-01-01T00:00:00Z"),
        (1_772_438_400_000, "2026-03-02T08:00:00Z"),
        (1_709_168_523_999, "2024-02-29T01:02:03Z"),
        (951_782_400_000, "2000-02-29T00:00:00Z"),
        (-1000, "1969-12-31T23:59:59Z"),
    ];
    for (ms, want) in cases {
        assert_eq!(dto::rfc3339(ms), want, "{ms}");
    }
}

#[test]
fn external_links_only_http_https_and_mailto() {
    let cases = [
        ("https://example.org/a?b=c#d", true),
        ("http://127.0.0.1:8080/", true),
        ("  HTTPS://Example.org  ", true),
        ("mailto:info@example.org", true),
        ("javascript:alert(1)", false),
        ("JavaScript:alert(1)", false),
        ("data:text/html,<script>alert(1)</script>", false),
        ("file:///etc/passwd", false),
        ("ftp://example.org/x", false),
        ("/relative/path", false),
        ("example.org", false),
        ("http://", false),
        ("mailto:", false),
        ("", false),
    ];
    for (url, ok) in cases {
        let got = checked_external_url(url);
        assert_eq!(got.is_ok(), ok, "{url:?} -> {got:?}");
        if let Err(e) = got {
            assert_eq!(e.code, "invalid_input", "{url:?}");
            assert!(!e.message.is_empty());
        }
    }
}

fn document(stage: gogga::ingest::DocumentStage, error: Option<(&str, &str)>) -> gogga::ingest::DocumentView {
    gogga::ingest::DocumentView {
        id: "d1".into(),
        path: "/docs/policy.md".into(),
        title: "Policy".into(),
        format: "markdown".into(),
        size_bytes: 5_000_000_000,
        stage,
        error_code: error.map(|e| e.0.to_owned()),
        error: error.map(|e| e.1.to_owned()),
        chunks: 12,
        conversation_id: None,
        folder_id: Some("f1".into()),
        added_at: 1_772_438_400_000,
        updated_at: 1_772_438_401_000,
    }
}

#[test]
fn documents_keep_status_error_size_and_dates() {
    use gogga::ingest::DocumentStage as S;
    let cases = [
        (S::Ready, None, DocumentStatus::Ready),
        (S::Embedding, None, DocumentStatus::Embedding),
        (S::Failed, Some(("ingest", "not text: binary content")), DocumentStatus::Failed),
    ];
    for (stage, error, want) in cases {
        let d = dto::DocumentInfo::from(document(stage, error));
        assert_eq!(d.status, want);
        assert_eq!(d.error.as_ref().map(|e| (e.code.as_str(), e.message.as_str())), error);
        assert_eq!(d.size_bytes, 5_000_000_000, "sizes above 4 GiB survive");
        assert_eq!(
            (d.added_at.as_str(), d.updated_at.as_str()),
            ("2026-03-02T08:00:00Z", "2026-03-02T08:00:01Z")
        );
        assert_eq!((d.chunks, d.folder_id.as_deref(), d.pages), (12, Some("f1"), None));
    }
    let json = serde_json::to_value(dto::DocumentInfo::from(document(S::Ready, None))).unwrap();
    assert_eq!(json["status"], "ready");
    assert_eq!(json["sizeBytes"], 5_000_000_000u64);
    assert!(json["conversationId"].is_null() && json["error"].is_null());
}

#[test]
fn import_reports_count_queued_files_and_say_why_paths_were_left_out() {
    let q = gogga::ingest::QueuedImport {
        batch: "b".into(),
        accepted: 2,
        skipped: vec![
            gogga::ingest::SkippedPath {
                path: "/x.bin".into(),
                code: "skipped".into(),
                message: "not a format the library reads".into(),
            },
            gogga::ingest::SkippedPath {
                path: "/missing".into(),
                code: "not_found".into(),
                message: "no such file".into(),
            },
        ],
    };
    let r = dto::ImportReport::from(q);
    assert_eq!(r.accepted, 2);
    let skipped: Vec<_> = r.skipped.iter().map(|p| (p.path.as_str(), p.code.as_str())).collect();
    assert_eq!(skipped, [("/x.bin", "skipped"), ("/missing", "not_found")]);
}

#[test]
fn progress_events_become_running_and_idle_becomes_the_final_event() {
    let running = gogga::Event::IndexProgress {
        files_done: 3,
        files_total: 5,
        files_failed: 1,
        chunks_done: 10,
        chunks_total: 40,
        chunks_per_sec: 20.0,
        eta_secs: Some(1.5),
    };
    let p = IndexProgress::from_event(&running).unwrap();
    assert!(p.running);
    assert_eq!(
        (p.files_done, p.files_total, p.files_failed, p.chunks_done, p.chunks_total),
        (3, 5, 1, 10, 40)
    );
    assert_eq!(p.eta_secs, Some(1.5));
    let idle = gogga::Event::IndexIdle {
        files_done: 5,
        files_total: 5,
        files_failed: 1,
        chunks_done: 40,
        chunks_total: 40,
    };
    let p = IndexProgress::from_event(&idle).unwrap();
    assert!(!p.running, "the final event says the run ended");
    assert_eq!((p.files_total, p.eta_secs), (5, None));
    assert_eq!(IndexProgress::from_event(&gogga::Event::Ready), None);
    let backup = gogga::Event::Backup { ok: true, path: None, message: "done".into() };
    assert_eq!(IndexProgress::from_event(&backup), None);
}

fn progress(running: bool, files_done: u32) -> IndexProgress {
    IndexProgress {
        running,
        files_done,
        files_total: 100,
        files_failed: 0,
        chunks_done: 0,
        chunks_total: 0,
        chunks_per_sec: 0.0,
        eta_secs: None,
        current_path: None,
    }
}

#[test]
fn throttle_sends_at_most_four_a_second_newest_wins_and_the_final_goes_at_once() {
    let t0 = Instant::now();
    let mut t = Throttle::default();
    assert_eq!(t.offer(t0, progress(true, 1)).map(|p| p.files_done), Some(1), "the first goes at once");
    assert!(t.offer(t0 + Duration::from_millis(100), progress(true, 2)).is_none(), "held");
    assert!(t.offer(t0 + Duration::from_millis(200), progress(true, 3)).is_none(), "held, replacing 2");
    assert_eq!(t.due_at(), Some(t0 + MIN_GAP));
    assert!(t.take_due(t0 + Duration::from_millis(249)).is_none(), "not yet");
    assert_eq!(t.take_due(t0 + MIN_GAP).map(|p| p.files_done), Some(3), "the newest held value");
    assert_eq!(t.due_at(), None, "nothing held any more");
    assert!(t.offer(t0 + Duration::from_millis(300), progress(true, 4)).is_none());
    let last = t.offer(t0 + Duration::from_millis(310), progress(false, 5)).unwrap();
    assert_eq!((last.running, last.files_done), (false, 5), "the final event is never held");
    assert_eq!(t.due_at(), None, "and it drops what was held");

    // A burst of 100 updates over one second: at most 4 go out, plus the
    // one held at the end (sent when its slot comes).
    let mut t = Throttle::default();
    let mut sent = 0;
    for i in 0..100u32 {
        let now = t0 + Duration::from_millis(u64::from(i) * 10);
        sent += usize::from(t.take_due(now).is_some());
        sent += usize::from(t.offer(now, progress(true, i)).is_some());
    }
    assert!((3..=4).contains(&sent), "{sent} events in one second");
    assert_eq!(
        t.take_due(t0 + Duration::from_secs(2)).map(|p| p.files_done),
        Some(99),
        "the last value is not lost"
    );
}

fn settings_view() -> gogga::settings::SettingsView {
    use gogga::gateway::ProviderKind as K;
    let provider = |kind: K, label: &'static str, enabled: bool| gogga::settings::ProviderView {
        kind,
        label,
        base_url: "http://127.0.0.1:9/v1".into(),
        enabled,
        keyless: false,
        keys: vec![gogga::settings::KeyView { name: "main".into(), hint: "…9f3a".into(), source: "app" }],
    };
    gogga::settings::SettingsView {
        providers: vec![
            provider(K::Cerebras, "Cerebras", true),
            provider(K::Custom, "OpenAI-compatible server", false),
        ],
        plan: gogga::Tier::Jive,
        default_mode: gogga::Override::Max,
        cepo_enabled: false,
        cepo_url: "  ".into(),
        theme: gogga::config::Theme::Dark,
        data_dir: "/data".into(),
        restart_required: true,
        key_in_keyring: false,
        key_location: "the file /config/keys.toml (mode 0600)".into(),
        key_file: "/config/keys.toml".into(),
        key_problem: None,
    }
}

#[test]
fn settings_show_providers_by_kind_name_and_never_a_secret() {
    let s = dto::Settings::from(settings_view());
    let ids: Vec<_> = s.providers.iter().map(|p| (p.id.as_str(), p.kind, p.enabled)).collect();
    assert_eq!(
        ids,
        [("cerebras", ProviderKind::Cerebras, true), ("custom", ProviderKind::OpenaiCompatible, false)]
    );
    assert_eq!((s.plan, s.cepo.endpoint.as_deref(), s.restart_required), (Tier::Jive, None, true));
    assert_eq!((s.key_storage, s.key_file.as_deref()), (KeyStorage::File, Some("/config/keys.toml")));
    let in_keyring = dto::Settings::from(gogga::settings::SettingsView {
        key_in_keyring: true,
        key_file: "".into(),
        ..settings_view()
    });
    assert_eq!((in_keyring.key_storage, in_keyring.key_file), (KeyStorage::Keyring, None));
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(
        (json["plan"].as_str(), json["defaultMode"].as_str(), json["theme"].as_str()),
        (Some("JIVE"), Some("max"), Some("dark"))
    );
    assert_eq!(json["providers"][0]["keys"][0], serde_json::json!({ "name": "main", "hint": "…9f3a" }));
    assert_eq!(json["keyStorage"], "file");
}

#[test]
fn patches_from_the_ui_leave_null_fields_unchanged() {
    let p: dto::SettingsPatch = serde_json::from_str(
        r#"{"plan":"FREE","defaultMode":null,"cepo":{"enabled":true,"endpoint":null},"theme":null,"dataDir":null}"#,
    )
    .unwrap();
    let core: gogga::settings::SettingsPatch = p.into();
    assert_eq!(core.plan, Some(gogga::Tier::Free));
    assert_eq!((core.default_mode, core.theme, core.data_dir), (None, None, None));
    assert_eq!((core.cepo_enabled, core.cepo_url), (Some(true), None), "a null endpoint keeps the endpoint");
    let bad = serde_json::from_str::<dto::SettingsPatch>(
        r#"{"plan":"GOLD","defaultMode":null,"cepo":null,"theme":null,"dataDir":null}"#,
    );
    assert!(bad.is_err(), "an unknown plan is refused");
}

#[test]
fn providers_are_found_by_id_and_a_new_id_is_refused() {
    use gogga::gateway::ProviderKind as K;
    let input = |id: &str, kind| dto::ProviderInput {
        id: id.into(),
        kind,
        label: "x".into(),
        base_url: " http://h/v1 ".into(),
        enabled: true,
    };
    let u = input("custom", ProviderKind::OpenaiCompatible).to_update(true).unwrap();
    assert_eq!(
        (u.kind, u.enabled, u.keyless, u.base_url.as_deref()),
        (K::Custom, true, true, Some(" http://h/v1 "))
    );
    assert_eq!(input("openrouter", ProviderKind::Openrouter).kind().unwrap(), K::OpenRouter);
    let new = input("my-ollama", ProviderKind::OpenaiCompatible).to_update(false).unwrap_err();
    assert_eq!(new.code, "invalid_input");
    assert!(new.message.contains("\"custom\""), "it says which provider to change: {}", new.message);
    let mismatch = input("cerebras", ProviderKind::Openrouter).kind().unwrap_err();
    assert_eq!(mismatch.code, "invalid_input");
    assert_eq!(dto::provider_by_id("openrouter").unwrap(), K::OpenRouter);
    assert_eq!(dto::provider_by_id("nope").unwrap_err().code, "invalid_input");
}

#[test]
fn latency_buckets_are_counted_per_bucket_not_cumulatively() {
    let h = gogga::gateway::LatencyHistogram {
        tier: "jive".into(),
        model: "fast".into(),
        bounds: vec![0.5, 1.0, 2.0],
        cumulative: vec![1, 3, 3],
        count: 5,
        sum_seconds: 9.0,
    };
    let s = dto::LatencySeries::from_histogram(&h).unwrap();
    let buckets: Vec<_> = s.buckets.iter().map(|b| (b.le, b.count)).collect();
    assert_eq!(buckets, [(Some(0.5), 1), (Some(1.0), 2), (Some(2.0), 0), (None, 2)]);
    assert_eq!((s.tier, s.count), (Tier::Jive, 5));
    let odd = gogga::gateway::LatencyHistogram { tier: "gold".into(), ..h };
    assert!(dto::LatencySeries::from_histogram(&odd).is_none(), "an unknown tier label is left out");
}

#[test]
fn the_embedding_queue_counts_passages() {
    let status = gogga::LibraryStatus {
        documents: 3,
        failed_documents: 1,
        chunks: 100,
        folders: 0,
        queue: vec![("embed".into(), 2), ("ingest".into(), 5)],
        chunks_without_vectors: 30,
        vectors: vec![],
        active_model: "m".into(),
        target_model: "m".into(),
        vector_search: "ready".into(),
        embed_rate: Some(12.5),
        leader: true,
        leader_pid: None,
        vectors_redone: 0,
    };
    let q = dto::QueueStats::from(&status);
    assert_eq!((q.pending, q.running, q.failed, q.done), (30, 2, 1, 70));
    assert_eq!(q.chunks_per_sec, 12.5);
}
