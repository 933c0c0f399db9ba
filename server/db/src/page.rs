//! `LIMIT` written into the statement's text instead of bound as a parameter.
//!
//! PostgreSQL plans a prepared statement anew for every execution (a "custom plan") while it
//! believes a generic plan would be worse, and with `LIMIT $2` the generic plan must assume
//! a tenth of the table comes back, so it always does. With the literal limit the generic
//! plan is the right one and PostgreSQL keeps it: on the inbox list that saves about 0.4 ms
//! of planning per request (more than running the query). A page size is a small bounded
//! number, so the statement cache holds at most a few texts per list.

use diesel::{
    QueryResult,
    pg::Pg,
    query_builder::{AstPass, Query, QueryFragment, QueryId},
};

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
