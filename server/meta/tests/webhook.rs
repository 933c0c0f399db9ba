#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Webhook signatures and parsing, against fixtures written from Meta's documented shapes.

use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use wagent_meta::{
    ErrorClass,
    webhook::{
        Contact, InboundKind, InboundMessage, InteractiveReply, MessageStatus, ParseError,
        StatusUpdate, WebhookEvent, parse, signature_header, verify_signature,
    },
};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}.json", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn events(name: &str) -> Vec<WebhookEvent> {
    parse(&fixture(name)).unwrap()
}

/// The one inbound message of a fixture, with its routing checked.
fn message(name: &str) -> (Option<Contact>, InboundMessage) {
    let mut events = events(name);
    assert_eq!(events.len(), 1, "{events:#?}");
    match events.remove(0) {
        WebhookEvent::Message {
            waba_id,
            phone_number_id,
            display_phone_number,
            contact,
            message,
        } => {
            assert_eq!(waba_id, "110200300400500");
            assert_eq!(phone_number_id, "123456789012345");
            assert_eq!(display_phone_number.as_deref(), Some("15550100"));
            (contact, message)
        }
        other => panic!("{other:#?}"),
    }
}

fn kind(name: &str) -> InboundKind {
    message(name).1.kind
}

fn statuses(name: &str) -> Vec<StatusUpdate> {
    events(name)
        .into_iter()
        .map(|event| match event {
            WebhookEvent::Status {
                phone_number_id,
                status,
                ..
            } => {
                assert_eq!(phone_number_id, "123456789012345");
                status
            }
            other => panic!("{other:#?}"),
        })
        .collect()
}

// --- Signatures --------------------------------------------------------------------------

fn hmac_hex(secret: &[u8], body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(secret).unwrap();
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

#[test]
fn a_known_hmac_vector_verifies() {
    // The textbook HMAC-SHA256 vector, independent of this crate and of the hmac crate.
    let body = b"The quick brown fox jumps over the lazy dog";
    let header = "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8";
    assert!(verify_signature(b"key", body, Some(header)));
    assert_eq!(signature_header(b"key", body), header);
}

#[test]
fn the_raw_escaped_bytes_are_what_meta_signs() {
    let secret = b"0123456789abcdef0123456789abcdef";
    // As on the wire: Meta escapes non-ASCII characters.
    let raw = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"text":"S\u00e3o Jo\u00e3o \ud83d\ude00"}}]}]}"#;
    let header = format!("sha256={}", hmac_hex(secret, raw));
    assert!(verify_signature(secret, raw, Some(&header)));

    // Re-serialising turns `\u00e3` into the UTF-8 bytes of `ã`: the hash no longer matches.
    let reserialised = serde_json::to_vec(&serde_json::from_slice::<Value>(raw).unwrap()).unwrap();
    assert_ne!(reserialised.as_slice(), raw.as_slice());
    assert!(
        String::from_utf8(reserialised.clone())
            .unwrap()
            .contains("São João")
    );
    assert!(!verify_signature(secret, &reserialised, Some(&header)));
}

#[test]
fn every_fixture_verifies_with_its_own_signature() {
    let secret = b"app-secret";
    for name in ["message_text", "status_sent", "batch", "template_status"] {
        let body = fixture(name);
        let header = format!("sha256={}", hmac_hex(secret, &body));
        assert!(verify_signature(secret, &body, Some(&header)), "{name}");
        let mut tampered = body.clone();
        tampered[10] ^= 1;
        assert!(
            !verify_signature(secret, &tampered, Some(&header)),
            "{name}"
        );
    }
}

#[test]
fn bad_signatures_are_refused() {
    let secret = b"app-secret";
    let body = br#"{"object":"whatsapp_business_account","entry":[]}"#;
    let digest = hmac_hex(secret, body);
    let good = format!("sha256={digest}");
    assert!(verify_signature(secret, body, Some(&good)));
    assert!(verify_signature(
        secret,
        body,
        Some(&format!("sha256={}", digest.to_uppercase()))
    ));

    assert!(!verify_signature(b"another-secret", body, Some(&good)));
    assert!(!verify_signature(b"", body, Some(&good)));
    assert!(!verify_signature(secret, body, None));
    assert!(!verify_signature(secret, body, Some("")));
    assert!(!verify_signature(secret, body, Some(&digest)));
    assert!(!verify_signature(
        secret,
        body,
        Some(&format!("sha1={digest}"))
    ));
    assert!(!verify_signature(
        secret,
        body,
        Some(&format!("sha256={}", &digest[..62]))
    ));
    assert!(!verify_signature(
        secret,
        body,
        Some(&format!("sha256={}", &digest[..63]))
    ));
    assert!(!verify_signature(
        secret,
        body,
        Some(&format!("sha256={digest}00"))
    ));
    assert!(!verify_signature(
        secret,
        body,
        Some(&format!("sha256={}zz", &digest[..62]))
    ));
    assert!(!verify_signature(secret, body, Some("sha256=")));
}

