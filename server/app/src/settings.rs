//! Configuration: environment variables over an optional TOML file over defaults.
//! Unknown or malformed settings stop start-up; secret values are never printed.

use std::{collections::BTreeMap, fmt, net::SocketAddr, path::PathBuf};

use serde::Deserialize;

/// A value that must not reach a log or an error message.
#[derive(Clone, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<secret>")
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: Option<Secret>,
    pub database_owner_url: Option<Secret>,
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    pub public_url: String,
    pub oidc: Option<Oidc>,
    pub encryption_keys: Option<Secret>,
    pub token_key: Option<Secret>,
    pub log: String,
    pub log_json: bool,
    /// How many reverse proxies in front of WAgent append to `X-Forwarded-For`.
    pub trusted_proxy_hops: usize,
    /// A separate address that serves only `/metrics`, without a token.
    pub metrics_listen: Option<SocketAddr>,
    /// The bearer token `/metrics` asks for on the public listener.
    pub metrics_token: Option<Secret>,
    pub db_pool_size: usize,
    pub job_concurrency: usize,
    /// Campaign dispatch jobs run at once by this process; 0: it sends no campaigns.
    pub campaign_senders: usize,
    /// Dispatch jobs that share one campaign's recipients.
    pub campaign_shards: u16,
    pub meta: Meta,
    pub limits: Limits,
    pub llm: Llm,
    /// Exact addresses the knowledge crawler may reach although private (the local demo,
    /// tests); nothing else private is ever fetched.
    pub fetch_allow: Vec<SocketAddr>,
}

/// The AI provider (OpenAI-compatible chat completions).
#[derive(Debug, Clone)]
pub struct Llm {
    pub base_url: String,
    /// Unset: agents answer offline, quoting the best knowledge passage.
    pub api_key: Option<Secret>,
    pub model: String,
    /// Micro-dollars per million tokens: cache hit, cache miss, output.
    pub prices: [u64; 3],
    /// An OpenAI-compatible embeddings endpoint; unset: retrieval is text search alone.
    pub embeddings_url: Option<String>,
    pub embeddings_api_key: Option<Secret>,
    pub embeddings_model: String,
}

/// Abuse limits on the API and its websockets.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Requests (and websocket connects) per minute per client IP; 0: no limit.
    pub rate_per_ip: u32,
    /// Requests per minute per presented token; 0: no limit.
    pub rate_per_token: u32,
    pub ws_init_timeout_secs: u64,
    pub ws_max_operations: usize,
    pub ws_max_connections: usize,
    pub ws_recheck_secs: u64,
}

/// Meta's WhatsApp Cloud API, or the sandbox that speaks it.
#[derive(Debug, Clone)]
pub struct Meta {
    pub graph_url: String,
    pub graph_version: String,
    pub app_id: Option<String>,
    pub app_secret: Option<Secret>,
    pub verify_token: Option<Secret>,
    pub config_id: Option<String>,
    /// The built-in sandbox's base URL, when WAgent runs against it.
    pub sandbox_url: Option<String>,
    /// The secret the sandbox's own API requires (`X-Sandbox-Secret`); set with the URL.
    pub sandbox_secret: Option<Secret>,
}

#[derive(Debug, Clone)]
pub struct Oidc {
    pub issuer: String,
    pub audience: String,
    pub client_id: String,
}

