#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The server over HTTP and websockets, against a real PostgreSQL and a real OIDC provider.

mod agents;
mod auth;
mod campaign_lifecycle;
mod campaign_outcomes;
mod campaigns;
mod cli;
mod contacts;
mod edge;
mod helpers;
mod imports;
mod organizations;
mod permissions;
mod query_cost;
mod rate_limits;
mod sandbox_proxy;
mod schema;
mod segments;
mod settings;
mod sockets;
mod subscriptions;
mod tokens;
mod whatsapp;
mod whatsapp_admin;
mod whatsapp_reliability;
mod ws;
