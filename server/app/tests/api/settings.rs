//! Settings from the file and the environment, and the server's keys: what start-up accepts,
//! what it refuses and names, and what never prints.

use std::collections::BTreeMap;

use base64::{Engine, engine::general_purpose::STANDARD};
use wagent_app::{
    keys::{generate, parse_encryption_keys},
    settings::Settings,
};
use wagent_auth::api_token::TokenKeys;

fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn defaults_need_nothing() {
    let s = Settings::from_sources(None, &env(&[])).unwrap();
    assert_eq!(s.listen.to_string(), "127.0.0.1:8080");
    assert_eq!(s.public_url, "http://localhost:8080");
    assert!(s.oidc.is_none() && s.database_url.is_none());
}

#[test]
fn proxy_hops_and_metrics_are_read_and_the_old_flag_is_named() {
    let s = Settings::from_sources(
        None,
        &env(&[
            ("WAGENT_TRUSTED_PROXY_HOPS", "2"),
            ("WAGENT_METRICS_LISTEN", "127.0.0.1:9091"),
            ("WAGENT_METRICS_TOKEN", "m3trics"),
        ]),
    )
    .unwrap();
    assert_eq!(s.trusted_proxy_hops, 2);
    assert_eq!(s.metrics_listen.unwrap().port(), 9091);
    assert!(!format!("{s:?}").contains("m3trics"));
    let defaults = Settings::from_sources(None, &env(&[])).unwrap();
    assert_eq!(defaults.trusted_proxy_hops, 0);
    assert!(defaults.metrics_listen.is_none() && defaults.metrics_token.is_none());
    let err =
        Settings::from_sources(None, &env(&[("WAGENT_TRUST_FORWARDED_FOR", "true")])).unwrap_err();
    assert!(err.contains("WAGENT_TRUSTED_PROXY_HOPS"), "{err}");
}

#[test]
fn an_unknown_variable_stops_start_up() {
    let err = Settings::from_sources(None, &env(&[("WAGENT_LISTN", "x")])).unwrap_err();
    assert!(err.contains("WAGENT_LISTN"), "{err}");
}

#[test]
fn a_malformed_value_is_named_without_its_secret() {
    let err = Settings::from_sources(None, &env(&[("WAGENT_LISTEN", "nowhere")])).unwrap_err();
    assert!(err.contains("WAGENT_LISTEN"), "{err}");
    let err = Settings::from_sources(None, &env(&[("DATABASE_URL", "mysql://u:hunter2@h/db")]))
        .unwrap_err();
    assert!(
        err.contains("DATABASE_URL") && !err.contains("hunter2"),
        "{err}"
    );
}

#[test]
fn secrets_do_not_print() {
    let s = Settings::from_sources(
        None,
        &env(&[
            ("WAGENT_TOKEN_KEY", "abcdef"),
            ("DATABASE_URL", "postgres://a:pw@h/d"),
        ]),
    )
    .unwrap();
    let shown = format!("{s:?}");
    assert!(
        !shown.contains("abcdef") && !shown.contains(":pw@"),
        "{shown}"
    );
}

#[test]
fn the_environment_wins_over_the_file_and_unknown_file_keys_fail() {
    let dir = std::env::temp_dir().join(format!("wagent-settings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("wagent.toml");
    std::fs::write(
        &file,
        "listen = \"127.0.0.1:9000\"\noidc_issuer = \"http://idp.example\"\n",
    )
    .unwrap();
    let s =
        Settings::from_sources(Some(&file), &env(&[("WAGENT_LISTEN", "127.0.0.1:9100")])).unwrap();
    assert_eq!(s.listen.port(), 9100);
    assert_eq!(s.oidc.unwrap().issuer, "http://idp.example");
    std::fs::write(&file, "lisen = \"x\"\n").unwrap();
    assert!(
        Settings::from_sources(Some(&file), &env(&[]))
            .unwrap_err()
            .contains("lisen")
    );
}

#[test]
fn generated_keys_parse() {
    let (token, enc) = generate();
    assert!(TokenKeys::from_hex(&token).is_ok());
    assert_eq!(parse_encryption_keys(&enc).unwrap().len(), 1);
}

#[test]
fn malformed_encryption_keys_are_explained() {
    assert!(
        parse_encryption_keys("k1:AAAA")
            .unwrap_err()
            .contains("32 bytes")
    );
    assert!(
        parse_encryption_keys("nocolon")
            .unwrap_err()
            .contains("id:base64")
    );
    let k = STANDARD.encode([7u8; 32]);
    assert!(
        parse_encryption_keys(&format!("a:{k},a:{k}"))
            .unwrap_err()
            .contains("repeats")
    );
    assert_eq!(
        parse_encryption_keys(&format!("a:{k}, b:{k}"))
            .unwrap()
            .len(),
        2
    );
}
