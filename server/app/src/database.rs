//! Which database `serve` and the admin verbs use: `DATABASE_URL`, or the private cluster.

use wagent_db::{
    PgTarget,
    cluster::{self, APP_ROLE, Cluster, OWNER_ROLE},
};

use crate::settings::Settings;

/// The server's connection and, when known, the owner's (for migrations).
pub struct Database {
    pub server: PgTarget,
    pub owner: Option<PgTarget>,
    /// Held while this process uses the private cluster.
    pub _cluster: Option<Cluster>,
}

impl Database {
    pub async fn open(settings: &Settings) -> Result<Self, String> {
        match &settings.database_url {
            Some(url) => {
                let server =
                    PgTarget::parse(url.expose()).map_err(|e| format!("DATABASE_URL: {e}"))?;
                let owner = settings
                    .database_owner_url
                    .as_ref()
                    .map(|u| PgTarget::parse(u.expose()))
                    .transpose()
                    .map_err(|e| format!("WAGENT_DATABASE_OWNER_URL: {e}"))?;
                Ok(Self {
                    server,
                    owner,
                    _cluster: None,
                })
            }
            None => {
                let root = settings.data_dir.clone();
                let cluster = tokio::task::spawn_blocking(move || {
                    Cluster::start(&root, cluster::Options::default())
                })
                .await
                .map_err(|e| e.to_string())?
                .map_err(|e| e.to_string())?;
                let admin = cluster.superuser("postgres");
                cluster::bootstrap(&admin, None, Some(cluster::DATABASE))
                    .await
                    .map_err(|e| e.to_string())?;
                let on = |role: &str| admin.with(Some((role, None)), Some(cluster::DATABASE));
                Ok(Self {
                    server: on(APP_ROLE),
                    owner: Some(on(OWNER_ROLE)),
                    _cluster: Some(cluster),
                })
            }
        }
    }

    /// Applies migrations (as the owner) or, without an owner, insists none is pending;
    /// then refuses a server role that could bypass row-level security.
    pub async fn prepare(&self) -> Result<(), String> {
        match &self.owner {
            Some(owner) => {
                let applied = wagent_db::migrate::run(owner, &self.server.user())
                    .await
                    .map_err(|e| e.to_string())?;
                for version in applied {
                    tracing::info!(%version, "applied migration");
                }
            }
            None => {
                let pending = wagent_db::migrate::pending(&self.server)
                    .await
                    .map_err(|e| e.to_string())?;
                if !pending.is_empty() {
                    return Err(format!(
                        "{} migration(s) are pending ({}); run `wagent migrate` with WAGENT_DATABASE_OWNER_URL set",
                        pending.len(),
                        pending.join(", ")
                    ));
                }
            }
        }
        wagent_db::migrate::check_server_role(&self.server)
            .await
            .map_err(|e| e.to_string())
    }
}
