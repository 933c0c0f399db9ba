//! Cutting a document into overlapping chunks of about the same number of words.
//!
//! Words stand in for tokens (about 1.5 tokens a word in English and Portuguese), so the
//! defaults of 200 and 40 words give ~300-token chunks with ~60 tokens of overlap: a
//! customer asks about one fact, and a passage about little else ranks (and reads) better
//! than a page that mentions it (`bench/run retrieval` measured it). A chunk never spans
//! two sections: a new heading path starts a new chunk, without overlap, so every chunk is
//! about one thing and says under which headings it sits.

use crate::{Block, Document, KnowledgeError};

/// How to cut a document into chunks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkOptions {
    /// The words a chunk holds at most; a sentence too long for it is cut between words.
    pub target_words: usize,
    /// The words of the end of a chunk that the next chunk of the same section repeats, so
    /// that a fact cut in two is whole in one of them; at most half of `target_words`.
    pub overlap_words: usize,
    /// The most chunks a document may make.
    pub max_chunks: usize,
}

impl Default for ChunkOptions {
    fn default() -> Self {
        ChunkOptions {
            target_words: 200,
            overlap_words: 40,
            max_chunks: 5_000,
        }
    }
}

/// A piece of a document, the unit that retrieval indexes and returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// The chunk's place in the document, from 0.
    pub ordinal: u32,
    /// The headings the chunk sits under, outermost first.
    pub heading_path: Vec<String>,
    /// PDF: the 1-based page where the chunk starts.
    pub page: Option<u32>,
    /// The text, without the heading path: lines separated by `\n`, paragraphs by a blank
    /// line.
    pub text: String,
}

impl Chunk {
    /// The text to index: the heading path ("Shipping > International"), a blank line, and
    /// the text; only the text when there are no headings. The headings make a chunk found
    /// by the words of its section's title even when its text does not repeat them.
    pub fn searchable(&self) -> String {
        if self.heading_path.is_empty() {
            return self.text.clone();
        }
        format!("{}\n\n{}", self.heading_path.join(" > "), self.text)
    }

    /// The number of words in the text.
    pub fn word_count(&self) -> usize {
        self.text.split_whitespace().count()
    }
}

/// Cuts the document into chunks, in reading order.
///
/// Fails when the document has no text, or would make more than
/// [`ChunkOptions::max_chunks`] chunks.
pub fn chunk(document: &Document, options: ChunkOptions) -> Result<Vec<Chunk>, KnowledgeError> {
    let target = options.target_words.max(1);
    let overlap = options.overlap_words.min(target / 2);
    let mut chunker = Chunker {
        chunks: Vec::new(),
        target,
        overlap,
        max_chunks: options.max_chunks,
    };
    for section in document
        .blocks
        .chunk_by(|a, b| a.heading_path == b.heading_path)
    {
        chunker.section(section)?;
    }
    if chunker.chunks.is_empty() {
        return Err(KnowledgeError::NoText);
    }
    Ok(chunker.chunks)
}

/// What stands between a piece and the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Joint {
    /// The next sentence of the same line.
    Space,
    /// The next line of the same block.
    Line,
    /// The next block.
    Paragraph,
}

/// A sentence, or a run of words of an over-long one: what chunks are packed from.
#[derive(Debug, Clone)]
struct Piece {
    text: String,
    words: usize,
    page: Option<u32>,
    joint: Joint,
}

struct Chunker {
    chunks: Vec<Chunk>,
    target: usize,
    overlap: usize,
    max_chunks: usize,
}

impl Chunker {
    /// Blocks with one heading path: packed into chunks, each overlapping the one before.
    fn section(&mut self, blocks: &[Block]) -> Result<(), KnowledgeError> {
        let Some(first) = blocks.first() else {
            return Ok(());
        };
        let heading_path = &first.heading_path;
        let mut current: Vec<Piece> = Vec::new();
        let mut words = 0;
        for piece in pieces(blocks, self.target - self.overlap) {
            if words + piece.words > self.target && !current.is_empty() {
                self.emit(heading_path, &current)?;
                current = self.carry_over(&current, self.target - piece.words);
                words = current.iter().map(|p| p.words).sum();
            }
            words += piece.words;
            current.push(piece);
        }
        if !current.is_empty() {
            self.emit(heading_path, &current)?;
        }
        Ok(())
    }

