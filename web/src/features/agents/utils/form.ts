import type { AgentInput, AgentPartsFragment, BusinessHoursInputOrNone } from '@/gql/graphql';

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Day = (typeof DAYS)[number];

export const DAY_LABELS: Record<Day, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

export interface Interval {
  from: string;
  to: string;
}

/** Business hours as the form edits them: a list of intervals per day (none: closed). */
export interface HoursForm {
  alwaysOpen: boolean;
  timeZone: string;
  days: Record<Day, Interval[]>;
}

export interface AgentForm {
  name: string;
  systemPrompt: string;
  tone: string;
  /** One rule per line. */
  rules: string;
  languages: string[];
  /** Blank: the server's default. */
  model: string;
  temperature: string;
  maxAnswerChars: string;
  knowledgeSourceIds: string[];
  phoneNumberIds: string[];
  hours: HoursForm;
  outOfHoursMessage: string;
  handoffAllowed: boolean;
  /** Comma-separated. */
  handoffKeywords: string;
  handoffOnRequest: boolean;
  handoffOnNoAnswer: boolean;
  handoffAfterMisses: string;
  handoffMessage: string;
  debounceMs: string;
  enabled: boolean;
}

export const DEFAULT_HANDOFF_MESSAGE = "I'm passing you to a member of our team, who will answer here shortly.";

function localTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** Monday to Friday, 09:00–18:00: what switching "always open" off starts from. */
export function defaultDays(): Record<Day, Interval[]> {
  const days = {} as Record<Day, Interval[]>;
  for (const day of DAYS) days[day] = day === 'sat' || day === 'sun' ? [] : [{ from: '09:00', to: '18:00' }];
  return days;
}

