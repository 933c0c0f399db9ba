//! What goes to the provider (a [`ChatRequest`] of [`Message`]s and [`Tool`]s) and what
//! comes back (a [`Completion`], or [`Delta`]s while streaming).

use serde::{Deserialize, Serialize, Serializer, de::DeserializeOwned};
use serde_json::Value;

/// One chat-completions request. The stream flag is not here: [`complete`] sends
/// `"stream": false`, [`stream`] sends `"stream": true`.
///
/// [`complete`]: crate::LlmClient::complete
/// [`stream`]: crate::LlmClient::stream
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChatRequest {
    /// `None` uses the client's default model. Model names change (the provider retired
    /// two in 2026), so they come from settings, never from code.
    pub model: Option<String>,
    pub messages: Vec<Message>,
    /// Ignored by the provider with thinking on, so the client then leaves it out.
    pub temperature: Option<f32>,
    pub max_tokens: Option<u32>,
    pub tools: Vec<Tool>,
    pub tool_choice: Option<ToolChoice>,
    /// An opaque per-contact id that isolates end users for the provider's safety checks
    /// and cache. Never a phone number.
    pub user_id: Option<String>,
    /// Thinking is on by default at the provider; the client sends
    /// `"thinking": {"type": "disabled"}` unless this is true.
    pub thinking: bool,
    /// Asks for `{"type": "json_object"}` output; the prompt must mention "json".
    pub json_output: bool,
}

impl ChatRequest {
    /// A request for these messages with everything else at its default (thinking off).
    pub fn new(messages: Vec<Message>) -> Self {
        Self {
            messages,
            ..Self::default()
        }
    }

    pub fn model(mut self, model: impl Into<String>) -> Self {
        self.model = Some(model.into());
        self
    }

    pub fn temperature(mut self, temperature: f32) -> Self {
        self.temperature = Some(temperature);
        self
    }

    pub fn max_tokens(mut self, max_tokens: u32) -> Self {
        self.max_tokens = Some(max_tokens);
        self
    }

    pub fn tools(mut self, tools: Vec<Tool>) -> Self {
        self.tools = tools;
        self
    }

    pub fn tool_choice(mut self, choice: ToolChoice) -> Self {
        self.tool_choice = Some(choice);
        self
    }

    pub fn user_id(mut self, user_id: impl Into<String>) -> Self {
        self.user_id = Some(user_id.into());
        self
    }

    pub fn thinking(mut self, enabled: bool) -> Self {
        self.thinking = enabled;
        self
    }

    pub fn json_output(mut self, enabled: bool) -> Self {
        self.json_output = enabled;
        self
    }
}

/// One message of the conversation, in the provider's `messages` format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "lowercase")]
pub enum Message {
    System {
        content: String,
    },
    User {
        content: String,
    },
    Assistant {
        /// `null` on the wire when the turn only made tool calls.
        content: Option<String>,
        /// With thinking on, an assistant turn that made tool calls must carry its
        /// reasoning in every later request, or the provider answers 400.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reasoning_content: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        tool_calls: Vec<ToolCall>,
    },
    Tool {
        /// The [`ToolCall::id`] this message answers.
        tool_call_id: String,
        content: String,
    },
}

impl Message {
    pub fn system(content: impl Into<String>) -> Self {
        Message::System {
            content: content.into(),
        }
    }

    pub fn user(content: impl Into<String>) -> Self {
        Message::User {
            content: content.into(),
        }
    }

    /// An assistant turn with text only.
    pub fn assistant(content: impl Into<String>) -> Self {
        Message::Assistant {
            content: Some(content.into()),
            reasoning_content: None,
            tool_calls: Vec::new(),
        }
    }

    /// The result of a tool call, sent back for the model's next turn.
    pub fn tool(tool_call_id: impl Into<String>, content: impl Into<String>) -> Self {
        Message::Tool {
            tool_call_id: tool_call_id.into(),
            content: content.into(),
        }
    }
}

/// A function the model may call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    /// Always `"function"`.
    #[serde(rename = "type")]
    pub kind: String,
    pub function: FunctionDefinition,
}

impl Tool {
    /// A function tool; `parameters` is a JSON schema of its arguments object.
    pub fn function(
        name: impl Into<String>,
        description: impl Into<String>,
        parameters: Value,
    ) -> Self {
        Tool {
            kind: "function".into(),
            function: FunctionDefinition {
                name: name.into(),
                description: Some(description.into()),
                parameters,
            },
        }
    }
}

