//! What the chat turn adds before the model answers, against the scripted
//! mock upstream on 127.0.0.1, side by side in one run (interleaved round
//! by round, so the machine's noise hits every path alike):
//!
//! 1. Time to first token (TTFT):
//!    - `mock direct`: a bare reqwest streaming POST, until the first
//!      content chunk arrives (the floor);
//!    - `gateway`: `Gateway::stream` until its first `Delta`;
//!    - `whole stack`: `Gogga::send` until the first `Delta` event: the user
//!      message stored (SQLite, synchronous=FULL), routing, retrieval,
//!      history, prompt assembly within the budget, the gateway call.
//! 2. Send → upstream: from calling `Gogga::send` until the mock records
//!    the request (its arrival `Instant`, matched by request id): the
//!    retrieval and prompt assembly a user waits for before the model
//!    starts, at the library size in use.
//!
//! The library: `GOGGA_BENCH_CHUNKS` chunks (default 100,000; 0 for an
//! empty library) of deterministic synthetic Markdown built through the
//! façade with the hashed-word fake embedder (384 dimensions, so the
//! vector scan costs what the real model's vectors cost; query embedding
//! is therefore nearly free here, see BENCHMARKS.md for the real model's
//! share). Built in `GOGGA_BENCH_DATA` and reused from there on the next
//! run (a temporary folder when unset: built every run, ~1 minute).
//!
//! Run: `cargo bench -j2 --bench chat` (`GOGGA_BENCH_QUICK=1` for fewer rounds).
#![expect(
    clippy::print_stdout,
    clippy::expect_used,
    reason = "a benchmark binary reports on stdout and fails loudly"
)]

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use gogga::chat::{SendRequest, TurnEvent, TurnOptions};
use gogga::gateway::{
    ChatRequest, Gateway, GatewayConfig, KeyConfig, Message, ProviderKind, Secret, StreamEvent,
};
use gogga::{Gogga, Tier};
use mock_upstream::MockUpstream;

#[path = "common/synthetic.rs"]
mod synthetic;

const QUESTION: &str = "What does the lease say about the deposit and when it is paid back?";
const MODEL: &str = "echo";

