//! What a campaign sends each recipient: the template's placeholders, where each one's value
//! comes from (a contact's attribute or field, or fixed text, with a fallback), and the
//! components rendered for one contact, checked as Meta checks them.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use wagent_meta::{
    ButtonParameter, ButtonSubType, DocumentMedia, MediaSource, TemplateComponent,
    TemplateParameter,
};

use crate::{
    contacts::Contact,
    values::{InvalidValue, text_enum},
    whatsapp::{Template, placeholders},
};

text_enum! {
    /// The part of a template a placeholder is in.
    pub enum Part as "template part" {
        Header = "header",
        Body = "body",
        /// A URL button's dynamic suffix.
        Button = "button",
    }
}

/// One placeholder of a template, as the campaign builder lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placeholder {
    pub part: Part,
    /// The button's position, for `Button`.
    pub button_index: Option<u8>,
    /// `1`, `2` ... or a name (`first_name`); `media` for an image, video or document header.
    pub name: String,
    /// For a media header: `IMAGE`, `VIDEO` or `DOCUMENT` (its value is a link).
    pub media: Option<String>,
}

/// Where a placeholder's value comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParameterSource {
    pub part: Part,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub button_index: Option<u8>,
    pub placeholder: String,
    /// A contact attribute (`name`, `first_name`, `phone`, `email`, `country`, `language`)
    /// or the key of one of the organization's contact fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Fixed text (used when no field is named).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Used when the contact has no value for the field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback: Option<String>,
}

/// The contact attributes a placeholder can take, besides the organization's fields.
pub const ATTRIBUTES: &[&str] = &[
    "name",
    "first_name",
    "phone",
    "email",
    "country",
    "language",
];

/// Most characters Meta takes in one body or button value; a header's whole text is 60.
const MAX_BODY_VALUE: usize = 1024;
const MAX_HEADER_VALUE: usize = 60;
const MAX_BUTTON_VALUE: usize = 2000;

/// Every placeholder of a template, in the order the builder shows them.
pub fn placeholders_of(template: &Template) -> Vec<Placeholder> {
    let components: &[Value] = template.components.as_array().map_or(&[], Vec::as_slice);
    let find = |kind: &str| {
        components.iter().find(|c| {
            c["type"]
                .as_str()
                .is_some_and(|t| t.eq_ignore_ascii_case(kind))
        })
    };
    let mut found = Vec::new();
    if let Some(header) = find("header") {
        let format = header["format"]
            .as_str()
            .unwrap_or("TEXT")
            .to_ascii_uppercase();
        match format.as_str() {
            "TEXT" => found.extend(
                placeholders(header["text"].as_str().unwrap_or_default())
                    .into_iter()
                    .map(|name| Placeholder {
                        part: Part::Header,
                        button_index: None,
                        name,
                        media: None,
                    }),
            ),
            "IMAGE" | "VIDEO" | "DOCUMENT" => found.push(Placeholder {
                part: Part::Header,
                button_index: None,
                name: "media".to_owned(),
                media: Some(format),
            }),
            _ => {}
        }
    }
    if let Some(body) = find("body") {
        found.extend(
            placeholders(body["text"].as_str().unwrap_or_default())
                .into_iter()
                .map(|name| Placeholder {
                    part: Part::Body,
                    button_index: None,
                    name,
                    media: None,
                }),
        );
    }
    if let Some(buttons) = find("buttons") {
        for (index, button) in buttons["buttons"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            if button["type"].as_str() != Some("URL") {
                continue;
            }
            let Ok(index) = u8::try_from(index) else {
                break;
            };
            found.extend(
                placeholders(button["url"].as_str().unwrap_or_default())
                    .into_iter()
                    .map(|name| Placeholder {
                        part: Part::Button,
                        button_index: Some(index),
                        name,
                        media: None,
                    }),
            );
        }
    }
    found
}

