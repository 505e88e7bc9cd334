//! Citation markers: which are resolved, which are dropped (and counted),
//! and which text is never touched.

use super::*;

fn sources(n: usize) -> Vec<Source> {
    (1..=n)
        .map(|i| Source {
            chunk_id: 100 + i as i64,
            document_id: format!("doc{i}"),
            path: format!("/docs/{i}.pdf"),
            title: format!("Doc {i}"),
            page: Some(i as u32),
            heading: if i == 1 { "Intro".into() } else { String::new() },
            text: format!("passage {i}"),
            snippet: format!("snippet {i}"),
        })
        .collect()
}

#[test]
fn markers_are_resolved_dropped_or_left_alone() {
    // (answer, passages offered, stored content, markers cited, dropped)
    let cases: &[(&str, usize, &str, &[u32], u32)] = &[
        ("Pretoria [1], Cape Town [2].", 2, "Pretoria [1], Cape Town [2].", &[1, 2], 0),
        ("Invented [7].", 2, "Invented.", &[], 1),
        ("Both [1][2] and again [1].", 2, "Both [1][2] and again [1].", &[1, 2], 0),
        ("A list [1, 3] and [2, 9].", 3, "A list [1, 3] and [2].", &[1, 2, 3], 1),
        ("Range [1-3].", 2, "Range [1, 2].", &[1, 2], 1),
        ("Zero [0] is no passage.", 2, "Zero is no passage.", &[], 1),
        ("No passages, marker [1].", 0, "No passages, marker.", &[], 1),
        ("Code `a[1]` and x[1] and f(x)[2].", 1, "Code `a[1]` and x[1] and f(x)[2].", &[], 0),
        ("```\nlet v = [5];\n```\nok [1]", 1, "```\nlet v = [5];\n```\nok [1]", &[1], 0),
        ("Year [2026] and link [1](http://x).", 1, "Year [2026] and link [1](http://x).", &[], 0),
        ("Not a marker [a] [ 1 ] [].", 1, "Not a marker [a] [ 1 ] [].", &[1], 0),
        ("Start: [9] then text", 1, "Start: then text", &[], 1),
        ("ünïcödé [1]", 1, "ünïcödé [1]", &[1], 0),
    ];
    for (answer, n, content, cited, dropped) in cases {
        let r = resolve(answer, &sources(*n));
        let markers: Vec<u32> = r.citations.iter().map(|c| c.marker).collect();
        assert_eq!(
            (r.content.as_str(), markers.as_slice(), r.dropped),
            (*content, *cited, *dropped),
            "{answer}"
        );
    }
}

#[test]
fn a_citation_points_at_the_right_chunk_and_page() {
    let r = resolve("Cape Town [2].", &sources(3));
    assert_eq!(
        r.citations,
        vec![Citation {
            marker: 2,
            chunk_id: 102,
            document_id: "doc2".into(),
            document_path: "/docs/2.pdf".into(),
            title: "Doc 2".into(),
            page: Some(2),
            heading: None,
            snippet: "snippet 2".into(),
        }]
    );
    assert_eq!(resolve("[1]", &sources(1)).citations[0].heading.as_deref(), Some("Intro"));
}

#[test]
fn history_loses_its_markers() {
    assert_eq!(strip_markers("Pretoria [1], Cape Town [2][3]."), "Pretoria, Cape Town.");
    assert_eq!(strip_markers("keep `x[1]` [1]"), "keep `x[1]`");
}
