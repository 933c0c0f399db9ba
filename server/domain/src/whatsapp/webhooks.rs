//! Webhook intake: a delivery is stored sealed and answered at once, then its job parses it,
//! routes every event to its organization through `org_routes` and applies each
//! organization's events in one transaction, each event in its own savepoint.

use std::{
    collections::{BTreeMap, HashMap},
    io::{Read, Write},
};

use chrono::{DateTime, Utc};
use diesel::{BoolExpressionMethods, ExpressionMethods, JoinOnDsl, OptionalExtension, QueryDsl};
use diesel_async::RunQueryDsl;
use serde_json::json;
use uuid::Uuid;
use wagent_db::{
    Conn, Scope,
    schema::{
        message_templates, org_routes, phone_numbers, webhook_events, webhook_failures,
        whatsapp_accounts,
    },
};
use wagent_meta::webhook::WebhookEvent;

use super::{
    ROUTE_NUMBER, ROUTE_WABA, Result, TemplateStatus, WhatsAppError,
    inbound::{apply_message, apply_statuses},
    jobs::{ProcessWebhook, RefreshNumber},
    keywords::apply_preference,
};
use crate::{
    Code, CommonError, Domain, Problem, campaigns,
    organizations::audit::{self, Entry},
};

/// How long a webhook delivery that cannot be read (or whose processing gave up) is kept,
/// sealed, for an operator to inspect its error. See docs/ARCHITECTURE.md.
pub const UNREADABLE_WEBHOOK_HOURS: i64 = 24;

/// The largest delivery the endpoint takes (its body limit), and so the largest unpacked.
pub const MAX_WEBHOOK_BYTES: usize = 4 * 1024 * 1024;

/// A delivery as it is sealed: gzip at its fastest level. Meta's JSON shrinks several times
/// over, and so does what the acknowledgement writes and the job reads back.
fn pack(body: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 4),
        flate2::Compression::fast(),
    );
    // Writing into a Vec cannot fail.
    let _ = gz.write_all(body);
    gz.finish().unwrap_or_default()
}

/// A delivery as it was received, from what was sealed: gzip (see [`pack`]) or, for
/// deliveries stored before, the JSON itself (which never starts with gzip's magic bytes).
fn unpack(opened: Vec<u8>) -> std::result::Result<Vec<u8>, String> {
    if !opened.starts_with(&[0x1f, 0x8b]) {
        return Ok(opened);
    }
    let mut body = Vec::with_capacity(opened.len() * 4);
    flate2::read::GzDecoder::new(opened.as_slice())
        .take(MAX_WEBHOOK_BYTES as u64 + 1)
        .read_to_end(&mut body)
        .map_err(|e| format!("the stored delivery does not decompress: {e}"))?;
    if body.len() > MAX_WEBHOOK_BYTES {
        return Err("the stored delivery is larger than any delivery taken".to_owned());
    }
    Ok(body)
}

