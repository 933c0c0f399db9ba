//! Campaign messages in the inbox.
//!
//! Dispatch writes recipients, not inbox messages: a conversation row and a message per
//! recipient would cost a 100,000-recipient campaign as many more writes. What the person
//! answering a customer needs is the campaign message the customer is answering, so when a
//! customer writes to a number, the campaign messages that number sent them and the thread
//! lacks join the thread: outbound template messages at the time they were sent, with the
//! text the customer read, Meta's wamid (so a quoting reply shows its quote) and the status
//! the recipient has reached. Statuses arriving later move the recipient and the copy
//! together (`whatsapp::inbound::apply_statuses`).

use chrono::{DateTime, TimeDelta, Utc};
use diesel::{
    ExpressionMethods, QueryDsl, SelectableHelper,
    sql_types::{Int4, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid},
};
use diesel_async::RunQueryDsl;
use serde_json::{Value, json};
use uuid::Uuid;
use wagent_db::{
    Conn,
    schema::{message_templates, messages},
};
use wagent_meta::TemplateComponent;

use super::{RecipientStatus, message};
use crate::{
    CommonError,
    inbox::{self, MessageDirection, MessageKind, MessageStatus, TOPIC_MESSAGE_CREATED},
    whatsapp::Template,
};

/// The most campaign messages one inbound message brings into its thread.
const AT_ONCE: i64 = 20;

/// A campaign message sent to the customer that their thread with the number lacks.
#[derive(diesel::QueryableByName)]
struct Missing {
    #[diesel(sql_type = Text)]
    wamid: String,
    #[diesel(sql_type = Jsonb)]
    components: Value,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Timestamptz)]
    sent_at: DateTime<Utc>,
    #[diesel(sql_type = Timestamptz)]
    status_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Int4>)]
    error_code: Option<i32>,
    #[diesel(sql_type = Nullable<Text>)]
    error_text: Option<String>,
    #[diesel(sql_type = SqlUuid)]
    campaign_id: Uuid,
    #[diesel(sql_type = Text)]
    campaign_name: String,
    #[diesel(sql_type = SqlUuid)]
    template_id: Uuid,
}

/// Adds to the conversation of `contact_id` with `phone_number_id` the campaign messages
/// that number sent the contact and the thread lacks (the latest 20 at a time), and tells
/// the inbox; `inbound_at` is the time of the customer's message that brings them. Returns
/// the ids of the messages added.
pub(crate) async fn add_campaign_messages(
    c: &mut Conn,
    org_id: Uuid,
    conversation_id: Uuid,
    (phone_number_id, contact_id): (Uuid, Uuid),
    inbound_at: DateTime<Utc>,
) -> Result<Vec<Uuid>, CommonError> {
    let missing: Vec<Missing> = diesel::sql_query(
        "SELECT r.wamid, r.components, r.status, r.sent_at,
                greatest(r.sent_at, r.delivered_at, r.read_at, r.failed_at) AS status_at,
                r.error_code, r.error_text,
                ca.id AS campaign_id, ca.name AS campaign_name, ca.template_id
           FROM campaign_recipients r
           JOIN campaigns ca ON ca.org_id = r.org_id AND ca.id = r.campaign_id
          WHERE r.org_id = $1 AND r.contact_id = $2 AND ca.phone_number_id = $3
            AND r.sent_at IS NOT NULL AND r.wamid IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM messages m
                             WHERE m.org_id = r.org_id AND m.wamid = r.wamid)
          ORDER BY r.sent_at DESC
          LIMIT $4",
    )
    .bind::<SqlUuid, _>(org_id)
    .bind::<SqlUuid, _>(contact_id)
    .bind::<SqlUuid, _>(phone_number_id)
    .bind::<diesel::sql_types::BigInt, _>(AT_ONCE)
    .load(c)
    .await?;
    if missing.is_empty() {
        return Ok(Vec::new());
    }
    let template_ids: Vec<Uuid> = missing.iter().map(|m| m.template_id).collect();
    let templates: Vec<Template> = message_templates::table
        .filter(message_templates::id.eq_any(&template_ids))
        .select(Template::as_select())
        .load(c)
        .await?;
    let rows: Vec<_> = missing
        .iter()
        .map(|m| {
            let template = templates.iter().find(|t| t.id == m.template_id);
            let (body, payload) = describe(m, template);
            (
                messages::org_id.eq(org_id),
                messages::id.eq(Uuid::now_v7()),
                messages::conversation_id.eq(conversation_id),
                messages::direction.eq(MessageDirection::Outbound),
                messages::wamid.eq(Some(m.wamid.as_str())),
                messages::kind.eq(MessageKind::Template),
                messages::body.eq(body),
                messages::payload.eq(payload),
                messages::status.eq(status_of(&m.status)),
                messages::status_at.eq(m.status_at),
                messages::error_code.eq(m.error_code),
                messages::error_text.eq(m.error_text.as_deref()),
                messages::sent_at.eq(shown_at(m.sent_at, inbound_at)),
            )
        })
        .collect();
    let added: Vec<Uuid> = diesel::insert_into(messages::table)
        .values(rows)
        .on_conflict_do_nothing()
        .returning(messages::id)
        .get_results(c)
        .await?;
    let created: Vec<(Uuid, Uuid)> = added.iter().map(|id| (conversation_id, *id)).collect();
    inbox::publish_messages(c, org_id, TOPIC_MESSAGE_CREATED, &created).await?;
    Ok(added)
}

