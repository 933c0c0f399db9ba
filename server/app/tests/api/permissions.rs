//! Every row of docs/PERMISSIONS.md, run as an Owner, an Admin and a Member.

use std::{path::PathBuf, time::Duration};

use serde_json::{Value, json};

use crate::{
    helpers::{TestApp, code},
    ws::Subscriber,
};

struct Case<'a> {
    app: &'a TestApp,
    org: String,
    actor: String,
    target: String,
}

impl Case<'_> {
    async fn run(&self, query: &str, mut vars: Value) -> Value {
        vars["o"] = json!(self.org);
        vars["u"] = json!(self.target);
        self.app.gql(Some(&self.actor), query, vars).await.1
    }

    async fn as_alice(&self, query: &str, vars: Value) -> Value {
        let alice = self.app.sign_in("alice").await;
        self.app.ok(&alice, query, vars).await
    }
}

/// The target member's role each row needs.
fn target_role(operation: &str) -> &'static str {
    if operation.contains("of an Owner") {
        "OWNER"
    } else {
        "MEMBER"
    }
}

async fn perform(operation: &str, case: &Case<'_>) -> Value {
    match operation {
        "`organization` (name, your role, member count)" => case.run("query($o: ID!) { organization(id: $o) { name viewerRole memberCount } }", json!({})).await,
        "`organization.members`" => case.run("query($o: ID!) { organization(id: $o) { members { nodes { role } } } }", json!({})).await,
        "`organization.invitations`" => case.run("query($o: ID!) { organization(id: $o) { invitations { nodes { email } } } }", json!({})).await,
        "`organization.apiTokens`" => case.run("query($o: ID!) { organization(id: $o) { apiTokens { nodes { name } } } }", json!({})).await,
        "`organization.auditLog`" => case.run("query($o: ID!) { organization(id: $o) { auditLog { nodes { action } } } }", json!({})).await,
        "`organizationEvents` subscription" => subscribe(case).await,
        "`renameOrganization`" => case.run("mutation($o: ID!) { renameOrganization(input: {organizationId: $o, name: \"Renamed\"}) { name } }", json!({})).await,
        "`inviteMember` as Member or Admin" => case.run("mutation($o: ID!) { inviteMember(input: {organizationId: $o, email: \"new@example.com\", role: ADMIN}) { acceptUrl } }", json!({})).await,
        "`inviteMember` as Owner" => case.run("mutation($o: ID!) { inviteMember(input: {organizationId: $o, email: \"new@example.com\", role: OWNER}) { acceptUrl } }", json!({})).await,
        "`revokeInvitation`" => {
            let made = case
                .as_alice("mutation($o: ID!) { inviteMember(input: {organizationId: $o, email: \"x@example.com\", role: MEMBER}) { invitation { id } } }", json!({ "o": case.org }))
                .await;
            let id = made["inviteMember"]["invitation"]["id"].clone();
            case.run("mutation($o: ID!, $i: ID!) { revokeInvitation(input: {organizationId: $o, invitationId: $i}) { status } }", json!({ "i": id })).await
        }
        "`changeMemberRole` between Member and Admin" => case.run("mutation($o: ID!, $u: ID!) { changeMemberRole(input: {organizationId: $o, userId: $u, role: ADMIN}) { role } }", json!({})).await,
        "`changeMemberRole` to or from Owner" => case.run("mutation($o: ID!, $u: ID!) { changeMemberRole(input: {organizationId: $o, userId: $u, role: OWNER}) { role } }", json!({})).await,
        "`removeMember` of a Member or Admin" | "`removeMember` of an Owner" => case.run("mutation($o: ID!, $u: ID!) { removeMember(input: {organizationId: $o, userId: $u}) }", json!({})).await,
        "`transferOwnership`" => case.run("mutation($o: ID!, $u: ID!) { transferOwnership(input: {organizationId: $o, userId: $u}) { viewerRole } }", json!({})).await,
        "`createApiToken` with role Member or Admin" => case.run("mutation($o: ID!) { createApiToken(input: {organizationId: $o, name: \"ci\", role: ADMIN}) { token } }", json!({})).await,
        "`createApiToken` with role Owner" => case.run("mutation($o: ID!) { createApiToken(input: {organizationId: $o, name: \"ci\", role: OWNER}) { token } }", json!({})).await,
        "`revokeApiToken`" => {
            let made = case
                .as_alice("mutation($o: ID!) { createApiToken(input: {organizationId: $o, name: \"ci\", role: MEMBER}) { apiToken { id } } }", json!({ "o": case.org }))
                .await;
            let id = made["createApiToken"]["apiToken"]["id"].clone();
            case.run("mutation($o: ID!, $t: ID!) { revokeApiToken(input: {organizationId: $o, apiTokenId: $t}) { revokedAt } }", json!({ "t": id })).await
        }
        "`leaveOrganization`" => {
            // An Owner may leave only beside another Owner.
            if case.actor == case.app.sign_in("alice").await {
                case.as_alice("mutation($o: ID!, $u: ID!) { changeMemberRole(input: {organizationId: $o, userId: $u, role: OWNER}) { role } }", json!({ "o": case.org, "u": case.target }))
                    .await;
            }
            case.run("mutation($o: ID!) { leaveOrganization(input: {organizationId: $o}) }", json!({})).await
        }
        "`organization.phoneNumbers` and `businessProfile`" => {
            whatsapp(case).await;
            case.run("query($o: ID!) { organization(id: $o) { phoneNumbers { displayPhoneNumber businessProfile { about } } } }", json!({})).await
        }
        "`organization.conversations` and messages" => {
            whatsapp(case).await;
            case.run("query($o: ID!) { organization(id: $o) { conversations { nodes { contact { waId } messages { nodes { text status } } } } } }", json!({})).await
        }
        "`inboxEvents` subscription" => {
            let (pn, _, _) = whatsapp(case).await;
            let mut sub = Subscriber::connect(&case.app.ws_url(), &case.actor, "graphql-transport-ws").await.unwrap();
            sub.subscribe("1", "subscription($o: ID!) { inboxEvents(organizationId: $o) { kind } }", json!({ "o": case.org }), true).await;
            tokio::time::sleep(Duration::from_millis(300)).await;
            customer_writes(case.app, &pn, "again").await;
            sub.next_event(Duration::from_secs(10)).await.expect("an event or an error")
        }
        "`sendMessage`" => {
            let (_, _, conversation) = whatsapp(case).await;
            case.run("mutation($o: ID!, $c: ID!) { sendMessage(input: {organizationId: $o, conversationId: $c, text: \"hello\"}) { id } }", json!({ "c": conversation })).await
        }
        "`retryMessage` (a failed outbound message)" => {
            let (_, _, conversation) = whatsapp(case).await;
            let alice = case.app.sign_in("alice").await;
            let message = crate::whatsapp_reliability::failed_message(case.app, &alice, &case.org, &conversation).await;
            case.run("mutation($o: ID!, $m: ID!) { retryMessage(input: {organizationId: $o, messageId: $m}) { status } }", json!({ "m": message })).await
        }
        "`assignConversation`, `setConversationStatus`, `setConversationLabels`, `addNote`" => {
            let (_, _, conversation) = whatsapp(case).await;
            let mut last = json!({});
            for q in [
                "mutation($o: ID!, $c: ID!, $u: ID!) { assignConversation(input: {organizationId: $o, conversationId: $c, assigneeId: $u}) { id } }",
                "mutation($o: ID!, $c: ID!) { setConversationStatus(input: {organizationId: $o, conversationId: $c, status: PENDING}) { id } }",
                "mutation($o: ID!, $c: ID!) { setConversationLabels(input: {organizationId: $o, conversationId: $c, labels: [\"vip\"]}) { id } }",
                "mutation($o: ID!, $c: ID!) { addNote(input: {organizationId: $o, conversationId: $c, body: \"called back\"}) { id } }",
            ] {
                last = case.run(q, json!({ "c": conversation })).await;
                if last.get("errors").is_some() {
                    break;
                }
            }
            last
        }
        "`markConversationRead`" => {
            let (_, _, conversation) = whatsapp(case).await;
            case.run("mutation($o: ID!, $c: ID!) { markConversationRead(input: {organizationId: $o, conversationId: $c}) { unreadCount } }", json!({ "c": conversation })).await
        }
        "`refreshPhoneNumber` and `syncTemplates`" => {
            let (_, number, _) = whatsapp(case).await;
            let r = case.run("mutation($o: ID!, $n: ID!) { refreshPhoneNumber(input: {organizationId: $o, phoneNumberId: $n}) { status } }", json!({ "n": number })).await;
            if r.get("errors").is_some() {
                return r;
            }
            case.run("mutation($o: ID!, $n: ID!) { syncTemplates(input: {organizationId: $o, phoneNumberId: $n}) { name } }", json!({ "n": number })).await
        }
        "`connectWhatsApp` and `completeEmbeddedSignup`" => {
            let (waba, pn) = fresh_account(case.app).await;
            let r = case.run("mutation($o: ID!, $w: String!, $p: String!) { connectWhatsApp(input: {organizationId: $o, wabaId: $w, phoneNumberId: $p, accessToken: \"t\"}) { id } }", json!({ "w": waba, "p": pn })).await;
            if r.get("errors").is_some() {
                return r;
            }
            let signup: Value = reqwest::Client::new().post(format!("{}/sandbox/embedded-signup", case.app.sandbox_url)).json(&json!({})).send().await.unwrap().json().await.unwrap();
            case.run(
                "mutation($o: ID!, $c: String!, $w: String!, $p: String!) { completeEmbeddedSignup(input: {organizationId: $o, code: $c, wabaId: $w, phoneNumberId: $p}) { id } }",
                json!({ "c": signup["code"], "w": signup["waba_id"], "p": signup["phone_number_id"] }),
            )
            .await
        }
        "`disconnectPhoneNumber`" => {
            let (_, number, _) = whatsapp(case).await;
            case.run("mutation($o: ID!, $n: ID!) { disconnectPhoneNumber(input: {organizationId: $o, phoneNumberId: $n}) { id } }", json!({ "n": number })).await
        }
        "`createTemplate` and `deleteTemplate`" => {
            let (_, number, _) = whatsapp(case).await;
            let r = case
                .run(
                    "mutation($o: ID!, $n: ID!) { createTemplate(input: {organizationId: $o, phoneNumberId: $n, name: \"promo_x\", language: \"en_US\", category: \"MARKETING\", bodyText: \"Sale {{1}}\", bodyExamples: [\"today\"]}) { id } }",
                    json!({ "n": number }),
                )
                .await;
            if r.get("errors").is_some() {
                return r;
            }
            case.run("mutation($o: ID!, $t: ID!) { deleteTemplate(input: {organizationId: $o, templateId: $t}) }", json!({ "t": r["data"]["createTemplate"]["id"] })).await
        }
        "`updateBusinessProfile`" => {
            let (_, number, _) = whatsapp(case).await;
            case.run("mutation($o: ID!, $n: ID!) { updateBusinessProfile(input: {organizationId: $o, phoneNumberId: $n, about: \"Open 9-5\"}) { about } }", json!({ "n": number })).await
        }
        "`createCannedResponse` and `deleteCannedResponse`" => {
            let r = case.run("mutation($o: ID!) { createCannedResponse(input: {organizationId: $o, shortcut: \"hours\", body: \"We open at 9.\"}) { id } }", json!({})).await;
            if r.get("errors").is_some() {
                return r;
            }
            case.run("mutation($o: ID!, $i: ID!) { deleteCannedResponse(input: {organizationId: $o, cannedResponseId: $i}) }", json!({ "i": r["data"]["createCannedResponse"]["id"] })).await
        }
        other => panic!("docs/PERMISSIONS.md names `{other}`, which this test does not know"),
    }
}

