//! WhatsApp through Meta's Cloud API, one file per part of the work:
//!
//! - `connect`: connecting numbers (by hand or Embedded Signup), refreshing and
//!   disconnecting them, opening their sealed tokens;
//! - `webhooks`: deliveries stored sealed, routed to their organization and applied event by
//!   event (`inbound` for messages and statuses, `contacts` for who wrote);
//! - `send`: messages queued from the inbox, retried, conversations marked read;
//! - `media`: files agents send, stored media and its signed links;
//! - `templates`: message templates and the business profile;
//! - `key_rotation`: resealing tokens and waiting deliveries under the newest key;
//! - `jobs`: the background jobs that talk to Meta, one file per kind;
//! - `error`: [`WhatsAppError`], what all of these refuse.
//!
//! Tokens are sealed at rest ([`crate::secrets`]) and opened only to call Meta. Webhooks are
//! stored raw and answered at once; the `whatsapp.webhook` job routes each event to its
//! organization through `org_routes` and applies it in that organization's transaction.

mod connect;
mod contacts;
mod error;
mod inbound;
pub(crate) mod jobs;
mod key_rotation;
pub(crate) mod keywords;
mod media;
mod send;
mod templates;
mod webhooks;

use std::{path::PathBuf, sync::Arc};

use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use uuid::Uuid;
use wagent_db::{Conn, schema::conversations};
use wagent_meta::GraphClient;

pub use self::{
    error::WhatsAppError,
    media::{Attachment, MAX_SENDABLE_BYTES, Media, ORPHAN_GRACE},
    send::Outgoing,
    templates::{Template, TemplateCategory, TemplateDraft, TemplateStatus},
    webhooks::{MAX_WEBHOOK_BYTES, ProcessReport, UNREADABLE_WEBHOOK_HOURS},
};
pub(crate) use self::{send::queue_bot_message, templates::placeholders};
use crate::{CommonError, Domain, inbox::Conversation, secrets::Keyring};

/// The WhatsApp area's result.
pub type Result<T, E = WhatsAppError> = std::result::Result<T, E>;

const ROUTE_WABA: &str = "whatsapp_waba";
const ROUTE_NUMBER: &str = "whatsapp_phone_number";

/// How WAgent reaches Meta (or the sandbox).
pub struct WhatsAppSetup {
    pub graph: GraphClient,
    pub keyring: Keyring,
    pub app_id: Option<String>,
    pub app_secret: Option<String>,
    /// Where downloaded media is stored.
    pub media_dir: PathBuf,
}

impl std::fmt::Debug for WhatsAppSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WhatsAppSetup")
            .field("app_id", &self.app_id)
            .field("media_dir", &self.media_dir)
            .finish()
    }
}

impl Domain {
    pub(crate) fn whatsapp(&self) -> Result<&Arc<WhatsAppSetup>> {
        self.whatsapp.as_ref().ok_or(WhatsAppError::NotConfigured)
    }

    pub(crate) fn token_purpose(account_id: Uuid) -> String {
        format!("whatsapp_accounts.access_token/{account_id}")
    }
}

/// Records a message at `at` on its conversation: last message and preview and, for one from
/// the customer, the unread count and the 24-hour window (a resolved conversation reopens).
async fn touch_conversation(
    c: &mut Conn,
    conversation: &Conversation,
    at: DateTime<Utc>,
    preview: Option<&str>,
    inbound: bool,
) -> Result<(), CommonError> {
    let preview: Option<String> = preview.map(|p| p.chars().take(140).collect());
    let newer = conversation.last_message_at.is_none_or(|t| t <= at);
    let last_message_at = if newer {
        Some(at)
    } else {
        conversation.last_message_at
    };
    let preview = if newer {
        preview
    } else {
        conversation.last_message_preview.clone()
    };
    let last_inbound_at = if inbound {
        conversation.last_inbound_at.max(Some(at))
    } else {
        conversation.last_inbound_at
    };
    let status = if inbound && conversation.status == "resolved" {
        "open"
    } else {
        conversation.status.as_str()
    };
    diesel::update(conversations::table.filter(conversations::id.eq(conversation.id)))
        .set((
            conversations::last_message_at.eq(last_message_at),
            conversations::last_message_preview.eq(preview),
            conversations::last_inbound_at.eq(last_inbound_at),
            // Relative, not from the snapshot: a send and a delivery may touch it at once.
            conversations::unread_count.eq(conversations::unread_count + i32::from(inbound)),
            conversations::status.eq(status),
            conversations::updated_at.eq(Utc::now()),
        ))
        .execute(c)
        .await?;
    // The contact's last activity, which segments and campaigns filter on.
    let column = if inbound {
        "last_inbound_at"
    } else {
        "last_outbound_at"
    };
    diesel::sql_query(format!(
        "UPDATE contacts SET {column} = greatest({column}, $1) WHERE org_id = $2 AND id = $3"
    ))
    .bind::<diesel::sql_types::Timestamptz, _>(at)
    .bind::<diesel::sql_types::Uuid, _>(conversation.org_id)
    .bind::<diesel::sql_types::Uuid, _>(conversation.contact_id)
    .execute(c)
    .await?;
    Ok(())
}
