//! Segments in GraphQL: saved filters over the organization's contacts with their live
//! counts, the builder's preview, and the mutations that save them.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use wagent_domain::{
    Access, Domain, Intent, Role,
    contacts::{
        Marketing,
        segments::{
            ActivityDraft, FieldConditionDraft, FilterDraft, Segment, SegmentFilter, TagCondition,
        },
    },
};

use crate::{
    GqlResult, contacts::ContactObject, contacts::GqlMarketing, guard, parse_id, require,
    types::load_user,
};

/// How a field condition compares a contact's value.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(
    name = "SegmentFieldOperator",
    remote = "wagent_domain::contacts::segments::FieldOperator"
)]
pub enum GqlFieldOperator {
    /// Any kind; text and choices without case.
    Equals,
    /// TEXT: contains `value`, without case.
    Contains,
    /// DATE: before the day `value`.
    Before,
    /// DATE: after the day `value`.
    After,
    /// NUMBER: greater than `value`.
    Greater,
    /// NUMBER: less than `value`.
    Less,
    /// The contact has a value (no `value`).
    IsSet,
    /// The contact has no value (no `value`).
    IsNotSet,
}

/// Which last message an activity condition looks at.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(
    name = "ActivityDirection",
    remote = "wagent_domain::contacts::segments::Direction"
)]
pub enum GqlDirection {
    /// The contact's last message to the business.
    Inbound,
    /// The business's last message to the contact.
    Outbound,
}

/// When that last message was.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(
    name = "SegmentActivityOperator",
    remote = "wagent_domain::contacts::segments::ActivityOperator"
)]
pub enum GqlActivityOperator {
    /// Before `at`.
    Before,
    /// After `at`.
    After,
    /// Within the last `days` days.
    WithinDays,
    /// Not within the last `days` days (or never).
    NotWithinDays,
    /// There was none.
    Never,
}

/// Tags a contact must carry (or not); each list at most 50 tags.
#[derive(InputObject, Default)]
pub struct SegmentTagsInput {
    /// Every one of these.
    pub all_of: Option<Vec<String>>,
    /// At least one of these.
    pub any_of: Option<Vec<String>>,
    /// None of these.
    pub none_of: Option<Vec<String>>,
}

/// A condition on one of the organization's contact fields.
#[derive(InputObject)]
pub struct SegmentFieldConditionInput {
    /// The field's key.
    pub key: String,
    pub operator: GqlFieldOperator,
    /// As a person writes it, read by the field's kind (`12.5`, `2024-01-31`, `yes`, a
    /// choice); none for IS_SET and IS_NOT_SET.
    pub value: Option<String>,
}

/// A condition on the contact's last message one way.
#[derive(InputObject)]
pub struct SegmentActivityConditionInput {
    pub direction: GqlDirection,
    pub operator: GqlActivityOperator,
    /// BEFORE and AFTER.
    pub at: Option<DateTime<Utc>>,
    /// WITHIN_DAYS and NOT_WITHIN_DAYS: 1 to 3660.
    pub days: Option<i32>,
}

/// What a contact must be to belong to a segment: every condition given must hold; an
/// empty filter matches every contact.
#[derive(InputObject, Default)]
pub struct SegmentFilterInput {
    pub tags: Option<SegmentTagsInput>,
    /// At most 20.
    pub fields: Option<Vec<SegmentFieldConditionInput>>,
    /// The contact's country is one of these (ISO 3166 alpha-2), at most 50.
    pub countries: Option<Vec<String>>,
    /// The contact's marketing consent is one of these.
    pub marketing: Option<Vec<GqlMarketing>>,
    /// At most 20.
    pub activity: Option<Vec<SegmentActivityConditionInput>>,
}

impl From<SegmentFilterInput> for FilterDraft {
    fn from(input: SegmentFilterInput) -> Self {
        let tags = input.tags.unwrap_or_default();
        FilterDraft {
            tags: TagCondition {
                all_of: tags.all_of.unwrap_or_default(),
                any_of: tags.any_of.unwrap_or_default(),
                none_of: tags.none_of.unwrap_or_default(),
            },
            fields: input
                .fields
                .unwrap_or_default()
                .into_iter()
                .map(|f| FieldConditionDraft {
                    key: f.key,
                    operator: f.operator.into(),
                    value: f.value,
                })
                .collect(),
            countries: input.countries.unwrap_or_default(),
            marketing: input
                .marketing
                .unwrap_or_default()
                .into_iter()
                .map(Marketing::from)
                .collect(),
            activity: input
                .activity
                .unwrap_or_default()
                .into_iter()
                .map(|a| ActivityDraft {
                    direction: a.direction.into(),
                    operator: a.operator.into(),
                    at: a.at,
                    days: a.days,
                })
                .collect(),
        }
    }
}

