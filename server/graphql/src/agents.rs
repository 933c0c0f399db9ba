//! AI agents and their knowledge in GraphQL: sources (files are uploaded over REST, URLs
//! added here), chunks, agents and their settings, the playground (`testAgent`), who
//! handles a conversation, and every AI turn with its sources and cost.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;
use wagent_domain::{
    Access, Domain, Intent, Role,
    agents::{Agent, AgentAnswer, AgentPatch, AiTurn, AiUsage, BusinessHours, Speaker, Turn},
    knowledge::{Chunk, KnowledgeSource, NewUrlSource, Passage},
};

use crate::{GqlResult, InputError, guard, inbox::ConversationObject, parse_id, to_gql};

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(
    name = "KnowledgeSourceStatus",
    remote = "wagent_domain::knowledge::SourceStatus"
)]
pub enum GqlSourceStatus {
    Queued,
    /// Being read: `progress` says how far.
    Processing,
    Ready,
    /// Could not be read (`statusReason` says why); chunks of an earlier read stay.
    Failed,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(
    name = "KnowledgeSourceKind",
    remote = "wagent_domain::knowledge::SourceKind"
)]
pub enum GqlSourceKind {
    File,
    Url,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(
    name = "ConversationHandler",
    remote = "wagent_domain::agents::Handler"
)]
pub enum GqlHandler {
    /// An AI agent answers.
    Bot,
    /// People answer; the bot stays silent.
    Team,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "AiTurnOutcome", remote = "wagent_domain::agents::TurnOutcome")]
pub enum GqlTurnOutcome {
    /// The model answered.
    Answered,
    /// No model (none configured, or it failed): the best passage was quoted.
    Fallback,
    Handoff,
    OutOfHours,
    /// A person answered first, or the conversation left the bot meanwhile: nothing sent.
    Silenced,
    Failed,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "TurnSpeaker")]
pub enum GqlSpeaker {
    Customer,
    Bot,
    Team,
}

/// A page of a crawl that could not be read.
#[derive(SimpleObject)]
#[graphql(name = "KnowledgePageError")]
pub struct PageError {
    url: String,
    reason: String,
}

pub struct KnowledgeSourceObject {
    source: KnowledgeSource,
    access: Access,
}

#[Object(name = "KnowledgeSource")]
impl KnowledgeSourceObject {
    async fn id(&self) -> ID {
        self.source.id.into()
    }
    async fn kind(&self) -> GqlSourceKind {
        self.source.kind.into()
    }
    async fn title(&self) -> &str {
        &self.source.title
    }
    async fn file_name(&self) -> Option<&str> {
        self.source.file_name.as_deref()
    }
    async fn content_type(&self) -> Option<&str> {
        self.source.content_type.as_deref()
    }
    /// Bytes, for a file.
    async fn size(&self) -> Option<i64> {
        self.source.size
    }
    async fn url(&self) -> Option<&str> {
        self.source.url.as_deref()
    }
    /// Links followed from the first page (0: that page only).
    async fn crawl_depth(&self) -> i32 {
        self.source.crawl_depth
    }
    async fn crawl_max_pages(&self) -> i32 {
        self.source.crawl_max_pages
    }
    /// Hours between automatic re-crawls, when set.
    async fn recrawl_hours(&self) -> Option<i32> {
        self.source.recrawl_hours
    }
    /// The language of its text (en, pt, es, ...): how its words are stemmed for search.
    async fn language(&self) -> &str {
        &self.source.language
    }
    async fn status(&self) -> GqlSourceStatus {
        self.source.status.into()
    }
    async fn status_reason(&self) -> Option<&str> {
        self.source.status_reason.as_deref()
    }
    /// Pages (or files) read so far, of `progressTotal`.
    async fn progress_done(&self) -> i32 {
        self.source.progress_done
    }
    async fn progress_total(&self) -> i32 {
        self.source.progress_total
    }
    async fn pages(&self) -> i32 {
        self.source.pages
    }
    async fn chunk_count(&self) -> i32 {
        self.source.chunk_count
    }
    /// Pages of a crawl that failed, with their reasons.
    async fn page_errors(&self) -> Vec<PageError> {
        self.source
            .page_errors()
            .into_iter()
            .map(|(url, reason)| PageError { url, reason })
            .collect()
    }
    /// Why its chunks have no embeddings although an embeddings endpoint is configured (it
    /// is searched by its text alone).
    async fn embedding_error(&self) -> Option<&str> {
        self.source.embedding_error.as_deref()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.source.created_at
    }
    async fn ingested_at(&self) -> Option<DateTime<Utc>> {
        self.source.ingested_at
    }
    /// Its chunks in order, a page at a time (`after`: the last `ordinal` seen).
    #[graphql(complexity = "crate::connection::list_cost(first, child_complexity)")]
    async fn chunks(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<i32>,
    ) -> async_graphql::Result<ChunkPage> {
        let page = ctx
            .data_unchecked::<Domain>()
            .knowledge_chunks(&self.access, self.source.id, first, after)
            .await
            .gql(ctx)?;
        Ok(ChunkPage {
            items: page.items.into_iter().map(ChunkObject::from).collect(),
            has_next: page.has_next,
        })
    }
}

