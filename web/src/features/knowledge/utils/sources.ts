import type { KnowledgeSourceKind, KnowledgeSourceStatus } from '@/gql/graphql';

export const LANGUAGES = [
  { value: 'en', label: 'English' },
  { value: 'pt', label: 'Portuguese' },
  { value: 'es', label: 'Spanish' },
] as const;

export function languageLabel(code: string): string {
  return LANGUAGES.find((l) => l.value === code)?.label ?? code;
}

export const STATUS_LABELS: Record<KnowledgeSourceStatus, string> = {
  QUEUED: 'Queued',
  PROCESSING: 'Reading',
  READY: 'Ready',
  FAILED: 'Failed',
};

export const STATUS_TONES = {
  QUEUED: 'neutral',
  PROCESSING: 'warning',
  READY: 'success',
  FAILED: 'danger',
} as const satisfies Record<KnowledgeSourceStatus, string>;

/** Whether ingestion is still running, so the list should be read again soon. */
export function isIngesting(status: KnowledgeSourceStatus): boolean {
  return status === 'QUEUED' || status === 'PROCESSING';
}

/** How far ingestion got, 0..100, or null when the total is not known yet. */
export function progressPercent(done: number, total: number): number | null {
  if (total <= 0) return null;
  return Math.max(0, Math.min(100, Math.round((done / total) * 100)));
}

/** What kind of source it is, for people: "PDF", "Word", "Web (depth 2)". */
export function kindLabel(source: {
  kind: KnowledgeSourceKind;
  fileName?: string | null;
  contentType?: string | null;
  crawlDepth: number;
}): string {
  if (source.kind === 'URL') return source.crawlDepth > 0 ? `Web site (depth ${source.crawlDepth})` : 'Web page';
  const name = (source.fileName ?? '').toLowerCase();
  const type = (source.contentType ?? '').toLowerCase();
  if (name.endsWith('.pdf') || type.includes('pdf')) return 'PDF';
  if (name.endsWith('.docx') || type.includes('wordprocessingml')) return 'Word';
  if (name.endsWith('.md') || name.endsWith('.markdown') || type.includes('markdown')) return 'Markdown';
  if (name.endsWith('.html') || name.endsWith('.htm') || type.includes('html')) return 'HTML';
  if (name.endsWith('.txt') || type.startsWith('text/')) return 'Text';
  return 'File';
}

export interface UrlForm {
  url: string;
  depth: string;
  maxPages: string;
  language: string;
  /** Hours between scheduled re-crawls, '' for never. */
  recrawlHours: string;
}

/** How often a web source can be read again on its own. */
export const RECRAWL_CHOICES = [
  { value: '', label: 'Never (only when asked)' },
  { value: '24', label: 'Every day' },
  { value: '168', label: 'Every week' },
  { value: '720', label: 'Every 30 days' },
] as const;

/** The schedule for people: "every day", "every 36 hours", or null when there is none. */
export function recrawlLabel(hours: number | null | undefined): string | null {
  if (!hours) return null;
  if (hours === 24) return 'every day';
  if (hours === 168) return 'every week';
  if (hours % 24 === 0) return `every ${hours / 24} days`;
  return `every ${hours} hours`;
}

/** The URL form as `addKnowledgeUrl` input, or the problem with it. */
export function urlFormInput(
  form: UrlForm,
):
  | { ok: true; value: { url: string; depth: number; maxPages: number | null; language: string; recrawlHours: number | null } }
  | { ok: false; field: 'url' | 'depth' | 'maxPages'; message: string } {
  const url = form.url.trim();
  if (!/^https?:\/\/[^\s/]+/i.test(url)) return { ok: false, field: 'url', message: 'Enter a web address starting with http:// or https://.' };
  const depth = Number(form.depth);
  if (!Number.isInteger(depth) || depth < 0 || depth > 5) return { ok: false, field: 'depth', message: 'Depth is a whole number from 0 to 5.' };
  let maxPages: number | null = null;
  if (form.maxPages.trim() !== '') {
    maxPages = Number(form.maxPages);
    if (!Number.isInteger(maxPages) || maxPages < 1 || maxPages > 500) {
      return { ok: false, field: 'maxPages', message: 'At most 1 to 500 pages.' };
    }
  }
  const recrawlHours = form.recrawlHours === '' ? null : Number(form.recrawlHours);
  return { ok: true, value: { url, depth, maxPages, language: form.language, recrawlHours } };
}
