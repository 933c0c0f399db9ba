//! WhatsApp through Meta's Cloud API: connecting numbers, templates, webhooks into the
//! inbox, and sending.
//!
//! Tokens are sealed at rest ([`crate::secrets`]) and opened only to call Meta. Webhooks are
//! stored raw and answered at once; the `whatsapp.webhook` job routes each event to its
//! organization through `org_routes` and applies it in that organization's transaction.

use std::{collections::BTreeMap, path::PathBuf, sync::Arc, time::Duration as StdDuration};

use chrono::{DateTime, Utc};
use diesel::{
    BoolExpressionMethods, ExpressionMethods, JoinOnDsl, OptionalExtension, QueryDsl,
    SelectableHelper,
};
use diesel_async::RunQueryDsl;
use serde_json::{Value, json};
use uuid::Uuid;
use wagent_db::{
    Conn, Scope,
    schema::{
        contacts, conversations, media, message_statuses, message_templates, messages, org_routes,
        phone_numbers, webhook_events, webhook_failures, whatsapp_accounts,
    },
};
use wagent_jobs::{Job, JobError, NewJob};
use wagent_meta::{
    AccessToken, GraphClient, GraphError, Recipient,
    webhook::{InboundKind, InboundMessage, MessageStatus, StatusUpdate, WebhookEvent},
};

use crate::{
    Access, Domain, DomainError, Result, Role,
    audit::{self, Entry},
    inbox::{
        self, Conversation, Message, PhoneNumber, TOPIC_CONVERSATION, TOPIC_MESSAGE_CREATED,
        TOPIC_MESSAGE_UPDATED, find_conversation,
    },
    secrets::Keyring,
};

pub const JOB_WEBHOOK: &str = "whatsapp.webhook";
pub const JOB_SEND: &str = "whatsapp.send";
pub const JOB_MEDIA: &str = "whatsapp.media";
pub const JOB_MARK_READ: &str = "whatsapp.mark_read";
pub const JOB_REFRESH: &str = "whatsapp.refresh";

/// How long a webhook delivery that cannot be read (or whose processing gave up) is kept,
/// sealed, for an operator to inspect its error. See docs/ARCHITECTURE.md.
pub const UNREADABLE_WEBHOOK_HOURS: i64 = 24;

const ROUTE_WABA: &str = "whatsapp_waba";
const ROUTE_NUMBER: &str = "whatsapp_phone_number";

/// How WAgent reaches Meta (or the sandbox).
pub struct WhatsAppSetup {
    pub graph: GraphClient,
    pub keyring: Keyring,
    pub app_id: Option<String>,
    pub app_secret: Option<String>,
    /// Where downloaded media is stored.
    pub media_dir: PathBuf,
}

impl std::fmt::Debug for WhatsAppSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WhatsAppSetup")
            .field("app_id", &self.app_id)
            .field("media_dir", &self.media_dir)
            .finish()
    }
}

/// What an agent sends.
#[derive(Debug, Clone)]
pub enum Outgoing {
    Text {
        body: String,
    },
    Template {
        name: String,
        language: String,
        body_parameters: Vec<String>,
    },
    Reaction {
        message_id: Uuid,
        emoji: String,
    },
}

impl Domain {
    pub(crate) fn whatsapp_setup(&self) -> Result<Arc<WhatsAppSetup>> {
        self.whatsapp().cloned()
    }

    fn whatsapp(&self) -> Result<&Arc<WhatsAppSetup>> {
        self.whatsapp
            .as_ref()
            .ok_or_else(|| DomainError::validation("WhatsApp is not configured on this server"))
    }

    fn token_purpose(account_id: Uuid) -> String {
        format!("whatsapp_accounts.access_token/{account_id}")
    }

    /// Connects a number with a WhatsApp Business Account id, its phone number id and a
    /// system-user token. Admin or Owner. Meta is asked for the number first, so a wrong
    /// token or id fails here and nothing is stored.
    pub async fn connect_whatsapp(
        &self,
        access: &Access,
        waba_id: &str,
        phone_number_id: &str,
        token: &str,
        via: &str,
    ) -> Result<PhoneNumber> {
        access.ensure(Role::Admin)?;
        let wa = self.whatsapp()?.clone();
        let (waba_id, phone_number_id) = (
            meta_id(waba_id, "WABA id")?,
            meta_id(phone_number_id, "phone number id")?,
        );
        let token = token.trim();
        if token.is_empty() || token.len() > 2048 {
            return Err(DomainError::validation(
                "the access token is empty or too long",
            ));
        }
        let access_token = AccessToken::new(token);
        let details = wa
            .graph
            .phone_number(&access_token, &phone_number_id)
            .await
            .map_err(graph_error)?;
        // Account-level webhooks are routed by WABA: the number must really be under it.
        let listed = wa
            .graph
            .phone_numbers(&access_token, &waba_id)
            .await
            .map_err(graph_error)?;
        if !listed.iter().any(|n| n.id == phone_number_id) {
            return Err(DomainError::validation(format!(
                "phone number {phone_number_id} is not in WhatsApp Business Account {waba_id}"
            )));
        }
        wa.graph
            .subscribe_app(&access_token, &waba_id)
            .await
            .map_err(graph_error)?;
        let account_id = Uuid::now_v7();
        self.tx(access.scope(), async |c| {
            claim_route(c, access.org_id, ROUTE_WABA, &waba_id).await?;
            claim_route(c, access.org_id, ROUTE_NUMBER, &phone_number_id).await?;
            let existing: Option<Uuid> = whatsapp_accounts::table
                .filter(whatsapp_accounts::waba_id.eq(&waba_id))
                .select(whatsapp_accounts::id)
                .first(c)
                .await
                .optional()?;
            let account_id = existing.unwrap_or(account_id);
            let sealed = wa
                .keyring
                .seal(token, access.org_id, &Self::token_purpose(account_id));
            diesel::insert_into(whatsapp_accounts::table)
                .values((
                    whatsapp_accounts::org_id.eq(access.org_id),
                    whatsapp_accounts::id.eq(account_id),
                    whatsapp_accounts::waba_id.eq(&waba_id),
                    whatsapp_accounts::access_token_sealed.eq(&sealed),
                    whatsapp_accounts::connected_via.eq(via),
                    whatsapp_accounts::connected_by.eq(access.caller().user_id()),
                ))
                .on_conflict((whatsapp_accounts::org_id, whatsapp_accounts::waba_id))
                .do_update()
                .set((
                    whatsapp_accounts::access_token_sealed.eq(&sealed),
                    whatsapp_accounts::updated_at.eq(Utc::now()),
                ))
                .execute(c)
                .await?;
            let number = diesel::insert_into(phone_numbers::table)
                .values((
                    phone_numbers::org_id.eq(access.org_id),
                    phone_numbers::id.eq(Uuid::now_v7()),
                    phone_numbers::account_id.eq(account_id),
                    phone_numbers::phone_number_id.eq(&phone_number_id),
                ))
                .on_conflict((phone_numbers::org_id, phone_numbers::phone_number_id))
                .do_update()
                .set((
                    phone_numbers::account_id.eq(account_id),
                    phone_numbers::disconnected_at.eq(None::<DateTime<Utc>>),
                ))
                .returning(phone_numbers::id)
                .get_result::<Uuid>(c)
                .await?;
            let number = store_details(c, number, &details).await?;
            audit::record(
                c,
                access.org_id,
                access.caller(),
                Entry {
                    action: "whatsapp.connected",
                    target_type: "phone_number",
                    target_id: phone_number_id.clone(),
                    details: json!({ "waba_id": waba_id, "via": via }),
                },
            )
            .await?;
            Ok(number)
        })
        .await
    }

    /// Embedded Signup: exchanges the code (valid 30 s) for a business token at once, then
    /// connects like [`Domain::connect_whatsapp`] and registers the number.
    pub async fn complete_embedded_signup(
        &self,
        access: &Access,
        code: &str,
        waba_id: &str,
        phone_number_id: &str,
    ) -> Result<PhoneNumber> {
        access.ensure(Role::Admin)?;
        let wa = self.whatsapp()?.clone();
        let (Some(app_id), Some(secret)) = (&wa.app_id, &wa.app_secret) else {
            return Err(DomainError::validation(
                "Embedded Signup needs META_APP_ID and META_APP_SECRET on the server",
            ));
        };
        let code = code.trim();
        if code.is_empty() || code.len() > 2048 {
            return Err(DomainError::validation("the signup code is missing"));
        }
        let token = wa
            .graph
            .exchange_code(app_id, secret, code)
            .await
            .map_err(graph_error)?;
        let pin = format!("{:06}", rand::random::<u32>() % 1_000_000);
        if let Err(e) = wa
            .graph
            .register(&token, phone_number_id.trim(), &pin)
            .await
        {
            // An already registered number answers with an error; connecting still works.
            tracing::info!(error = %e, "registering the number");
        }
        self.connect_whatsapp(
            access,
            waba_id,
            phone_number_id,
            token.expose(),
            "embedded_signup",
        )
        .await
    }

    /// Asks Meta for the number's current name, quality, status and limits.
    pub async fn refresh_phone_number(&self, access: &Access, id: Uuid) -> Result<PhoneNumber> {
        access.ensure(Role::Member)?;
        let wa = self.whatsapp()?.clone();
        let (number, token) = self.number_and_token(access, id).await?;
        let details = wa
            .graph
            .phone_number(&token, &number.phone_number_id)
            .await
            .map_err(graph_error)?;
        self.tx(access.scope(), async |c| {
            store_details(c, id, &details).await
        })
        .await
    }

    /// Stops receiving and sending on a number; its conversations stay.
    pub async fn disconnect_phone_number(&self, access: &Access, id: Uuid) -> Result<PhoneNumber> {
        access.ensure(Role::Admin)?;
        self.tx(access.scope(), async |c| {
            let number: PhoneNumber =
                diesel::update(phone_numbers::table.filter(phone_numbers::id.eq(id)))
                    .set(phone_numbers::disconnected_at.eq(Utc::now()))
                    .returning(PhoneNumber::as_returning())
                    .get_result(c)
                    .await
                    .optional()?
                    .ok_or(DomainError::NotFound("phone number"))?;
            diesel::delete(
                org_routes::table
                    .filter(org_routes::kind.eq(ROUTE_NUMBER))
                    .filter(org_routes::key.eq(&number.phone_number_id)),
            )
            .execute(c)
            .await?;
            audit::record(
                c,
                access.org_id,
                access.caller(),
                Entry {
                    action: "whatsapp.disconnected",
                    target_type: "phone_number",
                    target_id: number.phone_number_id.clone(),
                    details: json!({}),
                },
            )
            .await?;
            Ok(number)
        })
        .await
    }

    pub(crate) async fn number_and_token(
        &self,
        access: &Access,
        number_id: Uuid,
    ) -> Result<(PhoneNumber, AccessToken)> {
        let wa = self.whatsapp()?.clone();
        let (number, sealed, account_id) = self
            .tx(access.scope(), async |c| {
                let number: PhoneNumber = phone_numbers::table
                    .filter(phone_numbers::id.eq(number_id))
                    .select(PhoneNumber::as_select())
                    .first(c)
                    .await
                    .optional()?
                    .ok_or(DomainError::NotFound("phone number"))?;
                let sealed: String = whatsapp_accounts::table
                    .filter(whatsapp_accounts::id.eq(number.account_id))
                    .select(whatsapp_accounts::access_token_sealed)
                    .first(c)
                    .await?;
                let account_id = number.account_id;
                Ok((number, sealed, account_id))
            })
            .await?;
        let opened = wa
            .keyring
            .open(&sealed, access.org_id, &Self::token_purpose(account_id))
            .map_err(DomainError::internal)?;
        Ok((number, AccessToken::new(opened.expose())))
    }

