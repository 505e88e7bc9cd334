//! The archive file: `manifest.json` then the members, as one tar stream,
//! zstd-compressed, followed by the trailer (see [`super::manifest`]).
//!
//! Writing streams member files through tar → zstd → a SHA-256 counter →
//! an 8 MiB buffer → the target, so the target sees one create, big writes,
//! one fsync. Reading is one sequential pass that needs no seek (it works on
//! any [`Read`], a network file included): it withholds the last 56 bytes as
//! the trailer, hashes everything before them, and checks, member by member,
//! the type (regular files only: no links, no devices), the path (nothing
//! escapes), the size and the SHA-256 against the manifest, which comes
//! first so a foreign app or a newer schema is refused before any big member
//! is read. Members are either discarded (verify) or extracted into a fresh
//! folder (restore).

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::manifest::{self, MANIFEST_MAX_BYTES, MANIFEST_NAME, Manifest, Member, refused, trailer};
use super::target::{Target, TargetFile, WRITE_CHUNK, target_error};
use crate::error::{Error, Result};

/// At most this many members in an archive we read.
const MAX_MEMBERS: usize = 1000;

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Archive size, trailer included.
    pub bytes: u64,
    /// SHA-256 of everything before the trailer.
    pub sha256: String,
}

/// What a full read found: the manifest, and the archive's own hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub manifest: Manifest,
    pub bytes: u64,
    pub sha256: String,
}

/// Where the members of an archive being read go.
#[derive(Debug, Clone, Copy)]
pub enum Sink<'a> {
    /// Check them only.
    Discard,
    /// Write them into this (new, empty) folder.
    ExtractTo(&'a Path),
}

/// Hash each file; the manifest lists them in this order.
pub fn describe_members(files: &[(String, PathBuf)]) -> Result<(Vec<Member>, String)> {
    let mut members = Vec::new();
    let mut buf = vec![0u8; 1 << 20];
    for (name, path) in files {
        let mut file = File::open(path).map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        loop {
            let n = file.read(&mut buf).map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            size += n as u64;
        }
        members.push(Member { path: name.clone(), size, sha256: manifest::hex_digest(hasher) });
    }
    let payload = manifest::payload_digest(&members);
    Ok((members, payload))
}

/// Write the archive as `name` on `target`, fsynced (not yet renamed).
pub fn write(
    target: &dyn Target,
    name: &str,
    manifest_json: &[u8],
    files: &[(String, PathBuf)],
    mtime: i64,
    level: i32,
) -> Result<Written> {
    let file = target.create(name).map_err(|e| target_error(target, "creating the archive", e))?;
    let io_err = |e: io::Error| target_error(target, "writing the archive", e);
    let counted = HashWriter::new(BufWriter::with_capacity(WRITE_CHUNK, file));
    let mut encoder = zstd::Encoder::new(counted, level).map_err(io_err)?;
    encoder.include_checksum(true).map_err(io_err)?;
    let mut tar = tar::Builder::new(encoder);
    tar.append_data(&mut header(manifest_json.len() as u64, mtime), MANIFEST_NAME, manifest_json)
        .map_err(io_err)?;
    for (member, path) in files {
        let source = File::open(path).map_err(|e| Error::io(format!("reading {}", path.display()), e))?;
        let size = source.metadata().map_err(|e| Error::io(format!("reading {}", path.display()), e))?.len();
        tar.append_data(&mut header(size, mtime), member, BufReader::with_capacity(1 << 20, source))
            .map_err(io_err)?;
    }
    let encoder = tar.into_inner().map_err(io_err)?;
    let counted = encoder.finish().map_err(io_err)?;
    let (mut buffered, digest, len) = counted.finish();
    buffered.write_all(&trailer::encode(&digest, len)).map_err(io_err)?;
    let mut file: Box<dyn TargetFile> = buffered.into_inner().map_err(|e| io_err(e.into_error()))?;
    file.sync().map_err(|e| target_error(target, "flushing the archive to disk", e))?;
    Ok(Written { bytes: len + trailer::LEN, sha256: hex::encode(digest) })
}

