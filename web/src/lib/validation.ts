/** Form checks done before asking the server, which checks again. */
export type Validated<T> = { ok: true; value: T } | { ok: false; message: string };

export const MIN_EXPIRY_DAYS = 1;
export const MAX_EXPIRY_DAYS = 365;
export const DEFAULT_EXPIRY_DAYS = 90;

/** An API token's lifetime in whole days, 1 to 365. */
export function parseExpiryDays(input: string): Validated<number> {
  const text = input.trim();
  if (text === '') return { ok: false, message: 'Enter how many days the token should last.' };
  if (!/^\d+$/.test(text)) return { ok: false, message: 'Use a whole number of days.' };
  const days = Number(text);
  if (days < MIN_EXPIRY_DAYS || days > MAX_EXPIRY_DAYS) {
    return {
      ok: false,
      message: `Choose between ${MIN_EXPIRY_DAYS} and ${MAX_EXPIRY_DAYS} days.`,
    };
  }
  return { ok: true, value: days };
}

export const MAX_NAME_LENGTH = 100;

/** A name for an organization or an API token. */
export function parseName(input: string, what: string): Validated<string> {
  const name = input.trim();
  if (name === '') return { ok: false, message: `Enter a name for the ${what}.` };
  if (name.length > MAX_NAME_LENGTH) {
    return { ok: false, message: `Keep the ${what} name under ${MAX_NAME_LENGTH} characters.` };
  }
  return { ok: true, value: name };
}

/** A loose check that catches typos; the server decides what is deliverable. */
export function parseEmail(input: string): Validated<string> {
  const email = input.trim();
  if (email === '') return { ok: false, message: 'Enter an email address.' };
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    return { ok: false, message: 'That does not look like an email address.' };
  }
  return { ok: true, value: email };
}
