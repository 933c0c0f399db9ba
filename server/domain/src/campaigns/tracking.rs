//! How recipients move after launch, and the counters that follow them: claims and their
//! expiry, send outcomes, status webhooks (tied to the recipient by the send's
//! `biz_opaque_callback_data`), replies and opt-outs. Every change adjusts the campaign's
//! counters, breakdowns and timeline in the same transaction.

use std::{
    collections::{BTreeMap, HashMap},
    time::Duration,
};

use chrono::{DateTime, DurationRound, Utc};
use diesel::{
    ExpressionMethods, OptionalExtension, QueryDsl,
    sql_types::{
        Array, Bool, Double, Integer, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid,
    },
};
use diesel_async::RunQueryDsl;
use serde_json::Value;
use uuid::Uuid;
use wagent_db::{
    Conn,
    schema::{campaign_breakdowns, campaign_timeline, campaigns},
};

use super::{CampaignStatus, RETRYABLE_CODES, RecipientStatus, dispatch::Outcome};
use crate::{CommonError, organizations::audit};

type Result<T> = std::result::Result<T, CommonError>;

/// A recipient claimed for sending.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub(crate) struct Claimed {
    #[diesel(sql_type = SqlUuid)]
    pub(crate) id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    contact_id: Uuid,
    #[diesel(sql_type = Nullable<Text>)]
    pub(crate) phone: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub(crate) user_id: Option<String>,
    #[diesel(sql_type = Jsonb)]
    pub(crate) components: Value,
    #[diesel(sql_type = Text)]
    status: String,
    /// Including this one.
    #[diesel(sql_type = Integer)]
    pub(crate) attempts: i32,
}

/// Changes to a campaign's counters.
#[derive(Debug, Default, Clone, Copy)]
struct Delta {
    skipped: i32,
    queued: i32,
    sent: i32,
    held: i32,
    delivered: i32,
    read: i32,
    replied: i32,
    failed: i32,
    unknown: i32,
    opted_out: i32,
}

impl std::ops::AddAssign for Delta {
    fn add_assign(&mut self, o: Self) {
        self.skipped += o.skipped;
        self.queued += o.queued;
        self.sent += o.sent;
        self.held += o.held;
        self.delivered += o.delivered;
        self.read += o.read;
        self.replied += o.replied;
        self.failed += o.failed;
        self.unknown += o.unknown;
        self.opted_out += o.opted_out;
    }
}

impl Delta {
    async fn apply(&self, c: &mut Conn, campaign_id: Uuid) -> Result<Option<CampaignStatus>> {
        Ok(
            diesel::update(campaigns::table.filter(campaigns::id.eq(campaign_id)))
                .set((
                    campaigns::skipped.eq(campaigns::skipped + self.skipped),
                    campaigns::queued.eq(campaigns::queued + self.queued),
                    campaigns::sent.eq(campaigns::sent + self.sent),
                    campaigns::held.eq(campaigns::held + self.held),
                    campaigns::delivered.eq(campaigns::delivered + self.delivered),
                    campaigns::read.eq(campaigns::read + self.read),
                    campaigns::replied.eq(campaigns::replied + self.replied),
                    campaigns::failed.eq(campaigns::failed + self.failed),
                    campaigns::unknown.eq(campaigns::unknown + self.unknown),
                    campaigns::opted_out.eq(campaigns::opted_out + self.opted_out),
                ))
                .returning(campaigns::status)
                .get_result(c)
                .await
                .optional()?,
        )
    }

    /// Adds the funnel steps to the minute `at` falls in.
    async fn timeline(
        &self,
        c: &mut Conn,
        org_id: Uuid,
        campaign_id: Uuid,
        at: DateTime<Utc>,
    ) -> Result<()> {
        if self.sent == 0
            && self.delivered == 0
            && self.read == 0
            && self.replied == 0
            && self.failed <= 0
        {
            return Ok(());
        }
        let minute = at
            .duration_trunc(chrono::Duration::minutes(1))
            .unwrap_or(at);
        diesel::insert_into(campaign_timeline::table)
            .values((
                campaign_timeline::org_id.eq(org_id),
                campaign_timeline::campaign_id.eq(campaign_id),
                campaign_timeline::minute.eq(minute),
                campaign_timeline::sent.eq(self.sent.max(0)),
                campaign_timeline::delivered.eq(self.delivered.max(0)),
                campaign_timeline::read.eq(self.read.max(0)),
                campaign_timeline::replied.eq(self.replied.max(0)),
                campaign_timeline::failed.eq(self.failed.max(0)),
            ))
            .on_conflict((
                campaign_timeline::org_id,
                campaign_timeline::campaign_id,
                campaign_timeline::minute,
            ))
            .do_update()
            .set((
                campaign_timeline::sent.eq(campaign_timeline::sent + self.sent.max(0)),
                campaign_timeline::delivered
                    .eq(campaign_timeline::delivered + self.delivered.max(0)),
                campaign_timeline::read.eq(campaign_timeline::read + self.read.max(0)),
                campaign_timeline::replied.eq(campaign_timeline::replied + self.replied.max(0)),
                campaign_timeline::failed.eq(campaign_timeline::failed + self.failed.max(0)),
            ))
            .execute(c)
            .await?;
        Ok(())
    }
}

