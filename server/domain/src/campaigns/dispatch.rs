//! The job that sends a campaign.
//!
//! After `campaigns.launch` (`launch.rs`) has frozen the audience, `campaigns.dispatch` jobs, several per campaign
//! ("shards", run by any worker process), share its recipients:
//!
//! 1. claim a batch of due recipients with `FOR UPDATE SKIP LOCKED`, marking them `sending`
//!    under this run's claim, and **commit** (opted-out contacts are skipped here, at the
//!    last moment);
//! 2. send each, paced to the shard's share of the number's throughput;
//! 3. record every outcome in one transaction, with the counters.
//!
//! A recipient leaves `queued` only through step 1, once: no crash, restart, second worker
//! or resume can send it twice. Rows still `sending` when their claim expires belong to a
//! run that died mid-send and become `unknown`, never resent automatically.

use std::{
    num::NonZeroU32,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use chrono::Utc;
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use futures::StreamExt;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;
use wagent_db::{
    Conn, Scope,
    schema::{campaigns, message_templates, phone_numbers, whatsapp_accounts},
};
use wagent_jobs::{BackgroundJob, Job, JobError, NewJob};
use wagent_meta::{
    AccessToken, ErrorClass, GraphError, OutboundMessage, Recipient as MetaRecipient,
    TemplateComponent, TemplateLanguage, TemplateMessage,
};

use super::{Campaign, CampaignError, CampaignStatus, Schedule, audience, tracking};
use crate::{CommonError, Domain, Problem, jobs::organization};

/// Recipients' `biz_opaque_callback_data`: this prefix and the recipient's id.
pub(crate) const CALLBACK_PREFIX: &str = "wagent:campaign:";
/// How long a claim holds beyond the batch's own pacing time.
const CLAIM_MARGIN: Duration = Duration::from_secs(60);
/// Most sends in flight at once per shard.
const IN_FLIGHT: usize = 256;
/// Sends in flight per shard: up to its share of a second (at least 4, at most
/// [`IN_FLIGHT`]). The window already keeps them under the share; the bound only matters
/// without a cap. At Meta's answer times (a few hundred milliseconds) a shard needs a
/// fifth to a third of its share in the air to send at its pace.
fn in_flight(share: u32) -> usize {
    (share as usize).clamp(4, IN_FLIGHT)
}

/// How often outcomes are written (with the counters and the live event).
const RECORD_EVERY: Duration = Duration::from_millis(250);
/// Attempts for a recipient Meta answers with a passing error before it fails.
const MAX_ATTEMPTS: i32 = 8;

/// An audience this large has the recipients' planner statistics refreshed after it is
/// frozen (`wagent_db::Db::refresh_statistics`): below it, stale statistics cost little.
const BULK_WRITE: i64 = 5_000;

/// Sends a campaign's due recipients, one shard of several.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Dispatch {
    pub(crate) campaign_id: Uuid,
    pub(crate) shard: u16,
}

/// Queues the dispatch shards of a running campaign (once each).
pub(crate) async fn start(
    c: &mut Conn,
    org_id: Uuid,
    campaign_id: Uuid,
    shards: u16,
) -> Result<(), wagent_db::Error> {
    for shard in 0..shards {
        let job = NewJob::of(Some(org_id), &Dispatch { campaign_id, shard })
            .unique(format!("campaigns.dispatch:{campaign_id}:{shard}"));
        wagent_jobs::enqueue(c, job).await?;
    }
    Ok(())
}

impl BackgroundJob for Dispatch {
    const KIND: &'static str = "campaigns.dispatch";
    type Context = Domain;

    /// Sending that keeps failing (the database, the sealed token) pauses the campaign with
    /// the reason after the last attempt, for a person to resume: it never stays `running`
    /// with nobody sending.
    async fn run(self, job: Job, domain: Domain) -> Result<(), JobError> {
        let org_id = organization(&job)?;
        let error = match domain.dispatch(org_id, self.campaign_id).await {
            Ok(None) => return Ok(()),
            Ok(Some(later)) => return Err(JobError::Later(later)),
            Err(e) => e,
        };
        if job.attempts < job.max_attempts {
            return Err(JobError::Failed(format!("{error:?}")));
        }
        tracing::error!(campaign_id = %self.campaign_id, error = ?error, "campaign sending gave up");
        let reason =
            "sending stopped after repeated errors (see the server log); resume to try again";
        domain
            .tx(Scope::org(org_id), async |c| -> Result<(), CampaignError> {
                let campaign = super::find_for_update(c, self.campaign_id).await?;
                if campaign.status == CampaignStatus::Running {
                    super::set_status(c, org_id, campaign.id, CampaignStatus::Paused, Some(reason))
                        .await?;
                }
                Ok(())
            })
            .await
            .map_err(|e| JobError::Failed(format!("{e:?}")))?;
        Ok(())
    }
}

