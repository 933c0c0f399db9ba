//! The event bus: PostgreSQL LISTEN/NOTIFY, so an event published by one server process
//! reaches subscribers in every process on the same database.
//!
//! Events are published inside the transaction that causes them (`pg_notify` is delivered at
//! commit, never on rollback) and carry references, not content: a subscriber reloads what
//! it needs through its own tenant transaction, which re-checks access.

use std::{sync::Arc, time::Duration};

use diesel::sql_types::Text;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::sync::{Notify, broadcast, oneshot};
use uuid::Uuid;

use crate::{Changes, Conn, Error, PgTarget};

const EVENTS_CHANNEL: &str = "wagent_events";
const JOBS_CHANNEL: &str = "wagent_jobs";
/// The triggers' notices of changed inbox rows (see [`Changes`]).
const CHANGES_CHANNEL: &str = "wagent_changes";
/// PostgreSQL refuses NOTIFY payloads of 8000 bytes or more.
const MAX_PAYLOAD: usize = 7900;

/// Something that happened in an organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub org_id: Uuid,
    /// What happened, e.g. `organization.members`.
    pub topic: String,
    /// Ids of what changed.
    #[serde(default)]
    pub data: serde_json::Value,
}

/// Publishes `event` when the surrounding transaction commits.
pub async fn publish(conn: &mut Conn, event: &Event) -> Result<(), Error> {
    diesel::sql_query("SELECT pg_notify($1, $2)")
        .bind::<Text, _>(EVENTS_CHANNEL)
        .bind::<Text, _>(payload(event)?)
        .execute(conn)
        .await?;
    Ok(())
}

/// Publishes every event of `events` when the surrounding transaction commits, in one round
/// trip.
pub async fn publish_all(conn: &mut Conn, events: &[Event]) -> Result<(), Error> {
    if events.is_empty() {
        return Ok(());
    }
    let payloads = events.iter().map(payload).collect::<Result<Vec<_>, _>>()?;
    diesel::sql_query(
        "SELECT pg_notify($1, p) FROM unnest($2::text[]) WITH ORDINALITY AS u(p, n) ORDER BY n",
    )
    .bind::<Text, _>(EVENTS_CHANNEL)
    .bind::<diesel::sql_types::Array<Text>, _>(payloads)
    .execute(conn)
    .await?;
    Ok(())
}

fn payload(event: &Event) -> Result<String, Error> {
    let payload = serde_json::to_string(event).map_err(|e| Error::Setup(e.to_string()))?;
    if payload.len() > MAX_PAYLOAD {
        return Err(Error::Setup(format!(
            "event `{}` is {} bytes; events carry ids, not content",
            event.topic,
            payload.len()
        )));
    }
    Ok(payload)
}

/// Wakes job runners in every process when the surrounding transaction commits.
pub async fn wake_job_runners(conn: &mut Conn) -> Result<(), Error> {
    conn.batch_execute(&format!("NOTIFY {JOBS_CHANNEL}"))
        .await?;
    Ok(())
}

/// This process's end of the bus.
#[derive(Clone)]
pub struct Bus {
    /// GraphQL subscriptions listen here (counted by [`Bus::subscriber_count`]).
    events: broadcast::Sender<Event>,
    /// The server's own listeners (socket credential checks, caches).
    internal: broadcast::Sender<Event>,
    jobs: Arc<Notify>,
    /// Moved by the change notices; `None` on a local bus.
    changes: Option<Arc<Changes>>,
}

impl Bus {
    /// Connects a dedicated listening connection (reconnecting when it drops) and returns
    /// once it listens. The change notices it hears move `changes` (a [`crate::Db`]'s).
    pub async fn start(target: PgTarget, changes: Arc<Changes>) -> Result<Self, Error> {
        let (events, _) = broadcast::channel(4096);
        let (internal, _) = broadcast::channel(4096);
        let jobs = Arc::new(Notify::new());
        let bus = Self {
            events,
            internal,
            jobs,
            changes: Some(changes),
        };
        let (ready_tx, ready_rx) = oneshot::channel();
        tokio::spawn(listen(target, bus.clone(), ready_tx));
        ready_rx
            .await
            .map_err(|_| Error::Connect("the event listener stopped".into()))??;
        Ok(bus)
    }

