//! What HTML names mean to the extractor: the tags that end a paragraph,
//! heading levels, navigation blocks to drop, and character references.
//! Kept apart from the parser's state machine in `html.rs`.

/// Tags that end the paragraph before them.
pub(super) const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "tr",
    "table",
    "thead",
    "tbody",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "hr",
    "figure",
    "figcaption",
    "main",
    "aside",
    "form",
    "address",
    "caption",
    "td",
    "th",
    "body",
    "html",
    "head",
];

pub(super) fn heading_level(name: &str) -> Option<u8> {
    let b = name.as_bytes();
    (b.len() == 2 && b[0] == b'h' && (b'1'..=b'6').contains(&b[1])).then(|| b[1] - b'0')
}

/// Navigation blocks of generated manuals: DocBook's navheader, navfooter
/// and tables of contents, Sphinx's related bars, common nav bars (by
/// whole class names).
pub(super) fn is_nav_block(attrs: &str) -> bool {
    const NAV: [&str; 9] = [
        "navheader",
        "navfooter",
        "navbar",
        "nav",
        "toc",
        "breadcrumb",
        "breadcrumbs",
        "sphinxsidebar",
        "related",
    ];
    let lower = attrs.to_ascii_lowercase();
    let Some(at) = lower.find("class") else { return false };
    let rest = lower[at + 5..].trim_start().strip_prefix('=').unwrap_or("").trim_start();
    let value = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
        _ => rest.split(|c: char| c.is_whitespace() || c == '>').next().unwrap_or(""),
    };
    value.split_whitespace().any(|class| NAV.contains(&class))
}

/// A character reference's character (`name` without `&` and `;`).
pub(super) fn decode_entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).filter(|c| *c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "bull" => '•',
        "middot" => '·',
        "deg" => '°',
        "times" => '×',
        "divide" => '÷',
        "euro" => '€',
        "pound" => '£',
        "sect" => '§',
        "para" => '¶',
        "shy" => '\u{ad}',
        "eacute" => 'é',
        "egrave" => 'è',
        "ecirc" => 'ê',
        "aacute" => 'á',
        "agrave" => 'à',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "auml" => 'ä',
        "szlig" => 'ß',
        "ccedil" => 'ç',
        "rarr" => '→',
        "larr" => '←',
        "le" => '≤',
        "ge" => '≥',
        "ne" => '≠',
        _ => return None,
    })
}
