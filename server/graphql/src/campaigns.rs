//! Broadcast campaigns in GraphQL: drafts, the audience preview, launch and the actions
//! after it, counters and breakdowns, recipients, and `campaignEvents` live.

use std::collections::HashMap;

use async_graphql::{
    Context, Enum, ID, InputObject, Object, SimpleObject,
    connection::{Connection, Edge},
};
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use uuid::Uuid;
use wagent_domain::{
    Access, Domain, Intent, Role,
    campaigns::{
        Audience, AudiencePreview, Breakdown, Campaign, CampaignDraft, Counts, ParameterSource,
        Placeholder, Recipient, RecipientFilter, RecipientPreview, Schedule, TimelinePoint,
    },
    inbox::TimeCursor,
};

use crate::{GqlResult, guard, parse_id};

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(
    name = "CampaignStatus",
    remote = "wagent_domain::campaigns::CampaignStatus"
)]
pub enum GqlCampaignStatus {
    Draft,
    /// Launched, waiting for its start (or next run, when recurring).
    Scheduled,
    Running,
    /// Stopped by a person or by Meta's answer (`statusReason` says which); resumable.
    Paused,
    Completed,
    Cancelled,
    /// Could not start (`statusReason` says why).
    Failed,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(
    name = "CampaignRecipientStatus",
    remote = "wagent_domain::campaigns::RecipientStatus"
)]
pub enum GqlRecipientStatus {
    /// Never sent, for its `skipReason`.
    Skipped,
    Queued,
    /// A worker is calling Meta now.
    Sending,
    Sent,
    /// Accepted but held by Meta's template pacing; its fate comes later.
    Held,
    Delivered,
    Read,
    Failed,
    /// The worker died during the call: the customer may or may not have it. Never resent
    /// automatically.
    Unknown,
    Cancelled,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "SkipReason", remote = "wagent_domain::campaigns::SkipReason")]
pub enum GqlSkipReason {
    /// A placeholder has no value and no fallback.
    MissingValue,
    /// A value Meta would refuse (too long, a media header that is not a link).
    InvalidValue,
    OptedOut,
    /// Another contact of the audience has the same number.
    Duplicate,
    /// Neither a phone number nor a WhatsApp user id.
    NoAddress,
    /// Meta does not deliver marketing templates to US (+1) numbers.
    UsMarketing,
    /// Beyond what is left of the number's daily messaging limit.
    OverBudget,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "TemplatePart", remote = "wagent_domain::campaigns::Part")]
pub enum GqlPart {
    Header,
    Body,
    /// A URL button's dynamic suffix.
    Button,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "RepeatEvery", remote = "wagent_domain::campaigns::Every")]
pub enum GqlEvery {
    Day,
    Week,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "ScheduleKind")]
pub enum GqlScheduleKind {
    /// As soon as it is launched.
    Now,
    /// At `at`, in the organization's time zone.
    At,
    /// On `date` at `time` in each recipient's time zone.
    Local,
    /// Every day or week at `time`, in the organization's time zone.
    Recurring,
}

/// Where a placeholder's value comes from.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "CampaignParameterInput", name = "CampaignParameter")]
pub struct GqlParameter {
    pub part: GqlPart,
    /// The button's position (from 0), for `BUTTON`.
    pub button_index: Option<i32>,
    /// `1`, `2`, a name, or `media` for a media header.
    pub placeholder: String,
    /// A contact attribute (name, first_name, phone, email, country, language) or the key
    /// of a contact field.
    pub field: Option<String>,
    /// Fixed text, when no field is named (a media header's link).
    pub text: Option<String>,
    /// Used when the contact has no value.
    pub fallback: Option<String>,
}

impl From<ParameterSource> for GqlParameter {
    fn from(p: ParameterSource) -> Self {
        Self {
            part: p.part.into(),
            button_index: p.button_index.map(i32::from),
            placeholder: p.placeholder,
            field: p.field,
            text: p.text,
            fallback: p.fallback,
        }
    }
}

