//! The embeddings client: `POST {base}/embeddings` of an OpenAI-compatible API, in batches,
//! with the chat client's retries and bounds, returning unit-length vectors.
//!
//! DeepSeek has no embeddings endpoint, so this client usually points at another provider
//! or a self-hosted server; its errors still say "the LLM provider".

use std::{sync::Arc, time::Duration};

use reqwest::header;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::{
    ApiKey, LlmError,
    http::{self, Failure, RetryPolicy, read_limited, transport_error},
};

/// Where the embeddings endpoint is, which key and model to use, and how long, how often
/// and how much to send at once.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbeddingsConfig {
    /// The API's base, `https://api.openai.com/v1` say; the client posts to
    /// `{base_url}/embeddings`. Empty switches embeddings off: calls fail with
    /// [`LlmError::NotConfigured`] without sending anything.
    pub base_url: String,
    /// Sent as `Authorization: Bearer ...` when present and not empty. Self-hosted servers
    /// often need none, so a missing key does not switch embeddings off.
    pub api_key: Option<ApiKey>,
    /// Vectors of different models cannot be compared, so changing it means embedding
    /// everything again.
    pub model: String,
    /// A whole attempt at one batch, reading the answer included.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Retries of a batch after its first attempt on 429, 5xx, timeouts and transport
    /// errors.
    pub max_retries: u32,
    /// The first retry waits about this long, doubling each time (with jitter).
    pub retry_base_delay: Duration,
    /// The longest wait between attempts, `Retry-After` included.
    pub max_retry_delay: Duration,
    /// The largest answer to one batch.
    pub max_response_bytes: usize,
    /// The most inputs in one request; providers cap it (OpenAI at 2048), and smaller
    /// batches keep each answer well under `max_response_bytes`.
    pub batch_size: usize,
}

impl EmbeddingsConfig {
    /// This endpoint, key and model, with the defaults for the rest: 30 s an attempt,
    /// 3 retries, 64 inputs a request, 64 MiB an answer.
    pub fn new(
        base_url: impl Into<String>,
        api_key: Option<ApiKey>,
        model: impl Into<String>,
    ) -> Self {
        Self {
            base_url: base_url.into(),
            api_key,
            model: model.into(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_retries: 3,
            retry_base_delay: Duration::from_millis(500),
            max_retry_delay: Duration::from_secs(30),
            max_response_bytes: 64 * 1024 * 1024,
            batch_size: 64,
        }
    }
}

/// The embeddings of some inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Embeddings {
    /// One vector per input, in the inputs' order, each of length 1 (or all zeros, when
    /// the provider answered zeros), so that a dot product is the cosine similarity.
    pub vectors: Vec<Vec<f32>>,
    /// Summed over the batches; 0 when the provider does not report usage.
    pub prompt_tokens: u64,
    /// The model that answered, as the provider names it (or the configured one, when it
    /// does not say).
    pub model: String,
}

/// A client for an OpenAI-compatible embeddings API. Cheap to clone; share one per process.
#[derive(Debug, Clone)]
pub struct EmbeddingsClient {
    http: reqwest::Client,
    /// `None` when no base URL is configured.
    endpoint: Option<Url>,
    config: Arc<EmbeddingsConfig>,
}

impl EmbeddingsClient {
    /// Fails with [`LlmError::Config`] for a base URL that is not an http(s) URL or a batch
    /// size of 0; an empty base URL gives a client that is not configured.
    pub fn new(config: EmbeddingsConfig) -> Result<Self, LlmError> {
        if config.batch_size == 0 {
            return Err(LlmError::Config(
                "the embeddings batch size must be at least 1".into(),
            ));
        }
        let endpoint = if config.base_url.trim().is_empty() {
            None
        } else {
            Some(http::endpoint(&config.base_url, "embeddings")?)
        };
        let http = http::http_client(config.connect_timeout)?;
        Ok(Self {
            http,
            endpoint,
            config: Arc::new(config),
        })
    }

    /// False when no base URL is configured: embeddings are off and callers should fall
    /// back (to keyword search, say) instead of calling.
    pub fn is_configured(&self) -> bool {
        self.endpoint.is_some()
    }

    /// The model every request names.
    pub fn model(&self) -> &str {
        &self.config.model
    }

