//! Contact fields, editing contacts, and segments as a business uses them: a filter matches
//! exactly the contacts it describes, counts stay live, wrong filters and values are refused
//! naming what is wrong, the export has every column, and nothing crosses organizations.

use std::{collections::BTreeSet, time::Duration};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, code};

const DEFINE: &str = "mutation($o: ID!, $k: String!, $l: String!, $t: ContactFieldKind!, $c: [String!]) { defineContactField(input: {organizationId: $o, key: $k, label: $l, kind: $t, choices: $c}) { key label kind choices } }";

const PREVIEW: &str = "query($o: ID!, $f: SegmentFilterInput!, $n: Int) { segmentPreview(organizationId: $o, filter: $f, first: $n) { contactCount contacts { phone } filter { fields { key operator value } countries } } }";

const CREATE: &str = "mutation($o: ID!, $n: String!, $f: SegmentFilterInput!) { createSegment(input: {organizationId: $o, name: $n, filter: $f}) { id name contactCount contactsCsvUrl filter { tags { allOf anyOf noneOf } fields { key operator value } marketing } } }";

const SEGMENTS: &str =
    "query($o: ID!) { organization(id: $o) { segments { id name contactCount } } }";

const UPDATE_CONTACT: &str = "mutation($i: UpdateContactInput!) { updateContact(input: $i) { id name email country tags fields } }";

const CONTACT_IDS: &str =
    "query($o: ID!) { organization(id: $o) { contacts(first: 100) { nodes { id phone } } } }";

/// A shop's customers: tags, fields of its own, countries from the numbers, consent.
const CUSTOMERS: &str = "phone,name,tags,plan,spent,since,city,marketing
+5511987650001,Ana Souza,\"vip, loja centro\",Gold,120.5,2024-01-31,São Paulo,yes
+5521998760002,Bruno Lima,loja centro,silver,40,2023-06-01,Rio de Janeiro,no
+5511987650003,Carla Dias,,,,,Campinas,
+12015550123,Dan Smith,vip,gold,10,2025-03-01,New York,yes
+5531991230004,\"=HYPERLINK(\"\"x\"\")\",online,,,,,
";

const ANA: &str = "5511987650001";
const BRUNO: &str = "5521998760002";
const CARLA: &str = "5511987650003";
const DAN: &str = "12015550123";
const EVA: &str = "5531991230004";

/// Alice's organization with its fields and the five customers; Ana wrote two days ago,
/// Bruno forty days ago, the others never.
async fn shop(app: &TestApp) -> (String, String) {
    let org = app.create_org("alice", "Loja").await;
    let alice = app.sign_in("alice").await;
    for (key, label, kind, choices) in [
        ("plan", "Plan", "CHOICE", json!(["Gold", "Silver"])),
        ("spent", "Spent", "NUMBER", Value::Null),
        ("since", "Customer since", "DATE", Value::Null),
        ("city", "City", "TEXT", Value::Null),
    ] {
        app.ok(
            &alice,
            DEFINE,
            json!({ "o": org, "k": key, "l": label, "t": kind, "c": choices }),
        )
        .await;
    }
    import(app, &alice, &org, CUSTOMERS).await;
    admin_sql(
        app,
        &format!(
            "UPDATE contacts SET last_inbound_at = now() - interval '2 days' WHERE org_id = '{org}' AND wa_id = '{ANA}';
             UPDATE contacts SET last_inbound_at = now() - interval '40 days' WHERE org_id = '{org}' AND wa_id = '{BRUNO}';"
        ),
    )
    .await;
    (org, alice)
}

