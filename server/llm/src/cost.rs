//! What a completion cost, from its [`Usage`] and the prices in force.
//!
//! Prices come from configuration per model: the provider changes them and the names of its
//! models, so nothing here knows a model.

use serde::{Deserialize, Serialize};

use crate::Usage;

const MILLION: u128 = 1_000_000;

/// Prices per million tokens, in micro-dollars (US$ 0.07 per million is `70_000`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Prices {
    /// Prompt tokens served from the provider's context cache.
    pub input_cache_hit: u64,
    /// Prompt tokens not in the cache.
    pub input_cache_miss: u64,
    pub output: u64,
}

impl Prices {
    /// The cost of one completion in micro-dollars, rounded up so that budgets are never
    /// under-counted.
    ///
    /// When the provider does not report cache hits, every prompt token counts as a miss.
    pub fn cost_micros(&self, usage: &Usage) -> u64 {
        let hit = usage
            .prompt_cache_hit_tokens
            .unwrap_or(0)
            .min(usage.prompt_tokens);
        let miss = usage
            .prompt_cache_miss_tokens
            .unwrap_or(usage.prompt_tokens - hit);
        let total = u128::from(hit) * u128::from(self.input_cache_hit)
            + u128::from(miss) * u128::from(self.input_cache_miss)
            + u128::from(usage.completion_tokens) * u128::from(self.output);
        u64::try_from(total.div_ceil(MILLION)).unwrap_or(u64::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRICES: Prices = Prices {
        input_cache_hit: 70_000,
        input_cache_miss: 270_000,
        output: 1_100_000,
    };

    #[test]
    fn cache_hits_cost_less() {
        let usage = Usage {
            prompt_tokens: 1_000_000,
            completion_tokens: 1_000_000,
            total_tokens: 2_000_000,
            prompt_cache_hit_tokens: Some(600_000),
            prompt_cache_miss_tokens: Some(400_000),
            reasoning_tokens: None,
        };
        assert_eq!(PRICES.cost_micros(&usage), 42_000 + 108_000 + 1_100_000);
    }

    #[test]
    fn without_cache_counts_every_prompt_token_misses_and_rounds_up() {
        let usage = Usage {
            prompt_tokens: 10,
            completion_tokens: 1,
            total_tokens: 11,
            ..Usage::default()
        };
        // 10 × 0.27 + 1 × 1.1 = 3.8 micro-dollars.
        assert_eq!(PRICES.cost_micros(&usage), 4);
        assert_eq!(PRICES.cost_micros(&Usage::default()), 0);
    }
}
