//! Message templates: Meta's creation rules, the two seeded samples, and the check of a
//! template send against the template's placeholders.

use std::collections::BTreeSet;

use poem::http::StatusCode;
use serde_json::{Map, Value, json};

use crate::error::GraphError;

#[derive(Clone, Debug)]
pub(crate) struct Template {
    pub id: String,
    pub waba_id: String,
    pub seq: u64,
    pub name: String,
    pub language: String,
    /// MARKETING, UTILITY or AUTHENTICATION.
    pub category: String,
    pub status: String,
    /// POSITIONAL or NAMED.
    pub parameter_format: String,
    pub components: Vec<Value>,
    pub rejected_reason: String,
}

const FIELDS: &[&str] = &[
    "id",
    "name",
    "language",
    "status",
    "category",
    "components",
    "parameter_format",
    "rejected_reason",
    "quality_score",
    "previous_category",
    "sub_category",
    "correct_category",
    "cta_url_link_tracking_opted_out",
    "library_template_name",
    "message_send_ttl_seconds",
];
const DEFAULT_FIELDS: &[&str] = &[
    "name",
    "parameter_format",
    "components",
    "language",
    "status",
    "category",
    "id",
];

impl Template {
    /// `hello_world` and `order_update`, APPROVED in every WABA from the start.
    pub fn seeds(waba_id: &str) -> Vec<Template> {
        let approved = |name: &str, components: Vec<Value>| Template {
            id: crate::state::template_id(),
            waba_id: waba_id.to_owned(),
            seq: 0,
            name: name.to_owned(),
            language: "en_US".to_owned(),
            category: "UTILITY".to_owned(),
            status: "APPROVED".to_owned(),
            parameter_format: "POSITIONAL".to_owned(),
            components,
            rejected_reason: "NONE".to_owned(),
        };
        vec![
            approved(
                "hello_world",
                vec![
                    json!({ "type": "HEADER", "format": "TEXT", "text": "Hello World" }),
                    json!({
                        "type": "BODY",
                        "text": "Welcome and congratulations!! This message demonstrates your \
                                 ability to send a WhatsApp message notification from the Cloud \
                                 API, hosted by Meta. Thank you for taking the time to test with us."
                    }),
                    json!({ "type": "FOOTER", "text": "WhatsApp Business Platform sample message" }),
                ],
            ),
            approved(
                "order_update",
                vec![json!({
                    "type": "BODY",
                    "text": "Hi {{1}}, your order {{2}} has shipped.",
                    "example": { "body_text": [["Ana", "#1234"]] }
                })],
            ),
        ]
    }

    pub fn to_json(&self, fields: Option<&[String]>) -> Result<Value, GraphError> {
        let mut all = Map::new();
        all.insert("id".into(), json!(self.id));
        all.insert("name".into(), json!(self.name));
        all.insert("language".into(), json!(self.language));
        all.insert("status".into(), json!(self.status));
        all.insert("category".into(), json!(self.category));
        all.insert("components".into(), json!(self.components));
        all.insert("parameter_format".into(), json!(self.parameter_format));
        all.insert("rejected_reason".into(), json!(self.rejected_reason));
        all.insert(
            "quality_score".into(),
            json!({ "score": "UNKNOWN", "date": chrono::Utc::now().timestamp() }),
        );
        all.insert("previous_category".into(), json!(self.category));
        all.insert("sub_category".into(), json!("CUSTOM"));
        all.insert("correct_category".into(), json!(self.category));
        all.insert("cta_url_link_tracking_opted_out".into(), json!(false));
        all.insert("library_template_name".into(), json!(""));
        let ttl = if self.category == "AUTHENTICATION" {
            600
        } else {
            2_592_000
        };
        all.insert("message_send_ttl_seconds".into(), json!(ttl));
        pick_fields(
            all,
            fields,
            FIELDS,
            DEFAULT_FIELDS,
            "WhatsAppMessageTemplate",
        )
    }

