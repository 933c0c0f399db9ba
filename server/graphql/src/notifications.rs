//! The in-app notification centre in GraphQL: `Organization.notifications` and
//! `unreadNotifications` (the caller's own, under the organization they belong to) and
//! `markNotificationsRead`. People only: an API token has no notifications.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use wagent_domain::{
    Domain, Intent, Role,
    notifications::{MARK_AT_ONCE, Notification},
};

use crate::{GqlResult, InputError, guard, parse_id, to_gql};

/// What a notification is about.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum NotificationKind {
    /// A campaign paused without a person asking: Meta's answer to its sends (an expired
    /// token, a locked account, a paused or disabled template) or its number's quality
    /// dropping to RED. `campaignId` links to it.
    CampaignPaused,
    /// A kind written by a newer version of the server.
    Other,
}

/// Something the app tells the caller.
#[derive(SimpleObject)]
#[graphql(name = "Notification")]
pub struct NotificationObject {
    id: ID,
    kind: NotificationKind,
    title: String,
    /// The reason, in words a person reads (Meta's code and words when Meta said).
    body: String,
    /// The campaign it is about, for the link.
    campaign_id: Option<ID>,
    created_at: DateTime<Utc>,
    /// When the caller marked it read; null while unread.
    read_at: Option<DateTime<Utc>>,
}

impl From<Notification> for NotificationObject {
    fn from(n: Notification) -> Self {
        Self {
            id: ID(n.id.to_string()),
            kind: match n.kind.as_str() {
                "campaign_paused" => NotificationKind::CampaignPaused,
                _ => NotificationKind::Other,
            },
            title: n.title,
            body: n.body,
            campaign_id: n.campaign_id.map(|id| ID(id.to_string())),
            created_at: n.created_at,
            read_at: n.read_at,
        }
    }
}

#[derive(InputObject)]
pub struct MarkNotificationsReadInput {
    organization_id: ID,
    /// At most 100; left out, every one of the caller's notifications.
    ids: Option<Vec<ID>>,
}

#[derive(Default)]
pub struct NotificationsMutation;

#[Object]
impl NotificationsMutation {
    /// Member. Marks the caller's notifications read (the given ones, or all); returns how
    /// many stay unread (counted up to 100).
    async fn mark_notifications_read(
        &self,
        ctx: &Context<'_>,
        input: MarkNotificationsReadInput,
    ) -> async_graphql::Result<i64> {
        let access = guard(ctx, &input.organization_id, Role::Member, Intent::Write).await?;
        let ids = match &input.ids {
            Some(ids) if ids.len() > MARK_AT_ONCE => {
                return Err(to_gql(ctx, InputError::TooManyItems));
            }
            Some(ids) => Some(
                ids.iter()
                    .map(|id| parse_id(ctx, id, "notification"))
                    .collect::<async_graphql::Result<Vec<_>>>()?,
            ),
            None => None,
        };
        ctx.data_unchecked::<Domain>()
            .mark_notifications_read(&access, ids.as_deref())
            .await
            .gql(ctx)
    }
}