/// The settings, their environment variables and what they mean (also README's table).
pub const TABLE: &[(&str, &str, &str)] = &[
    (
        "database_url",
        "DATABASE_URL",
        "PostgreSQL URL for the server's role (owns no table, no BYPASSRLS). Unset: a private cluster under WAGENT_DATA_DIR.",
    ),
    (
        "database_owner_url",
        "WAGENT_DATABASE_OWNER_URL",
        "URL for the role that owns the schema; migrations run as it. Unset with DATABASE_URL: `serve` only checks that migrations are applied.",
    ),
    (
        "listen",
        "WAGENT_LISTEN",
        "Address to serve on. Default 127.0.0.1:8080.",
    ),
    (
        "data_dir",
        "WAGENT_DATA_DIR",
        "Folder for the private cluster, generated keys and stored media. Default ./.wagent.",
    ),
    (
        "public_url",
        "WAGENT_PUBLIC_URL",
        "Where people reach WAgent, for links (invitations). Default http://localhost:<port>.",
    ),
    (
        "oidc_issuer",
        "OIDC_ISSUER",
        "OpenID Connect issuer URL (Keycloak realm). Unset: only API tokens are accepted.",
    ),
    (
        "oidc_audience",
        "OIDC_AUDIENCE",
        "Audience the access tokens must carry. Default wagent.",
    ),
    (
        "oidc_client_id",
        "OIDC_CLIENT_ID",
        "The SPA's public client id. Default wagent-spa.",
    ),
    (
        "encryption_keys",
        "WAGENT_ENCRYPTION_KEYS",
        "Keys for secrets at rest: `id:base64-32-bytes`, comma-separated, newest first. Generated into the data folder when DATABASE_URL is unset.",
    ),
    (
        "token_key",
        "WAGENT_TOKEN_KEY",
        "Ed25519 private key (hex) that signs API tokens. Generated into the data folder when DATABASE_URL is unset.",
    ),
    (
        "log",
        "WAGENT_LOG",
        "Log filter, e.g. info or wagent=debug. Default info.",
    ),
    (
        "log_json",
        "WAGENT_LOG_JSON",
        "true: JSON log lines. Default false.",
    ),
    (
        "trusted_proxy_hops",
        "WAGENT_TRUSTED_PROXY_HOPS",
        "How many reverse proxies in front of WAgent append to X-Forwarded-For; the client address is taken that many entries from the right (audit log IPs). Default 0: the header is ignored.",
    ),
    (
        "metrics_listen",
        "WAGENT_METRICS_LISTEN",
        "A separate address (host:port) that serves only /metrics, without a token. Keep it private.",
    ),
    (
        "metrics_token",
        "WAGENT_METRICS_TOKEN",
        "Serves /metrics on the main address to `Authorization: Bearer <token>`. With neither this nor WAGENT_METRICS_LISTEN, /metrics is not served.",
    ),
    (
        "db_pool_size",
        "WAGENT_DB_POOL_SIZE",
        "Database connections per process. Default 16.",
    ),
    (
        "job_concurrency",
        "WAGENT_JOB_CONCURRENCY",
        "Jobs run at once per process. Default 8.",
    ),
    (
        "campaign_senders",
        "WAGENT_CAMPAIGN_SENDERS",
        "Campaign dispatch jobs this process runs at once, beside the other jobs; 0: this process sends no campaigns (leave it to `wagent worker` processes). Default 4.",
    ),
    (
        "campaign_shards",
        "WAGENT_CAMPAIGN_SHARDS",
        "Dispatch jobs that share one campaign's recipients, on any processes, each paced to its share of the number's throughput. Default 2.",
    ),
    (
        "rate_limit_per_ip",
        "WAGENT_RATE_LIMIT_PER_IP",
        "Requests to /graphql, uploads and websocket connects per minute per client IP (see WAGENT_TRUSTED_PROXY_HOPS); over it: HTTP 429. 0: off. Default 1200.",
    ),
    (
        "rate_limit_per_token",
        "WAGENT_RATE_LIMIT_PER_TOKEN",
        "The same per bearer token (OIDC or API). 0: off. Default 600.",
    ),
    (
        "ws_init_timeout",
        "WAGENT_WS_INIT_TIMEOUT",
        "Seconds a websocket may wait before `connection_init`; then it closes with 4408. Default 10.",
    ),
    (
        "ws_max_operations",
        "WAGENT_WS_MAX_OPERATIONS",
        "Operations (subscriptions) running at once on one websocket; more are refused. Default 20.",
    ),
    (
        "ws_max_connections",
        "WAGENT_WS_MAX_CONNECTIONS",
        "Open websockets per person or API token, per process; more close with 4429. Default 10.",
    ),
    (
        "ws_recheck",
        "WAGENT_WS_RECHECK",
        "Seconds between re-checks of an API token on an open websocket (revocations also arrive at once through the event bus). Default 10.",
    ),
    (
        "meta_graph_url",
        "META_GRAPH_URL",
        "Base URL of Meta's Graph API. Default https://graph.facebook.com; the sandbox's URL to try WAgent without Meta.",
    ),
    (
        "meta_graph_version",
        "META_GRAPH_VERSION",
        "Graph API version. Default v21.0.",
    ),
    (
        "meta_app_id",
        "META_APP_ID",
        "Your Meta app's id (Embedded Signup).",
    ),
    (
        "meta_app_secret",
        "META_APP_SECRET",
        "Your Meta app's secret: checks webhook signatures and exchanges Embedded Signup codes.",
    ),
    (
        "meta_verify_token",
        "META_VERIFY_TOKEN",
        "The token Meta echoes when it verifies the webhook URL.",
    ),
    (
        "meta_config_id",
        "META_CONFIG_ID",
        "The Facebook Login for Business configuration id of Embedded Signup.",
    ),
    (
        "sandbox_url",
        "WAGENT_SANDBOX_URL",
        "The built-in Meta sandbox's URL (`wagent sandbox`): enables the customer phone panel and simulated Embedded Signup.",
    ),
    (
        "sandbox_secret",
        "WAGENT_SANDBOX_SECRET",
        "The shared secret of the sandbox's own API, as given to `wagent sandbox`. Required with WAGENT_SANDBOX_URL.",
    ),
    (
        "llm_base_url",
        "LLM_BASE_URL",
        "The AI provider's OpenAI-compatible API. Default https://api.deepseek.com.",
    ),
    (
        "llm_api_key",
        "LLM_API_KEY",
        "The AI provider's key. Unset: agents answer offline with the best-matching knowledge passage.",
    ),
    (
        "llm_model",
        "LLM_MODEL",
        "The model agents use unless they name one. Default deepseek-flash.",
    ),
    (
        "llm_prices",
        "WAGENT_LLM_PRICES",
        "What the model costs per million tokens in micro-dollars, for the cost estimates: cache hit, cache miss, output. Default 28000,280000,420000.",
    ),
    (
        "embeddings_url",
        "EMBEDDINGS_BASE_URL",
        "An OpenAI-compatible embeddings API (its `/embeddings` path is called). Set: knowledge chunks and questions are embedded and the vector ranking is fused with text search. Default none (the AI provider has no embeddings endpoint).",
    ),
    (
        "embeddings_api_key",
        "EMBEDDINGS_API_KEY",
        "The embeddings API's key, if it needs one.",
    ),
    (
        "embeddings_model",
        "EMBEDDINGS_MODEL",
        "The embeddings model. Default text-embedding-3-small.",
    ),
    (
        "fetch_allow",
        "WAGENT_FETCH_ALLOW",
        "Comma-separated host:port addresses the knowledge crawler may reach although private (a local demo site). Default none.",
    ),
];

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Raw {
    database_url: Option<Secret>,
    database_owner_url: Option<Secret>,
    listen: Option<String>,
    data_dir: Option<PathBuf>,
    public_url: Option<String>,
    oidc_issuer: Option<String>,
    oidc_audience: Option<String>,
    oidc_client_id: Option<String>,
    encryption_keys: Option<Secret>,
    token_key: Option<Secret>,
    log: Option<String>,
    log_json: Option<bool>,
    trusted_proxy_hops: Option<usize>,
    metrics_listen: Option<String>,
    metrics_token: Option<Secret>,
    db_pool_size: Option<usize>,
    job_concurrency: Option<usize>,
    campaign_senders: Option<usize>,
    campaign_shards: Option<usize>,
    rate_limit_per_ip: Option<u32>,
    rate_limit_per_token: Option<u32>,
    ws_init_timeout: Option<u64>,
    ws_max_operations: Option<usize>,
    ws_max_connections: Option<usize>,
    ws_recheck: Option<u64>,
    meta_graph_url: Option<String>,
    meta_graph_version: Option<String>,
    meta_app_id: Option<String>,
    meta_app_secret: Option<Secret>,
    meta_verify_token: Option<Secret>,
    meta_config_id: Option<String>,
    sandbox_url: Option<String>,
    sandbox_secret: Option<Secret>,
    llm_base_url: Option<String>,
    llm_api_key: Option<Secret>,
    llm_model: Option<String>,
    llm_prices: Option<String>,
    embeddings_url: Option<String>,
    embeddings_api_key: Option<Secret>,
    embeddings_model: Option<String>,
    fetch_allow: Option<String>,
}

