//! DOCX: the main document's paragraphs, headings and tables, read from its ZIP container.
//!
//! A DOCX file is a ZIP archive; a hostile one is a zip bomb. Each part read is checked by
//! its declared size and read through a `take` limit as well, since the declared size is the
//! attacker's to write. The XML parts are refused when they declare a document type: Word
//! never writes one, and it is how entity-expansion attacks begin (quick-xml would not
//! expand custom entities anyway; an undeclared `&name;` is dropped).

use std::{
    collections::HashMap,
    io::{Cursor, Read},
};

use quick_xml::{
    Reader, XmlVersion,
    escape::resolve_predefined_entity,
    events::{BytesRef, BytesStart, Event},
};
use zip::{ZipArchive, result::ZipError};

use crate::{Document, KnowledgeError, Limits, outline::Outline};

const MAIN_PART: &str = "word/document.xml";
const STYLES_PART: &str = "word/styles.xml";

pub(crate) fn extract(bytes: &[u8], limits: &Limits) -> Result<Document, KnowledgeError> {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(damaged)?;
    if archive.len() > limits.max_zip_entries {
        return Err(KnowledgeError::TooManyEntries {
            limit: limits.max_zip_entries,
        });
    }
    let styles = match read_part(&mut archive, STYLES_PART, limits)? {
        Some(xml) => heading_styles(&xml)?,
        None => HashMap::new(),
    };
    let main = read_part(&mut archive, MAIN_PART, limits)?.ok_or_else(|| {
        KnowledgeError::DocxDamaged(format!("it has no main document ({MAIN_PART})"))
    })?;
    read_body(&main, &styles, limits)
}

fn damaged(error: impl std::fmt::Display) -> KnowledgeError {
    KnowledgeError::DocxDamaged(error.to_string())
}

/// One part of the archive as text, or `None` when the archive does not hold it.
fn read_part(
    archive: &mut ZipArchive<Cursor<&[u8]>>,
    name: &str,
    limits: &Limits,
) -> Result<Option<String>, KnowledgeError> {
    let limit = limits.max_uncompressed_bytes;
    let too_much = || KnowledgeError::ExpandsTooMuch { limit };
    let entry = match archive.by_name(name) {
        Ok(entry) => entry,
        Err(ZipError::FileNotFound) => return Ok(None),
        Err(error) => return Err(damaged(error)),
    };
    if entry.size() > limit {
        return Err(too_much());
    }
    let mut xml = Vec::with_capacity(entry.size() as usize);
    entry
        .take(limit + 1)
        .read_to_end(&mut xml)
        .map_err(|error| damaged(format!("{name} cannot be unpacked ({error})")))?;
    if xml.len() as u64 > limit {
        return Err(too_much());
    }
    let xml = xml.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&xml);
    match std::str::from_utf8(xml) {
        Ok(text) => Ok(Some(text.to_owned())),
        Err(_) => Err(damaged(format!("{name} is not UTF-8 XML"))),
    }
}

/// What a paragraph style makes of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Title,
    Heading(u8),
    /// An entry of a table of contents: its headings and page numbers repeat the
    /// document's own headings, and would only mislead a search.
    Contents,
}

