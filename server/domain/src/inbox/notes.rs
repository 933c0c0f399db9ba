//! Internal notes on a conversation: seen by the team, never sent to the customer.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use uuid::Uuid;
use wagent_db::{FirstPerParent, group_by_parent, schema::conversation_notes};

use super::{InboxError, Result};
use super::{TOPIC_CONVERSATION, find_conversation, publish};
use crate::{Access, Domain, Role};

/// The notes a conversation shows, oldest first.
const NOTES_SHOWN: i64 = 500;

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

    /// The notes of each of `conversations` (oldest first, the first 500 of each), in one
    /// statement.
    pub async fn notes_of_conversations(
        &self,
        access: &Access,
        conversations: &[Uuid],
    ) -> Result<HashMap<Uuid, Vec<Note>>> {
        access.ensure(Role::Member)?;
        if conversations.is_empty() {
            return Ok(HashMap::new());
        }
        self.read_tx(access.scope(), async |c| {
            let first_notes = FirstPerParent::new(
                "conversation_notes",
                "conversation_id",
                conversations,
                access.org_id,
                "x.id",
                NOTES_SHOWN,
            );
            let rows: Vec<Note> = conversation_notes::table
                .filter(first_notes)
                .order((
                    conversation_notes::conversation_id,
                    conversation_notes::id.asc(),
                ))
                .select(Note::as_select())
                .load(c)
                .await?;
            Ok(group_by_parent(conversations, rows, |n| {
                Some(n.conversation_id)
            }))
        })
        .await
    }

    pub async fn notes(&self, access: &Access, conversation_id: Uuid) -> Result<Vec<Note>> {
        access.ensure(Role::Member)?;
        self.read_tx(access.scope(), async |c| {
            Ok(conversation_notes::table
                .filter(conversation_notes::conversation_id.eq(conversation_id))
                .order(conversation_notes::id.asc())
                .limit(NOTES_SHOWN)
                .select(Note::as_select())
                .load(c)
                .await?)
        })
        .await
    }
}
