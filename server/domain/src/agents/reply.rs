//! How the bot answers. An inbound message in a conversation the bot handles queues the
//! `agents.reply` job after the agent's debounce (later messages push it back, so a burst is
//! answered once). The job reads the unanswered messages, applies the handoff rules, retrieves
//! passages, asks the model (or, offline, quotes the best passage), and queues the answer in a
//! transaction that first re-checks, under the conversation's row lock, that the bot still
//! handles it and nobody answered meanwhile. Every turn is logged with its sources and cost.

use std::time::Instant;

use chrono::{DateTime, Datelike, Duration, Timelike, Utc};
use diesel::{
    ExpressionMethods, OptionalExtension, PgArrayExpressionMethods, QueryDsl, SelectableHelper,
};
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use wagent_db::{
    Conn, Scope,
    schema::{
        agents, ai_turns, ai_usage, conversations, jobs as job_rows, messages, organizations,
    },
};
use wagent_jobs::{BackgroundJob, Job, JobError, NewJob};
use wagent_llm::{ChatRequest, LlmError, Message as LlmMessage, Tool};

use super::{Agent, AgentError, Handler, Result, TurnOutcome, find, mask};
use crate::{
    Access, Caller, CommonError, Domain, Role,
    inbox::{self, Conversation, MessageDirection, TOPIC_CONVERSATION, find_conversation},
    jobs,
    knowledge::{Passage, search},
    organizations::audit::{self, Entry},
};

/// Runs of the reply job before the conversation goes to the team.
const REPLY_ATTEMPTS: i32 = 4;

/// Passages retrieved per question.
const PASSAGES: i64 = 5;
/// Passages sent to the model (the grounded ones among them).
const PASSAGES_SENT: usize = 4;
/// Earlier turns of the episode sent to the model.
const HISTORY_TURNS: usize = 8;
/// Characters of a passage quoted in an offline answer.
const QUOTE_CHARS: usize = 600;
/// The longest a debounce may push the answer back from the first waiting message.
const MAX_DEBOUNCE_SPREAD_MS: i64 = 20_000;

/// What a customer says when they want a person, in the languages we serve most.
const ASKS_FOR_A_PERSON: &[&str] = &[
    "human",
    "a person",
    "real person",
    "an agent",
    "representative",
    "operator",
    "talk to someone",
    "speak to someone",
    "atendente",
    "humano",
    "uma pessoa",
    "falar com alguém",
    "falar com alguem",
    "pessoa de verdade",
    "persona real",
    "un agente",
    "hablar con alguien",
];

/// Words of greeting, thanks and assent (lower-case, without accents). A message made of
/// these alone is small talk: not a question the knowledge failed to answer.
const SMALL_TALK: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "hiya",
    "good",
    "morning",
    "afternoon",
    "evening",
    "night",
    "thanks",
    "thank",
    "you",
    "thx",
    "ty",
    "ok",
    "okay",
    "k",
    "yes",
    "yeah",
    "yep",
    "no",
    "nope",
    "sure",
    "great",
    "cool",
    "nice",
    "perfect",
    "awesome",
    "bye",
    "goodbye",
    "cheers",
    "a",
    "lot",
    "so",
    "much",
    "very",
    "got",
    "it",
    "understood",
    "oi",
    "ola",
    "opa",
    "bom",
    "boa",
    "dia",
    "tarde",
    "noite",
    "obrigado",
    "obrigada",
    "obg",
    "brigado",
    "valeu",
    "vlw",
    "sim",
    "nao",
    "beleza",
    "blz",
    "certo",
    "ta",
    "entendi",
    "otimo",
    "show",
    "legal",
    "tchau",
    "ate",
    "mais",
    "muito",
    "hola",
    "buenos",
    "buenas",
    "dias",
    "tardes",
    "noches",
    "gracias",
    "si",
    "vale",
    "adios",
    "perfecto",
    "genial",
    "muchas",
    "entendido",
    "de",
    "nada",
];

/// Whether `text` is only greetings, thanks, assent or emoji.
fn small_talk(text: &str) -> bool {
    crate::knowledge::thesaurus::words(text)
        .iter()
        .all(|w| SMALL_TALK.contains(&w.as_str()))
}

/// Who said a turn of the conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Speaker {
    Customer,
    Bot,
    Team,
}

/// One earlier turn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turn {
    pub speaker: Speaker,
    pub text: String,
}

