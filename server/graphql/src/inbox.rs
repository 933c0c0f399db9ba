//! The inbox in GraphQL: conversations, messages, contacts, numbers, notes, canned
//! responses, and their mutations.

use std::{
    collections::HashMap,
    hash::Hash,
    sync::{Arc, Mutex, PoisonError},
};

use async_graphql::{
    Context, Enum, ID, InputObject, Json, Object, SimpleObject, connection::Connection,
};
use chrono::{DateTime, Utc};
use tokio::sync::OnceCell;
use uuid::Uuid;
use wagent_domain::{
    Access, Domain, Intent, Page, Role,
    agents::AiTurn,
    inbox::{
        CannedResponse, Conversation, ConversationCard, ConversationFilter, ConversationLinks,
        ConversationStatus, Message, Note, PhoneNumber, PhoneNumberCard, TimeCursor,
    },
    whatsapp::Media,
};

use crate::{
    GqlResult,
    connection::WholeRows,
    contacts::ContactObject,
    guard, parse_id,
    plain::{PlainConnection, PlainJson, PlainObject, PlainSelection},
    require,
    types::{UserObject, load_user},
};

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(
    name = "ConversationStatus",
    remote = "wagent_domain::inbox::ConversationStatus"
)]
pub enum GqlConversationStatus {
    Open,
    Pending,
    Resolved,
}

/// Who wrote a message: the customer (INBOUND) or the business (OUTBOUND).
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(
    name = "MessageDirection",
    remote = "wagent_domain::inbox::MessageDirection"
)]
pub enum GqlMessageDirection {
    Inbound,
    Outbound,
}

/// What a message holds, by Meta's message types.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "MessageKind", remote = "wagent_domain::inbox::MessageKind")]
pub enum GqlMessageKind {
    Text,
    Image,
    Video,
    Audio,
    Document,
    Sticker,
    Location,
    Contacts,
    /// An answer from a button or a list (`text` is the chosen title).
    Interactive,
    /// A template's quick-reply button pressed.
    Button,
    Reaction,
    Order,
    /// Meta's notice, such as the customer's number changing.
    System,
    Template,
    /// A message type WAgent cannot show; `content` holds what Meta sent.
    Unsupported,
}

/// Where a message stands. Outbound: PENDING → ACCEPTED → SENT → DELIVERED → READ (→ PLAYED
/// for a voice note), or FAILED with Meta's code; a status never moves back, and FAILED is
/// final. Inbound: RECEIVED.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "MessageStatus", remote = "wagent_domain::inbox::MessageStatus")]
pub enum GqlMessageStatus {
    /// Queued here, not yet accepted by Meta.
    Pending,
    /// Meta accepted it.
    Accepted,
    Sent,
    Delivered,
    Read,
    /// A voice note was played.
    Played,
    /// Meta refused it or it could not be sent; see `error`. `retryMessage` sends it again.
    Failed,
    /// A customer's message.
    Received,
}

/// Filters for `Organization.conversations`.
#[derive(InputObject, Default)]
pub struct ConversationFilterInput {
    pub status: Option<GqlConversationStatus>,
    /// Conversations assigned to this member.
    pub assignee_id: Option<ID>,
    /// Only conversations assigned to nobody.
    pub unassigned: Option<bool>,
    pub unread_only: Option<bool>,
    pub phone_number_id: Option<ID>,
    pub label: Option<String>,
    /// Contact name, WhatsApp number or message text.
    pub search: Option<String>,
}

impl ConversationFilterInput {
    pub fn into_domain(self, ctx: &Context<'_>) -> async_graphql::Result<ConversationFilter> {
        let assignee = match (self.assignee_id, self.unassigned) {
            (Some(id), _) => Some(Some(parse_id(ctx, &id, "user")?)),
            (None, Some(true)) => Some(None),
            _ => None,
        };
        Ok(ConversationFilter {
            status: self.status.map(Into::into),
            assignee,
            unread_only: self.unread_only.unwrap_or(false),
            phone_number_id: self
                .phone_number_id
                .map(|id| parse_id(ctx, &id, "phone number"))
                .transpose()?,
            label: self.label,
            search: self.search,
        })
    }
}

/// A WhatsApp number connected to the organization, as Meta last described it.
#[derive(Clone)]
pub struct PhoneNumberObject(NumberRow);

