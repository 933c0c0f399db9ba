//! Every cell of docs/PERMISSIONS.md: each operation a row names, run as an Owner, an Admin
//! and a Member.
//!
//! A row may name several operations ("`a`, `b` and `c`"); each runs on its own. A new row
//! needs one arm in [`perform`], keyed by the operation as the row spells it.

use std::{path::PathBuf, time::Duration};

use serde_json::{Value, json};

use crate::{
    helpers::{TestApp, code},
    ws::Subscriber,
};

/// One cell: a fresh organization where Alice is an Owner, the actor has the column's role,
/// Carol is a Member and another person a second Owner (the targets an operation acts on).
struct Case<'a> {
    app: &'a TestApp,
    org: String,
    actor: String,
    member: String,
    owner: String,
}

impl Case<'_> {
    /// Runs `query` as the actor, with `$o` the organization and `$u` the Member target.
    async fn run(&self, query: &str, mut vars: Value) -> Value {
        vars["o"] = json!(self.org);
        if vars.get("u").is_none() {
            vars["u"] = json!(self.member);
        }
        self.app.gql(Some(&self.actor), query, vars).await.1
    }

    async fn as_alice(&self, query: &str, mut vars: Value) -> Value {
        vars["o"] = json!(self.org);
        let alice = self.app.sign_in("alice").await;
        self.app.ok(&alice, query, vars).await
    }
}

