//! AI agents end to end: knowledge uploaded over REST and read by the ingestion job, a
//! customer writing through the sandbox, the bot answering through a local server that speaks
//! the chat-completions wire format (which records what the model received), handoff by tool
//! and by rule, silence after a human reply, fresh episodes, debounce, business hours, the
//! offline fallback, and the provider refusing the key.

use chrono::Datelike;
use serde_json::{Value, json};
use wagent_db::diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use wagent_llm::fake::{FakeEmbeddings, FakeLlm, Reply};

use crate::{
    helpers::{TestApp, code},
    whatsapp::{connected, customer_writes, eventually},
};

const POLICY: &str = "Casa Aurora returns policy\n\n\
# Returns\n\nYou may return any item within 43 days of delivery. Write to us with your order \
number and we collect the item at no cost.\n\n\
# Shipping\n\nOrders leave our warehouse in Campinas within 2 working days. Shipping to Portugal \
takes 9 to 12 working days.\n\n\
# Warranty\n\nSofas carry a 7-year warranty on the frame and 2 years on the fabric.\n";

const THREAD: &str = "query($o: ID!) { organization(id: $o) { conversations(first: 1) { nodes { id handler handoffReason messages(first: 30) { nodes { direction text status agentId aiTurn { outcome model sources { citation text } } } } } } } }";

async fn upload(app: &TestApp, token: &str, org: &str, name: &str, body: &[u8]) -> Value {
    let response = app
        .http
        .post(format!("{}/api/organizations/{org}/knowledge", app.base))
        .bearer_auth(token)
        .header("x-file-name", name)
        .body(body.to_vec())
        .send()
        .await
        .unwrap();
    response.json().await.unwrap()
}

/// Uploads the returns policy and waits until it is searchable; its id.
async fn policy(app: &TestApp, token: &str, org: &str) -> String {
    let up = upload(app, token, org, "returns.md", POLICY.as_bytes()).await;
    let id = up["sourceId"].as_str().expect("uploaded").to_owned();
    eventually(
        app,
        token,
        "query($o: ID!, $k: ID!) { organization(id: $o) { knowledgeSource(id: $k) { status statusReason chunkCount } } }",
        json!({ "o": org, "k": id }),
        |d| d["organization"]["knowledgeSource"]["status"] == "READY",
    )
    .await;
    id
}

async fn agent(app: &TestApp, token: &str, org: &str, number: &str, extra: Value) -> String {
    let mut input = json!({ "organizationId": org, "name": "Bia", "phoneNumberIds": [number], "enabled": true, "debounceMs": 200 });
    for (k, v) in extra.as_object().unwrap() {
        input[k] = v.clone();
    }
    let (_, made) = app
        .gql(
            Some(token),
            "mutation($i: AgentInput!) { createAgent(input: $i) { id enabled } }",
            json!({ "i": input }),
        )
        .await;
    made["data"]["createAgent"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("createAgent: {made}"))
        .to_owned()
}

fn text(body: &str) -> Value {
    json!({ "type": "text", "text": { "body": body } })
}

/// The outbound messages of the first conversation, oldest first.
fn outbound(thread: &Value) -> Vec<Value> {
    let Some(messages) =
        thread["organization"]["conversations"]["nodes"][0]["messages"]["nodes"].as_array()
    else {
        return Vec::new();
    };
    let mut out: Vec<Value> = messages
        .iter()
        .filter(|m| m["direction"] == "OUTBOUND")
        .cloned()
        .collect();
    out.reverse();
    out
}

