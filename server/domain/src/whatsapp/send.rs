//! Sending from the inbox: a message is stored `pending` and its send job queued in one
//! transaction (the `whatsapp.send` job talks to Meta); a failed one can be retried; marking a
//! conversation read tells Meta through a job too.

use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use serde_json::{Value, json};
use uuid::Uuid;
use wagent_db::{
    Conn,
    schema::{message_templates, messages, phone_numbers},
};

use super::{
    Result, Template, WhatsAppError,
    jobs::{MarkRead, SendMessage},
    touch_conversation,
};
use crate::{
    Access, CommonError, Domain, Role,
    inbox::{
        self, Conversation, Message, MessageDirection, MessageKind, MessageStatus, PhoneNumber,
        TOPIC_MESSAGE_CREATED, TOPIC_MESSAGE_UPDATED, find_conversation,
    },
    values::{LanguageTag, TemplateName},
};

/// What an agent sends.
#[derive(Debug, Clone)]
pub enum Outgoing {
    Text {
        body: String,
    },
    Template {
        name: TemplateName,
        language: LanguageTag,
        body_parameters: Vec<String>,
    },
    Reaction {
        message_id: Uuid,
        emoji: String,
    },
}

impl Domain {
    /// Queues a message to the conversation's customer. Free-form messages need the
    /// 24-hour window to be open; templates go out any time.
    pub async fn send_message(
        &self,
        access: &Access,
        conversation_id: Uuid,
        outgoing: Outgoing,
        reply_to: Option<Uuid>,
    ) -> Result<Message> {
        access.ensure(Role::Member)?;
        self.whatsapp()?;
        let (kind, body, payload) = match &outgoing {
            Outgoing::Text { body } => {
                let body = body.trim();
                if body.is_empty() || body.chars().count() > 4096 {
                    return Err(WhatsAppError::MessageLength);
                }
                (
                    MessageKind::Text,
                    Some(body.to_owned()),
                    json!({ "body": body }),
                )
            }
            Outgoing::Template {
                name,
                language,
                body_parameters,
            } => {
                if body_parameters.len() > 20
                    || body_parameters.iter().any(|p| p.chars().count() > 1024)
                {
                    return Err(WhatsAppError::TemplateParameters);
                }
                (
                    MessageKind::Template,
                    Some(format!("[template {name}]")),
                    json!({ "name": name.as_str(), "language": language.as_str(), "body_parameters": body_parameters }),
                )
            }
            Outgoing::Reaction { message_id, emoji } => (
                MessageKind::Reaction,
                Some(emoji.clone()),
                json!({ "message_id": message_id, "emoji": emoji }),
            ),
        };
        let free_form = !matches!(outgoing, Outgoing::Template { .. });
        self.tx(access.scope(), async |c| {
            let conversation = find_conversation(c, conversation_id).await?;
            let number: PhoneNumber = phone_numbers::table
                .filter(phone_numbers::id.eq(conversation.phone_number_id))
                .select(PhoneNumber::as_select())
                .first(c)
                .await?;
            if number.disconnected_at.is_some() {
                return Err(WhatsAppError::NumberDisconnected);
            }
            let now = Utc::now();
            if free_form && !conversation.window_open(now) {
                return Err(match conversation.window_open_until() {
                    Some(t) => WhatsAppError::WindowClosedAt(t),
                    None => WhatsAppError::CustomerNeverWrote,
                });
            }
            let mut payload = payload.clone();
            if let Outgoing::Reaction { message_id, .. } = &outgoing {
                // Only a message of this conversation: Meta would otherwise react in another chat.
                let target: Option<String> = messages::table
                    .filter(messages::id.eq(message_id))
                    .filter(messages::conversation_id.eq(conversation_id))
                    .select(messages::wamid)
                    .first::<Option<String>>(c)
                    .await
                    .optional()?
                    .flatten();
                payload["wamid"] = json!(target.ok_or(CommonError::NotFound("message"))?);
            }
            let reply_to_wamid = match reply_to {
                Some(id) => Some(
                    messages::table
                        .filter(messages::id.eq(id))
                        .filter(messages::conversation_id.eq(conversation_id))
                        .select(messages::wamid)
                        .first::<Option<String>>(c)
                        .await
                        .optional()?
                        .flatten()
                        .ok_or(CommonError::NotFound("message"))?,
                ),
                None => None,
            };
            // A template reads in the inbox as the customer will see it, when its text is known.
            let body = match &outgoing {
                Outgoing::Template {
                    name,
                    language,
                    body_parameters,
                } => {
                    let known: Option<Template> = message_templates::table
                        .filter(message_templates::name.eq(name))
                        .filter(message_templates::language.eq(language))
                        .select(Template::as_select())
                        .first(c)
                        .await
                        .optional()?;
                    known.and_then(|t| t.render(body_parameters)).or(body)
                }
                _ => body,
            };
            let draft = Outbound {
                kind,
                body: body.as_deref(),
                payload: &payload,
                reply_to_wamid: reply_to_wamid.as_deref(),
            };
            let message = queue_outbound(c, access, &conversation, draft, now).await?;
            // A message not sent by the bot silences it: never both at once.
            crate::agents::silence_bot(
                c,
                access.org_id,
                conversation_id,
                "a member of the team answered",
            )
            .await?;
            Ok(message)
        })
        .await
    }

