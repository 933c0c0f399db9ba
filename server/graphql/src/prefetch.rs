//! What a list statement already read for its rows' fields, kept for the request.
//!
//! `Organization.conversations` joins each row's contact, number and assignee into its one
//! statement and leaves them here; `Conversation.contact`, `.phoneNumber` and `.assignee`
//! look here first and only query when they are not in a list (a single conversation, a
//! subscription event). So the inbox page costs the same statements whatever its size.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use async_graphql::{
    Context, Request, ServerResult,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextPrepareRequest},
};
use uuid::Uuid;
use wagent_domain::{
    User,
    inbox::{Contact, ConversationSummary, PhoneNumber},
};

/// An inbox row's neighbours, as the list statement read them.
pub(crate) struct Neighbours {
    pub contact: Contact,
    pub phone_number: PhoneNumber,
    pub assignee: Option<User>,
}

/// The request's prefetched rows, keyed by `(org_id, conversation_id)`.
#[derive(Default)]
pub(crate) struct Prefetched(Mutex<HashMap<(Uuid, Uuid), Arc<Neighbours>>>);

impl Prefetched {
    /// Keeps what a list statement read, for the fields of its rows.
    pub(crate) fn keep(ctx: &Context<'_>, org_id: Uuid, rows: &[ConversationSummary]) {
        let Some(this) = ctx.data_opt::<Prefetched>() else {
            return;
        };
        if let Ok(mut map) = this.0.lock() {
            map.extend(rows.iter().map(|row| {
                (
                    (org_id, row.conversation.id),
                    Arc::new(Neighbours {
                        contact: row.contact.clone(),
                        phone_number: row.phone_number.clone(),
                        assignee: row.assignee.clone(),
                    }),
                )
            }));
        }
    }

    /// What a list read for this conversation, if it came from a list in this request.
    pub(crate) fn get(
        ctx: &Context<'_>,
        org_id: Uuid,
        conversation_id: Uuid,
    ) -> Option<Arc<Neighbours>> {
        let this = ctx.data_opt::<Prefetched>()?;
        let map = this.0.lock().ok()?;
        map.get(&(org_id, conversation_id)).cloned()
    }
}

/// Gives every request its own [`Prefetched`], dropped with the request. (Subscription events
/// carry single conversations, never a list, so their fields always read fresh rows.)
pub(crate) struct PrefetchExtension;

impl ExtensionFactory for PrefetchExtension {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(PrefetchExtension)
    }
}

#[async_trait::async_trait]
impl Extension for PrefetchExtension {
    async fn prepare_request(
        &self,
        ctx: &ExtensionContext<'_>,
        request: Request,
        next: NextPrepareRequest<'_>,
    ) -> ServerResult<Request> {
        next.run(ctx, request.data(Prefetched::default())).await
    }
}
