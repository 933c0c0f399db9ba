//! PostgreSQL access for WAgent.
//!
//! [`Db::transaction`] (and [`Db::read`], its one-round-trip form for the hot reads) is the
//! only way the server reaches tenant data: it opens a transaction and sets `app.org_id` /
//! `app.user_id` with `set_config(..., true)` (the read sets them for the session, ahead of
//! its statement), so the row-level security policies written in `migrations/` decide which
//! rows exist for the caller.

pub mod bus;
mod changes;
pub mod cluster;
pub mod migrate;
mod page;
pub mod schema;
pub mod schema_gen;
pub mod statement_count;
mod target;

/// PostgreSQL types diesel does not name.
pub mod sql_types {
    /// `tsvector`: written and searched in SQL only, never loaded.
    #[derive(Debug, Clone, Copy, diesel::sql_types::SqlType, diesel::query_builder::QueryId)]
    #[diesel(postgres_type(name = "tsvector"))]
    pub struct Tsvector;
}

use std::{future::Future, pin::pin, sync::Arc, task::Poll, time::Duration};

use diesel_async::{
    AnsiTransactionManager, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection,
    TransactionManager,
    pooled_connection::{
        AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
        deadpool::{Object, Pool},
    },
};
use futures::future::{BoxFuture, try_join};
use uuid::Uuid;

pub use diesel;
pub use diesel_async;

pub use self::{
    changes::{Changes, Stamp},
    page::{FirstPerParent, LiteralLimit, LiteralLimitDsl, group_by_parent},
    target::PgTarget,
};

/// A connection borrowed for the length of a transaction.
pub type Conn = AsyncPgConnection;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("database unavailable: {0}")]
    Pool(String),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
    #[error("database connection failed: {0}")]
    Connect(String),
    #[error("{0}")]
    Setup(String),
}

/// Who a transaction acts for. Row-level security reads both settings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scope {
    pub org_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
}

impl Scope {
    /// No tenant: only tables outside row-level security (users, jobs) have rows.
    pub fn system() -> Self {
        Self::default()
    }

    /// The rows of one organization.
    pub fn org(org_id: Uuid) -> Self {
        Self {
            org_id: Some(org_id),
            user_id: None,
        }
    }

    /// A person's own memberships and the organizations they belong to, across orgs.
    pub fn user(user_id: Uuid) -> Self {
        Self {
            org_id: None,
            user_id: Some(user_id),
        }
    }

    pub fn with_user(self, user_id: Option<Uuid>) -> Self {
        Self { user_id, ..self }
    }
}

/// Names the future of an async closure so that it can be required to be `Send`
/// (the same device as diesel-async's own `transaction`).
pub trait TxFn<T, R>: AsyncFnOnce(T) -> R + FnOnce(T) -> <Self as TxFn<T, R>>::Fut {
    type Fut: Future<Output = R>;
}

impl<F, T, Fut, R> TxFn<T, R> for F
where
    F: AsyncFnOnce(T) -> R + FnOnce(T) -> Fut,
    Fut: Future<Output = R>,
{
    type Fut = Fut;
}

/// The server's connection pool, connected as a role that owns no table.
#[derive(Clone)]
pub struct Db {
    pool: Pool<Conn>,
    target: PgTarget,
    /// Moved by this process's commits and by the bus's change notices.
    changes: Arc<Changes>,
}

impl Db {
    pub fn connect(target: &PgTarget, max_size: usize) -> Result<Self, Error> {
        // A pooled connection is handed out without a test query first (deadpool's default
        // costs a round trip per checkout); a connection that broke fails its statement and
        // the pool drops it (`is_broken`).
        let mut config = ManagerConfig::default();
        config.recycling_method = RecyclingMethod::Fast;
        let manager = AsyncDieselConnectionManager::<Conn>::new_with_config(
            target.connection_string(),
            config,
        );
        let pool = Pool::builder(manager)
            .max_size(max_size)
            .wait_timeout(Some(Duration::from_secs(10)))
            .create_timeout(Some(Duration::from_secs(10)))
            .runtime(deadpool::Runtime::Tokio1)
            .build()
            .map_err(|e| Error::Pool(e.to_string()))?;
        Ok(Self {
            pool,
            target: target.clone(),
            changes: Arc::default(),
        })
    }