/// A page of chunks.
#[derive(SimpleObject)]
#[graphql(name = "KnowledgeChunkPage")]
pub struct ChunkPage {
    items: Vec<ChunkObject>,
    has_next: bool,
}

#[derive(SimpleObject)]
#[graphql(name = "KnowledgeChunk")]
pub struct ChunkObject {
    id: ID,
    source_id: ID,
    ordinal: i32,
    /// The crawled page it came from.
    url: Option<String>,
    page_title: Option<String>,
    /// The PDF page where it starts.
    page: Option<i32>,
    heading_path: Vec<String>,
    text: String,
}

impl From<Chunk> for ChunkObject {
    fn from(c: Chunk) -> Self {
        Self {
            id: c.id.into(),
            source_id: c.source_id.into(),
            ordinal: c.ordinal,
            url: c.url,
            page_title: c.page_title,
            page: c.page,
            heading_path: c.heading_path,
            text: c.text,
        }
    }
}

/// A passage an answer stands on.
#[derive(SimpleObject, Clone)]
#[graphql(name = "KnowledgePassage")]
pub struct PassageObject {
    chunk_id: ID,
    source_id: ID,
    /// The source's title (a crawled page's own title).
    title: String,
    /// "Title › Heading (p. 3)".
    citation: String,
    heading_path: Vec<String>,
    page: Option<i32>,
    url: Option<String>,
    text: String,
    /// The fused rank score: higher is better, comparable within one answer.
    score: f64,
    /// Whether it holds an answer to the question, not only some of its words.
    grounded: bool,
    /// Cosine similarity of the question's embedding to the passage's (only with an
    /// embeddings endpoint configured).
    semantic: Option<f64>,
}

impl From<Passage> for PassageObject {
    fn from(p: Passage) -> Self {
        Self {
            chunk_id: p.chunk_id.into(),
            source_id: p.source_id.into(),
            citation: p.citation(),
            grounded: p.grounded(),
            title: p.title,
            heading_path: p.heading_path,
            page: p.page,
            url: p.url,
            text: p.text,
            score: p.score,
            semantic: p.semantic,
        }
    }
}

/// Opening hours on one weekday.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(name = "OpeningHours", input_name = "OpeningHoursInput")]
pub struct OpeningHours {
    /// mon, tue, wed, thu, fri, sat or sun.
    day: String,
    /// "09:00".
    from: String,
    /// "18:00".
    to: String,
}

/// When an agent answers; outside it sends the out-of-hours message once.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(name = "BusinessHours", input_name = "BusinessHoursInput")]
pub struct BusinessHoursObject {
    /// An IANA time zone, e.g. America/Sao_Paulo.
    time_zone: String,
    /// Opening intervals; a day not named is closed.
    #[graphql(name = "hours")]
    hours: Vec<OpeningHours>,
}

impl From<BusinessHours> for BusinessHoursObject {
    fn from(h: BusinessHours) -> Self {
        Self {
            time_zone: h.time_zone,
            hours: h
                .days
                .into_iter()
                .flat_map(|(day, intervals)| {
                    intervals.into_iter().map(move |(from, to)| OpeningHours {
                        day: day.clone(),
                        from,
                        to,
                    })
                })
                .collect(),
        }
    }
}

