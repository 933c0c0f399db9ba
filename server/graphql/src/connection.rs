//! Relay connections over the domain's pages. Cursors are opaque to clients; today they
//! are the last item's id.

use std::{collections::HashMap, future::Future, sync::Arc};

use async_graphql::{
    Context, OutputType,
    connection::{Connection, Edge},
};
use tokio::sync::OnceCell;
use uuid::Uuid;
use wagent_domain::{Access, CommonError, Page, Problem, values::InvalidValue};

use crate::{GqlResult, to_gql};

/// The rows a page read narrow (a card each), read whole for the whole page by the first
/// row asked for a field its card lacks: one statement for the page, whatever its size.
pub(crate) struct WholeRows<T> {
    /// Whom the page was read for.
    access: Access,
    ids: Vec<Uuid>,
    whole: OnceCell<HashMap<Uuid, T>>,
}

impl<T> WholeRows<T> {
    pub(crate) fn new(access: Access, mut ids: Vec<Uuid>) -> Arc<Self> {
        ids.sort_unstable();
        ids.dedup();
        Arc::new(Self {
            access,
            ids,
            whole: OnceCell::new(),
        })
    }

    pub(crate) fn access(&self) -> &Access {
        &self.access
    }

    /// Row `id` whole; `read` reads the page's rows by id and `key` names a row's id. A row
    /// gone before the read answers NOT_FOUND as `what`.
    pub(crate) async fn get<F, E>(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        what: &'static str,
        key: fn(&T) -> Uuid,
        read: impl FnOnce(Vec<Uuid>) -> F,
    ) -> async_graphql::Result<&T>
    where
        F: Future<Output = Result<Vec<T>, E>>,
        E: Problem,
    {
        let whole = self
            .whole
            .get_or_try_init(|| {
                Box::pin(async {
                    let rows = read(self.ids.clone()).await.gql(ctx)?;
                    Ok::<_, async_graphql::Error>(rows.into_iter().map(|r| (key(&r), r)).collect())
                })
            })
            .await?;
        whole.get(&id).ok_or(CommonError::NotFound(what)).gql(ctx)
    }
}

pub(crate) fn parse_after(
    ctx: &Context<'_>,
    after: Option<String>,
) -> async_graphql::Result<Option<Uuid>> {
    after
        .map(|a| {
            Uuid::parse_str(&a).map_err(|_| to_gql(ctx, CommonError::Invalid(InvalidValue::Cursor)))
        })
        .transpose()
}

pub(crate) fn connection<T, N: OutputType>(
    page: Page<T>,
    cursor: impl Fn(&T) -> Uuid,
    node: impl Fn(T) -> N,
    had_after: bool,
) -> Connection<String, N> {
    let mut c = Connection::new(had_after, page.has_next);
    c.edges.extend(
        page.items
            .into_iter()
            .map(|item| Edge::new(cursor(&item).to_string(), node(item))),
    );
    c
}

/// Whether the query asks for `field` of a connection's rows, under `edges { node }` or
/// under `nodes`: a row field read for the whole page in one statement is read only then.
pub(crate) fn rows_want(ctx: &Context<'_>, field: &str) -> bool {
    let ahead = ctx.look_ahead();
    ahead.field("edges").field("node").field(field).exists()
        || ahead.field("nodes").field(field).exists()
}

/// Rows a list returns when `first` is not given (the domain's default page size).
const DEFAULT_PAGE: usize = 50;
/// The largest page the domain serves; a larger `first` is refused with `VALIDATION`, so it
/// costs no more than this.
const MAX_PAGE: usize = 100;

/// The complexity of a list field: what one row costs times the rows it may return, so
/// that the schema's complexity limit bounds what one query can make the server read.
pub(crate) fn list_cost(first: Option<i32>, child_complexity: usize) -> usize {
    let rows = first.map_or(DEFAULT_PAGE, |n| {
        usize::try_from(n).unwrap_or(0).clamp(1, MAX_PAGE)
    });
    rows.saturating_mul(child_complexity)
}
