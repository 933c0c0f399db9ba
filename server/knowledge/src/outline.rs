//! The document being built: blocks under the headings that are open, bounded in size.

use crate::{Block, Document, KnowledgeError, Limits, text::normalize_line};

/// Collects blocks in reading order, each stamped with the heading path open at that point.
pub(crate) struct Outline {
    /// The open headings, outermost first, with their level (1 = top).
    headings: Vec<(u8, String)>,
    blocks: Vec<Block>,
    /// Bytes of text taken so far, headings included.
    taken: usize,
    limit: usize,
    title: Option<String>,
}

impl Outline {
    pub(crate) fn new(limits: &Limits) -> Self {
        Outline {
            headings: Vec::new(),
            blocks: Vec::new(),
            taken: 0,
            limit: limits.max_text_bytes,
            title: None,
        }
    }

    /// Opens a heading of `level` (1 = top): it closes every open heading of that level or
    /// deeper. A blank heading changes nothing.
    pub(crate) fn heading(&mut self, level: u8, text: &str) -> Result<(), KnowledgeError> {
        let text = normalize_line(text);
        if text.is_empty() {
            return Ok(());
        }
        self.take(text.len())?;
        while self.headings.last().is_some_and(|(open, _)| *open >= level) {
            self.headings.pop();
        }
        self.headings.push((level, text));
        Ok(())
    }

    /// Adds a block of lines: each line's whitespace collapsed, blank lines dropped; nothing
    /// when every line is blank.
    pub(crate) fn block<'a>(
        &mut self,
        lines: impl IntoIterator<Item = &'a str>,
        page: Option<u32>,
    ) -> Result<(), KnowledgeError> {
        let mut text = String::new();
        for line in lines {
            let line = normalize_line(line);
            if line.is_empty() {
                continue;
            }
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&line);
        }
        if text.is_empty() {
            return Ok(());
        }
        self.take(text.len())?;
        self.blocks.push(Block {
            heading_path: self.headings.iter().map(|(_, text)| text.clone()).collect(),
            page,
            text,
        });
        Ok(())
    }

    /// Sets the document's title unless one is set already.
    pub(crate) fn title(&mut self, title: &str) {
        let title = normalize_line(title);
        if self.title.is_none() && !title.is_empty() {
            self.title = Some(title);
        }
    }

    /// Whether the document has a title already.
    pub(crate) fn has_title(&self) -> bool {
        self.title.is_some()
    }

    /// Whether any text has been taken so far.
    pub(crate) fn has_text(&self) -> bool {
        !self.blocks.is_empty()
    }

    pub(crate) fn finish(self) -> Document {
        Document {
            title: self.title,
            blocks: self.blocks,
            unreadable_pages: Vec::new(),
        }
    }

    fn take(&mut self, bytes: usize) -> Result<(), KnowledgeError> {
        self.taken = self.taken.saturating_add(bytes);
        if self.taken > self.limit {
            return Err(KnowledgeError::TextTooLong { limit: self.limit });
        }
        Ok(())
    }
}
