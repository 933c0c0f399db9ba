//! The audience of a campaign: read from contacts page by page, each contact planned (queued
//! with its rendered components, or skipped with a reason), then previewed or frozen into
//! `campaign_recipients`.
//!
//! The checks run in this order, so each recipient counts under its first reason: no
//! address, duplicate address, opted out, US number with a marketing template, missing or
//! invalid value, then the messaging-limit budget.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use diesel::{
    BoolExpressionMethods, ExpressionMethods, OptionalExtension, PgArrayExpressionMethods,
    QueryDsl, SelectableHelper,
    expression::BoxableExpression,
    pg::Pg,
    sql_types::{Array, Bool, Date, Jsonb, Nullable, Text, Time, Uuid as SqlUuid},
};
use diesel_async::RunQueryDsl;
use serde_json::Value;
use uuid::Uuid;
use wagent_db::{
    Conn, LiteralLimitDsl,
    schema::{
        campaign_breakdowns, campaign_recipients, campaigns, contact_fields,
        contact_import_members, contact_imports, contacts, message_templates, organizations,
        phone_numbers,
    },
};

use super::{
    Audience, Campaign, CampaignError, CampaignStatus, Result, Schedule, SkipReason,
    message::{self, ParameterSource, Placeholder, RenderError},
};
use crate::{
    Access, CommonError, Domain, Role,
    contacts::{
        Contact, Marketing,
        imports::{ContactImport, ImportStatus},
        place_of,
        segments::{SegmentPredicate, segment_predicate},
    },
    whatsapp::{Template, TemplateCategory, TemplateStatus},
};

/// Contacts read per statement while planning.
const PAGE: i64 = 5_000;
/// Recipients a preview shows.
const SAMPLES: usize = 10;

/// The number's daily messaging limit (unique customers messaged outside a customer-service
/// window in a moving 24 hours) and what is left of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// None: unlimited, or not known yet.
    pub limit: Option<i64>,
    /// Customers messaged (or queued) by campaigns in the last 24 hours.
    pub used: i64,
    /// Recipients of this campaign that count against the limit.
    pub needed: i64,
}

impl Budget {
    pub fn left(&self) -> Option<i64> {
        self.limit.map(|l| (l - self.used).max(0))
    }

    /// True when every recipient fits in what is left today.
    pub fn covers(&self) -> bool {
        self.left().is_none_or(|left| self.needed <= left)
    }
}

/// What a launch would do, before it is done.
#[derive(Debug, Clone, PartialEq)]
pub struct AudiencePreview {
    /// Contacts the audience matches.
    pub audience: i64,
    pub queued: i64,
    pub skipped: Vec<(SkipReason, i64)>,
    pub budget: Budget,
    /// The first recipients, each with their message or skip reason.
    pub samples: Vec<RecipientPreview>,
}

/// One recipient's message as they would receive it, or why they would not.
#[derive(Debug, Clone, PartialEq)]
pub struct RecipientPreview {
    pub contact_id: Uuid,
    pub name: Option<String>,
    /// `+5511…` or the user id.
    pub address: Option<String>,
    pub skip_reason: Option<SkipReason>,
    /// The missing or invalid value, for those skipped for one.
    pub detail: Option<String>,
    /// The body with this recipient's values.
    pub text: Option<String>,
}

/// One planned recipient.
struct Planned {
    contact: Contact,
    phone: Option<String>,
    user_id: Option<String>,
    components: Value,
    skip: Option<SkipReason>,
    detail: Option<String>,
    zone: Option<String>,
}

/// Plans contacts one page at a time, remembering what earlier pages took.
pub(super) struct Planner {
    template: Template,
    placeholders: Vec<Placeholder>,
    sources: Vec<ParameterSource>,
    marketing: bool,
    seen: HashSet<String>,
    /// Customers the budget already counts today.
    counted: HashSet<Uuid>,
    budget: Budget,
    window_open_since: DateTime<Utc>,
    pub(super) audience: i64,
    pub(super) queued: i64,
    pub(super) skipped: BTreeMap<&'static str, (SkipReason, i64)>,
    /// Valid IANA zone names, for local-time schedules.
    zones: HashSet<String>,
    org_zone: String,
}