/// What the agent answers, sent or not.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentAnswer {
    /// The text to send; `None` when it hands over without words of its own.
    pub text: Option<String>,
    /// Why it hands the conversation to the team, when it does.
    pub handoff: Option<String>,
    /// The passages the answer stands on.
    pub sources: Vec<Passage>,
    pub outcome: TurnOutcome,
    /// Whether a passage answered the question (a miss counts toward handoff).
    pub grounded: bool,
    /// The customer only greeted, thanked or agreed: neither a hit nor a miss.
    pub small_talk: bool,
    pub model: Option<String>,
    pub prompt_tokens: i64,
    pub completion_tokens: i64,
    pub cache_hit_tokens: i64,
    pub cost_micros: i64,
    pub latency_ms: i64,
    pub error: Option<String>,
    /// The provider refused the key or the account has no balance: the owner must act.
    pub needs_owner: bool,
}

impl AgentAnswer {
    fn new(outcome: TurnOutcome) -> Self {
        Self {
            text: None,
            handoff: None,
            sources: Vec::new(),
            outcome,
            grounded: false,
            small_talk: false,
            model: None,
            prompt_tokens: 0,
            completion_tokens: 0,
            cache_hit_tokens: 0,
            cost_micros: 0,
            latency_ms: 0,
            error: None,
            needs_owner: false,
        }
    }
}

/// The reply job of one conversation (`org_id` is the job's).
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Reply {
    pub conversation_id: Uuid,
}

impl BackgroundJob for Reply {
    const KIND: &'static str = "agents.reply";
    type Context = Domain;

    async fn run(self, job: Job, domain: Domain) -> Result<(), JobError> {
        let org_id = jobs::organization(&job)?;
        match domain.reply_in(org_id, self.conversation_id).await {
            Ok(()) => Ok(()),
            Err(e) if job.attempts < job.max_attempts => Err(jobs::retry(e)),
            Err(e) => {
                tracing::error!(%org_id, conversation = %self.conversation_id, error = ?e, "the bot gave up");
                // The customer is not left waiting on a bot that cannot answer.
                domain
                    .give_up_reply(org_id, self.conversation_id, &e.to_string())
                    .await
                    .map_err(jobs::retry)?;
                Err(JobError::Permanent(e.to_string()))
            }
        }
    }
}

/// The first active agent that answers on `number`.
pub(super) async fn agent_for_number(
    c: &mut Conn,
    number: Uuid,
) -> Result<Option<Agent>, CommonError> {
    Ok(agents::table
        .filter(agents::enabled.eq(true))
        .filter(agents::paused_reason.is_null())
        .filter(agents::phone_number_ids.contains(vec![number]))
        .order(agents::created_at)
        .select(Agent::as_select())
        .first(c)
        .await
        .optional()?)
}

/// After an inbound message is stored: a new conversation, or one the customer reopens
/// after it was resolved, goes to the number's active agent (a fresh episode); in a
/// conversation the bot handles, the reply job is queued (or pushed back) by the debounce.
/// `before` is the conversation as it was before this message.
pub(crate) async fn on_inbound(
    c: &mut Conn,
    org_id: Uuid,
    before: &Conversation,
    message_id: Uuid,
) -> Result<(), CommonError> {
    // The episode starts with this message's arrival.
    let received_at = arrival(message_id).unwrap_or_else(Utc::now);
    let fresh = before.last_message_at.is_none() || before.status == "resolved";
    let mut handler = before.handler;
    let mut agent_id = before.agent_id;
    if fresh && let Some(agent) = agent_for_number(c, before.phone_number_id).await? {
        diesel::update(conversations::table.filter(conversations::id.eq(before.id)))
            .set((
                conversations::handler.eq(Handler::Bot),
                conversations::agent_id.eq(agent.id),
                conversations::bot_episode_at.eq(received_at),
                conversations::bot_misses.eq(0),
                conversations::handoff_reason.eq(None::<String>),
                conversations::handoff_at.eq(None::<DateTime<Utc>>),
            ))
            .execute(c)
            .await?;
        handler = Handler::Bot;
        agent_id = Some(agent.id);
    }
    if handler != Handler::Bot {
        return Ok(());
    }
    let Some(agent_id) = agent_id else {
        return Ok(());
    };
    let debounce: Option<i32> = agents::table
        .filter(agents::id.eq(agent_id))
        .select(agents::debounce_ms)
        .first(c)
        .await
        .optional()?;
    let debounce = Duration::milliseconds(i64::from(debounce.unwrap_or(0)));
    let key = format!("{}:{}", Reply::KIND, before.id);
    let run_at = Utc::now() + debounce;
    let queued = wagent_jobs::enqueue(
        c,
        NewJob::of(
            Some(org_id),
            &Reply {
                conversation_id: before.id,
            },
        )
        .at(run_at)
        .unique(key.clone())
        // Backoff of 2, 4 and 8 s: a customer waits at most a quarter of a minute for
        // the team to be told.
        .attempts(REPLY_ATTEMPTS),
    )
    .await?;
    if queued.is_none() {
        // One waits already: a later message pushes it back, within a bound from its
        // creation, so that a customer who keeps typing still gets an answer.
        diesel::update(
            job_rows::table
                .filter(job_rows::unique_key.eq(&key))
                .filter(job_rows::locked_by.is_null())
                .filter(job_rows::failed_at.is_null())
                .filter(
                    job_rows::created_at
                        .gt(Utc::now() - Duration::milliseconds(MAX_DEBOUNCE_SPREAD_MS)),
                ),
        )
        .set(job_rows::run_at.eq(run_at))
        .execute(c)
        .await?;
    }
    Ok(())
}

