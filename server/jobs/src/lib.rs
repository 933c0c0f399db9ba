//! Background jobs: rows in PostgreSQL, enqueued in the same transaction as the change that
//! causes them, claimed with `FOR UPDATE SKIP LOCKED` by any number of server processes.
//!
//! A claimed job is leased to one worker until `locked_until`; the worker extends the lease
//! while the handler runs, so a crashed worker's jobs come back after the lease, and a live
//! one's never run twice at once. Failures retry with exponential backoff up to
//! `max_attempts`, then stay in the table with `failed_at` for an operator to read.
//!
//! A kind of job is a [`BackgroundJob`]: a struct that is its payload and knows how to run,
//! routed by [`Runner::handle`] and enqueued with [`NewJob::of`].

use std::{
    collections::HashMap,
    future::Future,
    pin::Pin,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use chrono::{DateTime, Utc};
use diesel::{
    ExpressionMethods, QueryDsl, QueryableByName,
    sql_types::{Array, Int4, Integer, Jsonb, Nullable, Text, Uuid as SqlUuid},
};
use diesel_async::RunQueryDsl;
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;
use tokio::sync::Semaphore;
use uuid::Uuid;
use wagent_db::{Conn, Db, Scope, bus::Bus, schema::jobs};

/// A kind of job (crates.io's `BackgroundJob`): the struct is the payload its rows hold and
/// has the handler.
pub trait BackgroundJob: Serialize + DeserializeOwned + Send + 'static {
    /// The rows' `kind`. Deployed databases hold rows of every kind, so a kind is never
    /// renamed and its payload keeps its field names.
    const KIND: &'static str;

    /// What every run is handed (the caller's services).
    type Context: Clone + Send + Sync + 'static;

    /// Runs one claimed row; `job` says which organization and which attempt.
    fn run(
        self,
        job: Job,
        context: Self::Context,
    ) -> impl Future<Output = Result<(), JobError>> + Send;
}

/// A job to enqueue.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: &'static str,
    pub org_id: Option<Uuid>,
    /// References (ids), never content.
    pub payload: Value,
    pub run_at: Option<DateTime<Utc>>,
    /// At most one pending job per key; enqueueing a duplicate does nothing.
    pub unique_key: Option<String>,
    pub max_attempts: i32,
}

impl NewJob {
    pub fn new(kind: &'static str, org_id: Option<Uuid>, payload: Value) -> Self {
        Self {
            kind,
            org_id,
            payload,
            run_at: None,
            unique_key: None,
            max_attempts: 10,
        }
    }

    /// A job of `J`'s kind with `payload` as its row's payload.
    pub fn of<J: BackgroundJob>(org_id: Option<Uuid>, payload: &J) -> Self {
        // A struct of ids and strings always serializes; `Null` would fail its run for good.
        let payload = serde_json::to_value(payload).unwrap_or(Value::Null);
        Self::new(J::KIND, org_id, payload)
    }

    pub fn at(self, run_at: DateTime<Utc>) -> Self {
        Self {
            run_at: Some(run_at),
            ..self
        }
    }

    pub fn unique(self, key: impl Into<String>) -> Self {
        Self {
            unique_key: Some(key.into()),
            ..self
        }
    }

    /// Gives up after `n` runs (10 unless set).
    pub fn attempts(self, n: i32) -> Self {
        Self {
            max_attempts: n.max(1),
            ..self
        }
    }
}