impl Domain {
    /// The launch job's work. `Some(d)`: not due yet, look again in `d`.
    pub(super) async fn launch_now(
        &self,
        org_id: Uuid,
        campaign_id: Uuid,
    ) -> Result<Option<Duration>, CampaignError> {
        let shards = self.campaign_shards();
        let (again, frozen) = self
            .tx(Scope::org(org_id), async |c| -> Result<_, CampaignError> {
                let campaign = super::find_for_update(c, campaign_id).await?;
                if campaign.status != CampaignStatus::Scheduled {
                    return Ok((None, 0));
                }
                if let Some(at) = campaign.starts_at
                    && at > Utc::now()
                {
                    return Ok((Some((at - Utc::now()).to_std().unwrap_or_default()), 0));
                }
                audience::ready_to_send(c, &campaign).await?;
                match campaign.schedule() {
                    Schedule::Recurring {
                        every,
                        time,
                        weekday,
                    } => {
                        let run = make_run(c, org_id, &campaign).await?;
                        let frozen = audience::freeze(c, org_id, &run).await?;
                        super::set_status(c, org_id, run.id, CampaignStatus::Running, None).await?;
                        start(c, org_id, run.id, shards).await?;
                        let next = audience::next_run(c, every, time, weekday).await?;
                        diesel::update(campaigns::table.filter(campaigns::id.eq(campaign_id)))
                            .set(campaigns::starts_at.eq(next))
                            .execute(c)
                            .await?;
                        super::publish(c, org_id, campaign_id).await?;
                        Ok((
                            Some((next - Utc::now()).to_std().unwrap_or_default()),
                            frozen,
                        ))
                    }
                    _ => {
                        let frozen = audience::freeze(c, org_id, &campaign).await?;
                        super::set_status(c, org_id, campaign_id, CampaignStatus::Running, None)
                            .await?;
                        start(c, org_id, campaign_id, shards).await?;
                        Ok((None, frozen))
                    }
                }
            })
            .await?;
        if frozen >= BULK_WRITE {
            // Best effort: autovacuum gets there later in any case.
            if let Err(e) = self
                .db
                .refresh_statistics(wagent_db::Analyzed::CampaignRecipients)
                .await
            {
                tracing::warn!(%campaign_id, error = %e, "cannot refresh the recipients' statistics");
            }
        }
        Ok(again)
    }

