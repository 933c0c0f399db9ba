//! The `whatsapp.refresh` job: a number's details, read again from Meta after an account
//! update (a ban, a restriction or a new limit shows there).

use serde::{Deserialize, Serialize};
use uuid::Uuid;
use wagent_db::Conn;
use wagent_jobs::{BackgroundJob, Job, JobError, NewJob};

use crate::{
    Access, CommonError, Domain,
    jobs::{organization, retry},
    whatsapp::WhatsAppError,
};

/// Reads one connected number's details again.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct RefreshNumber {
    pub(crate) phone_number_id: Uuid,
}

impl RefreshNumber {
    /// Queues a refresh of the number in the caller's transaction; at most one waits.
    pub(crate) async fn enqueue(
        c: &mut Conn,
        org_id: Uuid,
        phone_number_id: Uuid,
    ) -> Result<(), wagent_db::Error> {
        let job = NewJob::of(Some(org_id), &Self { phone_number_id })
            .unique(format!("{}:{phone_number_id}", Self::KIND));
        wagent_jobs::enqueue(c, job).await?;
        Ok(())
    }
}

impl BackgroundJob for RefreshNumber {
    const KIND: &'static str = "whatsapp.refresh";
    type Context = Domain;

    async fn run(self, job: Job, domain: Domain) -> Result<(), JobError> {
        let access = Access::operator(organization(&job)?);
        match domain
            .refresh_phone_number(&access, self.phone_number_id)
            .await
        {
            Ok(_) => Ok(()),
            // Disconnected and gone since.
            Err(WhatsAppError::Common(CommonError::NotFound(_))) => Ok(()),
            Err(e) => Err(retry(e)),
        }
    }
}
