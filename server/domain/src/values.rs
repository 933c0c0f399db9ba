//! Values from outside that can be wrong, parsed once at the edge: names, e-mail addresses,
//! customers' phone numbers, template names and languages. `text_column!` stores such a
//! value, or one of the domain's enums, in a `text` column as the same text it always was.

/// A value that does not parse; every area's error carries it (code `VALIDATION`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidValue {
    #[error("the {0} must not be empty")]
    Empty(&'static str),
    #[error("the {what} must be at most {max} characters")]
    TooLong { what: &'static str, max: usize },
    #[error("at most {max} {what} at once")]
    TooMany { what: &'static str, max: usize },
    #[error("the {0} must not contain control characters")]
    ControlCharacters(&'static str),
    #[error("`{0}` is not an e-mail address")]
    NotAnEmail(String),
    #[error("`first` must be between 1 and 100")]
    PageSize,
    #[error("`after` is not a cursor from this list")]
    Cursor,
    #[error("`{0}` is not a phone number with its country code")]
    NotAPhoneNumber(String),
    #[error(
        "`{0}` is not a template name: 1 to {MAX_TEMPLATE_NAME} lowercase letters, digits and underscores"
    )]
    NotATemplateName(String),
    #[error("`{0}` is not a template language: use Meta's codes, such as en_US, pt_BR or es")]
    NotALanguageTag(String),
    /// Text that names none of an enum's values.
    #[error("`{value}` is not a {what}")]
    Unknown { what: &'static str, value: String },
}

type Result<T> = std::result::Result<T, InvalidValue>;

/// Stores a value in a `text` column as its `as_str()` and reads it back with the given
/// conversion of the column's `String` (which decides what an unknown text becomes); the type
/// derives `diesel::AsExpression` and `diesel::FromSqlRow` with `sql_type = Text`. Also its
/// `Display`, the same text.
macro_rules! text_column {
    ($type:ty, |$text:ident| $read:expr) => {
        impl diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg> for $type {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, diesel::pg::Pg>,
            ) -> diesel::serialize::Result {
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, diesel::pg::Pg>>::to_sql(
                    self.as_str(),
                    out,
                )
            }
        }

        impl diesel::deserialize::FromSql<diesel::sql_types::Text, diesel::pg::Pg> for $type {
            fn from_sql(value: diesel::pg::PgValue<'_>) -> diesel::deserialize::Result<Self> {
                let $text = <String as diesel::deserialize::FromSql<
                    diesel::sql_types::Text,
                    diesel::pg::Pg,
                >>::from_sql(value)?;
                $read
            }
        }

        impl std::fmt::Display for $type {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use text_column;

/// A closed set of values kept in a `text` column: the enum, its texts (`as_str`, `parse`,
/// `ALL`), its column mapping and its serde form (the same texts), from one list. An unknown
/// text read back fails the read.
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident as $what:literal {
            $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            Hash,
            diesel::expression::AsExpression,
            diesel::deserialize::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
        $vis enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }

            pub fn parse(text: &str) -> Result<Self, $crate::values::InvalidValue> {
                match text {
                    $($text => Ok(Self::$variant),)+
                    _ => Err($crate::values::InvalidValue::Unknown {
                        what: $what,
                        value: text.to_owned(),
                    }),
                }
            }
        }

        $crate::values::text_column!($name, |text| Ok($name::parse(&text)?));

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Self::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use text_enum;

/// An organization's display name: 1 to 100 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationName(String);

impl OrganizationName {
    pub fn parse(raw: &str) -> Result<Self> {
        Ok(Self(label(raw, "organization name", 100)?))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A name for an API token: 1 to 100 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenName(String);

impl TokenName {
    pub fn parse(raw: &str) -> Result<Self> {
        Ok(Self(label(raw, "token name", 100)?))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn label(raw: &str, what: &'static str, max: usize) -> Result<String> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(InvalidValue::Empty(what));
    }
    if trimmed.chars().count() > max {
        return Err(InvalidValue::TooLong { what, max });
    }
    if trimmed.chars().any(char::is_control) {
        return Err(InvalidValue::ControlCharacters(what));
    }
    Ok(trimmed.to_owned())
}

/// An e-mail address, lower-cased; checked for shape, not deliverability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self> {
        let email = raw.trim().to_lowercase();
        let invalid = || InvalidValue::NotAnEmail(raw.trim().to_owned());
        if email.len() > 254 || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = email.split_once('@').ok_or_else(invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@');
        if local.is_empty() || local.len() > 64 || !domain_ok {
            return Err(invalid());
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A customer's phone number as WhatsApp knows it, in E.164 form (`+5511987650001`).
///
/// Two ways in. [`E164::parse`] takes a number as a person writes it, with its country code
/// (`+55 11 98765-0001`): it must be a valid number for libphonenumber (the `phonenumber`
/// crate), and is kept in its E.164 form. [`E164::from_wa_id`] takes Meta's wa_id (the
/// number's digits with the country code, no `+`) or one read back from the database: it is
/// read as international and kept digit for digit, even when libphonenumber does not know it
/// as a valid number, because Meta is the authority on who wrote to us and numbering plans
/// change before the library does. Only what is not a number at all is refused (a webhook's
/// sender is then known by that text as a user id, never dropped).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct E164(String);

/// The longest wa_id kept: the `contacts.wa_id` column's limit, beyond E.164's 15 digits
/// in case Meta ever sends a longer one.
const MAX_WA_ID: usize = 64;

impl E164 {
    pub fn parse(raw: &str) -> Result<Self> {
        let invalid = || InvalidValue::NotAPhoneNumber(raw.trim().to_owned());
        let trimmed = raw.trim();
        // Without a `+` the number is read as international, like a wa_id.
        let international = if trimmed.starts_with('+') {
            trimmed.to_owned()
        } else {
            format!("+{trimmed}")
        };
        let number = phonenumber::parse(None, &international).map_err(|_| invalid())?;
        if !phonenumber::is_valid(&number) {
            return Err(invalid());
        }
        Ok(Self(
            number.format().mode(phonenumber::Mode::E164).to_string(),
        ))
    }

    /// A number as people write it in a contact list. With `+` or `00` in front it is
    /// international. Otherwise it is read as a number of `country` (ISO 3166 alpha-2), when
    /// one is given; then, or when that makes no valid number, its digits are tried as
    /// international. Returns the number and the country it belongs to.
    pub fn parse_in(
        raw: &str,
        country: Option<phonenumber::country::Id>,
    ) -> Result<(Self, Option<String>)> {
        let invalid = || InvalidValue::NotAPhoneNumber(raw.trim().to_owned());
        let trimmed = raw.trim();
        let valid = |number: phonenumber::PhoneNumber| {
            phonenumber::is_valid(&number).then(|| {
                let place = number.country().id().map(|id| id.as_ref().to_owned());
                (
                    Self(number.format().mode(phonenumber::Mode::E164).to_string()),
                    place,
                )
            })
        };
        let international = |digits: &str| {
            phonenumber::parse(None, format!("+{digits}"))
                .ok()
                .and_then(valid)
        };
        if let Some(rest) = trimmed.strip_prefix('+') {
            return international(rest).ok_or_else(invalid);
        }
        if let Some(rest) = trimmed.strip_prefix("00") {
            return international(rest).ok_or_else(invalid);
        }
        if !trimmed.bytes().any(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        country
            .and_then(|id| phonenumber::parse(Some(id), trimmed).ok())
            .and_then(valid)
            .or_else(|| international(trimmed))
            .ok_or_else(invalid)
    }

    pub fn from_wa_id(raw: &str) -> Result<Self> {
        let digits = raw.trim();
        let digits = digits.strip_prefix('+').unwrap_or(digits);
        let well_formed =
            (1..=MAX_WA_ID).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
        if !well_formed {
            return Err(InvalidValue::NotAPhoneNumber(raw.trim().to_owned()));
        }
        Ok(Self(format!("+{digits}")))
    }

    /// `+5511987650001`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Meta's form, as sent in `to` and stored in `contacts.wa_id`: `5511987650001`.
    pub fn wa_id(&self) -> &str {
        &self.0[1..]
    }
}

/// The name of a message template, by Meta's rule: 1 to 512 lowercase letters, digits and
/// underscores (`order_update`). Nothing is rewritten: `Order Update` is refused, not guessed.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    Hash,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub struct TemplateName(String);

/// The longest template name Meta takes.
pub const MAX_TEMPLATE_NAME: usize = 512;

impl TemplateName {
    pub fn parse(raw: &str) -> Result<Self> {
        let name = raw.trim();
        let well_formed = (1..=MAX_TEMPLATE_NAME).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !well_formed {
            return Err(InvalidValue::NotATemplateName(name.to_owned()));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

text_column!(TemplateName, |text| Ok(TemplateName::parse(&text)?));

/// The language of a message template, in Meta's form: a language code of two or three
/// letters and, for a regional variant, an underscore and the region (`es`, `fil`, `en_US`,
/// `pt_BR`). A BCP 47 hyphen and either case are accepted (`en-us` is `en_US`), as Meta's
/// own webhooks sometimes write it.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    Hash,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub struct LanguageTag(String);

impl LanguageTag {
    pub fn parse(raw: &str) -> Result<Self> {
        let invalid = || InvalidValue::NotALanguageTag(raw.trim().to_owned());
        let letters = |s: &str, lengths: std::ops::RangeInclusive<usize>| {
            lengths.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphabetic())
        };
        let mut parts = raw.trim().split(['_', '-']);
        let language = parts.next().unwrap_or_default();
        let region = parts.next();
        if parts.next().is_some() || !letters(language, 2..=3) {
            return Err(invalid());
        }
        let language = language.to_ascii_lowercase();
        Ok(Self(match region {
            None => language,
            Some(r) if letters(r, 2..=2) => format!("{language}_{}", r.to_ascii_uppercase()),
            Some(_) => return Err(invalid()),
        }))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

text_column!(LanguageTag, |text| Ok(LanguageTag::parse(&text)?));

/// How many items a page holds: `first` between 1 and 100, 50 when not given.
pub fn page_size(first: Option<i32>) -> Result<i64> {
    match first {
        None => Ok(50),
        Some(n) if (1..=100).contains(&n) => Ok(i64::from(n)),
        Some(_) => Err(InvalidValue::PageSize),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(OrganizationName::parse("  Acme ").unwrap().as_str(), "Acme");
        assert!(OrganizationName::parse("   ").is_err());
        assert!(OrganizationName::parse(&"x".repeat(101)).is_err());
        assert!(OrganizationName::parse("a\u{0}b").is_err());
        assert!(OrganizationName::parse(&"é".repeat(100)).is_ok());
    }

    #[test]
    fn emails_are_lowercased_and_checked() {
        assert_eq!(
            EmailAddress::parse(" Bob@Example.COM ").unwrap().as_str(),
            "bob@example.com"
        );
        for bad in [
            "bob",
            "bob@",
            "@example.com",
            "bob@example",
            "b ob@example.com",
            "bob@.com",
            "a@b@c.com",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_phone_number_a_person_writes_must_be_valid_and_is_kept_in_e164() {
        for written in [
            "+55 11 98765-0001",
            "5511987650001",
            " +55 (11) 98765 0001 ",
        ] {
            let phone = E164::parse(written).unwrap();
            assert_eq!(phone.as_str(), "+5511987650001", "{written}");
            assert_eq!(phone.wa_id(), "5511987650001", "{written}");
        }
        assert_eq!(
            E164::parse("+1 201-555-0123").unwrap().wa_id(),
            "12015550123"
        );
        for bad in ["+1 555 000 1111", "+55 11", "0800 123", "call me", ""] {
            assert!(E164::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            E164::parse("call me").unwrap_err().to_string(),
            "`call me` is not a phone number with its country code"
        );
    }

    #[test]
    fn a_contact_list_number_is_read_in_the_default_country_unless_it_says_otherwise() {
        use phonenumber::country::Id;
        let read = |raw: &str, country: Option<Id>| {
            E164::parse_in(raw, country).map(|(n, c)| (n.as_str().to_owned(), c))
        };
        let br = |n: &str| Ok((n.to_owned(), Some("BR".to_owned())));
        // `+` and `00` are international whatever the default country.
        assert_eq!(
            read("+55 11 98765-0001", Some(Id::US)),
            br("+5511987650001")
        );
        assert_eq!(
            read("0055 11 98765-0001", Some(Id::US)),
            br("+5511987650001")
        );
        // A national number takes the default country, with or without its trunk zero.
        assert_eq!(read("(11) 98765-0001", Some(Id::BR)), br("+5511987650001"));
        assert_eq!(read("011 98765 0001", Some(Id::BR)), br("+5511987650001"));
        assert_eq!(
            read("020 7946 0018", Some(Id::GB)),
            Ok(("+442079460018".to_owned(), Some("GB".to_owned())))
        );
        // Digits with their country code but no `+` still read right.
        assert_eq!(read("5511987650001", Some(Id::BR)), br("+5511987650001"));
        assert_eq!(read("5511987650001", Some(Id::GB)), br("+5511987650001"));
        assert_eq!(read("5511987650001", None), br("+5511987650001"));
        for bad in ["98765-0001", "+55 11", "n/a", "", "00"] {
            assert!(read(bad, None).is_err(), "{bad}");
        }
        assert_eq!(
            read("123", Some(Id::BR)).unwrap_err().to_string(),
            "`123` is not a phone number with its country code"
        );
    }

    #[test]
    fn meta_s_wa_id_is_kept_digit_for_digit_even_when_libphonenumber_does_not_know_it() {
        // +1 555 is not a valid North American number, but Meta said this customer wrote.
        let phone = E164::from_wa_id("15550001111").unwrap();
        assert_eq!(phone.as_str(), "+15550001111");
        assert_eq!(phone.wa_id(), "15550001111");
        assert!(E164::parse("15550001111").is_err());
        assert_eq!(
            E164::from_wa_id("+5511987650001").unwrap().wa_id(),
            "5511987650001"
        );
        for bad in [
            "BR.1520436779021845",
            "",
            "+",
            "5511 98765",
            &"1".repeat(65),
        ] {
            assert!(E164::from_wa_id(bad).is_err(), "{bad}");
        }
        assert_eq!(
            E164::from_wa_id("BR.1").unwrap_err().to_string(),
            "`BR.1` is not a phone number with its country code"
        );
    }

    #[test]
    fn template_names_follow_meta_s_rule() {
        assert_eq!(
            TemplateName::parse(" order_update_2 ").unwrap().as_str(),
            "order_update_2"
        );
        assert!(TemplateName::parse(&"a".repeat(512)).is_ok());
        for bad in [
            "",
            "Order_update",
            "order update",
            "order-update",
            "pedido_ção",
        ] {
            assert!(TemplateName::parse(bad).is_err(), "{bad}");
        }
        assert!(TemplateName::parse(&"a".repeat(513)).is_err());
        assert_eq!(
            TemplateName::parse("Order Update").unwrap_err().to_string(),
            "`Order Update` is not a template name: 1 to 512 lowercase letters, digits and underscores"
        );
    }

    #[test]
    fn language_tags_are_read_in_meta_s_form() {
        for (written, tag) in [
            ("en_US", "en_US"),
            ("en-US", "en_US"),
            ("pt_br", "pt_BR"),
            ("es", "es"),
            ("FIL", "fil"),
            (" zh_HK ", "zh_HK"),
        ] {
            assert_eq!(
                LanguageTag::parse(written).unwrap().as_str(),
                tag,
                "{written}"
            );
        }
        for bad in ["", "e", "english", "en_USA", "en_US_x", "en_", "e1", "pt_1"] {
            assert!(LanguageTag::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            LanguageTag::parse("english").unwrap_err().to_string(),
            "`english` is not a template language: use Meta's codes, such as en_US, pt_BR or es"
        );
    }

    #[test]
    fn page_sizes_are_bounded() {
        assert_eq!(page_size(None).unwrap(), 50);
        assert_eq!(page_size(Some(100)).unwrap(), 100);
        assert!(page_size(Some(0)).is_err());
        assert!(page_size(Some(101)).is_err());
    }
}
