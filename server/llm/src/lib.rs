//! The LLM provider's OpenAI-compatible chat-completions API (DeepSeek), and an
//! OpenAI-compatible embeddings API.
//!
//! [`LlmClient`] sends a [`ChatRequest`] and returns a [`Completion`], whole
//! ([`LlmClient::complete`]) or as a [`DeltaStream`] of [`Delta`]s
//! ([`LlmClient::stream`]). It retries the provider's transient failures, bounds time and
//! size, and reports everything else as an [`LlmError`] that says whether retrying or the
//! account's owner can help. [`Prices`] turns [`Usage`] into micro-dollars.
//!
//! [`EmbeddingsClient`] turns texts into unit-length vectors ([`Embeddings`]) through an
//! OpenAI-compatible `/embeddings` endpoint (another provider's, or a self-hosted one: the
//! chat provider has none), with the same retries, bounds and errors.
//!
//! With the `fake` feature, [`fake::FakeLlm`] is a local server that speaks the provider's
//! wire format, scripted by tests, and [`fake::FakeEmbeddings`] a separate one that answers
//! `/embeddings` with deterministic word-count vectors.

mod assemble;
pub mod client;
pub mod cost;
pub mod embeddings;
pub mod error;
mod http;
mod sse;
pub mod types;

#[cfg(feature = "fake")]
pub mod fake;

pub use assemble::CompletionBuilder;
pub use client::{ApiKey, DeltaStream, LlmClient, LlmConfig};
pub use cost::Prices;
pub use embeddings::{Embeddings, EmbeddingsClient, EmbeddingsConfig};
pub use error::LlmError;
pub use types::*;