/// Who a campaign goes to: contacts with any of the tags, in any of the segments, named, or
/// of a one-off file.
#[derive(SimpleObject, InputObject, Clone, Default)]
#[graphql(input_name = "CampaignAudienceInput", name = "CampaignAudience")]
pub struct GqlAudience {
    #[graphql(default)]
    pub tags: Vec<String>,
    #[graphql(default)]
    pub segment_ids: Vec<ID>,
    #[graphql(default)]
    pub contact_ids: Vec<ID>,
    /// Finished contact imports started with `asAudience`: the people of those files.
    #[graphql(default)]
    pub import_ids: Vec<ID>,
}

/// When a campaign sends.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "CampaignScheduleInput", name = "CampaignSchedule")]
pub struct GqlSchedule {
    pub kind: GqlScheduleKind,
    /// AT: the date and time in the organization's time zone (`2026-12-01T09:00:00`).
    pub at: Option<NaiveDateTime>,
    /// LOCAL: the day.
    pub date: Option<NaiveDate>,
    /// LOCAL and RECURRING: the time of day (`09:00:00`).
    pub time: Option<NaiveTime>,
    /// RECURRING: every day or week.
    pub every: Option<GqlEvery>,
    /// RECURRING weekly: 1 (Monday) to 7 (Sunday).
    pub weekday: Option<i32>,
}

impl From<Schedule> for GqlSchedule {
    fn from(s: Schedule) -> Self {
        let blank = Self {
            kind: GqlScheduleKind::Now,
            at: None,
            date: None,
            time: None,
            every: None,
            weekday: None,
        };
        match s {
            Schedule::Now => blank,
            Schedule::At { local } => Self {
                kind: GqlScheduleKind::At,
                at: Some(local),
                ..blank
            },
            Schedule::Local { date, time } => Self {
                kind: GqlScheduleKind::Local,
                date: Some(date),
                time: Some(time),
                ..blank
            },
            Schedule::Recurring {
                every,
                time,
                weekday,
            } => Self {
                kind: GqlScheduleKind::Recurring,
                time: Some(time),
                every: Some(every.into()),
                weekday: weekday.map(i32::from),
                ..blank
            },
        }
    }
}

fn schedule(ctx: &Context<'_>, s: GqlSchedule) -> async_graphql::Result<Schedule> {
    let missing = |what: &'static str| crate::to_gql(ctx, crate::InputError::ScheduleNeeds(what));
    Ok(match s.kind {
        GqlScheduleKind::Now => Schedule::Now,
        GqlScheduleKind::At => Schedule::At {
            local: s.at.ok_or_else(|| missing("`at`"))?,
        },
        GqlScheduleKind::Local => Schedule::Local {
            date: s.date.ok_or_else(|| missing("`date`"))?,
            time: s.time.ok_or_else(|| missing("`time`"))?,
        },
        GqlScheduleKind::Recurring => Schedule::Recurring {
            every: s.every.ok_or_else(|| missing("`every`"))?.into(),
            time: s.time.ok_or_else(|| missing("`time`"))?,
            weekday: s.weekday.and_then(|d| u8::try_from(d).ok()),
        },
    })
}

#[derive(InputObject)]
pub struct CampaignInput {
    pub organization_id: ID,
    pub name: String,
    /// The number it is sent from.
    pub phone_number_id: ID,
    /// An approved template of that number's account.
    pub template_id: ID,
    /// A source for every placeholder of the template.
    #[graphql(default)]
    pub parameters: Vec<GqlParameter>,
    pub audience: GqlAudience,
    pub schedule: GqlSchedule,
    /// Try again 24 h later a recipient Meta's per-user marketing limit refused (131049).
    #[graphql(default)]
    pub retry_per_user_limit: bool,
    /// A customer's first message within this many hours of the campaign message's delivery
    /// (of its sending when no delivery is known) counts as a reply (default 72).
    #[graphql(default = 72)]
    pub reply_window_hours: i32,
}

