//! Lists of rows answered without a future per field, written straight to JSON.
//!
//! async-graphql resolves every field of every object through its own boxed future, joins
//! the edges of a list through one more, and builds a tree of values (a map per object, a
//! string per value) that is then serialised and dropped. For the inbox page (50 rows of
//! about 30 fields) that machinery cost more than the query. The row types of the hot lists
//! also implement [`PlainObject`]: when every selected field is a value the row already
//! holds, [`PlainConnection`] writes the answer's JSON in one synchronous walk of the
//! selection.
//!
//! Over HTTP ([`crate::Api::execute_json`]) that JSON goes into the response as it is: the
//! list's value in async-graphql's answer is a placeholder that names it, replaced when the
//! answer is serialised ([`RawJson`]). Elsewhere (the websocket) the JSON is read back into
//! a value. When any selected field needs its resolver (arguments, a query, an error), or a
//! response key repeats (async-graphql merges those), the whole list goes through
//! async-graphql as before, so the two paths cannot disagree on anything but the plain
//! values, which a test compares field by field.

use std::{
    borrow::Cow,
    collections::HashMap,
    sync::{Arc, LazyLock, Mutex},
};

use async_graphql::{
    ContextSelectionSet, Name, OutputType, Positioned, ScalarType, ServerResult, Value,
    connection::{Connection, Edge, EmptyFields, PageInfo},
    parser::types::{
        DocumentOperations, ExecutableDocument, Field, FragmentDefinition, Selection, SelectionSet,
    },
    registry::Registry,
    resolver_utils::EnumType,
};
use chrono::{DateTime, Utc};
use uuid::Uuid;

/// A GraphQL object whose fields are, for the most part, values it already holds.
pub(crate) trait PlainObject: OutputType {
    /// Writes the value of the field `name` to `out`, with `selection` its own selection
    /// when the field is an object; `None` when the field needs its resolver.
    fn plain_field(
        &self,
        name: &str,
        selection: PlainSelection<'_>,
        out: &mut PlainJson,
    ) -> Option<()>;
}

/// The JSON text being written.
pub(crate) struct PlainJson(Vec<u8>);

impl PlainJson {
    /// Writes a value the row holds.
    pub(crate) fn value<V: PlainValue + ?Sized>(&mut self, value: &V) {
        value.write(self);
    }

    /// Writes an enum value as async-graphql answers it: its GraphQL name.
    pub(crate) fn enum_item<E: EnumType + PartialEq>(&mut self, value: E) {
        match E::items().iter().find(|item| item.value == value) {
            Some(item) => self.string(item.name),
            None => self.raw(b"null"),
        }
    }

    /// Writes any value as async-graphql serialises it.
    pub(crate) fn any(&mut self, value: &impl serde::Serialize) {
        // Writing to a vector cannot fail, and a value always serialises.
        let _ = serde_json::to_writer(&mut self.0, value);
    }

    fn string(&mut self, text: &str) {
        let _ = serde_json::to_writer(&mut self.0, text);
    }

    fn raw(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }

    /// One byte of punctuation: a push, where `raw` would call `memcpy`.
    fn byte(&mut self, byte: u8) {
        self.0.push(byte);
    }
}

/// A selection set being answered, with the query's fragments it may spread.
#[derive(Clone, Copy)]
pub(crate) struct PlainSelection<'a> {
    set: &'a SelectionSet,
    fragments: &'a HashMap<Name, Positioned<FragmentDefinition>>,
}

impl<'a> PlainSelection<'a> {
    /// Writes `row` as an object, or returns `None` when a selected field needs its
    /// resolver.
    pub(crate) fn object<T: PlainObject>(self, row: &T, out: &mut PlainJson) -> Option<()> {
        let start = out.0.len();
        out.byte(b'{');
        self.collect(row, out)?;
        if out.0.len() == start + 1 {
            // As async-graphql answers an object none of whose fields were selected.
            out.0.truncate(start);
            out.raw(b"null");
        } else {
            out.byte(b'}');
        }
        Some(())
    }

