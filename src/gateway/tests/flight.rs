//! Several calls and what they share: CePO and its fallback, single-flight
//! duplicates and the idempotency cache, cancellation, the fallback
//! provider and circuit, metrics.

use super::*;

fn enhanced_pair(question: &str) -> (Vec<Message>, Vec<Message>) {
    let plain = vec![Message::system("You are Gogga."), Message::user(question)];
    let enhanced = vec![
        Message::system("You are Gogga. Think in <thinking>, then answer in <output>."),
        Message::user(format!("{question}\nRead the question again: {question}")),
    ];
    (enhanced, plain)
}

fn cepo_config(direct: &str, cepo: &str) -> GatewayConfig {
    let mut c = config(direct);
    c.cepo = CepoConfig { enabled: true, url: cepo.to_owned(), skip_ms: 60_000, ..CepoConfig::default() };
    c
}

#[tokio::test]
async fn cepo_down_falls_back_once_with_the_enhancements_applied_once() {
    let mock = MockUpstream::start().await.unwrap();
    let gw = gateway(cepo_config(&mock.base_url(), &closed_port_url()));
    let (enhanced, plain) = enhanced_pair("What is POPIA?");
    let mut req = ChatRequest::new(Tier::Jive, "echo", enhanced.clone());
    req.cepo_messages = Some(plain);
    let done = gw.complete(req).await.unwrap();
    assert!(!done.via_cepo);
    assert_eq!(gw.metrics().cepo_fallbacks(), 1);
    let sent = mock.requests();
    assert_eq!(sent.len(), 1);
    let texts = sent[0].message_texts();
    assert_eq!(texts, enhanced.iter().map(|m| m.content.clone()).collect::<Vec<_>>());
    assert_eq!(texts.concat().matches("Read the question again").count(), 1);
    assert_eq!(done.text.matches("Read the question again").count(), 1, "echo of the enhanced message");
}

#[tokio::test]
async fn healthy_cepo_gets_the_plain_messages_and_a_failed_health_check_skips_it() {
    let direct = MockUpstream::start().await.unwrap();
    let cepo = MockUpstream::start().await.unwrap();
    let gw = gateway(cepo_config(&direct.base_url(), &cepo.base_url()));
    let (enhanced, plain) = enhanced_pair("Explain B-BBEE.");
    let mut req = ChatRequest::new(Tier::Jigga, "echo", enhanced);
    req.cepo_messages = Some(plain.clone());
    let done = gw.complete(req.clone()).await.unwrap();
    assert!(done.via_cepo);
    assert_eq!((direct.total_calls(), cepo.total_calls(), cepo.health_checks()), (0, 1, 1));
    let sent = &cepo.requests()[0];
    assert_eq!(sent.message_texts(), plain.iter().map(|m| m.content.clone()).collect::<Vec<_>>());
    assert_eq!(sent.body["optillm_approach"], "cepo");
    assert_eq!(gw.metrics().cepo_fallbacks(), 0);

    // FREE never goes to CePO.
    let mut free = req.clone();
    free.request_id = crate::id::new_id();
    free.tier = Tier::Free;
    assert!(!gw.complete(free).await.unwrap().via_cepo);
    assert_eq!(direct.total_calls(), 1);

    // A failed health check skips CePO (and is counted as a fallback).
    let gw = gateway(cepo_config(&direct.base_url(), &cepo.base_url()));
    cepo.set_healthy(false);
    req.request_id = crate::id::new_id();
    assert!(!gw.complete(req.clone()).await.unwrap().via_cepo);
    req.request_id = crate::id::new_id();
    assert!(!gw.complete(req).await.unwrap().via_cepo);
    assert_eq!(cepo.health_checks(), 2, "the second call trusted the failed check (60 s skip)");
    assert_eq!(cepo.total_calls(), 1);
    assert_eq!(gw.metrics().cepo_fallbacks(), 2);
}

#[tokio::test]
async fn a_hundred_identical_requests_make_exactly_one_upstream_call() {
    let mock = MockUpstream::start().await.unwrap();
    let gw = gateway(config(&mock.base_url()));
    let req = request("slow_ms_200", "only once");
    let mut tasks = Vec::new();
    for _ in 0..100 {
        let (gw, req) = (gw.clone(), req.clone());
        tasks.push(crate::spawn::task(async move { drain(gw.stream(req).await.unwrap()).await }));
    }
    for t in tasks {
        let (text, _, err) = t.await.unwrap();
        assert!(err.is_none(), "{err:?}");
        assert_eq!(text, "only once");
    }
    assert_eq!(mock.total_calls(), 1);
    // A duplicate after the end is replayed too.
    assert_eq!(gw.complete(req).await.unwrap().text, "only once");
    assert_eq!(mock.total_calls(), 1);
    assert!(gw.metrics_text().contains("gogga_idempotent_hits_total 100"));
}