impl From<BusinessHoursObject> for BusinessHours {
    fn from(h: BusinessHoursObject) -> Self {
        let mut days = std::collections::BTreeMap::<String, Vec<(String, String)>>::new();
        for o in h.hours {
            days.entry(o.day).or_default().push((o.from, o.to));
        }
        Self {
            time_zone: h.time_zone,
            days,
        }
    }
}

pub struct AgentObject {
    agent: Agent,
    access: Access,
}

#[Object(name = "Agent")]
impl AgentObject {
    async fn id(&self) -> ID {
        self.agent.id.into()
    }
    async fn name(&self) -> &str {
        &self.agent.name
    }
    async fn system_prompt(&self) -> &str {
        &self.agent.system_prompt
    }
    async fn tone(&self) -> &str {
        &self.agent.tone
    }
    /// Rules it must follow.
    async fn rules(&self) -> &[String] {
        &self.agent.rules
    }
    /// Languages it answers in (the customer's, when among them); empty: any.
    async fn languages(&self) -> &[String] {
        &self.agent.languages
    }
    /// The model; null: the server's default.
    async fn model(&self) -> Option<&str> {
        self.agent.model.as_deref()
    }
    async fn temperature(&self) -> f64 {
        f64::from(self.agent.temperature)
    }
    async fn max_answer_chars(&self) -> i32 {
        self.agent.max_answer_chars
    }
    /// The provider's thinking mode (slower; off by default).
    async fn thinking(&self) -> bool {
        self.agent.thinking
    }
    /// Its knowledge sources; empty: all the organization's.
    async fn knowledge_source_ids(&self) -> Vec<ID> {
        self.agent
            .knowledge_source_ids
            .iter()
            .map(|&i| i.into())
            .collect()
    }
    /// The numbers it answers on.
    async fn phone_number_ids(&self) -> Vec<ID> {
        self.agent
            .phone_number_ids
            .iter()
            .map(|&i| i.into())
            .collect()
    }
    /// Null: always open.
    async fn business_hours(&self) -> Option<BusinessHoursObject> {
        self.agent.business_hours().map(Into::into)
    }
    async fn out_of_hours_message(&self) -> Option<&str> {
        self.agent.out_of_hours_message.as_deref()
    }
    /// Whether it may hand conversations to the team at all.
    async fn handoff_allowed(&self) -> bool {
        self.agent.handoff_allowed
    }
    async fn handoff_keywords(&self) -> &[String] {
        &self.agent.handoff_keywords
    }
    /// Hand over when the customer asks for a person.
    async fn handoff_on_request(&self) -> bool {
        self.agent.handoff_on_request
    }
    /// Hand over when the knowledge holds no answer.
    async fn handoff_on_no_answer(&self) -> bool {
        self.agent.handoff_on_no_answer
    }
    /// Hand over after this many answers in a row without grounding (0: never).
    async fn handoff_after_misses(&self) -> i32 {
        self.agent.handoff_after_misses
    }
    /// What the customer is told, once, when handed over.
    async fn handoff_message(&self) -> &str {
        &self.agent.handoff_message
    }
    /// How long it waits for more messages before answering them together.
    async fn debounce_ms(&self) -> i32 {
        self.agent.debounce_ms
    }
    async fn enabled(&self) -> bool {
        self.agent.enabled
    }
    /// Why it stopped answering on its own (the provider refused the key, or no balance).
    async fn paused_reason(&self) -> Option<&str> {
        self.agent.paused_reason.as_deref()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.agent.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.agent.updated_at
    }
    /// Its latest AI turns, newest first.
    #[graphql(complexity = "crate::connection::list_cost(first, child_complexity)")]
    async fn turns(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        before: Option<DateTime<Utc>>,
    ) -> async_graphql::Result<Vec<AiTurnObject>> {
        let page = ctx
            .data_unchecked::<Domain>()
            .ai_turns(&self.access, Some(self.agent.id), None, first, before)
            .await
            .gql(ctx)?;
        Ok(page.items.into_iter().map(AiTurnObject::from).collect())
    }
}

