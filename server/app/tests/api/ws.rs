//! A graphql-transport-ws client for the tests.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::{
    MaybeTlsStream, WebSocketStream, connect_async,
    tungstenite::{Message, client::IntoClientRequest, http::HeaderValue},
};

pub struct Subscriber {
    socket: WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>,
}

impl Subscriber {
    /// Connects and authenticates at `connection_init`; `Err` carries the close reason.
    pub async fn connect(url: &str, token: &str, protocol: &str) -> Result<Self, String> {
        let mut request = url.into_client_request().unwrap();
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            HeaderValue::from_str(protocol).unwrap(),
        );
        let (mut socket, _) = connect_async(request).await.map_err(|e| e.to_string())?;
        let init = json!({ "type": "connection_init", "payload": { "authorization": format!("Bearer {token}") } });
        socket
            .send(Message::Text(init.to_string().into()))
            .await
            .map_err(|e| e.to_string())?;
        let mut me = Self { socket };
        match me.next_message(Duration::from_secs(5)).await {
            Some(Ok(m)) if m["type"] == "connection_ack" => Ok(me),
            Some(Ok(m)) => Err(m.to_string()),
            Some(Err(reason)) => Err(reason),
            None => Err("no answer to connection_init".into()),
        }
    }

    /// Opens a socket and sends nothing.
    pub async fn open(url: &str, protocol: &str) -> Self {
        let mut request = url.into_client_request().unwrap();
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            HeaderValue::from_str(protocol).unwrap(),
        );
        let (socket, _) = connect_async(request).await.unwrap();
        Self { socket }
    }

    /// Waits for the server to close the socket; returns "<code> <reason>", or `None` when
    /// it stays open `within`.
    pub async fn closed(&mut self, within: Duration) -> Option<String> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next_message(left).await? {
                Ok(_) => continue,
                Err(reason) => return Some(reason),
            }
        }
    }

    pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value, protocol_v2: bool) {
        let kind = if protocol_v2 { "subscribe" } else { "start" };
        let msg = json!({ "id": id, "type": kind, "payload": { "query": query, "variables": variables } });
        self.socket
            .send(Message::Text(msg.to_string().into()))
            .await
            .unwrap();
    }

    /// The next JSON message, `Err(close reason)` when the server closes, `None` on timeout.
    pub async fn next_message(&mut self, within: Duration) -> Option<Result<Value, String>> {
        loop {
            let msg = tokio::time::timeout(within, self.socket.next())
                .await
                .ok()??;
            match msg {
                Ok(Message::Text(t)) => {
                    let v: Value = serde_json::from_str(&t).unwrap();
                    if v["type"] == "ping" || v["type"] == "ka" {
                        continue;
                    }
                    return Some(Ok(v));
                }
                Ok(Message::Close(frame)) => {
                    return Some(Err(frame
                        .map(|f| format!("{} {}", u16::from(f.code), f.reason))
                        .unwrap_or_default()));
                }
                Ok(_) => continue,
                Err(e) => return Some(Err(e.to_string())),
            }
        }
    }

    /// The next result: a `next`/`data` payload (`{data}` or `{errors}`), `{errors}` for an
    /// `error` message, or the `complete` message itself.
    pub async fn next_event(&mut self, within: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next_message(left).await? {
                Ok(m) if m["type"] == "next" || m["type"] == "data" => {
                    return Some(m["payload"].clone());
                }
                Ok(m) if m["type"] == "error" => {
                    return Some(serde_json::json!({ "errors": m["payload"] }));
                }
                Ok(m) if m["type"] == "complete" => return Some(m),
                Ok(_) => continue,
                Err(_) => return None,
            }
        }
    }
}