/// Runs one operation as the case's actor: the GraphQL (or HTTP) answer, `{errors}` when
/// refused. Several answers when the operation covers several cases.
async fn perform(operation: &str, case: &Case<'_>) -> Vec<Value> {
    let one = match operation {
        "`organization` (name, your role, member count)" => case.run("query($o: ID!) { organization(id: $o) { name viewerRole memberCount } }", json!({})).await,
        "`viewer` (yourself and your organizations)" => case.run("query { viewer { user { email } memberships { role } } }", json!({})).await,
        "`invitation` (what an invitation link offers, to anyone signed in)" => {
            let made = case
                .as_alice("mutation($o: ID!) { inviteMember(input: {organizationId: $o, email: \"y@example.com\", role: MEMBER}) { acceptUrl } }", json!({}))
                .await;
            let url = made["inviteMember"]["acceptUrl"].as_str().unwrap();
            let token = url.split("#token=").nth(1).unwrap();
            case.run("query($t: String!) { invitation(token: $t) { organizationName role status } }", json!({ "t": token })).await
        }
        "`organization.members`" => case.run("query($o: ID!) { organization(id: $o) { members { nodes { role } } } }", json!({})).await,
        "`organization.invitations`" => case.run("query($o: ID!) { organization(id: $o) { invitations { nodes { email } } } }", json!({})).await,
        "`organization.apiTokens`" => case.run("query($o: ID!) { organization(id: $o) { apiTokens { nodes { name } } } }", json!({})).await,
        "`organization.auditLog`" => case.run("query($o: ID!) { organization(id: $o) { auditLog { nodes { action } } } }", json!({})).await,
        "`organizationEvents` subscription" => {
            subscribe(case, "subscription($o: ID!) { organizationEvents(organizationId: $o) { kind } }", async {
                case.as_alice("mutation($o: ID!) { renameOrganization(input: {organizationId: $o, name: \"Ping\"}) { name } }", json!({})).await;
            })
            .await
        }
        "`organization` settings (time zone, default country, consent keywords)" => case.run("query($o: ID!) { organization(id: $o) { timeZone defaultCountry optOutKeywords optInKeywords } }", json!({})).await,
        "`setOrganizationDefaultCountry`" => case.run("mutation($o: ID!) { setOrganizationDefaultCountry(input: {organizationId: $o, defaultCountry: \"PT\"}) { defaultCountry } }", json!({})).await,
        "`setOrganizationConsentKeywords`" => case.run("mutation($o: ID!) { setOrganizationConsentKeywords(input: {organizationId: $o, optOut: [\"CHEGA\"], optIn: [\"VOLTO\"]}) { optOutKeywords } }", json!({})).await,
        "`resetOrganizationConsentKeywords`" => case.run("mutation($o: ID!) { resetOrganizationConsentKeywords(input: {organizationId: $o}) { optOutKeywords } }", json!({})).await,
        "`setOrganizationTimeZone`" => case.run("mutation($o: ID!) { setOrganizationTimeZone(input: {organizationId: $o, timeZone: \"Europe/Lisbon\"}) { timeZone } }", json!({})).await,
        "`renameOrganization`" => case.run("mutation($o: ID!) { renameOrganization(input: {organizationId: $o, name: \"Renamed\"}) { name } }", json!({})).await,
        "`inviteMember` as Member or Admin" => case.run("mutation($o: ID!) { inviteMember(input: {organizationId: $o, email: \"new@example.com\", role: ADMIN}) { acceptUrl } }", json!({})).await,
        "`inviteMember` as Owner" => case.run("mutation($o: ID!) { inviteMember(input: {organizationId: $o, email: \"new@example.com\", role: OWNER}) { acceptUrl } }", json!({})).await,
        "`revokeInvitation`" => {
            let made = case
                .as_alice("mutation($o: ID!) { inviteMember(input: {organizationId: $o, email: \"x@example.com\", role: MEMBER}) { invitation { id } } }", json!({}))
                .await;
            let id = made["inviteMember"]["invitation"]["id"].clone();
            case.run("mutation($o: ID!, $i: ID!) { revokeInvitation(input: {organizationId: $o, invitationId: $i}) { status } }", json!({ "i": id })).await
        }
        "`changeMemberRole` between Member and Admin" => case.run("mutation($o: ID!, $u: ID!) { changeMemberRole(input: {organizationId: $o, userId: $u, role: ADMIN}) { role } }", json!({})).await,
        "`changeMemberRole` to or from Owner" => {
            // To: the Member becomes an Owner. From: an Owner is demoted (an Admin acting on
            // an Owner).
            let to = case.run("mutation($o: ID!, $u: ID!) { changeMemberRole(input: {organizationId: $o, userId: $u, role: OWNER}) { role } }", json!({})).await;
            let from = case.run("mutation($o: ID!, $u: ID!) { changeMemberRole(input: {organizationId: $o, userId: $u, role: ADMIN}) { role } }", json!({ "u": case.owner })).await;
            return vec![to, from];
        }
        "`removeMember` of a Member or Admin" => case.run("mutation($o: ID!, $u: ID!) { removeMember(input: {organizationId: $o, userId: $u}) }", json!({})).await,
        "`removeMember` of an Owner" => case.run("mutation($o: ID!, $u: ID!) { removeMember(input: {organizationId: $o, userId: $u}) }", json!({ "u": case.owner })).await,
        "`transferOwnership`" => case.run("mutation($o: ID!, $u: ID!) { transferOwnership(input: {organizationId: $o, userId: $u}) { viewerRole } }", json!({})).await,
        "`createApiToken` with role Member or Admin" => case.run("mutation($o: ID!) { createApiToken(input: {organizationId: $o, name: \"ci\", role: ADMIN}) { token } }", json!({})).await,
        "`createApiToken` with role Owner" => case.run("mutation($o: ID!) { createApiToken(input: {organizationId: $o, name: \"ci\", role: OWNER}) { token } }", json!({})).await,
        "`revokeApiToken`" => {
            let made = case
                .as_alice("mutation($o: ID!) { createApiToken(input: {organizationId: $o, name: \"ci\", role: MEMBER}) { apiToken { id } } }", json!({}))
                .await;
            let id = made["createApiToken"]["apiToken"]["id"].clone();
            case.run("mutation($o: ID!, $t: ID!) { revokeApiToken(input: {organizationId: $o, apiTokenId: $t}) { revokedAt } }", json!({ "t": id })).await
        }
        // There is a second Owner, so even an Owner may leave.
        "`leaveOrganization`" => case.run("mutation($o: ID!) { leaveOrganization(input: {organizationId: $o}) }", json!({})).await,
        "`organization.phoneNumbers`" => {
            whatsapp(case).await;
            case.run("query($o: ID!) { organization(id: $o) { phoneNumbers { displayPhoneNumber } } }", json!({})).await
        }
        "`businessProfile`" => {
            let number = whatsapp(case).await.number;
            case.run("query($o: ID!, $n: ID!) { businessProfile(organizationId: $o, phoneNumberId: $n) { about } }", json!({ "n": number })).await
        }
        "`organization.conversations` and messages" => {
            whatsapp(case).await;
            case.run("query($o: ID!) { organization(id: $o) { conversations(first: 5) { nodes { contact { waId } messages(first: 30) { nodes { text status } } } } } }", json!({})).await
        }
        "`organization.conversation` (one, with its notes)" => {
            let wa = whatsapp(case).await;
            case.run("query($o: ID!, $c: ID!) { organization(id: $o) { conversation(id: $c) { id notes { body } messages(first: 5) { nodes { text } } } } }", json!({ "c": wa.conversation })).await
        }
        "`templates`" => {
            let wa = whatsapp(case).await;
            case.run("query($o: ID!, $n: ID!) { organization(id: $o) { templates(phoneNumberId: $n) { name status } } }", json!({ "n": wa.number })).await
        }
        "`cannedResponses`" => {
            case.as_alice(CANNED, json!({})).await;
            case.run("query($o: ID!) { organization(id: $o) { cannedResponses { shortcut body } } }", json!({})).await
        }
        "`inboxEvents` subscription" => {
            let wa = whatsapp(case).await;
            subscribe(case, "subscription($o: ID!) { inboxEvents(organizationId: $o) { kind } }", async {
                customer_writes(case.app, &wa.meta_number, "again").await;
            })
            .await
        }
        "`sendMessage`" => {
            let wa = whatsapp(case).await;
            case.run("mutation($o: ID!, $c: ID!) { sendMessage(input: {organizationId: $o, conversationId: $c, text: \"hello\"}) { id } }", json!({ "c": wa.conversation })).await
        }
        "`reactToMessage`" => {
            let wa = whatsapp(case).await;
            case.run("mutation($o: ID!, $c: ID!, $m: ID!) { reactToMessage(input: {organizationId: $o, conversationId: $c, messageId: $m, emoji: \"👍\"}) { id } }", json!({ "c": wa.conversation, "m": wa.inbound_message })).await
        }
        "`POST /api/organizations/{org}/conversations/{id}/media`" => {
            let wa = whatsapp(case).await;
            let response = reqwest::Client::new()
                .post(format!("{}/api/organizations/{}/conversations/{}/media", case.app.base, case.org, wa.conversation))
                .bearer_auth(&case.actor)
                .header("content-type", "application/pdf")
                .header("x-file-name", "prices.pdf")
                .body(b"%PDF-1.4 fake".to_vec())
                .send()
                .await
                .unwrap();
            // Refusals carry the same `{errors: [{extensions: {code}}]}` as GraphQL.
            response.json().await.unwrap()
        }
        "`retryMessage` (a failed outbound message)" => {
            let wa = whatsapp(case).await;
            let alice = case.app.sign_in("alice").await;
            let message = crate::whatsapp_reliability::failed_message(case.app, &alice, &case.org, &wa.conversation).await;
            case.run("mutation($o: ID!, $m: ID!) { retryMessage(input: {organizationId: $o, messageId: $m}) { status } }", json!({ "m": message })).await
        }
        "`assignConversation`" => {
            let wa = whatsapp(case).await;
            case.run("mutation($o: ID!, $c: ID!, $u: ID!) { assignConversation(input: {organizationId: $o, conversationId: $c, assigneeId: $u}) { id } }", json!({ "c": wa.conversation })).await
        }
        "`setConversationStatus`" => {
            let wa = whatsapp(case).await;
            case.run("mutation($o: ID!, $c: ID!) { setConversationStatus(input: {organizationId: $o, conversationId: $c, status: PENDING}) { id } }", json!({ "c": wa.conversation })).await
        }
        "`setConversationLabels`" => {
            let wa = whatsapp(case).await;
            case.run("mutation($o: ID!, $c: ID!) { setConversationLabels(input: {organizationId: $o, conversationId: $c, labels: [\"vip\"]}) { id } }", json!({ "c": wa.conversation })).await
        }
        "`addNote`" => {
            let wa = whatsapp(case).await;
            case.run("mutation($o: ID!, $c: ID!) { addNote(input: {organizationId: $o, conversationId: $c, body: \"called back\"}) { id } }", json!({ "c": wa.conversation })).await
        }
        "`organization.contacts`" => {
            whatsapp(case).await;
            case.run("query($o: ID!) { organization(id: $o) { contacts(first: 5) { nodes { phone marketing } } } }", json!({})).await
        }
        "`contact` (with its consent history)" => {
            let contact = contact_of(case).await;
            case.run("query($o: ID!, $c: ID!) { organization(id: $o) { contact(id: $c) { phone consentHistory { source } } } }", json!({ "c": contact })).await
        }
        "`setContactOptIn`" => {
            let contact = contact_of(case).await;
            case.run("mutation($o: ID!, $c: ID!) { setContactOptIn(input: {organizationId: $o, contactId: $c, optedIn: true}) { marketing } }", json!({ "c": contact })).await
        }
        "`POST /api/organizations/{org}/contact-imports` (upload a contact list)" => {
            let response = reqwest::Client::new()
                .post(format!("{}/api/organizations/{}/contact-imports", case.app.base, case.org))
                .bearer_auth(&case.actor)
                .header("x-file-name", "contacts.csv")
                .body(b"phone\n+5511987650001\n".to_vec())
                .send()
                .await
                .unwrap();
            response.json().await.unwrap()
        }
        "`GET /api/organizations/{org}/contact-imports/{id}/rejected.csv`" => {
            let import = uploaded_import(case, 1).await;
            let response = reqwest::Client::new()
                .get(format!("{}/api/organizations/{}/contact-imports/{import}/rejected.csv", case.app.base, case.org))
                .bearer_auth(&case.actor)
                .send()
                .await
                .unwrap();
            if response.status().is_success() {
                json!({ "data": response.text().await.unwrap() })
            } else {
                response.json().await.unwrap()
            }
        }
        "`organization.contactImports`" => case.run("query($o: ID!) { organization(id: $o) { contactImports(first: 5) { nodes { status } } } }", json!({})).await,
        "`contactImport` (with its preview and rejected rows)" => {
            let import = uploaded_import(case, 1).await;
            case.run("query($o: ID!, $i: ID!) { organization(id: $o) { contactImport(id: $i) { status preview { headers } rejectedRows { line } } } }", json!({ "i": import })).await
        }
        "`importContacts`" => {
            let import = uploaded_import(case, 1).await;
            case.run("mutation($o: ID!, $i: ID!) { importContacts(input: {organizationId: $o, importId: $i, mapping: [{column: \"phone\", field: \"phone\"}]}) { status } }", json!({ "i": import })).await
        }
        "`cancelContactImport`" => {
            // Alice starts a long import; the actor stops it while it runs.
            let import = uploaded_import(case, 300_000).await;
            case.as_alice("mutation($o: ID!, $i: ID!) { importContacts(input: {organizationId: $o, importId: $i, mapping: [{column: \"phone\", field: \"phone\"}]}) { status } }", json!({ "i": import })).await;
            case.run("mutation($o: ID!, $i: ID!) { cancelContactImport(organizationId: $o, importId: $i) { status } }", json!({ "i": import })).await
        }
        "`contactImportProgress` subscription" => {
            let import = uploaded_import(case, 1).await;
            subscribe(case, &format!("subscription($o: ID!) {{ contactImportProgress(organizationId: $o, importId: \"{import}\") {{ status }} }}"), async {}).await
        }
        "`eraseContact`" => {
            let contact = contact_of(case).await;
            case.run("mutation($o: ID!, $c: ID!) { eraseContact(input: {organizationId: $o, contactId: $c}) { conversations messages } }", json!({ "c": contact })).await
        }
        "`updateContact` (profile, tags, field values; not the phone)" => {
            let contact = contact_of(case).await;
            case.run("mutation($o: ID!, $c: ID!) { updateContact(input: {organizationId: $o, contactId: $c, name: \"Ana\", addTags: [\"vip\"]}) { name tags } }", json!({ "c": contact })).await
        }
        "`organization.contactFields`" => {
            field_of(case).await;
            case.run("query($o: ID!) { organization(id: $o) { contactFields { key kind choices } } }", json!({})).await
        }
        "`defineContactField`" => case.run(DEFINE_FIELD, json!({})).await,
        "`updateContactField`" => {
            field_of(case).await;
            case.run("mutation($o: ID!) { updateContactField(input: {organizationId: $o, key: \"plan\", label: \"Tier\", choices: [\"Gold\", \"Silver\", \"Bronze\"]}) { label } }", json!({})).await
        }
        "`deleteContactField`" => {
            field_of(case).await;
            case.run("mutation($o: ID!) { deleteContactField(input: {organizationId: $o, key: \"plan\"}) { contactsCleared } }", json!({})).await
        }
        "`organization.segments`" => {
            segment_of(case).await;
            case.run("query($o: ID!) { organization(id: $o) { segments { name contactCount } } }", json!({})).await
        }
        "`segment` (with their contact counts)" => {
            let segment = segment_of(case).await;
            case.run("query($o: ID!, $s: ID!) { organization(id: $o) { segment(id: $s) { name contactCount filter { countries } } } }", json!({ "s": segment })).await
        }
        "`segmentPreview` (a filter's count and first contacts)" => case.run("query($o: ID!) { segmentPreview(organizationId: $o, filter: {tags: {anyOf: [\"vip\"]}}) { contactCount contacts { phone } } }", json!({})).await,
        "`createSegment`" => case.run(CREATE_SEGMENT, json!({})).await,
        "`updateSegment`" => {
            let segment = segment_of(case).await;
            case.run("mutation($o: ID!, $s: ID!) { updateSegment(input: {organizationId: $o, segmentId: $s, name: \"Renamed\"}) { name } }", json!({ "s": segment })).await
        }
        "`deleteSegment`" => {
            let segment = segment_of(case).await;
            case.run("mutation($o: ID!, $s: ID!) { deleteSegment(input: {organizationId: $o, segmentId: $s}) }", json!({ "s": segment })).await
        }
        "`GET /api/organizations/{org}/segments/{id}/contacts.csv` (export a segment)" => {
            let segment = segment_of(case).await;
            let response = reqwest::Client::new()
                .get(format!("{}/api/organizations/{}/segments/{segment}/contacts.csv", case.app.base, case.org))
                .bearer_auth(&case.actor)
                .send()
                .await
                .unwrap();
            if response.status().is_success() {
                json!({ "data": response.text().await.unwrap() })
            } else {
                response.json().await.unwrap()
            }
        }
        "`markConversationRead`" => {
            let wa = whatsapp(case).await;
            case.run("mutation($o: ID!, $c: ID!) { markConversationRead(input: {organizationId: $o, conversationId: $c}) { unreadCount } }", json!({ "c": wa.conversation })).await
        }
        "`refreshPhoneNumber`" => {
            let wa = whatsapp(case).await;
            case.run("mutation($o: ID!, $n: ID!) { refreshPhoneNumber(input: {organizationId: $o, phoneNumberId: $n}) { status } }", json!({ "n": wa.number })).await
        }
        "`syncTemplates`" => {
            let wa = whatsapp(case).await;
            case.run("mutation($o: ID!, $n: ID!) { syncTemplates(input: {organizationId: $o, phoneNumberId: $n}) { name } }", json!({ "n": wa.number })).await
        }
        "`connectWhatsApp`" => {
            let (waba, pn) = fresh_account(case.app).await;
            case.run("mutation($o: ID!, $w: String!, $p: String!) { connectWhatsApp(input: {organizationId: $o, wabaId: $w, phoneNumberId: $p, accessToken: \"t\"}) { id } }", json!({ "w": waba, "p": pn })).await
        }
        "`completeEmbeddedSignup`" => {
            let signup: Value = reqwest::Client::new().post(format!("{}/sandbox/embedded-signup", case.app.sandbox_url)).json(&json!({})).send().await.unwrap().json().await.unwrap();
            case.run(
                "mutation($o: ID!, $c: String!, $w: String!, $p: String!) { completeEmbeddedSignup(input: {organizationId: $o, code: $c, wabaId: $w, phoneNumberId: $p}) { id } }",
                json!({ "c": signup["code"], "w": signup["waba_id"], "p": signup["phone_number_id"] }),
            )
            .await
        }
        "`disconnectPhoneNumber`" => {
            let wa = whatsapp(case).await;
            case.run("mutation($o: ID!, $n: ID!) { disconnectPhoneNumber(input: {organizationId: $o, phoneNumberId: $n}) { id } }", json!({ "n": wa.number })).await
        }
        "`createTemplate`" => {
            let wa = whatsapp(case).await;
            case.run(TEMPLATE, json!({ "n": wa.number })).await
        }
        "`deleteTemplate`" => {
            let wa = whatsapp(case).await;
            let made = case.as_alice(TEMPLATE, json!({ "n": wa.number })).await;
            case.run("mutation($o: ID!, $t: ID!) { deleteTemplate(input: {organizationId: $o, templateId: $t}) }", json!({ "t": made["createTemplate"]["id"] })).await
        }
        "`updateBusinessProfile`" => {
            let wa = whatsapp(case).await;
            case.run("mutation($o: ID!, $n: ID!) { updateBusinessProfile(input: {organizationId: $o, phoneNumberId: $n, about: \"Open 9-5\"}) { about } }", json!({ "n": wa.number })).await
        }
        "`organization.notifications`" => {
            case.run("query($o: ID!) { organization(id: $o) { notifications(first: 5, unreadOnly: true) { id title campaignId } } }", json!({})).await
        }
        "`unreadNotifications` (your own)" => {
            case.run("query($o: ID!) { organization(id: $o) { unreadNotifications } }", json!({})).await
        }
        "`markNotificationsRead` (your own)" => {
            case.run("mutation($o: ID!) { markNotificationsRead(input: {organizationId: $o}) }", json!({})).await
        }
        "`createCannedResponse`" => case.run(CANNED, json!({})).await,
        "`deleteCannedResponse`" => {
            let made = case.as_alice(CANNED, json!({})).await;
            case.run("mutation($o: ID!, $i: ID!) { deleteCannedResponse(input: {organizationId: $o, cannedResponseId: $i}) }", json!({ "i": made["createCannedResponse"]["id"] })).await
        }
        "`organization.campaigns`" => {
            campaign_of(case, Stage::Draft).await;
            case.run("query($o: ID!) { organization(id: $o) { campaigns(first: 5) { nodes { name stats { sent skippedByReason { key } } } } } }", json!({})).await
        }
        "`campaign` (stats, recipients, preview)" => {
            let c = campaign_of(case, Stage::Draft).await;
            case.run("query($o: ID!, $c: ID!) { organization(id: $o) { campaign(id: $c) { stats { sent } recipients(first: 5) { nodes { status } } preview { audience } } } }", json!({ "c": c.id })).await
        }
        "`templatePlaceholders`" => {
            let c = campaign_of(case, Stage::Draft).await;
            case.run("query($o: ID!, $t: ID!) { organization(id: $o) { templatePlaceholders(templateId: $t) { name } } }", json!({ "t": c.template })).await
        }
        "`campaignEvents` subscription" => {
            let c = campaign_of(case, Stage::Draft).await;
            subscribe(case, &format!("subscription($o: ID!) {{ campaignEvents(organizationId: $o, campaignId: \"{}\") {{ status }} }}", c.id), async {}).await
        }
        "`GET /api/organizations/{org}/campaigns/{id}/recipients.csv`" => {
            let c = campaign_of(case, Stage::Draft).await;
            let response = reqwest::Client::new()
                .get(format!("{}/api/organizations/{}/campaigns/{}/recipients.csv", case.app.base, case.org, c.id))
                .bearer_auth(&case.actor)
                .send()
                .await
                .unwrap();
            if response.status().is_success() {
                json!({ "data": response.text().await.unwrap() })
            } else {
                response.json().await.unwrap()
            }
        }
        "`createCampaign`" => {
            let c = campaign_of(case, Stage::Draft).await;
            case.run(CREATE_CAMPAIGN, json!({ "i": campaign_input(case, &c) })).await
        }
        "`updateCampaign`" => {
            let c = campaign_of(case, Stage::Draft).await;
            case.run("mutation($c: ID!, $i: CampaignInput!) { updateCampaign(campaignId: $c, input: $i) { id } }", json!({ "c": c.id, "i": campaign_input(case, &c) })).await
        }
        "`deleteCampaign`" => {
            let c = campaign_of(case, Stage::Draft).await;
            case.run("mutation($o: ID!, $c: ID!) { deleteCampaign(organizationId: $o, campaignId: $c) }", json!({ "c": c.id })).await
        }
        "`launchCampaign`" => campaign_action(case, "launchCampaign", Stage::Draft).await,
        "`pauseCampaign`" => campaign_action(case, "pauseCampaign", Stage::Scheduled).await,
        "`resumeCampaign`" => campaign_action(case, "resumeCampaign", Stage::Paused).await,
        "`cancelCampaign`" => campaign_action(case, "cancelCampaign", Stage::Scheduled).await,
        "`duplicateCampaign`" => campaign_action(case, "duplicateCampaign", Stage::Draft).await,
        "`retryFailedRecipients`" => campaign_action(case, "retryFailedRecipients", Stage::Failed).await,
        "`organization.knowledgeSources`" => case.run("query($o: ID!) { organization(id: $o) { knowledgeSources { id status } } }", json!({})).await,
        "`knowledgeSource` (with its chunks)" => {
            let id = knowledge_of(case).await;
            case.run("query($o: ID!, $k: ID!) { organization(id: $o) { knowledgeSource(id: $k) { title chunks { items { text } } } } }", json!({ "k": id })).await
        }
        "`searchKnowledge`" => case.run("query($o: ID!) { organization(id: $o) { searchKnowledge(question: \"returns\") { text } } }", json!({})).await,
        "`POST /api/organizations/{org}/knowledge` (upload a knowledge file)" => {
            let response = reqwest::Client::new()
                .post(format!("{}/api/organizations/{}/knowledge", case.app.base, case.org))
                .bearer_auth(&case.actor)
                .header("x-file-name", "faq.txt")
                .body(b"Returns are accepted within 30 days.".to_vec())
                .send()
                .await
                .unwrap();
            response.json().await.unwrap()
        }
        "`addKnowledgeUrl`" => case.run("mutation($o: ID!) { addKnowledgeUrl(input: {organizationId: $o, url: \"https://example.com/help\"}) { id } }", json!({})).await,
        "`recrawlKnowledgeSource`" => {
            let made = case
                .as_alice("mutation($o: ID!) { addKnowledgeUrl(input: {organizationId: $o, url: \"https://example.com/faq\"}) { id } }", json!({}))
                .await;
            let id = made["addKnowledgeUrl"]["id"].clone();
            case.run("mutation($o: ID!, $k: ID!) { recrawlKnowledgeSource(organizationId: $o, sourceId: $k) { id } }", json!({ "k": id })).await
        }
        "`deleteKnowledgeSource`" => {
            let id = knowledge_of(case).await;
            case.run("mutation($o: ID!, $k: ID!) { deleteKnowledgeSource(organizationId: $o, sourceId: $k) }", json!({ "k": id })).await
        }
        "`organization.agents`" => case.run("query($o: ID!) { organization(id: $o) { agents { name } } }", json!({})).await,
        "`agent` (with its turns)" => {
            let id = agent_of(case).await;
            case.run("query($o: ID!, $a: ID!) { organization(id: $o) { agent(id: $a) { name turns { outcome } } } }", json!({ "a": id })).await
        }
        "`aiUsage`" => case.run("query($o: ID!) { organization(id: $o) { aiUsage { month replies } } }", json!({})).await,
        "`createAgent`" => case.run("mutation($o: ID!) { createAgent(input: {organizationId: $o, name: \"Ana\"}) { id } }", json!({})).await,
        "`updateAgent`" => {
            let id = agent_of(case).await;
            case.run("mutation($o: ID!, $a: ID!) { updateAgent(agentId: $a, input: {organizationId: $o, tone: \"warm\"}) { tone } }", json!({ "a": id })).await
        }
        "`deleteAgent`" => {
            let id = agent_of(case).await;
            case.run("mutation($o: ID!, $a: ID!) { deleteAgent(organizationId: $o, agentId: $a) }", json!({ "a": id })).await
        }
        "`testAgent` (the playground: nothing is sent)" => case.run("mutation($o: ID!) { testAgent(organizationId: $o, message: \"hello\") { outcome } }", json!({})).await,
        "`handConversationToBot`" => {
            let wa = whatsapp(case).await;
            agent_of(case).await;
            case.run("mutation($o: ID!, $c: ID!) { handConversationToBot(organizationId: $o, conversationId: $c) { handler } }", json!({ "c": wa.conversation })).await
        }
        "`handConversationToTeam`" => {
            let wa = whatsapp(case).await;
            case.run("mutation($o: ID!, $c: ID!) { handConversationToTeam(organizationId: $o, conversationId: $c) { handler } }", json!({ "c": wa.conversation })).await
        }
        other => panic!("docs/PERMISSIONS.md names {other}, which this test does not know: add an arm to `perform`"),
    };
    vec![one]
}