impl Settings {
    /// Reads `file` (if any) and then the process environment.
    pub fn load(file: Option<&std::path::Path>) -> Result<Self, String> {
        let env: BTreeMap<String, String> = std::env::vars().collect();
        Self::from_sources(file, &env)
    }

    pub fn from_sources(
        file: Option<&std::path::Path>,
        env: &BTreeMap<String, String>,
    ) -> Result<Self, String> {
        let mut raw = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                toml::from_str::<Raw>(&text)
                    .map_err(|e| format!("{}: {}", path.display(), e.message()))?
            }
            None => Raw::default(),
        };
        for (name, value) in env {
            let known = TABLE.iter().find(|(_, var, _)| var == name);
            let Some((key, _, _)) = known else {
                if name == "WAGENT_TRUST_FORWARDED_FOR" {
                    return Err(
                        "WAGENT_TRUST_FORWARDED_FOR is gone: set WAGENT_TRUSTED_PROXY_HOPS to the number of proxies in front of WAgent".into(),
                    );
                }
                if name.starts_with("WAGENT_") && !IGNORED.contains(&name.as_str()) {
                    return Err(format!(
                        "unknown setting {name}; see `wagent --help` for the list"
                    ));
                }
                continue;
            };
            if value.is_empty() {
                continue;
            }
            apply(&mut raw, key, value).map_err(|why| format!("{name} is malformed: {why}"))?;
        }
        Self::resolve(raw)
    }

    fn resolve(raw: Raw) -> Result<Self, String> {
        let listen_text = raw.listen.unwrap_or_else(|| "127.0.0.1:8080".into());
        let listen: SocketAddr = listen_text
            .parse()
            .map_err(|_| format!("WAGENT_LISTEN is malformed: `{listen_text}` is not host:port"))?;
        let public_url = raw
            .public_url
            .unwrap_or_else(|| format!("http://localhost:{}", listen.port()))
            .trim_end_matches('/')
            .to_owned();
        url::Url::parse(&public_url)
            .map_err(|_| "WAGENT_PUBLIC_URL is malformed: not a URL".to_string())?;
        let oidc = match raw.oidc_issuer {
            Some(issuer) => {
                let parsed = url::Url::parse(&issuer)
                    .map_err(|_| "OIDC_ISSUER is malformed: not a URL".to_string())?;
                if !matches!(parsed.scheme(), "http" | "https") {
                    return Err("OIDC_ISSUER is malformed: expected an http(s) URL".into());
                }
                Some(Oidc {
                    issuer: issuer.trim_end_matches('/').to_owned(),
                    audience: raw.oidc_audience.unwrap_or_else(|| "wagent".into()),
                    client_id: raw.oidc_client_id.unwrap_or_else(|| "wagent-spa".into()),
                })
            }
            None => None,
        };
        if let Some(url) = &raw.database_url {
            wagent_db::PgTarget::parse(url.expose())
                .map_err(|why| format!("DATABASE_URL is malformed: {why}"))?;
        }
        if let Some(url) = &raw.database_owner_url {
            wagent_db::PgTarget::parse(url.expose())
                .map_err(|why| format!("WAGENT_DATABASE_OWNER_URL is malformed: {why}"))?;
        }
        let pool = raw.db_pool_size.unwrap_or(16);
        if !(2..=1000).contains(&pool) {
            return Err("WAGENT_DB_POOL_SIZE must be between 2 and 1000".into());
        }
        let jobs = raw.job_concurrency.unwrap_or(8);
        if !(1..=1000).contains(&jobs) {
            return Err("WAGENT_JOB_CONCURRENCY must be between 1 and 1000".into());
        }
        let campaign_senders = raw.campaign_senders.unwrap_or(4);
        if campaign_senders > 100 {
            return Err("WAGENT_CAMPAIGN_SENDERS must be between 0 and 100".into());
        }
        let campaign_shards = raw.campaign_shards.unwrap_or(2);
        if !(1..=64).contains(&campaign_shards) {
            return Err("WAGENT_CAMPAIGN_SHARDS must be between 1 and 64".into());
        }
        let limits = Limits {
            rate_per_ip: raw.rate_limit_per_ip.unwrap_or(1200),
            rate_per_token: raw.rate_limit_per_token.unwrap_or(600),
            ws_init_timeout_secs: raw.ws_init_timeout.unwrap_or(10),
            ws_max_operations: raw.ws_max_operations.unwrap_or(20),
            ws_max_connections: raw.ws_max_connections.unwrap_or(10),
            ws_recheck_secs: raw.ws_recheck.unwrap_or(10),
        };
        if !(1..=3600).contains(&limits.ws_init_timeout_secs)
            || !(1..=3600).contains(&limits.ws_recheck_secs)
        {
            return Err(
                "WAGENT_WS_INIT_TIMEOUT and WAGENT_WS_RECHECK must be between 1 and 3600 seconds"
                    .into(),
            );
        }
        if limits.ws_max_operations == 0 || limits.ws_max_connections == 0 {
            return Err(
                "WAGENT_WS_MAX_OPERATIONS and WAGENT_WS_MAX_CONNECTIONS must be at least 1".into(),
            );
        }
        let hops = raw.trusted_proxy_hops.unwrap_or(0);
        if hops > 10 {
            return Err("WAGENT_TRUSTED_PROXY_HOPS must be between 0 and 10".into());
        }
        let metrics_listen = match &raw.metrics_listen {
            Some(text) => Some(text.parse::<SocketAddr>().map_err(|_| {
                format!("WAGENT_METRICS_LISTEN is malformed: `{text}` is not host:port")
            })?),
            None => None,
        };
        let graph_url = raw
            .meta_graph_url
            .unwrap_or_else(|| "https://graph.facebook.com".into())
            .trim_end_matches('/')
            .to_owned();
        url::Url::parse(&graph_url)
            .map_err(|_| "META_GRAPH_URL is malformed: not a URL".to_string())?;
        let graph_version = raw.meta_graph_version.unwrap_or_else(|| "v21.0".into());
        if !graph_version.starts_with('v') || graph_version[1..].parse::<f32>().is_err() {
            return Err("META_GRAPH_VERSION is malformed: expected e.g. v21.0".into());
        }
        if let Some(u) = &raw.sandbox_url {
            url::Url::parse(u)
                .map_err(|_| "WAGENT_SANDBOX_URL is malformed: not a URL".to_string())?;
            if raw
                .sandbox_secret
                .as_ref()
                .is_none_or(|s| s.expose().is_empty())
            {
                return Err(
                    "WAGENT_SANDBOX_SECRET is required with WAGENT_SANDBOX_URL: the secret given to `wagent sandbox`".into(),
                );
            }
        }
        let meta = Meta {
            graph_url,
            graph_version,
            app_id: raw.meta_app_id,
            app_secret: raw.meta_app_secret,
            verify_token: raw.meta_verify_token,
            config_id: raw.meta_config_id,
            sandbox_url: raw.sandbox_url.map(|u| u.trim_end_matches('/').to_owned()),
            sandbox_secret: raw.sandbox_secret,
        };
        let llm_base_url = raw
            .llm_base_url
            .unwrap_or_else(|| "https://api.deepseek.com".into())
            .trim_end_matches('/')
            .to_owned();
        http_url("LLM_BASE_URL", &llm_base_url)?;
        let prices = match raw.llm_prices.as_deref() {
            None => [28_000, 280_000, 420_000],
            Some(text) => {
                let parts: Vec<u64> = text
                    .split(',')
                    .map(|p| p.trim().parse::<u64>())
                    .collect::<Result<_, _>>()
                    .map_err(|_| {
                        "WAGENT_LLM_PRICES is malformed: three whole numbers".to_string()
                    })?;
                <[u64; 3]>::try_from(parts).map_err(|_| {
                    "WAGENT_LLM_PRICES is malformed: three whole numbers".to_string()
                })?
            }
        };
        let embeddings_url = raw
            .embeddings_url
            .map(|u| u.trim_end_matches('/').to_owned());
        if let Some(u) = &embeddings_url {
            http_url("EMBEDDINGS_BASE_URL", u)?;
        }
        let llm = Llm {
            base_url: llm_base_url,
            api_key: raw.llm_api_key,
            model: raw.llm_model.unwrap_or_else(|| "deepseek-flash".into()),
            prices,
            embeddings_url,
            embeddings_api_key: raw.embeddings_api_key,
            embeddings_model: raw
                .embeddings_model
                .unwrap_or_else(|| "text-embedding-3-small".into()),
        };
        let fetch_allow = raw
            .fetch_allow
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(|a| {
                a.parse::<SocketAddr>().map_err(|_| {
                    format!("WAGENT_FETCH_ALLOW is malformed: `{a}` is not an ip:port address")
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            meta,
            llm,
            fetch_allow,
            database_url: raw.database_url,
            database_owner_url: raw.database_owner_url,
            listen,
            data_dir: raw.data_dir.unwrap_or_else(|| PathBuf::from(".wagent")),
            public_url,
            oidc,
            encryption_keys: raw.encryption_keys,
            token_key: raw.token_key,
            log: raw.log.unwrap_or_else(|| "info".into()),
            log_json: raw.log_json.unwrap_or(false),
            trusted_proxy_hops: hops,
            metrics_listen,
            metrics_token: raw.metrics_token,
            db_pool_size: pool,
            job_concurrency: jobs,
            campaign_senders,
            campaign_shards: campaign_shards as u16,
            limits,
        })
    }
}

/// `WAGENT_` variables that are not settings: the config file's own path and the private
/// cluster's binary folder.
const IGNORED: &[&str] = &["WAGENT_CONFIG", "WAGENT_PG_BIN"];

/// Refuses a setting that is not an http(s) URL, naming it.
fn http_url(name: &str, value: &str) -> Result<(), String> {
    match url::Url::parse(value) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => Ok(()),
        _ => Err(format!("{name} is malformed: expected an http(s) URL")),
    }
}

