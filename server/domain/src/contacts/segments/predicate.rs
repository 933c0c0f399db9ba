//! A segment's filter as one SQL predicate over `contacts`, for any query on that table:
//! `contacts::table.filter(segment_predicate(&filter))`, an `INSERT ... SELECT`, or a count.
//!
//! The SQL text comes only from this file's constants and the filter's shape; every value
//! (tags, field keys and values, countries, times, days) is a bound parameter. Texts vary
//! with the filter's shape, so the statement is not kept in the connection's cache.

use chrono::{DateTime, Utc};
use diesel::{
    QueryResult,
    expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping, is_aggregate},
    pg::Pg,
    query_builder::{AstPass, Query, QueryFragment, QueryId},
    sql_types::{Array, BigInt, Bool, Integer, Jsonb, Text, Timestamptz},
};
use serde_json::Value;
use uuid::Uuid;
use wagent_db::schema::contacts;

use super::filter::{ActivityWhen, Direction, FieldTest, SegmentFilter};

/// One piece of the predicate: SQL text of ours, or a value bound as a parameter.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Sql(&'static str),
    Text(String),
    Texts(Vec<String>),
    Json(Value),
    Time(DateTime<Utc>),
    Int(i32),
}

/// A boolean SQL expression on `contacts` that holds for the contacts of a filter.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentPredicate {
    pieces: Vec<Piece>,
}

impl SegmentPredicate {
    fn sql(&mut self, text: &'static str) -> &mut Self {
        self.pieces.push(Piece::Sql(text));
        self
    }

    fn bind(&mut self, value: Piece) -> &mut Self {
        self.pieces.push(value);
        self
    }

    fn key(&mut self, key: &str) -> &mut Self {
        self.bind(Piece::Text(key.to_owned()))
    }
}