fn draft(ctx: &Context<'_>, input: CampaignInput) -> async_graphql::Result<CampaignDraft> {
    let ids = |list: Vec<ID>, what: &str| -> async_graphql::Result<Vec<Uuid>> {
        list.iter().map(|id| parse_id(ctx, id, what)).collect()
    };
    // Bounds the parsing; the domain checks the lists' real limits after removing duplicates.
    let a = &input.audience;
    if [
        a.contact_ids.len(),
        a.segment_ids.len(),
        a.import_ids.len(),
        a.tags.len(),
    ]
    .into_iter()
    .any(|n| n > wagent_domain::campaigns::MAX_NAMED_CONTACTS)
        || input.parameters.len() > 100
    {
        return Err(crate::to_gql(ctx, crate::InputError::TooManyItems));
    }
    Ok(CampaignDraft {
        name: input.name,
        phone_number_id: parse_id(ctx, &input.phone_number_id, "phone number")?,
        template_id: parse_id(ctx, &input.template_id, "template")?,
        parameters: input
            .parameters
            .into_iter()
            .map(|p| ParameterSource {
                part: p.part.into(),
                button_index: p.button_index.and_then(|i| u8::try_from(i).ok()),
                placeholder: p.placeholder,
                field: p.field,
                text: p.text,
                fallback: p.fallback,
            })
            .collect(),
        audience: Audience {
            tags: input.audience.tags,
            segment_ids: ids(input.audience.segment_ids, "segment")?,
            contact_ids: ids(input.audience.contact_ids, "contact")?,
            import_ids: ids(input.audience.import_ids, "contact import")?,
        },
        schedule: schedule(ctx, input.schedule)?,
        retry_per_user_limit: input.retry_per_user_limit,
        reply_window_hours: input.reply_window_hours,
    })
}

/// A count by reason.
#[derive(SimpleObject, Clone)]
#[graphql(name = "CampaignBreakdown")]
pub struct GqlBreakdown {
    /// The skip reason (`opted_out`), Meta's error code (`131026`, `none` when Meta gave
    /// none) or the pricing category (`marketing`).
    key: String,
    /// Meta's words for an error code.
    label: Option<String>,
    count: i32,
}

/// What a campaign counts, kept as recipients move. `sent`, `delivered` and `read` count
/// recipients that reached the step or a later one.
pub struct StatsObject {
    counts: Counts,
    breakdowns: Vec<Breakdown>,
}

#[Object(name = "CampaignStats")]
impl StatsObject {
    /// Contacts the audience matched at launch.
    async fn audience(&self) -> i32 {
        self.counts.audience
    }
    async fn skipped(&self) -> i32 {
        self.counts.skipped
    }
    /// Waiting to be sent (or being sent now).
    async fn queued(&self) -> i32 {
        self.counts.queued
    }
    async fn sent(&self) -> i32 {
        self.counts.sent
    }
    /// Held by Meta's template pacing, not sent yet.
    async fn held(&self) -> i32 {
        self.counts.held
    }
    async fn delivered(&self) -> i32 {
        self.counts.delivered
    }
    async fn read(&self) -> i32 {
        self.counts.read
    }
    async fn replied(&self) -> i32 {
        self.counts.replied
    }
    async fn failed(&self) -> i32 {
        self.counts.failed
    }
    /// The worker died mid-send: delivered or not, nobody knows; never resent.
    async fn unknown(&self) -> i32 {
        self.counts.unknown
    }
    async fn cancelled(&self) -> i32 {
        self.counts.cancelled
    }
    /// Recipients who opted out of marketing within a week of it.
    async fn opted_out(&self) -> i32 {
        self.counts.opted_out
    }
    /// Delivered of sent, 0 to 1.
    async fn delivery_rate(&self) -> f64 {
        self.counts.delivery_rate()
    }
    /// Read of delivered.
    async fn read_rate(&self) -> f64 {
        self.counts.read_rate()
    }
    /// Replied of delivered.
    async fn reply_rate(&self) -> f64 {
        self.counts.reply_rate()
    }
    async fn skipped_by_reason(&self) -> Vec<GqlBreakdown> {
        self.of("skipped")
    }
    /// Failures by Meta's error code, with Meta's words.
    async fn failed_by_code(&self) -> Vec<GqlBreakdown> {
        self.of("failed")
    }
    /// Messages Meta charges for, by pricing category (from the status webhooks).
    async fn billable_by_category(&self) -> Vec<GqlBreakdown> {
        self.of("billable")
    }
}

impl StatsObject {
    fn of(&self, kind: &str) -> Vec<GqlBreakdown> {
        self.breakdowns
            .iter()
            .filter(|b| b.kind == kind && b.n > 0)
            .map(|b| GqlBreakdown {
                key: b.key.clone(),
                label: b.label.clone(),
                count: b.n,
            })
            .collect()
    }
}

