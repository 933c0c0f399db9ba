//! Start-up wiring in one place: database, keys, domain, schema, job runner, HTTP server.

use std::{future::Future, net::SocketAddr, sync::Arc, time::Duration};

use poem::{
    Server,
    listener::{Acceptor, Listener, TcpAcceptor, TcpListener},
};
use serde_json::json;
use wagent_auth::oidc::OidcVerifier;
use wagent_db::Db;
use wagent_domain::{Bus, Domain, secrets::Keyring, whatsapp::WhatsAppSetup};
use wagent_jobs::Runner;
use wagent_meta::{GraphClient, GraphConfig};

use crate::{
    database::Database,
    http::{self, AppState},
    keys,
    metrics::Metrics,
    settings::Settings,
    spa,
};

/// What the admin verbs and the server share: a migrated database and the domain.
pub struct Services {
    pub database: Database,
    pub db: Db,
    pub domain: Domain,
}

impl Services {
    pub async fn open(settings: &Settings) -> Result<Self, String> {
        let database = Database::open(settings).await?;
        Self::with_database(settings, database).await
    }

    pub async fn with_database(settings: &Settings, database: Database) -> Result<Self, String> {
        database.prepare().await?;
        let keys = keys::load(settings)?;
        let db = Db::connect(&database.server, settings.db_pool_size).map_err(|e| e.to_string())?;
        let keyring = Keyring::new(
            keys.encryption
                .iter()
                .map(|k| (k.id.clone(), k.key))
                .collect(),
        )
        .map_err(|e| e.to_string())?;
        let graph = GraphClient::new(GraphConfig {
            base_url: settings.meta.graph_url.clone(),
            version: settings.meta.graph_version.clone(),
            ..GraphConfig::default()
        })
        .map_err(|e| format!("META_GRAPH_URL: {e}"))?;
        let whatsapp = WhatsAppSetup {
            graph,
            keyring,
            app_id: settings.meta.app_id.clone(),
            app_secret: settings
                .meta
                .app_secret
                .as_ref()
                .map(|s| s.expose().to_owned()),
            media_dir: settings.data_dir.join("media"),
        };
        let domain = Domain::new(db.clone(), Arc::new(keys.tokens), &settings.public_url)
            .with_whatsapp(whatsapp)
            .with_imports_dir(settings.data_dir.join("imports"))
            .with_knowledge_dir(settings.data_dir.join("knowledge"))
            .with_fetch_policy(wagent_fetch::FetchPolicy {
                allow_addresses: settings.fetch_allow.clone(),
                ..Default::default()
            })
            .with_ai(ai_setup(&settings.llm)?)
            .with_campaign_shards(settings.campaign_shards);
        Ok(Self {
            database,
            db,
            domain,
        })
    }
}

/// The job runner, with every kind of job the domain knows.
fn job_runners(services: &Services, bus: Bus, settings: &Settings) -> Vec<Runner> {
    let domain = &services.domain;
    let main = domain.register_jobs(
        Runner::new(services.db.clone(), bus.clone()).concurrency(settings.job_concurrency),
    );
    // Campaign dispatch runs for minutes at a time: its own runner, so that it never takes
    // the places of webhooks and sends.
    let senders = (settings.campaign_senders > 0).then(|| {
        domain.register_campaign_dispatch(
            Runner::new(services.db.clone(), bus).concurrency(settings.campaign_senders),
        )
    });
    std::iter::once(main).chain(senders).collect()
}

/// Runs `runners` until `stop` says so, then waits for their running jobs.
async fn run_runners(runners: Vec<Runner>, stop: tokio::sync::watch::Receiver<bool>) {
    let running: Vec<_> = runners
        .into_iter()
        .map(|runner| {
            let mut rx = stop.clone();
            tokio::spawn(runner.run(async move {
                let _ = rx.wait_for(|s| *s).await;
            }))
        })
        .collect();
    for r in running {
        let _ = r.await;
    }
}

