//! What the gateway adds to a chat call, measured against the same mock
//! upstream on 127.0.0.1, side by side in one run:
//! - `direct`: a bare reqwest POST, body read to the end (the floor);
//! - `gateway`: `Gateway::stream` with a fresh request id, read to `Done`
//!   (single flight, key ring, retry wrapper, circuit, SSE decoding, metrics);
//! - `litellm`: the same POST through LiteLLM's proxy, forwarding to the same
//!   mock (when `scripts/setup test` installed it; skipped otherwise).
//!
//! Added latency = percentile(X) − percentile(direct), at concurrency 1
//! and 256, and the CPU each call costs the whole process (client and
//! mock): at 256 calls in flight on two cores, every extra microsecond of
//! CPU per call queues in front of the others, so this is what the p99
//! difference is made of, measured with less noise. Then 256 concurrent calls to an upstream that takes 1 s each
//! through the gateway: the wall time shows there is no pool to starve.
//! A criterion group repeats the concurrency-1 comparison.
//!
//! Run: `cargo bench --bench gateway` (GOGGA_BENCH_QUICK=1 for fewer rounds,
//! GOGGA_BENCH_NO_LITELLM=1 to leave LiteLLM out: the gateway-vs-direct
//! figures do not need it, and its idle proxy process is one less noise).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a benchmark stops on any setup failure")]
#![expect(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::expect_used,
    reason = "a benchmark binary reports on stdout and fails loudly"
)]

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use gogga::Tier;
use gogga::gateway::{
    ChatRequest, Gateway, GatewayConfig, KeyConfig, Message, ProviderKind, Secret, StreamEvent,
};
use mock_upstream::MockUpstream;

const TEXT: &str = "Sawubona, how are the markets in Johannesburg today?";

fn body(model: &str) -> serde_json::Value {
    serde_json::json!({"model": model, "stream": true, "max_tokens": 64,
                       "messages": [{"role": "user", "content": TEXT}]})
}

fn gateway(base_url: &str) -> Gateway {
    let mut c = GatewayConfig {
        primary: ProviderKind::Custom,
        pool_max_idle_per_host: 512,
        ..GatewayConfig::default()
    };
    c.custom.base_url = Some(base_url.to_owned());
    c.custom.keys = vec![KeyConfig { name: "bench".into(), key: Secret::new("sk-bench") }];
    c.cache.capacity = 1_000_000;
    Gateway::builder(c).env(|_| None).build().expect("gateway")
}

async fn direct_call(client: &reqwest::Client, url: &str, body: &serde_json::Value, key: &str) {
    assert!(try_call(client, url, body, key).await, "a direct call failed");
}

/// One POST read to the end; false if it failed (LiteLLM resets some
/// connections at concurrency 256: those are counted, not timed).
async fn try_call(client: &reqwest::Client, url: &str, body: &serde_json::Value, key: &str) -> bool {
    let Ok(resp) = client.post(url).bearer_auth(key).json(body).send().await else { return false };
    if !resp.status().is_success() {
        return false;
    }
    matches!(resp.bytes().await, Ok(b) if b.ends_with(b"data: [DONE]\n\n") || b.ends_with(b"data: [DONE]\n\n\n"))
}

async fn gateway_call(gw: &Gateway, model: &str) {
    let req = ChatRequest::new(Tier::Jive, model, vec![Message::user(TEXT)]);
    let mut s = gw.stream(req).await.expect("gateway call");
    let mut done = false;
    while let Some(e) = s.next().await {
        done |= matches!(e.expect("gateway event"), StreamEvent::Done { .. });
    }
    assert!(done);
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// CPU time of every live thread of this process, ns (`/proc/self/task/*/schedstat`):
/// the bench's threads (runtimes, mock) live for the whole run, so a
/// difference over a round is that round's CPU.
fn cpu_ns() -> u64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else { return 0 };
    tasks
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum()
}

#[derive(Default)]
struct Samples(Vec<f64>);

impl Samples {
    fn summary(&mut self) -> (f64, f64) {
        self.0.sort_by(f64::total_cmp);
        (pct(&self.0, 0.5), pct(&self.0, 0.99))
    }
}