/// A number as read: whole, or as a page of conversations read it, the page's numbers then
/// read whole together when a row is asked for anything else.
#[derive(Clone)]
enum NumberRow {
    Whole(Box<PhoneNumber>),
    Card(PhoneNumberCard, Arc<WholeRows<PhoneNumber>>),
}

impl NumberRow {
    fn id(&self) -> Uuid {
        match self {
            Self::Whole(n) => n.id,
            Self::Card(n, _) => n.id,
        }
    }

    fn phone_number_id(&self) -> &str {
        match self {
            Self::Whole(n) => &n.phone_number_id,
            Self::Card(n, _) => &n.phone_number_id,
        }
    }

    fn display_phone_number(&self) -> Option<&str> {
        match self {
            Self::Whole(n) => n.display_phone_number.as_deref(),
            Self::Card(n, _) => n.display_phone_number.as_deref(),
        }
    }

    fn verified_name(&self) -> Option<&str> {
        match self {
            Self::Whole(n) => n.verified_name.as_deref(),
            Self::Card(n, _) => n.verified_name.as_deref(),
        }
    }

    fn disconnected_at(&self) -> Option<DateTime<Utc>> {
        match self {
            Self::Whole(n) => n.disconnected_at,
            Self::Card(n, _) => n.disconnected_at,
        }
    }
}

impl PhoneNumberObject {
    pub fn new(number: PhoneNumber) -> Self {
        Self(NumberRow::Whole(Box::new(number)))
    }

    /// The whole number; for a page's row, the page's numbers are read on first need.
    async fn whole(&self, ctx: &Context<'_>) -> async_graphql::Result<&PhoneNumber> {
        match &self.0 {
            NumberRow::Whole(n) => Ok(n),
            NumberRow::Card(card, page) => {
                page.get(
                    ctx,
                    card.id,
                    "phone number",
                    |n| n.id,
                    async |ids| {
                        ctx.data_unchecked::<Domain>()
                            .phone_numbers_by_ids(page.access(), &ids)
                            .await
                    },
                )
                .await
            }
        }
    }
}

