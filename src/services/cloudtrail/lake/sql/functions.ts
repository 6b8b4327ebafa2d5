/**
 * The scalar functions Lake supports (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-limitations.html
 * lists them: Trino's, https://trino.io/docs/current/functions.html), over values.ts's values.
 * Unknown names are refused when the query is started (parse.ts).
 */
import { Dbl, Interval, SqlMap, Struct, Ts, type Value, formatTs, parseTimestamp } from './values.ts';

export class QueryError extends Error {}

const num = (v: Value): number | null => {
  if (v === null) return null;
  if (typeof v === 'number') return v;
  if (v instanceof Dbl) return v.v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new QueryError(`Cannot use ${typeName(v)} value as a number`);
};
export const str = (v: Value): string | null => {
  if (v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Dbl) return String(v.v);
  if (v instanceof Ts) return formatTs(v.ms);
  throw new QueryError(`Cannot use ${typeName(v)} value as varchar`);
};
export const ts = (v: Value): number | null => {
  if (v === null) return null;
  if (v instanceof Ts) return v.ms;
  if (typeof v === 'string') {
    const ms = parseTimestamp(v);
    if (ms === undefined) throw new QueryError(`Value cannot be cast to timestamp: ${v}`);
    return ms;
  }
  throw new QueryError(`Cannot use ${typeName(v)} value as a timestamp`);
};
export function typeName(v: Value): string {
  if (v === null) return 'unknown';
  if (typeof v === 'string') return 'varchar';
  if (typeof v === 'number') return Number.isInteger(v) ? 'bigint' : 'double';
  if (typeof v === 'boolean') return 'boolean';
  if (v instanceof Ts) return 'timestamp(3)';
  if (v instanceof Dbl) return 'double';
  if (v instanceof Interval) return v.months ? 'interval year to month' : 'interval day to second';
  if (v instanceof Struct) return 'row';
  if (v instanceof SqlMap) return 'map(varchar, varchar)';
  return 'array';
}

const DAY = 86_400_000;
const UNIT_MS: Record<string, number> = { millisecond: 1, second: 1000, minute: 60_000, hour: 3_600_000, day: DAY, week: 7 * DAY };
const unitOf = (v: Value) => {
  const u = (str(v) ?? '').toLowerCase().replace(/s$/, '');
  if (!(u in UNIT_MS) && u !== 'month' && u !== 'quarter' && u !== 'year') throw new QueryError(`'${str(v)}' is not a valid time unit`);
  return u;
};

export function truncate(unit: string, ms: number): number {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (unit) {
    case 'year':
      return Date.UTC(y, 0, 1);
    case 'quarter':
      return Date.UTC(y, m - (m % 3), 1);
    case 'month':
      return Date.UTC(y, m, 1);
    case 'week': {
      const day = Math.floor(ms / DAY) * DAY;
      const dow = (d.getUTCDay() + 6) % 7; // Monday = 0
      return day - dow * DAY;
    }
    default: {
      const size = UNIT_MS[unit] ?? 1;
      return Math.floor(ms / size) * size;
    }
  }
}

export function addUnits(unit: string, n: number, ms: number): number {
  if (unit === 'month' || unit === 'quarter' || unit === 'year') return addMonths(ms, n * (unit === 'year' ? 12 : unit === 'quarter' ? 3 : 1));
  return ms + n * (UNIT_MS[unit] ?? 1);
}

export function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const target = new Date(
    Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()),
  );
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), last));
  return target.getTime();
}

function diff(unit: string, a: number, b: number): number {
  if (unit === 'month' || unit === 'quarter' || unit === 'year') {
    const da = new Date(a);
    const db = new Date(b);
    let months = (db.getUTCFullYear() - da.getUTCFullYear()) * 12 + (db.getUTCMonth() - da.getUTCMonth());
    // a partial month does not count
    if (months > 0 && addMonths(a, months) > b) months--;
    if (months < 0 && addMonths(a, months) < b) months++;
    return Math.trunc(months / (unit === 'year' ? 12 : unit === 'quarter' ? 3 : 1));
  }
  return Math.trunc((b - a) / (UNIT_MS[unit] ?? 1));
}

