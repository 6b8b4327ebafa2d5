/**
 * Lake SQL values (docs/lake.md#values): how a CloudTrail record becomes a row of Lake's event schema
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html),
 * and how values are compared and rendered in query results — every value a string, as
 * GetQueryResults returns them (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetQueryResults.html).
 *
 * Column and struct-field names are lowercase (matched case-insensitively); map keys keep their case.
 * `eventtime` is a timestamp; `requestparameters`, `responseelements`, `additionaleventdata` and
 * `serviceeventdetails` are map(varchar, varchar), nested values as JSON text; `useridentity`,
 * `tlsdetails`, `addendum`, `edgedevicedetails`, `insightdetails` are structs; `resources` an array of
 * structs (accountid, type, arn, arnprefix); `readonly` and `managementevent` booleans.
 */

/** A timestamp (UTC, millisecond precision). */
export class Ts {
  constructor(readonly ms: number) {}
}
/** A Trino interval: months, or milliseconds. */
export class Interval {
  constructor(
    readonly ms: number,
    readonly months = 0,
  ) {}
}
/** A struct (ROW): lowercase field names. */
export class Struct {
  constructor(readonly fields: Map<string, Value>) {}
  get(name: string): Value {
    return this.fields.get(name.toLowerCase()) ?? null;
  }
}
/** A map: keys as written. */
export class SqlMap {
  constructor(readonly entries: Map<string, Value>) {}
}
/** A double (avg, division of doubles, …): rendered with a decimal point, as Trino does. */
export class Dbl {
  constructor(readonly v: number) {}
}

export type Value = null | string | number | boolean | Ts | Interval | Struct | SqlMap | Dbl | Value[];

/** Lake's event schema, in order (SELECT *). */
export const LAKE_COLUMNS = [
  'eventversion',
  'useridentity',
  'eventtime',
  'eventsource',
  'eventname',
  'awsregion',
  'sourceipaddress',
  'useragent',
  'errorcode',
  'errormessage',
  'requestparameters',
  'responseelements',
  'additionaleventdata',
  'requestid',
  'eventid',
  'readonly',
  'resources',
  'eventtype',
  'apiversion',
  'managementevent',
  'recipientaccountid',
  'sharedeventid',
  'annotation',
  'vpcendpointid',
  'serviceeventdetails',
  'addendum',
  'edgedevicedetails',
  'insightdetails',
  'eventcategory',
  'tlsdetails',
  'sessioncredentialfromconsole',
] as const;

const MAPS = new Set(['requestparameters', 'responseelements', 'additionaleventdata', 'serviceeventdetails']);
const BOOLEANS = new Set(['readonly', 'managementevent']);

/** A JSON value as a struct field (objects → structs, lowercase names). */
function structOf(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(structOf);
  if (typeof v === 'object') {
    const m = new Map<string, Value>();
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) m.set(k.toLowerCase(), structOf(x));
    return new Struct(m);
  }
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return String(v);
}

/** A JSON object as map(varchar, varchar): nested values as JSON text. */
function mapOf(v: unknown): Value {
  if (v === null || v === undefined || typeof v !== 'object' || Array.isArray(v)) return null;
  const m = new Map<string, Value>();
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) m.set(k, x === null ? null : typeof x === 'string' ? x : JSON.stringify(x));
  return new SqlMap(m);
}

const LOWER = new Map<string, string>();
/** A record key lowercased (the same few dozen keys, over and over). */
function lowerKey(k: string): string {
  let l = LOWER.get(k);
  if (l === undefined) {
    l = k.toLowerCase();
    if (LOWER.size < 10_000) LOWER.set(k, l);
  }
  return l;
}

function column(col: string, v: unknown, eventTime: number): Value {
  if (col === 'eventtime') return new Ts(eventTime);
  if (MAPS.has(col)) return mapOf(v);
  if (BOOLEANS.has(col)) return typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : null;
  if (col === 'resources') return Array.isArray(v) ? v.map(structOf) : null;
  return v === undefined ? null : structOf(v);
}

/**
 * One record as a row of Lake's schema; with `columns`, only those are built (docs/lake.md#evaluation:
 * the engine resolves names against the schema, so an unbuilt column is never read).
 */
export function lakeRow(json: string, eventTime: number, columns?: ReadonlySet<string> | null): Struct {
  let rec: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(json);
    if (parsed && typeof parsed === 'object') rec = parsed;
  } catch {
    // stored records are JSON
  }
  const m = new Map<string, Value>();
  if (columns) {
    for (const k in rec) {
      const l = lowerKey(k);
      if (columns.has(l) && l !== 'eventtime') m.set(l, column(l, rec[k], eventTime));
    }
    if (columns.has('eventtime')) m.set('eventtime', new Ts(eventTime));
    return new Struct(m);
  }
  const lower = new Map<string, unknown>();
  for (const k in rec) lower.set(lowerKey(k), rec[k]);
  for (const col of LAKE_COLUMNS) m.set(col, column(col, lower.get(col), eventTime));
  return new Struct(m);
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** 'YYYY-MM-DD HH:MM:SS.mmm', as Lake renders timestamps. */
export function formatTs(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

function formatDouble(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  return Number.isInteger(v) ? `${v}.0` : String(v);
}

/** A value as a result cell (null → undefined: the caller decides). Structs and maps as Trino prints them: {name=value, …}. */
export function render(v: Value): string | undefined {
  if (v === null) return undefined;
  return renderInner(v);
}

function renderInner(v: Value): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Ts) return formatTs(v.ms);
  if (v instanceof Dbl) return formatDouble(v.v);
  if (v instanceof Interval) return v.months ? `${v.months} months` : `${v.ms} ms`;
  if (Array.isArray(v)) return `[${v.map(renderInner).join(', ')}]`;
  const entries = v instanceof Struct ? v.fields : v.entries;
  return `{${[...entries].map(([k, x]) => `${k}=${renderInner(x)}`).join(', ')}}`;
}

/** Parses Lake's timestamp literals: 'YYYY-MM-DD[ HH:MM[:SS[.fff]]]' (UTC) and ISO 8601 with T and a zone. */
export function parseTimestamp(s: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i.exec(s.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', zone] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec), Number(frac.padEnd(3, '0').slice(0, 3)));
  if (zone && /^[+-]/.test(zone)) {
    const z = zone.replace(':', '');
    const off = (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5))) * 60_000;
    ms -= z[0] === '+' ? off : -off;
  }
  return Number.isNaN(ms) ? undefined : ms;
}
