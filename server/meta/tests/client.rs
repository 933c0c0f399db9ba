#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The Graph client against a local stand-in for Meta: exact paths and bodies, decoding,
//! and every error class from the error bodies Meta documents.

use std::{
    collections::VecDeque,
    sync::{Arc, Mutex},
    time::Duration,
};

use serde_json::{Value, json};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};
use wagent_meta::{
    AccessToken, BusinessProfileUpdate, ButtonAction, ButtonParameter, ButtonSubType,
    CaptionedMedia, Currency, DateTimeParameter, ErrorClass, GraphClient, GraphConfig, GraphError,
    Interactive, InteractiveHeader, InteractiveText, ListAction, ListRow, ListSection, MediaSource,
    MessageContent, NewTemplate, OutboundMessage, ParameterFormat, Recipient, ReplyButton,
    TemplateCategory, TemplateComponent, TemplateLanguage, TemplateMessage, TemplateParameter,
    Text,
};

const TOKEN: &str = "EAAGtestTOKEN1234567890";

/// What the stand-in received.
#[derive(Debug, Clone)]
struct Request {
    method: String,
    /// Path and query, as sent.
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    fn path(&self) -> &str {
        self.target.split('?').next().unwrap()
    }

    /// Decoded query pairs.
    fn query(&self) -> Vec<(String, String)> {
        let url = url::Url::parse(&format!("http://x{}", self.target)).unwrap();
        url.query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    fn query_value(&self, key: &str) -> Option<String> {
        self.query()
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }
}

#[derive(Clone)]
struct Reply {
    status: u16,
    body: Vec<u8>,
    content_type: &'static str,
    delay: Duration,
    /// Send `content-length` (else the body ends when the connection closes).
    length: bool,
}

fn reply(status: u16, body: Value) -> Reply {
    Reply {
        status,
        body: body.to_string().into_bytes(),
        content_type: "application/json",
        delay: Duration::ZERO,
        length: true,
    }
}

fn raw_reply(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Reply {
    Reply {
        status,
        body: body.into(),
        content_type,
        delay: Duration::ZERO,
        length: true,
    }
}

/// A stand-in for graph.facebook.com: answers queued replies in order and records requests.
struct Meta {
    url: String,
    requests: Arc<Mutex<Vec<Request>>>,
    replies: Arc<Mutex<VecDeque<Reply>>>,
}

impl Meta {
    async fn start() -> Meta {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let replies = Arc::new(Mutex::new(VecDeque::new()));
        let (r, q) = (requests.clone(), replies.clone());
        tokio::spawn(async move {
            loop {
                let Ok((socket, _)) = listener.accept().await else {
                    return;
                };
                let (r, q) = (r.clone(), q.clone());
                tokio::spawn(async move { serve(socket, r, q).await });
            }
        });
        Meta {
            url,
            requests,
            replies,
        }
    }

    fn then(&self, reply: Reply) -> &Self {
        self.replies.lock().unwrap().push_back(reply);
        self
    }

    fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }

    fn only_request(&self) -> Request {
        let requests = self.requests();
        assert_eq!(requests.len(), 1, "{requests:#?}");
        requests.into_iter().next().unwrap()
    }

    fn client(&self) -> GraphClient {
        self.client_with_timeout(Duration::from_secs(5))
    }

    fn client_with_timeout(&self, timeout: Duration) -> GraphClient {
        GraphClient::new(GraphConfig {
            base_url: self.url.clone(),
            timeout,
            ..GraphConfig::default()
        })
        .unwrap()
    }
}

async fn serve(
    mut socket: TcpStream,
    requests: Arc<Mutex<Vec<Request>>>,
    replies: Arc<Mutex<VecDeque<Reply>>>,
) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let header_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = socket.read(&mut chunk).await.unwrap_or(0);
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut start = lines.next().unwrap().split_whitespace();
    let method = start.next().unwrap().to_owned();
    let target = start.next().unwrap().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .map(|(_, v)| v.parse().unwrap())
        .unwrap_or(0);
    while buf.len() < header_end + length {
        let n = socket.read(&mut chunk).await.unwrap_or(0);
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = buf[header_end..].to_vec();
    requests.lock().unwrap().push(Request {
        method,
        target,
        headers,
        body,
    });
    let reply = replies
        .lock()
        .unwrap()
        .pop_front()
        .unwrap_or_else(|| reply(500, json!({"error": "no reply queued"})));
    tokio::time::sleep(reply.delay).await;
    let mut head = format!(
        "HTTP/1.1 {} X\r\ncontent-type: {}\r\nconnection: close\r\n",
        reply.status, reply.content_type
    );
    if reply.length {
        head.push_str(&format!("content-length: {}\r\n", reply.body.len()));
    }
    head.push_str("\r\n");
    let _ = socket.write_all(head.as_bytes()).await;
    let _ = socket.write_all(&reply.body).await;
    let _ = socket.shutdown().await;
}

fn token() -> AccessToken {
    AccessToken::new(TOKEN)
}

fn sent(wamid: &str) -> Reply {
    reply(
        200,
        json!({"messaging_product": "whatsapp",
               "contacts": [{"input": "+55 11 99999-0000", "wa_id": "5511999990000"}],
               "messages": [{"id": wamid}]}),
    )
}

fn success() -> Reply {
    reply(200, json!({"success": true}))
}

/// A Graph error body in Meta's documented shape.
fn graph_error(code: i64, subcode: Option<i64>, title: &str, details: &str) -> Value {
    let mut error = json!({
        "message": format!("(#{code}) {title}"),
        "type": "OAuthException",
        "code": code,
        "error_data": {"messaging_product": "whatsapp", "details": details},
        "fbtrace_id": "AbCdEf123"
    });
    if let Some(subcode) = subcode {
        error["error_subcode"] = json!(subcode);
    }
    json!({ "error": error })
}

// --- Messages ----------------------------------------------------------------------------

#[tokio::test]
async fn a_text_message_is_posted_with_the_bearer_token() {
    let meta = Meta::start().await;
    meta.then(sent("wamid.T1"));
    let mut message = OutboundMessage::text("+55 11 99999-0000", "Olá, Ana! https://x.example");
    if let MessageContent::Text { text } = &mut message.content {
        text.preview_url = true;
    }
    let result = meta
        .client()
        .send_message(&token(), "106540352242922", &message)
        .await
        .unwrap();
    assert_eq!(result.message_id, "wamid.T1");
    assert_eq!(result.wa_id.as_deref(), Some("5511999990000"));
    assert_eq!(result.input, "+55 11 99999-0000");
    assert_eq!(result.message_status, None);

    let request = meta.only_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, "/v21.0/106540352242922/messages");
    assert_eq!(
        request.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(
        request.json(),
        json!({"messaging_product": "whatsapp", "recipient_type": "individual",
               "to": "+55 11 99999-0000", "type": "text",
               "text": {"body": "Olá, Ana! https://x.example", "preview_url": true}})
    );
}

#[tokio::test]
async fn a_customer_known_only_by_user_id_is_sent_to_as_recipient() {
    let meta = Meta::start().await;
    meta.then(sent("wamid.U1"));
    let message = OutboundMessage::text(Recipient::user_id("BR.1520436779021845"), "Oi, Lu!");
    meta.client()
        .send_message(&token(), "PN1", &message)
        .await
        .unwrap();
    assert_eq!(
        meta.only_request().json(),
        json!({"messaging_product": "whatsapp", "recipient_type": "individual",
               "recipient": "BR.1520436779021845", "type": "text",
               "text": {"body": "Oi, Lu!"}})
    );
    let back: OutboundMessage =
        serde_json::from_value(json!({"recipient": "BR.1", "type": "text", "text": {"body": "x"}}))
            .unwrap();
    assert_eq!(back.recipient, Recipient::user_id("BR.1"));
    let empty = OutboundMessage::text(Recipient::user_id(""), "hi");
    assert!(
        meta.client()
            .send_message(&token(), "PN1", &empty)
            .await
            .is_err(),
        "an empty user id is refused before any request"
    );
}

#[tokio::test]
async fn media_replies_and_callback_data_have_meta_shapes() {
    let meta = Meta::start().await;
    for n in 0..6 {
        meta.then(sent(&format!("wamid.M{n}")));
    }
    let client = meta.client();
    let messages = [
        OutboundMessage::image(
            "5511",
            MediaSource::Link("https://cdn.example/p.jpg".into()),
            Some("Our menu".into()),
        )
        .reply_to("wamid.IN1")
        .with_callback_data("campaign:7"),
        OutboundMessage::video("5511", MediaSource::Id("111".into()), None),
        OutboundMessage::audio("5511", MediaSource::Id("222".into()), true),
        OutboundMessage::document(
            "5511",
            MediaSource::Id("333".into()),
            Some("invoice.pdf".into()),
            Some("Your invoice".into()),
        ),
        OutboundMessage::sticker("5511", MediaSource::Id("444".into())),
        OutboundMessage::reaction("5511", "wamid.IN2", ""),
    ];
    for message in &messages {
        client.send_message(&token(), "PN1", message).await.unwrap();
    }
    let bodies: Vec<Value> = meta.requests().iter().map(Request::json).collect();
    let base = |extra: Value| {
        let mut body =
            json!({"messaging_product": "whatsapp", "recipient_type": "individual", "to": "5511"});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    assert_eq!(
        bodies,
        vec![
            base(
                json!({"type": "image", "image": {"link": "https://cdn.example/p.jpg", "caption": "Our menu"},
                        "context": {"message_id": "wamid.IN1"}, "biz_opaque_callback_data": "campaign:7"})
            ),
            base(json!({"type": "video", "video": {"id": "111"}})),
            base(json!({"type": "audio", "audio": {"id": "222", "voice": true}})),
            base(
                json!({"type": "document", "document": {"id": "333", "caption": "Your invoice", "filename": "invoice.pdf"}})
            ),
            base(json!({"type": "sticker", "sticker": {"id": "444"}})),
            base(json!({"type": "reaction", "reaction": {"message_id": "wamid.IN2", "emoji": ""}})),
        ]
    );
}

fn order_template() -> TemplateMessage {
    TemplateMessage {
        name: "order_shipped".into(),
        language: TemplateLanguage {
            code: "pt_BR".into(),
        },
        components: vec![
            TemplateComponent::Header {
                parameters: vec![TemplateParameter::Image {
                    image: MediaSource::Link("https://cdn.example/box.png".into()),
                }],
            },
            TemplateComponent::Body {
                parameters: vec![
                    TemplateParameter::Text {
                        text: "Ana".into(),
                        parameter_name: Some("customer_name".into()),
                    },
                    TemplateParameter::Currency {
                        currency: Currency {
                            fallback_value: "R$ 12,34".into(),
                            code: "BRL".into(),
                            amount_1000: 12340,
                        },
                    },
                    TemplateParameter::DateTime {
                        date_time: DateTimeParameter {
                            fallback_value: "1 de maio".into(),
                        },
                    },
                ],
            },
            TemplateComponent::Button {
                sub_type: ButtonSubType::QuickReply,
                index: 0,
                parameters: vec![ButtonParameter::Payload {
                    payload: "STOP".into(),
                }],
            },
            TemplateComponent::Button {
                sub_type: ButtonSubType::Url,
                index: 1,
                parameters: vec![ButtonParameter::Text {
                    text: "order/42".into(),
                }],
            },
        ],
    }
}

#[tokio::test]
async fn a_template_message_carries_its_components() {
    let meta = Meta::start().await;
    meta.then(reply(
        200,
        json!({"messaging_product": "whatsapp", "contacts": [{"input": "5511", "wa_id": "5511"}],
               "messages": [{"id": "wamid.TPL", "message_status": "accepted"}]}),
    ));
    let result = meta
        .client()
        .send_message(
            &token(),
            "PN1",
            &OutboundMessage::template("5511", order_template()),
        )
        .await
        .unwrap();
    assert_eq!(result.message_status.as_deref(), Some("accepted"));
    assert_eq!(
        meta.only_request().json()["template"],
        json!({
            "name": "order_shipped",
            "language": {"code": "pt_BR"},
            "components": [
                {"type": "header", "parameters": [{"type": "image", "image": {"link": "https://cdn.example/box.png"}}]},
                {"type": "body", "parameters": [
                    {"type": "text", "text": "Ana", "parameter_name": "customer_name"},
                    {"type": "currency", "currency": {"fallback_value": "R$ 12,34", "code": "BRL", "amount_1000": 12340}},
                    {"type": "date_time", "date_time": {"fallback_value": "1 de maio"}}
                ]},
                {"type": "button", "sub_type": "quick_reply", "index": "0", "parameters": [{"type": "payload", "payload": "STOP"}]},
                {"type": "button", "sub_type": "url", "index": "1", "parameters": [{"type": "text", "text": "order/42"}]}
            ]
        })
    );
}

fn buttons(n: usize) -> Interactive {
    Interactive::Button {
        header: Some(InteractiveHeader::Text {
            text: "Pedido".into(),
        }),
        body: InteractiveText {
            text: "Confirma?".into(),
        },
        footer: Some(InteractiveText {
            text: "Loja".into(),
        }),
        action: ButtonAction {
            buttons: (0..n)
                .map(|i| ReplyButton {
                    id: format!("b{i}"),
                    title: format!("Option {i}"),
                })
                .collect(),
        },
    }
}

fn list(rows: usize) -> Interactive {
    Interactive::List {
        header: None,
        body: InteractiveText {
            text: "Choose a slot".into(),
        },
        footer: None,
        action: ListAction {
            button: "Slots".into(),
            sections: vec![ListSection {
                title: Some("Monday".into()),
                rows: (0..rows)
                    .map(|i| ListRow {
                        id: format!("r{i}"),
                        title: format!("{i}:00"),
                        description: (i == 0).then(|| "Early".into()),
                    })
                    .collect(),
            }],
        },
    }
}

#[tokio::test]
async fn interactive_buttons_and_lists_have_meta_shapes() {
    let meta = Meta::start().await;
    meta.then(sent("wamid.B")).then(sent("wamid.L"));
    let client = meta.client();
    client
        .send_message(
            &token(),
            "PN1",
            &OutboundMessage::interactive("5511", buttons(2)),
        )
        .await
        .unwrap();
    client
        .send_message(
            &token(),
            "PN1",
            &OutboundMessage::interactive("5511", list(2)),
        )
        .await
        .unwrap();
    let requests = meta.requests();
    assert_eq!(
        requests[0].json()["interactive"],
        json!({"type": "button", "header": {"type": "text", "text": "Pedido"},
               "body": {"text": "Confirma?"}, "footer": {"text": "Loja"},
               "action": {"buttons": [
                   {"type": "reply", "reply": {"id": "b0", "title": "Option 0"}},
                   {"type": "reply", "reply": {"id": "b1", "title": "Option 1"}}]}})
    );
    assert_eq!(
        requests[1].json()["interactive"],
        json!({"type": "list", "body": {"text": "Choose a slot"},
               "action": {"button": "Slots", "sections": [{"title": "Monday", "rows": [
                   {"id": "r0", "title": "0:00", "description": "Early"},
                   {"id": "r1", "title": "1:00"}]}]}})
    );
    assert_eq!(requests[1].json()["type"], "interactive");
}

#[tokio::test]
async fn messages_over_meta_limits_are_refused_before_sending() {
    let meta = Meta::start().await;
    let client = meta.client();
    let long_title = Interactive::Button {
        header: None,
        body: InteractiveText { text: "x".into() },
        footer: None,
        action: ButtonAction {
            buttons: vec![ReplyButton {
                id: "a".into(),
                title: "t".repeat(21),
            }],
        },
    };
    let mut image = OutboundMessage::image("5511", MediaSource::Id("1".into()), None);
    if let MessageContent::Image { image } = &mut image.content {
        *image = CaptionedMedia {
            source: MediaSource::Id("1".into()),
            caption: Some("c".repeat(1025)),
        };
    }
    let cases = [
        OutboundMessage::text("5511", "ã".repeat(4097)),
        OutboundMessage::text("5511", ""),
        OutboundMessage::text("", "hi"),
        OutboundMessage::text("5511", "hi").with_callback_data("d".repeat(513)),
        image,
        OutboundMessage::interactive("5511", buttons(4)),
        OutboundMessage::interactive("5511", buttons(0)),
        OutboundMessage::interactive("5511", long_title),
        OutboundMessage::interactive("5511", list(11)),
        OutboundMessage::image("5511", MediaSource::Link("ftp://x/y.png".into()), None),
        OutboundMessage::template(
            "5511",
            TemplateMessage {
                name: "Bad Name".into(),
                ..order_template()
            },
        ),
    ];
    for message in &cases {
        let error = client
            .send_message(&token(), "PN1", message)
            .await
            .unwrap_err();
        assert!(matches!(error, GraphError::Invalid(_)), "{error:?}");
        assert_eq!(error.class(), ErrorClass::Final);
    }
    // Exactly at the limits is fine.
    assert!(
        OutboundMessage::text("5511", "ã".repeat(4096))
            .validate()
            .is_ok()
    );
    assert!(
        OutboundMessage::interactive("5511", buttons(3))
            .validate()
            .is_ok()
    );
    assert!(
        OutboundMessage::interactive("5511", list(10))
            .validate()
            .is_ok()
    );
    assert!(meta.requests().is_empty());
}

#[tokio::test]
async fn mark_read_can_show_typing() {
    let meta = Meta::start().await;
    meta.then(success()).then(success());
    let client = meta.client();
    client
        .mark_read(&token(), "PN1", "wamid.IN", false)
        .await
        .unwrap();
    client
        .mark_read(&token(), "PN1", "wamid.IN", true)
        .await
        .unwrap();
    let requests = meta.requests();
    assert_eq!(requests[0].target, "/v21.0/PN1/messages");
    assert_eq!(
        requests[0].json(),
        json!({"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.IN"})
    );
    assert_eq!(
        requests[1].json(),
        json!({"messaging_product": "whatsapp", "status": "read", "message_id": "wamid.IN",
               "typing_indicator": {"type": "text"}})
    );
}

// --- Media -------------------------------------------------------------------------------

#[tokio::test]
async fn media_is_uploaded_as_multipart() {
    let meta = Meta::start().await;
    meta.then(reply(200, json!({"id": "1013859600285441"})));
    let png = b"\x89PNG\r\n\x1a\n--not-a-boundary--\r\n".to_vec();
    let id = meta
        .client()
        .upload_media(&token(), "PN1", png.clone(), "image/png", "pic\"\r\n.png")
        .await
        .unwrap();
    assert_eq!(id, "1013859600285441");

    let request = meta.only_request();
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, "/v21.0/PN1/media");
    let content_type = request.header("content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap();
    let delimiter = format!("--{boundary}");
    let body = request.body.clone();
    let text = String::from_utf8_lossy(&body);
    assert!(text.ends_with(&format!("{delimiter}--\r\n")));
    let parts: Vec<&str> = text.split(&delimiter).collect();
    // preamble, 3 parts, epilogue
    assert_eq!(parts.len(), 5, "{text}");
    assert!(parts[1].contains("name=\"messaging_product\"\r\n\r\nwhatsapp\r\n"));
    assert!(parts[2].contains("name=\"type\"\r\n\r\nimage/png\r\n"));
    assert!(
        parts[3]
            .contains("name=\"file\"; filename=\"pic___.png\"\r\nContent-Type: image/png\r\n\r\n")
    );
    let file_start = body
        .windows(4)
        .enumerate()
        .filter(|(_, w)| *w == b"\r\n\r\n")
        .nth(2)
        .unwrap()
        .0
        + 4;
    assert_eq!(&body[file_start..file_start + png.len()], png.as_slice());
}

#[tokio::test]
async fn uploads_over_meta_size_limits_are_refused() {
    let meta = Meta::start().await;
    let client = meta.client();
    let six_mb = vec![0u8; 6 * 1024 * 1024];
    let error = client
        .upload_media(&token(), "PN1", six_mb.clone(), "image/jpeg", "a.jpg")
        .await
        .unwrap_err();
    assert!(matches!(error, GraphError::Invalid(_)));
    let error = client
        .upload_media(&token(), "PN1", vec![1], "not a mime", "a")
        .await
        .unwrap_err();
    assert!(matches!(error, GraphError::Invalid(_)));
    assert!(meta.requests().is_empty());
}

#[tokio::test]
async fn media_info_then_download() {
    let meta = Meta::start().await;
    let media_url = format!("{}/lookaside/whatsapp_business/?mid=1", meta.url);
    meta.then(reply(
        200,
        json!({"messaging_product": "whatsapp", "url": media_url, "mime_type": "image/jpeg",
               "sha256": "abc", "file_size": "303833", "id": "1037543291543636"}),
    ))
    .then(raw_reply(200, "image/jpeg", b"JPEGDATA".to_vec()));
    let client = meta.client();
    let info = client
        .media_info(&token(), "1037543291543636")
        .await
        .unwrap();
    assert_eq!(info.file_size, 303833);
    assert_eq!(info.mime_type, "image/jpeg");
    let bytes = client
        .download_media(&token(), &info.url, 1024)
        .await
        .unwrap();
    assert_eq!(bytes, b"JPEGDATA");
    let requests = meta.requests();
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].target, "/v21.0/1037543291543636");
    assert_eq!(requests[1].target, "/lookaside/whatsapp_business/?mid=1");
    assert_eq!(
        requests[1].header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str())
    );
}