/** A JSON path ($.a.b[0], $["k"]) over parsed JSON. */
function jsonPath(doc: unknown, path: string): unknown {
  if (!path.startsWith('$')) throw new QueryError(`Invalid JSON path: '${path}'`);
  let cur: unknown = doc;
  const re = /\.([A-Za-z_$][\w$-]*)|\[\s*(\d+)\s*\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]|\[\s*'([^']*)'\s*\]/gy;
  re.lastIndex = 1;
  while (re.lastIndex < path.length) {
    const m = re.exec(path);
    if (!m) throw new QueryError(`Invalid JSON path: '${path}'`);
    if (cur === null || typeof cur !== 'object') return undefined;
    const key = m[1] ?? m[3] ?? m[4];
    cur = key !== undefined ? (Array.isArray(cur) ? undefined : (cur as Record<string, unknown>)[key]) : Array.isArray(cur) ? cur[Number(m[2])] : undefined;
  }
  return cur;
}

function parseJson(v: Value): unknown {
  const s = str(v);
  if (s === null) return undefined;
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

const likeToRegExp = (pattern: string, esc?: string) => {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (esc && c === esc && i + 1 < pattern.length) re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
};
const likeCache = new Map<string, RegExp>();
export function like(value: string, pattern: string): boolean {
  let re = likeCache.get(pattern);
  if (!re) {
    re = likeToRegExp(pattern);
    if (likeCache.size > 1000) likeCache.clear();
    likeCache.set(pattern, re);
  }
  return re.test(value);
}

const regexCache = new Map<string, RegExp>();
function regex(pattern: string, flags = ''): RegExp {
  const key = `${flags}/${pattern}`;
  let re = regexCache.get(key);
  if (!re) {
    try {
      re = new RegExp(pattern, flags);
    } catch {
      throw new QueryError(`Invalid regular expression: ${pattern}`);
    }
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(key, re);
  }
  return re;
}

const isoDow = (ms: number) => ((new Date(ms).getUTCDay() + 6) % 7) + 1;
const dayOfYear = (ms: number) => Math.floor((ms - Date.UTC(new Date(ms).getUTCFullYear(), 0, 1)) / DAY) + 1;
const isoWeek = (ms: number) => {
  const d = new Date(Math.floor(ms / DAY) * DAY);
  d.setUTCDate(d.getUTCDate() + 4 - isoDow(ms));
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  return Math.ceil(((d.getTime() - yearStart) / DAY + 1) / 7);
};
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** MySQL-style date_format (Trino's): the common specifiers. */
function dateFormat(ms: number, fmt: string): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return fmt.replace(/%([a-zA-Z%])/g, (_, c: string) => {
    switch (c) {
      case 'Y':
        return String(d.getUTCFullYear());
      case 'y':
        return p(d.getUTCFullYear() % 100);
      case 'm':
        return p(d.getUTCMonth() + 1);
      case 'c':
        return String(d.getUTCMonth() + 1);
      case 'd':
        return p(d.getUTCDate());
      case 'e':
        return String(d.getUTCDate());
      case 'H':
        return p(d.getUTCHours());
      case 'i':
        return p(d.getUTCMinutes());
      case 's':
      case 'S':
        return p(d.getUTCSeconds());
      case 'f':
        return p(d.getUTCMilliseconds() * 1000, 6);
      case 'W':
        return WEEKDAYS[d.getUTCDay()]!;
      case 'a':
        return WEEKDAYS[d.getUTCDay()]!.slice(0, 3);
      case 'M':
        return MONTHS[d.getUTCMonth()]!;
      case 'b':
        return MONTHS[d.getUTCMonth()]!.slice(0, 3);
      case 'j':
        return p(dayOfYear(ms), 3);
      case 'T':
        return `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
      case '%':
        return '%';
      default:
        throw new QueryError(`date_format specifier %${c} is not supported`);
    }
  });
}

type Fn = (args: Value[], now: number) => Value;
const nullIfAny =
  (f: (args: Value[], now: number) => Value): Fn =>
  (args, now) =>
    args.some((a) => a === null) ? null : f(args, now);
const timeField = (f: (ms: number) => number): Fn => nullIfAny((a) => f(ts(a[0]!)!));

function cmpValues(a: Value, b: Value): number {
  const x = a instanceof Ts ? a.ms : a instanceof Dbl ? a.v : a;
  const y = b instanceof Ts ? b.ms : b instanceof Dbl ? b.v : b;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  const sx = String(x);
  const sy = String(y);
  return sx < sy ? -1 : sx > sy ? 1 : 0;
}

export const SCALARS: Record<string, Fn> = {
  lower: nullIfAny((a) => str(a[0]!)!.toLowerCase()),
  upper: nullIfAny((a) => str(a[0]!)!.toUpperCase()),
  length: nullIfAny((a) => [...str(a[0]!)!].length),
  concat: (a) => {
    if (a.some((x) => x === null)) return null;
    if (a.every((x) => Array.isArray(x))) return (a as Value[][]).flat();
    return a.map((x) => str(x)).join('');
  },
  substr: nullIfAny((a) => {
    const s = [...str(a[0]!)!];
    let start = num(a[1]!)!;
    if (start === 0) return '';
    if (start < 0) start = s.length + start + 1;
    const len = a[2] === undefined ? s.length : num(a[2])!;
    return s.slice(start - 1, start - 1 + len).join('');
  }),
  trim: nullIfAny((a) => str(a[0]!)!.trim()),
  ltrim: nullIfAny((a) => str(a[0]!)!.replace(/^\s+/, '')),
  rtrim: nullIfAny((a) => str(a[0]!)!.replace(/\s+$/, '')),
  replace: nullIfAny((a) =>
    str(a[0]!)!
      .split(str(a[1]!)!)
      .join(a[2] === undefined ? '' : str(a[2])!),
  ),
  reverse: nullIfAny((a) => [...str(a[0]!)!].reverse().join('')),
  strpos: nullIfAny((a) => str(a[0]!)!.indexOf(str(a[1]!)!) + 1),
  starts_with: nullIfAny((a) => str(a[0]!)!.startsWith(str(a[1]!)!)),
  split: nullIfAny((a) => str(a[0]!)!.split(str(a[1]!)!)),
  split_part: nullIfAny((a) => str(a[0]!)!.split(str(a[1]!)!)[num(a[2]!)! - 1] ?? null),
  lpad: nullIfAny((a) => {
    const s = str(a[0]!)!;
    const n = num(a[1]!)!;
    return s.length >= n ? s.slice(0, n) : s.padStart(n, str(a[2]!)!);
  }),
  rpad: nullIfAny((a) => {
    const s = str(a[0]!)!;
    const n = num(a[1]!)!;
    return s.length >= n ? s.slice(0, n) : s.padEnd(n, str(a[2]!)!);
  }),
  regexp_like: nullIfAny((a) => regex(str(a[1]!)!).test(str(a[0]!)!)),
  regexp_extract: nullIfAny((a) => {
    const m = regex(str(a[1]!)!).exec(str(a[0]!)!);
    return m ? (m[a[2] === undefined ? 0 : num(a[2])!] ?? null) : null;
  }),
  regexp_extract_all: nullIfAny((a) => {
    const g = a[2] === undefined ? 0 : num(a[2])!;
    return [...str(a[0]!)!.matchAll(regex(str(a[1]!)!, 'g'))].map((m) => m[g] ?? null);
  }),
  regexp_replace: nullIfAny((a) => str(a[0]!)!.replace(regex(str(a[1]!)!, 'g'), a[2] === undefined ? '' : str(a[2])!)),
  url_extract_host: nullIfAny((a) => {
    try {
      return new URL(str(a[0]!)!).hostname;
    } catch {
      return null;
    }
  }),
  json_extract_scalar: nullIfAny((a) => {
    const v = jsonPath(parseJson(a[0]!), str(a[1]!)!);
    if (v === null || v === undefined || typeof v === 'object') return null;
    return String(v);
  }),
  json_extract: nullIfAny((a) => {
    const v = jsonPath(parseJson(a[0]!), str(a[1]!)!);
    return v === undefined ? null : JSON.stringify(v);
  }),
  json_array_length: nullIfAny((a) => {
    const v = parseJson(a[0]!);
    return Array.isArray(v) ? v.length : null;
  }),
  json_format: nullIfAny((a) => str(a[0]!)),
  json_parse: nullIfAny((a) => {
    const v = parseJson(a[0]!);
    if (v === undefined) throw new QueryError(`Cannot convert value to JSON: '${str(a[0]!)}'`);
    return JSON.stringify(v);
  }),
  coalesce: (a) => a.find((x) => x !== null) ?? null,
  nullif: (a) => (a[0] !== null && a[1] !== null && cmpValues(a[0]!, a[1]!) === 0 ? null : (a[0] ?? null)),
  greatest: nullIfAny((a) => a.reduce((m, x) => (cmpValues(x, m) > 0 ? x : m))),
  least: nullIfAny((a) => a.reduce((m, x) => (cmpValues(x, m) < 0 ? x : m))),
  abs: nullIfAny((a) => (a[0] instanceof Dbl ? new Dbl(Math.abs(a[0].v)) : Math.abs(num(a[0]!)!))),
  round: nullIfAny((a) => {
    const d = a[1] === undefined ? 0 : num(a[1])!;
    const f = 10 ** d;
    const v = num(a[0]!)!;
    const r = (Math.sign(v) * Math.round(Math.abs(v) * f)) / f;
    return a[0] instanceof Dbl ? new Dbl(r) : r;
  }),
  floor: nullIfAny((a) => (a[0] instanceof Dbl ? new Dbl(Math.floor(a[0].v)) : Math.floor(num(a[0]!)!))),
  ceil: nullIfAny((a) => (a[0] instanceof Dbl ? new Dbl(Math.ceil(a[0].v)) : Math.ceil(num(a[0]!)!))),
  mod: nullIfAny((a) => num(a[0]!)! % num(a[1]!)!),
  power: nullIfAny((a) => new Dbl(num(a[0]!)! ** num(a[1]!)!)),
  sqrt: nullIfAny((a) => new Dbl(Math.sqrt(num(a[0]!)!))),
  ln: nullIfAny((a) => new Dbl(Math.log(num(a[0]!)!))),
  log10: nullIfAny((a) => new Dbl(Math.log10(num(a[0]!)!))),
  cardinality: nullIfAny((a) => {
    const v = a[0]!;
    if (Array.isArray(v)) return v.length;
    if (v instanceof SqlMap) return v.entries.size;
    throw new QueryError('cardinality takes an array or a map');
  }),
  element_at: (a) => {
    const c = a[0] ?? null;
    if (c === null || a[1] === null || a[1] === undefined) return null;
    if (c instanceof SqlMap) return c.entries.get(str(a[1])!) ?? null;
    if (Array.isArray(c)) {
      const i = num(a[1])!;
      return (i > 0 ? c[i - 1] : c[c.length + i]) ?? null;
    }
    throw new QueryError('element_at takes an array or a map');
  },
  contains: nullIfAny((a) => {
    if (!Array.isArray(a[0])) throw new QueryError('contains takes an array');
    return a[0].some((x) => x !== null && cmpValues(x, a[1]!) === 0);
  }),
  array_join: nullIfAny((a) => {
    if (!Array.isArray(a[0])) throw new QueryError('array_join takes an array');
    return a[0]
      .filter((x) => x !== null)
      .map((x) => str(x))
      .join(str(a[1]!)!);
  }),
  map_keys: nullIfAny((a) => (a[0] instanceof SqlMap ? [...a[0].entries.keys()] : null)),
  map_values: nullIfAny((a) => (a[0] instanceof SqlMap ? [...a[0].entries.values()] : null)),
  typeof: (a) => typeName(a[0] ?? null),
  if: (a) => (a[0] === true ? (a[1] ?? null) : (a[2] ?? null)),
  // dates and times (UTC)
  now: (_a, now) => new Ts(now),
  current_timestamp: (_a, now) => new Ts(now),
  current_date: (_a, now) => new Ts(truncate('day', now)),
  from_iso8601_timestamp: nullIfAny((a) => {
    const ms = parseTimestamp(str(a[0]!)!);
    if (ms === undefined) throw new QueryError(`Invalid format: "${str(a[0]!)}"`);
    return new Ts(ms);
  }),
  from_iso8601_date: nullIfAny((a) => {
    const ms = parseTimestamp(str(a[0]!)!);
    if (ms === undefined) throw new QueryError(`Invalid format: "${str(a[0]!)}"`);
    return new Ts(truncate('day', ms));
  }),
  to_iso8601: nullIfAny((a) => new Date(ts(a[0]!)!).toISOString()),
  from_unixtime: nullIfAny((a) => new Ts(Math.round(num(a[0]!)! * 1000))),
  to_unixtime: nullIfAny((a) => new Dbl(ts(a[0]!)! / 1000)),
  date_trunc: nullIfAny((a) => new Ts(truncate(unitOf(a[0]!), ts(a[1]!)!))),
  date_add: nullIfAny((a) => new Ts(addUnits(unitOf(a[0]!), num(a[1]!)!, ts(a[2]!)!))),
  date_diff: nullIfAny((a) => diff(unitOf(a[0]!), ts(a[1]!)!, ts(a[2]!)!)),
  date_format: nullIfAny((a) => dateFormat(ts(a[0]!)!, str(a[1]!)!)),
  date: nullIfAny((a) => new Ts(truncate('day', ts(a[0]!)!))),
  year: timeField((ms) => new Date(ms).getUTCFullYear()),
  quarter: timeField((ms) => Math.floor(new Date(ms).getUTCMonth() / 3) + 1),
  month: timeField((ms) => new Date(ms).getUTCMonth() + 1),
  week: timeField(isoWeek),
  day: timeField((ms) => new Date(ms).getUTCDate()),
  day_of_week: timeField(isoDow),
  day_of_year: timeField(dayOfYear),
  hour: timeField((ms) => new Date(ms).getUTCHours()),
  minute: timeField((ms) => new Date(ms).getUTCMinutes()),
  second: timeField((ms) => new Date(ms).getUTCSeconds()),
  millisecond: timeField((ms) => new Date(ms).getUTCMilliseconds()),
};
SCALARS.substring = SCALARS.substr!;
SCALARS.ceiling = SCALARS.ceil!;
SCALARS.pow = SCALARS.power!;
SCALARS.dow = SCALARS.day_of_week!;
SCALARS.doy = SCALARS.day_of_year!;
SCALARS.day_of_month = SCALARS.day!;
SCALARS.week_of_year = SCALARS.week!;
SCALARS.year_of_week = SCALARS.year!;
SCALARS.localtimestamp = SCALARS.now!;

export { cmpValues, num };

/** Scalar functions plus the forms the engine evaluates itself (try, unnest, exists; cast is its own node). */
export const FUNCTIONS = new Set([...Object.keys(SCALARS), 'try', 'unnest', 'exists']);
