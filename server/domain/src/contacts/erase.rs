//! Erasing a contact for a data-subject request: the contact, every conversation with them
//! (messages, notes, statuses, stored media and its files), their consent history and their
//! campaign recipient rows, in one transaction, recorded in the audit log without any of the
//! erased data.

use diesel::{BoolExpressionMethods, ExpressionMethods, JoinOnDsl, OptionalExtension, QueryDsl};
use diesel_async::RunQueryDsl;
use serde_json::json;
use uuid::Uuid;
use wagent_db::schema::{contacts, conversations, media, messages};

use crate::{
    Access, CommonError, Domain, Problem, Role,
    organizations::audit::{self, Entry},
};

/// What erasing a contact removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Erased {
    pub conversations: i64,
    pub messages: i64,
    pub media_files: i64,
}

impl Domain {
    /// Erases a contact completely. Admin or Owner. A customer who writes in again later is
    /// a new contact.
    pub async fn erase_contact(&self, access: &Access, id: Uuid) -> Result<Erased, CommonError> {
        access.ensure(Role::Admin)?;
        // A webhook applied at the same moment may lock the same rows in another order;
        // PostgreSQL then aborts one of the two, and an erasure is worth another try.
        let mut attempt = 1;
        loop {
            match self.erase_contact_once(access, id).await {
                Err(e) if attempt < 3 && e.lost_to_another_transaction() => attempt += 1,
                done => return done,
            }
        }
    }

    async fn erase_contact_once(&self, access: &Access, id: Uuid) -> Result<Erased, CommonError> {
        let (erased, files) = self
            .tx(access.scope(), async |c| -> Result<_, CommonError> {
                let threads: Vec<Uuid> = conversations::table
                    .filter(conversations::contact_id.eq(id))
                    .select(conversations::id)
                    .load(c)
                    .await?;
                let files: Vec<Uuid> = media::table
                    .inner_join(
                        messages::table.on(messages::id
                            .eq(media::message_id)
                            .and(messages::org_id.eq(media::org_id))),
                    )
                    .filter(messages::conversation_id.eq_any(&threads))
                    .select(media::id)
                    .load(c)
                    .await?;
                let message_count: i64 = messages::table
                    .filter(messages::conversation_id.eq_any(&threads))
                    .count()
                    .get_result(c)
                    .await?;
                // The contact's row first: the lock order every writer about them takes.
                let found: Option<Uuid> = contacts::table
                    .filter(contacts::id.eq(id))
                    .select(contacts::id)
                    .for_update()
                    .first(c)
                    .await
                    .optional()?;
                if found.is_none() {
                    return Err(CommonError::NotFound("contact"));
                }
                let campaign_recipients =
                    crate::campaigns::erase_recipients(c, access.org_id, id).await?;
                // Conversations, messages, notes, statuses, media rows, consent events and
                // import-audience memberships go with the contact (ON DELETE CASCADE).
                let gone = diesel::delete(contacts::table.filter(contacts::id.eq(id)))
                    .execute(c)
                    .await?;
                if gone == 0 {
                    return Err(CommonError::NotFound("contact"));
                }
                let erased = Erased {
                    conversations: threads.len() as i64,
                    messages: message_count,
                    media_files: files.len() as i64,
                };
                audit::record(
                    c,
                    access.org_id,
                    &access.caller,
                    Entry {
                        action: "contacts.erased",
                        target_type: "contact",
                        target_id: id.to_string(),
                        details: json!({
                            "conversations": erased.conversations,
                            "messages": erased.messages,
                            "media_files": erased.media_files,
                            "campaign_recipients": campaign_recipients,
                        }),
                    },
                )
                .await?;
                Ok((erased, files))
            })
            .await?;
        self.remove_media_files(access.org_id, &files).await;
        Ok(erased)
    }
}
