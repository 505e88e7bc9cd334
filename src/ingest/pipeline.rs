//! One file through the pipeline: look at it (metadata, then modified time
//! and size against what is stored: unchanged files are not even read),
//! read it, hash it (same content hash: only the metadata is touched, no
//! re-chunking), sniff the format, decode, extract, chunk, and hash every
//! chunk. Small files are handled in memory; larger text files stream
//! twice (once to hash, once to extract) with chunks spilled to disk, so
//! memory stays bounded; container formats (PDF, docx, odt) over the
//! configured limit are refused. Every failure is a [`FileError`] with a
//! stable code, and the import of the other files goes on.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use sha2::{Digest, Sha256};

use crate::store::{DocumentMeta, DocumentRow, NewChunk};

use super::LibraryConfig;
use super::chunk::{Block, Chunk, Chunker, embed_text};
use super::decode::{TextDecoder, detect as detect_encoding};
use super::extract::{FileError, TextParser};
use super::sniff::{Format, Refusal, detect};
use super::spill::Spill;

/// Read size when streaming.
const BLOCK: usize = 1024 * 1024;

/// Where the pipeline switches from memory to streaming.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Text files up to this size are read into memory at once.
    pub in_memory_bytes: u64,
    /// Chunks kept in memory before the rest goes to a spill file.
    pub chunks_in_memory: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { in_memory_bytes: 8 * 1024 * 1024, chunks_in_memory: 4096 }
    }
}

/// The new chunks of a document.
#[derive(Debug)]
pub enum Chunks {
    Memory(Vec<NewChunk>),
    Spilled(Spill),
}

