//! Connecting a number: by hand (a WABA id, a number id and a system-user token) or through
//! Embedded Signup; refreshing its details from Meta, disconnecting it, and opening its
//! account's sealed token to call Meta.

use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use serde_json::json;
use uuid::Uuid;
use wagent_db::{
    Conn,
    schema::{org_routes, phone_numbers, whatsapp_accounts},
};
use wagent_meta::AccessToken;

use super::{ROUTE_NUMBER, ROUTE_WABA, Result, WhatsAppError};
use crate::{
    Access, CommonError, Domain, Role,
    inbox::PhoneNumber,
    organizations::audit::{self, Entry},
};

impl Domain {
    /// Connects a number with a WhatsApp Business Account id, its phone number id and a
    /// system-user token. Admin or Owner. Meta is asked for the number first, so a wrong
    /// token or id fails here and nothing is stored.
    pub async fn connect_whatsapp(
        &self,
        access: &Access,
        waba_id: &str,
        phone_number_id: &str,
        token: &str,
        via: &str,
    ) -> Result<PhoneNumber> {
        access.ensure(Role::Admin)?;
        let wa = self.whatsapp()?.clone();
        let (waba_id, phone_number_id) = (
            meta_id(waba_id, "WABA id")?,
            meta_id(phone_number_id, "phone number id")?,
        );
        let token = token.trim();
        if token.is_empty() || token.len() > 2048 {
            return Err(WhatsAppError::AccessTokenLength);
        }
        let access_token = AccessToken::new(token);
        let details = wa
            .graph
            .phone_number(&access_token, &phone_number_id)
            .await
            .map_err(WhatsAppError::from_graph)?;
        // Account-level webhooks are routed by WABA: the number must really be under it.
        let listed = wa
            .graph
            .phone_numbers(&access_token, &waba_id)
            .await
            .map_err(WhatsAppError::from_graph)?;
        if !listed.iter().any(|n| n.id == phone_number_id) {
            return Err(WhatsAppError::NumberNotInAccount {
                number: phone_number_id,
                waba: waba_id,
            });
        }
        wa.graph
            .subscribe_app(&access_token, &waba_id)
            .await
            .map_err(WhatsAppError::from_graph)?;
        let account_id = Uuid::now_v7();
        self.tx(access.scope(), async |c| {
            claim_route(c, access.org_id, ROUTE_WABA, &waba_id).await?;
            claim_route(c, access.org_id, ROUTE_NUMBER, &phone_number_id).await?;
            let existing: Option<Uuid> = whatsapp_accounts::table
                .filter(whatsapp_accounts::waba_id.eq(&waba_id))
                .select(whatsapp_accounts::id)
                .first(c)
                .await
                .optional()?;
            let account_id = existing.unwrap_or(account_id);
            let sealed = wa
                .keyring
                .seal(token, access.org_id, &Self::token_purpose(account_id));
            diesel::insert_into(whatsapp_accounts::table)
                .values((
                    whatsapp_accounts::org_id.eq(access.org_id),
                    whatsapp_accounts::id.eq(account_id),
                    whatsapp_accounts::waba_id.eq(&waba_id),
                    whatsapp_accounts::access_token_sealed.eq(&sealed),
                    whatsapp_accounts::connected_via.eq(via),
                    whatsapp_accounts::connected_by.eq(access.caller().user_id()),
                ))
                .on_conflict((whatsapp_accounts::org_id, whatsapp_accounts::waba_id))
                .do_update()
                .set((
                    whatsapp_accounts::access_token_sealed.eq(&sealed),
                    whatsapp_accounts::updated_at.eq(Utc::now()),
                ))
                .execute(c)
                .await?;
            let number = diesel::insert_into(phone_numbers::table)
                .values((
                    phone_numbers::org_id.eq(access.org_id),
                    phone_numbers::id.eq(Uuid::now_v7()),
                    phone_numbers::account_id.eq(account_id),
                    phone_numbers::phone_number_id.eq(&phone_number_id),
                ))
                .on_conflict((phone_numbers::org_id, phone_numbers::phone_number_id))
                .do_update()
                .set((
                    phone_numbers::account_id.eq(account_id),
                    phone_numbers::disconnected_at.eq(None::<DateTime<Utc>>),
                ))
                .returning(phone_numbers::id)
                .get_result::<Uuid>(c)
                .await?;
            let number = store_details(c, number, &details).await?;
            audit::record(
                c,
                access.org_id,
                access.caller(),
                Entry {
                    action: "whatsapp.connected",
                    target_type: "phone_number",
                    target_id: phone_number_id.clone(),
                    details: json!({ "waba_id": waba_id, "via": via }),
                },
            )
            .await?;
            Ok(number)
        })
        .await
    }

    /// Embedded Signup: exchanges the code (valid 30 s) for a business token at once, then
    /// connects like [`Domain::connect_whatsapp`] and registers the number.
    pub async fn complete_embedded_signup(
        &self,
        access: &Access,
        code: &str,
        waba_id: &str,
        phone_number_id: &str,
    ) -> Result<PhoneNumber> {
        access.ensure(Role::Admin)?;
        let wa = self.whatsapp()?.clone();
        let (Some(app_id), Some(secret)) = (&wa.app_id, &wa.app_secret) else {
            return Err(WhatsAppError::SignupNotConfigured);
        };
        let code = code.trim();
        if code.is_empty() || code.len() > 2048 {
            return Err(WhatsAppError::SignupCodeMissing);
        }
        let token = wa
            .graph
            .exchange_code(app_id, secret, code)
            .await
            .map_err(WhatsAppError::from_graph)?;
        let pin = format!("{:06}", rand::random::<u32>() % 1_000_000);
        if let Err(e) = wa
            .graph
            .register(&token, phone_number_id.trim(), &pin)
            .await
        {
            // An already registered number answers with an error; connecting still works.
            tracing::info!(error = %e, "registering the number");
        }
        self.connect_whatsapp(
            access,
            waba_id,
            phone_number_id,
            token.expose(),
            "embedded_signup",
        )
        .await
    }

