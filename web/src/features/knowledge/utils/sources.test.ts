import { describe, expect, it } from 'vitest';

import { isIngesting, kindLabel, progressPercent, recrawlLabel, urlFormInput } from '@/features/knowledge/utils/sources';

describe('knowledge sources', () => {
  it('polls only while a source is queued or being read', () => {
    expect(isIngesting('QUEUED')).toBe(true);
    expect(isIngesting('PROCESSING')).toBe(true);
    expect(isIngesting('READY')).toBe(false);
    expect(isIngesting('FAILED')).toBe(false);
  });

  it('turns progress into a bounded percentage', () => {
    expect(progressPercent(0, 0)).toBeNull();
    expect(progressPercent(1, 3)).toBe(33);
    expect(progressPercent(5, 3)).toBe(100);
  });

  it('names the kind from the file name, the content type or the crawl', () => {
    expect(kindLabel({ kind: 'FILE', fileName: 'policy.PDF', crawlDepth: 0 })).toBe('PDF');
    expect(kindLabel({ kind: 'FILE', fileName: 'x', contentType: 'text/plain', crawlDepth: 0 })).toBe('Text');
    expect(kindLabel({ kind: 'URL', crawlDepth: 0 })).toBe('Web page');
    expect(kindLabel({ kind: 'URL', crawlDepth: 2 })).toBe('Web site (depth 2)');
  });

  it('checks the URL form', () => {
    const form = { url: 'https://example.com', depth: '0', maxPages: '', language: 'en', recrawlHours: '' };
    expect(urlFormInput({ ...form, url: 'example.com' })).toMatchObject({ ok: false, field: 'url' });
    expect(urlFormInput({ ...form, depth: '6' })).toMatchObject({ ok: false, field: 'depth' });
    expect(urlFormInput({ ...form, depth: '1', maxPages: '0' })).toMatchObject({ ok: false, field: 'maxPages' });
    expect(urlFormInput({ url: ' https://example.com/help ', depth: '2', maxPages: '20', language: 'pt', recrawlHours: '168' })).toEqual({
      ok: true,
      value: { url: 'https://example.com/help', depth: 2, maxPages: 20, language: 'pt', recrawlHours: 168 },
    });
    expect(urlFormInput(form)).toMatchObject({ ok: true, value: { recrawlHours: null } });
  });

  it('says how often a source is read again', () => {
    expect(recrawlLabel(null)).toBeNull();
    expect(recrawlLabel(24)).toBe('every day');
    expect(recrawlLabel(168)).toBe('every week');
    expect(recrawlLabel(720)).toBe('every 30 days');
    expect(recrawlLabel(36)).toBe('every 36 hours');
  });
});