/// Any outbound message not sent by the bot (a person in the inbox, an integrator, the
/// business's own phone) hands the conversation to the team, in the caller's transaction.
pub(crate) async fn silence_bot(
    c: &mut Conn,
    org_id: Uuid,
    conversation_id: Uuid,
    why: &str,
) -> Result<(), CommonError> {
    let changed = diesel::update(
        conversations::table
            .filter(conversations::id.eq(conversation_id))
            .filter(conversations::handler.eq(Handler::Bot)),
    )
    .set((
        conversations::handler.eq(Handler::Team),
        conversations::handoff_reason.eq(why),
        conversations::handoff_at.eq(Utc::now()),
    ))
    .execute(c)
    .await?;
    if changed > 0 {
        inbox::publish(c, org_id, TOPIC_CONVERSATION, conversation_id, None).await?;
    }
    Ok(())
}

/// The bot's view of a conversation before it answers.
struct Pending {
    conversation: Conversation,
    agent: Agent,
    /// The customer's messages since the bot (or anyone) last answered.
    unanswered: Vec<String>,
    history: Vec<Turn>,
    /// The newest message when the answer was prepared: the answer is sent only if it is
    /// still the newest outbound-wise (nobody answered meanwhile).
    last_outbound: Option<Uuid>,
    org_name: String,
    open_now: bool,
    out_of_hours_told: bool,
}

impl Domain {
    /// The reply job's work: answer the conversation's unanswered messages, if the bot
    /// still handles it.
    pub(crate) async fn reply_in(&self, org_id: Uuid, conversation_id: Uuid) -> Result<()> {
        let scope = Scope::org(org_id);
        let Some(pending) = self
            .tx(scope, async |c| pending(c, conversation_id).await)
            .await?
        else {
            return Ok(());
        };
        let answer = if !pending.open_now {
            let mut a = AgentAnswer::new(TurnOutcome::OutOfHours);
            if !pending.out_of_hours_told {
                a.text = pending.agent.out_of_hours_message.clone();
            }
            a
        } else {
            let question = pending.unanswered.join("\n");
            let misses = pending.conversation.bot_misses;
            self.answer(
                org_id,
                &pending.agent,
                &pending.org_name,
                &question,
                &pending.history,
                &mask::user_ref(org_id, pending.conversation.contact_id),
                misses,
            )
            .await?
        };
        // The customer gets the offline answer first; then the agents stop for the owner.
        self.tx(scope, async |c| deliver(c, org_id, &pending, &answer).await)
            .await?;
        if answer.needs_owner {
            self.pause_agents(
                org_id,
                answer.error.as_deref().unwrap_or("the AI provider refused"),
            )
            .await?;
        }
        Ok(())
    }

    /// The reply job's last attempt failed: the conversation goes to the team, flagged
    /// with the reason, and the agent's log shows a failed turn.
    async fn give_up_reply(&self, org_id: Uuid, conversation_id: Uuid, why: &str) -> Result<()> {
        self.tx(Scope::org(org_id), async |c| -> Result<()> {
            let reason: String = format!("the assistant failed: {why}")
                .chars()
                .take(500)
                .collect();
            let agent: Option<Option<Uuid>> = diesel::update(
                conversations::table
                    .filter(conversations::id.eq(conversation_id))
                    .filter(conversations::handler.eq(Handler::Bot)),
            )
            .set((
                conversations::handler.eq(Handler::Team),
                conversations::handoff_reason.eq(&reason),
                conversations::handoff_at.eq(Utc::now()),
            ))
            .returning(conversations::agent_id)
            .get_result(c)
            .await
            .optional()?;
            let Some(agent) = agent else {
                return Ok(());
            };
            let mut failed = AgentAnswer::new(TurnOutcome::Failed);
            failed.handoff = Some(reason);
            failed.error = Some(why.to_owned());
            log_turn(c, org_id, agent, Some(conversation_id), None, &failed).await?;
            inbox::publish(c, org_id, TOPIC_CONVERSATION, conversation_id, None).await?;
            Ok(())
        })
        .await
    }