/// Checks a campaign's sources against its template: every placeholder has exactly one
/// source, each source names a placeholder, and a field is an attribute or a defined field.
pub fn check_sources(
    placeholders: &[Placeholder],
    sources: &[ParameterSource],
    fields: &[String],
) -> Result<(), InvalidValue> {
    let invalid = |value: String| InvalidValue::Unknown {
        what: "value source for this template's placeholders",
        value,
    };
    for source in sources {
        let label = label(source.part, source.button_index, &source.placeholder);
        if !placeholders.iter().any(|p| is_for(source, p)) {
            return Err(invalid(format!(
                "{label} (the template has no such placeholder)"
            )));
        }
        match (&source.field, &source.text) {
            (Some(field), _)
                if !ATTRIBUTES.contains(&field.as_str()) && !fields.contains(field) =>
            {
                return Err(invalid(format!("{label}: no contact field `{field}`")));
            }
            (None, None) if source.fallback.is_none() => {
                return Err(invalid(format!("{label}: name a field or give a text")));
            }
            _ => {}
        }
        let twice = sources.iter().filter(|s| same(s, source)).count() > 1;
        if twice {
            return Err(invalid(format!("{label} (given twice)")));
        }
    }
    for p in placeholders {
        if !sources.iter().any(|s| is_for(s, p)) {
            return Err(invalid(format!(
                "{} (no value given)",
                label(p.part, p.button_index, &p.name)
            )));
        }
    }
    Ok(())
}

fn same(a: &ParameterSource, b: &ParameterSource) -> bool {
    a.part == b.part && a.button_index == b.button_index && a.placeholder == b.placeholder
}

fn is_for(source: &ParameterSource, p: &Placeholder) -> bool {
    source.part == p.part && source.button_index == p.button_index && source.placeholder == p.name
}

fn label(part: Part, button: Option<u8>, name: &str) -> String {
    match button {
        Some(i) => format!("{part} {i} {{{{{name}}}}}"),
        None => format!("{part} {{{{{name}}}}}"),
    }
}

/// Why a contact cannot be sent the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderError {
    /// A placeholder has no value and no fallback.
    Missing(String),
    /// A value Meta would refuse (too long).
    Invalid(String),
}

/// The template's components with `contact`'s values, ready to send.
pub fn render(
    template: &Template,
    placeholders: &[Placeholder],
    sources: &[ParameterSource],
    contact: &Contact,
) -> Result<Vec<TemplateComponent>, RenderError> {
    let named = template
        .parameter_format
        .as_deref()
        .is_some_and(|f| f.eq_ignore_ascii_case("named"));
    let mut header = Vec::new();
    let mut body = Vec::new();
    let mut buttons: Vec<(u8, Vec<ButtonParameter>)> = Vec::new();
    for p in placeholders {
        let source = sources.iter().find(|s| is_for(s, p));
        let what = label(p.part, p.button_index, &p.name);
        let raw = source
            .and_then(|s| value_of(s, contact))
            .ok_or_else(|| RenderError::Missing(what.clone()))?;
        let max = match p.part {
            Part::Header => MAX_HEADER_VALUE,
            Part::Body => MAX_BODY_VALUE,
            Part::Button => MAX_BUTTON_VALUE,
        };
        let value = clean(&raw);
        if value.is_empty() {
            return Err(RenderError::Missing(what));
        }
        if value.chars().count() > max && p.media.is_none() {
            return Err(RenderError::Invalid(format!(
                "{what} is longer than {max} characters"
            )));
        }
        let text = |value: String| TemplateParameter::Text {
            text: value,
            parameter_name: named.then(|| p.name.clone()),
        };
        match (p.part, p.media.as_deref()) {
            (Part::Header, Some(kind)) => header.push(media_parameter(kind, value)?),
            (Part::Header, None) => header.push(text(value)),
            (Part::Body, _) => body.push(text(value)),
            (Part::Button, _) => {
                let index = p.button_index.unwrap_or(0);
                match buttons.iter_mut().find(|(i, _)| *i == index) {
                    Some((_, list)) => list.push(ButtonParameter::Text { text: value }),
                    None => buttons.push((index, vec![ButtonParameter::Text { text: value }])),
                }
            }
        }
    }
    let mut components = Vec::new();
    if !header.is_empty() {
        components.push(TemplateComponent::Header { parameters: header });
    }
    if !body.is_empty() {
        components.push(TemplateComponent::Body { parameters: body });
    }
    for (index, parameters) in buttons {
        components.push(TemplateComponent::Button {
            sub_type: ButtonSubType::Url,
            index,
            parameters,
        });
    }
    Ok(components)
}

