//! `TestApp`: the real server on port 0 against a fresh database, with the local OIDC
//! provider for sign-in.

use std::{collections::BTreeMap, time::Duration};

use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::sync::{Mutex, oneshot};
use wagent_app::{
    database::Database,
    keys,
    settings::Settings,
    startup::{Application, Services},
};
use wagent_testkit::{TestDb, oidc};

pub const APP_SECRET: &str = "sandbox-app-secret";
/// The sandbox API's shared secret the server is given. The tests' own sandbox leaves its
/// API open so that tests can drive it directly; `sandbox_with_secret` makes one that
/// requires it.
pub const SANDBOX_SECRET: &str = "sandbox-api-secret";
/// The bearer token `/metrics` asks for in tests.
pub const METRICS_TOKEN: &str = "test-metrics-token";

pub struct TestApp {
    pub base: String,
    /// The built-in Meta sandbox this server talks to.
    pub sandbox: wagent_sandbox::Sandbox,
    pub sandbox_url: String,
    pub db: TestDb,
    pub token_key: String,
    pub encryption_keys: String,
    /// `WAGENT_DATA_DIR`: stored media is under `media/<org>/`.
    pub data_dir: std::path::PathBuf,
    /// The separate metrics listener, when the settings ask for one.
    pub metrics_base: Option<String>,
    /// The server's change clocks (what its kept inbox pages are checked against).
    pub changes: std::sync::Arc<wagent_db::Changes>,
    pub http: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl TestApp {
    pub async fn spawn() -> Self {
        let db = wagent_testkit::database().await.unwrap();
        let (token_key, enc) = keys::generate();
        Self::spawn_on(db, token_key, enc).await
    }

    /// Another server process on the same database, keys and sandbox (webhooks keep going
    /// to the first process).
    pub async fn another_process(&self) -> Self {
        Self::spawn_with(
            self.db.clone(),
            self.token_key.clone(),
            self.encryption_keys.clone(),
            Some((self.sandbox.clone(), self.sandbox_url.clone())),
        )
        .await
    }

    async fn spawn_on(db: TestDb, token_key: String, encryption_keys: String) -> Self {
        Self::spawn_with(db, token_key, encryption_keys, None).await
    }

    /// With settings of its own: `extra` environment variables over the tests' defaults
    /// (an empty value removes a default).
    pub async fn spawn_configured(extra: &[(&str, &str)]) -> Self {
        let db = wagent_testkit::database().await.unwrap();
        let (token_key, enc) = keys::generate();
        Self::spawn_full(db, token_key, enc, None, extra).await
    }

    /// With its own keys, or sharing another server's sandbox.
    pub async fn spawn_with(
        db: TestDb,
        token_key: String,
        encryption_keys: String,
        sandbox: Option<(wagent_sandbox::Sandbox, String)>,
    ) -> Self {
        Self::spawn_full(db, token_key, encryption_keys, sandbox, &[]).await
    }

    async fn spawn_full(
        db: TestDb,
        token_key: String,
        encryption_keys: String,
        sandbox: Option<(wagent_sandbox::Sandbox, String)>,
        extra: &[(&str, &str)],
    ) -> Self {
        let provider = oidc::provider().await.unwrap();
        let (sandbox, sandbox_url, own_sandbox) = match sandbox {
            Some((s, url)) => (s, url, false),
            None => {
                let mut config =
                    wagent_sandbox::SandboxConfig::new("sandbox-app", APP_SECRET, None);
                config.status_delays = (
                    Duration::from_millis(50),
                    Duration::from_millis(100),
                    Duration::from_millis(150),
                );
                config.template_approval_delay = Duration::from_millis(200);
                let s = wagent_sandbox::Sandbox::new(config);
                let addr = s
                    .listen("127.0.0.1:0".parse().unwrap(), std::future::pending())
                    .await
                    .unwrap();
                (s, format!("http://{addr}"), true)
            }
        };
        let env: BTreeMap<String, String> = [
            ("WAGENT_LISTEN", "127.0.0.1:0".to_string()),
            ("WAGENT_PUBLIC_URL", "http://localhost:8080".to_string()),
            ("OIDC_ISSUER", provider.issuer.clone()),
            ("WAGENT_TOKEN_KEY", token_key.clone()),
            ("WAGENT_ENCRYPTION_KEYS", encryption_keys.clone()),
            ("WAGENT_DB_POOL_SIZE", "4".to_string()),
            ("WAGENT_LOG", "warn".to_string()),
            ("META_GRAPH_URL", sandbox_url.clone()),
            ("META_APP_ID", "sandbox-app".to_string()),
            ("META_APP_SECRET", APP_SECRET.to_string()),
            ("META_VERIFY_TOKEN", "verify-me".to_string()),
            ("WAGENT_SANDBOX_URL", sandbox_url.clone()),
            ("WAGENT_SANDBOX_SECRET", SANDBOX_SECRET.to_string()),
            ("WAGENT_METRICS_TOKEN", METRICS_TOKEN.to_string()),
            (
                "WAGENT_DATA_DIR",
                std::env::temp_dir()
                    .join(format!("wagent-test-data-{}", db.name))
                    .to_string_lossy()
                    .into_owned(),
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .chain(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())))
        .collect();
        let data_dir = std::path::PathBuf::from(&env["WAGENT_DATA_DIR"]);
        let encryption_keys_kept = env["WAGENT_ENCRYPTION_KEYS"].clone();
        let settings = Settings::from_sources(None, &env).unwrap();
        let database = Database {
            server: db.server.clone(),
            owner: None,
            _cluster: None,
        };
        let services = Services::with_database(&settings, database).await.unwrap();
        let changes = services.db.changes();
        let app = Application::build(&settings, services, true).await.unwrap();
        let base = format!("http://{}", app.local_addr());
        let metrics_base = app.metrics_addr().map(|a| format!("http://{a}"));
        if own_sandbox {
            sandbox
                .handle()
                .set_webhook_url(Some(format!("{base}/webhooks/whatsapp")));
        }
        let (stop, stopped) = oneshot::channel();
        let handle = tokio::spawn(async move {
            app.run(async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        });
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .build()
            .unwrap();
        Self {
            base,
            sandbox,
            sandbox_url,
            db,
            token_key,
            encryption_keys: encryption_keys_kept,
            data_dir,
            metrics_base,
            changes,
            http,
            stop: Some(stop),
            handle: Some(handle),
        }
    }

    /// Stops the server and waits for it to drain.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(handle) = self.handle.take() {
            let _ = handle.await;
        }
    }