fn gateway_config(base_url: &str) -> GatewayConfig {
    let mut c = GatewayConfig { primary: ProviderKind::Custom, ..GatewayConfig::default() };
    c.custom.base_url = Some(base_url.to_owned());
    c.custom.keys = vec![KeyConfig { name: "bench".into(), key: Secret::new("sk-bench") }];
    c.cache.capacity = 1_000_000;
    c
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

struct Series {
    name: &'static str,
    ms: Vec<f64>,
}

impl Series {
    fn new(name: &'static str) -> Series {
        Series { name, ms: Vec::new() }
    }
    fn add(&mut self, d: Duration) {
        self.ms.push(d.as_secs_f64() * 1e3);
    }
    fn report(&mut self, floor: Option<(f64, f64)>) -> (f64, f64) {
        self.ms.sort_by(f64::total_cmp);
        let (p50, p99) = (pct(&self.ms, 0.5), pct(&self.ms, 0.99));
        let added = floor.map_or_else(
            || "–".to_owned(),
            |(f50, f99)| {
                format!("{:.3} / {:.3} ({:.2}× / {:.2}×)", p50 - f50, p99 - f99, p50 / f50, p99 / f99)
            },
        );
        println!("| {} | {} | {:.3} | {:.3} | {} |", self.name, self.ms.len(), p50, p99, added);
        (p50, p99)
    }
}

/// A bare streaming POST until the first content chunk.
async fn mock_direct(client: &reqwest::Client, url: &str) -> Duration {
    let body = serde_json::json!({"model": MODEL, "stream": true, "max_tokens": 64,
        "messages": [{"role": "user", "content": QUESTION}]});
    let t0 = Instant::now();
    let resp = client.post(url).bearer_auth("sk-bench").json(&body).send().await.expect("mock answers");
    let mut body = resp.bytes_stream();
    let mut seen = Vec::new();
    let mut first = None;
    while let Some(chunk) = body.next().await {
        seen.extend_from_slice(&chunk.expect("body"));
        if first.is_none() && seen.windows(11).any(|w| w == b"\"content\":\"") {
            first = Some(t0.elapsed());
        }
    }
    first.expect("a content chunk")
}

/// `Gateway::stream` until the first delta (then drained).
async fn gateway_ttft(gw: &Gateway) -> Duration {
    let req =
        ChatRequest::new(Tier::Jive, MODEL, vec![Message::system("Be brief."), Message::user(QUESTION)]);
    let t0 = Instant::now();
    let mut stream = gw.stream(req).await.expect("stream");
    let mut first = None;
    while let Some(e) = stream.next().await {
        if let StreamEvent::Delta(_) = e.expect("event")
            && first.is_none()
        {
            first = Some(t0.elapsed());
        }
    }
    first.expect("a delta")
}

/// `Gogga::send` until the first answer delta, and until the mock saw it.
async fn stack(gogga: &Gogga, mock: &MockUpstream) -> (Duration, Duration) {
    let request_id = gogga::id::new_id();
    let req = SendRequest {
        conversation_id: None,
        text: QUESTION.to_owned(),
        request_id: request_id.clone(),
        options: TurnOptions { tier: Some(Tier::Jive), ..TurnOptions::default() },
    };
    let t0 = Instant::now();
    let mut first = None;
    gogga
        .send(req, |e| {
            if let TurnEvent::Delta { .. } = e
                && first.is_none()
            {
                first = Some(t0.elapsed());
            }
        })
        .await
        .expect("turn");
    let arrived = mock
        .requests()
        .iter()
        .rev()
        .find(|r| r.request_id.as_deref() == Some(request_id.as_str()))
        .map(|r| r.at)
        .expect("the mock saw the request");
    (first.expect("a delta"), arrived.duration_since(t0))
}

fn main() {
    let quick = std::env::var_os("GOGGA_BENCH_QUICK").is_some();
    let rounds = if quick { 100 } else { 1_000 };
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let mock = MockUpstream::start().await.expect("mock");
        let url = format!("{}/chat/completions", mock.base_url());
        let client = reqwest::Client::new();
        let gw = Gateway::builder(gateway_config(&mock.base_url())).env(|_| None).build().expect("gateway");
        let temp = tempfile::tempdir().expect("tempdir");
        let root = std::env::var_os("GOGGA_BENCH_DATA")
            .map_or_else(|| temp.path().to_path_buf(), std::path::PathBuf::from);
        let chunks: usize = std::env::var("GOGGA_BENCH_CHUNKS")
            .map_or(Ok(100_000), |v| v.parse())
            .expect("GOGGA_BENCH_CHUNKS is a number");
        let mut config =
            gogga::Config { gateway: gateway_config(&mock.base_url()), ..gogga::Config::default() };
        config.router.models.fast = MODEL.to_owned();
        config.router.models.big = MODEL.to_owned();
        let built = Instant::now();
        let (gogga, have) = if chunks == 0 {
            (Gogga::open(synthetic::options(&root, config).expect("options")).await.expect("open"), 0)
        } else {
            synthetic::open_library(&root, chunks, config).await.expect("the synthetic library")
        };
        gogga.embed_query("warm up").await.expect("vectors loaded");
        synthetic::settle(&gogga).await.expect("the library settles");
        println!(
            "Library: {have} chunks (synthetic, fake embedder `{}`{}), ready in {:.1} s, in {}",
            synthetic::FAKE_MODEL,
            if std::env::var_os("GOGGA_BENCH_REAL_QUERY").is_some() {
                "; queries embedded by the real model"
            } else {
                ""
            },
            built.elapsed().as_secs_f64(),
            root.display()
        );

        // Warm every path (connections, lazily built clients, caches).
        for _ in 0..20 {
            mock_direct(&client, &url).await;
            gateway_ttft(&gw).await;
            stack(&gogga, &mock).await;
        }
        let (mut direct, mut gateway, mut whole, mut to_upstream) = (
            Series::new("mock direct (reqwest)"),
            Series::new("gateway"),
            Series::new("whole stack (Gogga::send)"),
            Series::new("send → request at the mock"),
        );
        for _ in 0..rounds {
            direct.add(mock_direct(&client, &url).await);
            gateway.add(gateway_ttft(&gw).await);
            let (ttft, upstream) = stack(&gogga, &mock).await;
            whole.add(ttft);
            to_upstream.add(upstream);
        }
        println!("\nTime to first token, {rounds} rounds interleaved (ms):\n");
        println!("| path | calls | p50 | p99 | added p50 / p99 (ratio) |");
        println!("|---|---|---|---|---|");
        let floor = direct.report(None);
        gateway.report(Some(floor));
        whole.report(Some(floor));
        println!("\nSend → upstream request (retrieval + prompt assembly + storing the question):\n");
        println!("| path | calls | p50 | p99 | |");
        println!("|---|---|---|---|---|");
        to_upstream.report(None);
    });
}
