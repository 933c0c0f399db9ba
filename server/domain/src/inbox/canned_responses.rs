//! Canned responses: the team's saved answers, inserted in the composer by `/shortcut`.

use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use uuid::Uuid;
use wagent_db::schema::canned_responses;

use super::{InboxError, Result};
use crate::{Access, CommonError, Domain, Role};

#[derive(Debug, Clone, PartialEq, Eq, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = canned_responses)]
pub struct CannedResponse {
    pub id: Uuid,
    pub shortcut: String,
    pub body: String,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

impl Domain {
    pub async fn canned_responses(&self, access: &Access) -> Result<Vec<CannedResponse>> {
        access.ensure(Role::Member)?;
        self.read_tx(access.scope(), async |c| {
            Ok(canned_responses::table
                .order(canned_responses::shortcut.asc())
                .limit(500)
                .select(CannedResponse::as_select())
                .load(c)
                .await?)
        })
        .await
    }

    /// Admin or Owner.
    pub async fn create_canned_response(
        &self,
        access: &Access,
        shortcut: &str,
        body: &str,
    ) -> Result<CannedResponse> {
        access.ensure(Role::Admin)?;
        let shortcut = shortcut.trim().trim_start_matches('/').to_lowercase();
        if !(1..=32).contains(&shortcut.len())
            || !shortcut
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(InboxError::NotAShortcut);
        }
        let body = body.trim();
        if body.is_empty() || body.chars().count() > 4096 {
            return Err(InboxError::CannedResponseLength);
        }
        self.tx(access.scope(), async |c| {
            diesel::insert_into(canned_responses::table)
                .values((
                    canned_responses::org_id.eq(access.org_id),
                    canned_responses::id.eq(Uuid::now_v7()),
                    canned_responses::shortcut.eq(&shortcut),
                    canned_responses::body.eq(body),
                    canned_responses::created_by.eq(access.caller().user_id()),
                ))
                .returning(CannedResponse::as_returning())
                .get_result(c)
                .await
                .map_err(|e| {
                    if wagent_db::is_unique_violation(&e) {
                        InboxError::ShortcutTaken(shortcut.clone())
                    } else {
                        e.into()
                    }
                })
        })
        .await
    }

    /// Admin or Owner.
    pub async fn delete_canned_response(&self, access: &Access, id: Uuid) -> Result<Uuid> {
        access.ensure(Role::Admin)?;
        self.tx(access.scope(), async |c| {
            let n = diesel::delete(canned_responses::table.filter(canned_responses::id.eq(id)))
                .execute(c)
                .await?;
            if n == 0 {
                return Err(CommonError::NotFound("canned response").into());
            }
            Ok(id)
        })
        .await
    }
}