    /// One dispatch run: sends due recipients until none is left, the campaign stops, or
    /// only later ones remain (`Some(wait)`).
    ///
    /// Three stages run at once so that the pacer never waits for the database: a claimer
    /// task claims small batches ahead (at most two claimed and not yet sent), the
    /// senders take claimed rows one by one at the paced rate, and a recorder task writes
    /// the outcomes every quarter second. When the campaign stops (paused, cancelled),
    /// claimed rows not yet sent are given back to `queued`.
    async fn dispatch(
        &self,
        org_id: Uuid,
        campaign_id: Uuid,
    ) -> Result<Option<Duration>, CampaignError> {
        let Some(target) = self.dispatch_target(org_id, campaign_id).await? else {
            return Ok(None);
        };
        let wa = self.whatsapp().map_err(CommonError::internal)?.clone();
        let shards = u32::from(self.campaign_shards());
        // Each shard's share of the number's throughput. The pacer's window keeps what Meta
        // can count in any second under the share (see `Window`); the half percent left is
        // for other senders of the number (the inbox).
        let share =
            ((f64::from(target.throughput) * 0.995 / f64::from(shards)).floor() as u32).max(1);
        let pacer = Arc::new(Pacer::new(share));
        let target = Arc::new(target);
        let claim = Uuid::new_v4().to_string();
        // An eighth of a second of sends per claim: what a crash can leave `unknown` without
        // having sent it stays small (about two claims and the sends in flight per shard).
        let batch = (share / 8).clamp(1, 200) as usize;
        let hold = CLAIM_MARGIN + Duration::from_secs_f64(3.0 * batch as f64 / f64::from(share));
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let (rows_tx, rows_rx) = tokio::sync::mpsc::channel::<tracking::Claimed>(batch);
        let claimer = tokio::spawn({
            let (domain, claim, mut stop) = (self.clone(), claim.clone(), stop_rx.clone());
            async move {
                loop {
                    if *stop.borrow_and_update() {
                        return Ok(());
                    }
                    let claimed = domain
                        .tx(Scope::org(org_id), async |c| {
                            tracking::expire_claims(c, org_id, campaign_id).await?;
                            tracking::claim(c, org_id, campaign_id, &claim, batch as i64, hold)
                                .await
                        })
                        .await?;
                    if claimed.is_empty() {
                        return Ok::<_, CommonError>(());
                    }
                    for row in claimed {
                        if rows_tx.send(row).await.is_err() {
                            // The senders stopped; the rest is given back below.
                            return Ok(());
                        }
                    }
                }
            }
        });
        let stopped = {
            let mut stop = stop_rx.clone();
            async move {
                let _ = stop.wait_for(|s| *s).await;
            }
        };
        let rows = tokio_stream::wrappers::ReceiverStream::new(rows_rx).take_until(stopped);
        let sends = paced(rows, pacer.clone(), in_flight(share), move |r| {
            let (wa, target, pacer) = (wa.clone(), target.clone(), pacer.clone());
            async move {
                let outcome = match target.message(&r) {
                    Ok(message) => Outcome::of(
                        wa.graph
                            .send_message(&target.token, &target.meta_number, &message)
                            .await,
                        r.attempts,
                    ),
                    Err(e) => Outcome::Failed {
                        code: None,
                        text: format!("the stored message cannot be sent: {e}"),
                    },
                };
                if matches!(
                    outcome,
                    Outcome::Later {
                        slow_down: true,
                        ..
                    }
                ) {
                    pacer.slow_down();
                }
                (r, outcome)
            }
        })
        .filter_map(|joined| async move {
            // A send that panicked has no outcome to record: its row stays `sending`
            // and turns `unknown` when the claim expires, like a send cut by a crash.
            joined
                .inspect_err(|e| tracing::error!(%campaign_id, error = %e, "a send task failed"))
                .ok()
        });
        // Outcomes are recorded by a task of their own, a chunk at a time in the order they
        // came, while the sends go on: recording never holds the next sends back (a slow
        // transaction used to stop the stream it was fed from). The channel is short, so a
        // recorder that falls behind slows the sends instead of piling outcomes up.
        let (chunks_tx, mut chunks_rx) =
            tokio::sync::mpsc::channel::<Vec<(tracking::Claimed, Outcome)>>(2);
        let recorder = tokio::spawn({
            let (domain, claim) = (self.clone(), claim.clone());
            async move {
                let mut running = true;
                while let Some(sends) = chunks_rx.recv().await {
                    let recorded = domain
                        .tx(Scope::org(org_id), async |c| {
                            tracking::record(c, org_id, campaign_id, &claim, &sends).await
                        })
                        .await;
                    match recorded {
                        Ok(CampaignStatus::Running) => {}
                        // Paused or cancelled: no new sends, but what was sent is recorded.
                        Ok(_) => {
                            running = false;
                            let _ = stop_tx.send(true);
                        }
                        Err(e) => {
                            // Rows sent but not recorded turn `unknown` when their claim
                            // expires.
                            tracing::warn!(%campaign_id, error = %e.internal_cause(), "recording sends failed; the run stops");
                            let _ = stop_tx.send(true);
                            return Err(e);
                        }
                    }
                }
                Ok(running)
            }
        });
        let mut outcomes = Box::pin(tokio_stream::StreamExt::chunks_timeout(
            sends,
            1_000,
            RECORD_EVERY,
        ));
        while let Some(sends) = outcomes.next().await {
            if chunks_tx.send(sends).await.is_err() {
                break; // The recorder failed and stopped the run.
            }
        }
        drop(chunks_tx);
        let recorded = recorder.await.map_err(CommonError::internal)?;
        // Closes the channel, so that a claimer waiting to hand rows over stops.
        drop(outcomes);
        let claimed = claimer.await.map_err(CommonError::internal)?;
        let running = recorded?;
        claimed?;
        // Every row sent has its outcome recorded: rows still `sending` under this run's
        // claim were never sent (claimed ahead when the campaign stopped).
        self.tx(Scope::org(org_id), async |c| {
            tracking::release(c, org_id, campaign_id, &claim).await
        })
        .await?;
        if !running {
            return Ok(None);
        }
        self.tx(Scope::org(org_id), async |c| {
            tracking::finish_or_wait(c, org_id, campaign_id).await
        })
        .await
    }

