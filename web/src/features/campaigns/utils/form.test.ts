import { describe, expect, it } from 'vitest';

import {
  EMPTY_FORM,
  FIXED_TEXT,
  formProblems,
  fromCampaign,
  parseTags,
  rowsForPlaceholders,
  scheduleInput,
  sourceOf,
  toCampaignInput,
  type CampaignForm,
} from '@/features/campaigns/utils/form';

const FILLED: CampaignForm = {
  ...EMPTY_FORM,
  name: ' Spring sale ',
  phoneNumberId: 'pn-1',
  templateId: 't-1',
  parameters: [
    { part: 'BODY', buttonIndex: null, placeholder: '1', media: null, source: 'attr:first_name', text: '', fallback: 'there' },
    { part: 'BODY', buttonIndex: null, placeholder: '2', media: null, source: 'field:tier', text: '', fallback: '' },
    { part: 'HEADER', buttonIndex: null, placeholder: 'media', media: 'IMAGE', source: FIXED_TEXT, text: 'https://x/y.png', fallback: '' },
    { part: 'BUTTON', buttonIndex: 0, placeholder: '1', media: null, source: '', text: '', fallback: '' },
  ],
  tags: ['vip'],
  segmentIds: ['s-1'],
  importIds: ['i-1'],
};

describe('toCampaignInput', () => {
  it('names each source as the server expects and leaves out placeholders with none', () => {
    const input = toCampaignInput('org-1', FILLED);
    expect(input.name).toBe('Spring sale');
    expect(input.parameters).toEqual([
      { part: 'BODY', buttonIndex: null, placeholder: '1', field: 'first_name', fallback: 'there' },
      { part: 'BODY', buttonIndex: null, placeholder: '2', field: 'tier', fallback: null },
      { part: 'HEADER', buttonIndex: null, placeholder: 'media', text: 'https://x/y.png' },
    ]);
    expect(input.audience).toEqual({ tags: ['vip'], segmentIds: ['s-1'], contactIds: [], importIds: ['i-1'] });
    expect(input.schedule).toEqual({ kind: 'NOW' });
    expect(input.replyWindowHours).toBe(72);
  });

  it('turns each kind of schedule into its fields', () => {
    expect(scheduleInput({ ...FILLED, scheduleKind: 'AT', at: '2026-12-01T09:30' })).toEqual({
      kind: 'AT',
      at: '2026-12-01T09:30:00',
    });
    expect(scheduleInput({ ...FILLED, scheduleKind: 'LOCAL', date: '2026-12-01', time: '10:00' })).toEqual({
      kind: 'LOCAL',
      date: '2026-12-01',
      time: '10:00:00',
    });
    expect(scheduleInput({ ...FILLED, scheduleKind: 'RECURRING', every: 'WEEK', weekday: 5, time: '08:15' })).toEqual({
      kind: 'RECURRING',
      time: '08:15:00',
      every: 'WEEK',
      weekday: 5,
    });
    expect(scheduleInput({ ...FILLED, scheduleKind: 'RECURRING', every: 'DAY', weekday: 5, time: '08:15' })).toMatchObject({
      weekday: null,
    });
  });
});

describe('fromCampaign', () => {
  it('reads a stored draft back into the form', () => {
    const form = fromCampaign({
      name: 'Spring sale',
      phoneNumberId: 'pn-1',
      templateId: 't-1',
      parameters: [
        { part: 'BODY', placeholder: '1', field: 'first_name', fallback: 'there' },
        { part: 'BODY', placeholder: '2', field: 'tier' },
        { part: 'HEADER', placeholder: 'media', text: 'https://x' },
      ],
      audience: { tags: [], segmentIds: [], importIds: ['i-1'] },
      schedule: { kind: 'LOCAL', date: '2026-12-01', time: '09:00:00' },
      retryPerUserLimit: true,
      replyWindowHours: 48,
    });
    expect(form.parameters.map((p) => p.source)).toEqual(['attr:first_name', 'field:tier', FIXED_TEXT]);
    expect(form.parameters[0]?.fallback).toBe('there');
    expect(form.time).toBe('09:00');
    expect(form.date).toBe('2026-12-01');
    expect(form.retryPerUserLimit).toBe(true);
    expect(form.replyWindowHours).toBe('48');
    expect(form.importIds).toEqual(['i-1']);
    expect(formProblems(form).some((p) => p.startsWith('Choose who receives it'))).toBe(false);
  });

  it('tells attributes from contact fields', () => {
    expect(sourceOf('email')).toBe('attr:email');
    expect(sourceOf('city')).toBe('field:city');
    expect(sourceOf(null)).toBe(FIXED_TEXT);
  });
});

describe('rowsForPlaceholders', () => {
  it('keeps what was chosen for the same placeholder and adds the new ones', () => {
    const rows = rowsForPlaceholders(
      [
        { part: 'BODY', name: '1' },
        { part: 'BODY', name: '3' },
        { part: 'HEADER', name: 'media', media: 'IMAGE' },
      ],
      FILLED.parameters,
    );
    expect(rows.map((r) => [r.placeholder, r.source])).toEqual([
      ['1', 'attr:first_name'],
      ['3', ''],
      ['media', FIXED_TEXT],
    ]);
  });
});

describe('formProblems and parseTags', () => {
  it('asks for what is missing', () => {
    expect(formProblems(EMPTY_FORM)).toHaveLength(4);
    expect(formProblems(FILLED)).toEqual([]);
    expect(formProblems({ ...FILLED, scheduleKind: 'AT', at: '' })).toEqual(['Choose the date and time it is sent.']);
  });

  it('splits, trims and lower-cases tags once each', () => {
    expect(parseTags(' VIP, loja centro;vip\n ')).toEqual(['vip', 'loja centro']);
  });
});
