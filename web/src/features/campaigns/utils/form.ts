import type {
  CampaignInput,
  CampaignParameterInput,
  CampaignScheduleInput,
  RepeatEvery,
  ScheduleKind,
  TemplatePart,
} from '@/gql/graphql';

/** The contact's own attributes a placeholder can take its value from. */
export const CONTACT_ATTRIBUTES: readonly (readonly [string, string])[] = [
  ['name', 'Name'],
  ['first_name', 'First name'],
  ['phone', 'Phone number'],
  ['email', 'E-mail'],
  ['country', 'Country'],
  ['language', 'Language'],
];

/** The source select's value for fixed text. */
export const FIXED_TEXT = 'fixed';

/**
 * Where one placeholder's value comes from: `attr:<attribute>`, `field:<key>`, `fixed`, or
 * `''` when not chosen yet (the server then refuses the draft, naming the placeholder).
 */
export type ParameterSource = string;

export interface ParameterRow {
  part: TemplatePart;
  buttonIndex: number | null;
  placeholder: string;
  /** IMAGE, VIDEO or DOCUMENT for a media header. */
  media: string | null;
  source: ParameterSource;
  text: string;
  fallback: string;
}

export interface CampaignForm {
  name: string;
  phoneNumberId: string;
  templateId: string;
  parameters: ParameterRow[];
  tags: string[];
  segmentIds: string[];
  /** Imports kept as audiences: the people of one-off files. */
  importIds: string[];
  scheduleKind: ScheduleKind;
  /** AT: `YYYY-MM-DDTHH:mm`, as a datetime-local input has it. */
  at: string;
  /** LOCAL: `YYYY-MM-DD`. */
  date: string;
  /** LOCAL and RECURRING: `HH:mm`. */
  time: string;
  every: RepeatEvery;
  /** 1 (Monday) to 7 (Sunday). */
  weekday: number;
  retryPerUserLimit: boolean;
  replyWindowHours: string;
}

export const EMPTY_FORM: CampaignForm = {
  name: '',
  phoneNumberId: '',
  templateId: '',
  parameters: [],
  tags: [],
  segmentIds: [],
  importIds: [],
  scheduleKind: 'NOW',
  at: '',
  date: '',
  time: '09:00',
  every: 'DAY',
  weekday: 1,
  retryPerUserLimit: false,
  replyWindowHours: '72',
};

export interface Placeholder {
  part: TemplatePart;
  buttonIndex?: number | null;
  name: string;
  media?: string | null;
}

const rowKey = (p: { part: TemplatePart; buttonIndex?: number | null; placeholder: string }) =>
  `${p.part}:${p.buttonIndex ?? ''}:${p.placeholder}`;

/** One row per placeholder of the template, keeping what was chosen for the same placeholder. */
export function rowsForPlaceholders(placeholders: readonly Placeholder[], current: readonly ParameterRow[]): ParameterRow[] {
  const known = new Map(current.map((r) => [rowKey(r), r]));
  return placeholders.map((p) => {
    const fresh: ParameterRow = {
      part: p.part,
      buttonIndex: p.buttonIndex ?? null,
      placeholder: p.name,
      media: p.media ?? null,
      source: p.media ? FIXED_TEXT : '',
      text: '',
      fallback: '',
    };
    const kept = known.get(rowKey(fresh));
    return kept ? { ...kept, media: fresh.media } : fresh;
  });
}

/** The source select's value for a stored parameter. */
export function sourceOf(field: string | null | undefined, attributes = CONTACT_ATTRIBUTES): ParameterSource {
  if (!field) return FIXED_TEXT;
  return attributes.some(([key]) => key === field) ? `attr:${field}` : `field:${field}`;
}

/** Tags typed as text: trimmed, lower case, without duplicates. */
export function parseTags(text: string): string[] {
  const seen = new Set<string>();
  for (const raw of text.split(/[,;\n]/)) {
    const tag = raw.trim().toLowerCase();
    if (tag) seen.add(tag);
  }
  return [...seen];
}

function parameterInput(row: ParameterRow): CampaignParameterInput | null {
  const base = { part: row.part, buttonIndex: row.buttonIndex, placeholder: row.placeholder };
  const fallback = row.fallback.trim() === '' ? null : row.fallback;
  if (row.source === FIXED_TEXT) return { ...base, text: row.text };
  if (row.source.startsWith('attr:')) return { ...base, field: row.source.slice(5), fallback };
  if (row.source.startsWith('field:')) return { ...base, field: row.source.slice(6), fallback };
  return null;
}

