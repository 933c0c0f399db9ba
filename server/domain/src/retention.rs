//! Data retention, per organization, once a day: ended invitations go after 30 days,
//! ended API tokens after 90, audit events and message logs (with their media) after 12
//! months. Media files that no message names are removed after a grace period. Contact
//! lists: a file not imported is removed a day after its upload (or its failed or cancelled
//! import), the rows an import rejected 30 days after it ended, the import's record after 12
//! months. Campaigns: 12 months after a campaign ended it goes with its recipients and
//! statistics; in one that has not ended (paused, or a recurring campaign's schedule),
//! recipient rows and timeline minutes older than 12 months go.
//! AI turns (an agent's log of what it answered, from which passages, or why it handed
//! over) go 12 months after the turn, like the messages they explain; the monthly usage
//! totals hold no personal data and stay for billing. The sweep is the `retention.sweep`
//! job, which schedules its own successor.

use chrono::{DateTime, Duration, Utc};
use diesel::{BoolExpressionMethods, ExpressionMethods, JoinOnDsl, QueryDsl};
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use wagent_db::{
    Conn, Scope,
    schema::{
        ai_turns, api_tokens, audit_events, campaign_recipients, campaign_timeline, campaigns,
        contact_import_rejects, contact_imports, invitations, media, messages, org_routes,
    },
};
use wagent_jobs::{BackgroundJob, Job, JobError, NewJob};

use crate::{Domain, Result, jobs::retry};

/// What one sweep deleted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Swept {
    pub messages: usize,
    /// Media whose files are to be removed from storage.
    pub media_files: Vec<Uuid>,
    pub invitations: usize,
    pub api_tokens: usize,
    pub audit_events: usize,
    /// Imports whose uploaded files are to be removed from storage.
    pub import_files: Vec<Uuid>,
    pub rejected_rows: usize,
    /// Ended campaigns deleted with everything they held.
    pub campaigns: usize,
    /// Recipient rows of campaigns that are still kept.
    pub campaign_recipients: usize,
    pub ai_turns: usize,
}

/// The sweep of one organization (the job's `org_id`); its payload is empty.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Sweep {}

impl Sweep {
    /// Schedules the organization's next sweep at `at`, in the caller's transaction; at most
    /// one waits.
    pub(crate) async fn schedule(
        c: &mut Conn,
        org_id: Uuid,
        at: DateTime<Utc>,
    ) -> Result<(), wagent_db::Error> {
        let job = NewJob::of(Some(org_id), &Self {})
            .at(at)
            .unique(format!("{}:{org_id}", Self::KIND));
        wagent_jobs::enqueue(c, job).await?;
        Ok(())
    }
}

impl BackgroundJob for Sweep {
    const KIND: &'static str = "retention.sweep";
    type Context = Domain;

    async fn run(self, job: Job, domain: Domain) -> Result<(), JobError> {
        let org_id = job
            .org_id
            .ok_or_else(|| JobError::Permanent("a sweep needs an organization".into()))?;
        let swept = domain.sweep(org_id, Utc::now()).await.map_err(retry)?;
        domain.remove_media_files(org_id, &swept.media_files).await;
        domain
            .remove_import_files(org_id, &swept.import_files)
            .await;
        let orphans = domain
            .remove_orphaned_media(org_id, Utc::now())
            .await
            .map_err(retry)?;
        tracing::info!(%org_id, ?swept, orphans, "retention sweep");
        Ok(())
    }
}

