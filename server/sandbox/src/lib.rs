//! The built-in Meta sandbox: Meta's side of the WhatsApp Cloud API wire (Graph v21.0), in
//! memory. It answers the Graph calls WAgent makes and applies Meta's rules (the 24-hour
//! window, templates, throughput and pair rates, media limits, Embedded Signup), sends
//! correctly signed webhooks, and lets simulated customers write in.
//!
//! It is written from Meta's documentation and shares nothing with WAgent's own Graph
//! client, so that each checks the other. Mount [`Sandbox::endpoint`] in an app or
//! [`Sandbox::listen`] on a port.
//!
//! Graph (any `/{version}/`, `Authorization: Bearer <any token>`):
//! `POST /{pn}/messages`, `POST /{pn}/media`, `GET|DELETE /{media-id}`,
//! `GET|POST|DELETE /{waba}/message_templates`, `GET|POST /{template-id}`, `GET /{pn}`,
//! `GET /{waba}`, `GET /{waba}/phone_numbers`, `POST /{pn}/register|deregister`,
//! `GET|POST|DELETE /{waba}/subscribed_apps`, `GET|POST /{pn}/whatsapp_business_profile`,
//! the Resumable Upload API (`POST /{app-id}/uploads`, `POST|GET /upload:...`, also with
//! `Authorization: OAuth`), and without a bearer `GET /oauth/access_token` and
//! `GET /debug_token`.
//!
//! Customers have Meta's business-scoped user ids (a phone, a username, or both): message
//! webhooks carry `contacts[].user_id` and `from_user_id`, statuses `recipient_user_id`
//! (and `contacts` but on `failed`), and sends take `recipient` (a user id) for `to`.
//!
//! Sandbox-only, JSON, behind the shared secret of [`SandboxConfig::api_secret`] (header
//! `X-Sandbox-Secret`, [`SECRET_HEADER`]): `POST|GET /sandbox/customers/messages`,
//! `POST /sandbox/customers/window`, `GET /sandbox/messages`, `GET /sandbox/state`,
//! `GET /sandbox/webhooks`, `GET|POST /sandbox/config`, `POST /sandbox/accounts`,
//! `POST /sandbox/embedded-signup`, `POST /sandbox/phone-numbers/{pn}/quality`,
//! `POST /sandbox/templates/{id}/status`, `GET|POST|DELETE /sandbox/faults` (the next sends
//! of a number, to one customer or to anyone, answered with one of Meta's error codes or held
//! for quality assessment, as Meta answers them), `GET /sandbox/media/{id}?token=` (the media
//! URL).
//!
//! # Ids made up on first sight
//!
//! With [`SandboxConfig::auto_create`] (the default) the sandbox knows any WABA or
//! phone-number id it is asked about, so `wagent whatsapp connect --waba ANY
//! --phone-number-id ANY` works. Ids asked about together belong together, because the
//! access token stands for a business, as a system-user token does at Meta:
//!
//! - Each Bearer token has one business: its Embedded Signup business for a token the code
//!   exchange issued, else one made up the first time the token needs it.
//! - A WABA first seen under a token is made up in the token's business and becomes the
//!   token's *current* WABA; so does any made-up WABA of that business the token names
//!   again (any Graph call on `/{waba}` or `/{waba}/...`).
//! - A number first seen under a token is *provisional*: it is put in the token's current
//!   WABA, or, while the token has named none, in a placeholder WABA of its business.
//! - When the token names a made-up WABA of its business, its provisional numbers move
//!   into it and settle there for good. A placeholder WABA left empty (and never named)
//!   disappears.
//! - A WABA made up with no provisional number to take gets a number of its own.
//! - A number the sandbox API made up (a customer writing to an unknown number) has a
//!   business and placeholder WABA of its own until a token asks about it: it then becomes
//!   that token's provisional number.
//! - Explicit accounts (`POST /sandbox/accounts`, Embedded Signup) are never moved, and
//!   their WABAs never take made-up numbers; neither do another token's WABAs.
//!
//! So `GET /{pn}` then `GET /{waba}/phone_numbers` with one token lists the number under
//! the WABA, in either order, and later webhooks for the number carry that WABA's id.

mod api;
mod config;
mod customers;
mod error;
mod faults;
mod graph;
mod messages;
mod state;
mod templates;
pub mod webhook;

use std::{
    future::Future,
    net::SocketAddr,
    sync::{Arc, Mutex, MutexGuard, Weak},
    time::Duration,
};

use poem::{
    Addr, Endpoint, EndpointExt, Response, Route, Server,
    http::{StatusCode, header},
    listener::{Acceptor, Listener, TcpListener},
};
use serde_json::Value;

pub use crate::{
    config::{Chaos, PairRate, SandboxConfig},
    error::SandboxError,
};
use crate::{
    state::State,
    webhook::{Delivery, Outbox, WebhookRecord, envelope, signature, to_meta_json},
};

/// The header that carries [`SandboxConfig::api_secret`] to the sandbox-only API.
pub const SECRET_HEADER: &str = "x-sandbox-secret";

/// The largest request body: a 100 MB document plus multipart framing.
const MAX_BODY: usize = 105 * 1024 * 1024;

/// A sandbox: its state and its webhook queue. Cheap to clone; clones share everything.
#[derive(Clone)]
pub struct Sandbox {
    inner: Arc<Inner>,
}

/// Changes a running sandbox's behaviour (chaos, delays, limits) from tests.
#[derive(Clone)]
pub struct SandboxHandle {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    state: Mutex<State>,
    outbox: Outbox,
    me: Weak<Inner>,
}

