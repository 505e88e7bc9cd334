//! Ingestion pieces, hermetic: chunking, encodings, sniffing, and the
//! per-file pipeline on real files in a temporary folder (every bad input
//! gets its own outcome). The library as a whole, with a fake embedder,
//! is in `tests/library.rs`.

mod library;
mod view;

use std::path::Path;

use super::chunk::{Block, Chunk, Chunker, overlap_tail, split_long};
use super::decode::{decode_all, detect};
use super::pipeline::{Chunks, Limits, Outcome, process};
use super::sniff::{Format, Refusal, detect as sniff};
use super::*;

fn chunk_all(blocks: Vec<Block>, target: usize, overlap: usize) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut c = Chunker::new(target, overlap, |ch| {
        out.push(ch);
        Ok(())
    });
    for b in blocks {
        c.push(b).unwrap();
    }
    c.finish().unwrap();
    out
}

#[test]
fn chunks_pack_paragraphs_never_cross_headings_and_carry_headings() {
    let p = |s: &str| Block::paragraph(s);
    let chunks = chunk_all(
        vec![
            Block::heading(1, "Guide"),
            Block::heading(2, "Install"),
            p(&"a".repeat(60)),
            p(&"b".repeat(60)),
            p(&"c".repeat(60)),
            Block::heading(2, "Use"),
            p("short"),
            Block::heading(1, "Other"),
            Block::heading(2, "Empty section"),
            Block::heading(2, "Last"),
            p("end"),
        ],
        130,
        0,
    );
    let summary: Vec<(&str, usize)> = chunks.iter().map(|c| (c.heading.as_str(), c.text.len())).collect();
    assert_eq!(
        summary,
        vec![("Guide > Install", 122), ("Guide > Install", 60), ("Guide > Use", 5), ("Other > Last", 3)]
    );
    assert_eq!(chunks.iter().map(|c| c.ordinal).collect::<Vec<_>>(), vec![0, 1, 2, 3]);
}

#[test]
fn chunk_offsets_point_into_the_documents_text() {
    let blocks =
        vec![Block::heading(1, "T"), Block::paragraph("one two"), Block::paragraph("three four five")];
    let doc = "T\n\none two\n\nthree four five";
    for c in chunk_all(blocks, 64, 0) {
        let span: String = doc.chars().skip(c.char_start).take(c.char_end - c.char_start).collect();
        assert_eq!(span, c.text);
    }
}

#[test]
fn long_paragraphs_split_at_sentences_and_overlap_carries_context() {
    let text = "First sentence is here. Second sentence follows it. Third one ends the paragraph nicely. \
                Fourth sentence starts a new thought. Fifth closes it.";
    let chunks = chunk_all(vec![Block::paragraph(text)], 70, 30);
    assert!(chunks.len() >= 2);
    for c in &chunks {
        assert!(c.text.chars().count() <= 70 + 30, "{:?}", c.text);
    }
    // Every sentence survives, and the second chunk starts with the end of the first.
    let all: String = chunks.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join(" ");
    for s in ["First sentence", "Third one ends", "Fifth closes it."] {
        assert!(all.contains(s), "{s}");
    }
    let tail = overlap_tail(&chunks[0].text, 30);
    assert!(chunks[1].text.starts_with(tail), "{:?} / {:?}", chunks[0].text, chunks[1].text);
    // Splits are at a sentence end when one is in the second half of the window.
    let pieces = split_long(text, 70);
    assert!(text[pieces[0].0..pieces[0].1].ends_with('.'), "{:?}", &text[pieces[0].0..pieces[0].1]);
    // No whitespace at all: hard cuts, on char boundaries.
    let wall = "é".repeat(250);
    let pieces = split_long(&wall, 100);
    assert_eq!(pieces.len(), 3);
    assert!(pieces.iter().all(|(a, b)| wall.is_char_boundary(*a) && wall.is_char_boundary(*b)));
}