/// A new business account with one number in the sandbox: (WABA id, phone number id).
async fn fresh_account(app: &TestApp) -> (String, String) {
    let n = uuid::Uuid::new_v4().as_u128() % 1_000_000_000_000;
    let (waba, pn) = (format!("3{n:012}"), format!("4{n:012}"));
    crate::helpers::sandbox_account(app, &waba, &pn).await;
    (waba, pn)
}

async fn customer_writes(app: &TestApp, pn: &str, text: &str) {
    let body = json!({ "phone_number_id": pn, "from": "15550003333", "type": "text", "text": { "body": text } });
    let r = reqwest::Client::new()
        .post(format!("{}/sandbox/customers/messages", app.sandbox_url))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
}

/// Alice connects a number and a customer writes in: (Meta phone number id, number id, conversation id).
async fn whatsapp(case: &Case<'_>) -> (String, String, String) {
    let (waba, pn) = fresh_account(case.app).await;
    let n = case
        .as_alice(
            "mutation($o: ID!, $w: String!, $p: String!) { connectWhatsApp(input: {organizationId: $o, wabaId: $w, phoneNumberId: $p, accessToken: \"t\"}) { id } }",
            json!({ "o": case.org, "w": waba, "p": pn }),
        )
        .await;
    customer_writes(case.app, &pn, "hi").await;
    for _ in 0..100 {
        let d = case
            .as_alice(
                "query($o: ID!) { organization(id: $o) { conversations { nodes { id } } } }",
                json!({ "o": case.org }),
            )
            .await;
        if let Some(id) = d["organization"]["conversations"]["nodes"][0]["id"].as_str() {
            return (
                pn,
                n["connectWhatsApp"]["id"].as_str().unwrap().to_owned(),
                id.to_owned(),
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the customer's message never arrived");
}

/// Subscribes, has Alice rename the organization, and returns the first message: the event,
/// or the error that refused the subscription.
async fn subscribe(case: &Case<'_>) -> Value {
    let mut sub = Subscriber::connect(&case.app.ws_url(), &case.actor, "graphql-transport-ws")
        .await
        .unwrap();
    sub.subscribe(
        "1",
        "subscription($o: ID!) { organizationEvents(organizationId: $o) { kind } }",
        json!({ "o": case.org }),
        true,
    )
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    case.as_alice("mutation($o: ID!) { renameOrganization(input: {organizationId: $o, name: \"Ping\"}) { name } }", json!({ "o": case.org }))
        .await;
    sub.next_event(Duration::from_secs(5))
        .await
        .expect("an event or an error")
}

fn matrix() -> Vec<(String, [bool; 3])> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/PERMISSIONS.md");
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
            let allowed = |c: &str| match c {
                "✓" => true,
                "✗" => false,
                other => panic!("unexpected cell `{other}` in `{l}`"),
            };
            (
                cells[0].to_owned(),
                [allowed(cells[1]), allowed(cells[2]), allowed(cells[3])],
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_operation_obeys_the_permission_matrix() {
    let app = TestApp::spawn().await;
    let rows = matrix();
    assert!(rows.len() >= 31, "the matrix lost rows");
    let mut failures = Vec::new();
    for (operation, allowed) in &rows {
        for (i, role) in ["OWNER", "ADMIN", "MEMBER"].into_iter().enumerate() {
            let org = app.create_org("alice", "Matrix").await;
            let actor = if role == "OWNER" {
                "alice"
            } else {
                app.add_member(&org, "alice", "bob", role).await;
                "bob"
            };
            let target = app
                .add_member(&org, "alice", "carol", target_role(operation))
                .await;
            let case = Case {
                app: &app,
                org,
                actor: app.sign_in(actor).await,
                target,
            };
            let body = perform(operation, &case).await;
            let outcome = if body.get("errors").is_none() {
                "allowed"
            } else {
                code(&body)
            };
            let expected = if allowed[i] { "allowed" } else { "FORBIDDEN" };
            if outcome != expected {
                failures.push(format!(
                    "{operation} as {role}: expected {expected}, got {outcome}: {body}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_member_role_api_token_is_held_to_the_member_column() {
    let app = TestApp::spawn().await;
    let org = app.create_org("alice", "Acme").await;
    let (_, token) = app.api_token(&org, "alice", "MEMBER").await;
    let (_, body) = app
        .gql(
            Some(&token),
            "query($o: ID!) { organization(id: $o) { auditLog { nodes { action } } } }",
            json!({ "o": org }),
        )
        .await;
    assert_eq!(code(&body), "FORBIDDEN");
    let (_, body) = app.gql(Some(&token), "mutation($o: ID!) { renameOrganization(input: {organizationId: $o, name: \"X\"}) { name } }", json!({ "o": org })).await;
    assert_eq!(code(&body), "FORBIDDEN");
    let data = app
        .ok(
            &token,
            "query($o: ID!) { organization(id: $o) { members { nodes { role } } } }",
            json!({ "o": org }),
        )
        .await;
    assert_eq!(
        data["organization"]["members"]["nodes"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_non_member_finds_nothing() {
    let app = TestApp::spawn().await;
    let org = app.create_org("alice", "Acme").await;
    let bob = app.sign_in("bob").await;
    for query in [
        "query($o: ID!) { organization(id: $o) { name } }",
        "mutation($o: ID!) { renameOrganization(input: {organizationId: $o, name: \"X\"}) { name } }",
        "mutation($o: ID!) { leaveOrganization(input: {organizationId: $o}) }",
    ] {
        let (_, body) = app.gql(Some(&bob), query, json!({ "o": org })).await;
        assert_eq!(code(&body), "NOT_FOUND", "{query}");
    }
}