impl Planner {
    pub(super) async fn load(c: &mut Conn, campaign: &Campaign) -> Result<Self> {
        let template: Template = message_templates::table
            .filter(message_templates::id.eq(campaign.template_id))
            .select(Template::as_select())
            .first(c)
            .await?;
        let limit: Option<String> = phone_numbers::table
            .filter(phone_numbers::id.eq(campaign.phone_number_id))
            .select(phone_numbers::messaging_limit)
            .first(c)
            .await
            .optional()?
            .flatten();
        let since = Utc::now() - chrono::Duration::hours(24);
        // Customers already messaged (or about to be) count once, whichever campaign.
        let counted: HashSet<Uuid> =
            campaign_recipients::table
                .filter(campaign_recipients::sent_at.gt(since).or(
                    campaign_recipients::status.eq_any([
                        super::RecipientStatus::Queued,
                        super::RecipientStatus::Sending,
                    ]),
                ))
                .filter(campaign_recipients::campaign_id.ne(campaign.id))
                .select(campaign_recipients::contact_id)
                .distinct()
                .load::<Uuid>(c)
                .await?
                .into_iter()
                .collect();
        let org_zone: String = organizations::table
            .select(organizations::time_zone)
            .first(c)
            .await?;
        let zones: HashSet<String> = match campaign.schedule() {
            Schedule::Local { .. } => diesel::sql_query("SELECT name FROM pg_timezone_names")
                .load::<ZoneName>(c)
                .await?
                .into_iter()
                .map(|z| z.name)
                .collect(),
            _ => HashSet::new(),
        };
        let placeholders = message::placeholders_of(&template);
        Ok(Self {
            marketing: template.category == TemplateCategory::Marketing,
            placeholders,
            sources: campaign.parameter_sources(),
            template,
            seen: HashSet::new(),
            budget: Budget {
                limit: limit.as_deref().and_then(tier_limit),
                used: counted.len() as i64,
                needed: 0,
            },
            counted,
            window_open_since: since,
            audience: 0,
            queued: 0,
            skipped: BTreeMap::new(),
            zones,
            org_zone,
        })
    }

    fn plan(&mut self, contact: Contact) -> Planned {
        self.audience += 1;
        let phone = contact.phone();
        let user_id = contact.user_id.clone();
        let zone = contact
            .time_zone
            .clone()
            .filter(|z| self.zones.contains(z))
            .or_else(|| {
                contact
                    .country
                    .as_deref()
                    .and_then(crate::contacts::time_zones::for_country)
                    .map(str::to_owned)
            })
            .or_else(|| Some(self.org_zone.clone()));
        let address = phone
            .as_ref()
            .map(|p| p.wa_id().to_owned())
            .or_else(|| user_id.clone());
        let mut planned = Planned {
            phone: phone.as_ref().map(|p| p.wa_id().to_owned()),
            user_id,
            components: Value::Array(Vec::new()),
            skip: None,
            detail: None,
            zone,
            contact,
        };
        let skip = |planned: &mut Planned, reason: SkipReason, detail: Option<String>| {
            planned.skip = Some(reason);
            planned.detail = detail;
        };
        let duplicate = address
            .as_ref()
            .is_some_and(|a| !self.seen.insert(a.clone()));
        match address {
            None => skip(&mut planned, SkipReason::NoAddress, None),
            Some(_) if duplicate => skip(&mut planned, SkipReason::Duplicate, None),
            Some(_) if planned.contact.marketing == Marketing::OptedOut => {
                skip(&mut planned, SkipReason::OptedOut, None)
            }
            Some(_)
                if self.marketing
                    && phone
                        .as_ref()
                        .is_some_and(|p| place_of(p).0.as_deref() == Some("US")) =>
            {
                skip(&mut planned, SkipReason::UsMarketing, None)
            }
            Some(_) => match message::render(
                &self.template,
                &self.placeholders,
                &self.sources,
                &planned.contact,
            ) {
                Err(RenderError::Missing(what)) => {
                    skip(&mut planned, SkipReason::MissingValue, Some(what))
                }
                Err(RenderError::Invalid(what)) => {
                    skip(&mut planned, SkipReason::InvalidValue, Some(what))
                }
                Ok(components) => {
                    planned.components =
                        serde_json::to_value(&components).unwrap_or(Value::Array(Vec::new()));
                    // A customer who wrote in the last 24 hours has a window open: the
                    // message does not count against the limit, nor does a second one.
                    let window_open = planned
                        .contact
                        .last_inbound_at
                        .is_some_and(|at| at > self.window_open_since);
                    if !window_open && !self.counted.contains(&planned.contact.id) {
                        let left = self.budget.left();
                        if left.is_some_and(|left| self.budget.needed >= left) {
                            skip(&mut planned, SkipReason::OverBudget, None);
                        } else {
                            self.budget.needed += 1;
                        }
                    }
                }
            },
        }
        match planned.skip {
            Some(reason) => self.skipped.entry(reason.as_str()).or_insert((reason, 0)).1 += 1,
            None => self.queued += 1,
        }
        planned
    }

