//! Extraction tables: text in, blocks out, for each text format; feeding
//! the same text in odd-sized pieces gives the same blocks (streaming).

use super::*;
use crate::ingest::chunk::BlockKind;
use proptest::strategy::Strategy as _;

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
fn html_comments_and_scripts_with_non_ascii_text() {
    // Their tail buffers were cut inside a char (a panic) before.
    check(
        Format::Html,
        "<p>a</p><!-- ééééé çà — 日本語 --><p>b</p><script>var s = 'ééééééééééééééééééééééééééééééééééééé';</script><p>c</p>",
        &[(P, "a"), (P, "b"), (P, "c")],
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

proptest::proptest! {
    /// HTML copies runs of plain text whole; the same blocks come out as
    /// when every char goes through the char-by-char path, including
    /// around the paragraph limit.
    #[test]
    fn html_runs_same_as_char_by_char(
        parts in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::strategy::Just("<p>".to_owned()),
                proptest::strategy::Just("</p>".to_owned()),
                proptest::strategy::Just("<h2>".to_owned()),
                proptest::strategy::Just("</h2>".to_owned()),
                proptest::strategy::Just("<pre>".to_owned()),
                proptest::strategy::Just("</pre>".to_owned()),
                proptest::strategy::Just("<title>".to_owned()),
                proptest::strategy::Just("</title>".to_owned()),
                proptest::strategy::Just("<script>x<y</script>".to_owned()),
                proptest::strategy::Just("<nav>".to_owned()),
                proptest::strategy::Just("</nav>".to_owned()),
                proptest::strategy::Just("<!-- c -->".to_owned()),
                proptest::strategy::Just("&amp;".to_owned()),
                proptest::strategy::Just("&bogus x".to_owned()),
                proptest::strategy::Just("&#233;".to_owned()),
                proptest::strategy::Just("\u{a0}".to_owned()),
                proptest::strategy::Just(" \n\t".to_owned()),
                proptest::strategy::Just("a < b".to_owned()),
                proptest::strategy::Just("<a href=\"x\">".to_owned()),
                proptest::strategy::Just("</a>".to_owned()),
                proptest::strategy::Just("<!--".to_owned()),
                proptest::strategy::Just("-->".to_owned()),
                proptest::strategy::Just("<\x0b\x01>".to_owned()),
                // Tags around the length limit.
                (4090usize..4100).prop_map(|n| format!("<b {}>", "x".repeat(n))),
                "[a-zé日]{1,8}",
                // Long runs cross the paragraph limit mid-word, also
                // mid-character.
                (1usize..3).prop_map(|n| "é".repeat(n * MAX_PARAGRAPH / 5)),
                (1usize..3).prop_map(|n| "x".repeat(n * MAX_PARAGRAPH / 3 + 1)),
            ],
            0..24,
        )
    ) {
        let text = parts.concat();
        let mut each = Vec::new();
        let mut sink = |b: Block| -> Result<()> {
            each.push((b.kind, b.text));
            Ok(())
        };
        let mut parser = html::HtmlParser::new();
        parser.feed_each_char(&text, &mut sink).unwrap();
        parser.finish(&mut sink).unwrap();
        proptest::prop_assert_eq!(blocks(Format::Html, &text, usize::MAX), each);
    }
}
