//! GraphQL over a websocket, with the credential kept honest for the socket's whole life.
//!
//! The credential sent in `connection_init` is checked again before every operation, when
//! the organization's API tokens change (the event bus), at the credential's expiry and, for
//! API tokens (whose attenuations may expire sooner), every few seconds. A socket whose
//! credential fails closes with 4401 (expired or invalid) or 4403 (revoked), which ends its
//! subscriptions. Limits: `connection_init` within a deadline (else 4408), a number of
//! operations per socket, and of sockets per person or token (else 4429).

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex},
    time::Duration,
};

use async_graphql::{Data, http::WebSocketProtocols};
use chrono::{DateTime, Utc};
use futures::{SinkExt, StreamExt};
use poem::web::websocket::{Message, WebSocketStream};
use serde_json::{Value, json};
use tokio::{
    sync::{broadcast::error::RecvError, mpsc, oneshot},
    time::Instant,
};
use uuid::Uuid;
use wagent_domain::{Bus, Caller, Code, Principal, Problem, organizations::OrganizationChange};
use wagent_graphql::RequestId;

use crate::http::AppState;

/// Close codes, as graphql-ws names them.
pub const UNAUTHORIZED: u16 = 4401;
pub const FORBIDDEN: u16 = 4403;
pub const INIT_TIMEOUT: u16 = 4408;
pub const TOO_MANY: u16 = 4429;
const TRY_AGAIN: u16 = 1011;

/// The websocket limits (settings `ws_*`).
#[derive(Debug, Clone)]
pub struct SocketLimits {
    pub init_timeout: Duration,
    pub max_operations: usize,
    pub max_connections: usize,
    pub recheck_every: Duration,
}

/// What every socket of this process shares: the bus and the open sockets per principal.
pub struct Sockets {
    pub bus: Bus,
    pub limits: SocketLimits,
    open: Mutex<HashMap<Uuid, usize>>,
}

impl Sockets {
    pub fn new(bus: Bus, limits: SocketLimits) -> Self {
        Self {
            bus,
            limits,
            open: Mutex::new(HashMap::new()),
        }
    }

    /// A place for one more socket of `principal`, or `None` at the limit.
    fn acquire(self: &Arc<Self>, principal: Uuid) -> Option<Slot> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(principal).or_insert(0);
        if *count >= self.limits.max_connections {
            return None;
        }
        *count += 1;
        Some(Slot {
            sockets: self.clone(),
            principal,
        })
    }
}

/// One open socket counted against its principal; released when dropped.
struct Slot {
    sockets: Arc<Sockets>,
    principal: Uuid,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.sockets.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&self.principal) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.principal);
            }
        }
    }
}

/// Why a socket ends: its close code and reason.
type Ending = (u16, String);

/// The authenticated side of a socket.
struct Session {
    token: String,
    caller: Caller,
    expires_at: Option<DateTime<Utc>>,
    _slot: Slot,
}

fn principal_id(caller: &Caller) -> Option<Uuid> {
    match &caller.principal {
        Principal::User(u) => Some(u.id),
        Principal::ApiToken(t) => Some(t.id),
        Principal::Operator => None,
    }
}

fn token_from(payload: &Value) -> Option<String> {
    ["authorization", "Authorization", "token"]
        .iter()
        .find_map(|k| payload.get(*k).and_then(|v| v.as_str()))
        .map(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
                .unwrap_or(v)
                .trim()
                .to_owned()
        })
        .filter(|t| !t.is_empty())
}

/// Checks `token` again; a failure says how the socket must close.
async fn check(
    state: &AppState,
    token: &str,
    known: Option<&Caller>,
    ip: Option<String>,
    user_agent: Option<String>,
) -> Result<(Caller, Option<DateTime<Utc>>), Ending> {
    match state.authenticate_until(token, ip, user_agent).await {
        Ok(found) => Ok(found),
        Err(e) if e.code() == Code::Internal => {
            tracing::error!(error = %e.internal_cause(), "cannot check a websocket's credential");
            Err((
                TRY_AGAIN,
                "cannot check your credential now; reconnect".into(),
            ))
        }
        Err(e) => {
            let token_id = known.and_then(|c| match &c.principal {
                Principal::ApiToken(t) => Some((t.org_id, t.id)),
                _ => None,
            });
            let revoked = match token_id {
                Some((org, id)) => state
                    .domain
                    .api_token_revoked(org, id)
                    .await
                    .unwrap_or(false),
                None => false,
            };
            Err(if revoked {
                (FORBIDDEN, "this API token has been revoked".into())
            } else {
                (UNAUTHORIZED, e.to_string())
            })
        }
    }
}

