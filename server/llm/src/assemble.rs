//! From `chat.completion.chunk` objects to [`Delta`]s, and from deltas to a [`Completion`].

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::{
    Completion, Delta, FinishReason, LlmError, ToolCall, ToolCallDelta, Usage, types::WireUsage,
};

/// One streamed chunk, as much of it as the client reads.
#[derive(Debug, Deserialize)]
struct WireChunk {
    #[serde(default)]
    model: Option<String>,
    #[serde(default)]
    choices: Vec<WireChunkChoice>,
    #[serde(default)]
    usage: Option<WireUsage>,
    /// OpenAI-compatible servers report a failure after the stream began this way.
    #[serde(default)]
    error: Option<WireErrorDetail>,
}

#[derive(Debug, Deserialize)]
struct WireChunkChoice {
    #[serde(default)]
    index: usize,
    #[serde(default)]
    delta: Option<WireDelta>,
    #[serde(default)]
    finish_reason: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct WireDelta {
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    reasoning_content: Option<String>,
    #[serde(default)]
    tool_calls: Option<Vec<WireToolCallDelta>>,
}

#[derive(Debug, Deserialize)]
struct WireToolCallDelta {
    #[serde(default)]
    index: usize,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    function: Option<WireFunctionDelta>,
}

#[derive(Debug, Deserialize)]
struct WireFunctionDelta {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    arguments: Option<String>,
}

/// `{"error": {"message": ...}}`, the provider's error body.
#[derive(Debug, Deserialize)]
pub(crate) struct WireError {
    pub(crate) error: WireErrorDetail,
}

#[derive(Debug, Deserialize)]
pub(crate) struct WireErrorDetail {
    #[serde(default)]
    pub(crate) message: Option<String>,
}

/// One chunk's data: its model name (when given) and its delta (`None` when it says
/// nothing, like the role-only first chunk).
pub(crate) fn parse_chunk(data: &str) -> Result<(Option<String>, Option<Delta>), LlmError> {
    let chunk: WireChunk = serde_json::from_str(data)
        .map_err(|e| LlmError::Decode(format!("a stream chunk is not a completion chunk: {e}")))?;
    if let Some(error) = chunk.error {
        return Err(LlmError::Interrupted(
            error.message.unwrap_or_else(|| "no message".into()),
        ));
    }
    // One answer is asked for (no `n`), so only choice 0 matters.
    let choice = chunk.choices.into_iter().find(|c| c.index == 0);
    let (delta, finish_reason) = match choice {
        Some(choice) => (choice.delta.unwrap_or_default(), choice.finish_reason),
        None => (WireDelta::default(), None),
    };
    let delta = Delta {
        content: delta.content.filter(|c| !c.is_empty()),
        reasoning_content: delta.reasoning_content.filter(|c| !c.is_empty()),
        tool_calls: delta
            .tool_calls
            .unwrap_or_default()
            .into_iter()
            .map(|call| {
                let (name, arguments) = match call.function {
                    Some(f) => (f.name, f.arguments),
                    None => (None, None),
                };
                ToolCallDelta {
                    index: call.index,
                    id: call.id.filter(|id| !id.is_empty()),
                    name: name.filter(|n| !n.is_empty()),
                    arguments: arguments.filter(|a| !a.is_empty()),
                }
            })
            .collect(),
        finish_reason: finish_reason.as_deref().map(FinishReason::parse),
        usage: chunk.usage.map(Usage::from),
    };
    Ok((chunk.model, (!delta.is_empty()).then_some(delta)))
}

/// Puts a streamed answer back together: text and reasoning appended, tool calls assembled
/// by index from their pieces, the last finish reason and usage kept.
///
/// [`DeltaStream::finish`](crate::DeltaStream::finish) uses it; callers that consume the
/// stream themselves (to forward text as it arrives) can too.
#[derive(Debug, Default, Clone)]
pub struct CompletionBuilder {
    model: String,
    content: String,
    reasoning_content: String,
    tool_calls: BTreeMap<usize, PartialCall>,
    finish_reason: Option<FinishReason>,
    usage: Option<Usage>,
}

#[derive(Debug, Default, Clone)]
struct PartialCall {
    id: String,
    name: String,
    arguments: String,
}

impl CompletionBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the model name to report (streams name it in every chunk).
    pub fn model(&mut self, model: &str) {
        model.clone_into(&mut self.model);
    }