#[tokio::test]
async fn chat_replies_expire_before_media_replies() {
    let mock = MockUpstream::start().await.unwrap();
    let mut c = config(&mock.base_url());
    c.cache = CacheConfig { chat_ttl_ms: 100, media_ttl_ms: 60_000, capacity: 100 };
    let gw = gateway(c);
    let chat = request("echo", "chat");
    let mut media = request("echo", "media");
    media.media = true;
    gw.complete(chat.clone()).await.unwrap();
    gw.complete(media.clone()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(250)).await; // let the chat TTL pass
    gw.complete(chat).await.unwrap();
    gw.complete(media).await.unwrap();
    let texts: Vec<String> = mock.requests().iter().map(|r| r.message_texts()[1].clone()).collect();
    assert_eq!(texts, ["chat", "media", "chat"]);
}

#[tokio::test]
async fn a_shared_cache_answers_for_another_instance() {
    let mock = MockUpstream::start().await.unwrap();
    let shared: Arc<dyn SharedCache> = Arc::new(MemorySharedCache::default());
    let one = Gateway::builder(config(&mock.base_url()))
        .env(|_| None)
        .shared_cache(Arc::clone(&shared))
        .build()
        .unwrap();
    let two = Gateway::builder(config(&mock.base_url())).env(|_| None).shared_cache(shared).build().unwrap();
    let req = request("echo", "shared");
    one.complete(req.clone()).await.unwrap();
    assert_eq!(two.complete(req).await.unwrap().text, "shared");
    assert_eq!(mock.total_calls(), 1);
}

#[tokio::test]
async fn dropping_the_stream_aborts_the_upstream_within_100_ms() {
    let mock = MockUpstream::start().await.unwrap();
    let gw = gateway(config(&mock.base_url()));
    let mut s = gw.stream(request("drip_ms_20", "x")).await.unwrap();
    assert!(matches!(s.next().await, Some(Ok(StreamEvent::Delta(_)))));
    drop(s);
    tokio::time::timeout(Duration::from_millis(100), mock.wait_for_disconnects(1))
        .await
        .expect("the mock saw the connection close within 100 ms");
    // Before any token too: stop while the upstream is still silent. The
    // stream is read meanwhile, as a caller does (reading runs the call).
    let mut s = gw.stream(request("hang", "x")).await.unwrap();
    tokio::select! {
        e = s.next() => panic!("a silent upstream answered: {e:?}"),
        () = mock.wait_for_calls(2) => {}
    }
    drop(s);
    tokio::time::timeout(Duration::from_millis(100), mock.wait_for_disconnects(2))
        .await
        .expect("a silent upstream is hung up on too");
    assert_eq!(gw.metrics().cancellations(), 2);
}

#[tokio::test]
async fn the_fallback_answers_and_the_circuit_opens_on_a_dead_primary() {
    let mock = MockUpstream::start().await.unwrap();
    let url = mock.base_url();
    let mut c = config(&closed_port_url());
    c.fallback = Some(ProviderKind::OpenRouter);
    c.retry.max_retries = 1;
    c.circuit = CircuitConfig { failures: 2, open_ms: 60_000 };
    let gw = Gateway::builder(c)
        .env(move |k| match k {
            "GOGGA_OPENROUTER_BASE_URL" => Some(url.clone()),
            "OPENROUTER_API_KEY" => Some("sk-or".into()),
            _ => None,
        })
        .build()
        .unwrap();
    let done = gw.complete(request("echo", "via fallback")).await.unwrap();
    assert_eq!((done.text.as_str(), done.provider), ("via fallback", ProviderKind::OpenRouter));
    assert_eq!(gw.metrics().retries("main", "connect"), 1);
    assert!(
        gw.metrics_text().contains("gogga_circuit_state{provider=\"custom\"} 1"),
        "{}",
        gw.metrics_text()
    );
    // Open circuit: the primary is skipped, not retried.
    gw.complete(request("echo", "again")).await.unwrap();
    assert_eq!(gw.metrics().retries("main", "connect"), 1);
    assert_eq!(mock.total_calls(), 2);
}

