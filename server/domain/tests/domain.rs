#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Domain rules that need time, concurrency or the database to show: retention, the last
//! Owner, and how stored text reads back as the domain's values.

use std::sync::Arc;

use chrono::Utc;
use wagent_auth::api_token::TokenKeys;
use wagent_db::{
    Db,
    diesel::{self, QueryableByName, sql_types::BigInt},
    diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection},
};
use wagent_domain::{Caller, Domain, Intent, Principal, Role, organizations::Identity};

async fn domain() -> (Domain, wagent_testkit::TestDb) {
    let t = wagent_testkit::database().await.unwrap();
    let db = Db::connect(&t.server, 8).unwrap();
    (
        Domain::new(db, Arc::new(TokenKeys::generate()), "http://localhost:8080"),
        t,
    )
}

async fn person(d: &Domain, name: &str) -> Caller {
    let user = d
        .sign_in(&Identity {
            issuer: "http://idp".into(),
            subject: name.into(),
            email: Some(format!("{name}@example.com")),
            email_verified: true,
            name: Some(name.into()),
        })
        .await
        .unwrap();
    Caller {
        principal: Principal::User(user),
        ip: None,
        user_agent: None,
    }
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn count(admin: &wagent_db::PgTarget, sql: &str) -> i64 {
    let mut c = AsyncPgConnection::establish(&admin.connection_string())
        .await
        .unwrap();
    diesel::sql_query(sql)
        .get_result::<Count>(&mut c)
        .await
        .unwrap()
        .n
}

#[tokio::test(flavor = "multi_thread")]
async fn the_sweep_deletes_only_what_outlived_its_retention_and_reschedules_itself() {
    let (d, t) = domain().await;
    let alice = person(&d, "alice").await;
    let org = d.create_organization(&alice, "Acme").await.unwrap().access;
    d.invite_member(&org, "old@example.com", Role::Member)
        .await
        .unwrap();
    d.invite_member(&org, "fresh@example.com", Role::Member)
        .await
        .unwrap();
    d.create_api_token(&org, "old", Role::Member, Some(1))
        .await
        .unwrap();
    d.create_api_token(&org, "fresh", Role::Member, Some(30))
        .await
        .unwrap();
    let mut c = AsyncPgConnection::establish(&t.admin.connection_string())
        .await
        .unwrap();
    c.batch_execute(
        "UPDATE invitations SET expires_at = now() - interval '31 days' WHERE email = 'old@example.com';
         UPDATE api_tokens SET expires_at = now() - interval '91 days' WHERE name = 'old';
         UPDATE audit_events SET created_at = now() - interval '366 days'
          WHERE id = (SELECT id FROM audit_events ORDER BY id LIMIT 1);",
    )
    .await
    .unwrap();
    let o = org.org_id();
    c.batch_execute(&format!(
        "INSERT INTO whatsapp_accounts (org_id, id, waba_id, access_token_sealed, connected_via)
              VALUES ('{o}', '00000000-0000-7000-8000-000000000001', '1', 'v1.x.y.z', 'manual');
         INSERT INTO phone_numbers (org_id, id, account_id, phone_number_id)
              VALUES ('{o}', '00000000-0000-7000-8000-000000000002', '00000000-0000-7000-8000-000000000001', '2');
         INSERT INTO contacts (org_id, id, wa_id) VALUES ('{o}', '00000000-0000-7000-8000-000000000003', '15550001111');
         INSERT INTO conversations (org_id, id, phone_number_id, contact_id)
              VALUES ('{o}', '00000000-0000-7000-8000-000000000004', '00000000-0000-7000-8000-000000000002', '00000000-0000-7000-8000-000000000003');
         INSERT INTO messages (org_id, id, conversation_id, direction, kind, body, status, sent_at)
              VALUES ('{o}', gen_random_uuid(), '00000000-0000-7000-8000-000000000004', 'inbound', 'text', 'old', 'received', now() - interval '366 days'),
                     ('{o}', gen_random_uuid(), '00000000-0000-7000-8000-000000000004', 'inbound', 'text', 'recent', 'received', now() - interval '300 days');
         INSERT INTO ai_turns (org_id, id, conversation_id, outcome, handoff_reason, created_at)
              VALUES ('{o}', gen_random_uuid(), '00000000-0000-7000-8000-000000000004', 'handoff', 'old', now() - interval '366 days'),
                     ('{o}', gen_random_uuid(), '00000000-0000-7000-8000-000000000004', 'handoff', 'recent', now() - interval '300 days');"
    ))
    .await
    .unwrap();
    let audit_before = count(&t.admin, "SELECT count(*) AS n FROM audit_events").await;

    let swept = d.sweep(org.org_id(), Utc::now()).await.unwrap();
    assert_eq!(
        (
            swept.messages,
            swept.invitations,
            swept.api_tokens,
            swept.audit_events,
            swept.ai_turns
        ),
        (1, 1, 1, 1, 1)
    );
    assert_eq!(
        count(
            &t.admin,
            "SELECT count(*) AS n FROM ai_turns WHERE handoff_reason = 'recent'"
        )
        .await,
        1,
        "an AI turn of ten months stays"
    );
    assert_eq!(
        count(
            &t.admin,
            "SELECT count(*) AS n FROM messages WHERE body = 'recent'"
        )
        .await,
        1,
        "a message of ten months stays"
    );
    assert_eq!(
        count(&t.admin, "SELECT count(*) AS n FROM invitations").await,
        1
    );
    assert_eq!(
        count(&t.admin, "SELECT count(*) AS n FROM api_tokens").await,
        1
    );
    assert_eq!(
        count(
            &t.admin,
            "SELECT count(*) AS n FROM org_routes WHERE kind = 'api_token'"
        )
        .await,
        1
    );
    assert_eq!(
        count(&t.admin, "SELECT count(*) AS n FROM audit_events").await,
        audit_before - 1
    );
    assert_eq!(
        count(&t.admin, "SELECT count(*) AS n FROM jobs WHERE kind = 'retention.sweep' AND run_at > now() + interval '23 hours'").await,
        1,
        "one next sweep, a day later"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn campaign_data_goes_twelve_months_after_delivery() {
    let (d, t) = domain().await;
    let alice = person(&d, "alice").await;
    let org = d.create_organization(&alice, "Acme").await.unwrap().access;
    let o = org.org_id();
    let mut c = AsyncPgConnection::establish(&t.admin.connection_string())
        .await
        .unwrap();
    // Three campaigns: one that ended 13 months ago, one that ended 2 months ago, and one
    // paused since its launch 14 months ago with a recipient sent then and one sent lately.
    c.batch_execute(&format!(
        "INSERT INTO whatsapp_accounts (org_id, id, waba_id, access_token_sealed, connected_via)
              VALUES ('{o}', '00000000-0000-7000-8000-000000000001', '1', 'v1.x.y.z', 'manual');
         INSERT INTO phone_numbers (org_id, id, account_id, phone_number_id)
              VALUES ('{o}', '00000000-0000-7000-8000-000000000002', '00000000-0000-7000-8000-000000000001', '2');
         INSERT INTO message_templates (org_id, id, account_id, name, language, category, status)
              VALUES ('{o}', '00000000-0000-7000-8000-000000000005', '00000000-0000-7000-8000-000000000001', 'promo', 'en', 'MARKETING', 'APPROVED');
         INSERT INTO contacts (org_id, id, wa_id) VALUES ('{o}', '00000000-0000-7000-8000-000000000003', '15550001111');
         INSERT INTO campaigns (org_id, id, name, phone_number_id, template_id, status, launched_at, finished_at)
              VALUES ('{o}', '00000000-0000-7000-8000-00000000000a', 'old', '00000000-0000-7000-8000-000000000002', '00000000-0000-7000-8000-000000000005', 'completed', now() - interval '13 months', now() - interval '13 months'),
                     ('{o}', '00000000-0000-7000-8000-00000000000b', 'recent', '00000000-0000-7000-8000-000000000002', '00000000-0000-7000-8000-000000000005', 'completed', now() - interval '2 months', now() - interval '2 months'),
                     ('{o}', '00000000-0000-7000-8000-00000000000c', 'paused', '00000000-0000-7000-8000-000000000002', '00000000-0000-7000-8000-000000000005', 'paused', now() - interval '14 months', NULL);
         INSERT INTO campaign_recipients (org_id, campaign_id, id, contact_id, phone, status, sent_at)
              VALUES ('{o}', '00000000-0000-7000-8000-00000000000a', gen_random_uuid(), '00000000-0000-7000-8000-000000000003', '15550001111', 'read', now() - interval '13 months'),
                     ('{o}', '00000000-0000-7000-8000-00000000000b', gen_random_uuid(), '00000000-0000-7000-8000-000000000003', '15550001111', 'read', now() - interval '2 months'),
                     ('{o}', '00000000-0000-7000-8000-00000000000c', gen_random_uuid(), '00000000-0000-7000-8000-000000000003', '15550001111', 'delivered', now() - interval '14 months'),
                     ('{o}', '00000000-0000-7000-8000-00000000000c', gen_random_uuid(), '00000000-0000-7000-8000-000000000003', '15550001111', 'delivered', now() - interval '1 month');
         INSERT INTO campaign_timeline (org_id, campaign_id, minute, sent)
              VALUES ('{o}', '00000000-0000-7000-8000-00000000000a', date_trunc('minute', now() - interval '13 months'), 1),
                     ('{o}', '00000000-0000-7000-8000-00000000000c', date_trunc('minute', now() - interval '14 months'), 1),
                     ('{o}', '00000000-0000-7000-8000-00000000000c', date_trunc('minute', now() - interval '1 month'), 1);
         INSERT INTO campaign_breakdowns (org_id, campaign_id, kind, key, n)
              VALUES ('{o}', '00000000-0000-7000-8000-00000000000a', 'billable', 'marketing', 1);"
    ))
    .await
    .unwrap();

    let swept = d.sweep(o, Utc::now()).await.unwrap();
    assert_eq!((swept.campaigns, swept.campaign_recipients), (1, 1));
    assert_eq!(
        count(
            &t.admin,
            "SELECT count(*) AS n FROM campaigns WHERE name = 'old'"
        )
        .await,
        0,
        "a campaign that ended 13 months ago is gone"
    );
    assert_eq!(
        count(&t.admin, "SELECT count(*) AS n FROM campaign_breakdowns").await,
        0,
        "its statistics went with it"
    );
    assert_eq!(
        count(
            &t.admin,
            "SELECT count(*) AS n FROM campaign_recipients WHERE sent_at > now() - interval '12 months'"
        )
        .await,
        2,
        "recent recipients stay, of an ended campaign and of a paused one"
    );
    assert_eq!(
        count(&t.admin, "SELECT count(*) AS n FROM campaign_recipients").await,
        2,
        "the paused campaign's old recipient is gone"
    );
    assert_eq!(
        count(&t.admin, "SELECT count(*) AS n FROM campaign_timeline").await,
        1,
        "timeline minutes older than a year are gone"
    );
    assert_eq!(
        count(&t.admin, "SELECT count(*) AS n FROM campaigns").await,
        2
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn two_owners_demoting_each_other_at_once_leave_one_owner() {
    let (d, t) = domain().await;
    let alice = person(&d, "alice").await;
    let bob = person(&d, "bob").await;
    let org = d.create_organization(&alice, "Acme").await.unwrap().access;
    let invite = d
        .invite_member(&org, "bob@example.com", Role::Owner)
        .await
        .unwrap();
    let token = invite
        .accept_url
        .split("#token=")
        .nth(1)
        .unwrap()
        .to_owned();
    d.accept_invitation(&bob, &token).await.unwrap();
    let (alice_id, bob_id) = (alice.user_id().unwrap(), bob.user_id().unwrap());

    for _ in 0..5 {
        let a = d
            .authorize(&alice, org.org_id(), Role::Owner, Intent::Write)
            .await
            .unwrap();
        let b = d
            .authorize(&bob, org.org_id(), Role::Owner, Intent::Write)
            .await
            .unwrap();
        let (r1, r2) = tokio::join!(
            d.change_member_role(&a, bob_id, Role::Admin),
            d.change_member_role(&b, alice_id, Role::Admin)
        );
        assert!(
            r1.is_ok() != r2.is_ok(),
            "exactly one demotion wins: {r1:?} {r2:?}"
        );
        let owners = count(
            &t.admin,
            "SELECT count(*) AS n FROM memberships WHERE role = 'owner'",
        )
        .await;
        assert_eq!(owners, 1);
        // Restore both Owners for the next round.
        let (winner, loser) = if r1.is_ok() {
            (&alice, bob_id)
        } else {
            (&bob, alice_id)
        };
        let w = d
            .authorize(winner, org.org_id(), Role::Owner, Intent::Write)
            .await
            .unwrap();
        d.change_member_role(&w, loser, Role::Owner).await.unwrap();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn first_sign_in_claims_an_operator_made_account_only_with_a_verified_email() {
    let (d, _t) = domain().await;
    let org = d
        .create_organization_as_operator("Demo", Some("Ana@Example.com"))
        .await
        .unwrap();
    let unverified = d
        .sign_in(&Identity {
            issuer: "http://idp".into(),
            subject: "mallory".into(),
            email: Some("ana@example.com".into()),
            email_verified: false,
            name: None,
        })
        .await
        .unwrap();
    let mallory = Caller {
        principal: Principal::User(unverified),
        ip: None,
        user_agent: None,
    };
    assert!(
        d.memberships(&mallory).await.unwrap().is_empty(),
        "an unverified address claims nothing"
    );
    let ana = person(&d, "ana").await;
    let memberships = d.memberships(&ana).await.unwrap();
    assert_eq!(memberships.len(), 1);
    assert_eq!(memberships[0].organization.id, org.id);
    assert_eq!(memberships[0].access.role(), Role::Owner);
}

#[tokio::test(flavor = "multi_thread")]
async fn stored_text_reads_back_as_values_and_unknown_text_as_each_type_documents() {
    use wagent_domain::{
        inbox::{MessageKind, MessageStatus},
        whatsapp::{TemplateCategory, TemplateStatus},
    };

    let (d, t) = domain().await;
    let alice = person(&d, "alice").await;
    let org = d.create_organization(&alice, "Acme").await.unwrap().access;
    let o = org.org_id();
    let conversation = "00000000-0000-7000-8000-000000000004";
    let mut c = AsyncPgConnection::establish(&t.admin.connection_string())
        .await
        .unwrap();
    c.batch_execute(&format!(
        "INSERT INTO whatsapp_accounts (org_id, id, waba_id, access_token_sealed, connected_via)
              VALUES ('{o}', '00000000-0000-7000-8000-000000000001', '1', 'v1.x.y.z', 'manual');
         INSERT INTO phone_numbers (org_id, id, account_id, phone_number_id)
              VALUES ('{o}', '00000000-0000-7000-8000-000000000002', '00000000-0000-7000-8000-000000000001', '2');
         INSERT INTO contacts (org_id, id, wa_id) VALUES ('{o}', '00000000-0000-7000-8000-000000000003', '15550001111');
         INSERT INTO conversations (org_id, id, phone_number_id, contact_id)
              VALUES ('{o}', '{conversation}', '00000000-0000-7000-8000-000000000002', '00000000-0000-7000-8000-000000000003');
         INSERT INTO messages (org_id, id, conversation_id, direction, kind, body, status, sent_at)
              VALUES ('{o}', gen_random_uuid(), '{conversation}', 'outbound', 'image', 'a', 'delivered', now() - interval '2 minutes'),
                     ('{o}', gen_random_uuid(), '{conversation}', 'inbound', 'poll', 'b', 'received', now() - interval '1 minute');
         INSERT INTO message_templates (org_id, id, account_id, name, language, category, status)
              VALUES ('{o}', gen_random_uuid(), '00000000-0000-7000-8000-000000000001', 'promo', 'pt_BR', 'MARKETING_LITE', 'UNDER_REVIEW'),
                     ('{o}', gen_random_uuid(), '00000000-0000-7000-8000-000000000001', 'welcome', 'en_US', 'UTILITY', 'IN_APPEAL');"
    ))
    .await
    .unwrap();
    let conversation = conversation.parse().unwrap();

    let messages = d.messages(&org, conversation, None, None).await.unwrap();
    let read: Vec<_> = messages
        .items
        .iter()
        .map(|(m, _)| (m.kind, m.status))
        .collect();
    assert_eq!(
        read,
        [
            // A kind written by a newer version shows as unsupported.
            (MessageKind::Unsupported, MessageStatus::Received),
            (MessageKind::Image, MessageStatus::Delivered),
        ]
    );

    let templates = d.templates(&org, None).await.unwrap();
    let read: Vec<_> = templates
        .iter()
        .map(|t| (t.name.as_str(), t.category.clone(), t.status.clone()))
        .collect();
    assert_eq!(
        read,
        [
            (
                "promo",
                TemplateCategory::Other("MARKETING_LITE".into()),
                TemplateStatus::Other("UNDER_REVIEW".into())
            ),
            (
                "welcome",
                TemplateCategory::Utility,
                TemplateStatus::InAppeal
            ),
        ]
    );

    // A message status this version does not know is refused, not guessed.
    c.batch_execute("UPDATE messages SET status = 'held' WHERE body = 'a'")
        .await
        .unwrap();
    assert!(d.messages(&org, conversation, None, None).await.is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn consent_changes_are_kept_with_their_source_and_contacts_filter_on_them() {
    use wagent_domain::{
        contacts::{ContactFilter, Marketing, place_of},
        values::E164,
    };

    let (d, t) = domain().await;
    let alice = person(&d, "alice").await;
    let org = d.create_organization(&alice, "Acme").await.unwrap().access;
    let o = org.org_id();
    let (ana, bob) = (
        "00000000-0000-7000-8000-00000000000a",
        "00000000-0000-7000-8000-00000000000b",
    );
    let mut c = AsyncPgConnection::establish(&t.admin.connection_string())
        .await
        .unwrap();
    c.batch_execute(&format!(
        "INSERT INTO contacts (org_id, id, wa_id, name, tags, created_at)
              VALUES ('{o}', '{ana}', '5511987650001', 'Ana Souza', '{{vip,lisboa}}', now() - interval '1 minute'),
                     ('{o}', '{bob}', '15550001111', 'Bob', '{{vip}}', now());"
    ))
    .await
    .unwrap();
    let ana_id = ana.parse().unwrap();

    // Nobody has said yet; a member records Ana's yes, then her no.
    let all = d
        .contacts(&org, &ContactFilter::default(), None, None)
        .await
        .unwrap();
    assert_eq!(all.items.len(), 2);
    assert!(all.items.iter().all(|c| c.marketing == Marketing::Unknown));
    let yes = d
        .set_contact_marketing(
            &org,
            ana_id,
            Marketing::OptedIn,
            Some("signed at the counter"),
        )
        .await
        .unwrap();
    assert_eq!(yes.marketing, Marketing::OptedIn);
    assert_eq!(yes.marketing_source.as_deref(), Some("manual"));
    // Saying it again changes nothing and records nothing.
    d.set_contact_marketing(&org, ana_id, Marketing::OptedIn, None)
        .await
        .unwrap();
    d.set_contact_marketing(&org, ana_id, Marketing::OptedOut, Some("asked by phone"))
        .await
        .unwrap();
    let history = d.consent_history(&org, ana_id).await.unwrap();
    let seen: Vec<_> = history
        .iter()
        .map(|e| (e.marketing, e.source.as_str(), e.detail.as_deref()))
        .collect();
    assert_eq!(
        seen,
        [
            (Marketing::OptedOut, "manual", Some("asked by phone")),
            (Marketing::OptedIn, "manual", Some("signed at the counter")),
        ]
    );
    assert!(history.iter().all(|e| e.actor_id.is_some()));
    assert_eq!(
        count(
            &t.admin,
            "SELECT count(*) AS n FROM audit_events WHERE action = 'contact.consent_changed'"
        )
        .await,
        2
    );

    // Filters: consent, tags (all of them), a name or the digits of a number.
    let opted_out = ContactFilter {
        marketing: Some(Marketing::OptedOut),
        ..Default::default()
    };
    let names = |page: wagent_domain::Page<wagent_domain::contacts::Contact>| {
        page.items
            .into_iter()
            .map(|c| c.name.unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(d.contacts(&org, &opted_out, None, None).await.unwrap()),
        ["Ana Souza"]
    );
    let tagged = ContactFilter {
        tags: vec![" VIP ".into(), "lisboa".into()],
        ..Default::default()
    };
    assert_eq!(
        names(d.contacts(&org, &tagged, None, None).await.unwrap()),
        ["Ana Souza"]
    );
    for search in ["souza", "+55 11 98765", "bob"] {
        let found = ContactFilter {
            search: Some(search.into()),
            ..Default::default()
        };
        assert_eq!(
            names(d.contacts(&org, &found, None, None).await.unwrap()).len(),
            1,
            "{search}"
        );
    }
    // Newest first, one page at a time.
    let first = d
        .contacts(&org, &ContactFilter::default(), Some(1), None)
        .await
        .unwrap();
    assert!(first.has_next);
    assert_eq!(first.items[0].name.as_deref(), Some("Bob"));

    // Another organization sees none of it.
    let bella = person(&d, "bella").await;
    let other = d.create_organization(&bella, "Other").await.unwrap().access;
    assert!(d.consent_history(&other, ana_id).await.unwrap().is_empty());
    assert!(
        d.set_contact_marketing(&other, ana_id, Marketing::OptedIn, None)
            .await
            .is_err()
    );

    // The country and time zone a number tells.
    let br = E164::from_wa_id("5511987650001").unwrap();
    assert_eq!(
        place_of(&br),
        (Some("BR".to_owned()), Some("America/Sao_Paulo"))
    );
    let pt = E164::from_wa_id("351912345678").unwrap();
    assert_eq!(
        place_of(&pt),
        (Some("PT".to_owned()), Some("Europe/Lisbon"))
    );
}
