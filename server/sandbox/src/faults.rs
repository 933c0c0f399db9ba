//! Answers Meta gives when something is wrong, on demand: `POST /sandbox/faults` makes the
//! next sends from a number (to one customer, or to anyone) fail with one of Meta's error
//! codes, or be held by template pacing, exactly as Meta answers them. Codes Meta reports
//! in the HTTP reply are answered there; the ones Meta reports later (131026, 131047,
//! 131049, 131050...) are accepted and fail in a `failed` status webhook.

use poem::http::StatusCode;

use crate::error::GraphError;

/// At most this many faults wait at once; more is a runaway client.
pub(crate) const MAX_FAULTS: usize = 1_000;

/// What the sandbox answers instead of accepting a send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Answer {
    /// Meta's error `code`, in the reply or in a `failed` status, as Meta sends it.
    Error(i64),
    /// Accepted with `message_status: "held_for_quality_assessment"`; no status follows
    /// until Meta's pacing decides, which the sandbox never does on its own.
    Held,
}

/// One waiting fault.
#[derive(Clone, Debug)]
pub(crate) struct Fault {
    pub phone_number_id: String,
    /// The customer's key (wa_id digits, or user id); `None`: every customer.
    pub to: Option<String>,
    pub answer: Answer,
    /// Sends it still applies to; `None`: until cleared.
    pub remaining: Option<u32>,
}

impl Fault {
    pub fn to_json(&self) -> serde_json::Value {
        let mut v = serde_json::json!({
            "phone_number_id": self.phone_number_id,
            "to": self.to,
            "times": self.remaining,
        });
        match self.answer {
            Answer::Error(code) => v["code"] = code.into(),
            Answer::Held => v["message_status"] = "held_for_quality_assessment".into(),
        }
        v
    }
}

/// Takes the fault that applies to a send from `pn_id` to `to`: the customer's own first,
/// then the number's. A fault used up is removed.
pub(crate) fn take(faults: &mut Vec<Fault>, pn_id: &str, to: &str) -> Option<Answer> {
    let at = faults
        .iter()
        .position(|f| f.phone_number_id == pn_id && f.to.as_deref() == Some(to))
        .or_else(|| {
            faults
                .iter()
                .position(|f| f.phone_number_id == pn_id && f.to.is_none())
        })?;
    let fault = &mut faults[at];
    let answer = fault.answer;
    if let Some(n) = &mut fault.remaining {
        *n = n.saturating_sub(1);
        if *n == 0 {
            faults.remove(at);
        }
    }
    Some(answer)
}

/// Codes Meta reports after accepting the send, in a `failed` status webhook.
pub(crate) const ASYNC_CODES: &[i64] = &[131026, 131047, 131049, 131050, 137000];

