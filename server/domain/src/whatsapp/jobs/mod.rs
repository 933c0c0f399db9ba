//! The background jobs that talk to Meta, one file per kind: each file has the payload (a
//! [`wagent_jobs::BackgroundJob`]), its handler and the function that enqueues it.

mod download_media;
mod mark_read;
mod process_webhook;
mod refresh_number;
mod send_message;

pub(crate) use self::{
    download_media::DownloadMedia, mark_read::MarkRead, process_webhook::ProcessWebhook,
    refresh_number::RefreshNumber, send_message::SendMessage,
};