/// Adds `n` to a breakdown's count.
async fn count(
    c: &mut Conn,
    org_id: Uuid,
    campaign_id: Uuid,
    kind: &str,
    key: &str,
    label: Option<&str>,
    n: i32,
) -> Result<()> {
    let label = label.map(|l| l.chars().take(512).collect::<String>());
    diesel::insert_into(campaign_breakdowns::table)
        .values((
            campaign_breakdowns::org_id.eq(org_id),
            campaign_breakdowns::campaign_id.eq(campaign_id),
            campaign_breakdowns::kind.eq(kind),
            campaign_breakdowns::key.eq(key),
            campaign_breakdowns::label.eq(&label),
            campaign_breakdowns::n.eq(n),
        ))
        .on_conflict((
            campaign_breakdowns::org_id,
            campaign_breakdowns::campaign_id,
            campaign_breakdowns::kind,
            campaign_breakdowns::key,
        ))
        .do_update()
        .set((
            campaign_breakdowns::n.eq(campaign_breakdowns::n + n),
            campaign_breakdowns::label.eq(diesel::dsl::sql::<Nullable<Text>>(
                "coalesce(excluded.label, campaign_breakdowns.label)",
            )),
        ))
        .execute(c)
        .await?;
    Ok(())
}

#[derive(diesel::QueryableByName)]
struct Counted {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Rows still `sending` after their claim expired: their worker died during the call.
/// They become `unknown` and are never sent again automatically.
pub(super) async fn expire_claims(c: &mut Conn, org_id: Uuid, campaign_id: Uuid) -> Result<()> {
    let expired: Counted = diesel::sql_query(
        "WITH expired AS (
            UPDATE campaign_recipients
               SET status = 'unknown',
                   error_text = 'the worker sending it stopped during the call: it may or may '
                                || 'not have reached the customer, and is not sent again'
             WHERE org_id = $1 AND campaign_id = $2 AND status = 'sending'
               AND claimed_until < now()
         RETURNING 1)
         SELECT count(*) AS n FROM expired",
    )
    .bind::<SqlUuid, _>(org_id)
    .bind::<SqlUuid, _>(campaign_id)
    .get_result(c)
    .await?;
    if expired.n > 0 {
        let n = expired.n as i32;
        tracing::warn!(%campaign_id, recipients = n, "claims expired mid-send; marked unknown");
        Delta {
            queued: -n,
            unknown: n,
            ..Delta::default()
        }
        .apply(c, campaign_id)
        .await?;
        super::publish(c, org_id, campaign_id).await?;
    }
    Ok(())
}

/// Claims up to `limit` due recipients for `claim`, held for `hold`. Contacts that opted out
/// since the launch are skipped here instead.
pub(super) async fn claim(
    c: &mut Conn,
    org_id: Uuid,
    campaign_id: Uuid,
    claim: &str,
    limit: i64,
    hold: Duration,
) -> Result<Vec<Claimed>> {
    let rows: Vec<Claimed> = diesel::sql_query(
        "WITH picked AS (
            SELECT id FROM campaign_recipients
             WHERE org_id = $1 AND campaign_id = $2 AND status = 'queued'
               AND not_before <= now()
             ORDER BY not_before, id
             LIMIT $3
             FOR UPDATE SKIP LOCKED)
         UPDATE campaign_recipients r
            SET status = CASE WHEN k.marketing = 'opted_out' THEN 'skipped' ELSE 'sending' END,
                skip_reason = CASE WHEN k.marketing = 'opted_out' THEN 'opted_out' END,
                claimed_by = $4,
                claimed_until = now() + make_interval(secs => $5),
                attempts = r.attempts + 1
           FROM picked p, contacts k
          WHERE r.org_id = $1 AND r.id = p.id AND k.org_id = r.org_id AND k.id = r.contact_id
      RETURNING r.id, r.contact_id, r.phone, r.user_id, r.components, r.status, r.attempts",
    )
    .bind::<SqlUuid, _>(org_id)
    .bind::<SqlUuid, _>(campaign_id)
    .bind::<diesel::sql_types::BigInt, _>(limit)
    .bind::<Text, _>(claim)
    .bind::<Double, _>(hold.as_secs_f64())
    .load(c)
    .await?;
    let (skipped, sending): (Vec<Claimed>, Vec<Claimed>) =
        rows.into_iter().partition(|r| r.status == "skipped");
    if !skipped.is_empty() {
        let n = skipped.len() as i32;
        Delta {
            queued: -n,
            skipped: n,
            ..Delta::default()
        }
        .apply(c, campaign_id)
        .await?;
        count(c, org_id, campaign_id, "skipped", "opted_out", None, n).await?;
    }
    Ok(sending)
}

/// Gives the rows `claim` still holds as `sending` back to `queued`: called once every
/// outcome of the run is recorded, when they can only be rows claimed ahead and never sent.
/// In a campaign cancelled meanwhile nothing will send them: they, and those this run put
/// back for later, are cancelled like the rest of its queue.
pub(super) async fn release(
    c: &mut Conn,
    org_id: Uuid,
    campaign_id: Uuid,
    claim: &str,
) -> Result<()> {
    // The campaign first, as a cancel locks it before the recipients: a cancel under way
    // commits before this reads its status, or starts after these rows are back in the queue.
    let status: Option<CampaignStatus> = campaigns::table
        .filter(campaigns::id.eq(campaign_id))
        .select(campaigns::status)
        .for_update()
        .first(c)
        .await
        .optional()?;
    diesel::sql_query(
        "UPDATE campaign_recipients
            SET status = 'queued', claimed_by = NULL, claimed_until = NULL,
                attempts = attempts - 1
          WHERE org_id = $1 AND campaign_id = $2 AND claimed_by = $3 AND status = 'sending'",
    )
    .bind::<SqlUuid, _>(org_id)
    .bind::<SqlUuid, _>(campaign_id)
    .bind::<Text, _>(claim)
    .execute(c)
    .await?;
    if status == Some(CampaignStatus::Cancelled) && super::cancel_queued(c, campaign_id).await? > 0
    {
        super::publish(c, org_id, campaign_id).await?;
    }
    Ok(())
}

#[derive(diesel::QueryableByName)]
struct Locked {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Text)]
    was: String,
    /// Sent before (a failure retried): the funnel counts each recipient once.
    #[diesel(sql_type = Bool)]
    sent_before: bool,
}