    /// Stores a webhook delivery as received (sealed: it holds tenants' message content
    /// before anyone knows their organization) and schedules its processing, in one
    /// transaction. Called after the signature was checked.
    pub async fn receive_webhook(&self, body: &[u8]) -> Result<Uuid> {
        let id = Uuid::now_v7();
        let sealed = self
            .whatsapp()?
            .keyring
            .seal_bytes(body, Uuid::nil(), &webhook_purpose(id));
        self.tx(Scope::system(), async |c| {
            diesel::insert_into(webhook_events::table)
                .values((
                    webhook_events::id.eq(id),
                    webhook_events::source.eq("whatsapp"),
                    webhook_events::body_sealed.eq(&sealed),
                ))
                .execute(c)
                .await?;
            wagent_jobs::enqueue(c, NewJob::new(JOB_WEBHOOK, None, json!({ "event_id": id })))
                .await?;
            Ok(id)
        })
        .await
    }

    /// The `whatsapp.webhook` job: every entry, change, message and status of one delivery.
    /// For a delivery already found unreadable it is the expiry: the row goes once it is
    /// [`UNREADABLE_WEBHOOK_HOURS`] old.
    pub async fn process_webhook(&self, event_id: Uuid) -> Result<ProcessReport> {
        type Stored = (
            Option<Vec<u8>>,
            Option<String>,
            DateTime<Utc>,
            Option<String>,
        );
        let stored: Option<Stored> = self
            .tx(Scope::system(), async |c| {
                Ok(webhook_events::table
                    .filter(webhook_events::id.eq(event_id))
                    .select((
                        webhook_events::body,
                        webhook_events::body_sealed,
                        webhook_events::received_at,
                        webhook_events::error,
                    ))
                    .first(c)
                    .await
                    .optional()?)
            })
            .await?;
        let Some((legacy_body, sealed, received_at, error)) = stored else {
            return Ok(ProcessReport::default());
        };
        let unreadable = ProcessReport {
            unparsable: true,
            ..Default::default()
        };
        let expires_at = received_at + chrono::Duration::hours(UNREADABLE_WEBHOOK_HOURS);
        if error.is_some() {
            if expires_at <= Utc::now() {
                self.delete_webhook_events(event_id).await?;
            }
            return Ok(unreadable);
        }
        let body = match (sealed, legacy_body) {
            (Some(sealed), _) => self
                .whatsapp()?
                .keyring
                .open_bytes(&sealed, Uuid::nil(), &webhook_purpose(event_id))
                .map_err(|e| e.to_string()),
            // Stored in clear before bodies were sealed.
            (None, Some(body)) => Ok(body),
            (None, None) => Err("the delivery has no body".to_owned()),
        };
        let events = match body
            .and_then(|b| wagent_meta::webhook::parse(&b).map_err(|e| e.to_string()))
        {
            Ok(events) => events,
            Err(error) => {
                tracing::warn!(
                    %event_id,
                    %error,
                    kept_hours = UNREADABLE_WEBHOOK_HOURS,
                    "a webhook delivery cannot be read; kept sealed until it expires"
                );
                // Kept (sealed, with its error) for inspection, then expired by a job.
                self.tx(Scope::system(), async |c| {
                    diesel::update(webhook_events::table.filter(webhook_events::id.eq(event_id)))
                        .set(webhook_events::error.eq(error))
                        .execute(c)
                        .await?;
                    let expiry = NewJob::new(JOB_WEBHOOK, None, json!({ "event_id": event_id }))
                        .at(expires_at);
                    wagent_jobs::enqueue(c, expiry).await?;
                    Ok(())
                })
                .await?;
                return Ok(unreadable);
            }
        };
        // Route each event to its organization, then apply each organization's share in one
        // transaction, in the order Meta sent them.
        let mut by_org: BTreeMap<Uuid, Vec<WebhookEvent>> = BTreeMap::new();
        let mut report = ProcessReport::default();
        for event in events {
            match self.route(&event).await? {
                Some(org) => by_org.entry(org).or_default().push(event),
                None => report.unrouted += 1,
            }
        }
        for (org_id, events) in by_org {
            let applied = self
                .tx(Scope::org(org_id), async |c| {
                    apply_events(c, org_id, &events).await
                })
                .await?;
            report.messages += applied.messages;
            report.statuses += applied.statuses;
            report.other += applied.other;
            report.failed += applied.failed;
        }
        self.delete_webhook_events(event_id).await?;
        Ok(report)
    }

    /// Deletes a delivery, and every delivery past [`UNREADABLE_WEBHOOK_HOURS`] (whose job
    /// has long given up retrying) in case its expiry job was lost.
    async fn delete_webhook_events(&self, event_id: Uuid) -> Result<()> {
        self.tx(Scope::system(), async |c| {
            diesel::delete(webhook_events::table.filter(webhook_events::id.eq(event_id)))
                .execute(c)
                .await?;
            let expired = Utc::now() - chrono::Duration::hours(UNREADABLE_WEBHOOK_HOURS);
            diesel::delete(webhook_events::table.filter(webhook_events::received_at.lt(expired)))
                .execute(c)
                .await?;
            Ok(())
        })
        .await
    }

    async fn route(&self, event: &WebhookEvent) -> Result<Option<Uuid>> {
        let (kind, key) = match event {
            WebhookEvent::Message {
                phone_number_id, ..
            }
            | WebhookEvent::Status {
                phone_number_id, ..
            } => (ROUTE_NUMBER, phone_number_id.clone()),
            other => (ROUTE_WABA, other.waba_id().to_owned()),
        };
        self.tx(Scope::system(), async |c| {
            Ok(org_routes::table
                .filter(org_routes::kind.eq(kind))
                .filter(org_routes::key.eq(&key))
                .select(org_routes::org_id)
                .first::<Uuid>(c)
                .await
                .optional()?)
        })
        .await
    }

    /// Queues a message to the conversation's customer. Free-form messages need the
    /// 24-hour window to be open; templates go out any time.
    pub async fn send_message(
        &self,
        access: &Access,
        conversation_id: Uuid,
        outgoing: Outgoing,
        reply_to: Option<Uuid>,
    ) -> Result<Message> {
        access.ensure(Role::Member)?;
        self.whatsapp()?;
        let (kind, body, payload) = match &outgoing {
            Outgoing::Text { body } => {
                let body = body.trim();
                if body.is_empty() || body.chars().count() > 4096 {
                    return Err(DomainError::validation(
                        "a message has 1 to 4096 characters",
                    ));
                }
                ("text", Some(body.to_owned()), json!({ "body": body }))
            }
            Outgoing::Template {
                name,
                language,
                body_parameters,
            } => {
                if body_parameters.len() > 20
                    || body_parameters.iter().any(|p| p.chars().count() > 1024)
                {
                    return Err(DomainError::validation(
                        "too many or too long template parameters",
                    ));
                }
                (
                    "template",
                    Some(format!("[template {name}]")),
                    json!({ "name": name, "language": language, "body_parameters": body_parameters }),
                )
            }
            Outgoing::Reaction { message_id, emoji } => (
                "reaction",
                Some(emoji.clone()),
                json!({ "message_id": message_id, "emoji": emoji }),
            ),
        };
        let free_form = !matches!(outgoing, Outgoing::Template { .. });
        self.tx(access.scope(), async |c| {
            let conversation = find_conversation(c, conversation_id).await?;
            let number: PhoneNumber = phone_numbers::table.filter(phone_numbers::id.eq(conversation.phone_number_id)).select(PhoneNumber::as_select()).first(c).await?;
            if number.disconnected_at.is_some() {
                return Err(DomainError::validation("this number is disconnected; connect it again to send"));
            }
            let now = Utc::now();
            if free_form && !conversation.window_open(now) {
                return Err(DomainError::validation(match conversation.window_open_until() {
                    Some(t) => format!("the 24-hour window closed at {}; only an approved template can be sent now", t.format("%Y-%m-%d %H:%M UTC")),
                    None => "the customer has not written yet; only an approved template can be sent".to_string(),
                }));
            }
            let mut payload = payload.clone();
            if let Outgoing::Reaction { message_id, .. } = &outgoing {
                // Only a message of this conversation: Meta would otherwise react in another chat.
                let target: Option<String> = messages::table
                    .filter(messages::id.eq(message_id))
                    .filter(messages::conversation_id.eq(conversation_id))
                    .select(messages::wamid)
                    .first::<Option<String>>(c)
                    .await
                    .optional()?
                    .flatten();
                payload["wamid"] = json!(target.ok_or(DomainError::NotFound("message"))?);
            }
            let reply_to_wamid = match reply_to {
                Some(id) => Some(
                    messages::table
                        .filter(messages::id.eq(id))
                        .filter(messages::conversation_id.eq(conversation_id))
                        .select(messages::wamid)
                        .first::<Option<String>>(c)
                        .await
                        .optional()?
                        .flatten()
                        .ok_or(DomainError::NotFound("message"))?,
                ),
                None => None,
            };
            // A template reads in the inbox as the customer will see it, when its text is known.
            let body = match &outgoing {
                Outgoing::Template { name, language, body_parameters } => {
                    let known: Option<crate::templates::Template> = message_templates::table
                        .filter(message_templates::name.eq(name))
                        .filter(message_templates::language.eq(language))
                        .select(crate::templates::Template::as_select())
                        .first(c)
                        .await
                        .optional()?;
                    known.and_then(|t| t.render(body_parameters)).or(body)
                }
                _ => body,
            };
            let draft = Outbound { kind, body: body.as_deref(), payload: &payload, reply_to_wamid: reply_to_wamid.as_deref() };
            let message = queue_outbound(c, access, &conversation, draft, now).await?;
            Ok(message)
        })
        .await
    }

    /// Clears the unread count and, through a job, marks the last inbound message read at Meta.
    /// The job is queued in the same transaction as the change, so neither happens alone.
    pub async fn mark_read(&self, access: &Access, conversation_id: Uuid) -> Result<Conversation> {
        access.ensure(Role::Member)?;
        let configured = self.whatsapp.is_some();
        self.tx(access.scope(), async |c| {
            let (conversation, wamid) =
                inbox::mark_conversation_read(c, access.org_id, conversation_id).await?;
            if let (Some(wamid), true) = (wamid, configured) {
                let job = NewJob::new(
                    JOB_MARK_READ,
                    Some(access.org_id),
                    json!({ "conversation_id": conversation_id, "wamid": wamid }),
                )
                .unique(format!("{JOB_MARK_READ}:{conversation_id}"));
                wagent_jobs::enqueue(c, job).await?;
            }
            Ok(conversation)
        })
        .await
    }

