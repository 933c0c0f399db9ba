//! Everything the sandbox knows, in memory: businesses, WABAs, numbers, templates, media,
//! messages both ways, customer-service windows, rate counters, signup codes and tokens.

use std::{
    collections::{HashMap, VecDeque, hash_map::Entry},
    ops::Deref,
    time::Instant,
};

use chrono::{DateTime, Utc};
use rand::Rng;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::{config::SandboxConfig, templates::Template, webhook::WebhookRecord};

/// Kept in the webhook log for `GET /sandbox/webhooks`.
const WEBHOOK_LOG: usize = 500;
/// Messages kept per direction; the oldest go first.
const MESSAGES_KEPT: usize = 20_000;
/// The name of a business nobody named.
pub(crate) const DEFAULT_BUSINESS: &str = "Sandbox Business";

pub(crate) struct State {
    pub config: SandboxConfig,
    pub businesses: HashMap<String, Business>,
    pub wabas: HashMap<String, Waba>,
    pub numbers: HashMap<String, PhoneNumber>,
    pub media: HashMap<String, Media>,
    /// Download tokens of media URLs → (media id, expiry).
    pub media_urls: HashMap<String, (String, Instant)>,
    pub sent: Recent<SentMessage>,
    pub inbound: Recent<InboundMessage>,
    /// (phone number id, customer wa_id) → the customer's last message.
    pub windows: HashMap<(String, String), DateTime<Utc>>,
    /// Phone number id → send instants within the last second.
    pub throughput: HashMap<String, VecDeque<Instant>>,
    /// Sends refused with 130429 (over the throughput), since the start.
    pub throttled: u64,
    /// (phone number id, customer wa_id) → pair-rate bucket.
    pub pair_buckets: HashMap<(String, String), PairBucket>,
    pub signup_codes: HashMap<String, SignupCode>,
    pub tokens: HashMap<String, IssuedToken>,
    /// Bearer token → the business it stands for when the sandbox makes ids up.
    pub token_businesses: HashMap<String, TokenBusiness>,
    pub webhook_log: VecDeque<WebhookRecord>,
    /// Business-scoped user id → the customer it stands for (see [`State::customer`]).
    pub customers: HashMap<String, Customer>,
    /// Resumable Upload sessions (`upload:...`) for template media examples.
    pub uploads: HashMap<String, crate::graph::Upload>,
    /// Answers asked for through `POST /sandbox/faults`, in the order given.
    pub faults: Vec<crate::faults::Fault>,
    seq: u64,
    numbers_made: u32,
}

pub(crate) struct Business {
    pub id: String,
    pub name: String,
}

pub(crate) struct Waba {
    pub id: String,
    pub business_id: String,
    pub name: String,
    pub namespace: String,
    pub subscription: Option<Subscription>,
    pub templates: Vec<Template>,
    pub template_creations: VecDeque<Instant>,
    /// Made up on first sight (`auto_create`): it may take its token's provisional numbers.
    /// Explicitly created WABAs never do.
    pub auto: bool,
    /// Made up only to hold provisional numbers, and never named since: it disappears when
    /// they move out.
    pub placeholder: bool,
}

#[derive(Clone)]
pub(crate) struct Subscription {
    pub override_callback_uri: Option<String>,
}

pub(crate) struct PhoneNumber {
    pub id: String,
    pub waba_id: String,
    /// Formatted, as Graph shows it: `+1 201-555-0123`.
    pub display_phone_number: String,
    pub verified_name: String,
    pub quality_rating: String,
    pub status: String,
    pub code_verification_status: String,
    pub name_status: String,
    pub throughput_level: String,
    pub messaging_limit_tier: String,
    pub registered: bool,
    pub pin: Option<String>,
    pub register_attempts: VecDeque<Instant>,
    pub profile: Map<String, Value>,
    /// Made up on first sight and not yet settled in a WABA its token named: the next
    /// made-up WABA its token names takes it (see the crate docs).
    pub provisional: bool,
    /// The token a made-up number was made up for or first asked about by; `None` for
    /// explicit numbers and for numbers the sandbox API made up until a token asks.
    pub auto_token: Option<String>,
}