    /// Writes each row as an object.
    pub(crate) fn list<'r, T: PlainObject + 'r>(
        self,
        rows: impl Iterator<Item = &'r T>,
        out: &mut PlainJson,
    ) -> Option<()> {
        out.byte(b'[');
        for (i, row) in rows.enumerate() {
            if i > 0 {
                out.byte(b',');
            }
            self.object(row, out)?;
        }
        out.byte(b']');
        Some(())
    }

    /// Writes `row` as an object when it is there, else null.
    pub(crate) fn optional<T: PlainObject>(
        self,
        row: Option<&T>,
        out: &mut PlainJson,
    ) -> Option<()> {
        match row {
            Some(row) => self.object(row, out),
            None => {
                out.raw(b"null");
                Some(())
            }
        }
    }

    /// Writes the selected fields of `row`, each after a comma but the first of the object.
    fn collect<T: PlainObject>(self, row: &T, out: &mut PlainJson) -> Option<()> {
        for selection in &self.set.items {
            let (condition, set) = match &selection.node {
                Selection::Field(field) => {
                    self.field(row, &field.node, out)?;
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
            Self { set, ..self }.collect(row, out)?;
        }
        Some(())
    }

    fn field<T: PlainObject>(self, row: &T, field: &'a Field, out: &mut PlainJson) -> Option<()> {
        if !field.arguments.is_empty() || !field.directives.is_empty() {
            return None;
        }
        if out.0.last() != Some(&b'{') {
            out.byte(b',');
        }
        // Response keys are GraphQL names: nothing in them needs escaping.
        out.byte(b'"');
        out.raw(field.response_key().node.as_bytes());
        out.raw(b"\":");
        let name = field.name.node.as_str();
        if name == "__typename" {
            out.string(&T::type_name());
            return Some(());
        }
        row.plain_field(
            name,
            Self {
                set: &field.selection_set.node,
                ..self
            },
            out,
        )
    }

    /// True when a response key appears twice in one selection set of this one or below
    /// (fragments spread in): async-graphql merges those, the walk does not.
    fn repeats_a_key(self) -> bool {
        repeats_a_key(self.set, self.fragments)
    }
}

/// Selections nested (fields and fragments) deeper than this are taken to repeat: validation
/// refuses fragment cycles, but this also runs on documents it has not seen yet.
const NESTING: usize = 32;

/// True when a response key appears twice in one selection set of `set` or below.
fn repeats_a_key(
    set: &SelectionSet,
    fragments: &HashMap<Name, Positioned<FragmentDefinition>>,
) -> bool {
    let mut keys = Vec::new();
    repeats_in(set, fragments, &mut keys, 0)
}

fn repeats_in<'a>(
    set: &'a SelectionSet,
    fragments: &'a HashMap<Name, Positioned<FragmentDefinition>>,
    keys: &mut Vec<&'a str>,
    depth: usize,
) -> bool {
    if depth > NESTING {
        return true;
    }
    for selection in &set.items {
        let set = match &selection.node {
            Selection::Field(field) => {
                let key = field.node.response_key().node.as_str();
                if keys.contains(&key)
                    || repeats_in(
                        &field.node.selection_set.node,
                        fragments,
                        &mut Vec::new(),
                        depth + 1,
                    )
                {
                    return true;
                }
                keys.push(key);
                continue;
            }
            Selection::FragmentSpread(spread) => {
                match fragments.get(&spread.node.fragment_name.node) {
                    Some(fragment) => &fragment.node.selection_set.node,
                    None => return true,
                }
            }
            Selection::InlineFragment(fragment) => &fragment.node.selection_set.node,
        };
        if repeats_in(set, fragments, keys, depth + 1) {
            return true;
        }
    }
    false
}

/// True when some selection set of `doc` repeats a response key (see [`RawJson`]).
pub fn document_repeats_a_key(doc: &ExecutableDocument) -> bool {
    let fragments = &doc.fragments;
    let mut operations: Box<dyn Iterator<Item = _>> = match &doc.operations {
        DocumentOperations::Single(op) => Box::new(std::iter::once(op)),
        DocumentOperations::Multiple(ops) => Box::new(ops.values()),
    };
    operations.any(|op| repeats_a_key(&op.node.selection_set.node, fragments))
}

/// The JSON of lists written by the walk for one HTTP answer, each in the answer's value
/// as a placeholder string that names it.
///
/// The placeholder holds a number drawn when the process starts, so no text a customer
/// writes can stand for one; the answer's serialisation replaces each placeholder, quotes
/// included, with its JSON. It is only used for documents in which no response key
/// repeats ([`document_repeats_a_key`]): async-graphql merges a repeated key's two values,
/// and two placeholders do not merge.
#[derive(Clone, Default)]
pub struct RawJson(Arc<Mutex<Vec<Vec<u8>>>>);

/// The number drawn when the process starts, in every placeholder.
static NONCE: LazyLock<String> = LazyLock::new(|| Uuid::new_v4().simple().to_string());

/// `\u{1}` keeps the placeholder out of anything a person types.
static PLACEHOLDER: LazyLock<String> = LazyLock::new(|| format!("\u{1}wagent-raw-{}-", *NONCE));

/// The placeholder's start as serde_json writes it (`tests/plain.rs` holds the two together).
static SERIALISED_PLACEHOLDER: LazyLock<String> =
    LazyLock::new(|| format!("\"\\u0001wagent-raw-{}-", *NONCE));

impl RawJson {
    /// Keeps `json` and answers the placeholder that stands for it.
    pub fn keep(&self, json: Vec<u8>) -> Option<Value> {
        let mut pieces = self.0.lock().ok()?;
        pieces.push(json);
        Some(Value::String(format!(
            "{}{}",
            *PLACEHOLDER,
            pieces.len() - 1
        )))
    }