/// A function's name, what it is for, and the JSON schema of its arguments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionDefinition {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub parameters: Value,
}

/// Whether and which tool the model must call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToolChoice {
    /// The model decides (the provider's default when tools are given).
    Auto,
    /// No tool calls.
    None,
    /// At least one tool call.
    Required,
    /// This function, by name.
    Function(String),
}

impl Serialize for ToolChoice {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ToolChoice::Auto => serializer.serialize_str("auto"),
            ToolChoice::None => serializer.serialize_str("none"),
            ToolChoice::Required => serializer.serialize_str("required"),
            ToolChoice::Function(name) => serde_json::json!({
                "type": "function",
                "function": { "name": name },
            })
            .serialize(serializer),
        }
    }
}

/// A call the model asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolCall {
    pub id: String,
    /// Always `"function"`.
    #[serde(rename = "type", default = "function_kind")]
    pub kind: String,
    pub function: FunctionCall,
}

fn function_kind() -> String {
    "function".into()
}

impl ToolCall {
    pub fn new(
        id: impl Into<String>,
        name: impl Into<String>,
        arguments: impl Into<String>,
    ) -> Self {
        ToolCall {
            id: id.into(),
            kind: function_kind(),
            function: FunctionCall {
                name: name.into(),
                arguments: arguments.into(),
            },
        }
    }

    /// The arguments decoded. The model writes them, so they may not match the schema.
    pub fn parse_arguments<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.function.arguments)
    }
}

/// The function's name and its arguments as the JSON text the model wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunctionCall {
    pub name: String,
    pub arguments: String,
}

/// Why the model stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FinishReason {
    /// A natural end.
    Stop,
    /// `max_tokens` (or the context) ran out: the answer is cut short.
    Length,
    /// The model wants tool results before it goes on.
    ToolCalls,
    ContentFilter,
    /// The provider ran short of resources and stopped early (DeepSeek's
    /// `insufficient_system_resource`).
    InsufficientSystemResource,
    /// A reason this client does not know.
    Other(String),
}

impl FinishReason {
    pub(crate) fn parse(reason: &str) -> Self {
        match reason {
            "stop" => FinishReason::Stop,
            "length" => FinishReason::Length,
            "tool_calls" => FinishReason::ToolCalls,
            "content_filter" => FinishReason::ContentFilter,
            "insufficient_system_resource" => FinishReason::InsufficientSystemResource,
            other => FinishReason::Other(other.to_owned()),
        }
    }

    /// The provider's word for it.
    pub fn as_str(&self) -> &str {
        match self {
            FinishReason::Stop => "stop",
            FinishReason::Length => "length",
            FinishReason::ToolCalls => "tool_calls",
            FinishReason::ContentFilter => "content_filter",
            FinishReason::InsufficientSystemResource => "insufficient_system_resource",
            FinishReason::Other(other) => other,
        }
    }
}

/// Token counts of one completion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Usage {
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub total_tokens: u64,
    /// Prompt tokens served from the provider's context cache (far cheaper), when reported.
    pub prompt_cache_hit_tokens: Option<u64>,
    /// Prompt tokens not in the cache, when reported.
    pub prompt_cache_miss_tokens: Option<u64>,
    /// Completion tokens spent thinking, when reported.
    pub reasoning_tokens: Option<u64>,
}

/// The wire shape of `usage`, whose reasoning count sits one level down.
#[derive(Debug, Deserialize)]
pub(crate) struct WireUsage {
    #[serde(default)]
    prompt_tokens: u64,
    #[serde(default)]
    completion_tokens: u64,
    #[serde(default)]
    total_tokens: u64,
    #[serde(default)]
    prompt_cache_hit_tokens: Option<u64>,
    #[serde(default)]
    prompt_cache_miss_tokens: Option<u64>,
    #[serde(default)]
    completion_tokens_details: Option<CompletionTokensDetails>,
}

#[derive(Debug, Deserialize)]
struct CompletionTokensDetails {
    #[serde(default)]
    reasoning_tokens: Option<u64>,
}

impl From<WireUsage> for Usage {
    fn from(wire: WireUsage) -> Self {
        Usage {
            prompt_tokens: wire.prompt_tokens,
            completion_tokens: wire.completion_tokens,
            total_tokens: wire.total_tokens,
            prompt_cache_hit_tokens: wire.prompt_cache_hit_tokens,
            prompt_cache_miss_tokens: wire.prompt_cache_miss_tokens,
            reasoning_tokens: wire
                .completion_tokens_details
                .and_then(|d| d.reasoning_tokens),
        }
    }
}

