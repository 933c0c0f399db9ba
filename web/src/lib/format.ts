const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** A server timestamp for people; unparseable input is shown as it came. */
export function formatDateTime(iso: string | null | undefined, empty = '—'): string {
  if (!iso) return empty;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

export function formatDate(iso: string | null | undefined, empty = '—'): string {
  if (!iso) return empty;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateOnly.format(date);
}

export function isPast(iso: string | null | undefined, now: Date = new Date()): boolean {
  if (!iso) return false;
  const time = new Date(iso).getTime();
  return !Number.isNaN(time) && time <= now.getTime();
}

/** A person's display name: their name, else their email, else a placeholder. */
export function displayName(user: { name?: string | null; email?: string | null } | null | undefined): string {
  return user?.name?.trim() || user?.email?.trim() || 'Unknown user';
}

/** Up to two initials for an avatar. */
export function initials(user: { name?: string | null; email?: string | null } | null | undefined): string {
  const source = user?.name?.trim() || user?.email?.trim() || '?';
  const words = source.split(/[\s@._-]+/).filter(Boolean);
  const letters = words.length >= 2 ? `${words[0]?.[0] ?? ''}${words[1]?.[0] ?? ''}` : source.slice(0, 2);
  return letters.toUpperCase();
}