impl Domain {
    /// Deletes what has outlived its retention in `org_id`, as of `now`.
    pub async fn sweep(&self, org_id: Uuid, now: DateTime<Utc>) -> Result<Swept> {
        self.tx(Scope::org(org_id), async |c| {
            let ended = now - Duration::days(30);
            let invitations = diesel::delete(
                invitations::table.filter(
                    invitations::expires_at
                        .lt(ended)
                        .or(invitations::accepted_at.lt(ended))
                        .or(invitations::revoked_at.lt(ended)),
                ),
            )
            .execute(c)
            .await?;
            let ended = now - Duration::days(90);
            let gone: Vec<Uuid> = diesel::delete(
                api_tokens::table.filter(
                    api_tokens::expires_at
                        .lt(ended)
                        .or(api_tokens::revoked_at.lt(ended)),
                ),
            )
            .returning(api_tokens::id)
            .get_results(c)
            .await?;
            let keys: Vec<String> = gone.iter().map(Uuid::to_string).collect();
            diesel::delete(
                org_routes::table
                    .filter(org_routes::kind.eq("api_token"))
                    .filter(org_routes::key.eq_any(keys)),
            )
            .execute(c)
            .await?;
            let audit_events = diesel::delete(
                audit_events::table.filter(audit_events::created_at.lt(now - Duration::days(365))),
            )
            .execute(c)
            .await?;
            // Message logs: 12 months after they were sent (the privacy policy's promise);
            // their media rows go with them, the files just after the commit.
            let old_media: Vec<Uuid> = media::table
                .inner_join(
                    messages::table.on(messages::id
                        .eq(media::message_id)
                        .and(messages::org_id.eq(media::org_id))),
                )
                .filter(messages::sent_at.lt(now - Duration::days(365)))
                .select(media::id)
                .load(c)
                .await?;
            let messages = diesel::delete(
                messages::table.filter(messages::sent_at.lt(now - Duration::days(365))),
            )
            .execute(c)
            .await?;
            let import_files: Vec<Uuid> = contact_imports::table
                .filter(contact_imports::status.ne_all([
                    crate::contacts::imports::ImportStatus::Queued,
                    crate::contacts::imports::ImportStatus::Running,
                ]))
                .filter(
                    contact_imports::finished_at
                        .lt(now - Duration::hours(24))
                        .or(contact_imports::finished_at
                            .is_null()
                            .and(contact_imports::created_at.lt(now - Duration::hours(24)))),
                )
                .select(contact_imports::id)
                .load(c)
                .await?;
            let rejected_rows = diesel::delete(
                contact_import_rejects::table.filter(
                    contact_import_rejects::import_id.eq_any(
                        contact_imports::table
                            .filter(contact_imports::finished_at.lt(now - Duration::days(30)))
                            .select(contact_imports::id),
                    ),
                ),
            )
            .execute(c)
            .await?;
            diesel::delete(
                contact_imports::table
                    .filter(contact_imports::created_at.lt(now - Duration::days(365))),
            )
            .execute(c)
            .await?;
            let (campaigns, campaign_recipients) = sweep_campaigns(c, now).await?;
            let ai_turns = diesel::delete(
                ai_turns::table.filter(ai_turns::created_at.lt(now - Duration::days(365))),
            )
            .execute(c)
            .await?;
            Sweep::schedule(c, org_id, now + Duration::hours(24)).await?;
            Ok(Swept {
                messages,
                media_files: old_media,
                invitations,
                api_tokens: gone.len(),
                audit_events,
                import_files,
                rejected_rows,
                campaigns,
                campaign_recipients,
                ai_turns,
            })
        })
        .await
    }
}

/// Campaign data lives up to 12 months after delivery (the privacy policy's promise): an
/// ended campaign goes whole (its recipients, breakdowns and timeline by cascade) a year after
/// it ended; a campaign still open keeps its counters but loses recipient rows and timeline
/// minutes older than a year. A recipient never sent counts from its campaign's launch.
async fn sweep_campaigns(
    c: &mut Conn,
    now: DateTime<Utc>,
) -> Result<(usize, usize), wagent_db::Error> {
    use crate::campaigns::CampaignStatus;

    let cutoff = now - Duration::days(365);
    let ended = [
        CampaignStatus::Completed,
        CampaignStatus::Cancelled,
        CampaignStatus::Failed,
    ];
    let gone = diesel::delete(
        campaigns::table
            .filter(campaigns::status.eq_any(ended))
            .filter(
                campaigns::finished_at.lt(cutoff).or(campaigns::finished_at
                    .is_null()
                    .and(campaigns::updated_at.lt(cutoff))),
            ),
    )
    .execute(c)
    .await?;
    let recipients = diesel::delete(
        campaign_recipients::table
            .filter(
                campaign_recipients::campaign_id.eq_any(
                    campaigns::table
                        .filter(campaigns::launched_at.lt(cutoff))
                        .select(campaigns::id),
                ),
            )
            .filter(
                campaign_recipients::sent_at
                    .lt(cutoff)
                    .or(campaign_recipients::sent_at.is_null()),
            ),
    )
    .execute(c)
    .await?;
    diesel::delete(campaign_timeline::table.filter(campaign_timeline::minute.lt(cutoff)))
        .execute(c)
        .await?;
    Ok((gone, recipients))
}
