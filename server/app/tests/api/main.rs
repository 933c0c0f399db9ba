#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The server over HTTP and websockets, against a real PostgreSQL and a real OIDC provider.

mod auth;
mod cli;
mod helpers;
mod organizations;
mod permissions;
mod sandbox_proxy;
mod schema;
mod subscriptions;
mod whatsapp;
mod whatsapp_admin;
mod ws;