impl Chunks {
    pub fn len(&self) -> usize {
        match self {
            Chunks::Memory(v) => v.len(),
            Chunks::Spilled(s) => s.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What happened to one file.
#[derive(Debug)]
pub enum Outcome {
    /// Same modified time and size as stored: not read at all.
    Unchanged { document_id: String },
    /// Same content hash: only size and modified time updated.
    Touched { document_id: String, size_bytes: i64, mtime_ns: i64 },
    /// New or changed content.
    Replaced { meta: DocumentMeta, content_hash: Vec<u8>, chunks: Chunks, encoding: Option<&'static str> },
    /// The file is gone and was in the library: it leaves.
    Gone { document_id: String },
    /// It could not be imported; `retry` when trying later may work.
    Failed { meta: Option<DocumentMeta>, error: FileError, retry: bool },
}

/// File facts before reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stat {
    size: u64,
    mtime_ns: i64,
}

fn stat(path: &Path) -> Result<Stat, (FileError, bool)> {
    let meta = std::fs::metadata(path).map_err(|e| classify_io(path, &e))?;
    if !meta.is_file() {
        let what = if meta.is_dir() { "a folder" } else { "not a regular file" };
        return Err((FileError::new("not_a_file", format!("{} is {what}", path.display())), false));
    }
    let mtime_ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i64);
    Ok(Stat { size: meta.len(), mtime_ns })
}

/// Turn an I/O error into a per-file error; `true` when a retry may help.
pub fn classify_io(path: &Path, e: &std::io::Error) -> (FileError, bool) {
    const ELOOP: i32 = 40;
    let shown = path.display();
    match e.kind() {
        std::io::ErrorKind::NotFound => {
            (FileError::new("not_found", format!("{shown} does not exist")), false)
        }
        std::io::ErrorKind::PermissionDenied => {
            (FileError::new("unreadable", format!("{shown} cannot be read (permission denied)")), false)
        }
        _ if e.raw_os_error() == Some(ELOOP) => {
            (FileError::new("symlink_loop", format!("{shown} is a symbolic link loop")), false)
        }
        _ => (FileError::new("io", format!("reading {shown}: {e}")), true),
    }
}

fn title_of(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// Run one file through the pipeline. `existing` is its stored row.
pub fn process(
    path: &Path,
    conversation: Option<&str>,
    existing: Option<&DocumentRow>,
    explicit: bool,
    config: &LibraryConfig,
    spill_dir: &Path,
    limits: Limits,
) -> Outcome {
    let st = match stat(path) {
        Ok(s) => s,
        Err((error, retry)) => {
            if error.code == "not_found"
                && let Some(doc) = existing
            {
                return Outcome::Gone { document_id: doc.id.clone() };
            }
            return Outcome::Failed { meta: None, error, retry };
        }
    };
    let mut meta = DocumentMeta {
        path: path.display().to_string(),
        conversation_id: conversation.map(str::to_owned),
        title: title_of(path),
        format: super::sniff::by_extension(path).map_or("unknown", Format::as_str).into(),
        size_bytes: st.size as i64,
        mtime_ns: st.mtime_ns,
    };
    if let Some(doc) = existing
        && doc.size_bytes == meta.size_bytes
        && doc.mtime_ns == meta.mtime_ns
        && doc.status == crate::store::DocStatus::Ready
    {
        return Outcome::Unchanged { document_id: doc.id.clone() };
    }
    if st.size == 0 {
        let error = FileError::new("empty", "the file is empty (0 bytes): nothing to index");
        return Outcome::Failed { meta: Some(meta), error, retry: false };
    }
    match read_and_extract(path, st, existing, explicit, config, spill_dir, limits, &mut meta) {
        Ok(outcome) => outcome,
        Err((error, retry)) => Outcome::Failed { meta: Some(meta), error, retry },
    }
}

type Step<T> = Result<T, (FileError, bool)>;

fn fatal(e: FileError) -> (FileError, bool) {
    (e, false)
}

#[expect(clippy::too_many_arguments, reason = "one file's whole context, passed once from `process`")]
fn read_and_extract(
    path: &Path,
    st: Stat,
    existing: Option<&DocumentRow>,
    explicit: bool,
    config: &LibraryConfig,
    spill_dir: &Path,
    limits: Limits,
    meta: &mut DocumentMeta,
) -> Step<Outcome> {
    let mut file = File::open(path).map_err(|e| classify_io(path, &e))?;
    let mut head = vec![0u8; 64 * 1024];
    let n = read_full(&mut file, &mut head).map_err(|e| classify_io(path, &e))?;
    head.truncate(n);
    let format = detect(path, &head, explicit).map_err(|r| {
        fatal(match r {
            Refusal::Unsupported(m) => FileError::new("unsupported", m),
            Refusal::Mismatch(m) => FileError::new("binary", m),
        })
    })?;
    meta.format = format.as_str().to_owned();
    let tsv = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("tsv"));
    let max_container = config.max_container_mb * 1024 * 1024;
    if !format.is_text() && st.size > max_container {
        return Err(fatal(FileError::new(
            "too_large",
            format!(
                "{} MB is over the {} MB limit for {} files (library.max_container_mb)",
                st.size >> 20,
                config.max_container_mb,
                format.as_str()
            ),
        )));
    }
    let unchanged = |hash: &[u8]| existing.and_then(|d| d.content_hash.as_deref()).is_some_and(|h| h == hash);
    let mut sink = ChunkSink::new(spill_dir, limits.chunks_in_memory);
    let mut encoding = None;
    let content_hash;
    if st.size <= limits.in_memory_bytes || !format.is_text() {
        let mut bytes = head;
        file.read_to_end(&mut bytes).map_err(|e| classify_io(path, &e))?;
        ensure_same(path, st, bytes.len() as u64)?;
        content_hash = Sha256::digest(&bytes).to_vec();
        if unchanged(&content_hash) {
            return Ok(touched(existing, meta));
        }
        let mut chunker = Chunker::new(config.chunk_chars, config.overlap_chars, |c| sink.push(c));
        let mut feed = |b: Block| chunker.push(b).map_err(FileError::from);
        match format {
            Format::Pdf => super::extract::pdf(&bytes, &mut feed).map(|_| ()),
            Format::Docx => super::extract::docx(&bytes, &mut feed),
            Format::Odt => super::extract::odt(&bytes, &mut feed),
            _ => {
                let (text, enc) = super::decode::decode_all(&bytes);
                encoding = Some(enc);
                let mut parser = TextParser::new(format, tsv);
                parser.feed(&text, &mut feed).and_then(|()| parser.finish(&mut feed))
            }
        }
        .map_err(fatal)?;
        let (_, title) = chunker.finish().map_err(|e| fatal(e.into()))?;
        if let Some(t) = title {
            meta.title = t;
        }
    } else {
        // Pass 1: hash without keeping the content.
        let mut hasher = Sha256::new();
        hasher.update(&head);
        let mut total = head.len() as u64;
        let mut buf = vec![0u8; BLOCK];
        loop {
            let n = file.read(&mut buf).map_err(|e| classify_io(path, &e))?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            total += n as u64;
        }
        ensure_same(path, st, total)?;
        content_hash = hasher.finalize().to_vec();
        if unchanged(&content_hash) {
            return Ok(touched(existing, meta));
        }
        // Pass 2: decode, extract and chunk block by block.
        let mut file = File::open(path).map_err(|e| classify_io(path, &e))?;
        let enc = detect_encoding(&head, false);
        let mut decoder = TextDecoder::new(enc);
        encoding = Some(decoder.encoding_name());
        let mut parser = TextParser::new(format, tsv);
        let mut chunker = Chunker::new(config.chunk_chars, config.overlap_chars, |c| sink.push(c));
        let mut feed = |b: Block| chunker.push(b).map_err(FileError::from);
        let mut hasher = Sha256::new();
        let mut text = String::new();
        loop {
            let n = file.read(&mut buf).map_err(|e| classify_io(path, &e))?;
            hasher.update(&buf[..n]);
            text.clear();
            decoder.push(&buf[..n], n == 0, &mut text);
            parser.feed(&text, &mut feed).map_err(fatal)?;
            if n == 0 {
                break;
            }
        }
        parser.finish(&mut feed).map_err(fatal)?;
        chunker.finish().map_err(|e| fatal(e.into()))?;
        if hasher.finalize().as_slice() != content_hash.as_slice() {
            return Err(changed(path));
        }
    }
    stat(path).ok().filter(|now| *now == st).ok_or_else(|| changed(path))?;
    let chunks = sink.finish().map_err(|e| fatal(e.into()))?;
    if chunks.is_empty() {
        return Err(fatal(FileError::new("no_text", "no text found in the file")));
    }
    Ok(Outcome::Replaced { meta: meta.clone(), content_hash, chunks, encoding })
}

fn touched(existing: Option<&DocumentRow>, meta: &DocumentMeta) -> Outcome {
    match existing {
        Some(doc) => Outcome::Touched {
            document_id: doc.id.clone(),
            size_bytes: meta.size_bytes,
            mtime_ns: meta.mtime_ns,
        },
        None => Outcome::Failed {
            meta: Some(meta.clone()),
            error: FileError::new("internal", "content hash matched with no stored document"),
            retry: false,
        },
    }
}

fn changed(path: &Path) -> (FileError, bool) {
    (
        FileError::new(
            "changed",
            format!("{} changed while it was being read; it will be read again", path.display()),
        ),
        true,
    )
}

fn ensure_same(path: &Path, st: Stat, read: u64) -> Step<()> {
    if read == st.size { Ok(()) } else { Err(changed(path)) }
}

fn read_full(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// Collects chunks, moving them to a spill file past a count.
struct ChunkSink {
    memory: Vec<NewChunk>,
    spill: Option<Spill>,
    spill_dir: PathBuf,
    limit: usize,
}

impl ChunkSink {
    fn new(spill_dir: &Path, limit: usize) -> ChunkSink {
        ChunkSink { memory: Vec::new(), spill: None, spill_dir: spill_dir.to_path_buf(), limit }
    }

    fn push(&mut self, c: Chunk) -> crate::error::Result<()> {
        let text = embed_text(&c.heading, &c.text);
        let chunk = NewChunk {
            ordinal: c.ordinal as i64,
            page: c.page.map(i64::from),
            heading: c.heading,
            char_start: c.char_start as i64,
            char_end: c.char_end as i64,
            hash: Sha256::digest(text.as_bytes()).to_vec(),
            text: c.text,
        };
        if let Some(spill) = self.spill.as_mut() {
            return spill.push(&chunk);
        }
        self.memory.push(chunk);
        if self.memory.len() > self.limit {
            let mut spill = Spill::create(&self.spill_dir)?;
            for c in self.memory.drain(..) {
                spill.push(&c)?;
            }
            self.spill = Some(spill);
        }
        Ok(())
    }

    fn finish(self) -> crate::error::Result<Chunks> {
        Ok(match self.spill {
            Some(s) => Chunks::Spilled(s),
            None => Chunks::Memory(self.memory),
        })
    }
}
