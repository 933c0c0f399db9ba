//! Word documents: headings (English and localized styles), paragraphs and tables.

use crate::support::{all_text, docx, paragraph, read};

const STYLES: &str = r#"
    <w:style w:type="paragraph" w:styleId="Ttulo"><w:name w:val="Title"/></w:style>
    <w:style w:type="paragraph" w:styleId="Ttulo1"><w:name w:val="heading 1"/></w:style>
    <w:style w:type="paragraph" w:styleId="Ttulo2"><w:name w:val="heading 2"/></w:style>
    <w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
    <w:style w:type="paragraph" w:styleId="Sumrio1"><w:name w:val="toc 1"/></w:style>"#;

#[test]
fn headings_give_each_paragraph_its_path() {
    let body = [
        paragraph(Some("Ttulo"), "Store policies"),
        paragraph(Some("Sumrio1"), "Shipping\t2"),
        paragraph(Some("Sumrio1"), "Returns\t3"),
        paragraph(Some("Ttulo1"), "Shipping"),
        paragraph(None, "We ship from Recife."),
        paragraph(Some("Ttulo2"), "International"),
        paragraph(Some("Normal"), "Abroad takes 15 days &amp; costs more."),
        paragraph(Some("Heading1"), "Returns"),
        paragraph(None, "30 days, no questions."),
    ]
    .concat();
    let document = read(&docx(&body, Some(STYLES)), "policies.docx").unwrap();
    assert_eq!(document.title.as_deref(), Some("Store policies"));
    let found: Vec<(Vec<&str>, &str)> = document
        .blocks
        .iter()
        .map(|b| {
            (
                b.heading_path.iter().map(String::as_str).collect(),
                b.text.as_str(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (vec!["Shipping"], "We ship from Recife."),
            (
                vec!["Shipping", "International"],
                "Abroad takes 15 days & costs more."
            ),
            (vec!["Returns"], "30 days, no questions."),
        ]
    );
    assert!(document.blocks.iter().all(|b| b.page.is_none()));
}

#[test]
fn tables_become_rows_of_cells() {
    let cell = |text: &str| format!("<w:tc>{}</w:tc>", paragraph(None, text));
    let row = |cells: &[&str]| {
        format!(
            "<w:tr>{}</w:tr>",
            cells.iter().map(|c| cell(c)).collect::<String>()
        )
    };
    let body = [
        paragraph(Some("Heading1"), "Prices"),
        format!(
            "<w:tbl>{}{}{}</w:tbl>",
            row(&["Product", "Price"]),
            row(&["Blender", "R$ 199"]),
            row(&["Mixer", "R$ 149"])
        ),
        paragraph(None, "Prices include taxes."),
    ]
    .concat();
    let document = read(&docx(&body, None), "prices.docx").unwrap();
    assert_eq!(document.blocks.len(), 2);
    assert_eq!(
        document.blocks[0].text,
        "Product | Price\nBlender | R$ 199\nMixer | R$ 149"
    );
    assert_eq!(document.blocks[0].heading_path, ["Prices"]);
}

#[test]
fn outline_levels_breaks_and_tracked_deletions_read_as_word_shows_them() {
    let body = r#"
        <w:p><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:r><w:t>Opening hours</w:t></w:r></w:p>
        <w:p><w:r><w:t>Monday to Friday</w:t><w:br/><w:t>9:00</w:t><w:tab/><w:t>to 18:00</w:t></w:r>
          <w:del><w:r><w:delText>deleted words</w:delText></w:r></w:del></w:p>
        <w:p><w:r><mc:AlternateContent xmlns:mc="urn:mc"><mc:Choice Requires="wps"><w:t>boxed</w:t></mc:Choice>
          <mc:Fallback><w:t>boxed</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>"#;
    let document = read(&docx(body, None), "hours.docx").unwrap();
    let text = all_text(&document);
    assert_eq!(text, "Monday to Friday\n9:00 to 18:00\n\nboxed");
    assert_eq!(document.blocks[0].heading_path, ["Opening hours"]);
}

#[test]
fn a_docx_without_text_or_with_broken_xml_says_so() {
    let empty = read(&docx("<w:p/>", None), "blank.docx").unwrap_err();
    assert_eq!(empty.to_string(), "no text found in the file");

    let broken = read(
        &docx("<w:p><w:r><w:t>unclosed</w:r></w:p>", None),
        "broken.docx",
    )
    .unwrap_err();
    assert!(
        broken.to_string().starts_with("the DOCX file is damaged: "),
        "{broken}"
    );

    let mut truncated = docx(&paragraph(None, "Hello"), None);
    truncated.truncate(truncated.len() - 30);
    let error = read(&truncated, "cut.docx").unwrap_err();
    assert!(
        error.to_string().starts_with("the DOCX file is damaged")
            || error.to_string().contains("although named .docx"),
        "{error}"
    );
}
