//! Contact imports as an Admin and an integrator do them: upload, preview with a mapping,
//! import with live progress, the report of rejected rows; broken files, cancels, refusals.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    helpers::{TestApp, code},
    ws::Subscriber,
};

const PREVIEW: &str = "query($o: ID!, $i: ID!, $m: [ColumnMappingInput!]) { organization(id: $o) { contactImport(id: $i) { status format preview(defaultCountry: \"BR\", mapping: $m) { encoding delimiter headers mappingProblem mapping { column field } rows { line cells blank rejection contact { phone name email country timeZone tags fields } } } } } }";

const IMPORT: &str = "mutation($o: ID!, $i: ID!, $m: [ColumnMappingInput!]!, $d: DuplicatePolicy!) { importContacts(input: {organizationId: $o, importId: $i, defaultCountry: \"BR\", mapping: $m, duplicates: $d}) { id status } }";

const PROGRESS: &str = "subscription($o: ID!, $i: ID!) { contactImportProgress(organizationId: $o, importId: $i) { status progress records imported updated duplicates invalid empty error } }";

const STATUS: &str = "query($o: ID!, $i: ID!) { organization(id: $o) { contactImport(id: $i) { status progress records imported updated duplicates invalid empty error rejectedRowsUrl rejectedRows(first: 10) { line reason cells } } } }";

const CONTACTS: &str = "query($o: ID!) { organization(id: $o) { contacts(first: 50) { nodes { phone name email country timeZone tags fields marketing marketingSource } } } }";

