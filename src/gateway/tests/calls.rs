//! Single calls against the mock: streaming, retries and what each failure
//! gives the caller, key rotation and cooling, configuration errors.

use super::*;

#[tokio::test]
async fn echo_streams_text_then_usage_then_done() {
    let mock = MockUpstream::start().await.unwrap();
    let gw = gateway(config(&mock.base_url()));
    let (text, events, err) = drain(gw.stream(request("echo", "hello big world")).await.unwrap()).await;
    assert!(err.is_none(), "{err:?}");
    assert_eq!(text, "hello big world");
    let usage =
        events.iter().find_map(|e| if let StreamEvent::Usage(u) = e { Some(u.clone()) } else { None });
    let usage = usage.expect("a usage event");
    assert_eq!(usage.output_tokens, 3);
    assert!(usage.time_info.and_then(|t| t.total_time).is_some(), "Cerebras time_info is kept");
    match events.last() {
        Some(StreamEvent::Done { finish_reason, provider, via_cepo, .. }) => {
            assert_eq!(
                (finish_reason.as_deref(), *provider, *via_cepo),
                (Some("stop"), ProviderKind::Custom, false)
            );
        }
        other => panic!("last event {other:?}"),
    }
    let sent = &mock.requests()[0];
    assert_eq!(sent.bearer.as_deref(), Some("sk-main-secret"));
    assert_eq!(sent.body["max_tokens"], 1024);
    assert!(sent.body.get("max_completion_tokens").is_none());
    assert_eq!(sent.body["stream_options"]["include_usage"], true);
}

