//! CSV and TSV to blocks, streaming (RFC 4180: quoted fields may hold
//! separators, doubled quotes and line breaks). The first record is the
//! header; every later record becomes one paragraph, "column: value;
//! column: value", so a passage found alone still says what its numbers
//! mean. The separator (comma, semicolon or tab) is the one that occurs
//! most in the header line outside quotes.

type Result<T> = std::result::Result<T, super::FileError>;

use super::MAX_PARAGRAPH;
use crate::ingest::chunk::Block;

/// Push parser for delimited text.
#[derive(Debug)]
pub struct CsvParser {
    sep: Option<char>,
    pending: String,
    header: Option<Vec<String>>,
    field: String,
    record: Vec<String>,
    quoted: bool,
    quote_pending: bool,
}

impl CsvParser {
    pub fn new(tab_separated: bool) -> CsvParser {
        CsvParser {
            sep: tab_separated.then_some('\t'),
            pending: String::new(),
            header: None,
            field: String::new(),
            record: Vec::new(),
            quoted: false,
            quote_pending: false,
        }
    }

    pub fn feed(&mut self, text: &str, sink: &mut dyn FnMut(Block) -> Result<()>) -> Result<()> {
        if self.sep.is_none() {
            // Wait for the whole header line to choose the separator.
            self.pending.push_str(text);
            let Some(nl) = self.pending.find('\n') else {
                if self.pending.len() > MAX_PARAGRAPH {
                    self.sep = Some(guess_separator(&self.pending));
                    let pending = std::mem::take(&mut self.pending);
                    return self.parse(&pending, sink);
                }
                return Ok(());
            };
            self.sep = Some(guess_separator(&self.pending[..nl]));
            let pending = std::mem::take(&mut self.pending);
            return self.parse(&pending, sink);
        }
        self.parse(text, sink)
    }

    pub fn finish(&mut self, sink: &mut dyn FnMut(Block) -> Result<()>) -> Result<()> {
        if self.sep.is_none() {
            self.sep = Some(guess_separator(&self.pending));
            let pending = std::mem::take(&mut self.pending);
            self.parse(&pending, sink)?;
        }
        if !self.field.is_empty() || !self.record.is_empty() {
            self.end_record(sink)?;
        }
        Ok(())
    }

    fn parse(&mut self, text: &str, sink: &mut dyn FnMut(Block) -> Result<()>) -> Result<()> {
        let sep = self.sep.unwrap_or(',');
        for c in text.chars() {
            if self.quote_pending {
                self.quote_pending = false;
                if c == '"' {
                    self.field.push('"');
                    continue;
                }
                self.quoted = false;
            }
            if self.quoted {
                if c == '"' {
                    self.quote_pending = true;
                } else {
                    self.field.push(c);
                    if self.field.len() > MAX_PARAGRAPH {
                        // A runaway quote: stop treating the rest as one field.
                        self.quoted = false;
                    }
                }
                continue;
            }
            match c {
                '"' if self.field.is_empty() => self.quoted = true,
                '\n' => self.end_record(sink)?,
                '\r' => {}
                c if c == sep => self.record.push(std::mem::take(&mut self.field)),
                c => self.field.push(c),
            }
        }
        Ok(())
    }

    fn end_record(&mut self, sink: &mut dyn FnMut(Block) -> Result<()>) -> Result<()> {
        self.record.push(std::mem::take(&mut self.field));
        let record = std::mem::take(&mut self.record);
        if record.iter().all(|f| f.trim().is_empty()) {
            return Ok(());
        }
        let Some(header) = &self.header else {
            self.header = Some(record.iter().map(|h| h.trim().to_owned()).collect());
            return Ok(());
        };
        let mut text = String::new();
        for (i, value) in record.iter().enumerate() {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            if !text.is_empty() {
                text.push_str("; ");
            }
            match header.get(i).filter(|h| !h.is_empty()) {
                Some(name) => {
                    text.push_str(name);
                    text.push_str(": ");
                }
                None => text.push_str(&format!("column {}: ", i + 1)),
            }
            text.push_str(value);
        }
        sink(Block::paragraph(text))
    }
}

fn guess_separator(line: &str) -> char {
    let mut counts = [(',', 0usize), (';', 0), ('\t', 0)];
    let mut quoted = false;
    for c in line.chars() {
        if c == '"' {
            quoted = !quoted;
        } else if !quoted && let Some(entry) = counts.iter_mut().find(|(s, _)| *s == c) {
            entry.1 += 1;
        }
    }
    counts.iter().max_by_key(|(_, n)| *n).filter(|(_, n)| *n > 0).map_or(',', |(s, _)| *s)
}