const TEMPLATE: &str = "mutation($o: ID!, $n: ID!) { createTemplate(input: {organizationId: $o, phoneNumberId: $n, name: \"promo_x\", language: \"en_US\", category: MARKETING, bodyText: \"Sale {{1}}\", bodyExamples: [\"today\"]}) { id } }";
const DEFINE_FIELD: &str = "mutation($o: ID!) { defineContactField(input: {organizationId: $o, key: \"plan\", label: \"Plan\", kind: CHOICE, choices: [\"Gold\", \"Silver\"]}) { key } }";
const CREATE_SEGMENT: &str = "mutation($o: ID!) { createSegment(input: {organizationId: $o, name: \"Brazil\", filter: {countries: [\"BR\"]}}) { id } }";
const CANNED: &str = "mutation($o: ID!) { createCannedResponse(input: {organizationId: $o, shortcut: \"hours\", body: \"We open at 9.\"}) { id } }";

/// The operations a row's first cell names: split at `, ` and ` and ` where the next part is
/// another backticked name, each part keeping the words that qualify it.
fn operations(cell: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut rest = cell;
    while !rest.is_empty() {
        let split = [", `", " and `"]
            .iter()
            .filter_map(|sep| rest.find(*sep).map(|at| (at, sep.len() - 1)))
            .min();
        let Some((at, skip)) = split else {
            parts.last_mut().unwrap().push_str(rest);
            break;
        };
        // Only between names: "`organization` (name, your role, member count)" stays whole.
        let inside_parens = rest[..at].matches('(').count() > rest[..at].matches(')').count();
        parts.last_mut().unwrap().push_str(&rest[..at]);
        if inside_parens {
            parts.last_mut().unwrap().push_str(&rest[at..at + skip]);
        } else {
            parts.push(String::new());
        }
        rest = &rest[at + skip..];
    }
    parts
}

