//! Media: files agents send (checked before a byte is stored, then streamed to disk), the
//! stored files of messages, their signed links, and the sweep of files no row names.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use serde_json::json;
use uuid::Uuid;
use wagent_db::{
    Conn, Scope,
    schema::{media, phone_numbers},
};

use super::send::{Outbound, queue_outbound};
use super::{Result, WhatsAppError};
use crate::{
    Access, CommonError, Domain, Role,
    inbox::{Conversation, Message, MessageKind, find_conversation},
};

impl Domain {
    /// Deletes stored media files (after their rows are gone).
    pub(crate) async fn remove_media_files(&self, org_id: Uuid, ids: &[Uuid]) {
        let Some(wa) = &self.whatsapp else { return };
        for id in ids {
            let path = wa.media_dir.join(org_id.to_string()).join(id.to_string());
            if let Err(e) = tokio::fs::remove_file(&path).await
                && e.kind() != std::io::ErrorKind::NotFound
            {
                tracing::warn!(error = %e, "cannot remove a media file");
            }
        }
    }
}

/// A stored (or pending) media file of a message.
#[derive(Debug, Clone, PartialEq, Eq, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = media)]
pub struct Media {
    pub id: Uuid,
    pub message_id: Uuid,
    pub mime_type: Option<String>,
    pub file_name: Option<String>,
    pub file_size: Option<i64>,
    pub stored_at: Option<DateTime<Utc>>,
    pub error: Option<String>,
}

/// How long a media link works.
const LINK_LIFETIME_SECS: i64 = 600;

impl Domain {
    pub async fn message_media(&self, access: &Access, message_id: Uuid) -> Result<Option<Media>> {
        access.ensure(Role::Member)?;
        self.tx(access.scope(), async |c| {
            Ok(media::table
                .filter(media::message_id.eq(message_id))
                .select(Media::as_select())
                .first(c)
                .await
                .optional()?)
        })
        .await
    }

    /// A link to a stored file that works for ten minutes without other credentials, so
    /// that `<img>` and `<audio>` can load it.
    pub fn media_link(&self, org_id: Uuid, media_id: Uuid) -> Result<String> {
        let wa = self.whatsapp()?;
        let exp = Utc::now().timestamp() + LINK_LIFETIME_SECS;
        let sig = wa.keyring.sign_link(&format!("{org_id}/{media_id}/{exp}"));
        Ok(format!("/media/{org_id}/{media_id}?exp={exp}&sig={sig}"))
    }

    /// The file behind a media link, if the link is genuine and fresh.
    pub async fn open_media_link(
        &self,
        org_id: Uuid,
        media_id: Uuid,
        exp: i64,
        sig: &str,
    ) -> Result<(Media, PathBuf)> {
        let wa = self.whatsapp()?.clone();
        if exp < Utc::now().timestamp()
            || !wa
                .keyring
                .verify_link(&format!("{org_id}/{media_id}/{exp}"), sig)
        {
            return Err(WhatsAppError::MediaLinkInvalid);
        }
        let m: Media = self
            .tx(Scope::org(org_id), async |c| -> Result<_, CommonError> {
                media::table
                    .filter(media::id.eq(media_id))
                    .select(Media::as_select())
                    .first(c)
                    .await
                    .optional()?
                    .ok_or(CommonError::NotFound("media"))
            })
            .await?;
        if m.stored_at.is_none() {
            return Err(CommonError::NotFound("media").into());
        }
        Ok((
            m,
            wa.media_dir
                .join(org_id.to_string())
                .join(media_id.to_string()),
        ))
    }
}

/// An attachment an agent sends; its bytes come separately, as a stream.
#[derive(Debug, Clone)]
pub struct Attachment {
    pub mime_type: String,
    pub file_name: String,
    pub caption: Option<String>,
    /// The size the sender announced (`Content-Length`), refused early when too large; the
    /// bytes are counted while read whatever it says.
    pub declared_size: Option<u64>,
}

