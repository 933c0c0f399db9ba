//! The in-app notification centre: what the app tells one person of an organization, written
//! in the transaction that causes it (a campaign Meta's answer paused), listed and marked read
//! by that person only. People only: an API token has nobody to tell.

use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use uuid::Uuid;
use wagent_db::{
    Conn,
    schema::{campaigns, memberships, notifications},
};

use crate::{
    Access, CommonError, Domain, Result, Role,
    values::{InvalidValue, page_size},
};

/// Unread notifications are counted up to this many; the bell shows "99+" beyond.
pub const UNREAD_COUNTED: i64 = 100;
/// At most this many ids are marked read in one request.
pub const MARK_AT_ONCE: usize = 100;

/// One notification of the caller's.
#[derive(Debug, Clone, PartialEq, Eq, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = notifications)]
pub struct Notification {
    pub id: Uuid,
    /// What it is about: `campaign_paused`.
    pub kind: String,
    pub title: String,
    pub body: String,
    /// The campaign it links to.
    pub campaign_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

impl Domain {
    /// The caller's notifications in the organization, newest first (`first` ≤ 100), only
    /// the unread ones with `unread_only`.
    pub async fn notifications(
        &self,
        access: &Access,
        first: Option<i32>,
        unread_only: bool,
    ) -> Result<Vec<Notification>> {
        access.ensure(Role::Member)?;
        let me = access.caller().require_user()?.id;
        let limit = page_size(first)?;
        self.read_tx(access.scope(), async |c| {
            let mut q = notifications::table
                .filter(notifications::user_id.eq(me))
                .into_boxed();
            if unread_only {
                q = q.filter(notifications::read_at.is_null());
            }
            Ok(
                q.order((notifications::created_at.desc(), notifications::id.desc()))
                    .limit(limit)
                    .select(Notification::as_select())
                    .load(c)
                    .await?,
            )
        })
        .await
    }

    /// How many of the caller's notifications are unread, counted up to [`UNREAD_COUNTED`].
    pub async fn unread_notifications(&self, access: &Access) -> Result<i64> {
        access.ensure(Role::Member)?;
        let me = access.caller().require_user()?.id;
        self.read_tx(access.scope(), async |c| unread(c, me).await)
            .await
    }

    /// Marks the caller's notifications read: those of `ids` (at most [`MARK_AT_ONCE`]), or
    /// every one without ids. Others' notifications are left alone. Returns the unread count
    /// after.
    pub async fn mark_notifications_read(
        &self,
        access: &Access,
        ids: Option<&[Uuid]>,
    ) -> Result<i64> {
        access.ensure(Role::Member)?;
        let me = access.caller().require_user()?.id;
        if ids.is_some_and(|ids| ids.len() > MARK_AT_ONCE) {
            return Err(CommonError::Invalid(InvalidValue::TooMany {
                what: "notifications",
                max: MARK_AT_ONCE,
            }));
        }
        self.tx(access.scope(), async |c| {
            let mine = notifications::table
                .filter(notifications::user_id.eq(me))
                .filter(notifications::read_at.is_null());
            match ids {
                Some(ids) => {
                    diesel::update(mine.filter(notifications::id.eq_any(ids)))
                        .set(notifications::read_at.eq(Utc::now()))
                        .execute(c)
                        .await?
                }
                None => {
                    diesel::update(mine)
                        .set(notifications::read_at.eq(Utc::now()))
                        .execute(c)
                        .await?
                }
            };
            unread(c, me).await
        })
        .await
    }
}

async fn unread(c: &mut Conn, me: Uuid) -> Result<i64> {
    let ids: Vec<Uuid> = notifications::table
        .filter(notifications::user_id.eq(me))
        .filter(notifications::read_at.is_null())
        .select(notifications::id)
        .limit(UNREAD_COUNTED)
        .load(c)
        .await?;
    Ok(ids.len() as i64)
}

/// Tells a campaign's creator that it paused and why, in the caller's transaction; when the
/// creator is no longer a member (or unknown), the organization's owners.
pub(crate) async fn campaign_paused(
    c: &mut Conn,
    org_id: Uuid,
    campaign_id: Uuid,
    reason: &str,
) -> Result<()> {
    let (name, creator): (String, Option<Uuid>) = campaigns::table
        .filter(campaigns::id.eq(campaign_id))
        .select((campaigns::name, campaigns::created_by))
        .first(c)
        .await?;
    let member = match creator {
        // The organization named, not only by row-level security: a person may also read
        // their own memberships of other organizations.
        Some(id) => memberships::table
            .filter(memberships::org_id.eq(org_id))
            .filter(memberships::user_id.eq(id))
            .select(memberships::user_id)
            .first::<Uuid>(c)
            .await
            .optional()?,
        None => None,
    };
    let people = match member {
        Some(id) => vec![id],
        None => {
            memberships::table
                .filter(memberships::org_id.eq(org_id))
                .filter(memberships::role.eq(Role::Owner.as_str()))
                .select(memberships::user_id)
                .load(c)
                .await?
        }
    };
    let title: String = format!("Campaign “{name}” paused")
        .chars()
        .take(200)
        .collect();
    let body: String = reason.chars().take(2000).collect();
    let rows: Vec<_> = people
        .into_iter()
        .map(|user_id| {
            (
                notifications::org_id.eq(org_id),
                notifications::id.eq(Uuid::now_v7()),
                notifications::user_id.eq(user_id),
                notifications::kind.eq("campaign_paused"),
                notifications::title.eq(title.clone()),
                notifications::body.eq(body.clone()),
                notifications::campaign_id.eq(Some(campaign_id)),
            )
        })
        .collect();
    diesel::insert_into(notifications::table)
        .values(rows)
        .execute(c)
        .await?;
    Ok(())
}
