//! HTML to blocks, streaming: a small tokenizer (text, tags, comments,
//! raw-text elements) fed piece by piece, never a whole DOM. `h1`–`h6`
//! become headings, `title` the document title, block elements end
//! paragraphs, `pre` keeps its line breaks; scripts, styles and navigation
//! (`nav`, and the nav header and footer blocks of generated manuals) are
//! dropped. Character references are decoded (numeric ones and the common
//! named ones; an unknown name stays as written).

type Result<T> = std::result::Result<T, super::FileError>;

use super::MAX_PARAGRAPH;
use super::html_names::{BLOCK_TAGS, decode_entity, heading_level, is_nav_block};
use crate::ingest::chunk::{Block, BlockKind};

/// Longest tag (bytes between `<` and `>`); longer, the `<` was text.
const MAX_TAG: usize = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Text,
    /// After `<`, collecting the tag up to `>`.
    Tag,
    /// Inside `<!-- … -->`.
    Comment,
    /// Inside `<script>`/`<style>`: everything up to the closing tag.
    Raw,
}

/// Push parser for HTML.
#[derive(Debug)]
pub struct HtmlParser {
    state: State,
    tag: String,
    raw_end: &'static str,
    text: String,
    entity: Option<String>,
    heading: Option<u8>,
    in_title: bool,
    pre: usize,
    skip: Vec<(String, usize)>,
}

impl HtmlParser {
    pub fn new() -> HtmlParser {
        HtmlParser {
            state: State::Text,
            tag: String::new(),
            raw_end: "",
            text: String::new(),
            entity: None,
            heading: None,
            in_title: false,
            pre: 0,
            skip: Vec::new(),
        }
    }

    pub fn feed(&mut self, input: &str, sink: &mut dyn FnMut(Block) -> Result<()>) -> Result<()> {
        let mut rest = input;
        while let Some(c) = rest.chars().next() {
            // Why: going through `step` one char at a time was ~13 % of all
            // CPU importing the PostgreSQL manual. Runs that need no
            // decision per char are copied whole instead: ASCII text
            // without markup, entity or whitespace, and the inside of a tag
            // up to its `>`. The blocks are the same (a test compares them
            // with every char going through `step`).
            let bytes = rest.as_bytes();
            match self.state {
                State::Text if self.entity.is_none() => {
                    let run = bytes
                        .iter()
                        .position(|&b| b == b'<' || b == b'&' || b <= b' ' || b >= 0x80)
                        .unwrap_or(bytes.len());
                    if run > 0 {
                        self.push_plain(&rest[..run], sink)?;
                        rest = &rest[run..];
                        continue;
                    }
                }
                // Past the first three chars "!--" can no longer match;
                // the whole tag must stay within the length limit.
                State::Tag if self.tag.len() >= 3 => {
                    if let Some(gt) = bytes.iter().position(|&b| b == b'>')
                        && self.tag.len() + gt <= MAX_TAG
                    {
                        self.tag.push_str(&rest[..gt]);
                        rest = &rest[gt + 1..];
                        self.state = State::Text;
                        let tag = std::mem::take(&mut self.tag);
                        self.on_tag(&tag, sink)?;
                        continue;
                    }
                }
                _ => {}
            }
            rest = &rest[c.len_utf8()..];
            self.step(c, sink)?;
        }
        Ok(())
    }

    /// [`HtmlParser::feed`] without copying runs: every char goes through
    /// [`HtmlParser::step`] (tests compare the two).
    #[cfg(test)]
    pub(super) fn feed_each_char(
        &mut self,
        input: &str,
        sink: &mut dyn FnMut(Block) -> Result<()>,
    ) -> Result<()> {
        input.chars().try_for_each(|c| self.step(c, sink))
    }

    /// One character of input.
    fn step(&mut self, c: char, sink: &mut dyn FnMut(Block) -> Result<()>) -> Result<()> {
        {
            match self.state {
                State::Text => {
                    if c == '<' {
                        self.end_entity();
                        self.state = State::Tag;
                        self.tag.clear();
                    } else {
                        self.text_char(c, sink)?;
                    }
                }
                State::Tag => {
                    self.tag.push(c);
                    if self.tag == "!--" {
                        self.state = State::Comment;
                        self.tag.clear();
                    } else if c == '>' {
                        self.state = State::Text;
                        let tag = std::mem::take(&mut self.tag);
                        self.on_tag(&tag[..tag.len() - 1], sink)?;
                    } else if self.tag.len() > MAX_TAG {
                        // Not a tag after all ("a < b" with no '>' for ages).
                        let tag = std::mem::take(&mut self.tag);
                        self.state = State::Text;
                        self.push_text('<', sink)?;
                        for t in tag.chars() {
                            self.push_text(t, sink)?;
                        }
                    }
                }
                State::Comment => {
                    self.tag.push(c);
                    if self.tag.ends_with("-->") {
                        self.state = State::Text;
                        self.tag.clear();
                    } else if self.tag.len() > 8 {
                        self.keep_tail(3);
                    }
                }
                State::Raw => {
                    self.tag.push(c.to_ascii_lowercase());
                    if self.tag.ends_with(self.raw_end) {
                        // Finish the closing tag ("</script  >") as a tag.
                        self.state = State::Tag;
                        self.tag = self.raw_end[1..].to_owned();
                    } else if self.tag.len() > 64 {
                        self.keep_tail(16);
                    }
                }
            }
        }
        Ok(())
    }

    /// Keep at least the last `bytes` of the tag buffer (more if a char
    /// straddles the cut: cutting inside one panicked on non-ASCII
    /// comments and scripts).
    fn keep_tail(&mut self, bytes: usize) {
        let mut cut = self.tag.len().saturating_sub(bytes);
        while !self.tag.is_char_boundary(cut) {
            cut -= 1;
        }
        self.tag.drain(..cut);
    }

