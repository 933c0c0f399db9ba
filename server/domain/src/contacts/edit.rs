//! Editing a contact by hand (the contact page) or through the API: what the business keeps
//! about the customer. The phone number is the customer's and is not edited; consent has its
//! own operation, with its history.

use chrono::Utc;
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use serde_json::{Value, json};
use uuid::Uuid;
use wagent_db::schema::contacts;

use super::{
    Contact, ContactError,
    fields::field_kinds,
    profile::{
        MAX_TAGS, read_country, read_email, read_language, read_name, read_tag, read_time_zone,
    },
};
use crate::{
    Access, CommonError, Domain, Role,
    organizations::audit::{self, Entry},
};

/// The most tags, and the most field values, one change names.
pub const MAX_CHANGES: usize = 100;

/// What to change on a contact: `None` leaves a value as it is, `Some(None)` (or a blank
/// text) clears it.
#[derive(Debug, Clone, Default)]
pub struct ContactChanges {
    pub name: Option<Option<String>>,
    pub email: Option<Option<String>>,
    pub language: Option<Option<String>>,
    pub country: Option<Option<String>>,
    pub time_zone: Option<Option<String>>,
    /// Replaces every tag (before `add_tags` and `remove_tags` apply).
    pub tags: Option<Vec<String>>,
    pub add_tags: Vec<String>,
    pub remove_tags: Vec<String>,
    /// Field values by key, as a person writes them; none or blank clears the value.
    pub fields: Vec<(String, Option<String>)>,
}

/// A text value given, blank read as none, checked by `read`.
fn given(
    value: Option<Option<String>>,
    read: fn(&str) -> Result<String, String>,
) -> Result<Option<Option<String>>, ContactError> {
    value
        .map(|v| {
            v.filter(|t| !t.trim().is_empty())
                .map(|t| read(&t).map_err(ContactError::Value))
                .transpose()
        })
        .transpose()
}

fn tags(texts: &[String]) -> Result<Vec<String>, ContactError> {
    if texts.len() > MAX_CHANGES {
        return Err(ContactError::Value(format!(
            "name at most {MAX_CHANGES} tags at once"
        )));
    }
    let mut kept = Vec::new();
    for text in texts {
        if let Some(tag) = read_tag(text).map_err(ContactError::Value)?
            && !kept.contains(&tag)
        {
            kept.push(tag);
        }
    }
    Ok(kept)
}

impl Domain {
    /// Changes what the business keeps about a contact; every value is checked as an import
    /// checks it, field values against their field's kind. Member.
    pub async fn update_contact(
        &self,
        access: &Access,
        id: Uuid,
        changes: ContactChanges,
    ) -> Result<Contact, ContactError> {
        access.ensure(Role::Member)?;
        let name = given(changes.name, read_name)?;
        let email = given(changes.email, read_email)?;
        let language = given(changes.language, read_language)?;
        let country = given(changes.country, read_country)?;
        let time_zone = given(changes.time_zone, read_time_zone)?;
        let replace = changes.tags.as_deref().map(tags).transpose()?;
        let add = tags(&changes.add_tags)?;
        let remove = tags(&changes.remove_tags)?;
        if changes.fields.len() > MAX_CHANGES {
            return Err(ContactError::Value(format!(
                "change at most {MAX_CHANGES} fields at once"
            )));
        }
        self.tx(access.scope(), async |c| -> Result<_, ContactError> {
            let contact: Contact = contacts::table
                .filter(contacts::id.eq(id))
                .select(Contact::as_select())
                .for_update()
                .first(c)
                .await
                .optional()?
                .ok_or(CommonError::NotFound("contact"))?;
            let mut changed: Vec<&str> = Vec::new();
            let mut note = |what: &'static str, did: bool| {
                if did {
                    changed.push(what);
                }
            };
            let pick = |new: &Option<Option<String>>, old: &Option<String>| match new {
                Some(v) => v.clone(),
                None => old.clone(),
            };
            let new_name = pick(&name, &contact.name);
            let new_email = pick(&email, &contact.email);
            let new_language = pick(&language, &contact.language);
            let new_country = pick(&country, &contact.country);
            let new_time_zone = pick(&time_zone, &contact.time_zone);
            note("name", new_name != contact.name);
            note("email", new_email != contact.email);
            note("language", new_language != contact.language);
            note("country", new_country != contact.country);
            note("time_zone", new_time_zone != contact.time_zone);

            let mut new_tags = replace.clone().unwrap_or_else(|| contact.tags.clone());
            for tag in &add {
                if !new_tags.contains(tag) {
                    new_tags.push(tag.clone());
                }
            }
            new_tags.retain(|t| !remove.contains(t));
            if new_tags.len() > MAX_TAGS {
                return Err(ContactError::Value(format!(
                    "a contact has at most {MAX_TAGS} tags"
                )));
            }
            note("tags", new_tags != contact.tags);

            let mut fields = match contact.fields.clone() {
                Value::Object(map) => map,
                _ => serde_json::Map::new(),
            };
            if !changes.fields.is_empty() {
                let kinds = field_kinds(c).await?;
                for (key, text) in &changes.fields {
                    let kind = kinds
                        .get(key)
                        .ok_or_else(|| ContactError::NoSuchField(key.chars().take(40).collect()))?;
                    match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                        Some(text) => {
                            let value =
                                kind.read(text).map_err(|reason| ContactError::FieldValue {
                                    key: key.clone(),
                                    reason,
                                })?;
                            fields.insert(key.clone(), value);
                        }
                        None => {
                            fields.remove(key);
                        }
                    }
                }
            }
            let fields = Value::Object(fields);
            note("fields", fields != contact.fields);
            if changed.is_empty() {
                return Ok(contact);
            }
            let updated: Contact = diesel::update(contacts::table.filter(contacts::id.eq(id)))
                .set((
                    contacts::name.eq(&new_name),
                    contacts::email.eq(&new_email),
                    contacts::language.eq(&new_language),
                    contacts::country.eq(&new_country),
                    contacts::time_zone.eq(&new_time_zone),
                    contacts::tags.eq(&new_tags),
                    contacts::fields.eq(&fields),
                    contacts::updated_at.eq(Utc::now()),
                ))
                .returning(Contact::as_returning())
                .get_result(c)
                .await?;
            // What changed, not the values: the audit log outlives a contact's erasure.
            audit::record(
                c,
                access.org_id,
                &access.caller,
                Entry {
                    action: "contact.updated",
                    target_type: "contact",
                    target_id: id.to_string(),
                    details: json!({ "changed": changed }),
                },
            )
            .await?;
            Ok(updated)
        })
        .await
    }
}
