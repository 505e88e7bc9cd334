//! Line-oriented text: plain text, Markdown (and reStructuredText, which
//! shares its underlined headings) and source code. Paragraphs end at blank
//! lines. Headings: Markdown `#` lines, underlined titles (`===`, `---`,
//! `~~~`; levels in order of first use, as reStructuredText assigns them),
//! and in plain text the ALL-CAPS section lines of manual pages. Fenced
//! code stays one preformatted block. Source code has no headings: blocks
//! of code between blank lines.

type Result<T> = std::result::Result<T, super::FileError>;

use super::MAX_PARAGRAPH;
use crate::ingest::chunk::{Block, BlockKind};

/// Which conventions apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Text,
    Markdown,
    Code,
}

/// Push parser over lines.
#[derive(Debug)]
pub struct LinesParser {
    style: Style,
    carry: String,
    para: String,
    para_lines: usize,
    fence: Option<String>,
    underline_levels: Vec<char>,
    prev_blank: bool,
}

const UNDERLINE_CHARS: &str = "=-~^\"'*+#_`:.";

impl LinesParser {
    pub fn new(style: Style) -> LinesParser {
        LinesParser {
            style,
            carry: String::new(),
            para: String::new(),
            para_lines: 0,
            fence: None,
            underline_levels: Vec::new(),
            prev_blank: true,
        }
    }

    pub fn feed(&mut self, text: &str, sink: &mut dyn FnMut(Block) -> Result<()>) -> Result<()> {
        self.carry.push_str(text);
        let buffer = std::mem::take(&mut self.carry);
        let mut from = 0;
        while let Some(nl) = buffer[from..].find('\n') {
            let line = &buffer[from..from + nl];
            self.line(line.strip_suffix('\r').unwrap_or(line), sink)?;
            from += nl + 1;
        }
        self.carry = buffer[from..].to_owned();
        // A "line" longer than a paragraph (no newline for megabytes) is
        // handed on as it grows.
        if self.carry.len() > MAX_PARAGRAPH {
            let long = std::mem::take(&mut self.carry);
            self.append(&long, sink)?;
        }
        Ok(())
    }

    pub fn finish(&mut self, sink: &mut dyn FnMut(Block) -> Result<()>) -> Result<()> {
        let rest = std::mem::take(&mut self.carry);
        if !rest.is_empty() {
            self.line(rest.strip_suffix('\r').unwrap_or(&rest), sink)?;
        }
        self.flush(sink)
    }

    fn kind(&self) -> BlockKind {
        if self.style == Style::Code || self.fence.is_some() {
            BlockKind::Preformatted
        } else {
            BlockKind::Paragraph
        }
    }

    fn flush(&mut self, sink: &mut dyn FnMut(Block) -> Result<()>) -> Result<()> {
        if !self.para.trim().is_empty() {
            sink(Block { kind: self.kind(), text: std::mem::take(&mut self.para), page: None })?;
        }
        self.para.clear();
        self.para_lines = 0;
        Ok(())
    }

    fn append(&mut self, line: &str, sink: &mut dyn FnMut(Block) -> Result<()>) -> Result<()> {
        if !self.para.is_empty() {
            self.para.push('\n');
        }
        self.para.push_str(line);
        self.para_lines += 1;
        if self.para.len() > MAX_PARAGRAPH {
            self.flush(sink)?;
        }
        Ok(())
    }

    fn heading(&mut self, level: u8, text: &str, sink: &mut dyn FnMut(Block) -> Result<()>) -> Result<()> {
        self.flush(sink)?;
        sink(Block::heading(level, text.trim()))
    }

    fn line(&mut self, line: &str, sink: &mut dyn FnMut(Block) -> Result<()>) -> Result<()> {
        let blank = line.trim().is_empty();
        let result = self.line_inner(line, blank, sink);
        self.prev_blank = blank;
        result
    }

    fn line_inner(
        &mut self,
        line: &str,
        blank: bool,
        sink: &mut dyn FnMut(Block) -> Result<()>,
    ) -> Result<()> {
        if self.style == Style::Code {
            return if blank { self.flush(sink) } else { self.append(line, sink) };
        }
        let trimmed = line.trim_start();
        // An underline under a one-line paragraph is a heading, also when
        // it looks like a Markdown fence (reStructuredText's `~~~~`).
        if let Some(c) = underline_char(line)
            && self.para_lines == 1
            && self.fence.is_none()
        {
            let level = self.underline_level(c);
            let title = std::mem::take(&mut self.para);
            self.para_lines = 0;
            return self.heading(level, &title, sink);
        }
        if self.style == Style::Markdown {
            if let Some(marker) = &self.fence {
                if trimmed.starts_with(marker.as_str()) {
                    self.append(line, sink)?;
                    self.flush(sink)?;
                    self.fence = None;
                    return Ok(());
                }
                return self.append(line, sink);
            }
            if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                self.flush(sink)?;
                self.fence = Some(trimmed[..3].to_owned());
                return self.append(line, sink);
            }
            if let Some(level) = atx_level(trimmed) {
                let text = trimmed[level as usize..].trim().trim_end_matches('#');
                return self.heading(level, text, sink);
            }
        }
        if blank {
            return self.flush(sink);
        }
        if let Some(c) = underline_char(line) {
            if self.para_lines == 1 {
                let level = self.underline_level(c);
                let title = std::mem::take(&mut self.para);
                self.para_lines = 0;
                return self.heading(level, &title, sink);
            }
            if self.para_lines == 0 {
                return Ok(()); // an overline or a horizontal rule
            }
        }
        if self.style == Style::Text && self.para_lines == 0 && self.prev_blank && is_caps_heading(line) {
            return self.heading(1, line, sink);
        }
        self.append(line, sink)
    }

    fn underline_level(&mut self, c: char) -> u8 {
        // Markdown: `===` is level 1 and `---` level 2 even when `---` comes first.
        if self.style == Style::Markdown && c == '-' && self.underline_levels.is_empty() {
            self.underline_levels.push('=');
        }
        let at = match self.underline_levels.iter().position(|x| *x == c) {
            Some(i) => i,
            None => {
                self.underline_levels.push(c);
                self.underline_levels.len() - 1
            }
        };
        (at + 1).min(6) as u8
    }
}

/// `# Title` → 1 … `###### Title` → 6.
fn atx_level(trimmed: &str) -> Option<u8> {
    let hashes = trimmed.bytes().take_while(|b| *b == b'#').count();
    ((1..=6).contains(&hashes) && trimmed[hashes..].starts_with([' ', '\t'])).then_some(hashes as u8)
}

/// The repeated character of an underline (`=====`), if `line` is one.
fn underline_char(line: &str) -> Option<char> {
    let t = line.trim_end();
    let c = t.chars().next()?;
    (t.len() >= 3 && UNDERLINE_CHARS.contains(c) && t.chars().all(|x| x == c)).then_some(c)
}

/// A manual page's section line: "DESCRIPTION", "SEE ALSO".
fn is_caps_heading(line: &str) -> bool {
    let t = line.trim_end();
    t.len() <= 60
        && !line.starts_with(char::is_whitespace)
        && t.chars().any(char::is_alphabetic)
        && !t.chars().any(char::is_lowercase)
        && !t.ends_with(['.', ',', ';', ':'])
}
