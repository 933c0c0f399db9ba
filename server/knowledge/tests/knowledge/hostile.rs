//! Hostile DOCX files: zip bombs and XML entity tricks.

use std::io::{Cursor, Write};

use wagent_knowledge::{KnowledgeError, Limits};
use zip::{CompressionMethod, ZipWriter, write::SimpleFileOptions};

use crate::support::{W_NS, all_text, docx, in_own_process, peak_growth_mib, read};

/// What reading a bomb may add to the process's peak memory.
const BOUND_MIB: f64 = 40.0;

/// A DOCX whose main document is 200 MiB: a paragraph, then zeros, deflated to little.
fn zip_bomb() -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("word/document.xml", options).unwrap();
    write!(
        zip,
        r#"<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>"#
    )
    .unwrap();
    let zeros = vec![b'0'; 1 << 20];
    for _ in 0..200 {
        zip.write_all(&zeros).unwrap();
    }
    zip.write_all(b"</w:t></w:r></w:p></w:body></w:document>")
        .unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn a_zip_bomb_is_refused_quickly_with_bounded_memory() {
    if !in_own_process("hostile::a_zip_bomb_is_refused_quickly_with_bounded_memory") {
        return;
    }
    let bomb = zip_bomb();
    assert!(bomb.len() < 300 << 10, "the bomb is {} bytes", bomb.len());
    let started = std::time::Instant::now();
    let (error, growth) = peak_growth_mib(|| read(&bomb, "bomb.docx").unwrap_err());
    let took = started.elapsed();
    eprintln!(
        "zip bomb of {} bytes: refused in {took:?}, peak memory +{growth:.1} MiB",
        bomb.len()
    );
    assert_eq!(
        error.to_string(),
        "the DOCX file expands to more than 50 MiB (a zip bomb?)"
    );
    assert!(growth < BOUND_MIB, "grew by {growth:.1} MiB");
    assert!(took.as_secs() < 5, "took {took:?}");
}

#[test]
fn a_part_over_the_limit_is_refused() {
    let limits = Limits {
        max_uncompressed_bytes: 64 << 10,
        ..Limits::default()
    };
    let body = format!(
        "<w:p><w:r><w:t>{}</w:t></w:r></w:p>",
        "lorem ipsum ".repeat(20_000)
    );
    let word = docx(&body, None);
    let error = wagent_knowledge::read(&word, Some("big.docx"), None, &limits).unwrap_err();
    assert!(
        matches!(error, KnowledgeError::ExpandsTooMuch { .. }),
        "{error:?}"
    );
}

/// A zip whose headers declare the main document small although it inflates to much more:
/// the declared size is the attacker's to write, so it cannot be the only bound.
#[test]
fn a_part_larger_than_declared_is_still_refused() {
    let limits = Limits {
        max_uncompressed_bytes: 64 << 10,
        ..Limits::default()
    };
    let document = format!(
        r#"<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:body></w:document>"#,
        "lorem ipsum ".repeat(40_000)
    );
    let mut word = crate::support::zip_of(&[("word/document.xml", document)]);
    let lie = 100_u32.to_le_bytes();
    assert_eq!(&word[..4], b"PK\x03\x04");
    word[22..26].copy_from_slice(&lie);
    let central = word.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    word[central + 24..central + 28].copy_from_slice(&lie);

    let error = wagent_knowledge::read(&word, Some("liar.docx"), None, &limits).unwrap_err();
    eprintln!("lying sizes: {error}");
    assert!(
        matches!(
            error,
            KnowledgeError::ExpandsTooMuch { .. } | KnowledgeError::DocxDamaged(_)
        ),
        "{error:?}"
    );
}

#[test]
fn too_many_entries_are_refused() {
    let limits = Limits {
        max_zip_entries: 10,
        ..Limits::default()
    };
    let mut parts = vec![(
        "word/document.xml",
        format!(r#"<w:document xmlns:w="{W_NS}"/>"#),
    )];
    let names: Vec<String> = (0..20).map(|i| format!("junk/{i}.bin")).collect();
    for name in &names {
        parts.push((name.as_str(), String::new()));
    }
    let word = crate::support::zip_of(&parts);
    let error = wagent_knowledge::read(&word, Some("many.docx"), None, &limits).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the DOCX file holds more than 10 parts (a zip bomb?)"
    );
}

#[test]
fn a_doctype_with_entities_is_refused_and_never_expanded() {
    // The "billion laughs": each entity ten of the one before.
    let mut dtd = String::from(r#"<!ENTITY lol "lol">"#);
    for i in 1..10 {
        let previous = if i == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", i - 1)
        };
        dtd.push_str(&format!(
            r#"<!ENTITY lol{i} "{}">"#,
            format!("&{previous};").repeat(10)
        ));
    }
    let document = format!(
        r#"<?xml version="1.0"?><!DOCTYPE w:document [{dtd}]><w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"#
    );
    let word = crate::support::zip_of(&[("word/document.xml", document)]);
    let error = read(&word, "laughs.docx").unwrap_err();
    assert!(matches!(error, KnowledgeError::DocxDoctype), "{error:?}");
    assert_eq!(
        error.to_string(),
        "the DOCX file is damaged: it declares a document type, which Word never writes"
    );

    // An external entity, the other classic, is refused the same way.
    let external = format!(
        r#"<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"#
    );
    let word = crate::support::zip_of(&[("word/document.xml", external)]);
    assert!(matches!(
        read(&word, "xxe.docx"),
        Err(KnowledgeError::DocxDoctype)
    ));
}

#[test]
fn an_undeclared_entity_is_dropped_not_expanded() {
    let body = "<w:p><w:r><w:t>Price &amp; terms &unknown; &#x41;</w:t></w:r></w:p>";
    let document = read(&docx(body, None), "entities.docx").unwrap();
    assert_eq!(all_text(&document), "Price & terms A");
}