impl PhoneNumber {
    /// Digits only, as webhooks' `metadata.display_phone_number` carries it.
    pub fn display_digits(&self) -> String {
        digits(&self.display_phone_number)
    }

    /// Every field Graph has for a number; `GET /{pn}?fields=` picks from these.
    pub fn fields(&self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("id".into(), json!(self.id));
        m.insert(
            "display_phone_number".into(),
            json!(self.display_phone_number),
        );
        m.insert("verified_name".into(), json!(self.verified_name));
        m.insert("quality_rating".into(), json!(self.quality_rating));
        m.insert(
            "code_verification_status".into(),
            json!(self.code_verification_status),
        );
        m.insert("name_status".into(), json!(self.name_status));
        m.insert("new_name_status".into(), json!("NONE"));
        m.insert("status".into(), json!(self.status));
        m.insert("platform_type".into(), json!("CLOUD_API"));
        m.insert(
            "throughput".into(),
            json!({ "level": self.throughput_level }),
        );
        m.insert(
            "messaging_limit_tier".into(),
            json!(self.messaging_limit_tier),
        );
        m.insert(
            "whatsapp_business_manager_messaging_limit".into(),
            json!("TIER_2K"),
        );
        m.insert("account_mode".into(), json!("LIVE"));
        m.insert("is_official_business_account".into(), json!(false));
        m.insert("is_pin_enabled".into(), json!(self.pin.is_some()));
        m.insert(
            "last_onboarded_time".into(),
            json!("2025-01-01T00:00:00+0000"),
        );
        // The rest of Graph's WhatsAppBusinessPhoneNumber fields, so asking never fails.
        m.insert(
            "quality_score".into(),
            json!({ "score": self.quality_rating, "date": Utc::now().timestamp() }),
        );
        let can_send = if self.registered && self.status == "CONNECTED" {
            "AVAILABLE"
        } else {
            "BLOCKED"
        };
        m.insert(
            "health_status".into(),
            json!({
                "can_send_message": can_send,
                "entities": [{ "entity_type": "PHONE_NUMBER", "id": self.id, "can_send_message": can_send }],
            }),
        );
        m.insert("country_code".into(), json!("US"));
        m.insert("country_dial_code".into(), json!("1"));
        m.insert("is_on_biz_app".into(), json!(false));
        m.insert("is_preverified_number".into(), json!(false));
        m.insert(
            "conversational_automation".into(),
            json!({ "id": self.id, "enable_welcome_message": false, "prompts": [], "commands": [] }),
        );
        m.insert("certificate".into(), json!(""));
        m.insert("new_certificate".into(), json!(""));
        m.insert(
            "eligibility_for_api_business_global_search".into(),
            json!("NON_ELIGIBLE_UNDEFINED_COUNTRY"),
        );
        m.insert("search_visibility".into(), json!("NON_VISIBLE"));
        m.insert("webhook_configuration".into(), json!({ "application": "" }));
        m
    }

    /// The fields Graph answers when no `fields` is asked for.
    pub const DEFAULT_FIELDS: &'static [&'static str] = &[
        "verified_name",
        "code_verification_status",
        "display_phone_number",
        "quality_rating",
        "platform_type",
        "throughput",
        "id",
    ];
}

pub(crate) struct Media {
    pub id: String,
    pub phone_number_id: String,
    pub mime_type: String,
    pub bytes: Vec<u8>,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
    pub filename: Option<String>,
}

