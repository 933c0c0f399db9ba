#![allow(clippy::unwrap_used, clippy::expect_used)]

//! Test harness: a real PostgreSQL for every test, each test on a fresh database cloned
//! from a migrated template.
//!
//! With `DATABASE_URL` set it is taken as an administrator's URL on an existing server
//! (roles and databases are created in it); otherwise a private cluster is started in the
//! system's temporary folder and stopped when the last test process using it exits.

pub mod oidc;

use std::{
    path::PathBuf,
    time::{SystemTime, UNIX_EPOCH},
};

use anyhow::Context;
use tokio::sync::OnceCell;
use wagent_db::{
    PgTarget,
    cluster::{self, APP_ROLE, Cluster, OWNER_ROLE},
    diesel::{self, QueryableByName, sql_types::Text},
    diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection},
};

/// The password given to the test roles when the server needs one (TCP with passwords).
const TEST_PASSWORD: &str = "wagent-test";

struct Setup {
    admin: PgTarget,
    password: Option<&'static str>,
    template: String,
    _cluster: Option<Cluster>,
}

static SETUP: OnceCell<Setup> = OnceCell::const_new();

/// A database of its own for one test.
#[derive(Debug, Clone)]
pub struct TestDb {
    /// As the server's role: owns nothing, no BYPASSRLS.
    pub server: PgTarget,
    /// As the owner role (migrations).
    pub owner: PgTarget,
    /// As the superuser, for assertions that must see every row.
    pub admin: PgTarget,
    pub name: String,
}

/// A fresh, migrated database.
pub async fn database() -> anyhow::Result<TestDb> {
    let setup = SETUP.get_or_try_init(init).await?;
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH)?.as_nanos();
    let name = format!(
        "wagent_t_{}_{:08x}",
        nanos / 1_000_000_000,
        uuid::Uuid::new_v4().as_u128() as u32
    );
    let mut admin = connect(&setup.admin).await?;
    cluster::create_database(&mut admin, &name, Some(&setup.template)).await?;
    Ok(TestDb {
        server: setup
            .admin
            .with(Some((APP_ROLE, setup.password)), Some(&name)),
        owner: setup
            .admin
            .with(Some((OWNER_ROLE, setup.password)), Some(&name)),
        admin: setup.admin.with(None, Some(&name)),
        name,
    })
}

async fn init() -> anyhow::Result<Setup> {
    let (admin, password, cluster) = match std::env::var("DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            let admin = PgTarget::parse(&url).map_err(anyhow::Error::msg)?;
            (admin, Some(TEST_PASSWORD), None)
        }
        _ => {
            let root = std::env::temp_dir().join("wagent-test-pg");
            let cluster = tokio::task::spawn_blocking(move || {
                Cluster::start(&root, cluster::Options { ephemeral: true })
            })
            .await??;
            (cluster.superuser("postgres"), None, Some(cluster))
        }
    };
    cluster::bootstrap(&admin, password, None).await?;
    let template = format!("wagent_tpl_{}", migrations_fingerprint()?);
    let mut conn = connect(&admin).await?;
    // One process builds the template; the others wait for it.
    conn.batch_execute("SELECT pg_advisory_lock(7240001)")
        .await?;
    let built = ensure_template(&mut conn, &admin, password, &template).await;
    conn.batch_execute("SELECT pg_advisory_unlock(7240001)")
        .await?;
    built?;
    drop_stale(&mut conn).await?;
    Ok(Setup {
        admin,
        password,
        template,
        _cluster: cluster,
    })
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    datname: String,
}

async fn ensure_template(
    conn: &mut AsyncPgConnection,
    admin: &PgTarget,
    password: Option<&str>,
    template: &str,
) -> anyhow::Result<()> {
    let exists: Vec<Name> = diesel::sql_query("SELECT datname FROM pg_database WHERE datname = $1")
        .bind::<Text, _>(template)
        .load(conn)
        .await?;
    if !exists.is_empty() {
        return Ok(());
    }
    let building = format!("{template}_building");
    conn.batch_execute(&format!("DROP DATABASE IF EXISTS \"{building}\""))
        .await?;
    cluster::create_database(conn, &building, None).await?;
    let owner = admin.with(Some((OWNER_ROLE, password)), Some(&building));
    wagent_db::migrate::run(&owner, APP_ROLE)
        .await
        .context("migrating the test template")?;
    conn.batch_execute(&format!(
        "ALTER DATABASE \"{building}\" RENAME TO \"{template}\""
    ))
    .await?;
    Ok(())
}