// --- Inbound messages --------------------------------------------------------------------

#[test]
fn a_text_message() {
    let (contact, message) = message("message_text");
    let contact = contact.unwrap();
    assert_eq!(contact.wa_id.as_deref(), Some("5511987650001"));
    assert_eq!(contact.name.as_deref(), Some("Joana Araújo"));
    assert_eq!(
        message.id,
        "wamid.HBgNNTUxMTk4NzY1MDAwMRUCABIYFjNFQjBBQkNERUYwMTIzNDU2Nzg5AA=="
    );
    assert_eq!(message.from.as_deref(), Some("5511987650001"));
    assert_eq!(message.timestamp, 1714000000);
    assert_eq!(
        message.kind,
        InboundKind::Text {
            body: "Olá! Quero saber o preço 🙂".into()
        }
    );
    assert_eq!(message.context, None);
    assert_eq!(message.referral, None);
    assert!(message.errors.is_empty());
}

#[test]
fn media_messages() {
    let InboundKind::Image(image) = kind("message_image") else {
        panic!()
    };
    assert_eq!(image.id, "2741850739337788");
    assert_eq!(image.caption.as_deref(), Some("Esta aqui"));
    assert_eq!(image.mime_type.as_deref(), Some("image/jpeg"));
    assert!(image.sha256.is_some());
    assert_eq!(image.url, None);

    let InboundKind::Video(video) = kind("message_video") else {
        panic!()
    };
    assert_eq!(video.id, "1187465229105362");
    assert!(
        video
            .url
            .as_deref()
            .unwrap()
            .starts_with("https://lookaside.fbsbx.com/")
    );

    let InboundKind::Audio { media, voice } = kind("message_audio_voice") else {
        panic!()
    };
    assert!(voice);
    assert_eq!(media.mime_type.as_deref(), Some("audio/ogg; codecs=opus"));

    let InboundKind::Document { media, filename } = kind("message_document") else {
        panic!()
    };
    assert_eq!(filename.as_deref(), Some("comprovante.pdf"));
    assert_eq!(media.caption.as_deref(), Some("Comprovante"));

    let InboundKind::Sticker { media, animated } = kind("message_sticker") else {
        panic!()
    };
    assert!(!animated);
    assert_eq!(media.mime_type.as_deref(), Some("image/webp"));
}

#[test]
fn a_location() {
    assert_eq!(
        kind("message_location"),
        InboundKind::Location {
            latitude: -23.561414,
            longitude: -46.655881,
            name: Some("MASP".into()),
            address: Some("Av. Paulista, 1578 - São Paulo".into()),
            url: Some("https://masp.org.br".into()),
        }
    );
}

#[test]
fn shared_contacts() {
    let InboundKind::Contacts(cards) = kind("message_contacts") else {
        panic!()
    };
    assert_eq!(cards.len(), 1);
    let card = &cards[0];
    assert_eq!(
        card.name.as_ref().unwrap().formatted_name.as_deref(),
        Some("Carla Mendes")
    );
    assert_eq!(card.phones.len(), 2);
    assert_eq!(card.phones[0].wa_id.as_deref(), Some("5511912345678"));
    assert_eq!(card.phones[1].kind.as_deref(), Some("WORK"));
    assert_eq!(card.emails[0].email.as_deref(), Some("carla@example.com"));
    assert_eq!(
        card.org.as_ref().unwrap().company.as_deref(),
        Some("Padaria Central")
    );
    assert_eq!(card.addresses[0].city.as_deref(), Some("São Paulo"));
    assert_eq!(card.urls[0].url.as_deref(), Some("https://padaria.example"));
    assert_eq!(card.birthday.as_deref(), Some("1990-04-21"));
}

