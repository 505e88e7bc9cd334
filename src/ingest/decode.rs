//! Bytes to text. The encoding is decided once per file from its start: a
//! byte-order mark wins (UTF-8, UTF-16LE/BE); else valid UTF-8 is UTF-8;
//! else a UTF-16 pattern without BOM (every other byte zero); else
//! chardetng's guess among the legacy encodings (Latin-1 text decodes as
//! Windows-1252, its superset). [`TextDecoder`] then decodes block by block,
//! so a large file never has to be in memory at once; a sequence split
//! across blocks is carried over, and invalid bytes become U+FFFD.

use encoding_rs::{Decoder, Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// The UTF-16 byte order of `head`, from a BOM or the zero-byte pattern.
pub fn utf16_order(head: &[u8]) -> Option<&'static Encoding> {
    if head.starts_with(&[0xFF, 0xFE]) {
        return Some(UTF_16LE);
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return Some(UTF_16BE);
    }
    let sample = &head[..head.len().min(4096) & !1];
    if sample.len() < 16 {
        return None;
    }
    let pairs = sample.len() / 2;
    let zero_even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let zero_odd = sample.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    // Mostly-ASCII UTF-16: one byte of each pair is zero almost always.
    if zero_odd * 10 >= pairs * 7 && zero_even * 10 <= pairs {
        Some(UTF_16LE)
    } else if zero_even * 10 >= pairs * 7 && zero_odd * 10 <= pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Whether `bytes` is UTF-8, allowing a sequence cut off at the end
/// (`bytes` may be the start of a longer file).
fn is_utf8_prefix(bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && bytes.len() - e.valid_up_to() < 4,
    }
}

/// The encoding of a file starting with `head`; `complete`: `head` is the
/// whole file.
pub fn detect(head: &[u8], complete: bool) -> &'static Encoding {
    if let Some((enc, _)) = Encoding::for_bom(head) {
        return enc;
    }
    // Before UTF-8: BOM-less UTF-16 of ASCII text is valid UTF-8 too
    // (full of NULs), and real UTF-8 text never has that zero pattern.
    if let Some(enc) = utf16_order(head) {
        return enc;
    }
    if is_utf8_prefix(head) && (!complete || std::str::from_utf8(head).is_ok()) {
        return UTF_8;
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(head, complete);
    detector.guess(None, true)
}

/// Streaming decoder for one file.
#[derive(Debug)]
pub struct TextDecoder {
    decoder: Decoder,
    encoding: &'static Encoding,
}

impl TextDecoder {
    /// A decoder for `encoding` (a BOM in the data is removed).
    pub fn new(encoding: &'static Encoding) -> TextDecoder {
        TextDecoder { decoder: encoding.new_decoder(), encoding }
    }

    /// The encoding's name, e.g. "UTF-8", "windows-1252".
    pub fn encoding_name(&self) -> &'static str {
        self.encoding.name()
    }

    /// Decode `bytes`, appending to `out`; `last` on the final block.
    pub fn push(&mut self, bytes: &[u8], last: bool, out: &mut String) {
        let mut src = bytes;
        loop {
            let need = self.decoder.max_utf8_buffer_length(src.len()).unwrap_or(src.len() * 3 + 16);
            out.reserve(need);
            let (result, read, _replaced) = self.decoder.decode_to_string(src, out, last);
            src = &src[read..];
            if matches!(result, encoding_rs::CoderResult::InputEmpty) {
                break;
            }
        }
    }
}

/// Decode a whole file held in memory.
pub fn decode_all(bytes: &[u8]) -> (String, &'static str) {
    let mut d = TextDecoder::new(detect(bytes, true));
    let mut out = String::new();
    d.push(bytes, true, &mut out);
    (out, d.encoding_name())
}
