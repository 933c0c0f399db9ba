//! `wagent keys rotate`: everything sealed with an older key, sealed again with the newest.

use chrono::Utc;
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use uuid::Uuid;
use wagent_db::{
    Scope,
    schema::{org_routes, webhook_events, whatsapp_accounts},
};

use super::Result;
use super::{ROUTE_WABA, webhooks::webhook_purpose};
use crate::{CommonError, Domain};

impl Domain {
    /// `wagent keys rotate`: reseals every stored token sealed with an older key, and every
    /// webhook delivery still waiting (or kept unreadable). Organizations are found through
    /// their WhatsApp routes (the only place with sealed tokens).
    pub async fn rotate_secrets(&self) -> Result<usize> {
        let wa = self.whatsapp()?.clone();
        let mut resealed = self
            .tx(Scope::system(), async |c| -> Result<_, CommonError> {
                let stored: Vec<(Uuid, Option<String>)> = webhook_events::table
                    .select((webhook_events::id, webhook_events::body_sealed))
                    .for_update()
                    .load(c)
                    .await?;
                let mut n = 0;
                for (id, sealed) in stored {
                    let Some(sealed) = sealed.filter(|s| wa.keyring.is_stale(s)) else {
                        continue;
                    };
                    let purpose = webhook_purpose(id);
                    // One that no configured key opens stays as it is: it is unreadable and
                    // expires like any unreadable delivery.
                    let Ok(body) = wa.keyring.open_bytes(&sealed, Uuid::nil(), &purpose) else {
                        continue;
                    };
                    let fresh = wa.keyring.seal_bytes(&body, Uuid::nil(), &purpose);
                    diesel::update(webhook_events::table.filter(webhook_events::id.eq(id)))
                        .set(webhook_events::body_sealed.eq(fresh))
                        .execute(c)
                        .await?;
                    n += 1;
                }
                Ok(n)
            })
            .await?;
        let orgs: Vec<Uuid> = self
            .tx(Scope::system(), async |c| -> Result<_, CommonError> {
                Ok(org_routes::table
                    .filter(org_routes::kind.eq(ROUTE_WABA))
                    .select(org_routes::org_id)
                    .distinct()
                    .load(c)
                    .await?)
            })
            .await?;
        for org_id in orgs {
            resealed += self
                .tx(Scope::org(org_id), async |c| -> Result<_, CommonError> {
                    let accounts: Vec<(Uuid, String)> = whatsapp_accounts::table
                        .select((
                            whatsapp_accounts::id,
                            whatsapp_accounts::access_token_sealed,
                        ))
                        .load(c)
                        .await?;
                    let mut n = 0;
                    for (id, sealed) in accounts {
                        if !wa.keyring.is_stale(&sealed) {
                            continue;
                        }
                        let purpose = Self::token_purpose(id);
                        let opened = wa
                            .keyring
                            .open(&sealed, org_id, &purpose)
                            .map_err(CommonError::internal)?;
                        let fresh = wa.keyring.seal(opened.expose(), org_id, &purpose);
                        diesel::update(
                            whatsapp_accounts::table.filter(whatsapp_accounts::id.eq(id)),
                        )
                        .set((
                            whatsapp_accounts::access_token_sealed.eq(fresh),
                            whatsapp_accounts::updated_at.eq(Utc::now()),
                        ))
                        .execute(c)
                        .await?;
                        n += 1;
                    }
                    Ok(n)
                })
                .await?;
        }
        Ok(resealed)
    }
}
