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
//! This is an [`Executor`] rather than a schema extension on purpose: with any extension
//! installed, async-graphql wraps every field of every row in the extension chain, which
//! cost the inbox list a third of its speed.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use async_graphql::{
    Data, Executor, Request, Response, ServerError,
    futures_util::{StreamExt, stream::BoxStream},
    parser::{parse_query, types::ExecutableDocument},
};

use crate::WagentSchema;

/// Distinct query texts kept parsed; beyond it the cache starts over rather than grow.
const CACHED_DOCUMENTS: usize = 256;
/// Longer texts are parsed every time (the SPA's largest operation is a few kB).
const CACHED_QUERY_LEN: usize = 16 * 1024;

#[derive(Clone)]
pub struct Api {
    schema: WagentSchema,
    documents: Arc<Mutex<HashMap<String, ExecutableDocument>>>,
}

impl Api {
    pub fn new(schema: WagentSchema) -> Self {
        Self {
            schema,
            documents: Arc::default(),
        }
    }

    /// `request` with its parsed document from the cache, or parsed now (and kept when
    /// short). `None` when the text is not GraphQL: the schema then refuses it with the
    /// parser's message.
    fn with_document(&self, mut request: Request) -> (Request, Parsed) {
        if let Some(doc) = self
            .documents
            .lock()
            .ok()
            .and_then(|cache| cache.get(&request.query).cloned())
        {
            request.set_parsed_query(doc);
            return (request, Parsed::Yes);
        }
        let Ok(doc) = parse_query(&request.query) else {
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
        request.set_parsed_query(doc);
        (request, Parsed::Yes)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Parsed {
    Yes,
    No,
}

impl Executor for Api {
    async fn execute(&self, request: Request) -> Response {
        let (request, parsed) = self.with_document(request);
        let mut response = self.schema.execute(request).await;
        label_refusals(&mut response.errors, parsed);
        response
    }

    fn execute_stream(
        &self,
        request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        let (request, parsed) = self.with_document(request);
        self.schema
            .execute_stream_with_session_data(request, session_data.unwrap_or_default())
            .map(move |mut response| {
                label_refusals(&mut response.errors, parsed);
                response
            })
            .boxed()
    }
}

/// Codes the errors async-graphql raises before execution: they have no path and no
/// extensions (every resolver error has a code, and a path).
fn label_refusals(errors: &mut [ServerError], parsed: Parsed) {
    for e in errors
        .iter_mut()
        .filter(|e| e.extensions.is_none() && e.path.is_empty())
    {
        let code = match e.message.as_str() {
            "Query is too complex." => "QUERY_TOO_COMPLEX",
            "Query is nested too deep." => "QUERY_TOO_DEEP",
            m if m.starts_with("The recursion depth")
                || m.starts_with("The number of directives") =>
            {
                "QUERY_TOO_DEEP"
            }
            _ if parsed == Parsed::No => "GRAPHQL_PARSE_FAILED",
            _ => "GRAPHQL_VALIDATION_FAILED",
        };
        e.extensions
            .get_or_insert_with(Default::default)
            .set("code", code);
    }
}