#[derive(diesel::QueryableByName)]
struct Moved {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = Text)]
    status: String,
}

/// Records a batch's outcomes under `claim`, with the counters; returns the campaign's
/// status after (paused when Meta's answer asks for a person).
pub(super) async fn record(
    c: &mut Conn,
    org_id: Uuid,
    campaign_id: Uuid,
    claim: &str,
    sends: &[(Claimed, Outcome)],
) -> std::result::Result<CampaignStatus, CommonError> {
    let n = sends.len();
    let mut ids = Vec::with_capacity(n);
    let mut statuses = Vec::with_capacity(n);
    let mut wamids = Vec::with_capacity(n);
    let mut codes = Vec::with_capacity(n);
    let mut texts = Vec::with_capacity(n);
    let mut delays = Vec::with_capacity(n);
    let mut failures: BTreeMap<String, (i32, Option<String>)> = BTreeMap::new();
    let mut pause: Option<String> = None;
    for (r, outcome) in sends {
        ids.push(r.id);
        let (status, wamid, code, text, delay) = match outcome {
            Outcome::Sent { wamid, held } => (
                if *held {
                    RecipientStatus::Held
                } else {
                    RecipientStatus::Sent
                },
                Some(wamid.clone()),
                None,
                None,
                0.0,
            ),
            Outcome::Failed { code, text } => {
                let key = code.map_or_else(|| "none".to_owned(), |c| c.to_string());
                let entry = failures.entry(key).or_insert((0, Some(text.clone())));
                entry.0 += 1;
                (
                    RecipientStatus::Failed,
                    None,
                    *code,
                    Some(text.clone()),
                    0.0,
                )
            }
            Outcome::Later {
                after, code, text, ..
            } => (
                RecipientStatus::Queued,
                None,
                *code,
                Some(text.clone()),
                after.as_secs_f64(),
            ),
            Outcome::Pause { code, text } => {
                pause.get_or_insert_with(|| format!("Meta answered {code}: {text}"));
                (
                    RecipientStatus::Queued,
                    None,
                    Some(*code),
                    Some(text.clone()),
                    0.0,
                )
            }
            Outcome::Unknown { text } => (
                RecipientStatus::Unknown,
                None,
                None,
                Some(text.clone()),
                0.0,
            ),
        };
        statuses.push(status.as_str());
        wamids.push(wamid);
        codes.push(code);
        texts.push(text.map(|t| t.chars().take(2000).collect::<String>()));
        delays.push(delay);
    }
    // Contacts before recipients, in id order: the order every other writer takes them in
    // (status webhooks, erasure), so that none of them deadlocks with this one.
    let mut reached: Vec<Uuid> = sends
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Sent { .. }))
        .map(|(r, _)| r.contact_id)
        .collect();
    reached.sort_unstable();
    reached.dedup();
    if !reached.is_empty() {
        diesel::sql_query(
            "UPDATE contacts SET last_outbound_at = now()
              WHERE org_id = $1 AND id IN (SELECT id FROM contacts
                                            WHERE org_id = $1 AND id = ANY($2)
                                            ORDER BY id FOR UPDATE)",
        )
        .bind::<SqlUuid, _>(org_id)
        .bind::<Array<SqlUuid>, _>(&reached)
        .execute(c)
        .await?;
    }
    // Locked in id order, as status webhooks lock them; a statement of its own, since a
    // locking subquery joined to the update was locked again for every row it met.
    let was: HashMap<Uuid, (String, bool)> = diesel::sql_query(
        "SELECT id, status AS was, sent_at IS NOT NULL AS sent_before FROM campaign_recipients
          WHERE org_id = $1 AND id = ANY($2) ORDER BY id FOR UPDATE",
    )
    .bind::<SqlUuid, _>(org_id)
    .bind::<Array<SqlUuid>, _>(&ids)
    .load::<Locked>(c)
    .await?
    .into_iter()
    .map(|l| (l.id, (l.was, l.sent_before)))
    .collect();
    let moved: Vec<Moved> = diesel::sql_query(
        "UPDATE campaign_recipients r
            SET status = u.status,
                wamid = coalesce(u.wamid, r.wamid),
                error_code = u.code,
                error_text = u.text,
                sent_at = CASE WHEN u.status IN ('sent', 'held') THEN now() ELSE r.sent_at END,
                failed_at = CASE WHEN u.status = 'failed' THEN now() ELSE r.failed_at END,
                not_before = CASE WHEN u.status = 'queued'
                                  THEN now() + make_interval(secs => u.delay)
                                  ELSE r.not_before END,
                claimed_by = NULL,
                claimed_until = NULL
           FROM unnest($3::uuid[], $4::text[], $5::text[], $6::int[], $7::text[],
                       $8::float8[]) AS u(id, status, wamid, code, text, delay)
          WHERE r.org_id = $1 AND r.id = u.id AND r.claimed_by = $2
            AND r.status IN ('sending', 'unknown')
      RETURNING r.id, r.status",
    )
    .bind::<SqlUuid, _>(org_id)
    .bind::<Text, _>(claim)
    .bind::<Array<SqlUuid>, _>(&ids)
    .bind::<Array<Text>, _>(&statuses)
    .bind::<Array<Nullable<Text>>, _>(&wamids)
    .bind::<Array<Nullable<Integer>>, _>(&codes)
    .bind::<Array<Nullable<Text>>, _>(&texts)
    .bind::<Array<Double>, _>(&delays)
    .load(c)
    .await?;
    let mut delta = Delta::default();
    for m in &moved {
        let (was, sent_before) = was
            .get(&m.id)
            .map_or(("", false), |(w, s)| (w.as_str(), *s));
        match was {
            "unknown" => delta.unknown -= 1,
            _ => delta.queued -= 1,
        }
        match m.status.as_str() {
            "sent" if sent_before => {}
            "sent" => delta.sent += 1,
            "held" => delta.held += 1,
            "failed" => delta.failed += 1,
            "unknown" => delta.unknown += 1,
            _ => delta.queued += 1,
        }
    }
    let status = delta
        .apply(c, campaign_id)
        .await?
        .unwrap_or(CampaignStatus::Cancelled);
    delta.timeline(c, org_id, campaign_id, Utc::now()).await?;
    for (key, (n, label)) in &failures {
        count(c, org_id, campaign_id, "failed", key, label.as_deref(), *n).await?;
    }
    if let Some(reason) = pause
        && status == CampaignStatus::Running
    {
        super::set_status(
            c,
            org_id,
            campaign_id,
            CampaignStatus::Paused,
            Some(&reason),
        )
        .await?;
        audit::record(
            c,
            org_id,
            &crate::Caller::operator(),
            audit::Entry {
                action: "campaigns.paused_by_meta",
                target_type: "campaign",
                target_id: campaign_id.to_string(),
                details: serde_json::json!({ "reason": reason }),
            },
        )
        .await?;
        crate::notifications::campaign_paused(c, org_id, campaign_id, &reason).await?;
        return Ok(CampaignStatus::Paused);
    }
    super::publish(c, org_id, campaign_id).await?;
    Ok(status)
}