    /// What the agent answers to `question` after `history`, without sending anything
    /// (`testAgent`, `wagent agent ask`). Member.
    pub async fn test_agent(
        &self,
        access: &Access,
        agent: Option<Uuid>,
        question: &str,
        history: &[Turn],
    ) -> Result<AgentAnswer> {
        access.ensure(Role::Member)?;
        if question.trim().is_empty()
            || question.chars().count() > 4096
            || history.len() > 50
            || history.iter().any(|t| t.text.chars().count() > 4096)
        {
            return Err(AgentError::Message);
        }
        let (agent, org_name) = self
            .tx(access.scope(), async |c| -> Result<(Agent, String)> {
                let agent = match agent {
                    Some(id) => find(c, id).await?,
                    None => Agent::with_defaults("Assistant"),
                };
                let name: String = organizations::table
                    .filter(organizations::id.eq(access.org_id))
                    .select(organizations::name)
                    .first(c)
                    .await?;
                Ok((agent, name))
            })
            .await?;
        let user = format!("playground-{}", access.caller.user_id().unwrap_or_default());
        let answer = self
            .answer(
                access.org_id,
                &agent,
                &org_name,
                question,
                history,
                &user,
                0,
            )
            .await?;
        self.tx(access.scope(), async |c| -> Result<()> {
            log_turn(
                c,
                access.org_id,
                (agent.id != Uuid::nil()).then_some(agent.id),
                None,
                None,
                &answer,
            )
            .await
        })
        .await?;
        Ok(answer)
    }

    /// The answer pipeline: rules, retrieval, the model or the offline fallback.
    #[allow(clippy::too_many_arguments)]
    async fn answer(
        &self,
        org_id: Uuid,
        agent: &Agent,
        org_name: &str,
        question: &str,
        history: &[Turn],
        user_ref: &str,
        misses: i32,
    ) -> Result<AgentAnswer> {
        let started = Instant::now();
        let lowered = question.to_lowercase();
        let can_hand_over = agent.handoff_allowed;
        // A customer asking for a person, or a keyword of the agent's: hand over at once.
        if can_hand_over {
            let keyword = agent
                .handoff_keywords
                .iter()
                .any(|k| contains_word(&lowered, &k.to_lowercase()));
            let asks = agent.handoff_on_request
                && ASKS_FOR_A_PERSON.iter().any(|p| contains_word(&lowered, p));
            if keyword || asks {
                let mut a = AgentAnswer::new(TurnOutcome::Handoff);
                a.handoff = Some(if keyword {
                    "a handoff keyword".into()
                } else {
                    "the customer asked for a person".into()
                });
                a.text = Some(agent.handoff_message.clone());
                return Ok(a);
            }
        }
        let vector = self.question_vector(question).await;
        let passages = self
            .tx(Scope::org(org_id), async |c| -> Result<Vec<Passage>> {
                Ok(search::search(
                    c,
                    question,
                    &agent.knowledge_source_ids,
                    PASSAGES,
                    vector.as_ref(),
                )
                .await?)
            })
            .await?;
        // The model reads the best passages and judges them itself; offline, only a grounded
        // passage is quoted.
        let grounded: Vec<Passage> = passages.iter().filter(|p| p.grounded()).cloned().collect();
        let chat = small_talk(question);
        let missed_too_often = agent.handoff_after_misses > 0
            && grounded.is_empty()
            && !chat
            && misses + 1 >= agent.handoff_after_misses;
        let ai = self.ai.clone();
        let online = ai.as_ref().is_some_and(|a| a.llm.is_configured());
        let mut answer = if online && let Some(ai) = ai {
            let request = prompt(
                agent,
                org_name,
                question,
                history,
                &passages,
                user_ref,
                can_hand_over,
            )
            .model(
                agent
                    .model
                    .clone()
                    .unwrap_or_else(|| ai.llm.default_model().to_owned()),
            )
            .thinking(agent.thinking);
            let request = if agent.thinking {
                request
            } else {
                request.temperature(agent.temperature)
            };
            // A token is ~4 characters; leave room so the answer is not cut mid-sentence.
            let request = request.max_tokens((agent.max_answer_chars as u32 / 3).max(64));
            // Streamed: while the request waits in the provider's queue, its keep-alives
            // hold the connection open (a plain request would just sit silent until cut).
            match ai.llm.stream_completion(&request, |_| {}).await {
                Ok(done) => {
                    let mut a = AgentAnswer::new(TurnOutcome::Answered);
                    a.model = Some(done.model.clone());
                    if let Some(u) = done.usage {
                        a.prompt_tokens = u.prompt_tokens as i64;
                        a.completion_tokens = u.completion_tokens as i64;
                        a.cache_hit_tokens = u.prompt_cache_hit_tokens.unwrap_or(0) as i64;
                        a.cost_micros = ai.prices.cost_micros(&u) as i64;
                    }
                    let handoff = done
                        .tool_calls
                        .iter()
                        .find(|t| t.function.name == HANDOFF_TOOL);
                    if let Some(call) = handoff.filter(|_| can_hand_over) {
                        #[derive(Deserialize)]
                        struct Args {
                            reason: Option<String>,
                        }
                        let reason = call
                            .parse_arguments::<Args>()
                            .ok()
                            .and_then(|a| a.reason)
                            .unwrap_or_else(|| "the assistant could not help".into());
                        a.outcome = TurnOutcome::Handoff;
                        a.handoff = Some(reason.chars().take(500).collect());
                        // One closing message: the agent's, not the model's words as well.
                        a.text = Some(agent.handoff_message.clone());
                    } else {
                        let text = done.content.trim();
                        a.text =
                            (!text.is_empty()).then(|| clip(text, agent.max_answer_chars as usize));
                    }
                    a.grounded = !grounded.is_empty();
                    a.sources = passages.iter().take(PASSAGES_SENT).cloned().collect();
                    a
                }
                Err(e) => {
                    tracing::warn!(%org_id, error = %e, "the AI provider failed; answering offline");
                    let mut a = offline(agent, &grounded);
                    a.error = Some(e.to_string());
                    a.needs_owner = matches!(e, LlmError::Unauthorized | LlmError::PaymentRequired)
                        || e.needs_owner();
                    a
                }
            }
        } else {
            offline(agent, &grounded)
        };
        if answer.outcome != TurnOutcome::Handoff && can_hand_over {
            // Thanks or a greeting with nothing to quote is no reason to call a person.
            let no_answer = agent.handoff_on_no_answer && answer.text.is_none() && !chat;
            if missed_too_often || no_answer {
                answer.outcome = TurnOutcome::Handoff;
                answer.handoff = Some(if missed_too_often {
                    "no answer found in the knowledge, repeatedly".into()
                } else {
                    "no answer found in the knowledge".into()
                });
                answer.text = Some(agent.handoff_message.clone());
            }
        }
        answer.small_talk = chat;
        answer.latency_ms = started.elapsed().as_millis() as i64;
        Ok(answer)
    }

