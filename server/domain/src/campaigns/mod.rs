//! Broadcast campaigns: an approved template sent from one number to an audience of
//! contacts, each with their own values.
//!
//! A campaign is a draft until launched. At launch its audience is **frozen** (`audience.rs`):
//! one `campaign_recipients` row per contact, queued with its rendered components or skipped
//! with a reason. Dispatch jobs (`dispatch.rs`) then claim queued recipients in batches with
//! `FOR UPDATE SKIP LOCKED`, mark them `sending` in a committed transaction **before** calling
//! Meta, and record each outcome after: a recipient is claimed once, so it is sent at most
//! once; a worker that dies mid-send leaves rows `sending` that turn `unknown` when its claim
//! expires, and are never sent again automatically. Status webhooks and replies move
//! recipients on and keep the campaign's counters (`tracking.rs`).

mod audience;
mod dispatch;
mod in_thread;
mod launch;
pub mod message;
mod tracking;

pub use self::{
    audience::{AudiencePreview, Budget, RecipientPreview},
    message::{ParameterSource, Part, Placeholder},
};
pub(crate) use self::{
    dispatch::Dispatch,
    in_thread::add_campaign_messages,
    launch::Launch,
    tracking::{
        CampaignStatusUpdate, apply_campaign_statuses, attribute_opt_out, attribute_reply,
        erase_recipients, pause_for_quality,
    },
};

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use diesel::{
    BoolExpressionMethods, ExpressionMethods, JoinOnDsl, OptionalExtension, QueryDsl,
    SelectableHelper,
};
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;
use wagent_db::{
    Conn, LiteralLimitDsl,
    bus::{self, Event},
    schema::{
        campaign_breakdowns, campaign_recipients, campaign_timeline, campaigns, contacts,
        message_templates, phone_numbers,
    },
};

use crate::{
    Access, Code, CommonError, Domain, Page, Problem, Role,
    error::wraps_common_error,
    inbox::TimeCursor,
    organizations::audit::{self, Entry},
    values::{page_size, text_enum},
};

/// Topic of the events that tell a campaign changed (`{"campaign_id": …}`).
pub const TOPIC_CAMPAIGN: &str = "campaigns.campaign";

text_enum! {
    /// Where a campaign stands.
    pub enum CampaignStatus as "campaign status" {
        Draft = "draft",
        /// Launched, waiting for its start time (or its next run, when recurring).
        Scheduled = "scheduled",
        Running = "running",
        /// Stopped by a person or by Meta's answer (its reason is kept); resumable.
        Paused = "paused",
        Completed = "completed",
        Cancelled = "cancelled",
        /// Could not start (its reason is kept).
        Failed = "failed",
    }
}

text_enum! {
    /// Where one recipient's message stands.
    pub enum RecipientStatus as "recipient status" {
        /// Never sent, for its `skip_reason`.
        Skipped = "skipped",
        Queued = "queued",
        /// Claimed by a worker that is calling Meta now.
        Sending = "sending",
        Sent = "sent",
        /// Accepted but held by Meta's template pacing: only a status webhook tells its fate.
        Held = "held",
        Delivered = "delivered",
        Read = "read",
        Failed = "failed",
        /// The worker died during the call: Meta may or may not have it. Never resent
        /// automatically.
        Unknown = "unknown",
        Cancelled = "cancelled",
    }
}

text_enum! {
    /// Why a recipient is not sent the message.
    pub enum SkipReason as "skip reason" {
        /// A placeholder has no value and no fallback.
        MissingValue = "missing_value",
        /// A value Meta would refuse (too long, a media header that is not a link).
        InvalidValue = "invalid_value",
        OptedOut = "opted_out",
        /// Another contact of the audience has the same number.
        Duplicate = "duplicate",
        /// Neither a phone number nor a WhatsApp user id.
        NoAddress = "no_address",
        /// Meta does not deliver marketing templates to US (+1) numbers.
        UsMarketing = "us_marketing",
        /// Beyond what is left of the number's daily messaging limit.
        OverBudget = "over_budget",
    }
}

