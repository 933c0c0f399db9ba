//! The schema as the transports serve it: [`Api`] executes requests over HTTP and over the
//! websocket, reuses the parsed form of queries it has seen, and gives the refusals that
//! async-graphql makes before a query runs a stable `extensions.code`, so that clients tell
//! "too big, ask for less" from a mistake without matching on English text:
//!
//! | code | when |
//! | --- | --- |
//! | `QUERY_TOO_COMPLEX` | the query's cost (lists counted by `first`) is over the limit |
//! | `QUERY_TOO_DEEP` | nested deeper than allowed, or too many directives on a field |
//! | `GRAPHQL_PARSE_FAILED` | not a GraphQL document |
//! | `GRAPHQL_VALIDATION_FAILED` | a document the schema does not accept |
//!
//! A document is validated in full the first time its text is seen; once it passed, later
//! requests with the same text run through a second schema in async-graphql's fast mode,
//! which still computes the cost and depth (with the request's variables) but skips the
//! rules that depend on the text alone. The one strict rule that reads variables (their
//! values against the arguments' types) is kept where execution would not make it: a
//! request whose variables hold an input object is validated in full (execution ignores an
//! unknown field of an input object); a scalar of the wrong type fails at execution, at
//! the argument's path, before the resolver runs, labelled `GRAPHQL_VALIDATION_FAILED`.
//!
//! This is an [`Executor`] rather than a schema extension on purpose: with any extension
//! installed, async-graphql wraps every field of every row in the extension chain, which
//! cost the inbox list a third of its speed. Over HTTP, [`Api::execute_json`] answers with
//! the serialised JSON, in which the lists written by the plain walk (`crate::plain`) are
//! spliced as they were written.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
};

use async_graphql::{
    Data, Executor, Request, Response, ServerError, Value as ConstValue, Variables,
    futures_util::{StreamExt, stream::BoxStream},
    parser::{parse_query, types::ExecutableDocument},
};

use crate::{
    WagentSchema,
    plain::{RawJson, document_repeats_a_key},
};

/// Distinct query texts kept parsed; beyond it the cache starts over rather than grow.
const CACHED_DOCUMENTS: usize = 256;
/// Longer texts are parsed every time (the SPA's largest operation is a few kB).
const CACHED_QUERY_LEN: usize = 16 * 1024;

#[derive(Clone)]
pub struct Api {
    /// Validates every rule: for texts not yet seen to pass.
    strict: WagentSchema,
    /// The same schema in fast validation mode: for texts that passed once.
    fast: WagentSchema,
    documents: Arc<Mutex<HashMap<String, Document>>>,
}

/// A parsed query, whether lists may be answered as raw JSON in it, and whether it passed
/// the strict validation once.
#[derive(Clone)]
struct Document {
    parsed: ExecutableDocument,
    raw_lists: bool,
    validated: Arc<AtomicBool>,
}

impl Document {
    fn new(parsed: ExecutableDocument) -> Self {
        let raw_lists = !document_repeats_a_key(&parsed);
        Self {
            parsed,
            raw_lists,
            validated: Arc::default(),
        }
    }

    /// What executing a request needs to know of the document besides its text.
    fn flags(&self) -> Parsed {
        Parsed::Yes {
            raw_lists: self.raw_lists,
            validated: self.validated.clone(),
        }
    }
}

/// An answer serialised for HTTP.
pub struct JsonAnswer {
    /// The answer as JSON.
    pub body: Vec<u8>,
    /// False when the answer has errors.
    pub ok: bool,
    /// What async-graphql would put in `Cache-Control`, for an answer without errors.
    pub cache_control: Option<String>,
    /// Headers the resolvers set.
    pub http_headers: http::HeaderMap,
}

impl Api {
    /// `strict` and `fast` are the same schema built in async-graphql's strict and fast
    /// validation modes.
    pub fn new(strict: WagentSchema, fast: WagentSchema) -> Self {
        Self {
            strict,
            fast,
            documents: Arc::default(),
        }
    }

    /// The schema to run `parsed` with `variables` through. Variables that hold an input
    /// object always go through the strict rules: only they refuse an unknown field in it
    /// (execution would ignore it).
    fn schema_for(&self, parsed: &Parsed, variables: &Variables) -> &WagentSchema {
        match parsed {
            Parsed::Yes { validated, .. }
                if validated.load(Ordering::Relaxed) && !variables.values().any(holds_object) =>
            {
                &self.fast
            }
            _ => &self.strict,
        }
    }

