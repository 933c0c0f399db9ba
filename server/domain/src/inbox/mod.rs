//! The team inbox: conversations (one per contact and number), their messages, labels,
//! assignment and status; internal notes (`notes`) and canned responses
//! (`canned_responses`). What arrives from and goes to WhatsApp is in [`crate::whatsapp`].

mod canned_responses;
mod error;
mod message;
mod notes;
pub(crate) mod pages;

use std::{collections::HashMap, sync::Arc};

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Duration, Utc};
use diesel::{
    BoolExpressionMethods, ExpressionMethods, JoinOnDsl, NullableExpressionMethods,
    OptionalExtension, PgArrayExpressionMethods, PgSortExpressionMethods, PgTextExpressionMethods,
    QueryDsl, SelectableHelper,
};
use diesel_async::RunQueryDsl;
use futures::FutureExt;
use serde_json::json;
use uuid::Uuid;
use wagent_db::{
    Conn, FirstPerParent, LiteralLimitDsl,
    bus::{self, Event},
    group_by_parent,
    schema::{contacts, conversations, media, memberships, messages, phone_numbers, users},
};

use self::pages::PageKey;
pub use self::{
    canned_responses::CannedResponse,
    error::InboxError,
    message::{MessageDirection, MessageKind, MessageStatus},
    notes::Note,
};
pub use crate::contacts::{Contact, ContactCard};
use crate::{
    Access, CommonError, Domain, Page, Role, User,
    organizations::audit::{self, Entry},
    values::{InvalidValue, page_size},
    whatsapp::Media,
};

/// The inbox's result.
pub type Result<T, E = InboxError> = std::result::Result<T, E>;

/// How long after a customer's last message a business may answer free-form.
pub const SERVICE_WINDOW: Duration = Duration::hours(24);

#[derive(Debug, Clone, PartialEq, Eq, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = conversations)]
pub struct Conversation {
    pub org_id: Uuid,
    pub id: Uuid,
    pub phone_number_id: Uuid,
    pub contact_id: Uuid,
    pub status: String,
    pub assignee_id: Option<Uuid>,
    pub labels: Vec<String>,
    pub unread_count: i32,
    pub last_message_at: Option<DateTime<Utc>>,
    pub last_inbound_at: Option<DateTime<Utc>>,
    pub last_message_preview: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Who answers: the bot (an AI agent) or the team.
    pub handler: crate::agents::Handler,
    pub agent_id: Option<Uuid>,
    /// When the bot's episode began: its history starts there.
    pub bot_episode_at: Option<DateTime<Utc>>,
    /// Why the bot handed the conversation to the team, when it did.
    pub handoff_reason: Option<String>,
    pub handoff_at: Option<DateTime<Utc>>,
    pub bot_misses: i32,
}

impl Conversation {
    /// Until when free-form messages may be sent; `None` if the customer never wrote.
    pub fn window_open_until(&self) -> Option<DateTime<Utc>> {
        window_open_until(self.last_inbound_at)
    }

    pub fn window_open(&self, now: DateTime<Utc>) -> bool {
        window_open(self.last_inbound_at, now)
    }

    /// The columns a list row shows, and the ids of what it links to.
    pub fn split(self) -> (ConversationCard, ConversationLinks) {
        let links = ConversationLinks {
            contact_id: self.contact_id,
            phone_number_id: self.phone_number_id,
            assignee_id: self.assignee_id,
        };
        let card = ConversationCard {
            id: self.id,
            status: self.status,
            labels: self.labels,
            unread_count: self.unread_count,
            last_message_at: self.last_message_at,
            last_inbound_at: self.last_inbound_at,
            last_message_preview: self.last_message_preview,
            created_at: self.created_at,
            handler: self.handler,
            agent_id: self.agent_id,
            handoff_reason: self.handoff_reason,
            handoff_at: self.handoff_at,
        };
        (card, links)
    }
}

