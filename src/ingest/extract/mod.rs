//! Text extraction: each format turns into a stream of
//! [`Block`](super::chunk::Block)s. Text-like formats (plain text,
//! Markdown/reStructuredText, source code, HTML, CSV) are push parsers fed
//! decoded text piece by piece, so a file of any size streams through in
//! bounded memory. Container formats (PDF, docx, odt) are parsed whole from
//! memory, under a size limit (`library.max_container_mb`).

mod csv;
mod html;
mod html_names;
mod lines;
mod office;
mod pdf;

use super::chunk::Block;

type Result<T> = std::result::Result<T, FileError>;
use super::sniff::Format;

pub use office::{docx, odt};
pub use pdf::pdf;

/// Why a file could not be imported, with a stable code for the per-file
/// report ("binary", "encrypted", "corrupt", "too_large", ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub code: &'static str,
    pub message: String,
}

impl FileError {
    pub fn new(code: &'static str, message: impl Into<String>) -> FileError {
        FileError { code, message: message.into() }
    }
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<crate::error::Error> for FileError {
    fn from(e: crate::error::Error) -> FileError {
        FileError { code: e.code(), message: e.to_string() }
    }
}

/// A parser for a text-like format.
#[derive(Debug)]
pub enum TextParser {
    Lines(lines::LinesParser),
    Html(html::HtmlParser),
    Csv(csv::CsvParser),
}

impl TextParser {
    /// A parser for `format` (a text format); `tab_separated` for .tsv.
    pub fn new(format: Format, tab_separated: bool) -> TextParser {
        match format {
            Format::Html => TextParser::Html(html::HtmlParser::new()),
            Format::Csv => TextParser::Csv(csv::CsvParser::new(tab_separated)),
            Format::Markdown => TextParser::Lines(lines::LinesParser::new(lines::Style::Markdown)),
            Format::Code => TextParser::Lines(lines::LinesParser::new(lines::Style::Code)),
            _ => TextParser::Lines(lines::LinesParser::new(lines::Style::Text)),
        }
    }

    /// Feed the next piece of decoded text.
    pub fn feed(&mut self, text: &str, sink: &mut dyn FnMut(Block) -> Result<()>) -> Result<()> {
        match self {
            TextParser::Lines(p) => p.feed(text, sink),
            TextParser::Html(p) => p.feed(text, sink),
            TextParser::Csv(p) => p.feed(text, sink),
        }
    }

    /// The end of the text.
    pub fn finish(&mut self, sink: &mut dyn FnMut(Block) -> Result<()>) -> Result<()> {
        match self {
            TextParser::Lines(p) => p.finish(sink),
            TextParser::Html(p) => p.finish(sink),
            TextParser::Csv(p) => p.finish(sink),
        }
    }
}

/// Paragraphs longer than this are handed on in pieces (a file with no
/// blank line must not grow one paragraph without bound).
pub const MAX_PARAGRAPH: usize = 16 * 1024;

#[cfg(test)]
mod tests;