#[tokio::test]
async fn oversized_downloads_are_refused_with_or_without_a_length() {
    let meta = Meta::start().await;
    let big = vec![7u8; 64 * 1024];
    meta.then(raw_reply(200, "video/mp4", big.clone()))
        .then(Reply {
            length: false,
            ..raw_reply(200, "video/mp4", big.clone())
        })
        .then(Reply {
            length: false,
            ..raw_reply(200, "video/mp4", big.clone())
        });
    let client = meta.client();
    let url = format!("{}/media/1", meta.url);
    for _ in 0..2 {
        let error = client
            .download_media(&token(), &url, 1000)
            .await
            .unwrap_err();
        assert_eq!(error, GraphError::TooLarge);
    }
    // Exactly the limit is fine, streamed without a length.
    let bytes = client
        .download_media(&token(), &url, big.len())
        .await
        .unwrap();
    assert_eq!(bytes.len(), big.len());
}

#[tokio::test]
async fn an_expired_media_url_answers_not_found() {
    let meta = Meta::start().await;
    meta.then(raw_reply(404, "text/html", "<html>Not Found</html>"));
    let error = meta
        .client()
        .download_media(&token(), &format!("{}/media/1", meta.url), 1000)
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
}

#[tokio::test]
async fn the_token_is_never_sent_to_a_plain_http_stranger() {
    let meta = Meta::start().await;
    let error = meta
        .client()
        .download_media(&token(), "http://evil.example/steal", 1000)
        .await
        .unwrap_err();
    assert!(matches!(error, GraphError::Invalid(_)));
    assert!(meta.requests().is_empty());
}