    /// A process-local bus with no database behind it (for tools and unit tests).
    pub fn local() -> Self {
        let (events, _) = broadcast::channel(4096);
        let (internal, _) = broadcast::channel(4096);
        Self {
            events,
            internal,
            jobs: Arc::new(Notify::new()),
            changes: None,
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    /// Events for the server's own listeners, which [`Bus::subscriber_count`] leaves out.
    pub fn subscribe_internal(&self) -> broadcast::Receiver<Event> {
        self.internal.subscribe()
    }

    /// How many live subscriptions in this process listen to events now.
    pub fn subscriber_count(&self) -> usize {
        self.events.receiver_count()
    }

    /// Notified when jobs were enqueued anywhere.
    pub fn job_signal(&self) -> Arc<Notify> {
        self.jobs.clone()
    }

    fn set_listening(&self, listening: bool) {
        if let Some(changes) = &self.changes {
            changes.set_listening(listening);
        }
    }

    fn dispatch(&self, channel: &str, payload: &str) {
        match channel {
            JOBS_CHANNEL => self.jobs.notify_waiters(),
            CHANGES_CHANNEL => {
                if let Some(changes) = &self.changes {
                    changes.notice(payload);
                }
            }
            EVENTS_CHANNEL => match serde_json::from_str::<Event>(payload) {
                Ok(event) => {
                    // Before anyone hears it: a subscriber that reloads what it shows never
                    // gets a page kept from before the event.
                    if let Some(changes) = &self.changes {
                        changes.changed(event.org_id);
                    }
                    // No receivers is fine: nobody is subscribed in this process.
                    let _ = self.internal.send(event.clone());
                    let _ = self.events.send(event);
                }
                Err(e) => tracing::warn!(error = %e, "ignoring a malformed event"),
            },
            _ => {}
        }
    }
}

async fn listen(target: PgTarget, bus: Bus, ready: oneshot::Sender<Result<(), Error>>) {
    let mut ready = Some(ready);
    let mut backoff = Duration::from_millis(200);
    loop {
        match connect(&target).await {
            Ok(mut conn) => {
                backoff = Duration::from_millis(200);
                bus.set_listening(true);
                if let Some(ready) = ready.take() {
                    let _ = ready.send(Ok(()));
                } else {
                    tracing::info!("event listener reconnected");
                    // Runners may have missed a wake-up while we were away.
                    bus.jobs.notify_waiters();
                }
                let mut stream = std::pin::pin!(conn.notifications_stream());
                while let Some(item) = stream.next().await {
                    match item {
                        Ok(n) => bus.dispatch(&n.channel, &n.payload),
                        Err(e) => {
                            tracing::warn!(error = %e, "event listener lost its connection");
                            break;
                        }
                    }
                }
                bus.set_listening(false);
            }
            Err(e) => {
                if let Some(ready) = ready.take() {
                    let _ = ready.send(Err(e));
                    return;
                }
                tracing::warn!(error = %e, "event listener cannot connect; retrying");
            }
        }
        if bus.events.receiver_count() == 0 && std::sync::Arc::strong_count(&bus.jobs) == 1 {
            // Every handle is gone: the process is shutting down.
            return;
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(10));
    }
}

async fn connect(target: &PgTarget) -> Result<AsyncPgConnection, Error> {
    let mut conn = AsyncPgConnection::establish(&target.connection_string())
        .await
        .map_err(|e| Error::Connect(e.to_string()))?;
    conn.batch_execute(&format!(
        "LISTEN {EVENTS_CHANNEL}; LISTEN {JOBS_CHANNEL}; LISTEN {CHANGES_CHANNEL};"
    ))
    .await?;
    Ok(conn)
}
