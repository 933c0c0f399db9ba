//! `LIMIT` written into the statement's text instead of bound as a parameter.
//!
//! PostgreSQL plans a prepared statement anew for every execution (a "custom plan") while it
//! believes a generic plan would be worse, and with `LIMIT $2` the generic plan must assume
//! a tenth of the table comes back, so it always does. With the literal limit the generic
//! plan is the right one and PostgreSQL keeps it: on the inbox list that saves about 0.4 ms
//! of planning per request (more than running the query). A page size is a small bounded
//! number, so the statement cache holds at most a few texts per list.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use diesel::{
    QueryResult,
    expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping, is_aggregate},
    pg::Pg,
    query_builder::{AstPass, Query, QueryFragment, QueryId},
    sql_types::{Array, Bool, Timestamptz, Uuid as SqlUuid},
};
use uuid::Uuid;

/// `query LIMIT n`, with `n` in the text. See the module's documentation.
#[derive(Debug, Clone, Copy)]
pub struct LiteralLimit<Q> {
    query: Q,
    limit: i64,
}

pub trait LiteralLimitDsl: Sized {
    /// At most `limit` rows, the limit written into the SQL text.
    fn literal_limit(self, limit: i64) -> LiteralLimit<Self> {
        LiteralLimit { query: self, limit }
    }
}

impl<Q: Query> LiteralLimitDsl for Q {}

impl<Q: QueryFragment<Pg>> QueryFragment<Pg> for LiteralLimit<Q> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.query.walk_ast(out.reborrow())?;
        out.push_sql(" LIMIT ");
        out.push_sql(&self.limit.to_string());
        Ok(())
    }
}

impl<Q: Query> Query for LiteralLimit<Q> {
    type SqlType = Q::SqlType;
}

/// No static id: the statement cache keys it by its text, which carries the limit.
impl<Q> QueryId for LiteralLimit<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

/// A filter on `table` keeping, for each parent id of a page, the ids of its first rows:
///
/// ```sql
/// table.id = ANY(ARRAY(SELECT x.id FROM unnest($parents) AS t(id) CROSS JOIN LATERAL
///     (SELECT x.id FROM table x WHERE x.org_id = $org AND x.parent = t.id [AND (x.at, x.id) < ($at, $id)]
///      ORDER BY order LIMIT n) x))
/// ```
///
/// One statement reads a whole page's threads, notes or turns, each parent's rows by its own
/// index scan, however many parents the page has. The names are the caller's constants; the
/// ids, the organization and the cursor are bound; the limit is in the text (see the module's
/// documentation).
#[derive(Debug, Clone, Copy)]
pub struct FirstPerParent<'a> {
    table: &'static str,
    parent_column: &'static str,
    parents: &'a [Uuid],
    org_id: Uuid,
    before: Option<Before>,
    order: &'static str,
    limit: i64,
}

/// Rows strictly before a keyset cursor: `(x.column, x.id) < (at, id)`.
#[derive(Debug, Clone, Copy)]
struct Before {
    column: &'static str,
    at: DateTime<Utc>,
    id: Uuid,
}

impl<'a> FirstPerParent<'a> {
    /// The first `limit` rows of `table` (its alias `x` in `order`) whose `parent_column` is
    /// one of `parents`, in `org_id`, for each parent.
    pub fn new(
        table: &'static str,
        parent_column: &'static str,
        parents: &'a [Uuid],
        org_id: Uuid,
        order: &'static str,
        limit: i64,
    ) -> Self {
        Self {
            table,
            parent_column,
            parents,
            org_id,
            before: None,
            order,
            limit,
        }
    }

    /// Only rows before the cursor `(at, id)` on `(column, id)`.
    pub fn before(self, column: &'static str, at: DateTime<Utc>, id: Uuid) -> Self {
        Self {
            before: Some(Before { column, at, id }),
            ..self
        }
    }
}

