import { describe, expect, it } from 'vitest';

import {
  expandShortcuts,
  insertCannedResponse,
  matchCannedResponses,
  shortcutQueryAt,
} from '@/features/inbox/utils/canned';

const responses = [
  { id: '1', shortcut: 'hours', body: 'We are open 9–18, Monday to Friday.' },
  { id: '2', shortcut: '/hello', body: 'Hello! How can we help?' },
  { id: '3', shortcut: 'hold', body: 'One moment, please.' },
];

describe('shortcutQueryAt', () => {
  it('finds the /word being typed before the caret', () => {
    expect(shortcutQueryAt('/ho', 3)).toEqual({ query: 'ho', start: 0, end: 3 });
    expect(shortcutQueryAt('Thanks! /Hel', 12)).toEqual({ query: 'hel', start: 8, end: 12 });
    expect(shortcutQueryAt('/', 1)).toEqual({ query: '', start: 0, end: 1 });
  });

  it('ignores slashes inside words and links', () => {
    expect(shortcutQueryAt('and/or', 6)).toBeNull();
    expect(shortcutQueryAt('see https://x.io/help', 21)).toBeNull();
    expect(shortcutQueryAt('/hours now', 10)).toBeNull();
  });
});

describe('canned responses', () => {
  it('match by prefix, with or without a stored slash, exact first', () => {
    expect(matchCannedResponses(responses, 'ho').map((r) => r.id)).toEqual(['3', '1']);
    expect(matchCannedResponses(responses, 'hel').map((r) => r.id)).toEqual(['2']);
    expect(matchCannedResponses(responses, 'hold').map((r) => r.id)).toEqual(['3']);
    expect(matchCannedResponses(responses, '')).toHaveLength(3);
  });

  it('insert the body in place of the /word and put the caret after it', () => {
    const text = 'Hi! /hou thanks';
    const query = shortcutQueryAt(text, 8);
    expect(query).not.toBeNull();
    const result = insertCannedResponse(text, query!, responses[0]!);
    expect(result.text).toBe('Hi! We are open 9–18, Monday to Friday. thanks');
    expect(result.caret).toBe(4 + responses[0]!.body.length);
  });

  it('expand whole /shortcuts typed without picking; unknown ones stay', () => {
    expect(expandShortcuts('/hello', responses)).toBe('Hello! How can we help?');
    expect(expandShortcuts('Sure. /HOURS', responses)).toBe('Sure. We are open 9–18, Monday to Friday.');
    expect(expandShortcuts('/unknown and/hours', responses)).toBe('/unknown and/hours');
  });
});