impl Sandbox {
    pub fn new(config: SandboxConfig) -> Sandbox {
        let inner = Arc::new_cyclic(|me| Inner {
            state: Mutex::new(State::new(config)),
            outbox: Outbox::new(),
            me: me.clone(),
        });
        Sandbox { inner }
    }

    /// Binds `listen` (port 0 picks a free one), serves in the background until `shutdown`
    /// completes, and returns the bound address.
    pub async fn serve(
        config: SandboxConfig,
        listen: SocketAddr,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<SocketAddr, SandboxError> {
        Sandbox::new(config).listen(listen, shutdown).await
    }

    /// [`Sandbox::serve`] for a sandbox already built, so that its handle can be kept.
    pub async fn listen(
        &self,
        listen: SocketAddr,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<SocketAddr, SandboxError> {
        let acceptor = TcpListener::bind(listen)
            .into_acceptor()
            .await
            .map_err(|source| SandboxError::Bind {
                addr: listen,
                source,
            })?;
        let addr = acceptor
            .local_addr()
            .into_iter()
            .find_map(|a| match a.0 {
                Addr::SocketAddr(addr) => Some(addr),
                _ => None,
            })
            .ok_or(SandboxError::NoAddress)?;
        let endpoint = self.endpoint();
        tokio::spawn(async move {
            let served = Server::new_with_acceptor(acceptor)
                .run_with_graceful_shutdown(endpoint, shutdown, Some(Duration::from_secs(5)))
                .await;
            if let Err(e) = served {
                tracing::error!(error = %e, "sandbox server stopped");
            }
        });
        Ok(addr)
    }

    /// The whole sandbox as one endpoint: Graph under `/{version}/...`, the sandbox-only
    /// API under `/sandbox/...`. It may be nested under a prefix.
    pub fn endpoint(&self) -> impl Endpoint<Output = Response> + 'static {
        Route::new()
            // The media URL stands in for Meta's CDN: its Bearer token and signed query
            // authorise it, not the sandbox API's secret.
            .at("/sandbox/media/:id", poem::get(api::download))
            .nest("/sandbox", api::routes().before(api::require_secret))
            .at("/*path", graph::GraphEndpoint(self.inner.clone()))
            .data(self.inner.clone())
            .before(|req| async move {
                // poem's SizeLimit also refuses bodies without a length (every GET).
                let length = req
                    .headers()
                    .get(header::CONTENT_LENGTH)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse::<usize>().ok());
                if length.is_some_and(|l| l > MAX_BODY) {
                    return Err(poem::Error::from_status(StatusCode::PAYLOAD_TOO_LARGE));
                }
                Ok(req)
            })
            .map_to_response()
    }

    pub fn handle(&self) -> SandboxHandle {
        SandboxHandle {
            inner: self.inner.clone(),
        }
    }
}

impl SandboxHandle {
    /// The configuration in force.
    pub fn config(&self) -> SandboxConfig {
        self.inner.lock().config.clone()
    }

    /// Changes the configuration in place; sends already accepted keep their plan.
    pub fn configure(&self, change: impl FnOnce(&mut SandboxConfig)) {
        change(&mut self.inner.lock().config);
    }

    pub fn set_chaos(&self, chaos: Chaos) {
        self.configure(|c| c.chaos = chaos);
    }

    pub fn set_status_delays(&self, sent: Duration, delivered: Duration, read: Duration) {
        self.configure(|c| c.status_delays = (sent, delivered, read));
    }

    pub fn set_webhook_url(&self, url: Option<String>) {
        self.configure(|c| c.webhook_url = url);
    }

    /// When each send from `phone_number_id` was accepted (milliseconds since the Unix
    /// epoch), in order.
    pub fn accepted_ms(&self, phone_number_id: &str) -> Vec<i64> {
        let mut times: Vec<i64> = self
            .inner
            .lock()
            .sent
            .values()
            .filter(|m| m.phone_number_id == phone_number_id)
            .map(|m| m.accepted_ms)
            .collect();
        times.sort_unstable();
        times
    }
}

impl Inner {
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves plain data behind; keep serving it.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Wraps `value` in the webhook envelope, signs it and queues it for the WABA's
    /// callback URL (or the configured one).
    pub(crate) fn emit(&self, waba_id: &str, field: &str, value: Value) {
        let body = to_meta_json(&envelope(waba_id, field, value));
        let mut state = self.lock();
        let seq = state.next_seq();
        let subscription = state
            .wabas
            .get(waba_id)
            .and_then(|w| w.subscription.clone());
        let url = subscription
            .as_ref()
            .and_then(|s| s.override_callback_uri.clone())
            .or_else(|| state.config.webhook_url.clone());
        let (url, outcome) = if state.config.require_subscription && subscription.is_none() {
            (None, "not sent: the app is not subscribed to this WABA")
        } else if url.is_none() {
            (None, "not sent: no webhook_url")
        } else {
            (url, "pending")
        };
        let signature = signature(&state.config.app_secret, body.as_bytes());
        state.push_webhook(WebhookRecord {
            seq,
            field: field.to_owned(),
            waba_id: waba_id.to_owned(),
            url: url.clone(),
            body: body.clone(),
            outcome: outcome.to_owned(),
            attempts: 0,
            last_status: None,
            last_error: None,
        });
        drop(state);
        if let Some(url) = url {
            self.outbox.send(
                Delivery {
                    seq,
                    url,
                    body,
                    signature,
                },
                self.me.clone(),
            );
        }
    }
}