/// Imports `csv` (columns named as the fields they fill) and waits until it is done.
async fn import(app: &TestApp, token: &str, org: &str, csv: &str) {
    let (status, uploaded) =
        crate::imports::upload(app, token, org, "customers.csv", csv.into()).await;
    assert_eq!(status, StatusCode::OK, "{uploaded}");
    let id = uploaded["importId"].as_str().unwrap().to_owned();
    let header = csv.lines().next().unwrap();
    let mapping: Vec<Value> = header
        .split(',')
        .map(|c| json!({ "column": c, "field": c }))
        .collect();
    app.ok(
        token,
        "mutation($o: ID!, $i: ID!, $m: [ColumnMappingInput!]!) { importContacts(input: {organizationId: $o, importId: $i, mapping: $m}) { id } }",
        json!({ "o": org, "i": id, "m": mapping }),
    )
    .await;
    wagent_testkit::wait_for("the import to finish", Duration::from_secs(30), || async {
        let d = app
            .ok(
                token,
                "query($o: ID!, $i: ID!) { organization(id: $o) { contactImport(id: $i) { status error invalid } } }",
                json!({ "o": org, "i": id }),
            )
            .await;
        let import = &d["organization"]["contactImport"];
        assert_ne!(import["status"], "FAILED", "{import}");
        (import["status"] == "DONE").then(|| assert_eq!(import["invalid"], 0, "{import}"))
    })
    .await;
}

async fn admin_sql(app: &TestApp, sql: &str) {
    use wagent_db::diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
    let mut c = AsyncPgConnection::establish(&app.db.admin.connection_string())
        .await
        .unwrap();
    c.batch_execute(sql).await.unwrap();
}

/// The phones (wa_ids) a filter matches, and its count.
async fn matching(app: &TestApp, token: &str, org: &str, filter: Value) -> BTreeSet<String> {
    let d = app
        .ok(token, PREVIEW, json!({ "o": org, "f": filter, "n": 50 }))
        .await;
    let preview = &d["segmentPreview"];
    let phones: BTreeSet<String> = preview["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["phone"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        preview["contactCount"].as_i64().unwrap() as usize,
        phones.len(),
        "{filter}"
    );
    phones
}

fn set(phones: &[&str]) -> BTreeSet<String> {
    phones.iter().map(|p| p.to_string()).collect()
}

fn field(key: &str, operator: &str, value: Option<&str>) -> Value {
    json!({ "fields": [{ "key": key, "operator": operator, "value": value }] })
}

