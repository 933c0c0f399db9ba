//! The `whatsapp.refresh` job: a number's details, read again from Meta after an account update.

use wagent_jobs::{Job, JobError};

use super::job_uuid;
use crate::{Access, Domain, DomainError, Role};

impl Domain {
    /// The `whatsapp.refresh` job: a number's details, read again after an account update.
    pub async fn run_refresh_job(self, job: Job) -> Result<(), JobError> {
        let org_id = job
            .org_id
            .ok_or_else(|| JobError::Permanent("no organization".into()))?;
        let id = job_uuid(&job, "phone_number_id")?;
        let access = Access {
            caller: crate::Caller::operator(),
            org_id,
            role: Role::Owner,
        };
        match self.refresh_phone_number(&access, id).await {
            Ok(_) => Ok(()),
            Err(DomainError::NotFound(_)) => Ok(()),
            Err(e) => Err(JobError::Failed(format!("{e:?}"))),
        }
    }
}