/// Every sample line as (name, label names, label values).
fn samples(text: &str) -> Vec<(String, Vec<String>, Vec<String>)> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (series, value) = l.rsplit_once(' ').unwrap();
            assert!(value.parse::<f64>().is_ok(), "value of {l}");
            match series.split_once('{') {
                None => (series.to_owned(), vec![], vec![]),
                Some((name, labels)) => {
                    let labels = labels.strip_suffix('}').unwrap();
                    let (names, values) = labels
                        .split("\",")
                        .map(|kv| {
                            let (k, v) = kv.split_once("=\"").unwrap();
                            (k.to_owned(), v.trim_end_matches('"').to_owned())
                        })
                        .unzip();
                    (name.to_owned(), names, values)
                }
            }
        })
        .collect()
}

#[tokio::test]
async fn metrics_have_exactly_the_promised_names_and_labels() {
    let mock = MockUpstream::start().await.unwrap();
    let gw = gateway(config(&mock.base_url()));
    let mut req = request("flaky_1", "count me");
    req.tier = Tier::Jive;
    gw.complete(req).await.unwrap();
    let text = gw.metrics_text();
    let all = samples(&text);
    let labels_of = |name: &str| -> Vec<Vec<String>> {
        let mut v: Vec<Vec<String>> = all.iter().filter(|s| s.0 == name).map(|s| s.1.clone()).collect();
        v.dedup();
        v
    };
    let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<String>>();
    assert_eq!(labels_of("gogga_chat_latency_seconds_bucket"), [s(&["tier", "model", "le"])]);
    assert_eq!(labels_of("gogga_chat_latency_seconds_count"), [s(&["tier", "model"])]);
    assert_eq!(labels_of("gogga_time_to_first_token_seconds_bucket"), [s(&["tier", "model", "le"])]);
    assert_eq!(labels_of("gogga_cerebras_retries_total"), [s(&["key_name", "status_code"])]);
    assert_eq!(labels_of("gogga_cepo_fallbacks_total"), [s(&[])]);
    assert_eq!(labels_of("gogga_tokens_total"), [s(&["tier", "direction"])]);
    assert_eq!(labels_of("gogga_circuit_state"), [s(&["provider"])]);
    let les: Vec<String> =
        all.iter().filter(|x| x.0 == "gogga_chat_latency_seconds_bucket").map(|x| x.2[2].clone()).collect();
    assert_eq!(les, s(&["0.5", "1", "2", "5", "10", "30", "60", "+Inf"]));
    for line in [
        "gogga_cerebras_retries_total{key_name=\"main\",status_code=\"503\"} 1",
        "gogga_chat_latency_seconds_count{tier=\"jive\",model=\"flaky_1\"} 1",
        "gogga_tokens_total{tier=\"jive\",direction=\"output\"} 2",
        "# TYPE gogga_chat_latency_seconds histogram",
        "# TYPE gogga_cepo_fallbacks_total counter",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
}

#[tokio::test]
async fn the_idempotency_cache_is_bounded() {
    let mock = MockUpstream::start().await.unwrap();
    let mut c = config(&mock.base_url());
    c.cache.capacity = 10;
    let gw = gateway(c);
    for i in 0..40 {
        gw.complete(request("echo", &format!("n{i}"))).await.unwrap();
    }
    let kept = gw.core.flights.len();
    assert!(kept <= 10, "{kept} entries kept with capacity 10");
}

#[tokio::test]
async fn a_duplicate_still_reading_keeps_the_call_alive_when_the_first_reader_stops() {
    let mock = MockUpstream::start().await.unwrap();
    let gw = gateway(config(&mock.base_url()));
    let req = request("drip_ms_1", "x");
    let mut first = gw.stream(req.clone()).await.unwrap();
    let second = gw.stream(req).await.unwrap();
    assert!(matches!(first.next().await, Some(Ok(StreamEvent::Delta(_)))));
    drop(first);
    let (text, _, err) = drain(second).await;
    assert!(err.is_none(), "{err:?}");
    assert_eq!(text.split_whitespace().count(), 2_000);
    assert_eq!((mock.total_calls(), mock.disconnects(), gw.metrics().cancellations()), (1, 0, 0));
}

#[tokio::test]
async fn a_duplicate_drives_the_call_while_the_first_reader_is_held_but_not_read() {
    let mock = MockUpstream::start().await.unwrap();
    let gw = gateway(config(&mock.base_url()));
    let req = request("drip_ms_1", "x");
    let first = gw.stream(req.clone()).await.unwrap();
    let (text, _, err) = drain(gw.stream(req).await.unwrap()).await;
    assert!(err.is_none(), "{err:?}");
    assert_eq!(text.split_whitespace().count(), 2_000);
    // The first reader replays the whole answer from the log.
    let (again, _, err) = drain(first).await;
    assert!(err.is_none(), "{err:?}");
    assert_eq!(again, text);
    assert_eq!((mock.total_calls(), gw.metrics().cancellations()), (1, 0));
}
