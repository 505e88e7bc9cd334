//! A spill file for the chunks of a very large document: chunks are
//! appended as they are made (length-prefixed fields) and read back once
//! for the one transaction that stores them, so a 200 MB file needs
//! memory for one chunk, not for all of them. The file is removed when the
//! [`Spill`] is dropped; leftovers of a crash are removed at start-up.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::store::NewChunk;

/// Chunks on disk.
#[derive(Debug)]
pub struct Spill {
    path: PathBuf,
    writer: Option<BufWriter<File>>,
    count: usize,
}

fn io(path: &Path, what: &str, e: std::io::Error) -> Error {
    Error::io(format!("{what} spill file {}", path.display()), e)
}

impl Spill {
    /// A new spill file in `dir`.
    pub fn create(dir: &Path) -> Result<Spill> {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, "creating the folder of", e))?;
        let path = dir.join(format!("{}.chunks", crate::id::new_id()));
        let file = File::create(&path).map_err(|e| io(&path, "creating", e))?;
        Ok(Spill { path, writer: Some(BufWriter::with_capacity(1 << 20, file)), count: 0 })
    }

    /// Chunks written.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Nothing written.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Append one chunk.
    pub fn push(&mut self, c: &NewChunk) -> Result<()> {
        let Some(w) = self.writer.as_mut() else { return Err(Error::internal("spill file already closed")) };
        let mut buf = Vec::with_capacity(c.text.len() + c.heading.len() + 80);
        for n in [c.ordinal, c.page.unwrap_or(-1), c.char_start, c.char_end] {
            buf.extend_from_slice(&n.to_le_bytes());
        }
        for s in [c.heading.as_bytes(), c.text.as_bytes(), &c.hash] {
            buf.extend_from_slice(&(s.len() as u64).to_le_bytes());
            buf.extend_from_slice(s);
        }
        w.write_all(&buf).map_err(|e| io(&self.path, "writing", e))?;
        self.count += 1;
        Ok(())
    }

    /// Finish writing and read the chunks back in order.
    pub fn read(&mut self) -> Result<SpillReader> {
        if let Some(mut w) = self.writer.take() {
            w.flush().map_err(|e| io(&self.path, "writing", e))?;
        }
        let file = File::open(&self.path).map_err(|e| io(&self.path, "reading", e))?;
        Ok(SpillReader {
            reader: BufReader::with_capacity(1 << 20, file),
            left: self.count,
            path: self.path.clone(),
        })
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        self.writer = None;
        let _best_effort = std::fs::remove_file(&self.path);
    }
}

/// Iterator over a spill file's chunks.
#[derive(Debug)]
pub struct SpillReader {
    reader: BufReader<File>,
    left: usize,
    path: PathBuf,
}

impl SpillReader {
    fn i64(&mut self) -> std::io::Result<i64> {
        let mut b = [0u8; 8];
        self.reader.read_exact(&mut b)?;
        Ok(i64::from_le_bytes(b))
    }

    fn bytes(&mut self) -> std::io::Result<Vec<u8>> {
        let mut b = [0u8; 8];
        self.reader.read_exact(&mut b)?;
        let mut v = vec![0u8; u64::from_le_bytes(b) as usize];
        self.reader.read_exact(&mut v)?;
        Ok(v)
    }

    fn next_chunk(&mut self) -> std::io::Result<NewChunk> {
        let (ordinal, page, char_start, char_end) = (self.i64()?, self.i64()?, self.i64()?, self.i64()?);
        let heading = String::from_utf8(self.bytes()?).map_err(std::io::Error::other)?;
        let text = String::from_utf8(self.bytes()?).map_err(std::io::Error::other)?;
        let hash = self.bytes()?;
        Ok(NewChunk { ordinal, page: (page >= 0).then_some(page), heading, char_start, char_end, text, hash })
    }
}

impl Iterator for SpillReader {
    type Item = Result<NewChunk>;
    fn next(&mut self) -> Option<Result<NewChunk>> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        Some(self.next_chunk().map_err(|e| io(&self.path, "reading", e)))
    }
}
