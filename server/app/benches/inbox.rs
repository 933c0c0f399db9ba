#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The inbox list at speed: the SPA's first page of 50 conversations (each with its contact,
//! number and assignee) asked over HTTP by 32 clients at once, authenticated with an API
//! token, against the release server on a private PostgreSQL with row-level security on.
//! Data: 20 organizations, 50,000 conversations, 1,000,000 messages.
//!
//! Run: `bench/run inbox` (that is `cargo bench -p wagent-app --bench inbox`, which builds
//! the release server too).
//!
//! Then the ceiling PostgreSQL sets on this machine: the same page as bare SQL, a
//! transaction per request (BEGIN with the settings, the statement, COMMIT) on 32
//! connections as the server's role, with no server in between.

use std::{
    collections::HashMap,
    process::{Child, Command, Stdio},
    sync::{
        Arc,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use serde_json::{Value, json};
use tokio::sync::Mutex;
use wagent_db::{
    diesel::{self, QueryableByName, sql_types::Text},
    diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection},
};

const ORGS: u32 = 20;
const CONVERSATIONS: u32 = 50_000;
const MESSAGES_PER_CONVERSATION: u32 = 20;
const CLIENTS: usize = 32;
const WARM_UP: Duration = Duration::from_secs(3);
const MEASURE: Duration = Duration::from_secs(10);
/// New messages a second in the organization during the second run.
const WRITES_PER_S: u32 = 20;

/// `InboxConversations` with the `ConversationSummary` fragment, read from the SPA's own
/// source so that the bench asks exactly what `web/` asks.
fn inbox_list_query() -> String {
    const SPA: &str = include_str!("../../../web/src/features/inbox/api/inbox.ts");
    let text_from = |head: &str| {
        let start = SPA
            .find(head)
            .unwrap_or_else(|| panic!("{head} is gone from web/"));
        let len = SPA[start..].find('`').expect("a graphql(`...`) template");
        &SPA[start..start + len]
    };
    format!(
        "{}\n{}",
        text_from("query InboxConversations("),
        text_from("fragment ConversationSummary on Conversation"),
    )
}

/// Organizations, numbers, agents, contacts, conversations and messages, by set-based SQL.
const LOAD: &str = "
SET maintenance_work_mem = '256MB';
INSERT INTO organizations (id, name)
  SELECT md5('org' || o)::uuid, 'Org ' || o FROM generate_series(1, {orgs}) o;
INSERT INTO users (id, email, email_verified, name)
  SELECT md5('user' || u)::uuid, 'agent' || u || '@example.com', true, 'Agent ' || u
  FROM generate_series(1, {orgs} * 5) u;
INSERT INTO memberships (org_id, user_id, role)
  SELECT md5('org' || ((u - 1) % {orgs} + 1))::uuid, md5('user' || u)::uuid, 'member'
  FROM generate_series(1, {orgs} * 5) u;
INSERT INTO whatsapp_accounts (org_id, id, waba_id, access_token_sealed, connected_via)
  SELECT md5('org' || o)::uuid, md5('waba' || o)::uuid, '81' || lpad(o::text, 10, '0'), 'unused', 'cli'
  FROM generate_series(1, {orgs}) o;
INSERT INTO phone_numbers (org_id, id, account_id, phone_number_id, display_phone_number,
                           verified_name, quality_rating, status)
  SELECT md5('org' || o)::uuid, md5('pn' || o)::uuid, md5('waba' || o)::uuid,
         '82' || lpad(o::text, 10, '0'), '+1 555 01' || lpad(o::text, 2, '0'), 'Shop ' || o, 'GREEN', 'CONNECTED'
  FROM generate_series(1, {orgs}) o;
INSERT INTO contacts (org_id, id, wa_id, profile_name)
  SELECT md5('org' || ((g - 1) % {orgs} + 1))::uuid, md5('contact' || g)::uuid,
         '1555' || lpad(g::text, 7, '0'), 'Customer ' || g
  FROM generate_series(1, {conversations}) g;
INSERT INTO conversations (org_id, id, phone_number_id, contact_id, status, assignee_id, labels,
                           unread_count, last_message_at, last_inbound_at, last_message_preview)
  SELECT md5('org' || o)::uuid, md5('conv' || g)::uuid, md5('pn' || o)::uuid, md5('contact' || g)::uuid,
         (ARRAY['open', 'pending', 'resolved'])[g % 3 + 1],
         CASE WHEN g % 2 = 0 THEN md5('user' || (o + {orgs} * (g % 5)))::uuid END,
         CASE WHEN g % 7 = 0 THEN ARRAY['vip'] ELSE '{}' END,
         g % 4, now() - g * interval '1 second', now() - g * interval '1 second',
         'message 1 of conversation ' || g
  FROM generate_series(1, {conversations}) g, LATERAL (SELECT (g - 1) % {orgs} + 1 AS o) org;
INSERT INTO messages (org_id, id, conversation_id, direction, wamid, kind, body, status, status_at, sent_at)
  SELECT md5('org' || ((g - 1) % {orgs} + 1))::uuid, gen_random_uuid(), md5('conv' || g)::uuid,
         CASE WHEN k % 2 = 1 THEN 'inbound' ELSE 'outbound' END, 'wamid.B' || g || '.' || k, 'text',
         'message ' || k || ' of conversation ' || g,
         CASE WHEN k % 2 = 1 THEN 'received' ELSE 'read' END,
         now() - g * interval '1 second' - (k - 1) * interval '1 minute',
         now() - g * interval '1 second' - (k - 1) * interval '1 minute'
  FROM generate_series(1, {conversations}) g, generate_series(1, {messages}) k;
";

fn main() {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(run());
}

/// Kills the server when the bench ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn run() {
    // The release `wagent` binary, built by cargo for this bench.
    let wagent = env!("CARGO_BIN_EXE_wagent");
    let db = wagent_testkit::database().await.unwrap();
    let started = Instant::now();
    let mut admin = AsyncPgConnection::establish(&db.admin.connection_string())
        .await
        .unwrap();
    let sql = LOAD
        .replace("{orgs}", &ORGS.to_string())
        .replace("{conversations}", &CONVERSATIONS.to_string())
        .replace("{messages}", &MESSAGES_PER_CONVERSATION.to_string());
    admin.batch_execute(&sql).await.unwrap();
    // Vacuumed and analysed now, so that autovacuum does not wake up on the fresh million
    // rows in the middle of the measurement (runs differed by a fifth before).
    admin.batch_execute("VACUUM ANALYZE").await.unwrap();
    let org = diesel::sql_query("SELECT id::text AS id FROM organizations WHERE name = 'Org 1'")
        .get_result::<Id>(&mut admin)
        .await
        .unwrap()
        .id;
    drop(admin);
    println!("inbox_load_s: {:.1}", started.elapsed().as_secs_f64());

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (token_key, encryption_keys) = wagent_app::keys::generate();
    let data_dir = std::env::temp_dir().join(format!("wagent-bench-{}", db.name));
    let env = [
        ("DATABASE_URL", db.server.to_url()),
        ("WAGENT_LISTEN", format!("127.0.0.1:{port}")),
        ("WAGENT_PUBLIC_URL", "http://localhost:8080".to_owned()),
        ("WAGENT_TOKEN_KEY", token_key),
        ("WAGENT_ENCRYPTION_KEYS", encryption_keys),
        ("WAGENT_DATA_DIR", data_dir.to_string_lossy().into_owned()),
        ("WAGENT_LOG", "warn".to_owned()),
        // 32 clients from one address with one token: the API's rate limits would answer
        // nearly every request with 429.
        ("WAGENT_RATE_LIMIT_PER_IP", "0".to_owned()),
        ("WAGENT_RATE_LIMIT_PER_TOKEN", "0".to_owned()),
    ];
    let issued = Command::new(wagent)
        .args(["token", "issue", "--org", &org, "--role", "member"])
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .unwrap();
    assert!(
        issued.status.success(),
        "wagent token issue: {}",
        String::from_utf8_lossy(&issued.stderr)
    );
    let issued: Value = serde_json::from_slice(&issued.stdout).unwrap();
    let token = issued["token"].as_str().unwrap().to_owned();

    let server = Server(
        Command::new(wagent)
            .arg("serve")
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let base = format!("http://127.0.0.1:{port}");
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(CLIENTS)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let ready = http.get(format!("{base}/readyz")).send().await;
        if ready.is_ok_and(|r| r.status().is_success()) {
            break;
        }
        assert!(Instant::now() < deadline, "the server never became ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let body = json!({
        "operationName": "InboxConversations",
        "query": inbox_list_query(),
        "variables": { "id": org, "filter": null, "first": 50, "after": null },
    })
    .to_string();
    // One request, checked in full, before the load.
    let first: Value = http
        .post(format!("{base}/graphql"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(body.clone())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let edges = first["data"]["organization"]["conversations"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("the inbox list failed: {first}"));
    assert_eq!(edges.len(), 50, "{first}");
    assert!(edges[0]["node"]["contact"]["waId"].is_string(), "{first}");

    let url = format!("{base}/graphql");
    let server_pid = server.0.id();
    let quiet = load(&http, &url, &token, &body, server_pid).await;
    let rss_mb = status_mb(server_pid, "VmRSS:");
    let peak_mb = status_mb(server_pid, "VmHWM:");
    quiet.report("inbox_list");
    println!(
        "inbox_server_cpu_ms_per_req: {:.3}",
        quiet.server_cpu_ms_per_req()
    );
    println!(
        "inbox_postgres_cpu_ms_per_req: {:.3}",
        quiet.postgres_cpu_ms_per_req()
    );
    // The 32 clients run on the same cores as the server and PostgreSQL.
    println!(
        "inbox_client_cpu_ms_per_req: {:.3}",
        quiet.client_cpu_ms_per_req()
    );
    println!("inbox_server_rss_mb: {rss_mb:.0}");
    println!("inbox_server_peak_rss_mb: {peak_mb:.0}");

    // The same load while the organization's inbox changes: another process writes a new
    // message into one of the page's conversations WRITES_PER_S times a second, and every
    // write makes the server read the page again.
    let written = Arc::new(AtomicU64::new(0));
    let writer = tokio::spawn(write_messages(
        db.admin.connection_string(),
        org.clone(),
        written.clone(),
    ));
    let started = Instant::now();
    let changing = load(&http, &url, &token, &body, server_pid).await;
    writer.abort();
    let writes_per_s =
        AtomicU64::load(&written, Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64();
    changing.report("inbox_list_changing");
    println!("inbox_list_changing_writes_per_s: {writes_per_s:.0}");
    println!(
        "inbox_list_changing_server_cpu_ms_per_req: {:.3}",
        changing.server_cpu_ms_per_req()
    );
    println!(
        "inbox_list_changing_postgres_cpu_ms_per_req: {:.3}",
        changing.postgres_cpu_ms_per_req()
    );
    drop(server);
    let _ = std::fs::remove_dir_all(data_dir);

    let (per_s, postgres_ms) = bare_sql(&db.server.connection_string(), &org).await;
    println!("inbox_bare_sql_req_per_s: {per_s:.0}");
    println!("inbox_bare_sql_postgres_cpu_ms_per_req: {postgres_ms:.3}");
}

/// What one load run measured: every request's latency in the measured window, the
/// failures, and the CPU time each process used meanwhile.
struct Run {
    latencies: Vec<Duration>,
    failures: usize,
    server_cpu_ms: f64,
    postgres_cpu_ms: f64,
    client_cpu_ms: f64,
}

impl Run {
    fn report(&self, name: &str) {
        let n = self.latencies.len();
        let pct =
            |p: f64| self.latencies[((n as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1000.0;
        println!("{name}_req_per_s: {:.0}", n as f64 / MEASURE.as_secs_f64());
        println!("{name}_p50_ms: {:.1}", pct(0.50));
        println!("{name}_p99_ms: {:.1}", pct(0.99));
        println!("{name}_failures: {}", self.failures);
    }

    fn server_cpu_ms_per_req(&self) -> f64 {
        self.server_cpu_ms / self.latencies.len() as f64
    }

    fn postgres_cpu_ms_per_req(&self) -> f64 {
        self.postgres_cpu_ms / self.latencies.len() as f64
    }

    fn client_cpu_ms_per_req(&self) -> f64 {
        self.client_cpu_ms / self.latencies.len() as f64
    }
}

/// `CLIENTS` clients asking for the page as fast as they are answered: `WARM_UP`, then
/// `MEASURE`.
async fn load(http: &reqwest::Client, url: &str, token: &str, body: &str, server_pid: u32) -> Run {
    let latencies = Arc::new(Mutex::new(Vec::<Duration>::new()));
    let failures = Arc::new(AtomicUsize::new(0));
    let measure_from = Instant::now() + WARM_UP;
    let measure_until = measure_from + MEASURE;
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (http, url, token, body) = (
                http.clone(),
                url.to_owned(),
                token.to_owned(),
                body.to_owned(),
            );
            let (latencies, failures) = (latencies.clone(), failures.clone());
            tokio::spawn(async move {
                let mut mine = Vec::new();
                loop {
                    let t = Instant::now();
                    if t >= measure_until {
                        break;
                    }
                    let ok = match http
                        .post(&url)
                        .bearer_auth(&token)
                        .header("content-type", "application/json")
                        .body(body.clone())
                        .send()
                        .await
                    {
                        Ok(r) if r.status().is_success() => r
                            .bytes()
                            .await
                            .is_ok_and(|b| !b.windows(9).any(|w| w == b"\"errors\":")),
                        _ => false,
                    };
                    if t >= measure_from {
                        mine.push(t.elapsed());
                        if !ok {
                            failures.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
                latencies.lock().await.extend(mine);
            })
        })
        .collect();
    // CPU time over the measured window: where a request's cost goes.
    let cpu = tokio::spawn(async move {
        tokio::time::sleep_until(measure_from.into()).await;
        let me = std::process::id();
        let before = (cpu_ms(server_pid), postgres_cpu(), cpu_ms(me));
        tokio::time::sleep_until(measure_until.into()).await;
        (
            cpu_ms(server_pid) - before.0,
            postgres_cpu_since(&before.1),
            cpu_ms(me) - before.2,
        )
    });
    for c in clients {
        c.await.unwrap();
    }
    let (server_cpu_ms, postgres_cpu_ms, client_cpu_ms) = cpu.await.unwrap();
    let mut latencies = latencies.lock().await.clone();
    latencies.sort();
    Run {
        latencies,
        failures: AtomicUsize::load(&failures, Ordering::Relaxed),
        server_cpu_ms,
        postgres_cpu_ms,
        client_cpu_ms,
    }
}

/// Another process writing to the organization's inbox: every `1 / WRITES_PER_S` s a new
/// message moves one of the page's conversations to the top, as the webhook of a
/// customer's message does.
async fn write_messages(connection: String, org: String, written: Arc<AtomicU64>) {
    let mut conn = AsyncPgConnection::establish(&connection).await.unwrap();
    let mut every = tokio::time::interval(Duration::from_secs(1) / WRITES_PER_S);
    for k in 0_u64.. {
        every.tick().await;
        conn.batch_execute(&format!(
            "BEGIN; SELECT set_config('app.org_id', '{org}', true);
             UPDATE conversations SET last_message_at = now(), unread_count = unread_count + 1,
                    last_message_preview = 'new message {k}'
              WHERE id = (SELECT id FROM conversations WHERE org_id = '{org}'
                           ORDER BY last_message_at DESC NULLS LAST, id DESC
                           OFFSET {offset} LIMIT 1);
             COMMIT;",
            offset = k % 50
        ))
        .await
        .unwrap();
        written.fetch_add(1, Ordering::Relaxed);
    }
}

/// The page of 50 as the server's statement reads it (the same columns, joins, order and
/// limit).
const BARE_PAGE: &str =
    "SELECT c.*, ct.id, ct.wa_id, ct.user_id, ct.profile_name, ct.username, ct.name,
  pn.id, pn.phone_number_id, pn.display_phone_number, pn.verified_name, pn.disconnected_at,
  u.id, u.email, u.name
  FROM conversations c
  JOIN contacts ct ON ct.id = c.contact_id AND ct.org_id = c.org_id
  JOIN phone_numbers pn ON pn.id = c.phone_number_id AND pn.org_id = c.org_id
  LEFT JOIN users u ON u.id = c.assignee_id
  WHERE c.org_id = $1::text::uuid
  ORDER BY c.last_message_at DESC NULLS LAST, c.id DESC
  LIMIT 51";

/// Requests per second and PostgreSQL's CPU per request for the bare SQL of a page.
async fn bare_sql(connection: &str, org: &str) -> (f64, f64) {
    let begin = format!(
        "BEGIN; SELECT set_config('app.org_id', '{org}', true), set_config('app.user_id', '', true)"
    );
    let measure_from = Instant::now() + WARM_UP;
    let measure_until = measure_from + MEASURE;
    let mut clients = Vec::new();
    for _ in 0..CLIENTS {
        let (client, connection) = tokio_postgres::connect(connection, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(connection);
        let (begin, org) = (begin.clone(), org.to_owned());
        clients.push(tokio::spawn(async move {
            let page = client.prepare(BARE_PAGE).await.unwrap();
            let mut done = 0_u64;
            loop {
                let t = Instant::now();
                if t >= measure_until {
                    break;
                }
                client.batch_execute(&begin).await.unwrap();
                let rows = client.query(&page, &[&org]).await.unwrap();
                assert_eq!(rows.len(), 51);
                client.batch_execute("COMMIT").await.unwrap();
                if t >= measure_from {
                    done += 1;
                }
            }
            done
        }));
    }
    tokio::time::sleep_until(measure_from.into()).await;
    let before = postgres_cpu();
    tokio::time::sleep_until(measure_until.into()).await;
    let postgres_cpu = postgres_cpu_since(&before);
    let mut done = 0;
    for c in clients {
        done += c.await.unwrap();
    }
    (
        done as f64 / MEASURE.as_secs_f64(),
        postgres_cpu / done as f64,
    )
}

/// A line of the server's `/proc/<pid>/status`, in MB.
fn status_mb(pid: u32, field: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// The CPU time (user and system, every thread) a process has used, in ms.
fn cpu_ms(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // After the command name: state, ppid, ... utime and stime are the 12th and 13th,
    // in ticks of 10 ms (USER_HZ).
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(vec![], |(_, rest)| rest.split_whitespace().collect());
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok());
    match (ticks(11), ticks(12)) {
        (Some(user), Some(system)) => (user + system) * 10.0,
        _ => 0.0,
    }
}

/// The CPU time of every PostgreSQL process on the machine, in ms, by process.
fn postgres_cpu() -> HashMap<u32, f64> {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .is_ok_and(|c| c.trim() == "postgres")
        })
        .map(|pid| (pid, cpu_ms(pid)))
        .collect()
}

/// The CPU time PostgreSQL's processes used since `before`, in ms: what the processes still
/// running used (a process that ended meanwhile is not counted, rather than subtracted).
fn postgres_cpu_since(before: &HashMap<u32, f64>) -> f64 {
    postgres_cpu()
        .into_iter()
        .map(|(pid, now)| now - before.get(&pid).copied().unwrap_or(0.0))
        .sum()
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = Text)]
    id: String,
}