    /// Asks Meta for the number's current name, quality, status and limits.
    pub async fn refresh_phone_number(&self, access: &Access, id: Uuid) -> Result<PhoneNumber> {
        access.ensure(Role::Member)?;
        let wa = self.whatsapp()?.clone();
        let (number, token) = self.number_and_token(access, id).await?;
        let details = wa
            .graph
            .phone_number(&token, &number.phone_number_id)
            .await
            .map_err(WhatsAppError::from_graph)?;
        self.tx(access.scope(), async |c| {
            store_details(c, id, &details).await
        })
        .await
    }

    /// Stops receiving and sending on a number; its conversations stay.
    pub async fn disconnect_phone_number(&self, access: &Access, id: Uuid) -> Result<PhoneNumber> {
        access.ensure(Role::Admin)?;
        self.tx(access.scope(), async |c| {
            let number: PhoneNumber =
                diesel::update(phone_numbers::table.filter(phone_numbers::id.eq(id)))
                    .set(phone_numbers::disconnected_at.eq(Utc::now()))
                    .returning(PhoneNumber::as_returning())
                    .get_result(c)
                    .await
                    .optional()?
                    .ok_or(CommonError::NotFound("phone number"))?;
            diesel::delete(
                org_routes::table
                    .filter(org_routes::kind.eq(ROUTE_NUMBER))
                    .filter(org_routes::key.eq(&number.phone_number_id)),
            )
            .execute(c)
            .await?;
            audit::record(
                c,
                access.org_id,
                access.caller(),
                Entry {
                    action: "whatsapp.disconnected",
                    target_type: "phone_number",
                    target_id: number.phone_number_id.clone(),
                    details: json!({}),
                },
            )
            .await?;
            Ok(number)
        })
        .await
    }

    pub(super) async fn number_and_token(
        &self,
        access: &Access,
        number_id: Uuid,
    ) -> Result<(PhoneNumber, AccessToken)> {
        let wa = self.whatsapp()?.clone();
        let (number, sealed, account_id) = self
            .tx(access.scope(), async |c| -> Result<_, CommonError> {
                let number: PhoneNumber = phone_numbers::table
                    .filter(phone_numbers::id.eq(number_id))
                    .select(PhoneNumber::as_select())
                    .first(c)
                    .await
                    .optional()?
                    .ok_or(CommonError::NotFound("phone number"))?;
                let sealed: String = whatsapp_accounts::table
                    .filter(whatsapp_accounts::id.eq(number.account_id))
                    .select(whatsapp_accounts::access_token_sealed)
                    .first(c)
                    .await?;
                let account_id = number.account_id;
                Ok((number, sealed, account_id))
            })
            .await?;
        let opened = wa
            .keyring
            .open(&sealed, access.org_id, &Self::token_purpose(account_id))
            .map_err(CommonError::internal)?;
        Ok((number, AccessToken::new(opened.expose())))
    }
}

fn meta_id(raw: &str, what: &'static str) -> Result<String> {
    let id = raw.trim();
    if id.is_empty() || id.len() > 64 || !id.chars().all(|c| c.is_ascii_digit()) {
        return Err(WhatsAppError::NotAMetaId(what));
    }
    Ok(id.to_owned())
}

/// Claims an outside id for `org_id`; another organization's claim is a conflict.
async fn claim_route(c: &mut Conn, org_id: Uuid, kind: &str, key: &str) -> Result<()> {
    let owner: Option<Uuid> = org_routes::table
        .filter(org_routes::kind.eq(kind))
        .filter(org_routes::key.eq(key))
        .select(org_routes::org_id)
        .first(c)
        .await
        .optional()?;
    match owner {
        Some(o) if o == org_id => Ok(()),
        Some(_) => Err(WhatsAppError::ConnectedElsewhere(key.to_owned())),
        None => {
            diesel::insert_into(org_routes::table)
                .values((
                    org_routes::kind.eq(kind),
                    org_routes::key.eq(key),
                    org_routes::org_id.eq(org_id),
                ))
                .execute(c)
                .await?;
            Ok(())
        }
    }
}

async fn store_details(
    c: &mut Conn,
    id: Uuid,
    d: &wagent_meta::PhoneNumber,
) -> Result<PhoneNumber> {
    Ok(
        diesel::update(phone_numbers::table.filter(phone_numbers::id.eq(id)))
            .set((
                phone_numbers::display_phone_number.eq(&d.display_phone_number),
                phone_numbers::verified_name.eq(&d.verified_name),
                phone_numbers::quality_rating.eq(&d.quality_rating),
                phone_numbers::status.eq(&d.status),
                phone_numbers::name_status.eq(&d.name_status),
                phone_numbers::code_verification_status.eq(&d.code_verification_status),
                phone_numbers::platform_type.eq(&d.platform_type),
                phone_numbers::messaging_limit.eq(d.messaging_limit()),
                phone_numbers::throughput_level.eq(d.throughput_level()),
                phone_numbers::refreshed_at.eq(Utc::now()),
            ))
            .returning(PhoneNumber::as_returning())
            .get_result(c)
            .await?,
    )
}