    /// Embeds `inputs`, `batch_size` of them a request, one request after another.
    ///
    /// Each batch is retried on 429, 5xx, timeouts and transport errors with backoff;
    /// an answer with the wrong number of vectors, an empty vector, vectors of different
    /// lengths or a value that is not a finite number fails with [`LlmError::Decode`].
    /// No inputs means no request and no vectors.
    pub async fn embed(&self, inputs: &[String]) -> Result<Embeddings, LlmError> {
        let endpoint = self.endpoint.as_ref().ok_or(LlmError::NotConfigured)?;
        let mut embeddings = Embeddings {
            vectors: Vec::with_capacity(inputs.len()),
            prompt_tokens: 0,
            model: String::new(),
        };
        let retries = RetryPolicy {
            max_retries: self.config.max_retries,
            base_delay: self.config.retry_base_delay,
            max_delay: self.config.max_retry_delay,
        };
        for (number, batch) in inputs.chunks(self.config.batch_size).enumerate() {
            let first = number * self.config.batch_size;
            let body = WireRequest {
                model: &self.config.model,
                input: batch,
                encoding_format: "float",
            };
            let answer = retries
                .run(|| self.embed_once(endpoint, &body, first))
                .await?;
            if let (Some(seen), Some(vector)) = (embeddings.vectors.first(), answer.vectors.first())
                && seen.len() != vector.len()
            {
                return Err(LlmError::Decode(format!(
                    "the embeddings from input {first} on have {} dimensions, the earlier ones {}",
                    vector.len(),
                    seen.len()
                )));
            }
            embeddings.vectors.extend(answer.vectors);
            embeddings.prompt_tokens += answer.prompt_tokens;
            if embeddings.model.is_empty() {
                embeddings.model = answer.model;
            }
        }
        if embeddings.model.is_empty() {
            embeddings.model.clone_from(&self.config.model);
        }
        Ok(embeddings)
    }

    /// One attempt at one batch whose first input is `inputs[first]`.
    async fn embed_once(
        &self,
        endpoint: &Url,
        body: &WireRequest<'_>,
        first: usize,
    ) -> Result<Embeddings, Failure> {
        let key = self
            .config
            .api_key
            .as_ref()
            .filter(|key| !key.expose().is_empty());
        let attempt = async {
            let mut request = self
                .http
                .post(endpoint.clone())
                .header(header::ACCEPT, "application/json")
                .json(body);
            if let Some(key) = key {
                request = request.bearer_auth(key.expose());
            }
            let mut response = request.send().await.map_err(|e| transport_error(&e))?;
            if !response.status().is_success() {
                return Err(http::error_response(response, key).await);
            }
            let bytes = read_limited(&mut response, self.config.max_response_bytes).await?;
            let wire: WireEmbeddings = serde_json::from_slice(&bytes).map_err(|e| {
                LlmError::Decode(format!("the answer is not a list of embeddings: {e}"))
            })?;
            Ok(wire.into_embeddings(body.input.len(), first)?)
        };
        tokio::time::timeout(self.config.timeout, attempt)
            .await
            .map_err(|_| LlmError::Timeout)?
    }
}

/// The request body on the wire.
#[derive(Debug, Serialize)]
struct WireRequest<'a> {
    model: &'a str,
    input: &'a [String],
    /// Some servers answer base64 unless asked for floats.
    encoding_format: &'static str,
}

/// A `list` of `embedding` objects.
#[derive(Debug, Deserialize)]
struct WireEmbeddings {
    #[serde(default)]
    data: Vec<WireEmbedding>,
    #[serde(default)]
    model: String,
    #[serde(default)]
    usage: Option<WireUsage>,
}

#[derive(Debug, Deserialize)]
struct WireEmbedding {
    index: usize,
    embedding: Vec<f32>,
}

#[derive(Debug, Deserialize)]
struct WireUsage {
    #[serde(default)]
    prompt_tokens: u64,
}

