//! Structure-aware chunking. Extractors emit [`Block`]s (headings,
//! paragraphs, preformatted text, each with its page); the [`Chunker`]
//! packs paragraphs into chunks of about `target` characters, never across
//! a heading (a chunk belongs to one section and carries its heading
//! path), splits an over-long paragraph at sentence ends, then words, and
//! starts each following chunk of a section with the last `overlap`
//! characters of the previous one (cut at a sentence or word start) so a
//! passage cut in two is still found whole. Chunks are handed on as soon
//! as they are complete: memory stays bounded by one chunk.
//!
//! Offsets: the document's text is its blocks joined by a blank line;
//! `char_start..char_end` is the chunk's span in that text, in characters.

use crate::error::Result;

/// What a block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A heading of level 1 (top) to 6.
    Heading(u8),
    /// Running text.
    Paragraph,
    /// Code or preformatted text (kept whole where it fits).
    Preformatted,
    /// The document's title (not chunk text).
    Title,
}

/// One structural piece of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
    /// 1-based page (PDF).
    pub page: Option<u32>,
}

impl Block {
    /// A paragraph on no particular page.
    pub fn paragraph(text: impl Into<String>) -> Block {
        Block { kind: BlockKind::Paragraph, text: text.into(), page: None }
    }
    /// A heading.
    pub fn heading(level: u8, text: impl Into<String>) -> Block {
        Block { kind: BlockKind::Heading(level), text: text.into(), page: None }
    }
}

/// A finished chunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    pub ordinal: usize,
    pub page: Option<u32>,
    /// "Chapter > Section > Subsection".
    pub heading: String,
    pub char_start: usize,
    pub char_end: usize,
    pub text: String,
}

/// Separator between a chunk's pieces and between the document's blocks.
const SEP: &str = "\n\n";
const SEP_CHARS: usize = 2;

/// Packs blocks into chunks; hands each finished chunk to `emit`.
pub struct Chunker<F: FnMut(Chunk) -> Result<()>> {
    target: usize,
    overlap: usize,
    emit: F,
    headings: Vec<(u8, String)>,
    title: Option<String>,
    offset: usize,
    ordinal: usize,
    // The chunk being filled.
    text: String,
    chars: usize,
    start: usize,
    end: usize,
    page: Option<u32>,
    last_page: Option<u32>,
    has_new: bool,
}

impl<F: FnMut(Chunk) -> Result<()>> Chunker<F> {
    /// Chunks of about `target` characters with `overlap` carried over.
    pub fn new(target: usize, overlap: usize, emit: F) -> Chunker<F> {
        let target = target.max(64);
        Chunker {
            target,
            overlap: overlap.min(target / 2),
            emit,
            headings: Vec::new(),
            title: None,
            offset: 0,
            ordinal: 0,
            text: String::new(),
            chars: 0,
            start: 0,
            end: 0,
            page: None,
            last_page: None,
            has_new: false,
        }
    }

    /// The title a [`BlockKind::Title`] block gave, if any.
    pub fn title(&self) -> Option<&str> {
        self.title.as_deref()
    }

    /// Chunks emitted so far.
    pub fn count(&self) -> usize {
        self.ordinal
    }

    /// Feed one block.
    pub fn push(&mut self, block: Block) -> Result<()> {
        let text = block.text.trim();
        if text.is_empty() {
            return Ok(());
        }
        let start = self.offset;
        let chars = text.chars().count();
        self.offset += chars + SEP_CHARS;
        match block.kind {
            BlockKind::Title => {
                if self.title.is_none() {
                    self.title = Some(collapse(text));
                }
                Ok(())
            }
            BlockKind::Heading(level) => {
                self.flush()?;
                self.clear();
                let level = level.clamp(1, 6);
                while self.headings.last().is_some_and(|(l, _)| *l >= level) {
                    self.headings.pop();
                }
                self.headings.push((level, collapse(text)));
                Ok(())
            }
            BlockKind::Paragraph | BlockKind::Preformatted => {
                if chars <= self.target {
                    return self.piece(text, chars, start, block.page);
                }
                for (a, b) in split_long(text, self.target) {
                    let piece = &text[a..b];
                    let piece_start = start + text[..a].chars().count();
                    self.piece(piece.trim(), piece.trim().chars().count(), piece_start, block.page)?;
                }
                Ok(())
            }
        }
    }