    /// What every send of a running campaign shares; none when it is not running.
    async fn dispatch_target(
        &self,
        org_id: Uuid,
        campaign_id: Uuid,
    ) -> Result<Option<Target>, CampaignError> {
        let loaded = self
            .tx(Scope::org(org_id), async |c| -> Result<_, CampaignError> {
                let campaign: Campaign = campaigns::table
                    .filter(campaigns::id.eq(campaign_id))
                    .select(Campaign::as_select())
                    .first(c)
                    .await
                    .optional()?
                    .ok_or(CampaignError::Common(CommonError::NotFound("campaign")))?;
                if campaign.status != CampaignStatus::Running {
                    return Ok(None);
                }
                let (name, language): (String, String) = message_templates::table
                    .filter(message_templates::id.eq(campaign.template_id))
                    .select((message_templates::name, message_templates::language))
                    .first(c)
                    .await?;
                let (account_id, meta_number, level): (Uuid, String, Option<String>) =
                    phone_numbers::table
                        .filter(phone_numbers::id.eq(campaign.phone_number_id))
                        .select((
                            phone_numbers::account_id,
                            phone_numbers::phone_number_id,
                            phone_numbers::throughput_level,
                        ))
                        .first(c)
                        .await?;
                let sealed: String = whatsapp_accounts::table
                    .filter(whatsapp_accounts::id.eq(account_id))
                    .select(whatsapp_accounts::access_token_sealed)
                    .first(c)
                    .await?;
                Ok(Some((
                    name,
                    language,
                    account_id,
                    meta_number,
                    level,
                    sealed,
                )))
            })
            .await?;
        let Some((name, language, account_id, meta_number, level, sealed)) = loaded else {
            return Ok(None);
        };
        let wa = self.whatsapp().map_err(CommonError::internal)?;
        let token = wa
            .keyring
            .open(&sealed, org_id, &Self::token_purpose(account_id))
            .map_err(CommonError::internal)?;
        Ok(Some(Target {
            template: name,
            language,
            meta_number,
            throughput: throughput_of(level.as_deref()),
            token: AccessToken::new(token.expose()),
        }))
    }
}

/// Messages per second a number may send at its throughput level (Meta: `STANDARD` 80,
/// `HIGH` 1,000). A level written as a number is that many per second: Meta never sends one,
/// the dispatch benchmark sets one to measure WAgent without Meta's cap.
fn throughput_of(level: Option<&str>) -> u32 {
    match level.map(str::to_ascii_uppercase).as_deref() {
        Some("HIGH") => 1_000,
        Some(level) => level.parse::<u32>().map_or(80, |n| n.clamp(1, 100_000)),
        None => 80,
    }
}

/// What every send of one campaign shares.
struct Target {
    template: String,
    language: String,
    meta_number: String,
    throughput: u32,
    token: AccessToken,
}

impl Target {
    fn message(&self, r: &tracking::Claimed) -> Result<OutboundMessage, serde_json::Error> {
        let components: Vec<TemplateComponent> = serde_json::from_value(r.components.clone())?;
        let to = match (&r.phone, &r.user_id) {
            (Some(phone), _) => MetaRecipient::phone(phone.clone()),
            (None, Some(user_id)) => MetaRecipient::user_id(user_id.clone()),
            (None, None) => MetaRecipient::phone(String::new()),
        };
        let template = TemplateMessage {
            name: self.template.clone(),
            language: TemplateLanguage {
                code: self.language.clone(),
            },
            components,
        };
        Ok(OutboundMessage::template(to, template)
            .with_callback_data(format!("{CALLBACK_PREFIX}{}", r.id)))
    }
}

/// How one send ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    Sent {
        wamid: String,
        held: bool,
    },
    /// Not sent, for good (Meta's code and words).
    Failed {
        code: Option<i32>,
        text: String,
    },
    /// Not sent; try this recipient again after a while.
    Later {
        after: Duration,
        code: Option<i32>,
        text: String,
        slow_down: bool,
    },
    /// Not sent, and nothing more is sent until a person acts (an expired token, a locked
    /// account, a paused or disabled template).
    Pause {
        code: i32,
        text: String,
    },
    /// Meta may or may not have it (no answer, or one that cannot be read).
    Unknown {
        text: String,
    },
}

impl Outcome {
    fn of(sent: Result<wagent_meta::SendResult, GraphError>, attempts: i32) -> Self {
        let e = match sent {
            Ok(sent) => {
                return Self::Sent {
                    held: sent.message_status.as_deref() == Some("held_for_quality_assessment"),
                    wamid: sent.message_id,
                };
            }
            Err(e) => e,
        };
        let text = e.to_string();
        let code = e.code().and_then(|c| i32::try_from(c).ok());
        let gives_up = attempts >= MAX_ATTEMPTS;
        match (&e, code) {
            (_, Some(130429)) => Self::Later {
                after: Duration::from_secs(1),
                code,
                text,
                slow_down: true,
            },
            (_, Some(131056)) if !gives_up => Self::Later {
                after: Duration::from_secs(6 * attempts.clamp(1, 10) as u64),
                code,
                text,
                slow_down: false,
            },
            (_, Some(c @ (0 | 190 | 131031 | 132015 | 132016))) => Self::Pause { code: c, text },
            (GraphError::Timeout | GraphError::Transport(_) | GraphError::Decode(_), _) => {
                Self::Unknown { text }
            }
            _ if e.class() == ErrorClass::Final || gives_up => Self::Failed { code, text },
            _ => Self::Later {
                after: Duration::from_secs(2u64.pow(attempts.clamp(1, 8) as u32)),
                code,
                text,
                slow_down: false,
            },
        }
    }
}

