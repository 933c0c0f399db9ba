//! Chunks: their size, their overlap, and the sections they never cross.

use wagent_knowledge::{Block, Chunk, ChunkOptions, Document, KnowledgeError, chunk};

/// A paragraph of `count` numbered words ("w1 w2 ..."), sentences of ten words each.
fn words(prefix: &str, count: usize) -> String {
    (1..=count)
        .map(|i| {
            let end = if i % 10 == 0 { "." } else { "" };
            format!("{prefix}{i}{end}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn block(path: &[&str], page: Option<u32>, text: String) -> Block {
    Block {
        heading_path: path.iter().map(|s| s.to_string()).collect(),
        page,
        text,
    }
}

fn document(blocks: Vec<Block>) -> Document {
    Document {
        blocks,
        ..Document::default()
    }
}

fn options(target_words: usize, overlap_words: usize) -> ChunkOptions {
    ChunkOptions {
        target_words,
        overlap_words,
        ..ChunkOptions::default()
    }
}

#[test]
fn chunks_hold_about_the_target_and_overlap_the_one_before() {
    let doc = document(vec![block(&["Manual"], None, words("w", 1_000))]);
    let chunks = chunk(&doc, ChunkOptions::default()).unwrap();
    assert!(chunks.len() >= 3, "{}", chunks.len());
    for (i, chunk) in chunks.iter().enumerate() {
        assert_eq!(chunk.ordinal as usize, i);
        assert!(
            chunk.word_count() <= 200,
            "chunk {i}: {}",
            chunk.word_count()
        );
        assert_eq!(chunk.heading_path, ["Manual"]);
        assert!(!chunk.text.contains("Manual"));
    }
    for pair in chunks.windows(2) {
        let before: Vec<&str> = pair[0].text.split_whitespace().collect();
        let after: Vec<&str> = pair[1].text.split_whitespace().collect();
        // The next chunk starts with the last 40 words of the one before: whole sentences.
        let overlap = &before[before.len() - 40..];
        assert_eq!(&after[..40], overlap);
        assert!(after[0].ends_with('1'), "starts a sentence: {}", after[0]);
    }
    // Every word is in some chunk, in order.
    let last = chunks.last().unwrap();
    assert!(last.text.ends_with("w1000."));
    assert!(chunks[0].text.starts_with("w1 w2"));
}

#[test]
fn a_new_section_starts_a_new_chunk_without_overlap() {
    let doc = document(vec![
        block(&["Shipping"], None, words("s", 30)),
        block(&["Shipping", "International"], None, words("i", 30)),
        block(&["Returns"], None, words("r", 30)),
        block(&["Returns"], None, words("q", 30)),
    ]);
    let chunks = chunk(&doc, options(400, 80)).unwrap();
    let found: Vec<(Vec<&str>, usize)> = chunks
        .iter()
        .map(|c| {
            (
                c.heading_path.iter().map(String::as_str).collect(),
                c.word_count(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (vec!["Shipping"], 30),
            (vec!["Shipping", "International"], 30),
            (vec!["Returns"], 60),
        ]
    );
    assert!(!chunks[1].text.contains("s30"));
    assert_eq!(
        chunks[2].text,
        format!("{}\n\n{}", words("r", 30), words("q", 30))
    );
    assert_eq!(
        chunks[1].searchable(),
        format!("Shipping > International\n\n{}", words("i", 30))
    );
}

#[test]
fn a_paragraph_longer_than_a_chunk_is_cut_at_sentences() {
    let doc = document(vec![block(&[], None, words("w", 95))]);
    let chunks = chunk(&doc, options(25, 5)).unwrap();
    for chunk in &chunks {
        assert!(chunk.word_count() <= 25);
        let last = chunk.text.split_whitespace().last().unwrap();
        assert!(last.ends_with('.') || last == "w95", "{}", chunk.text);
    }
    // No heading path: the searchable text is the text.
    assert_eq!(chunks[0].searchable(), chunks[0].text);
}

#[test]
fn a_sentence_longer_than_a_chunk_is_cut_by_words() {
    let run_on = (1..=100)
        .map(|i| format!("x{i}"))
        .collect::<Vec<_>>()
        .join(" ");
    let doc = document(vec![block(&[], None, run_on)]);
    let chunks = chunk(&doc, options(40, 10)).unwrap();
    assert!(chunks.iter().all(|c| c.word_count() <= 40));
    assert!(chunks.last().unwrap().text.ends_with("x100"));
    // The overlap is the last 10 words of the chunk before, even inside one long sentence.
    assert!(chunks[1].text.starts_with("x21 x22"), "{}", chunks[1].text);
    assert!(chunks[0].text.ends_with("x30"), "{}", chunks[0].text);
}

#[test]
fn chunks_start_on_the_page_of_their_first_words() {
    let doc = document(vec![
        block(&[], Some(1), words("a", 20)),
        block(&[], Some(2), words("b", 20)),
        block(&[], Some(3), words("c", 20)),
    ]);
    let chunks = chunk(&doc, options(25, 0)).unwrap();
    let pages: Vec<Option<u32>> = chunks.iter().map(|c| c.page).collect();
    assert_eq!(pages, [Some(1), Some(2), Some(3)]);
    let overlapping = chunk(&doc, options(25, 10)).unwrap();
    // The second chunk begins with the overlap taken from page 1.
    assert_eq!(overlapping[1].page, Some(1));
    assert!(
        overlapping[1].text.starts_with("a11"),
        "{}",
        overlapping[1].text
    );
}

#[test]
fn an_empty_document_and_too_many_chunks_are_errors() {
    let error = chunk(&Document::default(), ChunkOptions::default()).unwrap_err();
    assert!(matches!(error, KnowledgeError::NoText));
    let doc = document(vec![block(&[], None, words("w", 1_000))]);
    let error = chunk(
        &doc,
        ChunkOptions {
            target_words: 10,
            overlap_words: 0,
            max_chunks: 50,
        },
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the document is too long: it makes more than 50 chunks"
    );
}

#[test]
fn an_oversized_overlap_is_held_to_half_a_chunk() {
    let doc = document(vec![block(&[], None, words("w", 200))]);
    let chunks: Vec<Chunk> = chunk(&doc, options(20, 500)).unwrap();
    assert!(
        chunks.len() < 30,
        "{} chunks: the document must advance",
        chunks.len()
    );
    assert!(chunks.iter().all(|c| c.word_count() <= 20));
}
