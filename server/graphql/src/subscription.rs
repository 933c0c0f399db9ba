use async_graphql::{Context, Enum, ID, SimpleObject, Subscription as GqlSubscription};
use chrono::{DateTime, Utc};
use futures::{Stream, StreamExt};
use tokio_stream::wrappers::{BroadcastStream, errors::BroadcastStreamRecvError};
use wagent_domain::{Bus, Domain, Intent, Role, organizations::OrganizationChange};

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

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
enum InboxEventKind {
    ConversationUpdated,
    MessageCreated,
    MessageUpdated,
    /// Events may have been missed: reload the inbox.
    Resync,
}

/// Something changed in the inbox, with the changed objects as the subscriber may see them.
struct InboxEvent {
    kind: InboxEventKind,
    conversation: Option<crate::inbox::ConversationObject>,
    message: Option<crate::inbox::MessageObject>,
}

#[async_graphql::Object]
impl InboxEvent {
    async fn kind(&self) -> InboxEventKind {
        self.kind
    }
    async fn conversation(&self) -> Option<&crate::inbox::ConversationObject> {
        self.conversation.as_ref()
    }
    /// Set for message events: a new message or a status tick.
    async fn message(&self) -> Option<&crate::inbox::MessageObject> {
        self.message.as_ref()
    }
}

fn inbox_kind(topic: &str) -> Option<InboxEventKind> {
    match topic {
        wagent_domain::inbox::TOPIC_CONVERSATION => Some(InboxEventKind::ConversationUpdated),
        wagent_domain::inbox::TOPIC_MESSAGE_CREATED => Some(InboxEventKind::MessageCreated),
        wagent_domain::inbox::TOPIC_MESSAGE_UPDATED => Some(InboxEventKind::MessageUpdated),
        _ => None,
    }
}

/// Loads what an inbox event names, through the subscriber's freshly checked access.
async fn load_inbox_event(
    domain: &Domain,
    caller: &wagent_domain::Caller,
    org_id: uuid::Uuid,
    kind: InboxEventKind,
    data: &serde_json::Value,
) -> Option<Result<InboxEvent, ()>> {
    let Ok(access) = domain
        .authorize(caller, org_id, Role::Member, Intent::Read)
        .await
    else {
        return Some(Err(()));
    };
    if kind == InboxEventKind::Resync {
        return Some(Ok(InboxEvent {
            kind,
            conversation: None,
            message: None,
        }));
    }
    let id = |field: &str| {
        data[field]
            .as_str()
            .and_then(|s| uuid::Uuid::parse_str(s).ok())
    };
    let conversation = match id("conversation_id") {
        Some(cid) => domain.conversation(&access, cid).await.ok(),
        None => None,
    }?;
    let message = match id("message_id") {
        Some(mid) => domain
            .message(&access, mid)
            .await
            .ok()
            .map(|m| crate::inbox::MessageObject::new(m, access.clone())),
        None => None,
    };
    Some(Ok(InboxEvent {
        kind,
        conversation: Some(crate::inbox::ConversationObject::new(access, conversation)),
        message,
    }))
}