    /// The provider refused the key or the balance ran out: the organization's agents stop
    /// answering on their own, their conversations go to the team, and the owner sees why
    /// on the agents page (and in the audit log).
    async fn pause_agents(&self, org_id: Uuid, why: &str) -> Result<()> {
        let reason: String = format!("paused: {why}").chars().take(2000).collect();
        self.tx(Scope::org(org_id), async |c| -> Result<()> {
            let paused: Vec<Uuid> = diesel::update(
                agents::table
                    .filter(agents::enabled.eq(true))
                    .filter(agents::paused_reason.is_null()),
            )
            .set(agents::paused_reason.eq(&reason))
            .returning(agents::id)
            .get_results(c)
            .await?;
            let handed: Vec<Uuid> = diesel::update(
                conversations::table.filter(conversations::handler.eq(Handler::Bot)),
            )
            .set((
                conversations::handler.eq(Handler::Team),
                conversations::handoff_reason.eq("the AI provider stopped answering"),
                conversations::handoff_at.eq(Utc::now()),
            ))
            .returning(conversations::id)
            .get_results(c)
            .await?;
            for id in &paused {
                super::publish(c, org_id, *id).await?;
                audit::record(
                    c,
                    org_id,
                    &Caller::system(Reply::KIND),
                    Entry {
                        action: "agents.paused",
                        target_type: "agent",
                        target_id: id.to_string(),
                        details: serde_json::json!({ "reason": reason }),
                    },
                )
                .await?;
            }
            for id in handed {
                inbox::publish(c, org_id, TOPIC_CONVERSATION, id, None).await?;
            }
            Ok(())
        })
        .await
    }
}

const HANDOFF_TOOL: &str = "hand_over_to_team";

