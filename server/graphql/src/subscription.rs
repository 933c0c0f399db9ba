use async_graphql::{Context, Enum, ID, SimpleObject, Subscription as GqlSubscription};
use chrono::{DateTime, Utc};
use futures::{Stream, StreamExt};
use tokio_stream::wrappers::{BroadcastStream, errors::BroadcastStreamRecvError};
use wagent_domain::Bus;
use wagent_domain::{Domain, Intent, Role, events::OrganizationChange};

use crate::guard;

pub struct Subscription;

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
enum OrganizationEventKind {
    Renamed,
    MembersChanged,
    InvitationsChanged,
    ApiTokensChanged,
    /// Events may have been missed (the subscriber fell behind): reload everything.
    Resync,
}

#[derive(SimpleObject, Clone)]
struct OrganizationEvent {
    organization_id: ID,
    kind: OrganizationEventKind,
    at: DateTime<Utc>,
}

#[GqlSubscription]
impl Subscription {
    /// Changes to an organization's name, members, invitations and API tokens. Any member;
    /// the stream ends when the subscriber stops being one.
    async fn organization_events(
        &self,
        ctx: &Context<'_>,
        organization_id: ID,
    ) -> async_graphql::Result<impl Stream<Item = async_graphql::Result<OrganizationEvent>> + use<>>
    {
        let access = guard(ctx, &organization_id, Role::Member, Intent::Read).await?;
        let domain = ctx.data_unchecked::<Domain>().clone();
        let caller = access.caller().clone();
        let org_id = access.org_id();
        let events = BroadcastStream::new(ctx.data_unchecked::<Bus>().subscribe());
        let stream = events
            .filter_map(move |item| async move {
                match item {
                    Ok(e) if e.org_id == org_id => {
                        OrganizationChange::from_topic(&e.topic).map(|c| match c {
                            OrganizationChange::Renamed => OrganizationEventKind::Renamed,
                            OrganizationChange::Members => OrganizationEventKind::MembersChanged,
                            OrganizationChange::Invitations => {
                                OrganizationEventKind::InvitationsChanged
                            }
                            OrganizationChange::ApiTokens => {
                                OrganizationEventKind::ApiTokensChanged
                            }
                        })
                    }
                    Ok(_) => None,
                    Err(BroadcastStreamRecvError::Lagged(_)) => Some(OrganizationEventKind::Resync),
                }
            })
            // Membership is checked again for every event: a removed member hears no more.
            .then(move |kind| {
                let (domain, caller) = (domain.clone(), caller.clone());
                async move {
                    let allowed = domain
                        .authorize(&caller, org_id, Role::Member, Intent::Read)
                        .await
                        .is_ok();
                    allowed.then(|| OrganizationEvent {
                        organization_id: org_id.into(),
                        kind,
                        at: Utc::now(),
                    })
                }
            })
            .take_while(|event| std::future::ready(event.is_some()))
            .filter_map(|event| async move { event.map(Ok) });
        Ok(stream)
    }
}