/// The service window after a customer's last message, shared by the whole row and its card.
fn window_open_until(last_inbound_at: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    last_inbound_at.map(|t| t + SERVICE_WINDOW)
}

fn window_open(last_inbound_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    window_open_until(last_inbound_at).is_some_and(|until| until > now)
}

/// The columns of a conversation that its API shows, without the links the inbox list
/// reads by join and the bookkeeping no client sees: the list's hot read decodes these
/// 12 of the 19 columns, 50 times a page.
#[derive(Debug, Clone, PartialEq, Eq, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = conversations)]
pub struct ConversationCard {
    pub id: Uuid,
    pub status: String,
    pub labels: Vec<String>,
    pub unread_count: i32,
    pub last_message_at: Option<DateTime<Utc>>,
    pub last_inbound_at: Option<DateTime<Utc>>,
    pub last_message_preview: Option<String>,
    pub created_at: DateTime<Utc>,
    pub handler: crate::agents::Handler,
    pub agent_id: Option<Uuid>,
    pub handoff_reason: Option<String>,
    pub handoff_at: Option<DateTime<Utc>>,
}

impl ConversationCard {
    /// Until when free-form messages may be sent; `None` if the customer never wrote.
    pub fn window_open_until(&self) -> Option<DateTime<Utc>> {
        window_open_until(self.last_inbound_at)
    }

    pub fn window_open(&self, now: DateTime<Utc>) -> bool {
        window_open(self.last_inbound_at, now)
    }
}

/// What a conversation links to, by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConversationLinks {
    pub contact_id: Uuid,
    pub phone_number_id: Uuid,
    pub assignee_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = messages)]
pub struct Message {
    pub org_id: Uuid,
    pub id: Uuid,
    pub conversation_id: Uuid,
    pub direction: MessageDirection,
    pub wamid: Option<String>,
    pub kind: MessageKind,
    pub body: Option<String>,
    pub payload: serde_json::Value,
    pub status: MessageStatus,
    pub status_at: DateTime<Utc>,
    pub error_code: Option<i32>,
    pub error_text: Option<String>,
    pub reply_to_wamid: Option<String>,
    pub sent_by: Option<Uuid>,
    pub sent_at: DateTime<Utc>,
    /// The AI agent that sent it, for the bot's messages.
    pub agent_id: Option<Uuid>,
}

/// A number as a list of conversations shows it: the columns the inbox's rows need.
#[derive(Debug, Clone, PartialEq, Eq, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = phone_numbers)]
pub struct PhoneNumberCard {
    pub id: Uuid,
    pub phone_number_id: String,
    pub display_phone_number: Option<String>,
    pub verified_name: Option<String>,
    pub disconnected_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = phone_numbers)]
pub struct PhoneNumber {
    pub id: Uuid,
    pub account_id: Uuid,
    pub phone_number_id: String,
    pub display_phone_number: Option<String>,
    pub verified_name: Option<String>,
    pub quality_rating: Option<String>,
    pub status: Option<String>,
    pub name_status: Option<String>,
    pub code_verification_status: Option<String>,
    pub platform_type: Option<String>,
    pub messaging_limit: Option<String>,
    pub throughput_level: Option<String>,
    pub refreshed_at: Option<DateTime<Utc>>,
    pub disconnected_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConversationStatus {
    Open,
    Pending,
    Resolved,
}

impl ConversationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Pending => "pending",
            Self::Resolved => "resolved",
        }
    }

    pub fn parse(s: &str) -> Self {
        match s {
            "pending" => Self::Pending,
            "resolved" => Self::Resolved,
            _ => Self::Open,
        }
    }
}

/// A conversation with what an inbox row shows beside it, read in the list's one statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationSummary {
    pub conversation: ConversationCard,
    /// The rest of the contact: [`Domain::contacts_by_ids`], once for the page.
    pub contact: ContactCard,
    /// The rest of the number: [`Domain::phone_numbers_by_ids`], once for the page.
    pub phone_number: PhoneNumberCard,
    pub assignee: Option<User>,
}