#[tokio::test(flavor = "multi_thread")]
async fn a_filter_matches_exactly_the_contacts_it_describes() {
    let app = TestApp::spawn().await;
    let (org, alice) = shop(&app).await;
    let days_ago = |d: i64| (chrono::Utc::now() - chrono::Duration::days(d)).to_rfc3339();
    let inbound = |op: &str, extra: Value| {
        let mut condition = json!({ "direction": "INBOUND", "operator": op });
        condition
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        json!({ "activity": [condition] })
    };
    let cases: Vec<(Value, &[&str])> = vec![
        (json!({}), &[ANA, BRUNO, CARLA, DAN, EVA]),
        (json!({ "tags": { "allOf": ["VIP"] } }), &[ANA, DAN]),
        (
            json!({ "tags": { "allOf": ["vip", "loja centro"] } }),
            &[ANA],
        ),
        (
            json!({ "tags": { "anyOf": ["vip", "online"] } }),
            &[ANA, DAN, EVA],
        ),
        (
            json!({ "tags": { "noneOf": ["loja centro"] } }),
            &[CARLA, DAN, EVA],
        ),
        (field("plan", "EQUALS", Some("gold")), &[ANA, DAN]),
        (field("spent", "GREATER", Some("50")), &[ANA]),
        (field("spent", "LESS", Some("40,5")), &[BRUNO, DAN]),
        (field("since", "BEFORE", Some("2024-01-01")), &[BRUNO]),
        (field("since", "AFTER", Some("31/01/2024")), &[DAN]),
        (field("city", "CONTAINS", Some("PAULO")), &[ANA]),
        (field("city", "EQUALS", Some("new york")), &[DAN]),
        (field("plan", "IS_SET", None), &[ANA, BRUNO, DAN]),
        (field("plan", "IS_NOT_SET", None), &[CARLA, EVA]),
        (json!({ "countries": ["us"] }), &[DAN]),
        (json!({ "countries": ["BR"] }), &[ANA, BRUNO, CARLA, EVA]),
        (json!({ "marketing": ["OPTED_IN"] }), &[ANA, DAN]),
        (
            json!({ "marketing": ["OPTED_OUT", "UNKNOWN"] }),
            &[BRUNO, CARLA, EVA],
        ),
        (inbound("WITHIN_DAYS", json!({ "days": 7 })), &[ANA]),
        (
            inbound("NOT_WITHIN_DAYS", json!({ "days": 7 })),
            &[BRUNO, CARLA, DAN, EVA],
        ),
        (inbound("NEVER", json!({})), &[CARLA, DAN, EVA]),
        (inbound("BEFORE", json!({ "at": days_ago(30) })), &[BRUNO]),
        (inbound("AFTER", json!({ "at": days_ago(30) })), &[ANA]),
        (
            json!({ "activity": [{ "direction": "OUTBOUND", "operator": "NEVER" }] }),
            &[ANA, BRUNO, CARLA, DAN, EVA],
        ),
        // Every condition must hold.
        (
            json!({ "tags": { "anyOf": ["loja centro", "vip"] }, "countries": ["BR"], "marketing": ["OPTED_IN"], "fields": [{ "key": "spent", "operator": "GREATER", "value": "100" }] }),
            &[ANA],
        ),
    ];
    for (filter, expected) in cases {
        assert_eq!(
            matching(&app, &alice, &org, filter.clone()).await,
            set(expected),
            "{filter}"
        );
    }
    // The preview shows the filter as it would be saved.
    let d = app
        .ok(
            &alice,
            PREVIEW,
            json!({ "o": org, "f": { "fields": [{ "key": "plan", "operator": "EQUALS", "value": "gold" }], "countries": ["br"] } }),
        )
        .await;
    assert_eq!(
        d["segmentPreview"]["filter"],
        json!({ "fields": [{ "key": "plan", "operator": "EQUALS", "value": "Gold" }], "countries": ["BR"] })
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_saved_segment_counts_its_contacts_live() {
    let app = TestApp::spawn().await;
    let (org, alice) = shop(&app).await;
    let vip = app
        .ok(
            &alice,
            CREATE,
            json!({ "o": org, "n": "VIPs who said yes", "f": { "tags": { "allOf": ["vip"] }, "marketing": ["OPTED_IN"] } }),
        )
        .await;
    let vip = &vip["createSegment"];
    assert_eq!(vip["contactCount"], 2);
    assert_eq!(
        vip["filter"]["tags"],
        json!({ "allOf": ["vip"], "anyOf": [], "noneOf": [] })
    );
    let id = vip["id"].as_str().unwrap().to_owned();
    assert_eq!(
        vip["contactsCsvUrl"],
        format!("/api/organizations/{org}/segments/{id}/contacts.csv")
    );
    app.ok(
        &alice,
        CREATE,
        json!({ "o": org, "n": "Everyone", "f": {} }),
    )
    .await;

    // Carla becomes a VIP who said yes: the count follows at once.
    let contacts = app.ok(&alice, CONTACT_IDS, json!({ "o": org })).await;
    let carla = contacts["organization"]["contacts"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["phone"] == CARLA)
        .unwrap()["id"]
        .clone();
    app.ok(
        &alice,
        UPDATE_CONTACT,
        json!({ "o": org, "c": carla, "i": { "organizationId": org, "contactId": carla, "addTags": ["VIP"] } }),
    )
    .await;
    app.ok(
        &alice,
        "mutation($o: ID!, $c: ID!) { setContactOptIn(input: {organizationId: $o, contactId: $c, optedIn: true}) { marketing } }",
        json!({ "o": org, "c": carla }),
    )
    .await;
    let list = app.ok(&alice, SEGMENTS, json!({ "o": org })).await;
    assert_eq!(
        list["organization"]["segments"],
        json!([
            { "id": list["organization"]["segments"][0]["id"], "name": "Everyone", "contactCount": 5 },
            { "id": id, "name": "VIPs who said yes", "contactCount": 3 },
        ])
    );

    // Renamed and narrowed; then deleted, its contacts stay.
    let updated = app
        .ok(
            &alice,
            "mutation($o: ID!, $s: ID!) { updateSegment(input: {organizationId: $o, segmentId: $s, name: \"Gold VIPs\", filter: {tags: {allOf: [\"vip\"]}, fields: [{key: \"plan\", operator: EQUALS, value: \"Gold\"}]}}) { name contactCount } }",
            json!({ "o": org, "s": id }),
        )
        .await;
    assert_eq!(
        updated["updateSegment"],
        json!({ "name": "Gold VIPs", "contactCount": 2 })
    );
    let one = app
        .ok(
            &alice,
            "query($o: ID!, $s: ID!) { organization(id: $o) { segment(id: $s) { name contactCount createdBy { email } } } }",
            json!({ "o": org, "s": id }),
        )
        .await;
    assert_eq!(one["organization"]["segment"]["contactCount"], 2);
    assert_eq!(
        one["organization"]["segment"]["createdBy"]["email"],
        "alice@example.com"
    );
    app.ok(
        &alice,
        "mutation($o: ID!, $s: ID!) { deleteSegment(input: {organizationId: $o, segmentId: $s}) }",
        json!({ "o": org, "s": id }),
    )
    .await;
    let list = app.ok(&alice, SEGMENTS, json!({ "o": org })).await;
    assert_eq!(
        list["organization"]["segments"].as_array().unwrap().len(),
        1
    );
    let all = app.ok(&alice, CONTACT_IDS, json!({ "o": org })).await;
    assert_eq!(
        all["organization"]["contacts"]["nodes"]
            .as_array()
            .unwrap()
            .len(),
        5
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_filters_are_refused_naming_what_is_wrong() {
    let app = TestApp::spawn().await;
    let (org, alice) = shop(&app).await;
    let refused = async |filter: Value| {
        let (_, body) = app
            .gql(
                Some(&alice),
                CREATE,
                json!({ "o": org, "n": "Wrong", "f": filter }),
            )
            .await;
        (
            code(&body).to_owned(),
            body["errors"][0]["message"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        )
    };
    for (filter, message) in [
        (
            field("plan", "EQUALS", Some("Bronze")),
            "plan: `Bronze` is not one of its choices",
        ),
        (
            field("city", "GREATER", Some("3")),
            "city: `greater` does not apply to a text field",
        ),
        (
            field("spent", "GREATER", Some("lots")),
            "spent: `lots` is not a number",
        ),
        (field("spent", "LESS", None), "spent: `less` needs a value"),
        (
            field("nickname", "IS_SET", None),
            "there is no contact field `nickname`",
        ),
        (
            json!({ "countries": ["Brazil"] }),
            "`Brazil` is not a country code (such as BR)",
        ),
        (
            json!({ "countries": vec!["BR"; 51] }),
            "name at most 50 countries",
        ),
        (
            json!({ "activity": [{ "direction": "INBOUND", "operator": "BEFORE" }] }),
            "last message from the contact: give the date and time",
        ),
    ] {
        assert_eq!(
            refused(filter.clone()).await,
            ("VALIDATION".to_owned(), message.to_owned()),
            "{filter}"
        );
    }
    let many: Vec<Value> = (0..21)
        .map(|_| json!({ "key": "plan", "operator": "IS_SET" }))
        .collect();
    assert_eq!(refused(json!({ "fields": many })).await.0, "VALIDATION");
    // The preview refuses the same way.
    let (_, body) = app
        .gql(
            Some(&alice),
            PREVIEW,
            json!({ "o": org, "f": field("plan", "EQUALS", Some("Bronze")) }),
        )
        .await;
    assert_eq!(code(&body), "VALIDATION");

    // Names are unique whatever their case.
    app.ok(&alice, CREATE, json!({ "o": org, "n": "VIP", "f": {} }))
        .await;
    let (_, body) = app
        .gql(
            Some(&alice),
            CREATE,
            json!({ "o": org, "n": " vip ", "f": {} }),
        )
        .await;
    assert_eq!(code(&body), "CONFLICT", "{body}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_member_uses_segments_but_cannot_change_them() {
    let app = TestApp::spawn().await;
    let (org, alice) = shop(&app).await;
    app.add_member(&org, "alice", "bob", "MEMBER").await;
    let bob = app.sign_in("bob").await;
    let made = app
        .ok(
            &alice,
            CREATE,
            json!({ "o": org, "n": "VIP", "f": { "tags": { "allOf": ["vip"] } } }),
        )
        .await;
    let id = made["createSegment"]["id"].as_str().unwrap().to_owned();

    let list = app.ok(&bob, SEGMENTS, json!({ "o": org })).await;
    assert_eq!(list["organization"]["segments"][0]["contactCount"], 2);
    assert_eq!(
        matching(&app, &bob, &org, json!({ "tags": { "allOf": ["vip"] } })).await,
        set(&[ANA, DAN])
    );
    let (_, body) = app
        .gql(
            Some(&bob),
            CREATE,
            json!({ "o": org, "n": "Mine", "f": {} }),
        )
        .await;
    assert_eq!(code(&body), "FORBIDDEN");
    let (_, body) = app
        .gql(
            Some(&bob),
            "mutation($o: ID!, $s: ID!) { deleteSegment(input: {organizationId: $o, segmentId: $s}) }",
            json!({ "o": org, "s": id }),
        )
        .await;
    assert_eq!(code(&body), "FORBIDDEN");
    let (_, body) = app
        .gql(
            Some(&bob),
            DEFINE,
            json!({ "o": org, "k": "vat", "l": "VAT", "t": "TEXT" }),
        )
        .await;
    assert_eq!(code(&body), "FORBIDDEN");
    let export = app
        .http
        .get(format!(
            "{}/api/organizations/{org}/segments/{id}/contacts.csv",
            app.base
        ))
        .bearer_auth(&bob)
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        export.json::<Value>().await.unwrap()["errors"][0]["extensions"]["code"],
        "FORBIDDEN"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_counts_of_a_list_of_segments_are_one_scan_of_the_contacts() {
    wagent_db::statement_count::enable();
    let app = TestApp::spawn().await;
    let (org, alice) = shop(&app).await;
    let statements = async || {
        let (count, data) = app
            .ok_counted(&alice, SEGMENTS, json!({ "o": org }), &org)
            .await;
        (
            count,
            data["organization"]["segments"].as_array().unwrap().clone(),
        )
    };
    app.ok(
        &alice,
        CREATE,
        json!({ "o": org, "n": "s0", "f": { "tags": { "allOf": ["vip"] } } }),
    )
    .await;
    let (one, list) = statements().await;
    assert_eq!(list.len(), 1);
    for (i, filter) in [
        json!({ "countries": ["BR"] }),
        field("plan", "IS_SET", None),
        json!({ "marketing": ["OPTED_IN"] }),
        json!({ "activity": [{ "direction": "INBOUND", "operator": "NEVER" }] }),
        field("spent", "GREATER", Some("5")),
    ]
    .into_iter()
    .enumerate()
    {
        app.ok(
            &alice,
            CREATE,
            json!({ "o": org, "n": format!("s{}", i + 1), "f": filter }),
        )
        .await;
    }
    let (six, list) = statements().await;
    let counts: Vec<i64> = list
        .iter()
        .map(|s| s["contactCount"].as_i64().unwrap())
        .collect();
    assert_eq!(counts, [2, 4, 3, 2, 3, 3]);
    assert_eq!(one, six, "six segments ran more statements than one");
    // The guard's membership check, then one transaction: the list and the counts.
    assert!(six <= 8, "the list ran {six} statements");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_export_has_every_contact_and_column_and_defuses_formulas() {
    let app = TestApp::spawn().await;
    let (org, alice) = shop(&app).await;
    // More contacts than one page of the export.
    admin_sql(
        &app,
        &format!(
            "INSERT INTO contacts (org_id, id, wa_id, name, tags, fields, country)
             SELECT '{org}', gen_random_uuid(), (5511900000000 + n)::text, 'Bulk ' || n, ARRAY['bulk'],
                    jsonb_build_object('spent', n), 'BR'
               FROM generate_series(1, 2500) AS n;"
        ),
    )
    .await;
    let segment = async |name: &str, filter: Value| {
        let made = app
            .ok(&alice, CREATE, json!({ "o": org, "n": name, "f": filter }))
            .await;
        made["createSegment"]["contactsCsvUrl"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let download = async |url: &str| {
        let response = app
            .http
            .get(format!("{}{url}", app.base))
            .bearer_auth(&alice)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.headers()["content-type"],
            "text/csv; charset=utf-8"
        );
        let disposition = response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_owned();
        (disposition, response.text().await.unwrap())
    };

    let (disposition, text) =
        download(&segment("Loja: customers", json!({ "tags": { "noneOf": ["bulk"] } })).await)
            .await;
    assert_eq!(disposition, "attachment; filename=\"Loja--customers.csv\"");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        [
            "phone",
            "name",
            "profile_name",
            "email",
            "language",
            "country",
            "time_zone",
            "tags",
            "marketing",
            "marketing_source",
            "marketing_changed_at",
            "last_inbound_at",
            "last_outbound_at",
            "created_at",
            "user_id",
            "username",
            "plan",
            "spent",
            "since",
            "city"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 5);
    let row = |phone: &str| {
        rows.iter()
            .find(|r| &r[0] == phone)
            .unwrap_or_else(|| panic!("{phone} in {text}"))
            .clone()
    };
    let ana = row(&format!("+{ANA}"));
    assert_eq!(&ana[1], "Ana Souza");
    assert_eq!(&ana[5], "BR");
    assert_eq!(&ana[6], "America/Sao_Paulo");
    assert_eq!(&ana[7], "vip, loja centro");
    assert_eq!(&ana[8], "opted_in");
    assert_eq!(&ana[9], "import");
    assert!(ana[11].ends_with('Z'), "{:?}", &ana[11]);
    assert_eq!(
        (&ana[16], &ana[17], &ana[18], &ana[19]),
        ("Gold", "120.5", "2024-01-31", "São Paulo")
    );
    let carla = row(&format!("+{CARLA}"));
    assert_eq!((&carla[8], &carla[16], &carla[19]), ("", "", "Campinas"));
    // A name that a spreadsheet would run stays text.
    assert_eq!(&row(&format!("+{EVA}"))[1], "'=HYPERLINK(\"x\")");

    // Streamed a page at a time, every contact once.
    let (_, text) =
        download(&segment("Bulk", json!({ "tags": { "allOf": ["bulk"] } })).await).await;
    let phones: Vec<String> = csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap()[0].to_owned())
        .collect();
    assert_eq!(phones.len(), 2500);
    assert_eq!(phones.iter().collect::<BTreeSet<_>>().len(), 2500);
}

#[tokio::test(flavor = "multi_thread")]
async fn segments_and_contact_fields_stay_in_their_organization() {
    let app = TestApp::spawn().await;
    let (org, alice) = shop(&app).await;
    let made = app
        .ok(
            &alice,
            CREATE,
            json!({ "o": org, "n": "Everyone", "f": {} }),
        )
        .await;
    let id = made["createSegment"]["id"].as_str().unwrap().to_owned();

    // Bob's own organization: one customer, no fields.
    let other = app.create_org("bob", "Other").await;
    let bob = app.sign_in("bob").await;
    import(&app, &bob, &other, "phone,name\n+5511987659999,Zé\n").await;
    assert_eq!(
        matching(&app, &bob, &other, json!({})).await,
        set(&["5511987659999"])
    );
    let (_, body) = app
        .gql(
            Some(&bob),
            PREVIEW,
            json!({ "o": other, "f": field("plan", "IS_SET", None) }),
        )
        .await;
    assert_eq!(code(&body), "VALIDATION", "Alice's fields are not Bob's");
    let (_, body) = app
        .gql(
            Some(&bob),
            "query($o: ID!, $s: ID!) { organization(id: $o) { segment(id: $s) { name } } }",
            json!({ "o": other, "s": id }),
        )
        .await;
    assert_eq!(code(&body), "NOT_FOUND");
    let (_, body) = app.gql(Some(&bob), SEGMENTS, json!({ "o": org })).await;
    assert_eq!(code(&body), "NOT_FOUND");
    for path in [
        format!("/api/organizations/{other}/segments/{id}/contacts.csv"),
        format!("/api/organizations/{org}/segments/{id}/contacts.csv"),
    ] {
        let response = app
            .http
            .get(format!("{}{path}", app.base))
            .bearer_auth(&bob)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let list = app.ok(&alice, SEGMENTS, json!({ "o": org })).await;
    assert_eq!(list["organization"]["segments"][0]["contactCount"], 5);
}

#[tokio::test(flavor = "multi_thread")]
async fn contacts_are_edited_with_their_values_checked_and_fields_come_and_go() {
    let app = TestApp::spawn().await;
    let (org, alice) = shop(&app).await;
    let contacts = app.ok(&alice, CONTACT_IDS, json!({ "o": org })).await;
    let id_of = |phone: &str| {
        contacts["organization"]["contacts"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["phone"] == phone)
            .unwrap()["id"]
            .clone()
    };
    let (ana, bruno) = (id_of(ANA), id_of(BRUNO));
    let edit = async |contact: &Value, changes: Value| {
        let mut input = json!({ "organizationId": org, "contactId": contact });
        input
            .as_object_mut()
            .unwrap()
            .extend(changes.as_object().unwrap().clone());
        app.gql(
            Some(&alice),
            UPDATE_CONTACT,
            json!({ "o": org, "c": contact, "i": input }),
        )
        .await
        .1
    };

    let edited = edit(
        &ana,
        json!({ "name": " Ana S. ", "email": "ANA@Example.com", "country": "pt", "tags": ["Loja Norte"], "addTags": ["vip"], "fields": [{ "key": "plan", "value": "silver" }, { "key": "spent", "value": "1234,5" }, { "key": "city", "value": null }] }),
    )
    .await;
    assert_eq!(
        edited["data"]["updateContact"],
        json!({
            "id": ana, "name": "Ana S.", "email": "ana@example.com", "country": "PT",
            "tags": ["loja norte", "vip"],
            "fields": { "plan": "Silver", "spent": 1234.5, "since": "2024-01-31" }
        }),
        "{edited}"
    );
    // Left out stays; null clears.
    let edited = edit(&ana, json!({ "email": null, "removeTags": ["VIP"] })).await;
    assert_eq!(edited["data"]["updateContact"]["name"], "Ana S.");
    assert_eq!(edited["data"]["updateContact"]["email"], Value::Null);
    assert_eq!(
        edited["data"]["updateContact"]["tags"],
        json!(["loja norte"])
    );

    for (changes, message) in [
        (
            json!({ "fields": [{ "key": "plan", "value": "Bronze" }] }),
            "plan: `Bronze` is not one of its choices",
        ),
        (
            json!({ "fields": [{ "key": "since", "value": "yesterday" }] }),
            "since: `yesterday` is not a date (YYYY-MM-DD)",
        ),
        (
            json!({ "fields": [{ "key": "nickname", "value": "Aninha" }] }),
            "there is no contact field `nickname`",
        ),
        (
            json!({ "email": "ana@" }),
            "`ana@` is not an e-mail address",
        ),
        (
            json!({ "timeZone": "Lisbon" }),
            "`Lisbon` is not a time zone (such as America/Sao_Paulo)",
        ),
    ] {
        let body = edit(&bruno, changes.clone()).await;
        assert_eq!(
            (code(&body), body["errors"][0]["message"].as_str().unwrap()),
            ("VALIDATION", message),
            "{changes}"
        );
    }
    // The phone is the customer's.
    let body = edit(&bruno, json!({ "phone": "+5511900000000" })).await;
    assert_eq!(code(&body), "GRAPHQL_VALIDATION_FAILED", "{body}");

    // A field a segment uses cannot go; once the segment is gone, its values go with it.
    let made = app
        .ok(
            &alice,
            CREATE,
            json!({ "o": org, "n": "Gold", "f": field("plan", "EQUALS", Some("Gold")) }),
        )
        .await;
    let delete = "mutation($o: ID!, $k: String!) { deleteContactField(input: {organizationId: $o, key: $k}) { key contactsCleared } }";
    let (_, body) = app
        .gql(Some(&alice), delete, json!({ "o": org, "k": "plan" }))
        .await;
    assert_eq!(code(&body), "CONFLICT");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("`Gold`"),
        "{body}"
    );
    app.ok(
        &alice,
        "mutation($o: ID!, $s: ID!) { deleteSegment(input: {organizationId: $o, segmentId: $s}) }",
        json!({ "o": org, "s": made["createSegment"]["id"] }),
    )
    .await;
    let deleted = app
        .ok(&alice, delete, json!({ "o": org, "k": "plan" }))
        .await;
    assert_eq!(
        deleted["deleteContactField"],
        json!({ "key": "plan", "contactsCleared": 3 })
    );
    let fields = app
        .ok(
            &alice,
            "query($o: ID!, $c: ID!) { organization(id: $o) { contactFields { key kind } contact(id: $c) { fields } } }",
            json!({ "o": org, "c": ana }),
        )
        .await;
    assert_eq!(
        fields["organization"]["contactFields"],
        json!([
            { "key": "spent", "kind": "NUMBER" },
            { "key": "since", "kind": "DATE" },
            { "key": "city", "kind": "TEXT" },
        ])
    );
    assert_eq!(
        fields["organization"]["contact"]["fields"],
        json!({ "spent": 1234.5, "since": "2024-01-31" })
    );

    // Defining: keys are checked, taken keys are a conflict; choices change, kinds do not.
    let define = async |vars: Value| app.gql(Some(&alice), DEFINE, vars).await.1;
    let body = define(json!({ "o": org, "k": "phone", "l": "Phone 2", "t": "TEXT" })).await;
    assert_eq!(code(&body), "VALIDATION");
    let body = define(json!({ "o": org, "k": "City", "l": "City", "t": "TEXT" })).await;
    assert_eq!(code(&body), "VALIDATION");
    let body = define(json!({ "o": org, "k": "city", "l": "Town", "t": "TEXT" })).await;
    assert_eq!(code(&body), "CONFLICT");
    let body =
        define(json!({ "o": org, "k": "size", "l": "Size", "t": "CHOICE", "c": ["S", "s"] })).await;
    assert_eq!(code(&body), "VALIDATION");
    let body = define(json!({ "o": org, "k": "vat", "l": "VAT", "t": "NUMBER", "c": ["1"] })).await;
    assert_eq!(code(&body), "VALIDATION");
    let made =
        define(json!({ "o": org, "k": "size", "l": "Size", "t": "CHOICE", "c": ["S", "M"] })).await;
    assert_eq!(
        made["data"]["defineContactField"],
        json!({ "key": "size", "label": "Size", "kind": "CHOICE", "choices": ["S", "M"] })
    );
    let updated = app
        .ok(
            &alice,
            "mutation($o: ID!) { updateContactField(input: {organizationId: $o, key: \"size\", label: \"T-shirt size\", choices: [\"S\", \"M\", \"L\"]}) { label kind choices } }",
            json!({ "o": org }),
        )
        .await;
    assert_eq!(
        updated["updateContactField"],
        json!({ "label": "T-shirt size", "kind": "CHOICE", "choices": ["S", "M", "L"] })
    );
    let body = edit(
        &bruno,
        json!({ "fields": [{ "key": "size", "value": "l" }] }),
    )
    .await;
    assert_eq!(
        body["data"]["updateContact"]["fields"]["size"], "L",
        "{body}"
    );
}
