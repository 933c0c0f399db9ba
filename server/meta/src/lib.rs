//! Meta's WhatsApp Cloud API (Graph v21.0).
//!
//! [`GraphClient`] sends messages, manages media, templates and phone numbers, and runs
//! the server side of Embedded Signup; every call takes the tenant's [`AccessToken`], and
//! every failure is a [`GraphError`] whose [`class`](GraphError::class) says whether to
//! retry, slow down, give up or reconnect the account. [`webhook`] checks signatures and
//! turns webhook bodies into [`WebhookEvent`]s.

pub mod client;
pub mod error;
pub mod types;
pub mod webhook;

pub use client::{GraphClient, GraphConfig};
pub use error::{ErrorClass, GraphError};
pub use types::*;
pub use webhook::{
    Contact, InboundKind, InboundMessage, MediaRef, MessageStatus, ParseError, StatusUpdate,
    WebhookError, WebhookEvent,
};