    pub fn target(&self) -> &PgTarget {
        &self.target
    }

    /// The organizations' change clocks; [`bus::Bus::start`] keeps them moving for the
    /// writes of other processes.
    pub fn changes(&self) -> Arc<Changes> {
        self.changes.clone()
    }

    /// The organization's change clock now (see [`Changes::stamp`]).
    pub fn stamp(&self, org_id: Uuid) -> Option<Stamp> {
        self.changes.stamp(org_id)
    }

    async fn get(&self) -> Result<Object<Conn>, Error> {
        self.pool
            .get()
            .await
            .map_err(|e| Error::Pool(e.to_string()))
    }

    /// Runs `f` in one transaction acting for `scope`; commits on `Ok`, rolls back on `Err`.
    ///
    /// The settings are transaction-local and set at every BEGIN, so whatever an earlier
    /// [`Db::read`] left on the session, the transaction acts for `scope` alone. Once it has
    /// committed, the organization's change clock moves (see [`Changes`]): whether `f` wrote is
    /// not known here (nor, after an error at COMMIT, whether it committed), so the writer's
    /// next read is never answered from before its write.
    pub async fn transaction<R, E, F>(&self, scope: Scope, f: F) -> Result<R, E>
    where
        for<'r> F: AsyncFnOnce(&'r mut Conn) -> Result<R, E>
            + TxFn<&'r mut Conn, Result<R, E>, Fut: Send>
            + Send,
        E: From<Error> + Send,
        R: Send,
    {
        self.run(scope, TxMode::ReadWrite, f).await
    }

    /// As [`Db::transaction`], for reads: PostgreSQL refuses any write in it (`BEGIN READ
    /// ONLY`), and it moves no change clock.
    pub async fn read_transaction<R, E, F>(&self, scope: Scope, f: F) -> Result<R, E>
    where
        for<'r> F: AsyncFnOnce(&'r mut Conn) -> Result<R, E>
            + TxFn<&'r mut Conn, Result<R, E>, Fut: Send>
            + Send,
        E: From<Error> + Send,
        R: Send,
    {
        self.run(scope, TxMode::ReadOnly, f).await
    }

    async fn run<R, E, F>(&self, scope: Scope, mode: TxMode, f: F) -> Result<R, E>
    where
        for<'r> F: AsyncFnOnce(&'r mut Conn) -> Result<R, E>
            + TxFn<&'r mut Conn, Result<R, E>, Fut: Send>
            + Send,
        E: From<Error> + Send,
        R: Send,
    {
        let mut conn = self.get().await?;
        let conn: &mut Conn = &mut conn;
        statement_count::attribute(conn, scope.org_id);
        let begin = begin_sql(scope, mode);
        if let Err(e) = AnsiTransactionManager::begin_transaction_sql(conn, &begin).await {
            // The BEGIN may have run before the error: leave the connection outside any
            // transaction (a ROLLBACK without one is only a warning).
            let _ = conn.batch_execute("ROLLBACK").await;
            return Err(Error::from(e).into());
        }
        match f(conn).await {
            Ok(value) => {
                let committed = AnsiTransactionManager::commit_transaction(conn).await;
                if mode == TxMode::ReadWrite
                    && let Some(org_id) = scope.org_id
                {
                    self.changes.changed(org_id);
                }
                committed.map_err(Error::from)?;
                Ok(value)
            }
            Err(e) => {
                if let Err(rollback) = AnsiTransactionManager::rollback_transaction(conn).await {
                    tracing::warn!(error = %rollback, "rollback failed");
                }
                Err(e)
            }
        }
    }

    /// Runs the statements `f` sends acting for `scope`, for the hot reads, in one round
    /// trip: the settings go out as session settings without waiting for their answer, and
    /// `f`'s statements follow them on the same connection (pipelining). No BEGIN and no
    /// COMMIT: each statement is its own snapshot, so `f` should send one (the inbox page
    /// does). PostgreSQL runs what one connection sends in order, so a statement that must
    /// first be prepared (a round trip of its own) still runs after the settings.
    ///
    /// The settings outlive the read on the session; every use of a pooled connection
    /// ([`Db::transaction`] and this) sets both before its first statement, and the others
    /// ([`Db::ping`], [`Db::refresh_statistics`]) read no tenant table. A settings statement
    /// that failed fails the read, whatever `f` read. A connection whose read failed or was
    /// cancelled midway is closed rather than pooled.
    pub async fn read<R, F>(&self, scope: Scope, f: F) -> Result<R, Error>
    where
        F: for<'c> FnOnce(&'c Conn) -> BoxFuture<'c, diesel::QueryResult<R>>,
    {
        let mut reading = Reading(Some(self.get().await?));
        let value = reading.run(scope, f).await?;
        // Answered: the connection goes back to the pool.
        drop(reading.0.take());
        Ok(value)
    }

    /// Refreshes the planner's statistics of `table` after a bulk write, through the
    /// migrations' `app_refresh_statistics` (the server's role owns no table). Runs in a
    /// short transaction of its own: ANALYZE holds a lock that other refreshes of the same
    /// table wait for until commit.
    pub async fn refresh_statistics(&self, table: Analyzed) -> Result<(), Error> {
        let mut conn = self.get().await?;
        diesel::sql_query("SELECT app_refresh_statistics($1)")
            .bind::<diesel::sql_types::Text, _>(table.name())
            .execute(&mut conn)
            .await?;
        Ok(())
    }

    /// Checks that the database answers, for `/readyz`.
    pub async fn ping(&self) -> Result<(), Error> {
        let mut conn = self.get().await?;
        diesel::sql_query("SELECT 1").execute(&mut conn).await?;
        Ok(())
    }
}