/// A message the business sent, with what the sandbox did with it.
pub(crate) struct SentMessage {
    pub id: String,
    pub seq: u64,
    pub phone_number_id: String,
    /// The customer's key: the wa_id, or the user id of a customer without a phone.
    pub to: String,
    pub user_id: String,
    pub kind: String,
    pub request: Value,
    pub category: String,
    pub statuses: Vec<Value>,
    /// When the sandbox accepted it, in milliseconds since the Unix epoch.
    pub accepted_ms: i64,
}

impl SentMessage {
    pub fn to_json(&self) -> Value {
        let status = self
            .statuses
            .iter()
            .filter_map(|s| s["status"].as_str())
            .max_by_key(|s| status_rank(s))
            .unwrap_or("accepted");
        json!({
            "id": self.id,
            "phone_number_id": self.phone_number_id,
            "to": self.to,
            "user_id": self.user_id,
            "type": self.kind,
            "category": self.category,
            "status": status,
            "statuses": self.statuses,
            "request": self.request,
            "timestamp": self.accepted_ms.div_euclid(1_000).to_string(),
        })
    }
}

/// Never downgrade: a late `delivered` after `read` leaves the message read.
fn status_rank(status: &str) -> u8 {
    match status {
        "sent" => 1,
        "delivered" => 2,
        "read" => 3,
        "failed" => 4,
        _ => 0,
    }
}

/// A message a simulated customer wrote.
pub(crate) struct InboundMessage {
    pub id: String,
    pub seq: u64,
    pub phone_number_id: String,
    /// The customer's key: the wa_id, or the user id of a customer without a phone.
    pub from: String,
    pub user_id: String,
    pub message: Value,
    pub read: bool,
}

impl InboundMessage {
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "phone_number_id": self.phone_number_id,
            "from": self.from,
            "user_id": self.user_id,
            "read": self.read,
            "message": self.message,
        })
    }
}

/// A simulated WhatsApp user as one business sees them: Meta's business-scoped user id
/// (BSUID, in force since 2026-03-31), and a phone number, a username or both.
#[derive(Clone, Debug)]
pub(crate) struct Customer {
    pub user_id: String,
    pub business_id: String,
    pub wa_id: Option<String>,
    pub username: Option<String>,
}

impl Customer {
    /// What windows, pair rates and message lists key the customer by: the phone number's
    /// digits, or the user id when there is no phone.
    pub fn key(&self) -> String {
        self.wa_id.clone().unwrap_or_else(|| self.user_id.clone())
    }

    /// A webhook's `contacts[]` entry: `wa_id` only for a customer with a phone.
    pub fn contact(&self, name: Option<&str>) -> Value {
        let mut contact = json!({ "user_id": self.user_id });
        if let Some(wa_id) = &self.wa_id {
            contact["wa_id"] = json!(wa_id);
        }
        let mut profile = serde_json::Map::new();
        if let Some(name) = name {
            profile.insert("name".into(), json!(name));
        }
        if let Some(username) = &self.username {
            profile.insert("username".into(), json!(username));
        }
        if !profile.is_empty() {
            contact["profile"] = Value::Object(profile);
        }
        contact
    }
}

pub(crate) struct PairBucket {
    pub tokens: f64,
    pub at: Instant,
}

pub(crate) struct SignupCode {
    pub issued: Instant,
    pub used: bool,
    pub business_id: String,
    pub waba_id: String,
}

/// The made-up business a Bearer token stands for (see the crate docs).
pub(crate) struct TokenBusiness {
    /// The business of the token's Embedded Signup, or one made up for the token.
    pub business_id: String,
    /// The made-up WABA of this business the token named last: its new numbers go there.
    pub current_waba: Option<String>,
    /// Where its new numbers wait while it has named no WABA.
    pub placeholder: Option<String>,
}

pub(crate) struct IssuedToken {
    pub business_id: String,
    pub waba_ids: Vec<String>,
    pub issued_at: i64,
}