impl Domain {
    /// Stores a webhook delivery as received (sealed: it holds tenants' message content
    /// before anyone knows their organization) and schedules its processing, in one
    /// transaction. Called after the signature was checked.
    pub async fn receive_webhook(&self, body: &[u8]) -> Result<Uuid> {
        let id = Uuid::now_v7();
        let sealed =
            self.whatsapp()?
                .keyring
                .seal_bytes(&pack(body), Uuid::nil(), &webhook_purpose(id));
        self.tx(Scope::system(), async |c| {
            diesel::insert_into(webhook_events::table)
                .values((
                    webhook_events::id.eq(id),
                    webhook_events::source.eq("whatsapp"),
                    webhook_events::body_sealed.eq(&sealed),
                ))
                .execute(c)
                .await?;
            ProcessWebhook::enqueue(c, id).await?;
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
            .tx(Scope::system(), async |c| -> Result<_, CommonError> {
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
                .map_err(|e| e.to_string())
                .and_then(unpack),
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
                self.tx(Scope::system(), async |c| -> Result<_, CommonError> {
                    diesel::update(webhook_events::table.filter(webhook_events::id.eq(event_id)))
                        .set(webhook_events::error.eq(error))
                        .execute(c)
                        .await?;
                    ProcessWebhook::enqueue_expiry(c, event_id, expires_at).await?;
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
        // A delivery's events name a handful of numbers and accounts (usually one).
        let mut routes: HashMap<(&'static str, String), Option<Uuid>> = HashMap::new();
        for event in events {
            let key = route_key(&event);
            let route = match routes.get(&key) {
                Some(route) => *route,
                None => {
                    let route = self.route(&key).await?;
                    routes.insert(key, route);
                    route
                }
            };
            match route {
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

    /// The organization a number or account (from [`route_key`]) belongs to.
    async fn route(&self, (kind, key): &(&'static str, String)) -> Result<Option<Uuid>> {
        self.tx(Scope::system(), async |c| {
            Ok(org_routes::table
                .filter(org_routes::kind.eq(*kind))
                .filter(org_routes::key.eq(key))
                .select(org_routes::org_id)
                .first::<Uuid>(c)
                .await
                .optional()?)
        })
        .await
    }
}

/// What routes an event to its organization: its number, or else its account.
fn route_key(event: &WebhookEvent) -> (&'static str, String) {
    match event {
        WebhookEvent::Message {
            phone_number_id, ..
        }
        | WebhookEvent::Status {
            phone_number_id, ..
        }
        | WebhookEvent::UserPreference {
            phone_number_id, ..
        } => (ROUTE_NUMBER, phone_number_id.clone()),
        other => (ROUTE_WABA, other.waba_id().to_owned()),
    }
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
    let mut rest = events;
    while !rest.is_empty() {
        // Statuses, most of what Meta sends, apply a run at a time: a bounded number of
        // statements for up to a thousand of them, in one savepoint. When the run fails as a
        // whole, its statuses go one by one like every other event.
        let run = rest
            .iter()
            .take_while(|e| matches!(e, WebhookEvent::Status { .. }))
            .count();
        if run > 1 {
            let statuses: Vec<_> = rest[..run]
                .iter()
                .filter_map(|e| match e {
                    WebhookEvent::Status { status, .. } => Some(status),
                    _ => None,
                })
                .collect();
            match c
                .transaction(async |c| apply_statuses(c, org_id, &statuses).await)
                .await
            {
                Ok(n) => {
                    report.statuses += n;
                    rest = &rest[run..];
                    continue;
                }
                Err(e) if is_transient(c, &e).await => return Err(e),
                Err(e) => {
                    tracing::info!(%org_id, statuses = run, error = %e, "a run of statuses failed together; applying them one by one");
                }
            }
        }
        let one_by_one = run.max(1);
        for event in &rest[..one_by_one] {
            apply_alone(c, org_id, event, &mut report).await?;
        }
        rest = &rest[one_by_one..];
    }
    Ok(report)
}

/// Applies one event in its own savepoint: one that cannot be stored is recorded with its
/// reason and skipped, and never fails the others (Meta would redeliver them for days).
async fn apply_alone(
    c: &mut Conn,
    org_id: Uuid,
    event: &WebhookEvent,
    report: &mut ProcessReport,
) -> Result<()> {
    use diesel_async::AsyncConnection;
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
    Ok(())
}

/// A failure that another attempt may not meet (a lost connection, a deadlock, a
/// serialization conflict): the whole delivery is retried rather than the event recorded.
async fn is_transient(c: &mut Conn, e: &WhatsAppError) -> bool {
    if e.code() == Code::Internal {
        let text = e.internal_cause().to_ascii_lowercase();
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
    e: &WhatsAppError,
) -> Result<()> {
    let (kind, reference) = match event {
        WebhookEvent::Message { message, .. } => ("message", Some(message.id.as_str())),
        WebhookEvent::Status { status, .. } => ("status", Some(status.message_id.as_str())),
        WebhookEvent::TemplateStatus { name, .. } => ("template_status", Some(name.as_str())),
        WebhookEvent::TemplateQuality { name, .. } => ("template_quality", Some(name.as_str())),
        WebhookEvent::PhoneNumberQuality { .. } => ("phone_number_quality", None),
        WebhookEvent::AccountUpdate { .. } => ("account_update", None),
        WebhookEvent::UserPreference { contact, .. } => (
            "user_preference",
            contact.wa_id.as_deref().or(contact.user_id.as_deref()),
        ),
        _ => ("other", None),
    };
    let reason = match e.code() {
        Code::Internal => e.internal_cause(),
        _ => e.to_string(),
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
                report.statuses += apply_statuses(c, org_id, &[status]).await?;
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
                    message_templates::status.eq(TemplateStatus::parse(event)),
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
                        if quality == Some("RED") {
                            campaigns::pause_for_quality(c, org_id, id).await?;
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
                    RefreshNumber::enqueue(c, org_id, id).await?;
                }
                report.other += 1;
            }
            WebhookEvent::UserPreference {
                contact,
                category,
                value,
                detail,
                ..
            } => {
                if category == "marketing_messages" {
                    apply_preference(c, org_id, contact, value, detail.as_deref()).await?;
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

/// The associated data of a sealed webhook body: its row (no organization is known yet).
pub(super) fn webhook_purpose(event_id: Uuid) -> String {
    format!("webhook_events/{event_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delivery_is_stored_smaller_and_read_back_as_it_came() {
        let body = br#"{"object":"whatsapp_business_account","entry":[]}"#.repeat(1_000);
        let packed = pack(&body);
        assert!(packed.len() * 10 < body.len(), "{} bytes", packed.len());
        assert_eq!(unpack(packed), Ok(body.clone()));
        // Deliveries sealed before bodies were compressed read as they are.
        assert_eq!(unpack(body.clone()), Ok(body));
    }

    #[test]
    fn a_stored_delivery_is_never_unpacked_beyond_the_largest_taken() {
        let huge = pack(&vec![b' '; MAX_WEBHOOK_BYTES + 1]);
        assert!(unpack(huge).unwrap_err().contains("larger"));
        let broken = vec![0x1f, 0x8b, 8, 0, 0, 0];
        assert!(unpack(broken).unwrap_err().contains("decompress"));
    }
}