    fn preview(&self, p: &Planned) -> RecipientPreview {
        let components: Vec<wagent_meta::TemplateComponent> =
            serde_json::from_value(p.components.clone()).unwrap_or_default();
        RecipientPreview {
            contact_id: p.contact.id,
            name: p.contact.display_name().map(str::to_owned),
            address: p
                .phone
                .as_ref()
                .map(|d| format!("+{d}"))
                .or_else(|| p.user_id.clone()),
            skip_reason: p.skip,
            detail: p.detail.clone(),
            text: p
                .skip
                .is_none()
                .then(|| message::preview_text(&self.template, &components))
                .flatten(),
        }
    }
}

#[derive(diesel::QueryableByName)]
struct ZoneName {
    #[diesel(sql_type = Text)]
    name: String,
}

/// `TIER_250`, `TIER_2K`, `TIER_100K` → the number; `TIER_UNLIMITED` or unknown → none.
fn tier_limit(tier: &str) -> Option<i64> {
    let n = tier.strip_prefix("TIER_")?;
    let (digits, factor) = match n.strip_suffix('K') {
        Some(d) => (d, 1_000),
        None => (n, 1),
    };
    digits.parse::<i64>().ok().map(|d| d * factor)
}

/// The keys of the organization's contact fields.
pub(super) async fn field_keys(c: &mut Conn) -> Result<Vec<String>, CommonError> {
    Ok(contact_fields::table
        .select(contact_fields::key)
        .load(c)
        .await?)
}

/// Each file an audience names is a finished import of the organization that kept its
/// contacts as an audience.
pub(super) async fn check_imports(c: &mut Conn, ids: &[Uuid]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let found: Vec<ContactImport> = contact_imports::table
        .filter(contact_imports::id.eq_any(ids))
        .select(ContactImport::as_select())
        .load(c)
        .await?;
    for id in ids {
        let Some(import) = found.iter().find(|f| f.id == *id) else {
            return Err(CampaignError::Common(CommonError::NotFound(
                "contact import",
            )));
        };
        if import.status != ImportStatus::Done || !import.options().as_audience {
            return Err(CampaignError::NotAnAudience(import.file_name.clone()));
        }
    }
    Ok(())
}

/// Who an audience is, as SQL: its tags, named contacts, files and segments' predicates.
pub(super) struct AudienceQuery {
    tags: Vec<String>,
    contact_ids: Vec<Uuid>,
    import_ids: Vec<Uuid>,
    segments: Vec<SegmentPredicate>,
}

impl AudienceQuery {
    /// Reads the audience's segments (as they are now) in the caller's transaction.
    pub(super) async fn load(c: &mut Conn, audience: &Audience) -> Result<Self> {
        let mut segments = Vec::with_capacity(audience.segment_ids.len());
        for id in &audience.segment_ids {
            let segment = crate::contacts::segments::load_segment(c, *id).await?;
            segments.push(segment_predicate(&segment.filter));
        }
        Ok(Self {
            tags: audience.tags.clone(),
            contact_ids: audience.contact_ids.clone(),
            import_ids: audience.import_ids.clone(),
            segments,
        })
    }
}

