//! What a webhook brings into the inbox: customers' messages (with their media, fetched by a
//! job) and the statuses of the messages we sent.

use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl};
use diesel_async::RunQueryDsl;
use serde_json::Value;
use uuid::Uuid;
use wagent_db::{
    Conn,
    schema::{conversations, media, message_statuses, messages, phone_numbers},
};
use wagent_meta::webhook::{self as meta_webhook, InboundKind, InboundMessage, StatusUpdate};

use super::{Result, WhatsAppError};
use super::{
    contacts::{Customer, upsert_contact},
    jobs::DownloadMedia,
    keywords::apply_keyword,
    touch_conversation,
};
use crate::{
    campaigns,
    inbox::{
        self, MessageDirection, MessageKind, MessageStatus, TOPIC_CONVERSATION,
        TOPIC_MESSAGE_CREATED, TOPIC_MESSAGE_UPDATED, find_conversation,
    },
    values::E164,
};

/// Stores one inbound message; false when it was already stored (a duplicate delivery).
pub(super) async fn apply_message(
    c: &mut Conn,
    org_id: Uuid,
    meta_number: &str,
    contact: Option<&wagent_meta::webhook::Contact>,
    m: &InboundMessage,
) -> Result<bool> {
    let Some(number_id) = phone_numbers::table
        .filter(phone_numbers::phone_number_id.eq(meta_number))
        .select(phone_numbers::id)
        .first::<Uuid>(c)
        .await
        .optional()?
    else {
        return Ok(false);
    };
    // A wa_id libphonenumber does not know is kept as Meta sent it (`E164::from_wa_id`). One
    // that is not a number at all names the customer some other way: like the migration that
    // moved such wa_ids to `user_id`, it stands for the user id when Meta names none, so the
    // message is still stored.
    let wa_id = contact
        .and_then(|k| k.wa_id.as_deref())
        .or(m.from.as_deref());
    let phone = wa_id.and_then(|w| E164::from_wa_id(w).ok());
    let not_a_number = wa_id.filter(|_| phone.is_none());
    if let Some(w) = not_a_number {
        tracing::warn!(%org_id, wamid = %m.id, wa_id = %w, "a sender's wa_id is not a phone number");
    }
    let customer = Customer {
        phone: phone.as_ref(),
        user_id: contact
            .and_then(|k| k.user_id.as_deref())
            .or(m.from_user_id.as_deref())
            .or(not_a_number),
        name: contact.and_then(|k| k.name.as_deref()),
        username: contact.and_then(|k| k.username.as_deref()),
    };
    let Some(contact_id) = upsert_contact(c, org_id, &customer).await? else {
        return Err(WhatsAppError::NoSender);
    };
    let conversation_id: Uuid = diesel::insert_into(conversations::table)
        .values((
            conversations::org_id.eq(org_id),
            conversations::id.eq(Uuid::now_v7()),
            conversations::phone_number_id.eq(number_id),
            conversations::contact_id.eq(contact_id),
        ))
        .on_conflict((
            conversations::org_id,
            conversations::phone_number_id,
            conversations::contact_id,
        ))
        .do_update()
        .set(conversations::updated_at.eq(Utc::now()))
        .returning(conversations::id)
        .get_result(c)
        .await?;
    let sent_at = DateTime::from_timestamp(m.timestamp, 0).unwrap_or_else(Utc::now);
    let (kind, body, payload) = describe(&m.kind);
    let mut payload = payload;
    if let Some(ctx) = &m.context {
        payload["context"] = serde_json::to_value(ctx).unwrap_or(Value::Null);
    }
    if let Some(referral) = &m.referral {
        payload["referral"] = serde_json::to_value(referral).unwrap_or(Value::Null);
    }
    if !m.errors.is_empty() {
        payload["errors"] = serde_json::to_value(&m.errors).unwrap_or(Value::Null);
    }
    let message_id = Uuid::now_v7();
    let inserted = diesel::insert_into(messages::table)
        .values((
            messages::org_id.eq(org_id),
            messages::id.eq(message_id),
            messages::conversation_id.eq(conversation_id),
            messages::direction.eq(MessageDirection::Inbound),
            messages::wamid.eq(&m.id),
            messages::kind.eq(kind),
            messages::body.eq(&body),
            messages::payload.eq(&payload),
            messages::status.eq(MessageStatus::Received),
            messages::reply_to_wamid.eq(m.context.as_ref().and_then(|x| x.id.clone())),
            messages::sent_at.eq(sent_at),
        ))
        .on_conflict_do_nothing()
        .execute(c)
        .await?;
    if inserted == 0 {
        return Ok(false);
    }
    if let Some(meta_media) = media_ref(&m.kind) {
        let media_id = Uuid::now_v7();
        diesel::insert_into(media::table)
            .values((
                media::org_id.eq(org_id),
                media::id.eq(media_id),
                media::message_id.eq(message_id),
                media::meta_media_id.eq(&meta_media.id),
                media::mime_type.eq(&meta_media.mime_type),
                media::sha256.eq(&meta_media.sha256),
                media::file_name.eq(match &m.kind {
                    InboundKind::Document { filename, .. } => filename.clone(),
                    _ => None,
                }),
            ))
            .execute(c)
            .await?;
        DownloadMedia::enqueue(c, org_id, media_id).await?;
    }
    let conversation = find_conversation(c, conversation_id).await?;
    // A system message (number changed) does not open the customer-service window.
    let opens_window = !matches!(m.kind, InboundKind::System(_));
    // A picture without a caption still needs a line in the conversation list.
    let preview = body.clone().unwrap_or_else(|| match kind {
        MessageKind::Image => "📷 Photo".to_owned(),
        MessageKind::Video => "🎥 Video".to_owned(),
        MessageKind::Sticker => "Sticker".to_owned(),
        other => other.as_str().to_owned(),
    });
    touch_conversation(c, &conversation, sent_at, Some(&preview), opens_window).await?;
    inbox::publish(
        c,
        org_id,
        TOPIC_MESSAGE_CREATED,
        conversation_id,
        Some(message_id),
    )
    .await?;
    if opens_window {
        let quoted = m.context.as_ref().and_then(|x| x.id.as_deref());
        campaigns::attribute_reply(c, org_id, contact_id, quoted, sent_at).await?;
        apply_keyword(
            c,
            org_id,
            contact_id,
            conversation_id,
            kind,
            body.as_deref(),
        )
        .await?;
        crate::agents::on_inbound(c, org_id, &conversation, message_id).await?;
    }
    inbox::publish(c, org_id, TOPIC_CONVERSATION, conversation_id, None).await?;
    Ok(true)
}

