//! Knowledge files over plain HTTP: the upload that adds a document (PDF, DOCX, TXT,
//! Markdown, HTML) to what the AI agents answer from. The caller, the organization and the
//! role are checked before a byte of the body is read; the size limit holds while reading.

use poem::{
    Body, IntoResponse, Request, Response, handler,
    http::StatusCode,
    web::{Data as PoemData, Json},
};
use serde_json::json;
use uuid::Uuid;
use wagent_domain::{Intent, Role, knowledge::KnowledgeError};

use crate::{
    http::{AppState, error_body},
    imports::{access, refusal},
};

/// Uploads a knowledge file: the raw bytes as the body, `X-File-Name` for its name (its
/// extension says the kind, checked against the bytes), optional `X-Language` (en, pt, es,
/// ...). Answers `{"sourceId": ...}`; the file is read in the background
/// (`Organization.knowledgeSource(id).status`). Admin.
#[handler]
pub async fn upload(
    state: PoemData<&AppState>,
    req: &Request,
    poem::web::Path(org): poem::web::Path<String>,
    body: Body,
) -> Response {
    let request_id = Uuid::new_v4().simple().to_string();
    let access = match access(&state, req, &org, Role::Admin, Intent::Write).await {
        Ok(a) => a,
        Err(e) => return refusal(&e, &request_id),
    };
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let file_name = header("x-file-name").unwrap_or_else(|| "document".into());
    let language = header("x-language");
    let declared = header("content-length").and_then(|v| v.parse().ok());
    match state
        .domain
        .upload_knowledge_file(
            &access,
            &file_name,
            declared,
            language.as_deref(),
            body.into_async_read(),
        )
        .await
    {
        Ok(source) => Json(json!({
            "sourceId": source.id,
            "title": source.title,
            "contentType": source.content_type,
            "size": source.size,
            "status": source.status.as_str(),
        }))
        .into_response(),
        Err(e @ KnowledgeError::FileTooLarge(_)) => Json(error_body(&e, &request_id))
            .with_status(StatusCode::PAYLOAD_TOO_LARGE)
            .into_response(),
        Err(e) => refusal(&e, &request_id),
    }
}
