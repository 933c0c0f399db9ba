//! Contacts through GraphQL: the list and its filters, the place a number tells, and
//! marketing consent by keyword and by hand, with its history.

use serde_json::{Value, json};

use crate::{
    helpers::{TestApp, code},
    whatsapp::{connected, customer_writes, eventually},
};

/// A Brazilian customer.
const ANA: &str = "5511987650001";

const CONTACTS: &str = "query($o: ID!, $f: ContactFilterInput) { organization(id: $o) { contacts(first: 20, filter: $f) { nodes { id phone displayName country timeZone tags marketing marketingSource lastInboundAt lastOutboundAt } } } }";

const THREAD: &str = "query($o: ID!) { organization(id: $o) { conversations(first: 5) { nodes { contact { marketing } messages(first: 20) { nodes { direction text status } } } } } }";

fn ana_writes(text: &str) -> Value {
    json!({ "from": ANA, "name": "Ana", "type": "text", "text": { "body": text } })
}

fn contacts(data: &Value) -> Vec<Value> {
    data["organization"]["contacts"]["nodes"]
        .as_array()
        .unwrap()
        .clone()
}

/// How many messages the customer wrote in the first conversation.
fn inbound(data: &Value) -> usize {
    data["organization"]["conversations"]["nodes"][0]["messages"]["nodes"]
        .as_array()
        .map_or(0, |m| {
            m.iter().filter(|m| m["direction"] == "INBOUND").count()
        })
}

/// The outbound texts of the first conversation that Meta accepted, oldest first.
fn confirmations(data: &Value) -> Vec<String> {
    let mut texts: Vec<String> =
        data["organization"]["conversations"]["nodes"][0]["messages"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["direction"] == "OUTBOUND" && m["status"] != "PENDING")
            .map(|m| m["text"].as_str().unwrap().to_owned())
            .collect();
    texts.reverse();
    texts
}

