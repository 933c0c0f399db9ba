//! Relay connections over the domain's pages. Cursors are opaque to clients; today they
//! are the last item's id.

use async_graphql::{
    Context, OutputType,
    connection::{Connection, Edge},
};
use uuid::Uuid;
use wagent_domain::{CommonError, Page, values::InvalidValue};

use crate::to_gql;

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
