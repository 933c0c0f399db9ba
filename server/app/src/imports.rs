//! Contact lists over plain HTTP: the upload that `importContacts` starts from, and the
//! report of rejected rows as CSV. Both check the caller, the organization and the role
//! before a byte of the body is read or a row is loaded.

use futures::StreamExt;
use poem::{
    Body, IntoResponse, Request, Response, handler,
    http::{StatusCode, header},
    web::{Data as PoemData, Json},
};
use serde_json::json;
use uuid::Uuid;
use wagent_domain::{Access, Code, CommonError, Intent, Problem, Role};

use crate::http::{AppState, bearer, error_body, origin};

/// Rows loaded per query while the report streams.
const REPORT_PAGE: i64 = 5_000;

/// A refusal as JSON, with its HTTP status.
pub(crate) fn refusal(e: &dyn Problem, request_id: &str) -> Response {
    let status = match e.code() {
        Code::Unauthenticated => StatusCode::UNAUTHORIZED,
        Code::Forbidden => StatusCode::FORBIDDEN,
        Code::NotFound => StatusCode::NOT_FOUND,
        Code::Conflict => StatusCode::CONFLICT,
        Code::Internal => {
            tracing::error!(request_id, error = %e.internal_cause(), "a request failed");
            StatusCode::INTERNAL_SERVER_ERROR
        }
        Code::Validation => StatusCode::BAD_REQUEST,
    };
    Json(error_body(e, request_id))
        .with_status(status)
        .into_response()
}

/// The caller's access to `org` with at least the `needed` role, from the request's bearer
/// token.
pub(crate) async fn access(
    state: &AppState,
    req: &Request,
    org: &str,
    needed: Role,
    intent: Intent,
) -> Result<Access, CommonError> {
    let (ip, user_agent) = origin(req, state.trusted_proxy_hops);
    let token = bearer(req.headers())?.ok_or(CommonError::Unauthenticated)?;
    let caller = state.authenticate(&token, ip, user_agent).await?;
    let org = Uuid::parse_str(org).map_err(|_| CommonError::NotFound("organization"))?;
    state.domain.authorize(&caller, org, needed, intent).await
}

/// Uploads a contact list (CSV or XLSX, up to 200 MB): the raw bytes as the body,
/// `X-File-Name` for its name. Answers `{"importId": ...}` with the file's kind; then preview
/// it (`Organization.contactImport(id).preview`) and start it (`importContacts`). Admin.
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
    let file_name = header("x-file-name").unwrap_or_else(|| "contacts".into());
    let declared = header("content-length").and_then(|v| v.parse().ok());
    // The body is read only now, after the caller, the org and the role are checked.
    match state
        .domain
        .upload_contact_import(&access, &file_name, declared, body.into_async_read())
        .await
    {
        Ok(import) => Json(json!({
            "importId": import.id,
            "format": import.format,
            "fileName": import.file_name,
            "size": import.size,
        }))
        .into_response(),
        Err(e @ wagent_domain::contacts::imports::ImportError::FileTooLarge { .. }) => {
            Json(error_body(&e, &request_id))
                .with_status(StatusCode::PAYLOAD_TOO_LARGE)
                .into_response()
        }
        Err(e) => refusal(&e, &request_id),
    }
}

/// The rejected rows of an import as CSV: line, reason, then the row's cells. Streamed a
/// page at a time, whatever their number. Admin.
#[handler]
pub async fn rejected_rows(
    state: PoemData<&AppState>,
    req: &Request,
    poem::web::Path((org, id)): poem::web::Path<(String, String)>,
) -> Response {
    let request_id = Uuid::new_v4().simple().to_string();
    let access = match access(&state, req, &org, Role::Admin, Intent::Read).await {
        Ok(a) => a,
        Err(e) => return refusal(&e, &request_id),
    };
    let Ok(id) = Uuid::parse_str(&id) else {
        return refusal(&CommonError::NotFound("contact import"), &request_id);
    };
    let import = match state.domain.contact_import(&access, id).await {
        Ok(i) => i,
        Err(e) => return refusal(&e, &request_id),
    };
    let domain = state.domain.clone();
    let header = csv_line(["line", "reason", "cells"].iter().copied());
    let pages = futures::stream::unfold(Some(0i64), move |after| {
        let (domain, access) = (domain.clone(), access.clone());
        async move {
            let after = after?;
            match domain.rejected_rows(&access, id, after, REPORT_PAGE).await {
                Ok(rows) if rows.is_empty() => None,
                Ok(rows) => {
                    let next = (rows.len() as i64 == REPORT_PAGE)
                        .then(|| rows.last().map(|r| r.line))
                        .flatten();
                    let mut out = Vec::new();
                    for row in &rows {
                        let line = row.line.to_string();
                        let cells = row.row.split('\t');
                        out.extend(csv_line(
                            [line.as_str(), row.reason.as_str()]
                                .into_iter()
                                .chain(cells),
                        ));
                    }
                    Some((Ok::<_, std::io::Error>(out), next))
                }
                Err(e) => {
                    // The header is sent: the best left is to end the file early.
                    tracing::error!(error = %e.internal_cause(), "the rejected rows stopped");
                    Some((
                        Err(std::io::Error::other("cannot read the rejected rows")),
                        None,
                    ))
                }
            }
        }
    });
    let body = futures::stream::once(async move { Ok(header) }).chain(pages);
    let name = import
        .file_name
        .rsplit_once('.')
        .map_or(import.file_name.as_str(), |(stem, _)| stem)
        .replace(['"', '\\', '\r', '\n'], "_");
    Response::builder()
        .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
        .header(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}-rejected.csv\""),
        )
        .header("X-Content-Type-Options", "nosniff")
        .header("Cache-Control", "no-store")
        .body(Body::from_bytes_stream(body))
}

/// One CSV record, quoted where it must be, ending in CRLF. A cell that a spreadsheet would
/// run as a formula (`=`, `+`, `-`, `@` first) is kept as text with a leading `'`, unless it
/// is a plain number (`+5511987650001`, `-12.5`), which runs nothing.
pub fn csv_line<'a>(cells: impl Iterator<Item = &'a str>) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let safe: Vec<String> = cells
        .map(|c| {
            if c.starts_with(['=', '+', '-', '@']) && !plain_number(c) {
                format!("'{c}")
            } else {
                c.to_owned()
            }
        })
        .collect();
    // Writing to memory cannot fail.
    let _ = writer.write_record(&safe);
    writer.into_inner().unwrap_or_default()
}

/// `+` or `-`, digits, at most one `.` between digits: a number to any spreadsheet.
fn plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or_default();
    let fraction = parts.next();
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}