/// `filter` as one predicate; every condition must hold (`TRUE` for an empty filter).
pub fn segment_predicate(filter: &SegmentFilter) -> SegmentPredicate {
    let mut p = SegmentPredicate { pieces: Vec::new() };
    let mut first = true;
    let mut next = |p: &mut SegmentPredicate| {
        if !std::mem::take(&mut first) {
            p.sql(" AND ");
        }
    };
    let tags = &filter.tags;
    for (list, open) in [
        (&tags.all_of, "contacts.tags @> "),
        (&tags.any_of, "contacts.tags && "),
        (&tags.none_of, "NOT (contacts.tags && "),
    ] {
        if list.is_empty() {
            continue;
        }
        next(&mut p);
        p.sql("(").sql(open).bind(Piece::Texts(list.clone()));
        if open.starts_with("NOT") {
            p.sql(")");
        }
        p.sql(")");
    }
    if !filter.countries.is_empty() {
        next(&mut p);
        p.sql("contacts.country = ANY(")
            .bind(Piece::Texts(filter.countries.clone()))
            .sql(")");
    }
    if !filter.marketing.is_empty() {
        next(&mut p);
        let states = filter.marketing.iter().map(|m| m.as_str().to_owned());
        p.sql("contacts.marketing = ANY(")
            .bind(Piece::Texts(states.collect()))
            .sql(")");
    }
    for condition in &filter.fields {
        next(&mut p);
        let key = condition.key.as_str();
        // Each test first checks the value's JSON type, so that comparing never fails on a
        // value of another type.
        let typed = |p: &mut SegmentPredicate, json_type: &'static str| {
            p.sql("(jsonb_typeof(contacts.fields -> ")
                .key(key)
                .sql(json_type)
                .sql(" AND ");
        };
        match &condition.test {
            FieldTest::Equals {
                value: Value::String(text),
            } => {
                typed(&mut p, ") = 'string'");
                p.sql("lower(contacts.fields ->> ")
                    .key(key)
                    .sql(") = lower(")
                    .bind(Piece::Text(text.clone()))
                    .sql("))");
            }
            FieldTest::Equals { value } => {
                p.sql("contacts.fields -> ")
                    .key(key)
                    .sql(" = ")
                    .bind(Piece::Json(value.clone()));
            }
            FieldTest::Contains { text } => {
                typed(&mut p, ") = 'string'");
                p.sql("contacts.fields ->> ")
                    .key(key)
                    .sql(" ILIKE ")
                    .bind(Piece::Text(like_pattern(text)))
                    .sql(")");
            }
            FieldTest::Before { date } | FieldTest::After { date } => {
                // Dates are stored as YYYY-MM-DD, which sort as bytes.
                typed(&mut p, ") = 'string'");
                let op = if matches!(condition.test, FieldTest::Before { .. }) {
                    ") COLLATE \"C\" < "
                } else {
                    ") COLLATE \"C\" > "
                };
                p.sql("(contacts.fields ->> ")
                    .key(key)
                    .sql(op)
                    .bind(Piece::Text(date.format("%Y-%m-%d").to_string()))
                    .sql(")");
            }
            FieldTest::Greater { number } | FieldTest::Less { number } => {
                typed(&mut p, ") = 'number'");
                let op = if matches!(condition.test, FieldTest::Greater { .. }) {
                    " > "
                } else {
                    " < "
                };
                let number =
                    serde_json::Number::from_f64(*number).map_or(Value::Null, Value::Number);
                p.sql("contacts.fields -> ")
                    .key(key)
                    .sql(op)
                    .bind(Piece::Json(number))
                    .sql(")");
            }
            FieldTest::IsSet => {
                p.sql("contacts.fields ? ").key(key);
            }
            FieldTest::IsNotSet => {
                p.sql("NOT (contacts.fields ? ").key(key).sql(")");
            }
        }
    }
    for condition in &filter.activity {
        next(&mut p);
        let column = match condition.direction {
            Direction::Inbound => "contacts.last_inbound_at",
            Direction::Outbound => "contacts.last_outbound_at",
        };
        match &condition.when {
            ActivityWhen::Before { at } => {
                p.sql(column).sql(" < ").bind(Piece::Time(*at));
            }
            ActivityWhen::After { at } => {
                p.sql(column).sql(" > ").bind(Piece::Time(*at));
            }
            ActivityWhen::WithinDays { days } => {
                p.sql(column)
                    .sql(" >= now() - make_interval(days => ")
                    .bind(Piece::Int(*days))
                    .sql(")");
            }
            ActivityWhen::NotWithinDays { days } => {
                p.sql("(")
                    .sql(column)
                    .sql(" IS NULL OR ")
                    .sql(column)
                    .sql(" < now() - make_interval(days => ")
                    .bind(Piece::Int(*days))
                    .sql("))");
            }
            ActivityWhen::Never => {
                p.sql(column).sql(" IS NULL");
            }
        }
    }
    if first {
        p.sql("TRUE");
    }
    p
}

/// `%text%` for ILIKE, with the text's own `%`, `_` and `\` taken literally.
fn like_pattern(text: &str) -> String {
    format!(
        "%{}%",
        text.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    )
}

impl Expression for SegmentPredicate {
    type SqlType = Bool;
}

impl QueryFragment<Pg> for SegmentPredicate {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        // The text depends on the filter's shape: keep no prepared statement per shape.
        out.unsafe_to_cache_prepared();
        out.push_sql("(");
        for piece in &self.pieces {
            match piece {
                Piece::Sql(text) => out.push_sql(text),
                Piece::Text(v) => out.push_bind_param::<Text, _>(v)?,
                Piece::Texts(v) => out.push_bind_param::<Array<Text>, _>(v)?,
                Piece::Json(v) => out.push_bind_param::<Jsonb, _>(v)?,
                Piece::Time(v) => out.push_bind_param::<Timestamptz, _>(v)?,
                Piece::Int(v) => out.push_bind_param::<Integer, _>(v)?,
            }
        }
        out.push_sql(")");
        Ok(())
    }
}