/// When the thread shows a campaign message. Meta's timestamps are whole seconds, so an
/// answer within the second of the campaign message reads as if sent before it: the
/// campaign message then goes just before the answer.
fn shown_at(sent_at: DateTime<Utc>, inbound_at: DateTime<Utc>) -> DateTime<Utc> {
    if sent_at < inbound_at + TimeDelta::seconds(1) {
        sent_at.min(inbound_at - TimeDelta::milliseconds(1))
    } else {
        sent_at
    }
}

/// The message's text as the customer read it, and its content as the inbox's own template
/// sends describe theirs, with the campaign it came from.
fn describe(m: &Missing, template: Option<&Template>) -> (Option<String>, Value) {
    let components: Vec<TemplateComponent> =
        serde_json::from_value(m.components.clone()).unwrap_or_default();
    let campaign = json!({ "id": m.campaign_id, "name": m.campaign_name });
    let Some(template) = template else {
        return (
            Some(format!("[campaign {}]", m.campaign_name)),
            json!({ "campaign": campaign }),
        );
    };
    let body = message::preview_text(template, &components)
        .unwrap_or_else(|| format!("[template {}]", template.name.as_str()));
    let payload = json!({
        "name": template.name.as_str(),
        "language": template.language.as_str(),
        "body_parameters": message::body_values(&components),
        "campaign": campaign,
    });
    (Some(body), payload)
}

/// The inbox status of a recipient's message. Only recipients Meta accepted (a wamid) come
/// here; a pacing hold reads as accepted.
fn status_of(recipient: &str) -> MessageStatus {
    match RecipientStatus::parse(recipient) {
        Ok(RecipientStatus::Delivered) => MessageStatus::Delivered,
        Ok(RecipientStatus::Read) => MessageStatus::Read,
        Ok(RecipientStatus::Failed) => MessageStatus::Failed,
        Ok(RecipientStatus::Held) => MessageStatus::Accepted,
        _ => MessageStatus::Sent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_campaign_message_goes_before_the_answer_sent_within_its_second() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let answer = at("2026-12-01T10:00:00Z");
        assert_eq!(
            shown_at(at("2026-12-01T10:00:00.700Z"), answer),
            at("2026-12-01T09:59:59.999Z")
        );
        assert_eq!(
            shown_at(at("2026-12-01T09:58:00Z"), answer),
            at("2026-12-01T09:58:00Z")
        );
        // Sent after the answer (a late webhook): at its own time.
        assert_eq!(
            shown_at(at("2026-12-01T10:00:05Z"), answer),
            at("2026-12-01T10:00:05Z")
        );
    }
}