pub struct Application {
    acceptor: TcpAcceptor,
    local_addr: SocketAddr,
    state: AppState,
    csp: String,
    /// `WAGENT_METRICS_LISTEN`'s listener, serving only `/metrics`.
    metrics_acceptor: Option<(TcpAcceptor, SocketAddr)>,
    runners: Vec<Runner>,
    _services: Services,
}

impl Application {
    pub async fn build(
        settings: &Settings,
        services: Services,
        run_jobs: bool,
    ) -> Result<Self, String> {
        let bus = Bus::start(services.database.server.clone(), services.db.changes())
            .await
            .map_err(|e| e.to_string())?;
        services.domain.forget_tokens_on_change(&bus);
        let schema = wagent_graphql::schema(services.domain.clone(), bus.clone());
        let sockets = Arc::new(crate::ws::Sockets::new(
            bus.clone(),
            crate::ws::SocketLimits {
                init_timeout: Duration::from_secs(settings.limits.ws_init_timeout_secs),
                max_operations: settings.limits.ws_max_operations,
                max_connections: settings.limits.ws_max_connections,
                recheck_every: Duration::from_secs(settings.limits.ws_recheck_secs),
            },
        ));
        let rates = Arc::new(crate::limits::RateLimits::new(
            settings.limits.rate_per_ip,
            settings.limits.rate_per_token,
        ));
        let oidc = match &settings.oidc {
            Some(o) => {
                let verifier =
                    OidcVerifier::new(&o.issuer, &o.audience).map_err(|e| e.to_string())?;
                match verifier.warm_up().await {
                    Ok(()) => tracing::info!(issuer = %o.issuer, "sign-in through OpenID Connect"),
                    Err(e) => {
                        tracing::warn!(issuer = %o.issuer, error = %e, "the identity provider is not reachable yet; sign-in will retry")
                    }
                }
                Some(verifier)
            }
            None => {
                tracing::warn!(
                    "OIDC_ISSUER is not set: sign-in is off, only API tokens are accepted"
                );
                None
            }
        };
        let client_config = json!({
            "oidc": settings.oidc.as_ref().map(|o| json!({
                "issuer": o.issuer,
                "clientId": o.client_id,
                "scope": "openid profile email",
                "audience": o.audience,
            })),
            "version": env!("CARGO_PKG_VERSION"),
            "whatsapp": {
                "appId": settings.meta.app_id,
                "configId": settings.meta.config_id,
                "sandbox": settings.meta.sandbox_url.is_some(),
            },
        });
        let metrics = Arc::new(Metrics::default());
        let _ = metrics.bus.set(bus.clone());
        let runners = if run_jobs {
            job_runners(&services, bus, settings)
        } else {
            Vec::new()
        };
        if let Some(r) = runners.first() {
            let _ = metrics.jobs.set(r.stats());
        }
        let issuer_origin = settings
            .oidc
            .as_ref()
            .and_then(|o| url::Url::parse(&o.issuer).ok())
            .map(|u| u.origin().ascii_serialization());
        let acceptor = TcpListener::bind(settings.listen)
            .into_acceptor()
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", settings.listen))?;
        let local_addr = acceptor
            .local_addr()
            .first()
            .and_then(|a| a.as_socket_addr().copied())
            .ok_or("cannot read the listening address")?;
        let metrics_acceptor = match settings.metrics_listen {
            Some(addr) => {
                let acceptor = TcpListener::bind(addr)
                    .into_acceptor()
                    .await
                    .map_err(|e| format!("cannot listen on {addr} for metrics: {e}"))?;
                let bound = acceptor
                    .local_addr()
                    .first()
                    .and_then(|a| a.as_socket_addr().copied())
                    .ok_or("cannot read the metrics address")?;
                Some((acceptor, bound))
            }
            None => None,
        };
        let state = AppState {
            schema,
            domain: services.domain.clone(),
            oidc,
            client_config,
            metrics,
            trusted_proxy_hops: settings.trusted_proxy_hops,
            metrics_token: settings
                .metrics_token
                .as_ref()
                .map(|s| s.expose().to_owned()),
            meta_app_secret: settings
                .meta
                .app_secret
                .as_ref()
                .map(|s| s.expose().to_owned()),
            meta_verify_token: settings
                .meta
                .verify_token
                .as_ref()
                .map(|s| s.expose().to_owned()),
            sandbox_url: settings.meta.sandbox_url.clone(),
            sandbox_secret: settings
                .meta
                .sandbox_secret
                .as_ref()
                .map(|s| s.expose().to_owned()),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(15))
                .build()
                .map_err(|e| e.to_string())?,
            sockets,
            rates,
        };
        Ok(Self {
            acceptor,
            local_addr,
            state,
            csp: spa::content_security_policy(
                issuer_origin.as_deref(),
                settings.meta.app_id.is_some() && settings.meta.sandbox_url.is_none(),
            ),
            metrics_acceptor,
            runners,
            _services: services,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Where `/metrics` is served on its own, if `WAGENT_METRICS_LISTEN` is set.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics_acceptor.as_ref().map(|(_, addr)| *addr)
    }

    /// Serves until `shutdown` resolves, then drains requests and running jobs.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), String> {
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let jobs = tokio::spawn(run_runners(self.runners, stop_rx.clone()));
        let metrics_server = self.metrics_acceptor.map(|(acceptor, addr)| {
            tracing::info!(address = %addr, "serving /metrics");
            let mut rx = stop_rx.clone();
            let app = http::metrics_routes(self.state.metrics.clone());
            tokio::spawn(async move {
                let stopped = async move {
                    let _ = rx.wait_for(|s| *s).await;
                };
                if let Err(e) = Server::new_with_acceptor(acceptor)
                    .run_with_graceful_shutdown(app, stopped, Some(Duration::from_secs(5)))
                    .await
                {
                    tracing::error!(error = %e, "the metrics listener stopped");
                }
            })
        });
        tracing::info!(address = %self.local_addr, "serving");
        let app = http::routes(self.state, self.csp);
        let result = Server::new_with_acceptor(self.acceptor)
            .run_with_graceful_shutdown(app, shutdown, Some(Duration::from_secs(10)))
            .await
            .map_err(|e| e.to_string());
        let _ = stop_tx.send(true);
        let _ = jobs.await;
        if let Some(server) = metrics_server {
            let _ = server.await;
        }
        result
    }
}