#[derive(diesel::QueryableByName)]
struct Pending {
    #[diesel(sql_type = Nullable<Timestamptz>)]
    next: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    claims_until: Option<DateTime<Utc>>,
}

/// Nothing due now: completes the campaign when nothing is left to send, else says when to
/// look again (the next due recipient, or when others' claims expire).
pub(super) async fn finish_or_wait(
    c: &mut Conn,
    org_id: Uuid,
    campaign_id: Uuid,
) -> std::result::Result<Option<Duration>, super::CampaignError> {
    // The server's clock, as for the campaign's other times (launched, updated): its
    // duration is read from them together.
    let completed = diesel::sql_query(
        "UPDATE campaigns SET status = 'completed', finished_at = $3, updated_at = $3
          WHERE org_id = $1 AND id = $2 AND status = 'running'
            AND NOT EXISTS (SELECT 1 FROM campaign_recipients
                             WHERE org_id = $1 AND campaign_id = $2
                               AND status IN ('queued', 'sending'))",
    )
    .bind::<SqlUuid, _>(org_id)
    .bind::<SqlUuid, _>(campaign_id)
    .bind::<Timestamptz, _>(Utc::now())
    .execute(c)
    .await?;
    if completed > 0 {
        super::publish(c, org_id, campaign_id).await?;
        return Ok(None);
    }
    let status: Option<CampaignStatus> = campaigns::table
        .filter(campaigns::id.eq(campaign_id))
        .select(campaigns::status)
        .first(c)
        .await
        .optional()?;
    if status != Some(CampaignStatus::Running) {
        return Ok(None);
    }
    let pending: Pending = diesel::sql_query(
        "SELECT (SELECT min(not_before) FROM campaign_recipients
                  WHERE org_id = $1 AND campaign_id = $2 AND status = 'queued') AS next,
                (SELECT min(claimed_until) FROM campaign_recipients
                  WHERE org_id = $1 AND campaign_id = $2 AND status = 'sending') AS claims_until",
    )
    .bind::<SqlUuid, _>(org_id)
    .bind::<SqlUuid, _>(campaign_id)
    .get_result(c)
    .await?;
    let at = match (pending.next, pending.claims_until) {
        (Some(a), Some(b)) => a.min(b),
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => Utc::now(),
    };
    let wait = (at - Utc::now())
        .to_std()
        .unwrap_or_default()
        .max(Duration::from_secs(1));
    Ok(Some(wait))
}

/// Queues again the failed recipients whose reason passes; returns how many.
pub(super) async fn requeue_retryable(
    c: &mut Conn,
    org_id: Uuid,
    campaign_id: Uuid,
) -> Result<i32> {
    #[derive(diesel::QueryableByName)]
    struct Retried {
        #[diesel(sql_type = Nullable<Integer>)]
        code: Option<i32>,
    }
    let retried: Vec<Retried> = diesel::sql_query(
        "WITH retried AS (
            SELECT id, error_code FROM campaign_recipients
             WHERE org_id = $1 AND campaign_id = $2 AND status = 'failed'
               AND delivered_at IS NULL
               AND (error_code IS NULL OR error_code = ANY($3))
             FOR UPDATE)
         UPDATE campaign_recipients r
            SET status = 'queued', not_before = now(), attempts = 0, failed_at = NULL,
                error_code = NULL, error_text = NULL
           FROM retried
          WHERE r.org_id = $1 AND r.id = retried.id
      RETURNING retried.error_code AS code",
    )
    .bind::<SqlUuid, _>(org_id)
    .bind::<SqlUuid, _>(campaign_id)
    .bind::<Array<Integer>, _>(RETRYABLE_CODES)
    .load(c)
    .await?;
    let n = retried.len() as i32;
    if n == 0 {
        return Ok(0);
    }
    let mut by_code: BTreeMap<String, i32> = BTreeMap::new();
    for r in &retried {
        *by_code
            .entry(r.code.map_or_else(|| "none".to_owned(), |c| c.to_string()))
            .or_default() += 1;
    }
    for (key, k) in by_code {
        count(c, org_id, campaign_id, "failed", &key, None, -k).await?;
    }
    Delta {
        failed: -n,
        queued: n,
        ..Delta::default()
    }
    .apply(c, campaign_id)
    .await?;
    Ok(n)
}

/// A status webhook for a campaign message, named by its callback data.
pub(crate) struct CampaignStatusUpdate<'a> {
    pub(crate) callback_data: &'a str,
    pub(crate) status: &'a wagent_meta::webhook::StatusUpdate,
}

