//! The local OpenID Connect provider (`dev/oidc`, the npm package `oidc-provider` set up
//! like our Keycloak realm), started once per test process, and real tokens from it.

use std::{
    io::{BufRead, BufReader},
    path::PathBuf,
    process::{Child, Command, Stdio},
    sync::Mutex,
    time::Duration,
};

use anyhow::{Context, bail};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;

pub const PASSWORD: &str = "wagent-demo";
pub const REDIRECT_URI: &str = "http://localhost:8080/auth/callback";

pub struct Provider {
    pub issuer: String,
    child: Mutex<Child>,
}

impl Drop for Provider {
    fn drop(&mut self) {
        if let Ok(mut c) = self.child.lock() {
            let _ = c.kill();
        }
    }
}

static PROVIDER: OnceCell<Provider> = OnceCell::const_new();

/// The provider for this test process (started on a free port on first use).
pub async fn provider() -> anyhow::Result<&'static Provider> {
    PROVIDER.get_or_try_init(|| start(None)).await
}

impl Provider {
    /// A provider of the caller's own whose access tokens last `seconds`, for tests of what
    /// happens when a sign-in expires; stopped when dropped.
    pub async fn with_token_lifetime(seconds: u32) -> anyhow::Result<Provider> {
        start(Some(seconds)).await
    }
}

async fn start(token_lifetime: Option<u32>) -> anyhow::Result<Provider> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../dev/oidc");
    if !dir.join("node_modules").exists() {
        bail!("the local OIDC provider is not installed: run `npm ci` in dev/oidc");
    }
    tokio::task::spawn_blocking(move || {
        let mut command = Command::new("node");
        if let Some(seconds) = token_lifetime {
            command.env("OIDC_ACCESS_TOKEN_TTL", seconds.to_string());
        }
        let mut child = command
            .arg("server.mjs")
            .current_dir(&dir)
            .env("OIDC_PORT", "0")
            .env("OIDC_ISSUER", "http://localhost:{port}")
            .env("OIDC_REDIRECT_URIS", REDIRECT_URI)
            .env("OIDC_EXIT_WITH_PID", std::process::id().to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("starting node dev/oidc/server.mjs")?;
        let stdout = child.stdout.take().context("no stdout")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let ready: serde_json::Value =
            serde_json::from_str(&line).with_context(|| format!("unexpected output: {line}"))?;
        let issuer = ready["issuer"].as_str().context("no issuer")?.to_owned();
        // Keep the process group alive beyond a panicking test; killed on drop otherwise.
        Ok(Provider {
            issuer,
            child: Mutex::new(child),
        })
    })
    .await?
}

impl Provider {
    /// Signs `user` in through the real authorization-code + PKCE flow, as a browser would,
    /// and returns the access token.
    pub async fn access_token(&self, user: &str) -> anyhow::Result<String> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()?;
        let discovery: serde_json::Value = http
            .get(format!("{}/.well-known/openid-configuration", self.issuer))
            .send()
            .await?
            .json()
            .await?;
        let auth = discovery["authorization_endpoint"]
            .as_str()
            .context("no authorization_endpoint")?;
        let token_endpoint = discovery["token_endpoint"]
            .as_str()
            .context("no token_endpoint")?;
        let verifier = URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>());
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        let mut url = url::Url::parse(auth)?;
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", "wagent-spa")
            .append_pair("redirect_uri", REDIRECT_URI)
            .append_pair("scope", "openid profile email")
            .append_pair("state", "s")
            .append_pair("nonce", "n")
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256");
        let mut cookies: Vec<(String, String)> = Vec::new();
        let mut next = url.to_string();
        let mut posted = false;
        for _ in 0..12 {
            let request = if !posted && next.contains("/interaction/") {
                posted = true;
                form(
                    http.post(&next),
                    &[("username", user), ("password", PASSWORD)],
                )
            } else {
                http.get(&next)
            };
            let response = request
                .header("cookie", cookie_header(&cookies))
                .send()
                .await?;
            for value in response.headers().get_all("set-cookie") {
                if let Some((name, rest)) = value.to_str()?.split_once('=') {
                    let value = rest.split(';').next().unwrap_or("").to_owned();
                    cookies.retain(|(n, _)| n != name);
                    cookies.push((name.to_owned(), value));
                }
            }
            let Some(location) = response.headers().get("location") else {
                bail!(
                    "sign-in of {user} stopped at {next} with {}",
                    response.status()
                );
            };
            let location = url::Url::parse(&next)?
                .join(location.to_str()?)?
                .to_string();
            if location.starts_with(REDIRECT_URI) {
                let code = url::Url::parse(&location)?
                    .query_pairs()
                    .find(|(k, _)| k == "code")
                    .map(|(_, v)| v.into_owned())
                    .context("no code in the callback")?;
                let tokens: serde_json::Value = form(
                    http.post(token_endpoint),
                    &[
                        ("grant_type", "authorization_code"),
                        ("code", &code),
                        ("redirect_uri", REDIRECT_URI),
                        ("client_id", "wagent-spa"),
                        ("code_verifier", &verifier),
                    ],
                )
                .send()
                .await?
                .json()
                .await?;
                return tokens["access_token"]
                    .as_str()
                    .map(str::to_owned)
                    .with_context(|| format!("no access token: {tokens}"));
            }
            next = location;
        }
        bail!("too many redirects signing in {user}")
    }
}

fn form(request: reqwest::RequestBuilder, pairs: &[(&str, &str)]) -> reqwest::RequestBuilder {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    request
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
}

fn cookie_header(cookies: &[(String, String)]) -> String {
    cookies
        .iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("; ")
}
