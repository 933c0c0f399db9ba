//! Meta's Resumable Upload API, which gives template media examples their handle:
//! `POST /{app-id}/uploads?file_name&file_length&file_type` opens a session
//! (`{"id":"upload:..."}`), `POST /upload:...` with a `file_offset` header sends bytes from
//! that offset (answering `{"h": handle}` once the file is whole), and `GET /upload:...`
//! tells where to resume (`{"id", "file_offset"}`).

use std::collections::HashMap;

use base64::Engine;
use poem::http::StatusCode;
use serde_json::{Map, Value, json};

use crate::{Inner, error::GraphError, state::random_token};

/// The largest file a session takes: a 100 MB document, Meta's media limit.
pub(super) const MAX_FILE: usize = 100 * 1024 * 1024;
/// Open sessions kept; the oldest go first.
const SESSIONS_KEPT: usize = 1_000;
const FILE_TYPES: &[&str] = &[
    "application/pdf",
    "image/jpeg",
    "image/jpg",
    "image/png",
    "video/mp4",
];

/// An upload session and the bytes received so far.
pub(crate) struct Upload {
    pub seq: u64,
    pub file_length: usize,
    pub bytes: Vec<u8>,
    pub handle: Option<String>,
}

/// `POST /{app-id}/uploads`.
pub(super) fn start(
    inner: &Inner,
    app_id: &str,
    params: &Map<String, Value>,
) -> Result<Value, GraphError> {
    let text = |key: &str| params.get(key).and_then(Value::as_str).unwrap_or_default();
    let mut state = inner.lock();
    if app_id != state.config.app_id {
        return Err(GraphError::unknown_object("POST", app_id));
    }
    let length = params
        .get("file_length")
        .and_then(|v| {
            v.as_u64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        })
        .and_then(|l| usize::try_from(l).ok())
        .filter(|l| (1..=MAX_FILE).contains(l))
        .ok_or_else(|| {
            GraphError::invalid_parameter(format!(
                "Param file_length is the file's size in bytes, 1 to {MAX_FILE}."
            ))
        })?;
    let file_type = text("file_type");
    if !FILE_TYPES.contains(&file_type) {
        return Err(GraphError::invalid_parameter(format!(
            "Param file_type must be one of {}.",
            FILE_TYPES.join(", ")
        )));
    }
    let name = text("file_name");
    if name.is_empty() || name.len() > 255 {
        return Err(GraphError::invalid_parameter(
            "Param file_name is required (at most 255 characters).",
        ));
    }
    let id = format!(
        "upload:{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!("attachment:{}?file_name={name}", random_token(24)))
    );
    let seq = state.next_seq();
    if state.uploads.len() >= SESSIONS_KEPT
        && let Some(oldest) = state
            .uploads
            .iter()
            .min_by_key(|(_, u)| u.seq)
            .map(|(k, _)| k.clone())
    {
        state.uploads.remove(&oldest);
    }
    state.uploads.insert(
        id.clone(),
        Upload {
            seq,
            file_length: length,
            bytes: Vec::new(),
            handle: None,
        },
    );
    Ok(json!({ "id": id }))
}

/// `POST /upload:...` with `file_offset` and the bytes from there.
pub(super) fn append(
    inner: &Inner,
    id: &str,
    headers: &HashMap<String, String>,
    bytes: &[u8],
) -> Result<Value, GraphError> {
    let offset = headers
        .get("file_offset")
        .and_then(|o| o.trim().parse::<usize>().ok())
        .ok_or_else(|| {
            GraphError::invalid_parameter("The header file_offset is required (0 to start).")
        })?;
    let mut state = inner.lock();
    let upload = state
        .uploads
        .get_mut(id)
        .ok_or_else(|| GraphError::unknown_object("POST", id))?;
    if offset != upload.bytes.len() {
        return Err(
            GraphError::new(StatusCode::BAD_REQUEST, 100, "Invalid parameter").details(format!(
                "file_offset {offset} does not match the {} bytes received; resume from there.",
                upload.bytes.len()
            )),
        );
    }
    if offset + bytes.len() > upload.file_length {
        return Err(GraphError::invalid_parameter(format!(
            "The upload is longer than its file_length ({} bytes).",
            upload.file_length
        )));
    }
    upload.bytes.extend_from_slice(bytes);
    if upload.bytes.len() < upload.file_length {
        return Ok(json!({ "id": id, "file_offset": upload.bytes.len() }));
    }
    let handle = upload.handle.get_or_insert_with(|| {
        format!(
            "4::{}:{}",
            base64::engine::general_purpose::STANDARD.encode(format!("image/{}", random_token(12))),
            random_token(60)
        )
    });
    Ok(json!({ "h": handle }))
}

/// `GET /upload:...`: how many bytes arrived, to resume after them.
pub(super) fn status(inner: &Inner, id: &str) -> Result<Value, GraphError> {
    let state = inner.lock();
    let upload = state
        .uploads
        .get(id)
        .ok_or_else(|| GraphError::unknown_object("GET", id))?;
    Ok(json!({ "id": id, "file_offset": upload.bytes.len() }))
}
