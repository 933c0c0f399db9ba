//! The organization's own contact fields (`city`, `plan`, `birthday`): a key, a label and a
//! kind that decides what values contacts may hold under that key (checked by
//! [`FieldKind::read`], the one check imports, the contact page and segments share).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, OptionalExtension, PgJsonbExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use serde_json::json;
use wagent_db::{
    Conn, is_unique_violation,
    schema::{contact_fields, contacts, segments},
};

use super::{ContactError, profile::FieldKind};
use crate::{
    Access, Domain, Role,
    organizations::audit::{self, Entry},
};

/// The most fields an organization defines.
pub const MAX_FIELDS: usize = 100;
/// The most choices a choice field offers.
pub const MAX_CHOICES: usize = 100;
/// The longest label, and the longest choice.
const MAX_LABEL: usize = 100;
/// What a contact already has: a field of that name could never be mapped by an import.
const BUILT_IN: [&str; 12] = [
    "phone",
    "name",
    "email",
    "language",
    "country",
    "time_zone",
    "tags",
    "marketing",
    "id",
    "wa_id",
    "user_id",
    "username",
];

/// One of the organization's contact fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactField {
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    pub created_at: DateTime<Utc>,
}

type FieldRow = (String, String, String, Vec<String>, DateTime<Utc>);

impl From<FieldRow> for ContactField {
    fn from((key, label, kind, choices, created_at): FieldRow) -> Self {
        Self {
            key,
            label,
            kind: FieldKind::from_row(&kind, choices),
            created_at,
        }
    }
}

const FIELD_COLUMNS: (
    contact_fields::key,
    contact_fields::label,
    contact_fields::kind,
    contact_fields::choices,
    contact_fields::created_at,
) = (
    contact_fields::key,
    contact_fields::label,
    contact_fields::kind,
    contact_fields::choices,
    contact_fields::created_at,
);

/// The organization's fields in the order they were defined, in the caller's transaction.
pub(crate) async fn load_fields(c: &mut Conn) -> Result<Vec<ContactField>, ContactError> {
    let rows: Vec<FieldRow> = contact_fields::table
        .select(FIELD_COLUMNS)
        .order((contact_fields::created_at, contact_fields::key))
        .load(c)
        .await?;
    Ok(rows.into_iter().map(ContactField::from).collect())
}

/// The kind of each field, by key.
pub(crate) async fn field_kinds(c: &mut Conn) -> Result<HashMap<String, FieldKind>, ContactError> {
    Ok(load_fields(c)
        .await?
        .into_iter()
        .map(|f| (f.key, f.kind))
        .collect())
}

fn check_key(key: &str) -> Result<String, ContactError> {
    let key = key.trim();
    let shaped = (1..=40).contains(&key.len())
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !shaped {
        return Err(ContactError::NotAFieldKey(key.chars().take(60).collect()));
    }
    if BUILT_IN.contains(&key) {
        return Err(ContactError::BuiltInKey(key.to_owned()));
    }
    Ok(key.to_owned())
}

fn check_label(label: &str) -> Result<String, ContactError> {
    let label = label.trim();
    if label.is_empty() {
        return Err(ContactError::Value("the label must not be empty".into()));
    }
    if label.chars().count() > MAX_LABEL || label.chars().any(char::is_control) {
        return Err(ContactError::Value(format!(
            "the label must be at most {MAX_LABEL} characters, without control characters"
        )));
    }
    Ok(label.to_owned())
}

/// A kind named `text`, `number`, `date`, `boolean` or `choice`; only a choice field has
/// choices (1 to 100, distinct whatever their case).
pub fn field_kind(kind: &str, choices: Vec<String>) -> Result<FieldKind, ContactError> {
    let kind = match kind {
        "text" => FieldKind::Text,
        "number" => FieldKind::Number,
        "date" => FieldKind::Date,
        "boolean" => FieldKind::Boolean,
        "choice" => FieldKind::Choice(check_choices(choices)?),
        other => {
            return Err(ContactError::NotAFieldKind(
                other.chars().take(40).collect(),
            ));
        }
    };
    Ok(kind)
}

fn check_choices(choices: Vec<String>) -> Result<Vec<String>, ContactError> {
    if choices.is_empty() {
        return Err(ContactError::Value(
            "a choice field needs at least one choice".into(),
        ));
    }
    if choices.len() > MAX_CHOICES {
        return Err(ContactError::Value(format!(
            "a choice field has at most {MAX_CHOICES} choices"
        )));
    }
    let mut kept: Vec<String> = Vec::with_capacity(choices.len());
    for choice in choices {
        let choice = choice.trim().to_owned();
        if choice.is_empty()
            || choice.chars().count() > MAX_LABEL
            || choice.chars().any(char::is_control)
        {
            return Err(ContactError::Value(format!(
                "a choice is 1 to {MAX_LABEL} characters, without control characters"
            )));
        }
        if kept
            .iter()
            .any(|k| k.to_lowercase() == choice.to_lowercase())
        {
            return Err(ContactError::Value(format!(
                "the choice `{choice}` is given twice"
            )));
        }
        kept.push(choice);
    }
    Ok(kept)
}

impl Domain {
    /// The organization's contact fields, in the order they were defined.
    pub async fn contact_fields(&self, access: &Access) -> Result<Vec<ContactField>, ContactError> {
        access.ensure(Role::Member)?;
        self.tx(access.scope(), async |c| load_fields(c).await)
            .await
    }