/// A page of the audience's contacts after `after`, in id order.
async fn page(
    c: &mut Conn,
    audience: &AudienceQuery,
    after: Option<Uuid>,
) -> Result<Vec<Contact>, CommonError> {
    type Condition = Box<dyn BoxableExpression<contacts::table, Pg, SqlType = Bool>>;
    let mut matches: Condition = Box::new(contacts::id.eq_any(audience.contact_ids.clone()));
    if !audience.tags.is_empty() {
        matches = Box::new(matches.or(contacts::tags.overlaps_with(audience.tags.clone())));
    }
    if !audience.import_ids.is_empty() {
        let members = contact_import_members::table
            .filter(contact_import_members::import_id.eq_any(audience.import_ids.clone()))
            .select(contact_import_members::contact_id);
        matches = Box::new(matches.or(contacts::id.eq_any(members)));
    }
    for segment in &audience.segments {
        matches = Box::new(matches.or(segment.clone()));
    }
    let mut q = contacts::table
        .filter(matches)
        .select(Contact::as_select())
        .order(contacts::id)
        .into_boxed();
    if let Some(after) = after {
        q = q.filter(contacts::id.gt(after));
    }
    Ok(q.literal_limit(PAGE).load(c).await?)
}

impl Domain {
    /// What launching the campaign now would do: its audience, skips by reason, the budget
    /// and the first recipients' messages. Reads every contact of the audience once.
    pub async fn preview_campaign(&self, access: &Access, id: Uuid) -> Result<AudiencePreview> {
        access.ensure(Role::Member)?;
        self.tx(access.scope(), async |c| {
            let campaign = super::find(c, id).await?;
            let audience = AudienceQuery::load(c, &campaign.audience()).await?;
            let mut planner = Planner::load(c, &campaign).await?;
            let mut samples = Vec::new();
            let mut after = None;
            loop {
                let contacts = page(c, &audience, after).await?;
                let Some(last) = contacts.as_slice().last().map(|k| k.id) else {
                    break;
                };
                for contact in contacts {
                    let planned = planner.plan(contact);
                    if samples.len() < SAMPLES {
                        samples.push(planner.preview(&planned));
                    }
                }
                after = Some(last);
            }
            Ok(AudiencePreview {
                audience: planner.audience,
                queued: planner.queued,
                skipped: planner.skipped.values().copied().collect(),
                budget: planner.budget,
                samples,
            })
        })
        .await
    }

    /// One contact's message in this campaign, or why they would be skipped (as if they
    /// were the audience's first recipient).
    pub async fn preview_campaign_for(
        &self,
        access: &Access,
        id: Uuid,
        contact_id: Uuid,
    ) -> Result<RecipientPreview> {
        access.ensure(Role::Member)?;
        self.tx(access.scope(), async |c| {
            let campaign = super::find(c, id).await?;
            let mut planner = Planner::load(c, &campaign).await?;
            let contact: Contact = contacts::table
                .filter(contacts::id.eq(contact_id))
                .select(Contact::as_select())
                .first(c)
                .await
                .optional()?
                .ok_or(CampaignError::Common(CommonError::NotFound("contact")))?;
            let planned = planner.plan(contact);
            Ok(planner.preview(&planned))
        })
        .await
    }

    /// Launches a draft: it starts at its scheduled time (now, unless scheduled), when a
    /// job freezes its audience and starts sending.
    pub async fn launch_campaign(&self, access: &Access, id: Uuid) -> Result<Campaign> {
        access.ensure(Role::Admin)?;
        self.tx(access.scope(), async |c| {
            let campaign = super::find_for_update(c, id).await?;
            if campaign.status != CampaignStatus::Draft {
                return Err(CampaignError::WrongState(
                    campaign.status,
                    "only a draft can be launched",
                ));
            }
            let audience = campaign.audience();
            if audience.tags.is_empty()
                && audience.segment_ids.is_empty()
                && audience.contact_ids.is_empty()
                && audience.import_ids.is_empty()
            {
                return Err(CampaignError::NoAudience);
            }
            ready_to_send(c, &campaign).await?;
            let starts_at = first_start(c, &campaign.schedule()).await?;
            diesel::update(campaigns::table.filter(campaigns::id.eq(id)))
                .set(campaigns::starts_at.eq(starts_at))
                .execute(c)
                .await?;
            super::set_status(c, access.org_id(), id, CampaignStatus::Scheduled, None).await?;
            super::Launch::enqueue(c, access.org_id(), id, Some(starts_at)).await?;
            super::record(c, access, "campaigns.launched", id).await?;
            super::find(c, id).await
        })
        .await
    }
}

