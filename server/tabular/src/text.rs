//! Turning the bytes of a text file into UTF-8 as a stream, whatever the file's encoding.

use std::io::{self, Read};

use encoding_rs::{Decoder, WINDOWS_1252};

use crate::TabularError;

/// How much of the file start decides its encoding.
pub(crate) const DECIDING_BYTES: usize = 64 * 1024;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Raw bytes read from the file per step.
const CHUNK: usize = 32 * 1024;

/// The encodings an uploaded CSV file may be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    /// What spreadsheets on Windows write as "CSV"; a superset of Latin-1 for printable text.
    Windows1252,
}

impl Encoding {
    /// Decides from the start of the file: a BOM or valid UTF-8 means UTF-8. `whole` says
    /// whether `head` is the entire file, so a character cut at its end is not a cut.
    pub(crate) fn detect(head: &[u8], whole: bool) -> Encoding {
        if head.starts_with(BOM) {
            return Encoding::Utf8;
        }
        match std::str::from_utf8(head) {
            Ok(_) => Encoding::Utf8,
            Err(error) if error.error_len().is_none() && !whole => Encoding::Utf8,
            Err(_) => Encoding::Windows1252,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Windows1252 => WINDOWS_1252.name(),
        }
    }
}

/// A reader that yields the file's text as UTF-8, a chunk at a time, without a BOM.
///
/// Invalid UTF-8 in a file judged UTF-8 is an `InvalidData` I/O error wrapping
/// [`TabularError::InvalidText`], so it comes out of the CSV parser with its line.
pub(crate) struct Decoded<R> {
    inner: R,
    latin: Option<Decoder>,
    /// Raw bytes read but not decoded yet: the start of a UTF-8 character cut by a chunk end.
    carry: Vec<u8>,
    raw: Vec<u8>,
    decoded: Vec<u8>,
    offset: usize,
    /// The 1-based line of the next byte to decode, for error messages.
    line: u64,
    breaks: LineBreaks,
    eof: bool,
}

impl<R: Read> Decoded<R> {
    /// Wraps the file positioned at its first byte.
    pub(crate) fn new(mut inner: R, encoding: Encoding) -> io::Result<Self> {
        let mut carry = Vec::new();
        if encoding == Encoding::Utf8 {
            (&mut inner)
                .take(BOM.len() as u64)
                .read_to_end(&mut carry)?;
            if carry == BOM {
                carry.clear();
            }
        }
        Ok(Decoded {
            inner,
            latin: (encoding == Encoding::Windows1252).then(|| WINDOWS_1252.new_decoder()),
            carry,
            raw: vec![0; CHUNK],
            decoded: Vec::with_capacity(CHUNK * 3),
            offset: 0,
            line: 1,
            breaks: LineBreaks::default(),
            eof: false,
        })
    }

    /// Decodes the next chunk into `decoded`; leaves it empty only at the end of the file.
    fn refill(&mut self) -> io::Result<()> {
        self.decoded.clear();
        self.offset = 0;
        while self.decoded.is_empty() && !self.eof {
            let read = self.inner.read(&mut self.raw)?;
            self.eof = read == 0;
            match &mut self.latin {
                Some(decoder) => {
                    let needed = decoder
                        .max_utf8_buffer_length(read)
                        .unwrap_or(read.saturating_mul(3));
                    self.decoded.resize(needed, 0);
                    let (_, _, written, _) =
                        decoder.decode_to_utf8(&self.raw[..read], &mut self.decoded, self.eof);
                    self.decoded.truncate(written);
                }
                None => self.validate_utf8(read)?,
            }
        }
        Ok(())
    }

