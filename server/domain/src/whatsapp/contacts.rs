//! Who wrote: a customer is known by phone, by business-scoped user id (Meta, 2026-03-31), or
//! both; a webhook that names both for two contacts merges them.

use chrono::Utc;
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use uuid::Uuid;
use wagent_db::{Conn, schema::contacts};

use crate::{CommonError, contacts::place_of, values::E164};

/// A customer as one webhook names them: by phone, by business-scoped user id, or both.
pub(super) struct Customer<'a> {
    pub(super) phone: Option<&'a E164>,
    pub(super) user_id: Option<&'a str>,
    pub(super) name: Option<&'a str>,
    pub(super) username: Option<&'a str>,
}

/// Longest profile name or username kept; a longer one is cut rather than refused.
const MAX_PROFILE_TEXT: usize = 256;

fn cut(text: Option<&str>) -> Option<String> {
    text.map(|t| t.chars().take(MAX_PROFILE_TEXT).collect())
}

/// Finds or creates the contact a webhook names and stores what it adds (a phone, a user id,
/// a newer name). When the phone and the user id belong to two contacts, they are one
/// customer: the two are merged. None when the webhook names neither.
pub(super) async fn upsert_contact(
    c: &mut Conn,
    org_id: Uuid,
    who: &Customer<'_>,
) -> Result<Option<Uuid>, CommonError> {
    find_contact(c, org_id, who, true).await
}

/// As [`upsert_contact`] for a customer we already know (a status of a message we sent):
/// never creates one, so a status that arrives after the contact was erased brings nothing
/// of them back.
pub(super) async fn link_known_contact(
    c: &mut Conn,
    org_id: Uuid,
    who: &Customer<'_>,
) -> Result<Option<Uuid>, CommonError> {
    find_contact(c, org_id, who, false).await
}

async fn find_contact(
    c: &mut Conn,
    org_id: Uuid,
    who: &Customer<'_>,
    create: bool,
) -> Result<Option<Uuid>, CommonError> {
    use crate::inbox::Contact;
    if who.phone.is_none() && who.user_id.is_none() {
        return Ok(None);
    }
    let (name, username) = (cut(who.name), cut(who.username));
    let wa_id = who.phone.map(E164::wa_id);
    let (country, time_zone) = who.phone.map(place_of).unwrap_or_default();
    // Twice at most: a concurrent delivery may create the same customer between our read
    // and our insert.
    for _ in 0..2 {
        let by_phone: Option<Contact> = match wa_id {
            Some(p) => contacts::table
                .filter(contacts::wa_id.eq(p))
                .select(Contact::as_select())
                .for_update()
                .first(c)
                .await
                .optional()?,
            None => None,
        };
        let by_user: Option<Contact> = match who.user_id {
            Some(u) => contacts::table
                .filter(contacts::user_id.eq(u))
                .select(Contact::as_select())
                .for_update()
                .first(c)
                .await
                .optional()?,
            None => None,
        };
        let (kept, gone) = match (by_phone, by_user) {
            (Some(a), Some(b)) if a.id != b.id => (a, Some(b)),
            (Some(a), _) | (None, Some(a)) => (a, None),
            (None, None) if !create => return Ok(None),
            (None, None) => {
                let inserted: Option<Uuid> = diesel::insert_into(contacts::table)
                    .values((
                        contacts::org_id.eq(org_id),
                        contacts::id.eq(Uuid::now_v7()),
                        contacts::wa_id.eq(wa_id),
                        contacts::user_id.eq(who.user_id),
                        contacts::profile_name.eq(&name),
                        contacts::username.eq(&username),
                        contacts::country.eq(&country),
                        contacts::time_zone.eq(time_zone),
                    ))
                    .on_conflict_do_nothing()
                    .returning(contacts::id)
                    .get_result(c)
                    .await
                    .optional()?;
                match inserted {
                    Some(id) => return Ok(Some(id)),
                    None => continue,
                }
            }
        };
        if let Some(gone) = &gone {
            merge_contacts(c, kept.id, gone.id).await?;
        }
        let gone_ref = gone.as_ref();
        diesel::update(contacts::table.filter(contacts::id.eq(kept.id)))
            .set((
                contacts::wa_id.eq(kept.wa_id.clone().or_else(|| wa_id.map(str::to_owned))),
                contacts::user_id.eq(kept
                    .user_id
                    .clone()
                    .or_else(|| who.user_id.map(str::to_owned))
                    .or_else(|| gone_ref.and_then(|g| g.user_id.clone()))),
                contacts::profile_name.eq(name
                    .clone()
                    .or(kept.profile_name.clone())
                    .or_else(|| gone_ref.and_then(|g| g.profile_name.clone()))),
                contacts::username.eq(username
                    .clone()
                    .or(kept.username.clone())
                    .or_else(|| gone_ref.and_then(|g| g.username.clone()))),
                contacts::updated_at.eq(Utc::now()),
            ))
            .execute(c)
            .await?;
        return Ok(Some(kept.id));
    }
    Err(CommonError::internal(
        "the contact kept changing while it was stored",
    ))
}

/// Folds contact `gone` into `kept`: conversations move over; where both have one on the
/// same number, the messages and notes move into `kept`'s and the other is deleted.
async fn merge_contacts(c: &mut Conn, kept: Uuid, gone: Uuid) -> Result<(), CommonError> {
    use diesel::sql_types::Uuid as SqlUuid;
    const PAIRS: &str = "FROM conversations g JOIN conversations k
          ON k.org_id = g.org_id AND k.phone_number_id = g.phone_number_id AND k.contact_id = $1
       WHERE g.contact_id = $2";
    for statement in [
        format!(
            "UPDATE messages m SET conversation_id = k.id {PAIRS} \
             AND m.org_id = g.org_id AND m.conversation_id = g.id"
        ),
        format!(
            "UPDATE conversation_notes n SET conversation_id = k.id {PAIRS} \
             AND n.org_id = g.org_id AND n.conversation_id = g.id"
        ),
        "UPDATE conversations k SET
                unread_count = k.unread_count + g.unread_count,
                last_inbound_at = greatest(k.last_inbound_at, g.last_inbound_at),
                last_message_preview = CASE WHEN g.last_message_at > k.last_message_at
                    OR k.last_message_at IS NULL THEN g.last_message_preview
                    ELSE k.last_message_preview END,
                last_message_at = greatest(k.last_message_at, g.last_message_at),
                updated_at = now()
           FROM conversations g
          WHERE k.org_id = g.org_id AND k.phone_number_id = g.phone_number_id
            AND k.contact_id = $1 AND g.contact_id = $2"
            .to_owned(),
        "DELETE FROM conversations g USING conversations k
          WHERE k.org_id = g.org_id AND k.phone_number_id = g.phone_number_id
            AND k.contact_id = $1 AND g.contact_id = $2"
            .to_owned(),
        "UPDATE conversations SET contact_id = $1 WHERE contact_id = $2 AND $1 IS NOT NULL"
            .to_owned(),
        "DELETE FROM contacts WHERE id = $2 AND $1 IS NOT NULL".to_owned(),
    ] {
        diesel::sql_query(statement)
            .bind::<SqlUuid, _>(kept)
            .bind::<SqlUuid, _>(gone)
            .execute(c)
            .await?;
    }
    Ok(())
}
