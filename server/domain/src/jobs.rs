//! Every kind of background job the domain runs, registered in one place.
//!
//! A kind is one file in its area (`whatsapp/jobs/*.rs`, `retention.rs`): a payload struct
//! that is a [`BackgroundJob`] (its `KIND`, its `run`) and a typed function that enqueues it
//! in the caller's transaction. Adding a kind is writing that file and one line here.

use uuid::Uuid;
use wagent_jobs::{Job, JobError, Runner};

use crate::{
    Domain, agents, campaigns, contacts::imports, knowledge, retention, whatsapp::jobs as whatsapp,
};

impl Domain {
    /// Routes every kind of job but campaign dispatch to its handler; `serve` and `worker`
    /// run what this returns.
    pub fn register_jobs(&self, runner: Runner) -> Runner {
        runner
            .handle::<retention::Sweep>(self.clone())
            .handle::<whatsapp::ProcessWebhook>(self.clone())
            .handle::<whatsapp::SendMessage>(self.clone())
            .handle::<whatsapp::DownloadMedia>(self.clone())
            .handle::<whatsapp::MarkRead>(self.clone())
            .handle::<whatsapp::RefreshNumber>(self.clone())
            .handle::<imports::RunImport>(self.clone())
            .handle::<campaigns::Launch>(self.clone())
            .handle::<knowledge::Ingest>(self.clone())
            .handle::<agents::Reply>(self.clone())
    }

    /// Routes campaign dispatch, which runs for minutes at a time, to its own runner.
    pub fn register_campaign_dispatch(&self, runner: Runner) -> Runner {
        runner.handle::<campaigns::Dispatch>(self.clone())
    }
}

/// The organization a job runs for; a job without one cannot run.
pub(crate) fn organization(job: &Job) -> Result<Uuid, JobError> {
    job.org_id
        .ok_or_else(|| JobError::Permanent("no organization".into()))
}

/// A failure the runner retries, the domain's error kept in the job's row.
pub(crate) fn retry(e: impl std::fmt::Debug) -> JobError {
    JobError::Failed(format!("{e:?}"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use wagent_jobs::NewJob;

    use super::*;

    /// Deployed databases hold rows of every kind: kinds and payloads keep their shapes.
    #[test]
    fn kinds_and_payloads_keep_the_shape_of_rows_already_queued() {
        let id = Uuid::now_v7();
        let rows = [
            (
                NewJob::of(None, &retention::Sweep {}),
                "retention.sweep",
                json!({}),
            ),
            (
                NewJob::of(None, &whatsapp::ProcessWebhook { event_id: id }),
                "whatsapp.webhook",
                json!({ "event_id": id }),
            ),
            (
                NewJob::of(None, &whatsapp::SendMessage { message_id: id }),
                "whatsapp.send",
                json!({ "message_id": id }),
            ),
            (
                NewJob::of(None, &whatsapp::DownloadMedia { media_id: id }),
                "whatsapp.media",
                json!({ "media_id": id }),
            ),
            (
                NewJob::of(
                    None,
                    &whatsapp::MarkRead {
                        conversation_id: id,
                        wamid: "wamid.1".into(),
                    },
                ),
                "whatsapp.mark_read",
                json!({ "conversation_id": id, "wamid": "wamid.1" }),
            ),
            (
                NewJob::of(
                    None,
                    &whatsapp::RefreshNumber {
                        phone_number_id: id,
                    },
                ),
                "whatsapp.refresh",
                json!({ "phone_number_id": id }),
            ),
            (
                NewJob::of(None, &imports::RunImport { import_id: id }),
                "contacts.import",
                json!({ "import_id": id }),
            ),
            (
                NewJob::of(None, &campaigns::Launch { campaign_id: id }),
                "campaigns.launch",
                json!({ "campaign_id": id }),
            ),
            (
                NewJob::of(
                    None,
                    &campaigns::Dispatch {
                        campaign_id: id,
                        shard: 1,
                    },
                ),
                "campaigns.dispatch",
                json!({ "campaign_id": id, "shard": 1 }),
            ),
        ];
        for (job, kind, payload) in rows {
            assert_eq!((job.kind, job.payload), (kind, payload));
        }
        assert_eq!(
            serde_json::from_value::<whatsapp::SendMessage>(
                json!({ "message_id": id.to_string() })
            )
            .map(|p| p.message_id)
            .ok(),
            Some(id)
        );
    }

    /// Every `impl BackgroundJob for Kind` in the crate, as `(file, Kind)`.
    fn job_kinds(dir: &std::path::Path, found: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                job_kinds(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for line in text.lines() {
                    if let Some(rest) = line.trim().strip_prefix("impl BackgroundJob for ") {
                        let kind = rest.trim_end_matches(" {").trim().to_owned();
                        found.push((path.display().to_string(), kind));
                    }
                }
            }
        }
    }

    /// A job kind that is written but not registered would sit in the queue forever; one
    /// file per kind keeps each kind's payload and handler together.
    #[test]
    fn every_job_kind_is_registered_and_has_a_file_of_its_own() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut kinds = Vec::new();
        job_kinds(&src, &mut kinds);
        assert!(kinds.len() >= 11, "{kinds:?}");
        let registry = std::fs::read_to_string(src.join("jobs.rs")).unwrap();
        for (file, kind) in &kinds {
            assert!(
                registry.contains(&format!("::{kind}>(self.clone())")),
                "{kind} ({file}) is not registered in jobs.rs"
            );
            let shared = kinds.iter().filter(|(f, _)| f == file).count();
            assert_eq!(shared, 1, "{file} holds {shared} job kinds");
        }
    }
}