/// The paragraph styles that make titles and headings, by style id.
///
/// Ids are localized ("Ttulo1" in Portuguese Word, "berschrift1" in German), but the
/// built-in names are always English ("heading 1"), and a style may give an outline level.
fn heading_styles(xml: &str) -> Result<HashMap<String, Role>, KnowledgeError> {
    let mut roles = HashMap::new();
    let mut reader = Reader::from_str(xml);
    // The style being read: its id, and its role once known.
    let mut style: Option<(String, Option<Role>)> = None;
    loop {
        match reader.read_event().map_err(damaged)? {
            Event::DocType(_) => return Err(KnowledgeError::DocxDoctype),
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "w:style" => {
                    style = value(&e, "w:styleId").map(|id| (id, None));
                }
                "w:name" => {
                    if let (Some((_, role)), Some(name)) = (&mut style, value(&e, "w:val")) {
                        *role = role.or(role_by_name(&name));
                    }
                }
                "w:outlineLvl" => {
                    if let (Some((_, role)), Some(level)) = (&mut style, outline_level(&e)) {
                        *role = role.or(Some(Role::Heading(level)));
                    }
                }
                _ => {}
            },
            Event::End(e) if e.name().as_ref() == "w:style" => {
                if let Some((id, Some(role))) = style.take() {
                    roles.insert(id, role);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(roles)
}

fn role_by_name(name: &str) -> Option<Role> {
    let name = name.trim().to_ascii_lowercase();
    if name == "title" {
        return Some(Role::Title);
    }
    if name
        .strip_prefix("toc")
        .is_some_and(|rest| rest.trim().parse::<u8>().is_ok())
    {
        return Some(Role::Contents);
    }
    let level: u8 = name.strip_prefix("heading")?.trim_start().parse().ok()?;
    (1..=9).contains(&level).then_some(Role::Heading(level))
}

/// `w:outlineLvl w:val="0"` is the top level; 9 means body text.
fn outline_level(e: &BytesStart<'_>) -> Option<u8> {
    let level: u8 = value(e, "w:val")?.parse().ok()?;
    (level < 9).then_some(level + 1)
}

fn value(e: &BytesStart<'_>, name: &str) -> Option<String> {
    let attribute = e.try_get_attribute(name).ok()??;
    Some(
        attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .ok()?
            .into_owned(),
    )
}

/// A paragraph being read.
#[derive(Default)]
struct Paragraph {
    style: Option<String>,
    outline_level: Option<u8>,
    text: String,
}

/// A table being read: its finished rows, and the row and cell open now.
#[derive(Default)]
struct Table {
    lines: Vec<String>,
    row: Vec<String>,
    cell: String,
}

fn read_body(
    xml: &str,
    styles: &HashMap<String, Role>,
    limits: &Limits,
) -> Result<Document, KnowledgeError> {
    let mut outline = Outline::new(limits);
    let mut reader = Reader::from_str(xml);
    // Paragraphs nest: a text box's paragraphs sit inside a run of the outer one.
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    // Tables nest too; a nested table's text joins the cell of the outermost one.
    let mut tables = 0_usize;
    let mut table = Table::default();
    let mut in_text = false;
    // Depth inside an element whose content is skipped: `mc:Fallback` repeats, for old
    // readers, the text of the `mc:Choice` beside it.
    let mut skipped = 0_usize;

    loop {
        let event = reader.read_event().map_err(damaged)?;
        if skipped > 0 {
            match event {
                Event::Start(_) => skipped += 1,
                Event::End(_) => skipped -= 1,
                Event::Eof => break,
                _ => {}
            }
            continue;
        }
        match event {
            Event::DocType(_) => return Err(KnowledgeError::DocxDoctype),
            Event::Start(e) => match e.name().as_ref() {
                "mc:Fallback" => skipped = 1,
                "w:p" => paragraphs.push(Paragraph::default()),
                "w:t" => in_text = true,
                "w:tbl" => tables += 1,
                "w:tr" if tables == 1 => table.row.clear(),
                "w:tc" if tables == 1 => table.cell.clear(),
                _ => inline(&e, paragraphs.last_mut()),
            },
            Event::Empty(e) => inline(&e, paragraphs.last_mut()),
            Event::Text(text) if in_text => {
                if let Some(paragraph) = paragraphs.last_mut() {
                    paragraph.text.push_str(&text.xml10_content());
                }
            }
            Event::GeneralRef(reference) if in_text => {
                if let (Some(paragraph), Some(text)) = (paragraphs.last_mut(), resolve(&reference))
                {
                    paragraph.text.push_str(&text);
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "w:t" => in_text = false,
                "w:p" => {
                    let Some(paragraph) = paragraphs.pop() else {
                        continue;
                    };
                    if tables > 0 {
                        let text = paragraph.text.replace('\n', " ");
                        if !table.cell.is_empty() {
                            table.cell.push(' ');
                        }
                        table.cell.push_str(&text);
                    } else {
                        finish_paragraph(paragraph, styles, &mut outline)?;
                    }
                }
                "w:tc" if tables == 1 => {
                    let cell = std::mem::take(&mut table.cell);
                    table.row.push(cell.trim().to_owned());
                }
                "w:tr" if tables == 1 => {
                    let row = std::mem::take(&mut table.row);
                    if row.iter().any(|cell| !cell.is_empty()) {
                        table.lines.push(row.join(" | "));
                    }
                }
                "w:tbl" => {
                    tables = tables.saturating_sub(1);
                    if tables == 0 {
                        let lines = std::mem::take(&mut table.lines);
                        outline.block(lines.iter().map(String::as_str), None)?;
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(outline.finish())
}

/// Elements inside a paragraph that carry its style or stand for characters.
fn inline(e: &BytesStart<'_>, paragraph: Option<&mut Paragraph>) {
    let Some(paragraph) = paragraph else {
        return;
    };
    match e.name().as_ref() {
        "w:pStyle" => paragraph.style = value(e, "w:val"),
        "w:outlineLvl" => paragraph.outline_level = outline_level(e),
        "w:tab" => paragraph.text.push('\t'),
        "w:br" | "w:cr" => paragraph.text.push('\n'),
        "w:noBreakHyphen" => paragraph.text.push('-'),
        _ => {}
    }
}

/// `&amp;` and `&#233;` read as their characters; any other entity is not expanded.
fn resolve(reference: &BytesRef<'_>) -> Option<String> {
    if let Ok(Some(c)) = reference.resolve_char_ref() {
        return Some(c.to_string());
    }
    resolve_predefined_entity(&reference.xml10_content()).map(str::to_owned)
}

fn finish_paragraph(
    paragraph: Paragraph,
    styles: &HashMap<String, Role>,
    outline: &mut Outline,
) -> Result<(), KnowledgeError> {
    let role = paragraph
        .style
        .as_deref()
        .and_then(|id| styles.get(id).copied().or_else(|| role_by_name(id)))
        .or(paragraph.outline_level.map(Role::Heading));
    match role {
        Some(Role::Title) if !outline.has_title() => {
            outline.title(&paragraph.text);
            Ok(())
        }
        Some(Role::Heading(level)) => outline.heading(level, &paragraph.text.replace('\n', " ")),
        Some(Role::Contents) => Ok(()),
        _ => outline.block(paragraph.text.split('\n'), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_styles_are_found_by_their_english_names() {
        let styles = r#"<w:styles>
            <w:style w:type="paragraph" w:styleId="Ttulo1"><w:name w:val="heading 1"/></w:style>
            <w:style w:type="paragraph" w:styleId="Ttulo"><w:name w:val="Title"/></w:style>
            <w:style w:type="paragraph" w:styleId="Custom"><w:name w:val="Chapter"/>
              <w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
            <w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
            <w:style w:type="paragraph" w:styleId="Sumrio1"><w:name w:val="toc 1"/></w:style>
        </w:styles>"#;
        let roles = heading_styles(styles).unwrap();
        assert_eq!(roles.get("Ttulo1"), Some(&Role::Heading(1)));
        assert_eq!(roles.get("Ttulo"), Some(&Role::Title));
        assert_eq!(roles.get("Custom"), Some(&Role::Heading(2)));
        assert_eq!(roles.get("Normal"), None);
        assert_eq!(roles.get("Sumrio1"), Some(&Role::Contents));
        assert_eq!(role_by_name("Heading3"), Some(Role::Heading(3)));
    }
}