    /// The `whatsapp.send` job. Every way a send can end for good (Meta's refusal, the last
    /// retry given up, a file gone missing) leaves the message `failed` with the reason.
    pub async fn run_send_job(self, job: Job) -> Result<(), JobError> {
        let org_id = job
            .org_id
            .ok_or_else(|| JobError::Permanent("no organization".into()))?;
        let message_id = job_uuid(&job, "message_id")?;
        let failure = match self.send_once(&job, org_id, message_id).await {
            Ok(()) => return Ok(()),
            Err(SendError::Refused(e)) => {
                let failure = SendFailure::from_graph(&e);
                self.mark_send_failed(org_id, message_id, failure)
                    .await
                    .map_err(|e| JobError::Failed(format!("{e:?}")))?;
                return Ok(());
            }
            Err(SendError::Job(e)) => e,
        };
        let gives_up =
            matches!(failure, JobError::Permanent(_)) || job.attempts >= job.max_attempts;
        if gives_up {
            let reason = match &failure {
                JobError::Permanent(reason) => reason.clone(),
                other => format!("not sent after {} attempts: {other}", job.attempts),
            };
            let failed = SendFailure {
                code: None,
                title: None,
                details: reason,
            };
            if let Err(e) = self.mark_send_failed(org_id, message_id, failed).await {
                tracing::warn!(error = ?e, "cannot mark a message failed");
            }
        }
        Err(failure)
    }

    async fn send_once(&self, job: &Job, org_id: Uuid, message_id: Uuid) -> Result<(), SendError> {
        let wa = self
            .whatsapp()
            .map_err(|e| JobError::Permanent(e.to_string()))?
            .clone();
        let loaded = self
            .tx(Scope::org(org_id), async |c| {
                let message: Message = messages::table
                    .filter(messages::id.eq(message_id))
                    .select(Message::as_select())
                    .first(c)
                    .await?;
                let conversation = find_conversation(c, message.conversation_id).await?;
                let number: PhoneNumber = phone_numbers::table
                    .filter(phone_numbers::id.eq(conversation.phone_number_id))
                    .select(PhoneNumber::as_select())
                    .first(c)
                    .await?;
                let ids: (Option<String>, Option<String>) = contacts::table
                    .filter(contacts::id.eq(conversation.contact_id))
                    .select((contacts::wa_id, contacts::user_id))
                    .first(c)
                    .await?;
                let sealed: String = whatsapp_accounts::table
                    .filter(whatsapp_accounts::id.eq(number.account_id))
                    .select(whatsapp_accounts::access_token_sealed)
                    .first(c)
                    .await?;
                Ok((message, number, ids, sealed))
            })
            .await
            .map_err(|e| JobError::Failed(format!("{e:?}")))?;
        let (message, number, ids, sealed) = loaded;
        if message.status != "pending" {
            return Ok(());
        }
        let recipient = recipient_of(ids.0, ids.1).ok_or_else(|| {
            JobError::Permanent("the contact has neither a phone number nor a user id".into())
        })?;
        let token = wa
            .keyring
            .open(&sealed, org_id, &Self::token_purpose(number.account_id))
            .map_err(|e| JobError::Permanent(e.to_string()))?;
        let access_token = AccessToken::new(token.expose());
        // Media goes up to Meta first; the message then names it by id.
        let uploaded = match message.payload["media_id"].as_str() {
            Some(ours)
                if matches!(
                    message.kind.as_str(),
                    "image" | "video" | "audio" | "document"
                ) =>
            {
                let path = wa.media_dir.join(org_id.to_string()).join(ours);
                let bytes = tokio::fs::read(&path)
                    .await
                    .map_err(|e| JobError::Permanent(format!("the file is gone: {e}")))?;
                let mime = message.payload["mime_type"]
                    .as_str()
                    .unwrap_or("application/octet-stream");
                let name = message.payload["file_name"].as_str().unwrap_or("file");
                match wa
                    .graph
                    .upload_media(&access_token, &number.phone_number_id, bytes, mime, name)
                    .await
                {
                    Ok(id) => Some(id),
                    Err(e)
                        if e.class() != wagent_meta::ErrorClass::Final
                            && job.attempts < job.max_attempts =>
                    {
                        return Err(JobError::Failed(e.to_string()).into());
                    }
                    Err(e) => return Err(SendError::Refused(e)),
                }
            }
            _ => None,
        };
        let outbound = outbound_for(&message, recipient, uploaded)
            .map_err(|e| JobError::Permanent(e.to_string()))?;
        let sent = match wa
            .graph
            .send_message(&access_token, &number.phone_number_id, &outbound)
            .await
        {
            Ok(sent) => sent,
            Err(e) => {
                // The last attempt keeps Meta's own code and words.
                let last = job.attempts >= job.max_attempts;
                return Err(match e.class() {
                    wagent_meta::ErrorClass::Throttled if !last => {
                        JobError::RetryAfter(e.retry_after().unwrap_or(StdDuration::from_secs(2)))
                            .into()
                    }
                    wagent_meta::ErrorClass::Transient if !last => {
                        JobError::Failed(e.to_string()).into()
                    }
                    _ => SendError::Refused(e),
                });
            }
        };
        self.tx(Scope::org(org_id), async |c| {
            diesel::update(
                messages::table
                    .filter(messages::id.eq(message_id))
                    .filter(messages::status.eq("pending")),
            )
            .set((
                messages::status.eq("accepted"),
                messages::status_at.eq(Utc::now()),
                messages::wamid.eq(&sent.message_id),
                messages::error_code.eq(None::<i32>),
                messages::error_text.eq(None::<String>),
            ))
            .execute(c)
            .await?;
            inbox::publish(
                c,
                org_id,
                TOPIC_MESSAGE_UPDATED,
                message.conversation_id,
                Some(message_id),
            )
            .await?;
            Ok(())
        })
        .await
        .map_err(|e| JobError::Failed(format!("{e:?}")))?;
        Ok(())
    }

    /// Marks a pending outbound message `failed` for good, with the reason, in its history
    /// too; the inbox offers to retry it.
    async fn mark_send_failed(
        &self,
        org_id: Uuid,
        message_id: Uuid,
        failure: SendFailure,
    ) -> Result<()> {
        let now = Utc::now();
        let details: String = failure.details.chars().take(2048).collect();
        let title: Option<String> = failure.title.map(|t| t.chars().take(512).collect());
        self.tx(Scope::org(org_id), async |c| {
            let conversation_id: Option<Uuid> = diesel::update(
                messages::table
                    .filter(messages::id.eq(message_id))
                    .filter(messages::status.eq("pending")),
            )
            .set((
                messages::status.eq("failed"),
                messages::status_at.eq(now),
                messages::error_code.eq(failure.code),
                messages::error_text.eq(&details),
            ))
            .returning(messages::conversation_id)
            .get_result(c)
            .await
            .optional()?;
            let Some(conversation_id) = conversation_id else {
                return Ok(());
            };
            diesel::insert_into(message_statuses::table)
                .values((
                    message_statuses::org_id.eq(org_id),
                    message_statuses::id.eq(Uuid::now_v7()),
                    message_statuses::message_id.eq(message_id),
                    message_statuses::status.eq("failed"),
                    message_statuses::at.eq(now),
                    message_statuses::error_code.eq(failure.code),
                    message_statuses::error_title.eq(&title),
                    message_statuses::error_details.eq(&details),
                ))
                .execute(c)
                .await?;
            inbox::publish(
                c,
                org_id,
                TOPIC_MESSAGE_UPDATED,
                conversation_id,
                Some(message_id),
            )
            .await?;
            Ok(())
        })
        .await
    }

    /// Sends a failed outbound message again: back to `pending` with a new send job. Member.
    /// The rules of a new send hold again (the number connected; the 24-hour window open
    /// unless it is a template).
    pub async fn retry_message(&self, access: &Access, message_id: Uuid) -> Result<Message> {
        access.ensure(Role::Member)?;
        self.whatsapp()?;
        self.tx(access.scope(), async |c| {
            let message: Message = messages::table
                .filter(messages::id.eq(message_id))
                .select(Message::as_select())
                .for_update()
                .first(c)
                .await
                .optional()?
                .ok_or(DomainError::NotFound("message"))?;
            if message.direction != "outbound" || message.status != "failed" {
                return Err(DomainError::validation(
                    "only a failed message sent from here can be retried",
                ));
            }
            let conversation = find_conversation(c, message.conversation_id).await?;
            let number: PhoneNumber = phone_numbers::table
                .filter(phone_numbers::id.eq(conversation.phone_number_id))
                .select(PhoneNumber::as_select())
                .first(c)
                .await?;
            if number.disconnected_at.is_some() {
                return Err(DomainError::validation(
                    "this number is disconnected; connect it again to send",
                ));
            }
            let now = Utc::now();
            if message.kind != "template" && !conversation.window_open(now) {
                return Err(DomainError::validation(
                    "the 24-hour window is closed; only an approved template can be sent now",
                ));
            }
            // A new send gets a new wamid; the old one's history stays.
            let message: Message =
                diesel::update(messages::table.filter(messages::id.eq(message_id)))
                    .set((
                        messages::status.eq("pending"),
                        messages::status_at.eq(now),
                        messages::wamid.eq(None::<String>),
                        messages::error_code.eq(None::<i32>),
                        messages::error_text.eq(None::<String>),
                    ))
                    .returning(Message::as_returning())
                    .get_result(c)
                    .await?;
            queue_send(c, access.org_id, &message, TOPIC_MESSAGE_UPDATED).await?;
            Ok(message)
        })
        .await
    }

    /// The `whatsapp.refresh` job: a number's details, read again after an account update.
    pub async fn run_refresh_job(self, job: Job) -> Result<(), JobError> {
        let org_id = job
            .org_id
            .ok_or_else(|| JobError::Permanent("no organization".into()))?;
        let id = job_uuid(&job, "phone_number_id")?;
        let access = Access {
            caller: crate::Caller::operator(),
            org_id,
            role: Role::Owner,
        };
        match self.refresh_phone_number(&access, id).await {
            Ok(_) => Ok(()),
            Err(DomainError::NotFound(_)) => Ok(()),
            Err(e) => Err(JobError::Failed(format!("{e:?}"))),
        }
    }

    /// The `whatsapp.mark_read` job.
    pub async fn run_mark_read_job(self, job: Job) -> Result<(), JobError> {
        let org_id = job
            .org_id
            .ok_or_else(|| JobError::Permanent("no organization".into()))?;
        let conversation_id = job_uuid(&job, "conversation_id")?;
        let wamid = job.payload["wamid"]
            .as_str()
            .ok_or_else(|| JobError::Permanent("no wamid".into()))?
            .to_owned();
        let wa = self
            .whatsapp()
            .map_err(|e| JobError::Permanent(e.to_string()))?
            .clone();
        let number_id = self
            .tx(Scope::org(org_id), async |c| {
                Ok(find_conversation(c, conversation_id).await?.phone_number_id)
            })
            .await
            .map_err(|e| JobError::Failed(format!("{e:?}")))?;
        let access = Access {
            caller: crate::Caller::operator(),
            org_id,
            role: Role::Owner,
        };
        let (number, token) = self
            .number_and_token(&access, number_id)
            .await
            .map_err(|e| JobError::Failed(format!("{e:?}")))?;
        match wa
            .graph
            .mark_read(&token, &number.phone_number_id, &wamid, false)
            .await
        {
            Ok(()) => Ok(()),
            Err(e) if e.class() == wagent_meta::ErrorClass::Final => {
                Err(JobError::Permanent(e.to_string()))
            }
            Err(e) => Err(JobError::Failed(e.to_string())),
        }
    }

