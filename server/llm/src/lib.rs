//! The LLM provider's OpenAI-compatible chat-completions API (DeepSeek).
//!
//! [`LlmClient`] sends a [`ChatRequest`] and returns a [`Completion`], whole
//! ([`LlmClient::complete`]) or as a [`DeltaStream`] of [`Delta`]s
//! ([`LlmClient::stream`]). It retries the provider's transient failures, bounds time and
//! size, and reports everything else as an [`LlmError`] that says whether retrying or the
//! account's owner can help. [`Prices`] turns [`Usage`] into micro-dollars.
//!
//! With the `fake` feature, [`fake::FakeLlm`] is a local server that speaks the provider's
//! wire format, scripted by tests.

mod assemble;
pub mod client;
pub mod cost;
pub mod error;
mod sse;
pub mod types;

#[cfg(feature = "fake")]
pub mod fake;

pub use assemble::CompletionBuilder;
pub use client::{ApiKey, DeltaStream, LlmClient, LlmConfig};
pub use cost::Prices;
pub use error::LlmError;
pub use types::*;