#[test]
fn interactive_and_button_replies() {
    let (_, message) = message("message_interactive_button_reply");
    assert_eq!(
        message.kind,
        InboundKind::Interactive(InteractiveReply::ButtonReply {
            id: "confirm_yes".into(),
            title: "Sim".into()
        })
    );
    assert_eq!(
        message.context.unwrap().id.as_deref(),
        Some("wamid.OUTBOUND_BUTTONS")
    );
    assert_eq!(
        kind("message_interactive_list_reply"),
        InboundKind::Interactive(InteractiveReply::ListReply {
            id: "slot_0900".into(),
            title: "09:00".into(),
            description: Some("Segunda-feira".into())
        })
    );
    assert_eq!(
        kind("message_button"),
        InboundKind::Button {
            payload: Some("STOP_PROMOS".into()),
            text: "Parar promoções".into()
        }
    );
}

#[test]
fn reactions_and_their_removal() {
    assert_eq!(
        kind("message_reaction"),
        InboundKind::Reaction {
            message_id: "wamid.OUTBOUND_1".into(),
            emoji: Some("❤️".into())
        }
    );
    assert_eq!(
        kind("message_reaction_removed"),
        InboundKind::Reaction {
            message_id: "wamid.OUTBOUND_1".into(),
            emoji: None
        }
    );
}

#[test]
fn replies_and_forwards_carry_their_context() {
    let context = message("message_reply").1.context.unwrap();
    assert_eq!(context.from.as_deref(), Some("15550100"));
    assert_eq!(context.id.as_deref(), Some("wamid.OUTBOUND_QUOTED"));
    assert!(!context.forwarded);

    let context = message("message_forwarded").1.context.unwrap();
    assert!(context.forwarded);
    assert!(context.frequently_forwarded);
    assert_eq!(context.id, None);
}

#[test]
fn a_click_to_whatsapp_referral() {
    let referral = message("message_referral").1.referral.unwrap();
    assert_eq!(referral.source_type.as_deref(), Some("ad"));
    assert_eq!(referral.source_id.as_deref(), Some("120210000000000001"));
    assert_eq!(referral.headline.as_deref(), Some("Padaria Central"));
    assert_eq!(referral.media_type.as_deref(), Some("image"));
    assert!(referral.image_url.is_some());
    assert!(referral.ctwa_clid.as_deref().unwrap().starts_with("ARAk"));
    assert_eq!(
        referral.welcome_message.unwrap().text.as_deref(),
        Some("Olá! Como podemos ajudar?")
    );
}

#[test]
fn an_order() {
    let InboundKind::Order(order) = kind("message_order") else {
        panic!()
    };
    assert_eq!(order["catalog_id"], "300400500600700");
    assert_eq!(order["product_items"][0]["quantity"], 10);
}

#[test]
fn a_changed_number_system_message_has_no_contact() {
    let (contact, message) = message("message_system_changed_number");
    assert_eq!(contact, None);
    let InboundKind::System(system) = message.kind else {
        panic!()
    };
    assert_eq!(system.kind.as_deref(), Some("user_changed_number"));
    assert_eq!(system.new_number(), Some("5511987650002"));
}

#[test]
fn an_unsupported_message_keeps_its_errors() {
    let (_, message) = message("message_unsupported");
    assert_eq!(
        message.kind,
        InboundKind::Unsupported {
            kind: Some("edit".into())
        }
    );
    assert_eq!(message.errors.len(), 1);
    let error = &message.errors[0];
    assert_eq!(error.code, 131051);
    assert_eq!(error.title.as_deref(), Some("Message type unknown"));
    assert_eq!(
        error.details.as_deref(),
        Some("Message type is currently not supported.")
    );
    assert!(error.href.is_some());
    assert_eq!(error.class(), ErrorClass::Final);
}

#[test]
fn a_future_message_type_is_kept_raw() {
    let InboundKind::Unknown { kind, raw } = kind("message_unknown_type") else {
        panic!()
    };
    assert_eq!(kind, "hologram");
    assert_eq!(raw["hologram"]["frames"], 3);
}

