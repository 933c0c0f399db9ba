//! Relay connections over the domain's pages. Cursors are opaque to clients; today they
//! are the last item's id.

use async_graphql::{
    Context, OutputType,
    connection::{Connection, Edge},
};
use uuid::Uuid;
use wagent_domain::{DomainError, Page};

use crate::to_gql;

pub(crate) fn parse_after(
    ctx: &Context<'_>,
    after: Option<String>,
) -> async_graphql::Result<Option<Uuid>> {
    after
        .map(|a| {
            Uuid::parse_str(&a).map_err(|_| {
                to_gql(
                    ctx,
                    DomainError::validation("`after` is not a cursor from this list"),
                )
            })
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