/// One minute of a campaign.
#[derive(SimpleObject)]
#[graphql(name = "CampaignTimelinePoint")]
pub struct GqlTimelinePoint {
    minute: DateTime<Utc>,
    sent: i32,
    delivered: i32,
    read: i32,
    replied: i32,
    failed: i32,
}

impl From<TimelinePoint> for GqlTimelinePoint {
    fn from(p: TimelinePoint) -> Self {
        Self {
            minute: p.minute,
            sent: p.sent,
            delivered: p.delivered,
            read: p.read,
            replied: p.replied,
            failed: p.failed,
        }
    }
}

/// A placeholder of a template.
#[derive(SimpleObject)]
#[graphql(name = "TemplatePlaceholder")]
pub struct GqlPlaceholder {
    part: GqlPart,
    button_index: Option<i32>,
    /// `1`, `2`, a name, or `media`.
    name: String,
    /// IMAGE, VIDEO or DOCUMENT for a media header (its value is a link).
    media: Option<String>,
}

impl From<Placeholder> for GqlPlaceholder {
    fn from(p: Placeholder) -> Self {
        Self {
            part: p.part.into(),
            button_index: p.button_index.map(i32::from),
            name: p.name,
            media: p.media,
        }
    }
}

/// A campaign and, when read in a list, the breakdowns and timelines read for the whole page
/// (one statement each, whatever the page size).
pub struct CampaignObject {
    pub campaign: Campaign,
    pub access: Access,
    pub breakdowns: Option<Vec<Breakdown>>,
    pub timeline: Option<Vec<TimelinePoint>>,
}