/// The request: a stable prefix (who the agent is, its rules: the provider's cache hits on
/// it), the last turns, then the passages and the customer's words, all masked.
fn prompt(
    agent: &Agent,
    org_name: &str,
    question: &str,
    history: &[Turn],
    passages: &[Passage],
    user_ref: &str,
    can_hand_over: bool,
) -> ChatRequest {
    let mut system = format!(
        "You are {name}, the assistant of {org} on WhatsApp. Answer the customer only from the \
         knowledge passages given with their message and from this conversation; never invent \
         facts, prices or policies. Answer in the customer's language{langs}. Keep answers under \
         {max} characters, plain text, friendly and direct.",
        name = agent.name,
        org = org_name,
        langs = if agent.languages.is_empty() {
            String::new()
        } else {
            format!(" (you may answer in: {})", agent.languages.join(", "))
        },
        max = agent.max_answer_chars,
    );
    if can_hand_over {
        system.push_str(&format!(
            " If the customer asks for a person, or the passages do not answer their question, \
             call `{HANDOFF_TOOL}` instead of answering."
        ));
    } else {
        system.push_str(
            " If the passages do not answer the question, say you do not know and suggest \
             writing again later.",
        );
    }
    if !agent.tone.trim().is_empty() {
        system.push_str(&format!("\nTone: {}", agent.tone.trim()));
    }
    if !agent.rules.is_empty() {
        system.push_str("\nRules you must follow:");
        for rule in &agent.rules {
            system.push_str(&format!("\n- {}", rule.trim()));
        }
    }
    if !agent.system_prompt.trim().is_empty() {
        system.push_str("\n\n");
        system.push_str(agent.system_prompt.trim());
    }
    let mut messages = vec![LlmMessage::system(system)];
    let start = history.len().saturating_sub(HISTORY_TURNS);
    for turn in &history[start..] {
        let text = mask::mask(&turn.text);
        messages.push(match turn.speaker {
            Speaker::Customer => LlmMessage::user(text),
            Speaker::Bot => LlmMessage::assistant(text),
            Speaker::Team => LlmMessage::assistant(format!("[a member of the team wrote] {text}")),
        });
    }
    let mut last = String::new();
    if passages.is_empty() {
        last.push_str("Knowledge passages: none match this message.\n\n");
    } else {
        last.push_str("Knowledge passages:\n");
        for (i, p) in passages.iter().take(PASSAGES_SENT).enumerate() {
            last.push_str(&format!(
                "[{}] {}\n{}\n\n",
                i + 1,
                p.citation(),
                mask::mask(&p.text)
            ));
        }
    }
    last.push_str("Customer's message:\n");
    last.push_str(&mask::mask(question));
    messages.push(LlmMessage::user(last));
    let mut request = ChatRequest::new(messages).user_id(user_ref);
    if can_hand_over {
        request = request.tools(vec![Tool::function(
            HANDOFF_TOOL,
            "Hand the conversation to a person of the team: when the customer asks for one, or the passages do not answer.",
            serde_json::json!({
                "type": "object",
                "properties": { "reason": { "type": "string", "description": "Why, in a few words." } },
                "required": ["reason"]
            }),
        )]);
    }
    request
}

/// Without a model: the best passage, quoted with its source, or nothing.
fn offline(agent: &Agent, grounded: &[Passage]) -> AgentAnswer {
    let mut a = AgentAnswer::new(TurnOutcome::Fallback);
    if let Some(best) = grounded.first() {
        let room = (agent.max_answer_chars as usize).min(QUOTE_CHARS + 120);
        let quote = clip(
            &best.text,
            room.saturating_sub(best.citation().chars().count() + 30)
                .max(80),
        );
        a.text = Some(format!("From “{}”:\n\n{}", best.citation(), quote));
        a.sources = vec![best.clone()];
        a.grounded = true;
    }
    a
}

/// `text` cut to `max` characters at a word boundary, with an ellipsis when cut.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(i) if i > max / 2 => &cut[..i],
        _ => &cut,
    };
    format!("{}…", cut.trim_end())
}