    /// Adds one delta.
    pub fn push(&mut self, delta: &Delta) {
        if let Some(content) = &delta.content {
            self.content.push_str(content);
        }
        if let Some(reasoning) = &delta.reasoning_content {
            self.reasoning_content.push_str(reasoning);
        }
        for piece in &delta.tool_calls {
            let call = self.tool_calls.entry(piece.index).or_default();
            if let Some(id) = &piece.id {
                id.clone_into(&mut call.id);
            }
            if let Some(name) = &piece.name {
                call.name.push_str(name);
            }
            if let Some(arguments) = &piece.arguments {
                call.arguments.push_str(arguments);
            }
        }
        if let Some(reason) = &delta.finish_reason {
            self.finish_reason = Some(reason.clone());
        }
        if let Some(usage) = delta.usage {
            self.usage = Some(usage);
        }
    }

    /// True once a finish reason arrived: the answer is whole even if `[DONE]` is missing.
    pub fn is_finished(&self) -> bool {
        self.finish_reason.is_some()
    }

    /// The completion, or [`LlmError::EmptyAnswer`] when it has neither text nor tool calls.
    pub fn finish(self) -> Result<Completion, LlmError> {
        let completion = Completion {
            model: self.model,
            content: self.content,
            reasoning_content: (!self.reasoning_content.is_empty())
                .then_some(self.reasoning_content),
            tool_calls: self
                .tool_calls
                .into_values()
                .map(|call| ToolCall::new(call.id, call.name, call.arguments))
                .collect(),
            finish_reason: self
                .finish_reason
                .unwrap_or_else(|| FinishReason::Other(String::new())),
            usage: self.usage,
        };
        check_not_empty(completion)
    }
}

/// Blank content with no tool calls is the provider's way of failing (in JSON mode).
pub(crate) fn check_not_empty(completion: Completion) -> Result<Completion, LlmError> {
    if completion.content.trim().is_empty() && completion.tool_calls.is_empty() {
        return Err(LlmError::EmptyAnswer);
    }
    Ok(completion)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn chunk(delta: serde_json::Value, finish: Option<&str>) -> String {
        json!({
            "id": "x", "object": "chat.completion.chunk", "model": "m",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": null}]
        })
        .to_string()
    }

    #[test]
    fn tool_calls_are_assembled_from_pieces_by_index() {
        let chunks = [
            chunk(json!({"role": "assistant", "content": ""}), None),
            chunk(
                json!({"tool_calls": [{"index": 0, "id": "call_a", "type": "function",
                                         "function": {"name": "look", "arguments": ""}}]}),
                None,
            ),
            chunk(
                json!({"tool_calls": [{"index": 0, "function": {"name": "up"}}]}),
                None,
            ),
            chunk(
                json!({"tool_calls": [{"index": 1, "id": "call_b", "type": "function",
                                         "function": {"name": "handoff", "arguments": "{}"}}]}),
                None,
            ),
            chunk(
                json!({"tool_calls": [{"index": 0, "function": {"arguments": "{\"q\":"}}]}),
                None,
            ),
            chunk(
                json!({"tool_calls": [{"index": 0, "function": {"arguments": "\"hi\"}"}}]}),
                None,
            ),
            chunk(json!({}), Some("tool_calls")),
        ];
        let mut builder = CompletionBuilder::new();
        let mut deltas = 0;
        for data in &chunks {
            let (model, delta) = parse_chunk(data).unwrap();
            builder.model(&model.unwrap());
            if let Some(delta) = delta {
                builder.push(&delta);
                deltas += 1;
            }
        }
        assert_eq!(deltas, 6, "the role-only chunk says nothing");
        let completion = builder.finish().unwrap();
        assert_eq!(completion.finish_reason, FinishReason::ToolCalls);
        assert_eq!(
            completion.tool_calls,
            vec![
                ToolCall::new("call_a", "lookup", r#"{"q":"hi"}"#),
                ToolCall::new("call_b", "handoff", "{}"),
            ]
        );
    }

    #[test]
    fn usage_may_come_in_a_chunk_without_choices() {
        let (_, delta) = parse_chunk(
            &json!({"choices": [], "usage": {"prompt_tokens": 3, "completion_tokens": 1,
                                               "total_tokens": 4}})
            .to_string(),
        )
        .unwrap();
        assert_eq!(delta.unwrap().usage.unwrap().total_tokens, 4);
    }

    #[test]
    fn an_error_chunk_interrupts() {
        let result = parse_chunk(r#"{"error": {"message": "overloaded"}}"#);
        assert_eq!(result, Err(LlmError::Interrupted("overloaded".into())));
    }

    #[test]
    fn blank_answers_are_empty() {
        let mut builder = CompletionBuilder::new();
        builder.push(&Delta {
            content: Some("  \n".into()),
            finish_reason: Some(FinishReason::Stop),
            ..Delta::default()
        });
        assert_eq!(builder.finish(), Err(LlmError::EmptyAnswer));
    }
}
