//! The `whatsapp.send` job: one queued outbound message to Meta (its file uploaded first), and
//! what a send that ends for good leaves on the message.

use std::time::Duration as StdDuration;

use chrono::Utc;
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use wagent_db::{
    Conn, Scope,
    schema::{contacts, message_statuses, messages, phone_numbers, whatsapp_accounts},
};
use wagent_jobs::{BackgroundJob, Job, JobError, NewJob};
use wagent_meta::{AccessToken, GraphError, Recipient};

use crate::{
    CommonError, Domain,
    inbox::{
        self, Contact, Message, MessageKind, MessageStatus, PhoneNumber, TOPIC_MESSAGE_UPDATED,
        find_conversation,
    },
    jobs::{organization, retry},
    values::E164,
    whatsapp::Result,
};

/// Sends one pending outbound message.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct SendMessage {
    pub(crate) message_id: Uuid,
}

impl SendMessage {
    /// Queues the send of a pending message in the caller's transaction; it runs once that
    /// commits.
    pub(crate) async fn enqueue(
        c: &mut Conn,
        org_id: Uuid,
        message_id: Uuid,
    ) -> Result<(), wagent_db::Error> {
        wagent_jobs::enqueue(c, NewJob::of(Some(org_id), &Self { message_id })).await?;
        Ok(())
    }
}

impl BackgroundJob for SendMessage {
    const KIND: &'static str = "whatsapp.send";
    type Context = Domain;

    /// Every way a send can end for good (Meta's refusal, the last retry given up, a file
    /// gone missing) leaves the message `failed` with the reason.
    async fn run(self, job: Job, domain: Domain) -> Result<(), JobError> {
        let org_id = organization(&job)?;
        let message_id = self.message_id;
        let failure = match domain.send_once(&job, org_id, message_id).await {
            Ok(()) => return Ok(()),
            Err(SendError::Refused(e)) => {
                let failure = SendFailure::from_graph(&e);
                domain
                    .mark_send_failed(org_id, message_id, failure)
                    .await
                    .map_err(retry)?;
                return Ok(());
            }
            Err(SendError::Job(e)) => e,
        };
        let gives_up =
            matches!(failure, JobError::Permanent(_)) || job.attempts >= job.max_attempts;
        if gives_up {
            let reason = match &failure {
                JobError::Permanent(reason) => reason.clone(),
                other => format!("not sent after {} attempts: {other}", job.attempts),
            };
            let failed = SendFailure {
                code: None,
                title: None,
                details: reason,
            };
            if let Err(e) = domain.mark_send_failed(org_id, message_id, failed).await {
                tracing::warn!(error = ?e, "cannot mark a message failed");
            }
        }
        Err(failure)
    }
}