fn header(size: u64, mtime: i64) -> tar::Header {
    let mut h = tar::Header::new_ustar();
    h.set_size(size);
    h.set_mode(0o600);
    h.set_mtime(u64::try_from(mtime).unwrap_or(0));
    h.set_entry_type(tar::EntryType::Regular);
    h
}

/// Read only the manifest (a few KiB from the start of the archive).
pub fn read_manifest(reader: impl Read) -> Result<Manifest> {
    let decoder = zstd::Decoder::new(reader).map_err(damaged)?;
    let mut archive = tar::Archive::new(decoder);
    let mut entries = archive.entries().map_err(damaged)?;
    first_manifest(&mut entries)
}

/// Read the whole archive once, checking everything; see the module doc.
pub fn read(reader: impl Read, sink: Sink<'_>) -> Result<Verified> {
    let mut split = TrailerSplit::new(reader);
    let manifest = {
        let decoder = zstd::Decoder::new(&mut split).map_err(damaged)?;
        let mut archive = tar::Archive::new(decoder);
        let mut entries = archive.entries().map_err(damaged)?;
        let manifest = first_manifest(&mut entries)?;
        manifest.check_compatible()?;
        if manifest.members.len() > MAX_MEMBERS {
            return Err(refused(format!("{} members is more than a backup has", manifest.members.len())));
        }
        let mut seen = 0usize;
        for entry in entries {
            let mut entry = entry.map_err(damaged)?;
            let kind = entry.header().entry_type();
            let raw = entry.path_bytes().into_owned();
            let path = std::str::from_utf8(&raw).map_err(|_| {
                refused(format!("member path {:?} is not UTF-8", String::from_utf8_lossy(&raw)))
            })?;
            manifest::member_path(path)?;
            if !kind.is_file() {
                return Err(refused(format!(
                    "member {path:?} is a {kind:?}, not a regular file (links are never restored)"
                )));
            }
            let Some(expected) = manifest.members.get(seen) else {
                return Err(refused(format!("member {path:?} is not listed in the manifest")));
            };
            if expected.path != path {
                return Err(refused(format!(
                    "member {path:?} is not the next one the manifest lists ({:?})",
                    expected.path
                )));
            }
            let size = entry.size();
            if size != expected.size {
                return Err(refused(format!(
                    "member {path:?} has {size} bytes, the manifest says {}",
                    expected.size
                )));
            }
            let digest = copy_member(&mut entry, sink, path)?;
            if digest != expected.sha256 {
                return Err(refused(format!(
                    "member {path:?} does not match its checksum (the archive was altered or damaged)"
                )));
            }
            seen += 1;
        }
        if seen != manifest.members.len() {
            return Err(refused(format!(
                "the archive ends after {seen} of {} members (truncated)",
                manifest.members.len()
            )));
        }
        if manifest::payload_digest(&manifest.members) != manifest.payload_sha256 {
            return Err(refused("the members do not match the manifest's payload checksum"));
        }
        manifest
    };
    let (digest, len, tail) = split.finish().map_err(damaged)?;
    match trailer::decode(&tail) {
        None => Err(refused("the end marker is missing: the archive is truncated or not a Gogga backup")),
        Some((want, want_len)) if want_len != len || want != digest => {
            Err(refused("the archive's checksum does not match: it was altered or damaged"))
        }
        Some(_) => Ok(Verified { manifest, bytes: len + trailer::LEN, sha256: hex::encode(digest) }),
    }
}

/// Hash a whole archive file as stored and check it against its trailer,
/// without decompressing: proves the bytes on the target are the bytes
/// written. Returns the SHA-256 (hex) of everything before the trailer.
pub fn checksum(reader: impl Read) -> Result<String> {
    let (digest, len, tail) = TrailerSplit::new(reader).finish().map_err(damaged)?;
    match trailer::decode(&tail) {
        Some((want, want_len)) if want == digest && want_len == len => Ok(hex::encode(digest)),
        Some(_) => Err(refused("the archive's checksum does not match: it was altered or damaged")),
        None => Err(refused("the end marker is missing: the archive is truncated or not a Gogga backup")),
    }
}