#[Object(name = "Campaign")]
impl CampaignObject {
    async fn id(&self) -> ID {
        self.campaign.id.into()
    }
    async fn name(&self) -> &str {
        &self.campaign.name
    }
    async fn status(&self) -> GqlCampaignStatus {
        self.campaign.status.into()
    }
    /// Why it is paused or failed.
    async fn status_reason(&self) -> Option<&str> {
        self.campaign.status_reason.as_deref()
    }
    async fn phone_number_id(&self) -> ID {
        self.campaign.phone_number_id.into()
    }
    async fn template_id(&self) -> ID {
        self.campaign.template_id.into()
    }
    async fn parameters(&self) -> Vec<GqlParameter> {
        self.campaign
            .parameter_sources()
            .into_iter()
            .map(Into::into)
            .collect()
    }
    async fn audience(&self) -> GqlAudience {
        let a = self.campaign.audience();
        GqlAudience {
            tags: a.tags,
            segment_ids: a.segment_ids.into_iter().map(Into::into).collect(),
            contact_ids: a.contact_ids.into_iter().map(Into::into).collect(),
            import_ids: a.import_ids.into_iter().map(Into::into).collect(),
        }
    }
    async fn schedule(&self) -> GqlSchedule {
        self.campaign.schedule().into()
    }
    async fn retry_per_user_limit(&self) -> bool {
        self.campaign.retry_per_user_limit
    }
    async fn reply_window_hours(&self) -> i32 {
        self.campaign.reply_window_hours
    }
    /// The recurring campaign this is a run of.
    async fn parent_id(&self) -> Option<ID> {
        self.campaign.parent_id.map(Into::into)
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.campaign.created_at
    }
    /// When its settings or status last changed (its counters move without it). Of two
    /// snapshots of a campaign, a live view keeps the one changed last.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.campaign.updated_at
    }
    /// When it starts (scheduled) or its next run is made (recurring).
    async fn starts_at(&self) -> Option<DateTime<Utc>> {
        self.campaign.starts_at
    }
    /// When its audience was frozen.
    async fn launched_at(&self) -> Option<DateTime<Utc>> {
        self.campaign.launched_at
    }
    async fn finished_at(&self) -> Option<DateTime<Utc>> {
        self.campaign.finished_at
    }
    async fn stats(&self, ctx: &Context<'_>) -> async_graphql::Result<StatsObject> {
        let breakdowns = match &self.breakdowns {
            Some(b) => b.clone(),
            None => ctx
                .data_unchecked::<Domain>()
                .campaign_breakdowns(&self.access, &[self.campaign.id])
                .await
                .gql(ctx)?
                .into_iter()
                .map(|(_, b)| b)
                .collect(),
        };
        Ok(StatsObject {
            counts: self.campaign.counts,
            breakdowns,
        })
    }
    /// Minute by minute.
    async fn timeline(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<GqlTimelinePoint>> {
        let points = match &self.timeline {
            Some(points) => points.clone(),
            None => ctx
                .data_unchecked::<Domain>()
                .campaign_timelines(&self.access, &[self.campaign.id])
                .await
                .gql(ctx)?
                .into_iter()
                .map(|(_, p)| p)
                .collect(),
        };
        Ok(points.into_iter().map(Into::into).collect())
    }
    /// What launching now would do: audience, skips by reason, the daily budget and the
    /// first recipients' messages. Reads the whole audience: one campaign at a time.
    #[graphql(complexity = 1000)]
    async fn preview(&self, ctx: &Context<'_>) -> async_graphql::Result<AudiencePreviewObject> {
        let p = ctx
            .data_unchecked::<Domain>()
            .preview_campaign(&self.access, self.campaign.id)
            .await
            .gql(ctx)?;
        Ok(p.into())
    }
    /// One contact's message, or why they would be skipped.
    #[graphql(complexity = 200)]
    async fn preview_for(
        &self,
        ctx: &Context<'_>,
        contact_id: ID,
    ) -> async_graphql::Result<RecipientPreviewObject> {
        let contact_id = parse_id(ctx, &contact_id, "contact")?;
        let p = ctx
            .data_unchecked::<Domain>()
            .preview_campaign_for(&self.access, self.campaign.id, contact_id)
            .await
            .gql(ctx)?;
        Ok(p.into())
    }
    /// Recipients in the order they were frozen.
    #[graphql(complexity = "crate::connection::list_cost(first, child_complexity)")]
    async fn recipients(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(desc = "Only recipients in this status (the same as `filter.status`).")]
        status: Option<GqlRecipientStatus>,
        filter: Option<RecipientFilterInput>,
    ) -> async_graphql::Result<Connection<String, RecipientObject>> {
        let filter = filter.unwrap_or_default();
        let filter = RecipientFilter {
            status: status.or(filter.status).map(Into::into),
            skip_reason: filter.skip_reason.map(Into::into),
            error_code: filter.error_code,
            replied: filter.replied,
        };
        let after_id = crate::connection::parse_after(ctx, after.clone())?;
        let page = ctx
            .data_unchecked::<Domain>()
            .campaign_recipients(&self.access, self.campaign.id, &filter, first, after_id)
            .await
            .gql(ctx)?;
        Ok(crate::connection::connection(
            page,
            |(r, _)| r.id,
            |(recipient, name)| RecipientObject { recipient, name },
            after.is_some(),
        ))
    }
    /// Every recipient as CSV, with an `Authorization` header.
    async fn recipients_csv_url(&self) -> String {
        format!(
            "/api/organizations/{}/campaigns/{}/recipients.csv",
            self.access.org_id(),
            self.campaign.id
        )
    }
}

/// Which recipients to list.
#[derive(InputObject, Default)]
#[graphql(name = "CampaignRecipientFilter")]
pub struct RecipientFilterInput {
    status: Option<GqlRecipientStatus>,
    skip_reason: Option<GqlSkipReason>,
    /// Meta's error code.
    error_code: Option<i32>,
    /// Only those who replied (true) or did not (false).
    replied: Option<bool>,
}

/// One recipient of a launched campaign.
pub struct RecipientObject {
    recipient: Recipient,
    name: Option<String>,
}