impl WireEmbeddings {
    /// The vectors of a batch of `count` inputs whose first is `inputs[first]`, checked,
    /// in the inputs' order (the provider may answer in any order), and normalised.
    fn into_embeddings(self, count: usize, first: usize) -> Result<Embeddings, LlmError> {
        if self.data.len() != count {
            return Err(LlmError::Decode(format!(
                "the answer has {} embeddings for {count} inputs",
                self.data.len()
            )));
        }
        let mut slots: Vec<Option<Vec<f32>>> = vec![None; count];
        for item in self.data {
            let slot = slots.get_mut(item.index).ok_or_else(|| {
                LlmError::Decode(format!(
                    "an embedding has index {}, beyond the {count} inputs",
                    item.index
                ))
            })?;
            if slot.is_some() {
                return Err(LlmError::Decode(format!(
                    "two embeddings have index {}",
                    item.index
                )));
            }
            *slot = Some(item.embedding);
        }
        let mut vectors = Vec::with_capacity(count);
        for (index, vector) in slots.into_iter().enumerate() {
            let input = first + index;
            // Unreachable with as many distinct indexes as inputs, but cheap to check.
            let mut vector = vector.ok_or_else(|| {
                LlmError::Decode(format!("the answer has no embedding for input {input}"))
            })?;
            if vector.is_empty() {
                return Err(LlmError::Decode(format!(
                    "the embedding of input {input} is empty"
                )));
            }
            if let Some(previous) = vectors.first().map(Vec::len)
                && previous != vector.len()
            {
                return Err(LlmError::Decode(format!(
                    "the embedding of input {input} has {} dimensions, the others {previous}",
                    vector.len()
                )));
            }
            // JSON has no NaN, but a number beyond f32's range reads as infinity.
            if vector.iter().any(|x| !x.is_finite()) {
                return Err(LlmError::Decode(format!(
                    "the embedding of input {input} has a value that is not a finite number"
                )));
            }
            normalise(&mut vector);
            vectors.push(vector);
        }
        Ok(Embeddings {
            vectors,
            prompt_tokens: self.usage.map_or(0, |u| u.prompt_tokens),
            model: self.model,
        })
    }
}

/// Scales `vector` to length 1 so that a dot product is the cosine. All zeros stay zeros:
/// such a vector is similar to nothing. The sum runs in f64, where squares of large f32s
/// cannot overflow.
fn normalise(vector: &mut [f32]) {
    let norm = vector
        .iter()
        .map(|&x| f64::from(x) * f64::from(x))
        .sum::<f64>()
        .sqrt();
    if norm > 0.0 {
        for x in vector {
            *x = (f64::from(*x) / norm) as f32;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wire(data: &[(usize, &[f32])]) -> WireEmbeddings {
        WireEmbeddings {
            data: data
                .iter()
                .map(|(index, embedding)| WireEmbedding {
                    index: *index,
                    embedding: embedding.to_vec(),
                })
                .collect(),
            model: "m".into(),
            usage: None,
        }
    }

    #[test]
    fn vectors_come_back_in_the_inputs_order_and_normalised() {
        let embeddings = wire(&[(1, &[0.0, 2.0]), (0, &[3.0, 4.0])])
            .into_embeddings(2, 0)
            .unwrap();
        assert_eq!(embeddings.vectors, vec![vec![0.6, 0.8], vec![0.0, 1.0]]);
    }

    #[test]
    fn a_zero_vector_stays_zero() {
        let mut zero = vec![0.0_f32; 3];
        normalise(&mut zero);
        assert_eq!(zero, vec![0.0; 3]);
    }

    #[test]
    fn indexes_must_cover_the_inputs_once() {
        for (data, expected) in [
            (
                wire(&[(0, &[1.0]), (0, &[1.0])]),
                "two embeddings have index 0",
            ),
            (
                wire(&[(0, &[1.0]), (2, &[1.0])]),
                "an embedding has index 2, beyond the 2 inputs",
            ),
            (
                wire(&[(0, &[1.0]), (1, &[1.0, 2.0])]),
                "the embedding of input 11 has 2 dimensions, the others 1",
            ),
            (
                wire(&[(0, &[1.0]), (1, &[])]),
                "the embedding of input 11 is empty",
            ),
            (
                wire(&[(0, &[1.0]), (1, &[f32::INFINITY])]),
                "the embedding of input 11 has a value that is not a finite number",
            ),
        ] {
            assert_eq!(
                data.into_embeddings(2, 10),
                Err(LlmError::Decode(expected.into()))
            );
        }
    }
}