text_enum! {
    /// How often a recurring campaign runs.
    pub enum Every as "repeat interval" {
        Day = "day",
        Week = "week",
    }
}

/// Who a campaign goes to: contacts with any of the tags, in any of the segments, or named.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audience {
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub segment_ids: Vec<Uuid>,
    #[serde(default)]
    pub contact_ids: Vec<Uuid>,
    /// Finished imports that kept their contacts as an audience: the people of a file.
    #[serde(default)]
    pub import_ids: Vec<Uuid>,
}

/// Most contacts an audience names one by one (larger lists are tags or segments).
pub const MAX_NAMED_CONTACTS: usize = 10_000;

/// When a campaign sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Schedule {
    /// As soon as it is launched.
    Now,
    /// At a time in the organization's time zone.
    At { local: NaiveDateTime },
    /// On a day at a time in each recipient's own time zone (from their number's country);
    /// a time already past there sends the next day.
    Local { date: NaiveDate, time: NaiveTime },
    /// Every day or week at a time in the organization's time zone; each run is a campaign
    /// of its own, made from this one.
    Recurring {
        every: Every,
        time: NaiveTime,
        /// For weekly runs: 1 (Monday) to 7 (Sunday).
        #[serde(default)]
        weekday: Option<u8>,
    },
}

/// A campaign as its owner writes it.
#[derive(Debug, Clone)]
pub struct CampaignDraft {
    pub name: String,
    pub phone_number_id: Uuid,
    pub template_id: Uuid,
    pub parameters: Vec<ParameterSource>,
    pub audience: Audience,
    pub schedule: Schedule,
    pub retry_per_user_limit: bool,
    /// Hours after the message's delivery (its send, when no delivery is known) within which
    /// a customer's first message counts as a reply.
    pub reply_window_hours: i32,
}

/// What a campaign counts, kept as recipients move. Funnel counts (`sent`, `delivered`,
/// `read`) count recipients that reached the step or a later one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = campaigns)]
pub struct Counts {
    #[diesel(column_name = audience_count)]
    pub audience: i32,
    pub skipped: i32,
    pub queued: i32,
    pub sent: i32,
    pub held: i32,
    pub delivered: i32,
    pub read: i32,
    pub replied: i32,
    pub failed: i32,
    pub unknown: i32,
    pub cancelled: i32,
    pub opted_out: i32,
}

impl Counts {
    /// Delivered of sent, 0 to 1.
    pub fn delivery_rate(&self) -> f64 {
        ratio(self.delivered, self.sent)
    }

    /// Read of delivered.
    pub fn read_rate(&self) -> f64 {
        ratio(self.read, self.delivered)
    }

    /// Replied of delivered.
    pub fn reply_rate(&self) -> f64 {
        ratio(self.replied, self.delivered)
    }
}

fn ratio(part: i32, whole: i32) -> f64 {
    if whole <= 0 {
        0.0
    } else {
        f64::from(part) / f64::from(whole)
    }
}

#[derive(Debug, Clone, PartialEq, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = campaigns)]
pub struct Campaign {
    pub id: Uuid,
    pub name: String,
    pub phone_number_id: Uuid,
    pub template_id: Uuid,
    pub parameters: serde_json::Value,
    pub audience: serde_json::Value,
    pub schedule: serde_json::Value,
    pub retry_per_user_limit: bool,
    pub reply_window_hours: i32,
    pub status: CampaignStatus,
    pub status_reason: Option<String>,
    pub parent_id: Option<Uuid>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub starts_at: Option<DateTime<Utc>>,
    pub launched_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    #[diesel(embed)]
    pub counts: Counts,
}

impl Campaign {
    pub fn parameter_sources(&self) -> Vec<ParameterSource> {
        serde_json::from_value(self.parameters.clone()).unwrap_or_default()
    }

    pub fn audience(&self) -> Audience {
        serde_json::from_value(self.audience.clone()).unwrap_or_default()
    }

    pub fn schedule(&self) -> Schedule {
        serde_json::from_value(self.schedule.clone()).unwrap_or(Schedule::Now)
    }
}