/// One AI turn: what it did, from which passages, with which model, at what cost.
#[derive(SimpleObject)]
#[graphql(name = "AiTurn")]
pub struct AiTurnObject {
    id: ID,
    agent_id: Option<ID>,
    conversation_id: Option<ID>,
    /// The message it sent.
    message_id: Option<ID>,
    outcome: GqlTurnOutcome,
    handoff_reason: Option<String>,
    error: Option<String>,
    model: Option<String>,
    prompt_tokens: i32,
    completion_tokens: i32,
    /// Prompt tokens the provider served from its cache (cheaper).
    cache_hit_tokens: i32,
    latency_ms: i32,
    /// Estimated cost in millionths of a US dollar.
    cost_micros: i64,
    sources: Vec<PassageObject>,
    created_at: DateTime<Utc>,
}

impl From<AiTurn> for AiTurnObject {
    fn from(t: AiTurn) -> Self {
        Self {
            id: t.id.into(),
            agent_id: t.agent_id.map(Into::into),
            conversation_id: t.conversation_id.map(Into::into),
            message_id: t.message_id.map(Into::into),
            outcome: t.outcome.into(),
            sources: t.sources().into_iter().map(Into::into).collect(),
            handoff_reason: t.handoff_reason,
            error: t.error,
            model: t.model,
            prompt_tokens: t.prompt_tokens,
            completion_tokens: t.completion_tokens,
            cache_hit_tokens: t.cache_hit_tokens,
            latency_ms: t.latency_ms,
            cost_micros: t.cost_micros,
            created_at: t.created_at,
        }
    }
}

/// AI usage of one month.
#[derive(SimpleObject)]
#[graphql(name = "AiUsageMonth")]
pub struct AiUsageObject {
    /// The month's first day.
    month: NaiveDate,
    /// Answers sent to customers (billable WhatsApp messages).
    replies: i32,
    prompt_tokens: i64,
    completion_tokens: i64,
    cost_micros: i64,
}

impl From<AiUsage> for AiUsageObject {
    fn from(u: AiUsage) -> Self {
        Self {
            month: u.month,
            replies: u.replies,
            prompt_tokens: u.prompt_tokens,
            completion_tokens: u.completion_tokens,
            cost_micros: u.cost_micros,
        }
    }
}

/// What `testAgent` answers; nothing is sent.
#[derive(SimpleObject)]
#[graphql(name = "AgentReply")]
pub struct AgentReplyObject {
    /// The answer; null when it hands over without words of its own.
    text: Option<String>,
    /// Whether it hands the conversation to the team.
    handoff: bool,
    handoff_reason: Option<String>,
    outcome: GqlTurnOutcome,
    sources: Vec<PassageObject>,
    model: Option<String>,
    latency_ms: i64,
    /// Why the provider failed, when it did (the answer is then the offline one).
    error: Option<String>,
}

impl From<AgentAnswer> for AgentReplyObject {
    fn from(a: AgentAnswer) -> Self {
        Self {
            handoff: a.handoff.is_some(),
            handoff_reason: a.handoff,
            text: a.text,
            outcome: a.outcome.into(),
            sources: a.sources.into_iter().map(Into::into).collect(),
            model: a.model,
            latency_ms: a.latency_ms,
            error: a.error,
        }
    }
}

/// An earlier turn given to `testAgent`.
#[derive(InputObject)]
#[graphql(name = "AgentTurnInput")]
pub struct TurnInput {
    speaker: GqlSpeaker,
    text: String,
}

#[derive(InputObject, Default)]
pub struct AgentInput {
    organization_id: ID,
    name: Option<String>,
    system_prompt: Option<String>,
    tone: Option<String>,
    rules: Option<Vec<String>>,
    languages: Option<Vec<String>>,
    /// Empty string: the server's default model.
    model: Option<String>,
    temperature: Option<f64>,
    max_answer_chars: Option<i32>,
    thinking: Option<bool>,
    knowledge_source_ids: Option<Vec<ID>>,
    phone_number_ids: Option<Vec<ID>>,
    business_hours: Option<BusinessHoursInputOrNone>,
    out_of_hours_message: Option<String>,
    handoff_allowed: Option<bool>,
    handoff_keywords: Option<Vec<String>>,
    handoff_on_request: Option<bool>,
    handoff_on_no_answer: Option<bool>,
    handoff_after_misses: Option<i32>,
    handoff_message: Option<String>,
    debounce_ms: Option<i32>,
    enabled: Option<bool>,
}