impl State {
    pub fn new(config: SandboxConfig) -> Self {
        Self {
            config,
            businesses: HashMap::new(),
            wabas: HashMap::new(),
            numbers: HashMap::new(),
            media: HashMap::new(),
            media_urls: HashMap::new(),
            sent: Recent::new(MESSAGES_KEPT),
            inbound: Recent::new(MESSAGES_KEPT),
            windows: HashMap::new(),
            throughput: HashMap::new(),
            throttled: 0,
            pair_buckets: HashMap::new(),
            signup_codes: HashMap::new(),
            tokens: HashMap::new(),
            token_businesses: HashMap::new(),
            webhook_log: VecDeque::new(),
            customers: HashMap::new(),
            uploads: HashMap::new(),
            faults: Vec::new(),
            seq: 0,
            numbers_made: 0,
        }
    }

    /// The business a number belongs to (through its WABA).
    pub fn business_of(&self, pn_id: &str) -> String {
        self.numbers
            .get(pn_id)
            .and_then(|n| self.wabas.get(&n.waba_id))
            .map(|w| w.business_id.clone())
            .unwrap_or_default()
    }

    /// The customer with this phone (`wa_id`) or, without one, this username, as the
    /// business sees them. The user id is derived from the business and the customer, so
    /// it is stable and differs from business to business, as Meta's are.
    pub fn customer(
        &mut self,
        business_id: &str,
        wa_id: Option<&str>,
        username: Option<&str>,
    ) -> Customer {
        let key = match (wa_id, username) {
            (Some(w), _) => format!("wa:{w}"),
            (None, Some(u)) => format!("u:{}", u.trim_start_matches('@').to_lowercase()),
            (None, None) => "anonymous".to_owned(),
        };
        let digest = Sha256::digest(format!("{business_id}/{key}").as_bytes());
        let mut n = [0u8; 8];
        n.copy_from_slice(&digest[..8]);
        // 19 or 20 digits after the country, as Meta's examples have.
        let number = u64::from_be_bytes(n) | (1 << 63);
        let user_id = format!("{}.{number}", country_of(wa_id));
        let customer = self
            .customers
            .entry(user_id.clone())
            .or_insert_with(|| Customer {
                user_id,
                business_id: business_id.to_owned(),
                wa_id: wa_id.map(str::to_owned),
                username: None,
            });
        if let Some(u) = username {
            customer.username = Some(format!("@{}", u.trim_start_matches('@')));
        }
        customer.clone()
    }

    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// A business, its WABA (seeded with the two sample templates) and one number.
    /// Ids left out are made up.
    pub fn create_account(
        &mut self,
        waba_id: Option<String>,
        phone_number_id: Option<String>,
        business_name: Option<String>,
        registered: bool,
    ) -> (String, String, String) {
        let business_id = graph_id();
        let name = business_name.unwrap_or_else(|| DEFAULT_BUSINESS.to_owned());
        self.businesses.insert(
            business_id.clone(),
            Business {
                id: business_id.clone(),
                name: name.clone(),
            },
        );
        let waba_id = waba_id.unwrap_or_else(graph_id);
        self.insert_waba(&waba_id, &business_id, &name);
        let pn_id = phone_number_id.unwrap_or_else(graph_id);
        self.insert_number(&pn_id, &waba_id, &name, registered);
        (business_id, waba_id, pn_id)
    }

    fn insert_waba(&mut self, waba_id: &str, business_id: &str, name: &str) {
        let mut templates = Template::seeds(waba_id);
        for t in &mut templates {
            t.seq = self.next_seq();
        }
        self.wabas.insert(
            waba_id.to_owned(),
            Waba {
                id: waba_id.to_owned(),
                business_id: business_id.to_owned(),
                name: name.to_owned(),
                namespace: uuid::Uuid::new_v4().simple().to_string().replace('-', "_"),
                subscription: None,
                templates,
                template_creations: VecDeque::new(),
                auto: false,
                placeholder: false,
            },
        );
    }

