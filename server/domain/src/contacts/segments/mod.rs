//! Segments: saved filters over the organization's contacts, counted live, previewed while a
//! person builds one, exported, and used by campaigns as audiences.
//!
//! For campaigns (any code of the domain, inside its own tenant transaction):
//! [`load_segment`] reads a saved segment, [`segment_predicate`] makes its filter one SQL
//! predicate on `contacts` (`contacts::table.filter(segment_predicate(&filter))`, also in an
//! `INSERT ... SELECT`), and [`segment_contact_ids`] selects the ids of its contacts now.

mod filter;
mod predicate;

use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use serde_json::json;
use uuid::Uuid;
use wagent_db::{
    Conn, LiteralLimitDsl, is_unique_violation,
    schema::{contacts, segments},
};

use self::predicate::SegmentCounts;
pub use self::{
    filter::{
        ActivityCondition, ActivityDraft, ActivityOperator, ActivityWhen, Direction,
        FieldCondition, FieldConditionDraft, FieldOperator, FieldTest, FilterDraft, MAX_CONDITIONS,
        MAX_LIST, SegmentFilter, TagCondition,
    },
    predicate::{SegmentPredicate, segment_predicate},
};
use super::{Contact, ContactError, fields::field_kinds};
use crate::{
    Access, CommonError, Domain, Role,
    organizations::audit::{self, Entry},
};

/// The most segments an organization keeps (their counts are one scan of its contacts).
pub const MAX_SEGMENTS: usize = 100;
/// The longest segment name.
const MAX_NAME: usize = 100;
/// The most contacts a preview shows.
pub const MAX_PREVIEW: i64 = 50;

/// A saved filter over the organization's contacts.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub id: Uuid,
    pub name: String,
    pub filter: SegmentFilter,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

type SegmentRow = (
    Uuid,
    String,
    serde_json::Value,
    Option<Uuid>,
    DateTime<Utc>,
    DateTime<Utc>,
);

const SEGMENT_COLUMNS: (
    segments::id,
    segments::name,
    segments::filter,
    segments::created_by,
    segments::created_at,
    segments::updated_at,
) = (
    segments::id,
    segments::name,
    segments::filter,
    segments::created_by,
    segments::created_at,
    segments::updated_at,
);

impl TryFrom<SegmentRow> for Segment {
    type Error = CommonError;

    fn try_from(
        (id, name, filter, created_by, created_at, updated_at): SegmentRow,
    ) -> Result<Self, CommonError> {
        // Only this code writes filters, after checking them: one that does not read is ours.
        let filter = serde_json::from_value(filter)
            .map_err(|e| CommonError::internal(format!("segment {id}: stored filter: {e}")))?;
        Ok(Self {
            id,
            name,
            filter,
            created_by,
            created_at,
            updated_at,
        })
    }
}

/// A filter's count and its newest contacts, while a person builds a segment.
#[derive(Debug, Clone)]
pub struct SegmentPreview {
    pub filter: SegmentFilter,
    pub count: i64,
    pub contacts: Vec<Contact>,
}

/// A saved segment, in the caller's transaction.
pub async fn load_segment(c: &mut Conn, id: Uuid) -> Result<Segment, ContactError> {
    let row: Option<SegmentRow> = segments::table
        .filter(segments::id.eq(id))
        .select(SEGMENT_COLUMNS)
        .first(c)
        .await
        .optional()?;
    Ok(row.ok_or(CommonError::NotFound("segment"))?.try_into()?)
}

/// The ids of a saved segment's contacts as they are now, in the caller's transaction (a
/// campaign freezing its audience reads them in the transaction that writes its recipients).
pub async fn segment_contact_ids(c: &mut Conn, id: Uuid) -> Result<Vec<Uuid>, ContactError> {
    let segment = load_segment(c, id).await?;
    Ok(contacts::table
        .filter(segment_predicate(&segment.filter))
        .select(contacts::id)
        .load(c)
        .await?)
}

/// How many contacts each filter matches, in one statement.
async fn count_all(
    c: &mut Conn,
    org_id: Uuid,
    filters: &[&SegmentFilter],
) -> Result<Vec<i64>, ContactError> {
    if filters.is_empty() {
        return Ok(Vec::new());
    }
    let counts: Vec<i64> = SegmentCounts {
        org_id,
        predicates: filters.iter().map(|f| segment_predicate(f)).collect(),
    }
    .get_result(c)
    .await?;
    Ok(counts)
}

