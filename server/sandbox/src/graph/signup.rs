//! Embedded Signup's server side: the code exchange and `debug_token`.

use poem::http::StatusCode;
use serde_json::{Value, json};

use super::Call;
use crate::{
    Inner,
    error::GraphError,
    state::{IssuedToken, graph_id, random_token},
};

pub(super) fn exchange_code(inner: &Inner, call: &Call) -> Result<Value, GraphError> {
    let q = &call.query;
    let param = |key: &str| {
        q.get(key)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| GraphError::invalid_parameter(format!("Missing {key} parameter.")))
    };
    let client_id = param("client_id")?;
    let client_secret = param("client_secret")?;
    let code = param("code")?;
    let mut state = inner.lock();
    let ttl = state.config.signup_code_ttl;
    if *client_id != state.config.app_id {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            101,
            "Error validating application. Invalid application ID.",
        )
        .bare());
    }
    if *client_secret != state.config.app_secret {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            1,
            "Error validating client secret.",
        )
        .bare());
    }
    let Some(issued) = state.signup_codes.get_mut(code.as_str()) else {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            100,
            "Invalid verification code format.",
        )
        .subcode(36008)
        .bare());
    };
    if issued.used {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            100,
            "This authorization code has been used.",
        )
        .subcode(36009)
        .bare());
    }
    if issued.issued.elapsed() > ttl {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            100,
            "This authorization code has expired.",
        )
        .subcode(36007)
        .bare());
    }
    issued.used = true;
    let token = IssuedToken {
        business_id: issued.business_id.clone(),
        waba_ids: vec![issued.waba_id.clone()],
        issued_at: chrono::Utc::now().timestamp(),
    };
    let access_token = format!("EAA{}", random_token(180));
    state.tokens.insert(access_token.clone(), token);
    Ok(json!({ "access_token": access_token, "token_type": "bearer" }))
}

pub(super) fn debug_token(
    inner: &Inner,
    call: &Call,
    bearer: Option<&str>,
) -> Result<Value, GraphError> {
    let state = inner.lock();
    let app_token = format!("{}|{}", state.config.app_id, state.config.app_secret);
    let given = call
        .query
        .get("access_token")
        .map(String::as_str)
        .or(bearer);
    if given != Some(app_token.as_str()) {
        return Err(GraphError::new(
            StatusCode::UNAUTHORIZED,
            190,
            "Invalid OAuth access token signature.",
        )
        .details("debug_token takes the app token <app_id>|<app_secret>."));
    }
    let input = call
        .query
        .get("input_token")
        .filter(|t| !t.is_empty())
        .ok_or_else(|| GraphError::invalid_parameter("The parameter input_token is required."))?;
    let app_id = state.config.app_id.clone();
    let Some(token) = state.tokens.get(input.as_str()) else {
        return Ok(json!({ "data": {
            "app_id": app_id,
            "is_valid": false,
            "scopes": [],
            "error": { "code": 190, "message": "Invalid OAuth access token." },
        }}));
    };
    Ok(json!({ "data": {
        "app_id": app_id,
        "type": "SYSTEM_USER",
        "application": "WAgent",
        "data_access_expires_at": 0,
        "expires_at": 0,
        "is_valid": true,
        "issued_at": token.issued_at,
        "scopes": [
            "business_management",
            "whatsapp_business_management",
            "whatsapp_business_messaging",
        ],
        "granular_scopes": [
            { "scope": "business_management", "target_ids": [token.business_id] },
            { "scope": "whatsapp_business_management", "target_ids": token.waba_ids },
            { "scope": "whatsapp_business_messaging", "target_ids": token.waba_ids },
        ],
        "user_id": graph_id(),
    }}))
}