#[test]
fn pages_follow_the_first_new_text_of_a_chunk() {
    let on = |page, s: &str| Block { page: Some(page), ..Block::paragraph(s) };
    let chunks = chunk_all(vec![on(1, &"x".repeat(90)), on(2, &"y".repeat(90)), on(2, "z")], 100, 0);
    assert_eq!(chunks.iter().map(|c| c.page).collect::<Vec<_>>(), vec![Some(1), Some(2)]);
    // A new page ends a chunk that is at least half full, not a smaller one.
    let chunks = chunk_all(vec![on(1, &"a".repeat(30)), on(2, &"b".repeat(30))], 100, 0);
    assert_eq!(chunks.iter().map(|c| c.page).collect::<Vec<_>>(), vec![Some(1)]);
    let chunks = chunk_all(vec![on(1, &"a".repeat(60)), on(2, &"b".repeat(20))], 100, 0);
    assert_eq!(chunks.iter().map(|c| c.page).collect::<Vec<_>>(), vec![Some(1), Some(2)]);
}

#[test]
fn encodings_are_detected_and_decoded() {
    let utf16le: Vec<u8> =
        [0xFF, 0xFE].into_iter().chain("Grüße".encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let utf16be: Vec<u8> =
        [0xFE, 0xFF].into_iter().chain("Grüße".encode_utf16().flat_map(u16::to_be_bytes)).collect();
    let no_bom: Vec<u8> = "plain ascii text in utf16".encode_utf16().flat_map(u16::to_le_bytes).collect();
    let latin1 = b"Caf\xe9 cr\xe8me br\xfbl\xe9e, na\xefve fa\xe7ade, \xa9 2024";
    let cp1252 = b"\x93Smart quotes\x94 and an \x80 sign \x96 dash";
    let cases: &[(&[u8], &str, &str)] = &[
        ("héllo wörld".as_bytes(), "UTF-8", "héllo wörld"),
        (b"\xEF\xBB\xBFbom", "UTF-8", "bom"),
        (&utf16le, "UTF-16LE", "Grüße"),
        (&utf16be, "UTF-16BE", "Grüße"),
        (&no_bom, "UTF-16LE", "plain ascii text in utf16"),
        (latin1, "windows-1252", "Café crème brûlée, naïve façade, © 2024"),
        (cp1252, "windows-1252", "“Smart quotes” and an € sign – dash"),
    ];
    for (bytes, encoding, text) in cases {
        assert_eq!(detect(bytes, true).name(), *encoding, "{text}");
        assert_eq!(decode_all(bytes).0, *text);
    }
}

#[test]
fn sniffing_trusts_content_over_names() {
    let p = |s: &str| Path::new(s).to_path_buf();
    type Case<'a> = (&'a str, &'a [u8], bool, Result<Format, &'a str>);
    let cases: Vec<Case<'_>> = vec![
        ("a.txt", b"hello", false, Ok(Format::Text)),
        ("a.md", b"# hi", false, Ok(Format::Markdown)),
        ("a.rs", b"fn main() {}", false, Ok(Format::Code)),
        ("a.pdf", b"%PDF-1.7\n", false, Ok(Format::Pdf)),
        ("a.pdf", b"<html>", false, Err("binary")),
        ("a.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00", false, Err("binary")),
        ("a.docx", b"PK\x03\x04", false, Ok(Format::Docx)),
        ("a.docx", b"plain", false, Err("binary")),
        ("scan.png", b"\x89PNG\r\n\x1a\n\x00\x00", true, Err("unsupported")),
        ("notes.nfo", b"text", false, Ok(Format::Text)),
        ("notes.weird", b"text", false, Err("unsupported")),
        ("notes.weird", b"text", true, Ok(Format::Text)),
        ("README", b"text", false, Ok(Format::Text)),
        ("file", b"%PDF-1.4", false, Ok(Format::Pdf)),
    ];
    for (name, head, explicit, want) in cases {
        let got = sniff(&p(name), head, explicit).map_err(|r| match r {
            Refusal::Unsupported(_) => "unsupported",
            Refusal::Mismatch(_) => "binary",
        });
        assert_eq!(got, want, "{name}");
    }
}

// ---- the pipeline on real files ------------------------------------------

fn config() -> LibraryConfig {
    LibraryConfig { chunk_chars: 200, overlap_chars: 20, ..LibraryConfig::default() }
}

fn run(path: &Path, existing: Option<&crate::store::DocumentRow>, limits: Limits) -> Outcome {
    let spill = path.parent().unwrap().join(".spill");
    process(path, None, existing, true, &config(), &spill, limits)
}