fn check_name(name: &str) -> Result<String, ContactError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME || name.chars().any(char::is_control) {
        return Err(ContactError::Value(format!(
            "a segment's name is 1 to {MAX_NAME} characters, without control characters"
        )));
    }
    Ok(name.to_owned())
}

fn name_taken(name: &str) -> impl Fn(diesel::result::Error) -> ContactError + '_ {
    move |e| {
        if is_unique_violation(&e) {
            ContactError::SegmentNameTaken(name.to_owned())
        } else {
            e.into()
        }
    }
}

impl Domain {
    /// The organization's segments by name, each with its contact count now when `counted`
    /// (all counted in one scan of the contacts).
    pub async fn segments(
        &self,
        access: &Access,
        counted: bool,
    ) -> Result<Vec<(Segment, Option<i64>)>, ContactError> {
        access.ensure(Role::Member)?;
        self.tx(access.scope(), async |c| -> Result<_, ContactError> {
            let rows: Vec<SegmentRow> = segments::table
                .select(SEGMENT_COLUMNS)
                .order((segments::name, segments::id))
                .literal_limit(MAX_SEGMENTS as i64)
                .load(c)
                .await?;
            let list = rows
                .into_iter()
                .map(Segment::try_from)
                .collect::<Result<Vec<_>, _>>()?;
            if !counted {
                return Ok(list.into_iter().map(|s| (s, None)).collect());
            }
            let filters: Vec<&SegmentFilter> = list.iter().map(|s| &s.filter).collect();
            let counts = count_all(c, access.org_id, &filters).await?;
            Ok(list.into_iter().zip(counts.into_iter().map(Some)).collect())
        })
        .await
    }

    pub async fn segment(&self, access: &Access, id: Uuid) -> Result<Segment, ContactError> {
        access.ensure(Role::Member)?;
        self.tx(access.scope(), async |c| load_segment(c, id).await)
            .await
    }

    /// How many contacts a filter matches now.
    pub async fn count_segment(
        &self,
        access: &Access,
        filter: &SegmentFilter,
    ) -> Result<i64, ContactError> {
        access.ensure(Role::Member)?;
        self.tx(access.scope(), async |c| {
            Ok(count_all(c, access.org_id, &[filter])
                .await?
                .into_iter()
                .next()
                .unwrap_or(0))
        })
        .await
    }

    /// What a filter not yet saved matches: its count and its newest `first` contacts
    /// (at most [`MAX_PREVIEW`]), for the live count of the segment builder.
    pub async fn preview_segment(
        &self,
        access: &Access,
        draft: &FilterDraft,
        first: i64,
    ) -> Result<SegmentPreview, ContactError> {
        access.ensure(Role::Member)?;
        let first = first.clamp(0, MAX_PREVIEW);
        self.tx(access.scope(), async |c| -> Result<_, ContactError> {
            let filter = draft.check(&field_kinds(c).await?)?;
            let count = count_all(c, access.org_id, &[&filter])
                .await?
                .into_iter()
                .next()
                .unwrap_or(0);
            let contacts = if first == 0 || count == 0 {
                Vec::new()
            } else {
                contacts::table
                    .filter(contacts::org_id.eq(access.org_id))
                    .filter(segment_predicate(&filter))
                    .select(Contact::as_select())
                    .order((contacts::created_at.desc(), contacts::id.desc()))
                    .literal_limit(first)
                    .load(c)
                    .await?
            };
            Ok(SegmentPreview {
                filter,
                count,
                contacts,
            })
        })
        .await
    }

