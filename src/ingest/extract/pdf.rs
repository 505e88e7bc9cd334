//! PDF to blocks, page by page (pdf-extract over lopdf), so every chunk
//! knows the page it starts on. An encrypted PDF is tried with the empty
//! password (many "protected" PDFs only restrict printing) and otherwise
//! refused as encrypted; a broken file is refused as corrupt; a page that
//! makes the parser panic is skipped, and a PDF where no page gives text
//! (scanned images) is refused with that reason.

use pdf_extract::{Document, PlainTextOutput, output_doc_page};

use super::FileError;
use crate::ingest::chunk::Block;

/// Extract `bytes` (a whole PDF) into `sink`; returns the pages read.
pub fn pdf(bytes: &[u8], sink: &mut dyn FnMut(Block) -> Result<(), FileError>) -> Result<u32, FileError> {
    let loaded = std::panic::catch_unwind(|| Document::load_mem(bytes));
    let mut doc = match loaded {
        Ok(Ok(doc)) => doc,
        Ok(Err(e)) => return Err(FileError::new("corrupt", format!("not a readable PDF: {e}"))),
        Err(_) => return Err(FileError::new("corrupt", "not a readable PDF (the parser gave up)")),
    };
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(FileError::new("encrypted", "the PDF is encrypted with a password; decrypt it first"));
    }
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    if pages.is_empty() {
        return Err(FileError::new("corrupt", "the PDF has no pages"));
    }
    let mut with_text = 0;
    for page in &pages {
        let mut text = String::new();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut out = PlainTextOutput::new(&mut text);
            output_doc_page(&doc, &mut out, *page)
        }));
        match result {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                tracing::debug!(page, error = %e, "PDF page without text");
                continue;
            }
            Err(_) => {
                tracing::warn!(page, "the PDF parser panicked on a page; skipping it");
                continue;
            }
        }
        if text.trim().is_empty() {
            continue;
        }
        with_text += 1;
        for para in paragraphs(&text) {
            sink(Block { page: Some(*page), ..Block::paragraph(para) })?;
        }
    }
    if with_text == 0 {
        return Err(FileError::new("no_text", "the PDF has no extractable text (scanned images?)"));
    }
    Ok(pages.len() as u32)
}

/// Split a page's text at blank lines; rejoin hard-wrapped lines.
fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            continue;
        }
        if !current.is_empty() {
            if current.ends_with('-') && !current.ends_with(" -") {
                current.pop(); // a word hyphenated across lines
            } else {
                current.push(' ');
            }
        }
        current.push_str(line);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}