    /// `answer`, serialised, with the placeholders replaced by their JSON.
    pub fn splice(self, answer: &impl serde::Serialize) -> serde_json::Result<Vec<u8>> {
        let body = serde_json::to_vec(answer)?;
        let pieces = std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()));
        if pieces.is_empty() {
            return Ok(body);
        }
        let needle = SERIALISED_PLACEHOLDER.as_bytes();
        let finder = memchr::memmem::Finder::new(needle);
        let mut out = Vec::with_capacity(body.len() + pieces.iter().map(Vec::len).sum::<usize>());
        let mut rest = &body[..];
        while let Some(at) = finder.find(rest) {
            let after = &rest[at + needle.len()..];
            let digits = after.iter().take_while(|b| b.is_ascii_digit()).count();
            let piece = std::str::from_utf8(&after[..digits])
                .ok()
                .and_then(|n| n.parse::<usize>().ok())
                .and_then(|n| pieces.get(n));
            match (piece, after.get(digits)) {
                (Some(piece), Some(b'"')) => {
                    out.extend_from_slice(&rest[..at]);
                    out.extend_from_slice(piece);
                    rest = &after[digits + 1..];
                }
                // Not one of ours after all: keep it as it is.
                _ => {
                    out.extend_from_slice(&rest[..at + needle.len()]);
                    rest = after;
                }
            }
        }
        out.extend_from_slice(rest);
        Ok(out)
    }
}

/// A Relay connection of rows that resolves in one walk when it can. Its GraphQL type is
/// async-graphql's `Connection<String, T>` exactly, so the schema does not change.
pub(crate) struct PlainConnection<T: PlainObject>(pub Connection<String, T>);