    /// The end of a finished chunk that starts the next one: whole pieces when they fit in
    /// the overlap, else the last words of the last piece; never more than `room`.
    fn carry_over(&self, done: &[Piece], room: usize) -> Vec<Piece> {
        let budget = self.overlap.min(room);
        let mut carried = Vec::new();
        let mut words = 0;
        for piece in done.iter().rev() {
            if words + piece.words > budget {
                break;
            }
            words += piece.words;
            carried.push(piece.clone());
        }
        carried.reverse();
        if carried.is_empty()
            && budget > 0
            && let Some(last) = done.last()
        {
            let tail: Vec<&str> = last.text.split_whitespace().collect();
            let start = tail.len().saturating_sub(budget);
            carried.push(Piece {
                text: tail[start..].join(" "),
                words: tail.len() - start,
                page: last.page,
                joint: Joint::Paragraph,
            });
        }
        carried
    }

    fn emit(&mut self, heading_path: &[String], pieces: &[Piece]) -> Result<(), KnowledgeError> {
        if self.chunks.len() >= self.max_chunks {
            return Err(KnowledgeError::TooManyChunks {
                limit: self.max_chunks,
            });
        }
        let mut text = String::new();
        for (i, piece) in pieces.iter().enumerate() {
            if i > 0 {
                text.push_str(match piece.joint {
                    Joint::Space => " ",
                    Joint::Line => "\n",
                    Joint::Paragraph => "\n\n",
                });
            }
            text.push_str(&piece.text);
        }
        self.chunks.push(Chunk {
            ordinal: u32::try_from(self.chunks.len()).unwrap_or(u32::MAX),
            heading_path: heading_path.to_vec(),
            page: pieces.first().and_then(|piece| piece.page),
            text,
        });
        Ok(())
    }
}

/// The blocks' sentences in order, over-long ones cut into runs of `longest` words (the
/// target less the overlap, so that a run and the overlap before it fit in one chunk).
fn pieces(blocks: &[Block], longest: usize) -> Vec<Piece> {
    let mut pieces = Vec::new();
    for block in blocks {
        let mut joint = Joint::Paragraph;
        for line in block.text.lines() {
            for sentence in sentences(line) {
                let words: Vec<&str> = sentence.split_whitespace().collect();
                for run in words.chunks(longest.max(1)) {
                    pieces.push(Piece {
                        text: run.join(" "),
                        words: run.len(),
                        page: block.page,
                        joint,
                    });
                    joint = Joint::Space;
                }
            }
            joint = Joint::Line;
        }
    }
    pieces
}

/// A line cut after each sentence's end: `.`, `!`, `?` or `…` followed by a space, or a CJK
/// full stop. Abbreviations ("e.g. this") cut too, which costs nothing here: the cut only
/// offers a place where a chunk may end.
fn sentences(line: &str) -> impl Iterator<Item = &str> {
    let mut rest = line;
    std::iter::from_fn(move || {
        let rest_trimmed = rest.trim_start();
        if rest_trimmed.is_empty() {
            return None;
        }
        let mut chars = rest_trimmed.char_indices().peekable();
        let mut end = rest_trimmed.len();
        while let Some((at, c)) = chars.next() {
            let after = at + c.len_utf8();
            let cjk = matches!(c, '。' | '！' | '？');
            let western = matches!(c, '.' | '!' | '?' | '…')
                && chars.peek().is_some_and(|(_, next)| next.is_whitespace());
            if cjk || western {
                end = after;
                break;
            }
        }
        let (sentence, remainder) = rest_trimmed.split_at(end);
        rest = remainder;
        Some(sentence)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_cut_into_sentences() {
        let found: Vec<&str> =
            sentences("We ship to Brazil. And Portugal!  Returns: 30 days").collect();
        assert_eq!(
            found,
            ["We ship to Brazil.", "And Portugal!", "Returns: 30 days"]
        );
        let found: Vec<&str> = sentences("Price R$ 10.50 each.").collect();
        assert_eq!(found, ["Price R$ 10.50 each."]);
        let found: Vec<&str> = sentences("送料無料。返品可能。").collect();
        assert_eq!(found, ["送料無料。", "返品可能。"]);
    }
}