#[test]
fn a_user_known_only_by_business_scoped_id() {
    let (contact, message) = message("message_user_id_only");
    assert_eq!(message.from, None);
    assert_eq!(message.from_user_id.as_deref(), Some("BR.1520436779021845"));
    let contact = contact.unwrap();
    assert_eq!(contact.wa_id, None);
    assert_eq!(contact.user_id.as_deref(), Some("BR.1520436779021845"));
    assert_eq!(contact.parent_user_id.as_deref(), Some("BR.ENT.99887766"));
    assert_eq!(contact.username.as_deref(), Some("@lu.doces"));
    assert_eq!(contact.name.as_deref(), Some("Lu"));
}

// --- Statuses ----------------------------------------------------------------------------

#[test]
fn a_status_names_its_recipient_by_phone_and_user_id() {
    let [status] = statuses("status_read_user_id").try_into().unwrap();
    assert_eq!(status.status, MessageStatus::Read);
    assert_eq!(status.recipient_id.as_deref(), Some("5511987650002"));
    assert_eq!(
        status.recipient_user_id.as_deref(),
        Some("BR.1520436779021846")
    );
    let contact = status.contact.unwrap();
    assert_eq!(contact.wa_id.as_deref(), Some("5511987650002"));
    assert_eq!(contact.user_id.as_deref(), Some("BR.1520436779021846"));
}

#[test]
fn a_status_to_a_username_only_customer_has_no_phone() {
    let [status] = statuses("status_delivered_user_id_only")
        .try_into()
        .unwrap();
    assert_eq!(status.recipient_id, None);
    assert_eq!(
        status.recipient_user_id.as_deref(),
        Some("BR.1520436779021845"),
        "taken from value.contacts"
    );
    assert_eq!(status.contact.unwrap().wa_id, None);
}

#[test]
fn a_failed_status_has_no_contact() {
    for status in statuses("status_failed") {
        assert_eq!(status.contact, None, "{status:?}");
    }
}

#[test]
fn a_sent_status_with_conversation_and_pricing() {
    let [status] = statuses("status_sent").try_into().unwrap();
    assert_eq!(status.message_id, "wamid.OUTBOUND_1");
    assert_eq!(status.status, MessageStatus::Sent);
    assert_eq!(status.timestamp, 1714000100);
    assert_eq!(status.recipient_id.as_deref(), Some("5511987650001"));
    assert_eq!(
        status.biz_opaque_callback_data.as_deref(),
        Some("campaign:42;recipient:7")
    );
    let conversation = status.conversation.unwrap();
    assert_eq!(
        conversation.id.as_deref(),
        Some("a1b2c3d4e5f60718293a4b5c6d7e8f90")
    );
    assert_eq!(conversation.origin_type.as_deref(), Some("marketing"));
    assert_eq!(conversation.expiration_timestamp, Some(1714086500));
    let pricing = status.pricing.unwrap();
    assert_eq!(pricing.billable, Some(true));
    assert_eq!(pricing.pricing_model.as_deref(), Some("PMP"));
    assert_eq!(pricing.category.as_deref(), Some("marketing"));
    assert_eq!(pricing.kind.as_deref(), Some("regular"));
}

#[test]
fn delivered_read_and_played() {
    let [delivered] = statuses("status_delivered").try_into().unwrap();
    assert_eq!(delivered.status, MessageStatus::Delivered);
    assert_eq!(delivered.conversation.unwrap().expiration_timestamp, None);
    let [read] = statuses("status_read").try_into().unwrap();
    assert_eq!(read.status, MessageStatus::Read);
    assert_eq!(read.conversation, None);
    assert_eq!(read.pricing, None);
    let [played] = statuses("status_played").try_into().unwrap();
    assert_eq!(played.status, MessageStatus::Played);
    assert_eq!(played.message_id, "wamid.OUTBOUND_VOICE");

    // Arriving out of order, `delivered` after `read` must not win.
    assert!(!delivered.status.supersedes(&read.status));
    assert!(read.status.supersedes(&delivered.status));
    assert!(played.status.supersedes(&read.status));
}

#[test]
fn failed_statuses_carry_their_errors() {
    let [late, nowa] = statuses("status_failed").try_into().unwrap();
    assert_eq!(late.status, MessageStatus::Failed);
    assert_eq!(late.errors[0].code, 131047);
    assert!(
        late.errors[0]
            .details
            .as_deref()
            .unwrap()
            .contains("24 hours")
    );
    assert_eq!(nowa.errors[0].code, 131026);
    assert_eq!(
        nowa.errors[0].title.as_deref(),
        Some("Message undeliverable")
    );
    assert!(late.status.is_final());
    assert!(!MessageStatus::Read.supersedes(&late.status));
}