    /// Adds a number to an existing WABA.
    pub fn insert_number(&mut self, pn_id: &str, waba_id: &str, name: &str, registered: bool) {
        let n = self.numbers_made;
        self.numbers_made += 1;
        // 201-555-01xx…: valid North American numbers (the plan's own example is one).
        let display = format!("+1 201-555-{:04}", 100 + n % 9900);
        let mut profile = Map::new();
        profile.insert("about".into(), json!("Trying WAgent in the sandbox."));
        profile.insert("address".into(), json!(""));
        profile.insert("description".into(), json!(""));
        profile.insert("email".into(), json!(""));
        profile.insert("websites".into(), json!([]));
        profile.insert("vertical".into(), json!("OTHER"));
        profile.insert("profile_picture_url".into(), json!(""));
        self.numbers.insert(
            pn_id.to_owned(),
            PhoneNumber {
                id: pn_id.to_owned(),
                waba_id: waba_id.to_owned(),
                display_phone_number: display,
                verified_name: name.to_owned(),
                quality_rating: "GREEN".to_owned(),
                status: "CONNECTED".to_owned(),
                code_verification_status: "VERIFIED".to_owned(),
                name_status: "APPROVED".to_owned(),
                throughput_level: "STANDARD".to_owned(),
                messaging_limit_tier: "TIER_1K".to_owned(),
                registered,
                pin: None,
                register_attempts: VecDeque::new(),
                profile,
                provisional: false,
                auto_token: None,
            },
        );
    }

    /// Whether `id` can be a WABA or number the sandbox makes up on first sight: not a
    /// media or template id (those it issued itself), and shaped like a Graph id.
    fn may_auto_create(&self, id: &str) -> bool {
        self.config.auto_create
            && !is_media_id(id)
            && !is_template_id(id)
            && !id.is_empty()
            && id.len() <= 64
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    }

    /// The number with this id, made up on first sight when `auto_create` is on. `token` is
    /// the caller's Bearer token (`None` from the sandbox API): a made-up number joins the
    /// token's business, as the crate docs tell.
    pub fn number(&mut self, id: &str, token: Option<&str>) -> Option<&mut PhoneNumber> {
        if self.numbers.contains_key(id) {
            if let Some(token) = token {
                self.claim(id, token);
            }
        } else if !self.wabas.contains_key(id) && self.may_auto_create(id) {
            match token {
                Some(token) => self.auto_number(id, token),
                None => self.lone_number(id),
            }
        }
        self.numbers.get_mut(id)
    }

    /// The WABA with this id, made up on first sight when `auto_create` is on. Named by a
    /// token, a made-up WABA of the token's business becomes its current WABA and takes its
    /// provisional numbers; a WABA made up with none to take gets a number of its own.
    pub fn waba(&mut self, id: &str, token: Option<&str>) -> Option<&mut Waba> {
        let mut made = false;
        if !self.wabas.contains_key(id)
            && !self.numbers.contains_key(id)
            && self.may_auto_create(id)
        {
            made = true;
            match token {
                Some(token) => {
                    let business_id = self.token_business(token).business_id.clone();
                    let name = self.business_name(&business_id);
                    self.insert_waba(id, &business_id, &name);
                    if let Some(w) = self.wabas.get_mut(id) {
                        w.auto = true;
                    }
                }
                None => {
                    self.create_account(Some(id.to_owned()), None, None, true);
                    if let Some(w) = self.wabas.get_mut(id) {
                        w.auto = true;
                    }
                }
            }
        }
        if let Some(token) = token {
            self.named(id, token);
        }
        if made && self.numbers_of(id).is_empty() {
            let name = self
                .wabas
                .get(id)
                .map(|w| w.name.clone())
                .unwrap_or_default();
            self.insert_number(&graph_id(), id, &name, true);
        }
        self.wabas.get_mut(id)
    }