/// Which conversations a list shows.
#[derive(Debug, Clone, Default)]
pub struct ConversationFilter {
    pub status: Option<ConversationStatus>,
    /// `Some(None)`: unassigned only.
    pub assignee: Option<Option<Uuid>>,
    pub unread_only: bool,
    pub phone_number_id: Option<Uuid>,
    pub label: Option<String>,
    /// Contact name, WhatsApp number or message text.
    pub search: Option<String>,
}

/// An opaque position in a list ordered by time, newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimeCursor {
    pub at: DateTime<Utc>,
    pub id: Uuid,
}

impl TimeCursor {
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("{}|{}", self.at.timestamp_micros(), self.id))
    }

    pub fn decode(raw: &str) -> Result<Self, InvalidValue> {
        let bad = || InvalidValue::Cursor;
        let text = String::from_utf8(URL_SAFE_NO_PAD.decode(raw).map_err(|_| bad())?)
            .map_err(|_| bad())?;
        let (micros, id) = text.split_once('|').ok_or_else(bad)?;
        let at =
            DateTime::from_timestamp_micros(micros.parse().map_err(|_| bad())?).ok_or_else(bad)?;
        Ok(Self {
            at,
            id: Uuid::parse_str(id).map_err(|_| bad())?,
        })
    }
}

/// What changed in the inbox, published for live views.
pub(crate) async fn publish(
    c: &mut Conn,
    org_id: Uuid,
    topic: &str,
    conversation_id: Uuid,
    message_id: Option<Uuid>,
) -> Result<(), CommonError> {
    let event = Event {
        org_id,
        topic: topic.into(),
        data: json!({ "conversation_id": conversation_id, "message_id": message_id }),
    };
    bus::publish(c, &event).await?;
    Ok(())
}

/// Publishes `topic` ([`TOPIC_MESSAGE_CREATED`] or [`TOPIC_MESSAGE_UPDATED`]) for each
/// (conversation, message), in one round trip.
pub(crate) async fn publish_messages(
    c: &mut Conn,
    org_id: Uuid,
    topic: &str,
    changed: &[(Uuid, Uuid)],
) -> Result<(), CommonError> {
    let events: Vec<Event> = changed
        .iter()
        .map(|(conversation_id, message_id)| Event {
            org_id,
            topic: topic.into(),
            data: json!({ "conversation_id": conversation_id, "message_id": message_id }),
        })
        .collect();
    bus::publish_all(c, &events).await?;
    Ok(())
}

pub const TOPIC_CONVERSATION: &str = "inbox.conversation";
pub const TOPIC_MESSAGE_CREATED: &str = "inbox.message.created";
pub const TOPIC_MESSAGE_UPDATED: &str = "inbox.message.updated";

/// The longest label, in characters.
const LABEL_MAX_CHARS: usize = 32;

fn validate_labels(labels: &[String]) -> Result<Vec<String>> {
    if labels.len() > 20 {
        return Err(InboxError::TooManyLabels);
    }
    let mut out: Vec<String> = Vec::new();
    for label in labels {
        let l = label.trim().to_lowercase();
        let ok = (1..=LABEL_MAX_CHARS).contains(&l.chars().count())
            && l.chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_' || c == ' ');
        if !ok {
            return Err(InboxError::NotALabel(label.clone()));
        }
        if !out.contains(&l) {
            out.push(l);
        }
    }
    Ok(out)
}

impl Domain {
    pub async fn phone_numbers(&self, access: &Access) -> Result<Vec<PhoneNumber>> {
        access.ensure(Role::Member)?;
        self.read_tx(access.scope(), async |c| {
            Ok(phone_numbers::table
                .select(PhoneNumber::as_select())
                .order(phone_numbers::id.asc())
                .load(c)
                .await?)
        })
        .await
    }