/// Test databases from runs that ended more than two hours ago.
async fn drop_stale(conn: &mut AsyncPgConnection) -> anyhow::Result<()> {
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let names: Vec<Name> =
        diesel::sql_query("SELECT datname FROM pg_database WHERE datname LIKE 'wagent\\_t\\_%'")
            .load(conn)
            .await?;
    for Name { datname } in names {
        let born = datname
            .split('_')
            .nth(2)
            .and_then(|s| s.parse::<u64>().ok());
        if born.is_some_and(|b| b + 7200 < now) {
            let _ = conn
                .batch_execute(&format!(
                    "DROP DATABASE IF EXISTS \"{datname}\" WITH (FORCE)"
                ))
                .await;
        }
    }
    Ok(())
}

async fn connect(target: &PgTarget) -> anyhow::Result<AsyncPgConnection> {
    AsyncPgConnection::establish(&target.connection_string())
        .await
        .with_context(|| format!("connecting to {target}"))
}

/// Changes whenever a migration file changes, so a stale template is never reused.
fn migrations_fingerprint() -> anyhow::Result<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../migrations");
    let mut files = Vec::new();
    for entry in walk(&dir)? {
        files.push((
            entry.strip_prefix(&dir)?.to_string_lossy().into_owned(),
            std::fs::read(&entry)?,
        ));
    }
    files.sort();
    let mut h: u64 = 0xcbf29ce484222325;
    for (name, body) in files {
        for b in name.bytes().chain(body) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x100000001b3);
        }
    }
    Ok(format!("{:016x}", h))
}

fn walk(dir: &std::path::Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            out.extend(walk(&path)?);
        } else {
            out.push(path);
        }
    }
    Ok(out)
}

/// Polls `condition` every 20 ms until it holds; panics naming `what` once `timeout` has
/// passed. Tests wait for what they mean (a row, an event, a drained queue), never for a
/// fixed time.
pub async fn wait_until<F, Fut>(what: &str, timeout: std::time::Duration, mut condition: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    wait_for(what, timeout, || {
        let holds = condition();
        async move { holds.await.then_some(()) }
    })
    .await
}

/// Polls `probe` every 20 ms until it finds something, and returns it; panics naming `what`
/// once `timeout` has passed.
pub async fn wait_for<T, F, Fut>(what: &str, timeout: std::time::Duration, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        if let Some(found) = probe().await {
            return found;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "waited {timeout:?} for {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// The number `sql` (a `SELECT count(*) AS n ...`) returns, read as the superuser so that
/// row-level security hides nothing.
pub async fn count(admin: &PgTarget, sql: &str) -> i64 {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut c = connect(admin).await.unwrap();
    diesel::sql_query(sql)
        .get_result::<Count>(&mut c)
        .await
        .unwrap()
        .n
}

/// Waits until a session of `admin`'s database waits for a lock while running a statement
/// that starts with `statement` (a `LIKE` prefix): the moment to make two transactions cross.
pub async fn lock_waited(admin: &PgTarget, what: &str, statement: &str) {
    let sql = format!(
        "SELECT count(*) AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock'
            AND query LIKE '{}%'",
        statement.replace('\'', "''")
    );
    wait_until(what, std::time::Duration::from_secs(60), || async {
        count(admin, &sql).await > 0
    })
    .await
}

/// Waits until the job queue holds no job that is due (waiting or running) and no webhook
/// delivery waits for its job: everything caused so far has been applied.
pub async fn jobs_drained(admin: &PgTarget) {
    wait_until(
        "the job queue to drain",
        std::time::Duration::from_secs(20),
        || async move {
            count(
                admin,
                "SELECT (SELECT count(*) FROM jobs WHERE failed_at IS NULL AND run_at <= now())
                  + (SELECT count(*) FROM webhook_events WHERE error IS NULL) AS n",
            )
            .await
                == 0
        },
    )
    .await;
}