    /// The business `token` stands for, made the first time it is needed: the token's
    /// Embedded Signup business, or a new one.
    fn token_business(&mut self, token: &str) -> &mut TokenBusiness {
        match self.token_businesses.entry(token.to_owned()) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => {
                let business_id = match self.tokens.get(token) {
                    Some(issued) => issued.business_id.clone(),
                    None => {
                        let id = graph_id();
                        self.businesses.insert(
                            id.clone(),
                            Business {
                                id: id.clone(),
                                name: DEFAULT_BUSINESS.to_owned(),
                            },
                        );
                        id
                    }
                };
                e.insert(TokenBusiness {
                    business_id,
                    current_waba: None,
                    placeholder: None,
                })
            }
        }
    }

    fn business_name(&self, business_id: &str) -> String {
        self.businesses
            .get(business_id)
            .map_or_else(|| DEFAULT_BUSINESS.to_owned(), |b| b.name.clone())
    }

    /// A number first asked about by `token`: provisional, in the token's current WABA, or
    /// in its placeholder WABA while it has named none.
    fn auto_number(&mut self, id: &str, token: &str) {
        let waba_id = self.home_waba(token);
        let name = self
            .wabas
            .get(&waba_id)
            .map_or_else(|| DEFAULT_BUSINESS.to_owned(), |w| w.name.clone());
        self.insert_number(id, &waba_id, &name, true);
        if let Some(n) = self.numbers.get_mut(id) {
            n.provisional = true;
            n.auto_token = Some(token.to_owned());
        }
    }

    /// A number the sandbox API asked about, with no token to tell whose it is: a business
    /// and placeholder WABA of its own, until a token asks about it.
    fn lone_number(&mut self, id: &str) {
        let (_, waba_id, _) = self.create_account(None, Some(id.to_owned()), None, true);
        if let Some(w) = self.wabas.get_mut(&waba_id) {
            w.auto = true;
            w.placeholder = true;
        }
        if let Some(n) = self.numbers.get_mut(id) {
            n.provisional = true;
        }
    }

    /// Where `token`'s new numbers go: its current WABA, else its placeholder (made now if
    /// it has none).
    fn home_waba(&mut self, token: &str) -> String {
        let tb = self.token_business(token);
        let (business_id, current, placeholder) = (
            tb.business_id.clone(),
            tb.current_waba.clone(),
            tb.placeholder.clone(),
        );
        if let Some(w) = current.filter(|w| self.wabas.contains_key(w)) {
            return w;
        }
        if let Some(p) = placeholder.filter(|p| self.wabas.get(p).is_some_and(|w| w.placeholder)) {
            return p;
        }
        let p = graph_id();
        let name = self.business_name(&business_id);
        self.insert_waba(&p, &business_id, &name);
        if let Some(w) = self.wabas.get_mut(&p) {
            w.auto = true;
            w.placeholder = true;
        }
        self.token_business(token).placeholder = Some(p.clone());
        p
    }

    /// `token` asks about an existing number: one the sandbox API made up becomes the
    /// token's provisional number, moved into its current WABA if it has one.
    fn claim(&mut self, id: &str, token: &str) {
        let Some(n) = self.numbers.get_mut(id) else {
            return;
        };
        if !n.provisional || n.auto_token.is_some() {
            return;
        }
        n.auto_token = Some(token.to_owned());
        let current = self
            .token_businesses
            .get(token)
            .and_then(|t| t.current_waba.clone())
            .filter(|w| self.wabas.contains_key(w));
        if let Some(w) = current {
            self.move_number(id, &w);
        }
    }

    /// `token` names the WABA `id`: one made up for the token's business becomes its
    /// current WABA, and the token's provisional numbers settle in it.
    fn named(&mut self, id: &str, token: &str) {
        let Some(waba) = self.wabas.get_mut(id) else {
            return;
        };
        // Its id is known now: no longer a placeholder that may quietly go.
        waba.placeholder = false;
        if !waba.auto {
            return;
        }
        match self.token_businesses.get_mut(token) {
            Some(tb) if tb.business_id == waba.business_id => {
                tb.current_waba = Some(id.to_owned());
            }
            _ => return,
        }
        let provisional: Vec<String> = self
            .numbers
            .values()
            .filter(|n| n.provisional && n.auto_token.as_deref() == Some(token))
            .map(|n| n.id.clone())
            .collect();
        for pn in provisional {
            self.move_number(&pn, id);
            if let Some(n) = self.numbers.get_mut(&pn) {
                n.provisional = false;
            }
        }
    }

    /// Moves a number to another WABA; the placeholder it leaves goes if nothing else is
    /// in it.
    fn move_number(&mut self, id: &str, waba_id: &str) {
        let Some(n) = self.numbers.get_mut(id) else {
            return;
        };
        if n.waba_id == waba_id {
            return;
        }
        let old = std::mem::replace(&mut n.waba_id, waba_id.to_owned());
        let unused = self.wabas.get(&old).is_some_and(|w| w.placeholder)
            && !self.numbers.values().any(|n| n.waba_id == old);
        if !unused {
            return;
        }
        let Some(gone) = self.wabas.remove(&old) else {
            return;
        };
        let business = gone.business_id;
        let kept = self.wabas.values().any(|w| w.business_id == business)
            || self
                .token_businesses
                .values()
                .any(|t| t.business_id == business)
            || self.tokens.values().any(|t| t.business_id == business)
            || self
                .signup_codes
                .values()
                .any(|c| c.business_id == business);
        if !kept {
            self.businesses.remove(&business);
        }
    }

    pub fn numbers_of(&self, waba_id: &str) -> Vec<&PhoneNumber> {
        let mut numbers: Vec<&PhoneNumber> = self
            .numbers
            .values()
            .filter(|n| n.waba_id == waba_id)
            .collect();
        numbers.sort_by(|a, b| a.display_phone_number.cmp(&b.display_phone_number));
        numbers
    }

    pub fn find_template(&self, id: &str) -> Option<&Template> {
        self.wabas
            .values()
            .flat_map(|w| w.templates.iter())
            .find(|t| t.id == id)
    }

    pub fn find_template_mut(&mut self, id: &str) -> Option<&mut Template> {
        self.wabas
            .values_mut()
            .flat_map(|w| w.templates.iter_mut())
            .find(|t| t.id == id)
    }

    pub fn push_sent(&mut self, message: SentMessage) {
        self.sent.insert(message.id.clone(), message);
    }

    pub fn push_inbound(&mut self, message: InboundMessage) {
        self.inbound.insert(message.id.clone(), message);
    }

    pub fn push_webhook(&mut self, record: WebhookRecord) {
        self.webhook_log.push_back(record);
        while self.webhook_log.len() > WEBHOOK_LOG {
            self.webhook_log.pop_front();
        }
    }
}