fn first_manifest<R: Read>(entries: &mut tar::Entries<'_, R>) -> Result<Manifest> {
    let mut entry = match entries.next() {
        Some(e) => e.map_err(damaged)?,
        None => return Err(refused("the archive is empty")),
    };
    let is_manifest =
        entry.path_bytes().as_ref() == MANIFEST_NAME.as_bytes() && entry.header().entry_type().is_file();
    if !is_manifest || entry.size() > MANIFEST_MAX_BYTES {
        return Err(refused("the first member is not a Gogga manifest: not a Gogga backup"));
    }
    let mut bytes = Vec::new();
    entry.read_to_end(&mut bytes).map_err(damaged)?;
    Manifest::from_json(&bytes)
}

fn copy_member(entry: &mut impl Read, sink: Sink<'_>, path: &str) -> Result<String> {
    let mut out: Box<dyn Write> = match sink {
        Sink::Discard => Box::new(io::sink()),
        Sink::ExtractTo(dir) => {
            let dest = dir.join(path);
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| Error::io(format!("creating {}", parent.display()), e))?;
            }
            let file = File::options()
                .write(true)
                .create_new(true)
                .open(&dest)
                .map_err(|e| Error::io(format!("creating {}", dest.display()), e))?;
            Box::new(BufWriter::with_capacity(1 << 20, file))
        }
    };
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = entry.read(&mut buf).map_err(damaged)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n]).map_err(|e| Error::io(format!("extracting {path}"), e))?;
    }
    out.flush().map_err(|e| Error::io(format!("extracting {path}"), e))?;
    Ok(manifest::hex_digest(hasher))
}

fn damaged(e: io::Error) -> Error {
    refused(format!("the archive is damaged or truncated ({e})"))
}

/// A writer that hashes and counts what passes through it.
struct HashWriter<W> {
    inner: W,
    hasher: Sha256,
    len: u64,
}

impl<W: Write> HashWriter<W> {
    fn new(inner: W) -> Self {
        HashWriter { inner, hasher: Sha256::new(), len: 0 }
    }
    fn finish(self) -> (W, [u8; 32], u64) {
        (self.inner, self.hasher.finalize().into(), self.len)
    }
}

impl<W: Write> Write for HashWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// A reader that passes on every byte but the last [`trailer::LEN`],
/// hashing what it passes; at the end the withheld bytes are the trailer.
struct TrailerSplit<R> {
    inner: R,
    /// `buf[start..end]` is read but not yet passed on.
    buf: Vec<u8>,
    start: usize,
    end: usize,
    hasher: Sha256,
    len: u64,
    eof: bool,
}

impl<R: Read> TrailerSplit<R> {
    fn new(inner: R) -> Self {
        let buf = vec![0u8; WRITE_CHUNK + trailer::LEN as usize];
        TrailerSplit { inner, buf, start: 0, end: 0, hasher: Sha256::new(), len: 0, eof: false }
    }

    /// Read to the end; the digest and length of what came before the
    /// last 56 bytes, and those bytes.
    fn finish(mut self) -> io::Result<([u8; 32], u64, Vec<u8>)> {
        io::copy(&mut self, &mut io::sink())?;
        let tail = self.buf[self.start..self.end].to_vec();
        Ok((self.hasher.finalize().into(), self.len, tail))
    }
}

impl<R: Read> Read for TrailerSplit<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let keep = trailer::LEN as usize;
        while !self.eof && self.end - self.start <= keep {
            // Move the withheld tail to the front, then refill behind it.
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
            let n = self.inner.read(&mut self.buf[self.end..])?;
            if n == 0 {
                self.eof = true;
            }
            self.end += n;
        }
        let available = (self.end - self.start).saturating_sub(keep);
        let n = available.min(out.len());
        out[..n].copy_from_slice(&self.buf[self.start..self.start + n]);
        self.start += n;
        self.hasher.update(&out[..n]);
        self.len += n as u64;
        Ok(n)
    }
}