/// Business hours, or `alwaysOpen: true` to answer at any time.
#[derive(InputObject)]
pub struct BusinessHoursInputOrNone {
    always_open: Option<bool>,
    hours: Option<BusinessHoursObject>,
}

fn ids(
    ctx: &Context<'_>,
    ids: Option<Vec<ID>>,
    what: &str,
) -> async_graphql::Result<Option<Vec<Uuid>>> {
    ids.map(|v| {
        if v.len() > 200 {
            return Err(to_gql(ctx, InputError::TooManyItems));
        }
        v.iter().map(|i| parse_id(ctx, i, what)).collect()
    })
    .transpose()
}

fn patch(ctx: &Context<'_>, i: AgentInput) -> async_graphql::Result<AgentPatch> {
    Ok(AgentPatch {
        name: i.name,
        system_prompt: i.system_prompt,
        tone: i.tone,
        rules: i.rules,
        languages: i.languages,
        model: i
            .model
            .map(|m| Some(m.trim().to_owned()).filter(|m| !m.is_empty())),
        temperature: i.temperature.map(|t| t as f32),
        max_answer_chars: i.max_answer_chars,
        thinking: i.thinking,
        knowledge_source_ids: ids(ctx, i.knowledge_source_ids, "knowledge source")?,
        phone_number_ids: ids(ctx, i.phone_number_ids, "phone number")?,
        business_hours: i.business_hours.map(|b| match (b.always_open, b.hours) {
            (Some(true), _) | (_, None) => None,
            (_, Some(h)) => Some(h.into()),
        }),
        out_of_hours_message: i
            .out_of_hours_message
            .map(|m| Some(m.trim().to_owned()).filter(|m| !m.is_empty())),
        handoff_allowed: i.handoff_allowed,
        handoff_keywords: i.handoff_keywords,
        handoff_on_request: i.handoff_on_request,
        handoff_on_no_answer: i.handoff_on_no_answer,
        handoff_after_misses: i.handoff_after_misses,
        handoff_message: i.handoff_message,
        debounce_ms: i.debounce_ms,
        enabled: i.enabled,
    })
}

/// `Organization.knowledgeSources`.
pub async fn knowledge_sources(
    ctx: &Context<'_>,
    access: &Access,
) -> async_graphql::Result<Vec<KnowledgeSourceObject>> {
    let sources = ctx
        .data_unchecked::<Domain>()
        .knowledge_sources(access)
        .await
        .gql(ctx)?;
    Ok(sources
        .into_iter()
        .map(|source| KnowledgeSourceObject {
            source,
            access: access.clone(),
        })
        .collect())
}

/// `Organization.knowledgeSource`.
pub async fn knowledge_source(
    ctx: &Context<'_>,
    access: &Access,
    id: &ID,
) -> async_graphql::Result<KnowledgeSourceObject> {
    let id = parse_id(ctx, id, "knowledge source")?;
    let source = ctx
        .data_unchecked::<Domain>()
        .knowledge_source(access, id)
        .await
        .gql(ctx)?;
    Ok(KnowledgeSourceObject {
        source,
        access: access.clone(),
    })
}

/// `Organization.searchKnowledge`.
pub async fn search_knowledge(
    ctx: &Context<'_>,
    access: &Access,
    question: &str,
    first: Option<i32>,
) -> async_graphql::Result<Vec<PassageObject>> {
    let limit = i64::from(first.unwrap_or(5).clamp(1, 20));
    let found = ctx
        .data_unchecked::<Domain>()
        .search_knowledge(access, question, &[], limit)
        .await
        .gql(ctx)?;
    Ok(found.into_iter().map(Into::into).collect())
}

/// `Organization.agents`.
pub async fn agents(ctx: &Context<'_>, access: &Access) -> async_graphql::Result<Vec<AgentObject>> {
    let agents = ctx
        .data_unchecked::<Domain>()
        .agents(access)
        .await
        .gql(ctx)?;
    Ok(agents
        .into_iter()
        .map(|agent| AgentObject {
            agent,
            access: access.clone(),
        })
        .collect())
}