/// Meta's HTTP error for a code it answers in the reply; `None` for codes the sandbox does
/// not know (and the asynchronous ones).
pub(crate) fn reply_error(code: i64) -> Option<GraphError> {
    let bad = StatusCode::BAD_REQUEST;
    let (status, title, details) = match code {
        0 => (
            StatusCode::UNAUTHORIZED,
            "AuthException",
            "We were unable to authenticate the app user.",
        ),
        1 => (
            bad,
            "API Unknown",
            "Invalid request or possible server error.",
        ),
        2 => (
            StatusCode::SERVICE_UNAVAILABLE,
            "API Service",
            "Temporary due to downtime or due to being overloaded.",
        ),
        4 => (
            bad,
            "API Too Many Calls",
            "The app has reached its API call rate limit.",
        ),
        10 => (
            StatusCode::FORBIDDEN,
            "Permission Denied",
            "Permission is either not granted or has been removed.",
        ),
        100 => (
            bad,
            "Invalid parameter",
            "The request included one or more unsupported or misspelled parameters.",
        ),
        190 => {
            return Some(
                GraphError::new(
                    StatusCode::UNAUTHORIZED,
                    190,
                    "Error validating access token: Session has expired",
                )
                .subcode(463)
                .details("The access token has expired. Get a new one and try again."),
            );
        }
        368 => (
            StatusCode::FORBIDDEN,
            "Temporarily blocked for policies violations",
            "The WhatsApp Business Account is restricted for violating a platform policy.",
        ),
        130429 => {
            return Some(
                GraphError::new(bad, 130429, "Rate limit hit")
                    .subcode(2494055)
                    .details("Cloud API message throughput has been reached."),
            );
        }
        130497 => (
            StatusCode::FORBIDDEN,
            "Business account is restricted from messaging users in this country",
            "The WhatsApp Business Account may not message users in this country.",
        ),
        131000 => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong",
            "Message failed to send due to an unknown error.",
        ),
        131008 => (
            bad,
            "Required parameter is missing",
            "The request is missing a required parameter.",
        ),
        131009 => (
            bad,
            "Parameter value is not valid",
            "One or more parameter values are invalid.",
        ),
        131016 => (
            StatusCode::SERVICE_UNAVAILABLE,
            "Service unavailable",
            "A service is temporarily unavailable.",
        ),
        131031 => (
            StatusCode::FORBIDDEN,
            "Business Account locked",
            "The WhatsApp Business Account is locked: it violated a policy or failed \
             verification.",
        ),
        131048 => (
            bad,
            "Spam rate limit hit",
            "Message failed to send because there are restrictions on how many messages can \
             be sent from this phone number.",
        ),
        131051 => (
            bad,
            "Unsupported message type",
            "Message type is currently not supported.",
        ),
        131052 => (
            bad,
            "Media download error",
            "Unable to download the media sent by the user.",
        ),
        131056 => (
            bad,
            "(Business Account, Consumer Account) pair rate limit hit",
            "Message failed to send because there were too many messages sent from this phone \
             number to the same phone number in a short period of time.",
        ),
        131057 => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "Account in maintenance mode",
            "The business account is in maintenance mode: it may be getting a throughput \
             upgrade.",
        ),
        132000 => (
            bad,
            "Number of parameters does not match the expected number of params",
            "The number of parameters does not match the template's placeholders.",
        ),
        132001 => (
            StatusCode::NOT_FOUND,
            "Template name does not exist in the translation",
            "The template does not exist in this language, or it is not approved.",
        ),
        132015 => (
            bad,
            "Template is Paused",
            "The template is paused due to low quality.",
        ),
        132016 => (
            bad,
            "Template is Disabled",
            "The template has been disabled due to low quality.",
        ),
        133010 => (
            bad,
            "Account not registered",
            "Register the number with POST /{phone-number-id}/register before sending.",
        ),
        _ => return None,
    };
    Some(GraphError::new(status, code, title).details(details))
}

/// True for a code a fault may carry.
pub(crate) fn known(code: i64) -> bool {
    ASYNC_CODES.contains(&code) || reply_error(code).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(to: Option<&str>, answer: Answer, remaining: Option<u32>) -> Fault {
        Fault {
            phone_number_id: "pn".into(),
            to: to.map(str::to_owned),
            answer,
            remaining,
        }
    }

    #[test]
    fn a_customer_s_own_fault_comes_first_and_a_counted_one_runs_out() {
        let mut faults = vec![
            fault(None, Answer::Error(131031), None),
            fault(Some("55"), Answer::Error(131056), Some(1)),
        ];
        assert_eq!(take(&mut faults, "pn", "55"), Some(Answer::Error(131056)));
        assert_eq!(take(&mut faults, "pn", "55"), Some(Answer::Error(131031)));
        assert_eq!(take(&mut faults, "other", "55"), None);
        assert_eq!(faults.len(), 1);
    }

    #[test]
    fn every_code_is_answered_in_the_reply_or_later_never_both() {
        for code in ASYNC_CODES {
            assert!(reply_error(*code).is_none(), "{code}");
        }
        assert_eq!(reply_error(190).map(|e| e.status.as_u16()), Some(401));
        assert_eq!(reply_error(131031).map(|e| e.status.as_u16()), Some(403));
        assert!(!known(42));
    }
}