    /// Defines a contact field. Admin or Owner. `choices` only for a choice field.
    pub async fn define_contact_field(
        &self,
        access: &Access,
        key: &str,
        label: &str,
        kind: &str,
        choices: Vec<String>,
    ) -> Result<ContactField, ContactError> {
        access.ensure(Role::Admin)?;
        let key = check_key(key)?;
        let label = check_label(label)?;
        if kind != "choice" && !choices.is_empty() {
            return Err(ContactError::Value(format!(
                "only a choice field has choices; `{key}` is a {kind} field"
            )));
        }
        let kind = field_kind(kind, choices)?;
        self.tx(access.scope(), async |c| -> Result<_, ContactError> {
            let count: i64 = contact_fields::table.count().get_result(c).await?;
            if count as usize >= MAX_FIELDS {
                return Err(ContactError::TooManyFields(MAX_FIELDS));
            }
            let row: FieldRow = diesel::insert_into(contact_fields::table)
                .values((
                    contact_fields::org_id.eq(access.org_id),
                    contact_fields::key.eq(&key),
                    contact_fields::label.eq(&label),
                    contact_fields::kind.eq(kind.as_str()),
                    contact_fields::choices.eq(kind.choices()),
                ))
                .returning(FIELD_COLUMNS)
                .get_result(c)
                .await
                .map_err(|e| {
                    if is_unique_violation(&e) {
                        ContactError::FieldTaken(key.clone())
                    } else {
                        e.into()
                    }
                })?;
            audit::record(
                c,
                access.org_id,
                &access.caller,
                Entry {
                    action: "contact_field.defined",
                    target_type: "contact_field",
                    target_id: key.clone(),
                    details: json!({ "label": label, "kind": kind.as_str(), "choices": kind.choices() }),
                },
            )
            .await?;
            Ok(row.into())
        })
        .await
    }

    /// Renames a field or changes its choices (its kind stays: values already given would
    /// not fit another). Values contacts already hold stay as they are. Admin or Owner.
    pub async fn update_contact_field(
        &self,
        access: &Access,
        key: &str,
        label: Option<&str>,
        choices: Option<Vec<String>>,
    ) -> Result<ContactField, ContactError> {
        access.ensure(Role::Admin)?;
        let label = label.map(check_label).transpose()?;
        self.tx(access.scope(), async |c| -> Result<_, ContactError> {
            let row: Option<FieldRow> = contact_fields::table
                .filter(contact_fields::key.eq(key))
                .select(FIELD_COLUMNS)
                .for_update()
                .first(c)
                .await
                .optional()?;
            let field =
                ContactField::from(row.ok_or_else(|| ContactError::NoSuchField(key.into()))?);
            let choices = match (choices, &field.kind) {
                (None, kind) => kind.choices().to_vec(),
                (Some(given), FieldKind::Choice(_)) => check_choices(given)?,
                (Some(given), kind) if given.is_empty() => kind.choices().to_vec(),
                (Some(_), kind) => {
                    return Err(ContactError::Value(format!(
                        "only a choice field has choices; `{key}` is a {} field",
                        kind.as_str()
                    )));
                }
            };
            let label = label.unwrap_or(field.label);
            let row: FieldRow =
                diesel::update(contact_fields::table.filter(contact_fields::key.eq(key)))
                    .set((
                        contact_fields::label.eq(&label),
                        contact_fields::choices.eq(&choices),
                    ))
                    .returning(FIELD_COLUMNS)
                    .get_result(c)
                    .await?;
            audit::record(
                c,
                access.org_id,
                &access.caller,
                Entry {
                    action: "contact_field.updated",
                    target_type: "contact_field",
                    target_id: key.to_owned(),
                    details: json!({ "label": label, "choices": choices }),
                },
            )
            .await?;
            Ok(row.into())
        })
        .await
    }

    /// Deletes a field and its values from every contact, in one transaction; refused while a
    /// segment's condition names it. The number of contacts that held a value. Admin or Owner.
    pub async fn delete_contact_field(
        &self,
        access: &Access,
        key: &str,
    ) -> Result<usize, ContactError> {
        access.ensure(Role::Admin)?;
        self.tx(access.scope(), async |c| -> Result<_, ContactError> {
            let users: Vec<String> = segments::table
                .filter(segments::filter.contains(json!({ "fields": [{ "key": key }] })))
                .select(segments::name)
                .order(segments::name)
                .limit(5)
                .load(c)
                .await?;
            if !users.is_empty() {
                return Err(ContactError::FieldInUse {
                    key: key.to_owned(),
                    segments: users
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
            let gone = diesel::delete(contact_fields::table.filter(contact_fields::key.eq(key)))
                .execute(c)
                .await?;
            if gone == 0 {
                return Err(ContactError::NoSuchField(key.to_owned()));
            }
            let cleared = diesel::update(contacts::table.filter(contacts::fields.has_key(key)))
                .set((
                    contacts::fields.eq(contacts::fields.remove(key)),
                    contacts::updated_at.eq(Utc::now()),
                ))
                .execute(c)
                .await?;
            audit::record(
                c,
                access.org_id,
                &access.caller,
                Entry {
                    action: "contact_field.deleted",
                    target_type: "contact_field",
                    target_id: key.to_owned(),
                    details: json!({ "contacts_cleared": cleared }),
                },
            )
            .await?;
            Ok(cleared)
        })
        .await
    }
}