fn failed_code(o: &Outcome) -> Option<&'static str> {
    match o {
        Outcome::Failed { error, .. } => Some(error.code),
        _ => None,
    }
}

#[test]
fn every_bad_input_gets_its_own_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("empty.txt"), b"").unwrap();
    std::fs::write(d.join("binary.txt"), [0u8, 159, 146, 150, 0, 1, 2, 3].repeat(64)).unwrap();
    std::fs::write(d.join("fake.pdf"), b"this is not a pdf at all").unwrap();
    std::fs::write(d.join("broken.pdf"), b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage").unwrap();
    std::fs::write(d.join("scripts.html"), b"<script>only code</script>").unwrap();
    std::fs::create_dir(d.join("folder.txt")).unwrap();
    std::os::unix::fs::symlink(d.join("loop-b"), d.join("loop-a")).unwrap();
    std::os::unix::fs::symlink(d.join("loop-a"), d.join("loop-b")).unwrap();
    let cases = [
        ("empty.txt", "empty"),
        ("binary.txt", "binary"),
        ("fake.pdf", "binary"),
        ("broken.pdf", "corrupt"),
        ("scripts.html", "no_text"),
        ("folder.txt", "not_a_file"),
        ("loop-a", "symlink_loop"),
        ("missing.txt", "not_found"),
    ];
    for (name, code) in cases {
        let o = run(&d.join(name), None, Limits::default());
        assert_eq!(failed_code(&o), Some(code), "{name}: {o:?}");
    }
    let (e, retry) =
        pipeline::classify_io(Path::new("/x"), &std::io::Error::from(std::io::ErrorKind::PermissionDenied));
    assert_eq!((e.code, retry), ("unreadable", false));
}

#[test]
fn unchanged_files_are_not_read_and_same_content_is_not_rechunked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.md");
    std::fs::write(&path, "# Title\n\nSome text about tomatoes.\n").unwrap();
    let Outcome::Replaced { meta, content_hash, chunks, encoding } = run(&path, None, Limits::default())
    else {
        panic!("first read replaces")
    };
    assert_eq!((meta.format.as_str(), chunks.len(), encoding), ("md", 1, Some("UTF-8")));
    let stored = crate::store::DocumentRow {
        id: "doc".into(),
        path: meta.path.clone(),
        conversation_id: None,
        title: meta.title.clone(),
        format: meta.format.clone(),
        size_bytes: meta.size_bytes,
        mtime_ns: meta.mtime_ns,
        content_hash: Some(content_hash),
        status: crate::store::DocStatus::Ready,
        error_code: None,
        error: None,
        chunk_count: 1,
        created_at: 0,
        updated_at: 0,
    };
    assert!(matches!(run(&path, Some(&stored), Limits::default()), Outcome::Unchanged { .. }));
    // Same bytes, new modified time: hashed, not re-chunked.
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    std::fs::File::options().write(true).open(&path).unwrap().set_modified(later).unwrap();
    assert!(matches!(run(&path, Some(&stored), Limits::default()), Outcome::Touched { .. }));
    std::fs::write(&path, "# Title\n\nNew text about compost.\n").unwrap();
    assert!(matches!(run(&path, Some(&stored), Limits::default()), Outcome::Replaced { .. }));
    std::fs::remove_file(&path).unwrap();
    assert!(matches!(run(&path, Some(&stored), Limits::default()), Outcome::Gone { .. }));
}

fn texts(chunks: Chunks) -> Vec<(String, String, Vec<u8>)> {
    match chunks {
        Chunks::Memory(v) => v.into_iter().map(|c| (c.heading, c.text, c.hash)).collect(),
        Chunks::Spilled(mut s) => {
            s.read().unwrap().map(|c| c.unwrap()).map(|c| (c.heading, c.text, c.hash)).collect()
        }
    }
}