    /// The `whatsapp.media` job: downloads an inbound message's media into the data folder.
    pub async fn run_media_job(self, job: Job) -> Result<(), JobError> {
        let org_id = job
            .org_id
            .ok_or_else(|| JobError::Permanent("no organization".into()))?;
        let media_id = job_uuid(&job, "media_id")?;
        let wa = self
            .whatsapp()
            .map_err(|e| JobError::Permanent(e.to_string()))?
            .clone();
        let (meta_id, number_id) = self
            .tx(Scope::org(org_id), async |c| {
                let (meta_id, message_id): (Option<String>, Uuid) = media::table
                    .filter(media::id.eq(media_id))
                    .select((media::meta_media_id, media::message_id))
                    .first(c)
                    .await?;
                let conversation_id: Uuid = messages::table
                    .filter(messages::id.eq(message_id))
                    .select(messages::conversation_id)
                    .first(c)
                    .await?;
                Ok((
                    meta_id,
                    find_conversation(c, conversation_id).await?.phone_number_id,
                ))
            })
            .await
            .map_err(|e| JobError::Failed(format!("{e:?}")))?;
        let meta_id = meta_id.ok_or_else(|| JobError::Permanent("no media id".into()))?;
        let access = Access {
            caller: crate::Caller::operator(),
            org_id,
            role: Role::Owner,
        };
        let (_, token) = self
            .number_and_token(&access, number_id)
            .await
            .map_err(|e| JobError::Failed(format!("{e:?}")))?;
        let info = wa
            .graph
            .media_info(&token, &meta_id)
            .await
            .map_err(|e| JobError::Failed(e.to_string()))?;
        let limit = media_limit(&info.mime_type);
        let outcome = wa.graph.download_media(&token, &info.url, limit).await;
        let (stored, error) = match outcome {
            Ok(bytes) => {
                let dir = wa.media_dir.join(org_id.to_string());
                tokio::fs::create_dir_all(&dir)
                    .await
                    .map_err(|e| JobError::Failed(e.to_string()))?;
                tokio::fs::write(dir.join(media_id.to_string()), &bytes)
                    .await
                    .map_err(|e| JobError::Failed(e.to_string()))?;
                (Some(bytes.len() as i64), None)
            }
            Err(GraphError::TooLarge) => (
                None,
                Some(format!(
                    "larger than the {} MB allowed for this type",
                    limit / 1_000_000
                )),
            ),
            Err(e) if job.attempts < job.max_attempts => {
                return Err(JobError::Failed(e.to_string()));
            }
            Err(e) => (None, Some(e.to_string())),
        };
        self.tx(Scope::org(org_id), async |c| {
            diesel::update(media::table.filter(media::id.eq(media_id)))
                .set((
                    media::mime_type.eq(&info.mime_type),
                    media::file_size.eq(stored),
                    media::stored_at.eq(stored.map(|_| Utc::now())),
                    media::error.eq(&error),
                ))
                .execute(c)
                .await?;
            Ok(())
        })
        .await
        .map_err(|e| JobError::Failed(format!("{e:?}")))?;
        Ok(())
    }
}

/// How one send attempt ended, when it did not succeed.
enum SendError {
    /// Retry or give up as the job runner decides.
    Job(JobError),
    /// Meta refused for good (an invalid parameter, a policy block, ...).
    Refused(GraphError),
}

impl From<JobError> for SendError {
    fn from(e: JobError) -> Self {
        Self::Job(e)
    }
}

/// Why a message failed for good: Meta's code and words, or ours.
struct SendFailure {
    code: Option<i32>,
    title: Option<String>,
    details: String,
}

impl SendFailure {
    fn from_graph(e: &GraphError) -> Self {
        match e {
            GraphError::Api {
                code,
                message,
                details,
                ..
            } => Self {
                code: i32::try_from(*code).ok(),
                title: Some(message.clone()),
                details: details.clone().unwrap_or_else(|| message.clone()),
            },
            other => Self {
                code: None,
                title: None,
                details: other.to_string(),
            },
        }
    }
}

fn job_uuid(job: &Job, field: &str) -> Result<Uuid, JobError> {
    job.payload[field]
        .as_str()
        .and_then(|s| Uuid::parse_str(s).ok())
        .ok_or_else(|| JobError::Permanent(format!("the job has no {field}")))
}

/// Meta's size limits per type (facts §4), with documents as the largest.
fn media_limit(mime: &str) -> usize {
    if mime.starts_with("image/") {
        5_000_000
    } else if mime.starts_with("audio/") || mime.starts_with("video/") {
        16_000_000
    } else {
        100_000_000
    }
}

fn meta_id(raw: &str, what: &str) -> Result<String> {
    let id = raw.trim();
    if id.is_empty() || id.len() > 64 || !id.chars().all(|c| c.is_ascii_digit()) {
        return Err(DomainError::validation(format!(
            "the {what} is a number of up to 64 digits"
        )));
    }
    Ok(id.to_owned())
}

/// Meta's refusal, in words for the person who asked.
pub(crate) fn graph_error(e: GraphError) -> DomainError {
    match e.class() {
        wagent_meta::ErrorClass::Reauthenticate => {
            DomainError::validation(format!("Meta refused the access token: {e}"))
        }
        wagent_meta::ErrorClass::Final => DomainError::validation(format!("Meta refused: {e}")),
        _ => DomainError::validation(format!("Meta is not answering right now, try again: {e}")),
    }
}

/// Claims an outside id for `org_id`; another organization's claim is a conflict.
async fn claim_route(c: &mut Conn, org_id: Uuid, kind: &str, key: &str) -> Result<()> {
    let owner: Option<Uuid> = org_routes::table
        .filter(org_routes::kind.eq(kind))
        .filter(org_routes::key.eq(key))
        .select(org_routes::org_id)
        .first(c)
        .await
        .optional()?;
    match owner {
        Some(o) if o == org_id => Ok(()),
        Some(_) => Err(DomainError::Conflict(format!(
            "{key} is connected to another organization"
        ))),
        None => {
            diesel::insert_into(org_routes::table)
                .values((
                    org_routes::kind.eq(kind),
                    org_routes::key.eq(key),
                    org_routes::org_id.eq(org_id),
                ))
                .execute(c)
                .await?;
            Ok(())
        }
    }
}

async fn store_details(
    c: &mut Conn,
    id: Uuid,
    d: &wagent_meta::PhoneNumber,
) -> Result<PhoneNumber> {
    Ok(
        diesel::update(phone_numbers::table.filter(phone_numbers::id.eq(id)))
            .set((
                phone_numbers::display_phone_number.eq(&d.display_phone_number),
                phone_numbers::verified_name.eq(&d.verified_name),
                phone_numbers::quality_rating.eq(&d.quality_rating),
                phone_numbers::status.eq(&d.status),
                phone_numbers::name_status.eq(&d.name_status),
                phone_numbers::code_verification_status.eq(&d.code_verification_status),
                phone_numbers::platform_type.eq(&d.platform_type),
                phone_numbers::messaging_limit.eq(d.messaging_limit()),
                phone_numbers::throughput_level.eq(d.throughput_level()),
                phone_numbers::refreshed_at.eq(Utc::now()),
            ))
            .returning(PhoneNumber::as_returning())
            .get_result(c)
            .await?,
    )
}

async fn touch_conversation(
    c: &mut Conn,
    conversation: &Conversation,
    at: DateTime<Utc>,
    preview: Option<&str>,
    inbound: bool,
) -> Result<()> {
    let preview: Option<String> = preview.map(|p| p.chars().take(140).collect());
    let newer = conversation.last_message_at.is_none_or(|t| t <= at);
    let last_message_at = if newer {
        Some(at)
    } else {
        conversation.last_message_at
    };
    let preview = if newer {
        preview
    } else {
        conversation.last_message_preview.clone()
    };
    let last_inbound_at = if inbound {
        conversation.last_inbound_at.max(Some(at))
    } else {
        conversation.last_inbound_at
    };
    let status = if inbound && conversation.status == "resolved" {
        "open"
    } else {
        conversation.status.as_str()
    };
    diesel::update(conversations::table.filter(conversations::id.eq(conversation.id)))
        .set((
            conversations::last_message_at.eq(last_message_at),
            conversations::last_message_preview.eq(preview),
            conversations::last_inbound_at.eq(last_inbound_at),
            // Relative, not from the snapshot: a send and a delivery may touch it at once.
            conversations::unread_count.eq(conversations::unread_count + i32::from(inbound)),
            conversations::status.eq(status),
            conversations::updated_at.eq(Utc::now()),
        ))
        .execute(c)
        .await?;
    Ok(())
}

/// What one webhook delivery changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProcessReport {
    pub messages: usize,
    pub statuses: usize,
    pub other: usize,
    pub unrouted: usize,
    pub unparsable: bool,
    /// Events that could not be applied, recorded in `webhook_failures`.
    pub failed: usize,
}

async fn apply_events(
    c: &mut Conn,
    org_id: Uuid,
    events: &[WebhookEvent],
) -> Result<ProcessReport> {
    use diesel_async::AsyncConnection;
    let mut report = ProcessReport::default();
    for event in events {
        // Each event in its own savepoint: one that cannot be stored is recorded with its
        // reason and skipped, and never fails the others (Meta would redeliver them for days).
        match c
            .transaction(async |c| apply_event(c, org_id, event).await)
            .await
        {
            Ok(applied) => {
                report.messages += applied.messages;
                report.statuses += applied.statuses;
                report.other += applied.other;
            }
            Err(e) if is_transient(c, &e).await => return Err(e),
            Err(e) => {
                record_failure(c, org_id, event, &e).await?;
                report.failed += 1;
            }
        }
    }
    Ok(report)
}

/// A failure that another attempt may not meet (a lost connection, a deadlock, a
/// serialization conflict): the whole delivery is retried rather than the event recorded.
async fn is_transient(c: &mut Conn, e: &DomainError) -> bool {
    if let DomainError::Internal(crate::error::Internal(text)) = e {
        let text = text.to_ascii_lowercase();
        if [
            "deadlock detected",
            "could not serialize",
            "connection",
            "pool",
        ]
        .iter()
        .any(|t| text.contains(t))
        {
            return true;
        }
    }
    diesel::sql_query("SELECT 1").execute(c).await.is_err()
}

/// Keeps what could not be applied, for operators (`webhook_failures`).
async fn record_failure(
    c: &mut Conn,
    org_id: Uuid,
    event: &WebhookEvent,
    e: &DomainError,
) -> Result<()> {
    let (kind, reference) = match event {
        WebhookEvent::Message { message, .. } => ("message", Some(message.id.as_str())),
        WebhookEvent::Status { status, .. } => ("status", Some(status.message_id.as_str())),
        WebhookEvent::TemplateStatus { name, .. } => ("template_status", Some(name.as_str())),
        WebhookEvent::TemplateQuality { name, .. } => ("template_quality", Some(name.as_str())),
        WebhookEvent::PhoneNumberQuality { .. } => ("phone_number_quality", None),
        WebhookEvent::AccountUpdate { .. } => ("account_update", None),
        _ => ("other", None),
    };
    let reason = match e {
        DomainError::Internal(crate::error::Internal(text)) => text.clone(),
        other => other.to_string(),
    };
    tracing::warn!(%org_id, kind, reason = %reason, "a webhook event could not be applied");
    diesel::insert_into(webhook_failures::table)
        .values((
            webhook_failures::org_id.eq(org_id),
            webhook_failures::id.eq(Uuid::now_v7()),
            webhook_failures::kind.eq(kind),
            webhook_failures::reference
                .eq(reference.map(|r| r.chars().take(256).collect::<String>())),
            webhook_failures::reason.eq(reason.chars().take(2048).collect::<String>()),
        ))
        .execute(c)
        .await?;
    Ok(())
}

