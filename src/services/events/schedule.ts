/**
 * EventBridge schedule expressions (docs/eventbridge-delivery.md#schedules): `rate(value unit)` and
 * `cron(minutes hours day-of-month month day-of-week year)`, always in UTC, as
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html and
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html define them.
 * Pure: no store, no clock.
 */

/** PutRule's ValidationException text for any invalid ScheduleExpression. */
export class ScheduleError extends Error {
  constructor() {
    super('Parameter ScheduleExpression is not valid.');
    this.name = 'ScheduleError';
  }
}

type Rate = { kind: 'rate'; ms: number };
type Cron = {
  kind: 'cron';
  minutes: Set<number>;
  hours: Set<number>;
  months: Set<number>;
  /** undefined: any year (`*`) */
  years?: Set<number>;
  dom?: DayOfMonth;
  dow?: DayOfWeek;
};
/** `?` in one of the two day fields leaves it undefined; exactly one of them is set. */
type DayOfMonth = { days: Set<number>; last: boolean; lastWeekday: boolean; nearestWeekday: number[] };
/** Days of week 1 (SUN) … 7 (SAT), as the docs number them. */
type DayOfWeek = { days: Set<number>; lastOf: number[]; nth?: { day: number; n: number } };

export type Schedule = Rate | Cron;

const UNITS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

export function parseSchedule(expression: string): Schedule {
  if (typeof expression !== 'string') throw new ScheduleError();
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) return parseRate(Number(rate[1]), rate[2] ?? '');
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) return parseCron((cron[1] ?? '').trim().split(/\s+/));
  throw new ScheduleError();
}

/**
 * "If the value is equal to 1, then the unit must be singular. If the value is greater than 1, the
 * unit must be plural" (rate expressions, the page above): rate(1 hours) and rate(5 hour) are invalid.
 */
function parseRate(value: number, unit: string): Rate {
  const singular = unit.endsWith('s') ? unit.slice(0, -1) : unit;
  if (!Number.isSafeInteger(value) || value < 1) throw new ScheduleError();
  if ((value === 1) !== (singular === unit)) throw new ScheduleError();
  return { kind: 'rate', ms: value * (UNITS[singular] ?? 0) };
}

function parseCron(fields: string[]): Cron {
  if (fields.length !== 6) throw new ScheduleError();
  const [min = '', hour = '', dom = '', month = '', dow = '', year = ''] = fields;
  // "You can't specify the Day-of-month and Day-of-week fields in the same cron expression. If you
  // specify a value or a * (asterisk) in one of the fields, you must use a ? (question mark) in the other."
  if ((dom === '?') === (dow === '?')) throw new ScheduleError();
  return {
    kind: 'cron',
    minutes: parseList(min, 0, 59),
    hours: parseList(hour, 0, 23),
    months: parseList(month, 1, 12, MONTHS),
    years: year === '*' ? undefined : parseList(year, 1970, 2199),
    dom: dom === '?' ? undefined : parseDayOfMonth(dom),
    dow: dow === '?' ? undefined : parseDayOfWeek(dow),
  };
}

/** A field of `,`-separated items, each `*`, `n`, `a-b`, with an optional `/step` (`*` or a start before it). */
function parseList(field: string, lo: number, hi: number, names?: string[], slash = true): Set<number> {
  const out = new Set<number>();
  for (const item of field.split(',')) for (const v of parseItem(item, lo, hi, names, slash)) out.add(v);
  return out;
}

function parseItem(item: string, lo: number, hi: number, names: string[] | undefined, slash: boolean): number[] {
  const [range = '', stepText, extra] = item.split('/');
  if (extra !== undefined || (stepText !== undefined && !slash)) throw new ScheduleError();
  const step = stepText === undefined ? 1 : parseNumber(stepText, 1, hi - lo + 1);
  let from: number;
  let to: number;
  if (range === '*') [from, to] = [lo, hi];
  else {
    const [a = '', b, more] = range.split('-');
    if (more !== undefined) throw new ScheduleError();
    from = parseValue(a, lo, hi, names);
    // "a/step" runs from a to the field's end; "a-b" may wrap around (FRI-MON, NOV-FEB).
    to = b === undefined ? (stepText === undefined ? from : hi) : parseValue(b, lo, hi, names);
  }
  const out: number[] = [];
  const span = to >= from ? to - from : to + (hi - lo + 1) - from;
  for (let i = 0; i <= span; i += step) out.push(((from - lo + i) % (hi - lo + 1)) + lo);
  return out;
}

function parseValue(text: string, lo: number, hi: number, names?: string[]): number {
  const named = names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + lo;
  return parseNumber(text, lo, hi);
}

function parseNumber(text: string, lo: number, hi: number): number {
  if (!/^\d{1,4}$/.test(text)) throw new ScheduleError();
  const n = Number(text);
  if (n < lo || n > hi) throw new ScheduleError();
  return n;
}