impl CampaignStatusUpdate<'_> {
    /// The recipient the callback data names, when it is a campaign's.
    pub(crate) fn recipient_id(&self) -> Option<Uuid> {
        self.callback_data
            .strip_prefix(super::dispatch::CALLBACK_PREFIX)
            .and_then(|id| Uuid::parse_str(id).ok())
    }
}

/// A recipient a run of statuses is about, locked, as the run leaves it.
#[derive(diesel::QueryableByName)]
struct Tracked {
    #[diesel(sql_type = SqlUuid)]
    id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    campaign_id: Uuid,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Nullable<Text>)]
    wamid: Option<String>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    sent_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    delivered_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    read_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    failed_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Integer>)]
    error_code: Option<i32>,
    #[diesel(sql_type = Nullable<Text>)]
    error_text: Option<String>,
    #[diesel(sql_type = Nullable<diesel::sql_types::Bool>)]
    billable: Option<bool>,
    #[diesel(sql_type = Nullable<Text>)]
    pricing_category: Option<String>,
    #[diesel(sql_type = Integer)]
    attempts: i32,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    retry_per_user_limit: bool,
}

/// A recipient while a run of statuses is applied to it.
struct Recipient {
    row: Tracked,
    status: RecipientStatus,
    /// Meta's per-user marketing limit refused it: it goes back to the queue for later.
    requeue: bool,
    changed: bool,
}

/// What one status did besides changing its recipient.
struct Applied {
    delta: Delta,
    at: DateTime<Utc>,
    /// The failure's code (or `none`) and Meta's text, for the breakdown.
    failure: Option<(String, Option<String>)>,
    /// The pricing category of a message that became billable.
    billable: Option<String>,
}

/// Hours before a recipient Meta's per-user marketing limit refused may be tried again.
const PER_USER_LIMIT_RETRY_HOURS: i64 = 24;

/// Applies one status to its recipient in memory; None when it changes nothing (a
/// duplicate, a step already reached, a status that does not move recipients).
fn apply_one(r: &mut Recipient, s: &wagent_meta::webhook::StatusUpdate) -> Option<Applied> {
    use wagent_meta::webhook::MessageStatus as Meta;
    let t = &r.row;
    let at = DateTime::from_timestamp(s.timestamp, 0).unwrap_or_else(Utc::now);
    let was = r.status;
    let mut d = Delta::default();
    // Leaving `held`, `unknown` (Meta had it after all) or `sending` for a Meta status.
    let leave = |d: &mut Delta| match was {
        RecipientStatus::Held => d.held -= 1,
        RecipientStatus::Unknown => d.unknown -= 1,
        RecipientStatus::Sending => d.queued -= 1,
        _ => {}
    };
    let error = <[_]>::first(&s.errors);
    let mut new_status = was;
    let mut failure = None;
    match &s.status {
        Meta::Sent | Meta::Delivered | Meta::Read | Meta::Played => {
            let (step, status) = match &s.status {
                Meta::Sent => (1, RecipientStatus::Sent),
                Meta::Delivered => (2, RecipientStatus::Delivered),
                _ => (3, RecipientStatus::Read),
            };
            let already = match &s.status {
                Meta::Sent => t.sent_at.is_some() && was != RecipientStatus::Held,
                Meta::Delivered => t.delivered_at.is_some(),
                _ => t.read_at.is_some(),
            };
            if already {
                // A step seen already (a `read` came first): only its pricing may be news.
                return priced(r, s, at);
            }
            if matches!(
                was,
                RecipientStatus::Held | RecipientStatus::Unknown | RecipientStatus::Sending
            ) {
                leave(&mut d);
            }
            if step >= 1 && t.sent_at.is_none() {
                d.sent += 1;
            }
            if step >= 2 && t.delivered_at.is_none() {
                d.delivered += 1;
            }
            if step >= 3 && t.read_at.is_none() {
                d.read += 1;
            }
            if rank(status) > rank(was) && was != RecipientStatus::Failed {
                new_status = status;
            }
        }
        Meta::Failed => {
            if t.failed_at.is_some() || was == RecipientStatus::Failed {
                return None;
            }
            if matches!(
                was,
                RecipientStatus::Held | RecipientStatus::Unknown | RecipientStatus::Sending
            ) {
                leave(&mut d);
            } else if was == RecipientStatus::Queued {
                d.queued -= 1;
            }
            // Meta accepted it (the status names its message), and the run recording the send
            // will find it settled: count it sent here, as the run would have, so that the
            // funnel does not depend on which of the two came first.
            if matches!(was, RecipientStatus::Sending | RecipientStatus::Unknown)
                && t.sent_at.is_none()
            {
                d.sent += 1;
            }
            let per_user_limit = error.is_some_and(|e| e.code == 131049);
            if per_user_limit && t.retry_per_user_limit && t.attempts < 2 {
                r.requeue = true;
                new_status = RecipientStatus::Queued;
                d.queued += 1;
            } else {
                new_status = RecipientStatus::Failed;
                d.failed += 1;
                let key = error.map_or_else(|| "none".to_owned(), |e| e.code.to_string());
                let label = error.and_then(|e| {
                    e.details
                        .clone()
                        .or_else(|| e.title.clone())
                        .or_else(|| e.message.clone())
                });
                failure = Some((key, label));
            }
        }
        _ => return None,
    }
    let billable = s.pricing.as_ref().and_then(|p| p.billable);
    let category = s.pricing.as_ref().and_then(|p| p.category.clone());
    let newly_billable = (t.billable.is_none() && billable == Some(true))
        .then(|| category.clone().unwrap_or_else(|| "unknown".to_owned()));
    let t = &mut r.row;
    r.status = new_status;
    t.status = new_status.as_str().to_owned();
    t.wamid.get_or_insert_with(|| s.message_id.clone());
    if d.sent > 0 {
        t.sent_at.get_or_insert(at);
    }
    if d.delivered > 0 {
        t.delivered_at.get_or_insert(at);
    }
    if d.read > 0 {
        t.read_at.get_or_insert(at);
    }
    if d.failed > 0 {
        t.failed_at = Some(at);
    }
    if let Some(code) = error.and_then(|e| i32::try_from(e.code).ok()) {
        t.error_code = Some(code);
        t.error_text = error.map(|e| {
            e.details
                .clone()
                .or_else(|| e.message.clone())
                .or_else(|| e.title.clone())
                .unwrap_or_default()
                .chars()
                .take(2000)
                .collect()
        });
    }
    t.billable = t.billable.or(billable);
    if t.pricing_category.is_none() {
        t.pricing_category = category;
    }
    r.changed = true;
    Some(Applied {
        delta: d,
        at,
        failure,
        billable: newly_billable,
    })
}