/// Applies one event; its report counts what it changed.
async fn apply_event(c: &mut Conn, org_id: Uuid, event: &WebhookEvent) -> Result<ProcessReport> {
    let mut report = ProcessReport::default();
    {
        match event {
            WebhookEvent::Message {
                phone_number_id,
                contact,
                message,
                ..
            } => {
                if apply_message(c, org_id, phone_number_id, contact.as_ref(), message).await? {
                    report.messages += 1;
                }
            }
            WebhookEvent::Status { status, .. } => {
                if apply_status(c, org_id, status).await? {
                    report.statuses += 1;
                }
            }
            WebhookEvent::TemplateStatus {
                template_id,
                name,
                language,
                event,
                reason,
                ..
            } => {
                diesel::update(
                    message_templates::table
                        .filter(message_templates::name.eq(name))
                        .filter(message_templates::language.eq(language)),
                )
                .set((
                    message_templates::status.eq(event),
                    message_templates::rejected_reason.eq(reason),
                    message_templates::meta_template_id.eq(Some(template_id.to_string())),
                    message_templates::updated_at.eq(Utc::now()),
                ))
                .execute(c)
                .await?;
                report.other += 1;
            }
            WebhookEvent::TemplateQuality {
                name,
                language,
                new_quality_score,
                ..
            } => {
                diesel::update(
                    message_templates::table
                        .filter(message_templates::name.eq(name))
                        .filter(message_templates::language.eq(language)),
                )
                .set(message_templates::quality_score.eq(new_quality_score))
                .execute(c)
                .await?;
                report.other += 1;
            }
            WebhookEvent::PhoneNumberQuality {
                display_phone_number,
                event,
                current_limit,
                ..
            } => {
                let quality = match event.as_str() {
                    "FLAGGED" | "DOWNGRADE" => Some("RED"),
                    "UNFLAGGED" | "UPGRADE" => Some("GREEN"),
                    _ => None,
                };
                let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
                let numbers: Vec<(Uuid, Option<String>)> = phone_numbers::table
                    .select((phone_numbers::id, phone_numbers::display_phone_number))
                    .load(c)
                    .await?;
                for (id, display) in numbers {
                    if display.as_deref().map(digits) == Some(digits(display_phone_number)) {
                        let number = phone_numbers::table.filter(phone_numbers::id.eq(id));
                        diesel::update(number)
                            .set(phone_numbers::refreshed_at.eq(Utc::now()))
                            .execute(c)
                            .await?;
                        if let Some(limit) = current_limit {
                            diesel::update(number)
                                .set(phone_numbers::messaging_limit.eq(limit))
                                .execute(c)
                                .await?;
                        }
                        if let Some(q) = quality {
                            diesel::update(phone_numbers::table.filter(phone_numbers::id.eq(id)))
                                .set(phone_numbers::quality_rating.eq(q))
                                .execute(c)
                                .await?;
                        }
                    }
                }
                report.other += 1;
            }
            WebhookEvent::AccountUpdate { waba_id, event, .. } => {
                audit::record(
                    c,
                    org_id,
                    &crate::Caller::operator(),
                    Entry {
                        action: "whatsapp.account_update",
                        target_type: "whatsapp_account",
                        target_id: waba_id.clone(),
                        details: json!({ "event": event }),
                    },
                )
                .await?;
                // A ban, a restriction or a new limit shows in the numbers' own details:
                // read them again from Meta.
                let numbers: Vec<Uuid> = phone_numbers::table
                    .inner_join(
                        whatsapp_accounts::table.on(whatsapp_accounts::id
                            .eq(phone_numbers::account_id)
                            .and(whatsapp_accounts::org_id.eq(phone_numbers::org_id))),
                    )
                    .filter(whatsapp_accounts::waba_id.eq(waba_id))
                    .select(phone_numbers::id)
                    .load(c)
                    .await?;
                for id in numbers {
                    let job =
                        NewJob::new(JOB_REFRESH, Some(org_id), json!({ "phone_number_id": id }))
                            .unique(format!("{JOB_REFRESH}:{id}"));
                    wagent_jobs::enqueue(c, job).await?;
                }
                report.other += 1;
            }
            other => {
                tracing::info!(?other, "webhook event without an inbox effect");
                report.other += 1;
            }
        }
    }
    Ok(report)
}

/// Stores one inbound message; false when it was already stored (a duplicate delivery).
async fn apply_message(
    c: &mut Conn,
    org_id: Uuid,
    meta_number: &str,
    contact: Option<&wagent_meta::webhook::Contact>,
    m: &InboundMessage,
) -> Result<bool> {
    let Some(number_id) = phone_numbers::table
        .filter(phone_numbers::phone_number_id.eq(meta_number))
        .select(phone_numbers::id)
        .first::<Uuid>(c)
        .await
        .optional()?
    else {
        return Ok(false);
    };
    let customer = Customer {
        phone: contact
            .and_then(|k| k.wa_id.as_deref())
            .or(m.from.as_deref()),
        user_id: contact
            .and_then(|k| k.user_id.as_deref())
            .or(m.from_user_id.as_deref()),
        name: contact.and_then(|k| k.name.as_deref()),
        username: contact.and_then(|k| k.username.as_deref()),
    };
    let Some(contact_id) = upsert_contact(c, org_id, &customer).await? else {
        return Err(DomainError::validation(
            "the message names neither a phone number nor a user id",
        ));
    };
    let conversation_id: Uuid = diesel::insert_into(conversations::table)
        .values((
            conversations::org_id.eq(org_id),
            conversations::id.eq(Uuid::now_v7()),
            conversations::phone_number_id.eq(number_id),
            conversations::contact_id.eq(contact_id),
        ))
        .on_conflict((
            conversations::org_id,
            conversations::phone_number_id,
            conversations::contact_id,
        ))
        .do_update()
        .set(conversations::updated_at.eq(Utc::now()))
        .returning(conversations::id)
        .get_result(c)
        .await?;
    let sent_at = DateTime::from_timestamp(m.timestamp, 0).unwrap_or_else(Utc::now);
    let (kind, body, payload) = describe(&m.kind);
    let mut payload = payload;
    if let Some(ctx) = &m.context {
        payload["context"] = serde_json::to_value(ctx).unwrap_or(Value::Null);
    }
    if let Some(referral) = &m.referral {
        payload["referral"] = serde_json::to_value(referral).unwrap_or(Value::Null);
    }
    if !m.errors.is_empty() {
        payload["errors"] = serde_json::to_value(&m.errors).unwrap_or(Value::Null);
    }
    let message_id = Uuid::now_v7();
    let inserted = diesel::insert_into(messages::table)
        .values((
            messages::org_id.eq(org_id),
            messages::id.eq(message_id),
            messages::conversation_id.eq(conversation_id),
            messages::direction.eq("inbound"),
            messages::wamid.eq(&m.id),
            messages::kind.eq(kind),
            messages::body.eq(&body),
            messages::payload.eq(&payload),
            messages::status.eq("received"),
            messages::reply_to_wamid.eq(m.context.as_ref().and_then(|x| x.id.clone())),
            messages::sent_at.eq(sent_at),
        ))
        .on_conflict_do_nothing()
        .execute(c)
        .await?;
    if inserted == 0 {
        return Ok(false);
    }
    if let Some(meta_media) = media_ref(&m.kind) {
        let media_id = Uuid::now_v7();
        diesel::insert_into(media::table)
            .values((
                media::org_id.eq(org_id),
                media::id.eq(media_id),
                media::message_id.eq(message_id),
                media::meta_media_id.eq(&meta_media.id),
                media::mime_type.eq(&meta_media.mime_type),
                media::sha256.eq(&meta_media.sha256),
                media::file_name.eq(match &m.kind {
                    InboundKind::Document { filename, .. } => filename.clone(),
                    _ => None,
                }),
            ))
            .execute(c)
            .await?;
        wagent_jobs::enqueue(
            c,
            NewJob::new(JOB_MEDIA, Some(org_id), json!({ "media_id": media_id })),
        )
        .await?;
    }
    let conversation = find_conversation(c, conversation_id).await?;
    // A system message (number changed) does not open the customer-service window.
    let opens_window = !matches!(m.kind, InboundKind::System(_));
    // A picture without a caption still needs a line in the conversation list.
    let preview = body.clone().unwrap_or_else(|| match kind {
        "image" => "📷 Photo".to_owned(),
        "video" => "🎥 Video".to_owned(),
        "sticker" => "Sticker".to_owned(),
        other => other.to_owned(),
    });
    touch_conversation(c, &conversation, sent_at, Some(&preview), opens_window).await?;
    inbox::publish(
        c,
        org_id,
        TOPIC_MESSAGE_CREATED,
        conversation_id,
        Some(message_id),
    )
    .await?;
    inbox::publish(c, org_id, TOPIC_CONVERSATION, conversation_id, None).await?;
    Ok(true)
}

/// The rank of a status: a message's current status is the highest-ranked one it received,
/// whatever the order of arrival. `failed` is terminal: it outranks every other, so a late
/// `delivered` or `read` never hides a failure (every status stays in `message_statuses`).
fn rank(status: &str) -> u8 {
    match status {
        "pending" => 0,
        "accepted" => 1,
        "sent" => 2,
        "delivered" => 3,
        "read" => 4,
        "played" => 5,
        "failed" => 9,
        _ => 0,
    }
}

fn status_name(s: &MessageStatus) -> Option<&'static str> {
    match s {
        MessageStatus::Sent => Some("sent"),
        MessageStatus::Delivered => Some("delivered"),
        MessageStatus::Read => Some("read"),
        MessageStatus::Played => Some("played"),
        MessageStatus::Failed => Some("failed"),
        _ => None,
    }
}

/// Records a status in the message's history and moves the message to it if it ranks
/// higher; duplicates change nothing.
async fn apply_status(c: &mut Conn, org_id: Uuid, s: &StatusUpdate) -> Result<bool> {
    let Some(new) = status_name(&s.status) else {
        return Ok(false);
    };
    let current: Option<(Uuid, Uuid, String)> = messages::table
        .filter(messages::wamid.eq(&s.message_id))
        .select((messages::id, messages::conversation_id, messages::status))
        .for_update()
        .first(c)
        .await
        .optional()?;
    let Some((id, conversation_id, status)) = current else {
        return Ok(false);
    };
    let error = <[_]>::first(&s.errors);
    let at = DateTime::from_timestamp(s.timestamp, 0).unwrap_or_else(Utc::now);
    let recorded = diesel::insert_into(message_statuses::table)
        .values((
            message_statuses::org_id.eq(org_id),
            message_statuses::id.eq(Uuid::now_v7()),
            message_statuses::message_id.eq(id),
            message_statuses::wamid.eq(&s.message_id),
            message_statuses::status.eq(new),
            message_statuses::at.eq(at),
            message_statuses::error_code.eq(error.and_then(|e| i32::try_from(e.code).ok())),
            message_statuses::error_title.eq(error
                .and_then(|e| e.title.clone().or_else(|| e.message.clone()))
                .map(|t| t.chars().take(512).collect::<String>())),
            message_statuses::error_details.eq(error
                .and_then(|e| e.details.clone())
                .map(|t| t.chars().take(2048).collect::<String>())),
        ))
        .on_conflict_do_nothing()
        .execute(c)
        .await?;
    if recorded == 0 {
        return Ok(false);
    }
    // Since 2026-03-31 a status may name the customer by phone and user id together.
    if let Some(k) = &s.contact
        && k.wa_id.is_some()
        && k.user_id.is_some()
    {
        let customer = Customer {
            phone: k.wa_id.as_deref(),
            user_id: k.user_id.as_deref(),
            name: k.name.as_deref(),
            username: k.username.as_deref(),
        };
        upsert_contact(c, org_id, &customer).await?;
    }
    if rank(new) <= rank(&status) {
        return Ok(true);
    }
    diesel::update(messages::table.filter(messages::id.eq(id)))
        .set((
            messages::status.eq(new),
            messages::status_at.eq(at),
            messages::error_code.eq(error.map(|e| e.code as i32)),
            messages::error_text.eq(error.map(|e| {
                e.details
                    .clone()
                    .or_else(|| e.message.clone())
                    .or_else(|| e.title.clone())
                    .unwrap_or_default()
            })),
        ))
        .execute(c)
        .await?;
    inbox::publish(c, org_id, TOPIC_MESSAGE_UPDATED, conversation_id, Some(id)).await?;
    // Meta keeps the authoritative clock of the customer-service window: when it says the
    // window had closed, close ours too, so the composer offers templates.
    if error.is_some_and(|e| e.code == 131047) {
        let closed = Utc::now() - inbox::SERVICE_WINDOW;
        let changed = diesel::update(
            conversations::table
                .filter(conversations::id.eq(conversation_id))
                .filter(conversations::last_inbound_at.gt(closed)),
        )
        .set(conversations::last_inbound_at.eq(closed))
        .execute(c)
        .await?;
        if changed > 0 {
            inbox::publish(c, org_id, TOPIC_CONVERSATION, conversation_id, None).await?;
        }
    }
    Ok(true)
}

