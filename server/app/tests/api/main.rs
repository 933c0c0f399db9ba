#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The server over HTTP and websockets, against a real PostgreSQL and a real OIDC provider.

mod auth;
mod cli;
mod edge;
mod helpers;
mod organizations;
mod permissions;
mod schema;
mod subscriptions;
mod whatsapp;
mod whatsapp_admin;
mod ws;