/// Sends `rows`, each as a task of its own once it has its place in the pacer's window, at
/// most `in_flight` at a time; yields each task's result as it ends. One row at a time
/// waits for its place; the others wait in `rows` (the claimer's channel), so the bound
/// counts only sends Meta has not answered yet, and answers that take long do not hold
/// the pace back (a bound that also counted the rows waiting for their place let a shard
/// send a tenth of its share per answer time: half its share at 200 ms). Each answer gives
/// its place back the moment it comes, and the answers of a busy moment are taken on every
/// core.
fn paced<T, F, Fut>(
    rows: impl futures::Stream<Item = T>,
    pacer: Arc<Pacer>,
    in_flight: usize,
    send: F,
) -> impl futures::Stream<Item = Result<Fut::Output, tokio::task::JoinError>>
where
    F: Fn(T) -> Fut,
    Fut: Future + Send + 'static,
    Fut::Output: Send + 'static,
{
    rows.then(move |row| {
        let pacer = pacer.clone();
        async move { (pacer.wait().await, row) }
    })
    .map(move |(place, row)| {
        let sending = send(row);
        tokio::spawn(async move {
            let _place = place;
            sending.await
        })
    })
    .buffer_unordered(in_flight)
}

/// Paces sends to a rate that is lowered when Meta says the number is too fast, and raised
/// back step by step while it no longer does; its window keeps what Meta can count in any
/// second under that rate, however the answers' delays vary.
struct Pacer {
    limiter: Mutex<Paced>,
    window: Mutex<Window>,
    /// Told whenever a send is answered, for senders that found every place in flight.
    answered: tokio::sync::Notify,
    /// One sender at a time waits for the pace and the window, in the order they came: a
    /// place that comes back wakes one sender, not every sender waiting.
    turn: tokio::sync::Mutex<()>,
    /// When the first window of this run is over.
    first_window_ends: Instant,
}

/// Meta counts a send when it takes it, somewhere between its departure and its answer. In
/// any second of Meta's, then, it counted at most the sends answered during that second
/// plus the ones in flight at its end. Before each departure the window checks that the
/// sends answered in the last second, those in flight and this one are at most the rate:
/// take the last departure Meta counted in some second; every other send counted in it
/// left before and was answered after that second began (at or after being counted), so it
/// was in flight or answered within the second before that departure, which allowed it.
/// Pacing alone (the earlier way) needed a margin for answers delayed and bunched on a busy
/// machine, and still lost sends whenever the answers slowed down.
#[derive(Debug, Default)]
struct Window {
    /// When the sends of the last second (or a little more) were answered, oldest first.
    answered: std::collections::VecDeque<Instant>,
    in_flight: u32,
}

/// Meta's counting second, and two milliseconds for clocks that round to the millisecond.
/// Every millisecond here costs each shard a thousandth of its rate: a send's place is
/// taken again one window and one answer time after its departure.
const WINDOW: Duration = Duration::from_millis(1_002);

impl Window {
    /// Takes a place for a send now, or tells when to ask again: when the oldest answer
    /// leaves the window, or (`None`) once a send in flight is answered.
    fn enter(&mut self, rate: u32, now: Instant) -> Result<(), Option<Instant>> {
        while self
            .answered
            .front()
            .is_some_and(|at| now.duration_since(*at) >= WINDOW)
        {
            self.answered.pop_front();
        }
        if self.answered.len() as u64 + u64::from(self.in_flight) < u64::from(rate) {
            self.in_flight += 1;
            return Ok(());
        }
        // Full: room comes when the oldest answer leaves the window, or sooner when one in
        // flight is answered and ages out.
        Err(self.answered.front().map(|at| *at + WINDOW))
    }

    fn leave(&mut self, now: Instant) {
        self.in_flight = self.in_flight.saturating_sub(1);
        self.answered.push_back(now);
    }
}

/// A send's place in the window, given back with its answer's time when dropped.
struct Sending(Arc<Pacer>);

impl Drop for Sending {
    fn drop(&mut self) {
        if let Ok(mut w) = self.0.window.lock() {
            w.leave(Instant::now());
        }
        self.0.answered.notify_waiters();
    }
}

struct Paced {
    /// The share of the number's level this run started with.
    full: u32,
    rate: u32,
    /// The pace of the first window: the rate, evenly spaced.
    even: Arc<DefaultDirectRateLimiter>,
    /// The pace after it: faster than the rate, so that the window sets when each send
    /// leaves (see `catch_up`).
    limiter: Arc<DefaultDirectRateLimiter>,
    /// When the rate was last lowered.
    lowered: Option<Instant>,
    /// When the rate last changed.
    changed: Instant,
}