async fn with_model() -> (TestApp, FakeLlm) {
    let fake = FakeLlm::start().await;
    let app = TestApp::spawn_configured(&[
        ("LLM_BASE_URL", fake.base_url()),
        ("LLM_API_KEY", wagent_llm::fake::FAKE_API_KEY),
        ("LLM_MODEL", "fake-model"),
        ("WAGENT_RATE_LIMIT_PER_IP", "0"),
        ("WAGENT_RATE_LIMIT_PER_TOKEN", "0"),
    ])
    .await;
    (app, fake)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_bot_answers_from_the_right_passage_and_the_model_sees_no_phone_or_email() {
    let (app, fake) = with_model().await;
    let (org, number, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    policy(&app, &alice, &org).await;
    agent(
        &app,
        &alice,
        &org,
        &number,
        json!({ "rules": ["Never promise refunds in cash"] }),
    )
    .await;
    // The provider keeps the request queued a moment, sending keep-alives meanwhile.
    fake.reply(
        Reply::text("You have 43 days from delivery to return it.")
            .queued_for(std::time::Duration::from_millis(300)),
    );

    customer_writes(
        &app,
        &pn,
        text("Hi, I'm ana.souza@example.com, call me on +55 11 98765-4321. How long do I have to return a sofa?"),
    )
    .await;
    // Stored first, then sent: wait until Meta took the answer before asking the sandbox.
    let thread = eventually(&app, &alice, THREAD, json!({ "o": org }), |d| {
        outbound(d)
            .iter()
            .any(|m| m["agentId"].is_string() && m["status"] != "PENDING")
    })
    .await;
    let answer = &outbound(&thread)[0];
    assert_eq!(
        answer["text"],
        "You have 43 days from delivery to return it."
    );
    assert_eq!(answer["aiTurn"]["outcome"], "ANSWERED");
    assert_eq!(answer["aiTurn"]["model"], "fake-model");
    let sources = answer["aiTurn"]["sources"].as_array().unwrap();
    assert!(
        sources[0]["text"]
            .as_str()
            .unwrap()
            .contains("within 43 days of delivery"),
        "the returns passage is the first source: {sources:?}"
    );
    assert!(sources[0]["citation"].as_str().unwrap().contains("Returns"));

    let requests = fake.requests();
    assert_eq!(requests.len(), 1, "one question, one model call");
    let sent = &requests[0];
    let all = sent.raw_body.clone();
    assert!(
        all.contains("within 43 days of delivery"),
        "grounded in the right chunk"
    );
    assert!(
        all.contains("Never promise refunds in cash"),
        "the agent's rules are in the prompt"
    );
    assert!(
        !all.contains("ana.souza@example.com") && !all.contains("98765"),
        "masked: {all}"
    );
    assert!(all.contains("[email]") && all.contains("[phone]"));
    let user = sent.body["user_id"].as_str().unwrap();
    assert!(
        user.starts_with("c-") && !user.contains("1555"),
        "an opaque id: {user}"
    );
    assert_eq!(sent.body["thinking"]["type"], "disabled");
    assert!(sent.is_stream(), "the answer is streamed");
    assert_eq!(
        sent.messages()[0]["role"],
        "system",
        "a stable system prefix first"
    );

    // The customer's phone got the answer.
    let business_sent = app
        .http
        .get(format!(
            "{}/sandbox/organizations/{org}/messages?phone_number_id={pn}",
            app.base
        ))
        .bearer_auth(&alice)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        business_sent.contains("43 days from delivery"),
        "{business_sent}"
    );

    // Erasing the customer erases the agent's log of her conversation with her messages.
    let list = app
        .ok(
            &alice,
            "query($o: ID!) { organization(id: $o) { contacts(first: 1) { nodes { id } } } }",
            json!({ "o": org }),
        )
        .await;
    let contact = &list["organization"]["contacts"]["nodes"][0]["id"];
    app.ok(
        &alice,
        "mutation($o: ID!, $c: ID!) { eraseContact(input: {organizationId: $o, contactId: $c}) { contactId } }",
        json!({ "o": org, "c": contact }),
    )
    .await;
    let turns = wagent_testkit::count(
        &app.db.admin,
        &format!("SELECT count(*) AS n FROM ai_turns WHERE org_id = '{org}'"),
    )
    .await;
    assert_eq!(turns, 0, "no AI turn outlives the erased contact");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_model_hands_over_by_tool_and_the_bot_stays_silent_until_handed_back() {
    let (app, fake) = with_model().await;
    let (org, number, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    policy(&app, &alice, &org).await;
    agent(
        &app,
        &alice,
        &org,
        &number,
        json!({ "handoffMessage": "Um momento, vou chamar alguém da equipe." }),
    )
    .await;
    fake.reply_tool_call(
        "hand_over_to_team",
        json!({ "reason": "wants a custom quote" }),
    );

    customer_writes(
        &app,
        &pn,
        text("Can you make a sofa 4 metres long for my shop?"),
    )
    .await;
    let thread = eventually(&app, &alice, THREAD, json!({ "o": org }), |d| {
        d["organization"]["conversations"]["nodes"][0]["handler"] == "TEAM"
    })
    .await;
    let conversation = &thread["organization"]["conversations"]["nodes"][0];
    assert_eq!(conversation["handoffReason"], "wants a custom quote");
    let said = outbound(&thread);
    assert_eq!(said.len(), 1, "the customer is told once: {said:?}");
    assert_eq!(said[0]["text"], "Um momento, vou chamar alguém da equipe.");
    let conversation_id = conversation["id"].as_str().unwrap().to_owned();

    // Handed over: the bot says nothing more, whatever the customer writes.
    customer_writes(&app, &pn, text("Hello? Anyone there?")).await;
    app.jobs_drained().await;
    assert_eq!(fake.request_count(), 1, "the model is not asked again");
    let thread = app.ok(&alice, THREAD, json!({ "o": org })).await;
    assert_eq!(outbound(&thread).len(), 1);

    // A member hands it back: the next question is the bot's again.
    let back = app
        .ok(&alice, "mutation($o: ID!, $c: ID!) { handConversationToBot(organizationId: $o, conversationId: $c) { handler handoffReason } }", json!({ "o": org, "c": conversation_id }))
        .await;
    assert_eq!(back["handConversationToBot"]["handler"], "BOT");
    fake.reply_text("Shipping to Portugal takes 9 to 12 working days.");
    customer_writes(&app, &pn, text("How long does shipping to Portugal take?")).await;
    eventually(&app, &alice, THREAD, json!({ "o": org }), |d| {
        outbound(d).len() == 2
    })
    .await;
    let second = fake.requests().pop().unwrap();
    assert!(
        !second.raw_body.contains("4 metres"),
        "the bot's history starts when it was handed back"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn asking_for_a_person_hands_over_by_rule_and_a_human_reply_silences_the_bot() {
    let (app, fake) = with_model().await;
    let (org, number, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    policy(&app, &alice, &org).await;
    agent(&app, &alice, &org, &number, json!({})).await;

    customer_writes(&app, &pn, text("Quero falar com um atendente, por favor")).await;
    let thread = eventually(&app, &alice, THREAD, json!({ "o": org }), |d| {
        d["organization"]["conversations"]["nodes"][0]["handler"] == "TEAM"
    })
    .await;
    assert_eq!(
        thread["organization"]["conversations"]["nodes"][0]["handoffReason"],
        "the customer asked for a person"
    );
    assert_eq!(fake.request_count(), 0, "a rule, not the model, decided");

    // Another conversation: a person answers while the bot handles it, and the bot falls silent.
    let conversation_id = thread["organization"]["conversations"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.ok(&alice, "mutation($o: ID!, $c: ID!) { handConversationToBot(organizationId: $o, conversationId: $c) { handler } }", json!({ "o": org, "c": conversation_id }))
        .await;
    app.ok(&alice, "mutation($o: ID!, $c: ID!) { sendMessage(input: {organizationId: $o, conversationId: $c, text: \"Oi! Sou a Alice, posso ajudar.\"}) { id } }", json!({ "o": org, "c": conversation_id }))
        .await;
    let thread = app.ok(&alice, THREAD, json!({ "o": org })).await;
    assert_eq!(
        thread["organization"]["conversations"]["nodes"][0]["handler"],
        "TEAM"
    );
    customer_writes(&app, &pn, text("How long do I have to return a sofa?")).await;
    app.jobs_drained().await;
    assert_eq!(
        fake.request_count(),
        0,
        "never both bot and human answering"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_burst_of_messages_gets_one_answer_and_a_reopened_conversation_a_fresh_episode() {
    let (app, fake) = with_model().await;
    let (org, number, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    policy(&app, &alice, &org).await;
    agent(&app, &alice, &org, &number, json!({ "debounceMs": 1500 })).await;
    fake.answer_with(|_| Reply::text("Sofas carry a 7-year warranty on the frame."));

    customer_writes(&app, &pn, text("hello")).await;
    customer_writes(&app, &pn, text("what warranty")).await;
    customer_writes(&app, &pn, text("do sofas have?")).await;
    let requests = fake.wait_for_requests(1).await;
    app.jobs_drained().await;
    assert_eq!(fake.request_count(), 1, "three messages, one answer");
    let asked = requests[0].last_user_message().unwrap().to_owned();
    assert!(
        asked.contains("hello")
            && asked.contains("what warranty")
            && asked.contains("do sofas have?"),
        "{asked}"
    );

    // Resolved, then the customer writes again: a fresh episode without the old turns.
    let thread = eventually(&app, &alice, THREAD, json!({ "o": org }), |d| {
        outbound(d).len() == 1
    })
    .await;
    let conversation_id = thread["organization"]["conversations"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.ok(&alice, "mutation($o: ID!, $c: ID!) { setConversationStatus(input: {organizationId: $o, conversationId: $c, status: RESOLVED}) { status } }", json!({ "o": org, "c": conversation_id }))
        .await;
    customer_writes(&app, &pn, text("And shipping to Portugal?")).await;
    let requests = fake.wait_for_requests(2).await;
    let fresh = &requests[1];
    assert!(
        !fresh.raw_body.contains("what warranty"),
        "no old history: {}",
        fresh.raw_body
    );
    let thread = eventually(&app, &alice, THREAD, json!({ "o": org }), |d| {
        outbound(d).len() == 2
    })
    .await;
    assert_eq!(
        thread["organization"]["conversations"]["nodes"][0]["handler"],
        "BOT"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn small_talk_is_no_miss_but_repeated_unanswered_questions_go_to_the_team() {
    let (app, fake) = with_model().await;
    let (org, number, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    policy(&app, &alice, &org).await;
    agent(
        &app,
        &alice,
        &org,
        &number,
        json!({ "handoffAfterMisses": 2 }),
    )
    .await;
    fake.answer_with(|_| Reply::text("Happy to help!"));
    let handler = |d: &Value| d["organization"]["conversations"]["nodes"][0]["handler"].clone();

    // Greetings and thanks find no passage, and are no misunderstanding.
    for (i, chat) in ["hi!", "thanks 🙏", "ok, obrigada"].into_iter().enumerate() {
        customer_writes(&app, &pn, text(chat)).await;
        let thread = eventually(&app, &alice, THREAD, json!({ "o": org }), |d| {
            outbound(d).len() == i + 1
        })
        .await;
        assert_eq!(handler(&thread), "BOT", "after {chat:?}");
    }
    // Two questions the knowledge cannot answer: the second goes to the team.
    customer_writes(&app, &pn, text("do you sell gift cards?")).await;
    let thread = eventually(&app, &alice, THREAD, json!({ "o": org }), |d| {
        outbound(d).len() == 4
    })
    .await;
    assert_eq!(handler(&thread), "BOT", "one miss is not yet repeated");
    customer_writes(&app, &pn, text("and vouchers for a birthday?")).await;
    let thread = eventually(&app, &alice, THREAD, json!({ "o": org }), |d| {
        handler(d) == "TEAM"
    })
    .await;
    assert_eq!(
        thread["organization"]["conversations"]["nodes"][0]["handoffReason"],
        "no answer found in the knowledge, repeatedly"
    );
    assert_eq!(fake.request_count(), 5, "the model was asked every time");
}

#[tokio::test(flavor = "multi_thread")]
async fn out_of_hours_the_customer_is_told_once_and_the_model_is_not_asked() {
    let (app, fake) = with_model().await;
    let (org, number, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    // Open one minute a week, a minute that is not now.
    let closed_day = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][(chrono::Utc::now()
        .date_naive()
        .weekday()
        .num_days_from_monday()
        as usize
        + 3)
        % 7];
    agent(&app, &alice, &org, &number, json!({
        "businessHours": { "hours": { "timeZone": "UTC", "hours": [{ "day": closed_day, "from": "03:00", "to": "03:01" }] } },
        "outOfHoursMessage": "We are closed now; we answer from 9 to 18."
    }))
    .await;
    customer_writes(&app, &pn, text("Are you open?")).await;
    eventually(&app, &alice, THREAD, json!({ "o": org }), |d| {
        outbound(d).len() == 1
    })
    .await;
    customer_writes(&app, &pn, text("Hello??")).await;
    app.jobs_drained().await;
    let thread = app.ok(&alice, THREAD, json!({ "o": org })).await;
    let said = outbound(&thread);
    assert_eq!(said.len(), 1, "told once: {said:?}");
    assert_eq!(
        said[0]["text"],
        "We are closed now; we answer from 9 to 18."
    );
    assert_eq!(fake.request_count(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refused_key_pauses_the_agents_hands_over_and_tells_the_owner() {
    let (app, fake) = with_model().await;
    let (org, number, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    policy(&app, &alice, &org).await;
    let id = agent(&app, &alice, &org, &number, json!({})).await;
    fake.fail(402, "Insufficient Balance");

    customer_writes(
        &app,
        &pn,
        text("How many days do I have to return an item?"),
    )
    .await;
    let thread = eventually(&app, &alice, THREAD, json!({ "o": org }), |d| {
        d["organization"]["conversations"]["nodes"][0]["handler"] == "TEAM"
    })
    .await;
    // Meanwhile the customer got the passage (the offline answer), not silence.
    let said = outbound(&thread);
    if said.is_empty() {
        let turns = app.ok(&alice, "query($o: ID!) { organization(id: $o) { conversations(first: 1) { nodes { aiTurns { outcome error handoffReason } } } } }", json!({ "o": org })).await;
        panic!("nothing said: {turns}");
    }
    assert!(
        said[0]["text"]
            .as_str()
            .unwrap()
            .contains("within 43 days of delivery"),
        "{said:?}"
    );
    assert_eq!(said[0]["aiTurn"]["outcome"], "FALLBACK");
    let agent = app
        .ok(&alice, "query($o: ID!, $a: ID!) { organization(id: $o) { agent(id: $a) { enabled pausedReason } auditLog { nodes { action } } } }", json!({ "o": org, "a": id }))
        .await;
    let paused = agent["organization"]["agent"]["pausedReason"]
        .as_str()
        .unwrap();
    assert!(
        paused.contains("balance") || paused.contains("402") || paused.contains("payment"),
        "{paused}"
    );
    assert!(
        agent["organization"]["auditLog"]["nodes"]
            .to_string()
            .contains("agents.paused")
    );
    assert_eq!(fake.request_count(), 1, "402 is not retried");

    // Switching it on again clears the pause.
    let on = app
        .ok(&alice, "mutation($o: ID!, $a: ID!) { updateAgent(agentId: $a, input: {organizationId: $o, enabled: true}) { pausedReason } }", json!({ "o": org, "a": id }))
        .await;
    assert!(on["updateAgent"]["pausedReason"].is_null());
}

#[tokio::test(flavor = "multi_thread")]
async fn offline_the_agent_quotes_its_source_or_hands_over() {
    let app = TestApp::spawn().await;
    let (org, number, _) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    policy(&app, &alice, &org).await;
    let id = agent(&app, &alice, &org, &number, json!({})).await;
    let ask = "mutation($o: ID!, $a: ID, $m: String!) { testAgent(organizationId: $o, agentId: $a, message: $m) { text handoff handoffReason outcome sources { citation text grounded } } }";
    let found = app
        .ok(
            &alice,
            ask,
            json!({ "o": org, "a": id, "m": "how many days do I have to return an item?" }),
        )
        .await;
    let reply = &found["testAgent"];
    assert_eq!(reply["outcome"], "FALLBACK");
    assert_eq!(reply["handoff"], false);
    assert!(
        reply["text"]
            .as_str()
            .unwrap()
            .contains("within 43 days of delivery"),
        "{reply}"
    );
    assert!(
        reply["text"].as_str().unwrap().contains("Returns"),
        "cites its source: {reply}"
    );
    let unknown = app
        .ok(
            &alice,
            ask,
            json!({ "o": org, "a": id, "m": "do you sell gift cards?" }),
        )
        .await;
    assert_eq!(unknown["testAgent"]["handoff"], true, "{unknown}");
    assert_eq!(
        unknown["testAgent"]["handoffReason"],
        "no answer found in the knowledge"
    );

    // Members use the playground too; only Admins change agents.
    app.add_member(&org, "alice", "carol", "MEMBER").await;
    let carol = app.sign_in("carol").await;
    let (_, body) = app
        .gql(Some(&carol), "mutation($o: ID!, $a: ID!) { updateAgent(agentId: $a, input: {organizationId: $o, enabled: false}) { id } }", json!({ "o": org, "a": id }))
        .await;
    assert_eq!(code(&body), "FORBIDDEN");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_knowledge_gets_a_clear_error_and_private_addresses_are_never_fetched() {
    let app = TestApp::spawn().await;
    let org = app.create_org("alice", "Acme").await;
    let alice = app.sign_in("alice").await;
    let fake_pdf = upload(
        &app,
        &alice,
        &org,
        "prices.pdf",
        b"just some text, not a PDF",
    )
    .await;
    assert_eq!(
        fake_pdf["errors"][0]["extensions"]["code"], "VALIDATION",
        "{fake_pdf}"
    );
    assert!(
        fake_pdf["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("not a PDF"),
        "{fake_pdf}"
    );
    assert!(
        std::fs::read_dir(app.data_dir.join("knowledge")).map_or(true, |d| d
            .flatten()
            .all(|org_dir| std::fs::read_dir(org_dir.path()).map_or(true, |f| f.count() == 0))),
        "nothing kept of a refused file"
    );

    let ssrf = "query($o: ID!, $k: ID!) { organization(id: $o) { knowledgeSource(id: $k) { status statusReason } } }";
    for url in [
        "http://127.0.0.1:9/admin",
        "http://localhost:9/",
        "http://169.254.169.254/latest/meta-data",
    ] {
        let made = app
            .ok(&alice, "mutation($o: ID!, $u: String!) { addKnowledgeUrl(input: {organizationId: $o, url: $u}) { id } }", json!({ "o": org, "u": url }))
            .await;
        let id = made["addKnowledgeUrl"]["id"].as_str().unwrap().to_owned();
        let done = eventually(&app, &alice, ssrf, json!({ "o": org, "k": id }), |d| {
            d["organization"]["knowledgeSource"]["status"] == "FAILED"
        })
        .await;
        let reason = done["organization"]["knowledgeSource"]["statusReason"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            reason.contains("loopback")
                || reason.contains("private")
                || reason.contains("link-local")
                || reason.contains("forbidden")
                || reason.contains("refused"),
            "{url}: {reason}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reply_that_keeps_failing_goes_to_the_team_with_its_reason() {
    let app = TestApp::spawn().await;
    let (org, number, pn) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    policy(&app, &alice, &org).await;
    agent(&app, &alice, &org, &number, json!({})).await;
    // Every message the bot would store is refused: the reply job fails on each attempt.
    let mut c = AsyncPgConnection::establish(&app.db.admin.connection_string())
        .await
        .unwrap();
    c.batch_execute(
        "CREATE FUNCTION refuse_bot() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN RAISE EXCEPTION 'the disk is full'; END $$;
         CREATE TRIGGER refuse_bot BEFORE INSERT ON messages
            FOR EACH ROW WHEN (NEW.agent_id IS NOT NULL) EXECUTE FUNCTION refuse_bot();",
    )
    .await
    .unwrap();

    customer_writes(
        &app,
        &pn,
        text("how many days do I have to return an item?"),
    )
    .await;
    let query = "query($o: ID!) { organization(id: $o) { conversations(first: 1) { nodes { handler handoffReason aiTurns { outcome error } } } } }";
    let thread = wagent_testkit::wait_for(
        "the team to be handed the conversation",
        std::time::Duration::from_secs(60),
        || async {
            let d = app.ok(&alice, query, json!({ "o": org })).await;
            (d["organization"]["conversations"]["nodes"][0]["handler"] == "TEAM").then_some(d)
        },
    )
    .await;
    let conversation = &thread["organization"]["conversations"]["nodes"][0];
    let reason = conversation["handoffReason"].as_str().unwrap();
    assert!(
        reason.starts_with("the assistant failed"),
        "the inbox says why: {reason}"
    );
    let turns = conversation["aiTurns"].as_array().unwrap();
    assert_eq!(turns.len(), 1, "{turns:?}");
    assert_eq!(turns[0]["outcome"], "FAILED");
    // The database's own words stay in the server's log.
    assert_eq!(
        turns[0]["error"],
        "the answer could not be sent: internal error"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn with_an_embeddings_endpoint_a_question_finds_a_passage_that_shares_no_word_with_it() {
    let embeddings = FakeEmbeddings::start().await;
    embeddings.with_synonyms(&[&["couch", "sofa", "settee"]]);
    let app = TestApp::spawn_configured(&[
        ("EMBEDDINGS_BASE_URL", embeddings.base_url()),
        ("EMBEDDINGS_API_KEY", wagent_llm::fake::FAKE_API_KEY),
        ("EMBEDDINGS_MODEL", "fake-embeddings"),
    ])
    .await;
    let (org, _, _) = connected(&app).await;
    let alice = app.sign_in("alice").await;
    let catalogue = "# Catalogue\n\n## Living room\n\nThe Lina sofa costs R$ 3,200 in linen.\n\n## Garden\n\nTeak chairs are oiled twice a year.\n";
    let up = upload(&app, &alice, &org, "catalogue.md", catalogue.as_bytes()).await;
    let source = up["sourceId"].as_str().unwrap().to_owned();
    let status = "query($o: ID!, $k: ID!) { organization(id: $o) { knowledgeSource(id: $k) { status embeddingError } } }";
    let ready = eventually(
        &app,
        &alice,
        status,
        json!({ "o": org, "k": source }),
        |d| d["organization"]["knowledgeSource"]["status"] == "READY",
    )
    .await;
    assert_eq!(
        ready["organization"]["knowledgeSource"]["embeddingError"],
        Value::Null
    );
    let ingested = embeddings.requests();
    assert_eq!(ingested.len(), 1, "the chunks go in one request");
    assert!(ingested[0].raw_body.contains("Lina sofa"));

    // "settee" is nowhere in the text: only the embeddings say it is the sofa.
    let search = "query($o: ID!, $q: String!) { organization(id: $o) { searchKnowledge(question: $q, first: 2) { text semantic } } }";
    let found = app
        .ok(&alice, search, json!({ "o": org, "q": "Settee?" }))
        .await;
    let passages = found["organization"]["searchKnowledge"].as_array().unwrap();
    assert!(
        passages[0]["text"].as_str().unwrap().contains("Lina sofa"),
        "{passages:?}"
    );
    assert!(
        passages[0]["semantic"].as_f64().unwrap() > passages[1]["semantic"].as_f64().unwrap_or(0.0)
    );
    app.ok(
        &alice,
        search,
        json!({ "o": org, "q": "a settee for ana@example.com" }),
    )
    .await;
    let asked = embeddings.requests().last().unwrap().raw_body.clone();
    assert!(
        asked.contains("[email]") && !asked.contains("ana@example.com"),
        "the question is masked before it leaves: {asked}"
    );

    // An endpoint that refuses leaves the source searchable by its text, and says why.
    embeddings.fail_next(401, "invalid key");
    let up = upload(
        &app,
        &alice,
        &org,
        "garden.md",
        b"# Garden\n\nCushions go inside in winter.\n",
    )
    .await;
    let garden = up["sourceId"].as_str().unwrap().to_owned();
    let ready = eventually(
        &app,
        &alice,
        status,
        json!({ "o": org, "k": garden }),
        |d| d["organization"]["knowledgeSource"]["status"] == "READY",
    )
    .await;
    let reason = ready["organization"]["knowledgeSource"]["embeddingError"]
        .as_str()
        .unwrap_or_default();
    assert!(reason.contains("text search only"), "{ready}");
    let found = app
        .ok(
            &alice,
            search,
            json!({ "o": org, "q": "cushions in winter" }),
        )
        .await;
    assert!(
        found["organization"]["searchKnowledge"][0]["text"]
            .as_str()
            .unwrap()
            .contains("Cushions go inside"),
        "{found}"
    );
}
