//! A campaign's recipients as CSV over plain HTTP: every recipient with their status, times
//! and Meta's error, streamed a chunk at a time whatever their number. Any member.

use futures::StreamExt;
use poem::{Body, Request, Response, handler, http::header, web::Data as PoemData};
use uuid::Uuid;
use wagent_domain::{CommonError, Intent, Problem, Role, campaigns::EXPORT_CHUNK};

use crate::{
    http::AppState,
    imports::{access, csv_line, refusal},
};

const COLUMNS: &[&str] = &[
    "recipient_id",
    "contact_id",
    "name",
    "address",
    "status",
    "skip_reason",
    "error_code",
    "error",
    "sent_at",
    "delivered_at",
    "read_at",
    "replied_at",
    "failed_at",
    "opted_out_at",
    "pricing_category",
    "billable",
];

#[handler]
pub async fn recipients_csv(
    state: PoemData<&AppState>,
    req: &Request,
    poem::web::Path((org, id)): poem::web::Path<(String, String)>,
) -> Response {
    let request_id = Uuid::new_v4().simple().to_string();
    let access = match access(&state, req, &org, Role::Member, Intent::Read).await {
        Ok(a) => a,
        Err(e) => return refusal(&e, &request_id),
    };
    let Ok(id) = Uuid::parse_str(&id) else {
        return refusal(&CommonError::NotFound("campaign"), &request_id);
    };
    let campaign = match state.domain.campaign(&access, id).await {
        Ok(c) => c,
        Err(e) => return refusal(&e, &request_id),
    };
    let domain = state.domain.clone();
    let header = csv_line(COLUMNS.iter().copied());
    let chunks = futures::stream::unfold(Some(None::<Uuid>), move |after| {
        let (domain, access) = (domain.clone(), access.clone());
        async move {
            let after = after?;
            match domain.export_campaign_recipients(&access, id, after).await {
                Ok(rows) if rows.is_empty() => None,
                Ok(rows) => {
                    let next = (rows.len() as i64 == EXPORT_CHUNK)
                        .then(|| rows.last().map(|(r, _)| Some(r.id)))
                        .flatten();
                    let mut out = Vec::new();
                    let time = |t: Option<chrono::DateTime<chrono::Utc>>| {
                        t.map(|t| t.to_rfc3339()).unwrap_or_default()
                    };
                    for (r, name) in &rows {
                        let cells = [
                            r.id.to_string(),
                            r.contact_id.to_string(),
                            name.clone().unwrap_or_default(),
                            r.phone
                                .as_ref()
                                .map(|p| format!("+{p}"))
                                .or_else(|| r.user_id.clone())
                                .unwrap_or_default(),
                            r.status.to_string(),
                            r.skip_reason.map(|s| s.to_string()).unwrap_or_default(),
                            r.error_code.map(|c| c.to_string()).unwrap_or_default(),
                            r.error_text.clone().unwrap_or_default(),
                            time(r.sent_at),
                            time(r.delivered_at),
                            time(r.read_at),
                            time(r.replied_at),
                            time(r.failed_at),
                            time(r.opted_out_at),
                            r.pricing_category.clone().unwrap_or_default(),
                            r.billable.map(|b| b.to_string()).unwrap_or_default(),
                        ];
                        out.extend(csv_line(cells.iter().map(String::as_str)));
                    }
                    Some((Ok::<_, std::io::Error>(out), next))
                }
                Err(e) => {
                    // The header is sent: the best left is to end the file early.
                    tracing::error!(error = %e.internal_cause(), "the recipients export stopped");
                    Some((
                        Err(std::io::Error::other("cannot read the recipients")),
                        None,
                    ))
                }
            }
        }
    });
    let body = futures::stream::once(async move { Ok(header) }).chain(chunks);
    let name: String = campaign
        .name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    Response::builder()
        .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
        .header(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}-recipients.csv\""),
        )
        .header("X-Content-Type-Options", "nosniff")
        .header("Cache-Control", "no-store")
        .body(Body::from_bytes_stream(body))
}
