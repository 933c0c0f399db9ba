//! What a business writes about a contact, checked the same way wherever it comes from: a row
//! of an imported file, the contact page, an integrator's `updateContact`, a segment's
//! condition. Each check answers the value to store, or why the text is not one (a sentence
//! the caller shows as it is, e.g. "`Bronze` is not one of its choices").

use phonenumber::country::Id as CountryId;
use serde_json::Value;

use crate::{
    contacts::normal_tag,
    values::{EmailAddress, LanguageTag},
};

/// The longest text value a contact field keeps.
pub const MAX_TEXT: usize = 1000;
/// The longest tag.
pub const MAX_TAG: usize = 64;
/// The most tags a contact has (the `contacts.tags` limit).
pub const MAX_TAGS: usize = 100;
/// The longest name a business gives a contact (the `contacts.name` limit).
pub const MAX_NAME: usize = 256;

/// The kind of an organization's contact field, which decides what its values may be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    Number,
    /// `YYYY-MM-DD`, or `DD/MM/YYYY` as people in most of the world write it.
    Date,
    Boolean,
    Choice(Vec<String>),
}

impl FieldKind {
    /// The kind as `contact_fields` stores it (`kind` and `choices`).
    pub fn from_row(kind: &str, choices: Vec<String>) -> Self {
        match kind {
            "number" => Self::Number,
            "date" => Self::Date,
            "boolean" => Self::Boolean,
            "choice" => Self::Choice(choices),
            _ => Self::Text,
        }
    }

    /// `text`, `number`, `date`, `boolean` or `choice`, as `contact_fields.kind` holds it.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Number => "number",
            Self::Date => "date",
            Self::Boolean => "boolean",
            Self::Choice(_) => "choice",
        }
    }

    pub fn choices(&self) -> &[String] {
        match self {
            Self::Choice(choices) => choices,
            _ => &[],
        }
    }

    /// The value to store for a text as a person writes it, or why the text is not one:
    /// a number (`1,5` or `1.5`), a date, yes or no, one of the choices (in any case).
    pub fn read(&self, text: &str) -> Result<Value, String> {
        match self {
            Self::Text => {
                if text.chars().count() > MAX_TEXT {
                    Err(format!("is longer than {MAX_TEXT} characters"))
                } else {
                    Ok(Value::String(text.to_owned()))
                }
            }
            Self::Number => {
                let normal = if text.contains('.') {
                    text.replace(',', "")
                } else {
                    text.replace(',', ".")
                };
                normal
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite())
                    .and_then(serde_json::Number::from_f64)
                    .map(Value::Number)
                    .ok_or_else(|| format!("`{}` is not a number", clip(text)))
            }
            Self::Date => read_date(text)
                .map(|d| Value::String(d.format("%Y-%m-%d").to_string()))
                .ok_or_else(|| format!("`{}` is not a date (YYYY-MM-DD)", clip(text))),
            Self::Boolean => yes_or_no(text)
                .map(Value::Bool)
                .ok_or_else(|| format!("`{}` is not yes or no", clip(text))),
            Self::Choice(choices) => choices
                .iter()
                .find(|c| c.eq_ignore_ascii_case(text) || c.to_lowercase() == text.to_lowercase())
                .map(|c| Value::String(c.clone()))
                .ok_or_else(|| format!("`{}` is not one of its choices", clip(text))),
        }
    }
}

/// A stored field value as a person reads and writes it (what [`FieldKind::read`] takes
/// back): `2024-01-31`, `12.5`, `yes`.
pub fn field_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Bool(true) => "yes".to_owned(),
        Value::Bool(false) => "no".to_owned(),
        Value::Null => String::new(),
        // A whole number reads without `.0`.
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            _ => n.to_string(),
        },
        other => other.to_string(),
    }
}

pub(crate) fn read_date(text: &str) -> Option<chrono::NaiveDate> {
    let text = text.trim();
    // XLSX dates come as ISO, possibly with a time.
    let day = text.get(..10).unwrap_or(text);
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .or_else(|_| chrono::NaiveDate::parse_from_str(text, "%d.%m.%Y"))
        .ok()
}

pub(crate) fn yes_or_no(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "sim" | "s" | "sí" | "si" | "x" => Some(true),
        "no" | "n" | "false" | "0" | "não" | "nao" => Some(false),
        _ => None,
    }
}

