//! Server-sent events, the part chat APIs use: a body cut into lines (`\n`,
//! `\r\n` or `\r`), `data:` lines joined with `\n`, an event dispatched at a
//! blank line, comments (`:`) and the other fields (`event`, `id`, `retry`)
//! ignored, an unfinished event at the end of the body dropped — as the
//! WHATWG rules say.
//!
//! It runs for every chunk of every answer, so it keeps one buffer for the
//! bytes and one for the data of the event being read, both reused: after
//! the first event of a call, reading more allocates nothing.

use std::str::Utf8Error;

/// Bytes in, the data of complete events out.
#[derive(Debug, Default)]
pub(crate) struct Sse {
    buf: Vec<u8>,
    /// Where the unread part of `buf` starts.
    pos: usize,
    data: String,
    /// A `data` field was seen for the event being read (it may be empty).
    has_data: bool,
    /// `data` was handed out: clear it before reading on.
    handed_out: bool,
}

/// Past this many consumed bytes the buffer is compacted before growing.
const COMPACT_AT: usize = 8 * 1024;

impl Sse {
    /// Add bytes read from the body.
    pub(crate) fn feed(&mut self, bytes: &[u8]) {
        if self.pos == self.buf.len() {
            self.buf.clear();
            self.pos = 0;
        } else if self.pos >= COMPACT_AT {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        self.buf.extend_from_slice(bytes);
    }

    /// The data of the next complete event, or `None` until more bytes come.
    pub(crate) fn next_data(&mut self) -> Option<Result<&str, Utf8Error>> {
        if self.handed_out {
            self.data.clear();
            self.handed_out = false;
        }
        loop {
            let rest = &self.buf[self.pos..];
            // Lines are JSON of a few hundred bytes: a vectorised scan.
            let end = memchr::memchr2(b'\n', b'\r', rest)?;
            let mut next = end + 1;
            if rest[end] == b'\r' {
                match rest.get(end + 1) {
                    // A `\r` last in the buffer may be half of a `\r\n`.
                    None => return None,
                    Some(b'\n') => next += 1,
                    Some(_) => {}
                }
            }
            let line = self.pos..self.pos + end;
            self.pos += next;
            if line.is_empty() {
                if self.has_data {
                    self.has_data = false;
                    self.handed_out = true;
                    return Some(Ok(&self.data));
                }
                continue;
            }
            let line = &self.buf[line];
            let (name, value) = match memchr::memchr(b':', line) {
                Some(0) => continue, // a comment
                Some(i) => {
                    let v = &line[i + 1..];
                    (&line[..i], v.strip_prefix(b" ").unwrap_or(v))
                }
                None => (line, &[][..]),
            };
            if name == b"data" {
                let value = match std::str::from_utf8(value) {
                    Ok(v) => v,
                    Err(e) => return Some(Err(e)),
                };
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feed `chunks` one by one; every event's data in order.
    fn events(chunks: &[&[u8]]) -> Vec<String> {
        let mut sse = Sse::default();
        let mut out = Vec::new();
        for c in chunks {
            sse.feed(c);
            while let Some(d) = sse.next_data() {
                out.push(d.unwrap().to_owned());
            }
        }
        out
    }

    #[test]
    fn events_split_anywhere_and_any_line_ending() {
        let body: &[u8] = b"data: {\"a\":1}\n\ndata:two\r\n\r\n: keep-alive\n\nevent: x\nid: 7\ndata: three\r\rdata: [DONE]\n\n";
        let want = ["{\"a\":1}", "two", "three", "[DONE]"];
        assert_eq!(events(&[body]), want);
        for cut in 1..body.len() {
            let (a, b) = body.split_at(cut);
            assert_eq!(events(&[a, b]), want, "cut at {cut}");
        }
        let bytes: Vec<&[u8]> = body.chunks(1).collect();
        assert_eq!(events(&bytes), want);
    }

    #[test]
    fn data_lines_join_empty_data_counts_and_unfinished_events_wait() {
        assert_eq!(events(&[b"data: one\ndata: two\n\n"]), ["one\ntwo"]);
        assert_eq!(events(&[b"data\n\ndata:\n\n"]), ["", ""]);
        assert_eq!(events(&[b"event: ping\n\n: only a comment\n\n"]), Vec::<String>::new());
        assert_eq!(events(&[b"data: no blank line yet\n"]), Vec::<String>::new());
    }

    #[test]
    fn invalid_utf8_is_an_error() {
        let mut sse = Sse::default();
        sse.feed(b"data: \xff\xfe\n\n");
        assert!(matches!(sse.next_data(), Some(Err(_))));
    }

    #[test]
    fn a_long_stream_reuses_its_buffer() {
        let mut sse = Sse::default();
        for i in 0..10_000 {
            sse.feed(format!("data: {i}\n\n").as_bytes());
            assert_eq!(sse.next_data().unwrap().unwrap(), i.to_string());
        }
        assert!(sse.buf.capacity() < 64, "{}", sse.buf.capacity());
    }
}