/// A customer as one webhook names them: by phone, by business-scoped user id, or both.
struct Customer<'a> {
    phone: Option<&'a str>,
    user_id: Option<&'a str>,
    name: Option<&'a str>,
    username: Option<&'a str>,
}

/// Longest profile name or username kept; a longer one is cut rather than refused.
const MAX_PROFILE_TEXT: usize = 256;

fn cut(text: Option<&str>) -> Option<String> {
    text.map(|t| t.chars().take(MAX_PROFILE_TEXT).collect())
}

/// Finds or creates the contact a webhook names and stores what it adds (a phone, a user id,
/// a newer name). When the phone and the user id belong to two contacts, they are one
/// customer: the two are merged. None when the webhook names neither.
async fn upsert_contact(c: &mut Conn, org_id: Uuid, who: &Customer<'_>) -> Result<Option<Uuid>> {
    use crate::inbox::Contact;
    if who.phone.is_none() && who.user_id.is_none() {
        return Ok(None);
    }
    let (name, username) = (cut(who.name), cut(who.username));
    // Twice at most: a concurrent delivery may create the same customer between our read
    // and our insert.
    for _ in 0..2 {
        let by_phone: Option<Contact> = match who.phone {
            Some(p) => contacts::table
                .filter(contacts::wa_id.eq(p))
                .select(Contact::as_select())
                .for_update()
                .first(c)
                .await
                .optional()?,
            None => None,
        };
        let by_user: Option<Contact> = match who.user_id {
            Some(u) => contacts::table
                .filter(contacts::user_id.eq(u))
                .select(Contact::as_select())
                .for_update()
                .first(c)
                .await
                .optional()?,
            None => None,
        };
        let (kept, gone) = match (by_phone, by_user) {
            (Some(a), Some(b)) if a.id != b.id => (a, Some(b)),
            (Some(a), _) | (None, Some(a)) => (a, None),
            (None, None) => {
                let inserted: Option<Uuid> = diesel::insert_into(contacts::table)
                    .values((
                        contacts::org_id.eq(org_id),
                        contacts::id.eq(Uuid::now_v7()),
                        contacts::wa_id.eq(who.phone),
                        contacts::user_id.eq(who.user_id),
                        contacts::profile_name.eq(&name),
                        contacts::username.eq(&username),
                    ))
                    .on_conflict_do_nothing()
                    .returning(contacts::id)
                    .get_result(c)
                    .await
                    .optional()?;
                match inserted {
                    Some(id) => return Ok(Some(id)),
                    None => continue,
                }
            }
        };
        if let Some(gone) = &gone {
            merge_contacts(c, kept.id, gone.id).await?;
        }
        let gone_ref = gone.as_ref();
        diesel::update(contacts::table.filter(contacts::id.eq(kept.id)))
            .set((
                contacts::wa_id.eq(kept.wa_id.clone().or_else(|| who.phone.map(str::to_owned))),
                contacts::user_id.eq(kept
                    .user_id
                    .clone()
                    .or_else(|| who.user_id.map(str::to_owned))
                    .or_else(|| gone_ref.and_then(|g| g.user_id.clone()))),
                contacts::profile_name.eq(name
                    .clone()
                    .or(kept.profile_name.clone())
                    .or_else(|| gone_ref.and_then(|g| g.profile_name.clone()))),
                contacts::username.eq(username
                    .clone()
                    .or(kept.username.clone())
                    .or_else(|| gone_ref.and_then(|g| g.username.clone()))),
                contacts::updated_at.eq(Utc::now()),
            ))
            .execute(c)
            .await?;
        return Ok(Some(kept.id));
    }
    Err(DomainError::internal(
        "the contact kept changing while it was stored",
    ))
}

/// Folds contact `gone` into `kept`: conversations move over; where both have one on the
/// same number, the messages and notes move into `kept`'s and the other is deleted.
async fn merge_contacts(c: &mut Conn, kept: Uuid, gone: Uuid) -> Result<()> {
    use diesel::sql_types::Uuid as SqlUuid;
    const PAIRS: &str = "FROM conversations g JOIN conversations k
          ON k.org_id = g.org_id AND k.phone_number_id = g.phone_number_id AND k.contact_id = $1
       WHERE g.contact_id = $2";
    for statement in [
        format!(
            "UPDATE messages m SET conversation_id = k.id {PAIRS} \
             AND m.org_id = g.org_id AND m.conversation_id = g.id"
        ),
        format!(
            "UPDATE conversation_notes n SET conversation_id = k.id {PAIRS} \
             AND n.org_id = g.org_id AND n.conversation_id = g.id"
        ),
        "UPDATE conversations k SET
                unread_count = k.unread_count + g.unread_count,
                last_inbound_at = greatest(k.last_inbound_at, g.last_inbound_at),
                last_message_preview = CASE WHEN g.last_message_at > k.last_message_at
                    OR k.last_message_at IS NULL THEN g.last_message_preview
                    ELSE k.last_message_preview END,
                last_message_at = greatest(k.last_message_at, g.last_message_at),
                updated_at = now()
           FROM conversations g
          WHERE k.org_id = g.org_id AND k.phone_number_id = g.phone_number_id
            AND k.contact_id = $1 AND g.contact_id = $2"
            .to_owned(),
        "DELETE FROM conversations g USING conversations k
          WHERE k.org_id = g.org_id AND k.phone_number_id = g.phone_number_id
            AND k.contact_id = $1 AND g.contact_id = $2"
            .to_owned(),
        "UPDATE conversations SET contact_id = $1 WHERE contact_id = $2 AND $1 IS NOT NULL"
            .to_owned(),
        "DELETE FROM contacts WHERE id = $2 AND $1 IS NOT NULL".to_owned(),
    ] {
        diesel::sql_query(statement)
            .bind::<SqlUuid, _>(kept)
            .bind::<SqlUuid, _>(gone)
            .execute(c)
            .await?;
    }
    Ok(())
}

fn media_ref(kind: &InboundKind) -> Option<&wagent_meta::webhook::MediaRef> {
    match kind {
        InboundKind::Image(m) | InboundKind::Video(m) | InboundKind::Sticker { media: m, .. } => {
            Some(m)
        }
        InboundKind::Audio { media, .. } | InboundKind::Document { media, .. } => Some(media),
        _ => None,
    }
}

/// (kind, text to show and search, structured content) of an inbound message.
fn describe(kind: &InboundKind) -> (&'static str, Option<String>, Value) {
    let value = serde_json::to_value(kind).unwrap_or(Value::Null);
    match kind {
        InboundKind::Text { body } => ("text", Some(body.clone()), value),
        InboundKind::Image(m) => ("image", m.caption.clone(), value),
        InboundKind::Video(m) => ("video", m.caption.clone(), value),
        InboundKind::Sticker { .. } => ("sticker", None, value),
        InboundKind::Audio { voice, .. } => (
            "audio",
            Some(if *voice {
                "Voice message".into()
            } else {
                "Audio".into()
            }),
            value,
        ),
        InboundKind::Document { media, filename } => (
            "document",
            media.caption.clone().or_else(|| filename.clone()),
            value,
        ),
        InboundKind::Location {
            name,
            address,
            latitude,
            longitude,
            ..
        } => (
            "location",
            Some(
                name.clone()
                    .or_else(|| address.clone())
                    .unwrap_or_else(|| format!("{latitude}, {longitude}")),
            ),
            value,
        ),
        InboundKind::Contacts(list) => (
            "contacts",
            Some(format!("{} shared contact(s)", list.len())),
            value,
        ),
        InboundKind::Interactive(reply) => ("interactive", interactive_title(reply), value),
        InboundKind::Button { text, .. } => ("button", Some(text.clone()), value),
        InboundKind::Reaction { emoji, .. } => ("reaction", emoji.clone(), value),
        InboundKind::Order(_) => ("order", Some("Order".into()), value),
        InboundKind::System(system) => ("system", system.body.clone(), value),
        InboundKind::Unsupported { .. } => {
            ("unsupported", Some("Unsupported message".into()), value)
        }
        InboundKind::Unknown { kind, .. } => (
            "unsupported",
            Some(format!("Unsupported message ({kind})")),
            value,
        ),
    }
}

fn interactive_title(reply: &wagent_meta::webhook::InteractiveReply) -> Option<String> {
    use wagent_meta::webhook::InteractiveReply as R;
    match reply {
        R::ButtonReply { title, .. } | R::ListReply { title, .. } => Some(title.clone()),
        _ => Some("Form reply".into()),
    }
}

/// Who a send goes to: by phone when we know it (`to`), else by business-scoped user id
/// (`recipient`), as for a customer who uses a WhatsApp username.
fn recipient_of(phone: Option<String>, user_id: Option<String>) -> Option<Recipient> {
    match (phone, user_id) {
        (Some(phone), _) => Some(Recipient::phone(phone)),
        (None, Some(user_id)) => Some(Recipient::user_id(user_id)),
        (None, None) => None,
    }
}

/// The Graph request for a queued outbound message.
fn outbound_for(
    m: &Message,
    to: Recipient,
    uploaded: Option<String>,
) -> Result<wagent_meta::OutboundMessage> {
    use wagent_meta::{
        MediaSource, OutboundMessage, TemplateComponent, TemplateLanguage, TemplateMessage,
        TemplateParameter,
    };
    let p = &m.payload;
    let caption = p["caption"]
        .as_str()
        .filter(|c| !c.is_empty())
        .map(str::to_owned);
    let media = || {
        uploaded
            .clone()
            .map(MediaSource::Id)
            .ok_or_else(|| DomainError::internal("the media was not uploaded"))
    };
    let mut out = match m.kind.as_str() {
        "image" => OutboundMessage::image(to.clone(), media()?, caption),
        "video" => OutboundMessage::video(to.clone(), media()?, caption),
        "audio" => OutboundMessage::audio(to.clone(), media()?, false),
        "document" => OutboundMessage::document(
            to.clone(),
            media()?,
            p["file_name"].as_str().map(str::to_owned),
            caption,
        ),
        "text" => OutboundMessage::text(to.clone(), p["body"].as_str().unwrap_or_default()),
        "template" => {
            let params: Vec<TemplateParameter> = p["body_parameters"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str())
                        .map(|t| TemplateParameter::Text {
                            text: t.to_owned(),
                            parameter_name: None,
                        })
                        .collect()
                })
                .unwrap_or_default();
            let components = if params.is_empty() {
                vec![]
            } else {
                vec![TemplateComponent::Body { parameters: params }]
            };
            OutboundMessage::template(
                to.clone(),
                TemplateMessage {
                    name: p["name"].as_str().unwrap_or_default().to_owned(),
                    language: TemplateLanguage {
                        code: p["language"].as_str().unwrap_or("en_US").to_owned(),
                    },
                    components,
                },
            )
        }
        "reaction" => OutboundMessage::reaction(
            to.clone(),
            p["wamid"].as_str().unwrap_or_default(),
            p["emoji"].as_str().unwrap_or_default(),
        ),
        other => {
            return Err(DomainError::internal(format!(
                "cannot send a {other} message"
            )));
        }
    };
    if let Some(reply) = &m.reply_to_wamid {
        out = out.reply_to(reply.clone());
    }
    Ok(out)
}