#[test]
fn unknown_statuses_are_kept_by_name() {
    let status = MessageStatus::parse("held_for_quality_assessment");
    assert_eq!(
        status,
        MessageStatus::Unknown("held_for_quality_assessment".into())
    );
    assert_eq!(status.to_string(), "held_for_quality_assessment");
    assert_eq!(
        serde_json::to_value(MessageStatus::Delivered).unwrap(),
        json!("delivered")
    );
}

// --- Batches and account-level fields ----------------------------------------------------

#[test]
fn a_batch_yields_every_entry_change_message_and_status() {
    let events = events("batch");
    let summary: Vec<(String, String)> = events
        .iter()
        .map(|e| match e {
            WebhookEvent::Message {
                waba_id,
                contact,
                message,
                ..
            } => (
                waba_id.clone(),
                format!(
                    "message {} from {}",
                    message.id,
                    contact.as_ref().unwrap().name.as_deref().unwrap()
                ),
            ),
            WebhookEvent::Status {
                waba_id, status, ..
            } => (
                waba_id.clone(),
                format!("status {} {}", status.message_id, status.status),
            ),
            WebhookEvent::TemplateStatus {
                waba_id,
                template_id,
                event,
                time,
                ..
            } => (
                waba_id.clone(),
                format!("template {template_id} {event} at {}", time.unwrap()),
            ),
            other => panic!("{other:#?}"),
        })
        .collect();
    let expected = [
        ("110200300400500", "message wamid.B1 from Ana"),
        ("110200300400500", "message wamid.B2 from Bruno"),
        ("110200300400500", "status wamid.S1 delivered"),
        ("110200300400500", "status wamid.S2 read"),
        ("990880770660550", "message wamid.B3 from Caio"),
        (
            "990880770660550",
            "template 594425479261596 APPROVED at 1714000003",
        ),
    ];
    assert_eq!(
        summary,
        expected
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect::<Vec<_>>()
    );
    // Integer timestamps are accepted as well as strings.
    let WebhookEvent::Message {
        phone_number_id,
        message,
        ..
    } = &events[4]
    else {
        panic!()
    };
    assert_eq!(phone_number_id, "987654321098765");
    assert_eq!(message.timestamp, 1714000003);
}

#[test]
fn a_template_status_update_with_a_dashed_language() {
    let [event] = events("template_status").try_into().unwrap();
    assert_eq!(
        event,
        WebhookEvent::TemplateStatus {
            waba_id: "110200300400500".into(),
            time: Some(1714000200),
            template_id: "594425479261596".into(),
            name: "summer_sale".into(),
            language: "en_US".into(),
            event: "PAUSED".into(),
            reason: None,
            category: Some("MARKETING".into()),
            other_info: Some(wagent_meta::webhook::TemplateStatusInfo {
                title: Some("FIRST_PAUSE".into()),
                description: Some(
                    "Your template has been paused for 3 hours due to low quality.".into()
                ),
            }),
        }
    );
}

#[test]
fn a_template_quality_update() {
    let [event] = events("template_quality").try_into().unwrap();
    assert_eq!(
        event,
        WebhookEvent::TemplateQuality {
            waba_id: "110200300400500".into(),
            time: Some(1714000300),
            template_id: "594425479261596".into(),
            name: "summer_sale".into(),
            language: "en_US".into(),
            previous_quality_score: Some("GREEN".into()),
            new_quality_score: Some("YELLOW".into()),
        }
    );
}

#[test]
fn a_phone_number_quality_update() {
    let [event] = events("phone_number_quality").try_into().unwrap();
    assert_eq!(
        event,
        WebhookEvent::PhoneNumberQuality {
            waba_id: "110200300400500".into(),
            time: Some(1714000400),
            display_phone_number: "+1 555-0100".into(),
            event: "UPGRADE".into(),
            current_limit: Some("TIER_10K".into()),
            max_daily_conversations: Some("TIER_10K".into()),
        }
    );
    assert_eq!(event.phone_number_id(), None);
}

#[test]
fn an_account_update_keeps_its_details() {
    let [event] = events("account_update").try_into().unwrap();
    let WebhookEvent::AccountUpdate {
        waba_id,
        event,
        raw,
        time,
    } = event
    else {
        panic!()
    };
    assert_eq!(waba_id, "110200300400500");
    assert_eq!(time, Some(1714000500));
    assert_eq!(event, "ACCOUNT_RESTRICTION");
    assert_eq!(
        raw["restriction_info"][0]["restriction_type"],
        "RESTRICTED_ADD_PHONE_NUMBER_ACTION"
    );
}

