import type { AiTurnOutcome } from '@/gql/graphql';

export const OUTCOME_LABELS: Record<AiTurnOutcome, string> = {
  ANSWERED: 'Answered',
  FALLBACK: 'Quoted (offline)',
  HANDOFF: 'Handed off',
  OUT_OF_HOURS: 'Out of hours',
  SILENCED: 'Silenced',
  FAILED: 'Failed',
};

export const OUTCOME_TONES = {
  ANSWERED: 'success',
  FALLBACK: 'neutral',
  HANDOFF: 'warning',
  OUT_OF_HOURS: 'neutral',
  SILENCED: 'neutral',
  FAILED: 'danger',
} as const satisfies Record<AiTurnOutcome, string>;

/** "Off", "On" or "Paused" (switched on but stopped by the provider). */
export function agentState(agent: { enabled: boolean; pausedReason?: string | null }): 'ON' | 'OFF' | 'PAUSED' {
  if (agent.enabled && agent.pausedReason) return 'PAUSED';
  return agent.enabled ? 'ON' : 'OFF';
}