/// Another Owner of `org`, a target only (the local identity provider has no other person
/// with a verified e-mail address to invite), written as the database's administrator.
async fn second_owner(app: &TestApp, org: &str) -> String {
    use wagent_db::diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
    let id = uuid::Uuid::new_v4();
    let mut c = AsyncPgConnection::establish(&app.db.admin.connection_string())
        .await
        .unwrap();
    c.batch_execute(&format!(
        "INSERT INTO users (id, email, name) VALUES ('{id}', 'owner-{id}@example.com', 'Dave');
         INSERT INTO memberships (org_id, user_id, role) VALUES ('{org}', '{id}', 'owner');"
    ))
    .await
    .unwrap();
    id.to_string()
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

const CREATE_CAMPAIGN: &str = "mutation($i: CampaignInput!) { createCampaign(input: $i) { id } }";

/// How far [`campaign_of`] takes Alice's campaign.
#[derive(PartialEq)]
enum Stage {
    Draft,
    /// Launched to start in 2030.
    Scheduled,
    Paused,
    /// Sent to the customer, whose send then failed for a reason worth retrying.
    Failed,
}

struct CampaignSetup {
    id: String,
    number: String,
    template: String,
    contact: String,
}

fn campaign_input(case: &Case<'_>, c: &CampaignSetup) -> Value {
    json!({
        "organizationId": case.org,
        "name": "Weekly offer",
        "phoneNumberId": c.number,
        "templateId": c.template,
        "parameters": [
            { "part": "BODY", "placeholder": "1", "field": "name", "fallback": "friend" },
            { "part": "BODY", "placeholder": "2", "text": "#7" }
        ],
        "audience": { "contactIds": [c.contact] },
        "schedule": { "kind": "AT", "at": "2030-01-01T09:00:00" }
    })
}

/// A campaign of Alice's to the customer who wrote in, with the sandbox's `order_update`.
async fn campaign_of(case: &Case<'_>, stage: Stage) -> CampaignSetup {
    let contact = contact_of(case).await;
    let listed = case
        .as_alice(
            "query($o: ID!) { organization(id: $o) { phoneNumbers { id } } }",
            json!({}),
        )
        .await;
    let number = listed["organization"]["phoneNumbers"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let synced = case
        .as_alice("mutation($o: ID!, $n: ID!) { syncTemplates(input: {organizationId: $o, phoneNumberId: $n}) { id name } }", json!({ "n": number }))
        .await;
    let template = synced["syncTemplates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "order_update")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut setup = CampaignSetup {
        id: String::new(),
        number,
        template,
        contact,
    };
    let mut input = campaign_input(case, &setup);
    if stage == Stage::Failed {
        input["schedule"] = json!({ "kind": "NOW" });
    }
    let made = case.as_alice(CREATE_CAMPAIGN, json!({ "i": input })).await;
    setup.id = made["createCampaign"]["id"].as_str().unwrap().to_owned();
    let act = |name: &str| {
        format!(
            "mutation($o: ID!, $c: ID!) {{ {name}(organizationId: $o, campaignId: $c) {{ status }} }}"
        )
    };
    if stage != Stage::Draft {
        case.as_alice(&act("launchCampaign"), json!({ "c": setup.id }))
            .await;
    }
    if stage == Stage::Paused {
        case.as_alice(&act("pauseCampaign"), json!({ "c": setup.id }))
            .await;
    }
    if stage == Stage::Failed {
        let id = setup.id.clone();
        // Completed, and every send read: a status webhook still on its way would move the
        // recipient on from the failure set below.
        wagent_testkit::wait_until("the campaign to complete and be read", Duration::from_secs(20), || {
            let id = id.clone();
            async move {
                let d = case.as_alice("query($o: ID!, $c: ID!) { organization(id: $o) { campaign(id: $c) { status stats { sent read } } } }", json!({ "c": id })).await;
                let c = &d["organization"]["campaign"];
                c["status"] == "COMPLETED" && c["stats"]["sent"].as_i64() > Some(0) && c["stats"]["read"] == c["stats"]["sent"]
            }
        })
        .await;
        use wagent_db::diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
        let mut c = AsyncPgConnection::establish(&case.app.db.admin.connection_string())
            .await
            .unwrap();
        c.batch_execute(&format!(
            "UPDATE campaign_recipients SET status = 'failed', error_code = 131049, failed_at = now(), delivered_at = NULL, read_at = NULL WHERE campaign_id = '{0}';
             UPDATE campaigns SET failed = 1 WHERE id = '{0}';",
            setup.id
        ))
        .await
        .unwrap();
    }
    setup
}

async fn campaign_action(case: &Case<'_>, name: &str, stage: Stage) -> Value {
    let c = campaign_of(case, stage).await;
    case.run(
        &format!("mutation($o: ID!, $c: ID!) {{ {name}(organizationId: $o, campaignId: $c) {{ status }} }}"),
        json!({ "c": c.id }),
    )
    .await
}

/// What [`whatsapp`] set up.
struct WhatsApp {
    /// Meta's phone number id.
    meta_number: String,
    /// WAgent's id of the number.
    number: String,
    conversation: String,
    /// The customer's message in the conversation.
    inbound_message: String,
}

/// A contact list of `rows` numbers that Alice uploaded: its import's id.
async fn uploaded_import(case: &Case<'_>, rows: usize) -> String {
    let alice = case.app.sign_in("alice").await;
    let mut csv = String::from("phone\n");
    for i in 0..rows {
        csv.push_str(&format!("+5511{:09}\n", 900_000_000 + i));
    }
    let (_, uploaded) =
        crate::imports::upload(case.app, &alice, &case.org, "contacts.csv", csv.into()).await;
    uploaded["importId"].as_str().unwrap().to_owned()
}

/// A choice field `plan` that Alice defined.
/// A knowledge source Alice added (a web page, not fetched in time to matter).
async fn knowledge_of(case: &Case<'_>) -> Value {
    let made = case
        .as_alice("mutation($o: ID!) { addKnowledgeUrl(input: {organizationId: $o, url: \"https://example.com/returns\"}) { id } }", json!({}))
        .await;
    made["addKnowledgeUrl"]["id"].clone()
}

/// An agent Alice created, switched on for every number of the org.
async fn agent_of(case: &Case<'_>) -> Value {
    let numbers = case
        .as_alice(
            "query($o: ID!) { organization(id: $o) { phoneNumbers { id } } }",
            json!({}),
        )
        .await;
    let ids: Vec<Value> = numbers["organization"]["phoneNumbers"]
        .as_array()
        .map(|a| a.iter().map(|n| n["id"].clone()).collect())
        .unwrap_or_default();
    let made = case
        .as_alice("mutation($o: ID!, $n: [ID!]) { createAgent(input: {organizationId: $o, name: \"Bia\", phoneNumberIds: $n, enabled: true}) { id } }", json!({ "n": ids }))
        .await;
    made["createAgent"]["id"].clone()
}

async fn field_of(case: &Case<'_>) {
    case.as_alice(DEFINE_FIELD, json!({})).await;
}

/// A segment that Alice saved: its id.
async fn segment_of(case: &Case<'_>) -> String {
    let made = case.as_alice(CREATE_SEGMENT, json!({})).await;
    made["createSegment"]["id"].as_str().unwrap().to_owned()
}

/// The contact of the customer who wrote in to Alice's number.
async fn contact_of(case: &Case<'_>) -> String {
    whatsapp(case).await;
    let found = case
        .as_alice(
            "query($o: ID!) { organization(id: $o) { contacts(first: 1) { nodes { id } } } }",
            json!({}),
        )
        .await;
    found["organization"]["contacts"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Alice connects a number and a customer writes in.
async fn whatsapp(case: &Case<'_>) -> WhatsApp {
    let (waba, pn) = fresh_account(case.app).await;
    let n = case
        .as_alice(
            "mutation($o: ID!, $w: String!, $p: String!) { connectWhatsApp(input: {organizationId: $o, wabaId: $w, phoneNumberId: $p, accessToken: \"t\"}) { id } }",
            json!({ "w": waba, "p": pn }),
        )
        .await;
    customer_writes(case.app, &pn, "hi").await;
    let conversation = wagent_testkit::wait_for("the customer's message in the inbox", Duration::from_secs(10), || async move {
        let found = case
            .as_alice(
                "query($o: ID!) { organization(id: $o) { conversations(first: 5) { nodes { id messages(first: 30) { nodes { id } } } } } }",
                json!({}),
            )
            .await;
        let conversation = found["organization"]["conversations"]["nodes"][0].clone();
        conversation["messages"]["nodes"][0]["id"].is_string().then_some(conversation)
    })
    .await;
    let text = |v: &Value| v.as_str().unwrap().to_owned();
    WhatsApp {
        meta_number: pn,
        number: text(&n["connectWhatsApp"]["id"]),
        conversation: text(&conversation["id"]),
        inbound_message: text(&conversation["messages"]["nodes"][0]["id"]),
    }
}

/// Subscribes as the actor, waits until the server either refused or registered the
/// subscription, has `cause` publish an event, and returns the first message: the event, or
/// the error that refused the subscription.
async fn subscribe(
    case: &Case<'_>,
    query: &str,
    cause: impl std::future::Future<Output = ()>,
) -> Value {
    // Cells run one after another: earlier subscriptions are gone before this one counts.
    wagent_testkit::wait_until(
        "earlier subscriptions to end",
        Duration::from_secs(10),
        || async move { case.app.live_subscriptions().await == 0 },
    )
    .await;
    let mut sub = Subscriber::connect(&case.app.ws_url(), &case.actor, "graphql-transport-ws")
        .await
        .unwrap();
    sub.subscribe("1", query, json!({ "o": case.org }), true)
        .await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(refused) = sub.next_event(Duration::from_millis(20)).await {
            return refused;
        }
        if case.app.live_subscriptions().await == 1 {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the subscription was neither refused nor registered"
        );
    }
    cause.await;
    sub.next_event(Duration::from_secs(10))
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

#[test]
fn combined_rows_name_each_operation() {
    assert_eq!(
        operations(
            "`assignConversation`, `setConversationStatus`, `setConversationLabels`, `addNote`"
        ),
        [
            "`assignConversation`",
            "`setConversationStatus`",
            "`setConversationLabels`",
            "`addNote`"
        ]
    );
    assert_eq!(
        operations("`organization.phoneNumbers` and `businessProfile`"),
        ["`organization.phoneNumbers`", "`businessProfile`"]
    );
    assert_eq!(
        operations("`organization` (name, your role, member count)"),
        ["`organization` (name, your role, member count)"]
    );
    assert_eq!(
        operations("`organization.conversations` and messages"),
        ["`organization.conversations` and messages"]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn every_operation_obeys_the_permission_matrix() {
    // Hundreds of requests from one address and one Owner: the limits are not under test.
    let app = TestApp::spawn_configured(&[
        ("WAGENT_RATE_LIMIT_PER_IP", "0"),
        ("WAGENT_RATE_LIMIT_PER_TOKEN", "0"),
    ])
    .await;
    let rows = matrix();
    assert!(rows.len() >= 40, "the matrix lost rows");
    let mut failures = Vec::new();
    let mut cells = 0;
    for (row, allowed) in &rows {
        for operation in operations(row) {
            for (i, role) in ["OWNER", "ADMIN", "MEMBER"].into_iter().enumerate() {
                let org = app.create_org("alice", "Matrix").await;
                let actor = if role == "OWNER" {
                    "alice"
                } else {
                    app.add_member(&org, "alice", "bob", role).await;
                    "bob"
                };
                let member = app.add_member(&org, "alice", "carol", "MEMBER").await;
                let owner = second_owner(&app, &org).await;
                let case = Case {
                    app: &app,
                    org,
                    actor: app.sign_in(actor).await,
                    member,
                    owner,
                };
                let expected = if allowed[i] { "allowed" } else { "FORBIDDEN" };
                for body in perform(&operation, &case).await {
                    cells += 1;
                    let outcome = if body.get("errors").is_none() {
                        "allowed"
                    } else {
                        code(&body)
                    };
                    if outcome != expected {
                        failures.push(format!(
                            "{operation} as {role}: expected {expected}, got {outcome}: {body}"
                        ));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Combined rows ran each of their operations.
    assert!(cells > 3 * rows.len() + 20, "only {cells} cells ran");
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