/// A media type Meta accepts for sending, with its message kind, size limit (facts §4) and
/// what the file's first bytes must look like.
struct Sendable {
    mime: &'static str,
    kind: MessageKind,
    limit: u64,
    /// Types `infer` may report for such a file; empty for plain text.
    sniffed: &'static [&'static str],
}

const MB: u64 = 1_000_000;
const OOXML: &[&str] = &[
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/zip",
];

/// The types Meta's Cloud API takes for image, audio, video and document messages.
const SENDABLE: &[Sendable] = &[
    Sendable {
        mime: "image/jpeg",
        kind: MessageKind::Image,
        limit: 5 * MB,
        sniffed: &["image/jpeg"],
    },
    Sendable {
        mime: "image/png",
        kind: MessageKind::Image,
        limit: 5 * MB,
        sniffed: &["image/png"],
    },
    Sendable {
        mime: "audio/aac",
        kind: MessageKind::Audio,
        limit: 16 * MB,
        sniffed: &["audio/aac"],
    },
    Sendable {
        mime: "audio/amr",
        kind: MessageKind::Audio,
        limit: 16 * MB,
        sniffed: &["audio/amr"],
    },
    Sendable {
        mime: "audio/mpeg",
        kind: MessageKind::Audio,
        limit: 16 * MB,
        sniffed: &["audio/mpeg"],
    },
    Sendable {
        mime: "audio/mp4",
        kind: MessageKind::Audio,
        limit: 16 * MB,
        sniffed: &["audio/m4a", "video/mp4"],
    },
    Sendable {
        mime: "audio/ogg",
        kind: MessageKind::Audio,
        limit: 16 * MB,
        sniffed: &["audio/ogg", "audio/opus"],
    },
    Sendable {
        mime: "video/mp4",
        kind: MessageKind::Video,
        limit: 16 * MB,
        sniffed: &["video/mp4", "video/x-m4v"],
    },
    Sendable {
        mime: "video/3gpp",
        kind: MessageKind::Video,
        limit: 16 * MB,
        sniffed: &["video/3gpp"],
    },
    Sendable {
        mime: "text/plain",
        kind: MessageKind::Document,
        limit: 100 * MB,
        sniffed: &[],
    },
    Sendable {
        mime: "application/pdf",
        kind: MessageKind::Document,
        limit: 100 * MB,
        sniffed: &["application/pdf"],
    },
    // Without its compound-file reader, `infer` reports every OLE2 file as a Word file.
    Sendable {
        mime: "application/msword",
        kind: MessageKind::Document,
        limit: 100 * MB,
        sniffed: &["application/msword"],
    },
    Sendable {
        mime: "application/vnd.ms-excel",
        kind: MessageKind::Document,
        limit: 100 * MB,
        sniffed: &["application/msword"],
    },
    Sendable {
        mime: "application/vnd.ms-powerpoint",
        kind: MessageKind::Document,
        limit: 100 * MB,
        sniffed: &["application/msword"],
    },
    Sendable {
        mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        kind: MessageKind::Document,
        limit: 100 * MB,
        sniffed: OOXML,
    },
    Sendable {
        mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        kind: MessageKind::Document,
        limit: 100 * MB,
        sniffed: OOXML,
    },
    Sendable {
        mime: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        kind: MessageKind::Document,
        limit: 100 * MB,
        sniffed: OOXML,
    },
];

/// The largest file any type allows: what an upload's body is cut off at, whatever its type.
pub const MAX_SENDABLE_BYTES: u64 = 100 * MB;

/// How much of a file is read, before anything is written, to check its type.
const SNIFF_BYTES: usize = 64 * 1024;

/// How long an unreferenced file in the media folder is left alone: an upload writes its
/// file before its message row commits.
pub const ORPHAN_GRACE: chrono::Duration = chrono::Duration::hours(24);

