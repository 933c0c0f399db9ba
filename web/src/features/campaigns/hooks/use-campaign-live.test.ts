import { describe, expect, it } from 'vitest';

import { isCurrent } from '@/features/campaigns/hooks/use-campaign-live';
import type { CampaignPartsFragment } from '@/gql/graphql';

function snapshot(status: string, updatedAt: string): CampaignPartsFragment {
  return { status, updatedAt } as unknown as CampaignPartsFragment;
}

describe('isCurrent', () => {
  const paused = snapshot('PAUSED', '2026-12-01T10:00:05.250Z');

  it('drops a live event read before the pause it arrives after', () => {
    expect(isCurrent(snapshot('RUNNING', '2026-12-01T10:00:00.100Z'), paused)).toBe(false);
  });

  it('takes newer counters of the same status and later changes', () => {
    expect(isCurrent(snapshot('PAUSED', '2026-12-01T10:00:05.250Z'), paused)).toBe(true);
    expect(isCurrent(snapshot('RUNNING', '2026-12-01T10:00:09.000Z'), paused)).toBe(true);
    expect(isCurrent(paused, null)).toBe(true);
  });
});