/// Adds `job` in the caller's transaction and wakes the runners when it commits.
/// Returns `None` when a job with the same unique key is already pending.
pub async fn enqueue(conn: &mut Conn, job: NewJob) -> Result<Option<Uuid>, wagent_db::Error> {
    let id = Uuid::now_v7();
    let inserted = diesel::insert_into(jobs::table)
        .values((
            jobs::id.eq(id),
            jobs::kind.eq(job.kind),
            jobs::org_id.eq(job.org_id),
            jobs::payload.eq(&job.payload),
            jobs::run_at.eq(job.run_at.unwrap_or_else(Utc::now)),
            jobs::unique_key.eq(&job.unique_key),
            jobs::max_attempts.eq(job.max_attempts),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    if inserted == 0 {
        return Ok(None);
    }
    wagent_db::bus::wake_job_runners(conn).await?;
    Ok(Some(id))
}

/// A claimed job, as its handler sees it.
#[derive(Debug, Clone, QueryableByName)]
pub struct Job {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub org_id: Option<Uuid>,
    #[diesel(sql_type = Jsonb)]
    pub payload: Value,
    /// 1 on the first run.
    #[diesel(sql_type = Integer)]
    pub attempts: i32,
    #[diesel(sql_type = Integer)]
    pub max_attempts: i32,
}

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    /// Try again later (with backoff), counting an attempt.
    #[error("{0}")]
    Failed(String),
    /// Try again after this long, e.g. when an outside API throttles us.
    #[error("retry after {0:?}")]
    RetryAfter(Duration),
    /// Do not try again.
    #[error("{0}")]
    Permanent(String),
    /// Not a failure: run again after this long (work that continues later), without
    /// counting an attempt.
    #[error("continues in {0:?}")]
    Later(Duration),
}

impl From<wagent_db::Error> for JobError {
    fn from(e: wagent_db::Error) -> Self {
        JobError::Failed(e.to_string())
    }
}

type BoxFuture = Pin<Box<dyn Future<Output = Result<(), JobError>> + Send>>;
type Handler = Arc<dyn Fn(Job) -> BoxFuture + Send + Sync>;

/// Counters for `/metrics`.
#[derive(Debug, Default)]
pub struct JobStats {
    pub succeeded: AtomicU64,
    pub retried: AtomicU64,
    pub failed: AtomicU64,
}

pub struct Runner {
    db: Db,
    bus: Bus,
    handlers: HashMap<&'static str, Handler>,
    worker_id: String,
    concurrency: usize,
    lease: Duration,
    idle_poll: Duration,
    stats: Arc<JobStats>,
}

impl Runner {
    pub fn new(db: Db, bus: Bus) -> Self {
        Self {
            db,
            bus,
            handlers: HashMap::new(),
            worker_id: format!("{}-{}", std::process::id(), Uuid::new_v4().simple()),
            concurrency: 8,
            lease: Duration::from_secs(60),
            idle_poll: Duration::from_secs(1),
            stats: Arc::default(),
        }
    }

    pub fn concurrency(self, concurrency: usize) -> Self {
        Self {
            concurrency: concurrency.max(1),
            ..self
        }
    }

    pub fn lease(self, lease: Duration) -> Self {
        Self { lease, ..self }
    }

    /// How often an idle runner looks for due jobs without being woken (jobs that become
    /// due later, or a NOTIFY lost with a dropped connection).
    pub fn idle_poll(self, idle_poll: Duration) -> Self {
        Self { idle_poll, ..self }
    }

    /// Routes jobs of `kind` to `handler`.
    pub fn register<F, Fut>(mut self, kind: &'static str, handler: F) -> Self
    where
        F: Fn(Job) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), JobError>> + Send + 'static,
    {
        self.handlers
            .insert(kind, Arc::new(move |job| Box::pin(handler(job))));
        self
    }

    /// Routes jobs of `J`'s kind to [`BackgroundJob::run`], each run handed a clone of
    /// `context`. A payload that does not read as a `J` fails for good.
    pub fn handle<J: BackgroundJob>(self, context: J::Context) -> Self {
        self.register(J::KIND, move |job: Job| {
            let context = context.clone();
            async move {
                let payload: J = serde_json::from_value(job.payload.clone()).map_err(|e| {
                    JobError::Permanent(format!("the payload is not a `{}` job's: {e}", J::KIND))
                })?;
                payload.run(job, context).await
            }
        })
    }

    pub fn stats(&self) -> Arc<JobStats> {
        self.stats.clone()
    }

    /// Processes jobs until `shutdown` resolves, then waits for running jobs to finish.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        let this = Arc::new(self);
        let permits = Arc::new(Semaphore::new(this.concurrency));
        let signal = this.bus.job_signal();
        let mut shutdown = std::pin::pin!(shutdown);
        tracing::info!(worker = %this.worker_id, kinds = ?this.handlers.keys().collect::<Vec<_>>(), "job runner started");
        loop {
            // Listening starts before the claim, so that a job enqueued while the claim runs
            // still wakes the runner (`notify_waiters` keeps nothing for later listeners).
            let mut woken = std::pin::pin!(signal.notified());
            woken.as_mut().enable();
            let free = permits.available_permits();
            let claimed = if free > 0 {
                match this.claim(free).await {
                    Ok(jobs) => jobs,
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot claim jobs");
                        Vec::new()
                    }
                }
            } else {
                Vec::new()
            };
            let full_batch = free > 0 && claimed.len() == free;
            for job in claimed {
                let Ok(permit) = permits.clone().acquire_owned().await else {
                    break;
                };
                let this = this.clone();
                tokio::spawn(async move {
                    this.perform(job).await;
                    drop(permit);
                });
            }
            if full_batch {
                // There may be more due now; claim again once a slot frees up.
                tokio::select! {
                    _ = &mut shutdown => break,
                    _ = permits.acquire() => continue,
                }
            }
            tokio::select! {
                _ = &mut shutdown => break,
                _ = woken => {}
                _ = tokio::time::sleep(this.idle_poll) => {}
            }
        }
        // Let running jobs finish their work and release their leases.
        let _ = permits.acquire_many(this.concurrency as u32).await;
        tracing::info!(worker = %this.worker_id, "job runner stopped");
    }

    /// Claims and runs the jobs due now, one batch; returns how many ran. For tests and tools.
    pub async fn run_due(&self) -> Result<usize, wagent_db::Error> {
        let jobs = self.claim(self.concurrency).await?;
        let n = jobs.len();
        for job in jobs {
            self.perform(job).await;
        }
        Ok(n)
    }

    async fn claim(&self, limit: usize) -> Result<Vec<Job>, wagent_db::Error> {
        let kinds: Vec<String> = self.handlers.keys().map(|k| k.to_string()).collect();
        let worker = self.worker_id.clone();
        let lease = self.lease.as_secs() as i32;
        self.db
            .transaction(Scope::system(), async move |c| {
                let jobs = diesel::sql_query(
                    "UPDATE jobs SET attempts = attempts + 1, locked_by = $1,
                            locked_until = now() + make_interval(secs => $2)
                      WHERE id IN (SELECT id FROM jobs
                                    WHERE failed_at IS NULL AND run_at <= now()
                                      AND (locked_until IS NULL OR locked_until < now())
                                      AND kind = ANY($3)
                                    ORDER BY run_at LIMIT $4
                                    FOR UPDATE SKIP LOCKED)
                  RETURNING id, kind, org_id, payload, attempts, max_attempts",
                )
                .bind::<Text, _>(worker)
                .bind::<Int4, _>(lease)
                .bind::<Array<Text>, _>(kinds)
                .bind::<Int4, _>(limit as i32)
                .load::<Job>(c)
                .await?;
                Ok(jobs)
            })
            .await
    }

    async fn perform(&self, job: Job) {
        let Some(handler) = self.handlers.get(job.kind.as_str()).cloned() else {
            return;
        };
        let span =
            tracing::info_span!("job", id = %job.id, kind = %job.kind, attempt = job.attempts);
        let _enter = span.enter();
        // Aborted on drop too: a cancelled run must stop renewing its lease.
        let heartbeat = AbortOnDrop(tokio::spawn(keep_lease(
            self.db.clone(),
            job.id,
            self.worker_id.clone(),
            self.lease,
        )));
        let started = std::time::Instant::now();
        let outcome = handler(job.clone()).await;
        drop(heartbeat);
        let recorded = match outcome {
            Ok(()) => {
                self.stats.succeeded.fetch_add(1, Ordering::Relaxed);
                tracing::debug!(
                    elapsed_ms = started.elapsed().as_millis() as u64,
                    "job done"
                );
                self.finish(&job).await
            }
            Err(JobError::Later(run_in)) => self.postpone(&job, run_in).await,
            Err(e) => {
                let (run_in, permanent) = match &e {
                    JobError::Permanent(_) => (Duration::ZERO, true),
                    JobError::RetryAfter(d) | JobError::Later(d) => (*d, false),
                    JobError::Failed(_) => (backoff(job.attempts), false),
                };
                let give_up = permanent || job.attempts >= job.max_attempts;
                if give_up {
                    self.stats.failed.fetch_add(1, Ordering::Relaxed);
                    tracing::warn!(error = %e, "job failed for good");
                } else {
                    self.stats.retried.fetch_add(1, Ordering::Relaxed);
                    tracing::info!(error = %e, retry_in_s = run_in.as_secs(), "job will retry");
                }
                self.fail(&job, &e.to_string(), give_up, run_in).await
            }
        };
        if let Err(e) = recorded {
            tracing::warn!(error = %e, "cannot record the job's outcome; it will run again after its lease");
        }
    }

    async fn finish(&self, job: &Job) -> Result<(), wagent_db::Error> {
        let (id, worker) = (job.id, self.worker_id.clone());
        self.db
            .transaction(Scope::system(), async move |c| {
                diesel::delete(
                    jobs::table
                        .filter(jobs::id.eq(id))
                        .filter(jobs::locked_by.eq(worker)),
                )
                .execute(c)
                .await?;
                Ok(())
            })
            .await
    }

    /// Gives the job back to run again in `run_in`, its attempt not counted.
    async fn postpone(&self, job: &Job, run_in: Duration) -> Result<(), wagent_db::Error> {
        let (id, worker) = (job.id, self.worker_id.clone());
        let run_at = Utc::now() + chrono::Duration::from_std(run_in).unwrap_or_default();
        self.db
            .transaction(Scope::system(), async move |c| {
                diesel::update(
                    jobs::table
                        .filter(jobs::id.eq(id))
                        .filter(jobs::locked_by.eq(worker)),
                )
                .set((
                    jobs::attempts.eq(jobs::attempts - 1),
                    jobs::locked_by.eq(None::<String>),
                    jobs::locked_until.eq(None::<DateTime<Utc>>),
                    jobs::run_at.eq(run_at),
                ))
                .execute(c)
                .await?;
                Ok(())
            })
            .await
    }

    async fn fail(
        &self,
        job: &Job,
        error: &str,
        give_up: bool,
        run_in: Duration,
    ) -> Result<(), wagent_db::Error> {
        let (id, worker) = (job.id, self.worker_id.clone());
        let error: String = error.chars().take(2000).collect();
        let run_at = Utc::now() + chrono::Duration::from_std(run_in).unwrap_or_default();
        let failed_at = give_up.then(Utc::now);
        self.db
            .transaction(Scope::system(), async move |c| {
                diesel::update(
                    jobs::table
                        .filter(jobs::id.eq(id))
                        .filter(jobs::locked_by.eq(worker)),
                )
                .set((
                    jobs::last_error.eq(error),
                    jobs::locked_by.eq(None::<String>),
                    jobs::locked_until.eq(None::<DateTime<Utc>>),
                    jobs::run_at.eq(run_at),
                    jobs::failed_at.eq(failed_at),
                ))
                .execute(c)
                .await?;
                Ok(())
            })
            .await
    }
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

async fn keep_lease(db: Db, id: Uuid, worker: String, lease: Duration) {
    loop {
        tokio::time::sleep(lease / 3).await;
        let worker = worker.clone();
        let until = Utc::now() + chrono::Duration::from_std(lease).unwrap_or_default();
        let _ = db
            .transaction(Scope::system(), async move |c| {
                diesel::update(
                    jobs::table
                        .filter(jobs::id.eq(id))
                        .filter(jobs::locked_by.eq(worker)),
                )
                .set(jobs::locked_until.eq(until))
                .execute(c)
                .await?;
                Ok::<_, wagent_db::Error>(())
            })
            .await;
    }
}

/// 2, 4, 8 ... seconds, capped at an hour.
fn backoff(attempts: i32) -> Duration {
    Duration::from_secs(2u64.saturating_pow(attempts.clamp(1, 12) as u32).min(3600))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(1), Duration::from_secs(2));
        assert_eq!(backoff(3), Duration::from_secs(8));
        assert_eq!(backoff(40), Duration::from_secs(3600));
    }
}
