//! From a row of the file to a contact: the mapping of columns to what a contact has, and
//! the checks that keep a bad row out (with its reason) before anything is written.

use std::{collections::HashMap, fmt};

use phonenumber::country::Id as CountryId;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::ImportError;
pub use crate::contacts::profile::FieldKind;
use crate::{
    contacts::{
        Marketing,
        profile::{
            self, MAX_TAGS, clip, read_country, read_email, read_language, read_tag,
            read_time_zone, yes_or_no,
        },
        time_zones,
    },
    values::E164,
};

/// What a column of the file becomes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    Phone,
    Name,
    Email,
    Language,
    Country,
    TimeZone,
    /// Tags separated by commas, semicolons or `|`.
    Tags,
    /// yes / no (and the like in Portuguese and Spanish): marketing consent.
    Marketing,
    /// One of the organization's contact fields, by key; a new key makes a text field.
    Field(String),
}

impl Target {
    const BUILT_IN: [(&str, Target); 8] = [
        ("phone", Target::Phone),
        ("name", Target::Name),
        ("email", Target::Email),
        ("language", Target::Language),
        ("country", Target::Country),
        ("time_zone", Target::TimeZone),
        ("tags", Target::Tags),
        ("marketing", Target::Marketing),
    ];

    /// `phone`, `name`, `email`, `language`, `country`, `time_zone`, `tags`, `marketing`, or
    /// a contact field's key (`a`–`z` first, then letters, digits or `_`, up to 40).
    pub fn parse(text: &str) -> Result<Self, ImportError> {
        let text = text.trim();
        if let Some((_, target)) = Self::BUILT_IN.iter().find(|(name, _)| *name == text) {
            return Ok(target.clone());
        }
        let key_like = text.len() <= 40
            && text.starts_with(|c: char| c.is_ascii_lowercase())
            && text
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if key_like {
            Ok(Self::Field(text.to_owned()))
        } else {
            Err(ImportError::NotATarget(text.chars().take(60).collect()))
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::Field(key) => key,
            built_in => Self::BUILT_IN
                .iter()
                .find(|(_, t)| t == built_in)
                .map_or("", |(name, _)| name),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Target {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Target {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Target::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// One column of the file and what it becomes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping {
    pub column: String,
    pub target: Target,
}

/// A mapping for a file nobody has mapped yet: the organization's last mapping for columns
/// of the same name, else a guess from the column's name (English, Portuguese, Spanish).
pub fn suggest_mapping(headers: &[String], saved: &HashMap<String, Target>) -> Vec<ColumnMapping> {
    let mut taken = Vec::new();
    let mut mapping = Vec::new();
    for column in headers {
        let key = column.trim().to_lowercase();
        let target = saved.get(&key).cloned().or_else(|| guess(&key));
        // A single-valued target goes to the first column that claims it.
        if let Some(target) = target.filter(|t| !taken.contains(t)) {
            taken.push(target.clone());
            mapping.push(ColumnMapping {
                column: column.clone(),
                target,
            });
        }
    }
    mapping
}

fn guess(name: &str) -> Option<Target> {
    let words: String = name
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let has = |candidates: &[&str]| words.split_whitespace().any(|w| candidates.contains(&w));
    if has(&[
        "phone",
        "mobile",
        "cell",
        "whatsapp",
        "telefone",
        "celular",
        "fone",
        "teléfono",
        "telefono",
        "móvil",
        "movil",
        "número",
        "numero",
        "number",
        "msisdn",
        "tel",
    ]) {
        Some(Target::Phone)
    } else if has(&["email", "mail", "correo"]) {
        Some(Target::Email)
    } else if has(&["name", "nome", "nombre", "contact", "contato", "contacto"]) {
        Some(Target::Name)
    } else if has(&[
        "tags",
        "tag",
        "etiquetas",
        "etiqueta",
        "groups",
        "grupos",
        "labels",
    ]) {
        Some(Target::Tags)
    } else if has(&["language", "idioma", "lang"]) {
        Some(Target::Language)
    } else if has(&["country", "país", "pais"]) {
        Some(Target::Country)
    } else if has(&["timezone", "fuso"]) || name.replace([' ', '-'], "_") == "time_zone" {
        Some(Target::TimeZone)
    } else if has(&[
        "opt",
        "optin",
        "consent",
        "consentimento",
        "marketing",
        "ofertas",
        "newsletter",
        "promoções",
        "promocoes",
        "promociones",
    ]) {
        Some(Target::Marketing)
    } else {
        None
    }
}

/// A row as the contact it becomes.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactDraft {
    /// E.164, with `+`.
    pub phone: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub language: Option<String>,
    /// From the file when mapped, else from the number.
    pub country: Option<String>,
    pub time_zone: Option<String>,
    pub tags: Vec<String>,
    pub fields: Map<String, Value>,
    pub marketing: Option<Marketing>,
}

impl ContactDraft {
    /// The phone's digits, as `contacts.wa_id` holds them.
    pub fn wa_id(&self) -> &str {
        self.phone.trim_start_matches('+')
    }
}

/// Reads rows of one file with one mapping.
#[derive(Debug, Clone)]
pub struct RowReader {
    phone: usize,
    name: Option<usize>,
    email: Option<usize>,
    language: Option<usize>,
    country: Option<usize>,
    time_zone: Option<usize>,
    tags: Option<usize>,
    marketing: Option<usize>,
    fields: Vec<(usize, String, FieldKind)>,
    default_country: Option<CountryId>,
}

impl RowReader {
    /// Checks `mapping` against the file's `headers` and the organization's `fields`
    /// (a key not among them will be a text field).
    pub fn new(
        headers: &[String],
        mapping: &[ColumnMapping],
        fields: &HashMap<String, FieldKind>,
        default_country: Option<&str>,
    ) -> Result<Self, ImportError> {
        let default_country = default_country
            .map(|c| {
                c.trim()
                    .to_ascii_uppercase()
                    .parse::<CountryId>()
                    .map_err(|_| ImportError::NotACountry(clip(c)))
            })
            .transpose()?;
        let mut seen: Vec<&Target> = Vec::new();
        let mut index_of = HashMap::new();
        for m in mapping {
            let index = headers
                .iter()
                .position(|h| h == &m.column)
                .ok_or_else(|| ImportError::NoSuchColumn(clip(&m.column)))?;
            if seen.contains(&&m.target) {
                return Err(ImportError::TargetTwice(m.target.to_string()));
            }
            seen.push(&m.target);
            index_of.insert(m.target.clone(), index);
        }
        let at = |t: Target| index_of.get(&t).copied();
        let phone = at(Target::Phone).ok_or(ImportError::NoPhoneColumn)?;
        let fields = index_of
            .iter()
            .filter_map(|(t, &i)| match t {
                Target::Field(key) => Some((
                    i,
                    key.clone(),
                    fields.get(key).cloned().unwrap_or(FieldKind::Text),
                )),
                _ => None,
            })
            .collect();
        Ok(Self {
            phone,
            name: at(Target::Name),
            email: at(Target::Email),
            language: at(Target::Language),
            country: at(Target::Country),
            time_zone: at(Target::TimeZone),
            tags: at(Target::Tags),
            marketing: at(Target::Marketing),
            fields,
            default_country,
        })
    }

    pub fn maps_marketing(&self) -> bool {
        self.marketing.is_some()
    }

    pub fn maps_country(&self) -> bool {
        self.country.is_some()
    }

    pub fn maps_time_zone(&self) -> bool {
        self.time_zone.is_some()
    }

    /// The contact a row becomes, or why it cannot be one. Blank cells are "not given".
    pub fn read(&self, cells: &[String]) -> Result<ContactDraft, String> {
        let cell = |i: Option<usize>| {
            i.and_then(|i| cells.get(i))
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
        };
        let raw_phone = cell(Some(self.phone)).ok_or("no phone number")?;
        let (phone, place) = E164::parse_in(raw_phone, self.default_country).map_err(|_| {
            if self.default_country.is_some() {
                format!("`{}` is not a valid phone number", clip(raw_phone))
            } else {
                format!(
                    "`{}` is not a valid phone number (without a default country, a number needs its country code)",
                    clip(raw_phone)
                )
            }
        })?;
        let name = cell(self.name).map(profile::read_name).transpose()?;
        let email = cell(self.email).map(read_email).transpose()?;
        let language = cell(self.language).map(read_language).transpose()?;
        let country = match cell(self.country) {
            Some(c) => Some(read_country(c)?),
            None => place,
        };
        let time_zone = match cell(self.time_zone) {
            Some(z) => Some(read_time_zone(z)?),
            None => country
                .as_deref()
                .and_then(time_zones::for_country)
                .map(str::to_owned),
        };
        let mut tags: Vec<String> = Vec::new();
        if let Some(text) = cell(self.tags) {
            for tag in text.split([',', ';', '|']) {
                if let Some(tag) = read_tag(tag)?
                    && !tags.contains(&tag)
                {
                    tags.push(tag);
                }
            }
            if tags.len() > MAX_TAGS {
                return Err(format!("more than {MAX_TAGS} tags"));
            }
        }
        let marketing = cell(self.marketing)
            .map(|m| match m.trim().to_lowercase().as_str() {
                "opted_in" | "opt-in" | "optin" | "subscribed" => Ok(Marketing::OptedIn),
                "opted_out" | "opt-out" | "optout" | "unsubscribed" => Ok(Marketing::OptedOut),
                other => match yes_or_no(other) {
                    Some(true) => Ok(Marketing::OptedIn),
                    Some(false) => Ok(Marketing::OptedOut),
                    None => Err(format!(
                        "`{}` is not a marketing consent (yes or no)",
                        clip(m)
                    )),
                },
            })
            .transpose()?;
        let mut fields = Map::new();
        for (index, key, kind) in &self.fields {
            if let Some(text) = cell(Some(*index)) {
                let value = kind.read(text).map_err(|why| format!("{key}: {why}"))?;
                fields.insert(key.clone(), value);
            }
        }
        Ok(ContactDraft {
            phone: phone.as_str().to_owned(),
            name,
            email,
            language,
            country,
            time_zone,
            tags,
            fields,
            marketing,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn columns_are_guessed_in_three_languages_and_a_saved_mapping_wins() {
        let names = headers(&[
            "Nome",
            "Celular",
            "E-mail",
            "Grupos",
            "Cidade",
            "Telefone 2",
        ]);
        let guessed = suggest_mapping(&names, &HashMap::new());
        let pairs: Vec<(&str, &str)> = guessed
            .iter()
            .map(|m| (m.column.as_str(), m.target.as_str()))
            .collect();
        // The second phone column is left alone: one column per target.
        assert_eq!(
            pairs,
            [
                ("Nome", "name"),
                ("Celular", "phone"),
                ("E-mail", "email"),
                ("Grupos", "tags")
            ]
        );
        let saved = HashMap::from([("cidade".to_owned(), Target::Field("city".into()))]);
        let with_saved = suggest_mapping(&names, &saved);
        assert!(with_saved.contains(&ColumnMapping {
            column: "Cidade".into(),
            target: Target::Field("city".into())
        }));
    }

    #[test]
    fn a_row_becomes_a_contact_with_its_place_from_the_number() {
        let names = headers(&["Name", "Phone", "Tags", "Plan", "Since", "Opt-in"]);
        let mapping = [
            ("Name", "name"),
            ("Phone", "phone"),
            ("Tags", "tags"),
            ("Plan", "plan"),
            ("Since", "since"),
            ("Opt-in", "marketing"),
        ]
        .map(|(c, t)| ColumnMapping {
            column: c.into(),
            target: Target::parse(t).unwrap(),
        });
        let fields = HashMap::from([
            (
                "plan".to_owned(),
                FieldKind::Choice(vec!["Gold".into(), "Silver".into()]),
            ),
            ("since".to_owned(), FieldKind::Date),
        ]);
        let reader = RowReader::new(&names, &mapping, &fields, Some("BR")).unwrap();
        let contact = reader
            .read(&row(&[
                "Ana Souza",
                "(11) 98765-0001",
                "VIP; Loja Centro,vip",
                "gold",
                "31/01/2024",
                "sim",
            ]))
            .unwrap();
        assert_eq!(contact.phone, "+5511987650001");
        assert_eq!(contact.wa_id(), "5511987650001");
        assert_eq!(contact.country.as_deref(), Some("BR"));
        assert_eq!(contact.time_zone.as_deref(), Some("America/Sao_Paulo"));
        assert_eq!(contact.tags, ["vip", "loja centro"]);
        assert_eq!(contact.fields["plan"], "Gold");
        assert_eq!(contact.fields["since"], "2024-01-31");
        assert_eq!(contact.marketing, Some(Marketing::OptedIn));

        let reasons: Vec<String> = [
            row(&["Bia", "", "", "", "", ""]),
            row(&["Bia", "12", "", "", "", ""]),
            row(&["Bia", "+5511987650002", "", "Bronze", "", ""]),
            row(&["Bia", "+5511987650002", "", "", "yesterday", ""]),
            row(&["Bia", "+5511987650002", "", "", "", "maybe"]),
        ]
        .iter()
        .map(|r| reader.read(r).unwrap_err())
        .collect();
        assert_eq!(
            reasons,
            [
                "no phone number",
                "`12` is not a valid phone number",
                "plan: `Bronze` is not one of its choices",
                "since: `yesterday` is not a date (YYYY-MM-DD)",
                "`maybe` is not a marketing consent (yes or no)",
            ]
        );
    }

    #[test]
    fn a_mapping_must_name_real_columns_once_and_a_phone() {
        let names = headers(&["Name", "Phone"]);
        let map = |pairs: &[(&str, &str)]| -> Vec<ColumnMapping> {
            pairs
                .iter()
                .map(|(c, t)| ColumnMapping {
                    column: c.to_string(),
                    target: Target::parse(t).unwrap(),
                })
                .collect()
        };
        let fields = HashMap::new();
        let error = |pairs: &[(&str, &str)]| {
            RowReader::new(&names, &map(pairs), &fields, None)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            error(&[("Name", "name")]),
            "map one column to the phone number"
        );
        assert_eq!(
            error(&[("Phone", "phone"), ("Mobile", "name")]),
            "the file has no column `Mobile`"
        );
        assert_eq!(
            error(&[("Phone", "phone"), ("Name", "phone")]),
            "only one column can be the phone"
        );
        assert!(Target::parse("Not A Key").is_err());
        assert!(RowReader::new(&names, &map(&[("Phone", "phone")]), &fields, Some("XX")).is_err());
    }
}
