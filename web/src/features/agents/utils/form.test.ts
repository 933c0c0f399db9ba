import { describe, expect, it } from 'vitest';

import {
  agentToForm,
  emptyAgentForm,
  formatCost,
  formToInput,
  hoursProblem,
  hoursToForm,
  hoursToInput,
  splitList,
} from '@/features/agents/utils/form';
import type { AgentPartsFragment } from '@/gql/graphql';

describe('business hours', () => {
  it('reads null as always open, starting the week from office hours', () => {
    const form = hoursToForm(null, 'Europe/Lisbon');
    expect(form.alwaysOpen).toBe(true);
    expect(form.timeZone).toBe('Europe/Lisbon');
    expect(form.days.mon).toEqual([{ from: '09:00', to: '18:00' }]);
    expect(form.days.sun).toEqual([]);
    expect(hoursToInput(form)).toEqual({ alwaysOpen: true });
  });

  it('groups intervals by day and writes them back in week order', () => {
    const hours = {
      timeZone: 'America/Sao_Paulo',
      hours: [
        { day: 'sat', from: '10:00', to: '14:00' },
        { day: 'mon', from: '14:00', to: '18:00' },
        { day: 'mon', from: '09:00', to: '12:00' },
      ],
    };
    const form = hoursToForm(hours);
    expect(form.alwaysOpen).toBe(false);
    expect(form.days.mon).toEqual([
      { from: '09:00', to: '12:00' },
      { from: '14:00', to: '18:00' },
    ]);
    expect(form.days.tue).toEqual([]);
    expect(hoursToInput(form)).toEqual({
      hours: {
        timeZone: 'America/Sao_Paulo',
        hours: [
          { day: 'mon', from: '09:00', to: '12:00' },
          { day: 'mon', from: '14:00', to: '18:00' },
          { day: 'sat', from: '10:00', to: '14:00' },
        ],
      },
    });
  });

  it('finds bad, backwards, overlapping or missing hours', () => {
    const form = hoursToForm(null, 'UTC');
    form.alwaysOpen = false;
    expect(hoursProblem(form)).toBeNull();
    expect(hoursProblem({ ...form, timeZone: ' ' })).toBe('Choose a time zone.');
    expect(hoursProblem({ ...form, days: { ...form.days, mon: [{ from: '9', to: '18:00' }] } })).toMatch(/HH:MM/);
    expect(hoursProblem({ ...form, days: { ...form.days, mon: [{ from: '18:00', to: '09:00' }] } })).toMatch(/end after/);
    expect(
      hoursProblem({
        ...form,
        days: {
          ...form.days,
          mon: [
            { from: '09:00', to: '13:00' },
            { from: '12:00', to: '18:00' },
          ],
        },
      }),
    ).toMatch(/overlap/);
    const closed = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
    expect(hoursProblem({ ...form, days: closed })).toMatch(/at least one day/);
  });
});

describe('agent form', () => {
  const agent: AgentPartsFragment = {
    id: 'a1',
    name: 'Support',
    systemPrompt: 'You help.',
    tone: 'warm',
    rules: ['Be brief', 'No prices'],
    languages: ['en', 'pt'],
    model: null,
    temperature: 0.3,
    maxAnswerChars: 700,
    knowledgeSourceIds: [],
    phoneNumberIds: ['n1'],
    businessHours: null,
    outOfHoursMessage: null,
    handoffAllowed: true,
    handoffKeywords: ['human', 'agent'],
    handoffOnRequest: true,
    handoffOnNoAnswer: false,
    handoffAfterMisses: 2,
    handoffMessage: 'Passing you on.',
    debounceMs: 3000,
    enabled: true,
    pausedReason: null,
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  };

  it('round-trips an agent through the form', () => {
    const result = formToInput('org', agentToForm(agent));
    expect(result).toEqual({
      ok: true,
      input: {
        organizationId: 'org',
        name: 'Support',
        systemPrompt: 'You help.',
        tone: 'warm',
        rules: ['Be brief', 'No prices'],
        languages: ['en', 'pt'],
        model: '',
        temperature: 0.3,
        maxAnswerChars: 700,
        knowledgeSourceIds: [],
        phoneNumberIds: ['n1'],
        businessHours: { alwaysOpen: true },
        outOfHoursMessage: '',
        handoffAllowed: true,
        handoffKeywords: ['human', 'agent'],
        handoffOnRequest: true,
        handoffOnNoAnswer: false,
        handoffAfterMisses: 2,
        handoffMessage: 'Passing you on.',
        debounceMs: 3000,
        enabled: true,
      },
    });
  });

  it('says which field is wrong', () => {
    const form = emptyAgentForm();
    expect(formToInput('org', form)).toMatchObject({ ok: false, field: 'name' });
    form.name = 'Bot';
    expect(formToInput('org', { ...form, temperature: '3' })).toMatchObject({ ok: false, field: 'temperature' });
    expect(formToInput('org', { ...form, maxAnswerChars: '10' })).toMatchObject({ ok: false, field: 'maxAnswerChars' });
    expect(formToInput('org', { ...form, handoffAfterMisses: '11' })).toMatchObject({ ok: false, field: 'handoffAfterMisses' });
    expect(formToInput('org', { ...form, handoffMessage: ' ' })).toMatchObject({ ok: false, field: 'handoffMessage' });
    expect(formToInput('org', { ...form, debounceMs: '-1' })).toMatchObject({ ok: false, field: 'debounceMs' });
    expect(formToInput('org', form)).toMatchObject({ ok: true });
  });

  it('splits keyword lists and formats costs', () => {
    expect(splitList(' human, person ,,human')).toEqual(['human', 'person']);
    expect(formatCost(0)).toBe('$0.00');
    expect(formatCost(1234)).toBe('$0.0012');
    expect(formatCost(2_500_000)).toBe('$2.50');
  });
});