impl Expression for FirstPerParent<'_> {
    type SqlType = Bool;
}

impl<QS> AppearsOnTable<QS> for FirstPerParent<'_> {}

impl<QS> SelectableExpression<QS> for FirstPerParent<'_> {}

impl ValidGrouping<()> for FirstPerParent<'_> {
    type IsAggregate = is_aggregate::Never;
}

/// No static id: the statement cache keys it by its text.
impl QueryId for FirstPerParent<'_> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl QueryFragment<Pg> for FirstPerParent<'_> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_identifier(self.table)?;
        out.push_sql(".id = ANY(ARRAY(SELECT x.id FROM unnest(");
        out.push_bind_param::<Array<SqlUuid>, _>(&self.parents)?;
        out.push_sql(") AS t(id) CROSS JOIN LATERAL (SELECT x.id FROM ");
        out.push_identifier(self.table)?;
        out.push_sql(" x WHERE x.org_id = ");
        out.push_bind_param::<SqlUuid, _>(&self.org_id)?;
        out.push_sql(" AND x.");
        out.push_identifier(self.parent_column)?;
        out.push_sql(" = t.id");
        if let Some(before) = &self.before {
            out.push_sql(" AND (x.");
            out.push_identifier(before.column)?;
            out.push_sql(", x.id) < (");
            out.push_bind_param::<Timestamptz, _>(&before.at)?;
            out.push_sql(", ");
            out.push_bind_param::<SqlUuid, _>(&before.id)?;
            out.push_sql(")");
        }
        out.push_sql(" ORDER BY ");
        out.push_sql(self.order);
        out.push_sql(" LIMIT ");
        out.push_sql(&self.limit.to_string());
        out.push_sql(") x))");
        Ok(())
    }
}

/// `rows` grouped by the parent `parent_of` names, in their order, with every one of
/// `parents` present (empty when it has no rows); rows of other parents are left out.
pub fn group_by_parent<T>(
    parents: &[Uuid],
    rows: impl IntoIterator<Item = T>,
    parent_of: impl Fn(&T) -> Option<Uuid>,
) -> HashMap<Uuid, Vec<T>> {
    let mut groups: HashMap<Uuid, Vec<T>> = parents.iter().map(|id| (*id, Vec::new())).collect();
    for row in rows {
        if let Some(group) = parent_of(&row).and_then(|id| groups.get_mut(&id)) {
            group.push(row);
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_parent_has_its_rows_in_order_and_strays_are_left_out() {
        let (a, b, c) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let rows = [(a, 1), (b, 2), (a, 3), (Uuid::from_u128(9), 4)];
        let groups = group_by_parent(&[a, b, c], rows, |r| Some(r.0));
        assert_eq!(groups[&a], [(a, 1), (a, 3)]);
        assert_eq!(groups[&b], [(b, 2)]);
        assert!(groups[&c].is_empty());
        assert_eq!(groups.len(), 3);
    }

    #[test]
    fn the_statement_names_its_table_and_bounds_each_parent() {
        let parents = [Uuid::from_u128(1)];
        let at = DateTime::<Utc>::MAX_UTC;
        let filter = FirstPerParent::new(
            "messages",
            "conversation_id",
            &parents,
            Uuid::nil(),
            "x.sent_at DESC, x.id DESC",
            21,
        )
        .before("sent_at", at, Uuid::max());
        let sql = diesel::debug_query::<Pg, _>(&filter).to_string();
        assert!(
            sql.starts_with(
                "\"messages\".id = ANY(ARRAY(SELECT x.id FROM unnest($1) AS t(id) CROSS JOIN LATERAL \
                 (SELECT x.id FROM \"messages\" x WHERE x.org_id = $2 AND x.\"conversation_id\" = t.id \
                 AND (x.\"sent_at\", x.id) < ($3, $4) ORDER BY x.sent_at DESC, x.id DESC LIMIT 21) x))"
            ),
            "{sql}"
        );
    }
}