#[Object(name = "CampaignRecipient")]
impl RecipientObject {
    async fn id(&self) -> ID {
        self.recipient.id.into()
    }
    async fn contact_id(&self) -> ID {
        self.recipient.contact_id.into()
    }
    /// The contact's name (or WhatsApp profile name).
    async fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
    /// `+5511…`, or the WhatsApp user id for a customer known only by it.
    async fn address(&self) -> Option<String> {
        address(&self.recipient)
    }
    async fn status(&self) -> GqlRecipientStatus {
        self.recipient.status.into()
    }
    async fn skip_reason(&self) -> Option<GqlSkipReason> {
        self.recipient.skip_reason.map(Into::into)
    }
    /// Not sent before this time (their local time, or a retry).
    async fn not_before(&self) -> DateTime<Utc> {
        self.recipient.not_before
    }
    async fn attempts(&self) -> i32 {
        self.recipient.attempts
    }
    /// Meta's error code, for a failure (or the last passing one).
    async fn error_code(&self) -> Option<i32> {
        self.recipient.error_code
    }
    async fn error_text(&self) -> Option<&str> {
        self.recipient.error_text.as_deref()
    }
    async fn sent_at(&self) -> Option<DateTime<Utc>> {
        self.recipient.sent_at
    }
    async fn delivered_at(&self) -> Option<DateTime<Utc>> {
        self.recipient.delivered_at
    }
    async fn read_at(&self) -> Option<DateTime<Utc>> {
        self.recipient.read_at
    }
    async fn replied_at(&self) -> Option<DateTime<Utc>> {
        self.recipient.replied_at
    }
    async fn failed_at(&self) -> Option<DateTime<Utc>> {
        self.recipient.failed_at
    }
    async fn opted_out_at(&self) -> Option<DateTime<Utc>> {
        self.recipient.opted_out_at
    }
    /// What Meta charges it as (marketing, utility...), once a status said.
    async fn pricing_category(&self) -> Option<&str> {
        self.recipient.pricing_category.as_deref()
    }
    async fn billable(&self) -> Option<bool> {
        self.recipient.billable
    }
}

pub(crate) fn address(r: &Recipient) -> Option<String> {
    r.phone
        .as_ref()
        .map(|p| format!("+{p}"))
        .or_else(|| r.user_id.clone())
}

/// The number's daily messaging limit and what a campaign needs of it.
#[derive(SimpleObject)]
#[graphql(name = "MessagingBudget")]
pub struct GqlBudget {
    /// Unique customers per 24 h; none when unlimited or not known yet.
    limit: Option<i64>,
    /// Customers messaged (or queued) by campaigns in the last 24 hours.
    used: i64,
    left: Option<i64>,
    /// Recipients of this campaign that count against it.
    needed: i64,
    /// True when every recipient fits today.
    covers: bool,
}

/// A skip reason and how many recipients it skips.
#[derive(SimpleObject)]
#[graphql(name = "SkipCount")]
pub struct GqlSkipCount {
    reason: GqlSkipReason,
    count: i64,
}

/// What a launch would do, before it is done.
#[derive(SimpleObject)]
#[graphql(name = "CampaignAudiencePreview")]
pub struct AudiencePreviewObject {
    /// Contacts the audience matches.
    audience: i64,
    /// Recipients that would be sent the message.
    queued: i64,
    skipped: Vec<GqlSkipCount>,
    budget: GqlBudget,
    /// The first recipients, each with their message or why not.
    samples: Vec<RecipientPreviewObject>,
}

impl From<AudiencePreview> for AudiencePreviewObject {
    fn from(p: AudiencePreview) -> Self {
        Self {
            audience: p.audience,
            queued: p.queued,
            skipped: p
                .skipped
                .into_iter()
                .map(|(reason, count)| GqlSkipCount {
                    reason: reason.into(),
                    count,
                })
                .collect(),
            budget: GqlBudget {
                limit: p.budget.limit,
                used: p.budget.used,
                left: p.budget.left(),
                needed: p.budget.needed,
                covers: p.budget.covers(),
            },
            samples: p.samples.into_iter().map(Into::into).collect(),
        }
    }
}

/// One recipient's message as they would receive it, or why they would not.
#[derive(SimpleObject)]
#[graphql(name = "CampaignRecipientPreview")]
pub struct RecipientPreviewObject {
    contact_id: ID,
    name: Option<String>,
    address: Option<String>,
    skip_reason: Option<GqlSkipReason>,
    /// The missing or invalid value, for a recipient skipped for one.
    detail: Option<String>,
    /// The message body with this recipient's values.
    text: Option<String>,
}

impl From<RecipientPreview> for RecipientPreviewObject {
    fn from(p: RecipientPreview) -> Self {
        Self {
            contact_id: p.contact_id.into(),
            name: p.name,
            address: p.address,
            skip_reason: p.skip_reason.map(Into::into),
            detail: p.detail,
            text: p.text,
        }
    }
}