/// The pricing a status carries, when it makes a message billable that was not known to be;
/// None when it tells nothing new.
fn priced(
    r: &mut Recipient,
    s: &wagent_meta::webhook::StatusUpdate,
    at: DateTime<Utc>,
) -> Option<Applied> {
    let pricing = s.pricing.as_ref()?;
    if r.row.billable.is_some() || pricing.billable != Some(true) {
        return None;
    }
    r.row.billable = Some(true);
    if r.row.pricing_category.is_none() {
        r.row.pricing_category = pricing.category.clone();
    }
    r.changed = true;
    Some(Applied {
        delta: Delta::default(),
        at,
        failure: None,
        billable: Some(
            pricing
                .category
                .clone()
                .unwrap_or_else(|| "unknown".to_owned()),
        ),
    })
}

/// Applies a run of status webhooks to the campaign recipients they name: each recipient's
/// row, then each campaign's counters, breakdowns and timeline once, whatever the run's
/// length. Statuses for the same recipient apply in the order given. Returns how many
/// changed something.
pub(crate) async fn apply_campaign_statuses(
    c: &mut Conn,
    org_id: Uuid,
    updates: &[CampaignStatusUpdate<'_>],
) -> Result<usize> {
    use diesel::sql_types::Bool;
    let mut ids: Vec<Uuid> = updates.iter().filter_map(|u| u.recipient_id()).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(0);
    }
    // Locked in one order, so that two runs about the same recipients wait rather than
    // deadlock.
    let tracked: Vec<Tracked> = diesel::sql_query(
        "SELECT r.id, r.campaign_id, r.status, r.wamid, r.sent_at, r.delivered_at, r.read_at,
                r.failed_at, r.error_code, r.error_text, r.billable, r.pricing_category,
                r.attempts, c.retry_per_user_limit
           FROM campaign_recipients r
           JOIN campaigns c ON c.org_id = r.org_id AND c.id = r.campaign_id
          WHERE r.org_id = $1 AND r.id = ANY($2)
          ORDER BY r.id
            FOR UPDATE OF r",
    )
    .bind::<SqlUuid, _>(org_id)
    .bind::<Array<SqlUuid>, _>(&ids)
    .load(c)
    .await?;
    let mut recipients = std::collections::HashMap::with_capacity(tracked.len());
    for row in tracked {
        let status = RecipientStatus::parse(&row.status).map_err(CommonError::from)?;
        recipients.insert(
            row.id,
            Recipient {
                row,
                status,
                requeue: false,
                changed: false,
            },
        );
    }
    let mut applied = 0;
    let mut counters: BTreeMap<Uuid, Delta> = BTreeMap::new();
    let mut timeline: BTreeMap<(Uuid, DateTime<Utc>), Delta> = BTreeMap::new();
    let mut breakdowns: BTreeMap<(Uuid, &str, String), (i32, Option<String>)> = BTreeMap::new();
    let mut requeued = std::collections::BTreeSet::new();
    for update in updates {
        let Some(r) = update.recipient_id().and_then(|id| recipients.get_mut(&id)) else {
            continue;
        };
        let Some(a) = apply_one(r, update.status) else {
            continue;
        };
        applied += 1;
        let campaign_id = r.row.campaign_id;
        *counters.entry(campaign_id).or_default() += a.delta;
        let minute =
            a.at.duration_trunc(chrono::Duration::minutes(1))
                .unwrap_or(a.at);
        *timeline.entry((campaign_id, minute)).or_default() += a.delta;
        if let Some((key, label)) = a.failure {
            let entry = breakdowns
                .entry((campaign_id, "failed", key))
                .or_insert((0, None));
            entry.0 += 1;
            entry.1 = entry.1.take().or(label);
        }
        if let Some(key) = a.billable {
            breakdowns
                .entry((campaign_id, "billable", key))
                .or_insert((0, None))
                .0 += 1;
        }
        if r.requeue {
            requeued.insert(campaign_id);
        }
    }
    let changed: Vec<&Recipient> = recipients.values().filter(|r| r.changed).collect();
    if changed.is_empty() {
        return Ok(0);
    }
    let rows = || changed.iter().map(|r| &r.row);
    diesel::sql_query(
        "UPDATE campaign_recipients r
            SET status = u.status,
                wamid = u.wamid,
                sent_at = u.sent_at,
                delivered_at = u.delivered_at,
                read_at = u.read_at,
                failed_at = u.failed_at,
                error_code = u.error_code,
                error_text = u.error_text,
                not_before = CASE WHEN u.requeue THEN now() + make_interval(hours => $14)
                                  ELSE r.not_before END,
                claimed_by = CASE WHEN u.requeue THEN NULL ELSE r.claimed_by END,
                billable = u.billable,
                pricing_category = u.pricing_category
           FROM unnest($2::uuid[], $3::text[], $4::text[], $5::timestamptz[],
                       $6::timestamptz[], $7::timestamptz[], $8::timestamptz[], $9::int[],
                       $10::text[], $11::bool[], $12::bool[], $13::text[])
                AS u(id, status, wamid, sent_at, delivered_at, read_at, failed_at, error_code,
                     error_text, requeue, billable, pricing_category)
          WHERE r.org_id = $1 AND r.id = u.id",
    )
    .bind::<SqlUuid, _>(org_id)
    .bind::<Array<SqlUuid>, _>(rows().map(|t| t.id).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(rows().map(|t| t.status.as_str()).collect::<Vec<_>>())
    .bind::<Array<Nullable<Text>>, _>(rows().map(|t| t.wamid.as_deref()).collect::<Vec<_>>())
    .bind::<Array<Nullable<Timestamptz>>, _>(rows().map(|t| t.sent_at).collect::<Vec<_>>())
    .bind::<Array<Nullable<Timestamptz>>, _>(rows().map(|t| t.delivered_at).collect::<Vec<_>>())
    .bind::<Array<Nullable<Timestamptz>>, _>(rows().map(|t| t.read_at).collect::<Vec<_>>())
    .bind::<Array<Nullable<Timestamptz>>, _>(rows().map(|t| t.failed_at).collect::<Vec<_>>())
    .bind::<Array<Nullable<Integer>>, _>(rows().map(|t| t.error_code).collect::<Vec<_>>())
    .bind::<Array<Nullable<Text>>, _>(rows().map(|t| t.error_text.as_deref()).collect::<Vec<_>>())
    .bind::<Array<Bool>, _>(changed.iter().map(|r| r.requeue).collect::<Vec<_>>())
    .bind::<Array<Nullable<Bool>>, _>(rows().map(|t| t.billable).collect::<Vec<_>>())
    .bind::<Array<Nullable<Text>>, _>(
        rows()
            .map(|t| t.pricing_category.as_deref())
            .collect::<Vec<_>>(),
    )
    .bind::<Integer, _>(PER_USER_LIMIT_RETRY_HOURS as i32)
    .execute(c)
    .await?;
    // The campaign's row, then its timeline, then its breakdowns: the order `record` takes
    // them in, so that a dispatch run recording its sends never deadlocks with this.
    for (campaign_id, d) in &counters {
        d.apply(c, *campaign_id).await?;
    }
    for ((campaign_id, minute), d) in &timeline {
        d.timeline(c, org_id, *campaign_id, *minute).await?;
    }
    for ((campaign_id, kind, key), (n, label)) in &breakdowns {
        count(c, org_id, *campaign_id, kind, key, label.as_deref(), *n).await?;
    }
    let later = Utc::now() + chrono::Duration::hours(PER_USER_LIMIT_RETRY_HOURS);
    for campaign_id in requeued {
        // The refusal often comes after the campaign sent its last message and completed:
        // it runs again until the recipient's retry, else that retry would never be sent.
        diesel::update(
            campaigns::table
                .filter(campaigns::id.eq(campaign_id))
                .filter(campaigns::status.eq(CampaignStatus::Completed)),
        )
        .set((
            campaigns::status.eq(CampaignStatus::Running),
            campaigns::finished_at.eq(None::<DateTime<Utc>>),
            campaigns::updated_at.eq(Utc::now()),
        ))
        .execute(c)
        .await?;
        let job = wagent_jobs::NewJob::of(
            Some(org_id),
            &super::Dispatch {
                campaign_id,
                shard: 0,
            },
        )
        .unique(format!("campaigns.dispatch:{campaign_id}:0"))
        .at(later);
        wagent_jobs::enqueue(c, job).await?;
    }
    for campaign_id in counters.keys() {
        super::publish(c, org_id, *campaign_id).await?;
    }
    Ok(applied)
}

/// The order statuses are reached in; `failed` and the rest are apart.
fn rank(s: RecipientStatus) -> u8 {
    match s {
        RecipientStatus::Queued | RecipientStatus::Sending | RecipientStatus::Unknown => 1,
        RecipientStatus::Held => 2,
        RecipientStatus::Sent => 3,
        RecipientStatus::Delivered => 4,
        RecipientStatus::Read => 5,
        _ => 0,
    }
}

/// A customer's message may be a reply to a campaign: it quotes or taps the campaign message
/// (`context` names its wamid), or it is their first message within the campaign's reply
/// window after it was delivered (after it was sent, when no delivery is known: a message
/// read late is answered late).
pub(crate) async fn attribute_reply(
    c: &mut Conn,
    org_id: Uuid,
    contact_id: Uuid,
    context_wamid: Option<&str>,
    at: DateTime<Utc>,
) -> Result<()> {
    #[derive(diesel::QueryableByName)]
    struct Replied {
        #[diesel(sql_type = SqlUuid)]
        campaign_id: Uuid,
    }
    let quoted: Option<Replied> = match context_wamid {
        Some(wamid) => diesel::sql_query(
            "UPDATE campaign_recipients SET replied_at = $4
              WHERE org_id = $1 AND contact_id = $2 AND wamid = $3 AND replied_at IS NULL
          RETURNING campaign_id",
        )
        .bind::<SqlUuid, _>(org_id)
        .bind::<SqlUuid, _>(contact_id)
        .bind::<Text, _>(wamid)
        .bind::<Timestamptz, _>(at)
        .get_result(c)
        .await
        .optional()?,
        None => None,
    };
    let replied = match quoted {
        Some(r) => Some(r),
        None => diesel::sql_query(
            "UPDATE campaign_recipients SET replied_at = $3
              WHERE org_id = $1 AND id = (
                    SELECT r.id FROM campaign_recipients r
                      JOIN campaigns c ON c.org_id = r.org_id AND c.id = r.campaign_id
                     WHERE r.org_id = $1 AND r.contact_id = $2 AND r.sent_at IS NOT NULL
                       -- Meta's timestamps are whole seconds.
                       AND r.sent_at < $3 + interval '1 second'
                       AND coalesce(r.delivered_at, r.sent_at)
                           > $3 - make_interval(hours => c.reply_window_hours)
                     ORDER BY r.sent_at DESC LIMIT 1)
                AND replied_at IS NULL
          RETURNING campaign_id",
        )
        .bind::<SqlUuid, _>(org_id)
        .bind::<SqlUuid, _>(contact_id)
        .bind::<Timestamptz, _>(at)
        .get_result(c)
        .await
        .optional()?,
    };
    if let Some(r) = replied {
        let d = Delta {
            replied: 1,
            ..Delta::default()
        };
        d.apply(c, r.campaign_id).await?;
        d.timeline(c, org_id, r.campaign_id, at).await?;
        super::publish(c, org_id, r.campaign_id).await?;
    }
    Ok(())
}

/// Days after a campaign within which an opt-out counts against it.
const OPT_OUT_WINDOW_DAYS: i32 = 7;

/// A contact who opts out within a week of a campaign message counts as that campaign's
/// opt-out.
pub(crate) async fn attribute_opt_out(c: &mut Conn, org_id: Uuid, contact_id: Uuid) -> Result<()> {
    #[derive(diesel::QueryableByName)]
    struct OptedOut {
        #[diesel(sql_type = SqlUuid)]
        campaign_id: Uuid,
    }
    let opted: Option<OptedOut> = diesel::sql_query(
        "UPDATE campaign_recipients SET opted_out_at = now()
          WHERE org_id = $1 AND id = (
                SELECT id FROM campaign_recipients
                 WHERE org_id = $1 AND contact_id = $2 AND sent_at IS NOT NULL
                   AND sent_at > now() - make_interval(days => $3)
                 ORDER BY sent_at DESC LIMIT 1)
            AND opted_out_at IS NULL
      RETURNING campaign_id",
    )
    .bind::<SqlUuid, _>(org_id)
    .bind::<SqlUuid, _>(contact_id)
    .bind::<Integer, _>(OPT_OUT_WINDOW_DAYS)
    .get_result(c)
    .await
    .optional()?;
    if let Some(o) = opted {
        Delta {
            opted_out: 1,
            ..Delta::default()
        }
        .apply(c, o.campaign_id)
        .await?;
        super::publish(c, org_id, o.campaign_id).await?;
    }
    Ok(())
}

#[derive(diesel::QueryableByName)]
struct Erased {
    #[diesel(sql_type = SqlUuid)]
    campaign_id: Uuid,
    #[diesel(sql_type = Integer)]
    waiting: i32,
    #[diesel(sql_type = Integer)]
    rows: i32,
}

/// Erasing a contact: removes every campaign recipient row of theirs (their address, their
/// rendered values, Meta's wamid); returns how many. A recipient still waiting to be sent
/// counts as cancelled, so its campaign's queue still drains to nothing; the counts of what
/// happened (sent, read...) stay, as they name nobody. The caller holds the contact's row
/// lock (the lock order: contacts, then recipients, then campaigns).
pub(crate) async fn erase_recipients(c: &mut Conn, org_id: Uuid, contact_id: Uuid) -> Result<i64> {
    let erased: Vec<Erased> = diesel::sql_query(
        "WITH gone AS (
             DELETE FROM campaign_recipients
              WHERE org_id = $1 AND id IN (SELECT id FROM campaign_recipients
                                            WHERE org_id = $1 AND contact_id = $2
                                            ORDER BY id FOR UPDATE)
          RETURNING campaign_id, status)
         SELECT campaign_id, count(*)::int AS rows,
                count(*) FILTER (WHERE status IN ('queued', 'sending'))::int AS waiting
           FROM gone GROUP BY campaign_id ORDER BY campaign_id",
    )
    .bind::<SqlUuid, _>(org_id)
    .bind::<SqlUuid, _>(contact_id)
    .load(c)
    .await?;
    let mut n = 0;
    for e in &erased {
        n += i64::from(e.rows);
        if e.waiting > 0 {
            diesel::update(campaigns::table.filter(campaigns::id.eq(e.campaign_id)))
                .set((
                    campaigns::queued.eq(campaigns::queued - e.waiting),
                    campaigns::cancelled.eq(campaigns::cancelled + e.waiting),
                ))
                .execute(c)
                .await?;
        }
        super::publish(c, org_id, e.campaign_id).await?;
    }
    Ok(n)
}