/// The associated data of a sealed webhook body: its row (no organization is known yet).
fn webhook_purpose(event_id: Uuid) -> String {
    format!("webhook_events/{event_id}")
}

impl Domain {
    /// `wagent keys rotate`: reseals every stored token sealed with an older key, and every
    /// webhook delivery still waiting (or kept unreadable). Organizations are found through
    /// their WhatsApp routes (the only place with sealed tokens).
    pub async fn rotate_secrets(&self) -> Result<usize> {
        let wa = self.whatsapp()?.clone();
        let mut resealed = self
            .tx(Scope::system(), async |c| {
                let stored: Vec<(Uuid, Option<String>)> = webhook_events::table
                    .select((webhook_events::id, webhook_events::body_sealed))
                    .for_update()
                    .load(c)
                    .await?;
                let mut n = 0;
                for (id, sealed) in stored {
                    let Some(sealed) = sealed.filter(|s| wa.keyring.is_stale(s)) else {
                        continue;
                    };
                    let purpose = webhook_purpose(id);
                    // One that no configured key opens stays as it is: it is unreadable and
                    // expires like any unreadable delivery.
                    let Ok(body) = wa.keyring.open_bytes(&sealed, Uuid::nil(), &purpose) else {
                        continue;
                    };
                    let fresh = wa.keyring.seal_bytes(&body, Uuid::nil(), &purpose);
                    diesel::update(webhook_events::table.filter(webhook_events::id.eq(id)))
                        .set(webhook_events::body_sealed.eq(fresh))
                        .execute(c)
                        .await?;
                    n += 1;
                }
                Ok(n)
            })
            .await?;
        let orgs: Vec<Uuid> = self
            .tx(Scope::system(), async |c| {
                Ok(org_routes::table
                    .filter(org_routes::kind.eq(ROUTE_WABA))
                    .select(org_routes::org_id)
                    .distinct()
                    .load(c)
                    .await?)
            })
            .await?;
        for org_id in orgs {
            resealed += self
                .tx(Scope::org(org_id), async |c| {
                    let accounts: Vec<(Uuid, String)> = whatsapp_accounts::table
                        .select((
                            whatsapp_accounts::id,
                            whatsapp_accounts::access_token_sealed,
                        ))
                        .load(c)
                        .await?;
                    let mut n = 0;
                    for (id, sealed) in accounts {
                        if !wa.keyring.is_stale(&sealed) {
                            continue;
                        }
                        let purpose = Self::token_purpose(id);
                        let opened = wa
                            .keyring
                            .open(&sealed, org_id, &purpose)
                            .map_err(DomainError::internal)?;
                        let fresh = wa.keyring.seal(opened.expose(), org_id, &purpose);
                        diesel::update(
                            whatsapp_accounts::table.filter(whatsapp_accounts::id.eq(id)),
                        )
                        .set((
                            whatsapp_accounts::access_token_sealed.eq(fresh),
                            whatsapp_accounts::updated_at.eq(Utc::now()),
                        ))
                        .execute(c)
                        .await?;
                        n += 1;
                    }
                    Ok(n)
                })
                .await?;
        }
        Ok(resealed)
    }
}

impl Domain {
    /// Deletes stored media files (after their rows are gone).
    pub(crate) async fn remove_media_files(&self, org_id: Uuid, ids: &[Uuid]) {
        let Some(wa) = &self.whatsapp else { return };
        for id in ids {
            let path = wa.media_dir.join(org_id.to_string()).join(id.to_string());
            if let Err(e) = tokio::fs::remove_file(&path).await
                && e.kind() != std::io::ErrorKind::NotFound
            {
                tracing::warn!(error = %e, "cannot remove a media file");
            }
        }
    }
}

/// A stored (or pending) media file of a message.
#[derive(Debug, Clone, PartialEq, Eq, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = media)]
pub struct Media {
    pub id: Uuid,
    pub message_id: Uuid,
    pub mime_type: Option<String>,
    pub file_name: Option<String>,
    pub file_size: Option<i64>,
    pub stored_at: Option<DateTime<Utc>>,
    pub error: Option<String>,
}

/// How long a media link works.
const LINK_LIFETIME_SECS: i64 = 600;

impl Domain {
    pub async fn message_media(&self, access: &Access, message_id: Uuid) -> Result<Option<Media>> {
        access.ensure(Role::Member)?;
        self.tx(access.scope(), async |c| {
            Ok(media::table
                .filter(media::message_id.eq(message_id))
                .select(Media::as_select())
                .first(c)
                .await
                .optional()?)
        })
        .await
    }

    /// A link to a stored file that works for ten minutes without other credentials, so
    /// that `<img>` and `<audio>` can load it.
    pub fn media_link(&self, org_id: Uuid, media_id: Uuid) -> Result<String> {
        let wa = self.whatsapp()?;
        let exp = Utc::now().timestamp() + LINK_LIFETIME_SECS;
        let sig = wa.keyring.sign_link(&format!("{org_id}/{media_id}/{exp}"));
        Ok(format!("/media/{org_id}/{media_id}?exp={exp}&sig={sig}"))
    }

    /// The file behind a media link, if the link is genuine and fresh.
    pub async fn open_media_link(
        &self,
        org_id: Uuid,
        media_id: Uuid,
        exp: i64,
        sig: &str,
    ) -> Result<(Media, PathBuf)> {
        let wa = self.whatsapp()?.clone();
        if exp < Utc::now().timestamp()
            || !wa
                .keyring
                .verify_link(&format!("{org_id}/{media_id}/{exp}"), sig)
        {
            return Err(DomainError::forbidden(
                "this media link has expired or is not valid",
            ));
        }
        let m: Media = self
            .tx(Scope::org(org_id), async |c| {
                media::table
                    .filter(media::id.eq(media_id))
                    .select(Media::as_select())
                    .first(c)
                    .await
                    .optional()?
                    .ok_or(DomainError::NotFound("media"))
            })
            .await?;
        if m.stored_at.is_none() {
            return Err(DomainError::NotFound("media"));
        }
        Ok((
            m,
            wa.media_dir
                .join(org_id.to_string())
                .join(media_id.to_string()),
        ))
    }
}

/// An outbound message to queue.
struct Outbound<'a> {
    kind: &'a str,
    body: Option<&'a str>,
    payload: &'a Value,
    reply_to_wamid: Option<&'a str>,
}

/// Stores an outbound message as pending, in the caller's transaction, and queues its send:
/// the job runs once the transaction commits.
async fn queue_outbound(
    c: &mut Conn,
    access: &Access,
    conversation: &Conversation,
    draft: Outbound<'_>,
    now: DateTime<Utc>,
) -> Result<Message> {
    let message: Message = diesel::insert_into(messages::table)
        .values((
            messages::org_id.eq(access.org_id),
            messages::id.eq(Uuid::now_v7()),
            messages::conversation_id.eq(conversation.id),
            messages::direction.eq("outbound"),
            messages::kind.eq(draft.kind),
            messages::body.eq(draft.body),
            messages::payload.eq(draft.payload),
            messages::status.eq("pending"),
            messages::reply_to_wamid.eq(draft.reply_to_wamid),
            messages::sent_by.eq(access.caller().user_id()),
            messages::sent_at.eq(now),
        ))
        .returning(Message::as_returning())
        .get_result(c)
        .await?;
    touch_conversation(c, conversation, now, draft.body, false).await?;
    queue_send(c, access.org_id, &message, TOPIC_MESSAGE_CREATED).await?;
    Ok(message)
}

/// Enqueues the send job of a pending outbound message and tells the inbox, in the caller's
/// transaction.
async fn queue_send(c: &mut Conn, org_id: Uuid, message: &Message, topic: &str) -> Result<()> {
    wagent_jobs::enqueue(
        c,
        NewJob::new(JOB_SEND, Some(org_id), json!({ "message_id": message.id })),
    )
    .await?;
    inbox::publish(c, org_id, topic, message.conversation_id, Some(message.id)).await?;
    Ok(())
}

/// An attachment an agent sends; its bytes come separately, as a stream.
#[derive(Debug, Clone)]
pub struct Attachment {
    pub mime_type: String,
    pub file_name: String,
    pub caption: Option<String>,
    /// The size the sender announced (`Content-Length`), refused early when too large; the
    /// bytes are counted while read whatever it says.
    pub declared_size: Option<u64>,
}

/// A media type Meta accepts for sending, with its message kind, size limit (facts §4) and
/// what the file's first bytes must look like.
struct Sendable {
    mime: &'static str,
    kind: &'static str,
    limit: u64,
    /// Types `infer` may report for such a file; empty for plain text.
    sniffed: &'static [&'static str],
}

const MB: u64 = 1_000_000;
const OOXML: &[&str] = &[
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/zip",
];

/// The types Meta's Cloud API takes for image, audio, video and document messages.
const SENDABLE: &[Sendable] = &[
    Sendable {
        mime: "image/jpeg",
        kind: "image",
        limit: 5 * MB,
        sniffed: &["image/jpeg"],
    },
    Sendable {
        mime: "image/png",
        kind: "image",
        limit: 5 * MB,
        sniffed: &["image/png"],
    },
    Sendable {
        mime: "audio/aac",
        kind: "audio",
        limit: 16 * MB,
        sniffed: &["audio/aac"],
    },
    Sendable {
        mime: "audio/amr",
        kind: "audio",
        limit: 16 * MB,
        sniffed: &["audio/amr"],
    },
    Sendable {
        mime: "audio/mpeg",
        kind: "audio",
        limit: 16 * MB,
        sniffed: &["audio/mpeg"],
    },
    Sendable {
        mime: "audio/mp4",
        kind: "audio",
        limit: 16 * MB,
        sniffed: &["audio/m4a", "video/mp4"],
    },
    Sendable {
        mime: "audio/ogg",
        kind: "audio",
        limit: 16 * MB,
        sniffed: &["audio/ogg", "audio/opus"],
    },
    Sendable {
        mime: "video/mp4",
        kind: "video",
        limit: 16 * MB,
        sniffed: &["video/mp4", "video/x-m4v"],
    },
    Sendable {
        mime: "video/3gpp",
        kind: "video",
        limit: 16 * MB,
        sniffed: &["video/3gpp"],
    },
    Sendable {
        mime: "text/plain",
        kind: "document",
        limit: 100 * MB,
        sniffed: &[],
    },
    Sendable {
        mime: "application/pdf",
        kind: "document",
        limit: 100 * MB,
        sniffed: &["application/pdf"],
    },
    // Without its compound-file reader, `infer` reports every OLE2 file as a Word file.
    Sendable {
        mime: "application/msword",
        kind: "document",
        limit: 100 * MB,
        sniffed: &["application/msword"],
    },
    Sendable {
        mime: "application/vnd.ms-excel",
        kind: "document",
        limit: 100 * MB,
        sniffed: &["application/msword"],
    },
    Sendable {
        mime: "application/vnd.ms-powerpoint",
        kind: "document",
        limit: 100 * MB,
        sniffed: &["application/msword"],
    },
    Sendable {
        mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        kind: "document",
        limit: 100 * MB,
        sniffed: OOXML,
    },
    Sendable {
        mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        kind: "document",
        limit: 100 * MB,
        sniffed: OOXML,
    },
    Sendable {
        mime: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        kind: "document",
        limit: 100 * MB,
        sniffed: OOXML,
    },
];