/// The close message for `ending`; reasons are cut to what a close frame holds.
fn close(ending: Ending) -> Message {
    let (code, reason) = ending;
    let reason: String = reason.chars().take(100).collect();
    Message::close_with(code, reason)
}

/// Serves one upgraded socket until either side ends it.
pub async fn serve(
    state: AppState,
    socket: WebSocketStream,
    protocol: WebSocketProtocols,
    ip: Option<String>,
    user_agent: Option<String>,
) {
    let sockets = state.sockets.clone();
    let limits = sockets.limits.clone();
    let (mut sink, mut client) = socket.split();
    let (to_graphql, from_client) = mpsc::channel::<Vec<u8>>(16);
    let (init_tx, mut init_rx) = oneshot::channel::<Result<Session, Ending>>();
    let init_state = state.clone();
    let (init_ip, init_ua) = (ip.clone(), user_agent.clone());
    let graphql = async_graphql::http::WebSocket::new(
        state.schema.clone(),
        futures::stream::unfold(from_client, |mut rx| async move {
            rx.recv().await.map(|m| (m, rx))
        }),
        protocol,
    )
    .on_connection_init(move |payload| async move {
        let outcome = async {
            let token = token_from(&payload).ok_or((
                UNAUTHORIZED,
                "send {\"authorization\": \"Bearer <token>\"} in connection_init".to_owned(),
            ))?;
            let (caller, expires_at) = check(&init_state, &token, None, init_ip, init_ua).await?;
            let slot = principal_id(&caller)
                .and_then(|p| init_state.sockets.acquire(p))
                .ok_or((
                    TOO_MANY,
                    "too many open connections for this account".to_owned(),
                ))?;
            Ok(Session {
                token,
                caller,
                expires_at,
                _slot: slot,
            })
        }
        .await;
        let answer = match &outcome {
            Ok(session) => {
                let mut data = Data::default();
                data.insert(session.caller.clone());
                data.insert(RequestId(Uuid::new_v4().simple().to_string()));
                Ok(data)
            }
            Err((_, reason)) => Err(async_graphql::Error::new(reason.clone())),
        };
        let _ = init_tx.send(outcome);
        answer
    });
    let mut graphql = std::pin::pin!(graphql);
    let mut events = sockets.bus.subscribe_internal();
    let init_deadline = Instant::now() + limits.init_timeout;
    let mut recheck =
        tokio::time::interval_at(Instant::now() + limits.recheck_every, limits.recheck_every);
    recheck.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut session: Option<Session> = None;
    let mut running: HashSet<String> = HashSet::new();
    let ending: Option<Ending> = loop {
        let expires_at = session
            .as_ref()
            .and_then(|s| s.expires_at)
            .map(|at| {
                let left = (at - Utc::now()).to_std().unwrap_or_default();
                Instant::now() + left
            })
            .unwrap_or_else(|| Instant::now() + Duration::from_secs(86_400));
        let is_token = session
            .as_ref()
            .is_some_and(|s| matches!(s.caller.principal, Principal::ApiToken(_)));
        tokio::select! {
            incoming = client.next() => {
                let Some(Ok(message)) = incoming else { break None };
                let bytes = match message {
                    Message::Text(t) => t.into_bytes(),
                    Message::Binary(b) => b,
                    Message::Close(_) => break None,
                    _ => continue,
                };
                let parsed: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
                let kind = parsed["type"].as_str().unwrap_or("");
                let id = parsed["id"].as_str().unwrap_or("").to_owned();
                match kind {
                    "subscribe" | "start" if session.is_none() => {
                        break Some((UNAUTHORIZED, "Unauthorized".into()));
                    }
                    "subscribe" | "start" => {
                        if let Some(s) = &session {
                            // Every operation is checked with the credential as it is now.
                            if let Err(ending) =
                                check(&state, &s.token, Some(&s.caller), ip.clone(), user_agent.clone()).await
                            {
                                break Some(ending);
                            }
                            if !running.contains(&id) && running.len() >= limits.max_operations {
                                let refusal = refuse(protocol, &id, limits.max_operations);
                                if sink.send(Message::text(refusal)).await.is_err() {
                                    break None;
                                }
                                continue;
                            }
                            running.insert(id);
                        }
                    }
                    "complete" | "stop" => {
                        running.remove(&id);
                    }
                    _ => {}
                }
                if to_graphql.send(bytes).await.is_err() {
                    break None;
                }
            }
            outgoing = graphql.next() => {
                let Some(outgoing) = outgoing else { break None };
                if session.is_none()
                    && let Ok(outcome) = init_rx.try_recv()
                {
                    match outcome {
                        Ok(s) => session = Some(s),
                        Err(ending) => break Some(ending),
                    }
                }
                let message = match outgoing {
                    async_graphql::http::WsMessage::Text(text) => {
                        if let Ok(v) = serde_json::from_str::<Value>(&text)
                            && matches!(v["type"].as_str(), Some("complete" | "error"))
                            && let Some(id) = v["id"].as_str()
                        {
                            running.remove(id);
                        }
                        Message::text(text)
                    }
                    async_graphql::http::WsMessage::Close(code, reason) => {
                        break Some((code, reason));
                    }
                };
                if sink.send(message).await.is_err() {
                    break None;
                }
            }
            () = tokio::time::sleep_until(init_deadline), if session.is_none() => {
                break Some((INIT_TIMEOUT, "connection_init did not arrive in time".into()));
            }
            () = tokio::time::sleep_until(expires_at), if session.as_ref().is_some_and(|s| s.expires_at.is_some()) => {
                break Some((UNAUTHORIZED, "your credential has expired; sign in again".into()));
            }
            _ = recheck.tick(), if is_token => {
                if let Some(s) = &session
                    && let Err(ending) = check(&state, &s.token, Some(&s.caller), None, None).await
                {
                    break Some(ending);
                }
            }
            event = events.recv(), if is_token => {
                let affected = match event {
                    Ok(e) => {
                        e.topic == OrganizationChange::ApiTokens.topic()
                            && session.as_ref().is_some_and(|s| match &s.caller.principal {
                                Principal::ApiToken(t) => t.org_id == e.org_id,
                                _ => false,
                            })
                    }
                    Err(RecvError::Lagged(_)) => true,
                    Err(RecvError::Closed) => false,
                };
                if affected && let Some(s) = &session {
                    // Asked of the database itself: the token cache may not have heard of
                    // the same event yet.
                    let revoked = match &s.caller.principal {
                        Principal::ApiToken(t) => {
                            state.domain.api_token_revoked(t.org_id, t.id).await.unwrap_or(false)
                        }
                        _ => false,
                    };
                    if revoked {
                        break Some((FORBIDDEN, "this API token has been revoked".into()));
                    }
                    if let Err(ending) = check(&state, &s.token, Some(&s.caller), None, None).await {
                        break Some(ending);
                    }
                }
            }
        }
    };
    if let Some(ending) = ending {
        let _ = sink.send(close(ending)).await;
    }
    let _ = sink.close().await;
}

/// The answer to an operation over the per-socket limit, in the socket's protocol.
fn refuse(protocol: WebSocketProtocols, id: &str, max: usize) -> String {
    let error = json!({
        "message": format!("at most {max} operations may run at once on one connection"),
        "extensions": { "code": "TOO_MANY_OPERATIONS" },
    });
    match protocol {
        WebSocketProtocols::GraphQLWS => json!({ "type": "error", "id": id, "payload": [error] }),
        WebSocketProtocols::SubscriptionsTransportWS => {
            json!({ "type": "error", "id": id, "payload": error })
        }
    }
    .to_string()
}