/// Tags a contact must carry (or not).
#[derive(SimpleObject)]
#[graphql(name = "SegmentTags")]
pub struct GqlTags {
    all_of: Vec<String>,
    any_of: Vec<String>,
    none_of: Vec<String>,
}

/// A condition on one of the organization's contact fields.
#[derive(SimpleObject)]
#[graphql(name = "SegmentFieldCondition")]
pub struct GqlFieldCondition {
    key: String,
    operator: GqlFieldOperator,
    /// As a person writes it.
    value: Option<String>,
}

/// A condition on the contact's last message one way.
#[derive(SimpleObject)]
#[graphql(name = "SegmentActivityCondition")]
pub struct GqlActivityCondition {
    direction: GqlDirection,
    operator: GqlActivityOperator,
    at: Option<DateTime<Utc>>,
    days: Option<i32>,
}

/// A segment's filter, as checked and stored.
#[derive(SimpleObject)]
#[graphql(name = "SegmentFilter")]
pub struct GqlFilter {
    tags: GqlTags,
    fields: Vec<GqlFieldCondition>,
    countries: Vec<String>,
    marketing: Vec<GqlMarketing>,
    activity: Vec<GqlActivityCondition>,
}

impl From<&SegmentFilter> for GqlFilter {
    fn from(filter: &SegmentFilter) -> Self {
        let draft = filter.draft();
        Self {
            tags: GqlTags {
                all_of: draft.tags.all_of,
                any_of: draft.tags.any_of,
                none_of: draft.tags.none_of,
            },
            fields: draft
                .fields
                .into_iter()
                .map(|f| GqlFieldCondition {
                    key: f.key,
                    operator: f.operator.into(),
                    value: f.value,
                })
                .collect(),
            countries: draft.countries,
            marketing: draft.marketing.into_iter().map(Into::into).collect(),
            activity: draft
                .activity
                .into_iter()
                .map(|a| GqlActivityCondition {
                    direction: a.direction.into(),
                    operator: a.operator.into(),
                    at: a.at,
                    days: a.days,
                })
                .collect(),
        }
    }
}

/// A saved filter over the organization's contacts; a campaign's audience.
pub struct SegmentObject {
    pub segment: Segment,
    /// Counted with the rest of a list, in one scan.
    pub count: Option<i64>,
    pub access: Access,
}

#[Object(name = "Segment")]
impl SegmentObject {
    async fn id(&self) -> ID {
        self.segment.id.into()
    }
    async fn name(&self) -> &str {
        &self.segment.name
    }
    async fn filter(&self) -> GqlFilter {
        (&self.segment.filter).into()
    }
    /// The contacts it matches now (`Organization.segments` counts them all in one scan).
    async fn contact_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        if let Some(count) = self.count {
            return Ok(count);
        }
        ctx.data_unchecked::<Domain>()
            .count_segment(&self.access, &self.segment.filter)
            .await
            .gql(ctx)
    }
    /// Admin: its contacts as CSV (every column, custom fields and tags included), with an
    /// `Authorization` header.
    async fn contacts_csv_url(&self) -> String {
        format!(
            "/api/organizations/{}/segments/{}/contacts.csv",
            self.access.org_id(),
            self.segment.id
        )
    }
    async fn created_by(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<crate::types::UserObject>> {
        Box::pin(load_user(ctx, self.segment.created_by)).await
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.segment.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.segment.updated_at
    }
}

/// `Organization.segments`: by name, each counted in one scan when `contactCount` is asked.
pub async fn segments(
    ctx: &Context<'_>,
    access: &Access,
) -> async_graphql::Result<Vec<SegmentObject>> {
    require(ctx, access, Role::Member)?;
    let counted = ctx.look_ahead().field("contactCount").exists();
    let list = ctx
        .data_unchecked::<Domain>()
        .segments(access, counted)
        .await
        .gql(ctx)?;
    Ok(list
        .into_iter()
        .map(|(segment, count)| SegmentObject {
            segment,
            count,
            access: access.clone(),
        })
        .collect())
}