/// Whether `phrase` occurs in `text` on word boundaries.
fn contains_word(text: &str, phrase: &str) -> bool {
    let phrase = phrase.trim();
    if phrase.is_empty() {
        return false;
    }
    text.match_indices(phrase).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + phrase.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The smallest message id stored at or after `t`. Messages are ordered by arrival through
/// their time-ordered (v7) ids: a webhook's `timestamp` has whole seconds only, and would
/// sort a customer's message before an answer sent in the same second.
fn arrived_since(t: DateTime<Utc>) -> Uuid {
    let ms = u128::try_from(t.timestamp_millis()).unwrap_or(0) & ((1 << 48) - 1);
    Uuid::from_u128((ms << 80) | (0x7 << 76) | (0b10 << 62))
}

/// When a message arrived, from its v7 id (what [`arrived_since`] compares with).
pub(crate) fn arrival(message_id: Uuid) -> Option<DateTime<Utc>> {
    let (secs, nanos) = message_id.get_timestamp()?.to_unix();
    DateTime::from_timestamp(i64::try_from(secs).ok()?, nanos)
}

/// A message of the episode: id, direction, text, the agent that wrote it, the person who did.
type EpisodeRow = (
    Uuid,
    MessageDirection,
    Option<String>,
    Option<Uuid>,
    Option<Uuid>,
);

/// Loads what the bot needs to answer, or `None` when it must stay silent.
async fn pending(c: &mut Conn, conversation_id: Uuid) -> Result<Option<Pending>> {
    let Some(conversation) = find_conversation(c, conversation_id).await.ok() else {
        return Ok(None);
    };
    if conversation.handler != Handler::Bot {
        return Ok(None);
    }
    let Some(agent_id) = conversation.agent_id else {
        return Ok(None);
    };
    let agent = find(c, agent_id).await?;
    if !agent.active() {
        return Ok(None);
    }
    let since = conversation
        .bot_episode_at
        .unwrap_or(conversation.created_at);
    let rows: Vec<EpisodeRow> = messages::table
        .filter(messages::conversation_id.eq(conversation_id))
        .filter(messages::id.ge(arrived_since(since)))
        .order(messages::id.desc())
        .limit(40)
        .select((
            messages::id,
            messages::direction,
            messages::body,
            messages::agent_id,
            messages::sent_by,
        ))
        .load(c)
        .await?;
    let mut rows = rows;
    rows.reverse();
    let last_out = rows.iter().rposition(|r| r.1 == MessageDirection::Outbound);
    let unanswered: Vec<String> = rows[last_out.map_or(0, |i| i + 1)..]
        .iter()
        .filter(|r| r.1 == MessageDirection::Inbound)
        .filter_map(|r| r.2.clone())
        .collect();
    if unanswered.is_empty() {
        return Ok(None);
    }
    let history: Vec<Turn> = rows[..last_out.map_or(0, |i| i + 1)]
        .iter()
        .filter_map(|r| {
            let text = r.2.clone()?;
            let speaker = match (r.1, r.3) {
                (MessageDirection::Inbound, _) => Speaker::Customer,
                (_, Some(_)) => Speaker::Bot,
                _ => Speaker::Team,
            };
            Some(Turn { speaker, text })
        })
        .collect();
    let last_outbound = last_out.map(|i| rows[i].0);
    let org_name: String = organizations::table
        .select(organizations::name)
        .first(c)
        .await?;
    let open_now = match agent.business_hours() {
        None => true,
        Some(hours) => {
            #[derive(diesel::QueryableByName)]
            struct Local {
                #[diesel(sql_type = diesel::sql_types::Timestamp)]
                at: chrono::NaiveDateTime,
            }
            let local = diesel::sql_query("SELECT (now() AT TIME ZONE $1) AS at")
                .bind::<diesel::sql_types::Text, _>(&hours.time_zone)
                .get_result::<Local>(c)
                .await?;
            hours.open_at(
                local.at.weekday().num_days_from_monday() as usize,
                local.at.hour() * 60 + local.at.minute(),
            )
        }
    };
    let out_of_hours_told = !open_now
        && diesel::select(diesel::dsl::exists(
            ai_turns::table
                .filter(ai_turns::conversation_id.eq(conversation_id))
                .filter(ai_turns::outcome.eq(TurnOutcome::OutOfHours))
                .filter(ai_turns::created_at.ge(since)),
        ))
        .get_result::<bool>(c)
        .await?;
    Ok(Some(Pending {
        conversation,
        agent,
        unanswered,
        history,
        last_outbound,
        org_name,
        open_now,
        out_of_hours_told,
    }))
}

/// Sends the answer if the bot may still: under the conversation's row lock, it must still
/// handle the conversation in the same episode, and nobody may have answered meanwhile.
async fn deliver(
    c: &mut Conn,
    org_id: Uuid,
    pending: &Pending,
    answer: &AgentAnswer,
) -> Result<()> {
    let conversation: Conversation = conversations::table
        .filter(conversations::id.eq(pending.conversation.id))
        .select(Conversation::as_select())
        .for_update()
        .first(c)
        .await?;
    let newest_outbound: Option<Uuid> = messages::table
        .filter(messages::conversation_id.eq(conversation.id))
        .filter(messages::direction.eq(MessageDirection::Outbound))
        .filter(
            messages::id.ge(arrived_since(
                conversation
                    .bot_episode_at
                    .unwrap_or(conversation.created_at),
            )),
        )
        .order(messages::id.desc())
        .select(messages::id)
        .first(c)
        .await
        .optional()?;
    let still_ours = conversation.handler == Handler::Bot
        && conversation.agent_id == Some(pending.agent.id)
        && conversation.bot_episode_at == pending.conversation.bot_episode_at
        && newest_outbound == pending.last_outbound;
    if !still_ours {
        let mut silenced = answer.clone();
        silenced.outcome = TurnOutcome::Silenced;
        return log_turn(
            c,
            org_id,
            Some(pending.agent.id),
            Some(conversation.id),
            None,
            &silenced,
        )
        .await;
    }
    let message_id = match &answer.text {
        Some(text) if conversation.window_open(Utc::now()) => Some(
            crate::whatsapp::queue_bot_message(c, org_id, &conversation, text, pending.agent.id)
                .await
                .map_err(|e| AgentError::Send(e.to_string()))?,
        ),
        _ => None,
    };
    if let Some(reason) = &answer.handoff {
        diesel::update(conversations::table.filter(conversations::id.eq(conversation.id)))
            .set((
                conversations::handler.eq(Handler::Team),
                conversations::handoff_reason.eq(reason),
                conversations::handoff_at.eq(Utc::now()),
            ))
            .execute(c)
            .await?;
    } else if matches!(
        answer.outcome,
        TurnOutcome::Answered | TurnOutcome::Fallback
    ) {
        let misses = if answer.grounded {
            0
        } else if answer.small_talk {
            conversation.bot_misses
        } else {
            conversation.bot_misses + 1
        };
        diesel::update(conversations::table.filter(conversations::id.eq(conversation.id)))
            .set(conversations::bot_misses.eq(misses))
            .execute(c)
            .await?;
    }
    log_turn(
        c,
        org_id,
        Some(pending.agent.id),
        Some(conversation.id),
        message_id,
        answer,
    )
    .await?;
    inbox::publish(c, org_id, TOPIC_CONVERSATION, conversation.id, None).await?;
    Ok(())
}

/// Logs a turn and adds it to the month's usage.
async fn log_turn(
    c: &mut Conn,
    org_id: Uuid,
    agent_id: Option<Uuid>,
    conversation_id: Option<Uuid>,
    message_id: Option<Uuid>,
    a: &AgentAnswer,
) -> Result<()> {
    let sources = serde_json::to_value(&a.sources).unwrap_or_default();
    diesel::insert_into(ai_turns::table)
        .values((
            ai_turns::org_id.eq(org_id),
            ai_turns::id.eq(Uuid::now_v7()),
            ai_turns::agent_id.eq(agent_id),
            ai_turns::conversation_id.eq(conversation_id),
            ai_turns::message_id.eq(message_id),
            ai_turns::outcome.eq(a.outcome),
            ai_turns::handoff_reason.eq(a.handoff.as_deref()),
            ai_turns::error.eq(a
                .error
                .as_ref()
                .map(|e| e.chars().take(2000).collect::<String>())),
            ai_turns::model.eq(a.model.as_deref()),
            ai_turns::prompt_tokens.eq(a.prompt_tokens as i32),
            ai_turns::completion_tokens.eq(a.completion_tokens as i32),
            ai_turns::cache_hit_tokens.eq(a.cache_hit_tokens as i32),
            ai_turns::latency_ms.eq(a.latency_ms.min(i64::from(i32::MAX)) as i32),
            ai_turns::cost_micros.eq(a.cost_micros),
            ai_turns::sources.eq(sources),
        ))
        .execute(c)
        .await?;
    let replies = i32::from(message_id.is_some());
    let month = Utc::now()
        .date_naive()
        .with_day(1)
        .unwrap_or_else(|| Utc::now().date_naive());
    diesel::insert_into(ai_usage::table)
        .values((
            ai_usage::org_id.eq(org_id),
            ai_usage::month.eq(month),
            ai_usage::replies.eq(replies),
            ai_usage::prompt_tokens.eq(a.prompt_tokens),
            ai_usage::completion_tokens.eq(a.completion_tokens),
            ai_usage::cost_micros.eq(a.cost_micros),
        ))
        .on_conflict((ai_usage::org_id, ai_usage::month))
        .do_update()
        .set((
            ai_usage::replies.eq(ai_usage::replies + replies),
            ai_usage::prompt_tokens.eq(ai_usage::prompt_tokens + a.prompt_tokens),
            ai_usage::completion_tokens.eq(ai_usage::completion_tokens + a.completion_tokens),
            ai_usage::cost_micros.eq(ai_usage::cost_micros + a.cost_micros),
        ))
        .execute(c)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asking_for_a_person_is_recognised_on_word_boundaries() {
        assert!(contains_word(
            "quero falar com alguém, por favor",
            "falar com alguém"
        ));
        assert!(contains_word("can i talk to a human?", "human"));
        assert!(!contains_word("humanity", "human"));
    }

    #[test]
    fn a_message_arriving_at_the_episode_start_belongs_to_it() {
        let id = Uuid::now_v7();
        let at = arrival(id).unwrap();
        assert!(arrived_since(at) <= id);
        assert!(arrived_since(at + Duration::milliseconds(1)) > id);
    }

    #[test]
    fn greetings_thanks_and_emoji_are_small_talk_and_questions_are_not() {
        for chat in [
            "Hi!",
            "thanks a lot 🙏",
            "Obrigada!!",
            "bom dia",
            "👍",
            "ok, got it",
        ] {
            assert!(small_talk(chat), "{chat}");
        }
        for question in [
            "hi, do you ship to Porto?",
            "obrigado, e o frete?",
            "no refund?",
        ] {
            assert!(!small_talk(question), "{question}");
        }
    }

    #[test]
    fn clipped_answers_end_on_a_word() {
        assert_eq!(clip("short", 10), "short");
        assert_eq!(clip("one two three four five", 12), "one two…");
    }
}
