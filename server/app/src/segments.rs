//! A segment's contacts as CSV, streamed a page at a time: memory stays bounded whatever
//! the segment's size. The caller, the organization and the role are checked first.

use futures::StreamExt;
use poem::{
    Body, Request, Response, handler,
    http::header,
    web::{Data as PoemData, Path},
};
use uuid::Uuid;
use wagent_domain::{
    CommonError, Intent, Problem, Role,
    contacts::{Contact, profile::field_text},
};

use crate::{
    http::AppState,
    imports::{access, csv_line, refusal},
};

/// Contacts loaded per query while the file streams.
const EXPORT_PAGE: i64 = 1_000;

/// The columns before the organization's own fields (by key). Names an import maps by
/// themselves where there is one (`phone`, `name`, `email`, ..., `tags`, `marketing`).
const COLUMNS: [&str; 16] = [
    "phone",
    "name",
    "profile_name",
    "email",
    "language",
    "country",
    "time_zone",
    "tags",
    "marketing",
    "marketing_source",
    "marketing_changed_at",
    "last_inbound_at",
    "last_outbound_at",
    "created_at",
    "user_id",
    "username",
];

fn record(contact: &Contact, keys: &[String]) -> Vec<u8> {
    let time = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .unwrap_or_default()
    };
    let text = |t: &Option<String>| t.clone().unwrap_or_default();
    let marketing = match contact.marketing {
        // Blank: an import reads a blank cell as "not given", never as a consent.
        wagent_domain::contacts::Marketing::Unknown => "",
        other => other.as_str(),
    };
    let mut cells: Vec<String> = vec![
        contact
            .phone()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default(),
        text(&contact.name),
        text(&contact.profile_name),
        text(&contact.email),
        text(&contact.language),
        text(&contact.country),
        text(&contact.time_zone),
        contact.tags.join(", "),
        marketing.to_owned(),
        text(&contact.marketing_source),
        time(contact.marketing_at),
        time(contact.last_inbound_at),
        time(contact.last_outbound_at),
        time(Some(contact.created_at)),
        text(&contact.user_id),
        text(&contact.username),
    ];
    cells.extend(
        keys.iter()
            .map(|k| contact.fields.get(k).map(field_text).unwrap_or_default()),
    );
    csv_line(cells.iter().map(String::as_str))
}

/// `GET /api/organizations/{org}/segments/{id}/contacts.csv`: every contact of a segment,
/// one per line, with every column (the organization's fields by key, tags joined by `, `).
/// Admin.
#[handler]
pub async fn contacts_csv(
    state: PoemData<&AppState>,
    req: &Request,
    Path((org, id)): Path<(String, String)>,
) -> Response {
    let request_id = Uuid::new_v4().simple().to_string();
    let access = match access(&state, req, &org, Role::Admin, Intent::Read).await {
        Ok(a) => a,
        Err(e) => return refusal(&e, &request_id),
    };
    let Ok(id) = Uuid::parse_str(&id) else {
        return refusal(&CommonError::NotFound("segment"), &request_id);
    };
    let domain = state.domain.clone();
    let (segment, fields) =
        match tokio::try_join!(domain.segment(&access, id), domain.contact_fields(&access)) {
            Ok(found) => found,
            Err(e) => return refusal(&e, &request_id),
        };
    let keys: Vec<String> = fields.into_iter().map(|f| f.key).collect();
    let header = csv_line(
        COLUMNS
            .iter()
            .copied()
            .chain(keys.iter().map(String::as_str)),
    );
    let filter = segment.filter;
    let pages = futures::stream::unfold(Some(None), move |after: Option<Option<Uuid>>| {
        let (domain, access, filter, keys) =
            (domain.clone(), access.clone(), filter.clone(), keys.clone());
        async move {
            let after = after?;
            match domain
                .segment_contacts_page(&access, &filter, after, EXPORT_PAGE)
                .await
            {
                Ok(page) if page.is_empty() => None,
                Ok(page) => {
                    let next = (page.len() as i64 == EXPORT_PAGE)
                        .then(|| page.last().map(|c| Some(c.id)))
                        .flatten();
                    let mut out = Vec::new();
                    for contact in &page {
                        out.extend(record(contact, &keys));
                    }
                    Some((Ok::<_, std::io::Error>(out), next))
                }
                Err(e) => {
                    // The header is sent: the best left is to end the file early.
                    tracing::error!(error = %e.internal_cause(), "the segment export stopped");
                    Some((Err(std::io::Error::other("cannot read the contacts")), None))
                }
            }
        }
    });
    let body = futures::stream::once(async move { Ok(header) }).chain(pages);
    let name: String = segment
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    Response::builder()
        .header(header::CONTENT_TYPE, "text/csv; charset=utf-8")
        .header(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}.csv\""),
        )
        .header("X-Content-Type-Options", "nosniff")
        .header("Cache-Control", "no-store")
        .body(Body::from_bytes_stream(body))
}