    /// As [`HtmlParser::push_text`] for each char of `run` (text without
    /// whitespace, `<` or `&`), copying as much as fits before the
    /// paragraph limit at once.
    fn push_plain(&mut self, mut run: &str, sink: &mut dyn FnMut(Block) -> Result<()>) -> Result<()> {
        if !self.skip.is_empty() {
            return Ok(());
        }
        while let Some(c) = run.chars().next() {
            if self.heading.is_some() || self.in_title {
                self.text.push_str(run);
                return Ok(());
            }
            // Bytes that keep the text within the limit (`push_text`
            // flushes once it is over).
            let mut fit = MAX_PARAGRAPH.saturating_sub(self.text.len()).min(run.len());
            while !run.is_char_boundary(fit) {
                fit -= 1;
            }
            if fit == 0 {
                self.push_text(c, sink)?;
                run = &run[c.len_utf8()..];
            } else {
                self.text.push_str(&run[..fit]);
                run = &run[fit..];
            }
        }
        Ok(())
    }

    pub fn finish(&mut self, sink: &mut dyn FnMut(Block) -> Result<()>) -> Result<()> {
        self.end_entity();
        self.flush(sink)
    }

    fn text_char(&mut self, c: char, sink: &mut dyn FnMut(Block) -> Result<()>) -> Result<()> {
        if let Some(e) = &mut self.entity {
            if c == ';' {
                let name = std::mem::take(e);
                self.entity = None;
                match decode_entity(&name) {
                    Some(ch) => self.push_text(ch, sink)?,
                    None => {
                        self.push_text('&', sink)?;
                        for x in name.chars().chain(std::iter::once(';')) {
                            self.push_text(x, sink)?;
                        }
                    }
                }
                return Ok(());
            }
            if (c.is_alphanumeric() || c == '#') && e.len() < 32 {
                e.push(c);
                return Ok(());
            }
            self.end_entity_with(sink)?;
        }
        if c == '&' {
            self.entity = Some(String::new());
            return Ok(());
        }
        self.push_text(c, sink)
    }

    /// An `&name` without `;`: keep it as written.
    fn end_entity(&mut self) {
        if let Some(e) = self.entity.take() {
            self.text.push('&');
            self.text.push_str(&e);
        }
    }

    fn end_entity_with(&mut self, _sink: &mut dyn FnMut(Block) -> Result<()>) -> Result<()> {
        self.end_entity();
        Ok(())
    }

    fn push_text(&mut self, c: char, sink: &mut dyn FnMut(Block) -> Result<()>) -> Result<()> {
        if !self.skip.is_empty() {
            return Ok(());
        }
        if self.pre == 0 && c.is_whitespace() {
            if !self.text.is_empty() && !self.text.ends_with(' ') {
                self.text.push(' ');
            }
        } else {
            self.text.push(if c == '\u{a0}' && self.pre == 0 { ' ' } else { c });
        }
        if self.text.len() > MAX_PARAGRAPH && self.heading.is_none() && !self.in_title {
            self.flush(sink)?;
        }
        Ok(())
    }

    fn flush(&mut self, sink: &mut dyn FnMut(Block) -> Result<()>) -> Result<()> {
        let text = std::mem::take(&mut self.text);
        if text.trim().is_empty() {
            return Ok(());
        }
        let kind = if self.in_title {
            BlockKind::Title
        } else if let Some(level) = self.heading {
            BlockKind::Heading(level)
        } else if self.pre > 0 {
            BlockKind::Preformatted
        } else {
            BlockKind::Paragraph
        };
        sink(Block { kind, text, page: None })
    }

    fn on_tag(&mut self, tag: &str, sink: &mut dyn FnMut(Block) -> Result<()>) -> Result<()> {
        if tag.starts_with('!') || tag.starts_with('?') {
            return Ok(()); // doctype, processing instruction
        }
        let closing = tag.starts_with('/');
        let body = tag.trim_start_matches('/');
        let name_end = body.find(|c: char| c.is_whitespace() || c == '/').unwrap_or(body.len());
        let name = body[..name_end].to_ascii_lowercase();
        let attrs = &body[name_end..];
        if let Some((skipped, depth)) = self.skip.last_mut() {
            if *skipped == name && !attrs.trim_end().ends_with('/') {
                if closing {
                    *depth -= 1;
                    if *depth == 0 {
                        self.skip.pop();
                    }
                } else {
                    *depth += 1;
                }
            }
            return Ok(());
        }
        if !closing && (name == "script" || name == "style" || name == "noscript" || name == "template") {
            self.raw_end = match name.as_str() {
                "script" => "</script",
                "style" => "</style",
                "noscript" => "</noscript",
                _ => "</template",
            };
            self.state = State::Raw;
            self.tag.clear();
            return Ok(());
        }
        if !closing && (name == "nav" || is_nav_block(attrs)) {
            self.flush(sink)?;
            self.skip.push((name, 1));
            return Ok(());
        }
        if let Some(level) = heading_level(&name) {
            self.flush(sink)?;
            self.heading = if closing { None } else { Some(level) };
            return Ok(());
        }
        match name.as_str() {
            "title" => {
                self.flush(sink)?;
                self.in_title = !closing;
            }
            "pre" => {
                self.flush(sink)?;
                self.pre = if closing { self.pre.saturating_sub(1) } else { self.pre + 1 };
            }
            "br" if self.pre > 0 => self.text.push('\n'),
            n if BLOCK_TAGS.contains(&n) && self.heading.is_none() && !self.in_title => self.flush(sink)?,
            _ => {}
        }
        Ok(())
    }
}
