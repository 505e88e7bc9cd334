//! Word processor files: docx (`word/document.xml`) and odt
//! (`content.xml`), both zip containers of XML read with quick-xml.
//! Paragraphs become blocks; headings come from the paragraph style
//! ("Heading1", "Title", or an explicit outline level) in docx and from
//! `text:h` in odt; the title from the document properties. A member whose
//! declared size is absurd (a zip bomb) is refused.

use std::io::Read;

use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::FileError;
use crate::ingest::chunk::{Block, BlockKind};

type Sink<'a> = &'a mut dyn FnMut(Block) -> Result<(), FileError>;

/// Largest XML member we inflate.
const MAX_MEMBER: u64 = 256 * 1024 * 1024;

fn member(bytes: &[u8], name: &str, required: bool) -> Result<Option<String>, FileError> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| FileError::new("corrupt", format!("not a readable zip container: {e}")))?;
    let mut file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) if !required => return Ok(None),
        Err(zip::result::ZipError::UnsupportedArchive(m))
            if m.contains("ncrypt") || m.contains("assword") =>
        {
            return Err(FileError::new("encrypted", "the document is encrypted with a password"));
        }
        Err(e) => return Err(FileError::new("corrupt", format!("{name} missing from the container: {e}"))),
    };
    if file.encrypted() {
        return Err(FileError::new("encrypted", "the document is encrypted with a password"));
    }
    if file.size() > MAX_MEMBER {
        return Err(FileError::new("too_large", format!("{name} inflates to {} MB", file.size() >> 20)));
    }
    let mut text = String::with_capacity(file.size() as usize);
    file.read_to_string(&mut text)
        .map_err(|e| FileError::new("corrupt", format!("reading {name} from the container: {e}")))?;
    Ok(Some(text))
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.try_get_attribute(name).ok().flatten().map(|a| a.value.into_owned())
}

fn xml_err(e: quick_xml::Error) -> FileError {
    FileError::new("corrupt", format!("malformed XML in the document: {e}"))
}

fn push_ref(out: &mut String, r: &str) {
    match r {
        "amp" => out.push('&'),
        "lt" => out.push('<'),
        "gt" => out.push('>'),
        "quot" => out.push('"'),
        "apos" => out.push('\''),
        other => {
            let code = other
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| other.strip_prefix('#').and_then(|d| d.parse().ok()));
            if let Some(c) = code.and_then(char::from_u32) {
                out.push(c);
            }
        }
    }
}

/// The `dc:title` of a properties XML, if present.
fn title_of(xml: &str) -> Option<String> {
    let mut reader = Reader::from_str(xml);
    let mut inside = false;
    let mut title = String::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.name().0 == "dc:title" => inside = true,
            Ok(Event::End(e)) if e.name().0 == "dc:title" => break,
            Ok(Event::Text(t)) if inside => title.push_str(&t),
            Ok(Event::GeneralRef(r)) if inside => push_ref(&mut title, &r),
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    let title = title.trim().to_owned();
    (!title.is_empty()).then_some(title)
}

/// Heading level of a docx paragraph style id ("Heading2" → 2, "Title" → 1).
fn docx_style_level(style: &str) -> Option<u8> {
    let lower = style.to_ascii_lowercase();
    if lower == "title" {
        return Some(1);
    }
    let digits = lower.strip_prefix("heading")?.trim();
    digits.parse::<u8>().ok().map(|l| l.clamp(1, 6))
}

/// Extract a docx file.
pub fn docx(bytes: &[u8], sink: Sink<'_>) -> Result<(), FileError> {
    if let Some(core) = member(bytes, "docProps/core.xml", false)?
        && let Some(title) = title_of(&core)
    {
        sink(Block { kind: BlockKind::Title, text: title, page: None })?;
    }
    let xml = member(bytes, "word/document.xml", true)?.unwrap_or_default();
    let mut reader = Reader::from_str(&xml);
    let mut text = String::new();
    let mut level: Option<u8> = None;
    let mut in_text = false;
    loop {
        match reader.read_event().map_err(xml_err)? {
            Event::Start(e) | Event::Empty(e) if e.name().0 == "w:p" => {
                text.clear();
                level = None;
            }
            Event::Start(e) | Event::Empty(e) if e.name().0 == "w:pStyle" => {
                if let Some(l) = attr(&e, "w:val").as_deref().and_then(docx_style_level) {
                    level = Some(l);
                }
            }
            Event::Start(e) | Event::Empty(e) if e.name().0 == "w:outlineLvl" => {
                if let Some(l) = attr(&e, "w:val").and_then(|v| v.parse::<u8>().ok()) {
                    level = Some((l + 1).clamp(1, 6));
                }
            }
            Event::Start(e) if e.name().0 == "w:t" => in_text = true,
            Event::End(e) if e.name().0 == "w:t" => in_text = false,
            Event::Empty(e) if e.name().0 == "w:tab" => text.push('\t'),
            Event::Empty(e) if e.name().0 == "w:br" || e.name().0 == "w:cr" => text.push('\n'),
            Event::Text(t) if in_text => text.push_str(&t),
            Event::GeneralRef(r) if in_text => push_ref(&mut text, &r),
            Event::End(e) if e.name().0 == "w:p" => {
                let kind = level.map_or(BlockKind::Paragraph, BlockKind::Heading);
                sink(Block { kind, text: std::mem::take(&mut text), page: None })?;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(())
}

/// Extract an odt file.
pub fn odt(bytes: &[u8], sink: Sink<'_>) -> Result<(), FileError> {
    if let Some(meta) = member(bytes, "meta.xml", false)?
        && let Some(title) = title_of(&meta)
    {
        sink(Block { kind: BlockKind::Title, text: title, page: None })?;
    }
    let xml = member(bytes, "content.xml", true)?.unwrap_or_default();
    let mut reader = Reader::from_str(&xml);
    // Paragraphs nest (a footnote inside a paragraph): one buffer per level.
    let mut stack: Vec<(Option<u8>, String)> = Vec::new();
    loop {
        match reader.read_event().map_err(xml_err)? {
            Event::Start(e) if e.name().0 == "text:p" => stack.push((None, String::new())),
            Event::Start(e) if e.name().0 == "text:h" => {
                let level = attr(&e, "text:outline-level").and_then(|v| v.parse::<u8>().ok()).unwrap_or(1);
                stack.push((Some(level.clamp(1, 6)), String::new()));
            }
            Event::Empty(e) if e.name().0 == "text:s" => {
                if let Some((_, t)) = stack.last_mut() {
                    let n = attr(&e, "text:c").and_then(|v| v.parse::<usize>().ok()).unwrap_or(1).min(64);
                    t.extend(std::iter::repeat_n(' ', n));
                }
            }
            Event::Empty(e) if e.name().0 == "text:tab" => {
                if let Some((_, t)) = stack.last_mut() {
                    t.push('\t');
                }
            }
            Event::Empty(e) if e.name().0 == "text:line-break" => {
                if let Some((_, t)) = stack.last_mut() {
                    t.push('\n');
                }
            }
            Event::Text(x) => {
                if let Some((_, t)) = stack.last_mut() {
                    t.push_str(&x);
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, t)) = stack.last_mut() {
                    push_ref(t, &r);
                }
            }
            Event::End(e) if e.name().0 == "text:p" || e.name().0 == "text:h" => {
                if let Some((level, text)) = stack.pop() {
                    let kind = level.map_or(BlockKind::Paragraph, BlockKind::Heading);
                    sink(Block { kind, text, page: None })?;
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(())
}