    /// The value of a `message_template_status_update` webhook.
    pub fn status_update(&self, event: &str, reason: &str) -> Value {
        json!({
            "event": event,
            "message_template_id": self.id.parse::<u64>().unwrap_or_default(),
            "message_template_name": self.name,
            "message_template_language": self.language,
            "reason": reason,
            "message_template_category": self.category,
        })
    }

    fn component(&self, kind: &str) -> Option<&Value> {
        self.components.iter().find(|c| {
            c["type"]
                .as_str()
                .is_some_and(|t| t.eq_ignore_ascii_case(kind))
        })
    }

    /// Checks a send's `template.components` against this template's placeholders:
    /// 132000 when a count differs, 132012 when a header's media kind differs, 131008 when
    /// a URL button's parameter is missing.
    pub fn check_send(&self, template: &Value) -> Result<(), GraphError> {
        let sent: &[Value] = template["components"].as_array().map_or(&[], Vec::as_slice);
        let sent_component = |kind: &str| {
            sent.iter().find(|c| {
                c["type"]
                    .as_str()
                    .is_some_and(|t| t.eq_ignore_ascii_case(kind))
            })
        };
        for kind in ["header", "body"] {
            let Some(component) = self.component(kind) else {
                if sent_component(kind).is_some_and(|c| params(c).next().is_some()) {
                    return Err(count_mismatch(kind, params_len(sent_component(kind)), 0));
                }
                continue;
            };
            let format = component["format"].as_str().unwrap_or("TEXT");
            if kind == "header" && !format.eq_ignore_ascii_case("TEXT") {
                if format.eq_ignore_ascii_case("LOCATION") {
                    continue;
                }
                let given: Vec<&Value> = sent_component(kind)
                    .map(params)
                    .into_iter()
                    .flatten()
                    .collect();
                if given.len() != 1 {
                    return Err(count_mismatch(kind, given.len(), 1));
                }
                let kind_sent = given[0]["type"].as_str().unwrap_or_default();
                if !kind_sent.eq_ignore_ascii_case(format) {
                    return Err(GraphError::new(
                        StatusCode::BAD_REQUEST,
                        132012,
                        "Parameter format does not match format in the created template",
                    )
                    .details(format!(
                        "header: Format mismatch, expected {format}, received {}",
                        kind_sent.to_ascii_uppercase()
                    )));
                }
                continue;
            }
            let expected = placeholders(component["text"].as_str().unwrap_or_default());
            let given: Vec<&Value> = sent_component(kind)
                .map(params)
                .into_iter()
                .flatten()
                .collect();
            if given.len() != expected.len() {
                return Err(count_mismatch(kind, given.len(), expected.len()));
            }
            if self.parameter_format == "NAMED" {
                let names: BTreeSet<&str> = given
                    .iter()
                    .filter_map(|p| p["parameter_name"].as_str())
                    .collect();
                let wanted: BTreeSet<&str> = expected.iter().map(String::as_str).collect();
                if names != wanted {
                    return Err(GraphError::new(
                        StatusCode::BAD_REQUEST,
                        132000,
                        "Number of parameters does not match the expected number of params",
                    )
                    .details(format!(
                        "{kind}: named parameters {:?} do not match the template's {:?}",
                        names, wanted
                    )));
                }
            }
        }
        if let Some(buttons) = self.component("buttons") {
            for (index, button) in buttons["buttons"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                let dynamic = button["type"].as_str() == Some("URL")
                    && !placeholders(button["url"].as_str().unwrap_or_default()).is_empty();
                if !dynamic {
                    continue;
                }
                let supplied = sent.iter().any(|c| {
                    c["type"].as_str() == Some("button")
                        && c["sub_type"]
                            .as_str()
                            .is_some_and(|s| s.eq_ignore_ascii_case("url"))
                        && index_of(&c["index"]) == Some(index)
                        && params(c).next().is_some()
                });
                if !supplied {
                    return Err(GraphError::new(
                        StatusCode::BAD_REQUEST,
                        131008,
                        "Required parameter is missing",
                    )
                    .details(format!(
                        "buttons: Button at index {index} of type Url requires a parameter"
                    )));
                }
            }
        }
        Ok(())
    }
}

