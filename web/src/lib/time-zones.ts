/** The IANA zones this browser knows, with UTC first and `current` always among them. */
export function timeZoneNames(current: string): string[] {
  let zones: string[] = [];
  try {
    zones = (Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  } catch {
    zones = [];
  }
  if (!zones.includes('UTC')) zones = ['UTC', ...zones];
  return current && !zones.includes(current) ? [current, ...zones] : zones;
}

/** The zone's offset from UTC at `at`, as "UTC−03:00" (a true minus sign); null for a zone the browser does not know. */
function utcOffset(zone: string, at: Date = new Date()): string | null {
  try {
    const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((part) => part.type === 'timeZoneName')?.value;
    // "GMT-03:00", "GMT+05:45", or plain "GMT" at zero.
    const match = name ? /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name) : null;
    if (!match) return null;
    const [, sign = '+', hours = '00', minutes = '00'] = match;
    return `UTC${sign === '-' ? '−' : '+'}${hours}:${minutes}`;
  } catch {
    return null;
  }
}

/** "America/Sao_Paulo (UTC−03:00)", or the bare name when the offset is unknown. */
export function timeZoneLabel(zone: string, at: Date = new Date()): string {
  const offset = utcOffset(zone, at);
  return offset ? `${zone} (${offset})` : zone;
}

export interface TimeZoneOption {
  zone: string;
  label: string;
}

/** Every known zone (see `timeZoneNames`) with its label at `at`. */
export function timeZoneOptions(current: string, at: Date = new Date()): TimeZoneOption[] {
  return timeZoneNames(current).map((zone) => ({ zone, label: timeZoneLabel(zone, at) }));
}

/** Whether a zone's label matches what was typed: any case, spaces for underscores, "-" for "−". */
export function timeZoneMatches(label: string, query: string): boolean {
  const normalize = (text: string) => text.toLowerCase().replace(/_/g, ' ').replace(/−/g, '-').trim();
  return normalize(label).includes(normalize(query));
}
