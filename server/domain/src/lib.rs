//! WAgent's business rules, one folder per business area: `organizations` (organizations,
//! members, invitations, API tokens, users, the audit log), `inbox` (conversations, notes,
//! canned responses) and `whatsapp` (numbers, webhooks, sending, media, templates), plus
//! `retention`. An area keeps its operations (`impl Domain` blocks on the one [`Domain`]
//! handle), its error enum and its background jobs; `access.rs` is the guard, `error.rs`
//! the failures every area shares, `jobs.rs` the one place job kinds are registered.
//!
//! Every operation on an organization's data takes an [`Access`], which only
//! [`Domain::authorize`] makes: it names the role the operation needs, checks the caller's
//! membership (or API token) against it, and refuses writes through read-only tokens. The
//! data itself is then read and written in a tenant transaction, where row-level security
//! is the backstop.

mod access;
pub mod agents;
pub mod campaigns;
pub mod contacts;
pub mod error;
pub mod inbox;
mod jobs;
pub mod knowledge;
pub mod notifications;
pub mod organizations;
pub mod retention;
pub mod secrets;
pub mod values;
pub mod whatsapp;

use std::sync::Arc;

pub use wagent_auth::Role;
use wagent_auth::api_token::TokenKeys;
pub use wagent_db::bus::Bus;
use wagent_db::{Conn, Db, Scope};
pub use wagent_meta as meta;

pub(crate) use crate::access::parse_role;
use crate::organizations::token_cache::TokenCache;
pub use crate::{
    access::{Access, Caller, Intent, Principal, TokenPrincipal},
    error::{Code, CommonError, Problem, Result},
    organizations::{
        ApiToken, AuditEvent, Invitation, InvitationStatus, Member, Membership, Organization,
        RoleColumn, User,
    },
};

/// The business layer's handle: cheap to clone, shared by every request and job.
#[derive(Clone)]
pub struct Domain {
    db: Db,
    tokens: Arc<TokenKeys>,
    token_cache: Arc<TokenCache>,
    public_url: Arc<str>,
    whatsapp: Option<Arc<whatsapp::WhatsAppSetup>>,
    /// Where uploaded contact lists wait to be imported.
    imports_dir: Option<Arc<std::path::Path>>,
    /// How many dispatch jobs share one campaign's recipients.
    campaign_shards: u16,
    /// Where uploaded knowledge files are kept.
    knowledge_dir: Option<Arc<std::path::Path>>,
    /// How web knowledge is fetched (the SSRF guard's settings).
    fetch_policy: Arc<wagent_fetch::FetchPolicy>,
    /// The AI provider, when configured.
    ai: Option<Arc<agents::AiSetup>>,
    /// Turns for applying webhook deliveries, one per core (see [`Domain::webhook_turn`]).
    webhook_turns: Arc<tokio::sync::Semaphore>,
    /// The inbox list's pages lately read.
    conversation_pages: Arc<inbox::pages::ConversationPages>,
}

impl Domain {
    /// `public_url` is where people reach the SPA (for invitation links).
    pub fn new(db: Db, tokens: Arc<TokenKeys>, public_url: &str) -> Self {
        Self {
            db,
            tokens,
            token_cache: Arc::default(),
            public_url: public_url.trim_end_matches('/').into(),
            whatsapp: None,
            imports_dir: None,
            campaign_shards: 2,
            knowledge_dir: None,
            fetch_policy: Arc::new(wagent_fetch::FetchPolicy::default()),
            ai: None,
            webhook_turns: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get),
            )),
            conversation_pages: Arc::default(),
        }
    }

    /// Waits for a turn to apply a webhook delivery. Applying one is database work that
    /// keeps a core busy: more at once than there are cores only queue up inside
    /// PostgreSQL, and the acknowledgements Meta waits for (stored and answered by the web
    /// server) queue behind them. Measured with `bench/run ingest` on 2 cores: 8 at once
    /// acknowledged with p99 123 ms, a turn per core with p99 26 ms, applying as fast.
    pub(crate) async fn webhook_turn(&self) -> Option<tokio::sync::SemaphorePermit<'_>> {
        self.webhook_turns.acquire().await.ok()
    }

    /// How many dispatch jobs (on any of the worker processes) share one campaign's
    /// recipients, each paced to its share of the number's throughput.
    pub fn with_campaign_shards(self, shards: u16) -> Self {
        Self {
            campaign_shards: shards.clamp(1, 64),
            ..self
        }
    }

    /// Enables contact imports, keeping uploaded files in `dir` until they are imported.
    pub fn with_imports_dir(self, dir: impl Into<std::path::PathBuf>) -> Self {
        Self {
            imports_dir: Some(Arc::from(dir.into().as_path())),
            ..self
        }
    }

    /// Enables WhatsApp: Meta's Graph API (or the sandbox) and the keys for sealed tokens.
    pub fn with_whatsapp(self, setup: whatsapp::WhatsAppSetup) -> Self {
        Self {
            whatsapp: Some(Arc::new(setup)),
            ..self
        }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// [`Db::transaction`], failing with the caller's error type.
    async fn tx<R, E, F>(&self, scope: Scope, f: F) -> Result<R, E>
    where
        for<'r> F: AsyncFnOnce(&'r mut Conn) -> Result<R, E>
            + wagent_db::TxFn<&'r mut Conn, Result<R, E>, Fut: Send>
            + Send,
        E: From<wagent_db::Error> + Send,
        R: Send,
    {
        self.db.transaction(scope, f).await
    }

    /// [`Db::read_transaction`]: a transaction that only reads, so that it does not count as
    /// a change of the organization for the inbox's kept pages.
    async fn read_tx<R, E, F>(&self, scope: Scope, f: F) -> Result<R, E>
    where
        for<'r> F: AsyncFnOnce(&'r mut Conn) -> Result<R, E>
            + wagent_db::TxFn<&'r mut Conn, Result<R, E>, Fut: Send>
            + Send,
        E: From<wagent_db::Error> + Send,
        R: Send,
    {
        self.db.read_transaction(scope, f).await
    }
}

/// A page of a list and whether more follow.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub has_next: bool,
}

impl<T> Page<T> {
    /// Builds a page from `limit + 1` fetched rows.
    fn from_rows(mut rows: Vec<T>, limit: i64) -> Self {
        let has_next = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        Self {
            items: rows,
            has_next,
        }
    }
}
