//! The `wagent` binary's library: settings, start-up and the HTTP surface.

mod campaigns;
pub mod database;
pub mod http;
pub mod imports;
pub mod keys;
mod knowledge;
pub mod limits;
pub mod metrics;
mod segments;
pub mod settings;
pub mod spa;
pub mod startup;
pub mod ws;

/// Logs to stderr, filtered by `WAGENT_LOG`.
pub fn init_tracing(filter: &str, json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
