//! The `whatsapp.mark_read` job: tells Meta the customer's last message was read.

use serde::{Deserialize, Serialize};
use uuid::Uuid;
use wagent_db::{Conn, Scope};
use wagent_jobs::{BackgroundJob, Job, JobError, NewJob};

use crate::{
    Access, CommonError, Domain,
    inbox::find_conversation,
    jobs::{organization, retry},
};

/// Marks a conversation's last inbound message read at Meta.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct MarkRead {
    pub(crate) conversation_id: Uuid,
    pub(crate) wamid: String,
}

impl MarkRead {
    /// Queues the mark in the caller's transaction; at most one per conversation waits.
    pub(crate) async fn enqueue(
        c: &mut Conn,
        org_id: Uuid,
        conversation_id: Uuid,
        wamid: String,
    ) -> Result<(), wagent_db::Error> {
        let job = NewJob::of(
            Some(org_id),
            &Self {
                conversation_id,
                wamid,
            },
        )
        .unique(format!("{}:{conversation_id}", Self::KIND));
        wagent_jobs::enqueue(c, job).await?;
        Ok(())
    }
}

impl BackgroundJob for MarkRead {
    const KIND: &'static str = "whatsapp.mark_read";
    type Context = Domain;

    async fn run(self, job: Job, domain: Domain) -> Result<(), JobError> {
        let org_id = organization(&job)?;
        let wa = domain
            .whatsapp()
            .map_err(|e| JobError::Permanent(e.to_string()))?
            .clone();
        let number_id = domain
            .tx(Scope::org(org_id), async |c| -> Result<_, CommonError> {
                Ok(find_conversation(c, self.conversation_id)
                    .await?
                    .phone_number_id)
            })
            .await
            .map_err(retry)?;
        let (number, token) = domain
            .number_and_token(&Access::operator(org_id), number_id)
            .await
            .map_err(retry)?;
        match wa
            .graph
            .mark_read(&token, &number.phone_number_id, &self.wamid, false)
            .await
        {
            Ok(()) => Ok(()),
            Err(e) if e.class() == wagent_meta::ErrorClass::Final => {
                Err(JobError::Permanent(e.to_string()))
            }
            Err(e) => Err(JobError::Failed(e.to_string())),
        }
    }
}