/// One recipient of a launched campaign.
#[derive(Debug, Clone, PartialEq, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = campaign_recipients)]
pub struct Recipient {
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub contact_id: Uuid,
    pub phone: Option<String>,
    pub user_id: Option<String>,
    pub status: RecipientStatus,
    pub skip_reason: Option<SkipReason>,
    pub not_before: DateTime<Utc>,
    pub attempts: i32,
    pub wamid: Option<String>,
    pub error_code: Option<i32>,
    pub error_text: Option<String>,
    pub sent_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub read_at: Option<DateTime<Utc>>,
    pub replied_at: Option<DateTime<Utc>>,
    pub failed_at: Option<DateTime<Utc>>,
    pub opted_out_at: Option<DateTime<Utc>>,
    pub pricing_category: Option<String>,
    pub billable: Option<bool>,
}

/// A count by reason: skips by reason, failures by Meta's code, billable messages by category.
#[derive(Debug, Clone, PartialEq, Eq, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = campaign_breakdowns)]
pub struct Breakdown {
    pub kind: String,
    pub key: String,
    pub label: Option<String>,
    pub n: i32,
}

/// What happened in one minute of a campaign.
#[derive(Debug, Clone, PartialEq, Eq, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = campaign_timeline)]
pub struct TimelinePoint {
    pub minute: DateTime<Utc>,
    pub sent: i32,
    pub delivered: i32,
    pub read: i32,
    pub replied: i32,
    pub failed: i32,
}

/// Filters of the recipient list.
#[derive(Debug, Clone, Default)]
pub struct RecipientFilter {
    pub status: Option<RecipientStatus>,
    pub skip_reason: Option<SkipReason>,
    pub error_code: Option<i32>,
    pub replied: Option<bool>,
}

