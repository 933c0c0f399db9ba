//! The background jobs that talk to Meta, one file per kind.

mod download_media;
mod mark_read;
mod refresh;
mod send;

use uuid::Uuid;
use wagent_jobs::{Job, JobError};

fn job_uuid(job: &Job, field: &str) -> Result<Uuid, JobError> {
    job.payload[field]
        .as_str()
        .and_then(|s| Uuid::parse_str(s).ok())
        .ok_or_else(|| JobError::Permanent(format!("the job has no {field}")))
}
