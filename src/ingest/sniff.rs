//! What kind of file is this? The extension proposes, the first bytes
//! decide: a PDF must start with `%PDF-`, a docx or odt must be a zip, and
//! anything read as text must not look binary (NUL bytes outside UTF-16,
//! many control characters). A binary named `.txt` is refused with a reason
//! instead of filling the index with garbage.

use std::path::Path;

/// A format the library can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Markdown,
    Html,
    Pdf,
    Docx,
    Odt,
    Csv,
    Code,
}

impl Format {
    /// The name stored with the document.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Odt => "odt",
            Format::Csv => "csv",
            Format::Code => "code",
        }
    }

    /// Whether the file is read as a stream of decoded text.
    pub fn is_text(self) -> bool {
        !matches!(self, Format::Pdf | Format::Docx | Format::Odt)
    }
}

const CODE_EXTENSIONS: &[&str] = &[
    "rs", "py", "js", "mjs", "cjs", "ts", "tsx", "jsx", "c", "h", "cc", "cpp", "cxx", "hpp", "hh", "java",
    "kt", "kts", "go", "rb", "php", "sh", "bash", "zsh", "fish", "ps1", "toml", "yaml", "yml", "json", "sql",
    "css", "scss", "less", "swift", "cs", "fs", "lua", "pl", "pm", "r", "scala", "hs", "ml", "mli", "ex",
    "exs", "erl", "clj", "vue", "svelte", "dart", "zig", "nim", "jl", "m", "mm", "proto", "graphql", "ini",
    "cfg", "conf", "cmake", "gradle", "xml", "svg",
];

/// The format an extension proposes, if it is one we read.
pub fn by_extension(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "txt" | "text" | "log" | "nfo" => Format::Text,
        "md" | "markdown" | "mdown" | "mkd" | "rst" | "adoc" | "org" => Format::Markdown,
        "html" | "htm" | "xhtml" => Format::Html,
        "pdf" => Format::Pdf,
        "docx" => Format::Docx,
        "odt" => Format::Odt,
        "csv" | "tsv" => Format::Csv,
        e if CODE_EXTENSIONS.contains(&e) => Format::Code,
        _ => return None,
    })
}

/// Files without an extension that are text by convention.
fn known_text_name(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    matches!(
        name,
        "README"
            | "LICENSE"
            | "COPYING"
            | "NOTICE"
            | "CHANGELOG"
            | "AUTHORS"
            | "Makefile"
            | "Dockerfile"
            | "INSTALL"
    )
}

/// Why a file was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not a format we read (extension and content).
    Unsupported(String),
    /// The content contradicts the extension or is binary.
    Mismatch(String),
}

/// Decide the format from the name and the first bytes (`head`, up to a
/// few KiB). `explicit`: the user named this file (an unknown extension
/// holding text is then read as text).
pub fn detect(path: &Path, head: &[u8], explicit: bool) -> Result<Format, Refusal> {
    let proposed = by_extension(path);
    let magic_pdf =
        head.starts_with(b"%PDF-") || head.get(..1024).is_some_and(|h| find(h, b"%PDF-").is_some());
    let magic_zip = head.starts_with(b"PK\x03\x04");
    match proposed {
        Some(Format::Pdf) if magic_pdf => Ok(Format::Pdf),
        Some(Format::Pdf) => Err(Refusal::Mismatch("named .pdf but is not a PDF (no %PDF- header)".into())),
        Some(f @ (Format::Docx | Format::Odt)) if magic_zip => Ok(f),
        Some(f @ (Format::Docx | Format::Odt)) => {
            Err(Refusal::Mismatch(format!("named .{} but is not a zip container", f.as_str())))
        }
        Some(f) => match looks_binary(head) {
            Some(why) => {
                Err(Refusal::Mismatch(format!("named as {} but the content is binary ({why})", f.as_str())))
            }
            None => Ok(f),
        },
        None if magic_pdf => Ok(Format::Pdf),
        None if explicit || known_text_name(path) => match looks_binary(head) {
            None => Ok(Format::Text),
            Some(why) => Err(Refusal::Unsupported(format!("not a supported format (binary content: {why})"))),
        },
        None => Err(Refusal::Unsupported("not a supported format".into())),
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// `Some(reason)` when `head` does not look like text in any encoding we
/// decode (UTF-8, UTF-16 with or without BOM, single-byte Latin).
pub fn looks_binary(head: &[u8]) -> Option<&'static str> {
    if head.is_empty() || super::decode::utf16_order(head).is_some() {
        return None;
    }
    if head.contains(&0) {
        return Some("NUL bytes");
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c | 0x1b | 0x08))
        .count();
    // A few stray control bytes happen in real text; binaries have many.
    if control * 100 > head.len() * 2 {
        return Some("control characters");
    }
    None
}
