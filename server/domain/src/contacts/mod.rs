//! Contacts: one per person per organization, shared by the inbox and campaigns. What
//! WhatsApp tells (phone, user id, profile name) beside what the business keeps (name,
//! e-mail, language, country and time zone, tags, its own fields) and the customer's
//! marketing consent.

pub(crate) mod consent;
mod edit;
mod erase;
mod error;
pub mod fields;
pub mod imports;
pub mod profile;
pub mod segments;
pub mod time_zones;

pub use self::{
    consent::{ConsentEvent, ConsentSource},
    edit::ContactChanges,
    erase::Erased,
    error::ContactError,
    fields::ContactField,
    profile::FieldKind,
};

use chrono::{DateTime, Utc};
use diesel::{
    BoolExpressionMethods, ExpressionMethods, PgArrayExpressionMethods, PgTextExpressionMethods,
    QueryDsl, SelectableHelper, TextExpressionMethods,
};
use diesel_async::RunQueryDsl;
use uuid::Uuid;
use wagent_db::{LiteralLimitDsl, schema::contacts};

use crate::{
    Access, CommonError, Domain, Page, Role,
    values::{E164, InvalidValue, page_size, text_column},
};

/// Who a customer is, as a list of conversations shows them: the columns the inbox's rows
/// need, so that its hot read neither reads nor decodes the rest of the contact.
#[derive(Debug, Clone, PartialEq, Eq, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = contacts)]
pub struct ContactCard {
    pub id: Uuid,
    pub wa_id: Option<String>,
    pub user_id: Option<String>,
    pub profile_name: Option<String>,
    pub username: Option<String>,
    pub name: Option<String>,
}

/// A customer of the organization.
#[derive(Debug, Clone, PartialEq, Eq, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = contacts)]
pub struct Contact {
    pub id: Uuid,
    /// The customer's phone number; none for a customer known only by user id.
    pub wa_id: Option<String>,
    /// Meta's business-scoped user id (`BR.1…`), since 2026-03-31.
    pub user_id: Option<String>,
    pub profile_name: Option<String>,
    /// The customer's WhatsApp username, when they have one.
    pub username: Option<String>,
    pub created_at: DateTime<Utc>,
    /// The name the business gave the contact (the profile name is the customer's own).
    pub name: Option<String>,
    pub email: Option<String>,
    pub language: Option<String>,
    /// ISO 3166 alpha-2, from the number unless the business set it.
    pub country: Option<String>,
    /// IANA name, from the country unless the business set it.
    pub time_zone: Option<String>,
    pub tags: Vec<String>,
    /// Values of the organization's contact fields, by key.
    pub fields: serde_json::Value,
    pub marketing: Marketing,
    pub marketing_source: Option<String>,
    pub marketing_at: Option<DateTime<Utc>>,
    pub last_inbound_at: Option<DateTime<Utc>>,
    pub last_outbound_at: Option<DateTime<Utc>>,
}

impl Contact {
    /// The customer's phone number, for sending; none for a customer known only by user id
    /// (or an old row whose wa_id is not a number: such rows were moved to `user_id`).
    pub fn phone(&self) -> Option<E164> {
        self.wa_id.as_deref().and_then(|w| E164::from_wa_id(w).ok())
    }

    /// The name to show: the business's, else the customer's profile name.
    pub fn display_name(&self) -> Option<&str> {
        self.name.as_deref().or(self.profile_name.as_deref())
    }
}

/// Where a contact stands on marketing messages.
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
pub enum Marketing {
    /// Neither the customer nor the business has said.
    Unknown,
    OptedIn,
    /// Excluded from every campaign until the customer opts in again.
    OptedOut,
}