impl QueryId for SegmentPredicate {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl AppearsOnTable<contacts::table> for SegmentPredicate {}

impl SelectableExpression<contacts::table> for SegmentPredicate {}

impl<GB> ValidGrouping<GB> for SegmentPredicate {
    type IsAggregate = is_aggregate::Never;
}

/// How many of an organization's contacts each predicate matches, in one scan of its
/// contacts: `SELECT ARRAY[count(*) FILTER (WHERE p1), ...] FROM contacts WHERE org_id = $1`.
#[derive(Debug, Clone)]
pub(crate) struct SegmentCounts {
    pub org_id: Uuid,
    pub predicates: Vec<SegmentPredicate>,
}

impl Query for SegmentCounts {
    type SqlType = Array<BigInt>;
}

impl QueryFragment<Pg> for SegmentCounts {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.unsafe_to_cache_prepared();
        out.push_sql("SELECT ARRAY[");
        for (i, predicate) in self.predicates.iter().enumerate() {
            if i > 0 {
                out.push_sql(", ");
            }
            out.push_sql("count(*) FILTER (WHERE ");
            predicate.walk_ast(out.reborrow())?;
            out.push_sql(")");
        }
        out.push_sql("]::bigint[] FROM contacts WHERE contacts.org_id = ");
        out.push_bind_param::<diesel::sql_types::Uuid, _>(&self.org_id)?;
        Ok(())
    }
}

impl QueryId for SegmentCounts {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use diesel::{QueryDsl, debug_query};

    use super::*;
    use crate::contacts::{
        Marketing,
        segments::filter::{ActivityCondition, FieldCondition, TagCondition},
    };

    fn sql(filter: &SegmentFilter) -> String {
        let query = contacts::table
            .filter(segment_predicate(filter))
            .select(contacts::id);
        debug_query::<Pg, _>(&query).to_string()
    }

    #[test]
    fn an_empty_filter_matches_every_contact() {
        assert!(sql(&SegmentFilter::default()).contains("WHERE (TRUE)"));
    }

    #[test]
    fn every_value_is_a_parameter_and_every_condition_must_hold() {
        let filter = SegmentFilter {
            tags: TagCondition {
                all_of: vec!["vip".into()],
                any_of: vec![],
                none_of: vec!["'; DROP TABLE contacts; --".into()],
            },
            fields: vec![
                FieldCondition {
                    key: "plan".into(),
                    test: FieldTest::Equals {
                        value: Value::String("Gold".into()),
                    },
                },
                FieldCondition {
                    key: "since".into(),
                    test: FieldTest::Before {
                        date: NaiveDate::from_ymd_opt(2024, 1, 31).unwrap(),
                    },
                },
                FieldCondition {
                    key: "city".into(),
                    test: FieldTest::Contains {
                        text: "50%_off".into(),
                    },
                },
            ],
            countries: vec!["BR".into()],
            marketing: vec![Marketing::OptedIn],
            activity: vec![ActivityCondition {
                direction: Direction::Inbound,
                when: ActivityWhen::WithinDays { days: 30 },
            }],
        };
        let text = sql(&filter);
        let (statement, binds) = text.split_once("-- binds:").unwrap();
        assert!(!statement.contains("DROP"), "{statement}");
        assert!(!statement.contains("Gold"), "{statement}");
        assert_eq!(statement.matches(" AND ").count(), 7 + 3, "{statement}");
        assert!(
            statement.contains("NOT (contacts.tags && $2)"),
            "{statement}"
        );
        assert!(
            statement.contains("make_interval(days => $14)"),
            "{statement}"
        );
        assert!(binds.contains("DROP TABLE"), "{binds}");
        assert!(binds.contains("\"%50\\\\%\\\\_off%\""), "{binds}");
    }
}