    fn validate_utf8(&mut self, read: usize) -> io::Result<()> {
        self.decoded.append(&mut self.carry);
        self.decoded.extend_from_slice(&self.raw[..read]);
        let valid = match std::str::from_utf8(&self.decoded) {
            Ok(_) => self.decoded.len(),
            Err(error) if error.error_len().is_none() && !self.eof => error.valid_up_to(),
            Err(error) => {
                let before = &self.decoded[..error.valid_up_to()];
                let line = self.line + self.breaks.clone().count(before);
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    TabularError::InvalidText { line },
                ));
            }
        };
        self.carry.extend_from_slice(&self.decoded[valid..]);
        self.decoded.truncate(valid);
        self.line += self.breaks.count(&self.decoded);
        Ok(())
    }
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.offset == self.decoded.len() {
            self.refill()?;
        }
        let available = &self.decoded[self.offset..];
        let count = available.len().min(buf.len());
        buf[..count].copy_from_slice(&available[..count]);
        self.offset += count;
        Ok(count)
    }
}

/// Finds line breaks as a text editor does: LF, CRLF, or a lone CR (old Mac files).
#[derive(Debug, Clone, Default)]
pub(crate) struct LineBreaks {
    after_cr: bool,
}

impl LineBreaks {
    /// Whether `byte` starts a line break; the LF of a CRLF does not.
    pub(crate) fn is_break(&mut self, byte: u8) -> bool {
        let starts = byte == b'\r' || (byte == b'\n' && !self.after_cr);
        self.after_cr = byte == b'\r';
        starts
    }

    /// Whether the last byte seen was a CR, whose LF may still follow.
    pub(crate) fn after_cr(&self) -> bool {
        self.after_cr
    }

    pub(crate) fn count(&mut self, bytes: &[u8]) -> u64 {
        bytes.iter().filter(|&&byte| self.is_break(byte)).count() as u64
    }
}

/// Takes back the [`TabularError`] that a reader of this crate put inside an I/O error.
pub(crate) fn from_io(error: io::Error) -> TabularError {
    match error.downcast::<TabularError>() {
        Ok(ours) => ours,
        Err(error) => TabularError::Io(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(bytes: &[u8], encoding: Encoding) -> Result<String, TabularError> {
        let mut text = String::new();
        // A reader that hands out 1 byte at a time cuts every multi-byte character.
        let trickle = Trickle(bytes);
        Decoded::new(trickle, encoding)
            .map_err(TabularError::Io)?
            .read_to_string(&mut text)
            .map_err(from_io)?;
        Ok(text)
    }

    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let Some((&first, rest)) = self.0.split_first() else {
                return Ok(0);
            };
            buf[0] = first;
            self.0 = rest;
            Ok(1)
        }
    }

    #[test]
    fn utf8_characters_cut_between_reads_survive() {
        let text = "nome\nJoão Müller ✓\n";
        assert_eq!(decode_all(text.as_bytes(), Encoding::Utf8).unwrap(), text);
    }

    #[test]
    fn bom_is_stripped() {
        assert_eq!(
            decode_all(b"\xEF\xBB\xBFa,b\n", Encoding::Utf8).unwrap(),
            "a,b\n"
        );
    }

    #[test]
    fn latin1_becomes_utf8() {
        assert_eq!(
            decode_all(b"Jo\xE3o;M\xFCller\n", Encoding::Windows1252).unwrap(),
            "João;Müller\n"
        );
    }

    #[test]
    fn invalid_utf8_names_its_line() {
        let error = decode_all(b"a\nb\nc\xE3o\n", Encoding::Utf8).unwrap_err();
        assert!(
            matches!(error, TabularError::InvalidText { line: 3 }),
            "{error:?}"
        );
    }

    #[test]
    fn lf_crlf_and_lone_cr_each_end_one_line() {
        let mut breaks = LineBreaks::default();
        assert_eq!(breaks.count(b"a\nb\r\nc\rd\r"), 4);
        // The LF of a CRLF cut between two chunks.
        assert_eq!(breaks.count(b"\ne"), 0);
    }

    #[test]
    fn a_character_cut_at_the_deciding_boundary_is_still_utf8() {
        let text = "João".as_bytes();
        assert_eq!(Encoding::detect(&text[..3], false), Encoding::Utf8);
        assert_eq!(Encoding::detect(&text[..3], true), Encoding::Windows1252);
        assert_eq!(Encoding::detect(b"Jo\xE3o", false), Encoding::Windows1252);
    }
}
