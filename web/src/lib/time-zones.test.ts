import { afterEach, describe, expect, it, vi } from 'vitest';

import { timeZoneLabel, timeZoneMatches, timeZoneNames, timeZoneOptions } from '@/lib/time-zones';

const JANUARY = new Date('2025-01-15T12:00:00Z');
const JULY = new Date('2025-07-15T12:00:00Z');

describe('timeZoneNames', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("lists the browser's zones with UTC first", () => {
    const zones = timeZoneNames('Europe/Lisbon');
    expect(zones[0]).toBe('UTC');
    expect(zones).toContain('America/Sao_Paulo');
    expect(zones.filter((z) => z === 'Europe/Lisbon')).toHaveLength(1);
  });

  it('always includes the current zone, even one the browser does not list', () => {
    expect(timeZoneNames('Mars/Olympus_Mons')[0]).toBe('Mars/Olympus_Mons');
  });

  it('falls back to UTC and the current zone when Intl cannot list zones', () => {
    vi.spyOn(Intl as unknown as { supportedValuesOf: (key: string) => string[] }, 'supportedValuesOf').mockImplementation(() => {
      throw new RangeError('unsupported');
    });
    expect(timeZoneNames('America/Sao_Paulo')).toEqual(['America/Sao_Paulo', 'UTC']);
  });
});

describe('timeZoneLabel', () => {
  it('shows the offset at the given moment, with a true minus sign', () => {
    expect(timeZoneLabel('America/Sao_Paulo', JANUARY)).toBe('America/Sao_Paulo (UTC−03:00)');
    expect(timeZoneLabel('Asia/Kathmandu', JANUARY)).toBe('Asia/Kathmandu (UTC+05:45)');
    expect(timeZoneLabel('UTC', JANUARY)).toBe('UTC (UTC+00:00)');
  });

  it('follows daylight saving time', () => {
    expect(timeZoneLabel('Europe/Lisbon', JANUARY)).toBe('Europe/Lisbon (UTC+00:00)');
    expect(timeZoneLabel('Europe/Lisbon', JULY)).toBe('Europe/Lisbon (UTC+01:00)');
  });

  it('shows an unknown zone by its bare name', () => {
    expect(timeZoneLabel('Mars/Olympus_Mons', JANUARY)).toBe('Mars/Olympus_Mons');
  });

  it('labels every option', () => {
    const options = timeZoneOptions('UTC', JANUARY);
    expect(options[0]).toEqual({ zone: 'UTC', label: 'UTC (UTC+00:00)' });
    expect(options).toContainEqual({ zone: 'America/Sao_Paulo', label: 'America/Sao_Paulo (UTC−03:00)' });
  });
});

describe('timeZoneMatches', () => {
  const saoPaulo = 'America/Sao_Paulo (UTC−03:00)';

  it('matches any case, with spaces for underscores', () => {
    expect(timeZoneMatches(saoPaulo, 'sao paulo')).toBe(true);
    expect(timeZoneMatches(saoPaulo, 'AMERICA/SAO_')).toBe(true);
    expect(timeZoneMatches(saoPaulo, 'lisbon')).toBe(false);
  });

  it('matches an offset typed with a hyphen', () => {
    expect(timeZoneMatches(saoPaulo, 'utc-03')).toBe(true);
    expect(timeZoneMatches(saoPaulo, 'UTC+03')).toBe(false);
  });

  it('matches everything when nothing is typed', () => {
    expect(timeZoneMatches(saoPaulo, '  ')).toBe(true);
  });
});
