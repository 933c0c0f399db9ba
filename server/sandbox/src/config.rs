//! What a sandbox is told at start and what tests change while it runs.

use std::time::Duration;

use serde::Deserialize;
use serde_json::{Value, json};

/// How the sandbox behaves. Every field has a default that imitates Meta.
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    /// Where webhooks go (WAgent's `/webhooks/whatsapp`), unless a WABA subscribed with an
    /// `override_callback_uri`. `None`: webhooks are built and logged, not sent.
    pub webhook_url: Option<String>,
    /// The Meta app's secret: it signs webhooks and authenticates the code exchange.
    pub app_secret: String,
    /// The Meta app's id (`client_id` of the code exchange).
    pub app_id: String,
    /// The sandbox's own public base URL, for media URLs. `None`: taken from the request's
    /// `Host` (and `X-Forwarded-*`) and the prefix the sandbox is mounted under.
    pub public_url: Option<String>,
    /// Delays after an accepted send before the `sent`, `delivered` and `read` statuses.
    pub status_delays: (Duration, Duration, Duration),
    /// Imperfections Meta's webhooks really have, off by default.
    pub chaos: Chaos,
    /// How long a new template stays PENDING before it is APPROVED.
    pub template_approval_delay: Duration,
    /// Messages per second per business number (Meta's default is 80).
    pub throughput_per_second: u32,
    /// How long a send's answer takes. The send counts against the throughput when it
    /// arrives; the answer comes this long after. Meta's answers take a few hundred
    /// milliseconds; 0 (the default) answers at once.
    pub send_latency: Duration,
    /// Messages to one customer from one business number.
    pub pair_rate: PairRate,
    /// HTTP status of a 130429 throughput error: 400 like Meta's table, or 429.
    pub http_status_for_throttling: u16,
    /// Any WABA or phone-number id asked about exists, created on first sight. The Bearer
    /// token stands for a business: a number first seen under a token waits, provisional,
    /// in the token's current WABA (or a placeholder) and settles in the next made-up WABA
    /// the token names, so a number and a WABA asked about with the same token belong
    /// together in either order. Other tokens' and explicitly created accounts are never
    /// touched. The crate docs give the whole rule.
    pub auto_create: bool,
    /// How long an Embedded Signup code can be exchanged (Meta: 30 s).
    pub signup_code_ttl: Duration,
    /// Send webhooks only for WABAs the app subscribed to (`POST /{waba}/subscribed_apps`),
    /// as Meta does. Off by default so a sandbox works before onboarding.
    pub require_subscription: bool,
    /// The shared secret the sandbox-only API (`/sandbox/*`, media URLs aside) requires in
    /// the `X-Sandbox-Secret` header. `None`: that API is open, for tests on loopback.
    pub api_secret: Option<String>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            webhook_url: None,
            app_secret: "sandbox-app-secret".to_owned(),
            app_id: "100000000000001".to_owned(),
            public_url: None,
            status_delays: (
                Duration::from_millis(300),
                Duration::from_millis(700),
                Duration::from_millis(1500),
            ),
            chaos: Chaos::default(),
            template_approval_delay: Duration::from_secs(2),
            throughput_per_second: 80,
            send_latency: Duration::ZERO,
            pair_rate: PairRate::default(),
            http_status_for_throttling: 400,
            auto_create: true,
            signup_code_ttl: Duration::from_secs(30),
            require_subscription: false,
            api_secret: None,
        }
    }
}

impl SandboxConfig {
    /// A sandbox for one Meta app, webhooks going to `webhook_url`.
    pub fn new(app_id: &str, app_secret: &str, webhook_url: Option<&str>) -> Self {
        Self {
            app_id: app_id.to_owned(),
            app_secret: app_secret.to_owned(),
            webhook_url: webhook_url.map(str::to_owned),
            ..Self::default()
        }
    }