/// `Organization.agent`.
pub async fn agent(
    ctx: &Context<'_>,
    access: &Access,
    id: &ID,
) -> async_graphql::Result<AgentObject> {
    let id = parse_id(ctx, id, "agent")?;
    let agent = ctx
        .data_unchecked::<Domain>()
        .agent(access, id)
        .await
        .gql(ctx)?;
    Ok(AgentObject {
        agent,
        access: access.clone(),
    })
}

/// `Organization.aiUsage`.
pub async fn ai_usage(
    ctx: &Context<'_>,
    access: &Access,
) -> async_graphql::Result<Vec<AiUsageObject>> {
    let usage = ctx
        .data_unchecked::<Domain>()
        .ai_usage(access)
        .await
        .gql(ctx)?;
    Ok(usage.into_iter().map(Into::into).collect())
}

/// `Conversation.aiTurns`.
pub async fn conversation_turns(
    ctx: &Context<'_>,
    access: &Access,
    conversation: Uuid,
    first: Option<i32>,
) -> async_graphql::Result<Vec<AiTurnObject>> {
    let page = ctx
        .data_unchecked::<Domain>()
        .ai_turns(access, None, Some(conversation), first, None)
        .await
        .gql(ctx)?;
    Ok(page.items.into_iter().map(Into::into).collect())
}

#[derive(Default)]
pub struct AgentsMutation;

#[derive(InputObject)]
pub struct AddKnowledgeUrlInput {
    organization_id: ID,
    url: String,
    title: Option<String>,
    /// Links followed from the first page, 0 to 5 (default 0: that page only).
    depth: Option<i32>,
    /// At most this many pages, 1 to 500 (default 1, or 50 when crawling).
    max_pages: Option<i32>,
    /// The language of its text: en, pt, es, ... (default en).
    language: Option<String>,
    /// Re-crawl every this many hours.
    recrawl_hours: Option<i32>,
}