/** Day-of-month: `, - * / L W` — `L` the last day, `LW` the last weekday, `15W` the weekday nearest the 15th. */
function parseDayOfMonth(field: string): DayOfMonth {
  const out: DayOfMonth = { days: new Set(), last: false, lastWeekday: false, nearestWeekday: [] };
  for (const item of field.split(',')) {
    if (item === 'L') out.last = true;
    else if (item === 'LW') out.lastWeekday = true;
    else if (/^\d+W$/.test(item)) out.nearestWeekday.push(parseNumber(item.slice(0, -1), 1, 31));
    else for (const d of parseItem(item, 1, 31, undefined, true)) out.days.add(d);
  }
  return out;
}

/**
 * Day-of-week: `, - * ? L #` (no `/`) — `L` alone is the week's last day (SAT), `6L` the month's last
 * Friday, `3#2` its second Tuesday; "If you use the '#' character, you can define only one expression
 * in the day-of-week field."
 */
function parseDayOfWeek(field: string): DayOfWeek {
  const out: DayOfWeek = { days: new Set(), lastOf: [] };
  const items = field.split(',');
  for (const item of items) {
    const nth = /^(\w+)#(\d)$/.exec(item);
    if (nth) {
      if (items.length !== 1) throw new ScheduleError();
      out.nth = { day: parseValue(nth[1] ?? '', 1, 7, DAYS), n: parseNumber(nth[2] ?? '', 1, 5) };
    } else if (item === 'L') out.days.add(7);
    else if (/^\w+L$/.test(item)) out.lastOf.push(parseValue(item.slice(0, -1), 1, 7, DAYS));
    else for (const d of parseItem(item, 1, 7, DAYS, false)) out.days.add(d);
  }
  return out;
}

const MAX_YEAR = 2199;

/**
 * The first fire time strictly after `after`, to the minute for cron; undefined when the expression
 * never fires again (a cron of past years). A rate has no phase of its own: its next time is one
 * period after `after` (the scheduler passes the rule's previous fire time).
 */
export function nextFireTime(s: Schedule, after: Date): Date | undefined {
  if (s.kind === 'rate') return new Date(after.getTime() + s.ms);
  // Start at the next whole minute after `after`.
  const start = new Date(Math.floor(after.getTime() / 60_000) * 60_000 + 60_000);
  let y = start.getUTCFullYear();
  let m = start.getUTCMonth() + 1;
  let d = start.getUTCDate();
  let firstDay = true;
  while (y <= MAX_YEAR) {
    if (s.years && !s.years.has(y)) {
      [y, m, d, firstDay] = [y + 1, 1, 1, false];
      continue;
    }
    if (!s.months.has(m)) {
      [m, d, firstDay] = [m + 1, 1, false];
      if (m > 12) [y, m] = [y + 1, 1];
      continue;
    }
    const days = daysIn(y, m);
    for (; d <= days; d++, firstDay = false) {
      if (!dayMatches(s, y, m, d)) continue;
      const t = timeInDay(s, firstDay ? start.getUTCHours() : 0, firstDay ? start.getUTCMinutes() : 0);
      if (t) return new Date(Date.UTC(y, m - 1, d, t[0], t[1]));
    }
    [m, d, firstDay] = [m + 1, 1, false];
    if (m > 12) [y, m] = [y + 1, 1];
  }
  return undefined;
}

/** The first (hour, minute) of the schedule at or after hh:mm in a day. */
function timeInDay(s: Cron, hh: number, mm: number): [number, number] | undefined {
  for (let h = hh; h < 24; h++) {
    if (!s.hours.has(h)) continue;
    for (let min = h === hh ? mm : 0; min < 60; min++) if (s.minutes.has(min)) return [h, min];
  }
  return undefined;
}

const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
/** 1 (SUN) … 7 (SAT) */
const weekday = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 1;

function dayMatches(s: Cron, y: number, m: number, d: number): boolean {
  const last = daysIn(y, m);
  if (s.dom) {
    const dom = s.dom;
    return (
      dom.days.has(d) ||
      (dom.last && d === last) ||
      (dom.lastWeekday && d === nearestWeekday(y, m, last)) ||
      dom.nearestWeekday.some((n) => nearestWeekday(y, m, Math.min(n, last)) === d)
    );
  }
  const dow = s.dow;
  if (!dow) return false;
  const wd = weekday(y, m, d);
  if (dow.nth) return wd === dow.nth.day && Math.ceil(d / 7) === dow.nth.n;
  return dow.days.has(wd) || (dow.lastOf.includes(wd) && d + 7 > last);
}

/** The weekday (MON–FRI) nearest day `n`, within the month: a Saturday goes back to Friday, a Sunday on to Monday, never across the month's edge. */
function nearestWeekday(y: number, m: number, n: number): number {
  const wd = weekday(y, m, n);
  if (wd === 7) return n === 1 ? 3 : n - 1;
  if (wd === 1) return n === daysIn(y, m) ? n - 2 : n + 1;
  return n;
}
