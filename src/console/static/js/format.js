// Dates and small text helpers for display: local times with the exact UTC value in the tooltip.

const full = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** A Date from epoch seconds (the JSON wire form), an ISO string or a Date. */
function toDate(v) {
  if (v === undefined || v === null || v === '') return undefined;
  const d = typeof v === 'number' ? new Date(v * 1000) : new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export function fmtTime(v) {
  const d = toDate(v);
  return d ? full.format(d) : '—';
}

export const isoTime = (v) =>
  toDate(v)
    ?.toISOString()
    .replace(/\.000Z$/, 'Z') ?? '';

export function ago(v, now = Date.now()) {
  const d = toDate(v);
  if (!d) return '';
  const s = Math.round((now - d.getTime()) / 1000);
  if (s < 45) return 'just now';
  const units = [
    [60, 'min', 60],
    [3600, 'h', 24],
    [86400, 'd', 30],
  ];
  for (const [size, unit, limit] of units) {
    const n = Math.round(s / size);
    if (n < limit) return `${n} ${unit} ago`;
  }
  return full.format(d);
}

/** The value for <input type="datetime-local"> (local time, minutes). */
export function localInput(d) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The last part of an ARN, for short display: arn:aws:iam::1:user/alice → alice */
export const arnTail = (arn) => String(arn ?? '').replace(/^.*[:/]/, '');

export const plural = (n, one, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;