/// The template is still approved and the number still connected.
pub(super) async fn ready_to_send(c: &mut Conn, campaign: &Campaign) -> Result<()> {
    let status: TemplateStatus = message_templates::table
        .filter(message_templates::id.eq(campaign.template_id))
        .select(message_templates::status)
        .first(c)
        .await?;
    if status != TemplateStatus::Approved {
        return Err(CampaignError::TemplateNotApproved(
            status.as_str().to_lowercase(),
        ));
    }
    let connected = phone_numbers::table
        .filter(phone_numbers::id.eq(campaign.phone_number_id))
        .filter(phone_numbers::disconnected_at.is_null())
        .count()
        .get_result::<i64>(c)
        .await?;
    if connected == 0 {
        return Err(CampaignError::NumberGone);
    }
    Ok(())
}

#[derive(diesel::QueryableByName)]
struct At {
    #[diesel(sql_type = Nullable<diesel::sql_types::Timestamptz>)]
    at: Option<DateTime<Utc>>,
}

/// When a schedule first starts, reading its times in the organization's time zone.
pub(super) async fn first_start(c: &mut Conn, schedule: &Schedule) -> Result<DateTime<Utc>> {
    match schedule {
        Schedule::Now | Schedule::Local { .. } => Ok(Utc::now()),
        Schedule::At { local } => {
            let at: At = diesel::sql_query(
                "SELECT ($1::timestamp AT TIME ZONE o.time_zone) AS at FROM organizations o",
            )
            .bind::<diesel::sql_types::Timestamp, _>(local)
            .get_result(c)
            .await?;
            let at = at
                .at
                .ok_or_else(|| CommonError::internal("no organization"))?;
            Ok(at.max(Utc::now()))
        }
        Schedule::Recurring {
            every,
            time,
            weekday,
        } => next_run(c, *every, *time, *weekday).await,
    }
}

/// The next time after now that is `time` in the organization's time zone (on `weekday`,
/// 1 = Monday, for weekly runs).
pub(super) async fn next_run(
    c: &mut Conn,
    every: super::Every,
    time: NaiveTime,
    weekday: Option<u8>,
) -> Result<DateTime<Utc>> {
    let weekday = match every {
        super::Every::Day => None,
        super::Every::Week => weekday.map(i32::from),
    };
    let at: At = diesel::sql_query(
        "SELECT min(t) AS at FROM organizations o,
                LATERAL (SELECT (((now() AT TIME ZONE o.time_zone)::date + d) + $1::time)
                                    AT TIME ZONE o.time_zone AS t,
                                extract(isodow FROM (now() AT TIME ZONE o.time_zone)::date + d)::int
                                    AS dow
                           FROM generate_series(0, 8) AS d) AS days
          WHERE t > now() AND ($2::int IS NULL OR dow = $2)",
    )
    .bind::<Time, _>(time)
    .bind::<Nullable<diesel::sql_types::Integer>, _>(weekday)
    .get_result(c)
    .await?;
    at.at
        .ok_or_else(|| CampaignError::Schedule("no next run for this schedule".into()))
}

