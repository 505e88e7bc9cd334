//! Separates a model's thinking from its answer while the answer streams.
//! `<think>`, `<thinking>`, `<reflection>` and `<plan>` sections are
//! thinking; `<output>` and text outside any section are the answer.
//! Guarantees: a tag split across chunks (`<thi` + `nk>`) is still
//! recognised, because a possible tag start is held back until the next
//! chunk decides it (at most one tag's length, 13 bytes); tags match
//! case-insensitively; a `<` that starts no tag is answer text as written;
//! nothing is lost or duplicated: every byte that is not a tag ends up in
//! exactly one of the two texts (apart from whitespace trimmed at the start
//! of the answer and of each thinking section).

/// A piece of streamed text, sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Answer text, to show as it comes.
    Answer(String),
    /// Thinking text (collapsed in the UI).
    Thinking(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    /// Outside any tag, or inside `<output>`: the answer.
    Answer,
    /// Inside a thinking tag.
    Thinking,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    OpenThinking,
    CloseThinking,
    OpenOutput,
    CloseOutput,
}

const TAGS: [(&str, Tag); 10] = [
    ("<think>", Tag::OpenThinking),
    ("<thinking>", Tag::OpenThinking),
    ("<reflection>", Tag::OpenThinking),
    ("<plan>", Tag::OpenThinking),
    ("<output>", Tag::OpenOutput),
    ("</think>", Tag::CloseThinking),
    ("</thinking>", Tag::CloseThinking),
    ("</reflection>", Tag::CloseThinking),
    ("</plan>", Tag::CloseThinking),
    ("</output>", Tag::CloseOutput),
];

enum Found {
    Tag(Tag, usize),
    /// The text so far could still become a tag.
    Prefix,
    NoTag,
}

fn classify(rest: &[u8]) -> Found {
    let mut prefix = false;
    for (tag, kind) in TAGS {
        let tag = tag.as_bytes();
        if rest.len() >= tag.len() {
            if rest[..tag.len()].eq_ignore_ascii_case(tag) {
                return Found::Tag(kind, tag.len());
            }
        } else if tag[..rest.len()].eq_ignore_ascii_case(rest) {
            prefix = true;
        }
    }
    if prefix { Found::Prefix } else { Found::NoTag }
}

/// The streaming splitter: feed chunks with [`Splitter::push`], then call
/// [`Splitter::finish`]; read the totals with [`Splitter::answer`] and
/// [`Splitter::thinking`].
#[derive(Debug, Clone)]
pub struct Splitter {
    held: String,
    section: Section,
    /// A thinking section just opened: trim its leading whitespace.
    fresh_thinking: bool,
    answer: String,
    thinking: String,
}

impl Default for Splitter {
    fn default() -> Self {
        Splitter::new()
    }
}

impl Splitter {
    pub fn new() -> Splitter {
        Splitter {
            held: String::new(),
            section: Section::Answer,
            fresh_thinking: false,
            answer: String::new(),
            thinking: String::new(),
        }
    }

    /// Sort one more chunk; returns what can be shown now.
    pub fn push(&mut self, chunk: &str) -> Vec<Piece> {
        self.held.push_str(chunk);
        let mut out = Vec::new();
        self.drain(&mut out, false);
        out
    }

    /// The stream ended: release anything held back (an unfinished tag is text).
    pub fn finish(&mut self) -> Vec<Piece> {
        let mut out = Vec::new();
        self.drain(&mut out, true);
        out
    }

    /// The answer so far.
    pub fn answer(&self) -> &str {
        &self.answer
    }

    /// The thinking so far (sections separated by a blank line).
    pub fn thinking(&self) -> &str {
        &self.thinking
    }

    fn drain(&mut self, out: &mut Vec<Piece>, end: bool) {
        let held = std::mem::take(&mut self.held);
        let mut rest = held.as_str();
        loop {
            let Some(at) = rest.find('<') else {
                self.emit(rest, out);
                return;
            };
            self.emit(&rest[..at], out);
            rest = &rest[at..];
            match classify(rest.as_bytes()) {
                Found::Tag(tag, len) => {
                    self.apply(tag);
                    rest = &rest[len..];
                }
                Found::Prefix if !end => {
                    self.held = rest.to_owned();
                    return;
                }
                Found::Prefix | Found::NoTag => {
                    self.emit("<", out);
                    rest = &rest[1..];
                }
            }
        }
    }

    fn apply(&mut self, tag: Tag) {
        match tag {
            Tag::OpenThinking => {
                self.section = Section::Thinking;
                self.fresh_thinking = true;
            }
            Tag::CloseThinking | Tag::OpenOutput | Tag::CloseOutput => self.section = Section::Answer,
        }
    }

    fn emit(&mut self, text: &str, out: &mut Vec<Piece>) {
        if text.is_empty() {
            return;
        }
        match self.section {
            Section::Answer => {
                let text = if self.answer.is_empty() { text.trim_start() } else { text };
                if !text.is_empty() {
                    self.answer.push_str(text);
                    push_piece(out, Piece::Answer(text.to_owned()));
                }
            }
            Section::Thinking => {
                let mut text = text;
                if self.fresh_thinking {
                    text = text.trim_start();
                    if text.is_empty() {
                        return;
                    }
                    self.fresh_thinking = false;
                    if !self.thinking.is_empty() {
                        let sep = if self.thinking.ends_with('\n') { "\n" } else { "\n\n" };
                        self.thinking.push_str(sep);
                        push_piece(out, Piece::Thinking(sep.to_owned()));
                    }
                }
                self.thinking.push_str(text);
                push_piece(out, Piece::Thinking(text.to_owned()));
            }
        }
    }
}

/// Append, merging with the previous piece of the same kind.
fn push_piece(out: &mut Vec<Piece>, piece: Piece) {
    match (out.last_mut(), piece) {
        (Some(Piece::Answer(a)), Piece::Answer(b)) | (Some(Piece::Thinking(a)), Piece::Thinking(b)) => {
            a.push_str(&b)
        }
        (_, piece) => out.push(piece),
    }
}

#[cfg(test)]
#[path = "thinking_tests.rs"]
mod tests;