fn media_parameter(kind: &str, link: String) -> Result<TemplateParameter, RenderError> {
    if !(link.starts_with("https://") || link.starts_with("http://")) {
        return Err(RenderError::Invalid(format!(
            "the header {} is not a link: {link}",
            kind.to_ascii_lowercase()
        )));
    }
    let source = MediaSource::Link(link);
    Ok(match kind {
        "IMAGE" => TemplateParameter::Image { image: source },
        "VIDEO" => TemplateParameter::Video { video: source },
        _ => TemplateParameter::Document {
            document: DocumentMedia {
                source,
                caption: None,
                filename: None,
            },
        },
    })
}

/// Meta refuses values with line breaks, tabs or more than four spaces in a row: they become
/// single spaces.
fn clean(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The value a source gives for `contact`: its field (or fixed text), else the fallback.
fn value_of(source: &ParameterSource, contact: &Contact) -> Option<String> {
    let given = match &source.field {
        Some(field) => attribute(contact, field),
        None => source.text.clone(),
    };
    given
        .filter(|v| !v.trim().is_empty())
        .or_else(|| source.fallback.clone().filter(|v| !v.trim().is_empty()))
}

fn attribute(contact: &Contact, field: &str) -> Option<String> {
    match field {
        "name" => contact.display_name().map(str::to_owned),
        "first_name" => contact
            .display_name()
            .and_then(|n| n.split_whitespace().next())
            .map(str::to_owned),
        "phone" => contact.phone().map(|p| p.as_str().to_owned()),
        "email" => contact.email.clone(),
        "country" => contact.country.clone(),
        "language" => contact.language.clone(),
        key => match &contact.fields[key] {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            Value::Bool(b) => Some(if *b { "yes" } else { "no" }.to_owned()),
            other => Some(other.to_string()),
        },
    }
}

/// The message as the customer reads it: the body with this recipient's values.
pub fn preview_text(template: &Template, components: &[TemplateComponent]) -> Option<String> {
    template.render(&body_values(components))
}

/// The body's text values, in order.
pub fn body_values(components: &[TemplateComponent]) -> Vec<String> {
    components
        .iter()
        .find_map(|c| match c {
            TemplateComponent::Body { parameters } => Some(
                parameters
                    .iter()
                    .filter_map(|p| match p {
                        TemplateParameter::Text { text, .. } => Some(text.clone()),
                        _ => None,
                    })
                    .collect(),
            ),
            _ => None,
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use serde_json::json;
    use uuid::Uuid;

    use super::*;
    use crate::{
        contacts::Marketing,
        values::{LanguageTag, TemplateName},
        whatsapp::{TemplateCategory, TemplateStatus},
    };

    fn template(components: Value, format: Option<&str>) -> Template {
        Template {
            id: Uuid::nil(),
            account_id: Uuid::nil(),
            meta_template_id: None,
            name: TemplateName::parse("offer").unwrap(),
            language: LanguageTag::parse("en_US").unwrap(),
            category: TemplateCategory::Marketing,
            status: TemplateStatus::Approved,
            quality_score: None,
            rejected_reason: None,
            parameter_format: format.map(str::to_owned),
            components,
            updated_at: Utc::now(),
        }
    }

    fn contact(name: Option<&str>, fields: Value) -> Contact {
        Contact {
            id: Uuid::nil(),
            wa_id: Some("5511988887777".into()),
            user_id: None,
            profile_name: None,
            username: None,
            created_at: Utc::now(),
            name: name.map(str::to_owned),
            email: None,
            language: None,
            country: Some("BR".into()),
            time_zone: None,
            tags: vec![],
            fields,
            marketing: Marketing::Unknown,
            marketing_source: None,
            marketing_at: None,
            last_inbound_at: None,
            last_outbound_at: None,
        }
    }

    fn source(
        part: Part,
        placeholder: &str,
        field: Option<&str>,
        fallback: Option<&str>,
    ) -> ParameterSource {
        ParameterSource {
            part,
            button_index: (part == Part::Button).then_some(0),
            placeholder: placeholder.into(),
            field: field.map(str::to_owned),
            text: None,
            fallback: fallback.map(str::to_owned),
        }
    }

    fn offer() -> Template {
        template(
            json!([
                {"type": "HEADER", "format": "TEXT", "text": "Hi {{1}}"},
                {"type": "BODY", "text": "Dear {{1}}, your {{2}} code is ready."},
                {"type": "BUTTONS", "buttons": [
                    {"type": "QUICK_REPLY", "text": "Stop"},
                    {"type": "URL", "text": "Open", "url": "https://shop.example/{{1}}"}
                ]}
            ]),
            None,
        )
    }

    #[test]
    fn every_placeholder_of_header_body_and_url_buttons_is_listed() {
        let found = placeholders_of(&offer());
        let names: Vec<String> = found
            .iter()
            .map(|p| label(p.part, p.button_index, &p.name))
            .collect();
        assert_eq!(
            names,
            ["header {{1}}", "body {{1}}", "body {{2}}", "button 1 {{1}}"]
        );
    }

    #[test]
    fn values_come_from_fields_with_fallbacks_and_are_cleaned_of_line_breaks() {
        let t = offer();
        let places = placeholders_of(&t);
        let mut sources = vec![
            source(Part::Header, "1", Some("first_name"), Some("friend")),
            source(Part::Body, "1", Some("name"), Some("customer")),
            source(Part::Body, "2", Some("tier"), None),
            ParameterSource {
                button_index: Some(1),
                ..source(Part::Button, "1", Some("coupon"), Some("welcome"))
            },
        ];
        let fields = vec!["tier".to_owned(), "coupon".to_owned()];
        check_sources(&places, &sources, &fields).unwrap();
        let ana = contact(Some("Ana  Souza"), json!({"tier": "gold\nplus"}));
        let rendered = render(&t, &places, &sources, &ana).unwrap();
        assert_eq!(
            serde_json::to_value(&rendered).unwrap(),
            json!([
                {"type": "header", "parameters": [{"type": "text", "text": "Ana"}]},
                {"type": "body", "parameters": [
                    {"type": "text", "text": "Ana Souza"},
                    {"type": "text", "text": "gold plus"}
                ]},
                {"type": "button", "sub_type": "url", "index": "1",
                 "parameters": [{"type": "text", "text": "welcome"}]}
            ])
        );
        assert_eq!(
            preview_text(&t, &rendered).as_deref(),
            Some("Dear Ana Souza, your gold plus code is ready.")
        );
        // No tier and no fallback: the contact is skipped, never sent an empty value.
        let nameless = contact(None, json!({}));
        assert_eq!(
            render(&t, &places, &sources, &nameless),
            Err(RenderError::Missing("body {{2}}".into()))
        );
        sources.pop();
        assert!(check_sources(&places, &sources, &fields).is_err());
    }

    #[test]
    fn named_templates_send_parameter_names_and_media_headers_need_a_link() {
        let t = template(
            json!([
                {"type": "HEADER", "format": "IMAGE"},
                {"type": "BODY", "text": "Hello {{customer}}"}
            ]),
            Some("NAMED"),
        );
        let places = placeholders_of(&t);
        let mut sources = vec![
            ParameterSource {
                text: Some("https://cdn.example/offer.jpg".into()),
                ..source(Part::Header, "media", None, None)
            },
            source(Part::Body, "customer", Some("name"), None),
        ];
        let rendered = render(&t, &places, &sources, &contact(Some("Bo"), json!({}))).unwrap();
        assert_eq!(
            serde_json::to_value(&rendered).unwrap()[1],
            json!({"type": "body", "parameters": [
                {"type": "text", "text": "Bo", "parameter_name": "customer"}
            ]})
        );
        sources[0].text = Some("offer.jpg".into());
        assert!(matches!(
            render(&t, &places, &sources, &contact(Some("Bo"), json!({}))),
            Err(RenderError::Invalid(_))
        ));
    }
}