#[Object(name = "PhoneNumber", serial)]
impl PhoneNumberObject {
    async fn id(&self) -> ID {
        self.0.id().into()
    }
    /// Meta's phone number id.
    async fn phone_number_id(&self) -> &str {
        self.0.phone_number_id()
    }
    async fn display_phone_number(&self) -> Option<&str> {
        self.0.display_phone_number()
    }
    async fn verified_name(&self) -> Option<&str> {
        self.0.verified_name()
    }
    /// GREEN, YELLOW, RED or UNKNOWN.
    async fn quality_rating(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<&str>> {
        Ok(self.whole(ctx).await?.quality_rating.as_deref())
    }
    /// CONNECTED is needed to send.
    async fn status(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<&str>> {
        Ok(self.whole(ctx).await?.status.as_deref())
    }
    async fn name_status(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<&str>> {
        Ok(self.whole(ctx).await?.name_status.as_deref())
    }
    async fn messaging_limit(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<&str>> {
        Ok(self.whole(ctx).await?.messaging_limit.as_deref())
    }
    async fn throughput_level(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<&str>> {
        Ok(self.whole(ctx).await?.throughput_level.as_deref())
    }
    async fn refreshed_at(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<DateTime<Utc>>> {
        Ok(self.whole(ctx).await?.refreshed_at)
    }
    /// Set when the number was disconnected; its conversations stay readable.
    async fn disconnected_at(&self) -> Option<DateTime<Utc>> {
        self.0.disconnected_at()
    }
}

impl PlainObject for PhoneNumberObject {
    fn plain_field(&self, name: &str, _: PlainSelection<'_>, out: &mut PlainJson) -> Option<()> {
        match name {
            "id" => out.value(&self.0.id()),
            "phoneNumberId" => out.value(self.0.phone_number_id()),
            "displayPhoneNumber" => out.value(&self.0.display_phone_number()),
            "verifiedName" => out.value(&self.0.verified_name()),
            "disconnectedAt" => out.value(&self.0.disconnected_at()),
            _ => {
                // The rest only a whole number holds; a page's card goes through the
                // resolvers, which read the page's numbers.
                let NumberRow::Whole(n) = &self.0 else {
                    return None;
                };
                match name {
                    "qualityRating" => out.value(&n.quality_rating),
                    "status" => out.value(&n.status),
                    "nameStatus" => out.value(&n.name_status),
                    "messagingLimit" => out.value(&n.messaging_limit),
                    "throughputLevel" => out.value(&n.throughput_level),
                    "refreshedAt" => out.value(&n.refreshed_at),
                    _ => return None,
                }
            }
        }
        Some(())
    }
}

pub struct ConversationObject {
    pub access: Access,
    conversation: ConversationCard,
    links: Links,
    /// The page the conversation came on, when it came in a list: its rows read their
    /// messages and notes together.
    page: Option<Arc<PageReads>>,
}

/// What the rows of one page of conversations read together. The first row that asks for
/// its messages (notes, AI turns) reads them for every row of the page in one statement; the
/// others wait for that read and take their share. Each distinct set of arguments is one
/// read, so the statements of a request are bounded by its text, not by the page's size.
struct PageReads {
    conversations: Vec<Uuid>,
    threads: ReadsByArgs<ThreadArgs, Threads>,
    notes: OnceCell<HashMap<Uuid, Vec<Note>>>,
    ai_turns: ReadsByArgs<Option<i32>, HashMap<Uuid, Vec<AiTurn>>>,
}

/// One read per distinct set of arguments, made by the first row that asks; the other rows
/// with the same arguments wait for it and take their share.
struct ReadsByArgs<A, T>(Mutex<HashMap<A, Arc<OnceCell<T>>>>);

impl<A, T> Default for ReadsByArgs<A, T> {
    fn default() -> Self {
        Self(Mutex::default())
    }
}

impl<A: Eq + Hash, T> ReadsByArgs<A, T> {
    /// `take` of what `read` read for `args`, reading it when no row has yet.
    async fn share<R, F>(
        &self,
        args: A,
        read: impl FnOnce() -> F,
        take: impl FnOnce(&T) -> R,
    ) -> async_graphql::Result<R>
    where
        F: Future<Output = async_graphql::Result<T>>,
    {
        let cell = self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(args)
            .or_default()
            .clone();
        Ok(take(cell.get_or_try_init(read).await?))
    }
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct ThreadArgs {
    first: Option<i32>,
    after: Option<String>,
    turns: bool,
}

/// The messages of the page's conversations, with the AI turns behind the bot's messages
/// when the query shows them.
struct Threads {
    pages: HashMap<Uuid, Page<(Message, Option<Media>)>>,
    turns: HashMap<Uuid, AiTurn>,
}

impl PageReads {
    async fn thread(
        &self,
        ctx: &Context<'_>,
        access: &Access,
        conversation: Uuid,
        args: ThreadArgs,
    ) -> async_graphql::Result<(Page<(Message, Option<Media>)>, HashMap<Uuid, AiTurn>)> {
        let read_args = args.clone();
        self.threads
            .share(
                args,
                || async {
                    let domain = ctx.data_unchecked::<Domain>();
                    let pages = domain
                        .messages_of_conversations(
                            access,
                            &self.conversations,
                            read_args.first,
                            read_args.after.as_deref(),
                        )
                        .await
                        .gql(ctx)?;
                    let turns = if read_args.turns {
                        bot_turns(ctx, access, pages.values().flat_map(|p| &p.items)).await?
                    } else {
                        HashMap::new()
                    };
                    Ok(Threads { pages, turns })
                },
                |threads| {
                    let page = threads.pages.get(&conversation).cloned().unwrap_or(Page {
                        items: Vec::new(),
                        has_next: false,
                    });
                    let turns = page
                        .items
                        .iter()
                        .filter_map(|(m, _)| Some((m.id, threads.turns.get(&m.id)?.clone())))
                        .collect();
                    (page, turns)
                },
            )
            .await
    }

    async fn ai_turns(
        &self,
        ctx: &Context<'_>,
        access: &Access,
        conversation: Uuid,
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<AiTurn>> {
        self.ai_turns
            .share(
                first,
                || async {
                    ctx.data_unchecked::<Domain>()
                        .ai_turns_of_conversations(access, &self.conversations, first)
                        .await
                        .gql(ctx)
                },
                |turns| turns.get(&conversation).cloned().unwrap_or_default(),
            )
            .await
    }

    async fn notes(
        &self,
        ctx: &Context<'_>,
        access: &Access,
        conversation: Uuid,
    ) -> async_graphql::Result<Vec<Note>> {
        let notes = self
            .notes
            .get_or_try_init(|| async {
                ctx.data_unchecked::<Domain>()
                    .notes_of_conversations(access, &self.conversations)
                    .await
                    .gql(ctx)
            })
            .await?;
        Ok(notes.get(&conversation).cloned().unwrap_or_default())
    }
}

/// The AI turns behind the bot's messages among `messages`, in one statement.
async fn bot_turns(
    ctx: &Context<'_>,
    access: &Access,
    messages: impl Iterator<Item = &(Message, Option<Media>)>,
) -> async_graphql::Result<HashMap<Uuid, AiTurn>> {
    let ids: Vec<Uuid> = messages
        .filter(|(m, _)| m.agent_id.is_some())
        .map(|(m, _)| m.id)
        .collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(Box::pin(
        ctx.data_unchecked::<Domain>()
            .ai_turns_of_messages(access, &ids),
    )
    .await
    .gql(ctx)?
    .into_iter()
    .collect())
}

/// The contact, number and assignee: read with the row by the list statement (the inbox
/// page then costs the same statements whatever its size), or their ids, for a single
/// conversation (a mutation's answer, a subscription event) to read when asked.
// The rows of a page hold the large variant: boxing it would allocate once per row.
#[allow(clippy::large_enum_variant)]
enum Links {
    Read(Neighbours),
    Ids(ConversationLinks),
}

impl Links {
    fn read(&self) -> Option<&Neighbours> {
        match self {
            Links::Read(row) => Some(row),
            Links::Ids(_) => None,
        }
    }
}

struct Neighbours {
    contact: ContactObject,
    phone_number: PhoneNumberObject,
    assignee: Option<UserObject>,
}

impl ConversationObject {
    pub fn new(access: Access, conversation: Conversation) -> Self {
        let (conversation, links) = conversation.split();
        Self {
            access,
            conversation,
            links: Links::Ids(links),
            page: None,
        }
    }
}

// `serial`: the fields are resolved one after another. They are plain values or rows the
// list already read, and resolving them concurrently cost the inbox page more in futures
// bookkeeping than it saved (docs/PERFORMANCE.md). The same holds for the other row types.
// The fields that query box their future: async-graphql sizes every field's future like the
// largest one, and a transaction's future is kilobytes that each plain field would copy.
#[Object(name = "Conversation", serial)]
impl ConversationObject {
    async fn id(&self) -> ID {
        self.conversation.id.into()
    }
    async fn contact(&self, ctx: &Context<'_>) -> async_graphql::Result<ContactObject> {
        let links = match &self.links {
            Links::Read(row) => return Ok(row.contact.clone()),
            Links::Ids(links) => links,
        };
        let contact = Box::pin(
            ctx.data_unchecked::<Domain>()
                .contact(&self.access, links.contact_id),
        )
        .await
        .gql(ctx)?;
        Ok(ContactObject::new(contact, self.access.clone()))
    }
    async fn phone_number(&self, ctx: &Context<'_>) -> async_graphql::Result<PhoneNumberObject> {
        let links = match &self.links {
            Links::Read(row) => return Ok(row.phone_number.clone()),
            Links::Ids(links) => links,
        };
        let n = Box::pin(
            ctx.data_unchecked::<Domain>()
                .phone_number(&self.access, links.phone_number_id),
        )
        .await
        .gql(ctx)?;
        Ok(PhoneNumberObject::new(n))
    }
    async fn status(&self) -> GqlConversationStatus {
        ConversationStatus::parse(&self.conversation.status).into()
    }
    async fn assignee(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<UserObject>> {
        match &self.links {
            Links::Read(row) => Ok(row.assignee.as_ref().map(|u| UserObject(u.0.clone()))),
            Links::Ids(links) => Box::pin(load_user(ctx, links.assignee_id)).await,
        }
    }
    async fn labels(&self) -> &[String] {
        &self.conversation.labels
    }
    async fn unread_count(&self) -> i32 {
        self.conversation.unread_count
    }
    async fn last_message_at(&self) -> Option<DateTime<Utc>> {
        self.conversation.last_message_at
    }
    async fn last_message_preview(&self) -> Option<&str> {
        self.conversation.last_message_preview.as_deref()
    }
    /// Until when free-form messages may be sent (24 hours after the customer last wrote);
    /// null if the customer never wrote. Outside the window only templates go out.
    async fn window_open_until(&self) -> Option<DateTime<Utc>> {
        self.conversation.window_open_until()
    }
    /// Who answers: an AI agent (BOT) or people (TEAM).
    async fn handler(&self) -> crate::agents::GqlHandler {
        self.conversation.handler.into()
    }
    /// The AI agent that handles (or last handled) it.
    async fn agent_id(&self) -> Option<ID> {
        self.conversation.agent_id.map(Into::into)
    }
    /// Why the bot handed it to the team, when it did.
    async fn handoff_reason(&self) -> Option<&str> {
        self.conversation.handoff_reason.as_deref()
    }
    async fn handoff_at(&self) -> Option<DateTime<Utc>> {
        self.conversation.handoff_at
    }
    /// The AI turns in this conversation, newest first: sources, model, cost.
    #[graphql(complexity = "crate::connection::list_cost(first, child_complexity)")]
    async fn ai_turns(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<crate::agents::AiTurnObject>> {
        require(ctx, &self.access, Role::Member)?;
        match &self.page {
            Some(reads) => {
                let turns =
                    Box::pin(reads.ai_turns(ctx, &self.access, self.conversation.id, first))
                        .await?;
                Ok(turns.into_iter().map(Into::into).collect())
            }
            None => {
                Box::pin(crate::agents::conversation_turns(
                    ctx,
                    &self.access,
                    self.conversation.id,
                    first,
                ))
                .await
            }
        }
    }
    async fn window_open(&self) -> bool {
        self.conversation.window_open(Utc::now())
    }
    /// Newest first.
    #[graphql(complexity = "crate::connection::list_cost(first, child_complexity)")]
    async fn messages(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, MessageObject>> {
        require(ctx, &self.access, Role::Member)?;
        // The AI turns behind the bot's messages, read with them when the page shows them.
        let wants_turns = crate::connection::rows_want(ctx, "aiTurn");
        let (page, mut turns) = match &self.page {
            Some(reads) => {
                let args = ThreadArgs {
                    first,
                    after: after.clone(),
                    turns: wants_turns,
                };
                Box::pin(reads.thread(ctx, &self.access, self.conversation.id, args)).await?
            }
            None => {
                let page = Box::pin(ctx.data_unchecked::<Domain>().messages(
                    &self.access,
                    self.conversation.id,
                    first,
                    after.as_deref(),
                ))
                .await
                .gql(ctx)?;
                let turns = if wants_turns {
                    Box::pin(bot_turns(ctx, &self.access, page.items.iter())).await?
                } else {
                    HashMap::new()
                };
                (page, turns)
            }
        };
        let mut c = Connection::new(after.is_some(), page.has_next);
        c.edges.extend(page.items.into_iter().map(|(m, media)| {
            let ai_turn = wants_turns.then(|| turns.remove(&m.id));
            let cursor = TimeCursor {
                at: m.sent_at,
                id: m.id,
            }
            .encode();
            async_graphql::connection::Edge::new(
                cursor,
                MessageObject {
                    message: m,
                    access: self.access.clone(),
                    media: Some(media),
                    ai_turn,
                },
            )
        }));
        Ok(c)
    }
    /// Internal notes, oldest first; never sent to the customer.
    async fn notes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<NoteObject>> {
        require(ctx, &self.access, Role::Member)?;
        let notes = match &self.page {
            Some(reads) => Box::pin(reads.notes(ctx, &self.access, self.conversation.id)).await?,
            None => Box::pin(
                ctx.data_unchecked::<Domain>()
                    .notes(&self.access, self.conversation.id),
            )
            .await
            .gql(ctx)?,
        };
        Ok(notes.into_iter().map(NoteObject).collect())
    }
}

impl PlainObject for ConversationObject {
    fn plain_field(
        &self,
        name: &str,
        selection: PlainSelection<'_>,
        out: &mut PlainJson,
    ) -> Option<()> {
        let c = &self.conversation;
        match name {
            "id" => out.value(&c.id),
            "contact" => return selection.object(&self.links.read()?.contact, out),
            "phoneNumber" => {
                return selection.object(&self.links.read()?.phone_number, out);
            }
            "assignee" => {
                return selection.optional(self.links.read()?.assignee.as_ref(), out);
            }
            "status" => out.enum_item(GqlConversationStatus::from(ConversationStatus::parse(
                &c.status,
            ))),
            "labels" => out.value(&c.labels),
            "unreadCount" => out.value(&c.unread_count),
            "lastMessageAt" => out.value(&c.last_message_at),
            "lastMessagePreview" => out.value(&c.last_message_preview),
            "windowOpenUntil" => out.value(&c.window_open_until()),
            "windowOpen" => out.value(&c.window_open(Utc::now())),
            "handler" => out.enum_item(crate::agents::GqlHandler::from(c.handler)),
            "agentId" => out.value(&c.agent_id),
            "handoffReason" => out.value(&c.handoff_reason),
            "handoffAt" => out.value(&c.handoff_at),
            _ => return None,
        }
        Some(())
    }
}

/// A failure Meta reported for an outbound message.
#[derive(SimpleObject)]
pub struct MessageError {
    /// Meta's error code, e.g. 131047 (the 24-hour window had closed).
    pub code: Option<i32>,
    pub text: Option<String>,
}

pub struct MessageObject {
    message: Message,
    access: Access,
    /// The message's file when the list statement read it with the row (`Some(None)`: it
    /// has none); a single message reads it when asked.
    media: Option<Option<Media>>,
    /// The AI turn behind a bot's message, when the list read it.
    ai_turn: Option<Option<wagent_domain::agents::AiTurn>>,
}

impl MessageObject {
    pub fn new(message: Message, access: Access) -> Self {
        Self {
            message,
            access,
            media: None,
            ai_turn: None,
        }
    }
}

#[Object(name = "Message", serial)]
impl MessageObject {
    async fn id(&self) -> ID {
        self.message.id.into()
    }
    async fn conversation_id(&self) -> ID {
        self.message.conversation_id.into()
    }
    async fn direction(&self) -> GqlMessageDirection {
        self.message.direction.into()
    }
    /// Meta's message id.
    async fn wamid(&self) -> Option<&str> {
        self.message.wamid.as_deref()
    }
    async fn kind(&self) -> GqlMessageKind {
        self.message.kind.into()
    }
    /// The text to show: the body, a caption, a button title, a location name...
    async fn text(&self) -> Option<&str> {
        self.message.body.as_deref()
    }
    /// The message's structured content, by kind.
    async fn content(&self) -> Json<serde_json::Value> {
        Json(self.message.payload.clone())
    }
    async fn status(&self) -> GqlMessageStatus {
        self.message.status.into()
    }
    async fn status_at(&self) -> DateTime<Utc> {
        self.message.status_at
    }
    async fn error(&self) -> Option<MessageError> {
        (self.message.error_code.is_some() || self.message.error_text.is_some()).then(|| {
            MessageError {
                code: self.message.error_code,
                text: self.message.error_text.clone(),
            }
        })
    }
    /// The wamid this message replies to.
    async fn reply_to_wamid(&self) -> Option<&str> {
        self.message.reply_to_wamid.as_deref()
    }
    /// The AI agent that wrote it, for the bot's messages.
    async fn agent_id(&self) -> Option<ID> {
        self.message.agent_id.map(Into::into)
    }
    /// For the bot's messages: the AI turn that wrote it, with its sources.
    async fn ai_turn(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<crate::agents::AiTurnObject>> {
        if self.message.agent_id.is_none() {
            return Ok(None);
        }
        let turn = match &self.ai_turn {
            Some(read) => read.clone(),
            None => Box::pin(
                ctx.data_unchecked::<Domain>()
                    .ai_turns_of_messages(&self.access, &[self.message.id]),
            )
            .await
            .gql(ctx)?
            .into_iter()
            .next()
            .map(|(_, t)| t),
        };
        Ok(turn.map(Into::into))
    }
    async fn sent_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<UserObject>> {
        Box::pin(load_user(ctx, self.message.sent_by)).await
    }
    async fn sent_at(&self) -> DateTime<Utc> {
        self.message.sent_at
    }
    /// The message's image, audio, video, sticker or document, once downloaded.
    async fn media(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<MediaObject>> {
        let domain = ctx.data_unchecked::<Domain>();
        let media = match &self.media {
            Some(read) => read.clone(),
            None => Box::pin(domain.message_media(&self.access, self.message.id))
                .await
                .gql(ctx)?,
        };
        let Some(m) = media else {
            return Ok(None);
        };
        let status = if m.stored_at.is_some() {
            "STORED"
        } else if m.error.is_some() {
            "FAILED"
        } else {
            "PENDING"
        };
        let url = m
            .stored_at
            .map(|_| domain.media_link(self.access.org_id(), m.id))
            .transpose()
            .gql(ctx)?;
        Ok(Some(MediaObject {
            url,
            mime_type: m.mime_type,
            file_name: m.file_name,
            size: m.file_size,
            status: status.into(),
            error: m.error,
        }))
    }
}

/// A media file; `url` works for ten minutes.
#[derive(SimpleObject)]
#[graphql(name = "Media")]
pub struct MediaObject {
    url: Option<String>,
    mime_type: Option<String>,
    file_name: Option<String>,
    size: Option<i64>,
    /// PENDING (being downloaded), STORED or FAILED.
    status: String,
    error: Option<String>,
}

pub struct NoteObject(pub Note);

#[Object(name = "Note")]
impl NoteObject {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn body(&self) -> &str {
        &self.0.body
    }
    async fn author(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<UserObject>> {
        load_user(ctx, self.0.author_id).await
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

#[derive(SimpleObject)]
#[graphql(name = "CannedResponse")]
pub struct CannedResponseObject {
    id: ID,
    /// Typed as `/shortcut` in the composer.
    shortcut: String,
    body: String,
    created_at: DateTime<Utc>,
}

impl From<CannedResponse> for CannedResponseObject {
    fn from(c: CannedResponse) -> Self {
        Self {
            id: c.id.into(),
            shortcut: c.shortcut,
            body: c.body,
            created_at: c.created_at,
        }
    }
}

/// Conversations of the organization, for `Organization.conversations`.
pub async fn conversations(
    ctx: &Context<'_>,
    access: &Access,
    filter: Option<ConversationFilterInput>,
    first: Option<i32>,
    after: Option<String>,
) -> async_graphql::Result<PlainConnection<ConversationObject>> {
    require(ctx, access, Role::Member)?;
    let filter = filter.unwrap_or_default().into_domain(ctx)?;
    let page = ctx
        .data_unchecked::<Domain>()
        .conversation_summaries(access, &filter, first, after.as_deref())
        .await
        .gql(ctx)?;
    let reads = Arc::new(PageReads {
        conversations: page.items.iter().map(|r| r.conversation.id).collect(),
        threads: ReadsByArgs::default(),
        notes: OnceCell::new(),
        ai_turns: ReadsByArgs::default(),
    });
    let contacts = WholeRows::new(
        access.clone(),
        page.items.iter().map(|r| r.contact.id).collect(),
    );
    let numbers = WholeRows::new(
        access.clone(),
        page.items.iter().map(|r| r.phone_number.id).collect(),
    );
    let mut c = Connection::new(after.is_some(), page.has_next);
    c.edges.extend(page.items.into_iter().map(|row| {
        let conversation = row.conversation;
        let links = Links::Read(Neighbours {
            contact: ContactObject::card(row.contact, contacts.clone(), access.clone()),
            phone_number: PhoneNumberObject(NumberRow::Card(row.phone_number, numbers.clone())),
            assignee: row.assignee.map(UserObject),
        });
        let at = conversation
            .last_message_at
            .unwrap_or(conversation.created_at);
        let cursor = TimeCursor {
            at,
            id: conversation.id,
        }
        .encode();
        async_graphql::connection::Edge::new(
            cursor,
            ConversationObject {
                access: access.clone(),
                conversation,
                links,
                page: Some(reads.clone()),
            },
        )
    }));
    Ok(PlainConnection(c))
}

#[derive(InputObject)]
struct AssignConversationInput {
    organization_id: ID,
    conversation_id: ID,
    /// Null to unassign.
    assignee_id: Option<ID>,
}

#[derive(InputObject)]
struct SetConversationStatusInput {
    organization_id: ID,
    conversation_id: ID,
    status: GqlConversationStatus,
}

#[derive(InputObject)]
struct SetConversationLabelsInput {
    organization_id: ID,
    conversation_id: ID,
    labels: Vec<String>,
}

#[derive(InputObject)]
struct ConversationRefInput {
    organization_id: ID,
    conversation_id: ID,
}

#[derive(InputObject)]
struct AddNoteInput {
    organization_id: ID,
    conversation_id: ID,
    body: String,
}

#[derive(InputObject)]
struct CreateCannedResponseInput {
    organization_id: ID,
    shortcut: String,
    body: String,
}

#[derive(InputObject)]
struct DeleteCannedResponseInput {
    organization_id: ID,
    canned_response_id: ID,
}

#[derive(Default)]
pub struct InboxMutation;

fn domain<'a>(ctx: &'a Context<'_>) -> &'a Domain {
    ctx.data_unchecked::<Domain>()
}

#[Object]
impl InboxMutation {
    /// Any member; the assignee must be a member.
    async fn assign_conversation(
        &self,
        ctx: &Context<'_>,
        input: AssignConversationInput,
    ) -> async_graphql::Result<ConversationObject> {
        let access = guard(ctx, &input.organization_id, Role::Member, Intent::Write).await?;
        let id = parse_id(ctx, &input.conversation_id, "conversation")?;
        let assignee = input
            .assignee_id
            .map(|a| parse_id(ctx, &a, "user"))
            .transpose()?;
        let conversation = domain(ctx)
            .assign_conversation(&access, id, assignee)
            .await
            .gql(ctx)?;
        Ok(ConversationObject::new(access, conversation))
    }

    async fn set_conversation_status(
        &self,
        ctx: &Context<'_>,
        input: SetConversationStatusInput,
    ) -> async_graphql::Result<ConversationObject> {
        let access = guard(ctx, &input.organization_id, Role::Member, Intent::Write).await?;
        let id = parse_id(ctx, &input.conversation_id, "conversation")?;
        let conversation = domain(ctx)
            .set_conversation_status(&access, id, input.status.into())
            .await
            .gql(ctx)?;
        Ok(ConversationObject::new(access, conversation))
    }

    async fn set_conversation_labels(
        &self,
        ctx: &Context<'_>,
        input: SetConversationLabelsInput,
    ) -> async_graphql::Result<ConversationObject> {
        let access = guard(ctx, &input.organization_id, Role::Member, Intent::Write).await?;
        let id = parse_id(ctx, &input.conversation_id, "conversation")?;
        let conversation = domain(ctx)
            .set_conversation_labels(&access, id, &input.labels)
            .await
            .gql(ctx)?;
        Ok(ConversationObject::new(access, conversation))
    }

    /// Clears the unread count and tells Meta the customer's last message was read.
    async fn mark_conversation_read(
        &self,
        ctx: &Context<'_>,
        input: ConversationRefInput,
    ) -> async_graphql::Result<ConversationObject> {
        let access = guard(ctx, &input.organization_id, Role::Member, Intent::Write).await?;
        let id = parse_id(ctx, &input.conversation_id, "conversation")?;
        let conversation = domain(ctx).mark_read(&access, id).await.gql(ctx)?;
        Ok(ConversationObject::new(access, conversation))
    }

    async fn add_note(
        &self,
        ctx: &Context<'_>,
        input: AddNoteInput,
    ) -> async_graphql::Result<NoteObject> {
        let access = guard(ctx, &input.organization_id, Role::Member, Intent::Write).await?;
        let id = parse_id(ctx, &input.conversation_id, "conversation")?;
        Ok(NoteObject(
            domain(ctx)
                .add_note(&access, id, &input.body)
                .await
                .gql(ctx)?,
        ))
    }

    /// Admin or Owner.
    async fn create_canned_response(
        &self,
        ctx: &Context<'_>,
        input: CreateCannedResponseInput,
    ) -> async_graphql::Result<CannedResponseObject> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        Ok(domain(ctx)
            .create_canned_response(&access, &input.shortcut, &input.body)
            .await
            .gql(ctx)?
            .into())
    }

    /// Admin or Owner.
    async fn delete_canned_response(
        &self,
        ctx: &Context<'_>,
        input: DeleteCannedResponseInput,
    ) -> async_graphql::Result<ID> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        let id = parse_id(ctx, &input.canned_response_id, "canned response")?;
        Ok(domain(ctx)
            .delete_canned_response(&access, id)
            .await
            .gql(ctx)?
            .into())
    }
}

/// Used by `Organization` fields.
pub async fn conversation(
    ctx: &Context<'_>,
    access: &Access,
    id: &ID,
) -> async_graphql::Result<ConversationObject> {
    let id: Uuid = parse_id(ctx, id, "conversation")?;
    let conversation = ctx
        .data_unchecked::<Domain>()
        .conversation(access, id)
        .await
        .gql(ctx)?;
    Ok(ConversationObject::new(access.clone(), conversation))
}