/** The form of the agent's business hours (null: always open). */
export function hoursToForm(hours: AgentPartsFragment['businessHours'], fallbackZone = localTimeZone()): HoursForm {
  if (!hours) return { alwaysOpen: true, timeZone: fallbackZone, days: defaultDays() };
  const days = {} as Record<Day, Interval[]>;
  for (const day of DAYS) days[day] = [];
  for (const h of hours.hours) {
    const day = h.day.toLowerCase() as Day;
    if (DAYS.includes(day)) days[day].push({ from: h.from, to: h.to });
  }
  for (const day of DAYS) days[day].sort((a, b) => a.from.localeCompare(b.from));
  return { alwaysOpen: false, timeZone: hours.timeZone, days };
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** What is wrong with the hours, or null. */
export function hoursProblem(form: HoursForm): string | null {
  if (form.alwaysOpen) return null;
  if (!form.timeZone.trim()) return 'Choose a time zone.';
  for (const day of DAYS) {
    const intervals = form.days[day];
    for (const i of intervals) {
      if (!TIME.test(i.from) || !TIME.test(i.to)) return `${DAY_LABELS[day]}: write times as HH:MM.`;
      if (i.from >= i.to) return `${DAY_LABELS[day]}: an interval must end after it starts.`;
    }
    const sorted = [...intervals].sort((a, b) => a.from.localeCompare(b.from));
    for (let k = 1; k < sorted.length; k++) {
      if (sorted[k]!.from < sorted[k - 1]!.to) return `${DAY_LABELS[day]}: intervals overlap.`;
    }
  }
  if (DAYS.every((d) => form.days[d].length === 0)) return 'Open at least one day, or choose "Always open".';
  return null;
}

/** The hours as `AgentInput.businessHours`. */
export function hoursToInput(form: HoursForm): BusinessHoursInputOrNone {
  if (form.alwaysOpen) return { alwaysOpen: true };
  return {
    hours: {
      timeZone: form.timeZone.trim(),
      hours: DAYS.flatMap((day) =>
        [...form.days[day]].sort((a, b) => a.from.localeCompare(b.from)).map((i) => ({ day, from: i.from, to: i.to })),
      ),
    },
  };
}

export function emptyAgentForm(): AgentForm {
  return {
    name: '',
    systemPrompt: '',
    tone: '',
    rules: '',
    languages: [],
    model: '',
    temperature: '0.3',
    maxAnswerChars: '700',
    knowledgeSourceIds: [],
    phoneNumberIds: [],
    hours: hoursToForm(null),
    outOfHoursMessage: '',
    handoffAllowed: true,
    handoffKeywords: '',
    handoffOnRequest: true,
    handoffOnNoAnswer: true,
    handoffAfterMisses: '2',
    handoffMessage: DEFAULT_HANDOFF_MESSAGE,
    debounceMs: '3000',
    enabled: false,
  };
}

export function agentToForm(agent: AgentPartsFragment): AgentForm {
  return {
    name: agent.name,
    systemPrompt: agent.systemPrompt,
    tone: agent.tone,
    rules: agent.rules.join('\n'),
    languages: [...agent.languages],
    model: agent.model ?? '',
    temperature: String(agent.temperature),
    maxAnswerChars: String(agent.maxAnswerChars),
    knowledgeSourceIds: [...agent.knowledgeSourceIds],
    phoneNumberIds: [...agent.phoneNumberIds],
    hours: hoursToForm(agent.businessHours),
    outOfHoursMessage: agent.outOfHoursMessage ?? '',
    handoffAllowed: agent.handoffAllowed,
    handoffKeywords: agent.handoffKeywords.join(', '),
    handoffOnRequest: agent.handoffOnRequest,
    handoffOnNoAnswer: agent.handoffOnNoAnswer,
    handoffAfterMisses: String(agent.handoffAfterMisses),
    handoffMessage: agent.handoffMessage,
    debounceMs: String(agent.debounceMs),
    enabled: agent.enabled,
  };
}

export type FormField =
  | 'name'
  | 'temperature'
  | 'maxAnswerChars'
  | 'hours'
  | 'handoffAfterMisses'
  | 'handoffMessage'
  | 'debounceMs';

function integer(text: string, min: number, max: number): number | null {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : null;
}

/** The form as `AgentInput` (every setting), or the first problem with it. */
export function formToInput(
  organizationId: string,
  form: AgentForm,
): { ok: true; input: AgentInput } | { ok: false; field: FormField; message: string } {
  const name = form.name.trim();
  if (!name) return { ok: false, field: 'name', message: 'Give the agent a name.' };
  if (name.length > 100) return { ok: false, field: 'name', message: 'A name is at most 100 characters.' };
  const temperature = Number(form.temperature.trim());
  if (form.temperature.trim() === '' || Number.isNaN(temperature) || temperature < 0 || temperature > 2) {
    return { ok: false, field: 'temperature', message: 'Temperature is 0 to 2.' };
  }
  const maxAnswerChars = integer(form.maxAnswerChars, 50, 4096);
  if (maxAnswerChars == null) return { ok: false, field: 'maxAnswerChars', message: 'The longest answer is 50 to 4,096 characters.' };
  const hoursIssue = hoursProblem(form.hours);
  if (hoursIssue) return { ok: false, field: 'hours', message: hoursIssue };
  const handoffAfterMisses = integer(form.handoffAfterMisses, 0, 10);
  if (handoffAfterMisses == null) return { ok: false, field: 'handoffAfterMisses', message: 'Hand over after 0 (never) to 10 missed answers.' };
  if (!form.handoffMessage.trim()) return { ok: false, field: 'handoffMessage', message: 'Write the handoff message.' };
  const debounceMs = integer(form.debounceMs, 0, 60_000);
  if (debounceMs == null) return { ok: false, field: 'debounceMs', message: 'Wait 0 to 60,000 ms for more messages.' };
  return {
    ok: true,
    input: {
      organizationId,
      name,
      systemPrompt: form.systemPrompt,
      tone: form.tone.trim(),
      rules: splitLines(form.rules),
      languages: form.languages,
      model: form.model.trim(),
      temperature,
      maxAnswerChars,
      knowledgeSourceIds: form.knowledgeSourceIds,
      phoneNumberIds: form.phoneNumberIds,
      businessHours: hoursToInput(form.hours),
      outOfHoursMessage: form.outOfHoursMessage.trim(),
      handoffAllowed: form.handoffAllowed,
      handoffKeywords: splitList(form.handoffKeywords),
      handoffOnRequest: form.handoffOnRequest,
      handoffOnNoAnswer: form.handoffOnNoAnswer,
      handoffAfterMisses,
      handoffMessage: form.handoffMessage.trim(),
      debounceMs,
      enabled: form.enabled,
    },
  };
}

/** Non-empty trimmed lines. */
export function splitLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

/** Non-empty trimmed comma-separated items, without repeats. */
export function splitList(text: string): string[] {
  return [...new Set(text.split(',').map((l) => l.trim()).filter(Boolean))];
}

/** Estimated cost (millionths of a dollar) for people. */
export function formatCost(micros: number): string {
  const dollars = micros / 1_000_000;
  if (micros === 0) return '$0.00';
  if (dollars < 0.01) return `$${dollars.toFixed(4)}`;
  return `$${dollars.toFixed(2)}`;
}
