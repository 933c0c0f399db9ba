//! The raw-JSON splice of the inbox walk: placeholders become their JSON, and nothing a
//! customer writes is taken for one.

use async_graphql::{Response, Value, parser::parse_query};
use wagent_graphql::{RawJson, document_repeats_a_key};

#[test]
fn placeholders_are_replaced_by_their_json_and_nothing_else_is() {
    let raw = RawJson::default();
    let first = raw
        .keep(br#"{"edges":[{"node":{"id":"a"}}]}"#.to_vec())
        .unwrap();
    let second = raw.keep(b"[1,2]".to_vec()).unwrap();
    // A customer's text that looks like a placeholder but has not the process's nonce.
    let lookalike = "\u{1}wagent-raw-0123-0";
    let answer = Response::new(
        Value::from_json(serde_json::json!({
            "organization": { "a": first, "b": second, "c": lookalike },
        }))
        .unwrap(),
    );
    // The placeholders are found in what serde_json writes of them, escapes included.
    let body = raw.splice(&answer).unwrap();
    let parsed: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        parsed,
        serde_json::json!({ "data": { "organization": {
            "a": { "edges": [{ "node": { "id": "a" } }] },
            "b": [1, 2],
            "c": lookalike,
        } } })
    );
}

#[test]
fn a_repeated_key_anywhere_keeps_a_document_off_the_raw_path() {
    let repeats = |text: &str| document_repeats_a_key(&parse_query(text).unwrap());
    assert!(!repeats("{ a { b c } d { b c } }"));
    assert!(repeats("{ a { b } a { c } }"));
    assert!(repeats("{ a { b x: c x: d } }"));
    assert!(repeats("{ a { b ...F } } fragment F on T { b }"));
    assert!(repeats("{ a { ... on T { c } c } }"));
    assert!(!repeats("{ a { ...F } } fragment F on T { b c }"));
    assert!(repeats("{ a { ...Missing } }"));
    assert!(repeats("{ a { ...F } } fragment F on T { ...F }"));
}