/// Refusals within this long of a slow-down are that same overshoot, answered already.
const SLOW_DOWN_EVERY: Duration = Duration::from_secs(1);
/// How long the rate stays lowered before each step back up.
const RECOVER_EVERY: Duration = Duration::from_secs(5);

impl Paced {
    fn set(&mut self, rate: u32, now: Instant) {
        self.rate = rate;
        self.even = Arc::new(limiter(rate));
        self.limiter = Arc::new(limiter(catch_up(rate)));
        self.changed = now;
    }

    /// Nine tenths of the rate, once per second of refusals: the sends in flight when Meta
    /// first refuses are refused together, and each of them lowering the rate again would
    /// bring a campaign down to one message a second.
    fn slow_down(&mut self, now: Instant) {
        if self
            .lowered
            .is_some_and(|at| now.duration_since(at) < SLOW_DOWN_EVERY)
        {
            return;
        }
        self.set((self.rate * 9 / 10).max(1), now);
        self.lowered = Some(now);
    }

    /// A sixteenth more, up to the full rate, once the rate has held for a while without a
    /// refusal: another campaign of the number that was using its throughput may be over.
    fn recover(&mut self, now: Instant) {
        if self.rate < self.full && now.duration_since(self.changed) >= RECOVER_EVERY {
            self.set((self.rate + self.rate / 16 + 1).min(self.full), now);
        }
    }
}

impl Pacer {
    fn new(rate: u32) -> Self {
        Self {
            limiter: Mutex::new(Paced {
                full: rate,
                rate,
                even: Arc::new(limiter(rate)),
                limiter: Arc::new(limiter(catch_up(rate))),
                lowered: None,
                changed: Instant::now(),
            }),
            window: Mutex::new(Window::default()),
            answered: tokio::sync::Notify::new(),
            turn: tokio::sync::Mutex::new(()),
            first_window_ends: Instant::now() + WINDOW,
        }
    }

    /// Waits for the send's turn; the send holds the returned place until it is answered.
    async fn wait(self: &Arc<Self>) -> Sending {
        // The pace and the rate are read once this sender's turn has come, so that a
        // slow-down while it queued applies to it.
        let _turn = self.turn.lock().await;
        let (limiter, rate) = {
            let Ok(mut l) = self.limiter.lock() else {
                return Sending(self.clone());
            };
            let now = Instant::now();
            l.recover(now);
            let pace = if now < self.first_window_ends {
                &l.even
            } else {
                &l.limiter
            };
            (pace.clone(), l.rate)
        };
        limiter.until_ready().await;
        loop {
            // Listening starts before the look, so that an answer in between is not missed.
            let answered = self.answered.notified();
            let mut answered = std::pin::pin!(answered);
            answered.as_mut().enable();
            let entered = match self.window.lock() {
                Ok(mut w) => w.enter(rate, Instant::now()),
                Err(_) => Ok(()),
            };
            match entered {
                Ok(()) => return Sending(self.clone()),
                Err(Some(at)) => tokio::time::sleep_until(at.into()).await,
                Err(None) => answered.await,
            }
        }
    }

    fn slow_down(&self) {
        if let Ok(mut l) = self.limiter.lock() {
            l.slow_down(Instant::now());
        }
    }
}

/// The pace after the first window: half as fast again as the rate. From then on each send
/// takes the place of one answered a window before, so the sends of one window repeat
/// those of the last, evenly spaced as the first window was; a stall's gap is filled within
/// a few tenths instead of being lost (a pace at the rate would lose it, and the burst it
/// saved up meanwhile would come back as a bunch every window after). Measured in
/// docs/PERFORMANCE.md.
fn catch_up(rate: u32) -> u32 {
    rate.saturating_add(rate / 2)
}

/// Evenly spaced, with bursts of at most a hundredth of a second's sends (a timer's
/// granularity); the window, not the spacing, keeps each second under the level.
fn limiter(rate: u32) -> DefaultDirectRateLimiter {
    let burst = NonZeroU32::new((rate / 100).max(1)).unwrap_or(NonZeroU32::MIN);
    let rate = NonZeroU32::new(rate).unwrap_or(NonZeroU32::MIN);
    RateLimiter::direct(Quota::per_second(rate).allow_burst(burst))
}

