import { describe, expect, it } from 'vitest';

import { historyOf } from '@/features/agents/utils/playground';

describe('historyOf', () => {
  it('replays questions and answers in order, skipping answers without words', () => {
    expect(
      historyOf([
        { id: 1, question: 'Do you ship to Porto?', reply: { text: 'Yes, in one day.' } },
        { id: 2, question: 'I want a person', reply: { text: null } },
      ]),
    ).toEqual([
      { speaker: 'CUSTOMER', text: 'Do you ship to Porto?' },
      { speaker: 'BOT', text: 'Yes, in one day.' },
      { speaker: 'CUSTOMER', text: 'I want a person' },
    ]);
    expect(historyOf([])).toEqual([]);
  });
});