#[tokio::test]
async fn media_is_deleted() {
    let meta = Meta::start().await;
    meta.then(success());
    meta.client().delete_media(&token(), "555").await.unwrap();
    let request = meta.only_request();
    assert_eq!(
        (request.method.as_str(), request.target.as_str()),
        ("DELETE", "/v21.0/555")
    );
}

#[tokio::test]
async fn ids_cannot_escape_their_path_segment() {
    let meta = Meta::start().await;
    let client = meta.client();
    for bad in ["../me", "1/messages", "1?fields=x", ""] {
        let error = client.media_info(&token(), bad).await.unwrap_err();
        assert!(matches!(error, GraphError::Invalid(_)), "{bad}");
    }
    assert!(meta.requests().is_empty());
}

// --- Templates ---------------------------------------------------------------------------

#[tokio::test]
async fn templates_are_listed_page_by_page() {
    let meta = Meta::start().await;
    meta.then(reply(
        200,
        json!({"data": [{"name": "order_shipped", "id": "594425479261596", "language": "pt_BR",
                         "status": "APPROVED", "category": "UTILITY", "parameter_format": "POSITIONAL",
                         "components": [{"type": "BODY", "text": "Hi {{1}}"}],
                         "quality_score": {"score": "GREEN", "date": 1700000000}}],
               "paging": {"cursors": {"before": "B1", "after": "A1"}, "next": "https://graph/next"}}),
    ))
    .then(reply(
        200,
        json!({"data": [{"name": "promo", "id": "2", "language": "en_US", "status": "REJECTED",
                         "category": "MARKETING", "components": [], "rejected_reason": "INVALID_FORMAT"}],
               "paging": {"cursors": {"before": "B2", "after": "A2"}}}),
    ));
    let client = meta.client();
    let first = client
        .list_templates(&token(), "WABA1", None)
        .await
        .unwrap();
    assert_eq!(first.after.as_deref(), Some("A1"));
    assert_eq!(first.data[0].name, "order_shipped");
    assert_eq!(first.data[0].quality_score.as_ref().unwrap().score, "GREEN");
    assert_eq!(first.data[0].components[0]["text"], "Hi {{1}}");
    let second = client
        .list_templates(&token(), "WABA1", Some("A1"))
        .await
        .unwrap();
    assert_eq!(second.after, None);
    assert_eq!(
        second.data[0].rejected_reason.as_deref(),
        Some("INVALID_FORMAT")
    );

    let requests = meta.requests();
    assert_eq!(requests[0].path(), "/v21.0/WABA1/message_templates");
    assert!(
        requests[0]
            .query_value("fields")
            .unwrap()
            .contains("quality_score")
    );
    assert_eq!(requests[0].query_value("after"), None);
    assert_eq!(requests[1].query_value("after").as_deref(), Some("A1"));
}

