//! Meta's error shapes: the Graph error body of an HTTP reply and the error object of a
//! webhook.

use poem::{IntoResponse, Response, http::StatusCode};
use serde_json::{Value, json};

use crate::webhook::to_meta_json;

/// Why the sandbox could not start.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("the listener has no TCP address")]
    NoAddress,
}

/// An error answered in Meta's Graph shape:
/// `{"error":{"message":"(#code) title","type","code","error_subcode"?,"error_data","fbtrace_id"}}`.
#[derive(Debug, Clone)]
pub(crate) struct GraphError {
    pub status: StatusCode,
    pub code: i64,
    pub subcode: Option<i64>,
    pub title: String,
    pub details: Option<String>,
    /// OAuth errors of the code exchange carry no `(#code)` prefix and no `error_data`.
    pub bare: bool,
}

impl GraphError {
    pub fn new(status: StatusCode, code: i64, title: impl Into<String>) -> Self {
        Self {
            status,
            code,
            subcode: None,
            title: title.into(),
            details: None,
            bare: false,
        }
    }

    pub fn details(mut self, details: impl Into<String>) -> Self {
        self.details = Some(details.into());
        self
    }

    pub fn subcode(mut self, subcode: i64) -> Self {
        self.subcode = Some(subcode);
        self
    }

    pub fn bare(mut self) -> Self {
        self.bare = true;
        self
    }

    /// 100: the catch-all for a body Meta refuses.
    pub fn invalid_parameter(details: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, 100, "Invalid parameter").details(details)
    }

    /// 190: no usable access token.
    pub fn unauthenticated(details: impl Into<String>) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            190,
            "Invalid OAuth access token - Cannot parse access token",
        )
        .details(details)
    }

    /// 100/33: Graph's answer for an id that is not there or not for this call.
    pub fn unknown_object(method: &str, id: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            100,
            format!(
                "Unsupported {} request. Object with ID '{id}' does not exist, cannot be loaded \
                 due to missing permissions, or does not support this operation. Please read the \
                 Graph API documentation at https://developers.facebook.com/docs/graph-api",
                method.to_ascii_lowercase()
            ),
        )
        .subcode(33)
    }

    /// 2500: a path Graph does not know.
    pub fn unknown_path(path: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            2500,
            format!("Unknown path components: /{path}"),
        )
    }

    pub fn body(&self) -> Value {
        let message = if self.bare {
            self.title.clone()
        } else {
            format!("(#{}) {}", self.code, self.title)
        };
        let mut error = json!({
            "message": message,
            "type": "OAuthException",
            "code": self.code,
            "fbtrace_id": fbtrace_id(),
        });
        if let Some(subcode) = self.subcode {
            error["error_subcode"] = json!(subcode);
        }
        if !self.bare {
            error["error_data"] = json!({
                "messaging_product": "whatsapp",
                "details": self.details.clone().unwrap_or_else(|| self.title.clone()),
            });
        }
        json!({ "error": error })
    }
}

impl IntoResponse for GraphError {
    fn into_response(self) -> Response {
        let status = self.status;
        json_response(status, &self.body())
    }
}

/// A JSON reply serialised the way Meta writes it (non-ASCII escaped).
pub(crate) fn json_response(status: StatusCode, body: &Value) -> Response {
    Response::builder()
        .status(status)
        .content_type("application/json; charset=UTF-8")
        .body(to_meta_json(body))
}

/// Meta's `fbtrace_id`: an opaque id for support tickets.
fn fbtrace_id() -> String {
    use rand::{Rng, distr::Alphanumeric};
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(11)
        .map(char::from)
        .collect()
}

/// The error object of a `failed` status or an `unsupported` message:
/// `{code, title, message, error_data:{details}, href}`.
pub(crate) fn webhook_error(code: i64) -> Value {
    let (title, details) = match code {
        131047 => (
            "Re-engagement message",
            "Message failed to send because more than 24 hours have passed since the customer \
             last replied to this number.",
        ),
        131026 => (
            "Message undeliverable",
            "Message Undeliverable: the recipient is not on WhatsApp, uses an old client or has \
             not accepted the terms.",
        ),
        131009 => (
            "Parameter value is not valid",
            "The reaction's target message is unknown, too old, deleted or itself a reaction.",
        ),
        131051 => (
            "Message type unknown",
            "Message type is currently not supported.",
        ),
        131053 => (
            "Media upload error",
            "The media could not be fetched from the link.",
        ),
        131049 => (
            "This message was not delivered to maintain healthy ecosystem engagement.",
            "In order to maintain a healthy ecosystem engagement, the message failed to be \
             delivered.",
        ),
        131050 => (
            "Unable to deliver the message. This recipient has chosen to stop receiving \
             marketing messages on WhatsApp from your business.",
            "The user has stopped marketing messages from this business.",
        ),
        137000 => (
            "Identity key hash mismatch",
            "Message failed to send because the recipient's identity key changed.",
        ),
        _ => ("Something went wrong", "Unknown error."),
    };
    json!({
        "code": code,
        "title": title,
        "message": title,
        "error_data": { "details": details },
        "href": "https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/",
    })
}