fn params(component: &Value) -> impl Iterator<Item = &Value> {
    component["parameters"].as_array().into_iter().flatten()
}

fn params_len(component: Option<&Value>) -> usize {
    component.map_or(0, |c| params(c).count())
}

fn index_of(v: &Value) -> Option<usize> {
    match v {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_u64().and_then(|n| usize::try_from(n).ok()),
        _ => None,
    }
}

fn count_mismatch(kind: &str, given: usize, expected: usize) -> GraphError {
    GraphError::new(
        StatusCode::BAD_REQUEST,
        132000,
        "Number of parameters does not match the expected number of params",
    )
    .details(format!(
        "{kind}: number of localizable_params ({given}) does not match the expected number of \
         params ({expected})"
    ))
}

/// Distinct placeholders of a text, in order of first appearance: `1`, `2` or `name`.
pub(crate) fn placeholders(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            break;
        };
        let name = after[..end].trim().to_owned();
        if !found.contains(&name) {
            found.push(name);
        }
        rest = &after[end + 2..];
    }
    found
}

/// Keeps the asked-for fields (`id` always), refusing one the node does not have, as Graph
/// does.
pub(crate) fn pick_fields(
    mut all: Map<String, Value>,
    fields: Option<&[String]>,
    known: &[&str],
    default: &[&str],
    node: &str,
) -> Result<Value, GraphError> {
    let wanted: Vec<String> = match fields {
        Some(f) if !f.is_empty() => f.to_vec(),
        _ => default.iter().map(|s| (*s).to_owned()).collect(),
    };
    let mut out = Map::new();
    for field in &wanted {
        if !known.contains(&field.as_str()) {
            return Err(GraphError::new(
                StatusCode::BAD_REQUEST,
                100,
                format!("Tried accessing nonexisting field ({field}) on node type ({node})"),
            ));
        }
        if let Some(v) = all.remove(field) {
            out.insert(field.clone(), v);
        }
    }
    if let Some(id) = all.remove("id") {
        out.insert("id".into(), id);
    }
    Ok(Value::Object(out))
}

/// A template as `POST /{waba}/message_templates` asked for it, checked.
pub(crate) struct NewTemplate {
    pub name: String,
    pub language: String,
    pub category: String,
    pub parameter_format: String,
    pub components: Vec<Value>,
}