    /// Newest activity first, each row with its contact, number and assignee, in one
    /// statement whatever the page size.
    pub async fn conversation_summaries(
        &self,
        access: &Access,
        filter: &ConversationFilter,
        first: Option<i32>,
        after: Option<&str>,
    ) -> Result<Page<ConversationSummary>> {
        access.ensure(Role::Member)?;
        let limit = page_size(first)?;
        let after = after.map(TimeCursor::decode).transpose()?;
        let search = filter
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| s.chars().take(100).collect::<String>());
        let label = filter.label.clone();
        let mut q = conversations::table
            .inner_join(
                contacts::table.on(contacts::id
                    .eq(conversations::contact_id)
                    .and(contacts::org_id.eq(conversations::org_id))),
            )
            .inner_join(
                phone_numbers::table.on(phone_numbers::id
                    .eq(conversations::phone_number_id)
                    .and(phone_numbers::org_id.eq(conversations::org_id))),
            )
            .left_join(users::table.on(users::id.nullable().eq(conversations::assignee_id)))
            .filter(conversations::org_id.eq(access.org_id()))
            .select((
                ConversationCard::as_select(),
                ContactCard::as_select(),
                PhoneNumberCard::as_select(),
                Option::<User>::as_select(),
            ))
            .order((
                conversations::last_message_at.desc().nulls_last(),
                conversations::id.desc(),
            ))
            .into_boxed();
        if let Some(status) = filter.status {
            q = q.filter(conversations::status.eq(status.as_str()));
        }
        match filter.assignee {
            Some(Some(user)) => q = q.filter(conversations::assignee_id.eq(user)),
            Some(None) => q = q.filter(conversations::assignee_id.is_null()),
            None => {}
        }
        if filter.unread_only {
            q = q.filter(conversations::unread_count.gt(0));
        }
        if let Some(pn) = filter.phone_number_id {
            q = q.filter(conversations::phone_number_id.eq(pn));
        }
        if let Some(label) = label {
            q = q.filter(conversations::labels.contains(vec![label.trim().to_lowercase()]));
        }
        if let Some(s) = search {
            let pattern = format!(
                "%{}%",
                s.replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            );
            let text_match = diesel::dsl::exists(
                messages::table
                    .filter(messages::conversation_id.eq(conversations::id))
                    .filter(messages::body.ilike(pattern.clone())),
            );
            q = q.filter(
                contacts::profile_name
                    .ilike(pattern.clone())
                    .or(contacts::wa_id.ilike(pattern.clone()))
                    .or(contacts::username.ilike(pattern))
                    .or(text_match),
            );
        }
        if let Some(after) = after {
            q = q.filter(
                conversations::last_message_at
                    .lt(after.at)
                    .or(conversations::last_message_at
                        .eq(after.at)
                        .and(conversations::id.lt(after.id)))
                    .or(conversations::last_message_at.is_null()),
            );
        }
        let read = async || -> Result<Page<ConversationSummary>> {
            // The hot read of the inbox: one statement, pipelined behind its settings.
            let rows: Vec<(ConversationCard, ContactCard, PhoneNumberCard, Option<User>)> = self
                .db
                .read(access.scope(), move |mut c| {
                    q.literal_limit(limit + 1).load(&mut c).boxed()
                })
                .await?;
            let rows = rows
                .into_iter()
                .map(
                    |(conversation, contact, phone_number, assignee)| ConversationSummary {
                        conversation,
                        contact,
                        phone_number,
                        assignee,
                    },
                )
                .collect();
            Ok(Page::from_rows(rows, limit))
        };
        // Stamped before the read: a change committed meanwhile moves the clock, and the
        // page read now is then never answered again.
        let Some((key, stamp)) =
            PageKey::of(access.org_id(), filter, limit, after).zip(self.db.stamp(access.org_id()))
        else {
            return read().await;
        };
        let place = self.conversation_pages.place(key, stamp);
        let page = place
            .get_or_try_init(async || read().await.map(Arc::new))
            .await?;
        Ok(Page::clone(page))
    }

    pub async fn conversation(&self, access: &Access, id: Uuid) -> Result<Conversation> {
        access.ensure(Role::Member)?;
        Ok(self
            .read_tx(access.scope(), async |c| find_conversation(c, id).await)
            .await?)
    }

    pub async fn unread_total(&self, access: &Access) -> Result<i64> {
        access.ensure(Role::Member)?;
        self.read_tx(access.scope(), async |c| {
            let n: Option<i64> = conversations::table
                .select(diesel::dsl::sum(conversations::unread_count))
                .first(c)
                .await?;
            Ok(n.unwrap_or(0))
        })
        .await
    }

    /// The contacts with these ids (those that exist), in one statement.
    pub async fn contacts_by_ids(&self, access: &Access, ids: &[Uuid]) -> Result<Vec<Contact>> {
        access.ensure(Role::Member)?;
        self.read_tx(access.scope(), async |c| {
            Ok(contacts::table
                .filter(contacts::id.eq_any(ids))
                .select(Contact::as_select())
                .load(c)
                .await?)
        })
        .await
    }

    pub async fn contact(&self, access: &Access, id: Uuid) -> Result<Contact> {
        access.ensure(Role::Member)?;
        self.read_tx(access.scope(), async |c| {
            contacts::table
                .filter(contacts::id.eq(id))
                .select(Contact::as_select())
                .first(c)
                .await
                .optional()?
                .ok_or(CommonError::NotFound("contact").into())
        })
        .await
    }

    /// The numbers with these ids (those that exist), in one statement.
    pub async fn phone_numbers_by_ids(
        &self,
        access: &Access,
        ids: &[Uuid],
    ) -> Result<Vec<PhoneNumber>> {
        access.ensure(Role::Member)?;
        self.read_tx(access.scope(), async |c| {
            Ok(phone_numbers::table
                .filter(phone_numbers::id.eq_any(ids))
                .select(PhoneNumber::as_select())
                .load(c)
                .await?)
        })
        .await
    }

    pub async fn phone_number(&self, access: &Access, id: Uuid) -> Result<PhoneNumber> {
        access.ensure(Role::Member)?;
        self.read_tx(access.scope(), async |c| {
            phone_numbers::table
                .filter(phone_numbers::id.eq(id))
                .select(PhoneNumber::as_select())
                .first(c)
                .await
                .optional()?
                .ok_or(CommonError::NotFound("phone number").into())
        })
        .await
    }

    /// Newest first.
    pub async fn messages(
        &self,
        access: &Access,
        conversation_id: Uuid,
        first: Option<i32>,
        after: Option<&str>,
    ) -> Result<Page<(Message, Option<Media>)>> {
        access.ensure(Role::Member)?;
        let limit = page_size(first)?;
        let after = after.map(TimeCursor::decode).transpose()?;
        self.read_tx(access.scope(), async |c| {
            // Each message's file rides on its row (at most one per message), so a page of
            // any size is one statement.
            let mut q = messages::table
                .left_join(
                    media::table.on(media::message_id
                        .eq(messages::id)
                        .and(media::org_id.eq(messages::org_id))),
                )
                .filter(messages::conversation_id.eq(conversation_id))
                .select((Message::as_select(), Option::<Media>::as_select()))
                .order((messages::sent_at.desc(), messages::id.desc()))
                .into_boxed();
            if let Some(after) = after {
                q = q.filter(
                    messages::sent_at.lt(after.at).or(messages::sent_at
                        .eq(after.at)
                        .and(messages::id.lt(after.id))),
                );
            }
            Ok(Page::from_rows(
                q.literal_limit(limit + 1).load(c).await?,
                limit,
            ))
        })
        .await
    }

    /// The newest messages of each of `conversations` (newest first, `first` of each, after
    /// the same cursor): the threads of a page of conversations in one statement, whatever
    /// the page's size. A conversation with no message has an empty page.
    pub async fn messages_of_conversations(
        &self,
        access: &Access,
        conversations: &[Uuid],
        first: Option<i32>,
        after: Option<&str>,
    ) -> Result<HashMap<Uuid, Page<(Message, Option<Media>)>>> {
        access.ensure(Role::Member)?;
        let limit = page_size(first)?;
        // Without a cursor, one past every message: the statement keeps one shape, and the
        // row comparison stays a condition of the thread index.
        let after = match after {
            Some(raw) => TimeCursor::decode(raw)?,
            None => TimeCursor {
                at: DateTime::<Utc>::MAX_UTC,
                id: Uuid::max(),
            },
        };
        if conversations.is_empty() {
            return Ok(HashMap::new());
        }
        self.read_tx(access.scope(), async |c| {
            let newest = FirstPerParent::new(
                "messages",
                "conversation_id",
                conversations,
                access.org_id,
                "x.sent_at DESC, x.id DESC",
                limit + 1,
            )
            .before("sent_at", after.at, after.id);
            let rows: Vec<(Message, Option<Media>)> = messages::table
                .left_join(
                    media::table.on(media::message_id
                        .eq(messages::id)
                        .and(media::org_id.eq(messages::org_id))),
                )
                .filter(newest)
                .select((Message::as_select(), Option::<Media>::as_select()))
                .order((
                    messages::conversation_id,
                    messages::sent_at.desc(),
                    messages::id.desc(),
                ))
                .load(c)
                .await?;
            let threads = group_by_parent(conversations, rows, |r| Some(r.0.conversation_id));
            Ok(threads
                .into_iter()
                .map(|(id, rows)| (id, Page::from_rows(rows, limit)))
                .collect())
        })
        .await
    }

    pub async fn message(&self, access: &Access, id: Uuid) -> Result<Message> {
        access.ensure(Role::Member)?;
        self.read_tx(access.scope(), async |c| {
            messages::table
                .filter(messages::id.eq(id))
                .select(Message::as_select())
                .first(c)
                .await
                .optional()?
                .ok_or(CommonError::NotFound("message").into())
        })
        .await
    }

    /// Any member may take or hand over a conversation; the assignee must be a member.
    pub async fn assign_conversation(
        &self,
        access: &Access,
        id: Uuid,
        assignee: Option<Uuid>,
    ) -> Result<Conversation> {
        access.ensure(Role::Member)?;
        self.tx(access.scope(), async |c| {
            if let Some(user) = assignee {
                let member: i64 = memberships::table
                    .filter(memberships::user_id.eq(user))
                    .count()
                    .get_result(c)
                    .await?;
                if member == 0 {
                    return Err(InboxError::AssigneeNotMember);
                }
            }
            let conversation =
                update_conversation(c, id, conversations::assignee_id.eq(assignee)).await?;
            audit::record(
                c,
                access.org_id,
                access.caller(),
                Entry {
                    action: "conversation.assigned",
                    target_type: "conversation",
                    target_id: id.to_string(),
                    details: json!({ "assignee": assignee }),
                },
            )
            .await?;
            publish(c, access.org_id, TOPIC_CONVERSATION, id, None).await?;
            Ok(conversation)
        })
        .await
    }

    pub async fn set_conversation_status(
        &self,
        access: &Access,
        id: Uuid,
        status: ConversationStatus,
    ) -> Result<Conversation> {
        access.ensure(Role::Member)?;
        self.tx(access.scope(), async |c| {
            let conversation =
                update_conversation(c, id, conversations::status.eq(status.as_str())).await?;
            publish(c, access.org_id, TOPIC_CONVERSATION, id, None).await?;
            Ok(conversation)
        })
        .await
    }

    pub async fn set_conversation_labels(
        &self,
        access: &Access,
        id: Uuid,
        labels: &[String],
    ) -> Result<Conversation> {
        access.ensure(Role::Member)?;
        let labels = validate_labels(labels)?;
        self.tx(access.scope(), async |c| {
            let conversation = update_conversation(c, id, conversations::labels.eq(labels)).await?;
            publish(c, access.org_id, TOPIC_CONVERSATION, id, None).await?;
            Ok(conversation)
        })
        .await
    }
}

