//! Lists of rows answered without a future per field.
//!
//! async-graphql resolves every field of every object through its own boxed future, and
//! joins the edges of a list through one more. For the inbox page (50 rows of about 25
//! fields) that machinery cost more than the query. The row types of the hot lists also
//! implement [`PlainObject`]: when every selected field is a value the row already holds,
//! [`PlainConnection`] builds the answer in one synchronous walk of the selection. When any
//! selected field needs its resolver (arguments, a query, an error), the whole list goes
//! through async-graphql as before, so the two paths cannot disagree on anything but the
//! plain values, which a test compares field by field.

use std::{borrow::Cow, collections::HashMap};

use async_graphql::{
    ContextSelectionSet, Name, OutputType, Positioned, ScalarType, ServerResult, Value,
    connection::{Connection, Edge, EmptyFields, PageInfo},
    indexmap::{IndexMap, map::Entry},
    parser::types::{Field, FragmentDefinition, Selection, SelectionSet},
    registry::Registry,
};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A GraphQL object whose fields are, for the most part, values it already holds.
pub(crate) trait PlainObject: OutputType {
    /// The value of the field `name`, with `selection` its own selection when the field is
    /// an object; `None` when the field needs its resolver.
    fn plain_field(&self, name: &str, selection: PlainSelection<'_>) -> Option<Value>;
}

/// A selection set being answered, with the query's fragments it may spread.
#[derive(Clone, Copy)]
pub(crate) struct PlainSelection<'a> {
    set: &'a SelectionSet,
    fragments: &'a HashMap<Name, Positioned<FragmentDefinition>>,
}

impl<'a> PlainSelection<'a> {
    /// `row` as an object value, or `None` when a selected field needs its resolver.
    pub(crate) fn object<T: PlainObject>(self, row: &T) -> Option<Value> {
        let mut fields = IndexMap::with_capacity(self.set.items.len().max(8));
        self.collect(row, &mut fields)?;
        // As async-graphql answers an object none of whose fields were selected.
        Some(if fields.is_empty() {
            Value::Null
        } else {
            Value::Object(fields)
        })
    }

    /// Each row as an object value.
    pub(crate) fn list<'r, T: PlainObject + 'r>(
        self,
        rows: impl ExactSizeIterator<Item = &'r T>,
    ) -> Option<Value> {
        let mut list = Vec::with_capacity(rows.len());
        for row in rows {
            list.push(self.object(row)?);
        }
        Some(Value::List(list))
    }

    /// `row` as an object value when it is there, else null.
    pub(crate) fn optional<T: PlainObject>(self, row: Option<&T>) -> Option<Value> {
        row.map_or(Some(Value::Null), |row| self.object(row))
    }

    fn collect<T: PlainObject>(self, row: &T, fields: &mut IndexMap<Name, Value>) -> Option<()> {
        for selection in &self.set.items {
            let (condition, set) = match &selection.node {
                Selection::Field(field) => {
                    let value = self.field(row, &field.node)?;
                    insert(fields, &field.node.response_key().node, value);
                    continue;
                }
                Selection::FragmentSpread(spread) => {
                    let fragment = self.fragments.get(&spread.node.fragment_name.node)?;
                    (
                        Some(&fragment.node.type_condition.node.on.node),
                        &fragment.node.selection_set.node,
                    )
                }
                Selection::InlineFragment(fragment) => (
                    fragment
                        .node
                        .type_condition
                        .as_ref()
                        .map(|c| &c.node.on.node),
                    &fragment.node.selection_set.node,
                ),
            };
            // The row types implement no interface, so a valid query's fragment on them is
            // on their own type; anything else takes async-graphql's path.
            if condition.is_some_and(|on| on.as_str() != T::type_name()) {
                return None;
            }
            Self { set, ..self }.collect(row, fields)?;
        }
        Some(())
    }

    fn field<T: PlainObject>(self, row: &T, field: &'a Field) -> Option<Value> {
        let name = field.name.node.as_str();
        if name == "__typename" {
            return Some(Value::String(T::type_name().into_owned()));
        }
        if !field.arguments.is_empty() || !field.directives.is_empty() {
            return None;
        }
        row.plain_field(
            name,
            Self {
                set: &field.selection_set.node,
                ..self
            },
        )
    }
}