fn new_template() -> NewTemplate {
    NewTemplate {
        name: "order_update".into(),
        language: "en_US".into(),
        category: TemplateCategory::Utility,
        parameter_format: None,
        components: vec![
            json!({"type": "HEADER", "format": "TEXT", "text": "Order {{1}}",
                   "example": {"header_text": ["#42"]}}),
            json!({"type": "BODY", "text": "Hi {{1}}, your order {{2}} shipped.",
                   "example": {"body_text": [["Ana", "#42"]]}}),
            json!({"type": "FOOTER", "text": "Reply STOP to opt out"}),
        ],
    }
}

#[tokio::test]
async fn a_template_is_created_with_its_examples() {
    let meta = Meta::start().await;
    meta.then(reply(
        200,
        json!({"id": "572279198452421", "status": "PENDING", "category": "UTILITY"}),
    ));
    let created = meta
        .client()
        .create_template(&token(), "WABA1", &new_template())
        .await
        .unwrap();
    assert_eq!(created.id, "572279198452421");
    assert_eq!(created.status, "PENDING");
    let request = meta.only_request();
    assert_eq!(request.target, "/v21.0/WABA1/message_templates");
    assert_eq!(
        request.json(),
        json!({"name": "order_update", "language": "en_US", "category": "UTILITY",
               "components": new_template().components})
    );
}

