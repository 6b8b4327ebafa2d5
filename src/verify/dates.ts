/**
 * Dates as `aws cloudtrail validate-logs` reads and prints them (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-custom-validation.html, CLI
 * `parse_date`, `normalize_date`, `format_date`, `format_display_date`). The CLI parses with
 * dateutil and then *replaces* the zone with UTC (it does not convert), so `05:00+02:00` means
 * 05:00Z there; we do the same, so both tools pick the same digests for the same arguments.
 */

class DateParseError extends Error {
  constructor(value: unknown) {
    super(`Unable to parse date value: ${pyStr(value)}`);
  }
}

const ISO = /^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Parses an ISO-like date (extended or basic format, zone ignored) as UTC; else falls back to Date.parse wall-clock fields. */
export function parseDate(value: unknown): Date {
  if (typeof value !== 'string') throw new DateParseError(value);
  const s = value.trim();
  const m = ISO.exec(s);
  if (m) {
    const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = ''] = m;
    const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
    const t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec), ms);
    const date = new Date(t);
    // reject 2026-02-31 and friends rather than letting Date roll them over
    if (Number.isNaN(t) || date.getUTCDate() !== Number(d) || date.getUTCHours() !== Number(h)) throw new DateParseError(value);
    return date;
  }
  if (/^\d+$/.test(s) || s === '') throw new DateParseError(value);
  const loose = new Date(s);
  if (Number.isNaN(loose.getTime())) throw new DateParseError(value);
  // "replace tzinfo with UTC": keep the wall-clock fields as written
  const hasZone = /(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})$/i.test(s);
  if (hasZone) return loose;
  return new Date(Date.UTC(loose.getFullYear(), loose.getMonth(), loose.getDate(), loose.getHours(), loose.getMinutes(), loose.getSeconds()));
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `%Y%m%dT%H%M%SZ`: the timestamp inside digest keys. */
export function formatDate(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
}

/** `%Y-%m-%dT%H:%M:%SZ`: dates in the CLI's output. */
export function formatDisplayDate(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}Z`;
}

/** `%Y/%m/%d`: the date folders of the key layout. */
export function formatYmd(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
}

export const addMinutes = (d: Date, minutes: number) => new Date(d.getTime() + minutes * 60_000);
export const addHours = (d: Date, hours: number) => addMinutes(d, hours * 60);

/** How Python's `%s` prints a JSON value, for messages that echo digest fields. */
export function pyStr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  return typeof v === 'string' ? v : JSON.stringify(v);
}