/// The largest file any type allows: what an upload's body is cut off at, whatever its type.
pub const MAX_SENDABLE_BYTES: u64 = 100 * MB;

/// How much of a file is read, before anything is written, to check its type.
const SNIFF_BYTES: usize = 64 * 1024;

/// How long an unreferenced file in the media folder is left alone: an upload writes its
/// file before its message row commits.
pub const ORPHAN_GRACE: chrono::Duration = chrono::Duration::hours(24);

impl Sendable {
    fn find(mime: &str) -> Option<&'static Sendable> {
        SENDABLE.iter().find(|s| s.mime == mime)
    }

    /// Whether the file's first bytes are what its declared type says.
    fn matches(&self, head: &[u8]) -> bool {
        let sniffed = infer::get(head).map(|t| t.mime_type());
        if self.mime == "video/3gpp" {
            // An ISO media file whose brand is 3GP (`infer` knows only the MP4 brands).
            return head.len() >= 12 && &head[4..8] == b"ftyp" && &head[8..10] == b"3g";
        }
        if self.sniffed.is_empty() {
            // Plain text: nothing recognisable (HTML, XML, scripts, binaries) and UTF-8
            // (the sample may end inside a character).
            return sniffed.is_none() && !head.contains(&0) && utf8_sample(head);
        }
        sniffed.is_some_and(|t| self.sniffed.contains(&t))
    }
}

/// Whether a sample is UTF-8, allowing it to end inside a character.
fn utf8_sample(sample: &[u8]) -> bool {
    match std::str::from_utf8(sample) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

fn accepted_types() -> String {
    SENDABLE
        .iter()
        .map(|s| s.mime)
        .collect::<Vec<_>>()
        .join(", ")
}

fn too_large(s: &Sendable) -> DomainError {
    DomainError::validation(format!(
        "a {} of type {} may be at most {} MB",
        s.kind,
        s.mime,
        s.limit / MB
    ))
}

impl Domain {
    /// Sends an attachment like any message (the 24-hour window applies). Everything that
    /// can refuse the send is checked before a byte is stored; the body is read at most up to
    /// the type's limit and streamed to disk, never held whole in memory.
    pub async fn send_media<R>(
        &self,
        access: &Access,
        conversation_id: Uuid,
        file: Attachment,
        mut body: R,
    ) -> Result<Message>
    where
        R: tokio::io::AsyncRead + Unpin + Send,
    {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};

        access.ensure(Role::Member)?;
        let wa = self.whatsapp()?.clone();
        let mime = file.mime_type.trim().to_ascii_lowercase();
        let Some(sendable) = Sendable::find(&mime) else {
            return Err(DomainError::validation(format!(
                "WhatsApp does not take files of type `{}`; send one of: {}",
                mime.chars().take(100).collect::<String>(),
                accepted_types()
            )));
        };
        if file.declared_size.is_some_and(|n| n > sendable.limit) {
            return Err(too_large(sendable));
        }
        if file
            .caption
            .as_deref()
            .is_some_and(|c| c.chars().count() > 1024)
        {
            return Err(DomainError::validation(
                "a caption has at most 1024 characters",
            ));
        }
        let file_name: String = file
            .file_name
            .chars()
            .filter(|c| !c.is_control() && *c != '/' && *c != '\\')
            .take(200)
            .collect();
        // The conversation, its number and its window, before reading the body.
        self.tx(access.scope(), async |c| {
            sendable_conversation(c, conversation_id, Utc::now()).await?;
            Ok(())
        })
        .await?;

        let interrupted = |e: std::io::Error| {
            tracing::debug!(error = %e, "an upload stopped");
            DomainError::validation("the upload did not complete")
        };
        let mut head = Vec::with_capacity(SNIFF_BYTES);
        (&mut body)
            .take(SNIFF_BYTES as u64)
            .read_to_end(&mut head)
            .await
            .map_err(interrupted)?;
        if head.is_empty() {
            return Err(DomainError::validation("the file is empty"));
        }
        if !sendable.matches(&head) {
            return Err(DomainError::validation(format!(
                "the file's content is not {}",
                sendable.mime
            )));
        }

        let media_id = Uuid::now_v7();
        let dir = wa.media_dir.join(access.org_id.to_string());
        let path = dir.join(media_id.to_string());
        tokio::fs::create_dir_all(&dir)
            .await
            .map_err(DomainError::internal)?;
        let written = async {
            let mut out = tokio::fs::File::create(&path)
                .await
                .map_err(DomainError::internal)?;
            out.write_all(&head).await.map_err(DomainError::internal)?;
            let mut size = head.len() as u64;
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = body.read(&mut buf).await.map_err(interrupted)?;
                if n == 0 {
                    break;
                }
                size += n as u64;
                if size > sendable.limit {
                    return Err(too_large(sendable));
                }
                out.write_all(&buf[..n])
                    .await
                    .map_err(DomainError::internal)?;
            }
            out.flush().await.map_err(DomainError::internal)?;
            Ok(size)
        }
        .await;
        let size = match written {
            Ok(size) => size as i64,
            Err(e) => {
                remove_file_quietly(&path).await;
                return Err(e);
            }
        };

        let kind = sendable.kind;
        let preview = file
            .caption
            .clone()
            .unwrap_or_else(|| format!("[{kind}] {file_name}"));
        let stored = self.tx(access.scope(), async |c| {
            let now = Utc::now();
            // Checked again: the window may have closed while the file travelled.
            let conversation = sendable_conversation(c, conversation_id, now).await?;
            let payload = json!({ "caption": file.caption, "file_name": file_name, "mime_type": mime, "media_id": media_id });
            let draft = Outbound { kind, body: Some(&preview), payload: &payload, reply_to_wamid: None };
            let message = queue_outbound(c, access, &conversation, draft, now).await?;
            diesel::insert_into(media::table)
                .values((
                    media::org_id.eq(access.org_id),
                    media::id.eq(media_id),
                    media::message_id.eq(message.id),
                    media::mime_type.eq(&mime),
                    media::file_name.eq(&file_name),
                    media::file_size.eq(size),
                    media::stored_at.eq(now),
                ))
                .execute(c)
                .await?;
            Ok(message)
        })
        .await;
        if stored.is_err() {
            remove_file_quietly(&path).await;
        }
        stored
    }

    /// Removes files in `org_id`'s media folder that no media row names and that are older
    /// than [`ORPHAN_GRACE`] (left by a crash between writing a file and committing its
    /// row). Returns how many went.
    pub async fn remove_orphaned_media(&self, org_id: Uuid, now: DateTime<Utc>) -> Result<usize> {
        let Some(wa) = &self.whatsapp else {
            return Ok(0);
        };
        let dir = wa.media_dir.join(org_id.to_string());
        let mut entries = match tokio::fs::read_dir(&dir).await {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(DomainError::internal(e)),
        };
        let cutoff = std::time::SystemTime::from(now - ORPHAN_GRACE);
        let mut old = Vec::new();
        while let Some(entry) = entries.next_entry().await.map_err(DomainError::internal)? {
            let Some(id) = entry
                .file_name()
                .to_str()
                .and_then(|n| Uuid::parse_str(n).ok())
            else {
                continue;
            };
            let Ok(meta) = entry.metadata().await else {
                continue;
            };
            if meta.is_file() && meta.modified().is_ok_and(|m| m < cutoff) {
                old.push(id);
            }
        }
        let mut removed = 0;
        for batch in old.chunks(1000) {
            let known: Vec<Uuid> = self
                .tx(Scope::org(org_id), async |c| {
                    Ok(media::table
                        .filter(media::id.eq_any(batch))
                        .select(media::id)
                        .load(c)
                        .await?)
                })
                .await?;
            let orphans: Vec<Uuid> = batch
                .iter()
                .filter(|id| !known.contains(id))
                .copied()
                .collect();
            self.remove_media_files(org_id, &orphans).await;
            removed += orphans.len();
        }
        Ok(removed)
    }
}

/// The conversation, if a free-form message can go to it now: its number is connected and
/// its 24-hour window is open.
async fn sendable_conversation(
    c: &mut Conn,
    conversation_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Conversation> {
    let conversation = find_conversation(c, conversation_id).await?;
    let disconnected: Option<DateTime<Utc>> = phone_numbers::table
        .filter(phone_numbers::id.eq(conversation.phone_number_id))
        .select(phone_numbers::disconnected_at)
        .first(c)
        .await?;
    if disconnected.is_some() {
        return Err(DomainError::validation(
            "this number is disconnected; connect it again to send",
        ));
    }
    if !conversation.window_open(now) {
        return Err(DomainError::validation(
            "the 24-hour window is closed; only an approved template can be sent now",
        ));
    }
    Ok(conversation)
}

async fn remove_file_quietly(path: &std::path::Path) {
    if let Err(e) = tokio::fs::remove_file(path).await
        && e.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(error = %e, "cannot remove a refused upload");
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn queued(kind: &str, payload: Value) -> Message {
        Message {
            org_id: Uuid::nil(),
            id: Uuid::nil(),
            conversation_id: Uuid::nil(),
            direction: "outbound".into(),
            wamid: None,
            kind: kind.into(),
            body: None,
            payload,
            status: "pending".into(),
            status_at: Utc::now(),
            error_code: None,
            error_text: None,
            reply_to_wamid: Some("wamid.IN1".into()),
            sent_by: None,
            sent_at: Utc::now(),
        }
    }

    #[test]
    fn a_reply_goes_by_phone_when_known_and_by_user_id_otherwise() {
        let text = queued("text", json!({ "body": "Oi" }));
        let by_user = recipient_of(None, Some("BR.1520436779021845".into())).unwrap();
        let wire = serde_json::to_value(outbound_for(&text, by_user, None).unwrap()).unwrap();
        assert_eq!(wire["recipient"], "BR.1520436779021845");
        assert!(wire.get("to").is_none(), "{wire}");
        assert_eq!(wire["context"]["message_id"], "wamid.IN1");

        let both = recipient_of(Some("5511987650001".into()), Some("BR.1".into())).unwrap();
        let wire = serde_json::to_value(outbound_for(&text, both, None).unwrap()).unwrap();
        assert_eq!(wire["to"], "5511987650001");
        assert!(wire.get("recipient").is_none(), "{wire}");

        assert_eq!(recipient_of(None, None), None);
    }

    #[test]
    fn failed_outranks_every_status_and_nothing_moves_back() {
        let order = [
            "pending",
            "accepted",
            "sent",
            "delivered",
            "read",
            "played",
            "failed",
        ];
        for pair in order.windows(2) {
            assert!(rank(pair[0]) < rank(pair[1]), "{pair:?}");
        }
    }
}
