//! Counters for `GET /metrics`, in the Prometheus text format.

use std::{
    fmt::Write,
    sync::{
        Arc,
        atomic::{AtomicI64, AtomicU64, Ordering},
    },
};

use wagent_jobs::JobStats;

#[derive(Default)]
pub struct Metrics {
    pub graphql_requests: AtomicU64,
    pub graphql_errors: AtomicU64,
    pub auth_failures: AtomicU64,
    pub websocket_connections: AtomicI64,
    pub webhooks_received: AtomicU64,
    pub webhooks_refused: AtomicU64,
    pub jobs: std::sync::OnceLock<Arc<JobStats>>,
    pub bus: std::sync::OnceLock<wagent_db::bus::Bus>,
}

impl Metrics {
    pub fn render(&self) -> String {
        let mut out = String::new();
        let mut counter = |name: &str, help: &str, kind: &str, value: String| {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}"
            );
        };
        let get = |a: &AtomicU64| a.load(Ordering::Relaxed).to_string();
        counter(
            "wagent_graphql_requests_total",
            "GraphQL requests over HTTP.",
            "counter",
            get(&self.graphql_requests),
        );
        counter(
            "wagent_graphql_errors_total",
            "GraphQL responses with errors.",
            "counter",
            get(&self.graphql_errors),
        );
        counter(
            "wagent_auth_failures_total",
            "Requests refused for bad credentials.",
            "counter",
            get(&self.auth_failures),
        );
        counter(
            "wagent_websocket_connections",
            "Open subscription websockets.",
            "gauge",
            self.websocket_connections
                .load(Ordering::Relaxed)
                .to_string(),
        );
        if let Some(bus) = self.bus.get() {
            counter(
                "wagent_live_subscriptions",
                "GraphQL subscriptions listening to events in this process.",
                "gauge",
                bus.subscriber_count().to_string(),
            );
        }
        counter(
            "wagent_webhooks_received_total",
            "Meta webhook deliveries stored for processing.",
            "counter",
            get(&self.webhooks_received),
        );
        counter(
            "wagent_webhooks_refused_total",
            "Webhook deliveries refused for a missing or wrong signature.",
            "counter",
            get(&self.webhooks_refused),
        );
        if let Some(jobs) = self.jobs.get() {
            counter(
                "wagent_jobs_succeeded_total",
                "Jobs that finished.",
                "counter",
                get(&jobs.succeeded),
            );
            counter(
                "wagent_jobs_retried_total",
                "Job runs that failed and will retry.",
                "counter",
                get(&jobs.retried),
            );
            counter(
                "wagent_jobs_failed_total",
                "Jobs given up on.",
                "counter",
                get(&jobs.failed),
            );
        }
        out
    }
}