    /// Clears the unread count and, through a job, marks the last inbound message read at Meta.
    /// The job is queued in the same transaction as the change, so neither happens alone.
    pub async fn mark_read(&self, access: &Access, conversation_id: Uuid) -> Result<Conversation> {
        access.ensure(Role::Member)?;
        let configured = self.whatsapp.is_some();
        self.tx(access.scope(), async |c| {
            let (conversation, wamid) =
                inbox::mark_conversation_read(c, access.org_id, conversation_id).await?;
            if let (Some(wamid), true) = (wamid, configured) {
                MarkRead::enqueue(c, access.org_id, conversation_id, wamid).await?;
            }
            Ok(conversation)
        })
        .await
    }

    /// Sends a failed outbound message again: back to `pending` with a new send job. Member.
    /// The rules of a new send hold again (the number connected; the 24-hour window open
    /// unless it is a template).
    pub async fn retry_message(&self, access: &Access, message_id: Uuid) -> Result<Message> {
        access.ensure(Role::Member)?;
        self.whatsapp()?;
        self.tx(access.scope(), async |c| {
            let message: Message = messages::table
                .filter(messages::id.eq(message_id))
                .select(Message::as_select())
                .for_update()
                .first(c)
                .await
                .optional()?
                .ok_or(CommonError::NotFound("message"))?;
            if message.direction != MessageDirection::Outbound
                || message.status != MessageStatus::Failed
            {
                return Err(WhatsAppError::NotRetryable);
            }
            let conversation = find_conversation(c, message.conversation_id).await?;
            let number: PhoneNumber = phone_numbers::table
                .filter(phone_numbers::id.eq(conversation.phone_number_id))
                .select(PhoneNumber::as_select())
                .first(c)
                .await?;
            if number.disconnected_at.is_some() {
                return Err(WhatsAppError::NumberDisconnected);
            }
            let now = Utc::now();
            if message.kind != MessageKind::Template && !conversation.window_open(now) {
                return Err(WhatsAppError::WindowClosed);
            }
            // A new send gets a new wamid; the old one's history stays.
            let message: Message =
                diesel::update(messages::table.filter(messages::id.eq(message_id)))
                    .set((
                        messages::status.eq(MessageStatus::Pending),
                        messages::status_at.eq(now),
                        messages::wamid.eq(None::<String>),
                        messages::error_code.eq(None::<i32>),
                        messages::error_text.eq(None::<String>),
                    ))
                    .returning(Message::as_returning())
                    .get_result(c)
                    .await?;
            queue_send(c, access.org_id, &message, TOPIC_MESSAGE_UPDATED).await?;
            Ok(message)
        })
        .await
    }
}

/// An outbound message to queue.
pub(super) struct Outbound<'a> {
    pub(super) kind: MessageKind,
    pub(super) body: Option<&'a str>,
    pub(super) payload: &'a Value,
    pub(super) reply_to_wamid: Option<&'a str>,
}

/// Stores an outbound message as pending, in the caller's transaction, and queues its send:
/// the job runs once the transaction commits.
pub(super) async fn queue_outbound(
    c: &mut Conn,
    access: &Access,
    conversation: &Conversation,
    draft: Outbound<'_>,
    now: DateTime<Utc>,
) -> Result<Message> {
    queue(
        c,
        access.org_id,
        access.caller().user_id(),
        None,
        conversation,
        draft,
        now,
    )
    .await
}

/// Queues the bot's text answer in the caller's transaction (the caller checked that the bot
/// still handles the conversation and that its window is open).
pub(crate) async fn queue_bot_message(
    c: &mut Conn,
    org_id: Uuid,
    conversation: &Conversation,
    text: &str,
    agent_id: Uuid,
) -> Result<Uuid> {
    let text: String = text.trim().chars().take(4096).collect();
    if text.is_empty() {
        return Err(WhatsAppError::MessageLength);
    }
    let payload = json!({ "body": text });
    let draft = Outbound {
        kind: MessageKind::Text,
        body: Some(&text),
        payload: &payload,
        reply_to_wamid: None,
    };
    let message = queue(
        c,
        org_id,
        None,
        Some(agent_id),
        conversation,
        draft,
        Utc::now(),
    )
    .await?;
    Ok(message.id)
}

async fn queue(
    c: &mut Conn,
    org_id: Uuid,
    sent_by: Option<Uuid>,
    agent_id: Option<Uuid>,
    conversation: &Conversation,
    draft: Outbound<'_>,
    now: DateTime<Utc>,
) -> Result<Message> {
    let message: Message = diesel::insert_into(messages::table)
        .values((
            messages::org_id.eq(org_id),
            messages::id.eq(Uuid::now_v7()),
            messages::conversation_id.eq(conversation.id),
            messages::direction.eq(MessageDirection::Outbound),
            messages::kind.eq(draft.kind),
            messages::body.eq(draft.body),
            messages::payload.eq(draft.payload),
            messages::status.eq(MessageStatus::Pending),
            messages::reply_to_wamid.eq(draft.reply_to_wamid),
            messages::sent_by.eq(sent_by),
            messages::agent_id.eq(agent_id),
            messages::sent_at.eq(now),
        ))
        .returning(Message::as_returning())
        .get_result(c)
        .await?;
    touch_conversation(c, conversation, now, draft.body, false).await?;
    queue_send(c, org_id, &message, TOPIC_MESSAGE_CREATED).await?;
    Ok(message)
}

/// Enqueues the send job of a pending outbound message and tells the inbox, in the caller's
/// transaction.
async fn queue_send(
    c: &mut Conn,
    org_id: Uuid,
    message: &Message,
    topic: &str,
) -> Result<(), CommonError> {
    SendMessage::enqueue(c, org_id, message.id).await?;
    inbox::publish(c, org_id, topic, message.conversation_id, Some(message.id)).await?;
    Ok(())
}