#[test]
fn a_large_file_streams_through_a_spill_file_with_the_same_chunks() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.txt");
    let mut text = String::new();
    for i in 0..1500 {
        text.push_str(&format!(
            "SECTION {i}\n\nParagraph {i} talks about item {i} in some detail, with words.\n\n"
        ));
    }
    // Latin-1 bytes in the middle of the stream decode the same way.
    let mut bytes = text.into_bytes();
    bytes.extend_from_slice(b"\nLATIN\n\nCaf\xe9 at the end.\n");
    std::fs::write(&path, &bytes).unwrap();
    let small = Limits { in_memory_bytes: 4096, chunks_in_memory: 16 };
    let Outcome::Replaced { chunks: streamed, .. } = run(&path, None, small) else { panic!("streamed") };
    assert!(matches!(streamed, Chunks::Spilled(_)));
    let Outcome::Replaced { chunks: in_memory, .. } = run(&path, None, Limits::default()) else {
        panic!("memory")
    };
    assert!(matches!(in_memory, Chunks::Memory(_)));
    let (a, b) = (texts(streamed), texts(in_memory));
    assert_eq!(a.len(), 1501);
    assert_eq!(a[..1500], b[..1500]);
    // The streamed decoder decided on UTF-8 from the first 64 KiB; a
    // Latin-1 byte after that becomes U+FFFD instead of failing the file
    // (a whole file in memory is detected as Windows-1252).
    assert!(
        a[1500].1.contains("Caf\u{fffd}") && b[1500].1.contains("Café"),
        "{:?} / {:?}",
        a[1500].1,
        b[1500].1
    );
    assert!(
        !dir.path().join(".spill").read_dir().map(|mut d| d.next().is_some()).unwrap_or(false),
        "spill removed"
    );
}

#[test]
fn a_file_whose_size_is_not_what_stat_said_is_changed_while_read() {
    // sysfs reports 4096 bytes for small attribute files: stat and read
    // disagree exactly as for a file written while read.
    let path = Path::new("/sys/kernel/mm/transparent_hugepage/enabled");
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let read = std::fs::read(path).map(|b| b.len() as u64).unwrap_or(0);
    assert!(size > 0 && read > 0 && size != read, "this test needs sysfs (size {size}, read {read})");
    match run(path, None, Limits::default()) {
        Outcome::Failed { error, retry, .. } => assert_eq!((error.code, retry), ("changed", true)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn walking_reports_loops_and_skips_what_it_does_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("docs/sub")).unwrap();
    std::fs::write(d.join("docs/a.md"), "a").unwrap();
    std::fs::write(d.join("docs/sub/b.txt"), "b").unwrap();
    std::fs::write(d.join("docs/photo.png"), "png").unwrap();
    std::fs::write(d.join("docs/.hidden.txt"), "h").unwrap();
    std::os::unix::fs::symlink(d.join("docs"), d.join("docs/sub/back")).unwrap();
    std::os::unix::fs::symlink(d.join("nowhere"), d.join("docs/dangling.txt")).unwrap();
    let w = walk::walk(&[d.join("docs"), d.join("docs/a.md"), d.join("missing")]);
    let files: Vec<String> =
        w.files.iter().map(|(p, _)| p.strip_prefix(d).unwrap().display().to_string()).collect();
    assert_eq!(files, vec!["docs/a.md", "docs/sub/b.txt"]);
    let codes: Vec<(&str, String)> = w
        .failures
        .iter()
        .map(|(p, e)| (e.code, p.file_name().unwrap().to_string_lossy().into_owned()))
        .collect();
    assert!(codes.contains(&("symlink_loop", "back".into())), "{codes:?}");
    assert!(codes.contains(&("not_found", "dangling.txt".into())), "{codes:?}");
    assert!(codes.contains(&("not_found", "missing".into())), "{codes:?}");
    assert_eq!(w.skipped.len(), 1, "{:?}", w.skipped);
}

#[test]
fn config_validation_names_the_bad_value() {
    assert!(LibraryConfig::default().validate().is_ok());
    let bad = [
        (LibraryConfig { chunk_chars: 10, ..LibraryConfig::default() }, "chunk_chars"),
        (LibraryConfig { overlap_chars: 900, ..LibraryConfig::default() }, "overlap_chars"),
        (LibraryConfig { max_container_mb: 0, ..LibraryConfig::default() }, "max_container_mb"),
        (
            LibraryConfig {
                fusion: crate::search::Fusion::Convex { vector_weight: 2.0 },
                ..LibraryConfig::default()
            },
            "vector_weight",
        ),
    ];
    for (c, word) in bad {
        assert!(c.validate().unwrap_err().to_string().contains(word), "{word}");
    }
}
