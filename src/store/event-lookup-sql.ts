/**
 * Event history lookups as SQL text (store/events.ts; docs/architecture.md#event-history): the same
 * portable queries the store ran through Kysely's builder — one index range scan newest first, every
 * value a bound parameter — written directly, because building and compiling them per call was ~10%
 * of a LookupEvents call's CPU (bench profile: `node --import tsx bench/profile-op.ts LookupEvents`).
 * Only the fixed column and table names below and `?` placeholders go into the text; PostgreSQL's
 * `$n` are numbered at the end.
 */
import type { EventPosition, EventQuery, LookupAttributeKey } from './types.ts';

type Attribute = EventQuery['attributes'][number];

/** Columns of `events` that a lookup attribute matches exactly. */
const EVENT_COLUMN: Partial<Record<LookupAttributeKey, string>> = {
  EventId: 'e.event_id',
  EventName: 'e.event_name',
  EventSource: 'e.event_source',
  Username: 'e.username',
  AccessKeyId: 'e.access_key_id',
};

/** What a page needs of a row (not the content key or the data flag: every row read is a management event). */
export const LOOKUP_COLUMNS =
  'e.seq, e.event_id, e.event_time, e.added_at, e.imported, e.account_id, e.region, e.event_source, e.event_name, e.read_only, e.username, e.access_key_id, e.record';

export interface Sql {
  text: string;
  params: unknown[];
}

class Where {
  readonly parts: string[] = [];
  readonly params: unknown[] = [];
  add(cond: string, ...params: unknown[]): void {
    this.parts.push(cond);
    this.params.push(...params);
  }
}

/** `?` placeholders as PostgreSQL's `$1, $2, …` (the text holds no other `?`: no literals, no JSON operators). */
export function forDialect(q: Sql, pg: boolean): Sql {
  if (!pg) return q;
  let n = 0;
  return { text: q.text.replace(/\?/g, () => `$${++n}`), params: q.params };
}

/**
 * Which resource attribute, if any, drives the scan: a ResourceName (one ARN: few rows) always; a
 * ResourceType (few types: many rows) only alone, since with another attribute walking that
 * attribute's index and checking the type per event reads far fewer rows.
 */
export function resourceDriver(attributes: EventQuery['attributes']): Attribute | undefined {
  const name = attributes.find((a) => a.key === 'ResourceName');
  if (name) return name;
  const type = attributes.find((a) => a.key === 'ResourceType');
  return type && attributes.every((a) => a.key === 'ResourceType' || a.key === 'ReadOnly') ? type : undefined;
}

/**
 * The Region condition. With no attribute that has an index of its own (none, or only ReadOnly) it
 * walks the (region, time) index; otherwise that attribute's index drives and the Region is checked
 * per row — coalesce() keeps SQLite's planner (no statistics here) from walking the Region index
 * instead.
 */
function inRegion(w: Where, region: string | undefined, attributes: readonly Attribute[]): void {
  if (region === undefined) return;
  if (attributes.some((a) => a.key !== 'ReadOnly')) w.add('coalesce(e.region, ?) = ?', '', region);
  else w.add('e.region = ?', region);
}

/** Exact-match conditions for every attribute except the one driving the scan. */
function filters(w: Where, attributes: readonly Attribute[], driver: Attribute | undefined): void {
  for (const a of attributes) {
    if (a === driver) continue;
    // ReadOnly has no index of its own (migrations/024): it rides at the end of each attribute's index, or is checked per row.
    if (a.key === 'ReadOnly') w.add('e.read_only = ?', a.value === 'true' ? 1 : 0);
    else if (a.key === 'ResourceName' || a.key === 'ResourceType') {
      const col = a.key === 'ResourceName' ? 'resource_name' : 'resource_type';
      w.add(`exists (select x.seq from event_resources as x where x.seq = e.seq and x.${col} = ?)`, a.value);
    } else w.add(`${EVENT_COLUMN[a.key]} = ?`, a.value);
  }
}

/** Inclusive time bounds and the keyset cursor, on the driving table's (event_time, seq). */
function window(w: Where, t: 'e' | 'r', q: { start?: Date; end?: Date; after?: EventPosition }): void {
  if (q.start) w.add(`${t}.event_time >= ?`, q.start.getTime());
  if (q.end) w.add(`${t}.event_time <= ?`, q.end.getTime());
  if (q.after) w.add(`(${t}.event_time, ${t}.seq) < (?, ?)`, q.after.time, q.after.seq);
}

/** No resource attribute: walk `events` by the index of one attribute (the planner picks it) or by time. */
export function scanEventsSql(account: string, q: EventQuery): Sql {
  const w = new Where();
  w.add('e.data = ?', 0);
  w.add('e.account_id = ?', account);
  filters(w, q.attributes, undefined);
  inRegion(w, q.region, q.attributes);
  window(w, 'e', q);
  return {
    text: `select ${LOOKUP_COLUMNS} from events as e where ${w.parts.join(' and ')} order by e.event_time desc, e.seq desc limit ?`,
    params: [...w.params, q.limit + 1],
  };
}

/** A resource attribute drives the scan through the resource index, in time order (store/events.ts scanResources). */
export function scanResourcesSql(account: string, q: EventQuery, driver: Attribute, after: EventPosition | undefined, limit: number): Sql {
  const w = new Where();
  w.add(`${driver.key === 'ResourceName' ? 'r.resource_name' : 'r.resource_type'} = ?`, driver.value);
  w.add('e.data = ?', 0);
  w.add('e.account_id = ?', account);
  filters(w, q.attributes, driver);
  inRegion(w, q.region, [driver]);
  window(w, 'r', { ...(q.start ? { start: q.start } : {}), ...(q.end ? { end: q.end } : {}), ...(after ? { after } : {}) });
  return {
    text: `select ${LOOKUP_COLUMNS} from event_resources as r inner join events as e on e.seq = r.seq where ${w.parts.join(' and ')} order by r.event_time desc, r.seq desc limit ?`,
    params: [...w.params, limit],
  };
}

/** The resource rows of a page's records. The range bounds tell a planner without statistics (PostgreSQL before its first ANALYZE) that it is a handful of rows, found through the index. */
export function resourcesOfSql(seqs: number[]): Sql {
  return {
    text: `select seq, resource_type, resource_name from event_resources where seq >= ? and seq <= ? and seq in (${seqs.map(() => '?').join(', ')}) order by seq, pos`,
    params: [Math.min(...seqs), Math.max(...seqs), ...seqs],
  };
}
