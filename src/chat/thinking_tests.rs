//! Thinking separation: a table of streams (chunks → answer, thinking),
//! and a property: however a text is cut into chunks, the result is the
//! same as for the text in one piece.

use proptest::prelude::*;

use super::*;

fn run(chunks: &[&str]) -> (String, String, Vec<Piece>) {
    let mut s = Splitter::new();
    let mut pieces = Vec::new();
    for c in chunks {
        pieces.extend(s.push(c));
    }
    pieces.extend(s.finish());
    (s.answer().to_owned(), s.thinking().to_owned(), pieces)
}

#[test]
fn streams_are_split_into_answer_and_thinking() {
    let cases: &[(&[&str], &str, &str)] = &[
        (&["Plain answer."], "Plain answer.", ""),
        (&["<think>Let me check the sources.</think>It is 42."], "It is 42.", "Let me check the sources."),
        // The mock upstream's `think` script: the tag split across chunks.
        (
            &["<thi", "nk>Let me check the sources.</th", "ink>", "It is 42."],
            "It is 42.",
            "Let me check the sources.",
        ),
        (&["<", "t", "h", "i", "n", "k", ">", "a", "<", "/", "think", ">", "b"], "b", "a"),
        (
            &[
                "<thinking>step 1</thinking>\n<reflection>looks right</reflection>\n<output>\n\nThe answer</output>\n",
            ],
            "The answer\n",
            "step 1\n\nlooks right",
        ),
        (&["<PLAN>1. read</Plan>Done"], "Done", "1. read"),
        (&["a < b and <b>bold</b>"], "a < b and <b>bold</b>", ""),
        (&["x <thin"], "x <thin", ""),
        (&["<thinking>unfinished thoughts"], "", "unfinished thoughts"),
        (&["<output>only output"], "only output", ""),
        (&["Before <think>mid</think> after"], "Before  after", "mid"),
        (&["<think>\n\n  </think>\n\nHi"], "Hi", ""),
        (&["é<think>ü</think>ß"], "éß", "ü"),
        (&["</output>stray close"], "stray close", ""),
        (&["<3 you"], "<3 you", ""),
    ];
    for (chunks, answer, thinking) in cases {
        let (a, t, _) = run(chunks);
        assert_eq!((a.as_str(), t.as_str()), (*answer, *thinking), "{chunks:?}");
    }
}

#[test]
fn pieces_stream_as_soon_as_they_are_known() {
    let mut s = Splitter::new();
    assert_eq!(s.push("Hello <"), vec![Piece::Answer("Hello ".into())], "the '<' waits");
    assert_eq!(s.push("b>"), vec![Piece::Answer("<b>".into())], "not a tag: released");
    assert_eq!(s.push("<think>hm"), vec![Piece::Thinking("hm".into())]);
    assert_eq!(s.push("</think><thinking>more"), vec![Piece::Thinking("\n\nmore".into())]);
    assert_eq!(s.finish(), vec![]);
}

#[test]
fn concatenated_pieces_equal_the_totals() {
    let (answer, thinking, pieces) =
        run(&["<think>a", "b</think>", "c<reflection>d</reflection>", "<output>e</output>"]);
    let joined = |f: fn(&Piece) -> Option<&str>| pieces.iter().filter_map(f).collect::<String>();
    let a = joined(|p| if let Piece::Answer(t) = p { Some(t) } else { None });
    let t = joined(|p| if let Piece::Thinking(t) = p { Some(t) } else { None });
    assert_eq!((a, t), (answer, thinking));
}

proptest! {
    #[test]
    fn any_chunking_gives_the_same_result(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("<think>".to_owned()), Just("</think>".to_owned()), Just("<thinking>".to_owned()),
                Just("</thinking>".to_owned()), Just("<output>".to_owned()), Just("</output>".to_owned()),
                Just("<reflection>".to_owned()), Just("<".to_owned()), Just("<b>".to_owned()),
                "[a-zé ]{0,6}",
            ],
            0..12,
        ),
        cuts in proptest::collection::vec(0usize..64, 0..8),
    ) {
        let text: String = parts.concat();
        let whole = run(&[text.as_str()]);
        let mut bounds: Vec<usize> = cuts.into_iter().map(|c| c % (text.len() + 1))
            .filter(|c| text.is_char_boundary(*c)).collect();
        bounds.sort_unstable();
        bounds.dedup();
        let mut chunks = Vec::new();
        let mut start = 0;
        for b in bounds {
            chunks.push(&text[start..b]);
            start = b;
        }
        chunks.push(&text[start..]);
        let split = run(&chunks);
        prop_assert_eq!((whole.0, whole.1), (split.0, split.1));
    }
}
