//! Markdown and plain text.

use wagent_knowledge::Format;

use crate::support::{all_text, read};

#[test]
fn markdown_headings_give_the_heading_path() {
    let markdown = "---\ntitle: \"Help centre\"\nauthor: Ana\n---\n\
        # Shipping\n\nWe ship [everywhere](https://example.test/ship).\n\n\
        ## International\n\nCustoms are paid by the buyer.\n\n\
        ```bash\n# not a heading\necho hi\n```\n\n\
        ### Europe ###\n- Portugal\n- Spain\n\n\
        Returns\n=======\n\nThirty days.\n#hashtag is text\n";
    let document = read(markdown.as_bytes(), "help.md").unwrap();
    assert_eq!(document.title.as_deref(), Some("Help centre"));
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
            (vec!["Shipping"], "We ship everywhere."),
            (
                vec!["Shipping", "International"],
                "Customs are paid by the buyer."
            ),
            (
                vec!["Shipping", "International"],
                "# not a heading\necho hi"
            ),
            (
                vec!["Shipping", "International", "Europe"],
                "- Portugal\n- Spain"
            ),
            (vec!["Returns"], "Thirty days.\n#hashtag is text"),
        ]
    );
}

#[test]
fn markdown_without_front_matter_takes_its_first_top_heading_as_title() {
    let document = read(b"Intro line.\n\n# Price list\n\nBlender: R$ 199\n", "p.md").unwrap();
    assert_eq!(document.title.as_deref(), Some("Price list"));
    assert_eq!(document.blocks[0].heading_path, Vec::<String>::new());
}

#[test]
fn plain_text_is_split_into_paragraphs_without_headings() {
    let text = "  Opening hours:\tMonday to Friday.  \r\nSaturdays until noon.\r\n\r\n\r\n# Not a heading\n";
    let document = read(text.as_bytes(), "hours.txt").unwrap();
    assert_eq!(
        all_text(&document),
        "Opening hours: Monday to Friday.\nSaturdays until noon.\n\n# Not a heading"
    );
    assert!(document.blocks.iter().all(|b| b.heading_path.is_empty()));
    assert_eq!(document.title, None);
}

#[test]
fn latin1_text_is_read_and_blank_text_is_refused() {
    let document = read(b"Pre\xe7o especial: caf\xe9 gr\xe1tis", "promo.txt").unwrap();
    assert_eq!(all_text(&document), "Preço especial: café grátis");
    let error = read(b" \n\n\t \n", "blank.txt").unwrap_err();
    assert_eq!(error.to_string(), "no text found in the file");
    let error = read(b"<p>pre\xe7o</p>", "latin.html").unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "the {} file is not valid UTF-8 text; save it again as UTF-8",
            Format::Html
        )
    );
}