/// Meta's creation rules; every failure is a 100 with details.
pub(crate) fn parse_new(body: &Map<String, Value>) -> Result<NewTemplate, GraphError> {
    let name = body
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| GraphError::invalid_parameter("The parameter name is required."))?;
    if name.is_empty()
        || name.len() > 512
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(GraphError::invalid_parameter(
            "Template names contain only lowercase letters, digits and underscores, at most 512.",
        ));
    }
    let language = body
        .get("language")
        .and_then(Value::as_str)
        .ok_or_else(|| GraphError::invalid_parameter("The parameter language is required."))?;
    if !is_language(language) {
        return Err(GraphError::invalid_parameter(format!(
            "Invalid language code: {language}."
        )));
    }
    let category = body
        .get("category")
        .and_then(Value::as_str)
        .map(str::to_ascii_uppercase)
        .ok_or_else(|| GraphError::invalid_parameter("The parameter category is required."))?;
    if !["MARKETING", "UTILITY", "AUTHENTICATION"].contains(&category.as_str()) {
        return Err(GraphError::invalid_parameter(format!(
            "Invalid category {category}: MARKETING, UTILITY or AUTHENTICATION."
        )));
    }
    let parameter_format = match body.get("parameter_format").and_then(Value::as_str) {
        None => "POSITIONAL".to_owned(),
        Some(f) if f.eq_ignore_ascii_case("positional") => "POSITIONAL".to_owned(),
        Some(f) if f.eq_ignore_ascii_case("named") => "NAMED".to_owned(),
        Some(f) => {
            return Err(GraphError::invalid_parameter(format!(
                "Invalid parameter_format {f}."
            )));
        }
    };
    let components = body
        .get("components")
        .and_then(Value::as_array)
        .filter(|c| !c.is_empty())
        .ok_or_else(|| GraphError::invalid_parameter("The parameter components is required."))?;
    let mut normalised = Vec::with_capacity(components.len());
    let mut seen = BTreeSet::new();
    for component in components {
        let Some(obj) = component.as_object() else {
            return Err(GraphError::invalid_parameter(
                "Each component is an object.",
            ));
        };
        let kind = obj
            .get("type")
            .and_then(Value::as_str)
            .map(str::to_ascii_uppercase)
            .ok_or_else(|| GraphError::invalid_parameter("Each component needs a type."))?;
        if !seen.insert(kind.clone()) {
            return Err(GraphError::invalid_parameter(format!(
                "Only one {kind} component is allowed."
            )));
        }
        let mut obj = obj.clone();
        obj.insert("type".into(), json!(kind));
        match kind.as_str() {
            "BODY" => check_body(&obj, &category, &parameter_format)?,
            "HEADER" => {
                let format = obj
                    .get("format")
                    .and_then(Value::as_str)
                    .map(str::to_ascii_uppercase)
                    .ok_or_else(|| GraphError::invalid_parameter("A HEADER needs a format."))?;
                obj.insert("format".into(), json!(format));
                check_header(&obj, &format, &parameter_format)?;
            }
            "FOOTER" => {
                let text = obj.get("text").and_then(Value::as_str).unwrap_or_default();
                if text.is_empty() || text.chars().count() > 60 {
                    return Err(GraphError::invalid_parameter(
                        "A FOOTER has text of 1 to 60 characters.",
                    ));
                }
                if !placeholders(text).is_empty() {
                    return Err(GraphError::invalid_parameter(
                        "A FOOTER cannot have parameters.",
                    ));
                }
            }
            "BUTTONS" => check_buttons(&mut obj)?,
            other => {
                return Err(GraphError::invalid_parameter(format!(
                    "Unknown component type {other}."
                )));
            }
        }
        normalised.push(Value::Object(obj));
    }
    if !seen.contains("BODY") {
        return Err(GraphError::invalid_parameter(
            "A template needs a BODY component.",
        ));
    }
    Ok(NewTemplate {
        name: name.to_owned(),
        language: language.to_owned(),
        category,
        parameter_format,
        components: normalised,
    })
}

/// `en`, `en_US`, `pt_BR`, `zh_CN`...
fn is_language(code: &str) -> bool {
    let (lang, region) = code.split_once('_').unwrap_or((code, ""));
    (2..=3).contains(&lang.len())
        && lang.chars().all(|c| c.is_ascii_lowercase())
        && (region.is_empty()
            || ((2..=4).contains(&region.len()) && region.chars().all(|c| c.is_ascii_alphabetic())))
}

/// The placeholders of a text, checked against the template's parameter format.
fn checked_placeholders(
    text: &str,
    parameter_format: &str,
    what: &str,
) -> Result<Vec<String>, GraphError> {
    let found = placeholders(text);
    if parameter_format == "POSITIONAL" {
        let mut numbers = Vec::with_capacity(found.len());
        for p in &found {
            let Ok(n) = p.parse::<usize>() else {
                return Err(GraphError::invalid_parameter(format!(
                    "{what}: positional parameters are {{{{1}}}}, {{{{2}}}}...; found {{{{{p}}}}}."
                )));
            };
            numbers.push(n);
        }
        numbers.sort_unstable();
        if numbers.iter().enumerate().any(|(i, n)| *n != i + 1) {
            return Err(GraphError::invalid_parameter(format!(
                "{what}: parameters must be numbered from {{{{1}}}} without gaps."
            )));
        }
    } else if let Some(p) = found.iter().find(|p| {
        p.is_empty()
            || !p.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            || !p
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    }) {
        return Err(GraphError::invalid_parameter(format!(
            "{what}: named parameters are lowercase letters, digits and underscores; found \
             {{{{{p}}}}}."
        )));
    }
    Ok(found)
}