#[tokio::test]
async fn templates_without_examples_or_with_bad_names_are_refused() {
    let meta = Meta::start().await;
    let client = meta.client();
    let mut bad_name = new_template();
    bad_name.name = "Order-Update".into();
    let mut missing_example = new_template();
    missing_example.components[1] = json!({"type": "BODY", "text": "Hi {{1}}, order {{2}}",
                                           "example": {"body_text": [["Ana"]]}});
    let mut no_example = new_template();
    no_example.components[0] = json!({"type": "HEADER", "format": "TEXT", "text": "Order {{1}}"});
    let mut named_without = new_template();
    named_without.parameter_format = Some(ParameterFormat::Named);
    named_without.components = vec![json!({"type": "BODY", "text": "Hi {{first_name}}",
        "example": {"body_text_named_params": [{"param_name": "last_name", "example": "Silva"}]}})];
    let mut mixed = new_template();
    mixed.components = vec![json!({"type": "BODY", "text": "Hi {{first_name}}",
                                   "example": {"body_text": [["Ana"]]}})];
    for template in [bad_name, missing_example, no_example, named_without, mixed] {
        let error = client
            .create_template(&token(), "WABA1", &template)
            .await
            .unwrap_err();
        assert!(matches!(error, GraphError::Invalid(_)), "{error:?}");
    }
    assert!(meta.requests().is_empty());

    let mut named = new_template();
    named.parameter_format = Some(ParameterFormat::Named);
    named.components = vec![json!({"type": "BODY", "text": "Hi {{first_name}}",
        "example": {"body_text_named_params": [{"param_name": "first_name", "example": "Ana"}]}})];
    assert!(named.validate().is_ok());
    assert!(new_template().validate().is_ok());
}

