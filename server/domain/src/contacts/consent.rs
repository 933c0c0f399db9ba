//! Marketing consent: each change with its source and time, kept as history beside the
//! contact's current state, which campaigns read.

use chrono::Utc;
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use serde_json::json;
use uuid::Uuid;
use wagent_db::{
    Conn,
    schema::{consent_events, contacts},
};

use super::{Contact, Marketing};
use crate::{
    Access, CommonError, Domain, Role,
    organizations::audit::{self, Entry},
};

/// Who changed a contact's consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentSource {
    /// The customer sent an opt-out or opt-in word.
    Keyword,
    /// Meta's `user_preferences` webhook: the customer stopped or resumed marketing
    /// messages from WhatsApp itself.
    Meta,
    /// A member, by hand in the app.
    Manual,
    Import,
    /// An integrator, through the API.
    Api,
}

impl ConsentSource {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Keyword => "keyword",
            Self::Meta => "meta",
            Self::Manual => "manual",
            Self::Import => "import",
            Self::Api => "api",
        }
    }
}

/// Longest note kept with a consent change.
const MAX_DETAIL: usize = 500;

/// Sets `contact`'s consent and records the change; nothing when it already stands there.
/// `actor` is the member who made it, if any. True when the consent changed.
pub(crate) async fn record_consent(
    c: &mut Conn,
    org_id: Uuid,
    contact: Uuid,
    marketing: Marketing,
    source: ConsentSource,
    detail: Option<&str>,
    actor: Option<Uuid>,
) -> Result<bool, CommonError> {
    let now = Utc::now();
    let changed: Option<Uuid> = diesel::update(
        contacts::table
            .filter(contacts::id.eq(contact))
            .filter(contacts::marketing.ne(marketing)),
    )
    .set((
        contacts::marketing.eq(marketing),
        contacts::marketing_source.eq(source.as_str()),
        contacts::marketing_at.eq(now),
        contacts::updated_at.eq(now),
    ))
    .returning(contacts::id)
    .get_result(c)
    .await
    .optional()?;
    if changed.is_none() {
        return Ok(false);
    }
    diesel::insert_into(consent_events::table)
        .values((
            consent_events::org_id.eq(org_id),
            consent_events::id.eq(Uuid::now_v7()),
            consent_events::contact_id.eq(contact),
            consent_events::marketing.eq(marketing.as_str()),
            consent_events::source.eq(source.as_str()),
            consent_events::detail
                .eq(detail.map(|d| d.chars().take(MAX_DETAIL).collect::<String>())),
            consent_events::actor_id.eq(actor),
            consent_events::at.eq(now),
        ))
        .execute(c)
        .await?;
    if marketing == Marketing::OptedOut {
        crate::campaigns::attribute_opt_out(c, org_id, contact).await?;
    }
    Ok(true)
}

impl Domain {
    /// A member (or an integrator's token) records a contact's marketing consent by hand,
    /// e.g. a customer who agreed on paper or asked on the phone to stop.
    pub async fn set_contact_marketing(
        &self,
        access: &Access,
        contact: Uuid,
        marketing: Marketing,
        note: Option<&str>,
    ) -> Result<Contact, CommonError> {
        access.ensure(Role::Member)?;
        let source = if access.caller().user_id().is_some() {
            ConsentSource::Manual
        } else {
            ConsentSource::Api
        };
        self.tx(access.scope(), async |c| {
            let exists: Option<Uuid> = contacts::table
                .filter(contacts::id.eq(contact))
                .select(contacts::id)
                .for_update()
                .first(c)
                .await
                .optional()?;
            if exists.is_none() {
                return Err(CommonError::NotFound("contact"));
            }
            let changed = record_consent(
                c,
                access.org_id(),
                contact,
                marketing,
                source,
                note,
                access.caller().user_id(),
            )
            .await?;
            if changed {
                audit::record(
                    c,
                    access.org_id(),
                    access.caller(),
                    Entry {
                        action: "contact.consent_changed",
                        target_type: "contact",
                        target_id: contact.to_string(),
                        details: json!({ "marketing": marketing.as_str(), "note": note }),
                    },
                )
                .await?;
            }
            Ok(contacts::table
                .filter(contacts::id.eq(contact))
                .select(Contact::as_select())
                .first(c)
                .await?)
        })
        .await
    }

    /// A contact's consent changes, newest first (at most 100).
    pub async fn consent_history(
        &self,
        access: &Access,
        contact: Uuid,
    ) -> Result<Vec<ConsentEvent>, CommonError> {
        access.ensure(Role::Member)?;
        self.tx(access.scope(), async |c| {
            Ok(consent_events::table
                .filter(consent_events::contact_id.eq(contact))
                .order((consent_events::at.desc(), consent_events::id.desc()))
                .limit(100)
                .select(ConsentEvent::as_select())
                .load(c)
                .await?)
        })
        .await
    }
}

/// One change of a contact's consent.
#[derive(Debug, Clone, PartialEq, Eq, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = consent_events)]
pub struct ConsentEvent {
    pub marketing: Marketing,
    pub source: String,
    pub detail: Option<String>,
    pub actor_id: Option<Uuid>,
    pub at: chrono::DateTime<Utc>,
}