/// The start of a text quoted in a reason, so that a reason stays short.
pub(crate) fn clip(text: &str) -> String {
    let mut clipped: String = text.chars().take(40).collect();
    if clipped.len() < text.len() {
        clipped.push('…');
    }
    clipped
}

/// The name a business gives a contact.
pub fn read_name(text: &str) -> Result<String, String> {
    let name = text.trim();
    if name.chars().count() > MAX_NAME {
        Err(format!("the name is longer than {MAX_NAME} characters"))
    } else if name.chars().any(char::is_control) {
        Err("the name contains control characters".into())
    } else {
        Ok(name.to_owned())
    }
}

pub fn read_email(text: &str) -> Result<String, String> {
    EmailAddress::parse(text)
        .map(|e| e.as_str().to_owned())
        .map_err(|_| format!("`{}` is not an e-mail address", clip(text)))
}

pub fn read_language(text: &str) -> Result<String, String> {
    LanguageTag::parse(text)
        .map(|l| l.as_str().to_owned())
        .map_err(|_| {
            format!(
                "`{}` is not a language code (such as pt or en_US)",
                clip(text)
            )
        })
}

/// An ISO 3166 alpha-2 code, in capitals.
pub fn read_country(text: &str) -> Result<String, String> {
    let code = text.trim().to_ascii_uppercase();
    if code.parse::<CountryId>().is_err() {
        return Err(format!(
            "`{}` is not a country code (such as BR)",
            clip(text)
        ));
    }
    Ok(code)
}

/// An IANA time zone name by its shape (`America/Sao_Paulo`).
pub fn read_time_zone(text: &str) -> Result<String, String> {
    let zone = text.trim();
    let shaped = zone.len() <= 64
        && zone.contains('/')
        && zone
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/_+-".contains(&b));
    if shaped {
        Ok(zone.to_owned())
    } else {
        Err(format!(
            "`{}` is not a time zone (such as America/Sao_Paulo)",
            clip(zone)
        ))
    }
}

/// A tag, trimmed and lower-case; none for a blank one.
pub fn read_tag(text: &str) -> Result<Option<String>, String> {
    let tag = normal_tag(text);
    if tag.is_empty() {
        return Ok(None);
    }
    if tag.chars().count() > MAX_TAG || tag.chars().any(char::is_control) {
        return Err(format!(
            "the tag `{}` is longer than {MAX_TAG} characters",
            clip(&tag)
        ));
    }
    Ok(Some(tag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_values_are_read_by_kind_and_read_back_as_written() {
        let plan = FieldKind::Choice(vec!["Gold".into(), "Silver".into()]);
        assert_eq!(plan.read("gold").unwrap(), "Gold");
        assert_eq!(
            plan.read("Bronze").unwrap_err(),
            "`Bronze` is not one of its choices"
        );
        assert_eq!(FieldKind::Number.read("1,5").unwrap(), 1.5);
        assert_eq!(FieldKind::Number.read("1,234.5").unwrap(), 1234.5);
        assert!(FieldKind::Number.read("NaN").is_err());
        assert_eq!(FieldKind::Date.read("31/01/2024").unwrap(), "2024-01-31");
        assert_eq!(FieldKind::Boolean.read("sim").unwrap(), true);
        for (kind, text) in [
            (FieldKind::Date, "2024-01-31"),
            (FieldKind::Number, "12.5"),
            (FieldKind::Number, "12"),
            (FieldKind::Boolean, "no"),
            (FieldKind::Text, "São Paulo"),
        ] {
            let value = kind.read(text).unwrap();
            assert_eq!(field_text(&value), text);
            assert_eq!(kind.read(&field_text(&value)).unwrap(), value);
        }
    }

    #[test]
    fn profile_values_are_checked_as_an_import_checks_them() {
        assert_eq!(read_country(" br ").unwrap(), "BR");
        assert!(read_country("XX").is_err());
        assert_eq!(read_language("pt-br").unwrap(), "pt_BR");
        assert!(read_time_zone("Sao Paulo").is_err());
        assert_eq!(read_tag(" VIP ").unwrap().as_deref(), Some("vip"));
        assert_eq!(read_tag("  ").unwrap(), None);
        assert!(read_tag(&"x".repeat(65)).is_err());
        assert!(read_name(&"x".repeat(257)).is_err());
        assert_eq!(
            read_email("carla@").unwrap_err(),
            "`carla@` is not an e-mail address"
        );
    }
}