    /// Saves a filter as a segment, after checking it against the organization's fields.
    /// Admin or Owner.
    pub async fn create_segment(
        &self,
        access: &Access,
        name: &str,
        draft: &FilterDraft,
    ) -> Result<Segment, ContactError> {
        access.ensure(Role::Admin)?;
        let name = check_name(name)?;
        self.tx(access.scope(), async |c| -> Result<_, ContactError> {
            let filter = draft.check(&field_kinds(c).await?)?;
            let count: i64 = segments::table.count().get_result(c).await?;
            if count as usize >= MAX_SEGMENTS {
                return Err(ContactError::TooManySegments(MAX_SEGMENTS));
            }
            let id = Uuid::now_v7();
            let stored = serde_json::to_value(&filter).map_err(CommonError::internal)?;
            let row: SegmentRow = diesel::insert_into(segments::table)
                .values((
                    segments::org_id.eq(access.org_id),
                    segments::id.eq(id),
                    segments::name.eq(&name),
                    segments::filter.eq(&stored),
                    segments::created_by.eq(access.caller.user_id()),
                ))
                .returning(SEGMENT_COLUMNS)
                .get_result(c)
                .await
                .map_err(name_taken(&name))?;
            audit::record(
                c,
                access.org_id,
                &access.caller,
                Entry {
                    action: "segment.created",
                    target_type: "segment",
                    target_id: id.to_string(),
                    details: json!({ "name": name, "filter": stored }),
                },
            )
            .await?;
            Ok(row.try_into()?)
        })
        .await
    }

    /// Renames a segment or changes its filter. Admin or Owner.
    pub async fn update_segment(
        &self,
        access: &Access,
        id: Uuid,
        name: Option<&str>,
        draft: Option<&FilterDraft>,
    ) -> Result<Segment, ContactError> {
        access.ensure(Role::Admin)?;
        let name = name.map(check_name).transpose()?;
        self.tx(access.scope(), async |c| -> Result<_, ContactError> {
            let segment = load_segment(c, id).await?;
            let filter = match draft {
                Some(d) => d.check(&field_kinds(c).await?)?,
                None => segment.filter,
            };
            let name = name.unwrap_or(segment.name);
            let stored = serde_json::to_value(&filter).map_err(CommonError::internal)?;
            let row: SegmentRow = diesel::update(segments::table.filter(segments::id.eq(id)))
                .set((
                    segments::name.eq(&name),
                    segments::filter.eq(&stored),
                    segments::updated_at.eq(Utc::now()),
                ))
                .returning(SEGMENT_COLUMNS)
                .get_result(c)
                .await
                .map_err(name_taken(&name))?;
            audit::record(
                c,
                access.org_id,
                &access.caller,
                Entry {
                    action: "segment.updated",
                    target_type: "segment",
                    target_id: id.to_string(),
                    details: json!({ "name": name, "filter": stored }),
                },
            )
            .await?;
            Ok(row.try_into()?)
        })
        .await
    }

    /// Deletes a segment (its contacts stay). Admin or Owner.
    pub async fn delete_segment(&self, access: &Access, id: Uuid) -> Result<(), ContactError> {
        access.ensure(Role::Admin)?;
        self.tx(access.scope(), async |c| -> Result<_, ContactError> {
            let name: Option<String> = diesel::delete(segments::table.filter(segments::id.eq(id)))
                .returning(segments::name)
                .get_result(c)
                .await
                .optional()?;
            let name = name.ok_or(CommonError::NotFound("segment"))?;
            audit::record(
                c,
                access.org_id,
                &access.caller,
                Entry {
                    action: "segment.deleted",
                    target_type: "segment",
                    target_id: id.to_string(),
                    details: json!({ "name": name }),
                },
            )
            .await?;
            Ok(())
        })
        .await
    }

    /// A page of a filter's contacts in id order, after `after`: the export reads a
    /// segment's contacts a page at a time. Admin or Owner.
    pub async fn segment_contacts_page(
        &self,
        access: &Access,
        filter: &SegmentFilter,
        after: Option<Uuid>,
        limit: i64,
    ) -> Result<Vec<Contact>, ContactError> {
        access.ensure(Role::Admin)?;
        self.tx(access.scope(), async |c| -> Result<_, ContactError> {
            let mut q = contacts::table
                .filter(contacts::org_id.eq(access.org_id))
                .filter(segment_predicate(filter))
                .select(Contact::as_select())
                .order(contacts::id)
                .into_boxed();
            if let Some(after) = after {
                q = q.filter(contacts::id.gt(after));
            }
            Ok(q.literal_limit(limit.clamp(1, 10_000)).load(c).await?)
        })
        .await
    }
}