#[derive(Debug, thiserror::Error)]
pub enum CampaignError {
    #[error(transparent)]
    Common(#[from] CommonError),
    #[error("give the campaign a name of 1 to 200 characters")]
    Name,
    #[error("this number is not connected to the organization")]
    NumberGone,
    #[error("the template does not belong to the number's WhatsApp account")]
    TemplateOfAnotherAccount,
    #[error("the template is {0}; only an approved template can be sent")]
    TemplateNotApproved(String),
    #[error("choose the audience: tags, segments, contacts or a file")]
    NoAudience,
    #[error(
        "the file {0} cannot be an audience: only a finished import started as an audience \
         remembers its contacts"
    )]
    NotAnAudience(String),
    #[error("name at most {MAX_NAMED_CONTACTS} contacts one by one; use a tag or a segment")]
    TooManyContacts,
    #[error("{0}")]
    Schedule(String),
    #[error(transparent)]
    Segment(#[from] crate::contacts::ContactError),
    #[error("this campaign is {0}; {1}")]
    WrongState(CampaignStatus, &'static str),
    #[error("no recipient failed for a reason worth retrying")]
    NothingToRetry,
}

wraps_common_error!(CampaignError);

impl Problem for CampaignError {
    fn code(&self) -> Code {
        match self {
            Self::Common(e) => e.code(),
            Self::Segment(e) => e.code(),
            Self::WrongState(..) | Self::NothingToRetry => Code::Conflict,
            _ => Code::Validation,
        }
    }
}

type Result<T, E = CampaignError> = std::result::Result<T, E>;

/// Meta's codes a recipient's failure may be retried after (by "retry failed"): limits and
/// outages that pass, a template that was paused, a token that was renewed.
pub const RETRYABLE_CODES: &[i32] = &[
    131049, 131000, 131016, 131057, 130472, 132015, 132016, 190, 131031,
];

impl Domain {
    /// The organization's campaigns, newest first.
    pub async fn campaigns(
        &self,
        access: &Access,
        first: Option<i32>,
        after: Option<&str>,
    ) -> Result<Page<Campaign>> {
        access.ensure(Role::Member)?;
        let limit = page_size(first)?;
        let after = after.map(TimeCursor::decode).transpose()?;
        self.tx(access.scope(), async |c| {
            let mut q = campaigns::table
                .select(Campaign::as_select())
                .order((campaigns::created_at.desc(), campaigns::id.desc()))
                .into_boxed();
            if let Some(after) = after {
                q = q.filter(
                    campaigns::created_at.lt(after.at).or(campaigns::created_at
                        .eq(after.at)
                        .and(campaigns::id.lt(after.id))),
                );
            }
            Ok(Page::from_rows(
                q.literal_limit(limit + 1).load(c).await?,
                limit,
            ))
        })
        .await
    }

    pub async fn campaign(&self, access: &Access, id: Uuid) -> Result<Campaign> {
        access.ensure(Role::Member)?;
        self.tx(access.scope(), async |c| find(c, id).await).await
    }

    /// Creates a draft.
    pub async fn create_campaign(&self, access: &Access, draft: CampaignDraft) -> Result<Campaign> {
        access.ensure(Role::Admin)?;
        let draft = normalise(draft)?;
        let id = Uuid::now_v7();
        self.tx(access.scope(), async |c| {
            check_draft(c, &draft).await?;
            diesel::insert_into(campaigns::table)
                .values((
                    campaigns::org_id.eq(access.org_id()),
                    campaigns::id.eq(id),
                    campaigns::name.eq(&draft.name),
                    campaigns::phone_number_id.eq(draft.phone_number_id),
                    campaigns::template_id.eq(draft.template_id),
                    campaigns::created_by.eq(access.caller().user_id()),
                ))
                .execute(c)
                .await?;
            write_draft(c, id, &draft).await?;
            audit::record(
                c,
                access.org_id(),
                access.caller(),
                Entry {
                    action: "campaigns.created",
                    target_type: "campaign",
                    target_id: id.to_string(),
                    details: json!({ "name": draft.name }),
                },
            )
            .await?;
            find(c, id).await
        })
        .await
    }

    /// Changes a draft.
    pub async fn update_campaign(
        &self,
        access: &Access,
        id: Uuid,
        draft: CampaignDraft,
    ) -> Result<Campaign> {
        access.ensure(Role::Admin)?;
        let draft = normalise(draft)?;
        self.tx(access.scope(), async |c| {
            let campaign = find_for_update(c, id).await?;
            if campaign.status != CampaignStatus::Draft {
                return Err(CampaignError::WrongState(
                    campaign.status,
                    "only a draft can be changed (duplicate it instead)",
                ));
            }
            check_draft(c, &draft).await?;
            write_draft(c, id, &draft).await?;
            find(c, id).await
        })
        .await
    }

    /// Deletes a draft.
    pub async fn delete_campaign(&self, access: &Access, id: Uuid) -> Result<Uuid> {
        access.ensure(Role::Admin)?;
        self.tx(access.scope(), async |c| {
            let campaign = find_for_update(c, id).await?;
            if campaign.status != CampaignStatus::Draft {
                return Err(CampaignError::WrongState(
                    campaign.status,
                    "only a draft can be deleted (cancel it instead)",
                ));
            }
            diesel::delete(campaigns::table.filter(campaigns::id.eq(id)))
                .execute(c)
                .await?;
            Ok(id)
        })
        .await
    }

    /// A new draft with the same number, template, values, audience and schedule.
    pub async fn duplicate_campaign(&self, access: &Access, id: Uuid) -> Result<Campaign> {
        access.ensure(Role::Admin)?;
        let original = self.campaign(access, id).await?;
        let name: String = format!("Copy of {}", original.name)
            .chars()
            .take(200)
            .collect();
        let draft = CampaignDraft {
            name,
            phone_number_id: original.phone_number_id,
            template_id: original.template_id,
            parameters: original.parameter_sources(),
            audience: original.audience(),
            schedule: original.schedule(),
            retry_per_user_limit: original.retry_per_user_limit,
            reply_window_hours: original.reply_window_hours,
        };
        self.create_campaign(access, draft).await
    }

    /// Stops sending; recipients not yet claimed wait for `resume_campaign`.
    pub async fn pause_campaign(&self, access: &Access, id: Uuid) -> Result<Campaign> {
        access.ensure(Role::Admin)?;
        self.tx(access.scope(), async |c| {
            let campaign = find_for_update(c, id).await?;
            if !matches!(
                campaign.status,
                CampaignStatus::Running | CampaignStatus::Scheduled
            ) {
                return Err(CampaignError::WrongState(
                    campaign.status,
                    "only a running or scheduled campaign can be paused",
                ));
            }
            set_status(
                c,
                access.org_id(),
                id,
                CampaignStatus::Paused,
                Some("paused by a member"),
            )
            .await?;
            record(c, access, "campaigns.paused", id).await?;
            find(c, id).await
        })
        .await
    }

    /// Sends the rest of a paused campaign (a scheduled one waits for its time again).
    pub async fn resume_campaign(&self, access: &Access, id: Uuid) -> Result<Campaign> {
        access.ensure(Role::Admin)?;
        self.tx(access.scope(), async |c| {
            let campaign = find_for_update(c, id).await?;
            if campaign.status != CampaignStatus::Paused {
                return Err(CampaignError::WrongState(
                    campaign.status,
                    "only a paused campaign can be resumed",
                ));
            }
            let status = if campaign.launched_at.is_some() {
                CampaignStatus::Running
            } else {
                CampaignStatus::Scheduled
            };
            set_status(c, access.org_id(), id, status, None).await?;
            match status {
                CampaignStatus::Running => {
                    dispatch::start(c, access.org_id(), id, self.campaign_shards()).await?
                }
                _ => Launch::enqueue(c, access.org_id(), id, campaign.starts_at).await?,
            }
            record(c, access, "campaigns.resumed", id).await?;
            find(c, id).await
        })
        .await
    }

    /// Stops the campaign for good: recipients not yet sent are cancelled.
    pub async fn cancel_campaign(&self, access: &Access, id: Uuid) -> Result<Campaign> {
        access.ensure(Role::Admin)?;
        self.tx(access.scope(), async |c| {
            let campaign = find_for_update(c, id).await?;
            if matches!(
                campaign.status,
                CampaignStatus::Completed | CampaignStatus::Cancelled | CampaignStatus::Failed
            ) {
                return Err(CampaignError::WrongState(
                    campaign.status,
                    "it has already ended",
                ));
            }
            cancel_queued(c, id).await?;
            diesel::update(campaigns::table.filter(campaigns::id.eq(id)))
                .set(campaigns::finished_at.eq(Utc::now()))
                .execute(c)
                .await?;
            set_status(c, access.org_id(), id, CampaignStatus::Cancelled, None).await?;
            record(c, access, "campaigns.cancelled", id).await?;
            find(c, id).await
        })
        .await
    }

    /// Queues again the recipients that failed for a reason that passes
    /// ([`RETRYABLE_CODES`], or no answer from Meta at all). Never `unknown` ones: they may
    /// have the message already.
    pub async fn retry_failed_recipients(&self, access: &Access, id: Uuid) -> Result<Campaign> {
        access.ensure(Role::Admin)?;
        self.tx(access.scope(), async |c| {
            let campaign = find_for_update(c, id).await?;
            if matches!(
                campaign.status,
                CampaignStatus::Draft | CampaignStatus::Scheduled | CampaignStatus::Cancelled
            ) {
                return Err(CampaignError::WrongState(
                    campaign.status,
                    "only a launched campaign's recipients can be retried",
                ));
            }
            let retried = tracking::requeue_retryable(c, access.org_id(), id).await?;
            if retried == 0 {
                return Err(CampaignError::NothingToRetry);
            }
            if campaign.status != CampaignStatus::Paused {
                set_status(c, access.org_id(), id, CampaignStatus::Running, None).await?;
                dispatch::start(c, access.org_id(), id, self.campaign_shards()).await?;
            }
            record(c, access, "campaigns.retried", id).await?;
            find(c, id).await
        })
        .await
    }

    /// A page of a launched campaign's recipients, in the order they were frozen, each with
    /// the contact's name.
    pub async fn campaign_recipients(
        &self,
        access: &Access,
        campaign_id: Uuid,
        filter: &RecipientFilter,
        first: Option<i32>,
        after: Option<Uuid>,
    ) -> Result<Page<(Recipient, Option<String>)>> {
        access.ensure(Role::Member)?;
        let limit = page_size(first)?;
        self.tx(access.scope(), async |c| {
            Ok(Page::from_rows(
                recipients_page(c, campaign_id, filter, after, limit + 1).await?,
                limit,
            ))
        })
        .await
    }

    /// Counts by reason of several campaigns, in one statement.
    pub async fn campaign_breakdowns(
        &self,
        access: &Access,
        campaign_ids: &[Uuid],
    ) -> Result<Vec<(Uuid, Breakdown)>> {
        access.ensure(Role::Member)?;
        self.tx(access.scope(), async |c| {
            Ok(campaign_breakdowns::table
                .filter(campaign_breakdowns::campaign_id.eq_any(campaign_ids))
                .order((
                    campaign_breakdowns::campaign_id,
                    campaign_breakdowns::kind,
                    campaign_breakdowns::n.desc(),
                ))
                .select((campaign_breakdowns::campaign_id, Breakdown::as_select()))
                .load(c)
                .await?)
        })
        .await
    }

    /// Several campaigns minute by minute, in one statement.
    pub async fn campaign_timelines(
        &self,
        access: &Access,
        campaign_ids: &[Uuid],
    ) -> Result<Vec<(Uuid, TimelinePoint)>> {
        access.ensure(Role::Member)?;
        self.tx(access.scope(), async |c| {
            Ok(campaign_timeline::table
                .filter(campaign_timeline::campaign_id.eq_any(campaign_ids))
                .order((campaign_timeline::campaign_id, campaign_timeline::minute))
                .select((campaign_timeline::campaign_id, TimelinePoint::as_select()))
                .limit(10_000 * campaign_ids.len().max(1) as i64)
                .load(c)
                .await?)
        })
        .await
    }

    /// How many dispatch jobs share a campaign's recipients (each paced to its share).
    pub(crate) fn campaign_shards(&self) -> u16 {
        self.campaign_shards
    }
}

/// Recipients after `after` in freeze order, with their contact's name: the list's page and
/// the export's chunk.
pub(crate) async fn recipients_page(
    c: &mut Conn,
    campaign_id: Uuid,
    filter: &RecipientFilter,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Vec<(Recipient, Option<String>)>, CommonError> {
    let mut q = campaign_recipients::table
        .inner_join(contacts::table.on(contacts::id.eq(campaign_recipients::contact_id)))
        .filter(campaign_recipients::campaign_id.eq(campaign_id))
        .order(campaign_recipients::id)
        .select((
            Recipient::as_select(),
            diesel::dsl::sql::<diesel::sql_types::Nullable<diesel::sql_types::Text>>(
                "coalesce(contacts.name, contacts.profile_name)",
            ),
        ))
        .into_boxed();
    if let Some(status) = filter.status {
        q = q.filter(campaign_recipients::status.eq(status));
    }
    if let Some(reason) = filter.skip_reason {
        q = q.filter(campaign_recipients::skip_reason.eq(reason));
    }
    if let Some(code) = filter.error_code {
        q = q.filter(campaign_recipients::error_code.eq(code));
    }
    match filter.replied {
        Some(true) => q = q.filter(campaign_recipients::replied_at.is_not_null()),
        Some(false) => q = q.filter(campaign_recipients::replied_at.is_null()),
        None => {}
    }
    if let Some(after) = after {
        q = q.filter(campaign_recipients::id.gt(after));
    }
    Ok(q.literal_limit(limit).load(c).await?)
}

pub(crate) async fn find(c: &mut Conn, id: Uuid) -> Result<Campaign> {
    campaigns::table
        .filter(campaigns::id.eq(id))
        .select(Campaign::as_select())
        .first(c)
        .await
        .optional()?
        .ok_or(CampaignError::Common(CommonError::NotFound("campaign")))
}

async fn find_for_update(c: &mut Conn, id: Uuid) -> Result<Campaign> {
    campaigns::table
        .filter(campaigns::id.eq(id))
        .select(Campaign::as_select())
        .for_update()
        .first(c)
        .await
        .optional()?
        .ok_or(CampaignError::Common(CommonError::NotFound("campaign")))
}

/// Cancels the campaign's recipients still queued and moves them from the queued count to
/// the cancelled one; returns how many.
pub(crate) async fn cancel_queued(c: &mut Conn, id: Uuid) -> Result<i32, CommonError> {
    let cancelled = diesel::update(
        campaign_recipients::table
            .filter(campaign_recipients::campaign_id.eq(id))
            .filter(campaign_recipients::status.eq(RecipientStatus::Queued)),
    )
    .set((
        campaign_recipients::status.eq(RecipientStatus::Cancelled),
        campaign_recipients::claimed_by.eq(None::<String>),
        campaign_recipients::claimed_until.eq(None::<DateTime<Utc>>),
    ))
    .execute(c)
    .await? as i32;
    if cancelled > 0 {
        diesel::update(campaigns::table.filter(campaigns::id.eq(id)))
            .set((
                campaigns::queued.eq(campaigns::queued - cancelled),
                campaigns::cancelled.eq(campaigns::cancelled + cancelled),
            ))
            .execute(c)
            .await?;
    }
    Ok(cancelled)
}

/// Moves a campaign to `status` and tells its live views.
pub(crate) async fn set_status(
    c: &mut Conn,
    org_id: Uuid,
    id: Uuid,
    status: CampaignStatus,
    reason: Option<&str>,
) -> Result<(), CommonError> {
    diesel::update(campaigns::table.filter(campaigns::id.eq(id)))
        .set((
            campaigns::status.eq(status),
            campaigns::status_reason.eq(reason.map(|r| r.chars().take(2000).collect::<String>())),
            campaigns::updated_at.eq(Utc::now()),
        ))
        .execute(c)
        .await?;
    publish(c, org_id, id).await
}

/// Tells subscribers that a campaign changed, when the transaction commits.
pub(crate) async fn publish(c: &mut Conn, org_id: Uuid, id: Uuid) -> Result<(), CommonError> {
    bus::publish(
        c,
        &Event {
            org_id,
            topic: TOPIC_CAMPAIGN.into(),
            data: json!({ "campaign_id": id }),
        },
    )
    .await?;
    Ok(())
}

async fn record(c: &mut Conn, access: &Access, action: &'static str, id: Uuid) -> Result<()> {
    audit::record(
        c,
        access.org_id(),
        access.caller(),
        Entry {
            action,
            target_type: "campaign",
            target_id: id.to_string(),
            details: json!({}),
        },
    )
    .await?;
    Ok(())
}

fn normalise(mut draft: CampaignDraft) -> Result<CampaignDraft> {
    draft.name = draft.name.trim().to_owned();
    if draft.name.is_empty() || draft.name.chars().count() > 200 {
        return Err(CampaignError::Name);
    }
    let a = &mut draft.audience;
    a.tags = a
        .tags
        .iter()
        .map(|t| crate::contacts::normal_tag(t))
        .filter(|t| !t.is_empty())
        .collect();
    a.tags.sort();
    a.tags.dedup();
    a.segment_ids.sort();
    a.segment_ids.dedup();
    a.import_ids.sort();
    a.import_ids.dedup();
    if a.tags.len() > 100 || a.segment_ids.len() > 100 || a.import_ids.len() > 100 {
        return Err(CampaignError::Schedule(
            "an audience names at most 100 tags, 100 segments and 100 files".into(),
        ));
    }
    if a.contact_ids.len() > MAX_NAMED_CONTACTS {
        return Err(CampaignError::TooManyContacts);
    }
    if draft.parameters.len() > 100 {
        return Err(CampaignError::Schedule(
            "a template has at most 100 placeholders".into(),
        ));
    }
    for p in &draft.parameters {
        let long = [&p.text, &p.fallback, &p.field]
            .into_iter()
            .flatten()
            .any(|t| t.chars().count() > 2000);
        if long {
            return Err(CampaignError::Schedule(
                "a value or fallback has at most 2000 characters".into(),
            ));
        }
    }
    if !(1..=720).contains(&draft.reply_window_hours) {
        return Err(CampaignError::Schedule(
            "the reply window is 1 to 720 hours".into(),
        ));
    }
    if let Schedule::Recurring {
        every: Every::Week,
        weekday,
        ..
    } = draft.schedule
        && !weekday.is_some_and(|d| (1..=7).contains(&d))
    {
        return Err(CampaignError::Schedule(
            "a weekly campaign needs its weekday, 1 (Monday) to 7 (Sunday)".into(),
        ));
    }
    Ok(draft)
}

/// The number is the organization's and connected; the template is of its account; the
/// values fit the template's placeholders.
async fn check_draft(c: &mut Conn, draft: &CampaignDraft) -> Result<()> {
    let number: Option<(Uuid, Option<DateTime<Utc>>)> = phone_numbers::table
        .filter(phone_numbers::id.eq(draft.phone_number_id))
        .select((phone_numbers::account_id, phone_numbers::disconnected_at))
        .first(c)
        .await
        .optional()?;
    let Some((account_id, None)) = number else {
        return Err(CampaignError::NumberGone);
    };
    let template: crate::whatsapp::Template = message_templates::table
        .filter(message_templates::id.eq(draft.template_id))
        .select(crate::whatsapp::Template::as_select())
        .first(c)
        .await
        .optional()?
        .ok_or(CampaignError::Common(CommonError::NotFound("template")))?;
    if template.account_id != account_id {
        return Err(CampaignError::TemplateOfAnotherAccount);
    }
    for segment in &draft.audience.segment_ids {
        crate::contacts::segments::load_segment(c, *segment).await?;
    }
    audience::check_imports(c, &draft.audience.import_ids).await?;
    let fields = audience::field_keys(c).await?;
    message::check_sources(
        &message::placeholders_of(&template),
        &draft.parameters,
        &fields,
    )?;
    Ok(())
}

async fn write_draft(c: &mut Conn, id: Uuid, draft: &CampaignDraft) -> Result<()> {
    let json = |v: serde_json::Result<serde_json::Value>| v.map_err(CommonError::internal);
    diesel::update(campaigns::table.filter(campaigns::id.eq(id)))
        .set((
            campaigns::name.eq(&draft.name),
            campaigns::phone_number_id.eq(draft.phone_number_id),
            campaigns::template_id.eq(draft.template_id),
            campaigns::parameters.eq(json(serde_json::to_value(&draft.parameters))?),
            campaigns::audience.eq(json(serde_json::to_value(&draft.audience))?),
            campaigns::schedule.eq(json(serde_json::to_value(&draft.schedule))?),
            campaigns::retry_per_user_limit.eq(draft.retry_per_user_limit),
            campaigns::reply_window_hours.eq(draft.reply_window_hours),
            campaigns::updated_at.eq(Utc::now()),
        ))
        .execute(c)
        .await?;
    Ok(())
}

/// Rows the CSV export reads per statement.
pub const EXPORT_CHUNK: i64 = 2_000;

impl Domain {
    /// The next chunk of a campaign's recipients for the CSV export (every recipient, in
    /// freeze order), after `after`.
    pub async fn export_campaign_recipients(
        &self,
        access: &Access,
        campaign_id: Uuid,
        after: Option<Uuid>,
    ) -> Result<Vec<(Recipient, Option<String>)>> {
        access.ensure(Role::Member)?;
        self.tx(access.scope(), async |c| {
            if after.is_none() {
                find(c, campaign_id).await?;
            }
            Ok(recipients_page(
                c,
                campaign_id,
                &RecipientFilter::default(),
                after,
                EXPORT_CHUNK,
            )
            .await?)
        })
        .await
    }
}

impl Domain {
    /// The placeholders a campaign with this template fills, in order.
    pub async fn template_placeholders(
        &self,
        access: &Access,
        template_id: Uuid,
    ) -> Result<Vec<Placeholder>> {
        access.ensure(Role::Member)?;
        self.tx(access.scope(), async |c| {
            let template: crate::whatsapp::Template = message_templates::table
                .filter(message_templates::id.eq(template_id))
                .select(crate::whatsapp::Template::as_select())
                .first(c)
                .await
                .optional()?
                .ok_or(CampaignError::Common(CommonError::NotFound("template")))?;
            Ok(message::placeholders_of(&template))
        })
        .await
    }
}
