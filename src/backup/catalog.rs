//! `gogga backup list DIR`: the archives in a folder, newest first, each
//! with its manifest (read from the first few KiB) and whether its end
//! marker is there. Cheap on a network folder: two small reads per archive,
//! no decompression of the payload. A full check is `verify`.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::archive;
use super::manifest::{Manifest, trailer};
use super::run::archive_names;
use super::target::{FsTarget, Target, target_error};
use crate::error::Result;

/// One archive in a backup folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArchiveInfo {
    pub path: PathBuf,
    pub file_name: String,
    pub bytes: u64,
    /// The manifest, when it could be read.
    pub manifest: Option<Manifest>,
    /// Why the archive looks unusable (no end marker, unreadable manifest).
    pub problem: Option<String>,
}

/// The archives in `dir`, newest first.
pub fn list(dir: &Path) -> Result<Vec<ArchiveInfo>> {
    let (target, _kind) = FsTarget::new(dir)?;
    let names = target.list().map_err(|e| target_error(&target, "listing the folder", e))?;
    Ok(archive_names(names).into_iter().rev().map(|name| describe(dir, name)).collect())
}

fn describe(dir: &Path, file_name: String) -> ArchiveInfo {
    let path = dir.join(&file_name);
    let mut info = ArchiveInfo { path: path.clone(), file_name, bytes: 0, manifest: None, problem: None };
    let mut file = match File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            info.problem = Some(format!("cannot open: {e}"));
            return info;
        }
    };
    info.bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
    if !has_trailer(&mut file, info.bytes) {
        info.problem = Some("no end marker: truncated or not a Gogga backup".to_owned());
    }
    if file.seek(SeekFrom::Start(0)).is_ok() {
        match archive::read_manifest(BufReader::with_capacity(64 << 10, file)) {
            Ok(m) => info.manifest = Some(m),
            Err(e) => info.problem = Some(e.to_string()),
        }
    }
    info
}

fn has_trailer(file: &mut File, len: u64) -> bool {
    if len < trailer::LEN || file.seek(SeekFrom::Start(len - trailer::LEN)).is_err() {
        return false;
    }
    let mut tail = vec![0u8; trailer::LEN as usize];
    file.read_exact(&mut tail).is_ok() && trailer::decode(&tail).is_some_and(|(_, n)| n + trailer::LEN == len)
}