/// A number whose quality dropped to RED: its running campaigns pause, for a person to
/// decide.
pub(crate) async fn pause_for_quality(
    c: &mut Conn,
    org_id: Uuid,
    phone_number_id: Uuid,
) -> Result<()> {
    const REASON: &str = "the number's quality rating dropped to RED: Meta may limit it further \
                          if customers keep blocking or reporting it; check the template and \
                          audience, then resume";
    let paused: Vec<Uuid> = diesel::update(
        campaigns::table
            .filter(campaigns::phone_number_id.eq(phone_number_id))
            .filter(campaigns::status.eq(CampaignStatus::Running)),
    )
    .set((
        campaigns::status.eq(CampaignStatus::Paused),
        campaigns::status_reason.eq(REASON),
        campaigns::updated_at.eq(Utc::now()),
    ))
    .returning(campaigns::id)
    .load(c)
    .await?;
    for id in paused {
        audit::record(
            c,
            org_id,
            &crate::Caller::operator(),
            audit::Entry {
                action: "campaigns.paused_for_quality",
                target_type: "campaign",
                target_id: id.to_string(),
                details: serde_json::json!({}),
            },
        )
        .await?;
        crate::notifications::campaign_paused(c, org_id, id, REASON).await?;
        super::publish(c, org_id, id).await?;
    }
    Ok(())
}