#[Object]
impl AgentsMutation {
    /// Admin. Learns from a web page, or a site crawled from it (same host, robots.txt
    /// honoured). Ingestion runs in the background: follow `KnowledgeSource.status`.
    async fn add_knowledge_url(
        &self,
        ctx: &Context<'_>,
        input: AddKnowledgeUrlInput,
    ) -> async_graphql::Result<KnowledgeSourceObject> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        let depth = input.depth.unwrap_or(0);
        let new = NewUrlSource {
            url: input.url,
            title: input.title,
            depth,
            max_pages: input.max_pages.unwrap_or(if depth > 0 { 50 } else { 1 }),
            language: input.language,
            recrawl_hours: input.recrawl_hours,
        };
        let source = ctx
            .data_unchecked::<Domain>()
            .add_knowledge_url(&access, new)
            .await
            .gql(ctx)?;
        Ok(KnowledgeSourceObject { source, access })
    }

    /// Admin. Deletes a source and its chunks; returns its id.
    async fn delete_knowledge_source(
        &self,
        ctx: &Context<'_>,
        organization_id: ID,
        source_id: ID,
    ) -> async_graphql::Result<ID> {
        let access = guard(ctx, &organization_id, Role::Admin, Intent::Write).await?;
        let id = parse_id(ctx, &source_id, "knowledge source")?;
        ctx.data_unchecked::<Domain>()
            .delete_knowledge_source(&access, id)
            .await
            .gql(ctx)?;
        Ok(source_id)
    }

    /// Admin. Fetches a web source again now.
    async fn recrawl_knowledge_source(
        &self,
        ctx: &Context<'_>,
        organization_id: ID,
        source_id: ID,
    ) -> async_graphql::Result<KnowledgeSourceObject> {
        let access = guard(ctx, &organization_id, Role::Admin, Intent::Write).await?;
        let id = parse_id(ctx, &source_id, "knowledge source")?;
        let source = ctx
            .data_unchecked::<Domain>()
            .recrawl_knowledge_source(&access, id)
            .await
            .gql(ctx)?;
        Ok(KnowledgeSourceObject { source, access })
    }

    /// Admin. An agent, switched off unless `enabled` says otherwise.
    async fn create_agent(
        &self,
        ctx: &Context<'_>,
        input: AgentInput,
    ) -> async_graphql::Result<AgentObject> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        let name = input.name.clone().unwrap_or_default();
        let p = patch(ctx, input)?;
        let agent = ctx
            .data_unchecked::<Domain>()
            .create_agent(&access, &name, p)
            .await
            .gql(ctx)?;
        Ok(AgentObject { agent, access })
    }

    /// Admin. Changes the settings given; the others stay.
    async fn update_agent(
        &self,
        ctx: &Context<'_>,
        agent_id: ID,
        input: AgentInput,
    ) -> async_graphql::Result<AgentObject> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        let id = parse_id(ctx, &agent_id, "agent")?;
        let p = patch(ctx, input)?;
        let agent = ctx
            .data_unchecked::<Domain>()
            .update_agent(&access, id, p)
            .await
            .gql(ctx)?;
        Ok(AgentObject { agent, access })
    }

    /// Admin. Deletes an agent; its conversations go to the team. Returns its id.
    async fn delete_agent(
        &self,
        ctx: &Context<'_>,
        organization_id: ID,
        agent_id: ID,
    ) -> async_graphql::Result<ID> {
        let access = guard(ctx, &organization_id, Role::Admin, Intent::Write).await?;
        let id = parse_id(ctx, &agent_id, "agent")?;
        ctx.data_unchecked::<Domain>()
            .delete_agent(&access, id)
            .await
            .gql(ctx)?;
        Ok(agent_id)
    }

    /// Member. What the agent would answer (`agentId` null: all the knowledge with default
    /// settings). Nothing is sent; the turn is logged.
    async fn test_agent(
        &self,
        ctx: &Context<'_>,
        organization_id: ID,
        agent_id: Option<ID>,
        message: String,
        #[graphql(default)] history: Vec<TurnInput>,
    ) -> async_graphql::Result<AgentReplyObject> {
        let access = guard(ctx, &organization_id, Role::Member, Intent::Write).await?;
        let agent = agent_id
            .as_ref()
            .map(|a| parse_id(ctx, a, "agent"))
            .transpose()?;
        let history: Vec<Turn> = history
            .into_iter()
            .map(|t| Turn {
                speaker: match t.speaker {
                    GqlSpeaker::Customer => Speaker::Customer,
                    GqlSpeaker::Bot => Speaker::Bot,
                    GqlSpeaker::Team => Speaker::Team,
                },
                text: t.text,
            })
            .collect();
        let answer = ctx
            .data_unchecked::<Domain>()
            .test_agent(&access, agent, &message, &history)
            .await
            .gql(ctx)?;
        Ok(answer.into())
    }

    /// Member. The bot answers this conversation from now on (`agentId` null: its number's
    /// agent).
    async fn hand_conversation_to_bot(
        &self,
        ctx: &Context<'_>,
        organization_id: ID,
        conversation_id: ID,
        agent_id: Option<ID>,
    ) -> async_graphql::Result<ConversationObject> {
        let access = guard(ctx, &organization_id, Role::Member, Intent::Write).await?;
        let id = parse_id(ctx, &conversation_id, "conversation")?;
        let agent = agent_id
            .as_ref()
            .map(|a| parse_id(ctx, a, "agent"))
            .transpose()?;
        let conversation = ctx
            .data_unchecked::<Domain>()
            .hand_conversation_to_bot(&access, id, agent)
            .await
            .gql(ctx)?;
        Ok(ConversationObject::new(access, conversation))
    }

    /// Member. People answer this conversation; the bot stays silent in it.
    async fn hand_conversation_to_team(
        &self,
        ctx: &Context<'_>,
        organization_id: ID,
        conversation_id: ID,
    ) -> async_graphql::Result<ConversationObject> {
        let access = guard(ctx, &organization_id, Role::Member, Intent::Write).await?;
        let id = parse_id(ctx, &conversation_id, "conversation")?;
        let conversation = ctx
            .data_unchecked::<Domain>()
            .hand_conversation_to_team(&access, id)
            .await
            .gql(ctx)?;
        Ok(ConversationObject::new(access, conversation))
    }
}