impl Domain {
    async fn send_once(&self, job: &Job, org_id: Uuid, message_id: Uuid) -> Result<(), SendError> {
        let wa = self
            .whatsapp()
            .map_err(|e| JobError::Permanent(e.to_string()))?
            .clone();
        let loaded = self
            .tx(Scope::org(org_id), async |c| -> Result<_, CommonError> {
                let message: Message = messages::table
                    .filter(messages::id.eq(message_id))
                    .select(Message::as_select())
                    .first(c)
                    .await?;
                let conversation = find_conversation(c, message.conversation_id).await?;
                let number: PhoneNumber = phone_numbers::table
                    .filter(phone_numbers::id.eq(conversation.phone_number_id))
                    .select(PhoneNumber::as_select())
                    .first(c)
                    .await?;
                let contact: Contact = contacts::table
                    .filter(contacts::id.eq(conversation.contact_id))
                    .select(Contact::as_select())
                    .first(c)
                    .await?;
                let sealed: String = whatsapp_accounts::table
                    .filter(whatsapp_accounts::id.eq(number.account_id))
                    .select(whatsapp_accounts::access_token_sealed)
                    .first(c)
                    .await?;
                Ok((message, number, contact, sealed))
            })
            .await
            .map_err(retry)?;
        let (message, number, contact, sealed) = loaded;
        if message.status != MessageStatus::Pending {
            return Ok(());
        }
        let recipient = recipient_of(contact.phone(), contact.user_id).ok_or_else(|| {
            JobError::Permanent("the contact has neither a phone number nor a user id".into())
        })?;
        let token = wa
            .keyring
            .open(&sealed, org_id, &Self::token_purpose(number.account_id))
            .map_err(|e| JobError::Permanent(e.to_string()))?;
        let access_token = AccessToken::new(token.expose());
        // Media goes up to Meta first; the message then names it by id.
        let uploaded = match message.payload["media_id"].as_str() {
            Some(ours) if message.kind.is_media() => {
                let path = wa.media_dir.join(org_id.to_string()).join(ours);
                let bytes = tokio::fs::read(&path)
                    .await
                    .map_err(|e| JobError::Permanent(format!("the file is gone: {e}")))?;
                let mime = message.payload["mime_type"]
                    .as_str()
                    .unwrap_or("application/octet-stream");
                let name = message.payload["file_name"].as_str().unwrap_or("file");
                match wa
                    .graph
                    .upload_media(&access_token, &number.phone_number_id, bytes, mime, name)
                    .await
                {
                    Ok(id) => Some(id),
                    Err(e)
                        if e.class() != wagent_meta::ErrorClass::Final
                            && job.attempts < job.max_attempts =>
                    {
                        return Err(JobError::Failed(e.to_string()).into());
                    }
                    Err(e) => return Err(SendError::Refused(e)),
                }
            }
            _ => None,
        };
        let outbound = outbound_for(&message, recipient, uploaded)
            .map_err(|e| JobError::Permanent(e.to_string()))?;
        let sent = match wa
            .graph
            .send_message(&access_token, &number.phone_number_id, &outbound)
            .await
        {
            Ok(sent) => sent,
            Err(e) => {
                // The last attempt keeps Meta's own code and words.
                let last = job.attempts >= job.max_attempts;
                return Err(match e.class() {
                    wagent_meta::ErrorClass::Throttled if !last => {
                        JobError::RetryAfter(e.retry_after().unwrap_or(StdDuration::from_secs(2)))
                            .into()
                    }
                    wagent_meta::ErrorClass::Transient if !last => {
                        JobError::Failed(e.to_string()).into()
                    }
                    _ => SendError::Refused(e),
                });
            }
        };
        self.tx(Scope::org(org_id), async |c| -> Result<_, CommonError> {
            diesel::update(
                messages::table
                    .filter(messages::id.eq(message_id))
                    .filter(messages::status.eq(MessageStatus::Pending)),
            )
            .set((
                messages::status.eq(MessageStatus::Accepted),
                messages::status_at.eq(Utc::now()),
                messages::wamid.eq(&sent.message_id),
                messages::error_code.eq(None::<i32>),
                messages::error_text.eq(None::<String>),
            ))
            .execute(c)
            .await?;
            inbox::publish(
                c,
                org_id,
                TOPIC_MESSAGE_UPDATED,
                message.conversation_id,
                Some(message_id),
            )
            .await?;
            Ok(())
        })
        .await
        .map_err(retry)?;
        Ok(())
    }

    /// Marks a pending outbound message `failed` for good, with the reason, in its history
    /// too; the inbox offers to retry it.
    async fn mark_send_failed(
        &self,
        org_id: Uuid,
        message_id: Uuid,
        failure: SendFailure,
    ) -> Result<()> {
        let now = Utc::now();
        let details: String = failure.details.chars().take(2048).collect();
        let title: Option<String> = failure.title.map(|t| t.chars().take(512).collect());
        self.tx(Scope::org(org_id), async |c| {
            let conversation_id: Option<Uuid> = diesel::update(
                messages::table
                    .filter(messages::id.eq(message_id))
                    .filter(messages::status.eq(MessageStatus::Pending)),
            )
            .set((
                messages::status.eq(MessageStatus::Failed),
                messages::status_at.eq(now),
                messages::error_code.eq(failure.code),
                messages::error_text.eq(&details),
            ))
            .returning(messages::conversation_id)
            .get_result(c)
            .await
            .optional()?;
            let Some(conversation_id) = conversation_id else {
                return Ok(());
            };
            diesel::insert_into(message_statuses::table)
                .values((
                    message_statuses::org_id.eq(org_id),
                    message_statuses::id.eq(Uuid::now_v7()),
                    message_statuses::message_id.eq(message_id),
                    message_statuses::status.eq(MessageStatus::Failed),
                    message_statuses::at.eq(now),
                    message_statuses::error_code.eq(failure.code),
                    message_statuses::error_title.eq(&title),
                    message_statuses::error_details.eq(&details),
                ))
                .execute(c)
                .await?;
            inbox::publish(
                c,
                org_id,
                TOPIC_MESSAGE_UPDATED,
                conversation_id,
                Some(message_id),
            )
            .await?;
            Ok(())
        })
        .await
    }
}

/// How one send attempt ended, when it did not succeed.
enum SendError {
    /// Retry or give up as the job runner decides.
    Job(JobError),
    /// Meta refused for good (an invalid parameter, a policy block, ...).
    Refused(GraphError),
}

impl From<JobError> for SendError {
    fn from(e: JobError) -> Self {
        Self::Job(e)
    }
}

/// Why a message failed for good: Meta's code and words, or ours.
struct SendFailure {
    code: Option<i32>,
    title: Option<String>,
    details: String,
}

