//! Template management: list with cursors, create (then approve), edit, delete.

use std::{sync::Arc, time::Instant};

use base64::Engine;
use poem::http::StatusCode;
use serde_json::{Map, Value, json};

use super::Call;
use crate::{
    Inner,
    error::GraphError,
    templates::{self, Template},
};

pub(super) fn list_templates(
    inner: &Inner,
    waba_id: &str,
    call: &Call,
) -> Result<Value, GraphError> {
    let fields = call.fields();
    let q = &call.query;
    let limit = match q.get("limit") {
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|l| (1..=1000).contains(l))
            .ok_or_else(|| GraphError::invalid_parameter("Param limit must be 1 to 1000."))?,
        None => 25,
    };
    let cursor = |key: &str| -> Result<Option<u64>, GraphError> {
        q.get(key)
            .map(|c| {
                base64::engine::general_purpose::STANDARD
                    .decode(c)
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
                    .and_then(|s| s.parse::<u64>().ok())
                    .ok_or_else(|| GraphError::invalid_parameter(format!("Invalid {key} cursor.")))
            })
            .transpose()
    };
    let after = cursor("after")?;
    let before = cursor("before")?;

    let mut state = inner.lock();
    let Some(waba) = state.waba(waba_id, Some(&call.token)) else {
        return Err(GraphError::unknown_object("GET", waba_id));
    };
    // Newest first, as Meta lists them.
    let mut matching: Vec<&Template> = waba
        .templates
        .iter()
        .filter(|t| q.get("name").is_none_or(|n| t.name.contains(n.as_str())))
        .filter(|t| {
            q.get("status")
                .is_none_or(|s| s.split(',').any(|s| s.eq_ignore_ascii_case(&t.status)))
        })
        .filter(|t| q.get("language").is_none_or(|l| *l == t.language))
        .filter(|t| {
            q.get("category")
                .is_none_or(|c| c.eq_ignore_ascii_case(&t.category))
        })
        .collect();
    matching.sort_by_key(|t| std::cmp::Reverse(t.seq));
    let page: Vec<&Template> = match (after, before) {
        (Some(after), _) => matching
            .iter()
            .filter(|t| t.seq < after)
            .take(limit)
            .copied()
            .collect(),
        (None, Some(before)) => {
            let newer: Vec<&Template> = matching
                .iter()
                .filter(|t| t.seq > before)
                .copied()
                .collect();
            newer[newer.len().saturating_sub(limit)..].to_vec()
        }
        (None, None) => matching.iter().take(limit).copied().collect(),
    };
    let more = page
        .last()
        .is_some_and(|last| matching.iter().any(|t| t.seq < last.seq));
    let encode = |seq: u64| base64::engine::general_purpose::STANDARD.encode(seq.to_string());
    let data = page
        .iter()
        .map(|t| t.to_json(fields.as_deref()))
        .collect::<Result<Vec<_>, _>>()?;
    let mut paging = json!({
        "cursors": {
            "before": page.first().map(|t| encode(t.seq)).unwrap_or_default(),
            "after": page.last().map(|t| encode(t.seq)).unwrap_or_default(),
        }
    });
    if let (true, Some(last)) = (more, page.last()) {
        let mut next = format!(
            "{}/{}/{waba_id}/message_templates?limit={limit}&after={}",
            call.base,
            call.version,
            encode(last.seq)
        );
        for key in [
            "fields", "name", "status", "language", "category", "summary",
        ] {
            if let Some(v) = q.get(key) {
                next.push_str(&format!(
                    "&{key}={}",
                    url::form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>()
                ));
            }
        }
        paging["next"] = json!(next);
    }
    let mut answer = json!({ "data": data, "paging": paging });
    // `summary=total_count` (or `summary=true`) adds the count of every matching template.
    if q.get("summary").is_some_and(|s| {
        s.split(',')
            .any(|s| matches!(s.trim(), "total_count" | "true"))
    }) {
        answer["summary"] = json!({ "total_count": matching.len() });
    }
    Ok(answer)
}