/// `Organization.campaigns`: newest first, with the page's breakdowns read in one statement.
pub async fn campaigns(
    ctx: &Context<'_>,
    access: &Access,
    first: Option<i32>,
    after: Option<String>,
) -> async_graphql::Result<Connection<String, CampaignObject>> {
    let domain = ctx.data_unchecked::<Domain>();
    let page = domain
        .campaigns(access, first, after.as_deref())
        .await
        .gql(ctx)?;
    let wants_stats = crate::connection::rows_want(ctx, "stats");
    let mut breakdowns: HashMap<Uuid, Vec<Breakdown>> = HashMap::new();
    if wants_stats && !page.items.is_empty() {
        let ids: Vec<Uuid> = page.items.iter().map(|c| c.id).collect();
        for (id, b) in domain.campaign_breakdowns(access, &ids).await.gql(ctx)? {
            breakdowns.entry(id).or_default().push(b);
        }
    }
    let wants_timeline = crate::connection::rows_want(ctx, "timeline");
    let mut timelines: HashMap<Uuid, Vec<TimelinePoint>> = HashMap::new();
    if wants_timeline && !page.items.is_empty() {
        let ids: Vec<Uuid> = page.items.iter().map(|c| c.id).collect();
        for (id, p) in domain.campaign_timelines(access, &ids).await.gql(ctx)? {
            timelines.entry(id).or_default().push(p);
        }
    }
    let mut c = Connection::new(after.is_some(), page.has_next);
    c.edges.extend(page.items.into_iter().map(|campaign| {
        let cursor = TimeCursor {
            at: campaign.created_at,
            id: campaign.id,
        }
        .encode();
        let breakdowns = wants_stats.then(|| breakdowns.remove(&campaign.id).unwrap_or_default());
        let timeline = wants_timeline.then(|| timelines.remove(&campaign.id).unwrap_or_default());
        Edge::new(
            cursor,
            CampaignObject {
                campaign,
                access: access.clone(),
                breakdowns,
                timeline,
            },
        )
    }));
    Ok(c)
}

/// `Organization.campaign`.
pub async fn campaign(
    ctx: &Context<'_>,
    access: &Access,
    id: &ID,
) -> async_graphql::Result<CampaignObject> {
    let id = parse_id(ctx, id, "campaign")?;
    let campaign = ctx
        .data_unchecked::<Domain>()
        .campaign(access, id)
        .await
        .gql(ctx)?;
    Ok(CampaignObject {
        campaign,
        access: access.clone(),
        breakdowns: None,
        timeline: None,
    })
}

/// `Organization.templatePlaceholders`: what a campaign with this template must fill.
pub async fn template_placeholders(
    ctx: &Context<'_>,
    access: &Access,
    template_id: &ID,
) -> async_graphql::Result<Vec<GqlPlaceholder>> {
    let id = parse_id(ctx, template_id, "template")?;
    Ok(ctx
        .data_unchecked::<Domain>()
        .template_placeholders(access, id)
        .await
        .gql(ctx)?
        .into_iter()
        .map(Into::into)
        .collect())
}

/// The campaign as a subscriber may see it now; none when access is lost.
pub async fn reload(domain: &Domain, access: &Access, id: Uuid) -> Option<CampaignObject> {
    let campaign = domain.campaign(access, id).await.ok()?;
    Some(CampaignObject {
        campaign,
        access: access.clone(),
        breakdowns: None,
        timeline: None,
    })
}

#[derive(Default)]
pub struct CampaignsMutation;

async fn act(
    ctx: &Context<'_>,
    organization_id: &ID,
    campaign_id: &ID,
    action: impl AsyncFnOnce(
        &Domain,
        &Access,
        Uuid,
    )
        -> wagent_domain::Result<Campaign, wagent_domain::campaigns::CampaignError>,
) -> async_graphql::Result<CampaignObject> {
    let access = guard(ctx, organization_id, Role::Admin, Intent::Write).await?;
    let id = parse_id(ctx, campaign_id, "campaign")?;
    let campaign = action(ctx.data_unchecked::<Domain>(), &access, id)
        .await
        .gql(ctx)?;
    Ok(CampaignObject {
        campaign,
        access,
        breakdowns: None,
        timeline: None,
    })
}