/** `HH:mm` (or a date and `THH:mm`) with seconds, as NaiveTime and NaiveDateTime want. */
const seconds = (time: string) => (/(^|T)\d{2}:\d{2}$/.test(time) ? `${time}:00` : time);

export function scheduleInput(form: CampaignForm): CampaignScheduleInput {
  switch (form.scheduleKind) {
    case 'NOW':
      return { kind: 'NOW' };
    case 'AT':
      return { kind: 'AT', at: form.at ? seconds(form.at) : null };
    case 'LOCAL':
      return { kind: 'LOCAL', date: form.date || null, time: form.time ? seconds(form.time) : null };
    case 'RECURRING':
      return {
        kind: 'RECURRING',
        time: form.time ? seconds(form.time) : null,
        every: form.every,
        weekday: form.every === 'WEEK' ? form.weekday : null,
      };
  }
}

/** The draft as `createCampaign` / `updateCampaign` take it. */
export function toCampaignInput(organizationId: string, form: CampaignForm): CampaignInput {
  const hours = Number.parseInt(form.replyWindowHours, 10);
  return {
    organizationId,
    name: form.name.trim(),
    phoneNumberId: form.phoneNumberId,
    templateId: form.templateId,
    parameters: form.parameters.map(parameterInput).filter((p): p is CampaignParameterInput => p != null),
    audience: { tags: form.tags, segmentIds: form.segmentIds, contactIds: [], importIds: form.importIds },
    schedule: scheduleInput(form),
    retryPerUserLimit: form.retryPerUserLimit,
    replyWindowHours: Number.isFinite(hours) ? hours : 72,
  };
}

const minutes = (time: string | null | undefined) => (time ? time.slice(0, 5) : '');

/** A stored campaign, back into the builder's form. */
export function fromCampaign(campaign: {
  name: string;
  phoneNumberId: string;
  templateId: string;
  parameters: readonly {
    part: TemplatePart;
    buttonIndex?: number | null;
    placeholder: string;
    field?: string | null;
    text?: string | null;
    fallback?: string | null;
  }[];
  audience: { tags: readonly string[]; segmentIds: readonly string[]; importIds: readonly string[] };
  schedule: {
    kind: ScheduleKind;
    at?: string | null;
    date?: string | null;
    time?: string | null;
    every?: RepeatEvery | null;
    weekday?: number | null;
  };
  retryPerUserLimit: boolean;
  replyWindowHours: number;
}): CampaignForm {
  return {
    name: campaign.name,
    phoneNumberId: campaign.phoneNumberId,
    templateId: campaign.templateId,
    parameters: campaign.parameters.map((p) => ({
      part: p.part,
      buttonIndex: p.buttonIndex ?? null,
      placeholder: p.placeholder,
      media: null,
      source: sourceOf(p.field),
      text: p.text ?? '',
      fallback: p.fallback ?? '',
    })),
    tags: [...campaign.audience.tags],
    segmentIds: [...campaign.audience.segmentIds],
    importIds: [...campaign.audience.importIds],
    scheduleKind: campaign.schedule.kind,
    at: campaign.schedule.at ? campaign.schedule.at.slice(0, 16) : '',
    date: campaign.schedule.date ?? '',
    time: minutes(campaign.schedule.time) || EMPTY_FORM.time,
    every: campaign.schedule.every ?? 'DAY',
    weekday: campaign.schedule.weekday ?? 1,
    retryPerUserLimit: campaign.retryPerUserLimit,
    replyWindowHours: String(campaign.replyWindowHours),
  };
}

/** What still stops the draft from being saved, in the order the steps ask for it. */
export function formProblems(form: CampaignForm): string[] {
  const problems: string[] = [];
  if (form.name.trim() === '') problems.push('Give the campaign a name.');
  if (!form.phoneNumberId) problems.push('Choose the number it is sent from.');
  if (!form.templateId) problems.push('Choose an approved template.');
  if (form.tags.length === 0 && form.segmentIds.length === 0 && form.importIds.length === 0)
    problems.push('Choose who receives it: tags, segments or a file.');
  if (form.scheduleKind === 'AT' && !form.at) problems.push('Choose the date and time it is sent.');
  if (form.scheduleKind === 'LOCAL' && (!form.date || !form.time)) problems.push('Choose the day and the local time.');
  if (form.scheduleKind === 'RECURRING' && !form.time) problems.push('Choose the time of day it is sent.');
  return problems;
}
