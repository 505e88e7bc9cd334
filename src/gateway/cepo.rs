//! CePO: an OptiLLM proxy (OpenAI-compatible) that improves JIVE and JIGGA
//! answers with its own multi-step approach. It gets the messages WITHOUT
//! the local enhancements and the approach in the body
//! (`optillm_approach`). It never streams upstream and answers in one late
//! chunk, so the call is non-streamed: nothing reaches the caller until it
//! is complete, which is what lets ANY CePO error fall back to the direct
//! call cleanly. A failed health check (or call) skips CePO for `skip_ms`
//! (60 s by default); a passed one is trusted for `health_ttl_ms`.

use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use serde_json::json;

use super::config::{CepoConfig, check_url};
use super::keys::Secret;
use super::provider::{ClientSettings, ProviderKind, build_client};
use super::reply::Completion;
use super::request::ChatRequest;
use crate::error::Result;

#[derive(Debug, Clone, Copy)]
enum Health {
    Unknown,
    OkUntil(Instant),
    SkipUntil(Instant),
}

/// The CePO endpoint, when enabled.
#[derive(Debug)]
pub(crate) struct Cepo {
    chat_url: String,
    health_url: String,
    approach: String,
    timeout: Duration,
    skip: Duration,
    health_ttl: Duration,
    settings: ClientSettings,
    client: OnceLock<reqwest::Client>,
    health: Mutex<Health>,
}

impl Cepo {
    /// CePO from config and `GOGGA_CEPO_URL` (which beats it); None when disabled.
    pub(crate) fn resolve(
        c: &CepoConfig,
        settings: ClientSettings,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Option<Cepo>> {
        if !c.enabled {
            return Ok(None);
        }
        let base = match env("GOGGA_CEPO_URL").filter(|v| !v.trim().is_empty()) {
            Some(url) => {
                check_url("GOGGA_CEPO_URL", url.trim())?;
                url.trim().to_owned()
            }
            None => c.url.clone(),
        };
        let base = base.trim_end_matches('/');
        // OptiLLM serves /health at its root, next to /v1.
        let root = base.strip_suffix("/v1").unwrap_or(base);
        Ok(Some(Cepo {
            chat_url: format!("{base}/chat/completions"),
            health_url: format!("{root}/health"),
            approach: c.approach.clone(),
            timeout: Duration::from_millis(c.timeout_ms),
            skip: Duration::from_millis(c.skip_ms),
            health_ttl: Duration::from_millis(c.health_ttl_ms),
            settings,
            client: OnceLock::new(),
            health: Mutex::new(Health::Unknown),
        }))
    }

    fn client(&self) -> Result<&reqwest::Client> {
        if let Some(c) = self.client.get() {
            return Ok(c);
        }
        let built = build_client(&self.settings)?;
        Ok(self.client.get_or_init(|| built))
    }

    fn set(&self, h: Health) {
        *self.health.lock().unwrap_or_else(PoisonError::into_inner) = h;
    }

    /// Keep CePO out of calls for the skip period.
    pub(crate) fn mark_failed(&self) {
        self.set(Health::SkipUntil(Instant::now() + self.skip));
    }

    /// Is CePO worth a call now? Checks `/health` when the last verdict is stale.
    pub(crate) async fn healthy(&self) -> bool {
        let now = Instant::now();
        let current = *self.health.lock().unwrap_or_else(PoisonError::into_inner);
        match current {
            Health::OkUntil(t) if now < t => return true,
            Health::SkipUntil(t) if now < t => return false,
            _ => {}
        }
        let ok = match self.client() {
            Ok(client) => {
                let check = client.get(&self.health_url).send();
                matches!(tokio::time::timeout(self.settings.connect_timeout, check).await,
                         Ok(Ok(r)) if r.status().is_success())
            }
            Err(_) => false,
        };
        self.set(if ok {
            Health::OkUntil(now + self.health_ttl)
        } else {
            Health::SkipUntil(now + self.skip)
        });
        ok
    }

    /// One CePO call with the un-enhanced messages; any failure is a message.
    pub(crate) async fn call(
        &self,
        req: &ChatRequest,
        model: &str,
        key: Option<&Secret>,
        provider: ProviderKind,
    ) -> Result<Completion, String> {
        let messages = req.cepo_messages.as_deref().ok_or("no CePO messages")?;
        let mut body = json!({
            "model": model,
            "messages": messages,
            "stream": false,
            "temperature": super::provider::sampling(req.temperature),
            "max_tokens": req.max_tokens,
            "optillm_approach": self.approach,
        });
        if let Some(p) = req.top_p {
            body["top_p"] = json!(super::provider::sampling(p));
        }
        let client = self.client().map_err(|e| e.message().to_owned())?;
        let mut call = client.post(&self.chat_url).header("x-request-id", &req.request_id).json(&body);
        if let Some(k) = key {
            call = call.bearer_auth(k.expose());
        }
        let answer = async {
            let resp = call.send().await.map_err(|e| format!("calling CePO: {e}"))?;
            let status = resp.status();
            if !status.is_success() {
                return Err(format!("CePO answered {status}"));
            }
            resp.json::<serde_json::Value>().await.map_err(|e| format!("CePO's answer is not JSON: {e}"))
        };
        let value = tokio::time::timeout(self.timeout, answer)
            .await
            .map_err(|_| format!("CePO did not answer within {:?}", self.timeout))??;
        let mut completion = super::wire::whole(provider, &value)?;
        completion.via_cepo = true;
        if completion.model.is_empty() {
            completion.model = model.to_owned();
        }
        Ok(completion)
    }
}