/// The status a webhook reports, when it is one a message takes (`deleted` and statuses
/// Meta adds later are not stored).
fn reported_status(s: &meta_webhook::MessageStatus) -> Option<MessageStatus> {
    use meta_webhook::MessageStatus as Meta;
    match s {
        Meta::Sent => Some(MessageStatus::Sent),
        Meta::Delivered => Some(MessageStatus::Delivered),
        Meta::Read => Some(MessageStatus::Read),
        Meta::Played => Some(MessageStatus::Played),
        Meta::Failed => Some(MessageStatus::Failed),
        Meta::Deleted | Meta::Unknown(_) => None,
    }
}

/// Records a status in the message's history and moves the message to it if it ranks
/// higher ([`MessageStatus::supersedes`]); duplicates change nothing.
pub(super) async fn apply_status(c: &mut Conn, org_id: Uuid, s: &StatusUpdate) -> Result<bool> {
    let Some(new) = reported_status(&s.status) else {
        return Ok(false);
    };
    let current: Option<(Uuid, Uuid, MessageStatus)> = messages::table
        .filter(messages::wamid.eq(&s.message_id))
        .select((messages::id, messages::conversation_id, messages::status))
        .for_update()
        .first(c)
        .await
        .optional()?;
    let Some((id, conversation_id, status)) = current else {
        return Ok(false);
    };
    let error = <[_]>::first(&s.errors);
    let at = DateTime::from_timestamp(s.timestamp, 0).unwrap_or_else(Utc::now);
    let recorded = diesel::insert_into(message_statuses::table)
        .values((
            message_statuses::org_id.eq(org_id),
            message_statuses::id.eq(Uuid::now_v7()),
            message_statuses::message_id.eq(id),
            message_statuses::wamid.eq(&s.message_id),
            message_statuses::status.eq(new),
            message_statuses::at.eq(at),
            message_statuses::error_code.eq(error.and_then(|e| i32::try_from(e.code).ok())),
            message_statuses::error_title.eq(error
                .and_then(|e| e.title.clone().or_else(|| e.message.clone()))
                .map(|t| t.chars().take(512).collect::<String>())),
            message_statuses::error_details.eq(error
                .and_then(|e| e.details.clone())
                .map(|t| t.chars().take(2048).collect::<String>())),
        ))
        .on_conflict_do_nothing()
        .execute(c)
        .await?;
    if recorded == 0 {
        return Ok(false);
    }
    // Since 2026-03-31 a status may name the customer by phone and user id together. A wa_id
    // that is not a number only loses that link: the status still counts.
    if let Some(k) = &s.contact
        && let Some(phone) = k.wa_id.as_deref().and_then(|w| E164::from_wa_id(w).ok())
        && k.user_id.is_some()
    {
        let customer = Customer {
            phone: Some(&phone),
            user_id: k.user_id.as_deref(),
            name: k.name.as_deref(),
            username: k.username.as_deref(),
        };
        upsert_contact(c, org_id, &customer).await?;
    }
    if !new.supersedes(status) {
        return Ok(true);
    }
    diesel::update(messages::table.filter(messages::id.eq(id)))
        .set((
            messages::status.eq(new),
            messages::status_at.eq(at),
            messages::error_code.eq(error.map(|e| e.code as i32)),
            messages::error_text.eq(error.map(|e| {
                e.details
                    .clone()
                    .or_else(|| e.message.clone())
                    .or_else(|| e.title.clone())
                    .unwrap_or_default()
            })),
        ))
        .execute(c)
        .await?;
    inbox::publish(c, org_id, TOPIC_MESSAGE_UPDATED, conversation_id, Some(id)).await?;
    // Meta keeps the authoritative clock of the customer-service window: when it says the
    // window had closed, close ours too, so the composer offers templates.
    if error.is_some_and(|e| e.code == 131047) {
        let closed = Utc::now() - inbox::SERVICE_WINDOW;
        let changed = diesel::update(
            conversations::table
                .filter(conversations::id.eq(conversation_id))
                .filter(conversations::last_inbound_at.gt(closed)),
        )
        .set(conversations::last_inbound_at.eq(closed))
        .execute(c)
        .await?;
        if changed > 0 {
            inbox::publish(c, org_id, TOPIC_CONVERSATION, conversation_id, None).await?;
        }
    }
    Ok(true)
}