/// The run of a recurring campaign: a copy, named for its day, that starts now.
async fn make_run(
    c: &mut Conn,
    org_id: Uuid,
    parent: &Campaign,
) -> Result<Campaign, CampaignError> {
    let id = Uuid::now_v7();
    let name: String = format!("{} — {}", parent.name, Utc::now().format("%Y-%m-%d"))
        .chars()
        .take(200)
        .collect();
    diesel::insert_into(campaigns::table)
        .values((
            campaigns::org_id.eq(org_id),
            campaigns::id.eq(id),
            campaigns::name.eq(name),
            campaigns::phone_number_id.eq(parent.phone_number_id),
            campaigns::template_id.eq(parent.template_id),
            campaigns::parameters.eq(&parent.parameters),
            campaigns::audience.eq(&parent.audience),
            campaigns::schedule.eq(serde_json::to_value(Schedule::Now).unwrap_or(Value::Null)),
            campaigns::retry_per_user_limit.eq(parent.retry_per_user_limit),
            campaigns::reply_window_hours.eq(parent.reply_window_hours),
            campaigns::status.eq(CampaignStatus::Scheduled),
            campaigns::parent_id.eq(parent.id),
            campaigns::created_by.eq(parent.created_by),
            campaigns::starts_at.eq(Utc::now()),
        ))
        .execute(c)
        .await?;
    super::find(c, id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_in_the_same_second_lower_the_rate_once_and_it_comes_back() {
        let pacer = Pacer::new(500);
        let start = Instant::now();
        let mut paced = pacer.limiter.lock().unwrap();
        for ms in 0..50 {
            paced.slow_down(start + Duration::from_millis(ms * 10));
        }
        assert_eq!(paced.rate, 450, "one overshoot, one slow-down");
        paced.slow_down(start + Duration::from_millis(1_200));
        assert_eq!(paced.rate, 405, "refused again a second later");
        // Held without refusals: back up a sixteenth at a time, never above where it began.
        let later = start + Duration::from_millis(1_200);
        paced.recover(later + Duration::from_secs(4));
        assert_eq!(paced.rate, 405, "too soon");
        let mut at = later;
        for _ in 0..10 {
            at += RECOVER_EVERY;
            paced.recover(at);
        }
        assert_eq!(paced.rate, 500);
    }

    #[test]
    fn the_window_holds_a_send_while_a_second_of_answers_and_flights_fill_the_rate() {
        let start = Instant::now();
        let ms = |n: u64| start + Duration::from_millis(n);
        let mut w = Window::default();
        assert_eq!(w.enter(3, ms(0)), Ok(()));
        assert_eq!(w.enter(3, ms(0)), Ok(()));
        w.leave(ms(100));
        assert_eq!(w.enter(3, ms(200)), Ok(()));
        // Two in flight and one answered at 100 ms: full until that answer is a second old.
        assert_eq!(w.enter(3, ms(300)), Err(Some(ms(100) + WINDOW)));
        assert_eq!(w.enter(3, ms(1_101)), Err(Some(ms(100) + WINDOW)));
        assert_eq!(w.enter(3, ms(1_102)), Ok(()));
        // An answer frees no place before it ages out: it may have been counted just now.
        w.leave(ms(1_200));
        assert_eq!(w.enter(3, ms(1_300)), Err(Some(ms(1_200) + WINDOW)));
        // Every place in flight and none answered: nothing to wait for but an answer.
        let mut w = Window::default();
        assert_eq!(w.enter(1, ms(0)), Ok(()));
        assert_eq!(w.enter(1, ms(5_000)), Err(None));
    }

    #[tokio::test]
    async fn a_sender_held_by_sends_in_flight_goes_a_window_after_the_first_answer() {
        let pacer = Arc::new(Pacer::new(1));
        let first = pacer.wait().await;
        let start = Instant::now();
        let second = async {
            let _place = pacer.wait().await;
            start.elapsed()
        };
        let answer = async {
            tokio::time::sleep(Duration::from_millis(300)).await;
            drop(first);
        };
        let waited = tokio::time::timeout(Duration::from_secs(10), async {
            tokio::join!(second, answer).0
        })
        .await
        .expect("the answer wakes the held sender");
        assert!(
            waited >= Duration::from_millis(300) + WINDOW,
            "went {waited:?} after the first departure"
        );
    }

    #[tokio::test]
    async fn sends_waiting_for_their_answers_do_not_hold_the_next_ones_back() {
        const RATE: u32 = 20;
        let pacer = Arc::new(Pacer::new(RATE));
        let (started_tx, mut started) = tokio::sync::mpsc::unbounded_channel();
        let (answer, answered) = tokio::sync::watch::channel(false);
        let rows = futures::stream::iter(0..2 * RATE);
        let sends = paced(rows, pacer.clone(), in_flight(RATE), move |n| {
            let (started_tx, mut answered) = (started_tx.clone(), answered.clone());
            async move {
                let _ = started_tx.send(n);
                let _ = answered.wait_for(|a| *a).await;
                n
            }
        });
        let all = tokio::spawn(sends.collect::<Vec<_>>());
        // Meta answers none of them yet: a second's share goes out all the same.
        tokio::time::timeout(Duration::from_secs(10), async {
            for _ in 0..RATE {
                started.recv().await;
            }
        })
        .await
        .expect("a second's share is sent while no answer came");
        // And no more: the window holds the next send until answers come and age out.
        assert_eq!(pacer.window.lock().unwrap().in_flight, RATE);
        assert!(started.try_recv().is_err());
        answer.send_replace(true);
        let all = tokio::time::timeout(Duration::from_secs(10), all)
            .await
            .expect("every send ends once answered")
            .unwrap();
        assert_eq!(all.len(), 2 * RATE as usize);
        assert!(all.iter().all(Result::is_ok));
    }

    #[tokio::test]
    async fn no_second_counts_more_than_the_rate_at_the_catch_up_pace_after_a_stall() {
        const RATE: u32 = 40;
        let pacer = Arc::new(Pacer::new(RATE));
        // When "Meta" counted each send: some moment between its departure and its answer.
        let counted = Arc::new(Mutex::new(Vec::<Instant>::new()));
        let start = Instant::now();
        let mut sends = tokio::task::JoinSet::new();
        let mut stalled = false;
        let mut n = 0u64;
        while start.elapsed() < Duration::from_millis(2_500) {
            if !stalled && start.elapsed() > Duration::from_millis(1_300) {
                // A stall: the places of the first window's last sends come back unused.
                stalled = true;
                tokio::time::sleep(Duration::from_millis(300)).await;
            }
            let place = pacer.wait().await;
            let counted = counted.clone();
            let answer = Duration::from_millis(n * 7 % 31);
            let count = Duration::from_millis(n * 13 % 31).min(answer);
            sends.spawn(async move {
                tokio::time::sleep(count).await;
                counted.lock().unwrap().push(Instant::now());
                tokio::time::sleep(answer - count).await;
                drop(place);
            });
            n += 1;
        }
        while sends.join_next().await.is_some() {}
        let mut times = counted.lock().unwrap().clone();
        times.sort();
        let busiest = (0..times.len())
            .map(|i| {
                times[i..]
                    .iter()
                    .take_while(|t| t.duration_since(times[i]) < Duration::from_secs(1))
                    .count()
            })
            .max()
            .unwrap_or(0);
        assert!(busiest <= RATE as usize, "{busiest} counted in one second");
        // Sends went on after the first window and after the stall.
        assert!(
            times.len() > (RATE + RATE / 2) as usize,
            "only {} sent",
            times.len()
        );
    }

    fn api(code: i64) -> GraphError {
        GraphError::Api {
            http_status: 400,
            code,
            subcode: None,
            message: "m".into(),
            details: None,
            fbtrace_id: None,
        }
    }

    #[test]
    fn meta_s_codes_decide_what_happens_to_a_recipient() {
        let kind = |e: GraphError, attempts| match Outcome::of(Err(e), attempts) {
            Outcome::Sent { .. } => "sent",
            Outcome::Failed { .. } => "failed",
            Outcome::Later {
                slow_down: true, ..
            } => "slower",
            Outcome::Later { .. } => "later",
            Outcome::Pause { .. } => "pause",
            Outcome::Unknown { .. } => "unknown",
        };
        assert_eq!(kind(api(130429), 1), "slower");
        assert_eq!(kind(api(131056), 1), "later");
        assert_eq!(kind(api(131056), MAX_ATTEMPTS), "failed");
        for code in [131026, 131047, 131050, 131051, 100] {
            assert_eq!(kind(api(code), 1), "failed", "{code}");
        }
        for code in [190, 131031, 132015, 132016] {
            assert_eq!(kind(api(code), 1), "pause", "{code}");
        }
        assert_eq!(kind(api(131000), 1), "later");
        assert_eq!(kind(GraphError::Timeout, 1), "unknown");
        assert_eq!(kind(GraphError::Transport("reset".into()), 1), "unknown");
        assert_eq!(kind(GraphError::Unreachable("refused".into()), 1), "later");
        let held = Outcome::of(
            Ok(wagent_meta::SendResult {
                wa_id: None,
                input: "1".into(),
                message_id: "wamid.1".into(),
                message_status: Some("held_for_quality_assessment".into()),
            }),
            1,
        );
        assert_eq!(
            held,
            Outcome::Sent {
                wamid: "wamid.1".into(),
                held: true
            }
        );
    }

    #[test]
    fn throughput_levels_read_as_messages_per_second() {
        assert_eq!(throughput_of(None), 80);
        assert_eq!(throughput_of(Some("STANDARD")), 80);
        assert_eq!(throughput_of(Some("HIGH")), 1_000);
        assert_eq!(throughput_of(Some("NOT_APPLICABLE")), 80);
        assert_eq!(throughput_of(Some("20000")), 20_000);
    }
}
