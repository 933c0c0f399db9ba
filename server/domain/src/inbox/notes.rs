//! Internal notes on a conversation: seen by the team, never sent to the customer.

use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use uuid::Uuid;
use wagent_db::schema::conversation_notes;

use super::{InboxError, Result};
use super::{TOPIC_CONVERSATION, find_conversation, publish};
use crate::{Access, Domain, Role};

#[derive(Debug, Clone, PartialEq, Eq, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = conversation_notes)]
pub struct Note {
    pub id: Uuid,
    pub conversation_id: Uuid,
    pub author_id: Option<Uuid>,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

impl Domain {
    /// Internal notes: seen by the team, never sent to the customer.
    pub async fn add_note(
        &self,
        access: &Access,
        conversation_id: Uuid,
        body: &str,
    ) -> Result<Note> {
        access.ensure(Role::Member)?;
        let body = body.trim();
        if body.is_empty() || body.chars().count() > 4096 {
            return Err(InboxError::NoteLength);
        }
        self.tx(access.scope(), async |c| {
            find_conversation(c, conversation_id).await?;
            let note = diesel::insert_into(conversation_notes::table)
                .values((
                    conversation_notes::org_id.eq(access.org_id),
                    conversation_notes::id.eq(Uuid::now_v7()),
                    conversation_notes::conversation_id.eq(conversation_id),
                    conversation_notes::author_id.eq(access.caller().user_id()),
                    conversation_notes::body.eq(body),
                ))
                .returning(Note::as_returning())
                .get_result(c)
                .await?;
            publish(c, access.org_id, TOPIC_CONVERSATION, conversation_id, None).await?;
            Ok(note)
        })
        .await
    }

    pub async fn notes(&self, access: &Access, conversation_id: Uuid) -> Result<Vec<Note>> {
        access.ensure(Role::Member)?;
        self.tx(access.scope(), async |c| {
            Ok(conversation_notes::table
                .filter(conversation_notes::conversation_id.eq(conversation_id))
                .order(conversation_notes::id.asc())
                .limit(500)
                .select(Note::as_select())
                .load(c)
                .await?)
        })
        .await
    }
}