impl Marketing {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unknown => "unknown",
            Self::OptedIn => "opted_in",
            Self::OptedOut => "opted_out",
        }
    }

    pub fn parse(text: &str) -> Result<Self, InvalidValue> {
        match text {
            "unknown" => Ok(Self::Unknown),
            "opted_in" => Ok(Self::OptedIn),
            "opted_out" => Ok(Self::OptedOut),
            _ => Err(InvalidValue::Unknown {
                what: "marketing consent",
                value: text.to_owned(),
            }),
        }
    }
}

text_column!(Marketing, |text| Ok(Marketing::parse(&text)?));

/// As stored in a segment's filter: the column's text.
impl serde::Serialize for Marketing {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Marketing {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Marketing::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// The country and time zone a phone number tells, for a new contact.
pub fn place_of(phone: &E164) -> (Option<String>, Option<&'static str>) {
    let country = phonenumber::parse(None, phone.as_str())
        .ok()
        .and_then(|n| n.country().id())
        .map(|id| id.as_ref().to_owned());
    let zone = country.as_deref().and_then(time_zones::for_country);
    (country, zone)
}

/// Filters for the contact list.
#[derive(Debug, Clone, Default)]
pub struct ContactFilter {
    /// Name, profile name, phone, e-mail or username.
    pub search: Option<String>,
    /// Contacts carrying every one of these tags.
    pub tags: Vec<String>,
    pub marketing: Option<Marketing>,
    pub country: Option<String>,
}

impl Domain {
    /// The organization's contacts, newest first.
    pub async fn contacts(
        &self,
        access: &Access,
        filter: &ContactFilter,
        first: Option<i32>,
        after: Option<&str>,
    ) -> Result<Page<Contact>, CommonError> {
        access.ensure(Role::Member)?;
        let limit = page_size(first)?;
        let after = after.map(crate::inbox::TimeCursor::decode).transpose()?;
        let search = filter
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                let s: String = s.chars().take(100).collect();
                format!(
                    "%{}%",
                    s.replace('\\', "\\\\")
                        .replace('%', "\\%")
                        .replace('_', "\\_")
                )
            });
        let tags: Vec<String> = filter.tags.iter().map(|t| normal_tag(t)).collect();
        self.tx(access.scope(), async |c| {
            let mut q = contacts::table
                .filter(contacts::org_id.eq(access.org_id()))
                .select(Contact::as_select())
                .order((contacts::created_at.desc(), contacts::id.desc()))
                .into_boxed();
            if let Some(s) = &search {
                // A number is searched by its digits, however it was typed; fewer than three
                // digits search no number (wa_id holds digits only, so `x` never matches).
                let digits: String = s.chars().filter(char::is_ascii_digit).collect();
                let number = if digits.len() >= 3 {
                    format!("%{digits}%")
                } else {
                    "x".to_owned()
                };
                q = q.filter(
                    contacts::name
                        .ilike(s.clone())
                        .or(contacts::profile_name.ilike(s.clone()))
                        .or(contacts::email.ilike(s.clone()))
                        .or(contacts::username.ilike(s.clone()))
                        .or(contacts::user_id.ilike(s.clone()))
                        .or(contacts::wa_id.like(number)),
                );
            }
            if !tags.is_empty() {
                q = q.filter(contacts::tags.contains(tags.clone()));
            }
            if let Some(m) = filter.marketing {
                q = q.filter(contacts::marketing.eq(m));
            }
            if let Some(country) = &filter.country {
                q = q.filter(contacts::country.eq(country.to_uppercase()));
            }
            if let Some(after) = after {
                q = q.filter(
                    contacts::created_at.lt(after.at).or(contacts::created_at
                        .eq(after.at)
                        .and(contacts::id.lt(after.id))),
                );
            }
            Ok(Page::from_rows(
                q.literal_limit(limit + 1).load(c).await?,
                limit,
            ))
        })
        .await
    }
}

/// Tags are compared and stored trimmed and lower-case, as conversation labels are.
pub fn normal_tag(tag: &str) -> String {
    tag.trim().to_lowercase()
}