/// Freezes the audience of `campaign`: one recipient row per contact, queued or skipped,
/// written with `unnest` arrays a page at a time, and the counters set. Runs in the
/// launch job's transaction. Returns how many recipients it wrote.
pub(super) async fn freeze(c: &mut Conn, org_id: Uuid, campaign: &Campaign) -> Result<i64> {
    let audience = AudienceQuery::load(c, &campaign.audience()).await?;
    let (date, time) = match campaign.schedule() {
        Schedule::Local { date, time } => (Some(date), Some(time)),
        _ => (None::<NaiveDate>, None::<NaiveTime>),
    };
    let mut planner = Planner::load(c, campaign).await?;
    let mut after = None;
    loop {
        let contacts = page(c, &audience, after).await?;
        let Some(last) = contacts.as_slice().last().map(|k| k.id) else {
            break;
        };
        after = Some(last);
        let planned: Vec<Planned> = contacts.into_iter().map(|k| planner.plan(k)).collect();
        let n = planned.len();
        let mut ids = Vec::with_capacity(n);
        let mut contact_ids = Vec::with_capacity(n);
        let mut phones = Vec::with_capacity(n);
        let mut user_ids = Vec::with_capacity(n);
        let mut components = Vec::with_capacity(n);
        let mut statuses = Vec::with_capacity(n);
        let mut reasons = Vec::with_capacity(n);
        let mut zones = Vec::with_capacity(n);
        for p in planned {
            ids.push(Uuid::now_v7());
            contact_ids.push(p.contact.id);
            phones.push(p.phone);
            user_ids.push(p.user_id);
            components.push(p.components);
            statuses.push(
                match p.skip {
                    Some(_) => super::RecipientStatus::Skipped,
                    None => super::RecipientStatus::Queued,
                }
                .as_str(),
            );
            reasons.push(p.skip.map(SkipReason::as_str));
            zones.push(p.zone);
        }
        diesel::sql_query(
            "INSERT INTO campaign_recipients
                    (org_id, campaign_id, id, contact_id, phone, user_id, components, status,
                     skip_reason, not_before)
             SELECT $1, $2, r.id, r.contact_id, r.phone, r.user_id, r.components, r.status,
                    r.skip_reason,
                    CASE WHEN $3::date IS NULL THEN now()
                         ELSE (SELECT CASE WHEN t < now() THEN t + interval '1 day' ELSE t END
                                 FROM (SELECT ($3::date + $4::time) AT TIME ZONE r.zone AS t) x)
                    END
               FROM unnest($5::uuid[], $6::uuid[], $7::text[], $8::text[], $9::jsonb[],
                           $10::text[], $11::text[], $12::text[])
                    AS r(id, contact_id, phone, user_id, components, status, skip_reason, zone)",
        )
        .bind::<SqlUuid, _>(org_id)
        .bind::<SqlUuid, _>(campaign.id)
        .bind::<Nullable<Date>, _>(date)
        .bind::<Nullable<Time>, _>(time)
        .bind::<Array<SqlUuid>, _>(ids)
        .bind::<Array<SqlUuid>, _>(contact_ids)
        .bind::<Array<Nullable<Text>>, _>(phones)
        .bind::<Array<Nullable<Text>>, _>(user_ids)
        .bind::<Array<Jsonb>, _>(components)
        .bind::<Array<Text>, _>(statuses)
        .bind::<Array<Nullable<Text>>, _>(reasons)
        .bind::<Array<Nullable<Text>>, _>(zones)
        .execute(c)
        .await?;
    }
    let skipped: i64 = planner.skipped.values().map(|(_, n)| n).sum();
    diesel::update(campaigns::table.filter(campaigns::id.eq(campaign.id)))
        .set((
            campaigns::audience_count.eq(planner.audience as i32),
            campaigns::skipped.eq(skipped as i32),
            campaigns::queued.eq(planner.queued as i32),
            campaigns::launched_at.eq(Utc::now()),
        ))
        .execute(c)
        .await?;
    for (reason, n) in planner.skipped.values() {
        diesel::insert_into(campaign_breakdowns::table)
            .values((
                campaign_breakdowns::org_id.eq(org_id),
                campaign_breakdowns::campaign_id.eq(campaign.id),
                campaign_breakdowns::kind.eq("skipped"),
                campaign_breakdowns::key.eq(reason.as_str()),
                campaign_breakdowns::n.eq(*n as i32),
            ))
            .execute(c)
            .await?;
    }
    Ok(planner.audience)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_s_tiers_read_as_numbers_of_customers() {
        assert_eq!(tier_limit("TIER_250"), Some(250));
        assert_eq!(tier_limit("TIER_2K"), Some(2_000));
        assert_eq!(tier_limit("TIER_100K"), Some(100_000));
        assert_eq!(tier_limit("TIER_UNLIMITED"), None);
        let budget = Budget {
            limit: Some(250),
            used: 200,
            needed: 50,
        };
        assert_eq!(budget.left(), Some(50));
        assert!(budget.covers());
        assert!(
            !Budget {
                needed: 51,
                ..budget
            }
            .covers()
        );
    }
}