    pub fn ws_url(&self) -> String {
        format!("{}/graphql/ws", self.base.replace("http://", "ws://"))
    }

    /// Posts a GraphQL request; returns the HTTP status and the JSON body.
    pub async fn gql(
        &self,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> (StatusCode, Value) {
        let mut request = self
            .http
            .post(format!("{}/graphql", self.base))
            .header("user-agent", "wagent-tests")
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        (status, response.json().await.unwrap())
    }

    /// `data` of a request that must succeed.
    pub async fn ok(&self, token: &str, query: &str, variables: Value) -> Value {
        let (status, body) = self.gql(Some(token), query, variables).await;
        assert!(
            body.get("errors").is_none() && status.is_success(),
            "{status}: {body}"
        );
        body["data"].clone()
    }

    /// As [`Self::ok`], with the number of SQL statements the request ran for `org`
    /// (`wagent_db::statement_count::enable()` first). The org's kept inbox pages are
    /// forgotten first: the count is of reading them.
    pub async fn ok_counted(
        &self,
        token: &str,
        query: &str,
        variables: Value,
        org: &str,
    ) -> (u64, Value) {
        let org_id = uuid::Uuid::parse_str(org).unwrap();
        self.changes.changed(org_id);
        let before = wagent_db::statement_count::statements(org_id);
        let data = self.ok(token, query, variables).await;
        (
            wagent_db::statement_count::statements(org_id) - before,
            data,
        )
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    /// Live subscriptions registered in this server process (the `/metrics` gauge).
    pub async fn live_subscriptions(&self) -> usize {
        let metrics = self.metrics().await;
        metrics
            .lines()
            .find_map(|l| l.strip_prefix("wagent_live_subscriptions "))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("no subscription gauge in {metrics}"))
    }

    /// Waits until `n` subscriptions listen in this process, so that an event caused next
    /// is one they must hear.
    pub async fn wait_for_subscriptions(&self, n: usize) {
        wagent_testkit::wait_until(
            &format!("{n} live subscription(s)"),
            Duration::from_secs(10),
            || async move { self.live_subscriptions().await >= n },
        )
        .await;
    }

    /// Waits until every job due so far ran and every webhook delivery was processed.
    pub async fn jobs_drained(&self) {
        wagent_testkit::jobs_drained(&self.db.admin).await;
    }

    /// `/metrics`, with the tests' token.
    pub async fn metrics(&self) -> String {
        let response = self
            .http
            .get(format!("{}/metrics", self.base))
            .bearer_auth(METRICS_TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        response.text().await.unwrap()
    }

    /// The files stored for `org`'s media.
    pub fn media_files(&self, org: &str) -> Vec<std::path::PathBuf> {
        match std::fs::read_dir(self.data_dir.join("media").join(org)) {
            Ok(entries) => entries.map(|e| e.unwrap().path()).collect(),
            Err(_) => Vec::new(),
        }
    }

    /// A signed-in user's access token, through the real OIDC flow.
    pub async fn sign_in(&self, user: &str) -> String {
        static CACHE: Mutex<BTreeMap<String, String>> = Mutex::const_new(BTreeMap::new());
        let mut cache = CACHE.lock().await;
        if let Some(t) = cache.get(user) {
            return t.clone();
        }
        let token = oidc::provider()
            .await
            .unwrap()
            .access_token(user)
            .await
            .unwrap();
        cache.insert(user.to_owned(), token.clone());
        token
    }

    /// A new organization owned by `owner`; returns its id.
    pub async fn create_org(&self, owner: &str, name: &str) -> String {
        let token = self.sign_in(owner).await;
        let data = self
            .ok(
                &token,
                "mutation($n: String!) { createOrganization(input: {name: $n}) { id } }",
                json!({ "n": name }),
            )
            .await;
        data["createOrganization"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Invites `user@example.com` with `role` and has them accept; returns their user id.
    pub async fn add_member(&self, org: &str, by: &str, user: &str, role: &str) -> String {
        let by = self.sign_in(by).await;
        let data = self
            .ok(
                &by,
                "mutation($o: ID!, $e: String!, $r: Role!) { inviteMember(input: {organizationId: $o, email: $e, role: $r}) { acceptUrl } }",
                json!({ "o": org, "e": format!("{user}@example.com"), "r": role }),
            )
            .await;
        let url = data["inviteMember"]["acceptUrl"].as_str().unwrap();
        let token = url.split("#token=").nth(1).unwrap();
        let invitee = self.sign_in(user).await;
        self.ok(
            &invitee,
            "mutation($t: String!) { acceptInvitation(input: {token: $t}) { role } }",
            json!({ "t": token }),
        )
        .await;
        let me = self
            .ok(&invitee, "{ viewer { user { id } } }", json!({}))
            .await;
        me["viewer"]["user"]["id"].as_str().unwrap().to_owned()
    }

    /// An API token for `org`, created by `by` through GraphQL.
    pub async fn api_token(&self, org: &str, by: &str, role: &str) -> (String, String) {
        let by = self.sign_in(by).await;
        let data = self
            .ok(
                &by,
                "mutation($o: ID!, $r: Role!) { createApiToken(input: {organizationId: $o, name: \"ci\", role: $r}) { token apiToken { id } } }",
                json!({ "o": org, "r": role }),
            )
            .await;
        (
            data["createApiToken"]["apiToken"]["id"]
                .as_str()
                .unwrap()
                .to_owned(),
            data["createApiToken"]["token"].as_str().unwrap().to_owned(),
        )
    }
}

/// Creates a business account with one number in the sandbox (ids of the caller's choice).
pub async fn sandbox_account(app: &TestApp, waba_id: &str, phone_number_id: &str) {
    let r = reqwest::Client::new()
        .post(format!("{}/sandbox/accounts", app.sandbox_url))
        .json(&json!({ "waba_id": waba_id, "phone_number_id": phone_number_id }))
        .send()
        .await
        .unwrap();
    assert!(
        r.status().is_success(),
        "sandbox account: {}",
        r.text().await.unwrap()
    );
}

/// The `extensions.code` of the first error.
pub fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("<no error>")
}
