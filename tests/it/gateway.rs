//! The gateway through the façade, against a real HTTP server (the scripted
//! mock upstream on 127.0.0.1): `chat_raw` streams, and `metrics_text`
//! parses as Prometheus text with exactly the promised names and labels.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use gogga::gateway::{GatewayConfig, KeyConfig, ProviderKind, RawChat, Secret, StreamEvent};
use gogga::{Gogga, OpenOptions, Tier};
use mock_upstream::MockUpstream;

async fn open(base_url: &str, root: &std::path::Path) -> Gogga {
    let mut gateway = GatewayConfig { primary: ProviderKind::Custom, ..GatewayConfig::default() };
    gateway.custom.base_url = Some(base_url.to_owned());
    gateway.custom.keys = vec![KeyConfig { name: "it".into(), key: Secret::new("sk-it-secret") }];
    let mut options = OpenOptions::under(root);
    options.config = Some(gogga::Config { gateway, ..gogga::Config::default() });
    Gogga::open(options).await.unwrap()
}

#[tokio::test]
async fn chat_raw_streams_and_metrics_parse() {
    let mock = MockUpstream::start().await.unwrap();
    let root = tempfile::tempdir().unwrap();
    let gogga = open(&mock.base_url(), root.path()).await;
    assert!(gogga.model_configured());
    let raw =
        RawChat { tier: Tier::Jigga, model: Some("echo".into()), text: "sawubona".into(), max_tokens: 64 };
    let mut stream = gogga.chat_raw(raw).await.unwrap();
    let mut text = String::new();
    let mut done = false;
    while let Some(event) = stream.next().await {
        match event.unwrap() {
            StreamEvent::Delta(d) => text.push_str(&d),
            StreamEvent::Done { .. } => done = true,
            StreamEvent::Usage(_) => {}
        }
    }
    assert_eq!((text.as_str(), done), ("sawubona", true));
    let sent = &mock.requests()[0];
    assert_eq!((sent.body["temperature"].as_f64(), sent.body["top_p"].as_f64()), (Some(0.6), Some(0.95)));

    let metrics = gogga.metrics_text();
    assert!(!metrics.contains("sk-it-secret"));
    let mut families = std::collections::BTreeMap::<String, std::collections::BTreeSet<String>>::new();
    for line in metrics.lines().filter(|l| !l.starts_with('#')) {
        let (series, value) = line.rsplit_once(' ').unwrap();
        assert!(value.parse::<f64>().is_ok(), "{line}");
        let (name, labels) = series.split_once('{').unwrap_or((series, ""));
        let keys = labels
            .trim_end_matches('}')
            .split("\",")
            .filter(|l| !l.is_empty())
            .map(|kv| kv.split('=').next().unwrap().to_owned());
        families.entry(name.to_owned()).or_default().extend(keys);
    }
    let want: &[(&str, &[&str])] = &[
        ("gogga_chat_latency_seconds_bucket", &["le", "model", "tier"]),
        ("gogga_chat_latency_seconds_sum", &["model", "tier"]),
        ("gogga_time_to_first_token_seconds_bucket", &["le", "model", "tier"]),
        ("gogga_tokens_total", &["direction", "tier"]),
        ("gogga_cepo_fallbacks_total", &[]),
        ("gogga_circuit_state", &["provider"]),
    ];
    for (name, labels) in want {
        let got = families.get(*name).unwrap_or_else(|| panic!("no {name} in\n{metrics}"));
        assert_eq!(got.iter().map(String::as_str).collect::<Vec<_>>(), *labels, "{name}");
    }
    assert!(
        metrics.contains("gogga_chat_latency_seconds_count{tier=\"jigga\",model=\"echo\"} 1"),
        "{metrics}"
    );
}