/// Merges a field selected twice (`contact { id }` and a fragment's `contact { waId }`) as
/// async-graphql does; validation guarantees the two have the same shape.
fn insert(fields: &mut IndexMap<Name, Value>, key: &Name, value: Value) {
    // A key of its own rather than a clone of the parsed query's: the parsed query is shared
    // by every request that sends it, and thousands of reference counts moving between
    // cores cost more than copying the few bytes of a key.
    match fields.entry(Name::new(key.as_str())) {
        Entry::Occupied(mut old) => merge(old.get_mut(), value),
        Entry::Vacant(slot) => {
            slot.insert(value);
        }
    }
}

fn merge(old: &mut Value, new: Value) {
    match (old, new) {
        (Value::Object(old), Value::Object(new)) => {
            for (key, value) in new {
                insert(old, &key, value);
            }
        }
        (Value::List(old), Value::List(new)) => {
            for (old, new) in old.iter_mut().zip(new) {
                merge(old, new);
            }
        }
        _ => {}
    }
}

/// A Relay connection of rows that resolves in one walk when it can. Its GraphQL type is
/// async-graphql's `Connection<String, T>` exactly, so the schema does not change.
pub(crate) struct PlainConnection<T: PlainObject>(pub Connection<String, T>);

impl<T: PlainObject> OutputType for PlainConnection<T> {
    fn type_name() -> Cow<'static, str> {
        Connection::<String, T>::type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        Connection::<String, T>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        let selection = PlainSelection {
            set: &ctx.item.node,
            fragments: &ctx.query_env.fragments,
        };
        match selection.object(self) {
            Some(value) => Ok(value),
            None => self.0.resolve(ctx, field).await,
        }
    }
}

impl<T: PlainObject> PlainObject for PlainConnection<T> {
    fn plain_field(&self, name: &str, selection: PlainSelection<'_>) -> Option<Value> {
        let edges = &self.0.edges;
        match name {
            "edges" => selection.list(edges.iter()),
            "nodes" => selection.list(edges.iter().map(|e| &e.node)),
            "pageInfo" => selection.object(&PageInfo {
                has_previous_page: self.0.has_previous_page,
                has_next_page: self.0.has_next_page,
                start_cursor: edges.first().map(|e| e.cursor.clone()),
                end_cursor: edges.last().map(|e| e.cursor.clone()),
            }),
            _ => None,
        }
    }
}

impl<T: PlainObject> PlainObject for Edge<String, T, EmptyFields> {
    fn plain_field(&self, name: &str, selection: PlainSelection<'_>) -> Option<Value> {
        match name {
            "cursor" => Some(self.cursor.plain()),
            "node" => selection.object(&self.node),
            _ => None,
        }
    }
}

impl PlainObject for PageInfo {
    fn plain_field(&self, name: &str, _: PlainSelection<'_>) -> Option<Value> {
        Some(match name {
            "hasPreviousPage" => self.has_previous_page.plain(),
            "hasNextPage" => self.has_next_page.plain(),
            "startCursor" => self.start_cursor.plain(),
            "endCursor" => self.end_cursor.plain(),
            _ => return None,
        })
    }
}

/// A field's value as async-graphql's derived resolver would answer it.
pub(crate) trait PlainValue {
    fn plain(&self) -> Value;
}

impl PlainValue for str {
    fn plain(&self) -> Value {
        Value::String(self.to_owned())
    }
}

impl PlainValue for String {
    fn plain(&self) -> Value {
        Value::String(self.clone())
    }
}

/// As `ID` and the `UUID` scalar.
impl PlainValue for Uuid {
    fn plain(&self) -> Value {
        let mut text = Uuid::encode_buffer();
        Value::String(self.hyphenated().encode_lower(&mut text).to_owned())
    }
}

impl PlainValue for bool {
    fn plain(&self) -> Value {
        Value::Boolean(*self)
    }
}

impl PlainValue for i32 {
    fn plain(&self) -> Value {
        Value::Number((*self).into())
    }
}

impl PlainValue for DateTime<Utc> {
    fn plain(&self) -> Value {
        self.to_value()
    }
}

impl<T: PlainValue> PlainValue for [T] {
    fn plain(&self) -> Value {
        Value::List(self.iter().map(PlainValue::plain).collect())
    }
}

impl<T: PlainValue + ?Sized> PlainValue for &T {
    fn plain(&self) -> Value {
        (**self).plain()
    }
}

impl<T: PlainValue> PlainValue for Option<T> {
    fn plain(&self) -> Value {
        self.as_ref().map_or(Value::Null, PlainValue::plain)
    }
}