/// A finished answer, from [`complete`](crate::LlmClient::complete) or assembled from a
/// stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// The model that answered, as the provider names it.
    pub model: String,
    /// The text answer; empty when the model only made tool calls.
    pub content: String,
    /// The model's thinking, when thinking was on.
    pub reasoning_content: Option<String>,
    pub tool_calls: Vec<ToolCall>,
    pub finish_reason: FinishReason,
    pub usage: Option<Usage>,
}

impl Completion {
    /// This answer as an assistant turn to send back in the next request, reasoning and
    /// tool calls included (with thinking on, the provider insists on both).
    pub fn to_message(&self) -> Message {
        Message::Assistant {
            content: (!self.content.is_empty()).then(|| self.content.clone()),
            reasoning_content: self.reasoning_content.clone(),
            tool_calls: self.tool_calls.clone(),
        }
    }
}

/// One piece of a streamed answer: one `chat.completion.chunk`'s `choices[0].delta`, with
/// its finish reason and usage when the chunk carries them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Delta {
    /// More of the text answer.
    pub content: Option<String>,
    /// More of the model's thinking.
    pub reasoning_content: Option<String>,
    /// Pieces of tool calls: the first piece of a call has its id and name, later pieces
    /// add to its arguments; [`index`](ToolCallDelta::index) says which call.
    pub tool_calls: Vec<ToolCallDelta>,
    pub finish_reason: Option<FinishReason>,
    pub usage: Option<Usage>,
}

impl Delta {
    pub(crate) fn is_empty(&self) -> bool {
        self.content.is_none()
            && self.reasoning_content.is_none()
            && self.tool_calls.is_empty()
            && self.finish_reason.is_none()
            && self.usage.is_none()
    }
}

/// A piece of one tool call in a stream.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ToolCallDelta {
    /// Which call of the answer this piece belongs to.
    pub index: usize,
    pub id: Option<String>,
    /// A piece of the function's name (usually all of it, in the call's first piece).
    pub name: Option<String>,
    /// A piece of the arguments' JSON text.
    pub arguments: Option<String>,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn messages_serialize_in_the_provider_format() {
        let call = ToolCall::new("call_1", "lookup", r#"{"q":"x"}"#);
        let messages = vec![
            Message::system("rules"),
            Message::user("hi"),
            Message::Assistant {
                content: None,
                reasoning_content: Some("think".into()),
                tool_calls: vec![call],
            },
            Message::tool("call_1", "result"),
            Message::assistant("done"),
        ];
        assert_eq!(
            serde_json::to_value(&messages).unwrap(),
            json!([
                {"role": "system", "content": "rules"},
                {"role": "user", "content": "hi"},
                {"role": "assistant", "content": null, "reasoning_content": "think",
                 "tool_calls": [{"id": "call_1", "type": "function",
                                 "function": {"name": "lookup", "arguments": "{\"q\":\"x\"}"}}]},
                {"role": "tool", "tool_call_id": "call_1", "content": "result"},
                {"role": "assistant", "content": "done"},
            ])
        );
    }

    #[test]
    fn tool_choice_serializes_as_string_or_object() {
        assert_eq!(
            serde_json::to_value(ToolChoice::Auto).unwrap(),
            json!("auto")
        );
        assert_eq!(
            serde_json::to_value(ToolChoice::Function("f".into())).unwrap(),
            json!({"type": "function", "function": {"name": "f"}})
        );
    }

    #[test]
    fn usage_reads_cache_and_reasoning_counts() {
        let wire: WireUsage = serde_json::from_value(json!({
            "prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15,
            "prompt_cache_hit_tokens": 8, "prompt_cache_miss_tokens": 2,
            "completion_tokens_details": {"reasoning_tokens": 3}
        }))
        .unwrap();
        let usage = Usage::from(wire);
        assert_eq!(usage.prompt_cache_hit_tokens, Some(8));
        assert_eq!(usage.reasoning_tokens, Some(3));
        let bare: WireUsage = serde_json::from_value(json!({"prompt_tokens": 1})).unwrap();
        assert_eq!(Usage::from(bare).prompt_cache_hit_tokens, None);
    }
}