/// `Organization.segment`.
pub async fn segment(
    ctx: &Context<'_>,
    access: &Access,
    id: &ID,
) -> async_graphql::Result<SegmentObject> {
    require(ctx, access, Role::Member)?;
    let id = parse_id(ctx, id, "segment")?;
    let segment = ctx
        .data_unchecked::<Domain>()
        .segment(access, id)
        .await
        .gql(ctx)?;
    Ok(SegmentObject {
        segment,
        count: None,
        access: access.clone(),
    })
}

/// What a filter matches now, before it is saved.
#[derive(SimpleObject)]
#[graphql(name = "SegmentPreview")]
pub struct SegmentPreviewObject {
    /// The filter as it would be saved.
    filter: GqlFilter,
    contact_count: i64,
    /// The newest of them.
    contacts: Vec<ContactObject>,
}

/// `Query.segmentPreview`.
pub async fn preview(
    ctx: &Context<'_>,
    organization_id: &ID,
    filter: SegmentFilterInput,
    first: Option<i32>,
) -> async_graphql::Result<SegmentPreviewObject> {
    let access = guard(ctx, organization_id, Role::Member, Intent::Read).await?;
    let first = i64::from(first.unwrap_or(10));
    let preview = ctx
        .data_unchecked::<Domain>()
        .preview_segment(&access, &filter.into(), first)
        .await
        .gql(ctx)?;
    Ok(SegmentPreviewObject {
        filter: (&preview.filter).into(),
        contact_count: preview.count,
        contacts: preview
            .contacts
            .into_iter()
            .map(|contact| ContactObject::new(contact, access.clone()))
            .collect(),
    })
}

#[derive(InputObject)]
pub struct CreateSegmentInput {
    pub organization_id: ID,
    /// 1 to 100 characters, unique in the organization whatever the case.
    pub name: String,
    pub filter: SegmentFilterInput,
}

#[derive(InputObject)]
pub struct UpdateSegmentInput {
    pub organization_id: ID,
    pub segment_id: ID,
    pub name: Option<String>,
    /// Replaces the whole filter.
    pub filter: Option<SegmentFilterInput>,
}

#[derive(InputObject)]
pub struct DeleteSegmentInput {
    pub organization_id: ID,
    pub segment_id: ID,
}

#[derive(Default)]
pub struct SegmentsMutation;

#[Object]
impl SegmentsMutation {
    /// Admin. Saves a filter as a segment, checked against the organization's contact
    /// fields (`VALIDATION` naming the condition that is wrong).
    async fn create_segment(
        &self,
        ctx: &Context<'_>,
        input: CreateSegmentInput,
    ) -> async_graphql::Result<SegmentObject> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        let segment = ctx
            .data_unchecked::<Domain>()
            .create_segment(&access, &input.name, &input.filter.into())
            .await
            .gql(ctx)?;
        Ok(SegmentObject {
            segment,
            count: None,
            access,
        })
    }

    /// Admin. Renames a segment or replaces its filter.
    async fn update_segment(
        &self,
        ctx: &Context<'_>,
        input: UpdateSegmentInput,
    ) -> async_graphql::Result<SegmentObject> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        let id = parse_id(ctx, &input.segment_id, "segment")?;
        let draft = input.filter.map(FilterDraft::from);
        let segment = ctx
            .data_unchecked::<Domain>()
            .update_segment(&access, id, input.name.as_deref(), draft.as_ref())
            .await
            .gql(ctx)?;
        Ok(SegmentObject {
            segment,
            count: None,
            access,
        })
    }

    /// Admin. Deletes a segment; its contacts stay. Answers the segment's id.
    async fn delete_segment(
        &self,
        ctx: &Context<'_>,
        input: DeleteSegmentInput,
    ) -> async_graphql::Result<ID> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        let id = parse_id(ctx, &input.segment_id, "segment")?;
        ctx.data_unchecked::<Domain>()
            .delete_segment(&access, id)
            .await
            .gql(ctx)?;
        Ok(input.segment_id)
    }
}
