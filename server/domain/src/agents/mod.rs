//! AI agents: each answers customers on the numbers it is given, from the organization's
//! knowledge, through an OpenAI-compatible chat-completions provider (DeepSeek by default),
//! or, with no provider or when it is down, with the best-matching passage quoted.
//!
//! Who answers a conversation is explicit state on the conversation (`handler`: bot or team),
//! re-checked in the transaction that queues every bot message (`reply.rs`). A human reply,
//! or any outbound message not sent by the bot, hands the conversation to the team; the bot
//! stays silent there until a member hands it back or the conversation is resolved and the
//! customer writes again, which starts a fresh bot episode (its history starts there).

pub mod mask;
mod reply;

pub use self::reply::{AgentAnswer, Speaker, Turn};
pub(crate) use self::reply::{Reply, on_inbound, silence_bot};

use std::{
    collections::{BTreeMap, HashMap},
    sync::Arc,
};

use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use wagent_db::{
    Conn, FirstPerParent, LiteralLimitDsl,
    bus::{self, Event},
    group_by_parent,
    schema::{agents, ai_turns, ai_usage, conversations, knowledge_sources, phone_numbers},
};

use crate::{
    Access, Code, CommonError, Domain, Page, Problem, Role,
    error::wraps_common_error,
    inbox::{self, TOPIC_CONVERSATION},
    organizations::audit::{self, Entry},
    values::{page_size, text_enum},
};

/// Topic of the events that tell an agent changed (`{"agent_id": …}`).
pub const TOPIC_AGENT: &str = "agents.agent";
/// Most agents an organization keeps.
pub const MAX_AGENTS: i64 = 50;

/// The AI provider and what its tokens cost.
#[derive(Clone)]
pub struct AiSetup {
    /// The chat-completions client; without a key the agents answer offline.
    pub llm: wagent_llm::LlmClient,
    /// Prices per million tokens, for the cost estimate of each turn.
    pub prices: wagent_llm::Prices,
    /// An embeddings endpoint: chunks and questions are embedded and the vector ranking
    /// joins text search. `None`: text search alone.
    pub embeddings: Option<wagent_llm::EmbeddingsClient>,
}

text_enum! {
    /// Who answers a conversation.
    pub enum Handler as "conversation handler" {
        Bot = "bot",
        Team = "team",
    }
}

text_enum! {
    /// How an AI turn ended.
    pub enum TurnOutcome as "AI turn outcome" {
        /// The model answered.
        Answered = "answered",
        /// No model (none configured, or it failed): the best passage was quoted.
        Fallback = "fallback",
        Handoff = "handoff",
        OutOfHours = "out_of_hours",
        /// Someone else answered first, or the conversation left the bot meanwhile.
        Silenced = "silenced",
        Failed = "failed",
    }
}

/// When an agent answers: local opening hours per weekday in a time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessHours {
    pub time_zone: String,
    /// `mon` … `sun` → opening intervals `["09:00", "18:00"]`; a day not named is closed.
    pub days: BTreeMap<String, Vec<(String, String)>>,
}

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl BusinessHours {
    fn check(&self) -> Result<(), AgentError> {
        for (day, intervals) in &self.days {
            if !WEEKDAYS.contains(&day.as_str()) {
                return Err(AgentError::Hours(format!(
                    "`{day}` is not a weekday (mon … sun)"
                )));
            }
            if intervals.len() > 6 {
                return Err(AgentError::Hours(format!("{day}: at most 6 intervals")));
            }
            for (from, to) in intervals {
                let (Some(a), Some(b)) = (minutes(from), minutes(to)) else {
                    return Err(AgentError::Hours(format!(
                        "{day}: times are HH:MM, 00:00 to 24:00"
                    )));
                };
                if a >= b {
                    return Err(AgentError::Hours(format!(
                        "{day}: {from} is not before {to}"
                    )));
                }
            }
        }
        Ok(())
    }

    /// Whether `weekday` (0 = Monday) at `minute` of the day (local) is open.
    pub fn open_at(&self, weekday: usize, minute: u32) -> bool {
        let Some(day) = WEEKDAYS.get(weekday) else {
            return false;
        };
        self.days.get(*day).is_some_and(|intervals| {
            intervals.iter().any(|(from, to)| {
                matches!((minutes(from), minutes(to)), (Some(a), Some(b)) if a <= minute && minute < b)
            })
        })
    }
}