/// Runs only the job runner (`wagent worker`).
pub async fn run_worker(
    settings: &Settings,
    services: Services,
    shutdown: impl Future<Output = ()>,
) -> Result<(), String> {
    let bus = Bus::start(services.database.server.clone(), services.db.changes())
        .await
        .map_err(|e| e.to_string())?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let runners = tokio::spawn(run_runners(job_runners(&services, bus, settings), stop_rx));
    shutdown.await;
    let _ = stop_tx.send(true);
    let _ = runners.await;
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
    tracing::info!("shutting down");
}

/// The AI provider's client from the settings; without a key it stays offline.
fn ai_setup(llm: &crate::settings::Llm) -> Result<wagent_domain::agents::AiSetup, String> {
    let config = wagent_llm::LlmConfig {
        base_url: llm.base_url.clone(),
        api_key: llm
            .api_key
            .as_ref()
            .map(|k| wagent_llm::ApiKey::new(k.expose())),
        default_model: llm.model.clone(),
        ..Default::default()
    };
    let client = wagent_llm::LlmClient::new(config)
        .map_err(|e| format!("cannot build the AI provider's client: {e}"))?;
    let [hit, miss, output] = llm.prices;
    let embeddings = match &llm.embeddings_url {
        Some(url) => Some(
            wagent_llm::EmbeddingsClient::new(wagent_llm::EmbeddingsConfig::new(
                url.clone(),
                llm.embeddings_api_key
                    .as_ref()
                    .map(|k| wagent_llm::ApiKey::new(k.expose())),
                llm.embeddings_model.clone(),
            ))
            .map_err(|e| format!("cannot build the embeddings client: {e}"))?,
        ),
        None => None,
    };
    Ok(wagent_domain::agents::AiSetup {
        llm: client,
        embeddings,
        prices: wagent_llm::Prices {
            input_cache_hit: hit,
            input_cache_miss: miss,
            output,
        },
    })
}