#[tokio::test]
async fn cerebras_from_the_environment_gets_max_completion_tokens_and_named_keys() {
    let mock = MockUpstream::start().await.unwrap();
    let url = mock.base_url();
    let mut c = GatewayConfig::default();
    c.cerebras.base_url = Some("https://config.example/v1".into());
    c.cerebras.keys = vec![KeyConfig { name: "from-config".into(), key: Secret::new("sk-config") }];
    let gw = Gateway::builder(c)
        .env(move |k| match k {
            "GOGGA_CEREBRAS_BASE_URL" => Some(url.clone()),
            "CEREBRAS_API_KEYS" => Some("csk-one:one,csk-two:two".into()),
            _ => None,
        })
        .build()
        .unwrap();
    let status = &gw.providers()[0];
    assert_eq!(status.base_url.as_deref(), Some(mock.base_url().as_str()), "environment beats config");
    assert_eq!(status.key_names, ["one", "two"]);
    let done = gw.complete(request("echo", "hi")).await.unwrap();
    assert_eq!((done.text.as_str(), done.provider), ("hi", ProviderKind::Cerebras));
    let sent = &mock.requests()[0];
    assert_eq!(sent.body["max_completion_tokens"], 1024);
    assert!(sent.body.get("max_tokens").is_none() && sent.body["stream"] == false);
    assert_eq!(sent.bearer.as_deref(), Some("csk-one"));
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_for_then_succeeds() {
    let mock = MockUpstream::start().await.unwrap();
    let gw = gateway(config(&mock.base_url()));
    let started = Instant::now();
    let done = gw.complete(request("status_429_retry_after_1", "patience")).await.unwrap();
    assert_eq!(done.text, "patience");
    assert_eq!(mock.total_calls(), 2);
    let r = mock.requests();
    let gap = r[1].at - r[0].at;
    assert!(gap >= Duration::from_millis(950), "the second call came {gap:?} after the 429");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(gw.metrics().retries("main", "429"), 1);
}

#[tokio::test]
async fn a_503_burst_is_retried_and_too_long_a_burst_fails() {
    let mock = MockUpstream::start().await.unwrap();
    let gw = gateway(config(&mock.base_url()));
    assert_eq!(gw.complete(request("flaky_2", "third time")).await.unwrap().text, "third time");
    assert_eq!(mock.calls("flaky_2"), 3);
    assert_eq!(gw.metrics().retries("main", "503"), 2);
    let err = gw.complete(request("flaky_9", "never")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable, "{err}");
    assert!(err.message().contains("503"), "{err}");
    assert_eq!(mock.calls("flaky_9"), 4, "1 attempt + 3 retries");
}

#[tokio::test]
async fn other_4xx_are_never_retried() {
    let mock = MockUpstream::start().await.unwrap();
    let gw = gateway(config(&mock.base_url()));
    let err = gw.complete(request("status_400", "bad")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Upstream);
    assert_eq!(mock.calls("status_400"), 1);
    let err = gw.complete(request("no-such-model", "x")).await.unwrap_err();
    assert!(err.message().contains("404") && err.message().contains("no-such-model"), "{err}");
}

#[tokio::test]
async fn a_silent_upstream_times_out_and_is_retried() {
    let mock = MockUpstream::start().await.unwrap();
    let mut c = config(&mock.base_url());
    c.first_byte_timeout_ms = 150;
    c.retry.max_retries = 1;
    let gw = gateway(c);
    let started = Instant::now();
    let (text, _, err) = drain(gw.stream(request("hang", "anyone?")).await.unwrap()).await;
    let err = err.expect("a timeout error");
    assert_eq!((text.as_str(), err.kind()), ("", ErrorKind::Unavailable));
    assert!(err.message().contains("sent nothing"), "{err}");
    assert_eq!(mock.calls("hang"), 2);
    assert_eq!(gw.metrics().retries("main", "timeout"), 1);
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn connection_refused_is_unavailable_after_retries() {
    let gw = gateway(config(&closed_port_url()));
    let err = gw.complete(request("echo", "hello?")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unavailable, "{err}");
    assert_eq!(gw.metrics().retries("main", "connect"), 3);
}

#[tokio::test]
async fn malformed_sse_is_a_clear_error_without_retry() {
    let mock = MockUpstream::start().await.unwrap();
    let gw = gateway(config(&mock.base_url()));
    let (_, _, err) = drain(gw.stream(request("malformed_sse", "x")).await.unwrap()).await;
    let err = err.expect("an error");
    assert_eq!(err.kind(), ErrorKind::Upstream);
    assert!(err.message().contains("not JSON"), "{err}");
    assert_eq!(mock.calls("malformed_sse"), 1);
}

#[tokio::test]
async fn a_stream_broken_after_tokens_keeps_the_partial_text_and_is_not_retried() {
    let mock = MockUpstream::start().await.unwrap();
    let gw = gateway(config(&mock.base_url()));
    let req = request("err_in_stream_after_3", "x");
    let (text, _, err) = drain(gw.stream(req.clone()).await.unwrap()).await;
    let err = err.expect("the break is an error");
    assert_eq!(text, "lorem ipsum dolor");
    assert_eq!(partial_text(&err), Some("lorem ipsum dolor"));
    assert!(err.message().contains("broke off"), "{err}");
    assert_eq!(mock.calls("err_in_stream_after_3"), 1, "no retry after the first token");
    assert_eq!(gw.metrics().retries("main", "broken"), 0);
    // Failures are not cached: asking again calls again.
    let _ = drain(gw.stream(req).await.unwrap()).await;
    assert_eq!(mock.calls("err_in_stream_after_3"), 2);
}

#[tokio::test]
async fn a_stream_that_stalls_after_tokens_times_out_keeping_the_text() {
    let mock = MockUpstream::start().await.unwrap();
    let mut c = config(&mock.base_url());
    c.idle_timeout_ms = 150;
    let gw = gateway(c);
    let started = Instant::now();
    let (text, _, err) = drain(gw.stream(request("stall_after_3", "x")).await.unwrap()).await;
    let err = err.expect("the stall is an error");
    assert_eq!(text, "lorem ipsum dolor");
    assert_eq!(partial_text(&err), Some("lorem ipsum dolor"));
    assert!(err.message().contains("sent nothing for 150ms"), "{err}");
    assert_eq!(mock.calls("stall_after_3"), 1, "no retry after the first token");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
}

#[tokio::test]
async fn chunks_closer_together_than_the_idle_timeout_never_time_out() {
    // One timer serves the whole answer and is moved on only when it fires:
    // an answer longer than several idle periods must still go through.
    let mock = MockUpstream::start().await.unwrap();
    let mut c = config(&mock.base_url());
    (c.first_byte_timeout_ms, c.idle_timeout_ms) = (400, 400);
    let gw = gateway(c);
    let mut s = gw.stream(request("drip_ms_100", "x")).await.unwrap();
    let started = Instant::now();
    let mut words = 0;
    while started.elapsed() < Duration::from_millis(1_500) {
        match s.next().await {
            Some(Ok(StreamEvent::Delta(_))) => words += 1,
            Some(Ok(_)) => {}
            other => panic!("after {words} words, {:?}: {other:?}", started.elapsed()),
        }
    }
    assert!(words >= 5, "{words} words in 1.5 s");
}

#[tokio::test]
async fn a_rate_limited_key_cools_and_the_next_key_answers_at_once() {
    let mock = MockUpstream::start().await.unwrap();
    let mut c = config(&mock.base_url());
    c.custom.keys = vec![
        KeyConfig { name: "a".into(), key: Secret::new("sk-a") },
        KeyConfig { name: "b".into(), key: Secret::new("sk-b") },
    ];
    let gw = gateway(c);
    let started = Instant::now();
    gw.complete(request("status_429_retry_after_30", "rotate")).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(5), "did not wait 30 s for key a");
    gw.complete(request("echo", "next")).await.unwrap();
    gw.complete(request("echo", "and next")).await.unwrap();
    let keys: Vec<String> = mock.requests().iter().map(|r| r.bearer.clone().unwrap_or_default()).collect();
    assert_eq!(keys, ["sk-a", "sk-b", "sk-b", "sk-b"], "a cools for 30 s");
    assert_eq!(gw.metrics().retries("a", "429"), 1);
}

#[tokio::test]
async fn when_every_key_cools_past_the_cap_the_call_fails_as_rate_limited() {
    let mock = MockUpstream::start().await.unwrap();
    let mut c = config(&mock.base_url());
    c.custom.keys = vec![
        KeyConfig { name: "a".into(), key: Secret::new("sk-a") },
        KeyConfig { name: "b".into(), key: Secret::new("sk-b") },
    ];
    let gw = gateway(c);
    let err = gw.complete(request("status_429", "no")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited, "{err}");
    assert!(err.message().contains("rate limited for another 6"), "the default 65 s cool-down: {err}");
    assert_eq!(mock.calls("status_429"), 2, "each key tried once, then the soonest is 65 s away");
}

#[tokio::test]
async fn keys_never_appear_in_errors_debug_or_metrics() {
    let mock = MockUpstream::start().await.unwrap();
    let gw = gateway(config(&mock.base_url()));
    let err = gw.complete(request("status_401", "x")).await.unwrap_err();
    let everything = format!("{err} {err:?} {gw:?} {} {:?}", gw.metrics_text(), gw.providers());
    assert!(everything.contains("main"), "the key's name is shown");
    assert!(!everything.contains("sk-main-secret"), "{everything}");
}

#[tokio::test]
async fn not_configured_says_what_to_set() {
    let gw = gateway(GatewayConfig::default());
    assert!(!gw.is_configured());
    let err = gw.complete(request("echo", "x")).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotConfigured);
    assert!(err.message().contains("CEREBRAS_API_KEY"), "{err}");
    let mut keyless = GatewayConfig { primary: ProviderKind::Custom, ..GatewayConfig::default() };
    keyless.custom.base_url = Some("http://127.0.0.1:11434/v1".into());
    keyless.custom.keyless = true;
    assert!(gateway(keyless).is_configured(), "a keyless local server is usable");
}

#[tokio::test]
async fn bad_requests_are_refused_before_any_call() {
    let mock = MockUpstream::start().await.unwrap();
    let gw = gateway(config(&mock.base_url()));
    let mut empty_id = request("echo", "x");
    empty_id.request_id.clear();
    let mut no_messages = request("echo", "x");
    no_messages.direct_messages.clear();
    let mut hot = request("echo", "x");
    hot.temperature = 3.0;
    for r in [empty_id, no_messages, hot] {
        assert_eq!(gw.stream(r).await.unwrap_err().kind(), ErrorKind::InvalidInput);
    }
    assert_eq!(mock.total_calls(), 0);
}