/// `HH:MM` as minutes of the day (24:00 is the end of the day).
fn minutes(hhmm: &str) -> Option<u32> {
    let (h, m) = hhmm.split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
}

#[derive(Debug, Clone, PartialEq, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = agents)]
pub struct Agent {
    pub id: Uuid,
    pub name: String,
    pub system_prompt: String,
    pub tone: String,
    pub rules: Vec<String>,
    pub languages: Vec<String>,
    pub model: Option<String>,
    pub temperature: f32,
    pub max_answer_chars: i32,
    pub thinking: bool,
    pub knowledge_source_ids: Vec<Uuid>,
    pub phone_number_ids: Vec<Uuid>,
    pub business_hours: Option<serde_json::Value>,
    pub out_of_hours_message: Option<String>,
    pub handoff_allowed: bool,
    pub handoff_keywords: Vec<String>,
    pub handoff_on_request: bool,
    pub handoff_on_no_answer: bool,
    pub handoff_after_misses: i32,
    pub handoff_message: String,
    pub debounce_ms: i32,
    pub enabled: bool,
    pub paused_reason: Option<String>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Agent {
    pub fn business_hours(&self) -> Option<BusinessHours> {
        self.business_hours
            .clone()
            .and_then(|v| serde_json::from_value(v).ok())
    }

    /// Answers on its own: switched on and not paused by the provider's refusal.
    pub fn active(&self) -> bool {
        self.enabled && self.paused_reason.is_none()
    }

    /// The settings of an agent that answers from all knowledge with the defaults (the
    /// `agent ask` command without an agent).
    pub fn with_defaults(name: &str) -> Self {
        Self {
            id: Uuid::nil(),
            name: name.to_owned(),
            system_prompt: String::new(),
            tone: String::new(),
            rules: Vec::new(),
            languages: Vec::new(),
            model: None,
            temperature: 0.3,
            max_answer_chars: 700,
            thinking: false,
            knowledge_source_ids: Vec::new(),
            phone_number_ids: Vec::new(),
            business_hours: None,
            out_of_hours_message: None,
            handoff_allowed: true,
            handoff_keywords: Vec::new(),
            handoff_on_request: true,
            handoff_on_no_answer: true,
            handoff_after_misses: 2,
            handoff_message:
                "I'm passing you to a member of our team, who will answer here shortly.".into(),
            debounce_ms: 0,
            enabled: false,
            paused_reason: None,
            created_by: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }
}

/// Changes to an agent; `None` leaves a setting as it is.
#[derive(Debug, Clone, Default)]
pub struct AgentPatch {
    pub name: Option<String>,
    pub system_prompt: Option<String>,
    pub tone: Option<String>,
    pub rules: Option<Vec<String>>,
    pub languages: Option<Vec<String>>,
    /// `Some(None)` returns to the configured default model.
    pub model: Option<Option<String>>,
    pub temperature: Option<f32>,
    pub max_answer_chars: Option<i32>,
    pub thinking: Option<bool>,
    pub knowledge_source_ids: Option<Vec<Uuid>>,
    pub phone_number_ids: Option<Vec<Uuid>>,
    /// `Some(None)`: always open.
    pub business_hours: Option<Option<BusinessHours>>,
    pub out_of_hours_message: Option<Option<String>>,
    pub handoff_allowed: Option<bool>,
    pub handoff_keywords: Option<Vec<String>>,
    pub handoff_on_request: Option<bool>,
    pub handoff_on_no_answer: Option<bool>,
    pub handoff_after_misses: Option<i32>,
    pub handoff_message: Option<String>,
    pub debounce_ms: Option<i32>,
    pub enabled: Option<bool>,
}

/// One logged AI turn.
#[derive(Debug, Clone, PartialEq, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = ai_turns)]
pub struct AiTurn {
    pub id: Uuid,
    pub agent_id: Option<Uuid>,
    pub conversation_id: Option<Uuid>,
    pub message_id: Option<Uuid>,
    pub outcome: TurnOutcome,
    pub handoff_reason: Option<String>,
    pub error: Option<String>,
    pub model: Option<String>,
    pub prompt_tokens: i32,
    pub completion_tokens: i32,
    pub cache_hit_tokens: i32,
    pub latency_ms: i32,
    pub cost_micros: i64,
    pub sources: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

impl AiTurn {
    /// The passages the turn answered from.
    pub fn sources(&self) -> Vec<crate::knowledge::Passage> {
        serde_json::from_value(self.sources.clone()).unwrap_or_default()
    }
}

/// AI usage of one month.
#[derive(Debug, Clone, PartialEq, Eq, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = ai_usage)]
pub struct AiUsage {
    pub month: chrono::NaiveDate,
    pub replies: i32,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
    pub cost_micros: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum AgentError {
    #[error(transparent)]
    Common(#[from] CommonError),
    #[error("give the agent a name of 1 to 100 characters")]
    Name,
    /// A setting out of its bounds (the reason names it).
    #[error("{0}")]
    Setting(String),
    #[error("business hours: {0}")]
    Hours(String),
    #[error("`{0}` is not a time zone")]
    TimeZone(String),
    #[error("a number or knowledge source given is not the organization's")]
    NotOurs,
    #[error("an organization has at most {MAX_AGENTS} agents")]
    TooManyAgents,
    #[error("the conversation has no agent to hand it to: switch an agent on for its number")]
    NoAgent,
    #[error(
        "write a message of 1 to 4,096 characters (and at most 50 earlier turns of up to 4,096 each)"
    )]
    Message,
    #[error("the AI provider failed: {0}")]
    Provider(String),
    #[error("the answer could not be sent: {0}")]
    Send(String),
}

wraps_common_error!(AgentError);

impl Problem for AgentError {
    fn code(&self) -> Code {
        match self {
            Self::Common(e) => e.code(),
            Self::Provider(_) | Self::Send(_) => Code::Internal,
            _ => Code::Validation,
        }
    }

    fn internal_cause(&self) -> String {
        match self {
            Self::Common(e) => e.internal_cause(),
            other => other.to_string(),
        }
    }
}

type Result<T, E = AgentError> = std::result::Result<T, E>;

fn bounded_list(what: &str, items: &[String], max_items: usize, max_len: usize) -> Result<()> {
    if items.len() > max_items {
        return Err(AgentError::Setting(format!("at most {max_items} {what}")));
    }
    if items
        .iter()
        .any(|i| i.trim().is_empty() || i.chars().count() > max_len)
    {
        return Err(AgentError::Setting(format!(
            "each of the {what} is 1 to {max_len} characters"
        )));
    }
    Ok(())
}

fn bounded_text(what: &str, text: &str, max: usize) -> Result<()> {
    if text.chars().count() > max {
        return Err(AgentError::Setting(format!(
            "the {what} is at most {max} characters"
        )));
    }
    Ok(())
}

impl AgentPatch {
    /// Every bound the table's checks hold, said in words before the database refuses.
    fn check(&self) -> Result<()> {
        if let Some(n) = &self.name
            && (n.trim().is_empty() || n.chars().count() > 100)
        {
            return Err(AgentError::Name);
        }
        if let Some(p) = &self.system_prompt {
            bounded_text("system prompt", p, 20_000)?;
        }
        if let Some(t) = &self.tone {
            bounded_text("tone", t, 500)?;
        }
        if let Some(r) = &self.rules {
            bounded_list("rules", r, 50, 500)?;
        }
        if let Some(l) = &self.languages {
            bounded_list("languages", l, 20, 16)?;
        }
        if let Some(Some(m)) = &self.model
            && (m.trim().is_empty() || m.len() > 100)
        {
            return Err(AgentError::Setting(
                "a model name is 1 to 100 characters".into(),
            ));
        }
        if let Some(t) = self.temperature
            && !(0.0..=2.0).contains(&t)
        {
            return Err(AgentError::Setting("temperature is 0 to 2".into()));
        }
        if let Some(n) = self.max_answer_chars
            && !(50..=4096).contains(&n)
        {
            return Err(AgentError::Setting(
                "the longest answer is 50 to 4,096 characters".into(),
            ));
        }
        if let Some(Some(h)) = &self.business_hours {
            h.check()?;
        }
        if let Some(Some(m)) = &self.out_of_hours_message {
            bounded_text("out-of-hours message", m, 1024)?;
        }
        if let Some(k) = &self.handoff_keywords {
            bounded_list("handoff keywords", k, 50, 100)?;
        }
        if let Some(n) = self.handoff_after_misses
            && !(0..=10).contains(&n)
        {
            return Err(AgentError::Setting(
                "hand over after 0 (never) to 10 missed answers".into(),
            ));
        }
        if let Some(m) = &self.handoff_message {
            if m.trim().is_empty() {
                return Err(AgentError::Setting("write the handoff message".into()));
            }
            bounded_text("handoff message", m, 1024)?;
        }
        if let Some(ms) = self.debounce_ms
            && !(0..=60_000).contains(&ms)
        {
            return Err(AgentError::Setting(
                "wait 0 to 60,000 ms for more messages".into(),
            ));
        }
        if self
            .knowledge_source_ids
            .as_ref()
            .is_some_and(|v| v.len() > 200)
            || self
                .phone_number_ids
                .as_ref()
                .is_some_and(|v| v.len() > 100)
        {
            return Err(AgentError::Setting("too many numbers or sources".into()));
        }
        Ok(())
    }
}

impl Domain {
    /// Enables AI answers through `setup`'s provider (without a key: offline answers).
    pub fn with_ai(self, setup: AiSetup) -> Self {
        Self {
            ai: Some(Arc::new(setup)),
            ..self
        }
    }

    /// The organization's agents, by name. Member.
    pub async fn agents(&self, access: &Access) -> Result<Vec<Agent>> {
        access.ensure(Role::Member)?;
        self.tx(access.scope(), async |c| {
            Ok(agents::table
                .order((agents::name, agents::id))
                .select(Agent::as_select())
                .literal_limit(MAX_AGENTS)
                .load(c)
                .await?)
        })
        .await
    }

    /// One agent. Member.
    pub async fn agent(&self, access: &Access, id: Uuid) -> Result<Agent> {
        access.ensure(Role::Member)?;
        self.tx(access.scope(), async |c| find(c, id).await).await
    }

    /// Creates an agent, switched off until its settings say otherwise. Admin.
    pub async fn create_agent(
        &self,
        access: &Access,
        name: &str,
        patch: AgentPatch,
    ) -> Result<Agent> {
        access.ensure(Role::Admin)?;
        let patch = AgentPatch {
            name: Some(name.trim().to_owned()),
            ..patch
        };
        patch.check()?;
        self.tx(access.scope(), async |c| -> Result<Agent> {
            let n: i64 = agents::table.count().get_result(c).await?;
            if n >= MAX_AGENTS {
                return Err(AgentError::TooManyAgents);
            }
            let id = Uuid::now_v7();
            diesel::insert_into(agents::table)
                .values((
                    agents::org_id.eq(access.org_id),
                    agents::id.eq(id),
                    agents::name.eq(name.trim()),
                    agents::created_by.eq(access.caller.user_id()),
                ))
                .execute(c)
                .await?;
            let agent = apply(c, id, &patch).await?;
            audit::record(
                c,
                access.org_id,
                &access.caller,
                Entry {
                    action: "agents.created",
                    target_type: "agent",
                    target_id: id.to_string(),
                    details: serde_json::json!({ "name": agent.name }),
                },
            )
            .await?;
            publish(c, access.org_id, id).await?;
            Ok(agent)
        })
        .await
    }

    /// Changes an agent's settings. Switching it on clears a provider pause. Admin.
    pub async fn update_agent(
        &self,
        access: &Access,
        id: Uuid,
        patch: AgentPatch,
    ) -> Result<Agent> {
        access.ensure(Role::Admin)?;
        patch.check()?;
        self.tx(access.scope(), async |c| -> Result<Agent> {
            find(c, id).await?;
            let agent = apply(c, id, &patch).await?;
            audit::record(
                c,
                access.org_id,
                &access.caller,
                Entry {
                    action: "agents.updated",
                    target_type: "agent",
                    target_id: id.to_string(),
                    details: serde_json::json!({ "enabled": agent.enabled }),
                },
            )
            .await?;
            publish(c, access.org_id, id).await?;
            Ok(agent)
        })
        .await
    }

    /// Deletes an agent; the conversations it handled go to the team. Admin.
    pub async fn delete_agent(&self, access: &Access, id: Uuid) -> Result<()> {
        access.ensure(Role::Admin)?;
        self.tx(access.scope(), async |c| -> Result<()> {
            find(c, id).await?;
            let handed: Vec<Uuid> = diesel::update(
                conversations::table
                    .filter(conversations::agent_id.eq(id))
                    .filter(conversations::handler.eq(Handler::Bot)),
            )
            .set((
                conversations::handler.eq(Handler::Team),
                conversations::handoff_reason.eq("the agent was deleted"),
                conversations::handoff_at.eq(Utc::now()),
            ))
            .returning(conversations::id)
            .get_results(c)
            .await?;
            diesel::delete(agents::table.filter(agents::id.eq(id)))
                .execute(c)
                .await?;
            audit::record(
                c,
                access.org_id,
                &access.caller,
                Entry {
                    action: "agents.deleted",
                    target_type: "agent",
                    target_id: id.to_string(),
                    details: serde_json::json!({}),
                },
            )
            .await?;
            for conversation in handed {
                inbox::publish(c, access.org_id, TOPIC_CONVERSATION, conversation, None).await?;
            }
            publish(c, access.org_id, id).await?;
            Ok(())
        })
        .await
    }

    /// Gives a conversation to the bot: `agent` or the first active agent of its number. The
    /// bot's history starts now. Member.
    pub async fn hand_conversation_to_bot(
        &self,
        access: &Access,
        conversation_id: Uuid,
        agent: Option<Uuid>,
    ) -> Result<inbox::Conversation> {
        access.ensure(Role::Member)?;
        self.tx(access.scope(), async |c| -> Result<inbox::Conversation> {
            let conversation = inbox::find_conversation(c, conversation_id).await?;
            let agent = match agent {
                Some(id) => Some(find(c, id).await?),
                None => reply::agent_for_number(c, conversation.phone_number_id).await?,
            };
            let agent = agent.ok_or(AgentError::NoAgent)?;
            diesel::update(conversations::table.filter(conversations::id.eq(conversation_id)))
                .set((
                    conversations::handler.eq(Handler::Bot),
                    conversations::agent_id.eq(agent.id),
                    conversations::bot_episode_at.eq(Utc::now()),
                    conversations::bot_misses.eq(0),
                    conversations::handoff_reason.eq(None::<String>),
                    conversations::handoff_at.eq(None::<DateTime<Utc>>),
                ))
                .execute(c)
                .await?;
            inbox::publish(c, access.org_id, TOPIC_CONVERSATION, conversation_id, None).await?;
            Ok(inbox::find_conversation(c, conversation_id).await?)
        })
        .await
    }

    /// Takes a conversation from the bot: it stays silent there. Member.
    pub async fn hand_conversation_to_team(
        &self,
        access: &Access,
        conversation_id: Uuid,
    ) -> Result<inbox::Conversation> {
        access.ensure(Role::Member)?;
        self.tx(access.scope(), async |c| -> Result<inbox::Conversation> {
            inbox::find_conversation(c, conversation_id).await?;
            diesel::update(conversations::table.filter(conversations::id.eq(conversation_id)))
                .set((
                    conversations::handler.eq(Handler::Team),
                    conversations::handoff_reason.eq("taken over by the team"),
                    conversations::handoff_at.eq(Utc::now()),
                ))
                .execute(c)
                .await?;
            inbox::publish(c, access.org_id, TOPIC_CONVERSATION, conversation_id, None).await?;
            Ok(inbox::find_conversation(c, conversation_id).await?)
        })
        .await
    }

    /// An agent's (or a conversation's) AI turns, newest first. Member.
    pub async fn ai_turns(
        &self,
        access: &Access,
        agent: Option<Uuid>,
        conversation: Option<Uuid>,
        first: Option<i32>,
        before: Option<DateTime<Utc>>,
    ) -> Result<Page<AiTurn>> {
        access.ensure(Role::Member)?;
        let limit = page_size(first).map_err(CommonError::from)?;
        self.tx(access.scope(), async |c| {
            let mut q = ai_turns::table.into_boxed();
            if let Some(a) = agent {
                q = q.filter(ai_turns::agent_id.eq(a));
            }
            if let Some(cv) = conversation {
                q = q.filter(ai_turns::conversation_id.eq(cv));
            }
            if let Some(b) = before {
                q = q.filter(ai_turns::created_at.lt(b));
            }
            let rows = q
                .order((ai_turns::created_at.desc(), ai_turns::id.desc()))
                .limit(limit + 1)
                .select(AiTurn::as_select())
                .load(c)
                .await?;
            Ok(Page::from_rows(rows, limit))
        })
        .await
    }

    /// The newest AI turns (`first` of each) of each of `conversations`, in one statement.
    /// Member.
    pub async fn ai_turns_of_conversations(
        &self,
        access: &Access,
        conversations: &[Uuid],
        first: Option<i32>,
    ) -> Result<HashMap<Uuid, Vec<AiTurn>>> {
        access.ensure(Role::Member)?;
        let limit = page_size(first).map_err(CommonError::from)?;
        if conversations.is_empty() {
            return Ok(HashMap::new());
        }
        self.tx(access.scope(), async |c| {
            let newest = FirstPerParent::new(
                "ai_turns",
                "conversation_id",
                conversations,
                access.org_id,
                "x.created_at DESC, x.id DESC",
                limit,
            );
            let rows = ai_turns::table
                .filter(newest)
                .order((ai_turns::created_at.desc(), ai_turns::id.desc()))
                .select(AiTurn::as_select())
                .load(c)
                .await?;
            Ok(group_by_parent(conversations, rows, |t| t.conversation_id))
        })
        .await
    }

    /// The AI turns that produced `messages` (the inbox's "sources" under AI answers), in one
    /// query. Member.
    pub async fn ai_turns_of_messages(
        &self,
        access: &Access,
        messages: &[Uuid],
    ) -> Result<Vec<(Uuid, AiTurn)>> {
        access.ensure(Role::Member)?;
        self.tx(access.scope(), async |c| {
            let rows: Vec<(Option<Uuid>, AiTurn)> = ai_turns::table
                .filter(ai_turns::message_id.eq_any(messages))
                .select((ai_turns::message_id, AiTurn::as_select()))
                .load(c)
                .await?;
            Ok(rows
                .into_iter()
                .filter_map(|(m, t)| Some((m?, t)))
                .collect())
        })
        .await
    }

    /// AI usage per month, the last 12. Member.
    pub async fn ai_usage(&self, access: &Access) -> Result<Vec<AiUsage>> {
        access.ensure(Role::Member)?;
        self.tx(access.scope(), async |c| {
            Ok(ai_usage::table
                .order(ai_usage::month.desc())
                .limit(12)
                .select(AiUsage::as_select())
                .load(c)
                .await?)
        })
        .await
    }
}

pub(crate) async fn find(c: &mut Conn, id: Uuid) -> Result<Agent> {
    Ok(agents::table
        .filter(agents::id.eq(id))
        .select(Agent::as_select())
        .first(c)
        .await
        .optional()?
        .ok_or(CommonError::NotFound("agent"))?)
}

/// The columns a patch sets, in one UPDATE; `None` leaves a column as it is.
#[derive(diesel::AsChangeset)]
#[diesel(table_name = agents)]
struct Changes<'a> {
    name: Option<&'a str>,
    system_prompt: Option<&'a str>,
    tone: Option<&'a str>,
    rules: Option<&'a Vec<String>>,
    languages: Option<&'a Vec<String>>,
    model: Option<Option<&'a str>>,
    temperature: Option<f32>,
    max_answer_chars: Option<i32>,
    thinking: Option<bool>,
    knowledge_source_ids: Option<&'a Vec<Uuid>>,
    phone_number_ids: Option<&'a Vec<Uuid>>,
    business_hours: Option<Option<serde_json::Value>>,
    out_of_hours_message: Option<Option<&'a str>>,
    handoff_allowed: Option<bool>,
    handoff_keywords: Option<&'a Vec<String>>,
    handoff_on_request: Option<bool>,
    handoff_on_no_answer: Option<bool>,
    handoff_after_misses: Option<i32>,
    handoff_message: Option<&'a str>,
    debounce_ms: Option<i32>,
    enabled: Option<bool>,
    paused_reason: Option<Option<&'a str>>,
    updated_at: DateTime<Utc>,
}

/// Writes the patch's settings, checking that numbers and sources are the organization's.
async fn apply(c: &mut Conn, id: Uuid, p: &AgentPatch) -> Result<Agent> {
    if let Some(ids) = &p.phone_number_ids {
        let n: i64 = phone_numbers::table
            .filter(phone_numbers::id.eq_any(ids))
            .count()
            .get_result(c)
            .await?;
        if n as usize != ids.len() {
            return Err(AgentError::NotOurs);
        }
    }
    if let Some(ids) = &p.knowledge_source_ids {
        let n: i64 = knowledge_sources::table
            .filter(knowledge_sources::id.eq_any(ids))
            .count()
            .get_result(c)
            .await?;
        if n as usize != ids.len() {
            return Err(AgentError::NotOurs);
        }
    }
    if let Some(Some(h)) = &p.business_hours
        && !crate::organizations::known_time_zone(c, &h.time_zone).await?
    {
        return Err(AgentError::TimeZone(h.time_zone.chars().take(64).collect()));
    }
    let changes = Changes {
        name: p.name.as_deref(),
        system_prompt: p.system_prompt.as_deref(),
        tone: p.tone.as_deref(),
        rules: p.rules.as_ref(),
        languages: p.languages.as_ref(),
        model: p.model.as_ref().map(Option::as_deref),
        temperature: p.temperature,
        max_answer_chars: p.max_answer_chars,
        thinking: p.thinking,
        knowledge_source_ids: p.knowledge_source_ids.as_ref(),
        phone_number_ids: p.phone_number_ids.as_ref(),
        business_hours: p.business_hours.as_ref().map(|hours| {
            hours
                .as_ref()
                .map(|h| serde_json::to_value(h).unwrap_or_default())
        }),
        out_of_hours_message: p.out_of_hours_message.as_ref().map(Option::as_deref),
        handoff_allowed: p.handoff_allowed,
        handoff_keywords: p.handoff_keywords.as_ref(),
        handoff_on_request: p.handoff_on_request,
        handoff_on_no_answer: p.handoff_on_no_answer,
        handoff_after_misses: p.handoff_after_misses,
        handoff_message: p.handoff_message.as_deref(),
        debounce_ms: p.debounce_ms,
        enabled: p.enabled,
        // Switching an agent on clears why it was paused.
        paused_reason: (p.enabled == Some(true)).then_some(None),
        updated_at: Utc::now(),
    };
    diesel::update(agents::table.filter(agents::id.eq(id)))
        .set(&changes)
        .execute(c)
        .await?;
    find(c, id).await
}

/// Tells subscribers the agent changed, when the transaction commits.
pub(crate) async fn publish(c: &mut Conn, org_id: Uuid, agent_id: Uuid) -> Result<(), CommonError> {
    bus::publish(
        c,
        &Event {
            org_id,
            topic: TOPIC_AGENT.into(),
            data: serde_json::json!({ "agent_id": agent_id }),
        },
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn business_hours_say_when_the_bot_answers() {
        let hours = BusinessHours {
            time_zone: "America/Sao_Paulo".into(),
            days: [(
                "mon".to_owned(),
                vec![("09:00".to_owned(), "18:00".to_owned())],
            )]
            .into_iter()
            .collect(),
        };
        hours.check().unwrap();
        assert!(hours.open_at(0, 9 * 60));
        assert!(!hours.open_at(0, 18 * 60));
        assert!(!hours.open_at(1, 10 * 60), "Tuesday is not named: closed");
        let bad = BusinessHours {
            days: [(
                "mon".to_owned(),
                vec![("18:00".to_owned(), "09:00".to_owned())],
            )]
            .into_iter()
            .collect(),
            ..hours
        };
        assert!(bad.check().is_err());
    }
}
