//! Extraction tables: text in, blocks out, for each text format; feeding
//! the same text in odd-sized pieces gives the same blocks (streaming).

use super::*;
use crate::ingest::chunk::BlockKind;

fn blocks(format: Format, text: &str, piece: usize) -> Vec<(BlockKind, String)> {
    let mut out = Vec::new();
    let mut sink = |b: Block| -> Result<()> {
        out.push((b.kind, b.text));
        Ok(())
    };
    let mut parser = TextParser::new(format, false);
    let chars: Vec<char> = text.chars().collect();
    for part in chars.chunks(piece.max(1)) {
        parser.feed(&part.iter().collect::<String>(), &mut sink).unwrap();
    }
    parser.finish(&mut sink).unwrap();
    out
}

fn check(format: Format, text: &str, want: &[(BlockKind, &str)]) {
    for piece in [usize::MAX, 1, 7] {
        let got = blocks(format, text, piece.min(text.len().max(1)));
        let got: Vec<(BlockKind, &str)> = got.iter().map(|(k, t)| (*k, t.as_str())).collect();
        assert_eq!(got, want, "format {format:?}, pieces of {piece}");
    }
}

use BlockKind::{Heading as H, Paragraph as P, Preformatted as Pre, Title as T};

#[test]
fn markdown_headings_paragraphs_and_fences() {
    check(
        Format::Markdown,
        "# Top\n\nFirst para\nsecond line.\n\n## Sub ##\ntext\n\n```rust\nfn x() {}\n\nlet y = 1;\n```\nSetext\n======\nafter\n---\n",
        &[
            (H(1), "Top"),
            (P, "First para\nsecond line."),
            (H(2), "Sub"),
            (P, "text"),
            (Pre, "```rust\nfn x() {}\n\nlet y = 1;\n```"),
            (H(1), "Setext"),
            (H(2), "after"),
        ],
    );
}

#[test]
fn restructured_text_underlines_get_levels_in_order_of_use() {
    check(
        Format::Markdown,
        "=====\nTitle\n=====\n\nIntro.\n\nPart\n~~~~\n\nBody.\n\nNext part\n~~~~~~~~~\n",
        &[(H(1), "Title"), (P, "Intro."), (H(2), "Part"), (P, "Body."), (H(2), "Next part")],
    );
}

#[test]
fn plain_text_finds_manual_page_sections_only_after_a_blank_line() {
    check(
        Format::Text,
        "NAME\n       ls - list directory contents\n\nSEE ALSO\n       dir(1)\nNOT A HEADING\n",
        &[
            (H(1), "NAME"),
            (P, "       ls - list directory contents"),
            (H(1), "SEE ALSO"),
            (P, "       dir(1)\nNOT A HEADING"),
        ],
    );
}

#[test]
fn code_keeps_lines_and_has_no_headings() {
    check(
        Format::Code,
        "# not a heading\nfn main() {}\n\n\nfn other() {}\r\n",
        &[(Pre, "# not a heading\nfn main() {}"), (Pre, "fn other() {}")],
    );
}

#[test]
fn html_title_headings_entities_and_what_is_dropped() {
    check(
        Format::Html,
        "<!DOCTYPE html><html><head><title>The &amp; Title</title><style>p{color:red}</style></head>\
         <body><div class=\"navheader\"><a>Prev</a><div>Up</div></div><div class='toc'><dl><dt>1. Main</dt></dl></div><div class=\"notoc\">kept</div><!-- hidden <p>x</p> -->\
         <h1>Main</h1><p>Caf&eacute; &lt;3 &#8212; &#x41;T&amp;T &bogus; AT&T</p>\
         <script>var s = '<p>not text</p>';</script><pre>line 1\n  line 2</pre>\
         <nav><p>menu</p></nav><h2 id=x>Sub <em>part</em></h2><ul><li>one</li><li>two</li></ul></body></html>",
        &[
            (T, "The & Title"),
            (P, "kept"),
            (H(1), "Main"),
            (P, "Café <3 — AT&T &bogus; AT&T"),
            (Pre, "line 1\n  line 2"),
            (H(2), "Sub part"),
            (P, "one"),
            (P, "two"),
        ],
    );
}

#[test]
fn csv_rows_name_their_columns_with_quotes_and_line_breaks() {
    check(
        Format::Csv,
        "name,notes,amount\nAna,\"said \"\"hi\"\", then left\",12\nBo,\"two\nlines\",\n\n",
        &[(P, "name: Ana; notes: said \"hi\", then left; amount: 12"), (P, "name: Bo; notes: two\nlines")],
    );
    check(Format::Csv, "a;b\n1;2\n", &[(P, "a: 1; b: 2")]);
    let tsv = {
        let mut out = Vec::new();
        let mut p = TextParser::new(Format::Csv, true);
        let mut sink = |b: Block| -> Result<()> {
            out.push(b.text);
            Ok(())
        };
        p.feed("a,b\tc\n1,2\t3\n", &mut sink).unwrap();
        p.finish(&mut sink).unwrap();
        out
    };
    assert_eq!(tsv, vec!["a,b: 1,2; c: 3"]);
}

#[test]
fn a_file_without_line_breaks_is_handed_on_in_bounded_pieces() {
    let text = "word ".repeat(MAX_PARAGRAPH); // 5 × the limit, no newline
    let got = blocks(Format::Text, &text, 4096);
    assert!(got.len() >= 4, "{} blocks", got.len());
    assert!(got.iter().all(|(_, t)| t.len() <= MAX_PARAGRAPH + 4096));
}