/// A 50-row inbox page is about 25 kB.
const PAGE_CAPACITY: usize = 32 * 1024;

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
        let raw = ctx.data_opt::<RawJson>();
        // With raw JSON the whole document was checked once, when it was parsed.
        if raw.is_some() || !selection.repeats_a_key() {
            let mut out = PlainJson(Vec::with_capacity(PAGE_CAPACITY));
            if selection.object(self, &mut out).is_some() {
                let value = match raw {
                    Some(raw) => raw.keep(out.0),
                    None => serde_json::from_slice(&out.0).ok(),
                };
                if let Some(value) = value {
                    return Ok(value);
                }
            }
        }
        self.0.resolve(ctx, field).await
    }
}

impl<T: PlainObject> PlainObject for PlainConnection<T> {
    fn plain_field(
        &self,
        name: &str,
        selection: PlainSelection<'_>,
        out: &mut PlainJson,
    ) -> Option<()> {
        let edges = &self.0.edges;
        match name {
            "edges" => selection.list(edges.iter(), out),
            "nodes" => selection.list(edges.iter().map(|e| &e.node), out),
            "pageInfo" => selection.object(
                &PageInfo {
                    has_previous_page: self.0.has_previous_page,
                    has_next_page: self.0.has_next_page,
                    start_cursor: edges.first().map(|e| e.cursor.clone()),
                    end_cursor: edges.last().map(|e| e.cursor.clone()),
                },
                out,
            ),
            _ => None,
        }
    }
}

impl<T: PlainObject> PlainObject for Edge<String, T, EmptyFields> {
    fn plain_field(
        &self,
        name: &str,
        selection: PlainSelection<'_>,
        out: &mut PlainJson,
    ) -> Option<()> {
        match name {
            "cursor" => out.value(&self.cursor),
            "node" => return selection.object(&self.node, out),
            _ => return None,
        }
        Some(())
    }
}

impl PlainObject for PageInfo {
    fn plain_field(&self, name: &str, _: PlainSelection<'_>, out: &mut PlainJson) -> Option<()> {
        match name {
            "hasPreviousPage" => out.value(&self.has_previous_page),
            "hasNextPage" => out.value(&self.has_next_page),
            "startCursor" => out.value(&self.start_cursor),
            "endCursor" => out.value(&self.end_cursor),
            _ => return None,
        }
        Some(())
    }
}

/// A field's value as async-graphql's derived resolver would answer it.
pub(crate) trait PlainValue {
    fn write(&self, out: &mut PlainJson);
}

impl PlainValue for str {
    fn write(&self, out: &mut PlainJson) {
        out.string(self);
    }
}

impl PlainValue for String {
    fn write(&self, out: &mut PlainJson) {
        out.string(self);
    }
}

/// As `ID` and the `UUID` scalar.
impl PlainValue for Uuid {
    fn write(&self, out: &mut PlainJson) {
        let mut text = Uuid::encode_buffer();
        out.byte(b'"');
        out.raw(self.hyphenated().encode_lower(&mut text).as_bytes());
        out.byte(b'"');
    }
}

impl PlainValue for bool {
    fn write(&self, out: &mut PlainJson) {
        out.raw(if *self { b"true" } else { b"false" });
    }
}

impl PlainValue for i32 {
    fn write(&self, out: &mut PlainJson) {
        let _ = serde_json::to_writer(&mut out.0, self);
    }
}

impl PlainValue for DateTime<Utc> {
    fn write(&self, out: &mut PlainJson) {
        out.any(&self.to_value());
    }
}

impl<T: PlainValue> PlainValue for [T] {
    fn write(&self, out: &mut PlainJson) {
        out.byte(b'[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.byte(b',');
            }
            item.write(out);
        }
        out.byte(b']');
    }
}

impl<T: PlainValue> PlainValue for Vec<T> {
    fn write(&self, out: &mut PlainJson) {
        self.as_slice().write(out);
    }
}

impl<T: PlainValue + ?Sized> PlainValue for &T {
    fn write(&self, out: &mut PlainJson) {
        (**self).write(out);
    }
}

impl<T: PlainValue> PlainValue for Option<T> {
    fn write(&self, out: &mut PlainJson) {
        match self {
            Some(value) => value.write(out),
            None => out.raw(b"null"),
        }
    }
}