#[tokio::test]
async fn a_template_is_deleted_by_name_or_by_id() {
    let meta = Meta::start().await;
    meta.then(success()).then(success());
    let client = meta.client();
    client
        .delete_template(&token(), "WABA1", "order_update", None)
        .await
        .unwrap();
    client
        .delete_template(&token(), "WABA1", "order_update", Some("1407680676729941"))
        .await
        .unwrap();
    let requests = meta.requests();
    assert_eq!(requests[0].method, "DELETE");
    assert_eq!(
        requests[0].target,
        "/v21.0/WABA1/message_templates?name=order_update"
    );
    assert_eq!(
        requests[1].target,
        "/v21.0/WABA1/message_templates?name=order_update&hsm_id=1407680676729941"
    );
}

// --- Numbers, profile, signup ------------------------------------------------------------

fn number_json(id: &str) -> Value {
    json!({"id": id, "display_phone_number": "+1 555-0100", "verified_name": "Loja",
           "quality_rating": "GREEN", "code_verification_status": "VERIFIED",
           "name_status": "APPROVED", "status": "CONNECTED", "platform_type": "CLOUD_API",
           "throughput": {"level": "STANDARD"}, "messaging_limit_tier": "TIER_1K",
           "whatsapp_business_manager_messaging_limit": "TIER_2K"})
}

#[tokio::test]
async fn a_phone_number_is_read_with_its_fields() {
    let meta = Meta::start().await;
    meta.then(reply(200, number_json("PN1")));
    let number = meta.client().phone_number(&token(), "PN1").await.unwrap();
    assert_eq!(number.display_phone_number, "+1 555-0100");
    assert_eq!(number.status.as_deref(), Some("CONNECTED"));
    assert_eq!(number.throughput_level(), Some("STANDARD"));
    assert_eq!(number.messaging_limit(), Some("TIER_2K"));
    let request = meta.only_request();
    assert_eq!(request.path(), "/v21.0/PN1");
    let fields = request.query_value("fields").unwrap();
    for field in [
        "id",
        "display_phone_number",
        "verified_name",
        "quality_rating",
        "code_verification_status",
        "name_status",
        "status",
        "platform_type",
        "throughput",
        "messaging_limit_tier",
        "whatsapp_business_manager_messaging_limit",
    ] {
        assert!(fields.split(',').any(|f| f == field), "{field}");
    }
}

#[tokio::test]
async fn a_wabas_numbers_follow_pagination() {
    let meta = Meta::start().await;
    meta.then(reply(
        200,
        json!({"data": [number_json("PN1")], "paging": {"cursors": {"after": "C1"}, "next": "https://n"}}),
    ))
    .then(reply(
        200,
        json!({"data": [number_json("PN2")], "paging": {"cursors": {"after": "C2"}}}),
    ));
    let numbers = meta
        .client()
        .phone_numbers(&token(), "WABA1")
        .await
        .unwrap();
    assert_eq!(
        numbers.iter().map(|n| n.id.as_str()).collect::<Vec<_>>(),
        ["PN1", "PN2"]
    );
    let requests = meta.requests();
    assert_eq!(requests[0].path(), "/v21.0/WABA1/phone_numbers");
    assert_eq!(requests[1].query_value("after").as_deref(), Some("C1"));
}

#[tokio::test]
async fn register_and_subscribe() {
    let meta = Meta::start().await;
    meta.then(success()).then(success());
    let client = meta.client();
    client.register(&token(), "PN1", "123456").await.unwrap();
    client.subscribe_app(&token(), "WABA1").await.unwrap();
    for pin in ["12345", "1234567", "12a456"] {
        assert!(matches!(
            client.register(&token(), "PN1", pin).await,
            Err(GraphError::Invalid(_))
        ));
    }
    let requests = meta.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].target, "/v21.0/PN1/register");
    assert_eq!(
        requests[0].json(),
        json!({"messaging_product": "whatsapp", "pin": "123456"})
    );
    assert_eq!(
        (requests[1].method.as_str(), requests[1].target.as_str()),
        ("POST", "/v21.0/WABA1/subscribed_apps")
    );
}

#[tokio::test]
async fn the_business_profile_is_read_and_updated() {
    let meta = Meta::start().await;
    meta.then(reply(
        200,
        json!({"data": [{"about": "Open 9-18", "address": "Rua A, 1", "email": "oi@loja.example",
                         "websites": ["https://loja.example"], "vertical": "RETAIL",
                         "messaging_product": "whatsapp"}]}),
    ))
    .then(success());
    let client = meta.client();
    let profile = client.business_profile(&token(), "PN1").await.unwrap();
    assert_eq!(profile.about.as_deref(), Some("Open 9-18"));
    assert_eq!(profile.websites, ["https://loja.example"]);
    let update = BusinessProfileUpdate {
        about: Some("Aberto 9-18".into()),
        websites: Some(vec!["https://a.example".into(), "https://b.example".into()]),
        ..Default::default()
    };
    client
        .update_business_profile(&token(), "PN1", &update)
        .await
        .unwrap();
    let requests = meta.requests();
    assert_eq!(requests[0].path(), "/v21.0/PN1/whatsapp_business_profile");
    assert_eq!(requests[1].method, "POST");
    assert_eq!(
        requests[1].json(),
        json!({"messaging_product": "whatsapp", "about": "Aberto 9-18",
               "websites": ["https://a.example", "https://b.example"]})
    );

    let too_much = [
        BusinessProfileUpdate {
            about: Some("a".repeat(140)),
            ..Default::default()
        },
        BusinessProfileUpdate {
            about: Some(String::new()),
            ..Default::default()
        },
        BusinessProfileUpdate {
            address: Some("a".repeat(257)),
            ..Default::default()
        },
        BusinessProfileUpdate {
            description: Some("a".repeat(513)),
            ..Default::default()
        },
        BusinessProfileUpdate {
            email: Some("a".repeat(129)),
            ..Default::default()
        },
        BusinessProfileUpdate {
            websites: Some(vec![
                "https://a".into(),
                "https://b".into(),
                "https://c".into(),
            ]),
            ..Default::default()
        },
    ];
    for update in &too_much {
        assert!(matches!(
            client
                .update_business_profile(&token(), "PN1", update)
                .await,
            Err(GraphError::Invalid(_))
        ));
    }
    assert_eq!(meta.requests().len(), 2);
}