/// Every placeholder needs an example: `example.<key>` (positional, `[[..]]` for the body)
/// or `example.<key>_named_params` (`[{param_name, example}]`).
fn check_examples(
    obj: &Map<String, Value>,
    found: &[String],
    parameter_format: &str,
    key: &str,
    nested: bool,
    what: &str,
) -> Result<(), GraphError> {
    if found.is_empty() {
        return Ok(());
    }
    let example = obj.get("example");
    let missing = || {
        GraphError::invalid_parameter(format!(
            "{what}: every parameter needs an example (example.{key}{}).",
            if parameter_format == "NAMED" {
                "_named_params"
            } else {
                ""
            }
        ))
    };
    if parameter_format == "NAMED" {
        let named = example
            .and_then(|e| e.get(format!("{key}_named_params")))
            .and_then(Value::as_array)
            .ok_or_else(missing)?;
        for name in found {
            let given = named.iter().any(|p| {
                p["param_name"].as_str() == Some(name)
                    && p["example"].as_str().is_some_and(|e| !e.is_empty())
            });
            if !given {
                return Err(missing());
            }
        }
    } else {
        let values = example.and_then(|e| e.get(key)).and_then(Value::as_array);
        let values = if nested {
            values.and_then(|v| v.first()).and_then(Value::as_array)
        } else {
            values
        }
        .ok_or_else(missing)?;
        if values.len() < found.len() || values.iter().any(|v| v.as_str().is_none_or(str::is_empty))
        {
            return Err(missing());
        }
    }
    Ok(())
}

fn check_body(
    obj: &Map<String, Value>,
    category: &str,
    parameter_format: &str,
) -> Result<(), GraphError> {
    let text = obj.get("text").and_then(Value::as_str);
    let Some(text) = text else {
        // Authentication templates have a fixed body.
        if category == "AUTHENTICATION" {
            return Ok(());
        }
        return Err(GraphError::invalid_parameter("A BODY needs text."));
    };
    if text.is_empty() || text.chars().count() > 1024 {
        return Err(GraphError::invalid_parameter(
            "A BODY has text of 1 to 1024 characters.",
        ));
    }
    let found = checked_placeholders(text, parameter_format, "BODY")?;
    check_examples(obj, &found, parameter_format, "body_text", true, "BODY")
}

fn check_header(
    obj: &Map<String, Value>,
    format: &str,
    parameter_format: &str,
) -> Result<(), GraphError> {
    match format {
        "TEXT" => {
            let text = obj.get("text").and_then(Value::as_str).unwrap_or_default();
            if text.is_empty() || text.chars().count() > 60 {
                return Err(GraphError::invalid_parameter(
                    "A TEXT HEADER has text of 1 to 60 characters.",
                ));
            }
            let found = checked_placeholders(text, parameter_format, "HEADER")?;
            if found.len() > 1 {
                return Err(GraphError::invalid_parameter(
                    "A HEADER has at most one parameter.",
                ));
            }
            check_examples(
                obj,
                &found,
                parameter_format,
                "header_text",
                false,
                "HEADER",
            )
        }
        "IMAGE" | "VIDEO" | "DOCUMENT" => {
            let handle = obj
                .get("example")
                .and_then(|e| e.get("header_handle"))
                .and_then(Value::as_array)
                .is_some_and(|h| !h.is_empty());
            if handle {
                Ok(())
            } else {
                Err(GraphError::invalid_parameter(
                    "A media HEADER needs example.header_handle.",
                ))
            }
        }
        "LOCATION" => Ok(()),
        other => Err(GraphError::invalid_parameter(format!(
            "Unknown HEADER format {other}."
        ))),
    }
}

