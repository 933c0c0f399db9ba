//! Server-sent events, as much of the format as the provider uses: `data:` lines, events
//! ended by a blank line, `:` comment lines (the `: keep-alive` sent while a request waits
//! in the provider's queue) and `data: [DONE]` at the end.
//!
//! The decoder works on bytes, so an event (or a UTF-8 character) split across network
//! chunks is put back together, and it bounds how much it holds so that a server that never
//! sends a newline cannot exhaust memory.

use crate::LlmError;

/// What one complete event said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SseEvent {
    /// The event's data (its `data:` lines joined by newlines).
    Data(String),
    /// `data: [DONE]`: the stream is complete.
    Done,
}

/// Turns a byte stream into events, chunk by chunk.
#[derive(Debug)]
pub(crate) struct SseDecoder {
    /// Bytes of the line being received.
    line: Vec<u8>,
    /// Data of the event being received.
    data: String,
    has_data: bool,
    max_line: usize,
}

impl SseDecoder {
    /// A decoder that refuses lines, and events, longer than `max_line` bytes.
    pub(crate) fn new(max_line: usize) -> Self {
        Self {
            line: Vec::new(),
            data: String::new(),
            has_data: false,
            max_line,
        }
    }

    /// Feeds the next network chunk; appends the events it completes to `events`.
    pub(crate) fn push(
        &mut self,
        chunk: &[u8],
        events: &mut Vec<SseEvent>,
    ) -> Result<(), LlmError> {
        let mut rest = chunk;
        while let Some(newline) = rest.iter().position(|&b| b == b'\n') {
            let (head, tail) = rest.split_at(newline);
            self.extend_line(head)?;
            rest = &tail[1..];
            let line = std::mem::take(&mut self.line);
            self.line_done(&line, events)?;
        }
        self.extend_line(rest)
    }

    /// The body ended: a last event without its blank line still counts.
    pub(crate) fn finish(&mut self, events: &mut Vec<SseEvent>) -> Result<(), LlmError> {
        if !self.line.is_empty() {
            let line = std::mem::take(&mut self.line);
            self.line_done(&line, events)?;
        }
        self.dispatch(events);
        Ok(())
    }

    fn extend_line(&mut self, bytes: &[u8]) -> Result<(), LlmError> {
        if self.line.len() + bytes.len() > self.max_line {
            return Err(LlmError::TooLarge {
                limit: self.max_line,
            });
        }
        self.line.extend_from_slice(bytes);
        Ok(())
    }

    fn line_done(&mut self, line: &[u8], events: &mut Vec<SseEvent>) -> Result<(), LlmError> {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            self.dispatch(events);
            return Ok(());
        }
        if line.starts_with(b":") {
            return Ok(());
        }
        let line = std::str::from_utf8(line)
            .map_err(|_| LlmError::Decode("a stream line is not UTF-8".into()))?;
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        // `event:`, `id:` and `retry:` carry nothing the provider uses.
        if field != "data" {
            return Ok(());
        }
        if self.data.len() + value.len() + 1 > self.max_line {
            return Err(LlmError::TooLarge {
                limit: self.max_line,
            });
        }
        if self.has_data {
            self.data.push('\n');
        }
        self.data.push_str(value);
        self.has_data = true;
        Ok(())
    }

    fn dispatch(&mut self, events: &mut Vec<SseEvent>) {
        if !self.has_data {
            return;
        }
        self.has_data = false;
        let data = std::mem::take(&mut self.data);
        events.push(if data.trim() == "[DONE]" {
            SseEvent::Done
        } else {
            SseEvent::Data(data)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_in_pieces(input: &[u8], piece: usize) -> Vec<SseEvent> {
        let mut decoder = SseDecoder::new(1024);
        let mut events = Vec::new();
        for chunk in input.chunks(piece) {
            decoder.push(chunk, &mut events).unwrap();
        }
        decoder.finish(&mut events).unwrap();
        events
    }

    #[test]
    fn comments_and_blank_lines_are_skipped_whatever_the_chunking() {
        let input = ": keep-alive\n\n\n\ndata: {\"a\":\"é\"}\n\n: keep-alive\r\n\r\ndata:{\"b\":2}\r\n\r\ndata: [DONE]\n\n";
        let expected = vec![
            SseEvent::Data("{\"a\":\"é\"}".into()),
            SseEvent::Data("{\"b\":2}".into()),
            SseEvent::Done,
        ];
        for piece in [1, 2, 3, 7, input.len()] {
            assert_eq!(
                decode_in_pieces(input.as_bytes(), piece),
                expected,
                "{piece}"
            );
        }
    }

    #[test]
    fn multi_line_data_is_joined_and_a_last_event_without_blank_line_counts() {
        let events = decode_in_pieces(b"event: x\ndata: a\ndata: b\n\ndata: c", 4);
        assert_eq!(
            events,
            vec![SseEvent::Data("a\nb".into()), SseEvent::Data("c".into())]
        );
    }

    #[test]
    fn a_line_longer_than_the_bound_is_refused() {
        let mut decoder = SseDecoder::new(16);
        let mut events = Vec::new();
        decoder.push(b"data: 0123456", &mut events).unwrap();
        assert_eq!(
            decoder.push(b"789abcdef", &mut events),
            Err(LlmError::TooLarge { limit: 16 })
        );
    }

    #[test]
    fn an_event_longer_than_the_bound_is_refused() {
        let mut decoder = SseDecoder::new(16);
        let mut events = Vec::new();
        decoder.push(b"data: 0123456789\n", &mut events).unwrap();
        assert!(decoder.push(b"data: 0123456789\n", &mut events).is_err());
    }
}