impl Sendable {
    fn find(mime: &str) -> Option<&'static Sendable> {
        SENDABLE.iter().find(|s| s.mime == mime)
    }

    /// Whether the file's first bytes are what its declared type says.
    fn matches(&self, head: &[u8]) -> bool {
        let sniffed = infer::get(head).map(|t| t.mime_type());
        if self.mime == "video/3gpp" {
            // An ISO media file whose brand is 3GP (`infer` knows only the MP4 brands).
            return head.len() >= 12 && &head[4..8] == b"ftyp" && &head[8..10] == b"3g";
        }
        if self.sniffed.is_empty() {
            // Plain text: nothing recognisable (HTML, XML, scripts, binaries) and UTF-8
            // (the sample may end inside a character).
            return sniffed.is_none() && !head.contains(&0) && utf8_sample(head);
        }
        sniffed.is_some_and(|t| self.sniffed.contains(&t))
    }
}

/// Whether a sample is UTF-8, allowing it to end inside a character.
fn utf8_sample(sample: &[u8]) -> bool {
    match std::str::from_utf8(sample) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

/// The types [`SENDABLE`] lists, for the person who sent another.
pub(super) fn accepted_types() -> String {
    SENDABLE
        .iter()
        .map(|s| s.mime)
        .collect::<Vec<_>>()
        .join(", ")
}

fn too_large(s: &Sendable) -> WhatsAppError {
    WhatsAppError::FileTooLarge {
        kind: s.kind,
        mime: s.mime,
        limit: s.limit,
    }
}

impl Domain {
    /// Sends an attachment like any message (the 24-hour window applies). Everything that
    /// can refuse the send is checked before a byte is stored; the body is read at most up to
    /// the type's limit and streamed to disk, never held whole in memory.
    pub async fn send_media<R>(
        &self,
        access: &Access,
        conversation_id: Uuid,
        file: Attachment,
        mut body: R,
    ) -> Result<Message>
    where
        R: tokio::io::AsyncRead + Unpin + Send,
    {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};

        access.ensure(Role::Member)?;
        let wa = self.whatsapp()?.clone();
        let mime = file.mime_type.trim().to_ascii_lowercase();
        let Some(sendable) = Sendable::find(&mime) else {
            return Err(WhatsAppError::UnsupportedMediaType(
                mime.chars().take(100).collect(),
            ));
        };
        if file.declared_size.is_some_and(|n| n > sendable.limit) {
            return Err(too_large(sendable));
        }
        if file
            .caption
            .as_deref()
            .is_some_and(|c| c.chars().count() > 1024)
        {
            return Err(WhatsAppError::CaptionTooLong);
        }
        let file_name: String = file
            .file_name
            .chars()
            .filter(|c| !c.is_control() && *c != '/' && *c != '\\')
            .take(200)
            .collect();
        // The conversation, its number and its window, before reading the body.
        self.tx(access.scope(), async |c| -> Result<()> {
            sendable_conversation(c, conversation_id, Utc::now()).await?;
            Ok(())
        })
        .await?;

        let interrupted = |e: std::io::Error| {
            tracing::debug!(error = %e, "an upload stopped");
            WhatsAppError::UploadInterrupted
        };
        let mut head = Vec::with_capacity(SNIFF_BYTES);
        (&mut body)
            .take(SNIFF_BYTES as u64)
            .read_to_end(&mut head)
            .await
            .map_err(interrupted)?;
        if head.is_empty() {
            return Err(WhatsAppError::EmptyFile);
        }
        if !sendable.matches(&head) {
            return Err(WhatsAppError::ContentNotOfType(sendable.mime));
        }

        let media_id = Uuid::now_v7();
        let dir = wa.media_dir.join(access.org_id.to_string());
        let path = dir.join(media_id.to_string());
        tokio::fs::create_dir_all(&dir)
            .await
            .map_err(CommonError::internal)?;
        let written = async {
            let mut out = tokio::fs::File::create(&path)
                .await
                .map_err(CommonError::internal)?;
            out.write_all(&head).await.map_err(CommonError::internal)?;
            let mut size = head.len() as u64;
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = body.read(&mut buf).await.map_err(interrupted)?;
                if n == 0 {
                    break;
                }
                size += n as u64;
                if size > sendable.limit {
                    return Err(too_large(sendable));
                }
                out.write_all(&buf[..n])
                    .await
                    .map_err(CommonError::internal)?;
            }
            out.flush().await.map_err(CommonError::internal)?;
            Ok(size)
        }
        .await;
        let size = match written {
            Ok(size) => size as i64,
            Err(e) => {
                remove_file_quietly(&path).await;
                return Err(e);
            }
        };

        let kind = sendable.kind;
        let preview = file
            .caption
            .clone()
            .unwrap_or_else(|| format!("[{kind}] {file_name}"));
        let stored = self.tx(access.scope(), async |c| {
            let now = Utc::now();
            // Checked again: the window may have closed while the file travelled.
            let conversation = sendable_conversation(c, conversation_id, now).await?;
            let payload = json!({ "caption": file.caption, "file_name": file_name, "mime_type": mime, "media_id": media_id });
            let draft = Outbound { kind, body: Some(&preview), payload: &payload, reply_to_wamid: None };
            let message = queue_outbound(c, access, &conversation, draft, now).await?;
            crate::agents::silence_bot(c, access.org_id, conversation_id, "a member of the team answered")
                .await?;
            diesel::insert_into(media::table)
                .values((
                    media::org_id.eq(access.org_id),
                    media::id.eq(media_id),
                    media::message_id.eq(message.id),
                    media::mime_type.eq(&mime),
                    media::file_name.eq(&file_name),
                    media::file_size.eq(size),
                    media::stored_at.eq(now),
                ))
                .execute(c)
                .await?;
            Ok(message)
        })
        .await;
        if stored.is_err() {
            remove_file_quietly(&path).await;
        }
        stored
    }

    /// Removes files in `org_id`'s media folder that no media row names and that are older
    /// than [`ORPHAN_GRACE`] (left by a crash between writing a file and committing its
    /// row). Returns how many went.
    pub async fn remove_orphaned_media(
        &self,
        org_id: Uuid,
        now: DateTime<Utc>,
    ) -> Result<usize, CommonError> {
        let Some(wa) = &self.whatsapp else {
            return Ok(0);
        };
        let dir = wa.media_dir.join(org_id.to_string());
        let mut entries = match tokio::fs::read_dir(&dir).await {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(CommonError::internal(e)),
        };
        let cutoff = std::time::SystemTime::from(now - ORPHAN_GRACE);
        let mut old = Vec::new();
        while let Some(entry) = entries.next_entry().await.map_err(CommonError::internal)? {
            let Some(id) = entry
                .file_name()
                .to_str()
                .and_then(|n| Uuid::parse_str(n).ok())
            else {
                continue;
            };
            let Ok(meta) = entry.metadata().await else {
                continue;
            };
            if meta.is_file() && meta.modified().is_ok_and(|m| m < cutoff) {
                old.push(id);
            }
        }
        let mut removed = 0;
        for batch in old.chunks(1000) {
            let known: Vec<Uuid> = self
                .tx(Scope::org(org_id), async |c| -> Result<_, CommonError> {
                    Ok(media::table
                        .filter(media::id.eq_any(batch))
                        .select(media::id)
                        .load(c)
                        .await?)
                })
                .await?;
            let orphans: Vec<Uuid> = batch
                .iter()
                .filter(|id| !known.contains(id))
                .copied()
                .collect();
            self.remove_media_files(org_id, &orphans).await;
            removed += orphans.len();
        }
        Ok(removed)
    }
}

/// The conversation, if a free-form message can go to it now: its number is connected and
/// its 24-hour window is open.
async fn sendable_conversation(
    c: &mut Conn,
    conversation_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Conversation> {
    let conversation = find_conversation(c, conversation_id).await?;
    let disconnected: Option<DateTime<Utc>> = phone_numbers::table
        .filter(phone_numbers::id.eq(conversation.phone_number_id))
        .select(phone_numbers::disconnected_at)
        .first(c)
        .await?;
    if disconnected.is_some() {
        return Err(WhatsAppError::NumberDisconnected);
    }
    if !conversation.window_open(now) {
        return Err(WhatsAppError::WindowClosed);
    }
    Ok(conversation)
}

async fn remove_file_quietly(path: &std::path::Path) {
    if let Err(e) = tokio::fs::remove_file(path).await
        && e.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(error = %e, "cannot remove a refused upload");
    }
}
