//! Turning the paths someone named into the files to import. Files named
//! explicitly are always tried (their content decides); folders are walked
//! recursively for the extensions we read, skipping hidden entries. Every
//! folder is visited once by its real identity (device and inode), so a
//! symbolic link back to a parent is reported as a loop instead of walking
//! forever; dangling links, unreadable folders and missing paths are
//! per-path failures, and the walk goes on.

use std::collections::HashSet;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use super::extract::FileError;
use super::pipeline::classify_io;
use super::sniff::by_extension;

/// The outcome of walking some paths.
#[derive(Debug, Default)]
pub struct Walked {
    /// Files to import: (real path, named explicitly).
    pub files: Vec<(PathBuf, bool)>,
    /// Paths that could not be walked.
    pub failures: Vec<(PathBuf, FileError)>,
    /// Files left out (not a format we read), with the reason.
    pub skipped: Vec<(PathBuf, String)>,
}

/// Walk `paths`.
pub fn walk(paths: &[PathBuf]) -> Walked {
    let mut out = Walked::default();
    let mut seen_dirs = HashSet::new();
    let mut seen_files = HashSet::new();
    for path in paths {
        let real = match path.canonicalize() {
            Ok(p) => p,
            Err(e) => {
                out.failures.push((path.clone(), classify_io(path, &e).0));
                continue;
            }
        };
        match std::fs::metadata(&real) {
            Ok(m) if m.is_dir() => walk_dir(&real, &mut seen_dirs, &mut seen_files, &mut out),
            Ok(m) => {
                if seen_files.insert((m.dev(), m.ino())) {
                    out.files.push((real, true));
                }
            }
            Err(e) => out.failures.push((path.clone(), classify_io(path, &e).0)),
        }
    }
    out
}

/// Whether a folder walk would import this file (by name).
pub fn wanted(path: &Path) -> bool {
    let hidden = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
    !hidden && by_extension(path).is_some()
}

fn walk_dir(
    dir: &Path,
    seen_dirs: &mut HashSet<(u64, u64)>,
    seen_files: &mut HashSet<(u64, u64)>,
    out: &mut Walked,
) {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let meta = match std::fs::metadata(&dir) {
            Ok(m) => m,
            Err(e) => {
                out.failures.push((dir.clone(), classify_io(&dir, &e).0));
                continue;
            }
        };
        if !seen_dirs.insert((meta.dev(), meta.ino())) {
            out.failures.push((
                dir.clone(),
                FileError::new(
                    "symlink_loop",
                    format!("{} leads back to a folder already walked", dir.display()),
                ),
            ));
            continue;
        }
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                out.failures.push((dir.clone(), classify_io(&dir, &e).0));
                continue;
            }
        };
        let mut children: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        children.sort();
        for child in children.into_iter().rev() {
            if child.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.')) {
                continue;
            }
            match std::fs::metadata(&child) {
                Ok(m) if m.is_dir() => stack.push(child),
                Ok(m) if m.is_file() => {
                    if !wanted(&child) {
                        out.skipped.push((child, "not a format the library reads".into()));
                    } else if seen_files.insert((m.dev(), m.ino())) {
                        let real = child.canonicalize().unwrap_or(child);
                        out.files.push((real, false));
                    }
                }
                Ok(_) => out.skipped.push((child, "not a regular file".into())),
                Err(e) => out.failures.push((child.clone(), classify_io(&child, &e).0)),
            }
        }
    }
    // Folders are pushed in reverse so files come out in path order.
    out.files.sort();
}