#[tokio::test]
async fn the_signup_code_is_exchanged_for_a_token() {
    let meta = Meta::start().await;
    meta.then(reply(
        200,
        json!({"access_token": "EAAGbusinessTOKEN", "token_type": "bearer"}),
    ));
    let token = meta
        .client()
        .exchange_code("1234", "app-secret-value", "code-from-fb")
        .await
        .unwrap();
    assert_eq!(token.expose(), "EAAGbusinessTOKEN");
    assert_eq!(format!("{token:?}"), "<secret>");
    let request = meta.only_request();
    assert_eq!(request.method, "GET");
    assert_eq!(request.path(), "/v21.0/oauth/access_token");
    assert_eq!(request.query_value("client_id").as_deref(), Some("1234"));
    assert_eq!(
        request.query_value("client_secret").as_deref(),
        Some("app-secret-value")
    );
    assert_eq!(request.query_value("code").as_deref(), Some("code-from-fb"));
    assert_eq!(request.header("authorization"), None);
}

#[tokio::test]
async fn a_failed_exchange_never_shows_the_secret_or_the_code() {
    let meta = Meta::start().await;
    meta.then(reply(
        400,
        json!({"error": {"message": "Error validating client secret app-secret-value for code code-from-fb",
                         "type": "OAuthException", "code": 1, "error_subcode": 36008,
                         "error_data": {"details": "secret app-secret-value"},
                         "fbtrace_id": "X"}}),
    ))
    .then(raw_reply(
        502,
        "text/plain",
        "upstream said client_secret=app-secret-value",
    ));
    let client = meta.client();
    for _ in 0..2 {
        let error = client
            .exchange_code("1234", "app-secret-value", "code-from-fb")
            .await
            .unwrap_err();
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("app-secret-value"), "{shown}");
        assert!(!shown.contains("code-from-fb"), "{shown}");
    }
}

#[tokio::test]
async fn debug_token_reports_granular_scopes() {
    let meta = Meta::start().await;
    meta.then(reply(
        200,
        json!({"data": {"app_id": "1234", "type": "SYSTEM_USER", "application": "WAgent",
                        "expires_at": 0, "is_valid": true,
                        "scopes": ["whatsapp_business_management", "whatsapp_business_messaging"],
                        "granular_scopes": [
                            {"scope": "whatsapp_business_management", "target_ids": ["WABA1"]},
                            {"scope": "whatsapp_business_messaging", "target_ids": ["WABA1", "WABA2"]},
                            {"scope": "public_profile"}]}}),
    ));
    let debug = meta
        .client()
        .debug_token(
            &AccessToken::new("EAAGbusinessTOKEN"),
            "1234",
            "app-secret-value",
        )
        .await
        .unwrap();
    assert!(debug.is_valid);
    assert_eq!(debug.expires_at, Some(0));
    assert!(debug.grants("whatsapp_business_management", "WABA1"));
    assert!(!debug.grants("whatsapp_business_management", "WABA2"));
    assert!(debug.granular_scopes[2].target_ids.is_empty());
    let request = meta.only_request();
    assert_eq!(request.path(), "/v21.0/debug_token");
    assert_eq!(
        request.query_value("input_token").as_deref(),
        Some("EAAGbusinessTOKEN")
    );
    assert_eq!(
        request.query_value("access_token").as_deref(),
        Some("1234|app-secret-value")
    );
}

// --- Errors ------------------------------------------------------------------------------

async fn send_error(reply: Reply) -> GraphError {
    let meta = Meta::start().await;
    meta.then(reply);
    meta.client()
        .send_message(&token(), "PN1", &OutboundMessage::text("5511", "hi"))
        .await
        .unwrap_err()
}

#[tokio::test]
async fn throughput_limits_are_throttled_whatever_the_http_status() {
    for status in [400, 429] {
        let error = send_error(reply(
            status,
            graph_error(
                130429,
                Some(2494055),
                "Rate limit hit",
                "Cloud API message throughput has been reached.",
            ),
        ))
        .await;
        let GraphError::Api {
            http_status,
            code,
            subcode,
            details,
            fbtrace_id,
            ..
        } = &error
        else {
            panic!("{error:?}");
        };
        assert_eq!(
            (*http_status, *code, *subcode),
            (status, 130429, Some(2494055))
        );
        assert_eq!(
            details.as_deref(),
            Some("Cloud API message throughput has been reached.")
        );
        assert_eq!(fbtrace_id.as_deref(), Some("AbCdEf123"));
        assert_eq!(error.class(), ErrorClass::Throttled);
        assert_eq!(error.retry_after(), Some(Duration::from_secs(1)));
    }
}

#[tokio::test]
async fn every_error_class_comes_from_the_code() {
    let cases = [
        (
            400,
            graph_error(
                131056,
                None,
                "(Business Account, Consumer Account) pair rate limit hit",
                "Too many messages sent from the sender phone number to the same recipient phone number in a short period of time.",
            ),
            ErrorClass::Throttled,
        ),
        (
            401,
            graph_error(
                190,
                Some(463),
                "Access token has expired",
                "Session has expired.",
            ),
            ErrorClass::Reauthenticate,
        ),
        (
            401,
            graph_error(0, None, "AuthException", "Authentication failed."),
            ErrorClass::Reauthenticate,
        ),
        (
            404,
            graph_error(
                132001,
                None,
                "Template name does not exist in the translation",
                "template name (order_update) does not exist in en_US",
            ),
            ErrorClass::Final,
        ),
        (
            400,
            graph_error(
                100,
                None,
                "Invalid parameter",
                "Parameter value is not valid.",
            ),
            ErrorClass::Final,
        ),
        (
            400,
            graph_error(4, None, "Application request limit reached", ""),
            ErrorClass::Throttled,
        ),
        (
            400,
            graph_error(131048, None, "Spam rate limit hit", ""),
            ErrorClass::Throttled,
        ),
        (
            500,
            graph_error(131000, None, "Something went wrong", ""),
            ErrorClass::Transient,
        ),
        (
            503,
            graph_error(2, None, "Service temporarily unavailable", ""),
            ErrorClass::Transient,
        ),
        (
            500,
            graph_error(131057, None, "Account in maintenance mode", ""),
            ErrorClass::Transient,
        ),
        (
            403,
            graph_error(368, None, "Temporarily blocked for policies violations", ""),
            ErrorClass::Final,
        ),
    ];
    for (status, body, class) in cases {
        let code = body["error"]["code"].as_i64().unwrap();
        let error = send_error(reply(status, body)).await;
        assert_eq!(error.code(), Some(code));
        assert_eq!(error.http_status(), Some(status));
        assert_eq!(error.class(), class, "{code}");
    }
}