/// The tables whose statistics [`Db::refresh_statistics`] may refresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Analyzed {
    CampaignRecipients,
    Contacts,
}

impl Analyzed {
    fn name(self) -> &'static str {
        match self {
            Analyzed::CampaignRecipients => "campaign_recipients",
            Analyzed::Contacts => "contacts",
        }
    }
}

/// BEGIN and the transaction's settings, sent in one message.
fn begin_sql(scope: Scope, mode: TxMode) -> String {
    let begin = match mode {
        TxMode::ReadWrite => "BEGIN",
        TxMode::ReadOnly => "BEGIN READ ONLY",
    };
    format!("{begin}; {}", settings_sql(scope, true))
}

/// What a transaction may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TxMode {
    ReadWrite,
    ReadOnly,
}

/// The statement that sets both settings, for the transaction (`local`) or the session. The
/// values are formatted uuids (hex and dashes only), so writing them into the SQL text is
/// safe.
fn settings_sql(scope: Scope, local: bool) -> String {
    format!(
        "SELECT set_config('app.org_id', '{org}', {local}), set_config('app.user_id', '{user}', {local})",
        org = scope.org_id.map(|id| id.to_string()).unwrap_or_default(),
        user = scope.user_id.map(|id| id.to_string()).unwrap_or_default(),
    )
}

/// A connection while [`Db::read`] uses it; closed instead of pooled unless the read
/// took it back after its statements answered.
struct Reading(Option<Object<Conn>>);

impl Reading {
    async fn run<R, F>(&mut self, scope: Scope, f: F) -> Result<R, Error>
    where
        F: for<'c> FnOnce(&'c Conn) -> BoxFuture<'c, diesel::QueryResult<R>>,
    {
        let conn: &mut Conn = self
            .0
            .as_mut()
            .ok_or_else(|| Error::Pool("the connection was given back".into()))?;
        statement_count::attribute(conn, scope.org_id);
        let conn: &Conn = conn;
        let settings = settings_sql(scope, false);
        let mut set_on = conn;
        let mut set = pin!(SimpleAsyncConnection::batch_execute(&mut set_on, &settings));
        // Polled once before `f` builds its statements: the settings are then queued on the
        // connection ahead of them, whatever `f` awaits first.
        let sent = futures::poll!(set.as_mut());
        let read = f(conn);
        let value = match sent {
            Poll::Ready(set) => {
                set?;
                read.await?
            }
            Poll::Pending => try_join(set, read).await?.1,
        };
        Ok(value)
    }
}

impl Drop for Reading {
    fn drop(&mut self) {
        if let Some(pooled) = self.0.take() {
            drop(Object::take(pooled));
        }
    }
}

/// True when `e` is a unique-constraint violation (e.g. a duplicate key).
pub fn is_unique_violation(e: &diesel::result::Error) -> bool {
    matches!(
        e,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}
