/**
 * WhatsApp message templates number their body parameters `{{1}}`, `{{2}}`, …; a send fills
 * them in order. Shared by the inbox (sending) and the WhatsApp settings (creating).
 */

const PLACEHOLDER = /\{\{\s*(\d+)\s*\}\}/g;

/** The distinct placeholder numbers of a body, ascending. */
export function placeholderNumbers(body: string | null | undefined): number[] {
  if (!body) return [];
  const seen = new Set<number>();
  for (const match of body.matchAll(PLACEHOLDER)) seen.add(Number(match[1]));
  return [...seen].sort((a, b) => a - b);
}

/** How many parameters a send must fill: the highest placeholder number (`{{1}}`…`{{n}}`). */
export function countPlaceholders(body: string | null | undefined): number {
  const numbers = placeholderNumbers(body);
  return numbers.length === 0 ? 0 : (numbers[numbers.length - 1] ?? 0);
}

/** The body as the customer will read it; an empty value keeps its `{{n}}` visible. */
export function fillPlaceholders(body: string, values: readonly string[]): string {
  return body.replace(PLACEHOLDER, (whole, n: string) => {
    const value = values[Number(n) - 1];
    return value != null && value.trim() !== '' ? value : whole;
  });
}

/** The numbers of the parameters still empty (1-based), for a message next to the send button. */
export function missingParameters(count: number, values: readonly string[]): number[] {
  const missing: number[] = [];
  for (let n = 1; n <= count; n++) {
    if ((values[n - 1] ?? '').trim() === '') missing.push(n);
  }
  return missing;
}

/** Why a template body's placeholders would be refused by Meta, or null when they are fine. */
export function placeholderProblem(body: string): string | null {
  const numbers = placeholderNumbers(body);
  if (numbers.length === 0) return null;
  const gap = numbers.findIndex((n, i) => n !== i + 1);
  if (gap !== -1) {
    return `Number the placeholders {{1}}, {{2}}, … without gaps (expected {{${gap + 1}}}).`;
  }
  const trimmed = body.trim();
  if (/^\{\{\s*\d+\s*\}\}/.test(trimmed) || /\{\{\s*\d+\s*\}\}$/.test(trimmed)) {
    return 'A placeholder cannot start or end the body; add some words around it.';
  }
  return null;
}