#[tokio::test]
async fn the_190_error_keeps_its_subcode() {
    let error = send_error(reply(
        401,
        graph_error(
            190,
            Some(463),
            "Access token has expired",
            "Session has expired.",
        ),
    ))
    .await;
    assert!(matches!(
        error,
        GraphError::Api {
            subcode: Some(463),
            ..
        }
    ));
    assert_eq!(error.retry_after(), None);
}

#[tokio::test]
async fn a_non_json_error_body_is_kept_short() {
    let html = format!(
        "<html><body>502 Bad Gateway{}</body></html>",
        "x".repeat(5000)
    );
    let error = send_error(raw_reply(502, "text/html", html)).await;
    let GraphError::Http { http_status, body } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(*http_status, 502);
    assert!(body.starts_with("<html><body>502 Bad Gateway"));
    assert!(body.chars().count() <= 300);
    assert_eq!(error.class(), ErrorClass::Transient);

    let error = send_error(raw_reply(400, "text/plain", "")).await;
    assert!(matches!(
        error,
        GraphError::Http {
            http_status: 400,
            ..
        }
    ));
    assert_eq!(error.class(), ErrorClass::Final);
}

#[tokio::test]
async fn an_undecodable_success_body_is_a_decode_error() {
    let error = send_error(reply(200, json!({"messaging_product": "whatsapp"}))).await;
    assert!(matches!(error, GraphError::Decode(_)), "{error:?}");
    let error = send_error(raw_reply(200, "application/json", "{not json")).await;
    assert!(matches!(error, GraphError::Decode(_)), "{error:?}");
}

#[tokio::test]
async fn a_slow_meta_times_out() {
    let meta = Meta::start().await;
    meta.then(Reply {
        delay: Duration::from_secs(3),
        ..sent("wamid.late")
    });
    let error = meta
        .client_with_timeout(Duration::from_millis(300))
        .send_message(&token(), "PN1", &OutboundMessage::text("5511", "hi"))
        .await
        .unwrap_err();
    assert_eq!(error, GraphError::Timeout);
    assert_eq!(error.class(), ErrorClass::Transient);
}

#[tokio::test]
async fn an_unreachable_meta_is_an_unreachable_error_the_request_never_left() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    drop(listener);
    let client = GraphClient::new(GraphConfig {
        base_url: url,
        ..GraphConfig::default()
    })
    .unwrap();
    let error = client
        .send_message(&token(), "PN1", &OutboundMessage::text("5511", "hi"))
        .await
        .unwrap_err();
    assert!(matches!(error, GraphError::Unreachable(_)), "{error:?}");
    assert_eq!(error.class(), ErrorClass::Transient);
    assert!(!format!("{error} {error:?}").contains(TOKEN));
}

#[tokio::test]
async fn the_token_never_appears_in_an_error() {
    // A misbehaving upstream echoes the token in every place it can.
    let echoed = json!({"error": {"message": format!("Invalid OAuth access token {TOKEN}"),
                                  "type": "OAuthException", "code": 190,
                                  "error_data": {"details": format!("token={TOKEN}")},
                                  "fbtrace_id": "T"}});
    let errors = [
        send_error(reply(401, echoed)).await,
        send_error(raw_reply(500, "text/plain", format!("bad token {TOKEN}"))).await,
        send_error(reply(200, json!({"contacts": [], "messages": TOKEN}))).await,
    ];
    for error in errors {
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains(TOKEN), "{shown}");
    }
}

#[tokio::test]
async fn the_default_config_points_at_graph_v21() {
    let config = GraphConfig::default();
    assert_eq!(config.base_url, "https://graph.facebook.com");
    assert_eq!(config.version, "v21.0");
    assert_eq!(config.timeout, Duration::from_secs(20));
    assert!(GraphClient::new(config).is_ok());
    assert!(
        GraphClient::new(GraphConfig {
            base_url: "not a url".into(),
            ..GraphConfig::default()
        })
        .is_err()
    );
}

#[test]
fn outbound_messages_parse_back_from_meta_json() {
    // A stand-in for Meta reads what the client sends with the same types.
    let body = json!({"messaging_product": "whatsapp", "recipient_type": "individual",
                      "to": "5511", "type": "interactive",
                      "interactive": {"type": "button", "body": {"text": "Ok?"},
                                      "action": {"buttons": [{"type": "reply", "reply": {"id": "y", "title": "Yes"}}]}}});
    let message: OutboundMessage = serde_json::from_value(body).unwrap();
    assert_eq!(message.kind(), "interactive");
    let MessageContent::Interactive {
        interactive: Interactive::Button { action, .. },
    } = &message.content
    else {
        panic!("{message:?}");
    };
    assert_eq!(action.buttons[0].title, "Yes");
    let text: OutboundMessage =
        serde_json::from_value(json!({"to": "1", "type": "text", "text": {"body": "x"}})).unwrap();
    assert_eq!(
        text.content,
        MessageContent::Text {
            text: Text {
                body: "x".into(),
                preview_url: false
            }
        }
    );
}