fn apply(raw: &mut Raw, key: &str, value: &str) -> Result<(), String> {
    let flag = |v: &str| match v.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err("expected true or false".to_string()),
    };
    let number = |v: &str| {
        v.parse::<usize>()
            .map_err(|_| "expected a whole number".to_string())
    };
    let small = |v: &str| {
        v.parse::<u32>()
            .map_err(|_| "expected a whole number".to_string())
    };
    let s = || Some(value.to_owned());
    match key {
        "database_url" => raw.database_url = Some(Secret(value.to_owned())),
        "database_owner_url" => raw.database_owner_url = Some(Secret(value.to_owned())),
        "listen" => raw.listen = s(),
        "data_dir" => raw.data_dir = Some(PathBuf::from(value)),
        "public_url" => raw.public_url = s(),
        "oidc_issuer" => raw.oidc_issuer = s(),
        "oidc_audience" => raw.oidc_audience = s(),
        "oidc_client_id" => raw.oidc_client_id = s(),
        "encryption_keys" => raw.encryption_keys = Some(Secret(value.to_owned())),
        "token_key" => raw.token_key = Some(Secret(value.to_owned())),
        "log" => raw.log = s(),
        "log_json" => raw.log_json = Some(flag(value)?),
        "trusted_proxy_hops" => raw.trusted_proxy_hops = Some(number(value)?),
        "metrics_listen" => raw.metrics_listen = s(),
        "metrics_token" => raw.metrics_token = Some(Secret(value.to_owned())),
        "db_pool_size" => raw.db_pool_size = Some(number(value)?),
        "job_concurrency" => raw.job_concurrency = Some(number(value)?),
        "campaign_senders" => raw.campaign_senders = Some(number(value)?),
        "campaign_shards" => raw.campaign_shards = Some(number(value)?),
        "rate_limit_per_ip" => raw.rate_limit_per_ip = Some(small(value)?),
        "rate_limit_per_token" => raw.rate_limit_per_token = Some(small(value)?),
        "ws_init_timeout" => raw.ws_init_timeout = Some(number(value)? as u64),
        "ws_max_operations" => raw.ws_max_operations = Some(number(value)?),
        "ws_max_connections" => raw.ws_max_connections = Some(number(value)?),
        "ws_recheck" => raw.ws_recheck = Some(number(value)? as u64),
        "meta_graph_url" => raw.meta_graph_url = s(),
        "meta_graph_version" => raw.meta_graph_version = s(),
        "meta_app_id" => raw.meta_app_id = s(),
        "meta_app_secret" => raw.meta_app_secret = Some(Secret(value.to_owned())),
        "meta_verify_token" => raw.meta_verify_token = Some(Secret(value.to_owned())),
        "meta_config_id" => raw.meta_config_id = s(),
        "sandbox_url" => raw.sandbox_url = s(),
        "sandbox_secret" => raw.sandbox_secret = Some(Secret(value.to_owned())),
        "llm_base_url" => raw.llm_base_url = s(),
        "llm_api_key" => raw.llm_api_key = Some(Secret(value.to_owned())),
        "llm_model" => raw.llm_model = s(),
        "llm_prices" => raw.llm_prices = s(),
        "embeddings_url" => raw.embeddings_url = s(),
        "embeddings_api_key" => raw.embeddings_api_key = Some(Secret(value.to_owned())),
        "embeddings_model" => raw.embeddings_model = s(),
        "fetch_allow" => raw.fetch_allow = s(),
        _ => return Err("unknown".into()),
    }
    Ok(())
}
