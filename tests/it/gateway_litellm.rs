//! Interop with a real OpenAI-compatible server written by others: LiteLLM's
//! proxy from the venv that `scripts/setup test` makes under the cache
//! folder. It answers a `mock_response` model itself and forwards another
//! model to our mock upstream. Missing venv = a loud failure, never a skip.
#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use gogga::gateway::{
    ChatRequest, Gateway, GatewayConfig, KeyConfig, Message, ProviderKind, Secret, StreamEvent,
};
use gogga::{ErrorKind, Paths, Tier};
use mock_upstream::MockUpstream;

const ANSWER: &str = "Hello from LiteLLM's mock response.";

/// The LiteLLM proxy as a child process; killed on drop.
pub struct LiteLlm {
    child: Child,
    pub base_url: String,
    _dir: tempfile::TempDir,
}

impl Drop for LiteLlm {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn litellm_bin() -> PathBuf {
    let bin = Paths::from_env().unwrap().cache_dir.join("litellm-venv/bin/litellm");
    assert!(bin.is_file(), "LiteLLM is not installed at {}: run `scripts/setup test` first", bin.display());
    bin
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Start the proxy with a `mock-gpt` model and `via-mock` forwarded to `upstream`.
pub async fn start(upstream: &str) -> LiteLlm {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.yaml");
    std::fs::write(
        &config,
        format!(
            "model_list:\n  - model_name: mock-gpt\n    litellm_params:\n      model: openai/mock-gpt\n      \
             api_key: unused\n      mock_response: \"{ANSWER}\"\n  - model_name: via-mock\n    litellm_params:\n      \
             model: openai/echo\n      api_base: {upstream}\n      api_key: sk-upstream\n"
        ),
    )
    .unwrap();
    let port = free_port();
    let log = std::fs::File::create(dir.path().join("litellm.log")).unwrap();
    let child = Command::new(litellm_bin())
        .args(["--config", config.to_str().unwrap(), "--host", "127.0.0.1", "--port", &port.to_string()])
        .env("LITELLM_LOCAL_MODEL_COST_MAP", "True")
        .env("LITELLM_MASTER_KEY", "sk-master")
        .env("NO_PROXY", "127.0.0.1,localhost")
        .current_dir(dir.path())
        .stdout(Stdio::from(log.try_clone().unwrap()))
        .stderr(Stdio::from(log))
        .spawn()
        .unwrap();
    let mut proxy = LiteLlm { child, base_url: format!("http://127.0.0.1:{port}/v1"), _dir: dir };
    let health = format!("http://127.0.0.1:{port}/health/liveliness");
    let client = reqwest::Client::new();
    let started = Instant::now();
    loop {
        if let Ok(r) = client.get(&health).send().await
            && r.status().is_success()
        {
            break;
        }
        if let Some(status) = proxy.child.try_wait().unwrap() {
            let log = std::fs::read_to_string(proxy._dir.path().join("litellm.log")).unwrap_or_default();
            panic!("LiteLLM exited ({status}) before it was ready:\n{log}");
        }
        assert!(started.elapsed() < Duration::from_secs(90), "LiteLLM not ready after 90 s");
        tokio::time::sleep(Duration::from_millis(100)).await; // poll interval, not an assertion
    }
    proxy
}

fn gateway(base_url: &str, key: &str) -> Gateway {
    let mut c = GatewayConfig { primary: ProviderKind::Custom, ..GatewayConfig::default() };
    c.custom.base_url = Some(base_url.to_owned());
    c.custom.keys = vec![KeyConfig { name: "master".into(), key: Secret::new(key) }];
    c.retry.initial_ms = 10;
    c.retry.max_ms = 50;
    Gateway::builder(c).env(|_| None).build().unwrap()
}

#[tokio::test]
async fn the_gateway_streams_from_litellms_proxy() {
    let upstream = MockUpstream::start().await.unwrap();
    let proxy = start(&upstream.base_url()).await;
    let gw = gateway(&proxy.base_url, "sk-master");

    let req = ChatRequest::new(Tier::Jive, "mock-gpt", vec![Message::user("hi")]);
    let mut stream = gw.stream(req).await.unwrap();
    let (mut text, mut deltas, mut usage, mut finish) = (String::new(), 0, None, None);
    while let Some(event) = stream.next().await {
        match event.unwrap() {
            StreamEvent::Delta(d) => {
                deltas += 1;
                text.push_str(&d);
            }
            StreamEvent::Usage(u) => usage = Some(u),
            StreamEvent::Done { finish_reason, .. } => finish = finish_reason,
        }
    }
    assert_eq!(text, ANSWER);
    assert!(deltas > 3, "LiteLLM streams in small chunks, got {deltas}");
    assert!(usage.is_some_and(|u| u.output_tokens > 0), "the usage chunk is read");
    assert_eq!(finish.as_deref(), Some("stop"));

    let whole =
        gw.complete(ChatRequest::new(Tier::Free, "mock-gpt", vec![Message::user("hi")])).await.unwrap();
    assert_eq!(whole.text, ANSWER);

    let forwarded =
        gw.complete(ChatRequest::new(Tier::Free, "via-mock", vec![Message::user("through two hops")])).await;
    assert_eq!(forwarded.unwrap().text, "through two hops");
    assert_eq!(upstream.calls("echo"), 1);

    let bad = gateway(&proxy.base_url, "sk-wrong");
    let err =
        bad.complete(ChatRequest::new(Tier::Free, "mock-gpt", vec![Message::user("hi")])).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Upstream, "{err}");
    assert!(!err.to_string().contains("sk-wrong"), "{err}");
}