/// The latest messages by id: past the limit, each new one drops the oldest. Dropping a
/// tenth at once held the state's lock for up to 150 ms every 2,000 sends at 20,000 kept,
/// and every send meanwhile waited behind it.
pub(crate) struct Recent<T> {
    by_id: HashMap<String, T>,
    /// Ids, oldest first.
    order: VecDeque<String>,
    limit: usize,
}

impl<T> Recent<T> {
    fn new(limit: usize) -> Self {
        Self {
            by_id: HashMap::new(),
            order: VecDeque::new(),
            limit,
        }
    }

    fn insert(&mut self, id: String, message: T) {
        if self.by_id.insert(id.clone(), message).is_none() {
            self.order.push_back(id);
        }
        while self.by_id.len() > self.limit {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            self.by_id.remove(&oldest);
        }
    }

    pub fn get_mut(&mut self, id: &str) -> Option<&mut T> {
        self.by_id.get_mut(id)
    }
}

impl<T> Deref for Recent<T> {
    type Target = HashMap<String, T>;

    fn deref(&self) -> &Self::Target {
        &self.by_id
    }
}

/// A Graph-style numeric id (15 digits) for businesses, WABAs and numbers.
pub(crate) fn graph_id() -> String {
    rand::rng()
        .random_range(100_000_000_000_000u64..800_000_000_000_000)
        .to_string()
}

