//! `campaigns.launch`: freezes a campaign's audience at its start time (and, for a
//! recurring campaign, makes the run and schedules the next), then starts its dispatch
//! (`dispatch.rs`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use wagent_db::{Conn, Scope};
use wagent_jobs::{BackgroundJob, Job, JobError, NewJob};

use super::{CampaignError, CampaignStatus};
use crate::{CommonError, Domain, jobs::organization};

/// Freezes a campaign's audience at its start time and starts its dispatch.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Launch {
    pub(crate) campaign_id: Uuid,
}

impl Launch {
    pub(crate) async fn enqueue(
        c: &mut Conn,
        org_id: Uuid,
        campaign_id: Uuid,
        at: Option<DateTime<Utc>>,
    ) -> Result<(), wagent_db::Error> {
        let mut job = NewJob::of(Some(org_id), &Self { campaign_id })
            .unique(format!("campaigns.launch:{campaign_id}"));
        if let Some(at) = at {
            job = job.at(at);
        }
        wagent_jobs::enqueue(c, job).await?;
        Ok(())
    }
}

impl BackgroundJob for Launch {
    const KIND: &'static str = "campaigns.launch";
    type Context = Domain;

    /// A launch that cannot happen leaves the campaign `failed` with the reason, never
    /// `scheduled` forever.
    async fn run(self, job: Job, domain: Domain) -> Result<(), JobError> {
        let org_id = organization(&job)?;
        let outcome = domain.launch_now(org_id, self.campaign_id).await;
        let error = match outcome {
            Ok(next) => return next.map_or(Ok(()), |d| Err(JobError::Later(d))),
            Err(e) => e,
        };
        let last = job.attempts >= job.max_attempts;
        let reason = match &error {
            CampaignError::Common(CommonError::Internal(_)) if !last => {
                return Err(JobError::Failed(format!("{error:?}")));
            }
            CampaignError::Common(CommonError::Internal(_)) => {
                "could not start after several attempts; see the server log".to_owned()
            }
            other => format!("could not start: {other}"),
        };
        domain
            .tx(Scope::org(org_id), async |c| -> Result<(), CommonError> {
                super::set_status(
                    c,
                    org_id,
                    self.campaign_id,
                    CampaignStatus::Failed,
                    Some(&reason),
                )
                .await
            })
            .await
            .map_err(|e| JobError::Failed(format!("{e:?}")))?;
        Ok(())
    }
}