#[tokio::test(flavor = "multi_thread")]
async fn a_customer_stops_and_resumes_marketing_by_keyword_and_is_told_each_time() {
    let app = TestApp::spawn().await;
    let (org, _, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    let vars = json!({ "o": org });

    customer_writes(&app, &pn, ana_writes("Olá, tudo bem?")).await;
    let list = eventually(&app, &alice, CONTACTS, vars.clone(), |d| {
        contacts(d).len() == 1
    })
    .await;
    let ana = &contacts(&list)[0];
    assert_eq!(ana["phone"], ANA);
    assert_eq!(ana["displayName"], "Ana");
    assert_eq!(ana["country"], "BR");
    assert_eq!(ana["timeZone"], "America/Sao_Paulo");
    assert_eq!(ana["marketing"], "UNKNOWN");
    assert!(ana["lastInboundAt"].is_string(), "{ana}");
    assert!(ana["lastOutboundAt"].is_null(), "{ana}");
    let id = ana["id"].as_str().unwrap().to_owned();

    // "Parar." is PARAR: she is opted out and told so in Portuguese, and Meta took the
    // confirmation.
    // The page of conversations and their messages are read one after the other: an answer
    // can show the confirmation sent and the contact as it was just before, so the wait is
    // for both.
    customer_writes(&app, &pn, ana_writes("Parar.")).await;
    let thread = eventually(&app, &alice, THREAD, vars.clone(), |d| {
        confirmations(d).len() == 1
            && d["organization"]["conversations"]["nodes"][0]["contact"]["marketing"] == "OPTED_OUT"
    })
    .await;
    let told = confirmations(&thread);
    assert!(told[0].starts_with("Você não receberá"), "{told:?}");
    assert!(told[0].contains("VOLTAR"), "{told:?}");
    // Saying it twice changes nothing and is not answered twice. (Each word waits for the
    // one before it: two messages in the same second may be applied in either order.)
    customer_writes(&app, &pn, ana_writes("PARAR")).await;
    eventually(&app, &alice, THREAD, vars.clone(), |d| inbound(d) == 3).await;
    app.jobs_drained().await;
    customer_writes(&app, &pn, ana_writes("voltar")).await;
    let thread = eventually(&app, &alice, THREAD, vars.clone(), |d| {
        confirmations(d).len() == 2
    })
    .await;
    let told = confirmations(&thread);
    assert!(told[1].starts_with("Você voltará"), "{told:?}");
    // A sentence that contains the word is not the word.
    customer_writes(&app, &pn, ana_writes("não quero parar de falar com vocês")).await;
    app.jobs_drained().await;
    let list = app
        .ok(
            &alice,
            CONTACTS,
            json!({ "o": org, "f": { "marketing": "OPTED_IN" } }),
        )
        .await;
    let ana = &contacts(&list)[0];
    assert_eq!(ana["marketingSource"], "keyword");
    assert!(ana["lastOutboundAt"].is_string(), "{ana}");

    // By hand, with a note; the history shows all three with their source.
    let set = app
        .ok(
            &alice,
            "mutation($o: ID!, $c: ID!) { setContactOptIn(input: {organizationId: $o, contactId: $c, optedIn: false, note: \"asked on the phone\"}) { marketing marketingSource } }",
            json!({ "o": org, "c": id }),
        )
        .await;
    assert_eq!(set["setContactOptIn"]["marketing"], "OPTED_OUT");
    assert_eq!(set["setContactOptIn"]["marketingSource"], "manual");
    let history = app
        .ok(
            &alice,
            "query($o: ID!, $c: ID!) { organization(id: $o) { contact(id: $c) { consentHistory { marketing source detail actor { email } } } } }",
            json!({ "o": org, "c": id }),
        )
        .await;
    let events: Vec<(String, String, String)> =
        history["organization"]["contact"]["consentHistory"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["marketing"].as_str().unwrap().to_owned(),
                    e["source"].as_str().unwrap().to_owned(),
                    e["detail"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
    let expected = [
        ("OPTED_OUT", "manual", "asked on the phone"),
        ("OPTED_IN", "keyword", "voltar"),
        ("OPTED_OUT", "keyword", "Parar."),
    ];
    assert_eq!(
        events,
        expected.map(|(a, b, c)| (a.to_owned(), b.to_owned(), c.to_owned()))
    );
    assert_eq!(
        history["organization"]["contact"]["consentHistory"][0]["actor"]["email"],
        "alice@example.com"
    );

    // The list filters: consent, digits of the number, a name; tags none here.
    for (filter, found) in [
        (json!({ "marketing": "OPTED_OUT" }), 1),
        (json!({ "marketing": "OPTED_IN" }), 0),
        (json!({ "search": "+55 (11) 98765" }), 1),
        (json!({ "search": "ana" }), 1),
        (json!({ "tags": ["vip"] }), 0),
        (json!({ "country": "br" }), 1),
    ] {
        let list = app
            .ok(&alice, CONTACTS, json!({ "o": org, "f": filter }))
            .await;
        assert_eq!(contacts(&list).len(), found, "{filter}");
    }

    // Another organization's member sees no such contact and cannot change it.
    let bob_org = app.create_org("bob", "Other").await;
    let bob = app.sign_in("bob").await;
    let (_, body) = app
        .gql(
            Some(&bob),
            "query($o: ID!, $c: ID!) { organization(id: $o) { contact(id: $c) { id } } }",
            json!({ "o": bob_org, "c": id }),
        )
        .await;
    assert_eq!(code(&body), "NOT_FOUND", "{body}");
    let (_, body) = app
        .gql(
            Some(&bob),
            "mutation($o: ID!, $c: ID!) { setContactOptIn(input: {organizationId: $o, contactId: $c, optedIn: true}) { id } }",
            json!({ "o": bob_org, "c": id }),
        )
        .await;
    assert_eq!(code(&body), "NOT_FOUND", "{body}");
}

#[tokio::test(flavor = "multi_thread")]
async fn stopping_marketing_in_whatsapp_opts_the_contact_out_without_a_message() {
    let app = TestApp::spawn().await;
    let (org, _, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    let vars = json!({ "o": org });
    let preference =
        |value: &str| json!({ "phone_number_id": pn, "from": ANA, "name": "Ana", "value": value });
    let set = async |value: &str| {
        let r = reqwest::Client::new()
            .post(format!("{}/sandbox/customers/preferences", app.sandbox_url))
            .json(&preference(value))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    };

    // A customer the business never heard from stops marketing messages: they become a
    // contact who is opted out, from Meta, and no message goes to them.
    set("stop").await;
    let list = eventually(&app, &alice, CONTACTS, vars.clone(), |d| {
        contacts(d)
            .first()
            .is_some_and(|c| c["marketing"] == "OPTED_OUT")
    })
    .await;
    let ana = &contacts(&list)[0];
    assert_eq!(ana["marketingSource"], "meta");
    assert_eq!(ana["phone"], ANA);
    assert_eq!(ana["country"], "BR");
    set("resume").await;
    eventually(&app, &alice, CONTACTS, vars.clone(), |d| {
        contacts(d)
            .first()
            .is_some_and(|c| c["marketing"] == "OPTED_IN")
    })
    .await;
    app.jobs_drained().await;
    let sent = reqwest::Client::new()
        .get(format!("{}/sandbox/messages", app.sandbox_url))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert!(
        !sent.to_string().contains(ANA),
        "nothing is sent for a preference: {sent}"
    );
    let history = app
        .ok(
            &alice,
            "query($o: ID!, $c: ID!) { organization(id: $o) { contact(id: $c) { consentHistory { marketing source detail } } } }",
            json!({ "o": org, "c": ana["id"] }),
        )
        .await;
    let history = &history["organization"]["contact"]["consentHistory"];
    assert_eq!(history[0]["marketing"], "OPTED_IN");
    assert_eq!(history[1]["marketing"], "OPTED_OUT");
    assert_eq!(history[1]["source"], "meta");
    assert!(
        history[1]["detail"]
            .as_str()
            .unwrap()
            .contains("stop marketing"),
        "{history}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn erasing_a_contact_removes_their_messages_files_consent_and_campaign_records_and_is_audited()
 {
    use crate::campaigns::{CAMPAIGN, CREATE, import, input, launch, marketing_template};

    let app = TestApp::spawn().await;
    let (org, number, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    let vars = json!({ "o": org });
    // She and Bia got a campaign first.
    import(
        &app,
        &alice,
        &org,
        "phone,name,tier,tags\n+55 11 98765-0001,Ana,gold,promo\n+55 11 98765-0002,Bia,gold,promo\n",
    )
    .await;
    let template = marketing_template(&app, &alice, &org, &number).await;
    let created = app
        .ok(
            &alice,
            CREATE,
            json!({ "i": input(&org, &number, &template, &["promo"]) }),
        )
        .await;
    let campaign = created["createCampaign"]["id"].as_str().unwrap().to_owned();
    launch(&app, &alice, &org, &campaign).await;
    eventually(
        &app,
        &alice,
        CAMPAIGN,
        json!({ "o": org, "c": campaign }),
        |d| {
            d["organization"]["campaign"]["status"] == "COMPLETED"
                && d["organization"]["campaign"]["stats"]["read"] == 2
        },
    )
    .await;
    let photo = json!({ "from": ANA, "name": "Ana", "type": "image", "image": { "caption": "my receipt" } });
    customer_writes(&app, &pn, photo).await;
    customer_writes(&app, &pn, ana_writes("Parar")).await;
    // Her photo is stored and her opt-out recorded before the request comes (the campaign's
    // message joined her thread when she wrote).
    eventually(&app, &alice, THREAD, vars.clone(), |d| {
        d["organization"]["conversations"]["nodes"][0]["messages"]["nodes"].is_array()
            && confirmations(d).len() == 2
    })
    .await;
    wagent_testkit::wait_until(
        "her photo to be stored",
        std::time::Duration::from_secs(20),
        || async { app.media_files(&org).len() == 1 },
    )
    .await;
    let list = app.ok(&alice, CONTACTS, vars.clone()).await;
    let id = contacts(&list)
        .iter()
        .find(|c| c["phone"].as_str().unwrap_or_default().ends_with(ANA))
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // A Member may not erase; an Admin or Owner may, once.
    app.add_member(&org, "alice", "bob", "MEMBER").await;
    let bob = app.sign_in("bob").await;
    let erase = "mutation($o: ID!, $c: ID!) { eraseContact(input: {organizationId: $o, contactId: $c}) { contactId conversations messages mediaFiles } }";
    let (_, refused) = app
        .gql(Some(&bob), erase, json!({ "o": org, "c": id }))
        .await;
    assert_eq!(code(&refused), "FORBIDDEN");
    let erased = app.ok(&alice, erase, json!({ "o": org, "c": id })).await;
    assert_eq!(
        erased["eraseContact"],
        json!({ "contactId": id, "conversations": 1, "messages": 4, "mediaFiles": 1 })
    );
    let (_, again) = app
        .gql(Some(&alice), erase, json!({ "o": org, "c": id }))
        .await;
    assert_eq!(code(&again), "NOT_FOUND");

    // Nothing of her is left: no contact, no conversation, no file, no consent history, no
    // campaign record; Bia stays, and so does her place in the campaign.
    let list = app.ok(&alice, CONTACTS, vars.clone()).await;
    assert_eq!(contacts(&list).len(), 1, "{list}");
    assert_eq!(contacts(&list)[0]["displayName"], "Bia", "{list}");
    let recipients = app
        .ok(
            &alice,
            "query($o: ID!, $c: ID!) { organization(id: $o) { campaign(id: $c) { recipients(first: 10) { nodes { contactId name } } } } }",
            json!({ "o": org, "c": campaign }),
        )
        .await;
    let left = recipients["organization"]["campaign"]["recipients"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(left.len(), 1, "{recipients}");
    assert_eq!(left[0]["name"], "Bia");
    let hers = wagent_testkit::count(
        &app.db.admin,
        &format!("SELECT count(*) AS n FROM campaign_recipients WHERE contact_id = '{id}'"),
    )
    .await;
    assert_eq!(hers, 0);
    let thread = app.ok(&alice, THREAD, vars.clone()).await;
    assert_eq!(thread["organization"]["conversations"]["nodes"], json!([]));
    assert!(app.media_files(&org).is_empty());
    for table in ["messages", "media", "consent_events", "conversations"] {
        let left = wagent_testkit::count(
            &app.db.admin,
            &format!("SELECT count(*) AS n FROM {table} WHERE org_id = '{org}'"),
        )
        .await;
        assert_eq!(left, 0, "{table}");
    }
    // The audit log says who erased whom, and nothing of what was erased.
    let log = app
        .ok(
            &alice,
            "query($o: ID!) { organization(id: $o) { auditLog { nodes { action targetId details } } } }",
            vars.clone(),
        )
        .await;
    let entry = log["organization"]["auditLog"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "contacts.erased")
        .cloned()
        .unwrap();
    assert_eq!(entry["targetId"], id.as_str());
    assert!(!entry.to_string().contains(ANA), "{entry}");

    // If she writes again, she is a new contact with a fresh consent.
    customer_writes(&app, &pn, ana_writes("Oi de novo")).await;
    let list = eventually(&app, &alice, CONTACTS, vars, |d| contacts(d).len() == 2).await;
    let again = contacts(&list)
        .into_iter()
        .find(|c| c["phone"].as_str().unwrap_or_default().ends_with(ANA))
        .unwrap();
    assert_eq!(again["marketing"], "UNKNOWN");
    assert_ne!(again["id"], id.as_str());
}

/// A status webhook locks a message and then its contact; an erasure deletes the contact and
/// then, by cascade, the message. When the two cross, PostgreSQL aborts one of them: an
/// erasure it aborted is tried again and completes once the webhook's transaction is over.
#[tokio::test(flavor = "multi_thread")]
async fn an_erasure_that_deadlocks_with_a_webhook_is_tried_again_and_completes() {
    use wagent_db::diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};

    let app = TestApp::spawn().await;
    let (org, _, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    let vars = json!({ "o": org });
    customer_writes(&app, &pn, ana_writes("Oi")).await;
    eventually(&app, &alice, THREAD, vars.clone(), |d| inbound(d) == 1).await;
    app.jobs_drained().await;
    let list = app.ok(&alice, CONTACTS, vars.clone()).await;
    let id = contacts(&list)[0]["id"].as_str().unwrap().to_owned();

    // The "webhook": its message locked first. Its own deadlock check waits longer than the
    // erasure's, so that PostgreSQL aborts the erasure, not it.
    let mut webhook = AsyncPgConnection::establish(&app.db.admin.connection_string())
        .await
        .unwrap();
    webhook
        .batch_execute(&format!(
            "BEGIN; SET LOCAL deadlock_timeout = '30s';
             SELECT id FROM messages WHERE org_id = '{org}' FOR UPDATE"
        ))
        .await
        .unwrap();
    let erase = "mutation($o: ID!, $c: ID!) { eraseContact(input: {organizationId: $o, contactId: $c}) { contactId conversations messages } }";
    let erasing = app.gql(Some(&alice), erase, json!({ "o": org, "c": id }));
    let crossing = async {
        wagent_testkit::lock_waited(
            &app.db.admin,
            "the erasure to wait for the message's lock",
            "DELETE FROM \"contacts\"",
        )
        .await;
        // Then the contact: the erasure holds it, so the two wait for each other.
        webhook
            .batch_execute(&format!(
                "SELECT id FROM contacts WHERE id = '{id}' FOR UPDATE"
            ))
            .await
            .unwrap();
        webhook.batch_execute("COMMIT").await.unwrap();
    };
    let ((_, erased), ()) = tokio::join!(erasing, crossing);
    assert_eq!(
        erased["data"]["eraseContact"],
        json!({ "contactId": id, "conversations": 1, "messages": 1 }),
        "{erased}"
    );
    let list = app.ok(&alice, CONTACTS, vars).await;
    assert!(contacts(&list).is_empty(), "{list}");
}

const KEYWORDS: &str = "mutation($o: ID!, $out: [String!]!, $in: [String!]!) { setOrganizationConsentKeywords(input: {organizationId: $o, optOut: $out, optIn: $in}) { optOutKeywords optInKeywords } }";

const ORG_KEYWORDS: &str =
    "query($o: ID!) { organization(id: $o) { optOutKeywords optInKeywords } }";

#[tokio::test(flavor = "multi_thread")]
async fn customers_stop_and_resume_by_the_words_an_admin_chose() {
    let app = TestApp::spawn().await;
    let (org, _, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    app.add_member(&org, "alice", "carol", "MEMBER").await;
    let carol = app.sign_in("carol").await;
    let vars = json!({ "o": org });
    let ours = json!({ "o": org, "out": [" Chega ", "UNSUBSCRIBE"], "in": ["Volto"] });

    // A Member reads the words but may not change them.
    let words = app.ok(&carol, ORG_KEYWORDS, vars.clone()).await;
    assert!(
        words["organization"]["optOutKeywords"]
            .as_array()
            .unwrap()
            .contains(&json!("PARAR")),
        "{words}"
    );
    let (_, refused) = app.gql(Some(&carol), KEYWORDS, ours.clone()).await;
    assert_eq!(code(&refused), "FORBIDDEN");

    // A word cannot both stop and resume; nothing changes.
    let (_, refused) = app
        .gql(
            Some(&alice),
            KEYWORDS,
            json!({ "o": org, "out": ["CHEGA"], "in": ["chegá"] }),
        )
        .await;
    assert_eq!(code(&refused), "VALIDATION");
    assert_eq!(
        refused["errors"][0]["message"],
        "`chegá` cannot both stop and resume marketing messages"
    );
    assert_eq!(app.ok(&alice, ORG_KEYWORDS, vars.clone()).await, words);

    let set = app.ok(&alice, KEYWORDS, ours).await;
    assert_eq!(
        set["setOrganizationConsentKeywords"],
        json!({ "optOutKeywords": ["Chega", "UNSUBSCRIBE"], "optInKeywords": ["Volto"] })
    );

    // PARAR, a default word no longer on the list, is just a message.
    customer_writes(&app, &pn, ana_writes("PARAR")).await;
    eventually(&app, &alice, THREAD, vars.clone(), |d| inbound(d) == 1).await;
    app.jobs_drained().await;
    let thread = app.ok(&alice, THREAD, vars.clone()).await;
    assert!(confirmations(&thread).is_empty(), "{thread}");
    let list = app.ok(&alice, CONTACTS, vars.clone()).await;
    assert_eq!(contacts(&list)[0]["marketing"], "UNKNOWN");

    // The organization's own word opts her out, and she is told which word brings her back.
    customer_writes(&app, &pn, ana_writes("chega!")).await;
    let thread = eventually(&app, &alice, THREAD, vars.clone(), |d| {
        confirmations(d).len() == 1
            && d["organization"]["conversations"]["nodes"][0]["contact"]["marketing"] == "OPTED_OUT"
    })
    .await;
    let told = confirmations(&thread);
    assert!(told[0].contains("Reply VOLTO"), "{told:?}");

    // Back to the defaults: VOLTAR resumes again, and the confirmation names PARAR.
    let reset = app
        .ok(
            &alice,
            "mutation($o: ID!) { resetOrganizationConsentKeywords(input: {organizationId: $o}) { optOutKeywords optInKeywords } }",
            vars.clone(),
        )
        .await;
    assert_eq!(
        reset["resetOrganizationConsentKeywords"],
        words["organization"]
    );
    customer_writes(&app, &pn, ana_writes("Voltar")).await;
    let thread = eventually(&app, &alice, THREAD, vars.clone(), |d| {
        confirmations(d).len() == 2
            && d["organization"]["conversations"]["nodes"][0]["contact"]["marketing"] == "OPTED_IN"
    })
    .await;
    let told = confirmations(&thread);
    assert!(told[1].contains("Responda PARAR"), "{told:?}");
}