/// Media ids: 16 digits starting with 9, so an unknown one is recognised as media.
pub(crate) fn media_id() -> String {
    rand::rng()
        .random_range(9_000_000_000_000_000u64..10_000_000_000_000_000)
        .to_string()
}

/// Template ids: 16 digits starting with 8.
pub(crate) fn template_id() -> String {
    rand::rng()
        .random_range(8_000_000_000_000_000u64..9_000_000_000_000_000)
        .to_string()
}

pub(crate) fn is_media_id(id: &str) -> bool {
    id.len() == 16 && id.starts_with('9') && id.chars().all(|c| c.is_ascii_digit())
}

pub(crate) fn is_template_id(id: &str) -> bool {
    id.len() == 16 && id.starts_with('8') && id.chars().all(|c| c.is_ascii_digit())
}

/// The ISO country a user id starts with, from the phone's calling code (`US` without one).
fn country_of(wa_id: Option<&str>) -> &'static str {
    const CODES: &[(&str, &str)] = &[
        ("351", "PT"),
        ("1", "US"),
        ("7", "RU"),
        ("20", "EG"),
        ("27", "ZA"),
        ("33", "FR"),
        ("34", "ES"),
        ("39", "IT"),
        ("44", "GB"),
        ("49", "DE"),
        ("52", "MX"),
        ("54", "AR"),
        ("55", "BR"),
        ("57", "CO"),
        ("62", "ID"),
        ("91", "IN"),
        ("234", "NG"),
    ];
    wa_id
        .and_then(|w| CODES.iter().find(|(code, _)| w.starts_with(code)))
        .map_or("US", |(_, country)| country)
}

pub(crate) fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// A wamid: `wamid.` and base64 of the shape Meta's carry (the recipient's number and a
/// random message key), unique and under 128 characters.
pub(crate) fn wamid(wa_id: &str) -> String {
    use base64::Engine;
    let key = uuid::Uuid::new_v4().simple().to_string().to_uppercase();
    let mut raw = Vec::with_capacity(64);
    raw.extend_from_slice(&[0x1c, 0x18]);
    raw.push(u8::try_from(wa_id.len()).unwrap_or(u8::MAX));
    raw.extend_from_slice(wa_id.as_bytes());
    raw.extend_from_slice(&[0x15, 0x02, 0x00, 0x12, 0x18, 0x20]);
    raw.extend_from_slice(key.as_bytes());
    raw.push(0x00);
    format!(
        "wamid.{}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

/// A random alphanumeric string (codes, tokens).
pub(crate) fn random_token(len: usize) -> String {
    use rand::distr::Alphanumeric;
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::Recent;

    #[test]
    fn past_the_limit_each_message_drops_the_oldest_one() {
        let mut recent = Recent::new(3);
        for n in 1..=5 {
            recent.insert(format!("m{n}"), n);
        }
        assert_eq!(recent.len(), 3);
        assert!(!recent.contains_key("m1") && !recent.contains_key("m2"));
        assert_eq!([recent["m3"], recent["m4"], recent["m5"]], [3, 4, 5]);
        // The same id again replaces its message and keeps its place.
        recent.insert("m3".to_owned(), 30);
        recent.insert("m6".to_owned(), 6);
        assert!(!recent.contains_key("m3"));
        assert_eq!(recent.len(), 3);
        *recent.get_mut("m4").unwrap() = 40;
        assert_eq!(recent["m4"], 40);
    }
}
