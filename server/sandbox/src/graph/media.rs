//! Media: upload, URL, download token, delete; Meta's size limits per kind.

use poem::{FromRequest, Request, http::StatusCode, web::Multipart};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::{
    Inner,
    error::GraphError,
    messages::require_whatsapp,
    state::{Media, media_id},
};

/// The kind Meta files a MIME type under and that kind's size limit.
pub(crate) fn media_kind(mime: &str) -> Option<(&'static str, usize)> {
    const MB: usize = 1024 * 1024;
    let essence = mime
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let kind = match essence.as_str() {
        "image/jpeg" | "image/png" => ("image", 5 * MB),
        "image/webp" => ("sticker", 500 * 1024),
        "audio/aac" | "audio/amr" | "audio/mpeg" | "audio/mp4" | "audio/ogg" => ("audio", 16 * MB),
        "video/mp4" | "video/3gpp" => ("video", 16 * MB),
        "text/plain"
        | "application/pdf"
        | "application/msword"
        | "application/vnd.ms-excel"
        | "application/vnd.ms-powerpoint"
        | "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        | "application/vnd.openxmlformats-officedocument.presentationml.presentation" => {
            ("document", 100 * MB)
        }
        _ => return None,
    };
    Some(kind)
}

pub(super) async fn upload_media(
    inner: &Inner,
    pn: &str,
    token: &str,
    req: Request,
) -> Result<Value, GraphError> {
    let (req, mut body) = req.split();
    let mut multipart = Multipart::from_request(&req, &mut body)
        .await
        .map_err(|e| GraphError::invalid_parameter(format!("Expected multipart/form-data: {e}")))?;
    let mut product = None;
    let mut declared_type = None;
    let mut file: Option<(Vec<u8>, Option<String>, Option<String>)> = None;
    loop {
        let field = multipart
            .next_field()
            .await
            .map_err(|e| GraphError::invalid_parameter(format!("Bad multipart body: {e}")))?;
        let Some(field) = field else {
            break;
        };
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "file" => {
                let content_type = field.content_type().map(str::to_owned);
                let filename = field.file_name().map(str::to_owned);
                let bytes = field.bytes().await.map_err(|e| {
                    GraphError::invalid_parameter(format!("Cannot read the file: {e}"))
                })?;
                file = Some((bytes, content_type, filename));
            }
            "messaging_product" => product = field.text().await.ok(),
            "type" => declared_type = field.text().await.ok(),
            _ => {}
        }
    }
    let mut check = Map::new();
    if let Some(p) = product {
        check.insert("messaging_product".into(), json!(p));
    }
    require_whatsapp(&check)?;
    let Some((bytes, content_type, filename)) = file else {
        return Err(GraphError::invalid_parameter(
            "The parameter file is required.",
        ));
    };
    let mime = declared_type
        .or(content_type)
        .filter(|m| !m.is_empty())
        .ok_or_else(|| GraphError::invalid_parameter("The parameter type is required."))?;
    let Some((kind, limit)) = media_kind(&mime) else {
        return Err(GraphError::invalid_parameter(format!(
            "Param file must be a file with one of the supported types; {mime} is not supported."
        )));
    };
    if bytes.len() > limit {
        return Err(
            GraphError::new(StatusCode::BAD_REQUEST, 131053, "Media upload error").details(
                format!(
                    "The {kind} is {} bytes; the limit is {limit} bytes.",
                    bytes.len()
                ),
            ),
        );
    }
    let mut state = inner.lock();
    if state.number(pn, Some(token)).is_none() {
        return Err(GraphError::unknown_object("POST", pn));
    }
    let id = store_media(&mut state, pn, mime, bytes, filename);
    Ok(json!({ "id": id }))
}

/// Keeps bytes as media of a number; returns the new media id.
pub(crate) fn store_media(
    state: &mut crate::state::State,
    pn: &str,
    mime: String,
    bytes: Vec<u8>,
    filename: Option<String>,
) -> String {
    let id = media_id();
    let sha256 = hex::encode(Sha256::digest(&bytes));
    state.media.insert(
        id.clone(),
        Media {
            id: id.clone(),
            phone_number_id: pn.to_owned(),
            mime_type: mime,
            bytes,
            sha256,
            filename,
        },
    );
    id
}

pub(super) fn delete_media(inner: &Inner, id: &str) -> Result<Value, GraphError> {
    let mut state = inner.lock();
    if state.media.remove(id).is_none() {
        return Err(GraphError::unknown_object("DELETE", id));
    }
    state.media_urls.retain(|_, (media, _)| media != id);
    Ok(json!({ "success": true }))
}