/// Uploads `bytes` as `name`; the status and the JSON answer.
pub async fn upload(
    app: &TestApp,
    token: &str,
    org: &str,
    name: &str,
    bytes: Vec<u8>,
) -> (StatusCode, Value) {
    let response = app
        .http
        .post(format!(
            "{}/api/organizations/{org}/contact-imports",
            app.base
        ))
        .bearer_auth(token)
        .header("x-file-name", name)
        .header("content-type", "text/csv")
        .body(bytes)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn mapping(pairs: &[(&str, &str)]) -> Value {
    pairs
        .iter()
        .map(|(column, field)| json!({ "column": column, "field": field }))
        .collect()
}

/// Follows an import's progress until it ends; every state seen, the last one final.
async fn follow(sub: &mut Subscriber) -> Vec<Value> {
    let mut seen = Vec::new();
    loop {
        let event = sub
            .next_event(Duration::from_secs(60))
            .await
            .expect("the import moves on");
        if event["type"] == "complete" {
            return seen;
        }
        let state = event["data"]["contactImportProgress"].clone();
        assert!(state.is_object(), "{event}");
        seen.push(state);
    }
}

/// Contacts, by phone.
async fn contacts(app: &TestApp, token: &str, org: &str) -> Vec<Value> {
    let data = app.ok(token, CONTACTS, json!({ "o": org })).await;
    let mut list = data["organization"]["contacts"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    list.sort_by(|a, b| a["phone"].as_str().cmp(&b["phone"].as_str()));
    list
}

const SHOP_CSV: &str = "Nome;Celular;E-mail;Grupos;Cidade;Aceita ofertas
Ana Souza;(11) 98765-0001;ana@example.com;VIP, Loja Centro;São Paulo;sim
Bruno Lima;+55 21 99876-0002;;loja centro;Rio de Janeiro;não
Carla Dias;11 98765-0003;carla@;;Campinas;
Davi;12345;;;;
;;;;;
Ana S.;011 98765-0001;;online;;
Eva;0055 31 99123-0004;eva@example.com;;Belo Horizonte;
";

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_previews_maps_and_imports_a_csv_and_downloads_the_rejected_rows() {
    let app = TestApp::spawn().await;
    let org = app.create_org("alice", "Loja").await;
    let alice = app.sign_in("alice").await;

    let (status, uploaded) = upload(&app, &alice, &org, "clientes.csv", SHOP_CSV.into()).await;
    assert_eq!(status, StatusCode::OK, "{uploaded}");
    assert_eq!(uploaded["format"], "csv");
    let id = uploaded["importId"].as_str().unwrap().to_owned();
    let vars = json!({ "o": org, "i": id });

    // The preview guesses the columns from their Portuguese names and shows each row's fate.
    let preview = app.ok(&alice, PREVIEW, vars.clone()).await;
    let preview = &preview["organization"]["contactImport"]["preview"];
    assert_eq!(preview["delimiter"], ";");
    assert_eq!(preview["encoding"], "UTF-8");
    assert_eq!(
        preview["mapping"],
        mapping(&[
            ("Nome", "name"),
            ("Celular", "phone"),
            ("E-mail", "email"),
            ("Grupos", "tags"),
            ("Aceita ofertas", "marketing"),
        ])
    );
    let rows = preview["rows"].as_array().unwrap();
    assert_eq!(rows[0]["line"], 2);
    assert_eq!(
        rows[0]["contact"],
        json!({
            "phone": "+5511987650001", "name": "Ana Souza", "email": "ana@example.com",
            "country": "BR", "timeZone": "America/Sao_Paulo", "tags": ["vip", "loja centro"],
            "fields": {}
        })
    );
    assert_eq!(rows[2]["rejection"], "`carla@` is not an e-mail address");
    assert_eq!(rows[3]["rejection"], "`12345` is not a valid phone number");
    // A blank row is passed over, not rejected.
    assert_eq!(
        (
            &rows[4]["blank"],
            &rows[4]["rejection"],
            &rows[4]["contact"]
        ),
        (&json!(true), &Value::Null, &Value::Null)
    );
    assert_eq!(rows[0]["blank"], false);
    // A mapping without a phone is named as the problem.
    let unusable = app
        .ok(
            &alice,
            PREVIEW,
            json!({ "o": org, "i": id, "m": mapping(&[("Nome", "name")]) }),
        )
        .await;
    assert_eq!(
        unusable["organization"]["contactImport"]["preview"]["mappingProblem"],
        "map one column to the phone number"
    );

    // Alice adds the city as a field of her own and imports, watching the progress.
    let chosen = mapping(&[
        ("Nome", "name"),
        ("Celular", "phone"),
        ("E-mail", "email"),
        ("Grupos", "tags"),
        ("Cidade", "city"),
        ("Aceita ofertas", "marketing"),
    ]);
    let mut sub = Subscriber::connect(&app.ws_url(), &alice, "graphql-transport-ws")
        .await
        .unwrap();
    sub.subscribe("1", PROGRESS, vars.clone(), true).await;
    let first = sub.next_event(Duration::from_secs(10)).await.unwrap();
    assert_eq!(first["data"]["contactImportProgress"]["status"], "UPLOADED");
    let started = app
        .ok(
            &alice,
            IMPORT,
            json!({ "o": org, "i": id, "m": chosen, "d": "SKIP" }),
        )
        .await;
    assert_eq!(started["importContacts"]["status"], "QUEUED");
    let seen = follow(&mut sub).await;
    let done = seen.last().unwrap();
    assert_eq!(
        *done,
        json!({
            "status": "DONE", "progress": 1.0, "records": 7, "imported": 3, "updated": 0,
            "duplicates": 1, "invalid": 2, "empty": 1, "error": null
        })
    );

    let list = contacts(&app, &alice, &org).await;
    let phones: Vec<&str> = list.iter().map(|c| c["phone"].as_str().unwrap()).collect();
    assert_eq!(phones, ["5511987650001", "5521998760002", "5531991230004"]);
    assert_eq!(
        list[0]["name"], "Ana Souza",
        "the first row of a number wins under SKIP"
    );
    assert_eq!(list[0]["tags"], json!(["vip", "loja centro"]));
    assert_eq!(list[0]["fields"], json!({ "city": "São Paulo" }));
    assert_eq!(list[0]["marketing"], "OPTED_IN");
    assert_eq!(list[0]["marketingSource"], "import");
    assert_eq!(list[1]["marketing"], "OPTED_OUT");
    assert_eq!(list[2]["marketing"], "UNKNOWN");
    assert_eq!(list[2]["country"], "BR");

    // The rejected rows, in GraphQL and as a CSV file to fix and import again.
    let status = app.ok(&alice, STATUS, vars.clone()).await;
    let import = &status["organization"]["contactImport"];
    assert_eq!(
        import["rejectedRows"],
        json!([
            { "line": 4, "reason": "`carla@` is not an e-mail address",
              "cells": ["Carla Dias", "11 98765-0003", "carla@", "", "Campinas", ""] },
            { "line": 5, "reason": "`12345` is not a valid phone number",
              "cells": ["Davi", "12345", "", "", "", ""] },
        ])
    );
    let url = import["rejectedRowsUrl"].as_str().unwrap();
    let report = app
        .http
        .get(format!("{}{url}", app.base))
        .bearer_auth(&alice)
        .send()
        .await
        .unwrap();
    assert_eq!(report.status(), StatusCode::OK);
    assert_eq!(
        report.headers()["content-disposition"],
        "attachment; filename=\"clientes-rejected.csv\""
    );
    assert_eq!(
        report.text().await.unwrap(),
        "line,reason,cells\r\n4,`carla@` is not an e-mail address,Carla Dias,11 98765-0003,carla@,,Campinas,\r\n5,`12345` is not a valid phone number,Davi,12345,,,,\r\n"
    );
    // Nobody else reads it.
    let stranger = app.sign_in("dave").await;
    let refused = app
        .http
        .get(format!("{}{url}", app.base))
        .bearer_auth(&stranger)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);

    // The next file with the same columns is mapped as she did, the city included; with
    // UPDATE it fills in what changed, adds tags, and never overrides Bruno's opt-out.
    let again = "Nome;Celular;Cidade;Grupos;Aceita ofertas\nAna Paula Souza;11987650001;Santos;clube;\nBruno Lima;21998760002;;;sim\nFabio;11 91234-0005;Recife;;sim\n";
    let (_, second) = upload(&app, &alice, &org, "clientes2.csv", again.into()).await;
    let second_id = second["importId"].as_str().unwrap();
    let preview = app
        .ok(&alice, PREVIEW, json!({ "o": org, "i": second_id }))
        .await;
    let remembered = &preview["organization"]["contactImport"]["preview"]["mapping"];
    assert!(
        remembered
            .as_array()
            .unwrap()
            .contains(&json!({ "column": "Cidade", "field": "city" })),
        "{remembered}"
    );
    let chosen = remembered.clone();
    let mut sub = Subscriber::connect(&app.ws_url(), &alice, "graphql-transport-ws")
        .await
        .unwrap();
    sub.subscribe("2", PROGRESS, json!({ "o": org, "i": second_id }), true)
        .await;
    app.ok(
        &alice,
        IMPORT,
        json!({ "o": org, "i": second_id, "m": chosen, "d": "UPDATE" }),
    )
    .await;
    let done = follow(&mut sub).await.pop().unwrap();
    assert_eq!(
        (
            done["status"].as_str(),
            done["imported"].as_i64(),
            done["updated"].as_i64()
        ),
        (Some("DONE"), Some(1), Some(2)),
        "{done}"
    );
    let list = contacts(&app, &alice, &org).await;
    let (fabio, ana, bruno) = (&list[0], &list[1], &list[2]);
    assert_eq!(ana["name"], "Ana Paula Souza");
    assert_eq!(ana["fields"], json!({ "city": "Santos" }));
    assert_eq!(ana["tags"], json!(["vip", "loja centro", "clube"]));
    assert_eq!(ana["marketing"], "OPTED_IN");
    assert_eq!(bruno["phone"], "5521998760002");
    assert_eq!(
        bruno["marketing"], "OPTED_OUT",
        "an import never overrides an opt-out"
    );
    assert_eq!(fabio["phone"], "5511912340005");
    assert_eq!(fabio["marketing"], "OPTED_IN");
}

/// A name and phone CSV of `rows` customers, numbered from +5511900000000.
fn customers(rows: usize) -> String {
    let mut csv = String::from("name,phone\n");
    for i in 0..rows {
        csv.push_str(&format!("Customer {i},+5511{:09}\n", 900_000_000 + i));
    }
    csv
}

/// Valid rows well past the first 64 KiB, then a byte that is not UTF-8.
fn broken_after(rows: usize) -> Vec<u8> {
    let mut bytes = customers(rows).into_bytes();
    bytes.extend(b"Jo\xe3o,+5511999999999\n");
    bytes
}

/// Starts the uploaded import `id` (name and phone columns) under `policy`, following its
/// progress from before it starts.
async fn start(app: &TestApp, token: &str, org: &str, id: &str, policy: &str) -> Subscriber {
    let mut sub = Subscriber::connect(&app.ws_url(), token, "graphql-transport-ws")
        .await
        .unwrap();
    sub.subscribe("1", PROGRESS, json!({ "o": org, "i": id }), true)
        .await;
    app.ok(
        token,
        IMPORT,
        json!({ "o": org, "i": id, "m": mapping(&[("name", "name"), ("phone", "phone")]), "d": policy }),
    )
    .await;
    sub
}

/// Imports `bytes` (name and phone columns) under `policy`; the import's id and its final
/// state.
async fn import_all(
    app: &TestApp,
    token: &str,
    org: &str,
    bytes: Vec<u8>,
    policy: &str,
) -> (String, Value) {
    let (_, uploaded) = upload(app, token, org, "list.csv", bytes).await;
    let id = uploaded["importId"].as_str().unwrap().to_owned();
    let mut sub = start(app, token, org, &id, policy).await;
    let last = follow(&mut sub).await.pop().unwrap();
    (id, last)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_that_breaks_halfway_fails_with_its_reason_and_imports_nothing() {
    let app = TestApp::spawn().await;
    let org = app.create_org("alice", "Loja").await;
    let alice = app.sign_in("alice").await;
    let (id, failed) = import_all(&app, &alice, &org, broken_after(12_000), "SKIP").await;
    assert_eq!(failed["status"], "FAILED", "{failed}");
    let error = failed["error"].as_str().unwrap();
    assert!(error.contains("line 12,002"), "{error}");
    assert_eq!(failed["imported"], 0);
    // Two batches were written before the bad line: none of them stayed.
    assert!(contacts(&app, &alice, &org).await.is_empty());

    // The file is kept: started again (here with another mapping) it fails the same way,
    // never half-way.
    let again = app
        .gql(
            Some(&alice),
            IMPORT,
            json!({ "o": org, "i": id, "m": mapping(&[("phone", "phone")]), "d": "SKIP" }),
        )
        .await;
    assert!(again.1.get("errors").is_none(), "{}", again.1);
}

#[tokio::test(flavor = "multi_thread")]
async fn contacts_already_known_are_kept_under_skip_wherever_the_file_names_them() {
    let app = TestApp::spawn().await;
    let org = app.create_org("alice", "Loja").await;
    let alice = app.sign_in("alice").await;
    let (_, known) = import_all(
        &app,
        &alice,
        &org,
        b"name,phone\nOld Name,+5511900011999\n".to_vec(),
        "SKIP",
    )
    .await;
    assert_eq!(known["imported"], 1, "{known}");

    // 12,000 rows: the known number is in the third batch (the organization has contacts, so
    // conflicts are handled from the first batch on).
    let (_, done) = import_all(&app, &alice, &org, customers(12_000).into(), "SKIP").await;
    assert_eq!(done["status"], "DONE", "{done}");
    assert_eq!(done["records"], 12_000, "{done}");
    assert_eq!(done["imported"], 11_999, "{done}");
    assert_eq!(done["duplicates"], 1, "{done}");
    assert_eq!(done["updated"], 0, "{done}");

    let found = |search: &'static str| {
        let (app, alice, org) = (&app, &alice, &org);
        async move {
            app.ok(
                alice,
                "query($o: ID!, $s: String!) { organization(id: $o) { contacts(filter: {search: $s}, first: 5) { nodes { name phone } } } }",
                json!({ "o": org, "s": search }),
            )
            .await["organization"]["contacts"]["nodes"]
                .clone()
        }
    };
    assert_eq!(
        found("5511900011999").await,
        json!([{ "name": "Old Name", "phone": "5511900011999" }]),
        "SKIP keeps the contact as it was"
    );
    assert_eq!(
        found("5511900000000").await,
        json!([{ "name": "Customer 0", "phone": "5511900000000" }]),
        "the first batch is there too"
    );
    assert_eq!(
        found("5511900011998").await,
        json!([{ "name": "Customer 11998", "phone": "5511900011998" }])
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_contact_that_comes_during_an_import_is_kept_and_the_progress_never_goes_back() {
    use wagent_db::diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};

    let app = TestApp::spawn().await;
    let org = app.create_org("alice", "Loja").await;
    let alice = app.sign_in("alice").await;
    let (_, uploaded) = upload(&app, &alice, &org, "big.csv", customers(200_000).into()).await;
    let id = uploaded["importId"].as_str().unwrap().to_owned();
    // The file's last customer writes in while the import runs (the organization had no
    // contact when it started): their contact is being stored, not yet committed.
    let mut customer = AsyncPgConnection::establish(&app.db.admin.connection_string())
        .await
        .unwrap();
    customer
        .batch_execute(&format!(
            "BEGIN; INSERT INTO contacts (org_id, id, wa_id, name, created_at)
             VALUES ('{org}', gen_random_uuid(), '5511900199999', 'Wrote in', now())"
        ))
        .await
        .unwrap();
    let mut sub = start(&app, &alice, &org, &id, "SKIP").await;
    // The import reaches that row and waits for the customer's contact...
    wagent_testkit::lock_waited(
        &app.db.admin,
        "the import to wait for the customer's contact",
        "INSERT INTO contacts",
    )
    .await;
    let first_pass = wagent_testkit::count(
        &app.db.admin,
        &format!("SELECT (progress * 100)::bigint AS n FROM contact_imports WHERE id = '{id}'"),
    )
    .await;
    assert!(first_pass > 0, "the first pass showed its progress");
    // ... which is there once the customer's message is stored: the rows written as new are
    // written again with conflicts handled.
    customer.batch_execute("COMMIT").await.unwrap();
    let seen = follow(&mut sub).await;
    let last = seen.last().unwrap();
    assert_eq!(last["status"], "DONE", "{last}");
    assert_eq!(last["records"], 200_000, "{last}");
    assert_eq!(last["imported"], 199_999, "{last}");
    assert_eq!(last["duplicates"], 1, "{last}");
    let shown: Vec<f64> = seen
        .iter()
        .map(|s| s["progress"].as_f64().unwrap_or(0.0))
        .collect();
    assert!(
        shown.windows(2).all(|w| w[0] <= w[1]),
        "the progress never goes back: {shown:?}"
    );
    let kept = app
        .ok(
            &alice,
            "query($o: ID!) { organization(id: $o) { contacts(filter: {search: \"5511900199999\"}, first: 5) { nodes { name } } } }",
            json!({ "o": org }),
        )
        .await;
    assert_eq!(
        kept["organization"]["contacts"]["nodes"],
        json!([{ "name": "Wrote in" }]),
        "SKIP keeps the contact as it came"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_running_import_is_cancelled_and_leaves_nothing() {
    let app = TestApp::spawn().await;
    let org = app.create_org("alice", "Loja").await;
    let alice = app.sign_in("alice").await;
    let (_, uploaded) = upload(&app, &alice, &org, "big.csv", customers(300_000).into()).await;
    let id = uploaded["importId"].as_str().unwrap();
    let mut sub = start(&app, &alice, &org, id, "SKIP").await;
    // Cancelled once rows are being written.
    loop {
        let event = sub.next_event(Duration::from_secs(60)).await.unwrap();
        let state = &event["data"]["contactImportProgress"];
        assert_ne!(state["status"], "DONE", "{state}");
        if state["status"] == "RUNNING" && state["records"].as_i64() > Some(0) {
            break;
        }
    }
    let cancelled = app
        .ok(
            &alice,
            "mutation($o: ID!, $i: ID!) { cancelContactImport(organizationId: $o, importId: $i) { status } }",
            json!({ "o": org, "i": id }),
        )
        .await;
    assert_eq!(cancelled["cancelContactImport"]["status"], "CANCELLED");
    let last = follow(&mut sub).await.pop();
    assert!(
        last.as_ref().is_none_or(|s| s["status"] == "CANCELLED"),
        "{last:?}"
    );
    app.jobs_drained().await;
    assert!(contacts(&app, &alice, &org).await.is_empty());
    let status = app.ok(&alice, STATUS, json!({ "o": org, "i": id })).await;
    assert_eq!(
        status["organization"]["contactImport"]["status"],
        "CANCELLED"
    );
    // Cancelling twice says it has ended.
    let (_, twice) = app
        .gql(
            Some(&alice),
            "mutation($o: ID!, $i: ID!) { cancelContactImport(organizationId: $o, importId: $i) { status } }",
            json!({ "o": org, "i": id }),
        )
        .await;
    assert_eq!(code(&twice), "CONFLICT");
}

#[tokio::test(flavor = "multi_thread")]
async fn uploads_are_refused_before_a_byte_is_kept() {
    let app = TestApp::spawn().await;
    let org = app.create_org("alice", "Loja").await;
    let alice = app.sign_in("alice").await;
    app.add_member(&org, "alice", "bob", "MEMBER").await;
    let bob = app.sign_in("bob").await;
    let files = || app.data_dir.join("imports").join(&org);
    let kept = || std::fs::read_dir(files()).map_or(0, |d| d.count());

    // A Member may not import.
    let (status, body) = upload(
        &app,
        &bob,
        &org,
        "x.csv",
        b"phone\n+5511987650001\n".to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    // A picture named .csv, and an empty file: said plainly, nothing kept.
    let png = [&b"\x89PNG\r\n\x1a\n"[..], &[0u8; 64]].concat();
    let (status, body) = upload(&app, &alice, &org, "contacts.csv", png).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("image"),
        "{body}"
    );
    let (status, body) = upload(&app, &alice, &org, "empty.csv", Vec::new()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["errors"][0]["message"], "the file is empty");
    assert_eq!(kept(), 0);
    // Without a token nothing is read at all.
    let anonymous = app
        .http
        .post(format!(
            "{}/api/organizations/{org}/contact-imports",
            app.base
        ))
        .body("phone\n")
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    // A mapping naming a column the file lacks is refused before anything is queued.
    let (_, ok) = upload(
        &app,
        &alice,
        &org,
        "ok.csv",
        b"phone\n+5511987650001\n".to_vec(),
    )
    .await;
    let (_, refused) = app
        .gql(
            Some(&alice),
            IMPORT,
            json!({ "o": org, "i": ok["importId"], "m": mapping(&[("Celular", "phone")]), "d": "SKIP" }),
        )
        .await;
    assert_eq!(code(&refused), "VALIDATION");
    assert_eq!(
        refused["errors"][0]["message"],
        "the file has no column `Celular`"
    );
}

#[test]
fn report_cells_are_quoted_and_formulas_defused() {
    let line = wagent_app::imports::csv_line(
        [
            "12",
            "no phone number",
            "Ana, Bia",
            "=HYPERLINK(\"x\")",
            "+55 11",
        ]
        .into_iter(),
    );
    assert_eq!(
        String::from_utf8(line).unwrap(),
        "12,no phone number,\"Ana, Bia\",\"'=HYPERLINK(\"\"x\"\")\",'+55 11\r\n"
    );
    let numbers = wagent_app::imports::csv_line(
        ["+5511987650001", "-12.5", "-1+1", "+1.", "-.5"].into_iter(),
    );
    assert_eq!(
        String::from_utf8(numbers).unwrap(),
        "+5511987650001,-12.5,'-1+1,'+1.,'-.5\r\n"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn national_numbers_are_read_in_the_organizations_default_country() {
    let app = TestApp::spawn().await;
    let org = app.create_org("alice", "Loja").await;
    let alice = app.sign_in("alice").await;
    const COUNTRY: &str = "mutation($o: ID!, $c: String) { setOrganizationDefaultCountry(input: {organizationId: $o, defaultCountry: $c}) { defaultCountry } }";
    // No country on the import: the organization's, when it has one.
    const IMPORT_HERE: &str = "mutation($o: ID!, $i: ID!, $m: [ColumnMappingInput!]!) { importContacts(input: {organizationId: $o, importId: $i, mapping: $m, duplicates: SKIP}) { id } }";
    const CSV: &str = "name,phone\nAna,(11) 98765-0001\nBruno,21 99876-0002\n";
    let import = async || {
        let (_, uploaded) = upload(&app, &alice, &org, "list.csv", CSV.into()).await;
        let id = uploaded["importId"].as_str().unwrap().to_owned();
        let mut sub = Subscriber::connect(&app.ws_url(), &alice, "graphql-transport-ws")
            .await
            .unwrap();
        sub.subscribe("1", PROGRESS, json!({ "o": org, "i": id }), true)
            .await;
        let m = mapping(&[("name", "name"), ("phone", "phone")]);
        app.ok(&alice, IMPORT_HERE, json!({ "o": org, "i": id, "m": m }))
            .await;
        follow(&mut sub).await.pop().unwrap()
    };

    // Without a default country they are tried as international numbers, as ever: none is.
    let org_country = "query($o: ID!) { organization(id: $o) { defaultCountry } }";
    let none = app.ok(&alice, org_country, json!({ "o": org })).await;
    assert!(none["organization"]["defaultCountry"].is_null(), "{none}");
    let last = import().await;
    assert_eq!(
        (&last["imported"], &last["invalid"]),
        (&json!(0), &json!(2)),
        "{last}"
    );

    let (_, refused) = app
        .gql(Some(&alice), COUNTRY, json!({ "o": org, "c": "XX" }))
        .await;
    assert_eq!(code(&refused), "VALIDATION");
    assert_eq!(
        refused["errors"][0]["message"],
        "`XX` is not a country code (such as BR)"
    );
    let set = app
        .ok(&alice, COUNTRY, json!({ "o": org, "c": " br " }))
        .await;
    assert_eq!(set["setOrganizationDefaultCountry"]["defaultCountry"], "BR");

    let last = import().await;
    assert_eq!(
        (&last["imported"], &last["invalid"]),
        (&json!(2), &json!(0)),
        "{last}"
    );
    let phones: Vec<(Value, Value)> = contacts(&app, &alice, &org)
        .await
        .iter()
        .map(|c| (c["phone"].clone(), c["country"].clone()))
        .collect();
    assert_eq!(
        phones,
        [
            (json!("5511987650001"), json!("BR")),
            (json!("5521998760002"), json!("BR"))
        ]
    );

    // A Member may not change it; an Admin may clear it.
    app.add_member(&org, "alice", "carol", "MEMBER").await;
    let carol = app.sign_in("carol").await;
    let (_, refused) = app
        .gql(Some(&carol), COUNTRY, json!({ "o": org, "c": "PT" }))
        .await;
    assert_eq!(code(&refused), "FORBIDDEN");
    let cleared = app
        .ok(&alice, COUNTRY, json!({ "o": org, "c": null }))
        .await;
    assert!(cleared["setOrganizationDefaultCountry"]["defaultCountry"].is_null());
}
