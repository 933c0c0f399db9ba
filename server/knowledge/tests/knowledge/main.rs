#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Documents as businesses upload them, read and chunked the way the knowledge base does.

mod chunking;
mod detection;
mod docx;
mod hostile;
mod html;
mod pdf;
mod support;
mod text;