#[test]
fn value_errors_are_system_errors() {
    let [event] = events("value_errors").try_into().unwrap();
    let WebhookEvent::SystemErrors {
        phone_number_id,
        errors,
        ..
    } = event
    else {
        panic!()
    };
    assert_eq!(phone_number_id.as_deref(), Some("123456789012345"));
    assert_eq!(errors[0].code, 131000);
    assert_eq!(
        errors[0].details.as_deref(),
        Some("Unable to process the webhook.")
    );
    assert_eq!(errors[0].class(), ErrorClass::Transient);
}

#[test]
fn an_unknown_field_is_kept() {
    let [event] = events("unknown_field").try_into().unwrap();
    let WebhookEvent::Unknown {
        waba_id,
        field,
        value,
    } = event
    else {
        panic!()
    };
    assert_eq!(waba_id, "110200300400500");
    assert_eq!(field, "security");
    assert_eq!(value["event"], "PIN_CHANGED");
}

#[test]
fn one_malformed_message_does_not_fail_the_batch() {
    let events = events("malformed_batch");
    let ids: Vec<String> = events
        .iter()
        .map(|e| match e {
            WebhookEvent::Message { message, .. } => match &message.kind {
                InboundKind::Unknown { kind, .. } => format!("{} unknown {kind}", message.id),
                _ => message.id.clone(),
            },
            WebhookEvent::Status { status, .. } => format!("status {}", status.message_id),
            other => panic!("{other:#?}"),
        })
        .collect();
    // The message without an id, the non-object and the status without an id are skipped;
    // unreadable bodies keep their wamid.
    assert_eq!(
        ids,
        [
            "wamid.GOOD1",
            "wamid.BADBODY unknown text",
            "wamid.NOMEDIAID unknown image",
            "wamid.GOOD2",
            "status wamid.S_OK"
        ]
    );
}

#[test]
fn a_thousand_statuses_give_a_thousand_events() {
    let statuses: Vec<Value> = (0..1000)
        .map(|i| {
            json!({"id": format!("wamid.N{i}"), "status": if i % 2 == 0 { "delivered" } else { "read" },
                   "timestamp": (1714000000 + i).to_string(), "recipient_id": "5511987650001"})
        })
        .collect();
    let body = json!({"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [
        {"field": "messages", "value": {"messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550100", "phone_number_id": "2"},
            "statuses": statuses}}]}]});
    let events = parse(body.to_string().as_bytes()).unwrap();
    assert_eq!(events.len(), 1000);
    let WebhookEvent::Status { status, .. } = &events[999] else {
        panic!()
    };
    assert_eq!(status.message_id, "wamid.N999");
    assert_eq!(status.timestamp, 1714000999);
}

#[test]
fn only_a_body_that_is_not_the_envelope_is_an_error() {
    assert!(matches!(parse(b"not json"), Err(ParseError::Json(_))));
    assert!(matches!(parse(b"[]"), Err(ParseError::Envelope(_))));
    assert!(matches!(
        parse(br#"{"object":"page","entry":[]}"#),
        Err(ParseError::Envelope(_))
    ));
    assert!(matches!(
        parse(br#"{"object":"whatsapp_business_account"}"#),
        Err(ParseError::Envelope(_))
    ));
    assert_eq!(
        parse(br#"{"object":"whatsapp_business_account","entry":[]}"#).unwrap(),
        []
    );
    // Entries and changes missing their parts are skipped, not fatal.
    let odd = br#"{"object":"whatsapp_business_account","entry":[{"id":"1"},{"id":"2","changes":[{"value":{}}]},"x"]}"#;
    assert_eq!(parse(odd).unwrap(), []);
}

#[test]
fn events_round_trip_as_job_payloads() {
    for name in [
        "message_contacts",
        "message_location",
        "message_order",
        "status_sent",
        "batch",
        "account_update",
    ] {
        let events = events(name);
        let stored = serde_json::to_string(&events).unwrap();
        let back: Vec<WebhookEvent> = serde_json::from_str(&stored).unwrap();
        assert_eq!(back, events, "{name}");
    }
}
