//! The `whatsapp.media` job: an inbound message's media, downloaded from Meta into the data
//! folder within Meta's per-type size limits.

use chrono::Utc;
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use uuid::Uuid;
use wagent_db::{
    Scope,
    schema::{media, messages},
};
use wagent_jobs::{Job, JobError};
use wagent_meta::GraphError;

use super::job_uuid;
use crate::{Access, Domain, Role, inbox::find_conversation};

impl Domain {
    /// The `whatsapp.media` job: downloads an inbound message's media into the data folder.
    pub async fn run_media_job(self, job: Job) -> Result<(), JobError> {
        let org_id = job
            .org_id
            .ok_or_else(|| JobError::Permanent("no organization".into()))?;
        let media_id = job_uuid(&job, "media_id")?;
        let wa = self
            .whatsapp()
            .map_err(|e| JobError::Permanent(e.to_string()))?
            .clone();
        let (meta_id, number_id) = self
            .tx(Scope::org(org_id), async |c| {
                let (meta_id, message_id): (Option<String>, Uuid) = media::table
                    .filter(media::id.eq(media_id))
                    .select((media::meta_media_id, media::message_id))
                    .first(c)
                    .await?;
                let conversation_id: Uuid = messages::table
                    .filter(messages::id.eq(message_id))
                    .select(messages::conversation_id)
                    .first(c)
                    .await?;
                Ok((
                    meta_id,
                    find_conversation(c, conversation_id).await?.phone_number_id,
                ))
            })
            .await
            .map_err(|e| JobError::Failed(format!("{e:?}")))?;
        let meta_id = meta_id.ok_or_else(|| JobError::Permanent("no media id".into()))?;
        let access = Access {
            caller: crate::Caller::operator(),
            org_id,
            role: Role::Owner,
        };
        let (_, token) = self
            .number_and_token(&access, number_id)
            .await
            .map_err(|e| JobError::Failed(format!("{e:?}")))?;
        let info = wa
            .graph
            .media_info(&token, &meta_id)
            .await
            .map_err(|e| JobError::Failed(e.to_string()))?;
        let limit = media_limit(&info.mime_type);
        let outcome = wa.graph.download_media(&token, &info.url, limit).await;
        let (stored, error) = match outcome {
            Ok(bytes) => {
                let dir = wa.media_dir.join(org_id.to_string());
                tokio::fs::create_dir_all(&dir)
                    .await
                    .map_err(|e| JobError::Failed(e.to_string()))?;
                tokio::fs::write(dir.join(media_id.to_string()), &bytes)
                    .await
                    .map_err(|e| JobError::Failed(e.to_string()))?;
                (Some(bytes.len() as i64), None)
            }
            Err(GraphError::TooLarge) => (
                None,
                Some(format!(
                    "larger than the {} MB allowed for this type",
                    limit / 1_000_000
                )),
            ),
            Err(e) if job.attempts < job.max_attempts => {
                return Err(JobError::Failed(e.to_string()));
            }
            Err(e) => (None, Some(e.to_string())),
        };
        self.tx(Scope::org(org_id), async |c| {
            diesel::update(media::table.filter(media::id.eq(media_id)))
                .set((
                    media::mime_type.eq(&info.mime_type),
                    media::file_size.eq(stored),
                    media::stored_at.eq(stored.map(|_| Utc::now())),
                    media::error.eq(&error),
                ))
                .execute(c)
                .await?;
            Ok(())
        })
        .await
        .map_err(|e| JobError::Failed(format!("{e:?}")))?;
        Ok(())
    }
}

/// Meta's size limits per type (facts §4), with documents as the largest.
fn media_limit(mime: &str) -> usize {
    if mime.starts_with("image/") {
        5_000_000
    } else if mime.starts_with("audio/") || mime.starts_with("video/") {
        16_000_000
    } else {
        100_000_000
    }
}
