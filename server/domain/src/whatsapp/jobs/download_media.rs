//! The `whatsapp.media` job: an inbound message's media, downloaded from Meta into the data
//! folder within Meta's per-type size limits.

use chrono::Utc;
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use wagent_db::{
    Conn, Scope,
    schema::{media, messages},
};
use wagent_jobs::{BackgroundJob, Job, JobError, NewJob};
use wagent_meta::GraphError;

use crate::{
    Access, CommonError, Domain,
    inbox::find_conversation,
    jobs::{organization, retry},
};

/// Downloads the file of one inbound media row.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct DownloadMedia {
    pub(crate) media_id: Uuid,
}

impl DownloadMedia {
    /// Queues the download in the caller's transaction (the one that stores the media row).
    pub(crate) async fn enqueue(
        c: &mut Conn,
        org_id: Uuid,
        media_id: Uuid,
    ) -> Result<(), wagent_db::Error> {
        wagent_jobs::enqueue(c, NewJob::of(Some(org_id), &Self { media_id })).await?;
        Ok(())
    }
}

impl BackgroundJob for DownloadMedia {
    const KIND: &'static str = "whatsapp.media";
    type Context = Domain;

    async fn run(self, job: Job, domain: Domain) -> Result<(), JobError> {
        let org_id = organization(&job)?;
        let media_id = self.media_id;
        let wa = domain
            .whatsapp()
            .map_err(|e| JobError::Permanent(e.to_string()))?
            .clone();
        let (meta_id, number_id) = domain
            .tx(Scope::org(org_id), async |c| -> Result<_, CommonError> {
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
            .map_err(retry)?;
        let meta_id = meta_id.ok_or_else(|| JobError::Permanent("no media id".into()))?;
        let (_, token) = domain
            .number_and_token(&Access::operator(org_id), number_id)
            .await
            .map_err(retry)?;
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
        domain
            .tx(Scope::org(org_id), async |c| -> Result<_, CommonError> {
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
            .map_err(retry)?;
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