    fn piece(&mut self, text: &str, chars: usize, start: usize, page: Option<u32>) -> Result<()> {
        if text.is_empty() {
            return Ok(());
        }
        // A new page ends a chunk that is already half full, so citations
        // point at the right page more often than not.
        let new_page =
            self.has_new && page.is_some() && page != self.last_page && self.chars * 2 >= self.target;
        if self.has_new && (new_page || self.chars + SEP_CHARS + chars > self.target) {
            self.flush()?;
            self.carry_overlap();
        }
        if self.text.is_empty() {
            self.start = start;
        } else {
            self.text.push_str(SEP);
            self.chars += SEP_CHARS;
        }
        if !self.has_new {
            self.page = page;
        }
        self.text.push_str(text);
        self.chars += chars;
        self.end = start + chars;
        self.has_new = true;
        self.last_page = page;
        Ok(())
    }

    /// Emit the current chunk if it holds anything new.
    fn flush(&mut self) -> Result<()> {
        if !self.has_new {
            return Ok(());
        }
        let chunk = Chunk {
            ordinal: self.ordinal,
            page: self.page,
            heading: self.headings.iter().map(|(_, h)| h.as_str()).collect::<Vec<_>>().join(" > "),
            char_start: self.start,
            char_end: self.end,
            text: std::mem::take(&mut self.text),
        };
        self.ordinal += 1;
        self.has_new = false;
        self.text = chunk.text.clone();
        (self.emit)(chunk)
    }

    /// Start the next chunk with the tail of the one just emitted.
    fn carry_overlap(&mut self) {
        let tail = overlap_tail(&self.text, self.overlap);
        let tail_chars = tail.chars().count();
        self.text = tail.to_owned();
        self.chars = tail_chars;
        self.start = self.end - tail_chars;
    }

    fn clear(&mut self) {
        self.text.clear();
        self.chars = 0;
        self.has_new = false;
    }

    /// Emit what is left; returns the number of chunks.
    pub fn finish(mut self) -> Result<(usize, Option<String>)> {
        self.flush()?;
        Ok((self.ordinal, self.title))
    }
}

/// The text a chunk is embedded (and its hash computed) from: the heading
/// path gives a passage its context ("Indexes > B-Tree: ...").
pub fn embed_text(heading: &str, text: &str) -> String {
    if heading.is_empty() { text.to_owned() } else { format!("{heading}\n{text}") }
}

/// Collapse runs of whitespace (headings and titles are one line).
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Byte ranges cutting `text` into pieces of at most `target` characters:
/// at the last sentence end in the second half of the window, else the last
/// whitespace there, else exactly at `target`.
pub fn split_long(text: &str, target: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while from < text.len() {
        let rest = &text[from..];
        let Some((window_end, _)) = rest.char_indices().nth(target) else {
            out.push((from, text.len()));
            break;
        };
        let window = &rest[..window_end];
        let half = window.len() / 2;
        let sentence = window
            .match_indices(['.', '!', '?', '\n'])
            .filter(|(i, _)| *i >= half)
            .filter(|(i, _)| window[i + 1..].starts_with(char::is_whitespace))
            .map(|(i, m)| i + m.len())
            .next_back();
        let space = window.rfind(char::is_whitespace).filter(|i| *i >= half);
        let cut = sentence.or(space).unwrap_or(window_end).max(1);
        let cut = (0..=cut).rev().find(|c| rest.is_char_boundary(*c)).unwrap_or(window_end);
        out.push((from, from + cut));
        from += cut;
        while text[from..].starts_with(char::is_whitespace) {
            from += text[from..].chars().next().map_or(1, char::len_utf8);
        }
    }
    out
}

/// The last `overlap` characters of `text`, moved forward to start at a
/// sentence (if one starts in the first half) or a word.
pub fn overlap_tail(text: &str, overlap: usize) -> &str {
    if overlap == 0 {
        return "";
    }
    let total = text.chars().count();
    if total <= overlap {
        return text;
    }
    let (cut, _) = text.char_indices().nth(total - overlap).unwrap_or((0, ' '));
    let tail = &text[cut..];
    let half = tail.len() / 2;
    let sentence = tail
        .match_indices(['.', '!', '?', '\n'])
        .find(|(i, _)| *i < half && tail[i + 1..].starts_with(char::is_whitespace))
        .map(|(i, _)| i + 1);
    let word = tail.find(char::is_whitespace);
    match sentence.or(word) {
        Some(i) => tail[i..].trim_start(),
        None => tail,
    }
}
