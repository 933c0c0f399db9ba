import type { ContactImportStatus, DuplicatePolicy } from '@/gql/graphql';

export const IMPORT_STATUS_LABELS: Record<ContactImportStatus, string> = {
  UPLOADED: 'Not started',
  QUEUED: 'Waiting to start',
  RUNNING: 'Importing',
  DONE: 'Done',
  FAILED: 'Failed',
  CANCELLED: 'Cancelled',
};

export const IMPORT_STATUS_TONES: Record<ContactImportStatus, 'success' | 'danger' | 'warning' | 'neutral'> = {
  UPLOADED: 'neutral',
  QUEUED: 'warning',
  RUNNING: 'warning',
  DONE: 'success',
  FAILED: 'danger',
  CANCELLED: 'neutral',
};

/** An import that is queued or running: it can be followed live and cancelled. */
export function isInProgress(status: ContactImportStatus): boolean {
  return status === 'QUEUED' || status === 'RUNNING';
}

/** An import whose counts are final. */
export function isFinished(status: ContactImportStatus): boolean {
  return status === 'DONE' || status === 'FAILED' || status === 'CANCELLED';
}

/** An import that `importContacts` accepts: never started, or ended without importing. */
export function isStartable(status: ContactImportStatus): boolean {
  return status === 'UPLOADED' || status === 'FAILED' || status === 'CANCELLED';
}

export const DUPLICATE_POLICIES: readonly { policy: DuplicatePolicy; label: string; explanation: string }[] = [
  {
    policy: 'SKIP',
    label: 'Skip',
    explanation: 'Contacts you already have stay exactly as they are.',
  },
  {
    policy: 'UPDATE',
    label: 'Update',
    explanation: 'The file’s values replace theirs (blank cells change nothing) and its tags are added.',
  },
  {
    policy: 'MERGE_TAGS',
    label: 'Only add tags',
    explanation: 'Contacts you already have only get the file’s tags; nothing else changes.',
  },
];

/** The counts of an import, in the order the server adds them up. */
export const IMPORT_COUNTS = [
  { key: 'records', label: 'Rows read' },
  { key: 'imported', label: 'New contacts' },
  { key: 'updated', label: 'Updated' },
  { key: 'duplicates', label: 'Duplicates' },
  { key: 'invalid', label: 'Rejected' },
  { key: 'empty', label: 'Blank rows' },
] as const;

/** A file size for people: 812 bytes, 14 KB, 3.2 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A share from 0 to 1 as a whole percentage, never above 100 nor below 0. */
export function percent(progress: number): number {
  if (!Number.isFinite(progress)) return 0;
  return Math.min(100, Math.max(0, Math.round(progress * 100)));
}

/**
 * A server message as a sentence: the first letter capitalized, a full stop at the end, and
 * `quoted` values in typographic quotes.
 */
export function asSentence(message: string): string {
  const text = message.trim().replace(/`([^`]*)`/g, '“$1”');
  if (text === '') return text;
  const capitalized = text[0]!.toUpperCase() + text.slice(1);
  return /[.!?…]$/.test(capitalized) ? capitalized : `${capitalized}.`;
}
