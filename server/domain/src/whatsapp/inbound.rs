//! What a webhook brings into the inbox: customers' messages (with their media, fetched by a
//! job) and the statuses of the messages we sent.

use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl};
use diesel_async::RunQueryDsl;
use serde_json::Value;
use uuid::Uuid;
use wagent_db::{
    Conn,
    schema::{campaign_recipients, contacts, conversations, media, messages, phone_numbers},
};
use wagent_meta::webhook::{self as meta_webhook, InboundKind, InboundMessage, StatusUpdate};

use super::{Result, WhatsAppError};
use super::{
    contacts::{Customer, link_known_contact, upsert_contact},
    jobs::DownloadMedia,
    keywords::apply_keyword,
    touch_conversation,
};
use crate::{
    campaigns,
    inbox::{
        self, MessageDirection, MessageKind, MessageStatus, TOPIC_CONVERSATION,
        TOPIC_MESSAGE_CREATED, find_conversation,
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
    // What the customer may be answering: the campaign messages this number sent them.
    campaigns::add_campaign_messages(c, org_id, conversation_id, (number_id, contact_id), sent_at)
        .await?;
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

/// Applies a run of status webhooks together: the customers they name are linked, campaign
/// statuses move their recipients ([`campaigns::apply_campaign_statuses`]), the others their
/// inbox messages ([`apply_message_statuses`]). A bounded number of statements whatever the
/// run's length; returns how many statuses were new.
pub(super) async fn apply_statuses(
    c: &mut Conn,
    org_id: Uuid,
    statuses: &[&StatusUpdate],
) -> Result<usize> {
    let mut for_campaigns = Vec::new();
    let mut for_inbox = Vec::new();
    for &status in statuses {
        let update = status
            .biz_opaque_callback_data
            .as_deref()
            .map(|callback_data| campaigns::CampaignStatusUpdate {
                callback_data,
                status,
            })
            .filter(|u| u.recipient_id().is_some());
        match update {
            Some(u) => for_campaigns.push(u),
            None => for_inbox.push(status),
        }
    }
    // The customers first: everything else that changes a contact and its messages (an
    // inbound message, an erasure) locks the contact before the messages, and so must this.
    let Ours {
        statuses: ours,
        in_threads,
    } = ours(c, &for_campaigns, &for_inbox).await?;
    link_customers(c, org_id, &ours).await?;
    // A campaign message the customer answered also sits in their thread
    // (`campaigns::add_campaign_messages`): the copy follows its recipient. Counted once,
    // as the recipient's. Messages before the recipients and their campaign's row, the
    // lock order of docs/ARCHITECTURE.md.
    apply_message_statuses(c, org_id, &in_threads).await?;
    let campaign_statuses = campaigns::apply_campaign_statuses(c, org_id, &for_campaigns).await?;
    let inbox_statuses = apply_message_statuses(c, org_id, &for_inbox).await?;
    Ok(campaign_statuses + inbox_statuses)
}

/// What [`ours`] found.
struct Ours<'a> {
    /// The statuses of messages we sent: only those name our customers.
    statuses: Vec<&'a StatusUpdate>,
    /// The campaign statuses whose message also sits in an inbox thread.
    in_threads: Vec<&'a StatusUpdate>,
}

/// The statuses of messages we sent (a campaign's recipients, the inbox's messages), and
/// the campaign messages among them that were copied into a thread. One read each for the
/// recipients and the messages, without locks.
async fn ours<'a>(
    c: &mut Conn,
    for_campaigns: &[campaigns::CampaignStatusUpdate<'a>],
    for_inbox: &[&'a StatusUpdate],
) -> Result<Ours<'a>> {
    use std::collections::HashSet;
    let mut ours = Vec::new();
    let mut in_threads = Vec::new();
    let recipients: Vec<Uuid> = for_campaigns
        .iter()
        .filter_map(campaigns::CampaignStatusUpdate::recipient_id)
        .collect();
    if !recipients.is_empty() {
        let known: HashSet<Uuid> = campaign_recipients::table
            .filter(campaign_recipients::id.eq_any(&recipients))
            .select(campaign_recipients::id)
            .load::<Uuid>(c)
            .await?
            .into_iter()
            .collect();
        ours.extend(
            for_campaigns
                .iter()
                .filter(|u| u.recipient_id().is_some_and(|id| known.contains(&id)))
                .map(|u| u.status),
        );
    }
    let campaign_sends = for_campaigns.iter().map(|u| u.status);
    let wamids: Vec<&str> = for_inbox
        .iter()
        .copied()
        .chain(campaign_sends.clone())
        .map(|s| s.message_id.as_str())
        .collect();
    if !wamids.is_empty() {
        let known: HashSet<String> = messages::table
            .filter(messages::wamid.eq_any(&wamids))
            .select(messages::wamid)
            .load::<Option<String>>(c)
            .await?
            .into_iter()
            .flatten()
            .collect();
        ours.extend(
            for_inbox
                .iter()
                .filter(|s| known.contains(&s.message_id))
                .copied(),
        );
        in_threads.extend(campaign_sends.filter(|s| known.contains(&s.message_id)));
    }
    Ok(Ours {
        statuses: ours,
        in_threads,
    })
}

/// Since 2026-03-31 a status may name the customer by phone and user id together: the
/// contact learns what it lacked (two contacts that turn out to be one are merged). Contacts
/// that already know both, under the same names, cost one read for the whole run; a phone
/// whose contact has no user id yet is linked in one statement; the rest (a merge, a new
/// customer) go one by one. A wa_id that is not a number only loses that link.
async fn link_customers(c: &mut Conn, org_id: Uuid, statuses: &[&StatusUpdate]) -> Result<()> {
    use std::collections::{HashMap, HashSet};
    let mut named: Vec<(E164, &wagent_meta::webhook::Contact)> = Vec::new();
    let mut seen = HashSet::new();
    for s in statuses {
        if let Some(k) = &s.contact
            && let Some(user_id) = k.user_id.as_deref()
            && let Some(phone) = k.wa_id.as_deref().and_then(|w| E164::from_wa_id(w).ok())
            && seen.insert((phone.wa_id().to_owned(), user_id))
        {
            named.push((phone, k));
        }
    }
    if named.is_empty() {
        return Ok(());
    }
    let phones: Vec<&str> = named.iter().map(|(p, _)| p.wa_id()).collect();
    type Known = (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let known: Vec<Known> = contacts::table
        .filter(contacts::wa_id.eq_any(&phones))
        .select((
            contacts::wa_id,
            contacts::user_id,
            contacts::profile_name,
            contacts::username,
        ))
        .load(c)
        .await?;
    let known: HashMap<String, Known> = known
        .into_iter()
        .filter_map(|k| Some((k.0.clone()?, k)))
        .collect();
    // (wa_id, user id, name, username) of contacts to link in one statement: each phone and
    // each user id once.
    let mut unlinked: Vec<(&str, &str, Option<&str>, Option<&str>)> = Vec::new();
    let mut unlinked_phones = HashSet::new();
    let mut unlinked_users = HashSet::new();
    let mut one_by_one = Vec::new();
    for (phone, k) in &named {
        let user_id = k.user_id.as_deref().unwrap_or_default();
        let same = |have: &Option<String>, got: Option<&str>| {
            got.is_none_or(|g| have.as_deref() == Some(g))
        };
        match known.get(phone.wa_id()) {
            Some((_, Some(have), name, username))
                if have == user_id
                    && same(name, k.name.as_deref())
                    && same(username, k.username.as_deref()) => {}
            Some((_, None, _, _))
                if !unlinked_phones.contains(phone.wa_id())
                    && !unlinked_users.contains(user_id) =>
            {
                unlinked_phones.insert(phone.wa_id());
                unlinked_users.insert(user_id);
                unlinked.push((
                    phone.wa_id(),
                    user_id,
                    k.name.as_deref(),
                    k.username.as_deref(),
                ));
            }
            _ => one_by_one.push((phone, *k)),
        }
    }
    let unlinked_pairs: HashSet<(&str, &str)> = unlinked.iter().map(|u| (u.0, u.1)).collect();
    let mut linked = HashSet::new();
    if !unlinked.is_empty() {
        #[derive(diesel::QueryableByName)]
        struct Linked {
            #[diesel(sql_type = diesel::sql_types::Text)]
            wa_id: String,
        }
        let cut = |t: Option<&str>| t.map(|t| t.chars().take(256).collect::<String>());
        let rows: Vec<Linked> = diesel::sql_query(
            // Locked in id order, as every writer of contacts does.
            "WITH locked AS (
                SELECT k.id, u.user_id, u.name, u.username
                  FROM contacts k
                  JOIN unnest($2::text[], $3::text[], $4::text[], $5::text[])
                       AS u(wa_id, user_id, name, username) ON k.wa_id = u.wa_id
                 WHERE k.org_id = $1 AND k.user_id IS NULL
                   AND NOT EXISTS (SELECT 1 FROM contacts o
                                    WHERE o.org_id = $1 AND o.user_id = u.user_id)
                 ORDER BY k.id
                   FOR UPDATE OF k)
             UPDATE contacts k
                SET user_id = l.user_id,
                    profile_name = coalesce(l.name, k.profile_name),
                    username = coalesce(l.username, k.username),
                    updated_at = now()
               FROM locked l
              WHERE k.org_id = $1 AND k.id = l.id
          RETURNING k.wa_id",
        )
        .bind::<diesel::sql_types::Uuid, _>(org_id)
        .bind::<diesel::sql_types::Array<diesel::sql_types::Text>, _>(
            unlinked.iter().map(|u| u.0).collect::<Vec<_>>(),
        )
        .bind::<diesel::sql_types::Array<diesel::sql_types::Text>, _>(
            unlinked.iter().map(|u| u.1).collect::<Vec<_>>(),
        )
        .bind::<diesel::sql_types::Array<diesel::sql_types::Nullable<diesel::sql_types::Text>>, _>(
            unlinked.iter().map(|u| cut(u.2)).collect::<Vec<_>>(),
        )
        .bind::<diesel::sql_types::Array<diesel::sql_types::Nullable<diesel::sql_types::Text>>, _>(
            unlinked.iter().map(|u| cut(u.3)).collect::<Vec<_>>(),
        )
        .load(c)
        .await?;
        linked.extend(rows.into_iter().map(|r| r.wa_id));
    }
    // A user id another contact already has (two contacts to merge), or a phone linked
    // meanwhile: one by one.
    for (phone, k) in &named {
        let user_id = k.user_id.as_deref().unwrap_or_default();
        if unlinked_pairs.contains(&(phone.wa_id(), user_id)) && !linked.contains(phone.wa_id()) {
            one_by_one.push((phone, *k));
        }
    }
    for (phone, k) in one_by_one {
        let customer = Customer {
            phone: Some(phone),
            user_id: k.user_id.as_deref(),
            name: k.name.as_deref(),
            username: k.username.as_deref(),
        };
        link_known_contact(c, org_id, &customer).await?;
    }
    Ok(())
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

/// A message a run of statuses is about, locked, and where the run leaves it.
struct Tracked {
    conversation_id: Uuid,
    status: MessageStatus,
    /// Set when a status of the run supersedes the stored one: (at, error code, error text).
    moved: Option<(DateTime<Utc>, Option<i32>, Option<String>)>,
}

/// Records each status in its message's history and moves the message to the highest
/// ranking status it has received ([`MessageStatus::supersedes`]), so the result does not
/// depend on the order of arrival; duplicates change nothing. Returns how many statuses were
/// new.
pub(super) async fn apply_message_statuses(
    c: &mut Conn,
    org_id: Uuid,
    statuses: &[&StatusUpdate],
) -> Result<usize> {
    use diesel::sql_types::{Array, Integer, Nullable, Text, Timestamptz, Uuid as SqlUuid};
    let reported: Vec<(&StatusUpdate, MessageStatus)> = statuses
        .iter()
        .filter_map(|s| reported_status(&s.status).map(|new| (*s, new)))
        .collect();
    if reported.is_empty() {
        return Ok(0);
    }
    let wamids: Vec<&str> = reported
        .iter()
        .map(|(s, _)| s.message_id.as_str())
        .collect();
    // Locked in one order, so that two runs about the same messages wait rather than deadlock.
    let current: Vec<(Uuid, Uuid, Option<String>, MessageStatus)> = messages::table
        .filter(messages::wamid.eq_any(&wamids))
        .select((
            messages::id,
            messages::conversation_id,
            messages::wamid,
            messages::status,
        ))
        .order(messages::id)
        .for_update()
        .load(c)
        .await?;
    let by_wamid: std::collections::HashMap<String, Uuid> = current
        .iter()
        .filter_map(|(id, _, wamid, _)| Some((wamid.clone()?, *id)))
        .collect();
    let mut tracked: std::collections::HashMap<Uuid, Tracked> = current
        .into_iter()
        .map(|(id, conversation_id, _, status)| {
            (
                id,
                Tracked {
                    conversation_id,
                    status,
                    moved: None,
                },
            )
        })
        .collect();
    struct Row<'a> {
        id: Uuid,
        message_id: Uuid,
        status: &'a StatusUpdate,
        new: MessageStatus,
        at: DateTime<Utc>,
    }
    let rows: Vec<Row> = reported
        .iter()
        .filter_map(|(s, new)| {
            Some(Row {
                id: Uuid::now_v7(),
                message_id: *by_wamid.get(&s.message_id)?,
                status: s,
                new: *new,
                at: DateTime::from_timestamp(s.timestamp, 0).unwrap_or_else(Utc::now),
            })
        })
        .collect();
    if rows.is_empty() {
        return Ok(0);
    }
    let error = |s: &StatusUpdate| <[_]>::first(&s.errors).cloned();
    #[derive(diesel::QueryableByName)]
    struct Recorded {
        #[diesel(sql_type = SqlUuid)]
        id: Uuid,
    }
    let recorded: Vec<Recorded> = diesel::sql_query(
        "INSERT INTO message_statuses
                (org_id, id, message_id, wamid, status, at, error_code, error_title, error_details)
         SELECT $1, u.id, u.message_id, u.wamid, u.status, u.at, u.error_code, u.error_title,
                u.error_details
           FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::timestamptz[],
                       $7::int[], $8::text[], $9::text[])
                WITH ORDINALITY AS u(id, message_id, wamid, status, at, error_code, error_title,
                                     error_details, n)
          ORDER BY u.n
         ON CONFLICT DO NOTHING
         RETURNING id",
    )
    .bind::<SqlUuid, _>(org_id)
    .bind::<Array<SqlUuid>, _>(rows.iter().map(|r| r.id).collect::<Vec<_>>())
    .bind::<Array<SqlUuid>, _>(rows.iter().map(|r| r.message_id).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(
        rows.iter()
            .map(|r| r.status.message_id.as_str())
            .collect::<Vec<_>>(),
    )
    .bind::<Array<Text>, _>(rows.iter().map(|r| r.new.as_str()).collect::<Vec<_>>())
    .bind::<Array<Timestamptz>, _>(rows.iter().map(|r| r.at).collect::<Vec<_>>())
    .bind::<Array<Nullable<Integer>>, _>(
        rows.iter()
            .map(|r| error(r.status).and_then(|e| i32::try_from(e.code).ok()))
            .collect::<Vec<_>>(),
    )
    .bind::<Array<Nullable<Text>>, _>(
        rows.iter()
            .map(|r| {
                error(r.status)
                    .and_then(|e| e.title.or(e.message))
                    .map(|t| t.chars().take(512).collect::<String>())
            })
            .collect::<Vec<_>>(),
    )
    .bind::<Array<Nullable<Text>>, _>(
        rows.iter()
            .map(|r| {
                error(r.status)
                    .and_then(|e| e.details)
                    .map(|t| t.chars().take(2048).collect::<String>())
            })
            .collect::<Vec<_>>(),
    )
    .load(c)
    .await?;
    let recorded: std::collections::HashSet<Uuid> = recorded.into_iter().map(|r| r.id).collect();
    // In the order Meta sent them, each new status moves its message when it ranks higher.
    for row in rows.iter().filter(|r| recorded.contains(&r.id)) {
        let Some(t) = tracked.get_mut(&row.message_id) else {
            continue;
        };
        if row.new.supersedes(t.status) {
            t.status = row.new;
            let e = error(row.status);
            t.moved = Some((
                row.at,
                e.as_ref().map(|e| e.code as i32),
                e.map(|e| e.details.or(e.message).or(e.title).unwrap_or_default()),
            ));
        }
    }
    let moved: Vec<(Uuid, &Tracked)> = tracked
        .iter()
        .filter(|(_, t)| t.moved.is_some())
        .map(|(id, t)| (*id, t))
        .collect();
    if !moved.is_empty() {
        let at = |t: &Tracked| t.moved.as_ref().map(|m| m.0);
        diesel::sql_query(
            "UPDATE messages m
                SET status = u.status, status_at = u.at, error_code = u.error_code,
                    error_text = u.error_text
               FROM unnest($2::uuid[], $3::text[], $4::timestamptz[], $5::int[], $6::text[])
                    AS u(id, status, at, error_code, error_text)
              WHERE m.org_id = $1 AND m.id = u.id",
        )
        .bind::<SqlUuid, _>(org_id)
        .bind::<Array<SqlUuid>, _>(moved.iter().map(|(id, _)| *id).collect::<Vec<_>>())
        .bind::<Array<Text>, _>(
            moved
                .iter()
                .map(|(_, t)| t.status.as_str())
                .collect::<Vec<_>>(),
        )
        .bind::<Array<Nullable<Timestamptz>>, _>(
            moved.iter().map(|(_, t)| at(t)).collect::<Vec<_>>(),
        )
        .bind::<Array<Nullable<Integer>>, _>(
            moved
                .iter()
                .map(|(_, t)| t.moved.as_ref().and_then(|m| m.1))
                .collect::<Vec<_>>(),
        )
        .bind::<Array<Nullable<Text>>, _>(
            moved
                .iter()
                .map(|(_, t)| t.moved.as_ref().and_then(|m| m.2.clone()))
                .collect::<Vec<_>>(),
        )
        .execute(c)
        .await?;
        let changed: Vec<(Uuid, Uuid)> = moved
            .iter()
            .map(|(id, t)| (t.conversation_id, *id))
            .collect();
        inbox::publish_messages(c, org_id, inbox::TOPIC_MESSAGE_UPDATED, &changed).await?;
    }
    // Meta keeps the authoritative clock of the customer-service window: when it says the
    // window had closed, close ours too, so the composer offers templates.
    let window_closed: std::collections::BTreeSet<Uuid> = moved
        .iter()
        .filter(|(_, t)| t.moved.as_ref().is_some_and(|m| m.1 == Some(131047)))
        .map(|(_, t)| t.conversation_id)
        .collect();
    for conversation_id in window_closed {
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
    Ok(recorded.len())
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
