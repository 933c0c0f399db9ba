//! The `whatsapp.mark_read` job: tells Meta the customer's last message was read.

use wagent_db::Scope;
use wagent_jobs::{Job, JobError};

use super::job_uuid;
use crate::{Access, Domain, Role, inbox::find_conversation};

impl Domain {
    /// The `whatsapp.mark_read` job.
    pub async fn run_mark_read_job(self, job: Job) -> Result<(), JobError> {
        let org_id = job
            .org_id
            .ok_or_else(|| JobError::Permanent("no organization".into()))?;
        let conversation_id = job_uuid(&job, "conversation_id")?;
        let wamid = job.payload["wamid"]
            .as_str()
            .ok_or_else(|| JobError::Permanent("no wamid".into()))?
            .to_owned();
        let wa = self
            .whatsapp()
            .map_err(|e| JobError::Permanent(e.to_string()))?
            .clone();
        let number_id = self
            .tx(Scope::org(org_id), async |c| {
                Ok(find_conversation(c, conversation_id).await?.phone_number_id)
            })
            .await
            .map_err(|e| JobError::Failed(format!("{e:?}")))?;
        let access = Access {
            caller: crate::Caller::operator(),
            org_id,
            role: Role::Owner,
        };
        let (number, token) = self
            .number_and_token(&access, number_id)
            .await
            .map_err(|e| JobError::Failed(format!("{e:?}")))?;
        match wa
            .graph
            .mark_read(&token, &number.phone_number_id, &wamid, false)
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