#[Object]
impl CampaignsMutation {
    /// Admin. A draft: the number, an approved template of its account with a source for
    /// each placeholder, the audience and the schedule. Nothing is sent until launched.
    async fn create_campaign(
        &self,
        ctx: &Context<'_>,
        input: CampaignInput,
    ) -> async_graphql::Result<CampaignObject> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        let draft = draft(ctx, input)?;
        let campaign = ctx
            .data_unchecked::<Domain>()
            .create_campaign(&access, draft)
            .await
            .gql(ctx)?;
        Ok(CampaignObject {
            campaign,
            access,
            breakdowns: None,
            timeline: None,
        })
    }

    /// Admin. Changes a draft.
    async fn update_campaign(
        &self,
        ctx: &Context<'_>,
        campaign_id: ID,
        input: CampaignInput,
    ) -> async_graphql::Result<CampaignObject> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        let id = parse_id(ctx, &campaign_id, "campaign")?;
        let draft = draft(ctx, input)?;
        let campaign = ctx
            .data_unchecked::<Domain>()
            .update_campaign(&access, id, draft)
            .await
            .gql(ctx)?;
        Ok(CampaignObject {
            campaign,
            access,
            breakdowns: None,
            timeline: None,
        })
    }

    /// Admin. Deletes a draft; returns its id.
    async fn delete_campaign(
        &self,
        ctx: &Context<'_>,
        organization_id: ID,
        campaign_id: ID,
    ) -> async_graphql::Result<ID> {
        let access = guard(ctx, &organization_id, Role::Admin, Intent::Write).await?;
        let id = parse_id(ctx, &campaign_id, "campaign")?;
        Ok(ctx
            .data_unchecked::<Domain>()
            .delete_campaign(&access, id)
            .await
            .gql(ctx)?
            .into())
    }

    /// Admin. Launches a draft: at its start time its audience is frozen (one recipient
    /// each, or a skip reason) and sending starts. Follow it on `campaignEvents`.
    async fn launch_campaign(
        &self,
        ctx: &Context<'_>,
        organization_id: ID,
        campaign_id: ID,
    ) -> async_graphql::Result<CampaignObject> {
        act(ctx, &organization_id, &campaign_id, async |d, a, id| {
            d.launch_campaign(a, id).await
        })
        .await
    }

    /// Admin. Stops sending; resume sends the rest. Nobody is sent the message twice.
    async fn pause_campaign(
        &self,
        ctx: &Context<'_>,
        organization_id: ID,
        campaign_id: ID,
    ) -> async_graphql::Result<CampaignObject> {
        act(ctx, &organization_id, &campaign_id, async |d, a, id| {
            d.pause_campaign(a, id).await
        })
        .await
    }

    /// Admin. Sends the rest of a paused campaign.
    async fn resume_campaign(
        &self,
        ctx: &Context<'_>,
        organization_id: ID,
        campaign_id: ID,
    ) -> async_graphql::Result<CampaignObject> {
        act(ctx, &organization_id, &campaign_id, async |d, a, id| {
            d.resume_campaign(a, id).await
        })
        .await
    }

    /// Admin. Ends the campaign; recipients not yet sent are cancelled.
    async fn cancel_campaign(
        &self,
        ctx: &Context<'_>,
        organization_id: ID,
        campaign_id: ID,
    ) -> async_graphql::Result<CampaignObject> {
        act(ctx, &organization_id, &campaign_id, async |d, a, id| {
            d.cancel_campaign(a, id).await
        })
        .await
    }

    /// Admin. A new draft like this campaign.
    async fn duplicate_campaign(
        &self,
        ctx: &Context<'_>,
        organization_id: ID,
        campaign_id: ID,
    ) -> async_graphql::Result<CampaignObject> {
        act(ctx, &organization_id, &campaign_id, async |d, a, id| {
            d.duplicate_campaign(a, id).await
        })
        .await
    }

    /// Admin. Sends again to recipients that failed for a reason that passes (limits,
    /// outages, a paused template, an expired token); never to `UNKNOWN` ones.
    async fn retry_failed_recipients(
        &self,
        ctx: &Context<'_>,
        organization_id: ID,
        campaign_id: ID,
    ) -> async_graphql::Result<CampaignObject> {
        act(ctx, &organization_id, &campaign_id, async |d, a, id| {
            d.retry_failed_recipients(a, id).await
        })
        .await
    }
}