#[GqlSubscription]
impl Subscription {
    /// The organization's inbox, live: new and updated conversations, new messages and
    /// status ticks. Any member; `conversationId` narrows it to one conversation. Access is
    /// checked again for every event, and the stream ends when the subscriber loses it.
    async fn inbox_events(
        &self,
        ctx: &Context<'_>,
        organization_id: ID,
        conversation_id: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = InboxEvent> + use<>> {
        let access = guard(ctx, &organization_id, Role::Member, Intent::Read).await?;
        let only = conversation_id
            .map(|c| crate::parse_id(ctx, &c, "conversation"))
            .transpose()?;
        let domain = ctx.data_unchecked::<Domain>().clone();
        let caller = access.caller().clone();
        let org_id = access.org_id();
        let events = BroadcastStream::new(ctx.data_unchecked::<Bus>().subscribe());
        let stream = events
            .filter_map(move |item| async move {
                match item {
                    Ok(e) if e.org_id == org_id => {
                        let kind = inbox_kind(&e.topic)?;
                        let conversation = e.data["conversation_id"]
                            .as_str()
                            .and_then(|s| uuid::Uuid::parse_str(s).ok());
                        if only.is_some() && conversation != only {
                            return None;
                        }
                        Some((kind, e.data))
                    }
                    Ok(_) => None,
                    Err(BroadcastStreamRecvError::Lagged(_)) => {
                        Some((InboxEventKind::Resync, serde_json::Value::Null))
                    }
                }
            })
            .then(move |(kind, data)| {
                let (domain, caller) = (domain.clone(), caller.clone());
                async move { load_inbox_event(&domain, &caller, org_id, kind, &data).await }
            })
            .filter_map(|loaded| async move { loaded })
            .take_while(|loaded| std::future::ready(loaded.is_ok()))
            .filter_map(|loaded| async move { loaded.ok() });
        Ok(stream)
    }

    /// Admin. One contact import, live: its state now, then every change (progress while it
    /// runs, the final counts or the reason it failed). The stream ends with the import, or
    /// when the subscriber loses access.
    async fn contact_import_progress(
        &self,
        ctx: &Context<'_>,
        organization_id: ID,
        import_id: ID,
    ) -> async_graphql::Result<impl Stream<Item = crate::imports::ContactImportObject> + use<>>
    {
        let access = guard(ctx, &organization_id, Role::Admin, Intent::Read).await?;
        let id = crate::parse_id(ctx, &import_id, "contact import")?;
        let domain = ctx.data_unchecked::<Domain>().clone();
        // Subscribed before the first read, so that no change falls between the two.
        let events = BroadcastStream::new(ctx.data_unchecked::<Bus>().subscribe());
        let first = crate::imports::contact_import(ctx, &access, &import_id).await?;
        let caller = access.caller().clone();
        let org_id = access.org_id();
        let changes = events
            .filter_map(move |item| async move {
                match item {
                    Ok(e)
                        if e.org_id == org_id
                            && e.topic == wagent_domain::contacts::imports::TOPIC_IMPORT
                            && e.data["import_id"].as_str() == Some(id.to_string().as_str()) =>
                    {
                        Some(())
                    }
                    Ok(_) => None,
                    Err(BroadcastStreamRecvError::Lagged(_)) => Some(()),
                }
            })
            .then(move |()| {
                let (domain, caller) = (domain.clone(), caller.clone());
                async move {
                    let access = domain
                        .authorize(&caller, org_id, Role::Admin, Intent::Read)
                        .await
                        .ok()?;
                    crate::imports::reload(&domain, &access, id).await
                }
            })
            .take_while(|loaded| std::future::ready(loaded.is_some()))
            .filter_map(|loaded| async move { loaded });
        // The state now, then each change; the stream ends right after the final state.
        let changes = futures::stream::once(async move { first })
            .chain(changes)
            .boxed();
        let stream = futures::stream::unfold((changes, false), |(mut changes, ended)| async move {
            if ended {
                return None;
            }
            let import = changes.next().await?;
            let ended = import.is_final();
            Some((import, (changes, ended)))
        });
        Ok(stream)
    }

    /// One campaign, live: its state and counters now, then after every change (each batch
    /// sent, statuses, replies, pause and resume). Keeps going after the campaign completes,
    /// as deliveries, reads and replies still arrive; ends when the subscriber loses access.
    async fn campaign_events(
        &self,
        ctx: &Context<'_>,
        organization_id: ID,
        campaign_id: ID,
    ) -> async_graphql::Result<impl Stream<Item = crate::campaigns::CampaignObject> + use<>> {
        let access = guard(ctx, &organization_id, Role::Member, Intent::Read).await?;
        let id = crate::parse_id(ctx, &campaign_id, "campaign")?;
        let domain = ctx.data_unchecked::<Domain>().clone();
        // Subscribed before the first read, so that no change falls between the two.
        let events = BroadcastStream::new(ctx.data_unchecked::<Bus>().subscribe());
        let first = crate::campaigns::campaign(ctx, &access, &campaign_id).await?;
        let caller = access.caller().clone();
        let org_id = access.org_id();
        let changes = events
            .filter_map(move |item| async move {
                match item {
                    Ok(e)
                        if e.org_id == org_id
                            && e.topic == wagent_domain::campaigns::TOPIC_CAMPAIGN
                            && e.data["campaign_id"].as_str() == Some(id.to_string().as_str()) =>
                    {
                        Some(())
                    }
                    Ok(_) => None,
                    Err(BroadcastStreamRecvError::Lagged(_)) => Some(()),
                }
            })
            // A busy campaign changes many times a second: one reload per burst.
            .ready_chunks(256)
            .then(move |_| {
                let (domain, caller) = (domain.clone(), caller.clone());
                async move {
                    let access = domain
                        .authorize(&caller, org_id, Role::Member, Intent::Read)
                        .await
                        .ok()?;
                    crate::campaigns::reload(&domain, &access, id).await
                }
            })
            .take_while(|loaded| std::future::ready(loaded.is_some()))
            .filter_map(|loaded| async move { loaded });
        Ok(futures::stream::once(async move { first }).chain(changes))
    }

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
