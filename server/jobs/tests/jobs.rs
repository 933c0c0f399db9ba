#![allow(clippy::unwrap_used, clippy::expect_used)]

//! The job runner against a real PostgreSQL.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use serde::{Deserialize, Serialize};
use serde_json::json;
use wagent_db::{
    Db, Scope,
    bus::Bus,
    diesel::{
        self, QueryableByName,
        sql_types::{BigInt, Nullable, Text},
    },
    diesel_async::RunQueryDsl,
};
use wagent_jobs::{BackgroundJob, Job, JobError, NewJob, Runner, enqueue};

async fn setup() -> (Db, Bus) {
    let t = wagent_testkit::database().await.unwrap();
    let db = Db::connect(&t.server, 8).unwrap();
    let bus = Bus::start(t.server.clone(), db.changes()).await.unwrap();
    (db, bus)
}

async fn add(db: &Db, job: NewJob) -> Option<uuid::Uuid> {
    db.transaction(Scope::system(), async |c| enqueue(c, job).await)
        .await
        .unwrap()
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = BigInt)]
    n: i64,
    #[diesel(sql_type = Nullable<Text>)]
    last_error: Option<String>,
}

async fn remaining(db: &Db) -> (i64, Option<String>) {
    let r: Row = db
        .transaction(Scope::system(), async |c| {
            diesel::sql_query("SELECT count(*) AS n, max(last_error) AS last_error FROM jobs")
                .get_result(c)
                .await
                .map_err(wagent_db::Error::from)
        })
        .await
        .unwrap();
    (r.n, r.last_error)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_job_enqueued_in_a_rolled_back_transaction_never_runs() {
    let (db, bus) = setup().await;
    let _ = db
        .transaction(Scope::system(), async |c| {
            enqueue(c, NewJob::new("test.echo", None, json!({}))).await?;
            Err::<(), _>(wagent_db::Error::Setup("abort".into()))
        })
        .await;
    let runner = Runner::new(db.clone(), bus).register("test.echo", |_| async { Ok(()) });
    assert_eq!(runner.run_due().await.unwrap(), 0);
    assert_eq!(remaining(&db).await.0, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn two_runners_run_every_job_exactly_once() {
    let (db, bus) = setup().await;
    for i in 0..200 {
        add(&db, NewJob::new("test.count", None, json!({ "i": i }))).await;
    }
    let seen = Arc::new(Mutex::new(Vec::new()));
    let runner = |db: Db, bus: Bus| {
        let seen = seen.clone();
        Runner::new(db, bus)
            .concurrency(4)
            .register("test.count", move |job| {
                let seen = seen.clone();
                async move {
                    tokio::time::sleep(Duration::from_millis(2)).await;
                    seen.lock()
                        .unwrap()
                        .push(job.payload["i"].as_i64().unwrap());
                    Ok(())
                }
            })
    };
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let stop = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|s| *s).await;
    };
    let a = tokio::spawn(runner(db.clone(), bus.clone()).run(stop(stop_rx.clone())));
    let b = tokio::spawn(runner(db.clone(), bus.clone()).run(stop(stop_rx)));
    for _ in 0..200 {
        if seen.lock().unwrap().len() >= 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop_tx.send(true).unwrap();
    a.await.unwrap();
    b.await.unwrap();
    let mut seen = seen.lock().unwrap().clone();
    seen.sort();
    assert_eq!(
        seen,
        (0..200).collect::<Vec<_>>(),
        "each job once, none lost"
    );
    assert_eq!(remaining(&db).await.0, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_job_retries_then_stays_failed_with_its_error() {
    let (db, bus) = setup().await;
    let mut job = NewJob::new("test.flaky", None, json!({}));
    job.max_attempts = 2;
    add(&db, job).await;
    let runner = Runner::new(db.clone(), bus).register("test.flaky", |_| async {
        Err(JobError::RetryAfter(Duration::ZERO))
    });
    assert_eq!(runner.run_due().await.unwrap(), 1);
    assert_eq!(runner.run_due().await.unwrap(), 1, "retried");
    assert_eq!(
        runner.run_due().await.unwrap(),
        0,
        "given up after max_attempts"
    );
    let (n, error) = remaining(&db).await;
    assert_eq!(n, 1, "a failed job is kept for inspection");
    assert!(error.unwrap().contains("retry"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_permanent_error_is_not_retried() {
    let (db, bus) = setup().await;
    add(&db, NewJob::new("test.bad", None, json!({}))).await;
    let runner = Runner::new(db.clone(), bus).register("test.bad", |_| async {
        Err(JobError::Permanent("no such thing".into()))
    });
    assert_eq!(runner.run_due().await.unwrap(), 1);
    assert_eq!(runner.run_due().await.unwrap(), 0);
    assert_eq!(remaining(&db).await.1.as_deref(), Some("no such thing"));
}

/// A kind of job for the test: it records the greeting it carries.
#[derive(Serialize, Deserialize)]
struct Greet {
    name: String,
}

impl BackgroundJob for Greet {
    const KIND: &'static str = "test.greet";
    type Context = Arc<Mutex<Vec<String>>>;

    async fn run(self, _job: Job, greeted: Self::Context) -> Result<(), JobError> {
        greeted.lock().unwrap().push(self.name);
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kind_runs_with_its_payload_and_a_payload_that_does_not_read_fails_for_good() {
    let (db, bus) = setup().await;
    let payload = Greet { name: "Ana".into() };
    let job = NewJob::of(None, &payload);
    assert_eq!(
        (job.kind, &job.payload),
        ("test.greet", &json!({ "name": "Ana" }))
    );
    add(&db, job).await;
    let greeted = Arc::new(Mutex::new(Vec::new()));
    let runner = Runner::new(db.clone(), bus).handle::<Greet>(greeted.clone());
    assert_eq!(runner.run_due().await.unwrap(), 1);
    assert_eq!(*greeted.lock().unwrap(), ["Ana"]);
    assert_eq!(remaining(&db).await.0, 0);

    add(
        &db,
        NewJob::new("test.greet", None, json!({ "nom": "Ana" })),
    )
    .await;
    assert_eq!(runner.run_due().await.unwrap(), 1);
    assert_eq!(runner.run_due().await.unwrap(), 0);
    let (left, error) = remaining(&db).await;
    assert_eq!(left, 1);
    assert!(error.unwrap().contains("missing field `name`"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_unique_key_keeps_one_pending_job() {
    let (db, _) = setup().await;
    assert!(
        add(
            &db,
            NewJob::new("test.sweep", None, json!({})).unique("sweep:1")
        )
        .await
        .is_some()
    );
    assert!(
        add(
            &db,
            NewJob::new("test.sweep", None, json!({})).unique("sweep:1")
        )
        .await
        .is_none()
    );
    assert_eq!(remaining(&db).await.0, 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_crashed_workers_job_comes_back_after_its_lease() {
    let (db, bus) = setup().await;
    add(&db, NewJob::new("test.once", None, json!({}))).await;
    // A worker claims the job and dies without finishing (its future is dropped).
    let crashed = Runner::new(db.clone(), bus.clone())
        .lease(Duration::from_secs(1))
        .register("test.once", |_| std::future::pending());
    let _ = tokio::time::timeout(Duration::from_millis(300), crashed.run_due()).await;
    let healthy = Runner::new(db.clone(), bus).register("test.once", |_| async { Ok(()) });
    assert_eq!(healthy.run_due().await.unwrap(), 0, "still leased");
    let healthy = &healthy;
    wagent_testkit::wait_until(
        "the lease to expire and the job to be reclaimed",
        Duration::from_secs(5),
        || async move { healthy.run_due().await.unwrap() == 1 },
    )
    .await;
    assert_eq!(remaining(&db).await.0, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_enqueue_wakes_a_waiting_runner_at_once() {
    let (db, bus) = setup().await;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    // The runner would look for due jobs on its own only once a minute: a job that runs
    // within seconds was announced by the enqueue.
    let runner = Runner::new(db.clone(), bus)
        .idle_poll(Duration::from_secs(60))
        .register("test.ping", move |_| {
            let tx = tx.clone();
            async move {
                let _ = tx.send(());
                Ok(())
            }
        });
    // A first job, there before the runner starts, proves it has claimed and emptied the
    // queue; it then waits. Each later one must wake it.
    add(&db, NewJob::new("test.ping", None, json!({}))).await;
    let (stop_tx, mut stop_rx) = tokio::sync::watch::channel(false);
    let handle = tokio::spawn(runner.run(async move {
        let _ = stop_rx.wait_for(|s| *s).await;
    }));
    for round in ["first", "second", "third"] {
        if round != "first" {
            add(&db, NewJob::new("test.ping", None, json!({}))).await;
        }
        tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .unwrap_or_else(|_| {
                panic!("the {round} job did not run: the enqueue did not wake the runner")
            })
            .unwrap();
    }
    stop_tx.send(true).unwrap();
    handle.await.unwrap();
}