pub(super) fn create_template(
    inner: &Arc<Inner>,
    waba_id: &str,
    token: &str,
    body: &Map<String, Value>,
) -> Result<Value, GraphError> {
    let new = templates::parse_new(body)?;
    let mut state = inner.lock();
    if state.waba(waba_id, Some(token)).is_none() {
        return Err(GraphError::unknown_object("POST", waba_id));
    }
    let seq = state.next_seq();
    let delay = state.config.template_approval_delay;
    let Some(waba) = state.wabas.get_mut(waba_id) else {
        return Err(GraphError::unknown_object("POST", waba_id));
    };
    let hour_ago = Instant::now().checked_sub(std::time::Duration::from_secs(3600));
    waba.template_creations
        .retain(|t| hour_ago.is_none_or(|h| *t > h));
    if waba.template_creations.len() >= 100 {
        return Err(
            GraphError::new(StatusCode::BAD_REQUEST, 100, "Invalid parameter")
                .subcode(2388028)
                .details("You have reached the limit of 100 message templates created per hour."),
        );
    }
    if waba
        .templates
        .iter()
        .any(|t| t.name == new.name && t.language == new.language)
    {
        return Err(GraphError::invalid_parameter(format!(
            "Content in this language already exists: {} ({}).",
            new.name, new.language
        ))
        .subcode(2388024));
    }
    waba.template_creations.push_back(Instant::now());
    let template = Template {
        id: crate::state::template_id(),
        waba_id: waba_id.to_owned(),
        seq,
        name: new.name,
        language: new.language,
        category: new.category,
        status: "PENDING".to_owned(),
        parameter_format: new.parameter_format,
        components: new.components,
        rejected_reason: "NONE".to_owned(),
    };
    let reply = json!({ "id": template.id, "status": "PENDING", "category": template.category });
    schedule_approval(inner, template.id.clone(), delay);
    waba.templates.push(template);
    Ok(reply)
}

/// After the approval delay a PENDING template becomes APPROVED and the WABA hears of it.
fn schedule_approval(inner: &Arc<Inner>, template_id: String, delay: std::time::Duration) {
    let inner = inner.clone();
    tokio::spawn(async move {
        tokio::time::sleep(delay).await;
        let update = {
            let mut state = inner.lock();
            state
                .find_template_mut(&template_id)
                .filter(|t| t.status == "PENDING")
                .map(|t| {
                    t.status = "APPROVED".to_owned();
                    (t.waba_id.clone(), t.status_update("APPROVED", "NONE"))
                })
        };
        if let Some((waba_id, value)) = update {
            inner.emit(&waba_id, "message_template_status_update", value);
        }
    });
}

pub(super) fn edit_template(
    inner: &Arc<Inner>,
    id: &str,
    body: &Map<String, Value>,
) -> Result<Value, GraphError> {
    let mut state = inner.lock();
    let delay = state.config.template_approval_delay;
    let Some(template) = state.find_template_mut(id) else {
        return Err(GraphError::unknown_object("POST", id));
    };
    if !["APPROVED", "REJECTED", "PAUSED"].contains(&template.status.as_str()) {
        return Err(GraphError::invalid_parameter(format!(
            "A template can be edited when APPROVED, REJECTED or PAUSED; this one is {}.",
            template.status
        )));
    }
    let mut full = Map::new();
    full.insert("name".into(), json!(template.name));
    full.insert("language".into(), json!(template.language));
    full.insert(
        "category".into(),
        body.get("category")
            .cloned()
            .unwrap_or_else(|| json!(template.category)),
    );
    full.insert(
        "parameter_format".into(),
        body.get("parameter_format")
            .cloned()
            .unwrap_or_else(|| json!(template.parameter_format)),
    );
    full.insert(
        "components".into(),
        body.get("components")
            .cloned()
            .unwrap_or_else(|| json!(template.components)),
    );
    let new = templates::parse_new(&full)?;
    template.category = new.category;
    template.parameter_format = new.parameter_format;
    template.components = new.components;
    template.status = "PENDING".to_owned();
    schedule_approval(inner, id.to_owned(), delay);
    Ok(json!({ "success": true }))
}

pub(super) fn delete_templates(
    inner: &Inner,
    waba_id: &str,
    call: &Call,
    body: &Map<String, Value>,
) -> Result<Value, GraphError> {
    let param = |key: &str| {
        call.query
            .get(key)
            .cloned()
            .or_else(|| body.get(key).and_then(Value::as_str).map(str::to_owned))
    };
    let name = param("name")
        .ok_or_else(|| GraphError::invalid_parameter("The parameter name is required."))?;
    let hsm_id = param("hsm_id");
    let mut state = inner.lock();
    let Some(waba) = state.waba(waba_id, Some(&call.token)) else {
        return Err(GraphError::unknown_object("DELETE", waba_id));
    };
    let before = waba.templates.len();
    waba.templates
        .retain(|t| !(t.name == name && hsm_id.as_ref().is_none_or(|h| *h == t.id)));
    if waba.templates.len() == before {
        return Err(GraphError::invalid_parameter(format!(
            "Message template \"{name}\" was not found."
        ))
        .subcode(2593002));
    }
    Ok(json!({ "success": true }))
}