    /// The configuration as the sandbox API shows it (never the app secret).
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "webhook_url": self.webhook_url,
            "app_id": self.app_id,
            "public_url": self.public_url,
            "status_delays_ms": {
                "sent": millis(self.status_delays.0),
                "delivered": millis(self.status_delays.1),
                "read": millis(self.status_delays.2),
            },
            "chaos": {
                "drop_rate": self.chaos.drop_rate,
                "duplicate_rate": self.chaos.duplicate_rate,
                "reorder": self.chaos.reorder,
                "fail_rate": self.chaos.fail_rate,
            },
            "template_approval_delay_ms": millis(self.template_approval_delay),
            "throughput_per_second": self.throughput_per_second,
            "send_latency_ms": millis(self.send_latency),
            "pair_rate": { "burst": self.pair_rate.burst, "every_ms": millis(self.pair_rate.every) },
            "http_status_for_throttling": self.http_status_for_throttling,
            "auto_create": self.auto_create,
            "signup_code_ttl_ms": millis(self.signup_code_ttl),
            "require_subscription": self.require_subscription,
        })
    }

    /// Applies a `POST /sandbox/config` body; fields left out stay as they are.
    pub(crate) fn apply(&mut self, patch: ConfigPatch) -> Result<(), String> {
        if let Some(url) = patch.webhook_url {
            self.webhook_url = url.filter(|u| !u.is_empty());
        }
        if let Some(d) = patch.status_delays_ms {
            let (sent, delivered, read) = self.status_delays;
            self.status_delays = (
                d.sent.map_or(sent, Duration::from_millis),
                d.delivered.map_or(delivered, Duration::from_millis),
                d.read.map_or(read, Duration::from_millis),
            );
        }
        if let Some(c) = patch.chaos {
            for rate in [c.drop_rate, c.duplicate_rate, c.fail_rate]
                .into_iter()
                .flatten()
            {
                if !(0.0..=1.0).contains(&rate) {
                    return Err("chaos rates are between 0 and 1".to_owned());
                }
            }
            self.chaos = Chaos {
                drop_rate: c.drop_rate.unwrap_or(self.chaos.drop_rate),
                duplicate_rate: c.duplicate_rate.unwrap_or(self.chaos.duplicate_rate),
                reorder: c.reorder.unwrap_or(self.chaos.reorder),
                fail_rate: c.fail_rate.unwrap_or(self.chaos.fail_rate),
            };
        }
        if let Some(ms) = patch.template_approval_delay_ms {
            self.template_approval_delay = Duration::from_millis(ms);
        }
        if let Some(n) = patch.throughput_per_second {
            if n == 0 {
                return Err("throughput_per_second must be at least 1".to_owned());
            }
            self.throughput_per_second = n;
        }
        if let Some(ms) = patch.send_latency_ms {
            if ms > MAX_SEND_LATENCY_MS {
                return Err(format!("send_latency_ms is at most {MAX_SEND_LATENCY_MS}"));
            }
            self.send_latency = Duration::from_millis(ms);
        }
        if let Some(p) = patch.pair_rate {
            if p.burst == Some(0) {
                return Err("pair_rate.burst must be at least 1".to_owned());
            }
            self.pair_rate = PairRate {
                burst: p.burst.unwrap_or(self.pair_rate.burst),
                every: p
                    .every_ms
                    .map_or(self.pair_rate.every, Duration::from_millis),
            };
        }
        if let Some(status) = patch.http_status_for_throttling {
            if status != 400 && status != 429 {
                return Err("http_status_for_throttling is 400 or 429".to_owned());
            }
            self.http_status_for_throttling = status;
        }
        if let Some(v) = patch.auto_create {
            self.auto_create = v;
        }
        if let Some(ms) = patch.signup_code_ttl_ms {
            self.signup_code_ttl = Duration::from_millis(ms);
        }
        if let Some(v) = patch.require_subscription {
            self.require_subscription = v;
        }
        Ok(())
    }
}

/// Longer than any answer of Meta's and than a client's usual timeout.
const MAX_SEND_LATENCY_MS: u64 = 60_000;

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Imperfections applied to status webhooks. Rates are probabilities between 0 and 1.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Chaos {
    /// A status webhook is never sent.
    pub drop_rate: f64,
    /// A status webhook is sent twice.
    pub duplicate_rate: f64,
    /// `read` is sent before `delivered`.
    pub reorder: bool,
    /// A message fails after `sent` with 131026 (undeliverable).
    pub fail_rate: f64,
}

/// Meta's pair rate: one message every `every` to the same customer, with bursts of `burst`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PairRate {
    pub burst: u32,
    pub every: Duration,
}

impl Default for PairRate {
    fn default() -> Self {
        Self {
            burst: 45,
            every: Duration::from_secs(6),
        }
    }
}

/// The body of `POST /sandbox/config`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConfigPatch {
    #[serde(default, with = "double_option")]
    webhook_url: Option<Option<String>>,
    status_delays_ms: Option<DelaysPatch>,
    chaos: Option<ChaosPatch>,
    template_approval_delay_ms: Option<u64>,
    throughput_per_second: Option<u32>,
    send_latency_ms: Option<u64>,
    pair_rate: Option<PairRatePatch>,
    http_status_for_throttling: Option<u16>,
    auto_create: Option<bool>,
    signup_code_ttl_ms: Option<u64>,
    require_subscription: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DelaysPatch {
    sent: Option<u64>,
    delivered: Option<u64>,
    read: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChaosPatch {
    drop_rate: Option<f64>,
    duplicate_rate: Option<f64>,
    reorder: Option<bool>,
    fail_rate: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PairRatePatch {
    burst: Option<u32>,
    every_ms: Option<u64>,
}

/// `"webhook_url": null` clears the URL; leaving the key out keeps it.
mod double_option {
    use serde::{Deserialize, Deserializer};

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Option<String>>, D::Error> {
        Option::<String>::deserialize(d).map(Some)
    }
}