fn check_buttons(obj: &mut Map<String, Value>) -> Result<(), GraphError> {
    let buttons = obj
        .get_mut("buttons")
        .and_then(Value::as_array_mut)
        .filter(|b| !b.is_empty() && b.len() <= 10)
        .ok_or_else(|| GraphError::invalid_parameter("BUTTONS has 1 to 10 buttons."))?;
    for button in buttons {
        let Some(b) = button.as_object_mut() else {
            return Err(GraphError::invalid_parameter("Each button is an object."));
        };
        let kind = b
            .get("type")
            .and_then(Value::as_str)
            .map(str::to_ascii_uppercase)
            .ok_or_else(|| GraphError::invalid_parameter("Each button needs a type."))?;
        const KINDS: &[&str] = &[
            "QUICK_REPLY",
            "URL",
            "PHONE_NUMBER",
            "COPY_CODE",
            "OTP",
            "FLOW",
            "CATALOG",
            "MPM",
            "VOICE_CALL",
        ];
        if !KINDS.contains(&kind.as_str()) {
            return Err(GraphError::invalid_parameter(format!(
                "Unknown button type {kind}."
            )));
        }
        b.insert("type".into(), json!(kind));
        if let Some(text) = b.get("text").and_then(Value::as_str)
            && (text.is_empty() || text.chars().count() > 25)
        {
            return Err(GraphError::invalid_parameter(
                "A button's text has 1 to 25 characters.",
            ));
        }
        if kind == "URL" {
            let url = b.get("url").and_then(Value::as_str).unwrap_or_default();
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(GraphError::invalid_parameter("A URL button needs a url."));
            }
            let has_example = b
                .get("example")
                .and_then(Value::as_array)
                .is_some_and(|e| !e.is_empty());
            if !placeholders(url).is_empty() && !has_example {
                return Err(GraphError::invalid_parameter(
                    "A URL button with a parameter needs an example.",
                ));
            }
        }
        if kind == "PHONE_NUMBER" && b.get("phone_number").and_then(Value::as_str).is_none() {
            return Err(GraphError::invalid_parameter(
                "A PHONE_NUMBER button needs a phone_number.",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_placeholders() {
        assert_eq!(placeholders("Hi {{1}}, order {{2}} {{1}}"), ["1", "2"]);
        assert_eq!(placeholders("Hi {{ name }}"), ["name"]);
        assert!(placeholders("Hi {{1").is_empty());
    }

    #[test]
    fn creation_rules() {
        let ok = json!({
            "name": "promo_1", "language": "pt_BR", "category": "marketing",
            "components": [{"type": "body", "text": "Oi {{1}}", "example": {"body_text": [["Ana"]]}}]
        });
        let t = parse_new(ok.as_object().unwrap()).unwrap();
        assert_eq!(t.category, "MARKETING");
        assert_eq!(t.components[0]["type"], "BODY");

        let no_example = json!({
            "name": "promo_1", "language": "pt_BR", "category": "MARKETING",
            "components": [{"type": "BODY", "text": "Oi {{1}}"}]
        });
        assert!(parse_new(no_example.as_object().unwrap()).is_err());

        let gap = json!({
            "name": "promo_1", "language": "pt_BR", "category": "MARKETING",
            "components": [{"type": "BODY", "text": "Oi {{2}}", "example": {"body_text": [["a"]]}}]
        });
        assert!(parse_new(gap.as_object().unwrap()).is_err());

        let bad_name = json!({
            "name": "Promo", "language": "pt_BR", "category": "MARKETING",
            "components": [{"type": "BODY", "text": "Oi"}]
        });
        assert!(parse_new(bad_name.as_object().unwrap()).is_err());

        let named = json!({
            "name": "named", "language": "en_US", "category": "UTILITY", "parameter_format": "named",
            "components": [{"type": "BODY", "text": "Hi {{first_name}}",
                "example": {"body_text_named_params": [{"param_name": "first_name", "example": "Ana"}]}}]
        });
        assert!(parse_new(named.as_object().unwrap()).is_ok());
    }
}