/// Time `rounds` batches of `concurrency` calls of `call`; per-call latencies in ms.
async fn measure<F, Fut>(concurrency: usize, rounds: usize, call: F) -> Samples
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    let call = move || {
        let call = call.clone();
        async move {
            call().await;
            true
        }
    };
    measure_fallible(concurrency, rounds, call).await.0
}

/// Like `measure`, for calls that may fail: (latencies of the ones that worked, failures).
async fn measure_fallible<F, Fut>(concurrency: usize, rounds: usize, call: F) -> (Samples, usize)
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: Future<Output = bool> + Send,
{
    let mut failed = 0;
    let mut samples = Samples::default();
    for _ in 0..rounds {
        let mut tasks = Vec::with_capacity(concurrency);
        for _ in 0..concurrency {
            let call = call.clone();
            tasks.push(gogga::spawn::task(async move {
                let t = Instant::now();
                let ok = call().await;
                (ok, t.elapsed().as_secs_f64() * 1e3)
            }));
        }
        for t in tasks {
            match t.await.expect("task") {
                (true, ms) => samples.0.push(ms),
                (false, _) => failed += 1,
            }
        }
    }
    (samples, failed)
}

struct LiteLlm(Child, #[allow(dead_code)] tempfile::TempDir);

impl Drop for LiteLlm {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn start_litellm(upstream: &str) -> Option<(LiteLlm, String)> {
    if std::env::var_os("GOGGA_BENCH_NO_LITELLM").is_some() {
        eprintln!("litellm: left out (GOGGA_BENCH_NO_LITELLM)");
        return None;
    }
    let bin = gogga::Paths::from_env().ok()?.cache_dir.join("litellm-venv/bin/litellm");
    if !bin.is_file() {
        eprintln!("litellm: not installed at {} (run scripts/setup test); skipping it", bin.display());
        return None;
    }
    let dir = tempfile::tempdir().ok()?;
    let config: PathBuf = dir.path().join("config.yaml");
    std::fs::write(
        &config,
        format!(
            "model_list:\n  - model_name: via-mock\n    litellm_params:\n      model: openai/echo\n      \
             api_base: {upstream}\n      api_key: sk-upstream\n"
        ),
    )
    .ok()?;
    let port = std::net::TcpListener::bind("127.0.0.1:0").ok()?.local_addr().ok()?.port();
    let child = Command::new(bin)
        .args(["--config", config.to_str()?, "--host", "127.0.0.1", "--port", &port.to_string()])
        .env("LITELLM_LOCAL_MODEL_COST_MAP", "True")
        .env("LITELLM_MASTER_KEY", "sk-master")
        .env("LITELLM_LOG", "ERROR")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let proc = LiteLlm(child, dir);
    let client = reqwest::Client::new();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(90) {
        if let Ok(r) = client.get(format!("http://127.0.0.1:{port}/health/liveliness")).send().await
            && r.status().is_success()
        {
            eprintln!("litellm: ready in {:.1} s", started.elapsed().as_secs_f64());
            return Some((proc, format!("http://127.0.0.1:{port}/v1/chat/completions")));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    None
}

fn main() {
    let quick = std::env::var_os("GOGGA_BENCH_QUICK").is_some();
    // The mock gets its own runtime thread so it does not share the client's.
    let mock_rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("rt");
    let mock = mock_rt.block_on(MockUpstream::start()).expect("mock");
    let base = mock.base_url();
    let url = format!("{base}/chat/completions");
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("rt");
    let client =
        reqwest::Client::builder().pool_max_idle_per_host(512).tcp_nodelay(true).build().expect("client");
    let gw = gateway(&base);
    let litellm = rt.block_on(start_litellm(&base));
    let echo = Arc::new(body("echo"));
    let via = Arc::new(body("via-mock"));

    println!("| concurrency | path | calls | p50 ms | p99 ms | added p50 ms | added p99 ms |");
    println!("|---|---|---|---|---|---|---|");
    for (concurrency, rounds, ll_rounds) in [
        (1, if quick { 300 } else { 3000 }, if quick { 50 } else { 400 }),
        (256, if quick { 4 } else { 20 }, if quick { 1 } else { 3 }),
    ] {
        rt.block_on(async {
            // Warm the pools and the code paths first.
            let (c, u, e) = (client.clone(), url.clone(), Arc::clone(&echo));
            measure(concurrency, 2, move || {
                let (c, u, e) = (c.clone(), u.clone(), Arc::clone(&e));
                async move { direct_call(&c, &u, &e, "sk").await }
            })
            .await;
            let g = gw.clone();
            measure(concurrency, 2, move || {
                let g = g.clone();
                async move { gateway_call(&g, "echo").await }
            })
            .await;
            // Interleave direct and gateway rounds so drift hits both alike.
            let (mut direct, mut through) = (Samples::default(), Samples::default());
            let (mut direct_cpu, mut through_cpu) = (0u64, 0u64);
            for _ in 0..rounds {
                let t0 = cpu_ns();
                let (c, u, e) = (client.clone(), url.clone(), Arc::clone(&echo));
                direct.0.extend(
                    measure(concurrency, 1, move || {
                        let (c, u, e) = (c.clone(), u.clone(), Arc::clone(&e));
                        async move { direct_call(&c, &u, &e, "sk").await }
                    })
                    .await
                    .0,
                );
                let t1 = cpu_ns();
                direct_cpu += t1 - t0;
                let g = gw.clone();
                through.0.extend(
                    measure(concurrency, 1, move || {
                        let g = g.clone();
                        async move { gateway_call(&g, "echo").await }
                    })
                    .await
                    .0,
                );
                through_cpu += cpu_ns() - t1;
            }
            let calls = (rounds * concurrency) as f64;
            println!(
                "| {concurrency} | CPU per call, µs (whole process: client + mock): direct {:.1}, gateway {:.1} | | | | | |",
                direct_cpu as f64 / calls / 1e3,
                through_cpu as f64 / calls / 1e3
            );
            let (d50, d99) = direct.summary();
            let (g50, g99) = through.summary();
            println!("| {concurrency} | direct reqwest | {} | {d50:.3} | {d99:.3} | – | – |", direct.0.len());
            println!(
                "| {concurrency} | gogga gateway | {} | {g50:.3} | {g99:.3} | {:.3} | {:.3} |",
                through.0.len(),
                g50 - d50,
                g99 - d99
            );
            if let Some((_, ll_url)) = &litellm {
                let (c, u, v) = (client.clone(), ll_url.clone(), Arc::clone(&via));
                let call = move || {
                    let (c, u, v) = (c.clone(), u.clone(), Arc::clone(&v));
                    async move { try_call(&c, &u, &v, "sk-master").await }
                };
                measure_fallible(concurrency.min(16), 2, call.clone()).await;
                let (mut ll, failed) = measure_fallible(concurrency, ll_rounds, call).await;
                if failed > 0 {
                    println!("| {concurrency} | LiteLLM proxy: failed calls (connection reset, not timed) | {failed} | | | | |");
                }
                if ll.0.is_empty() {
                    println!("| {concurrency} | LiteLLM proxy | every call failed | | | | |");
                    return;
                }
                let (l50, l99) = ll.summary();
                println!(
                    "| {concurrency} | LiteLLM proxy | {} | {l50:.3} | {l99:.3} | {:.3} | {:.3} |",
                    ll.0.len(),
                    l50 - d50,
                    l99 - d99
                );
                println!(
                    "| {concurrency} | ratio LiteLLM/gateway added | | | | {:.0}x | {:.0}x |",
                    (l50 - d50) / (g50 - d50).max(1e-3),
                    (l99 - d99) / (g99 - d99).max(1e-3)
                );
            }
        });
    }

    let wall = rt.block_on(async {
        let g = gw.clone();
        let t = Instant::now();
        measure(256, 1, move || {
            let g = g.clone();
            async move { gateway_call(&g, "slow_ms_1000").await }
        })
        .await;
        t.elapsed()
    });
    println!(
        "\n256 concurrent calls to an upstream taking 1 s each, through the gateway: wall {:.3} s",
        wall.as_secs_f64()
    );
    drop(litellm);

    let mut c = criterion::Criterion::default().configure_from_args();
    let mut group = c.benchmark_group("gateway_added_latency_c1");
    group.bench_function("direct_reqwest", |b| {
        b.iter(|| rt.block_on(direct_call(&client, &url, &echo, "sk")))
    });
    group.bench_function("gogga_gateway", |b| b.iter(|| rt.block_on(gateway_call(&gw, "echo"))));
    group.finish();
    c.final_summary();
    drop(mock);
    drop(mock_rt);
}
