//! A scripted model and a fixed library for turn tests. The model records
//! every call, answers from a queue of scripts (fixed chunks, chunks then
//! an error, or chunks fed by the test through a channel), and says when
//! a stream it handed out was dropped (the upstream call aborted).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use futures_util::future::BoxFuture;
use tokio::sync::mpsc;

use super::super::seams::{Model, ModelCall, ModelEvent, ModelStream, Retrieve, Retrieved};
use super::super::types::{Passage, Source};
use crate::error::{Error, ErrorKind, Result};

/// What the next call answers.
pub enum Script {
    /// These chunks, the provider's usage, then Done.
    Chunks(Vec<&'static str>, Option<(u32, u32)>),
    /// These chunks, then an upstream error.
    FailAfter(Vec<&'static str>),
    /// The call cannot start.
    Refuse,
    /// Events the test sends; the stream ends when the sender drops.
    Fed(mpsc::UnboundedReceiver<Result<ModelEvent>>),
}

pub struct FakeModel {
    pub configured: bool,
    scripts: Mutex<VecDeque<Script>>,
    pub calls: Mutex<Vec<ModelCall>>,
    /// Set when a stream handed out is dropped.
    pub dropped: Arc<AtomicBool>,
}

impl FakeModel {
    pub fn new(scripts: Vec<Script>) -> FakeModel {
        FakeModel {
            configured: true,
            scripts: Mutex::new(scripts.into()),
            calls: Mutex::new(Vec::new()),
            dropped: Arc::new(AtomicBool::new(false)),
        }
    }

    /// No provider configured.
    pub fn none() -> FakeModel {
        FakeModel { configured: false, ..FakeModel::new(Vec::new()) }
    }

    /// Answer every call with `text` in one chunk (up to `n` calls).
    pub fn saying(text: &'static str, n: usize) -> FakeModel {
        FakeModel::new((0..n).map(|_| Script::Chunks(vec![text], Some((10, 5)))).collect())
    }

    pub fn calls(&self) -> Vec<ModelCall> {
        self.calls.lock().unwrap().clone()
    }
}

struct DropFlag(Arc<AtomicBool>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

impl Model for FakeModel {
    fn is_configured(&self) -> bool {
        self.configured
    }

    fn stream(&self, call: ModelCall) -> BoxFuture<'static, Result<ModelStream>> {
        let model = call.model.clone();
        self.calls.lock().unwrap().push(call);
        let script = self.scripts.lock().unwrap().pop_front();
        let flag = DropFlag(self.dropped.clone());
        Box::pin(async move {
            let done = ModelEvent::Done { model, via_cepo: false };
            let events: Vec<Result<ModelEvent>> = match script {
                None => return Err(Error::internal("the fake model has no script left")),
                Some(Script::Refuse) => return Err(Error::new(ErrorKind::Unavailable, "upstream down")),
                Some(Script::Fed(mut rx)) => {
                    let s = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
                    return Ok(with_flag(Box::pin(s), flag));
                }
                Some(Script::Chunks(chunks, usage)) => {
                    let mut e: Vec<_> = chunks.into_iter().map(|c| Ok(ModelEvent::Delta(c.into()))).collect();
                    if let Some((input, output)) = usage {
                        e.push(Ok(ModelEvent::Usage { input, output }));
                    }
                    e.push(Ok(done));
                    e
                }
                Some(Script::FailAfter(chunks)) => {
                    let mut e: Vec<_> = chunks.into_iter().map(|c| Ok(ModelEvent::Delta(c.into()))).collect();
                    e.push(Err(Error::new(ErrorKind::Upstream, "the connection broke")));
                    e
                }
            };
            Ok(with_flag(Box::pin(futures_util::stream::iter(events)), flag))
        })
    }

    fn count_tokens(&self, text: &str) -> u32 {
        text.len().div_ceil(4) as u32
    }
}

/// Keep `flag` alive as long as the stream.
fn with_flag(stream: ModelStream, flag: DropFlag) -> ModelStream {
    Box::pin(futures_util::stream::unfold((stream, flag), |(mut s, flag)| async move {
        let item = futures_util::StreamExt::next(&mut s).await?;
        Some((item, (s, flag)))
    }))
}

/// A library with fixed passages; records the queries it was asked.
#[derive(Default)]
pub struct FakeDocs {
    pub sources: Vec<Source>,
    pub queries: Mutex<Vec<(String, String)>>,
    pub fail: bool,
}

impl FakeDocs {
    pub fn with(sources: Vec<Source>) -> FakeDocs {
        FakeDocs { sources, ..FakeDocs::default() }
    }
}

impl Retrieve for FakeDocs {
    fn retrieve(
        &self,
        query: &str,
        conversation_id: &str,
        limit: usize,
        _budget: usize,
    ) -> Result<Retrieved> {
        self.queries.lock().unwrap().push((query.to_owned(), conversation_id.to_owned()));
        if self.fail {
            return Err(Error::new(ErrorKind::Search, "the index is broken"));
        }
        Ok(Retrieved { sources: self.sources.iter().take(limit).cloned().collect(), notice: None })
    }

    fn passage(&self, chunk_id: i64) -> Result<Option<Passage>> {
        Ok(self.sources.iter().find(|s| s.chunk_id == chunk_id).map(|s| Passage {
            chunk_id: s.chunk_id,
            document_id: s.document_id.clone(),
            document_path: s.path.clone(),
            title: s.title.clone(),
            page: s.page,
            heading: None,
            text: s.text.clone(),
        }))
    }
}

/// A passage of document `doc` on `page`.
pub fn source(chunk_id: i64, doc: &str, page: Option<u32>, text: &str) -> Source {
    Source {
        chunk_id,
        document_id: format!("doc-{doc}"),
        path: format!("/docs/{doc}"),
        title: doc.to_owned(),
        page,
        heading: String::new(),
        text: text.to_owned(),
        snippet: text.chars().take(40).collect(),
    }
}