impl SendFailure {
    fn from_graph(e: &GraphError) -> Self {
        match e {
            GraphError::Api {
                code,
                message,
                details,
                ..
            } => Self {
                code: i32::try_from(*code).ok(),
                title: Some(message.clone()),
                details: details.clone().unwrap_or_else(|| message.clone()),
            },
            other => Self {
                code: None,
                title: None,
                details: other.to_string(),
            },
        }
    }
}

/// Who a send goes to: by phone when we know it (`to`, Meta's wa_id digits), else by
/// business-scoped user id (`recipient`), as for a customer who uses a WhatsApp username.
fn recipient_of(phone: Option<E164>, user_id: Option<String>) -> Option<Recipient> {
    match (phone, user_id) {
        (Some(phone), _) => Some(Recipient::phone(phone.wa_id())),
        (None, Some(user_id)) => Some(Recipient::user_id(user_id)),
        (None, None) => None,
    }
}

/// The Graph request for a queued outbound message.
fn outbound_for(
    m: &Message,
    to: Recipient,
    uploaded: Option<String>,
) -> Result<wagent_meta::OutboundMessage, CommonError> {
    use wagent_meta::{
        MediaSource, OutboundMessage, TemplateComponent, TemplateLanguage, TemplateMessage,
        TemplateParameter,
    };
    let p = &m.payload;
    let caption = p["caption"]
        .as_str()
        .filter(|c| !c.is_empty())
        .map(str::to_owned);
    let media = || {
        uploaded
            .clone()
            .map(MediaSource::Id)
            .ok_or_else(|| CommonError::internal("the media was not uploaded"))
    };
    let mut out = match m.kind {
        MessageKind::Image => OutboundMessage::image(to.clone(), media()?, caption),
        MessageKind::Video => OutboundMessage::video(to.clone(), media()?, caption),
        MessageKind::Audio => OutboundMessage::audio(to.clone(), media()?, false),
        MessageKind::Document => OutboundMessage::document(
            to.clone(),
            media()?,
            p["file_name"].as_str().map(str::to_owned),
            caption,
        ),
        MessageKind::Text => {
            OutboundMessage::text(to.clone(), p["body"].as_str().unwrap_or_default())
        }
        MessageKind::Template => {
            let params: Vec<TemplateParameter> = p["body_parameters"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str())
                        .map(|t| TemplateParameter::Text {
                            text: t.to_owned(),
                            parameter_name: None,
                        })
                        .collect()
                })
                .unwrap_or_default();
            let components = if params.is_empty() {
                vec![]
            } else {
                vec![TemplateComponent::Body { parameters: params }]
            };
            OutboundMessage::template(
                to.clone(),
                TemplateMessage {
                    name: p["name"].as_str().unwrap_or_default().to_owned(),
                    language: TemplateLanguage {
                        code: p["language"].as_str().unwrap_or("en_US").to_owned(),
                    },
                    components,
                },
            )
        }
        MessageKind::Reaction => OutboundMessage::reaction(
            to.clone(),
            p["wamid"].as_str().unwrap_or_default(),
            p["emoji"].as_str().unwrap_or_default(),
        ),
        other => {
            return Err(CommonError::internal(format!(
                "cannot send a {other} message"
            )));
        }
    };
    if let Some(reply) = &m.reply_to_wamid {
        out = out.reply_to(reply.clone());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use serde_json::{Value, json};

    use super::*;

    fn queued(kind: MessageKind, payload: Value) -> Message {
        Message {
            org_id: Uuid::nil(),
            id: Uuid::nil(),
            conversation_id: Uuid::nil(),
            direction: crate::inbox::MessageDirection::Outbound,
            wamid: None,
            kind,
            body: None,
            payload,
            status: MessageStatus::Pending,
            status_at: Utc::now(),
            error_code: None,
            error_text: None,
            reply_to_wamid: Some("wamid.IN1".into()),
            sent_by: None,
            sent_at: Utc::now(),
            agent_id: None,
        }
    }

    #[test]
    fn a_reply_goes_by_phone_when_known_and_by_user_id_otherwise() {
        let text = queued(MessageKind::Text, json!({ "body": "Oi" }));
        let by_user = recipient_of(None, Some("BR.1520436779021845".into())).unwrap();
        let wire = serde_json::to_value(outbound_for(&text, by_user, None).unwrap()).unwrap();
        assert_eq!(wire["recipient"], "BR.1520436779021845");
        assert!(wire.get("to").is_none(), "{wire}");
        assert_eq!(wire["context"]["message_id"], "wamid.IN1");

        let phone = E164::from_wa_id("5511987650001").unwrap();
        let both = recipient_of(Some(phone), Some("BR.1".into())).unwrap();
        let wire = serde_json::to_value(outbound_for(&text, both, None).unwrap()).unwrap();
        assert_eq!(wire["to"], "5511987650001");
        assert!(wire.get("recipient").is_none(), "{wire}");

        assert_eq!(recipient_of(None, None), None);
    }
}