pub(crate) async fn find_conversation(c: &mut Conn, id: Uuid) -> Result<Conversation, CommonError> {
    conversations::table
        .filter(conversations::id.eq(id))
        .select(Conversation::as_select())
        .first(c)
        .await
        .optional()?
        .ok_or(CommonError::NotFound("conversation"))
}

/// Clears a conversation's unread count; returns it and the wamid of its last inbound message
/// (to mark read at Meta), in the caller's transaction.
pub(crate) async fn mark_conversation_read(
    c: &mut Conn,
    org_id: Uuid,
    id: Uuid,
) -> Result<(Conversation, Option<String>), CommonError> {
    let conversation = update_conversation(c, id, conversations::unread_count.eq(0)).await?;
    let last_inbound: Option<Option<String>> = messages::table
        .filter(messages::conversation_id.eq(id))
        .filter(messages::direction.eq(MessageDirection::Inbound))
        .order(messages::sent_at.desc())
        .select(messages::wamid)
        .first(c)
        .await
        .optional()?;
    publish(c, org_id, TOPIC_CONVERSATION, id, None).await?;
    Ok((conversation, last_inbound.flatten()))
}

async fn update_conversation<V>(
    c: &mut Conn,
    id: Uuid,
    change: V,
) -> Result<Conversation, CommonError>
where
    V: diesel::AsChangeset<Target = conversations::table> + Send,
    <V as diesel::AsChangeset>::Changeset:
        Send + diesel::query_builder::QueryFragment<diesel::pg::Pg>,
{
    diesel::update(conversations::table.filter(conversations::id.eq(id)))
        .set(change)
        .returning(Conversation::as_returning())
        .get_result(c)
        .await
        .optional()?
        .ok_or(CommonError::NotFound("conversation"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let c = TimeCursor {
            at: DateTime::from_timestamp_micros(1_795_000_000_123_456).unwrap(),
            id: Uuid::now_v7(),
        };
        assert_eq!(TimeCursor::decode(&c.encode()).unwrap(), c);
        assert!(TimeCursor::decode("nope").is_err());
    }

    #[test]
    fn labels_are_normalised_and_bounded() {
        assert_eq!(
            validate_labels(&["VIP".into(), " vip ".into(), "follow-up".into()]).unwrap(),
            vec!["vip", "follow-up"]
        );
        assert!(validate_labels(&["<script>".into()]).is_err());
        assert!(validate_labels(&vec!["a".to_string(); 21]).is_err());
    }

    #[test]
    fn the_window_is_24_hours_after_the_last_inbound_message() {
        let now = Utc::now();
        let mut c = Conversation {
            org_id: Uuid::nil(),
            id: Uuid::nil(),
            phone_number_id: Uuid::nil(),
            contact_id: Uuid::nil(),
            status: "open".into(),
            assignee_id: None,
            labels: vec![],
            unread_count: 0,
            last_message_at: None,
            last_inbound_at: None,
            last_message_preview: None,
            created_at: now,
            updated_at: now,
            handler: crate::agents::Handler::Team,
            agent_id: None,
            bot_episode_at: None,
            handoff_reason: None,
            handoff_at: None,
            bot_misses: 0,
        };
        assert!(!c.window_open(now));
        c.last_inbound_at = Some(now - Duration::hours(23));
        assert!(c.window_open(now));
        c.last_inbound_at = Some(now - Duration::hours(25));
        assert!(!c.window_open(now));
    }
}
