/** Canned responses: typing `/shortcut` in the composer offers them. */
export interface CannedResponse {
  id: string;
  shortcut: string;
  body: string;
}

/** A shortcut as typed, without its slash, lower case: "/Hello" and "hello" are the same. */
export function normalizeShortcut(shortcut: string): string {
  return shortcut.trim().replace(/^\/+/, '').toLowerCase();
}

/** The `/word` being typed just before the caret, if any. */
export interface ShortcutQuery {
  /** What follows the slash, lower case (may be empty: "/" alone lists everything). */
  query: string;
  /** Index of the slash in the text. */
  start: number;
  end: number;
}

export function shortcutQueryAt(text: string, caret: number): ShortcutQuery | null {
  const before = text.slice(0, caret);
  const match = /(^|\s)\/([\w.-]*)$/.exec(before);
  if (!match) return null;
  const word = match[2] ?? '';
  return { query: word.toLowerCase(), start: caret - word.length - 1, end: caret };
}

/** Canned responses whose shortcut starts with the query, exact match first. */
export function matchCannedResponses(responses: readonly CannedResponse[], query: string): CannedResponse[] {
  const q = normalizeShortcut(query);
  return responses
    .filter((r) => normalizeShortcut(r.shortcut).startsWith(q))
    .sort((a, b) => {
      const exact = Number(normalizeShortcut(b.shortcut) === q) - Number(normalizeShortcut(a.shortcut) === q);
      return exact || normalizeShortcut(a.shortcut).localeCompare(normalizeShortcut(b.shortcut));
    });
}

/** Replaces the `/word` with the response's body; returns the new text and where the caret goes. */
export function insertCannedResponse(
  text: string,
  at: Pick<ShortcutQuery, 'start' | 'end'>,
  response: CannedResponse,
): { text: string; caret: number } {
  const next = text.slice(0, at.start) + response.body + text.slice(at.end);
  return { text: next, caret: at.start + response.body.length };
}

/**
 * Expands every `/shortcut` word that names a canned response, e.g. when the text is sent
 * without picking from the list; unknown shortcuts stay as typed.
 */
export function expandShortcuts(text: string, responses: readonly CannedResponse[]): string {
  const byShortcut = new Map(responses.map((r) => [normalizeShortcut(r.shortcut), r.body]));
  return text.replace(/(^|\s)\/([\w.-]+)(?=$|\s)/g, (whole, space: string, word: string) => {
    const body = byShortcut.get(word.toLowerCase());
    return body == null ? whole : space + body;
  });
}
