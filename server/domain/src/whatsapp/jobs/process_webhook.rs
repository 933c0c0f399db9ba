//! The `whatsapp.webhook` job: one stored delivery processed (see [`Domain::process_webhook`]),
//! or, run a day later for a delivery found unreadable, its expiry.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use wagent_db::Conn;
use wagent_jobs::{BackgroundJob, Job, JobError, NewJob};

use crate::{Domain, jobs::retry};

/// Processes (or expires) one row of `webhook_events`; no organization is known yet.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct ProcessWebhook {
    pub(crate) event_id: Uuid,
}

impl ProcessWebhook {
    /// Queues the processing of a delivery just stored, in the caller's transaction.
    pub(crate) async fn enqueue(c: &mut Conn, event_id: Uuid) -> Result<(), wagent_db::Error> {
        wagent_jobs::enqueue(c, NewJob::of(None, &Self { event_id })).await?;
        Ok(())
    }

    /// Queues the expiry of a delivery that cannot be read: the same job, run at `at`, deletes
    /// it.
    pub(crate) async fn enqueue_expiry(
        c: &mut Conn,
        event_id: Uuid,
        at: DateTime<Utc>,
    ) -> Result<(), wagent_db::Error> {
        wagent_jobs::enqueue(c, NewJob::of(None, &Self { event_id }).at(at)).await?;
        Ok(())
    }
}

impl BackgroundJob for ProcessWebhook {
    const KIND: &'static str = "whatsapp.webhook";
    type Context = Domain;

    async fn run(self, _job: Job, domain: Domain) -> Result<(), JobError> {
        let _turn = domain.webhook_turn().await;
        let report = domain.process_webhook(self.event_id).await.map_err(retry)?;
        tracing::debug!(?report, "webhook processed");
        Ok(())
    }
}