    /// `request` with its parsed document from the cache, or parsed now (and kept when
    /// short). `Parsed::No` when the text is not GraphQL: the schema then refuses it with
    /// the parser's message.
    fn with_document(&self, mut request: Request) -> (Request, Parsed) {
        if let Some(doc) = self
            .documents
            .lock()
            .ok()
            .and_then(|cache| cache.get(&request.query).cloned())
        {
            let parsed = doc.flags();
            request.set_parsed_query(doc.parsed);
            return (request, parsed);
        }
        let Ok(doc) = parse_query(&request.query).map(Document::new) else {
            return (request, Parsed::No);
        };
        if request.query.len() <= CACHED_QUERY_LEN
            && let Ok(mut cache) = self.documents.lock()
        {
            if cache.len() >= CACHED_DOCUMENTS {
                cache.clear();
            }
            cache.insert(request.query.clone(), doc.clone());
        }
        let parsed = doc.flags();
        request.set_parsed_query(doc.parsed);
        (request, parsed)
    }

    /// Executes `request` and serialises the answer, with the lists the plain walk wrote
    /// spliced in as they are.
    pub async fn execute_json(&self, request: Request) -> serde_json::Result<JsonAnswer> {
        let (mut request, parsed) = self.with_document(request);
        // The request's data is dropped with it: the lists come back through a shared slot.
        let raw = RawJson::default();
        if matches!(
            parsed,
            Parsed::Yes {
                raw_lists: true,
                ..
            }
        ) {
            request = request.data(raw.clone());
        }
        let schema = self.schema_for(&parsed, &request.variables);
        let mut response = schema.execute(request).await;
        label_refusals(&mut response.errors, &parsed);
        let ok = response.is_ok();
        let cache_control = ok.then(|| response.cache_control.value()).flatten();
        let http_headers = std::mem::take(&mut response.http_headers);
        let body = raw.splice(&response)?;
        Ok(JsonAnswer {
            body,
            ok,
            cache_control,
            http_headers,
        })
    }
}

#[derive(Clone)]
enum Parsed {
    Yes {
        raw_lists: bool,
        /// Shared with the cached document: set once the text passed the strict rules.
        validated: Arc<AtomicBool>,
    },
    No,
}

impl Executor for Api {
    async fn execute(&self, request: Request) -> Response {
        let (request, parsed) = self.with_document(request);
        let schema = self.schema_for(&parsed, &request.variables);
        let mut response = schema.execute(request).await;
        label_refusals(&mut response.errors, &parsed);
        response
    }

    fn execute_stream(
        &self,
        request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        let (request, parsed) = self.with_document(request);
        self.schema_for(&parsed, &request.variables)
            .execute_stream_with_session_data(request, session_data.unwrap_or_default())
            .map(move |mut response| {
                label_refusals(&mut response.errors, &parsed);
                response
            })
            .boxed()
    }
}

/// Whether `value` is or holds an object.
fn holds_object(value: &ConstValue) -> bool {
    match value {
        ConstValue::Object(_) => true,
        ConstValue::List(items) => items.iter().any(holds_object),
        _ => false,
    }
}

/// Codes the errors async-graphql raises before execution: they have no path and no
/// extensions (every resolver error has a code, and a path). An answer without them marks
/// its document validated. After a fast validation, an argument whose variable has a value
/// of the wrong type fails at its path with async-graphql's "Failed to parse" and no
/// extensions: that is the strict rule's refusal, made later.
fn label_refusals(errors: &mut [ServerError], parsed: &Parsed) {
    let refused = errors
        .iter()
        .any(|e| e.extensions.is_none() && e.path.is_empty());
    if let Parsed::Yes { validated, .. } = parsed
        && !refused
    {
        validated.store(true, Ordering::Relaxed);
    }
    for e in errors.iter_mut().filter(|e| e.extensions.is_none()) {
        let code = match e.message.as_str() {
            m if !e.path.is_empty() => {
                if !m.starts_with("Failed to parse \"") {
                    continue;
                }
                "GRAPHQL_VALIDATION_FAILED"
            }
            "Query is too complex." => "QUERY_TOO_COMPLEX",
            "Query is nested too deep." => "QUERY_TOO_DEEP",
            m if m.starts_with("The recursion depth")
                || m.starts_with("The number of directives") =>
            {
                "QUERY_TOO_DEEP"
            }
            _ if matches!(parsed, Parsed::No) => "GRAPHQL_PARSE_FAILED",
            _ => "GRAPHQL_VALIDATION_FAILED",
        };
        e.extensions
            .get_or_insert_with(Default::default)
            .set("code", code);
    }
}