fn media_ref(kind: &InboundKind) -> Option<&wagent_meta::webhook::MediaRef> {
    match kind {
        InboundKind::Image(m) | InboundKind::Video(m) | InboundKind::Sticker { media: m, .. } => {
            Some(m)
        }
        InboundKind::Audio { media, .. } | InboundKind::Document { media, .. } => Some(media),
        _ => None,
    }
}

/// (kind, text to show and search, structured content) of an inbound message.
fn describe(kind: &InboundKind) -> (MessageKind, Option<String>, Value) {
    let value = serde_json::to_value(kind).unwrap_or(Value::Null);
    match kind {
        InboundKind::Text { body } => (MessageKind::Text, Some(body.clone()), value),
        InboundKind::Image(m) => (MessageKind::Image, m.caption.clone(), value),
        InboundKind::Video(m) => (MessageKind::Video, m.caption.clone(), value),
        InboundKind::Sticker { .. } => (MessageKind::Sticker, None, value),
        InboundKind::Audio { voice, .. } => (
            MessageKind::Audio,
            Some(if *voice {
                "Voice message".into()
            } else {
                "Audio".into()
            }),
            value,
        ),
        InboundKind::Document { media, filename } => (
            MessageKind::Document,
            media.caption.clone().or_else(|| filename.clone()),
            value,
        ),
        InboundKind::Location {
            name,
            address,
            latitude,
            longitude,
            ..
        } => (
            MessageKind::Location,
            Some(
                name.clone()
                    .or_else(|| address.clone())
                    .unwrap_or_else(|| format!("{latitude}, {longitude}")),
            ),
            value,
        ),
        InboundKind::Contacts(list) => (
            MessageKind::Contacts,
            Some(format!("{} shared contact(s)", list.len())),
            value,
        ),
        InboundKind::Interactive(reply) => {
            (MessageKind::Interactive, interactive_title(reply), value)
        }
        InboundKind::Button { text, .. } => (MessageKind::Button, Some(text.clone()), value),
        InboundKind::Reaction { emoji, .. } => (MessageKind::Reaction, emoji.clone(), value),
        InboundKind::Order(_) => (MessageKind::Order, Some("Order".into()), value),
        InboundKind::System(system) => (MessageKind::System, system.body.clone(), value),
        InboundKind::Unsupported { .. } => (
            MessageKind::Unsupported,
            Some("Unsupported message".into()),
            value,
        ),
        InboundKind::Unknown { kind, .. } => (
            MessageKind::Unsupported,
            Some(format!("Unsupported message ({kind})")),
            value,
        ),
    }
}

fn interactive_title(reply: &wagent_meta::webhook::InteractiveReply) -> Option<String> {
    use wagent_meta::webhook::InteractiveReply as R;
    match reply {
        R::ButtonReply { title, .. } | R::ListReply { title, .. } => Some(title.clone()),
        _ => Some("Form reply".into()),
    }
}
