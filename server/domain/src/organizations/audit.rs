//! The audit log of security-relevant actions: who, what, when, from which IP and user agent.

use diesel::{ExpressionMethods, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use serde_json::Value;
use uuid::Uuid;
use wagent_db::{Conn, LiteralLimitDsl, schema::audit_events};

use super::Result;
use crate::{Access, AuditEvent, Caller, CommonError, Domain, Page, Role, values::page_size};

/// One action to record.
pub(crate) struct Entry<'a> {
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: String,
    pub details: Value,
}

/// Records `entry` for `caller` in the current transaction, so it commits with the change.
pub(crate) async fn record(
    c: &mut Conn,
    org_id: Uuid,
    caller: &Caller,
    entry: Entry<'_>,
) -> Result<(), CommonError> {
    let user_agent = caller
        .user_agent
        .as_ref()
        .map(|ua| ua.chars().take(512).collect::<String>());
    diesel::insert_into(audit_events::table)
        .values((
            audit_events::org_id.eq(org_id),
            audit_events::id.eq(Uuid::now_v7()),
            audit_events::actor_user_id.eq(caller.user_id()),
            audit_events::actor_api_token_id.eq(caller.token_id()),
            audit_events::action.eq(entry.action),
            audit_events::target_type.eq(entry.target_type),
            audit_events::target_id.eq(entry.target_id),
            audit_events::ip.eq(caller.ip.as_deref()),
            audit_events::user_agent.eq(user_agent),
            audit_events::details.eq(entry.details),
        ))
        .execute(c)
        .await?;
    Ok(())
}

impl Domain {
    /// Newest first. Admin or Owner.
    pub async fn audit_log(
        &self,
        access: &Access,
        first: Option<i32>,
        after: Option<Uuid>,
    ) -> Result<Page<AuditEvent>> {
        access.ensure(Role::Admin)?;
        let limit = page_size(first)?;
        self.read_tx(access.scope(), async |c| {
            let mut q = audit_events::table
                .select(AuditEvent::as_select())
                .order(audit_events::id.desc())
                .into_boxed();
            if let Some(after) = after {
                q = q.filter(audit_events::id.lt(after));
            }
            Ok(Page::from_rows(
                q.literal_limit(limit + 1).load(c).await?,
                limit,
            ))
        })
        .await
    }
}
